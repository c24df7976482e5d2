"""The case table and the single-case view over the hand-counted model fixture.

Kratom cases (tests/fixtures/model/README.md): 900001 (received 2012-04-10, 35 y, KRATUM PS +
ALCOHOL SS), 900005 (2021-10-01, 15.332 y, 7-OH PS + fentanyl C, death), 900006 (2021-10-10,
4 days old, Mitragyna C + Neurontin PS). Background: 900002, 900004, 900007; 900003 was deleted.
"""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from dashboard.filters import Filters
from dashboard.queries import cases as q
from tests.dashboard.helpers import dash_page, text_of

D = dt.date


@pytest.fixture(scope="module")
def pages(model_db):
    """The page modules as Dash imports them (pages.cases, pages.case), over the model fixture."""
    dash_page(model_db, "pages.case")
    return sys.modules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("900001", 900001),
        ("0", 0),
        ("9" * 18, int("9" * 18)),
        (str(2**63 - 1), 2**63 - 1),
        (str(2**63), None),  # 19 digits but over a BIGINT
        ("1" * 21, None),
        ("", None),
        ("12ab", None),
        ("-5", -5),  # openFDA cases without an all-digit id have negative ids
        ("-0", 0),
        (str(-(2**63)), -(2**63)),
        (str(-(2**63) - 1), None),  # past a BIGINT
        ("-" + "1" * 21, None),
        ("--5", None),
        ("5-", None),
        ("-", None),
        ("+5", None),
        (" 5", None),
        ("5\n", None),
        ("١٢٣", None),  # Arabic-Indic digits are digits to Python, not to us
        ("1; DROP TABLE model.cases", None),
        (None, None),
        (5, None),
    ],
)
def test_parse_case_id(text, expected):
    assert q.parse_case_id(text) == expected


def test_count_of_default_filters_is_the_three_kratom_cases(db):
    assert q.count_cases(db, Filters()) == 3
    assert q.count_cases(db, Filters(population="all")) == 6
    assert q.count_cases(db, Filters(outcomes=("death",))) == 1


