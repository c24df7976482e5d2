"""Kratom name matching: reviewed examples, Python = DuckDB (RE2), and real NaPDI spellings."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from etl.kratom_match import (
    NORMALISED_NAME_SQL,
    load_terms,
    match_kratom,
    matching_terms,
    normalise_name,
)
from etl.reference_data import load_reference

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real"
NAPDI = REAL / "kratom-names" / "NP_FAERS_mapped_20220215.csv"
KRATOM_LOOKUPS = ["Kratom", "Mitragyna speciosa"]

# Real NaPDI kratom spellings we choose not to match, with the reason. None at present:
# CALCIUM KRATOMOS is accepted by its exact word (reason in kratom_terms.csv, gen_kratomos).
DELIBERATELY_UNMATCHED: dict[str, str] = {}


def _examples() -> pl.DataFrame:
    return load_reference("kratom_term_examples")


def test_every_example_gets_its_expected_answer() -> None:
    wrong = []
    for text, product_type in _examples().select("text", "product_type").rows():
        term = match_kratom(text)
        got = term.product_type if term else None
        if got != product_type:
            wrong.append((text, got, product_type))
    assert wrong == []


def test_examples_cover_every_product_type_and_negatives() -> None:
    examples = _examples()
    assert set(examples["product_type"].drop_nulls()) == {t.product_type for t in load_terms()}
    assert examples.filter(~pl.col("is_kratom")).height >= 30


def test_every_pattern_is_exercised_by_a_positive_example() -> None:
    positives = _examples().filter(pl.col("is_kratom"))["text"]
    used = {term.pattern_id for text in positives for term in matching_terms(text)}
    assert {term.pattern_id for term in load_terms()} - used == set()


def test_duckdb_re2_matches_exactly_like_python() -> None:
    terms = load_reference("kratom_terms")
    texts = _examples().select("text")
    python = sorted(
        (text, term.pattern_id) for text in texts["text"] for term in matching_terms(text)
    )
    con = duckdb.connect()
    con.register("terms", terms.to_arrow())
    con.register("texts", texts.to_arrow())
    normalised = NORMALISED_NAME_SQL.format(column="texts.text")
    sql = f"""
        SELECT texts.text, terms.pattern_id
        FROM texts JOIN terms ON regexp_matches({normalised}, terms.pattern)
        ORDER BY 1, 2
    """
    assert con.execute(sql).fetchall() == python
    positives = _examples().filter(pl.col("is_kratom")).height
    assert len({text for text, _ in python}) == positives


def test_duckdb_normalisation_equals_python() -> None:
    names = ["kratom", "  Kratom\t\tPOWDER \n", "MAENG  DA", "7-oh", "a\fb\vc\rd"]
    con = duckdb.connect()
    sql = f"SELECT {NORMALISED_NAME_SQL.format(column='x')} FROM (SELECT ? AS x)"
    duck = [con.execute(sql, [name]).fetchone()[0] for name in names]
    assert duck == [normalise_name(name) for name in names]
    assert duck == ["KRATOM", "KRATOM POWDER", "MAENG DA", "7-OH", "A B C D"]


OHM, OMEGA, SMALL_OMEGA = "\u2126", "\u03a9", "\u03c9"  # the first two look the same


@pytest.mark.parametrize(
    "brand", [f"7{OMEGA}HMZ", f"7{OHM}HMZ", f"7{SMALL_OMEGA}hmz", f"7{OHM}hmz"]
)
def test_7ohmz_with_omega_or_ohm_sign_matches_in_python_and_duckdb(brand: str) -> None:
    """Upper-casing keeps the Ohm sign U+2126 apart from omega U+03A9: the pattern names both."""
    assert match_kratom(brand).pattern_id == "c7oh_ohmz"
    con = duckdb.connect()
    con.register("terms", load_reference("kratom_terms").to_arrow())
    normalised = NORMALISED_NAME_SQL.format(column="?")
    sql = f"SELECT pattern_id FROM terms WHERE regexp_matches({normalised}, pattern)"
    assert con.execute(sql, [brand]).fetchall() == [("c7oh_ohmz",)]


def test_ohm_sign_brand_is_kratom_through_the_build(tmp_path: Path) -> None:
    """The build's own SQL (drug_names, kratom_drugs, openfda_drugs) on 7\u2126HMZ."""
    from etl.pipeline import build
    from etl.sources import openfda_rows
    from tests.etl.test_bad_input_catalogue import DRUG, quarter_copy, rows, set_field, zip_quarter

    folder = quarter_copy(tmp_path)
    set_field(folder / DRUG, 5, 4, f"7{OHM}HMZ".encode())  # case 14000002's KETUM GEL
    set_field(folder / DRUG, 5, 5, b"")  # its prod_ai KETOPROFEN
    report = {
        "safetyreportid": "99000001",
        "receivedate": "20180510",
        "patient": {"drug": [{"medicinalproduct": f"7{OHM}HMZ GUMMIES"}]},
    }
    frames = {"openfda-faers": openfda_rows.drug_event_rows([report])}
    path = tmp_path / "kratom.duckdb"
    build(path, [zip_quarter(folder)], openfda_frames=frames)
    cases = "SELECT source_case_id, kratom_product_type FROM model.cases WHERE is_kratom"
    assert sorted(rows(path, cases)) == [
        ("14000001", "leaf_powder"),  # MAENG DA (Kratom), as before
        ("14000002", "concentrate_7oh"),  # was KETUM GEL: not kratom
        ("6000001", "unspecified"),  # KRATOM
        ("99000001", "concentrate_7oh"),
    ]
    spelling = (
        "SELECT matched_text, pattern_id FROM model.kratom_drugs WHERE primary_id = 140000021"
    )
    assert rows(path, spelling) == [(f"7{OHM}HMZ", "c7oh_ohmz")]


