"""The signal tables of the model, built by the real pipeline from the hand-counted fixture.

tests/fixtures/model/README.md: kept cases 900001 (kratom PS, received 2012, sex U, 18-64: Drug
dependence, Withdrawal syndrome), 900002 (2012, F, 18-64: Nausea), 900004 (2013, F, 18-64: Rash),
900005 (kratom PS, 2021, M, 12-17: Death, Toxicity to various agents), 900006 (kratom C, 2021,
F, 0-27d: Somnolence), 900007 (2013, M, 18-64: Lactic acidosis). Any role: 3 kratom, 3 others;
suspect (PS/SS): 2 kratom (900001, 900005), 4 others (900006 joins the comparators).
"""

from __future__ import annotations

import duckdb
import numpy as np
import polars as pl
import pytest

from etl import ebgm
from etl.signal_scores import UNFILTERED_COUNTS, kratom_ebgm
from etl.signal_tables import write_signal_tables
from etl.signals import two_by_two


def rows(con, sql: str, params=()) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


def test_stratum_totals_count_every_kept_case_once(con):
    got = rows(con, "SELECT * FROM model.signal_stratum_totals ORDER BY ALL")
    strata = [(2012, "F", "18-64"), (2012, "U", "18-64"), (2013, "F", "18-64")]
    strata += [(2013, "M", "18-64"), (2021, "F", "0-27d"), (2021, "M", "12-17")]
    any_role = [(0, 1), (1, 0), (0, 1), (0, 1), (1, 0), (1, 0)]
    suspect = [(0, 1), (1, 0), (0, 1), (0, 1), (0, 1), (1, 0)]  # 900006 (C) is a comparator
    want = [("any", *s, *n) for s, n in zip(strata, any_role, strict=True)]
    want += [("suspect", *s, *n) for s, n in zip(strata, suspect, strict=True)]
    assert got == want


def test_strata_keep_kratom_terms_with_their_counts(con):
    got = rows(
        con,
        "SELECT term, year, sex, age_band, n_kratom_with_event, n_other_with_event "
        "FROM model.signal_strata WHERE variant = 'any' AND level = 'pt' ORDER BY ALL",
    )
    assert got == [
        ("Death", 2021, "M", "12-17", 1, 0),
        ("Drug dependence", 2012, "U", "18-64", 1, 0),
        ("Somnolence", 2021, "F", "0-27d", 1, 0),
        ("Toxicity to various agents", 2021, "M", "12-17", 1, 0),
        ("Withdrawal syndrome", 2012, "U", "18-64", 1, 0),
    ]  # Nausea, Rash, Lactic acidosis: never with kratom, so not stored
    suspect_terms = rows(
        con,
        "SELECT DISTINCT level, term, event_group FROM model.signal_strata "
        "WHERE variant = 'suspect' ORDER BY ALL",
    )
    assert suspect_terms == [
        ("event_group", "death", "death"),
        ("event_group", "dependence_withdrawal", "dependence_withdrawal"),
        ("event_group", "overdose_toxicity", "overdose_toxicity"),
        ("pt", "Death", "death"),
        ("pt", "Drug dependence", "dependence_withdrawal"),
        ("pt", "Toxicity to various agents", "overdose_toxicity"),
        ("pt", "Withdrawal syndrome", "dependence_withdrawal"),
    ]  # Somnolence (900006, kratom concomitant) is not a suspect-kratom term


def test_event_group_counts_a_case_once(con):
    got = rows(
        con,
        "SELECT sum(n_kratom_with_event) FROM model.signal_strata "
        "WHERE variant = 'any' AND level = 'event_group' AND term = 'dependence_withdrawal'",
    )
    assert got == [(1,)]  # 900001 has two dependence/withdrawal terms


@pytest.mark.parametrize(
    ("variant", "level", "term", "abcd"),
    [
        ("any", "pt", "Death", (1, 2, 0, 3)),
        ("any", "pt", "Somnolence", (1, 2, 0, 3)),
        ("suspect", "pt", "Death", (1, 1, 0, 4)),
        ("suspect", "pt", "Withdrawal syndrome", (1, 1, 0, 4)),
        ("any", "event_group", "dependence_withdrawal", (1, 2, 0, 3)),
    ],
)
def test_unfiltered_two_by_two_by_hand(con, variant, level, term, abcd):
    table = con.sql(UNFILTERED_COUNTS).pl()
    got = table.filter(
        (pl.col("variant") == variant) & (pl.col("level") == level) & (pl.col("term") == term)
    ).select("a", "b", "c", "d")
    assert got.rows() == [abcd]


