"""Latest quarter: quarter arithmetic, the Poisson screen by hand, the `q` view key, and the
page's questions on a hand-written model of five quarters (SMALL below), where terms recur
across quarters and a group rises (the model fixture's three kratom cases share no term)."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest
from scipy import stats

from dashboard import quarter_math as qm
from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.latest_view import compare, group_rows, poisson_at_least
from dashboard.queries import latest as q

# Cases 1-3 were first received before 2025Q1; 4, 5 and 7 in it; 6 is not a kratom case.
# Case 2 was first received in 2024Q2 and its kept version came in 2025Q1's file: updated.
SMALL = """
CREATE SCHEMA model;
CREATE TABLE model.cases (case_id BIGINT, quarter VARCHAR, source VARCHAR, received_date DATE,
    is_kratom BOOLEAN, kratom_role VARCHAR, is_kratom_only BOOLEAN, is_serious BOOLEAN,
    has_death BOOLEAN, has_life_threatening BOOLEAN, has_hospitalisation BOOLEAN,
    has_disability BOOLEAN, has_congenital_anomaly BOOLEAN, has_required_intervention BOOLEAN,
    has_other_serious BOOLEAN, kratom_product_type VARCHAR, age_years DOUBLE, sex VARCHAR);
INSERT INTO model.cases VALUES
 (1, '2024Q1', 'faers-quarterly', '2024-02-10', true, 'PS', false, false,
  false, false, false, false, false, false, false, 'leaf_powder', 30, 'M'),
 (2, '2025Q1', 'faers-quarterly', '2024-05-01', true, 'PS', true, false,
  false, false, false, false, false, false, false, 'leaf_powder', 40, 'F'),
 (3, '2024Q3', 'faers-quarterly', '2024-08-01', true, 'PS', true, false,
  false, false, false, false, false, false, false, 'extract', 50, 'F'),
 (4, '2025Q1', 'faers-quarterly', '2025-01-15', true, 'PS', false, true,
  true, false, true, false, false, false, false, 'concentrate_7oh', 22, 'M'),
 (5, '2025Q1', 'faers-quarterly', '2025-02-01', true, 'C', false, true,
  false, false, true, false, false, false, false, 'leaf_powder', NULL, 'F'),
 (6, '2025Q1', 'faers-quarterly', '2025-03-30', false, NULL, NULL, true,
  true, false, false, false, false, false, false, NULL, 60, 'M'),
 (7, '2025Q1', 'faers-quarterly', '2025-03-01', true, 'PS', true, false,
  false, false, false, false, false, false, false, 'leaf_powder', 35, 'M');
CREATE TABLE model.case_events (case_id BIGINT, pt VARCHAR, event_group VARCHAR);
INSERT INTO model.case_events VALUES
 (1, 'Seizure', 'seizure'), (2, 'Nausea', 'gastrointestinal'), (3, 'Seizure', 'seizure'),
 (4, 'Seizure', 'seizure'), (4, 'Death', 'death'), (5, 'SEIZURE', 'seizure'),
 (5, 'Rash', 'other'), (6, 'Rash', 'other'), (7, 'Seizure', 'seizure');
CREATE TABLE model.case_substances (case_id BIGINT, substance_name VARCHAR,
    substance_class VARCHAR, is_kratom BOOLEAN);
INSERT INTO model.case_substances VALUES
 (1, 'kratom', 'kratom', true), (1, 'alcohol', 'alcohol', false),
 (2, 'kratom', 'kratom', true), (3, 'kratom', 'kratom', true),
 (4, 'kratom', 'kratom', true), (4, 'alcohol', 'alcohol', false),
 (4, 'fentanyl', 'opioids', false), (5, 'kratom', 'kratom', true),
 (5, 'fentanyl', 'opioids', false), (7, 'kratom', 'kratom', true);
CREATE TABLE model.quarter_totals (source VARCHAR, quarter VARCHAR, n_versions BIGINT,
    n_cases BIGINT, n_kratom_cases BIGINT, n_synthetic_cases BIGINT);
INSERT INTO model.quarter_totals VALUES
 ('faers-quarterly', '2024Q1', 1, 1, 1, 0), ('faers-quarterly', '2024Q2', 1, 0, 0, 0),
 ('faers-quarterly', '2024Q3', 1, 1, 1, 0), ('faers-quarterly', '2024Q4', 0, 0, 0, 0),
 ('faers-quarterly', '2025Q1', 6, 5, 4, 0), ('openfda-faers', '2025Q2', 0, 1, 1, 0);
