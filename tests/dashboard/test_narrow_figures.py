"""Figure rules for the narrowest chart the layout gives, a full-width card in a 768 px window
(docs/dashboard.md, "Widths"): 600 px of plot, 660 px of subtitle line; counted by hand."""

from __future__ import annotations

import polars as pl

from dashboard.figures import coexposures as co
from dashboard.figures import group_shares as gs
from dashboard.figures import indications as ind
from dashboard.figures import onset, quarter_range, subtitle, subtitle_margin, year_label_step
from dashboard.figures import overview as ov
from dashboard.figures import product_years as products
from dashboard.figures.grid import subplot_grid
from dashboard.figures.wrapping import wrap_text
from dashboard.queries import onset as onset_q
from tests.dashboard.helpers import plotly_figure

NO_EVENTS = pl.DataFrame(
    schema={
        "event_date": pl.Date,
        "date_precision": pl.Utf8,
        "label": pl.Utf8,
        "kind": pl.Utf8,
        "status": pl.Utf8,
    }
)


def trend(first: str, last: str):
    df = pl.DataFrame(
        {"period": [first, last], "n_cases": [1, 2], "n_serious": [0, 1], "n_deaths": [0, 0]}
    )
    return plotly_figure(ov.trend_figure(df, NO_EVENTS, show_events=False, date_label="x"))


def test_year_label_step_fits_upright_labels_to_600_px():
    # 20 px an upright label: 30 labels take 600 px, 31 take 620; 60 take 1,200 (2 a label)
    assert [year_label_step(n) for n in (1, 30, 31, 60, 61)] == [1, 1, 2, 2, 3]
    assert year_label_step(61, plot_px=1220) == 1


def test_a_quarter_axis_names_every_year_level_or_upright_as_they_fit():
    # 2004Q3-2026Q2: Q1 of 2005 to 2026, 22 years (440 px upright): every year named
    axis = trend("2004Q3", "2026Q2").layout.xaxis
    years = [str(y) for y in range(2005, 2027)]
    assert list(axis.tickvals) == [f"{y}Q1" for y in years]  # a tick and grid line each year
    assert list(axis.ticktext) == years
    # no fixed angle (held level, the labels ran together at 768 px): level while they fit
    assert axis.tickangle is None and list(axis.autotickangles) == [0, -90]
    # 1987Q3-2026Q2: 39 years, 780 px even upright: every other year named, every year a tick
    longer = trend("1987Q3", "2026Q2").layout.xaxis
    assert len(longer.tickvals) == 39
    assert [t for t in longer.ticktext if t] == [str(y) for y in range(1988, 2027, 2)]
    short = trend("2019Q1", "2022Q4").layout.xaxis  # 16 quarters: plotly's own labels
    assert short.tickvals is None and len(quarter_range("2019Q1", "2022Q4")) == 16


def test_text_wraps_to_the_width_it_is_given():
    # 176 px of 12 px type at half an em a character: 29 characters a line
    assert wrap_text("Product quality and contamination", 176) == (
        "Product quality<br>and contamination"
    )
    assert wrap_text("Dependence and withdrawal", 176) == "Dependence and withdrawal"


def test_a_subtitle_takes_the_lines_the_narrowest_chart_needs():
    short = subtitle(co.PAIRS_MEANS)
    assert short["text"] == co.PAIRS_MEANS and subtitle_margin(short) == 0
    text = co.KRATOM_ONLY_MEANS + co.KRATOM_ONLY_N  # 113 characters; 110 fit 660 px
    long = subtitle(text)
    lines = long["text"].split("<br>")
    assert len(text) == 113 and len(lines) == 2 and " ".join(lines) == text
    assert max(len(line) for line in lines) <= 110
    assert subtitle_margin(long) == 15


def test_panel_titles_wrap_to_their_panel():
    # three columns 0.06 apart: each (1 - 0.12) / 3 = 0.2933 of 600 px = 176 px, 29 characters
    fig = {"data": [], "layout": {}}
    titles = [
        "Dependence and withdrawal",
        "Overdose and toxicity",
        "Product quality and contamination",
    ]
    subplot_grid(fig, 1, 3, titles=titles, horizontal_spacing=0.06)
    assert [a["text"] for a in fig["layout"]["annotations"]] == [
        "Dependence and withdrawal",
        "Overdose and toxicity",
        "Product quality<br>and contamination",
    ]
    wide = {"data": [], "layout": {}}
    subplot_grid(wide, 1, 3, titles=titles, horizontal_spacing=0.06, plot_px=1200)
    assert [a["text"] for a in wide["layout"]["annotations"]] == titles


