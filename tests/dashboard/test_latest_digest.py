"""The Latest quarter digest (`dashboard/latest_digest.py`, `kratom-etl latest`) against the hand
counts of tests/dashboard/test_latest.py (the model fixture: kratom cases 900001, first received
2012Q2 and kept from 2013Q1's file; 900005 and 900006, 2021Q4) and of test_latest_screen.py (its
hand-written five-quarter model, here marked synthetic, where event groups rise)."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest

from dashboard.db import Database
from dashboard.latest_digest import DigestError, digest_text, make_digest
from dashboard.runtime import built_at
from tests.dashboard.test_latest import update
from tests.dashboard.test_latest_screen import SMALL

CAVEAT = """Caveat: the event-group screen is a screen, not evidence of a rise or of
causation: a flag asks for a look at the cases, and about one group in twenty
flags by chance (P < 0.05). FAERS reports do not establish causation: they are
voluntary, incomplete and often name several substances.
"""


@pytest.fixture(scope="module")
def synthetic_small(tmp_path_factory) -> Database:
    """test_latest_screen's five quarters, one synthetic case counted in 2025Q1's totals."""
    path: Path = tmp_path_factory.mktemp("digest") / "small.duckdb"
    con = duckdb.connect(str(path))
    con.execute(SMALL)
    con.execute("UPDATE model.quarter_totals SET n_synthetic_cases = 1 WHERE quarter = '2025Q1'")
    con.close()
    return Database(path)


def test_newest_quarter_as_text(db):
    built = built_at(db)
    assert built is not None
    doc = make_digest(db, "")
    assert doc["quarter"] == "2021Q4" and doc["is_synthetic"] is False
    assert digest_text(doc) == (
        "Kratom harms watch: latest quarter 2021Q4 (data: FAERS quarterly files 2012Q2–2021Q4, "
        f"database built {built:%Y-%m-%d %H:%M} UTC)\n"
        "\n"
        "Filters: Kratom cases (kratom in any role), all dates, from FAERS quarterly files.\n"
        "\n"
        "Headline (kratom cases by the quarter FDA first received them):\n"
        "  Cases first received in 2021Q4: 2\n"  # 900005, 900006
        "  2020Q4, a year earlier: n/a\n"  # no file of 2020Q4
        "  Mean per quarter, 2020Q4–2021Q3 (0 of 4 quarterly files loaded): n/a\n"
        "  Earlier cases updated in 2021Q4: 0\n"
        "  Serious cases, 2021Q4: 2\n"
        "  Deaths reported, 2021Q4: 1\n"  # 900005
        "  Cases with a 7-OH concentrate product, 2021Q4: 1\n"  # 900005
        "\n"
        "Event groups above their recent level (P(X ≥ cases) < 0.05, X ~ Poisson(mean of the 4 "
        "quarters before), at least 3 cases):\n"
        "  n/a: no quarterly file of 2020Q4–2021Q3 is loaded to compare with\n"
        "\n"
        "Reported with kratom for the first time:\n"
        "  Preferred terms: Death (1), Somnolence (1), Toxicity to various agents (1)\n"
        "  Co-reported substances: fentanyl (1), gabapentin (1)\n"
        "\n"
        "Serious cases first received in 2021Q4: 2\n"
        "On the dashboard: /latest?q=2021Q4 (relative to the dashboard's address)\n"
        "\n" + CAVEAT
    )


def test_newest_quarter_as_json(db):
    doc = make_digest(db, "", base_url="http://127.0.0.1:8050/")
    assert doc["headline"] | {"cards": None} == {
        "n_new": 2,
        "year_before_quarter": "2020Q4",
        "n_year_before": None,
        "prior_quarters": ["2020Q4", "2021Q1", "2021Q2", "2021Q3"],
        "prior_files_loaded": 0,
        "prior_mean": None,
        "n_updated": 0,
        "n_serious": 2,
        "n_deaths": 1,
        "n_7oh": 1,
        "cards": None,
    }
    assert [c["text"] for c in doc["headline"]["cards"]] == ["2", "n/a", "n/a", "0", "2", "1", "1"]
    assert doc["screen"] == {
        "p_below": 0.05,
        "min_cases": 3,
        "prior_quarters": 4,
        "available": False,
        "flagged": [],
    }
    assert doc["first_time"] == {
        "pts": [
            {"term": "Death", "n": 1},
            {"term": "Somnolence", "n": 1},
            {"term": "Toxicity to various agents", "n": 1},
        ],
        "substances": [{"term": "fentanyl", "n": 1}, {"term": "gabapentin", "n": 1}],
    }
    assert doc["serious_cases"] == 2
    assert doc["link"] == "http://127.0.0.1:8050/latest?q=2021Q4"
    assert doc["link_is_relative"] is False
    assert doc["data_vintage"]["quarters_loaded"] == ["2012Q2", "2013Q1", "2021Q4"]
    assert doc["data_vintage"]["built_at"].endswith("Z")
    assert "FAERS reports do not establish causation" in doc["caveat"]


def test_an_older_quarter_with_a_screen_and_nothing_flagged(db):
    # 2013Q1: no case first received; 900001 (2012Q2) updated; 2012Q2's file is the one loaded
    # of the 4 before: mean 1; every group has 0 cases, P(X >= 0) = 1: none flagged
    text = digest_text(make_digest(db, "?sex=U", quarter="2013q1"))
    assert "  Cases first received in 2013Q1: 0\n  2012Q1, a year earlier: n/a\n" in text
    assert "  Mean per quarter, 2012Q1–2012Q4 (1 of 4 quarterly files loaded): 1\n" in text
    assert "  Earlier cases updated in 2013Q1: 1\n" in text
    assert "quarters before), at least 3 cases):\n  none\n" in text
    assert "  Preferred terms: none\n  Co-reported substances: none\n" in text
    assert "Serious cases first received in 2013Q1: 0\n" in text
    assert "On the dashboard: /latest?sex=U&q=2013Q1 " in text


@pytest.mark.parametrize("query", ["", "q=2013Q1", "q=2012Q2&sex=U", "role=primary"])
def test_the_cards_say_what_the_page_says(db, model_page, query):
    page_cards = update(model_page("latest"), query)[0]
    doc = make_digest(db, query)
    assert [c["text"] for c in doc["headline"]["cards"]] == page_cards


def test_flagged_groups_and_the_synthetic_line(synthetic_small):
    doc = make_digest(synthetic_small, "")
    text = digest_text(doc)
    assert doc["is_synthetic"] is True
    assert text.splitlines()[0] == (
        "SYNTHETIC DEMO DATA: Kratom harms watch: latest quarter 2025Q1 (data: FAERS quarterly "
        "files 2024Q1–2025Q1; openFDA reports received to 2025Q2)"  # no meta.build: no date
    )
    # test_latest_screen's counts: 2025Q1 kratom cases 4, 5, 7; 2024Q1 case 1; the 3 files
    # loaded of 2024Q1-2024Q4 (2024Q4 read none) hold cases 1, 2, 3: mean 1
    assert [c["text"] for c in doc["headline"]["cards"]] == ["3", "1", "1", "1", "2", "1", "1"]
    assert "  Mean per quarter, 2024Q1–2024Q4 (3 of 4 quarterly files loaded): 1\n" in text
    # seizure: 3 against 2/3 (cases 1 and 3 over 3 files), P = 1 - e^-(2/3) (1 + 2/3 + 2/9);
    # death (case 4) and other (case 5's Rash) against 0: P(X >= 1 | 0) = 0, but one case each
    # is under the 3 cases a flag needs (MIN_CASES): seizure alone is flagged
    p_seizure = 1 - math.exp(-2 / 3) * (1 + 2 / 3 + 2 / 9)
    assert f"{p_seizure:.3f}" == "0.030"
    assert (
        "quarters before), at least 3 cases):\n  Seizure: 3 cases, prior mean 0.67, P = 0.030\n\n"
    ) in text
    flagged = doc["screen"]["flagged"]
    assert [(r["event_group"], r["n"], r["year_before"]) for r in flagged] == [
        ("seizure", 3, 1),
    ]
    assert flagged[0]["p"] == pytest.approx(p_seizure)
    assert "  Preferred terms: Death (1), Rash (1)\n" in text
    assert "  Co-reported substances: fentanyl (2)\n" in text
    assert "Serious cases first received in 2025Q1: 2\n" in text  # cases 4 and 5


def test_notes_for_what_the_page_does_not_apply(db):
    doc = make_digest(db, "http://h/latest?population=all&from=2013Q1&date=event&bogus=1")
    assert doc["filters"]["ignored_parameters"] == ["ignored 'bogus=1': unknown parameter"]
    assert doc["filters"]["not_applied"].startswith(
        "Not applied here: the date range (2013Q1–…) and counting by event date"
    )
    assert doc["filters"]["kratom_only_note"].startswith("The link selects every FAERS case")
    assert doc["headline"]["n_new"] == 2  # kratom cases, any date, as on the page
    assert doc["link"] == "/latest?population=all&date=event&from=2013Q1&q=2021Q4"


@pytest.mark.parametrize(
    ("link", "quarter", "kind", "says"),
    [
        ("", "2030Q1", "input", "--quarter '2030Q1': "),
        ("q=2030Q1", None, "input", "the query's q='2030Q1': "),
        ("", "2025Q5", "usage", "--quarter '2025Q5': not a quarter like 2026Q2"),
        ("sex=F&q=soon", None, "usage", "the query's q='soon': not a quarter like 2026Q2"),
    ],
)
def test_a_quarter_it_cannot_show_is_refused(db, link, quarter, kind, says):
    with pytest.raises(DigestError) as refused:
        make_digest(db, link, quarter=quarter)
    assert refused.value.kind == kind
    assert str(refused.value).startswith(says)
    if kind == "input":
        assert str(refused.value).endswith(
            "holds no quarterly file of 2030Q1 (its files: 2012Q2–2021Q4)"
        )
