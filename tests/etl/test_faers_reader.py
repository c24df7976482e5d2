"""The FAERS quarterly reader on the hand-made fixtures (tests/fixtures/faers/README.md)."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from etl.sources.faers import TABLES, find_quarter_files, load_quarter

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "faers"
QUARTERS = {
    "aers_ascii_2005q3": "2005Q3",
    "aers_ascii_2011q2": "2011Q2",
    "faers_ascii_2012q4": "2012Q4",
    "faers_ascii_2018q1": "2018Q1",
}
# Hand-counted rows loaded per quarter and table (README.md).
LOADED = {
    "2005Q3": {"demo": 3, "drug": 5, "reac": 4, "outc": 2, "rpsr": 2, "ther": 2, "indi": 2},
    "2011Q2": {"demo": 3, "drug": 6, "reac": 4, "outc": 1, "rpsr": 1, "ther": 1, "indi": 2},
    "2012Q4": {"demo": 3, "drug": 4, "reac": 3, "outc": 1, "rpsr": 1, "ther": 1, "indi": 2},
    "2018Q1": {"demo": 3, "drug": 4, "reac": 3, "outc": 2, "rpsr": 1, "ther": 1, "indi": 2},
}
EXTRA_RECORDS = {"aers_ascii_2011q2/ascii/DRUG11Q2.TXT": 1}  # run-on line: 2 records on 1 line


def zip_folder(folder: Path, dest: Path, name: str | None = None) -> Path:
    """Zip `folder`'s files (paths relative to it) into dest/<name or folder name>.zip."""
    target = dest / (name or f"{folder.name}.zip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            zf.write(path, path.relative_to(folder).as_posix())
    return target


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    """All four fixture quarters loaded from zips into one database."""
    tmp = tmp_path_factory.mktemp("zips")
    con = duckdb.connect()
    for folder in QUARTERS:
        load_quarter(con, zip_folder(FIXTURES / folder, tmp))
    return con


def copy_quarter(tmp_path: Path, name: str = "faers_ascii_2018q1") -> Path:
    return Path(shutil.copytree(FIXTURES / name, tmp_path / name))


def test_rows_loaded_per_table_and_quarter(loaded: duckdb.DuckDBPyConnection) -> None:
    found: dict[str, dict[str, int]] = {q: {} for q in LOADED}
    for table in TABLES:
        for quarter, n in loaded.execute(
            f"SELECT quarter, count(*) FROM raw.{table} GROUP BY quarter"
        ).fetchall():
            found[quarter][table] = n
    assert found == LOADED


def test_summary_reports_loaded_rejected_and_deleted(tmp_path: Path) -> None:
    summary = load_quarter(duckdb.connect(), FIXTURES / "aers_ascii_2011q2")
    assert (summary.quarter, summary.rows_loaded, summary.rows_rejected) == (
        "2011Q2", LOADED["2011Q2"], 1
    )  # fmt: skip
    summary = load_quarter(duckdb.connect(), zip_folder(FIXTURES / "faers_ascii_2018q1", tmp_path))
    assert (summary.deleted_listings, summary.header_only_tables) == (2, ())


def _physical_and_blank(path: Path) -> tuple[int, int]:
    lines = path.read_bytes().split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    blank = sum(1 for line in lines[1:] if not line.strip(b" \t\r"))
    return len(lines), blank


def test_every_file_accounts_for_every_data_line(loaded: duckdb.DuckDBPyConnection) -> None:
    manifest = {
        (q, f): (n_lines, n_loaded + n_rejected)
        for q, f, n_lines, n_loaded, n_rejected in loaded.execute(
            "SELECT quarter, source_file, n_lines, n_rows_loaded, n_rows_rejected "
            "FROM raw.manifest WHERE table_name <> 'deleted'"
        ).fetchall()
    }
    assert len(manifest) == 28
    for folder, quarter in QUARTERS.items():
        for table, member in find_quarter_files(FIXTURES / folder).tables.items():
            physical, blank = _physical_and_blank(FIXTURES / folder / member)
            extra = EXTRA_RECORDS.get(f"{folder}/{member}", 0)
            assert manifest[(quarter, member)] == (physical, physical - 1 - blank + extra), table


def test_manifest_rows_for_quirky_files(loaded: duckdb.DuckDBPyConnection) -> None:
    rows = loaded.execute(
        "SELECT source_file, layout, encoding, n_lines, n_rows_read, n_rows_loaded, "
        "n_rows_rejected, n_blank_lines, n_rows_padded, n_lines_split, ignored_columns "
        "FROM raw.manifest WHERE n_rows_rejected + n_blank_lines + n_rows_padded "
        "+ n_lines_split > 0 OR encoding <> 'utf-8' ORDER BY source_file"
    ).fetchall()
    assert rows == [
        ("Deleted/DELETE18Q1.txt", "deleted-list", "utf-8", 4, 2, 2, 0, 2, 0, 0, None),
        ("ascii/DEMO11Q2.TXT", "aers", "utf-8", 6, 4, 3, 1, 1, 0, 0, None),
        ("ascii/DRUG05Q3.TXT", "aers", "latin-1", 6, 5, 5, 0, 0, 0, 0, None),
        ("ascii/DRUG11Q2.TXT", "aers", "utf-8", 6, 6, 6, 0, 0, 0, 1, None),
        ("ascii/REAC11Q2.TXT", "aers", "utf-8", 7, 4, 4, 0, 2, 0, 0, None),
        ("ascii/drug12q4.txt", "faers", "utf-8", 5, 4, 4, 0, 0, 1, 0, None),
    ]


def test_manifest_sha256_and_header(loaded: duckdb.DuckDBPyConnection) -> None:
    digest, header = loaded.execute(
        "SELECT sha256, header FROM raw.manifest WHERE source_file = 'ascii/demo12q4.txt'"
    ).fetchone()
    member = FIXTURES / "faers_ascii_2012q4" / "ascii" / "demo12q4.txt"
    assert digest == hashlib.sha256(member.read_bytes()).hexdigest()
    assert header.split("$")[13:18] == ["gndr_cod", "e_sub", "wt", "wt_cod", "rept_dt"]


def test_rejects_name_file_line_reason_and_text(loaded: duckdb.DuckDBPyConnection) -> None:
    assert loaded.execute("SELECT * FROM raw.rejects").fetchall() == [
        (
            "2011Q2",
            "demo",
            "ascii/DEMO11Q2.TXT",
            3,
            "24 fields where a record has 23 (stray $ in a value?)",
            "7500002$6000002$I$$7500002-6$$20110420$20110503$EXP$US-ACME$2011-0042$ACME PHARMA"
            "$45$YR$F$Y$70$KG$20110425$MD$$$$UNITED STATES$",
        )
    ]


def test_latin1_value_decoded_with_provenance(loaded: duckdb.DuckDBPyConnection) -> None:
    row = loaded.execute(
        "SELECT quarter, layout, source_file, line_number, primaryid, caseid, drug_seq, drugname, "
        "prod_ai, dose_vbm FROM raw.drug WHERE drug_seq = '1002'"
    ).fetchall()
    assert row == [
        ("2005Q3", "aers", "ascii/DRUG05Q3.TXT", 3, "4700001", None, "1002",
         "DOLIPRANE PARACÉTAMOL", None, "1 G"),
    ]  # fmt: skip


def test_legacy_demo_row_without_reporter_country(loaded: duckdb.DuckDBPyConnection) -> None:
    row = loaded.execute(
        "SELECT * EXCLUDE (quarter, layout, source_file) FROM raw.demo WHERE primaryid = '4700002'"
    ).fetchone()
    names = [d[0] for d in loaded.description]
    values = dict(zip(names, row, strict=True))
    assert {k: v for k, v in values.items() if v is not None} == {
        "line_number": 3, "record_in_line": 1, "primaryid": "4700002", "caseid": "4500002",
        "i_f_code": "I", "image": "4700002-4", "event_dt": "200505", "mfr_dt": "20050620",
        "fda_dt": "20050708",
        "rept_cod": "EXP", "mfr_num": "FR-ACME-0501", "mfr_sndr": "ACME PHARMA", "age": "61",
        "age_cod": "YR", "sex": "F", "e_sub": "Y", "rept_dt": "20050630", "occp_cod": "MD",
    }  # fmt: skip


def test_legacy_ther_and_indi_drug_seq_renamed(loaded: duckdb.DuckDBPyConnection) -> None:
    ther = (
        "SELECT primaryid, dsg_drug_seq, start_dt, dur_cod FROM raw.ther WHERE quarter = '2005Q3'"
    )
    indi = "SELECT primaryid, indi_drug_seq, indi_pt FROM raw.indi WHERE quarter = '2005Q3'"
    assert sorted(loaded.execute(ther).fetchall()) == [
        ("4700001", "1001", "20050601", "DAY"), ("4700002", "1003", "2005", None),
    ]  # fmt: skip
    assert sorted(loaded.execute(indi).fetchall()) == [
        ("4700001", "1001", "PAIN"), ("4700003", "1004", "ARTHRALGIA"),
    ]  # fmt: skip


def test_run_on_line_split_into_two_records(loaded: duckdb.DuckDBPyConnection) -> None:
    rows = loaded.execute(
        "SELECT line_number, record_in_line, primaryid, drug_seq, role_cod, drugname "
        "FROM raw.drug "
        "WHERE quarter = '2011Q2' ORDER BY line_number, record_in_line"
    ).fetchall()
    assert rows == [
        (2, 1, "7500001", "1", "PS", "KRATOM POWDER"),
        (3, 1, "7500001", "2", "C", "ALPRAZOLAM"),
        (4, 1, "7500002", "1", "PS", "ATORVASTATIN"),
        (5, 1, "7500003", "1", "PS", "MITRAGYNINE"),  # one physical line, two records
        (5, 2, "7500003", "2", "SS", "ETHANOL"),
        (6, 1, "7500004", "1", "PS", "ASPIRIN"),
    ]


def test_reporter_country_in_later_legacy_demo(loaded: duckdb.DuckDBPyConnection) -> None:
    rows = loaded.execute(
        "SELECT line_number, primaryid, caseid, reporter_country FROM raw.demo "
        "WHERE quarter = '2011Q2' ORDER BY line_number"
    ).fetchall()
    assert rows == [
        (2, "7500001", "6000001", "UNITED STATES"),
        (5, "7500003", "6000003", "UNITED KINGDOM"),
        (6, "7500004", "6000004", "CANADA"),
    ]


def test_2012q4_renames_bom_ragged_and_mixed_line_ends(loaded: duckdb.DuckDBPyConnection) -> None:
    demo = loaded.execute(
        "SELECT line_number, primaryid, sex, rept_dt, occr_country FROM raw.demo "
        "WHERE quarter = '2012Q4' ORDER BY line_number"
    ).fetchall()
    assert demo == [
        (2, "60000012", "M", "20121101", "US"),
        (3, "80000011", "F", "20121018", "US"),
        (4, "80000021", "NS", "20121130", "US"),
    ]
    drug = loaded.execute(
        "SELECT line_number, primaryid, drugname, route, lot_num, prod_ai, dose_freq FROM raw.drug "
        "WHERE quarter = '2012Q4' ORDER BY line_number"
    ).fetchall()
    assert drug == [
        (2, "60000012", "KRATOM", "Oral", None, None, None),
        (3, "80000011", "OPMS RED KRATOM", "Oral", "LOT7", None, "QD"),
        (4, "80000011", "LISINOPRIL", "Oral", None, None, "QD"),
        (5, "80000021", "KRATOM", "Oral", None, None, None),
    ]
    outc = "SELECT primaryid, outc_cod FROM raw.outc WHERE quarter = '2012Q4'"
    assert loaded.execute(outc).fetchall() == [("80000011", "HO")]
    reac = "SELECT count(*) FROM raw.reac WHERE quarter = '2012Q4' AND drug_rec_act IS NULL"
    assert loaded.execute(reac).fetchone() == (3,)


def test_2018q1_current_layout_and_deleted_list(loaded: duckdb.DuckDBPyConnection) -> None:
    rows = loaded.execute(
        "SELECT primaryid, caseid, caseversion, age_grp, sex FROM raw.demo "
        "WHERE quarter = '2018Q1' ORDER BY line_number"
    ).fetchall()
    assert rows == [
        ("60000013", "6000001", "3", "A", "M"),
        ("140000011", "14000001", "1", "A", "F"),
        ("140000021", "14000002", "1", None, "M"),
    ]
    prod_ai = "SELECT drugname, prod_ai FROM raw.drug WHERE quarter = '2018Q1' AND drug_seq = '1'"
    assert sorted(loaded.execute(prod_ai).fetchall()) == [
        ("KETUM GEL", "KETOPROFEN"), ("KRATOM", None), ("MAENG DA", "Kratom"),
    ]  # fmt: skip
    assert loaded.execute("SELECT * FROM raw.deleted_cases ORDER BY line_number").fetchall() == [
        ("2018Q1", "Deleted/DELETE18Q1.txt", 2, "8000002"),
        ("2018Q1", "Deleted/DELETE18Q1.txt", 4, "14999999"),
    ]


def test_quarters_rows(loaded: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    rows = loaded.execute(
        "SELECT quarter, era, archive_sha256 IS NOT NULL, is_synthetic FROM raw.quarters "
        "ORDER BY quarter"
    ).fetchall()
    assert rows == [
        ("2005Q3", "aers", True, False),
        ("2011Q2", "aers", True, False),
        ("2012Q4", "faers", True, False),
        ("2018Q1", "faers", True, False),
    ]
    archive = zip_folder(FIXTURES / "faers_ascii_2012q4", tmp_path)
    con = duckdb.connect()
    load_quarter(con, archive)
    sha = con.execute("SELECT archive, archive_sha256 FROM raw.quarters").fetchone()
    assert sha == (str(archive), hashlib.sha256(archive.read_bytes()).hexdigest())


def test_folder_and_zip_give_the_same_rows(loaded: duckdb.DuckDBPyConnection) -> None:
    con = duckdb.connect()
    load_quarter(con, FIXTURES / "aers_ascii_2011q2")
    sql = "SELECT * FROM raw.drug WHERE quarter = '2011Q2' ORDER BY line_number, drug_seq"
    assert con.execute(sql).fetchall() == loaded.execute(sql).fetchall()
    assert con.execute("SELECT archive_sha256 FROM raw.quarters").fetchone() == (None,)


def test_find_quarter_files_ignores_extras() -> None:
    files = find_quarter_files(FIXTURES / "faers_ascii_2018q1")
    assert (files.quarter, files.deleted, files.is_synthetic) == (
        "2018Q1", ("Deleted/DELETE18Q1.txt",), False
    )  # fmt: skip
    assert files.tables == {
        "demo": "ASCII/DEMO18Q1_new.txt", "drug": "ASCII/DRUG18Q1.txt",
        "reac": "ASCII/REAC18Q1.txt", "outc": "ASCII/OUTC18Q1.txt", "rpsr": "ASCII/RPSR18Q1.txt",
        "ther": "ASCII/THER18Q1.txt", "indi": "ASCII/INDI18Q1.txt",
    }  # fmt: skip


@pytest.mark.parametrize(
    "member",
    ["deleted/ADR19Q1DeletedCases.txt", "Deleted/21Q1DeletedCases.txt", "AllDeletedCases.txt"],
)
def test_deleted_list_names(tmp_path: Path, member: str) -> None:
    folder = copy_quarter(tmp_path)
    shutil.rmtree(folder / "Deleted")
    (folder / member).parent.mkdir(parents=True, exist_ok=True)
    (folder / member).write_bytes(b"123\r\n")
    assert find_quarter_files(folder).deleted == (member,)


def test_synthetic_marker_and_archive_name_case(tmp_path: Path) -> None:
    folder = copy_quarter(tmp_path)
    (folder / "ASCII" / "notes").mkdir()
    (folder / "ASCII" / "notes" / "Synthetic.TXT").write_text("made by kratom-etl demo\n")
    archive = zip_folder(folder, tmp_path, "FAERS_ASCII_2018Q1.ZIP")
    con = duckdb.connect()
    assert load_quarter(con, archive).quarter == "2018Q1"
    assert con.execute("SELECT is_synthetic FROM raw.quarters").fetchone() == (True,)


def test_bad_deleted_line_rejected(tmp_path: Path) -> None:
    folder = copy_quarter(tmp_path)
    (folder / "Deleted" / "DELETE18Q1.txt").write_bytes(b"8000002\r\nCASE 12\r\n  \r\n")
    con = duckdb.connect()
    summary = load_quarter(con, folder)
    assert (summary.deleted_listings, summary.rows_rejected) == (1, 1)
    assert con.execute("SELECT * FROM raw.rejects").fetchall() == [
        ("2018Q1", "deleted", "Deleted/DELETE18Q1.txt", 2,
         "deleted-case list line is not a caseid (digits only)", "CASE 12"),
    ]  # fmt: skip
