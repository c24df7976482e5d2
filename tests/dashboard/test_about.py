"""The About page: vintage, funnel, kratom terms and spellings, and the data dictionary.

Hand counts from tests/fixtures/model/README.md: 10 report versions (aers 3, faers 7) → 7 latest
(aers 2, faers 5) → 6 after the deleted lists (aers 1, faers 5); quarters 2012Q2, 2013Q1, 2021Q4;
3 kratom cases of 6 kept.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboard import dictionary, input_issues, openfda_funnel
from dashboard.db import Database
from dashboard.figures import EMPTY_MESSAGE
from dashboard.figures import about as fig
from dashboard.queries import about as q
from etl.pipeline import build
from tests.conftest import MODEL_QUARTERS
from tests.dashboard.helpers import annotation_texts, dash_page, plotly_figure, text_of
from tests.etl.test_bad_input_catalogue import (
    _add_drugless_links,
    _junk_values,
    quarter_copy,
    zip_quarter,
)
from tests.etl.test_openfda_model import fixture_frames as openfda_fixture_frames

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def about_page(model_db):
    return dash_page(model_db, "pages.about")


def test_funnel_per_era_and_total(db):
    assert q.funnel(db).rows() == [
        ("aers", 3, 2, 1),
        ("faers", 7, 5, 5),
        ("total", 10, 7, 6),
    ]


def test_vintage(db):
    v = q.vintage(db)
    assert isinstance(v.pop("built_at"), dt.datetime)
    assert v == {
        "first_quarter": "2012Q2",
        "last_quarter": "2021Q4",
        "n_quarters": 3,
        "n_cases": 6,
        "n_kratom_cases": 3,
        "is_synthetic": False,
    }


def test_kratom_terms_are_the_reviewed_list(db):
    with open(REPO / "etl" / "reference" / "kratom_terms.csv", encoding="utf-8") as fh:
        reviewed = {row["pattern_id"]: row for row in csv.DictReader(fh)}
    terms = q.kratom_terms(db)
    assert sorted(terms["pattern_id"].to_list()) == sorted(reviewed)
    assert terms["priority"].to_list() == sorted(terms["priority"].to_list())
    for row in terms.iter_rows(named=True):
        assert (row["pattern"], row["product_type"]) == (
            reviewed[row["pattern_id"]]["pattern"],
            reviewed[row["pattern_id"]]["product_type"],
        )


def test_matched_spellings_with_their_pattern(db):
    spellings = q.kratom_spellings(db)
    assert spellings.drop("pattern").rows() == [
        ("7-OH TABLETS", "c7oh_7oh", "concentrate_7oh", 1, 1),
        ("KRATUM", "gen_kratom", "unspecified", 1, 1),
        ("MITRAGYNA SPECIOSA LEAF", "leaf_form", "leaf_powder", 1, 1),
        ("KRATOM", "gen_kratom", "unspecified", 0, 1),
        ("MAENG DA KRATOM", "leaf_maeng_da", "leaf_powder", 0, 1),
    ]
    patterns = dict(q.kratom_terms(db).select("pattern_id", "pattern").rows())
    assert spellings["pattern"].to_list() == [patterns[p] for p in spellings["pattern_id"]]


def test_funnel_figure_stacks_eras_with_totals():
    df = pl.DataFrame(
        {
            "era": ["aers", "faers", "total"],
            "report_versions": [3, 7, 10],
            "latest_versions": [2, 5, 7],
            "after_deleted": [1, 5, 6],
        }
    )
    figure = plotly_figure(fig.funnel_figure(df))
    assert [t.type for t in figure.data] == ["bar", "bar", "scatter"]
    assert figure.layout.title.text == fig.FUNNEL_TITLE
    assert figure.layout.xaxis.title.text and figure.layout.yaxis.title.text
    assert figure.layout.barmode == "stack"
    assert list(figure.data[0].y) == [3, 2, 1]
    assert list(figure.data[0].customdata) == ["3 (100.0%)", "2 (66.7%)", "1 (33.3%)"]
    assert list(figure.data[2].text) == ["total 10", "total 7", "total 6"]


def test_funnel_figure_empty_state():
    empty = pl.DataFrame(
        schema={
            "era": pl.String,
            "report_versions": pl.Int64,
            "latest_versions": pl.Int64,
            "after_deleted": pl.Int64,
        }
    )
    figure = plotly_figure(fig.funnel_figure(empty))
    assert figure.data == ()
    assert figure.layout.title.text == fig.FUNNEL_TITLE
    assert figure.layout.annotations[0].text != EMPTY_MESSAGE  # says why: nothing loaded
    assert "No FAERS report versions" in annotation_texts(figure)[0]


def test_docs_file_is_generated_from_the_dictionary():
    docs = (REPO / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert docs == dictionary.markdown(), (
        "run: python -m dashboard.dictionary > docs/data-dictionary.md"
    )


@pytest.mark.parametrize("table", dictionary.TABLES, ids=lambda t: t.key)
def test_dictionary_matches_the_built_model(model_db, table):
    con = duckdb.connect(str(model_db), read_only=True)
    try:
        described = con.execute(f"DESCRIBE {table.name}").fetchall()
    finally:
        con.close()
    assert [(c.name, c.type) for c in table.columns] == [(r[0], r[1]) for r in described]
    assert all(len(c.meaning) > 20 and c.meaning.endswith(".") for c in table.columns)


def test_about_page_callback(about_page):
    outputs = about_page.update("")
    synthetic, vintage, funnel_table, openfda, kratom, duplicates, figure, *rest = outputs
    terms, spellings, *issues = rest
    assert synthetic is False
    assert "2012Q2 to 2021Q4 (3 quarterly files read)" in text_of(vintage)
    assert "Cases kept: 6, of which naming kratom: 3" in text_of(vintage)
    rows = [text_of(tr) for tr in funnel_table.children[1].children]
    assert rows == [
        "Legacy AERS (to 2012Q3) 3 2 1",
        "FAERS (2012Q4 on) 7 5 5",
        "All eras 10 7 6",
    ]
    assert openfda_funnel.NO_OPENFDA in text_of(openfda)  # a plain build fetches nothing
    assert "All years: 5 report versions naming kratom → 4 latest" in text_of(kratom)
    assert "0 kratom cases and 0 cases in all are probable duplicates" in text_of(duplicates)
    assert [t.type for t in plotly_figure(figure).data] == ["bar", "bar", "scatter"]
    assert len(spellings) == 5 and {"spelling", "pattern", "n_cases"} <= set(spellings[0])
    assert len(terms) > 0
    assert issues == [input_issues.NO_ISSUES, []]  # the model fixture's files are clean


def test_about_page_layout_shows_sources_caveats_and_every_column(about_page):
    text = text_of(about_page.layout())
    for words in ("FDA FAERS quarterly data files", "openFDA", "poison-center", "No causation",
                  "Duplicates", "Under-reporting", "Stimulated reporting", "MedDRA version drift",
                  "Synthetic data", input_issues.INPUT_ISSUES):  # fmt: skip
        assert words in text, words
    for table in dictionary.TABLES:
        for column in table.columns:
            assert column.meaning in text


@pytest.fixture(scope="module")
def openfda_db(tmp_path_factory) -> Database:
    """The model fixture quarters plus the two hand-written openFDA pages (see
    tests/etl/test_openfda_model.py for the hand counts of every report)."""
    path = tmp_path_factory.mktemp("about_openfda") / "kratom.duckdb"
    build(path, MODEL_QUARTERS, openfda_frames=openfda_fixture_frames())
    return Database(path)


def test_openfda_funnel_per_source(openfda_db, db):
    # drug/event: 5 fetched; 900010 KETUM GEL is not kratom; 900005 (a quarterly case) and
    # 900003 (on a deleted list) are in the quarterly files; 900008 was received 2021-12-15,
    # before the cutoff 2022-01-01 (after 2021Q4); 900009 is added.
    # CAERS: 2 fetched; 2022-CFS-000222 names green tea only; 2022-CFS-000111 is added.
    assert q.openfda_funnel(openfda_db).rows() == [
        ("openfda-faers", 5, 1, 2, 0, 1, 1, dt.date(2022, 1, 1)),
        ("openfda-caers", 2, 1, 0, 0, 0, 1, None),
    ]
    block = openfda_funnel.openfda_funnel_block(q.openfda_funnel(openfda_db))
    table = block.children[2]
    assert text_of(table.children[0]) == "Step FAERS via openFDA CAERS"
    assert [text_of(tr) for tr in table.children[1].children] == [
        "Reports fetched 5 2",
        "No drug row names kratom 1 1",
        "Already in the quarterly files 2 0",
        "No usable received date 0 0",
        "Received before the cutoff 1 0",
        "Added as cases 1 1",
    ]
    assert "on or after 2022-01-01" in text_of(block)
    # nothing fetched: the plain model fixture says so instead of a table of zeros
    assert openfda_funnel.NO_OPENFDA in text_of(
        openfda_funnel.openfda_funnel_block(q.openfda_funnel(db))
    )


# --- input issues (staging.input_issues; docs/bad-input.md) ---------------------------------------


@pytest.fixture(scope="module")
def issues_db(tmp_path_factory) -> Database:
    """The 2018Q1 reader fixture with the bad-input catalogue's junk values and drugless links.

    Hand count (tests/etl/test_bad_input_catalogue.py): DEMO: event_dt 20231399 and mfr_dt
    2018-03-01 not dates, age 999 DEC and weight -55 KG out of range (4 values nulled); THER:
    start_dt 20170230 not a date (nulled), drug 7 of no DRUG row (kept); INDI: drug 3 of no DRUG
    row and a blank drug sequence (kept), drug sequence x not a number (nulled).
    """
    tmp = tmp_path_factory.mktemp("about_issues")
    folder = quarter_copy(tmp)
    _junk_values(folder)
    _add_drugless_links(folder)
    path = tmp / "kratom.duckdb"
    build(path, [zip_quarter(folder)])
    return Database(path)


def test_input_issues_per_file_issue_and_action(issues_db):
    assert q.input_issues(issues_db).rows() == [
        ("2018Q1", "ASCII/DEMO18Q1_new.txt", "demo", "not_a_date", "nulled", 2),
        ("2018Q1", "ASCII/DEMO18Q1_new.txt", "demo", "out_of_range", "nulled", 2),
        ("2018Q1", "ASCII/INDI18Q1.txt", "indi", "no_drug_row", "kept", 2),
        ("2018Q1", "ASCII/INDI18Q1.txt", "indi", "not_a_number", "nulled", 1),
        ("2018Q1", "ASCII/THER18Q1.txt", "ther", "no_drug_row", "kept", 1),
        ("2018Q1", "ASCII/THER18Q1.txt", "ther", "not_a_date", "nulled", 1),
    ]
    summary, rows = input_issues.input_issues_outputs(q.input_issues(issues_db))
    assert summary == (
        "9 recorded in 3 file(s) of 1 quarter(s): 6 values nulled, 3 rows kept unlinked."
    )
    assert [(r["source_file"], r["issue"], r["action"], r["n_issues"]) for r in rows] == [
        ("ASCII/DEMO18Q1_new.txt", "Not a date", "value nulled", 2),
        ("ASCII/DEMO18Q1_new.txt", "Age or weight out of range", "value nulled", 2),
        ("ASCII/INDI18Q1.txt", "Names no drug of its report", "row kept, unlinked", 2),
        ("ASCII/INDI18Q1.txt", "Not a number", "value nulled", 1),
        ("ASCII/THER18Q1.txt", "Names no drug of its report", "row kept, unlinked", 1),
        ("ASCII/THER18Q1.txt", "Not a date", "value nulled", 1),
    ]


def test_input_issues_of_a_database_without_the_table(tmp_path):
    """A database built before the record existed: said so, nothing else fails."""
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA staging; CREATE TABLE staging.demo AS SELECT 1 AS primaryid")
    con.close()
    old = Database(path)
    assert q.input_issues(old) is None
    assert old.has_table("staging.demo") and not old.has_table("staging.input_issues")
    assert input_issues.input_issues_outputs(None) == (input_issues.NOT_RECORDED, [])