def test_heatmap_labels_slant_while_they_fit_then_stand_upright():
    cells = pl.DataFrame(
        {
            "substance_class": ["opioids"],
            "event_group": ["death"],
            "n_cases": [1],
            "n_class_cases": [1],
        }
    )
    matrix = pl.DataFrame(
        {
            "indication_group": ["pain"],
            "event_group": ["death"],
            "n_cases": [1],
            "n_indication": [1],
        }
    )
    for figure in (
        co.class_group_heatmap(cells, n_total=1, group_labels={"death": "Death"}),
        ind.matrix_figure(matrix, {"death": "Death"}),
    ):
        axis = plotly_figure(figure).layout.xaxis
        assert axis.tickangle is None  # plotly's "auto": the first angle that does not overlap
        assert list(axis.autotickangles) == [-30, -90]


def test_the_product_chart_keeps_its_legend_under_its_title():
    frame = pl.DataFrame({"year": [2019], "product_type": ["extract"], "n_cases": [3]})
    layout = plotly_figure(products.product_year_figure(frame, labels={}, date_label="")).layout
    assert (layout.title.yref, layout.title.y, layout.title.yanchor) == ("container", 0.98, "top")
    assert (layout.legend.y, layout.legend.yanchor) == (1.02, "bottom")
    assert layout.margin.t == 90  # the title, then up to two rows of legend


def test_the_onset_chart_wraps_its_subtitle_and_axis_title():
    frame = pl.DataFrame(
        {
            "category": [*onset_q.ONSET_BINS, *onset_q.NOT_COUNTED],
            "counted": [True] * 6 + [False] * 4,
            "n_cases": [2, 2, 4, 0, 0, 0, 6, 1, 4, 1],
        }
    )
    layout = plotly_figure(onset.onset_figure(frame)).layout
    lines = layout.title.subtitle.text.split("<br>")
    assert " ".join(lines) == (
        "8 (40.0%) of 20 kratom cases give a kratom start and an event date both to the day, "
        "the start on or before the event"
    )
    assert len(lines) == 2 and layout.margin.t == 96 + 15
    assert layout.title.yref == "container"  # the subtitle's lines above the first panel
    assert layout.yaxis.title.text == "Days from kratom<br>start to event"


def test_a_word_is_never_cut_to_even_the_lines():
    # "Psychiatric and mood" in lines of 18: two lines; the even width, 10, would cut
    # "Psychiatric" (11 characters) in two, so the lines are as even as whole words allow
    assert wrap_text("Psychiatric and mood", 117, 13) == "Psychiatric<br>and mood"


def test_the_comparison_fits_its_legend_and_row_names_to_the_narrowest_chart():
    # a legend above the plot gets the plot's width: 540 px in the narrowest chart; an item
    # is 46 px and 6.5 px a character: 33 characters take 260.5 px, two columns a row
    age = ["0–27 days (n=26)", "12–17 years (n=78)", "18–64 years (n=1,722)"]
    age += ["65–74 years (n=10)", "75–84 years (n=4, share unstable)", "Age not known (n=255)"]
    assert gs.legend_rows(age) == 3
    assert gs.legend_rows(["With an opioid (n=952)", "Without an opioid (n=1,143)"]) == 1
    df = pl.DataFrame(
        {
            "category": ["F", "M"],
            "n_cases": [12, 3],
            "event_group": ["product_quality", "product_quality"],
            "n_group_cases": [1, 0],
        }
    )
    figure = plotly_figure(
        gs.group_shares_figure(
            df,
            split="sex",
            labels={"F": "Female", "M": "Male"},
            group_labels={"product_quality": "Product quality and contamination"},
        )
    )
    # row names in lines of 18 characters at most, so the plot keeps its width
    assert list(figure.layout.yaxis.categoryarray) == ["Product quality<br>and contamination"]
    # title 70 px, one subtitle line, one legend row: 92 px above the plot
    assert figure.layout.margin.t == 92
    assert figure.layout.legend.yanchor == "bottom" and figure.layout.title.yref == "container"
    assert figure.layout.height == 92 + 42 + 70  # one row of two points: 42 px, a two-line name
