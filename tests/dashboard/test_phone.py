"""A phone's window (under 600 px; docs/dashboard.md, "Widths"): the filter toggle's words, the
cookie the server reads, and the figure rules for a 360 px window; counted by hand."""

from __future__ import annotations

import polars as pl

from dashboard import filter_toggle, viewport
from dashboard.app import create_app
from dashboard.figures import (
    base_figure,
    rate_per_100k,
    receipt_vs_event,
    subtitle,
    year_label_step,
)
from dashboard.figures import coexposures as co
from dashboard.figures.filling_in import FillingIn
from dashboard.figures.grid import subplot_grid
from dashboard.figures.heatmap import cell_template
from dashboard.figures.legends import fit_legend
from dashboard.figures.titles import pin_title
from dashboard.figures.window import for_phone, phone_layout
from dashboard.figures.wrapping import wrap_text
from dashboard.filters import Filters
from tests.dashboard.helpers import plotly_figure


def test_the_toggle_counts_the_panel_controls_that_are_set():
    assert filter_toggle.toggle_text("") == "Filters (none set)"
    # a list counts once however many values it holds; From and To one each; the view keys
    # (top, page) and the Poison centers geography are no panel control
    assert filter_toggle.toggle_text("sex=F&sex=M&from=2019Q1&to=2020Q4") == "Filters (3 set)"
    assert filter_toggle.toggle_text("top=50&page=2&geo=state:TX&serious=true") == (
        "Filters (1 set)"
    )
    assert filter_toggle.toggle_text("source=openfda-faers") == "Filters (1 set)"
    assert filter_toggle.toggle_text(None) == "Filters (none set)"  # a hand-made request
    assert filter_toggle.filters_set(Filters(date_field="event", kratom_only=True)) == 2


def test_the_server_reads_the_phone_cookie_before_each_request(model_db):
    server = create_app(model_db).server
    seen = []
    server.add_url_rule("/_phone_probe", "phone_probe", lambda: seen.append(for_phone()) or "")
    client = server.test_client()
    client.get("/_phone_probe")
    client.set_cookie(viewport.COOKIE, "1")
    client.get("/_phone_probe")
    client.set_cookie(viewport.COOKIE, "yes")  # any other value: a wide window
    client.get("/_phone_probe")
    assert seen == [False, True, False]


def test_figures_are_laid_out_for_a_360_px_window_on_a_phone():
    text = co.KRATOM_ONLY_MEANS + co.KRATOM_ONLY_N  # 113 characters
    assert subtitle(text)["text"].count("<br>") == 1  # 110 a line at 768 px
    with phone_layout():
        # 330 - 60 px of 12 px type: 45 characters a line, so three lines
        assert subtitle(text)["text"].count("<br>") == 2
        # 22 years upright, 20 px each, in 250 px of plot: every second year named
        assert year_label_step(22) == 2
        assert cell_template() == ""  # no count in a heatmap's cells (colour and hover)
        fig = {"data": [], "layout": {}}
        subplot_grid(fig, 1, 3, titles=["Cardiovascular"], horizontal_spacing=0.06)
        # a 73 px panel holds 12 characters: the word kept whole on its line, never cut
        assert fig["layout"]["annotations"][0]["text"] == "Cardiovascular"
    assert year_label_step(22) == 1 and cell_template() == "%{text}"
    assert not for_phone()
    # 12 characters a line: "quality and" (11) shares one, "contamination" (13) has its own
    assert wrap_text("Product quality and contamination", 73) == (
        "Product<br>quality and<br>contamination"
    )


