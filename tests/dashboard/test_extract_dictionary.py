"""Every extract explains its own columns and codes (dictionary.csv, the Dictionary sheet), and
the workbook's sheets can be filtered with their header row in view.

Hand counts from the model fixture's files (tests/fixtures/model/README.md and its DEMO rows):
the kratom cases 900001 (kept version from 2013Q1: occp_cod CN, sex NS, event_dt 20120301 in a
2013 file, 35 YR, rept_cod EXP; KRATUM PS unspecified, ALCOHOL SS), 900005 (2021Q4: HP, M,
20210901 padded, 800 WK, EXP; 7-OH PS concentrate_7oh, FENTANYL C) and 900006 (2021Q4: CN, F,
20210101 padded, 4 DY, EXP; NEURONTIN PS, MITRAGYNA SPECIOSA LEAF C leaf_powder).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from dashboard import dictionary, extract_dictionary, extract_manifest
from tests.dashboard.test_extracts import FORMATS, build

# (table, column) -> {code: rows of the default extract (3 kratom cases) holding it}
HELD = {
    ("cases", "era"): {"aers": 0, "faers": 3, "openfda": 0},
    ("cases", "source"): {"faers-quarterly": 3, "openfda-faers": 0, "openfda-caers": 0},
    ("cases", "event_date_precision"): {"day": 1, "month": 1, "year": 1},
    ("cases", "age_band"): {
        "0-27d": 1,
        "28d-23m": 0,
        "2-11": 0,
        "12-17": 1,
        "18-64": 1,
        "65-74": 0,
        "75-84": 0,
        "85+": 0,
        "unknown": 0,
    },
    ("cases", "sex"): {"F": 1, "M": 1, "U": 1},
    ("cases", "reporter_type"): {
        "physician": 0,
        "pharmacist": 0,
        "other_health_professional": 1,
        "consumer": 2,
        "lawyer": 0,
        "unknown": 0,
    },
    ("cases", "report_type"): {"EXP": 3, "PER": 0, "DIR": 0, "5DAY": 0, "30DAY": 0},
    ("cases", "kratom_role"): {"PS": 2, "SS": 0, "C": 1, "I": 0},
    ("cases", "kratom_product_type"): {
        "leaf_powder": 1,
        "extract": 0,
        "concentrate_7oh": 1,
        "mixed_product": 0,
        "unspecified": 1,
    },
    ("substances", "kratom_product_type"): {
        "leaf_powder": 1,
        "extract": 0,
        "concentrate_7oh": 1,
        "mixed_product": 0,
        "unspecified": 1,
    },
    ("substances", "role_code"): {"PS": 3, "SS": 1, "C": 2, "I": 0},
    ("substances", "substance_class"): {
        "opioids": 1,  # fentanyl
        "opioid_antagonists": 0,
        "benzodiazepines": 0,
        "stimulants": 0,
        "alcohol": 1,
        "antidepressants": 0,
        "antipsychotics": 0,
        "gabapentinoids": 1,  # NEURONTIN
        "cannabinoids": 0,
        "other_botanicals": 0,
        "kratom": 3,
        "other": 0,
    },
    ("events", "event_group"): {
        "death": 1,
        "overdose_toxicity": 1,
        "dependence_withdrawal": 2,
        "seizure": 0,
        "liver_injury": 0,
        "cardiovascular": 0,
        "respiratory_depression": 0,
        "psychiatric_mood": 0,
        "cognitive_neurological": 1,  # Somnolence
        "gastrointestinal": 0,
        "product_quality": 0,
        "neonatal": 0,
        "other": 0,
    },
}
N_COLUMNS = {"cases": 31, "substances": 13, "events": 4}  # DESCRIBE of the model tables
N_CODES = 3 + 3 + 3 + 9 + 3 + 6 + 5 + 4 + 5 + 5 + 4 + 12 + 13  # the lists above: 75


def dictionary_of(x) -> pl.DataFrame:
    """The dictionary of an extract file, read back as a user would (every value as text)."""
    if x.name.endswith(".xlsx"):
        wb = openpyxl.load_workbook(io.BytesIO(x.content), read_only=True)
        header, *rows = list(wb["Dictionary"].values)
        return pl.DataFrame(rows, schema=list(header), orient="row")
    zf = zipfile.ZipFile(io.BytesIO(x.content))
    return pl.read_csv(zf.read("dictionary.csv"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_extract_has_the_dictionary_of_its_columns_and_codes(model_db: Path, fmt) -> None:
    x = build(model_db, "", fmt)
    words = dictionary_of(x)
    assert words.columns == ["table", "column", "code", "type", "meaning", "rows_with_code"]
    columns = words.filter(pl.col("code").is_null())
    codes = words.filter(pl.col("code").is_not_null())
    assert columns.height == sum(N_COLUMNS.values()) == 48
    assert codes.height == N_CODES == 75
    assert words.height == x.manifest["dictionary"]["rows"] == 123
    # one row per column of each table, in the file's order, with the dictionary's words
    for table in dictionary.TABLES:
        rows = columns.filter(pl.col("table") == table.key)
        assert rows["column"].to_list() == x.manifest["tables"][table.key]["columns"]
        assert rows.select("column", "type", "meaning").rows() == [
            (c.name, c.type, c.meaning) for c in table.columns
        ]
        assert rows["rows_with_code"].null_count() == rows.height
    # the codes of each coded column, each with how many rows of this file hold it
    held = {
        key: dict(
            codes.filter((pl.col("table") == key[0]) & (pl.col("column") == key[1]))
            .select("code", "rows_with_code")
            .rows()
        )
        for key in HELD
    }
    assert held == HELD
    assert list(held[("cases", "kratom_role")]) == ["PS", "SS", "C", "I"]  # the app's order


def test_codes_are_explained_with_the_apps_labels(model_db: Path) -> None:
    words = dictionary_of(build(model_db, "", "csv"))
    meaning = {
        (t, c, k): m for t, c, k, m in words.select("table", "column", "code", "meaning").rows()
    }
    assert meaning["substances", "role_code", "PS"] == "Primary suspect: FAERS role_cod PS"
    assert meaning["cases", "kratom_role", "C"] == "Concomitant: FAERS role_cod C"
    assert meaning["cases", "reporter_type", "consumer"] == "Consumer: FAERS occp_cod CN"
    assert meaning["cases", "sex", "U"] == "Not known: UNK, NS, blank or any other code"
    assert meaning["cases", "event_date_precision", "month"].startswith("Month: year and month")
    assert meaning["cases", "age_band", "0-27d"] == "0 to 27 days: ICH E11 newborns"
    assert meaning["events", "event_group", "product_quality"] == (
        "Product quality and contamination"  # etl/reference/event_group_list.csv's label
    )
    assert meaning["cases", "kratom_product_type", "unspecified"] == (
        "Not stated: the name says kratom but not the form"
    )


def test_a_code_not_on_the_list_and_a_column_not_described_are_said_so() -> None:
    """dictionary_frame on hand-made tables: an unknown report type (held by 1 of 2 rows), a
    blank sex (no row for it), a column a newer ETL might add."""
    frame = extract_dictionary.dictionary_frame(
        {
            "cases": pl.DataFrame(
                {
                    "case_id": [1, 2],
                    "sex": ["F", None],
                    "report_type": ["EXP", "7DAY"],
                    "new_score": [0.5, 1.5],
                }
            )
        }
    )
    rows = frame.select("column", "code", "type", "meaning", "rows_with_code").rows()
    assert [r[:2] for r in rows if r[0] == "sex"] == [
        ("sex", None),
        ("sex", "F"),
        ("sex", "M"),
        ("sex", "U"),
    ]
    assert [r[4] for r in rows if r[0] == "sex"] == [None, 1, 0, 0]
    assert [(r[1], r[4]) for r in rows if r[0] == "report_type"][1:] == [
        ("EXP", 1),
        ("PER", 0),
        ("DIR", 0),
        ("5DAY", 0),
        ("30DAY", 0),
        ("7DAY", 1),
    ]
    assert rows[-1] == ("new_score", None, "Float64", extract_dictionary.UNDESCRIBED, None)
    assert ("report_type", "7DAY", None, extract_dictionary.UNLISTED_CODE, 1) in rows


def test_a_cut_table_counts_the_codes_it_holds(model_db: Path, monkeypatch) -> None:
    monkeypatch.setattr(extract_manifest, "SPREADSHEET_MAX_ROWS", 2)  # the header and 900001
    words = dictionary_of(build(model_db, "", "csv"))
    role = words.filter((pl.col("column") == "kratom_role") & pl.col("code").is_not_null())
    assert role.select("code", "rows_with_code").rows() == [
        ("PS", 1),
        ("SS", 0),
        ("C", 0),
        ("I", 0),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_manifest_and_readme_list_the_dictionary(model_db: Path, fmt) -> None:
    x = build(model_db, "role=primary", fmt)
    entry = x.manifest["dictionary"]
    name = "Dictionary" if fmt == "xlsx" else "dictionary.csv"
    assert entry["file"] == name
    assert entry["columns"] == ["table", "column", "code", "type", "meaning", "rows_with_code"]
    # role=primary: 900001 and 900005; the same 48 columns and 75 codes, held or not
    assert entry["rows"] == dictionary_of(x).height == 123
    rows = dict(extract_manifest.sections(x.manifest))["Rows"]
    assert rows[-1].startswith(f"{name}: 123 rows, one per column of each table in this file")


def test_each_format_says_how_its_text_is_kept(model_db: Path) -> None:
    caveats = {fmt: " ".join(build(model_db, "", fmt).manifest["caveats"]) for fmt in FORMATS}
    assert "When opening a CSV file in a spreadsheet, import the columns as text" in caveats["csv"]
    assert "When opening a CSV file" not in caveats["xlsx"]
    assert "Every text cell of this workbook is stored as text" in caveats["xlsx"]
    assert "typed Parquet columns" in caveats["parquet"]
    assert "When opening a CSV file" not in caveats["parquet"]


def test_workbook_sheets_have_an_autofilter_and_a_frozen_header(model_db: Path) -> None:
    x = build(model_db, "role=primary", "xlsx")  # 2 cases, 4 substances, 4 events
    wb = openpyxl.load_workbook(io.BytesIO(x.content))
    assert wb.sheetnames == ["About", "Cases", "Substances", "Events", "Dictionary"]
    # the filter spans the header and every row; columns A.. up to the table's last
    want = {"Cases": "A1:AE3", "Substances": "A1:M5", "Events": "A1:D5", "Dictionary": "A1:F124"}
    for sheet, ref in want.items():
        assert wb[sheet].auto_filter.ref == ref, sheet
        assert wb[sheet].freeze_panes == "A2", sheet
    assert wb["About"].auto_filter.ref is None
    header = [c.value for c in wb["Dictionary"][1]]
    assert header == ["table", "column", "code", "type", "meaning", "rows_with_code"]
    assert [c.value for c in wb["Dictionary"][2]][:2] == ["cases", "case_id"]
