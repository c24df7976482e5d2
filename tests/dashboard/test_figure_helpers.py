"""Figure helpers: the house template travels with every figure; subplot grids as layout
dicts (domains, shared axes and panel titles, counted by hand)."""

from __future__ import annotations

import pytest

from dashboard.figures import PALETTE, base_figure, empty_figure, integer_axis
from dashboard.figures.grid import subplot_grid
from tests.dashboard.helpers import annotation_texts, plotly_figure


def test_figures_carry_the_template_itself():
    # plotly.js does not know a template registered in Python by name: the dict must travel
    for fig in (base_figure("T", x_title="X (unit)"), empty_figure("T")):
        layout = plotly_figure(fig).layout
        assert list(layout.template.layout.colorway) == PALETTE
        assert layout.template.layout.title.x == 0
    assert annotation_texts(plotly_figure(empty_figure("T"))) == ["No cases match these filters"]


def test_empty_figure_sentence_wraps_to_fit_a_narrow_card():
    # a quarter-width card (Sex, Age band on the overview) cut a one-line sentence off
    (note,) = plotly_figure(empty_figure("Sex")).layout.annotations
    assert note.text == "No cases match<br>these filters"  # even lines, 22 characters at most
    long = "No term has a finite ROR for these filters (a cell of its 2×2 table is zero)"
    lines = plotly_figure(empty_figure("T", long)).layout.annotations[0].text.split("<br>")
    assert lines == [
        "No term has a finite",
        "ROR for these filters",
        "(a cell of its 2×2",
        "table is zero)",
    ]
    assert plotly_figure(empty_figure("T", "Nothing")).layout.annotations[0].text == "Nothing"


def test_integer_axis_small_and_large_counts():
    small, large = base_figure("T"), base_figure("T")
    integer_axis(small, 8)
    integer_axis(large, 9, axis="x")
    assert small["layout"]["yaxis"] == {"title": {"text": ""}, "tickformat": ",d", "dtick": 1}
    assert large["layout"]["xaxis"] == {"title": {"text": ""}, "tickformat": ",d"}


def empty() -> dict:
    fig = base_figure("T")
    del fig["layout"]["xaxis"], fig["layout"]["yaxis"]
    return fig


def test_two_rows_share_the_lower_x_axis():
    fig = empty()
    refs = subplot_grid(fig, 2, share_x="columns", vertical_spacing=0.08)
    layout = plotly_figure(fig).layout  # valid for plotly
    assert refs == [("x", "y"), ("x2", "y2")]
    # (1 - 0.08) / 2 = 0.46 per row; row 1 on top
    assert layout.yaxis.domain == pytest.approx((0.54, 1.0))
    assert layout.yaxis2.domain == pytest.approx((0.0, 0.46))
    assert layout.xaxis.matches == "x2" and layout.xaxis.showticklabels is False
    assert layout.xaxis2.matches is None and layout.xaxis2.showticklabels is None
    assert (layout.xaxis.anchor, layout.yaxis2.anchor) == ("y", "x2")


def test_partial_last_row_keeps_tick_labels_above_the_gap():
    fig = empty()
    refs = subplot_grid(
        fig,
        2,
        3,
        n_panels=5,
        titles=["a", "b", "c", "d", "e"],
        vertical_spacing=0.2,
        horizontal_spacing=0.1,
        share_x="all",
        share_y="all",
    )
    layout = fig["layout"]
    assert len(refs) == 5 and "xaxis6" not in layout  # no axes for the empty cell
    # width (1 - 2 * 0.1) / 3 = 0.2667; panel 5 is row 2, column 2
    assert layout["xaxis5"]["domain"] == pytest.approx([0.3667, 0.6333], abs=1e-4)
    assert layout["yaxis5"]["domain"] == pytest.approx([0.0, 0.4])
    # x: every panel matches the lowest-left one (panel 4); labels only where nothing is below
    assert [layout[f"xaxis{n}"].get("matches") for n in (2, 3, 4, 5)] == ["x4", "x4", None, "x4"]
    assert layout["xaxis"].get("matches") == "x4"
    assert [layout[f"xaxis{n}"].get("showticklabels") for n in ("", 2, 3, 4, 5)] == [
        False,
        False,
        None,  # column 3 has no panel in row 2
        None,
        None,
    ]
    # y: one scale; labels in the first column only
    assert [layout[f"yaxis{n}"].get("showticklabels") for n in ("", 2, 3, 4, 5)] == [
        None,
        False,
        False,
        None,
        False,
    ]
    titles = [(a["text"], round(a["x"], 4), a["y"]) for a in layout["annotations"]]
    assert titles[2] == ("c", 0.8667, 1.0) and titles[3] == ("d", 0.1333, 0.4)
    plotly_figure(fig)


def test_row_heights_split_the_height_left_by_the_spacing():
    fig = empty()
    subplot_grid(fig, 2, row_heights=[3, 1], vertical_spacing=0.2)
    # 0.8 left: 0.6 and 0.2
    assert fig["layout"]["yaxis"]["domain"] == pytest.approx([0.4, 1.0])
    assert fig["layout"]["yaxis2"]["domain"] == pytest.approx([0.0, 0.2])
    assert "matches" not in fig["layout"]["xaxis"]
