"""`population=all` in the filter sentence, the download bar and the extracts: each says exactly
which cases it holds.

Model fixture (tests/fixtures/model/README.md): 6 kept cases. Kratom cases 900001 (kratom PS,
with alcohol), 900005 (kratom PS, with fentanyl, class opioids) and 900006 (kratom concomitant,
leaf_powder, with gabapentin), none kratom-only. Background 900002 (ASPIRIN), 900004 (KETUM
GEL) and 900007 (METFORMIN): `model.case_substances` holds no row of theirs, so a co-exposure
filter (`substance`, `class`) can match only kratom cases, even when the link selects every case.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import downloads, population, signals_extract
from dashboard.filters import Filters
from dashboard.queries import overview as qo
from tests.dashboard.test_extracts import (
    DEFAULT_SENTENCE,
    FORMATS,
    PRIMARY_SENTENCE,
    build,
    expected,
    projected,
    read_tables,
)

EVERY_CASE = [900001, 900002, 900004, 900005, 900006, 900007]
KRATOM_ONLY_MATCH = (
    "; only kratom cases can match a co-exposure filter (co-exposures are recorded for kratom "
    "cases only)."
)


def case_ids(tables) -> list[int]:
    return tables["cases"]["case_id"].to_list()


# --- 1. A co-exposure filter under population=all matches kratom cases only, and says so ---


@pytest.mark.parametrize(
    ("query", "english"),
    [
        ("population=all&substance=aspirin", "co-reported with 'aspirin'"),
        ("population=all&class=opioids", "with a co-exposure to opioids"),
        (
            "population=all&substance=alcohol&class=gabapentinoids",
            "co-reported with 'alcohol', with a co-exposure to gabapentinoids",
        ),
    ],
)
def test_sentence_says_a_coexposure_filter_matches_kratom_cases_only(query, english):
    f, notes = Filters.from_query(query)
    assert notes == []
    assert f.describe() == (
        f"All cases (kratom or not), all dates, {english}, from FAERS quarterly files"
        + KRATOM_ONLY_MATCH
    )


@pytest.mark.parametrize(
    "query", ["population=all", "population=all&sex=M", "substance=aspirin", "class=opioids"]
)
def test_sentence_has_no_such_words_without_the_two_together(query):
    f, _ = Filters.from_query(query)
    assert "only kratom cases can match" not in f.describe()


def test_overview_of_every_case_with_a_coexposure_counts_kratom_cases_only(db):
    """What the sentence warns of: of 6 FAERS cases, only 900001 (a kratom case) is counted for
    alcohol, and no case for aspirin, which 900002 (not kratom) reports."""
    alcohol, _ = Filters.from_query("population=all&substance=alcohol")
    assert qo.headline(db, alcohol) == {
        "n_cases": 1,
        "n_serious": 1,
        "n_deaths": 0,
        "n_kratom": 1,  # 100% naming kratom
        "n_kratom_only": 0,
    }
    aspirin, _ = Filters.from_query("population=all&substance=aspirin")
    assert qo.headline(db, aspirin)["n_cases"] == 0


@pytest.mark.parametrize(
    ("query", "ids", "n_substances", "n_events"),
    [
        # 900002 reports ASPIRIN, but its drugs are not stored: no case matches
        ("population=all&substance=aspirin", [], 0, 0),
        ("population=all&class=opioids", [900005], 2, 2),
        ("population=all&substance=alcohol&substance=gabapentin", [900001, 900006], 4, 3),
    ],
)
def test_extract_of_a_coexposure_filter_holds_kratom_cases_and_says_so(
    model_db: Path, query, ids, n_substances, n_events
) -> None:
    for fmt in FORMATS:
        tables, manifest = read_tables(build(model_db, query, fmt, view="/"))
        assert case_ids(tables) == ids
        assert [df.height for df in tables.values()] == [len(ids), n_substances, n_events]
        assert [e["rows"] for e in manifest["tables"].values()] == [
            len(ids),
            n_substances,
            n_events,
        ]
        assert manifest["filters"]["description"].endswith(KRATOM_ONLY_MATCH)
        assert manifest["filters"]["query"] == query
        assert any("every case in this file names kratom" in c for c in manifest["caveats"])


def test_extract_of_every_case_without_a_coexposure_filter_has_no_such_caveat(model_db) -> None:
    tables, manifest = read_tables(build(model_db, "population=all", "parquet", view="/"))
    assert case_ids(tables) == EVERY_CASE
    assert not any("every case in this file names kratom" in c for c in manifest["caveats"])


# --- 2. Extracts on the pages that show kratom cases hold those kratom cases ---

KRATOM_PAGE_LINKS = [
    # (query, kratom cases the page shows, the manifest's sentence, the file's query)
    ("population=all", [900001, 900005, 900006], DEFAULT_SENTENCE, ""),
    ("population=all&role=primary", [900001, 900005], PRIMARY_SENTENCE, "role=primary"),
    (
        "population=all&product=leaf_powder",
        [900006],
        "Kratom cases (kratom in any role), all dates, product leaf/powder, "
        "from FAERS quarterly files.",
        "product=leaf_powder",
    ),
    (
        "population=all&kratom_only=true",
        [],  # none of the three is kratom-only
        "Kratom cases (kratom in any role), all dates, no substance but kratom, "
        "from FAERS quarterly files.",
        "kratom_only=true",
    ),
]


# Signals holds the cases its table counts, which applies fewer filters: its own tests in
# tests/dashboard/test_signals_extract.py.
@pytest.mark.parametrize("page", [p for p in population.KRATOM_PAGES if p != "/signals"])
@pytest.mark.parametrize(("query", "ids", "sentence", "file_query"), KRATOM_PAGE_LINKS)
def test_extract_on_a_kratom_page_holds_the_kratom_cases_it_shows(
    model_db: Path, page, query, ids, sentence, file_query
) -> None:
    tables, manifest = read_tables(build(model_db, query, "csv", view=page))
    assert projected(tables) == expected(ids)
    assert manifest["tables"]["cases"]["rows"] == len(ids)
    assert manifest["filters"]["description"] == sentence
    assert manifest["filters"]["query"] == file_query
    assert manifest["filters"]["link"] == (f"{page}?{file_query}" if file_query else page)
    (note,) = manifest["ignored_parameters"]
    assert note.startswith(f"ignored 'population=all': the {population.PAGE_NAMES[page]} page")
    assert "every FAERS case: download from Overview, Event types or Cases" in note


def test_a_full_link_to_a_kratom_page_gives_the_same_file(model_db: Path) -> None:
    """`kratom-etl export --query` with the page's link: the same rows as its download bar."""
    x = build(model_db, "http://127.0.0.1:8050/trends?population=all&role=primary", "parquet")
    tables, manifest = read_tables(x)
    assert projected(tables) == expected([900001, 900005])
    assert manifest["view"] == "/trends" and manifest["filters"]["link"] == "/trends?role=primary"
    assert x.name == "kratom_FILTERED_20261124-213005Z.parquet.zip"