def test_default_page_newest_first_with_substances_and_events(db):
    page = q.case_page(db, Filters())
    assert page.rows() == [
        (900006, D(2021, 10, 10), "2021Q4", 0.011, "F", "US", "consumer", "C", "leaf_powder",
         False, True, False, "gabapentin", "Somnolence"),
        (900005, D(2021, 10, 1), "2021Q4", 15.332, "M", "US", "other_health_professional", "PS",
         "concentrate_7oh", False, True, True, "fentanyl", "Death; Toxicity to various agents"),
        (900001, D(2012, 4, 10), "2013Q1", 35.0, "U", "US", "consumer", "PS", "unspecified",
         False, True, False, "alcohol", "Drug dependence; Withdrawal syndrome"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("column", "descending", "expected"),
    [
        ("age_years", False, [900006, 900005, 900001]),
        ("age_years", True, [900001, 900005, 900006]),
        ("case_id", False, [900001, 900005, 900006]),
        ("received_date", False, [900001, 900005, 900006]),
        ("kratom_role", False, [900006, 900001, 900005]),  # C < PS, ties by case_id ascending
        ("has_death", True, [900005, 900006, 900001]),  # ties by case_id descending
        ("co_substances", False, [900006, 900005, 900001]),  # not sortable: the default order
        ("case_id; DROP TABLE model.cases", False, [900006, 900005, 900001]),
        (None, False, [900006, 900005, 900001]),
    ],
)
def test_sorting_uses_the_allow_list(db, column, descending, expected):
    page = q.case_page(db, Filters(), sort_column=column, descending=descending)
    assert page["case_id"].to_list() == expected


def test_paging_by_limit_and_offset(db, monkeypatch):
    everyone = Filters(population="all")
    first = q.case_page(db, everyone, sort_column="case_id", descending=False, limit=4)
    rest = q.case_page(db, everyone, sort_column="case_id", descending=False, offset=4)
    assert first["case_id"].to_list() == [900001, 900002, 900004, 900005]
    assert rest["case_id"].to_list() == [900006, 900007]
    assert rest.filter(rest["case_id"] == 900007)["events"].to_list() == ["Lactic acidosis"]
    monkeypatch.setattr(q, "PAGE_SIZE", 2)
    assert q.case_page(db, everyone, limit=1000).height == 2  # a page never exceeds PAGE_SIZE


def test_filters_narrow_the_table(db):
    page = q.case_page(db, Filters(substance_classes=("opioids",)))
    assert page["case_id"].to_list() == [900005]
    assert q.case_page(db, Filters(sexes=("F",), age_bands=("85+",))).is_empty()


def test_case_record_of_900001(db):
    record = q.case_record(db, 900001)
    picked = {k: record[k] for k in ("primary_id", "quarter", "received_date", "event_date")}
    assert picked == {
        "primary_id": 9000012,
        "quarter": "2013Q1",
        "received_date": D(2012, 4, 10),
        "event_date": D(2012, 3, 1),
    }
    outcomes = [label for col, label in q.OUTCOME_COLUMNS.items() if record[col]]
    assert outcomes == ["Life-threatening", "Hospitalisation (initial or prolonged)"]
    assert q.case_record(db, 900003) is None  # deleted
    assert q.case_record(db, 123) is None


def test_substances_events_indications_of_900001(db):
    subs = q.case_substances(db, 900001)
    assert subs.select("drug_seq", "drugname", "substance_name", "role_code", "is_kratom",
                       "kratom_spelling", "kratom_product_type").rows() == [
        (1, "KRATUM", "kratom", "PS", True, "KRATUM", "unspecified"),
        (2, "ALCOHOL", "alcohol", "SS", False, None, None),
    ]  # fmt: skip
    assert q.case_events(db, 900001).rows() == [
        ("Drug dependence", "dependence_withdrawal"),
        ("Withdrawal syndrome", "dependence_withdrawal"),
    ]
    assert q.case_indications(db, 900001).rows() == [(1, "Pain", "pain", True)]
    assert q.case_therapies(db, 900001).is_empty()  # only the superseded ISR had THER rows
    assert q.case_substances(db, 900002).is_empty()  # background: drug rows not stored


def test_versions_say_which_was_kept_and_why(db):
    assert q.case_versions(db, 900001).rows() == [
        (9000012, "2013Q1", "faers", 2, D(2013, 2, 15), False, True,
         "kept: the latest version of the case"),
        (9000011, "2012Q2", "aers", None, D(2012, 4, 10), False, False,
         "superseded by 9000012 (2013Q1)"),
    ]  # fmt: skip
    assert q.case_versions(db, 900007)["status"].to_list() == [
        "kept: the latest version of the case",
        "superseded: the same version re-published in 2021Q4",
    ]
    deleted = q.case_versions(db, 900003)
    assert deleted.select("primary_id", "is_deleted", "is_kept").rows() == [(9000031, True, False)]
    assert q.case_versions(db, 123).is_empty()


def test_grid_rows_are_readable_and_link_to_the_case(pages, db):
    cases_page = pages["pages.cases"]
    rows = cases_page.grid_rows(q.case_page(db, Filters()), "sex=U")
    assert [r["case_link"] for r in rows] == [
        "[900006](/case/900006?sex=U)",
        "[900005](/case/900005?sex=U)",
        "[900001](/case/900001?sex=U)",
    ]
    assert rows[0] | {"case_link": None} == {
        "case_id": 900006,
        "received_date": "2021-10-10",
        "quarter": "2021Q4",
        "age_years": 0.01,
        "sex": "Female",
        "country_code": "US",
        "reporter_type": "Consumer",
        "kratom_role": "Concomitant",
        "kratom_product_type": "Leaf / powder",
        "is_kratom_only": "no",
        "is_serious": "yes",
        "has_death": "no",
        "co_substances": "gabapentin",
        "events": "Somnolence",
        "case_link": None,
    }


def test_grid_callbacks_answer_a_block_request(pages):
    cases_page = pages["pages.cases"]
    request = {"startRow": 0, "endRow": 50, "sortModel": [{"colId": "age_years", "sort": "asc"}]}
    response = cases_page.update_rows(request, "")
    assert response["rowCount"] == 3
    assert [r["case_id"] for r in response["rowData"]] == [900006, 900005, 900001]
    assert cases_page.update_count("") == "3 cases match."
    assert cases_page.update_count("outcome=death") == "1 case matches."
    empty = cases_page.update_count("age=85%2B")
    assert empty == "No cases match these filters."
    # no pager under an empty grid: it read "0 to 0 of 0", "Page 0 of 0"
    for count, hidden in ((empty, True), ("3 cases match.", False), ({"x": 1}, False)):
        assert cases_page.show_pager(count).to_plotly_json()["operations"] == [
            {
                "operation": "Assign",
                "location": ["suppressPaginationPanel"],
                "params": {"value": hidden},
            }
        ]


def test_case_view_of_900001_shows_the_whole_report(pages):
    text = text_of(pages["pages.case"].layout(case_id="900001"))
    for expected in (
        "Case 900001",
        "KRATUM",
        "ALCOHOL",
        "Secondary suspect",
        "Drug dependence",
        "Withdrawal syndrome",
        "Life-threatening",
        "Hospitalisation (initial or prolonged)",
        "Pain",
        "9000011",
        "superseded by 9000012 (2013Q1)",
        "kept: the latest version of the case",
        "2012-04-10",
        "35 years (band 18-64)",
    ):
        assert expected in text, expected
    assert "No such case" not in text


@pytest.mark.parametrize("bad", ["abc", "12ab", "1" * 21, str(2**63), "", "1 OR 1=1", "--1"])
def test_malformed_case_id_is_a_friendly_message(pages, bad):
    text = text_of(pages["pages.case"].layout(case_id=bad))
    assert "No such case" in text and "is not a case number" in text


def test_unknown_and_deleted_cases(pages):
    case_page = pages["pages.case"]
    assert "123 is not in the database" in text_of(case_page.layout(case_id="123"))
    deleted = text_of(case_page.layout(case_id="900003"))
    assert "FDA lists it as deleted" in deleted and "9000031" in deleted


def test_an_openfda_caers_case_is_linked_from_the_table_and_opens(openfda_model_db, model_db):
    """CAERS cases have negative ids (docs/architecture.md, "Ids"): the table's link to one
    opens its page, which used to answer "'-…' is not a case number"."""
    from dashboard import runtime
    from dashboard.db import Database
    from tests.etl.test_openfda_model import KRATOM_CAERS

    dash_page(openfda_model_db, "pages.case")
    pages = sys.modules
    try:
        caers = Filters(sources=("openfda-caers",))
        page = q.case_page(Database(openfda_model_db), caers)
        assert page["case_id"].to_list() == [KRATOM_CAERS]
        link = pages["pages.cases"].grid_rows(page, "source=openfda-caers")[0]["case_link"]
        assert link == f"[{KRATOM_CAERS}](/case/{KRATOM_CAERS}?source=openfda-caers)"
        text = text_of(pages["pages.case"].layout(case_id=str(KRATOM_CAERS)))
        assert f"Case {KRATOM_CAERS}" in text
        for expected in ("MAENG DA KRATOM", "COFFEE", "Nausea", "Somnolence"):
            assert expected in text, expected
        assert "No such case" not in text
        missing = text_of(pages["pages.case"].layout(case_id="-1"))
        assert "No such case: -1 is not in the database." in missing
    finally:
        runtime.configure(model_db)  # as this module's other tests expect


def test_case_page_is_registered_outside_the_navigation(pages):
    import dash

    page = dash.page_registry["pages.case"]
    assert page["path_template"] == "/case/<case_id>"
    assert page["nav"] is False
    assert dash.page_registry["pages.cases"]["order"] == 6
    assert dash.page_registry["pages.cases"].get("nav", True)


# The grid's width in a 1280 px window (sidebar beside it): 933 px in the screenshots.
GRID_PX_AT_1280 = 930


def test_grid_key_columns_come_first_and_fit_a_1280_px_screen(pages):
    columns = pages["pages.cases"].COLUMNS
    key = columns[: pages["pages.cases"].KEY_COLUMNS]
    assert [c["field"] for c in key] == [
        "case_link",
        "received_date",
        "age_years",
        "sex",
        "kratom_role",
        "is_serious",
        "has_death",
    ]
    assert sum(c["width"] for c in key) <= GRID_PX_AT_1280
    assert len({c["field"] for c in columns}) == 14  # every column still there, scrolled to
    # The longest labels fit their columns (about 7.5 px a character and 34 px of padding at
    # the grid's 14 px font; tests/e2e/test_cases_e2e.py measures them in a real browser).
    width = {c["field"]: c["width"] for c in columns}
    for field, labels in pages["pages.cases"].LABELS.items():
        longest = max(labels.values(), key=len)
        assert width[field] >= 7.5 * len(longest) + 34, (field, longest)


def test_case_matches_the_case_tables_rule(db):
    assert q.case_matches(db, Filters(), 900001)
    opioids = Filters(substance_classes=("opioids",))
    assert q.case_matches(db, opioids, 900005) and not q.case_matches(db, opioids, 900001)
    assert not q.case_matches(db, Filters(), 900002)  # background: not a kratom case
    assert q.case_matches(db, Filters(population="all"), 900002)
    assert not q.case_matches(db, Filters(), 900003)  # deleted: counted nowhere


def test_the_case_view_says_whether_the_links_filters_select_it(pages):
    case_page = pages["pages.case"]
    # 900001 is of unknown sex ("U"): a female-only link does not select it
    text = " ".join(text_of(case_page.layout(case_id="900001", sex="F")).split())
    assert (
        "Not among the cases the link's filters select (Kratom cases (kratom in any role), all "
        "dates, female, from FAERS quarterly files): a case opens by its number whatever the "
        "filters." in text
    )
    # 900005 reported fentanyl (opioids) with 7-OH
    text = text_of(case_page.layout(case_id="900005", **{"class": "opioids"}))
    assert (
        "Among the cases the link's filters select (Kratom cases (kratom in any role), all "
        "dates, with a co-exposure to opioids, from FAERS quarterly files)." in text
    )
    assert "Not among" not in text
    # no filter set and a kratom case: nothing to say; a background case: not a kratom case
    assert "the link's filters select" not in text_of(case_page.layout(case_id="900001"))
    assert "Not among the cases" in text_of(case_page.layout(case_id="900002"))
    everyone = text_of(case_page.layout(case_id="900002", population="all"))
    assert "Among the cases the link's filters select (All cases (kratom or not)" in everyone
