"""Signal count tables kept by changes (`build(..., incremental=True)`) equal a full build's.

An incremental build subtracts the affected cases' old contributions and adds their new ones
(etl/signal_tables.py). Whatever order quarters arrive in, every signal table must then hold
exactly what a full build of the same quarters writes; tests/etl/test_signal_tables.py checks the
full build by hand. The extra quarter 2022Q1 (written below) exercises what the model fixture
alone does not: a term's first kratom case arriving after its other cases, a term losing its only
kratom case, and a preferred term whose display spelling changes.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import duckdb
import polars as pl
import pytest

from etl import signal_scores, signal_tables, transform
from etl.demo import write_demo_quarters
from etl.pipeline import build
from tests.conftest import MODEL_BY_QUARTER, READER_BY_QUARTER
from tests.etl.helpers import build_in_steps, table_rows

MODEL, READER = MODEL_BY_QUARTER, READER_BY_QUARTER
SIGNAL_TABLES = tuple(
    f"model.{t}"
    for t in (
        *("signal_stratum_totals", "signal_strata", "background_drug_events"),
        *("background_drug_totals", "background_term_totals", "signal_prior", "signal_ebgm"),
        "signal_cumulative",
    )
)
# 2022Q1 (current layout): 900008 is new, kratom PS, with Nausea (900002's term) and RASH
# (900004's Rash, not in event_groups.csv: when 2022Q1 comes first its display spelling is
# "RASH", and it becomes "Rash" when 2013Q1 or 2021Q4 arrives); 900005 v2 drops Death, its only
# kratom case; 900002 v2 (legacy AERS until now) is re-derived with 900008.
EXTRA_ROWS = {
    "DEMO": [
        "9000081$900008$1$I$20220105$$20220110$20220110$EXP$$$$$30$YR$$M$Y$$$20220110$$CN$US$US",
        "9000052$900005$2$F$20210901$$20211001$20220115$EXP$$$$$800$WK$$M$Y$70000$GMS$20220115"
        "$$HP$US$US",
        "9000022$900002$2$F$$$20120405$20220120$EXP$$$$$30$YR$$F$Y$$$20220120$$MD$CA$CA",
    ],
    "DRUG": [
        "9000081$900008$1$PS$KRATOM$$1$Oral$$$$$$$$$$$$",
        "9000052$900005$1$PS$7-OH TABLETS$$1$Oral$$$$$$$$$$$$",
        "9000022$900002$1$PS$ASPIRIN$ASPIRIN$1$Oral$$$$$$$$$$$$",
    ],
    "REAC": [
        "9000081$900008$Nausea$",
        "9000081$900008$RASH$",
        "9000052$900005$Toxicity to various agents$",
        "9000022$900002$Nausea$",
    ],
}


@pytest.fixture(scope="module")
def extra_quarter(tmp_path_factory) -> Path:
    """faers_ascii_2022q1: 2021Q4's headers with EXTRA_ROWS (tables not listed: header only)."""
    root = tmp_path_factory.mktemp("extra") / "faers_ascii_2022q1"
    (root / "ASCII").mkdir(parents=True)
    for source in sorted((MODEL["2021Q4"] / "ASCII").glob("*21Q4.txt")):
        name = source.name[:4]
        header = source.read_text(encoding="utf-8").splitlines()[0]
        lines = [header, *EXTRA_ROWS.get(name, [])]
        (root / "ASCII" / f"{name}22Q1.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def signal_rows(db_path: Path) -> dict[str, list]:
    return table_rows(db_path, SIGNAL_TABLES)


@pytest.fixture(scope="module")
def quarters(extra_quarter) -> dict[str, Path]:
    return {**MODEL, "2022Q1": extra_quarter}


@pytest.fixture(scope="module")
def full_signals(tmp_path_factory, quarters) -> dict[str, list]:
    path = tmp_path_factory.mktemp("full") / "kratom.duckdb"
    return signal_rows(build_in_steps(path, [list(quarters.values())]))


@pytest.fixture
def scopes(monkeypatch) -> list[tuple[str, str]]:
    """(scope, sign) of every set of contributions counted, in order."""
    seen: list[tuple[str, str]] = []
    keep = signal_tables._keep_contributions

    def spy(con, scope, sign, **kwargs):
        seen.append((scope, sign))
        keep(con, scope, sign, **kwargs)

    monkeypatch.setattr(signal_tables, "_keep_contributions", spy)
    return seen


@pytest.mark.parametrize(
    "order",
    [
        [["2012Q2"], ["2013Q1"], ["2021Q4"], ["2022Q1"]],  # chronological
        [["2022Q1"], ["2021Q4"], ["2013Q1"], ["2012Q2"]],  # reversed
        [["2013Q1"], ["2021Q4", "2012Q2"], ["2022Q1"]],  # two quarters added in one build
        [["2012Q2", "2022Q1"], ["2013Q1"], ["2021Q4"]],  # the deleted list and 900005 v1 last
    ],
    ids=["chronological", "reversed", "two-at-once", "middle-last"],
)
def test_adding_quarters_gives_the_full_signal_tables(
    tmp_path, quarters, full_signals, scopes, order
):
    steps = [[quarters[q] for q in step] for step in order]
    got = signal_rows(build_in_steps(tmp_path / "kratom.duckdb", steps))
    assert got == full_signals
    adds = [("affected", "minus"), ("affected", "plus")] * (len(steps) - 1)
    assert scopes == [("all", "plus"), *adds]  # the adds changed counts, never recounted all


@pytest.mark.parametrize(
    "order",
    [
        [["2012Q2", "2013Q1", "2021Q4", "2022Q1"]],  # a full build, one quarter a batch
        [["2022Q1"], ["2013Q1", "2021Q4", "2012Q2"]],  # RASH becomes Rash in the first batch
        [["2012Q2"], ["2021Q4", "2022Q1", "2013Q1"]],  # Rash, RASH, then Rash again
    ],
    ids=["full", "renamed-then-added", "renamed-back"],
)
def test_quarters_added_batch_by_batch_give_the_full_signal_tables(
    tmp_path, quarters, full_signals, scopes, monkeypatch, order
):
    monkeypatch.setattr(transform, "BATCH_ROWS", 1)  # every quarter is a batch of its own
    steps = [[quarters[q] for q in step] for step in order]
    assert signal_rows(build_in_steps(tmp_path / "kratom.duckdb", steps)) == full_signals
    adds = [
        [
            ("affected", "minus"),  # the first batch keeps its cases' old contributions
            *[("batch", "minus")] * (len(step) - 1),  # later ones, cases not kept already
            ("affected", "plus"),
        ]
        for step in steps[1:]
    ]
    assert scopes == [("all", "plus"), *itertools.chain.from_iterable(adds)]


def unfiltered(db_path: Path, variant: str, terms: tuple[str, ...]) -> list[tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        table = con.sql(signal_scores.UNFILTERED_COUNTS).pl()
    finally:
        con.close()
    picked = table.filter((pl.col("variant") == variant) & pl.col("term").is_in(terms))
    return picked.select("level", "term", "a", "b", "c", "d").sort("level", "term").rows()


def test_terms_gaining_and_losing_kratom_cases_by_hand(tmp_path, quarters):
    db_path = build_in_steps(tmp_path / "kratom.duckdb", [list(MODEL.values())])
    terms = ("Death", "Nausea", "RASH", "Rash")
    assert unfiltered(db_path, "any", terms) == [
        ("pt", "Death", 1, 2, 0, 3),  # 900005; Nausea and Rash: no kratom case, not stored
    ]
    build(db_path, [quarters["2022Q1"]], incremental=True)
    # kratom (any role): 900001, 900005, 900006, 900008; others: 900002, 900004, 900007
    assert unfiltered(db_path, "any", terms) == [
        ("pt", "Nausea", 1, 3, 1, 2),  # 900008; 900002 (re-derived in the same build)
        ("pt", "Rash", 1, 3, 1, 2),  # 900008; 900004 (not re-derived: counted once, then)
    ]  # Death: 900005 v2 dropped it, so the term is gone
    con = duckdb.connect(str(db_path), read_only=True)
    death = con.execute(
        "SELECT count(*) FROM model.background_drug_events WHERE term = 'Death'"
    ).fetchone()
    con.close()
    assert death == (0,)


def test_reader_quarters_added_in_steps_give_the_full_signal_tables(tmp_path):
    full = signal_rows(build_in_steps(tmp_path / "full.duckdb", [list(READER.values())]))
    steps = [[READER["2012Q4"]], [READER["2018Q1"], READER["2005Q3"]], [READER["2011Q2"]]]
    assert signal_rows(build_in_steps(tmp_path / "steps.duckdb", steps)) == full


def test_demo_years_added_quarter_by_quarter_give_the_full_signal_tables(tmp_path):
    zips = write_demo_quarters(tmp_path / "demo", first="2017Q1", last="2018Q4")
    full = signal_rows(build_in_steps(tmp_path / "full.duckdb", [zips]))
    steps = [zips[:5], *([z] for z in zips[5:])]
    assert signal_rows(build_in_steps(tmp_path / "steps.duckdb", steps)) == full


def test_stored_counts_that_do_not_match_the_model_stop_the_build(tmp_path, quarters):
    db_path = build_in_steps(tmp_path / "kratom.duckdb", [[MODEL["2012Q2"], MODEL["2013Q1"]]])
    con = duckdb.connect(str(db_path))
    con.execute("UPDATE model.signal_stratum_totals SET n_other_cases = n_other_cases + 1")
    con.close()
    before = signal_rows(db_path)
    with pytest.raises(RuntimeError, match="did not match the model"):
        build(db_path, [MODEL["2021Q4"]], incremental=True)
    assert signal_rows(db_path) == before  # the live database is left as it was
