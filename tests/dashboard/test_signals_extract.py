"""An extract downloaded from Signals holds the cases its table counts, and says which filters
of the link it left out, as the table does.

Model fixture (tests/fixtures/model/README.md), the kratom cases and their strata:
900001 kratom PS, received 2012-04-10, sex U, 18-64, serious (HO, LT), product unspecified,
       consumer; Drug dependence, Withdrawal syndrome (dependence_withdrawal)
900005 kratom PS, received 2021-10-01, M, 12-17, death, concentrate_7oh, health professional;
       Death (death), Toxicity to various agents (overdose_toxicity)
900006 kratom C,  received 2021-10-10, F, 0-27d, other serious, leaf_powder, consumer;
       Somnolence (cognitive_neurological)
The table's `any` variant counts all three, its `suspect` variant 900001 and 900005.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import downloads, signals_extract
from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.queries import signals as q
from tests.dashboard.test_extracts import build, expected, projected, read_tables

ALL3 = [900001, 900005, 900006]
NOT_COUNTED = "this file holds the cases it counts"

# (link, cases the Signals table counts, cases the link's full filters select, the file's query)
LINKS = [
    # the table applies neither the product nor serious only: every kratom case
    ("product=leaf_powder&serious=true", ALL3, [900006], ""),
    # 'primary suspect' counts as any suspect (PS, SS); the product is left out
    ("role=primary&product=leaf_powder", [900001, 900005], [], "role=suspect"),
    # whole years of receipt: to=2012Q1 becomes 2012Q4, and 900001 (2012Q2) is counted
    ("to=2012Q1", [900001], [], "to=2012Q4"),
    # counted by year of receipt, not by event date (900001's event is 2012-03-01)
    ("date=event&from=2021Q1", [900005, 900006], [900005, 900006], "from=2021Q1"),
    ("sex=F&sex=U", [900001, 900006], [900001, 900006], "sex=F&sex=U"),
    ("age=12-17&role=suspect", [900005], [900005], "role=suspect&age=12-17"),
    # an event filter picks the table's rows: the file holds those rows' cases (their a)
    ("pt=Death", [900005], [900005], "pt=Death"),
    ("event_group=dependence_withdrawal", [900001], [900001], "event_group=dependence_withdrawal"),
    # ... but at the event-group level the preferred term picks no row
    ("level=event_group&pt=Death", ALL3, [900005], ""),
    ("duplicates=hide&reporter=consumer&class=opioids", ALL3, [], ""),
    # population=all: Signals compares kratom cases with every other case
    ("population=all&country=US&kratom_only=false", ALL3, ALL3, ""),
]


@pytest.mark.parametrize(("link", "counted", "_everything", "file_query"), LINKS)
def test_the_file_holds_what_the_table_counts(
    model_db: Path, link, counted, _everything, file_query
) -> None:
    tables, manifest = read_tables(build(model_db, link, "parquet", view="/signals"))
    assert projected(tables) == expected(counted)
    assert manifest["filters"]["query"] == file_query
    assert manifest["filters"]["link"] == "/signals" + (f"?{file_query}" if file_query else "")
    # against the table itself: each row's a is the file's cases reporting its term, and with
    # no event filter a + b (every kratom case it counts) is the file's cases
    f, _ = Filters.from_query(link)
    table = q.counts(Database(model_db), f, f.signals_level)
    column = "pt" if f.signals_level == "pt" else "event_group"
    events = tables["events"]
    for term, a in table.select("term", "a").rows():
        assert events.filter(events[column] == term)["case_id"].n_unique() == a, term
    if not (f.pts and f.signals_level == "pt") and not f.event_groups:
        assert set((table["a"] + table["b"]).to_list()) == {len(counted)}


@pytest.mark.parametrize(("link", "_counted", "everything", "_file_query"), LINKS)
def test_elsewhere_the_file_holds_every_filter(
    model_db: Path, link, _counted, everything, _file_query
) -> None:
    """The same links from Cases (or Trends for population=all): the full filters, as before."""
    view = "/trends" if "population=all" in link else "/cases"
    tables, manifest = read_tables(build(model_db, link, "parquet", view=view))
    assert projected(tables) == expected(everything)
    # only the view key's note (level=...) and Trends' on population=all: no filter left out
    kept = ("ignored 'level=", "ignored 'population=all': the Trends page")
    assert all(n.startswith(kept) for n in manifest["ignored_parameters"])


def test_each_filter_left_out_is_in_the_manifest(model_db: Path) -> None:
    link = "product=leaf_powder&serious=true&role=primary&from=2021Q4&date=event"
    link += (
        "&duplicates=hide&source=openfda-faers&source=faers-quarterly&level=event_group&pt=Death"
    )
    x = build(model_db, link, "csv", view="/signals")
    tables, manifest = read_tables(x)
    assert projected(tables) == expected([900005])  # suspect, received 2021
    assert manifest["filters"]["query"] == "from=2021Q1&role=suspect"
    assert manifest["ignored_parameters"] == [
        "ignored 'level=event_group': the Signals table's terms; it selects no case",
        "ignored 'date=event': the Signals table counts by year of receipt; so does this file",
        "ignored 'product=leaf_powder': the Signals table does not apply it (kratom product); "
        + NOT_COUNTED,
        "ignored 'serious=true': the Signals table does not apply it (serious only); "
        + NOT_COUNTED,
        "ignored 'source=faers-quarterly,openfda-faers': the Signals table counts the cases of "
        "FAERS quarterly files only; so does this file",
        "ignored 'role=primary': " + signals_extract.PRIMARY,
        "ignored 'from=2021Q4': the Signals table counts whole years of receipt; this file "
        "holds 2021Q1 to the last quarter",
        "ignored 'duplicates=hide': " + signals_extract.DUPLICATES,
        "ignored 'pt=Death': " + signals_extract.PT_AT_GROUP_LEVEL,
    ]
    assert signals_extract.CAVEAT in manifest["caveats"]
    assert x.notes == manifest["ignored_parameters"]  # what `kratom-etl export` prints


def test_population_all_on_signals_says_why(model_db: Path) -> None:
    _, manifest = read_tables(
        build(model_db, "population=all&role=primary", "csv", view="/signals")
    )
    population_note, role_note = manifest["ignored_parameters"]
    assert population_note.startswith("ignored 'population=all': the Signals page compares")
    assert "its table counts" in population_note
    assert role_note == "ignored 'role=primary': " + signals_extract.PRIMARY


def test_no_signals_caveat_elsewhere(model_db: Path) -> None:
    _, manifest = read_tables(build(model_db, "", "csv", view="/trends"))
    assert signals_extract.CAVEAT not in manifest["caveats"]


def test_openfda_cases_are_not_in_the_signals_file(openfda_model_db: Path) -> None:
    """The signal tables are made before openFDA's cases join: from Signals, a link of
    openFDA's cases gives the three FAERS quarterly kratom cases, not 900009."""
    link = "source=openfda-faers"
    tables, manifest = read_tables(build(openfda_model_db, link, "csv", view="/signals"))
    assert any("FAERS quarterly files only" in n for n in manifest["ignored_parameters"])
    assert tables["cases"]["case_id"].to_list() == ALL3
    f, _ = Filters.from_query(link)
    table = q.counts(Database(openfda_model_db), f, "pt")
    assert set((table["a"] + table["b"]).to_list()) == {3}
    tables, _ = read_tables(build(openfda_model_db, link, "csv", view="/cases"))
    assert tables["cases"]["case_id"].to_list() == [900009]


@pytest.mark.parametrize(
    ("search", "extra"),
    [
        ("", ""),
        ("?level=event_group&sex=F", ""),
        ("?role=primary", " As in the table: primary suspect read as any suspect."),
        ("?from=2019Q1&to=2020Q4", ""),
        ("?from=2019Q2", " As in the table: quarters widened to whole years."),
        (
            "?population=all&product=extract&serious=true",
            " Not applied, as in the table: kratom product, serious only.",
        ),
        (
            "?date=event&duplicates=hide&level=event_group&pt=Death",
            " Not applied, as in the table: count by event date, setting probable duplicates "
            "aside, preferred term (at the event-group level).",
        ),
    ],
)
def test_the_download_bar_says_what_the_signals_file_holds(search: str, extra: str) -> None:
    assert downloads.what_it_holds(search, "/signals") == signals_extract.BAR + extra
