"""openFDA: query building, paging against a local server, limits, mapping and raw tables."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from pathlib import Path

import duckdb
import pytest

from etl.config import load_settings
from etl.errors import InputError
from etl.http import BudgetExceeded
from etl.sources.openfda import (
    DAILY_BUDGET_NO_KEY,
    DAILY_BUDGET_WITH_KEY,
    ENDPOINTS,
    OpenFdaClient,
    OpenFdaError,
    build_search,
    fetch_kratom_reports,
    search_url,
    write_raw,
)
from etl.sources.openfda_rows import DRUG_SCHEMA, REPORT_SCHEMA, drug_event_rows, food_event_rows
from tests.fake_fda import FakeFDA, Reply

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "openfda"
REAL = REPO / ".." / "shared" / "data" / "real" / "openfda"
FETCHED_AT = datetime(2026, 5, 1, 12, 0, 0)

# The first page's query for ["kratom", "mitragyn*"], received since 20200101, limit 2, with a key.
DRUG_SEARCH = (
    "search=(patient.drug.medicinalproduct:(kratom+mitragyn*)"
    "+patient.drug.activesubstance.activesubstancename:(kratom+mitragyn*))"
    "+AND+receivedate:%5B20200101+TO+29991231%5D"
)
FIRST = DRUG_SEARCH + "&limit=2&api_key=SECRETKEY"
SECOND = DRUG_SEARCH + "&limit=2&skip=0&search_after=0%3D10000002&api_key=SECRETKEY"
THIRD = DRUG_SEARCH + "&limit=2&skip=0&search_after=0%3D10000003&api_key=SECRETKEY"


def page(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def results(name: str) -> list[dict]:
    return json.loads(page(name))["results"]


def no_sleep(seconds: float) -> None:
    raise AssertionError(f"unexpected sleep({seconds})")


@pytest.fixture
def fda() -> Iterator[FakeFDA]:
    with FakeFDA() as server:
        yield server


def settings_for(fda: FakeFDA, api_key: str | None = "SECRETKEY"):
    env = {"KRATOM_OPENFDA_URL": fda.url + "/"}
    if api_key:
        env["OPENFDA_API_KEY"] = api_key
    return load_settings(env)


def next_link(fda: FakeFDA, cursor: str) -> dict[str, str]:
    """openFDA's Link header: the same search, plus skip=0 and search_after, without the key."""
    url = f"{fda.url}/drug/event.json?{DRUG_SEARCH}&limit=2&skip=0&search_after={cursor}"
    return {"Link": f'<{url}>; rel="Next"'}


# --- query construction -------------------------------------------------------------------


def test_search_has_fields_terms_phrases_and_date_range() -> None:
    fields = ENDPOINTS["openfda-faers"].fields
    terms = ["kratom", "*hydroxymitragyn*", "7-hydroxymitragynine", "mitragyna  speciosa"]
    search = build_search(fields, terms, "20240131", "receivedate")
    words = 'kratom *hydroxymitragyn* 7-hydroxymitragynine "mitragyna speciosa"'
    assert search == (
        f"(patient.drug.medicinalproduct:({words})"
        f" patient.drug.activesubstance.activesubstancename:({words}))"
        " AND receivedate:[20240131 TO 29991231]"
    )
    food = ENDPOINTS["openfda-caers"]
    url = search_url(
        "https://api.fda.gov/", food, "products.name_brand:(kratom)", limit=1000, api_key=None
    )
    assert (
        url == "https://api.fda.gov/food/event.json?search=products.name_brand:(kratom)&limit=1000"
    )


@pytest.mark.parametrize("term", ["kra tom*", "kratom)", "-kratom", "", 'say "kratom"'])
def test_terms_openfda_cannot_search_are_refused(term: str) -> None:
    with pytest.raises(InputError, match=r"^openFDA search terms field term: cannot search for"):
        build_search(("products.name_brand",), [term], None, "date_created")


def test_bad_date_and_limit_are_refused() -> None:
    with pytest.raises(InputError, match=r"^received_since: not a date like 20240131: '2024-01'$"):
        build_search(("products.name_brand",), ["kratom"], "2024-01", "date_created")
    with pytest.raises(InputError, match=r"^limit: openFDA pages hold 1 to 1000 results, not 1001"):
        search_url("http://x", ENDPOINTS["openfda-caers"], "a:b", limit=1001, api_key=None)


