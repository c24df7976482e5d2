"""The shell's download buttons in a real browser, with a filter applied: each file is saved,
opened and checked against the hand counts of tests/fixtures/model/README.md and against a
direct read-only query of the fixture database (the filter written again here, independently).

role=primary keeps the kratom cases where kratom is the primary suspect: 900001 (KRATUM PS with
ALCOHOL SS; Drug dependence, Withdrawal syndrome) and 900005 (7-OH TABLETS PS with FENTANYL.
concomitant; Toxicity to various agents, Death). 900006 has kratom as concomitant only.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest
from playwright.sync_api import Page, expect
from polars.testing import assert_frame_equal

from dashboard import signals_extract
from tests.e2e.helpers import csv_download, page_problems, wait_for_text

pytestmark = pytest.mark.e2e

CASES = [900001, 900005]
SUBSTANCES = {900001: ["KRATUM", "ALCOHOL"], 900005: ["7-OH TABLETS", "FENTANYL."]}
EVENTS = {
    900001: ["Drug dependence", "Withdrawal syndrome"],
    900005: ["Death", "Toxicity to various agents"],
}
TABLES = ("cases", "substances", "events")
BUTTONS = {"csv": "Download CSV", "parquet": "Download Parquet", "xlsx": "Download Excel"}
SUFFIXES = {"csv": "csv.zip", "parquet": "parquet.zip", "xlsx": "xlsx"}


def direct(db: Path, sql: str) -> pl.DataFrame:
    """A read-only query of the fixture database, not through the dashboard's code."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{db}' AS fixture (READ_ONLY)")
        return con.sql(sql.replace("model.", "fixture.model.")).pl()
    finally:
        con.close()


PRIMARY = "SELECT * FROM model.cases WHERE is_kratom AND kratom_role = 'PS' ORDER BY case_id"


def grouped(rows: list[dict], column: str) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for row in rows:
        out.setdefault(int(row["case_id"]), []).append(row[column])
    return out


def check_manifest(m: dict, name: str, description: str, rows: dict[str, int], server: str) -> None:
    assert m["file_name"] == name
    assert m["is_synthetic"] is False and m["warning"] is None
    assert m["view"] == "/cases"
    assert m["filters"]["query"] == "role=primary"
    assert m["filters"]["link"] == f"{server}/cases?role=primary"  # whole: opens as it is
    assert m["filters"]["link_is_relative"] is False
    assert m["filters"]["description"] == description
    assert m["ignored_parameters"] == []
    assert {t: m["tables"][t]["rows"] for t in TABLES} == rows
    assert not any(m["tables"][t]["is_cut"] for t in TABLES)
    assert any("do not establish that kratom" in c for c in m["caveats"])
    stamp = re.search(r"_(\d{8}-\d{6})Z\.", name).group(1)
    made = dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S").replace(tzinfo=dt.UTC)
    assert m["created_at"] == made.strftime("%Y-%m-%dT%H:%M:%SZ")


def download(page: Page, fmt: str, folder: Path) -> Path:
    """Click a download button, check the file's name and save it into `folder`."""
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name=BUTTONS[fmt]).click()
    after = dt.datetime.now(dt.UTC)
    name = info.value.suggested_filename
    assert re.fullmatch(rf"kratom_FILTERED_\d{{8}}-\d{{6}}Z\.{re.escape(SUFFIXES[fmt])}", name)
    made = dt.datetime.strptime(name[16:31], "%Y%m%d-%H%M%S").replace(tzinfo=dt.UTC)
    assert before <= made <= after  # the stamp is when the extract was made, in UTC
    path = folder / name
    info.value.save_as(path)
    return path