def test_background_pairs_are_suspect_drugs_by_event(con):
    got = rows(
        con,
        "SELECT drug_name, term, n_cases, n_drug_cases, n_term_cases, n_total_cases, expected "
        "FROM model.background_drug_events WHERE level = 'pt' ORDER BY ALL",
    )
    pairs = [
        ("7-OH TABLETS", "Death"),
        ("7-OH TABLETS", "Toxicity to various agents"),
        ("ALCOHOL", "Drug dependence"),  # SS of 900001
        ("ALCOHOL", "Withdrawal syndrome"),
        ("ASPIRIN", "Nausea"),
        ("GABAPENTIN", "Somnolence"),  # prod_ai of NEURONTIN; kratom there is C: left out
        ("KETOPROFEN", "Rash"),
        ("KRATUM", "Drug dependence"),
        ("KRATUM", "Withdrawal syndrome"),
        ("METFORMIN HYDROCHLORIDE", "Lactic acidosis"),
    ]  # fentanyl of 900005 is concomitant: not a pair
    assert got == [(*p, 1, 1, 1, 6, pytest.approx(1 / 6)) for p in pairs]
    other = rows(
        con,
        "SELECT drug_name, n_term_cases, expected FROM model.background_drug_events "
        "WHERE level = 'event_group' AND term = 'other' ORDER BY ALL",
    )
    assert other == [("KETOPROFEN", 2, pytest.approx(2 / 6)), ("METFORMIN HYDROCHLORIDE", 2, 2 / 6)]


def test_prior_fit_on_the_tiny_fixture_is_recorded_as_not_converged(con):
    got = con.sql("SELECT * FROM model.signal_prior ORDER BY level").pl()
    assert got["level"].to_list() == ["event_group", "pt"]
    assert got["n_pairs"].to_list() == [8, 10]
    assert got["converged"].to_list() == [False, False]
    assert all(got["message"].str.len_chars() > 0)


def test_ebgm_rows_are_kratom_pairs_left_empty_without_a_converged_prior(con):
    got = rows(
        con,
        "SELECT variant, term, n, expected, ebgm, eb05, eb95 FROM model.signal_ebgm "
        "WHERE level = 'pt' AND term IN ('Death', 'Somnolence') ORDER BY ALL",
    )
    assert got == [
        ("any", "Death", 1, 0.5, None, None, None),  # E = (a+b)(a+c)/N = 3·1/6
        ("any", "Somnolence", 1, 0.5, None, None, None),
        ("suspect", "Death", 1, pytest.approx(1 / 3), None, None, None),  # 2·1/6
    ]


def test_ebgm_scores_come_from_a_converged_prior(con):
    prior = ebgm.PriorFit(0.2, 0.1, 2.0, 4.0, 1 / 3, -1.0, True, "test prior", 4)
    got = kratom_ebgm(con, {"pt": (prior, 10, 1)}).filter(pl.col("term") == "Death")
    want = ebgm.ebgm_scores(np.array([1, 1]), np.array([0.5, 1 / 3]), prior)
    assert got["variant"].to_list() == ["any", "suspect"]
    for key in ("ebgm", "eb05", "eb95"):
        assert got[key].to_list() == pytest.approx(want[key].tolist())


def test_cumulative_tables_grow_year_by_year(con):
    got = rows(
        con,
        "SELECT year, a, b, c, d FROM model.signal_cumulative "
        "WHERE variant = 'any' AND level = 'pt' AND term = 'Drug dependence' ORDER BY year",
    )
    # 2012: 900001 (kratom) and 900002; 2013 adds 900004 and 900007; 2021 adds 900005, 900006
    assert got == [(2012, 1, 0, 0, 1), (2013, 1, 0, 0, 3), (2021, 1, 2, 0, 3)]
    death = rows(
        con,
        "SELECT year, a, b, c, d FROM model.signal_cumulative "
        "WHERE variant = 'suspect' AND level = 'pt' AND term = 'Death'",
    )
    assert death == [(2021, 1, 1, 0, 4)]  # no row before the first kratom case with the event


def test_cumulative_statistics_are_etl_signals(con):
    table = con.sql("SELECT * FROM model.signal_cumulative").pl()
    assert table.height > 0
    for row in table.iter_rows(named=True):
        want = two_by_two(row["a"], row["b"], row["c"], row["d"])
        for key in ("expected", "ror", "ror_lower", "prr", "chi2_yates", "ic025"):
            assert row[key] == (None if want[key] is None else pytest.approx(want[key])), key
        assert row["passes_ic_screen"] == want["passes_screens"]["ic"]


def empty_model() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA staging; CREATE SCHEMA model")
    con.execute(
        "CREATE TABLE staging.drug (primaryid BIGINT, quarter VARCHAR, role_cod VARCHAR, "
        "drugname VARCHAR, prod_ai VARCHAR)"
    )
    con.execute(
        "CREATE TABLE model.kept_reports (case_id BIGINT, primary_id BIGINT, quarter VARCHAR)"
    )
    con.execute(
        "CREATE TABLE model.cases (case_id BIGINT, received_date DATE, sex VARCHAR, "
        "age_band VARCHAR, is_kratom BOOLEAN, kratom_role VARCHAR)"
    )
    con.execute("CREATE TABLE model.case_events (case_id BIGINT, pt VARCHAR, event_group VARCHAR)")
    return con


def test_an_empty_model_gives_empty_tables_and_a_reported_failed_fit():
    con = empty_model()
    write_signal_tables(con)
    for table in ("signal_strata", "signal_stratum_totals", "signal_ebgm", "signal_cumulative"):
        assert rows(con, f"SELECT count(*) FROM model.{table}") == [(0,)]
    prior = rows(con, "SELECT level, converged, message, n_pairs, alpha1 FROM model.signal_prior")
    assert sorted(prior) == [
        ("event_group", False, "no background drug-event pairs", 0, None),
        ("pt", False, "no background drug-event pairs", 0, None),
    ]