# --- fetching against the local server ----------------------------------------------------


def test_pages_through_link_headers_adding_the_api_key(fda: FakeFDA) -> None:
    target = "/drug/event.json?"
    fda.add(
        target + FIRST,
        Reply(body=page("drug_event_page1.json"), headers=next_link(fda, "0%3D10000002")),
    )
    fda.add(
        target + SECOND,
        Reply(body=page("drug_event_page2.json"), headers=next_link(fda, "0%3D10000003")),
    )
    fda.add(target + THIRD, Reply(body=page("drug_event_page3.json")))  # no Link: the last page
    client = OpenFdaClient("SECRETKEY", sleep=no_sleep)
    got = fetch_kratom_reports(
        settings_for(fda),
        "openfda-faers",
        ["kratom", "mitragyn*"],
        received_since="20200101",
        limit=2,
        client=client,
    )
    assert [r["safetyreportid"] for r in got] == ["10000001", "10000002", "10000003", "10000004"]
    assert fda.queries("/drug/event.json") == [FIRST, SECOND, THIRD]
    assert client.limiter.used_today == 3


def test_no_matches_404_is_zero_results(fda: FakeFDA) -> None:
    fda.add("/food/event.json", Reply(status=404, body=page("no_matches.json")))
    got = fetch_kratom_reports(
        settings_for(fda, None),
        "openfda-caers",
        ["kratom"],
        client=OpenFdaClient(None, sleep=no_sleep),
    )
    assert got == []
    assert fda.queries("/food/event.json") == ["search=products.name_brand:(kratom)&limit=1000"]


def test_429_and_503_are_retried_with_backoff(fda: FakeFDA) -> None:
    fda.add(
        "/food/event.json",
        Reply(status=429, headers={"Retry-After": "2"}),
        Reply(status=503),
        Reply(body=page("food_event_page.json")),
    )
    sleeps: list[float] = []
    client = OpenFdaClient(None, sleep=sleeps.append)
    got = client.fetch_all(fda.url + "/food/event.json?search=x")
    assert [r["report_number"] for r in got] == ["2019-CFS-001234", "2021-CFS-005678"]
    assert sleeps == [2.0, 2.0]  # Retry-After, then backoff for the 2nd attempt
    assert client.limiter.used_today == 3


def test_truncated_json_is_retried_once_then_fails_naming_the_url(fda: FakeFDA) -> None:
    fda.add("/food/event.json", Reply(body=page("food_event_page.json")[:120]))
    client = OpenFdaClient("SECRETKEY", sleep=no_sleep)
    with pytest.raises(OpenFdaError) as err:
        client.fetch_all(fda.url + "/food/event.json?search=x&api_key=SECRETKEY")
    message = str(err.value)
    assert message.startswith(
        f"{fda.url}/food/event.json?search=x&api_key=***: the response is not complete "
        "openFDA JSON after 2 tries (JSONDecodeError: "
    )
    assert "SECRETKEY" not in message
    assert len(fda.seen) == 2


def test_truncated_json_once_then_whole_succeeds(fda: FakeFDA) -> None:
    body = page("food_event_page.json")
    fda.add("/food/event.json", Reply(body=body[:120]), Reply(body=body))
    got = OpenFdaClient(None, sleep=no_sleep).fetch_all(fda.url + "/food/event.json?search=x")
    assert len(got) == 2


def test_other_errors_stop_with_openfda_message(fda: FakeFDA) -> None:
    body = b'{"error": {"code": "BAD_REQUEST", "message": "Invalid parameter: foo"}}'
    fda.add("/drug/event.json", Reply(status=400, body=body))
    with pytest.raises(OpenFdaError, match=r"HTTP 400: BAD_REQUEST: Invalid parameter: foo$"):
        OpenFdaClient(None, sleep=no_sleep).fetch_all(fda.url + "/drug/event.json?foo=1")


def test_stops_before_the_daily_budget_is_exceeded(fda: FakeFDA) -> None:
    body = page("drug_event_page1.json")
    fda.add("/drug/event.json", *(Reply(body=body, headers=next_link(fda, c)) for c in "123"))
    client = OpenFdaClient(None, daily_budget=2, sleep=no_sleep)
    with pytest.raises(BudgetExceeded, match=r"daily budget of 2 requests is used up"):
        client.fetch_all(fda.url + "/drug/event.json?search=x")
    assert len(fda.seen) == 2


