"""Figures of the About page."""

from __future__ import annotations

import polars as pl

from dashboard.code_labels import ERA_LABELS
from dashboard.figures import PALETTE, Figure, base_figure, empty_figure, share_text
from dashboard.figures.legends import fit_legend
from dashboard.figures.titles import pin_title, title_margin
from dashboard.figures.window import for_phone
from dashboard.figures.wrapping import balanced_lines

FUNNEL_TITLE = "Deduplication: from report versions to cases"
STEPS = {
    "report_versions": "Report versions read",
    "latest_versions": "Latest version of each case",
    "after_deleted": "After FDA's deleted-case lists",
}
PHONE_STEP_CHARS = 12  # a line of a step's name under its bar on a phone (11 px type)


def funnel_figure(funnel: pl.DataFrame) -> Figure:
    """Report versions → latest versions → kept cases, stacked by the era of the file read.

    `funnel` has one row per era plus a 'total' row (model.funnel). Hover shows each count and
    its share of the report versions read in that era.
    """
    eras = funnel.filter(pl.col("era") != "total")
    if eras.is_empty() or int(eras["report_versions"].sum()) == 0:
        return empty_figure(FUNNEL_TITLE, "No FAERS report versions loaded")
    steps = list(STEPS.values())
    fig = base_figure(FUNNEL_TITLE, x_title="Step", y_title="Report versions / cases")
    for i, row in enumerate(eras.iter_rows(named=True)):
        counts = [int(row[c]) for c in STEPS]
        fig["data"].append(
            {
                "type": "bar",
                "x": steps,
                "y": counts,
                "name": ERA_LABELS.get(row["era"], row["era"]),
                "marker": {"color": PALETTE[i % len(PALETTE)]},
                "text": [f"{n:,}" for n in counts],
                "customdata": [share_text(n, counts[0]) for n in counts],
                "hovertemplate": "%{fullData.name}<br>%{x}: %{customdata} of versions read"
                "<extra></extra>",
            }
        )
    totals = [int(eras[c].sum()) for c in STEPS]
    # on a phone "total" over its count: on one line the totals ran into each other
    joiner = "<br>" if for_phone() else " "
    fig["data"].append(
        {
            "type": "scatter",
            "x": steps,
            "y": totals,
            "mode": "text",
            "text": [f"total{joiner}{n:,}" for n in totals],
            "textposition": "top center",
            "name": "Total",
            "showlegend": False,
            "customdata": [share_text(n, totals[0]) for n in totals],
            "hovertemplate": "All eras<br>%{x}: %{customdata} of versions read<extra></extra>",
        }
    )
    fig["layout"]["barmode"] = "stack"
    fig["layout"]["xaxis"]["type"] = "category"
    fig["layout"]["yaxis"] |= {"tickformat": ",d", "range": [0, max(totals) * 1.18]}
    if for_phone():  # the eras one a line between the title and the plot (they ran over it)
        legend_px = fit_legend(fig)
        pin_title(fig, 0.98)
        fig["layout"]["margin"] = {"t": 60 + legend_px + title_margin(fig)}
        _phone_steps(fig, steps, max(totals))
    return fig


def _phone_steps(fig: Figure, steps: list[str], top: int) -> None:
    """A phone's funnel: room over the highest bar for a total in two lines, the counts in the
    bars level (hidden when they do not fit, as `base_figure` sets), and each step's name in
    short lines under its bar. Slanted, the names took the plot's right side (a 360 px window
    left its three bars 150 px) and the totals overlapped and ran past the left edge."""
    for trace in fig["data"]:
        if trace["type"] == "bar":
            trace["textangle"] = 0
    names = ["<br>".join(balanced_lines(step, PHONE_STEP_CHARS)) for step in steps]
    fig["layout"]["yaxis"]["range"] = [0, top * 1.3]
    fig["layout"]["xaxis"] |= {"tickvals": steps, "ticktext": names, "tickfont": {"size": 11}}
