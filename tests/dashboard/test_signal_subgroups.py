"""The chosen term's ROR by sex and by age band (Signals), counted by hand.

Model fixture (tests/fixtures/model/README.md), any role: kratom 900001 (2012, sex U, 18-64:
Drug dependence, Withdrawal syndrome), 900005 (2021, M, 12-17: Death, Toxicity to various
agents), 900006 (2021, F, 0-27d: Somnolence); others 900002 (2012, F, 18-64: Nausea), 900004
(2013, F, 18-64: Rash), 900007 (2013, M, 18-64: Lactic acidosis). No other case has a kratom
term, so c = 0 everywhere and no subgroup has a ROR there. The extra quarter 2022Q1 of
tests/etl/test_signal_incremental.py adds kratom 900008 (2022, M, 30 years: Nausea, RASH) and
drops 900005's Death, which gives Nausea an other case (900002) and a finite ROR in one band.
"""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest

from dashboard.db import Database
from dashboard.figures import signal_subgroups as fig
from dashboard.figures.window import phone_layout
from dashboard.filters import Filters
from dashboard.queries import signal_subgroups as sq
from dashboard.queries import signals as q
from etl.pipeline import build
from tests.conftest import MODEL_BY_QUARTER, MODEL_QUARTERS
from tests.dashboard.helpers import annotation_texts, dash_page, plotly_figure
from tests.etl.test_signal_incremental import EXTRA_ROWS

NONE = (0, 0, 0, 0)
EMPTY_BANDS = ("28d-23m", "2-11", "65-74", "75-84", "85+", "unknown")


def cells(db, level="pt", term="Death", **filters) -> dict[tuple[str, str], tuple]:
    got = sq.subgroup_counts(db, Filters(**filters), level, term)
    return {(d, v): (a, b, c, e) for d, v, a, b, c, e in got.rows()}


def test_death_by_sex_and_age_band_by_hand(db):
    got = cells(db)
    assert list(got) == [("sex", s) for s in "FMU"] + [
        ("age_band", b)
        for b in ("0-27d", "28d-23m", "2-11", "12-17", "18-64", "65-74", "75-84", "85+", "unknown")
    ]  # every sex, then every ICH E11 band, one without cases too
    assert got[("sex", "F")] == (0, 1, 0, 2)  # kratom 900006 without Death; 900002, 900004
    assert got[("sex", "M")] == (1, 0, 0, 1)  # kratom 900005 with Death; 900007
    assert got[("sex", "U")] == (0, 1, 0, 0)  # kratom 900001; no other case
    assert got[("age_band", "0-27d")] == (0, 1, 0, 0)  # 900006
    assert got[("age_band", "12-17")] == (1, 0, 0, 0)  # 900005
    assert got[("age_band", "18-64")] == (0, 1, 0, 3)  # 900001; 900002, 900004, 900007
    assert all(got[("age_band", b)] == NONE for b in EMPTY_BANDS)
    table = sq.subgroup_table(db, Filters(), "pt", "Death")
    assert table["ror"].null_count() == table.height  # c = 0 in every subgroup
    reasons = dict(zip(table["value"], table["reason"], strict=True))
    assert reasons["F"] == "a = 0, c = 0"
    assert reasons["M"] == "b = 0, c = 0"
    assert reasons["U"] == "no other case"  # c = d = 0
    assert reasons["85+"] == "no cases"
    # the sum of the sexes is the table's own row for Death under the same filters
    assert sq.overall(table).select("a", "b", "c", "d").row(0) == (1, 2, 0, 3)


def test_a_sex_filter_keeps_its_rows_and_counts_the_ages_within_it(db):
    got = cells(db, sexes=("M",))
    assert [k for k in got if k[0] == "sex"] == [("sex", "M")]
    assert got[("sex", "M")] == (1, 0, 0, 1)
    assert got[("age_band", "12-17")] == (1, 0, 0, 0)  # 900005
    assert got[("age_band", "18-64")] == (0, 0, 0, 1)  # 900007 only: 900001 is U
    both = cells(db, "pt", "Drug dependence", sexes=("F", "U"), age_bands=("18-64",))
    assert both == {
        ("sex", "F"): (0, 0, 0, 2),  # 900006 is 0-27d; 900002, 900004
        ("sex", "U"): (1, 0, 0, 0),  # 900001
        ("age_band", "18-64"): (1, 0, 0, 2),
    }


