"""Kratom therapies' start dates in the synthetic demo (etl/demo_onset.py): the chosen shape, that
drawing them leaves every other value of the demo as it was, and what the Indications page's
time-to-onset query (dashboard/queries/onset.py) makes of them on demo quarters built for real."""

from __future__ import annotations

import zipfile
from pathlib import Path

import duckdb
import numpy as np
import pytest

from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.queries import onset as q
from etl import demo_children
from etl.demo import write_demo_quarters
from etl.demo_onset import draw_kratom_starts
from etl.pipeline import build

EVENT = np.datetime64("2024-06-15", "D")


def test_kratom_starts_follow_the_chosen_shape():
    n = 200_000
    start, text = draw_kratom_starts(np.random.default_rng(3), np.full(n, EVENT))
    days = (EVENT - start).astype(int)
    assert days.min() == 0 and days.max() <= 3650
    # demo_profile.KRATOM_START_SHAPES: 30% same day, 20% 1-7 days, 30% 8-365, 20% 366-3650
    shares = [np.mean(days == 0), np.mean((days >= 1) & (days <= 7)),
              np.mean((days >= 8) & (days <= 365)), np.mean(days >= 366)]  # fmt: skip
    assert shares == pytest.approx([0.30, 0.20, 0.30, 0.20], abs=0.005)
    # log-uniform in days + 1 within 8-365: 8-30 days ln(32/9) / ln(367/9) = 34.2%
    within = days[(days >= 8) & (days <= 365)]
    assert np.mean(within <= 30) == pytest.approx(0.342, abs=0.01)
    # Given to the day: .3*.90 + .2*.85 + .3*.55 + .2*.15 = .635; month .015 + .02 + .075 + .07
    # = .18; year .03 + .08 = .11; blank .015 + .01 + .03 + .02 = .075.
    lengths = np.array([len(t) for t in text])
    by_length = [np.mean(lengths == k) for k in (8, 6, 4, 0)]
    assert by_length == pytest.approx([0.635, 0.18, 0.11, 0.075], abs=0.005)
    # Long-term use is given to the day least often: 15% of the starts over a year before.
    assert np.mean(lengths[days >= 366] == 8) == pytest.approx(0.15, abs=0.01)
    # The text is the start date, as far as it is given.
    dates = start.astype("datetime64[D]").astype(str)
    for i in np.flatnonzero(lengths)[:1000]:
        assert dates[i].replace("-", "").startswith(text[i])


def members(paths: list[Path]) -> dict[str, bytes]:
    out = {}
    for path in paths:
        with zipfile.ZipFile(path) as zf:
            out |= {f"{path.name}/{name}": zf.read(name) for name in zf.namelist()}
    return out


def test_kratom_starts_change_only_ther_files(tmp_path, monkeypatch):
    """Drawing the kratom starts shifts no other draw: with every kratom start replaced by a
    blank one the same day as the event, only the THER members differ."""
    quarters = {"first": "2018Q1", "last": "2018Q4", "scale": 0.2}
    drawn = members(write_demo_quarters(tmp_path / "drawn", **quarters))
    monkeypatch.setattr(
        demo_children,
        "draw_kratom_starts",
        lambda rng, event_days: (event_days, np.full(event_days.size, "", dtype=object)),
    )
    blank = members(write_demo_quarters(tmp_path / "blank", **quarters))
    assert drawn.keys() == blank.keys()
    differing = {name for name in drawn if drawn[name] != blank[name]}
    assert differing == {name for name in drawn if "/THER" in name.upper()}
    assert len(differing) == 4  # every quarter has kratom therapies


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """Demo quarters 2018Q1-2020Q4 (about 640 kratom cases) through the real build."""
    folder = tmp_path_factory.mktemp("demo_onset")
    path = folder / "kratom.duckdb"
    build(path, write_demo_quarters(folder / "zips", first="2018Q1", last="2020Q4"))
    return path


def test_onset_on_demo_quarters_is_mostly_acute_with_a_tail(demo_db):
    frame = q.time_to_onset(Database(demo_db), Filters())
    n = dict(frame.select("category", "n_cases").rows())
    bins = [n[c] for c in q.ONSET_BINS]
    assert all(count > 0 for count in bins), n
    assert n["same_day"] == max(bins), n
    assert n["same_day"] + n["1_7_days"] > sum(bins) / 2, n
    assert n["start_after_event"] == 0  # every kratom start is on or before the event
    assert n["no_start_date"] > 0 and n["not_to_the_day"] > 0


def test_demo_kratom_starts_are_given_to_the_day_month_year_or_not_at_all(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    rows = con.execute(
        "SELECT coalesce(t.start_date_precision, 'none'), count(*) FROM model.case_therapies t "
        "JOIN model.case_substances s ON s.case_id = t.case_id AND s.drug_seq = t.drug_seq "
        "WHERE s.is_kratom GROUP BY 1"
    ).fetchall()
    con.close()
    precision = dict(rows)
    assert set(precision) == {"day", "month", "year", "none"}
    assert precision["day"] > sum(precision.values()) / 2
