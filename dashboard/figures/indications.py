"""Figures of the indications page: what kratom was taken for, and the events that followed."""

from __future__ import annotations

import polars as pl
from plotly.colors import make_colorscale, sequential

from dashboard.figures import (
    PALETTE,
    Figure,
    base_figure,
    empty_figure,
    integer_axis,
    share_text,
)
from dashboard.figures.heatmap import (
    NARROWING_LABELS,
    cell_template,
    cell_text,
    count_colorbar,
    event_group_columns,
)

# Opioid groups hold only terms naming opioids; Drug withdrawal syndrome, Drug dependence and Drug
# abuse name no drug, hence the drug_* groups (etl/reference/indication_groups.csv).
INDICATION_LABELS = {
    "pain": "Pain",
    "neuropathic_pain": "Neuropathic pain",
    "opioid_withdrawal": "Opioid withdrawal",
    "opioid_use_disorder": "Opioid use disorder",
    "drug_withdrawal": "Withdrawal (drug not named)",
    "drug_dependence": "Dependence or misuse (drug not named)",
    "anxiety": "Anxiety",
    "depression": "Depression",
    "mood": "Mood",
    "energy_fatigue": "Energy / fatigue / focus",
    "sleep": "Sleep",
    "recreational": "Recreational use",
    "unknown": "Unknown indication",
    "other": "Other",
}
NOT_GIVEN = "No indication given"
MUTED = "#999999"
# ColorBrewer Blues as stops (plotly.js reads the bare name "Blues" as another, darker scale).
HEAT_SCALE = make_colorscale(sequential.Blues)


def indication_label(code: str | None) -> str:
    return INDICATION_LABELS.get(code or "", code or "Not stated")


def groups_figure(groups: pl.DataFrame, n_not_given: int, n_total: int) -> Figure:
    """Kratom cases per indication group, with the cases giving no indication for kratom."""
    title = "What kratom was reported as taken for"
    if n_total == 0:
        return empty_figure(title)
    groups = groups.sort(
        pl.col("indication_group").is_in(["unknown"]),
        pl.col("n_cases"),
        "indication_group",
        descending=[False, True, False],
    )  # reasons given first, largest first; then the unusable ones
    codes = groups["indication_group"].to_list()
    labels = [*(indication_label(g) for g in codes), NOT_GIVEN]
    counts = [*groups["n_cases"].to_list(), n_not_given]
    colours = [MUTED if g == "unknown" else PALETTE[0] for g in codes] + [MUTED]
    fig = base_figure(title, x_title="Kratom cases", y_title="")
    fig["data"].append(
        {
            "type": "bar",
            "y": labels,
            "x": counts,
            "orientation": "h",
            "marker": {"color": colours},
            "text": [share_text(n, n_total) for n in counts],
            "textposition": "auto",
            "hovertemplate": "%{y}: %{text} of kratom cases<extra></extra>",
        }
    )
    fig["layout"]["yaxis"] |= {"autorange": "reversed", "type": "category"}
    integer_axis(fig, max(counts), axis="x")
    return fig


def top_terms_figure(top: pl.DataFrame) -> Figure:
    """The indication terms most often given for kratom, as reported (MedDRA preferred terms)."""
    title = "Most frequent reported indications for kratom"
    if top.is_empty():
        return empty_figure(title, "No case matching these filters gives an indication for kratom")
    total = int(top["n_total"][0])
    groups = [indication_label(g) for g in top["indication_group"].to_list()]
    fig = base_figure(title, x_title="Kratom cases", y_title="")
    codes = top["indication_group"].to_list()
    fig["data"].append(
        {
            "type": "bar",
            "y": top["indication_pt"].to_list(),
            "x": top["n_cases"].to_list(),
            "orientation": "h",
            "marker": {"color": [MUTED if g == "unknown" else PALETTE[4] for g in codes]},
            "customdata": groups,
            "text": [share_text(n, total) for n in top["n_cases"].to_list()],
            "textposition": "auto",
            "hovertemplate": "%{y} (%{customdata}): %{text} of kratom cases<extra></extra>",
        }
    )
    fig["layout"]["yaxis"] |= {"autorange": "reversed", "type": "category"}
    integer_axis(fig, top["n_cases"].max(), axis="x")
    return fig


def matrix_figure(matrix: pl.DataFrame, event_labels: dict[str, str]) -> Figure:
    """Heatmap: cases giving each indication group (rows) with events in each group (columns).

    Columns: every group of `event_labels` in its order, zeros included (`figures.heatmap`, as
    on the Co-exposures page).
    """
    title = "Events reported, by what kratom was taken for"
    if matrix.is_empty():
        return empty_figure(title, "No case matching these filters gives an indication for kratom")
    present = set(matrix["indication_group"].to_list())
    rows = [g for g in INDICATION_LABELS if g in present] + sorted(present - set(INDICATION_LABELS))
    cols = event_group_columns(event_labels, matrix["event_group"].to_list())
    cells = {(r["indication_group"], r["event_group"]): r for r in matrix.iter_rows(named=True)}
    n_ind = dict(matrix.select("indication_group", "n_indication").unique().iter_rows())
    z = [[cells.get((r, c), {}).get("n_cases", 0) for c in cols] for r in rows]
    hover = [[share_text(n, n_ind[r]) for n in line] for line, r in zip(z, rows, strict=True)]
    fig = base_figure(title, x_title="Event group", y_title="Indication for kratom")
    fig["data"].append(
        {
            "type": "heatmap",
            "z": z,
            "x": [event_labels.get(c, c) for c in cols],
            "y": [indication_label(r) for r in rows],
            "customdata": [[[h, n_ind[r]] for h in hover[i]] for i, r in enumerate(rows)],
            "colorscale": HEAT_SCALE,
            "text": cell_text(z),
            "texttemplate": cell_template(),
            "zmin": 0,
            "colorbar": count_colorbar(z),
            "hovertemplate": "%{y} → %{x}: %{customdata[0]} of the %{customdata[1]} "
            "cases giving this indication<extra></extra>",
            "xgap": 1,
            "ygap": 1,
        }
    )
    fig["layout"]["xaxis"] |= {"type": "category", "showgrid": False} | NARROWING_LABELS
    fig["layout"]["yaxis"] |= {"type": "category", "autorange": "reversed", "showgrid": False}
    fig["layout"]["modebar"] = {"orientation": "h"}  # a vertical one would cover the colour bar
    return fig
