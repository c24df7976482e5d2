"""country_code: the occurrence and the reporter country are each mapped, then the first known wins.

A placeholder (A1, COUNTRY NOT SPECIFIED) or blank occurrence country must give way to a real
reporter country, in the quarterly files and in openFDA alike. One build, counted by hand: the
2018Q1 reader fixture (tests/fixtures/faers/README.md) copied with its DEMO countries changed, plus
five hand-written openFDA drug/event reports received after that quarter.

DEMO line 2 = case 6000001, line 3 = 14000001, line 4 = 14000002 (all US/US or CA/CA before).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.pipeline import build
from etl.sources import openfda_rows
from tests.etl.test_bad_input_catalogue import DEMO, quarter_copy, rows, set_field, zip_quarter

REPORTER, OCCURRENCE = 23, 24  # DEMO columns reporter_country, occr_country (2018Q1 layout)
FAERS_COUNTRIES = {  # line: (reporter_country, occr_country)
    2: (b"US", b"A1"),  # placeholder occurrence, real reporter: US
    3: (b"A1", b"COUNTRY NOT SPECIFIED"),  # both placeholders: unknown
    4: (b"DE", b"EU"),  # a known occurrence code wins over the reporter's: EU
}
OPENFDA_COUNTRIES = {  # safetyreportid: (occurcountry, reportercountry)
    "99000001": ("A1", "US"),  # placeholder occurrence, real reporter: US
    "99000002": ("COUNTRY NOT SPECIFIED", "A1"),  # both placeholders: unknown
    "99000003": (None, " gb "),  # no occurrence; the reporter's upper-cased and trimmed: GB
    "99000004": ("", "CA"),  # a blank occurrence is none: CA
}


def _report(report_id: str, occurrence: str | None, reporter: str, drug: str) -> dict:
    return {
        "safetyreportid": report_id,
        "receivedate": "20180510",  # after 2018Q1, the latest quarterly file
        "occurcountry": occurrence,
        "primarysource": {"reportercountry": reporter, "qualification": "5"},
        "patient": {
            "drug": [{"medicinalproduct": drug, "drugcharacterization": "1"}],
            "reaction": [{"reactionmeddrapt": "Nausea"}],
        },
    }


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("country_code")
    folder = quarter_copy(tmp)
    for line, (reporter, occurrence) in FAERS_COUNTRIES.items():
        set_field(folder / DEMO, line, REPORTER, reporter)
        set_field(folder / DEMO, line, OCCURRENCE, occurrence)
    results = [_report(i, occ, rep, "KRATOM") for i, (occ, rep) in OPENFDA_COUNTRIES.items()]
    # what the broader 7-OH search words may also bring back: no reviewed term matches it
    results.append(_report("99000005", "US", "US", "7-OH-DHEA"))
    frames = {"openfda-faers": openfda_rows.drug_event_rows(results)}
    path = tmp / "kratom.duckdb"
    build(path, [zip_quarter(folder)], openfda_frames=frames)
    return path


def test_quarterly_cases_map_each_country_before_choosing(db: Path) -> None:
    got = rows(db, "SELECT case_id, country_code FROM model.cases WHERE era <> 'openfda'")
    assert sorted(got) == [(6000001, "US"), (14000001, None), (14000002, "EU")]


def test_openfda_cases_map_each_country_before_choosing(db: Path) -> None:
    got = rows(db, "SELECT source_case_id, country_code FROM model.cases WHERE era = 'openfda'")
    assert sorted(got, key=lambda r: r[0]) == [
        ("99000001", "US"),
        ("99000002", None),
        ("99000003", "GB"),
        ("99000004", "CA"),
    ]


def test_placeholders_are_no_input_issue(db: Path) -> None:
    """A1 and COUNTRY NOT SPECIFIED are FDA's words for no country, not unknown values."""
    assert rows(db, "SELECT * FROM staging.input_issues") == []


def test_a_fetched_report_no_term_matches_is_dropped_as_not_kratom(db: Path) -> None:
    funnel = (
        "SELECT n_fetched, n_not_kratom, n_added FROM model.openfda_funnel "
        "WHERE source = 'openfda-faers'"
    )
    assert rows(db, funnel) == [(5, 1, 4)]
    assert rows(db, "SELECT count(*) FROM model.cases WHERE source_case_id = '99000005'") == [(0,)]