def test_default_budget_depends_on_the_key() -> None:
    assert OpenFdaClient(None).limiter.daily_budget == DAILY_BUDGET_NO_KEY == 1_000
    assert OpenFdaClient("k").limiter.daily_budget == DAILY_BUDGET_WITH_KEY == 120_000
    assert OpenFdaClient(None).limiter.max_per_minute < 240


# --- mapping ------------------------------------------------------------------------------


def blank(schema: dict, **values) -> dict:
    row = dict.fromkeys(schema)
    row.update(values)
    return row


def test_drug_event_rows_from_hand_written_pages() -> None:
    pages = [results(f"drug_event_page{i}.json") for i in (1, 2, 3)]
    frames = drug_event_rows([r for p in pages for r in p])
    report = partial(blank, REPORT_SCHEMA)
    assert frames["reports"].to_dicts() == [
        report(
            safetyreportid="10000001",
            safetyreportversion="2",
            receivedate="20240105",
            receiptdate="20240103",
            serious="1",
            seriousnessdeath="1",
            seriousnesshospitalization="1",
            occurcountry="US",
            reportercountry="US",
            qualification="5",
            patientsex="2",
            patientonsetage="34",
            patientonsetageunit="801",
            patientweight="61.2",
        ),
        report(
            safetyreportid="10000002",
            receivedate="20240210",
            serious="2",
            occurcountry="CA",
            qualification="1",
            patientsex="1",
            patientagegroup="5",
        ),
        report(
            safetyreportid="10000003",
            safetyreportversion="1",
            receivedate="20240301",
            serious="1",
            seriousnesslifethreatening="1",
            seriousnessdisabling="1",
            seriousnesscongenitalanomali="1",
            seriousnessother="1",
        ),
        report(safetyreportid="10000004", receivedate="20240402"),
    ]
    drug = partial(blank, DRUG_SCHEMA)
    assert frames["drugs"].to_dicts() == [
        drug(
            safetyreportid="10000001",
            drug_seq=1,
            medicinalproduct="KRATOM",
            activesubstancename="MITRAGYNINE",
            drugcharacterization="1",
            drugadministrationroute="048",
            drugdosagetext="UNK",
            drugindication="PRODUCT USED FOR UNKNOWN INDICATION",
        ),
        drug(
            safetyreportid="10000001",
            drug_seq=2,
            medicinalproduct="FENTANYL",
            drugcharacterization="2",
            drugindication="DRUG ABUSE",
        ),
        drug(
            safetyreportid="10000002",
            drug_seq=1,
            medicinalproduct="KRATOM POWDER",
            drugcharacterization="3",
            drugdosagetext="4 GRAM",
        ),
        drug(
            safetyreportid="10000003",
            drug_seq=1,
            medicinalproduct="MITRAGYNA SPECIOSA",
            drugcharacterization="1",
        ),
    ]
    assert frames["reactions"].rows() == [
        ("10000001", 1, "Toxicity to various agents", "5"),
        ("10000001", 2, "Respiratory arrest", None),
        ("10000002", 1, "Seizure", "1"),
        ("10000004", 1, "Nausea", None),
    ]


def test_food_event_rows_from_hand_written_page() -> None:
    frames = food_event_rows(results("food_event_page.json"))
    assert frames["reports"].to_dicts() == [
        blank(
            REPORT_SCHEMA,
            safetyreportid="2019-CFS-001234",
            receivedate="20190605",
            date_started="20190601",
            outcomes=["Visited an Emergency Room", "Hospitalization"],
            patientsex="Male",
            patientonsetage="28",
            patientonsetageunit="year(s)",
        ),
        blank(
            REPORT_SCHEMA,
            safetyreportid="2021-CFS-005678",
            receivedate="20210312",
            outcomes=["Death"],
        ),
    ]
    diet = "Vit/Min/Prot/Unconv Diet(Human/Animal)"
    assert frames["drugs"].select(
        "safetyreportid",
        "drug_seq",
        "medicinalproduct",
        "drugcharacterization",
        "industry_code",
        "industry_name",
    ).rows() == [
        ("2019-CFS-001234", 1, "KRATOM CAPSULES", "SUSPECT", "54", diet),
        ("2019-CFS-001234", 2, "ENERGY DRINK", "CONCOMITANT", "29", "Soft Drink/Water"),
        ("2021-CFS-005678", 1, "RED VEIN KRATOM", "SUSPECT", "54", diet),
    ]
    other = ["activesubstancename", "drugadministrationroute", "drugdosagetext", "drugindication"]
    assert frames["drugs"].select(other).null_count().row(0) == (3, 3, 3, 3)
    assert frames["reactions"].rows() == [
        ("2019-CFS-001234", 1, "VOMITING", None),
        ("2019-CFS-001234", 2, "TACHYCARDIA", None),
        ("2021-CFS-005678", 1, "DEATH", None),
    ]


