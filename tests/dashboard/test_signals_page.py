"""The signals page over the hand-counted model fixture: 2×2 tables recomputed for filters.

tests/fixtures/model/README.md. Any role: kratom 900001 (2012, sex U, 18-64: Drug dependence,
Withdrawal syndrome), 900005 (2021, M, 12-17: Death, Toxicity to various agents), 900006 (2021,
F, 0-27d: Somnolence; kratom concomitant); others 900002 (2012, F), 900004 (2013, F), 900007
(2013, M), all 18-64, none with a kratom term. Suspect: kratom 900001 and 900005 only.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboard import signals_table
from dashboard.figures import signals as fig
from dashboard.filters import Filters
from dashboard.queries import signals as q
from etl.signals import two_by_two
from tests.dashboard.helpers import annotation_texts, dash_page, plotly_figure, text_of

TERMS = ["Death", "Drug dependence", "Somnolence", "Toxicity to various agents"]
TERMS += ["Withdrawal syndrome"]


@pytest.fixture(scope="module")
def page(model_db):
    """pages.signals as Dash imports it, over the model fixture."""
    return dash_page(model_db, "pages.signals")


def table(db, level="pt", **filters) -> list[tuple]:
    return q.counts(db, Filters(**filters), level).rows()


def test_default_filters_any_role_by_hand(db):
    # every kratom term: a = 1 of 3 kratom cases, c = 0 of 3 other cases
    want = sorted((t, 1, 2, 0, 3) for t in TERMS)
    assert [(t, a, b, c, d) for t, _, a, b, c, d in table(db)] == want


def test_suspect_and_primary_use_the_suspect_tables(db):
    want = [
        ("Death", "death", 1, 1, 0, 4),
        ("Drug dependence", "dependence_withdrawal", 1, 1, 0, 4),
        ("Toxicity to various agents", "overdose_toxicity", 1, 1, 0, 4),
        ("Withdrawal syndrome", "dependence_withdrawal", 1, 1, 0, 4),
    ]  # 900006 (kratom concomitant) becomes a comparator; Somnolence has no suspect case
    assert table(db, role="suspect") == want
    assert table(db, role="primary") == want


def test_date_range_is_widened_to_years_of_receipt(db):
    # 2013Q2–2021Q4 → 2013–2021: kratom 900005, 900006; others 900004, 900007
    got = table(db, date_from="2013Q2", date_to="2021Q4")
    assert got == [
        ("Death", "death", 1, 1, 0, 2),
        ("Somnolence", "cognitive_neurological", 1, 1, 0, 2),
        ("Toxicity to various agents", "overdose_toxicity", 1, 1, 0, 2),
    ]
    assert table(db, date_to="2012Q4") == [
        ("Drug dependence", "dependence_withdrawal", 1, 0, 0, 1),
        ("Withdrawal syndrome", "dependence_withdrawal", 1, 0, 0, 1),
    ]


def test_sex_and_age_band_strata(db):
    assert table(db, sexes=("M",)) == [
        ("Death", "death", 1, 0, 0, 1),  # kratom 900005; other 900007
        ("Toxicity to various agents", "overdose_toxicity", 1, 0, 0, 1),
    ]
    assert table(db, sexes=("F", "U"), age_bands=("18-64",)) == [
        ("Drug dependence", "dependence_withdrawal", 1, 0, 0, 2),  # 900001 vs 900002, 900004
        ("Withdrawal syndrome", "dependence_withdrawal", 1, 0, 0, 2),
    ]
    assert table(db, sexes=("F",), age_bands=("18-64",)) == []


def test_event_group_level_counts_cases_once(db):
    assert table(db, "event_group") == [
        ("cognitive_neurological", "cognitive_neurological", 1, 2, 0, 3),
        ("death", "death", 1, 2, 0, 3),
        ("dependence_withdrawal", "dependence_withdrawal", 1, 2, 0, 3),
        ("overdose_toxicity", "overdose_toxicity", 1, 2, 0, 3),
    ]


def test_term_filters_pick_rows_without_changing_counts(db):
    assert table(db, event_groups=("death", "seizure")) == [("Death", "death", 1, 2, 0, 3)]
    assert table(db, pts=("SOMNOLENCE",)) == [("Somnolence", "cognitive_neurological", 1, 2, 0, 3)]
    assert table(db, "event_group", pts=("Death",))[0][2:] == (1, 2, 0, 3)  # pts: pt level only


@pytest.mark.parametrize(
    "abcd",
    [
        (1, 2, 0, 3),  # the fixture's Death: c = 0
        (1, 0, 0, 1),
        (0, 5, 4, 100),
        (12, 300, 450, 90_000),
        (3, 10, 2, 50),
        (5, 5, 5, 5),
        (0, 0, 0, 0),
    ],
)
def test_dashboard_statistics_equal_etl_signals(abcd):
    df = pl.DataFrame([abcd], schema=dict.fromkeys("abcd", pl.Int64), orient="row")
    got = q.add_screens(q.add_statistics(df).with_columns(eb05=pl.lit(None, pl.Float64)))
    row = got.row(0, named=True)
    want = two_by_two(*abcd)
    keys = ("expected", "ror", "ror_lower", "ror_upper", "prr", "chi2_yates", "ic", "ic025")
    for key in keys:
        assert row[key] == (None if want[key] is None else pytest.approx(want[key])), key
    for screen in ("ror", "prr", "ic"):
        assert row[f"passes_{screen}"] == want["passes_screens"][screen], screen


def test_dashboard_statistics_equal_etl_signals_on_the_fixture(db):
    got = q.add_statistics(q.counts(db, Filters(), "pt"))
    for row in got.iter_rows(named=True):
        want = two_by_two(row["a"], row["b"], row["c"], row["d"])
        assert row["ror"] is None and want["ror"] is None  # c = 0
        assert row["ic025"] == pytest.approx(want["ic025"])
        assert row["chi2_yates"] == pytest.approx(want["chi2_yates"])


def test_signal_table_has_no_ebgm_and_no_screen_on_the_fixture(db):
    got = q.signal_table(db, Filters(), "pt")
    assert got["term"].to_list() == TERMS
    assert got["eb05"].null_count() == got.height
    assert got["screens"].to_list() == [""] * got.height
    assert got["first_year"].null_count() == got.height


def test_prior_fit_is_reported_not_converged(db):
    fit = q.prior_fit(db, "pt")
    assert fit["converged"] is False
    assert fit["n_pairs"] == 10
    assert fit["message"]


def test_strata_and_ignored_filters():
    assert q.Strata.of(Filters()).is_unfiltered
    strata = q.Strata.of(Filters(role="primary", date_from="2019Q3", sexes=("F",)))
    assert (strata.variant, strata.first_year, strata.last_year) == ("suspect", 2019, None)
    assert not strata.is_unfiltered
    assert strata.where() == ("variant = ? AND year >= ? AND sex IN (?)", ["suspect", 2019, "F"])
    f = Filters(serious_only=True, countries=("US",), date_field="event", sexes=("M",))
    assert q.ignored_filters(f) == ["count by event date", "serious only", "country"]


def test_cumulative_history_of_a_term(db):
    got = q.cumulative(db, "any", "pt", "Drug dependence")
    assert got.select("year", "a", "b", "c", "d").rows() == [
        (2012, 1, 0, 0, 1),
        (2013, 1, 0, 0, 3),
        (2021, 1, 2, 0, 3),
    ]


def test_page_says_the_prior_did_not_converge(db):
    text = text_of(signals_table.notes(Filters(), "pt", q.prior_fit(db, "pt")))
    assert "EBGM is not available: the prior fit on 10 background pairs did not converge" in text
    filtered = text_of(signals_table.notes(Filters(sexes=("M",)), "pt", q.prior_fit(db, "pt")))
    assert "EBGM is not available for these filters" in filtered


def test_page_callback_fills_grid_and_plots(page):
    rows, forest, notes, selected, _ = page.update("role=suspect")
    assert selected == []  # no `term` in the link: no row selected, the history is the first's
    forest = plotly_figure(forest)
    assert "Kratom as a suspect (PS or SS) against every other case." in text_of(notes)
    assert [r["term"] for r in rows] == TERMS[:2] + TERMS[3:]
    assert rows[0]["group"] == "Death" and rows[0]["ror_ci"] == "–"
    assert annotation_texts(forest) == [fig.NO_ROR]
    history = plotly_figure(page.history("", rows))
    assert history.layout.title.text == "Cumulative ROR by year: Death"


def test_event_group_level_names_groups_by_their_labels(page):
    # the table's rows keep the group codes (the link's `term`); the charts name the groups
    rows, *_ = page.update("level=event_group")
    assert [r["term"] for r in rows][:2] == ["cognitive_neurological", "death"]
    history = plotly_figure(page.history("level=event_group", rows))
    assert history.layout.title.text == "Cumulative ROR by year: Cognitive and neurological"
    forest = plotly_figure(
        fig.forest_figure(frame(), "a", "Event group", {"X": "Label of X", "Z": "Label of Z"})
    )
    assert set(forest.data[0].y) <= {"Label of X", "Y", "Label of Z"}
    assert "Label of X" in forest.data[0].y


def frame(**columns) -> pl.DataFrame:
    base = {
        "term": ["X", "Y", "Z"],
        "a": [10, 3, 40],
        "b": [90, 97, 60],
        "c": [100, 5, 0],
        "d": [9800, 9895, 9900],
    }
    return q.add_statistics(pl.DataFrame(base | columns))


def test_forest_figure_orders_and_drops_undefined_rors():
    df = frame()  # Z has c = 0: no ROR
    by_cases = plotly_figure(fig.forest_figure(df, "a", "Preferred term"))
    assert isinstance(by_cases.data[0], go.Scatter)
    assert list(by_cases.data[0].y) == ["X", "Y"]
    assert by_cases.layout.xaxis.type == "log"
    assert by_cases.layout.xaxis.title.text.startswith("Reporting odds ratio")
    # ROR lower bounds: X 10.9·e^(−1.96·0.348) ≈ 5.5, Y 61.2·e^(−1.96·0.737) ≈ 14.4
    assert fig.forest_rows(df, "ror_lower")["term"].to_list() == ["Y", "X"]
    assert "10 (10.0%)" in by_cases.data[0].customdata[0][0]


def test_forest_and_history_empty_states():
    empty = plotly_figure(fig.forest_figure(frame().head(0), "a", "Event group"))
    assert annotation_texts(empty) == [fig.NO_CASES]
    assert empty.layout.title.text == "Reporting odds ratio by event group, top 30 by most cases"
    history = plotly_figure(fig.cumulative_figure(pl.DataFrame(), None))
    assert history.layout.annotations[0].text.startswith("Select a term")


def test_history_says_the_newest_year_counts_up_to_the_newest_file():
    history = pl.DataFrame(
        {
            "year": [2020, 2021],
            "a": [3, 5],
            "c": [10, 12],
            "ror": [2.0, 2.5],
            "ror_lower": [1.0, 1.5],
            "ror_upper": [4.0, 4.2],
            "passes_ror_screen": [False, True],
            "passes_prr_screen": [False, False],
            "passes_ic_screen": [False, False],
        }
    )
    part = plotly_figure(fig.cumulative_figure(history, "X", latest_quarter="2021Q2"))
    assert part.layout.xaxis.title.text == (
        "Year (cases received up to its end; 2021: up to 2021Q2, the newest file)"
    )
    assert [c[3] for c in part.data[0].customdata] == ["2020", "2021Q2"]  # "Up to 2021Q2: …"
    assert part.data[0].hovertemplate.startswith("Up to %{customdata[3]}: ROR")
    whole = plotly_figure(fig.cumulative_figure(history, "X", latest_quarter="2021Q4"))
    assert whole.layout.xaxis.title.text == "Year (cases received up to its end)"
    assert [c[3] for c in whole.data[0].customdata] == ["2020", "2021"]


def test_grid_puts_the_screens_and_their_statistics_after_the_term():
    fields = [c["field"] for c in signals_table.COLUMNS]
    assert fields[:6] == ["term", "screens", "eb05", "ic025", "ror", "ror_ci"]
    assert len(set(fields)) == 13  # the counts and other statistics follow, scrolled to
    decision = signals_table.COLUMNS[:6]
    assert sum(c["width"] for c in decision) <= 930  # the grid's width in a 1280 px window
    ci = signals_table.COLUMNS[5]
    # "109.31–131.91": 13 characters at about 7.5 px, with 34 px of padding; wider ones wrap
    assert ci["width"] >= 7.5 * 13 + 34 and ci["wrapText"] and ci["autoHeight"]