"""
Q = "2025Q1"


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Database:
    path: Path = tmp_path_factory.mktemp("latest") / "small.duckdb"
    con = duckdb.connect(str(path))
    con.execute(SMALL)
    con.close()
    return Database(path)


def test_quarters_shift_and_bound():
    assert qm.shift("2025Q1", -1) == "2024Q4"
    assert qm.shift("2025Q1", -4) == "2024Q1"
    assert qm.shift("2024Q4", 1) == "2025Q1"
    assert str(qm.first_day("2024Q3")) == "2024-07-01"
    assert str(qm.day_after("2024Q4")) == "2025-01-01"


def test_poisson_screen_by_hand():
    # P(X >= 5 | 1.5) = 1 - e^-1.5 (1 + 1.5 + 1.5^2/2 + 1.5^3/6 + 1.5^4/24)
    #                 = 1 - e^-1.5 (1 + 1.5 + 1.125 + 0.5625 + 0.2109375) = 1 - 4.3984375 e^-1.5
    by_hand = 1 - 4.3984375 * math.exp(-1.5)
    assert by_hand == pytest.approx(0.018575, abs=1e-6)
    assert poisson_at_least(5, 1.5) == pytest.approx(by_hand, rel=1e-12)
    # P(X >= 3 | 0.5) = 1 - e^-0.5 (1 + 0.5 + 0.125) = 1 - 1.625 e^-0.5 = 0.014388
    assert poisson_at_least(3, 0.5) == pytest.approx(1 - 1.625 * math.exp(-0.5), rel=1e-12)
    assert poisson_at_least(0, 3.0) == 1.0  # always at least none
    assert poisson_at_least(1, 0.0) == 0.0  # a mean of 0 puts every chance on 0
    assert poisson_at_least(2, 2.0) == pytest.approx(1 - 3 * math.exp(-2), rel=1e-12)


@pytest.mark.parametrize("mean", [0.25, 1.0, 7.5, 40.0, 300.0])
def test_poisson_screen_agrees_with_scipy(mean):
    for n in (1, 2, 5, 10, 30, 60, 400):
        assert poisson_at_least(n, mean) == pytest.approx(
            stats.poisson.sf(n - 1, mean), rel=1e-9, abs=1e-300
        )


def test_q_is_a_view_key():
    f, notes = Filters.from_query("q=2025q1&sex=F")
    assert notes == [] and f.latest_quarter == Q
    assert f.to_query() == "sex=F&q=2025Q1"
    assert f.selection() == Filters(sexes=("F",))  # it selects no case
    assert f.to_sql() == Filters(sexes=("F",)).to_sql()
    assert Filters.from_query("q=2025Q5")[1] == ["ignored 'q=2025Q5': not a quarter like 2016Q1"]


def test_loaded_quarters_are_the_files_read_newest_first(small):
    # 2024Q4 read no version; openFDA's quarter is not a file
    assert q.loaded_quarters(small) == ("2025Q1", "2024Q3", "2024Q2", "2024Q1")


def test_headline_on_the_small_model(small):
    # first received in 2025Q1: kratom cases 4, 5, 7 (6 is not kratom); serious 4 and 5; death
    # 4; 7-OH 4; updated: case 2 (received 2024Q2, kept version from 2025Q1's file)
    h = q.headline(small, Filters(), Q)
    assert h == {"n_new": 3, "n_serious": 2, "n_deaths": 1, "n_7oh": 1, "n_updated": 1}
    # the date range and count-by do not apply here
    assert q.headline(small, Filters.from_query("from=2010Q1&to=2011Q4&date=event")[0], Q) == h
    # other filters do: women, 5 only; kratom only: 7, and 2 updated
    assert q.headline(small, Filters(sexes=("F",)), Q)["n_new"] == 1
    only = q.headline(small, Filters(kratom_only=True), Q)
    assert (only["n_new"], only["n_updated"]) == (1, 1)


def test_comparisons_on_the_small_model(small):
    # received: 2024Q1 case 1, 2024Q2 case 2, 2024Q3 case 3, 2024Q4 none; 2025Q1 4, 5, 7.
    counts = q.new_by_quarter(small, Filters(), "2024Q1", Q)
    assert counts == {"2024Q1": 1, "2024Q2": 1, "2024Q3": 1, Q: 3}
    c = compare(counts, Q, set(q.loaded_quarters(small)))
    # year earlier 2024Q1: 1; mean over the loaded files 2024Q1-Q3 (2024Q4 read none): 3 / 3
    assert (c.n, c.year_before, c.prior_mean, c.n_prior_loaded) == (3, 1, 1.0, 3)
    c = compare(counts, "2024Q2", {"2024Q1", "2024Q2"})  # 2023Q2 not loaded; 2024Q1 is
    assert (c.n, c.year_before, c.prior_mean, c.n_prior_loaded) == (1, None, 1.0, 1)
    assert compare({}, "2024Q1", {"2024Q1"}).prior_mean is None  # no earlier file


def test_event_groups_screen_on_the_small_model(small):
    counts = q.groups_by_quarter(small, Filters(), "2024Q1", Q)
    labels = {"seizure": "Seizure", "death": "Death", "gastrointestinal": "GI", "other": "Other"}
    rows = {r["event_group"]: r for r in group_rows(counts, Q, q.loaded_quarters(small), labels)}
    # seizure: 2025Q1 cases 4, 5 (SEIZURE), 7 = 3; prior 2024Q1 1, 2024Q2 0, 2024Q3 1 over the
    # 3 loaded files = 2/3; P(X >= 3 | 2/3) = 1 - e^-(2/3) (1 + 2/3 + 2/9) = 0.0302 < 0.05
    s = rows["seizure"]
    assert (s["n"], s["year_before"], s["prior_mean"]) == (3, 1, pytest.approx(2 / 3))
    assert s["p"] == pytest.approx(1 - math.exp(-2 / 3) * (1 + 2 / 3 + 2 / 9))
    assert s["above"] is True
    # death: case 4 alone, none before: P(X >= 1 | 0) = 0, but one case is under MIN_CASES (3):
    # not flagged (seizure's 3 cases are just enough)
    assert (rows["death"]["n"], rows["death"]["p"], rows["death"]["above"]) == (1, 0.0, False)
    # gastrointestinal: none in 2025Q1 (case 2 counts in 2024Q2): mean 1/3, P(X >= 0) = 1
    gi = rows["gastrointestinal"]
    assert (gi["n"], gi["prior_mean"], gi["p"], gi["above"]) == (0, pytest.approx(1 / 3), 1, False)
    # other: Rash of case 5 (case 6 is not kratom)
    assert rows["other"]["n"] == 1
    order = [r["event_group"] for r in group_rows(counts, Q, ("2025Q1",), labels)]
    assert order == ["seizure", "death", "other", "gastrointestinal"]  # commonest first


def test_first_time_terms_on_the_small_model(small):
    # 2025Q1's kratom terms: Seizure (4, 5, 7; seen in cases 1 and 3 before), Death (4),
    # Rash (5; case 6's Rash is not a kratom case's); so Death 1 and Rash 1
    pts = q.first_time(small, Filters(), Q, "pt")
    assert pts.rows() == [("Death", 1), ("Rash", 1)]
    # substances: alcohol (4; case 1's before), fentanyl (4, 5): fentanyl 2
    assert q.first_time(small, Filters(), Q, "substance").rows() == [("fentanyl", 2)]
    # under sex=F the earlier cases are 2 and 3 (Nausea, Seizure): Seizure of case 5 (F) is seen
    # before; Rash is new
    assert q.first_time(small, Filters(sexes=("F",)), Q, "pt").rows() == [("Rash", 1)]
    # kratom-only cases (2, 3, 7): 7's Seizure was seen in 3
    assert q.first_time(small, Filters(kratom_only=True), Q, "pt").is_empty()


def test_serious_cases_on_the_small_model(small):
    rows = q.serious_cases(small, Filters(), Q)
    # deaths first: 4, then 5; case 6 (serious, death) is not a kratom case
    assert rows["case_id"].to_list() == [4, 5]
    assert rows["n_total"].to_list() == [2, 2]
    assert rows["co_substances"].to_list() == ["alcohol; fentanyl", "fentanyl"]
    assert rows["has_hospitalisation"].to_list() == [True, True]
    # each case's terms by event group in the filters' order (Death first, Other last), then
    # by name: case 5's SEIZURE (seizure) before Rash (other), though R sorts before S
    assert rows["events"].to_list() == [["Death", "Seizure"], ["SEIZURE", "Rash"]]