def test_three_downloads_of_a_filtered_view(page: Page, live_server, model_db, tmp_path):
    problems = page_problems(page)
    page.goto(live_server + "/cases?role=primary")
    wait_for_text(page, "#cases-count", "2 cases match.")
    # the sentence has its own callback: wait for it (read at once, it was once still empty)
    expect(page.locator("#filters-description")).to_contain_text("primary suspect")
    description = page.locator("#filters-description").inner_text().strip()
    expected_cases = direct(model_db, PRIMARY)
    assert expected_cases["case_id"].to_list() == CASES

    # CSV: a zip of three UTF-8 CSV files (with BOM), dictionary.csv, manifest.json and README.txt
    path = download(page, "csv", tmp_path)
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        assert names == {f"{t}.csv" for t in TABLES} | {
            "dictionary.csv",
            "manifest.json",
            "README.txt",
        }
        tables = {
            t: list(csv.DictReader(io.StringIO(zf.read(f"{t}.csv").decode("utf-8-sig"))))
            for t in TABLES
        }
        manifest = json.loads(zf.read("manifest.json"))
        readme = zf.read("README.txt").decode()
    assert [int(r["case_id"]) for r in tables["cases"]] == CASES
    assert [r["quarter"] for r in tables["cases"]] == expected_cases["quarter"].to_list()
    assert grouped(tables["substances"], "drugname") == SUBSTANCES
    assert {k: sorted(v) for k, v in grouped(tables["events"], "pt").items()} == EVENTS
    rows = {t: len(tables[t]) for t in TABLES}
    assert rows == {"cases": 2, "substances": 4, "events": 4}
    check_manifest(manifest, path.name, description, rows, live_server)
    assert description in readme.replace("\n    ", " ")

    # Parquet: the same tables, typed; the cases equal the direct query column for column
    path = download(page, "parquet", tmp_path)
    with zipfile.ZipFile(path) as zf:
        assert set(zf.namelist()) == {f"{t}.parquet" for t in TABLES} | {
            "dictionary.csv",
            "manifest.json",
            "README.txt",
        }
        frames = {t: pl.read_parquet(io.BytesIO(zf.read(f"{t}.parquet"))) for t in TABLES}
        manifest = json.loads(zf.read("manifest.json"))
    assert_frame_equal(frames["cases"], expected_cases)
    assert grouped(frames["substances"].to_dicts(), "drugname") == SUBSTANCES
    frame_rows = {t: frames[t].height for t in TABLES}
    check_manifest(manifest, path.name, description, frame_rows, live_server)

    # Excel: About (the manifest as rows), Cases, Substances, Events, Dictionary
    path = download(page, "xlsx", tmp_path)
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == ["About", "Cases", "Substances", "Events", "Dictionary"]
    sheets = {}
    for sheet, table in zip(wb.sheetnames[1:4], TABLES, strict=True):
        header, *body = wb[sheet].iter_rows(values_only=True)
        sheets[table] = [dict(zip(header, row, strict=True)) for row in body]
    about = [value for row in wb["About"].iter_rows(values_only=True) for value in row if value]
    wb.close()
    assert [r["case_id"] for r in sheets["cases"]] == CASES
    assert grouped(sheets["substances"], "drugname") == SUBSTANCES
    assert {k: sorted(v) for k, v in grouped(sheets["events"], "pt").items()} == EVENTS
    assert description in about and f"Link: {live_server}/cases?role=primary" in about
    assert f"File: {path.name}" in about
    expect(page.locator("#download-status")).to_have_text("")
    assert problems == []


def test_a_download_on_signals_holds_what_its_table_counts(page: Page, live_server, tmp_path):
    """/signals?product=leaf_powder&serious=true: the table applies neither filter (the page
    says "Not applied on this page"), so the file holds the 3 kratom cases the table counts,
    not 900006 alone, and the bar and the manifest say which filters were left out."""
    problems = page_problems(page)
    page.goto(live_server + "/signals?product=leaf_powder&serious=true")
    expect(page.locator("#signals-notes")).to_contain_text(
        "Not applied on this page: kratom product, serious only."
    )
    words = signals_extract.BAR + " Not applied, as in the table: kratom product, serious only."
    expect(page.locator("#download-what")).to_have_text(words)
    cases, manifest = csv_download(page, tmp_path)
    assert [int(r["case_id"]) for r in cases] == [900001, 900005, 900006]
    assert manifest["filters"]["query"] == ""
    assert [n.split(":")[0] for n in manifest["ignored_parameters"]] == [
        "ignored 'product=leaf_powder'",
        "ignored 'serious=true'",
    ]
    assert problems == []