def test_role_and_years_and_event_groups(db):
    # suspect: 900006 (kratom concomitant) becomes one of the other cases, in F and 0-27d
    got = cells(db, "event_group", "death", role="suspect")
    assert got[("sex", "F")] == (0, 0, 0, 3)
    assert got[("age_band", "0-27d")] == (0, 0, 0, 1)
    assert cells(db, date_to="2013Q4")[("sex", "M")] == (0, 0, 0, 1)  # 2012–2013: 900007 only
    with pytest.raises(ValueError, match="not a signal level"):
        sq.subgroup_counts(db, Filters(), "soc", "Death")


@pytest.fixture(scope="module")
def nausea_db(tmp_path_factory) -> Database:
    """The model fixture quarters and test_signal_incremental's 2022Q1 through the real build."""
    root = tmp_path_factory.mktemp("extra") / "faers_ascii_2022q1"
    (root / "ASCII").mkdir(parents=True)
    for source in sorted((MODEL_BY_QUARTER["2021Q4"] / "ASCII").glob("*21Q4.txt")):
        name = source.name[:4]
        header = source.read_text(encoding="utf-8").splitlines()[0]
        lines = [header, *EXTRA_ROWS.get(name, [])]
        (root / "ASCII" / f"{name}22Q1.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    path: Path = tmp_path_factory.mktemp("nausea") / "kratom.duckdb"
    build(path, [*MODEL_QUARTERS, root])
    return Database(path)


def test_nausea_has_a_ror_in_one_age_band(nausea_db):
    # any role: kratom 900001 (U, 18-64), 900005 (M, 12-17), 900006 (F, 0-27d), 900008 (M,
    # 18-64, Nausea); others 900002 (F, 18-64, Nausea), 900004 (F, 18-64), 900007 (M, 18-64)
    table = sq.subgroup_table(nausea_db, Filters(), "pt", "Nausea")
    got = {r["value"]: r for r in table.iter_rows(named=True)}
    abcd = {k: tuple(got[k][c] for c in "abcd") for k in got}
    assert abcd["F"] == (0, 1, 1, 1) and got["F"]["reason"] == "a = 0"
    assert abcd["M"] == (1, 1, 0, 1) and got["M"]["reason"] == "c = 0"
    assert abcd["U"] == (0, 1, 0, 0)
    # 18-64: kratom 900001, 900008 (a = 1, b = 1); others 900002 with Nausea, 900004, 900007
    # (c = 1, d = 2). ROR = 1·2 / (1·1) = 2; Woolf: 2·exp(±1.96·√(1 + 1 + 1 + 1/2)) =
    # 2·exp(±3.6668) = 2·0.02555 to 2·39.13 = 0.0511 to 78.25
    band = got["18-64"]
    assert abcd["18-64"] == (1, 1, 1, 2) and band["reason"] is None
    assert band["ror"] == pytest.approx(2.0)
    assert band["ror_lower"] == pytest.approx(2 * math.exp(-1.96 * math.sqrt(3.5)))
    assert band["ror_lower"] == pytest.approx(0.0511, abs=1e-4)
    assert band["ror_upper"] == pytest.approx(78.25, abs=0.01)
    assert band["few"]  # a = 1 < 3: drawn light
    # all four kratom and three other cases: a = 1, b = 3, c = 1, d = 2; ROR 2/3
    whole = sq.overall(table).row(0, named=True)
    assert (whole["a"], whole["b"], whole["c"], whole["d"]) == (1, 3, 1, 2)
    assert whole["ror"] == pytest.approx(2 / 3)
    row = q.signal_table(nausea_db, Filters(), "pt").filter(pl.col("term") == "Nausea")
    assert row.select("ror").item() == pytest.approx(whole["ror"])  # the table's own ROR


def frame(a, b, c, d, dimension=None, value=None) -> pl.DataFrame:
    n = len(a)
    base = pl.DataFrame(
        {
            "dimension": dimension or ["sex"] * 3 + ["age_band"] * (n - 3),
            "value": value or ["F", "M", "U", "18-64", "65-74"][:n],
            "a": a,
            "b": b,
            "c": c,
            "d": d,
        }
    )
    table = q.add_statistics(base).with_columns(few=pl.col("a") < q.MIN_CASES)
    reasons = [sq.not_estimable_reason(*r) for r in table.select("a", "b", "c", "d").iter_rows()]
    return table.with_columns(reason=pl.Series(reasons, dtype=pl.String))


def test_figure_draws_full_light_and_not_estimable_rows():
    # F: a = 12, ROR (12·900)/(88·50) ≈ 2.45; M: a = 2 (light); U: c = 0 (not estimable);
    # 18-64: a = 3, exactly the minimum (not light); 65-74: no cases
    table = frame([12, 2, 5, 3, 0], [88, 50, 40, 30, 0], [50, 10, 0, 20, 0], [900, 400, 80, 700, 0])
    whole = {"a": 22, "ror": 2.0, "ror_lower": 1.2, "ror_upper": 3.3}
    got = plotly_figure(fig.subgroup_figure(table, whole, "Death"))
    assert got.layout.title.text == "ROR of Death by sex and by age band"
    full, light, unseen = got.data
    assert list(full.y) == ["Female (a=12)", "Age 18-64 (a=3)"]
    assert full.x[0] == pytest.approx(12 * 900 / (88 * 50))
    assert list(light.y) == ["Male (a=2, a < 3)"] and light.name == "a < 3"
    assert light.marker.color == fig.LIGHT
    assert list(unseen.y) == ["Sex not known (a=5)", "Age 65-74 (a=0)"]
    assert unseen.marker.opacity == 0
    assert annotation_texts(got) == ["not estimable (c = 0)", "not estimable (no cases)"]
    assert list(got.layout.yaxis.categoryarray) == [
        "Female (a=12)",
        "Male (a=2, a < 3)",
        "Sex not known (a=5)",
        "Age 18-64 (a=3)",
        "Age 65-74 (a=0)",
    ]
    assert got.layout.xaxis.type == "log"
    one, dashed, rule = got.layout.shapes
    assert (one.x0, one.line.dash) == (1, "dot")
    assert (dashed.x0, dashed.x1, dashed.line.dash) == (2.0, 2.0, "dash")
    assert rule.y0 == 2.5  # between the third row (Sex not known) and the fourth
    said = got.layout.title.subtitle.text.replace("<br>", " ")
    assert "ROR 2.00 (95% CI 1.20–3.30), a = 22" in said


def test_figure_without_an_overall_ror_or_a_term():
    table = frame([1, 0, 0], [0, 1, 1], [0, 0, 0], [1, 2, 0])
    whole = {"a": 1, "ror": None, "ror_lower": None, "ror_upper": None}
    got = plotly_figure(fig.subgroup_figure(table, whole, "Death"))
    assert len(got.layout.shapes) == 1  # the line at 1; no dashed line, no rule
    assert "no dashed line" in got.layout.title.subtitle.text.replace("<br>", " ")
    empty = plotly_figure(fig.subgroup_figure(pl.DataFrame(), None, None))
    assert annotation_texts(empty) == [fig.NO_TERM]


def test_page_draws_the_chosen_terms_subgroups(model_db):
    page = dash_page(model_db, "pages.signals")
    rows, *_ = page.update("sex=M&term=Death")
    got = plotly_figure(page.subgroups("sex=M&term=Death", rows))
    assert got.layout.title.text == "ROR of Death by sex and by age band"
    assert "Male (a=1)" in got.layout.yaxis.categoryarray
    assert not any(c.startswith("Female") for c in got.layout.yaxis.categoryarray)
    groups = plotly_figure(page.subgroups("level=event_group", page.update("level=event_group")[0]))
    assert groups.layout.title.text.startswith("ROR of Cognitive and neurological by sex")


def test_on_a_phone_the_words_take_two_lines_and_the_axis_a_short_title():
    table = frame([12, 2, 0], [88, 50, 1], [50, 10, 0], [900, 400, 0])
    with phone_layout():
        got = plotly_figure(fig.subgroup_figure(table, None, "Death"))
    assert [a.text for a in got.layout.annotations] == ["not estimable<br>(no other case)"]
    assert got.layout.xaxis.title.text == "ROR (log scale; 95% CI)"