@pytest.mark.parametrize("name", [None, "", "   ", "\t"])
def test_missing_names_are_not_kratom(name: str | None) -> None:
    assert match_kratom(name) is None


def test_lowest_priority_wins_whatever_the_file_order(tmp_path: Path) -> None:
    (tmp_path / "kratom_terms.csv").write_text(
        "pattern_id,pattern,product_type,priority,source,openfda_words,openfda_note\n"
        "z_generic,\\bKRATOM\\b,unspecified,90,test,kratom,\n"
        "a_extract,\\bEXTRACT\\b,extract,30,test,,test\n",
        encoding="utf-8",
    )
    terms = load_terms(tmp_path)
    assert [t.pattern_id for t in terms] == ["a_extract", "z_generic"]
    assert match_kratom("kratom extract", terms).pattern_id == "a_extract"
    assert match_kratom("KRATOM", terms).pattern_id == "z_generic"
    assert match_kratom("EXTRACT", terms).pattern_id == "a_extract"


def _napdi() -> pl.DataFrame:
    if not NAPDI.is_file():
        pytest.skip(f"real NaPDI kratom-name file absent: {NAPDI}")
    return pl.read_csv(NAPDI, infer_schema=False)


def test_real_napdi_kratom_spellings_all_match() -> None:
    kratom = _napdi().filter(pl.col("lookup_value").is_in(KRATOM_LOOKUPS))
    names = sorted(set(kratom["FAERS_drug_match"]))
    assert len(names) == 88
    unmatched = [name for name in names if match_kratom(name) is None]
    assert unmatched == sorted(DELIBERATELY_UNMATCHED)


def test_real_napdi_other_products_match_nothing() -> None:
    others = _napdi().filter(~pl.col("lookup_value").is_in(KRATOM_LOOKUPS))
    names = sorted(set(others["FAERS_drug_match"].drop_nulls()))
    assert len(names) > 500
    assert [name for name in names if match_kratom(name) is not None] == []