def test_a_phone_hides_bar_text_plotly_would_shrink_and_lists_the_legend():
    frame = pl.DataFrame({"year": ["2019", "2020"], "n_cases": [40, 5], "n_kratom_only": [10, 1]})
    wide = plotly_figure(co.kratom_only_figure(frame, date_label="x")).layout
    assert wide.uniformtext.mode is None and wide.margin.t == 75 + 25 + 15  # one legend row
    with phone_layout():
        layout = plotly_figure(co.kratom_only_figure(frame, date_label="x")).layout
    assert (layout.uniformtext.minsize, layout.uniformtext.mode) == (9, "hide")
    # the two entries on lines of their own (20 px each, 10 px under them), the subtitle's
    # three lines two more than one, the title's two lines (42 characters of 16 px type in
    # 290 px) one more
    assert layout.title.text == "Share of cases naming<br>only kratom, by year"
    assert layout.legend.orientation == "v" and layout.margin.t == 75 + 50 + 30 + 21


SERIES_TITLE = "Published kratom figures beside FAERS cases, by year"  # 52 characters


def test_on_a_phone_a_long_title_wraps_and_the_top_margin_takes_its_lines():
    wide = base_figure(SERIES_TITLE)["layout"]
    assert wide["title"]["text"] == SERIES_TITLE and "margin" not in wide  # as before
    with phone_layout():
        fig = base_figure(SERIES_TITLE)
        # 330 - 40 px of 16 px type: 36 characters a line, so two, made even (24 and 27)
        assert fig["layout"]["title"]["text"] == (
            "Published kratom figures<br>beside FAERS cases, by year"
        )
        assert fig["layout"]["margin"] == {"t": 56 + 21}  # the template's, and a line
        assert base_figure("Reporting lag")["layout"]["title"]["text"] == "Reporting lag"
        # pinned on top, a title in two lines is padded down by its second (plotly draws the
        # lines after the first above the anchor: the first was cut off)
        pin_title(fig, 0.98)
        assert fig["layout"]["title"]["pad"] == {"t": 21}
    one_line = base_figure(SERIES_TITLE)
    pin_title(one_line, 0.98, pad=12)
    assert one_line["layout"]["title"]["pad"] == {"t": 12}


DATING = pl.DataFrame(
    {"period": ["2020Q1", "2020Q2", "2020Q3"], "n_received": [1, 2, 3], "n_event": [3, 2, 1]}
)
NO_EVENTS = pl.DataFrame(
    schema={"event_date": pl.Date, "date_precision": str, "label": str, "kind": str}
)


def test_a_phone_legend_is_counted_at_the_height_plotly_draws():
    filling = FillingIn(newest="2020Q3", n_quarters=2, share=0.97, last="2020Q3")
    with phone_layout():
        fig = receipt_vs_event.dating_figure(
            DATING, NO_EVENTS, show_events=False, filling_in=filling
        )
        legend_px = fit_legend(fig)
    names = [t["name"] for t in fig["data"]] + [s["name"] for s in fig["layout"]["shapes"]]
    assert names[:2] == ["Received by FDA", "Event date"] and names[2].count("<br>") == 2
    # entries of 1, 1 and 3 lines of 13 px type at 1.3 spacing, 3 px each more: 19.9, 19.9,
    # 53.7; three legend groups (the band's, and each line on its own), two 10 px gaps; 10 px
    # of padding: 123.5 (it counted 30 px a line and 10: 160, 36 px empty above the legend)
    assert legend_px == 124
    # 60 px for the title's first line, the legend, and the title's second line (40
    # characters: "Cases by quarter of" / "receipt and of event")
    assert fig["layout"]["margin"] == {"t": 60 + 124 + 21}


def test_a_phone_keeps_no_room_for_a_legend_it_does_not_draw():
    rate = pl.DataFrame({"period": ["2020Q1", "2020Q2"], "n_cases": [2, 3], "n_all": [100, 90]})
    rate = rate.with_columns(rate_per_100k=pl.lit(0.0))
    wide = rate_per_100k.rate_figure(rate, NO_EVENTS, show_events=False, date_label="x")
    assert wide["layout"]["margin"] == {"t": 60 + 2 * 25}  # two legend rows kept at 768 px
    with phone_layout():
        fig = rate_per_100k.rate_figure(rate, NO_EVENTS, show_events=False, date_label="x")
    # no entry (the marks are off): the title's two lines only, was 85 px more
    assert fig["layout"]["margin"] == {"t": 60 + 21}