def test_report_without_id_is_refused() -> None:
    with pytest.raises(InputError, match=r"^openFDA food/event field report_number: result 1 "):
        food_event_rows([{"report_number": "1"}, {"date_created": "20200101"}])


def test_empty_results_give_empty_typed_frames() -> None:
    frames = drug_event_rows([])
    assert {name: f.height for name, f in frames.items()} == {
        "reports": 0,
        "drugs": 0,
        "reactions": 0,
    }
    assert frames["drugs"].schema["drug_seq"].is_integer()


def test_real_drug_event_page_maps_every_report_and_drug() -> None:
    path = REAL / "drug-event-limit100-results.json"
    if not path.exists():
        pytest.skip(f"real openFDA sample absent: {path}")
    reports = json.loads(path.read_text(encoding="utf-8"))
    n_drugs = sum(len(r["patient"]["drug"]) for r in reports)
    n_reactions = sum(len(r["patient"]["reaction"]) for r in reports)
    frames = drug_event_rows(reports)
    assert frames["reports"].height == len(reports) == 100
    assert frames["drugs"].height == n_drugs
    assert frames["reactions"].height == n_reactions
    assert frames["reports"]["safetyreportid"].to_list() == [r["safetyreportid"] for r in reports]
    first = reports[0]["patient"]["drug"]
    got_first = frames["drugs"].filter(safetyreportid=reports[0]["safetyreportid"])
    assert got_first["medicinalproduct"].to_list() == [d["medicinalproduct"] for d in first]


# --- raw tables ---------------------------------------------------------------------------


def test_write_raw_appends_with_source_and_fetched_at() -> None:
    con = duckdb.connect()
    food = food_event_rows(results("food_event_page.json"))
    drug = drug_event_rows(results("drug_event_page1.json"))
    assert write_raw(con, food, "openfda-caers", fetched_at=FETCHED_AT) == {
        "reports": 2,
        "drugs": 3,
        "reactions": 3,
    }
    write_raw(con, drug, "openfda-faers", fetched_at=FETCHED_AT)
    assert con.execute(
        "SELECT source, fetched_at, safetyreportid, receivedate, outcomes, patientsex "
        "FROM raw.openfda_reports ORDER BY safetyreportid"
    ).fetchall() == [
        ("openfda-faers", FETCHED_AT, "10000001", "20240105", None, "2"),
        ("openfda-faers", FETCHED_AT, "10000002", "20240210", None, "1"),
        (
            "openfda-caers",
            FETCHED_AT,
            "2019-CFS-001234",
            "20190605",
            ["Visited an Emergency Room", "Hospitalization"],
            "Male",
        ),
        ("openfda-caers", FETCHED_AT, "2021-CFS-005678", "20210312", ["Death"], None),
    ]
    assert con.execute(
        "SELECT source, count(*) FROM raw.openfda_drugs GROUP BY source ORDER BY source"
    ).fetchall() == [("openfda-caers", 3), ("openfda-faers", 3)]
    assert con.execute(
        "SELECT safetyreportid, reaction_seq, reactionmeddrapt FROM raw.openfda_reactions "
        "WHERE source = 'openfda-faers' ORDER BY safetyreportid, reaction_seq"
    ).fetchall() == [
        ("10000001", 1, "Toxicity to various agents"),
        ("10000001", 2, "Respiratory arrest"),
        ("10000002", 1, "Seizure"),
    ]


def test_write_raw_refuses_unknown_source() -> None:
    with pytest.raises(ValueError, match=r"unknown openFDA source 'faers'"):
        write_raw(duckdb.connect(), drug_event_rows([]), "faers")
