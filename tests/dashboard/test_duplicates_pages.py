"""The About page's probable-duplicate counts and the single-case page's links, over
tests/fixtures/duplicates/ 2022Q1 built alone (hand counts in its README).

After 2022Q1, 10 cases are set aside: by the manufacturer number 700002 (for 700001) and
700021 (for 700022); by content 700007 (kratom, for 700008) and SEVENCO's 700030-700035 (for
700036); by both 700020 (for 700022). So manufacturer 2, content 7, both 1; kratom: 1 by
content. The model fixture, built without duplicates, has none.
"""

from __future__ import annotations

import re
import sys

import duckdb
import pytest

from dashboard.db import Database
from dashboard.duplicates_block import NOT_BUILT, duplicates_block
from dashboard.queries import about
from dashboard.queries import cases as q
from tests.dashboard.helpers import dash_page, rows, text_of


def test_about_counts_by_rule(duplicates_db):
    df = about.probable_duplicates(Database(duplicates_db))
    assert rows(df) == [
        ("manufacturer_number", 2, 0),
        ("same_content", 7, 1),
        ("manufacturer_number+same_content", 1, 0),
    ]
    text = text_of(duplicates_block(df))
    assert "1 kratom case and 10 cases in all are probable duplicates" in text
    assert "Same manufacturer case number 0 2" in text and "Both 0 1" in text


def test_about_without_the_table(duplicates_db, tmp_path):
    old = tmp_path / "old.duckdb"
    old.write_bytes(duplicates_db.read_bytes())
    con = duckdb.connect(str(old))
    con.execute("DROP TABLE model.probable_duplicates")
    con.close()
    df = about.probable_duplicates(Database(old))
    assert df is None
    assert NOT_BUILT in text_of(duplicates_block(df))
    assert q.case_duplicates(Database(old), 700007).is_empty()


def test_model_fixture_has_none(db):
    df = about.probable_duplicates(db)
    assert df.is_empty()
    assert "0 kratom cases and 0 cases in all" in text_of(duplicates_block(df))


def page_text(page, case_id: str) -> str:
    """The page's text with the spaces text_of puts around links and before punctuation gone."""
    text = " ".join(text_of(page.layout(case_id=case_id)).split())
    return re.sub(r" ([,.)])", r"\1", text)


@pytest.fixture()
def case_page(duplicates_db):
    dash_page(duplicates_db, "pages.case")
    return sys.modules["pages.case"]


def test_case_set_aside_names_the_case_shown(case_page):
    text = page_text(case_page, "700007")
    assert "Probable duplicate" in text  # the badge
    assert "Set aside as a probable duplicate of case 700008" in text
    assert "the same event date, age, sex, country, drugs and reactions" in text


def test_case_shown_lists_the_cases_set_aside(case_page):
    text = page_text(case_page, "700022")
    assert "Shown in place of probable duplicate cases 700020 " in text
    assert "700021 (the same manufacturer case number)" in text
    assert "700020 (the same manufacturer case number and the same content)" in text
    assert "Probable duplicate " not in text.replace("Probable duplicates", "")  # no badge


def test_unlinked_case_has_no_section(case_page):
    assert "Probable duplicates" not in page_text(case_page, "700009")
