"""Poison-center page: queries over the model fixture (which holds the committed published rows),
figure builders on tiny frames, and the page's CSV download.

Expected figures were read by hand from data/poison_centers/*.csv.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import polars as pl
import pytest

from dashboard.figures import EMPTY_MESSAGE, PALETTE
from dashboard.figures import poison_center_breakdown as breakdown
from dashboard.figures import poison_center_text as words
from dashboard.figures import poison_centers as fig
from dashboard.figures.poison_center_styles import EMPTY_PUBLISHED, source_styles
from dashboard.filters import Filters
from dashboard.poison_center_geography import geography_options, search_with_geography
from dashboard.queries import poison_centers as q
from tests.dashboard.helpers import annotation_texts, dash_page, plotly_figure, text_of

DATA = Path(__file__).resolve().parents[2] / "data" / "poison_centers"
D = dt.date


@pytest.fixture(scope="module")
def page(model_db):
    """pages.poison_centers as Dash imports it, over the model fixture."""
    return dash_page(model_db, "pages.poison_centers")


def committed_rows() -> list[dict]:
    rows = []
    for path in sorted(DATA.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as f:
            rows += list(csv.DictReader(f))
    return rows


def series(df: pl.DataFrame) -> list[tuple]:
    return df.select("source_id", "period_start", "period_end", "category", "count").rows()


# Queries ---------------------------------------------------------------------------------------


def test_anwar_and_post_series_as_published(db):
    us = q.contact_series(db, Filters(), "country:US")
    anwar = us.filter(pl.col("source_id") == "anwar_2016_mmwr")
    assert series(anwar) == [
        ("anwar_2016_mmwr", D(2010, 1, 1), D(2010, 12, 31), "2010", 26),
        ("anwar_2016_mmwr", D(2010, 1, 1), D(2015, 12, 31), "all", 660),
        ("anwar_2016_mmwr", D(2015, 1, 1), D(2015, 12, 31), "2015", 263),
    ]
    assert anwar["is_calendar_year"].to_list() == [True, False, True]
    assert set(anwar["unit"]) == {"calls"}
    post = us.filter(pl.col("source_id") == "post_2019_clintox")
    # the 2016–2017 share (65.0%) has no count, and the 11 deaths are not exposures
    assert series(post) == [
        ("post_2019_clintox", D(2011, 1, 1), D(2011, 12, 31), "2011", 13),
        ("post_2019_clintox", D(2011, 1, 1), D(2017, 12, 31), "all", 1807),
        ("post_2019_clintox", D(2017, 1, 1), D(2017, 12, 31), "2017", 682),
    ]


def test_every_poison_centre_series_and_nothing_else(db):
    got = q.contact_series(db, Filters()).select("source_id", "category", "count").rows()
    # NPDS annual totals (all substances) and natural psychoactive substances are not kratom
    assert got == [
        ("anwar_2016_mmwr", "2010", 26),
        ("anwar_2016_mmwr", "all", 660),
        ("anwar_2016_mmwr", "2015", 263),
        ("eggleston_2019_pharmacotherapy", "all", 2312),
        ("missouri_dhss_2025_advisory", "all", 47),
        ("palungwachira_2022_jdar", "all", 153),
        ("post_2019_clintox", "2011", 13),
        ("post_2019_clintox", "all", 1807),
        ("post_2019_clintox", "2017", 682),
        ("reich_2022_cmajopen", "2012", 0),
        ("reich_2022_cmajopen", "all", 32),
        ("reich_2022_cmajopen", "2019", 9),
        ("texas_dshs_2025_alert", "2023", 122),
        ("texas_dshs_2025_alert", "2024", 107),
        ("texas_dshs_2025_alert", "2025 to date", 192),
        ("wapc_2025_statement", "2015", 330),
        ("wapc_2025_statement", "2018", 1400),
    ]
    texas = q.contact_series(db, Filters(), "state:TX")
    # 2025 runs to the alert of 2 Sep: a part-year, so a total over its period, not yearly
    assert texas["is_calendar_year"].to_list() == [True, True, False]


def test_deaths_with_kratom_not_the_bases_they_are_shares_of(db):
    got = q.death_series(db, Filters()).select("source_id", "count").rows()
    # not 30,845 Florida, 27,338 SUDORS or 214 Kern County decedents: those are denominators
    assert got == [
        ("florida_me_2020_2021", 551),
        ("kern_county_2020_frontiers", 4),
        ("natural_psychoactive_2019_clintox", 8),
        ("olsen_2019_mmwr", 152),
        ("post_2019_clintox", 11),
    ]


def test_geographies_and_geography_filter(db):
    assert q.geographies(db).rows() == [
        ("country", "US"),
        ("state", "British Columbia"),
        ("state", "FL"),
        ("state", "MO"),
        ("state", "TX"),
        ("region", "27 US states (SUDORS)"),
        ("region", "Georgia and Alabama"),
        ("region", "Scope not stated (appears national)"),  # WAPC: the page does not say
        ("county", "Kern County, CA"),
    ]
    committed = committed_rows()
    assert q.figures(db, Filters()).height == len(committed) == 85
    texas = q.figures(db, Filters(), "state:TX")
    assert set(texas["source_id"]) == {"texas_dshs_2025_alert"}
    assert texas.height == sum(r["geography"] == "TX" for r in committed) == 5
    region = q.figures(db, Filters(), "region:Georgia and Alabama")
    assert sorted(region["category"]) == sorted(["all", "1–5 g", ">5–15 g"])
    for bad in ("planet:Mars", "state", "", None, "all", "state:"):
        assert q.figures(db, Filters(), bad).height == 85
    assert q.figures(db, Filters(), "state:Atlantis").is_empty()


def test_years_keep_figures_whose_period_overlaps(db):
    f = Filters(date_from="2016Q1", date_to="2017Q4")
    got = q.contact_series(db, f, "country:US").select("source_id", "count").rows()
    # Anwar ends 2015, Post 2011 is out (WAPC is not US: its scope is not stated); periods
    # over 2016 stay
    assert got == [
        ("eggleston_2019_pharmacotherapy", 2312),
        ("post_2019_clintox", 1807),
        ("post_2019_clintox", 682),
    ]
    late = q.contact_series(db, Filters(date_from="2025Q1"), "state:TX")
    assert late.select("category", "count").rows() == [("2025 to date", 192)]
    early = q.contact_series(db, Filters(date_to="2010Q4"))
    assert early.select("source_id", "count").rows() == [
        ("anwar_2016_mmwr", 26),
        ("anwar_2016_mmwr", 660),
    ]
    # a figure ending 27 Aug 2025 does not overlap 2025Q4
    assert q.figures(db, Filters(date_from="2025Q4"), "state:TX").is_empty()


def test_breakdowns_exactly_as_published(db):
    effects = q.breakdown(db, Filters(), "country:US", "clinical_effects")
    post = effects.filter(pl.col("source_id") == "post_2019_clintox")
    assert post.select("population", "category", "count", "percent", "denominator").rows() == [
        ("kratom only", "any clinical effect", None, 86.1, None),
        ("kratom only", "agitation/irritability", None, 22.9, None),
        ("kratom only", "tachycardia", None, 21.4, None),
        ("kratom only", "drowsiness/lethargy", None, 14.3, None),
        ("neonates", "withdrawal", 5, None, 7),
    ]
    assert effects.filter(pl.col("source_id").str.starts_with("eggleston")).height == 11
    outcomes = q.breakdown(db, Filters(), None, "outcomes")
    assert outcomes.select("source_id", "qualifier", "count", "percent", "denominator").rows() == [
        ("missouri_dhss_2025_advisory", "at_least", 1, None, None),  # "of 3" not stated
        ("post_2019_clintox", None, None, 31.8, None),
        ("post_2019_clintox", None, None, 51.9, None),
        ("texas_dshs_2025_alert", None, 11, None, None),  # "of 19" not stated
    ]
    co = q.breakdown(db, Filters(), "county:Kern County, CA", "coexposures")
    assert co.select("category", "count", "denominator").rows() == [("fentanyl", 3, 4)]
    # odds ratios are figures but not bars
    odds = q.breakdown(db, Filters(), "country:US", "coexposures")
    assert odds.filter(pl.col("count").is_null() & pl.col("percent").is_null()).is_empty()


def test_faers_cases_by_year_by_hand(db):
    # kratom cases 900001 (received 2012Q2), 900005 (death) and 900006 (2021Q4); all serious
    assert q.faers_cases_by_year(db, Filters()).rows() == [(2012, 1, 1, 0), (2021, 2, 2, 1)]
    assert q.faers_cases_by_year(db, Filters(date_from="2013Q1")).rows() == [(2021, 2, 2, 1)]


def test_csv_download_has_citations_and_only_the_filtered_rows(db):
    text = q.figures_csv(db, Filters(date_from="2025Q1"), "state:TX")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"citation", "url", "verification", "method_note"} <= set(rows[0])
    got = sorted((r["category"], r["count"], r["denominator"]) for r in rows)
    assert got == [
        ("2025 to date", "192", ""),
        ("concentrated 7-OH product", "19", "192"),
        ("treated at a health-care facility", "11", ""),
    ]
    texas = [r for r in committed_rows() if r["source_id"] == "texas_dshs_2025_alert"]
    assert {(r["citation"], r["url"]) for r in rows} == {(texas[0]["citation"], texas[0]["url"])}
    everything = list(csv.DictReader(io.StringIO(q.figures_csv(db, Filters()))))
    assert len(everything) == 85


# Figures ---------------------------------------------------------------------------------------


def frame(rows: list[dict]) -> pl.DataFrame:
    base = {
        "citation": "Doe J, Roe R. A study. J Tox 2016.",
        "url": "https://example.org/a",
        "publisher": "J Tox",
        "geography_type": "country",
        "geography": "US",
        "unit": "calls",
        "population": "all",
        "measure": "by_year",
        "qualifier": None,
        "percent": None,
        "denominator": None,
        "method_note": None,
        "verification": "V",
    }
    return pl.DataFrame([base | r for r in rows], infer_schema_length=None)


def year_row(source: str, year: int, count: int, **extra) -> dict:
    return {
        "source_id": source,
        "period_start": D(year, 1, 1),
        "period_end": D(year, 12, 31),
        "category": str(year),
        "count": count,
        "is_calendar_year": True,
    } | extra


def total_row(source: str, first: int, last: int, count: int, **extra) -> dict:
    return {
        "source_id": source,
        "period_start": D(first, 1, 1),
        "period_end": D(last, 12, 31),
        "category": "all",
        "count": count,
        "is_calendar_year": False,
        "measure": "total",
    } | extra


def faers_frame(years: list[int], counts: list[int]) -> pl.DataFrame:
    zero = [0] * len(years)
    return pl.DataFrame({"year": years, "n_cases": counts, "n_serious": zero, "n_deaths": zero})


def test_series_figure_one_series_per_source_named_after_it():
    contacts = frame(
        [
            year_row("doe_2016_jtox", 2010, 26),
            year_row("doe_2016_jtox", 2011, 30),
            year_row("doe_2016_jtox", 2013, 263),
            total_row("doe_2016_jtox", 2010, 2015, 660),
            year_row(
                "wapc_2025",
                2018,
                1400,
                verification="V-3p",
                citation="A statement.",
                publisher="Washington Poison Center",
            ),
        ]
    )
    deaths = contacts.clear()
    figure = plotly_figure(fig.series_figure(contacts, deaths, faers_frame([2012, 2013], [3, 4])))
    groups = {t.legendgroup for t in figure.data if t.type == "scatter"}
    assert len(groups) == 2  # two published series, whatever the number of traces
    legend = [t.name for t in figure.data if t.showlegend is not False]
    assert legend == [
        "Doe et al. 2016, calls",
        "Washington Poison Center 2025, calls",
        "FAERS kratom cases (deduplicated)",
    ]
    yearly, wapc, segment, faers = figure.data  # panel by panel
    # 2010–2011 joined, 2013 not joined to them (2012 was not published)
    assert list(yearly.x) == [D(2010, 7, 1), D(2011, 7, 1), None, D(2013, 7, 1)]
    assert list(yearly.y) == [26, 30, None, 263]
    assert list(segment.x) == [D(2010, 1, 1), D(2015, 12, 31), None]
    assert list(segment.y) == [0, 0, None]  # the one lane of its panel: the count is written
    assert "not per year" in segment.text[0]
    assert list(wapc.marker.symbol) == ["diamond-open"]
    assert words.THIRD_PARTY in wapc.text[0]
    assert faers.type == "bar" and list(faers.y) == [3, 4]
    texts = [a.text for a in figure.layout.annotations]
    assert "Doe et al. 2016: 660 calls, 2010–2015" in texts
    assert "Poison centres: totals over a period (not per year)" in texts
    assert "Deaths with kratom, as published" not in texts  # no deaths: three panels
    assert figure.layout.xaxis3.title.text == "Year (the period each figure covers)"
    assert figure.layout.yaxis.title.text == "Per year"
    assert figure.layout.yaxis2.title.text == "Total in period"
    assert figure.layout.yaxis3.title.text == "FAERS cases"
    assert figure.layout.yaxis3.dtick == 1  # at most 4 cases: whole-number ticks only
    assert figure.layout.yaxis.dtick is None  # published panels keep plotly's own steps


def test_series_figure_faers_ticks_step_by_one_only_for_small_counts():
    none = frame([year_row("doe_2016_jtox", 2010, 26)]).clear()
    small = plotly_figure(fig.series_figure(none, none, faers_frame([2019, 2020], [1, 8])))
    large = plotly_figure(fig.series_figure(none, none, faers_frame([2019, 2020], [1, 9])))
    # FAERS is the second panel, under the one saying that nothing was published
    assert small.layout.yaxis2.dtick == 1
    assert large.layout.yaxis2.dtick is None


def test_series_figure_empty_state_and_panels_left_out():
    contacts = frame([year_row("doe_2016_jtox", 2010, 26)])
    empty = plotly_figure(
        fig.series_figure(contacts.clear(), contacts.clear(), faers_frame([], []))
    )
    assert annotation_texts(empty) == [EMPTY_PUBLISHED]
    assert empty.data == ()
    only_faers = plotly_figure(
        fig.series_figure(contacts.clear(), contacts.clear(), faers_frame([2020], [5]))
    )
    assert [t.type for t in only_faers.data] == ["bar"]
    assert EMPTY_PUBLISHED != EMPTY_MESSAGE  # says why: no published figure, not no case


def test_series_figure_says_when_nothing_was_published_beside_faers_cases():
    # geo=state:TX, 2018Q1–2019Q4: only the grey FAERS bars were drawn, with nothing saying
    # that no figure was published, while the page's three other charts said so
    none = frame([year_row("doe_2016_jtox", 2010, 26)]).clear()
    figure = plotly_figure(fig.series_figure(none, none, faers_frame([2018, 2019], [3, 4])))
    (faers,) = figure.data
    assert (faers.type, faers.xaxis, faers.yaxis) == ("bar", "x2", "y2")
    notes = {a.text: a for a in figure.layout.annotations}
    assert list(notes) == [
        "Poison centres and deaths, as published",
        "FAERS kratom cases by year (deduplicated)",
        EMPTY_PUBLISHED,
    ]
    message = notes[EMPTY_PUBLISHED]
    # in the middle of the upper panel, in paper units (plotly.js took "x domain" of a hidden
    # axis as data: the date axis then started in 1970)
    (low, high) = figure.layout.yaxis.domain
    assert (message.xref, message.yref, message.x) == ("paper", "paper", 0.5)
    assert message.y == pytest.approx((low + high) / 2) and low > 0.5
    assert figure.layout.yaxis.visible is False and figure.layout.xaxis.visible is False
    assert figure.layout.yaxis2.title.text == "FAERS cases"


def published_breakdown(start: dt.date) -> pl.DataFrame:
    """Two published figures of one source (595 of 660, 90.2%; 18.6% alone) and a count of
    another (5 of 7 neonates), over `start` to 2015-12-31 (not a calendar year)."""
    return frame(
        [
            {
                "source_id": "doe_2016_jtox",
                "category": "ingestion",
                "count": 595,
                "percent": 90.2,
                "denominator": 660,
            },
            {"source_id": "doe_2016_jtox", "category": "agitation", "count": None, "percent": 18.6},
            {
                "source_id": "roe_2020_tox",
                "category": "withdrawal",
                "count": 5,
                "denominator": 7,
                "population": "neonates",
                "citation": "Roe R, Doe J. Another. 2020.",
            },
        ]
    ).with_columns(
        period_start=pl.lit(start),
        period_end=pl.lit(D(2015, 12, 31)),
        is_calendar_year=pl.lit(False),
    )


def test_breakdown_figure_bars_as_published_never_computed():
    rows = published_breakdown(D(2010, 1, 1))
    figure = plotly_figure(breakdown.breakdown_figure(rows, "Clinical effects, as published"))
    assert figure.layout.title.text == "Clinical effects, as published"
    percent, count = figure.data
    assert list(percent.x) == [90.2, 18.6]  # the published percents, not 595/660
    assert list(percent.text) == ["595 of 660 (90.2%)", "18.6%"]
    assert list(count.x) == [5] and list(count.text) == ["5 of 7"]
    assert list(count.y) == ["withdrawal — neonates"]
    assert [t.name for t in figure.data] == ["Doe et al. 2016 (US)", "Roe et al. 2020 (US)"]
    titles = [a.text for a in figure.layout.annotations]
    assert titles == ["Percent, as published", "Count, as published (no percent published)"]
    # the unit in the panel titles and on the percent ticks: an x-axis title under the upper
    # panel was drawn over the lower panel's title
    assert figure.layout.xaxis.title.text is None and figure.layout.xaxis2.title.text is None
    assert list(figure.layout.xaxis.ticktext) == ["0%", "25%", "50%", "75%", "100%"]
    empty = plotly_figure(breakdown.breakdown_figure(rows.clear(), "Outcomes, as published"))
    assert annotation_texts(empty) == [EMPTY_PUBLISHED]


def test_published_text_period_text_and_labels():
    assert words.published_text({"count": 496, "percent": 75.2, "denominator": 660}) == (
        "496 of 660 (75.2%)"
    )
    assert words.published_text({"percent": 60.0, "qualifier": "about"}) == "about 60%"
    assert words.published_text({"count": 1, "denominator": 3, "qualifier": "at_least"}) == (
        "≥ 1 of 3"
    )
    odds = {"statistic": "odds_ratio", "estimate": 2.8, "ci_lower": 2.21, "ci_upper": 3.55}
    assert words.published_text(odds) == "OR 2.8 (CI 2.21–3.55)"  # level not recorded
    change = {"statistic": "percent_change", "estimate": 4948.9}
    assert words.published_text(change) == "+4948.9% change"
    assert words.period_text(D(2015, 1, 1), D(2015, 12, 31)) == "2015"
    assert words.period_text(D(2010, 1, 1), D(2015, 12, 31)) == "2010–2015"
    assert words.period_text(D(2016, 1, 1), D(2020, 6, 30)) == "Jan 2016–Jun 2020"
    assert words.period_text(D(2025, 1, 1), D(2025, 8, 27)) == "1 Jan–27 Aug 2025"
    assert words.source_label("post_2019_clintox", "Post S, Spiller HA. Kratom.", "Clin Tox") == (
        "Post et al. 2019"
    )
    assert words.source_label("reich_2022_x", "Reich et al. Kratom cases.", "CMAJ Open") == (
        "Reich et al. 2022"
    )
    texas = "Texas Department of State Health Services"
    assert words.source_label("texas_dshs_2025_alert", f"{texas}. Alert.", texas) == (
        "Texas DSHS 2025"
    )
    assert words.source_label("florida_me_2020", "[description: abstract]", "abstract") == (
        "Florida 2020"
    )


# Page ------------------------------------------------------------------------------------------


def test_page_registered_with_geography_options(page, db):
    import dash

    entry = dash.page_registry["pages.poison_centers"]
    assert (entry["path"], entry["name"], entry["order"]) == (
        "/poison-centers",
        "Poison centers",
        7,
    )
    options = geography_options(q.geographies(db))
    assert [o["label"] for o in options] == [
        "All geographies",
        "US national",
        "State or province: British Columbia",
        "State or province: Florida",
        "State or province: Missouri",
        "State or province: Texas",
        "Region: 27 US states (SUDORS)",
        "Region: Georgia and Alabama",
        "Region: Scope not stated (appears national)",
        "County: Kern County, CA",
    ]
    assert options[5]["value"] == "state:TX"


def test_page_callback_sources_under_charts_and_download(page):
    out = page.update("from=2025Q1&geo=state:TX")
    series, sources = plotly_figure(out[0]), out[1]
    names = [t.name for t in series.data if t.showlegend is not False]
    assert names == ["Texas DSHS 2025, exposures"]  # no FAERS case in 2025 in the fixture
    assert "https://pubt.io/view/CBCD82121D3A975DDF6A3F1184E1289465B8FA2B" in text_of(sources)
    # the row's "[description: ...; title not recorded in the reference notes]" in plain words
    texas = "Texas Department of State Health Services. DSHS health alert of 2 Sep 2025 (title"
    assert f"{texas} not available)" in text_of(sources)
    assert out[3] is None  # no clinical effects published for Texas: no source list
    assert "(3 rows)" in out[8]
    # the chart as tall as its panels: one lane (Texas's 2025 total), no FAERS panel
    assert out[10] == {"height": f"{fig.TOP_PX + 41 + fig.BOTTOM_PX}px"}
    assert [(r["source"], r["where"], r["checked"]) for r in out[9]] == [
        ("Texas DSHS 2025", "TX", "source")
    ] * 3
    sent = page.download(1, "from=2025Q1&geo=state%3ATX")
    assert sent["filename"] == page.CSV_NAME
    rows = list(csv.DictReader(io.StringIO(sent["content"])))
    assert len(rows) == 3 and {r["source_id"] for r in rows} == {"texas_dshs_2025_alert"}


def test_every_chart_says_when_a_geography_published_nothing_for_the_dates(page):
    # Texas published for 2023–2025 only; the fixture has FAERS cases received in 2021
    out = page.update("geo=state:TX&from=2021Q1&to=2021Q4")
    charts = [plotly_figure(out[i]) for i in (0, 2, 4, 6)]
    assert all(EMPTY_PUBLISHED in annotation_texts(c) for c in charts)
    assert [t.type for t in charts[0].data] == ["bar"]  # FAERS still drawn, under the note


def test_third_party_rows_are_shown_as_such(page):
    """V-3p rows (data/poison_centers/*.csv, by hand): Eggleston 2019's 13 (its period is V-3p)
    and WAPC's 2. The table says so, Eggleston's total is a dotted segment, WAPC's years open
    diamonds, and Eggleston's 11 clinical-effect bars are hatched."""
    out = page.update("")
    third = [r["source"] for r in out[9] if r["checked"] == "third-party"]
    assert third == ["Eggleston et al. 2019"] * 13 + ["Washington Poison Center 2025"] * 2
    traces = {t.name: t for t in plotly_figure(out[0]).data}
    eggleston = traces["Eggleston et al. 2019, exposures"]
    wapc = traces["Washington Poison Center 2025, exposures"]
    (label,) = [a for a in plotly_figure(out[0]).layout.annotations if "2,312" in a.text]
    assert label.text == "Eggleston et al. 2019: 2,312 exposures, Jan 2011–Jul 2018"
    assert eggleston.line.dash == "dot" and list(eggleston.y) == [label.y, label.y, None]
    assert words.THIRD_PARTY in eggleston.text[0]
    assert list(wapc.y) == [330, None, 1400]  # 2015 and 2018, not joined
    assert [m for m, y in zip(wapc.marker.symbol, wapc.y, strict=True) if y] == ["diamond-open"] * 2
    (effects,) = [
        t for t in plotly_figure(out[2]).data if t.name.startswith("Eggleston et al. 2019")
    ]
    assert list(effects.marker.pattern.shape) == ["/"] * 11


# The geography in the URL (key `geo`) ------------------------------------------------------------

FLORIDA = (
    "Abstract on mitragynine-positive deaths in Florida medical examiner data, 2020–2021 (title,"
)


def find(component, component_id: str):
    """The component with `component_id` in a layout tree, else None."""
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found = find(child, component_id)
            if found is not None:
                return found
    return None


def test_a_geography_link_gives_that_geography_figures(page):
    """geo=state:FL: the Florida medical-examiner figures of data/poison_centers/
    florida_me_2020_2021.csv, counted by hand: 7 rows; one series point, the 551
    mitragynine-positive deaths (the 30,845 decedents are the base it is a share of, the odds
    ratio has no count); 3 co-exposure bars (at least one opioid 437, sole substance 36,
    multiple substances 515); nothing published on clinical effects or outcomes."""
    link = {"search_raw_": "?sex=F&geo=state:FL"}  # as the router hands it to layout(**query)
    layout = page.layout(**link)
    assert find(layout, "poison-centers-geography").value == "state:FL"
    assert find(layout, "poison-centers-geography-note") is None
    assert find(layout, "poison-centers-query").data == "sex=F&geo=state:FL"

    out = page.update("sex=F&geo=state:FL")
    series = plotly_figure(out[0])
    deaths, faers = series.data
    assert (deaths.name, list(deaths.y)) == ("Florida 2020, deaths", [0, 0, None])  # one lane
    assert "Florida 2020: 551 deaths, 2020–2021" in annotation_texts(series)
    assert list(deaths.x) == [D(2020, 1, 1), D(2021, 12, 31), None]  # one segment, 2020–2021
    assert (deaths.type, faers.type) == ("scatter", "bar")
    # sex=F still applies to FAERS: the one female kratom case, 900006, received in 2021
    assert (list(faers.y), [d.year for d in faers.x]) == ([1], [2021])
    assert text_of(out[1]).startswith(f"Sources shown: {FLORIDA}")
    assert out[3] is None and out[5] is None  # no clinical effects, no outcomes published
    (bars,) = plotly_figure(out[6]).data
    assert list(bars.text) == ["36 of 551 (6.5%)", "515 of 551 (93%)", "437 of 551 (79.3%)"]
    assert "(7 rows)" in out[8]
    assert {(r["where"], r["checked"]) for r in out[9]} == {("FL", "source")}
    assert len(out[9]) == 7

    rows = list(csv.DictReader(io.StringIO(page.download(1, "geo=state:FL")["content"])))
    assert sorted(int(r["count"]) for r in rows if r["count"]) == [36, 437, 484, 515, 551, 30845]
    assert {r["source_id"] for r in rows} == {"florida_me_2020_2021"}


@pytest.mark.parametrize(
    "geography", ["state:Atlantis", "state:tx", "country:TX", "state:' OR 1=1 --"]
)
def test_a_geography_without_figures_shows_all_with_a_note(page, geography):
    f = Filters(date_from="2025Q1", geography=geography)
    layout = page.layout(**{"search_raw_": "?" + f.to_query()})
    assert find(layout, "poison-centers-geography").value == "all"
    note = find(layout, "poison-centers-geography-note")
    assert text_of(note.children[0]) == "A link parameter was ignored: "
    assert note.children[1] == (
        f"ignored 'geo={geography}': no published figures for that geography; "
        "showing all geographies"
    )
    (link,) = [c for c in note.children if getattr(c, "href", None)]
    assert link.href == "/poison-centers?from=2025Q1"  # the same link without it
    out = page.update(f.to_query())
    # every geography's figures from 2025 on: Missouri's 3 rows and Texas's 3
    assert "(6 rows)" in out[8]
    assert sorted({r["where"] for r in out[9]}) == ["MO", "TX"]
    sent = list(csv.DictReader(io.StringIO(page.download(1, f.to_query())["content"])))
    assert sorted(r["geography"] for r in sent) == ["MO"] * 3 + ["TX"] * 3


def test_choosing_a_geography_rewrites_the_link(page, db):
    def url(search, geography):
        return search_with_geography(db, search, geography)

    assert url("?sex=F&bogus=1", "state:TX") == "?sex=F&geo=state:TX"  # bad parts dropped
    assert url("?geo=state:TX&sex=F", "region:Georgia and Alabama") == (
        "?sex=F&geo=region:Georgia+and+Alabama"
    )
    assert url("?geo=state:TX&sex=F", "all") == "?sex=F"
    assert url("?geo=state:TX", "all") == ""  # an empty search, not "nothing to do"
    # what the page already shows for the link: nothing to write (Dash calls the callback with
    # the selector's first value after each drawing of the page)
    assert url("", "all") is None and url("?geo=state:TX", "state:TX") is None
    assert url("?sex=F&geo=state:Atlantis", "all") is None  # shown as all, with the note
    assert url("?sex=F&geo=state:Atlantis", "state:TX") == "?sex=F&geo=state:TX"
    # what a hand-made request may send instead of an option
    for bad in (None, 1, ["state:TX"], {"a": 1}, "planet:Mars", "' OR 1=1 --", "state:" * 20):
        assert url("?sex=F", bad) is None
    assert url(None, "state:TX") == url({"a": 1}, "state:TX") == "?geo=state:TX"


def test_totals_and_deaths_one_lane_each_labelled_above_their_line():
    # the published deaths of data/poison_centers/*.csv: 8 (2000–2017) and 11 (2011–2017) deaths
    # lay 3 of 600 apart on a count axis, one segment over the other; in lanes, each has a row
    def by(author: str) -> dict:
        return {"unit": "deaths", "citation": f"{author} A, Roe R. A study."}

    deaths = frame(
        [
            total_row("natural_2019", 2000, 2017, 8, **by("Natural")),
            total_row("post_2019", 2011, 2017, 11, **by("Post")),
            total_row("olsen_2019", 2016, 2017, 152, **by("Olsen")),
            total_row("florida_2020", 2020, 2021, 551, **by("Florida")),
            year_row("kern_2020", 2020, 4, **by("Kern")),
        ]
    )
    figure = plotly_figure(fig.series_figure(deaths.clear(), deaths, faers_frame([], [])))
    labels = [a for a in figure.layout.annotations if a.yref == "y"]
    # lanes from the earliest start down, the earlier end first
    assert [(a.text, a.y) for a in labels] == [
        ("Natural et al. 2019: 8 deaths, 2000–2017", 0),
        ("Post et al. 2019: 11 deaths, 2011–2017", 1),
        ("Olsen et al. 2019: 152 deaths, 2016–2017", 2),
        ("Kern et al. 2020: 4 deaths, 2020", 3),
        ("Florida et al. 2020: 551 deaths, 2020–2021", 4),
    ]
    # the end ticks reach 7 px above the line: labels start 8 px above it
    assert {(a.yanchor, a.yshift) for a in labels} == {("bottom", 8)}
    # the time axis runs 2000–2021: a figure in its first half starts its label, a later one
    # ends it
    assert [(a.xanchor, a.x) for a in labels] == [
        ("left", D(2000, 1, 1)),  # its middle, 2008, before the axis's, 2010
        ("right", D(2017, 12, 31)),  # 2014, after it
        ("right", D(2017, 12, 31)),
        ("right", D(2020, 7, 1)),  # a one-year figure: its point at mid-year
        ("right", D(2021, 12, 31)),
    ]
    by_name = {t.name: t for t in figure.data}
    assert list(by_name["Natural et al. 2019, deaths"].y) == [0, 0, None]
    assert list(by_name["Post et al. 2019, deaths"].y) == [1, 1, None]
    kern = by_name["Kern et al. 2020, deaths"]
    assert (kern.mode, list(kern.x), list(kern.y)) == ("markers", [D(2020, 7, 1)], [3])
    axis = figure.layout.yaxis
    assert axis.showticklabels is False  # the counts are written, not read off an axis
    assert tuple(axis.range) == (4.4, -0.75)  # lane 0 on top, room above it for its label
    assert axis.title.text == "Deaths"


def test_one_year_points_of_several_sources_spread_across_their_year():
    # Anwar's 263 calls and Washington's 330 exposures, both of 2015: one marker hid the other
    contacts = frame(
        [
            year_row("anwar_2016", 2015, 263),
            year_row("wapc_2025", 2015, 330),
            year_row("wapc_2025", 2018, 1400),
        ]
    )
    figure = plotly_figure(fig.series_figure(contacts, contacts.clear(), faers_frame([], [])))
    anwar, wapc = figure.data
    assert list(anwar.x) == [D(2015, 2, 21)]  # mid-year less 130 days
    assert list(wapc.x) == [D(2015, 11, 8), None, D(2018, 7, 1)]  # alone in 2018: mid-year
    assert list(wapc.y) == [330, None, 1400]


def test_sources_in_one_panel_get_different_colours():
    # 8 sources and 7 colours: by name alone, Anwar (first) and Palungwachira (eighth) were both
    # dark blue though drawn in one panel; here 7 share the period panel, "g" has only deaths
    spans = ["anwar", "b", "c", "d", "e", "f", "palungwachira"]
    contacts = frame([total_row(n, 2010, 2015, 100 * (i + 1)) for i, n in enumerate(spans)])
    deaths = frame([total_row("g", 2000, 2001, 3, unit="deaths")])
    figure = fig.series_figure(contacts, deaths, faers_frame([], []))
    plotly_figure(figure)
    colours: dict[str, list[str]] = {}
    for trace in figure["data"]:
        colours.setdefault(trace["yaxis"], []).append(trace["line"]["color"])
    assert [len(c) for c in colours.values()] == [7, 1]
    assert all(len(set(c)) == len(c) for c in colours.values())
    # "g" shares a colour with a source it is never drawn beside, with its own dash and symbol
    styles = source_styles([*spans, "g"], together=[spans, ["g"]])
    (twin,) = [s for s in spans if styles[s][0] == styles["g"][0]]
    assert styles[twin][1:] != styles["g"][1:]
    # without panels (the breakdown charts), colours in name order as before
    assert [source_styles(spans)[s][0] for s in spans] == PALETTE[:7]


# Filters beside the published figures ------------------------------------------------------------


def test_filters_are_named_beside_the_faers_bars_and_leave_the_published_alone(page):
    """sex=F&geo=state:FL: Florida's 551 deaths as published, the FAERS bar the one female kratom
    case (900006, 2021). The caption named no filter ("deduplicated cases naming kratom") and the
    page said only that the dates apply to the published figures."""
    filtered = text_of(page.layout(**{"search_raw_": "?sex=F&geo=state:FL"}))
    assert "no other filter touches a published figure" in filtered
    assert "FAERS: deduplicated cases naming kratom" not in filtered
    assert (
        "FAERS: only the deduplicated cases the filters select, per calendar year of the chosen "
        "date (the latest year may be incomplete): Kratom cases (kratom in any role), all "
        "dates, female, from FAERS quarterly files. The filters other than the dates do not "
        "touch the published figures"
    ) in filtered
    series = plotly_figure(page.update("sex=F&geo=state:FL")[0])
    _deaths, faers = series.data
    assert "Florida 2020: 551 deaths, 2020–2021" in annotation_texts(series)  # unfiltered
    assert list(faers.y) == [1]  # filtered
    assert faers.name == "FAERS kratom cases matching the filters"
    titles = [t.replace("<br>", " ") for t in annotation_texts(series)]
    assert fig.FAERS_FILTERED_TITLE in titles and fig.FAERS_TITLE not in titles

    # the geography selects published figures, not cases: no FAERS filter named
    plain = text_of(page.layout(**{"search_raw_": "?geo=state:FL"}))
    assert page.SERIES_NOTE in plain and "the filters select" not in plain
    unfiltered = plotly_figure(page.update("geo=state:FL")[0])
    assert unfiltered.data[1].name == "FAERS kratom cases (deduplicated)"
    assert fig.FAERS_TITLE in [t.replace("<br>", " ") for t in annotation_texts(unfiltered)]
    # a date range alone filters the FAERS bars too, and is named
    dated = page.series_note(Filters(date_from="2021Q1"))
    assert "select, per calendar year" in dated and "received 2021Q1 or later" in dated


# Citations and groups in plain words ------------------------------------------------------------


def test_citations_and_groups_read_as_deliberate_not_unfinished():
    """The committed rows keep the data-entry convention (docs/poison-centers.md); the page
    showed it verbatim: "[description: … title not recorded in the reference notes] (no link
    recorded)" and "(group not stated in the checked notes)"."""
    reich = (
        "Reich et al. [description: kratom cases, British Columbia, 2012–2019; title not "
        "recorded in the reference notes]. CMAJ Open 2022."
    )
    assert words.citation_text(reich) == (
        "Reich et al. Kratom cases, British Columbia, 2012–2019 (title not available). "
        "CMAJ Open 2022."
    )
    kern = (
        "[description: Frontiers in Psychiatry commentary giving the Kern County, CA, 2020 "
        "figures; title and authors not recorded in the reference notes]"
    )
    assert words.citation_text(kern) == (
        "Frontiers in Psychiatry commentary giving the Kern County, CA, 2020 figures (title and "
        "authors not available)"
    )
    npds = (
        "[description: NPDS annual report for 2021, the 39th; abstract; title not recorded in "
        "the reference notes]"
    )  # only the last part says what is missing
    assert (
        words.citation_text(npds)
        == "NPDS annual report for 2021, the 39th; abstract (title not available)"
    )
    assert words.citation_text("[description: abstract]") == "Abstract"
    whole = "Post S, Spiller HA. Kratom exposures [US]. Clin Toxicol 2019."
    assert words.citation_text(whole) == whole  # a citation with a title is left alone
    assert words.population_text("kratom decedents (group not stated in the checked notes)") == (
        "kratom decedents (subgroup not stated)"
    )
    assert words.population_text("kratom only") == "kratom only"


def test_the_page_shows_no_data_entry_wording(page):
    """Every committed source (no filter): none of the entry notes reach the page, the data rows
    keep them (the CSV download is the rows as entered). By hand from data/poison_centers/:
    Kern County (no url) is one of the sources without a link."""
    out = page.update("")
    labels = [y for i in (2, 4, 6) for trace in plotly_figure(out[i]).data for y in trace.y]
    parts = [text_of(out[i]) for i in (1, 3, 5, 7)] + [r["counted"] for r in out[9]] + labels
    shown = " ".join(" ".join(parts).split())
    for entry_wording in ("[description:", "not recorded", "no link recorded", "checked notes"):
        assert entry_wording not in shown
    assert (
        "Frontiers in Psychiatry commentary giving the Kern County, CA, 2020 figures on "
        "mitragynine in accidental opioid overdose deaths (title and authors not available) — "
        "no link available"
    ) in shown
    assert "exposures (kratom/7-OH reports (subgroup not stated))" in shown
    # Olsen's circumstance bars: "… — kratom decedents (subgroup not stated)", in lines
    assert sum("subgroup not stated" in y.replace("<br>", " ") for y in labels) == 2
    sent = page.download(1, "")["content"]
    assert "title not recorded in the reference notes" in sent  # the rows as entered
