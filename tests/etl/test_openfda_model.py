"""openFDA reports in the model: the model fixture quarters (latest 2021Q4) plus two hand-written
openFDA pages (tests/fixtures/openfda/model_*_page.json), counted by hand.

drug/event: 900005 is a quarterly case (not counted twice), 900003 is on a quarterly deleted list
(not revived), 900008 was received 2021-12-15, before 2021Q4 ended (left to the quarterly files),
900009 was received 2022-02-14 (added), 900010 names KETUM GEL (ketoprofen, not kratom).
CAERS: 2022-CFS-000111 names MAENG DA KRATOM (added, any date), 2022-CFS-000222 green tea only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import duckdb
import pytest

from dashboard.filters import Filters
from etl.pipeline import build
from etl.sources import openfda_rows
from tests.conftest import FIXTURES, MODEL_QUARTERS

D = dt.date
PAGES = FIXTURES / "openfda"
CASE_TABLES = ("cases", "case_substances", "case_events", "case_indications", "openfda_funnel")


def caers_case_id(report_number: str) -> int:
    """The documented rule: -1 - (first 15 hex digits of md5('openfda-caers:<report_number>'))."""
    digest = hashlib.md5(f"openfda-caers:{report_number}".encode()).hexdigest()
    return -1 - int(digest[:15], 16)


KRATOM_CAERS = caers_case_id("2022-CFS-000111")


def fixture_frames() -> dict:
    def results(name: str) -> list[dict]:
        return json.loads((PAGES / name).read_text(encoding="utf-8"))["results"]

    return {
        "openfda-faers": openfda_rows.drug_event_rows(results("model_drug_event_page.json")),
        "openfda-caers": openfda_rows.food_event_rows(results("model_food_event_page.json")),
    }


def fetch(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def whole_tables(path: Path) -> dict[str, list[tuple]]:
    return {t: fetch(path, f"SELECT * FROM model.{t} ORDER BY ALL") for t in CASE_TABLES}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("openfda_model") / "kratom.duckdb"
    result = build(path, MODEL_QUARTERS, openfda_frames=fixture_frames())
    assert result.openfda_reports == {"openfda-faers": 5, "openfda-caers": 2}
    assert result.openfda_cases == {"openfda-caers": 1, "openfda-faers": 1}
    assert result.kratom_cases == 3  # the quarterly files' own
    return path


def test_funnel_counts_each_report_once(db):
    assert fetch(db, "SELECT * FROM model.openfda_funnel ORDER BY source DESC") == [
        # source, fetched, not kratom, in quarterly files, no date, before cutoff, added, from
        ("openfda-faers", 5, 1, 2, 0, 1, 1, D(2022, 1, 1)),
        ("openfda-caers", 2, 1, 0, 0, 0, 1, None),
    ]


def test_openfda_cases_whole_rows(db):
    assert fetch(db, "SELECT * FROM model.cases WHERE source <> 'faers-quarterly' ORDER BY 1") == [
        # case_id, primary_id, quarter, era, source,
        # received, latest received, event date, precision,
        # age, band, sex, weight, country, reporter, report type,
        # serious, death, life-threatening, hospitalisation, disability, congenital, RI, other,
        # kratom, role, product, kratom only, synthetic, source_case_id,
        # duplicate_of (openFDA cases are never linked as probable duplicates)
        (KRATOM_CAERS, None, "2020Q1", "openfda", "openfda-caers",
         D(2020, 3, 5), D(2020, 3, 5), D(2020, 2, 1), "month",
         25.0, "18-64", "F", None, None, "unknown", None,
         True, False, False, True, False, False, False, False,  # the ER visit is not serious
         True, "SS", "leaf_powder", False, False, "2022-CFS-000111", None),
        (900009, None, "2022Q1", "openfda", "openfda-faers",
         D(2022, 2, 14), D(2022, 3, 1), None, None,
         30.0, "18-64", "F", 70.5, "US", "other_health_professional", None,  # 3 decades
         True, False, False, True, False, False, False, False,
         True, "SS", "leaf_powder", False, False, "900009", None),
    ]  # fmt: skip


def test_quarter_totals_count_openfda_cases_under_their_quarter_of_receipt(db):
    assert fetch(db, "SELECT * FROM model.quarter_totals ORDER BY ALL") == [
        # source, quarter, versions read, cases, kratom cases, synthetic cases
        ("faers-quarterly", "2012Q2", 3, 1, 0, 0),  # as the model fixture alone
        ("faers-quarterly", "2013Q1", 3, 1, 1, 0),
        ("faers-quarterly", "2021Q4", 4, 4, 2, 0),
        ("openfda-caers", "2020Q1", 0, 1, 1, 0),  # 2022-CFS-000111, created 2020-03-05
        ("openfda-faers", "2022Q1", 0, 1, 1, 0),  # 900009, received 2022-02-14
    ]


def test_quarterly_cases_keep_their_rows_and_gain_source_case_id(db):
    assert fetch(
        db,
        "SELECT case_id, source, era, source_case_id FROM model.cases "
        "WHERE source = 'faers-quarterly' ORDER BY 1",
    ) == [
        (900001, "faers-quarterly", "faers", "900001"),
        (900002, "faers-quarterly", "aers", "900002"),
        (900004, "faers-quarterly", "faers", "900004"),
        (900005, "faers-quarterly", "faers", "900005"),  # also served by openFDA: counted once
        (900006, "faers-quarterly", "faers", "900006"),
        (900007, "faers-quarterly", "faers", "900007"),
    ]


def test_openfda_substances_events_and_indications(db):
    not_quarterly = "WHERE case_id IN (SELECT case_id FROM model.cases WHERE era = 'openfda')"
    assert fetch(
        db,
        "SELECT case_id, drug_seq, drugname, prod_ai, substance_name, is_kratom, "
        "kratom_product_type, kratom_spelling, role_code, route, dose_text, dose_form, "
        f"substance_class FROM model.case_substances {not_quarterly} ORDER BY 1, 2",
    ) == [
        (KRATOM_CAERS, 1, "MAENG DA KRATOM", None, "kratom", True, "leaf_powder",
         "MAENG DA KRATOM", "SS", None, None, None, "kratom"),
        (KRATOM_CAERS, 2, "COFFEE", None, "coffee", False, None, None, "C", None, None, None,
         "other"),
        (900009, 1, "KRATOM POWDER", "MITRAGYNA SPECIOSA LEAF", "kratom", True, "leaf_powder",
         "KRATOM POWDER", "SS", "048", "5 GRAM DAILY", None, "kratom"),
        (900009, 2, "OXYCONTIN", "OXYCODONE HYDROCHLORIDE", "oxycodone", False, None, None, "C",
         None, None, None, "opioids"),
    ]  # fmt: skip
    assert fetch(
        db,
        f"SELECT case_id, pt, event_group, pt_key FROM model.case_events {not_quarterly} "
        "ORDER BY 1, 2",
    ) == [
        (KRATOM_CAERS, "Nausea", "gastrointestinal", "NAUSEA"),  # spelled as the reviewed list
        (KRATOM_CAERS, "Somnolence", "cognitive_neurological", "SOMNOLENCE"),  # as model.pt_names
        (900009, "Feeling jittery", "other", "FEELING JITTERY"),
        (900009, "Seizure", "seizure", "SEIZURE"),
        (900009, "Somnolence", "cognitive_neurological", "SOMNOLENCE"),
    ]
    assert fetch(
        db,
        "SELECT case_id, drug_seq, indication_pt, indication_group, is_kratom_drug "
        f"FROM model.case_indications {not_quarterly} ORDER BY 1, 2",
    ) == [(900009, 1, "Pain", "pain", True), (900009, 2, "Back pain", "pain", False)]


def test_dashboard_source_filter_selects_each_source_apart(db):
    def selected(f: Filters) -> list[int]:
        where, params = f.to_sql("c")
        return [r[0] for r in fetch(db, f"SELECT case_id FROM model.cases c WHERE {where}", params)]

    assert selected(Filters(sources=("openfda-caers",))) == [KRATOM_CAERS]
    assert selected(Filters(sources=("openfda-faers",))) == [900009]
    assert sorted(selected(Filters())) == [900001, 900005, 900006]  # default: quarterly files


def test_the_kratom_slice_holds_the_openfda_kratom_cases_too(db):
    # written after the openFDA steps: the quarterly files' 3 kratom cases and openFDA's 2
    assert fetch(db, "SELECT case_id, source FROM model.kratom_cases ORDER BY 1") == [
        (KRATOM_CAERS, "openfda-caers"),
        (900001, "faers-quarterly"),
        (900005, "faers-quarterly"),
        (900006, "faers-quarterly"),
        (900009, "openfda-faers"),
    ]
    openfda_events = (
        "SELECT case_id, pt FROM model.kratom_case_events "
        "WHERE case_id < 0 OR case_id = 900009 ORDER BY ALL"
    )
    assert fetch(db, openfda_events) == [
        (KRATOM_CAERS, "Nausea"),
        (KRATOM_CAERS, "Somnolence"),
        (900009, "Feeling jittery"),
        (900009, "Seizure"),
        (900009, "Somnolence"),
    ]


def test_an_add_replaces_openfda_cases_and_matches_the_full_build(db, tmp_path):
    path = tmp_path / "kratom.duckdb"
    build(path, MODEL_QUARTERS[:2], openfda_frames=fixture_frames())
    # Latest quarter 2013Q1: 900005 and 900008 are openFDA's own cases for now.
    openfda_ids = "SELECT case_id FROM model.cases WHERE era = 'openfda' ORDER BY 1"
    assert [r[0] for r in fetch(path, openfda_ids)] == [KRATOM_CAERS, 900005, 900008, 900009]
    result = build(path, MODEL_QUARTERS[2:], incremental=True)  # raw.openfda_* carried over
    assert result.incremental and result.openfda_cases == {"openfda-caers": 1, "openfda-faers": 1}
    assert whole_tables(path) == whole_tables(db)


def test_a_refresh_puts_the_fetched_openfda_reports_in_the_model(tmp_path):
    from etl.config import load_settings
    from etl.demo import write_demo_quarters
    from etl.refresh import refresh
    from tests.fake_fda import FakeFDA, Reply

    (zip_path,) = write_demo_quarters(tmp_path / "demo", first="2004Q1", last="2004Q1")
    drug = {"drugcharacterization": "1", "medicinalproduct": "KRATOM"}
    faers = {"safetyreportid": "99000001", "receivedate": "20040420", "patient": {"drug": [drug]}}
    caers = {"report_number": "1999-CFS-7", "date_created": "19990101", "products": [
        {"role": "SUSPECT", "name_brand": "KRATOM EXTRACT"}]}  # fmt: skip
    with FakeFDA() as fda:
        fda.add("/index.html", Reply(body=f'<a href="/x/{zip_path.name}">ASCII</a>'.encode()))
        fda.add(f"/x/{zip_path.name}", Reply(file=zip_path.read_bytes()))
        fda.add("/drug/event.json", Reply(body=json.dumps({"results": [faers]}).encode()))
        fda.add("/food/event.json", Reply(body=json.dumps({"results": [caers]}).encode()))
        settings = load_settings(
            {
                "KRATOM_DB": str(tmp_path / "kratom.duckdb"),
                "KRATOM_DATA_DIR": str(tmp_path / "data"),
                "KRATOM_FAERS_INDEX_URL": fda.url + "/index.html",
                "KRATOM_FAERS_BASE_URL": fda.url + "/x/",
                "KRATOM_OPENFDA_URL": fda.url,
            }
        )
        run = refresh(settings, sleep=lambda _: None)
        (food_query,) = fda.queries("/food/event.json")
    assert run.status == "updated" and run.sources["openfda"] == {
        "openfda-faers": 1,
        "openfda-caers": 1,
    }
    assert "date_created" not in food_query  # CAERS has no quarterly files: every date is fetched
    assert fetch(
        settings.db_path,
        "SELECT case_id, source, quarter, kratom_role, kratom_product_type, source_case_id "
        "FROM model.cases WHERE source <> 'faers-quarterly' ORDER BY 1",
    ) == [
        (caers_case_id("1999-CFS-7"), "openfda-caers", "1999Q1", "SS", "extract", "1999-CFS-7"),
        (99000001, "openfda-faers", "2004Q2", "SS", "unspecified", "99000001"),
    ]