@pytest.mark.parametrize("page", ["/", "/events", "/cases", "/about", None])
@pytest.mark.parametrize("query", [q for q, *_ in KRATOM_PAGE_LINKS])
def test_extract_elsewhere_holds_every_faers_case(model_db: Path, page, query) -> None:
    """The kratom criteria do not apply to every case (`Filters.to_sql`): all 6 cases."""
    tables, manifest = read_tables(build(model_db, query, "parquet", view=page))
    assert case_ids(tables) == EVERY_CASE
    assert manifest["tables"]["cases"]["rows"] == 6
    assert manifest["filters"]["description"] == (
        "All cases (kratom or not), all dates, from FAERS quarterly files."
    )
    assert manifest["filters"]["query"] == query and manifest["ignored_parameters"] == []


# --- 3. The download bar says what its file holds ---


@pytest.mark.parametrize(
    ("search", "path", "words"),
    [
        ("", "/coexposures", downloads.WHAT),
        ("?role=primary", "/", downloads.WHAT),
        ("?population=all", "/", downloads.EVERY_CASE),
        ("?population=all&role=primary", "/cases", downloads.EVERY_CASE),
        ("?population=all", "/trends", downloads.KRATOM_CASES),
        (
            "?population=all&role=primary",
            "/signals",
            signals_extract.BAR + " As in the table: primary suspect read as any suspect.",
        ),
        (None, {"not": "a path"}, downloads.WHAT),  # a hand-made request
        ("?population=all", None, downloads.EVERY_CASE),
        ("?population=all&substance=fentanyl", "/", downloads.EVERY_CASE_COEXPOSURE),
        ("?population=all&class=opioids", "/events", downloads.EVERY_CASE_COEXPOSURE),
        ("?population=all&substance=fentanyl", "/trends", downloads.KRATOM_CASES),
    ],
)
def test_download_bar_says_which_cases_the_file_holds(search, path, words):
    assert downloads.what_it_holds(search, path) == words


def test_download_bar_words():
    assert downloads.EVERY_CASE.startswith("Downloads every FAERS case matching the filters")
    assert downloads.KRATOM_CASES.startswith("Downloads the kratom cases this page shows")
