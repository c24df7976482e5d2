"""Time to onset on the Indications page: the query over a tiny quarter built by the real
pipeline, the figure on small frames, and the page's callback.

Hand counts: tests/fixtures/onset/README.md. 11 kratom cases: counted 5 (same day 800001,
1–7 days 800002, 31–90 days 800003, 91–365 days 800009, over 1 year 800010), not counted 6 (no
kratom start date 800007, no event date 800012, a date not to the day 800004, 800006, 800008,
kratom started after the event 800005).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboard.db import Database
from dashboard.figures import EMPTY_MESSAGE
from dashboard.figures import onset as fig
from dashboard.filters import Filters
from dashboard.queries import onset as q
from tests.dashboard.helpers import annotation_texts, dash_page, plotly_figure, text_of


@pytest.fixture(scope="module")
def onset(onset_db: Path) -> Database:
    return Database(onset_db)


def counts(db: Database, **filters) -> dict[str, int]:
    return dict(q.time_to_onset(db, Filters(**filters)).select("category", "n_cases").rows())


# --- the query ---


def test_every_filtered_kratom_case_is_binned_or_has_a_reason(onset):
    frame = q.time_to_onset(onset, Filters())
    assert frame["category"].to_list() == [*q.ONSET_BINS, *q.NOT_COUNTED]
    assert frame["counted"].to_list() == [True] * 6 + [False] * 4
    assert counts(onset) == {
        "same_day": 1,  # 800001
        "1_7_days": 1,  # 800002: its earlier kratom start (3 days), not ALCOHOL's (102 days)
        "8_30_days": 0,
        "31_90_days": 1,  # 800003: 40 days
        "91_365_days": 1,  # 800009: 365 days
        "over_1_year": 1,  # 800010: 366 days
        "no_start_date": 1,  # 800007: a THER row with an end date only
        "no_event_date": 1,  # 800012
        "not_to_the_day": 3,  # 800004 (padded month start), 800006 (year), 800008 (event month)
        "start_after_event": 1,  # 800005
    }


def test_filters_apply_and_population_all_still_counts_kratom_cases(onset):
    assert counts(onset, sexes=("F",)) == {
        "same_day": 1,  # 800001
        "1_7_days": 0,
        "8_30_days": 0,
        "31_90_days": 1,  # 800003
        "91_365_days": 1,  # 800009
        "over_1_year": 0,
        "no_start_date": 1,  # 800007
        "no_event_date": 0,
        "not_to_the_day": 0,
        "start_after_event": 1,  # 800005
    }
    assert counts(onset, population="all") == counts(onset)
    assert counts(onset, duplicates="hide") == counts(onset)  # no probable duplicate here
    assert set(counts(onset, sources=("openfda-faers",)).values()) == {0}


def test_a_file_built_before_the_precision_gives_no_rows(onset_db, tmp_path):
    old = Path(shutil.copyfile(onset_db, tmp_path / "old.duckdb"))
    con = duckdb.connect(str(old))
    con.execute("ALTER TABLE model.case_therapies DROP COLUMN start_date_precision")
    con.close()
    frame = q.time_to_onset(Database(old), Filters())
    assert frame.is_empty() and frame.columns == ["category", "counted", "n_cases"]
    figure = plotly_figure(fig.onset_figure(frame))
    assert annotation_texts(figure) == [fig.NOT_STORED]


# --- the figure ---


def onset_frame(n: list[int]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "category": [*q.ONSET_BINS, *q.NOT_COUNTED],
            "counted": [True] * 6 + [False] * 4,
            "n_cases": n,
        }
    )


def test_every_category_has_a_label():
    assert list(fig.ONSET_LABELS) == list(q.ONSET_BINS)
    assert list(fig.NOT_COUNTED_LABELS) == list(q.NOT_COUNTED)


def test_onset_figure_bins_then_reasons_with_shares():
    # 8 counted of 20 cases; 12 not counted
    f = plotly_figure(fig.onset_figure(onset_frame([2, 4, 0, 1, 1, 0, 6, 1, 4, 1])))
    binned, skipped = f.data
    assert binned.type == "bar" and binned.orientation == "h"
    assert list(binned.y) == [
        *("Same day", "1–7 days", "8–30 days", "31–90 days", "91–365 days", "Over 1 year")
    ]
    assert list(binned.x) == [2, 4, 0, 1, 1, 0]
    # a bin or reason without cases is labelled 0, not left blank (read as not drawn)
    assert list(binned.text) == [
        *("2 (25.0%)", "4 (50.0%)", "0 (0.0%)", "1 (12.5%)", "1 (12.5%)", "0 (0.0%)")
    ]
    # plotly's `auto` draws no text on a zero-width bar: a bar of none puts its 0 outside
    assert list(binned.textposition) == ["auto", "auto", "outside", "auto", "auto", "outside"]
    assert [list(c) for c in binned.customdata][:2] == [
        ["2 (25.0%)", "2 (10.0%)"],
        ["4 (50.0%)", "4 (20.0%)"],
    ]
    assert "of the 8 cases counted" in binned.hovertemplate
    assert "of all 20 kratom cases" in binned.hovertemplate
    assert list(skipped.y) == list(fig.NOT_COUNTED_LABELS.values())
    assert list(skipped.x) == [6, 1, 4, 1]
    assert list(skipped.customdata) == ["6 (30.0%)", "1 (5.0%)", "4 (20.0%)", "1 (5.0%)"]
    assert list(skipped.text) == list(skipped.customdata)
    assert skipped.marker.color == fig.MUTED
    assert (binned.xaxis, binned.yaxis, skipped.xaxis, skipped.yaxis) == ("x", "y", "x2", "y2")
    assert f.layout.title.text == fig.TITLE
    assert f.layout.title.subtitle.text.startswith("8 (40.0%) of 20 kratom cases give")
    assert [a.text for a in f.layout.annotations] == [fig.COUNTED_TITLE, fig.NOT_COUNTED_TITLE]
    assert f.layout.xaxis.title.text == f.layout.xaxis2.title.text == "Kratom cases"
    # two lines: in one, the title ran past the top of its panel
    assert f.layout.yaxis.title.text == "Days from kratom<br>start to event"
    assert (f.layout.xaxis.dtick, f.layout.xaxis2.dtick) == (1, 1)  # at most 8 on each panel


def test_onset_figure_empty_state():
    f = plotly_figure(fig.onset_figure(onset_frame([0] * 10)))
    assert not f.data and annotation_texts(f) == [EMPTY_MESSAGE]
    only_skipped = plotly_figure(fig.onset_figure(onset_frame([0] * 6 + [3, 0, 0, 0])))
    assert list(only_skipped.data[1].x) == [3, 0, 0, 0]  # still drawn: why none is counted
    assert list(only_skipped.data[1].text) == ["3 (100.0%)", "0 (0.0%)", "0 (0.0%)", "0 (0.0%)"]
    assert list(only_skipped.data[1].textposition) == ["auto", "outside", "outside", "outside"]
    assert only_skipped.layout.title.subtitle.text.startswith("0 (0.0%) of 3 kratom cases")


# --- the page ---


def component_ids(component) -> list[str]:
    """Every string id in a component tree (a Dash component with no children is falsy)."""
    if component is None or isinstance(component, str | int | float):
        return []
    if isinstance(component, list | tuple):
        return [i for c in component for i in component_ids(c)]
    own = [component.id] if isinstance(getattr(component, "id", None), str) else []
    return own + component_ids(getattr(component, "children", None))


def test_indications_page_shows_time_to_onset(onset_db):
    page = dash_page(onset_db, "pages.indications")
    skeleton = page.layout()
    assert "indications-onset" in component_ids(skeleton)
    words = text_of(skeleton)
    assert "Time to onset" in words
    assert "FAERS dates are given by the reporter" in words
    assert "does not show that kratom caused it" in words
    drawn = plotly_figure(page.update_onset(""))
    assert list(drawn.data[0].x) == [1, 1, 0, 1, 1, 1]
    assert list(drawn.data[1].x) == [1, 1, 3, 1]
    women = plotly_figure(page.update_onset("sex=F"))
    assert list(women.data[0].x) == [1, 0, 0, 1, 1, 0]
    assert list(women.data[1].x) == [1, 0, 0, 1]
