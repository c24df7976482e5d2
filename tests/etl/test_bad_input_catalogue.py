"""The catalogue of bad inputs (docs/bad-input.md): one defect each, through the real build.

Every case starts from the hand-made 2018Q1 fixture quarter (tests/fixtures/faers/README.md),
copied into tmp_path, damaged in one way and zipped.

- Refused: `kratom-etl build --add` of the damaged zip over a live database holding the clean
  2012Q4 quarter exits 3 (4 for a failed check) with one stderr line naming the file, line and
  field, and the live file is byte-for-byte unchanged (sha256) with no `.building` file left.
- Accepted: etl.pipeline.build of the damaged zip keeps the reports; the bad value is NULL in the
  model and staging.input_issues names its file, line and field; the model rows the defect does
  not touch equal those of the clean quarter's build.

DEMO lines of the fixture (line 1 is the header): 2 = primaryid 60000013 (case 6000001, kratom,
age 27 YR), 3 = 140000011 (case 14000001, kratom, event 20180201, 41 YR, 55 KG), 4 = 140000021
(case 14000002, KETUM GEL, no age or weight).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from etl.cli import main
from etl.pipeline import build
from etl.sources import faers_archive
from etl.status import read_status
from tests.conftest import READER_BY_QUARTER
from tests.etl.helpers import query_rows as rows

QUARTER = READER_BY_QUARTER["2018Q1"]
DEMO, DRUG, REAC = "ASCII/DEMO18Q1_new.txt", "ASCII/DRUG18Q1.txt", "ASCII/REAC18Q1.txt"
OUTC, RPSR, THER, INDI = (f"ASCII/{t}18Q1.txt" for t in ("OUTC", "RPSR", "THER", "INDI"))
DELETED = "Deleted/DELETE18Q1.txt"
TABLE_FILES = {"DEMO": DEMO, "DRUG": DRUG, "REAC": REAC, "OUTC": OUTC, "RPSR": RPSR}
TABLE_FILES |= {"THER": THER, "INDI": INDI}
BINARY = "binary data (a NUL byte): not a $-separated text file"
NOT_A_DATE = "not a date: yyyymmdd, yyyymm or yyyy naming a real day"
ISSUES = (
    "SELECT table_name, source_file, line_number, field, value, issue, action, reason "
    "FROM staging.input_issues ORDER BY ALL"
)


# --- building blocks -------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def quarter_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(QUARTER, tmp_path / "src" / QUARTER.name))


def zip_quarter(folder: Path, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """The folder as FDA's zip, named like it (the name must agree with the tables' quarter)."""
    target = folder.parent.parent / f"{folder.name}.zip"
    with zipfile.ZipFile(target, "w", compression) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            zf.write(path, path.relative_to(folder).as_posix())
    return target


def edit_fields(path: Path, line: int, change: Callable[[list[bytes]], list[bytes]]) -> None:
    """Rewrite the `$`-separated fields of one physical line (1 = the header)."""
    lines = path.read_bytes().split(b"\n")
    lines[line - 1] = b"$".join(change(lines[line - 1].split(b"$")))
    path.write_bytes(b"\n".join(lines))


def set_field(path: Path, line: int, index: int, value: bytes) -> None:
    def change(fields: list[bytes]) -> list[bytes]:
        fields[index] = value
        return fields

    edit_fields(path, line, change)


def line_of(path: Path, line: int) -> bytes:
    return path.read_bytes().split(b"\n")[line - 1]


def append_line(path: Path, line: bytes) -> None:
    path.write_bytes(path.read_bytes() + line + b"\n")


def refused(capsys, live: Path, archive: Path, code: int = 3) -> str:
    """`kratom-etl build --add ARCHIVE` over `live`: its one stderr line; live stays unchanged."""
    before = sha256(live)
    assert main(["build", "--add", "--faers", str(archive), "--db", str(live)]) == code
    said = [x for x in capsys.readouterr().err.splitlines() if x.startswith("kratom-etl:")]
    assert len(said) == 1
    assert sha256(live) == before
    assert sorted(p.name for p in live.parent.iterdir()) == [live.name]
    return said[0]


def bad_input(archive: Path, member: str, where: str) -> str:
    """The CLI's line for an InputError naming `member` of `archive` (`where` = `:LINE field F`)."""
    return f"kratom-etl: bad input: {archive}/{member}{where}"


def model_tables(db_path: Path) -> dict[str, list]:
    names = rows(
        db_path,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'model' ORDER BY 1",
    )
    return {n: rows(db_path, f"SELECT * FROM model.{n} ORDER BY ALL") for (n,) in names}


def cases_by_id(db_path: Path) -> dict[int, dict]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        cur = con.execute("SELECT * FROM model.cases ORDER BY case_id")
        names = [d[0] for d in cur.description]
        return {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}
    finally:
        con.close()


@pytest.fixture(scope="module")
def live_template(tmp_path_factory) -> Path:
    """A live database holding the clean 2012Q4 fixture quarter (copied into each test)."""
    path = tmp_path_factory.mktemp("live") / "kratom.duckdb"
    build(path, [READER_BY_QUARTER["2012Q4"]])
    return path


@pytest.fixture
def live(tmp_path: Path, live_template: Path) -> Path:
    path = tmp_path / "live" / "kratom.duckdb"
    path.parent.mkdir()
    shutil.copyfile(live_template, path)
    return path


@pytest.fixture(scope="module")
def clean_db(tmp_path_factory) -> Path:
    """The undamaged 2018Q1 quarter's build: what accepted damage is compared with."""
    tmp = tmp_path_factory.mktemp("clean")
    path = tmp / "kratom.duckdb"
    build(path, [zip_quarter(quarter_copy(tmp))])
    return path


def build_damaged(tmp_path: Path, damage: Callable[[Path], None]) -> Path:
    folder = quarter_copy(tmp_path)
    damage(folder)
    path = tmp_path / "kratom.duckdb"
    build(path, [zip_quarter(folder)])
    return path


# --- zip-slip and zip bombs: refused before any member is read --------------------------------


@pytest.mark.parametrize(
    "name", ["../evil.txt", "/etc/evil.txt", "ASCII/../../evil.txt", "C:/evil.txt", "..\\evil.txt"]
)
def test_zip_slip_member_is_refused(tmp_path: Path, live: Path, capsys, name: str) -> None:
    archive = zip_quarter(quarter_copy(tmp_path))
    with zipfile.ZipFile(archive, "a") as zf:
        zf.writestr(zipfile.ZipInfo(name), b"x")
    expected = f"kratom-etl: bad input: {archive}: refusing member with an unsafe path: {name!r}"
    assert refused(capsys, live, archive) == expected


def test_zip_bomb_by_compression_ratio_is_refused(tmp_path: Path, live: Path, capsys) -> None:
    folder = quarter_copy(tmp_path)
    append_line(folder / DEMO, b"\n" * 8_000_000)  # blank lines: 8 MB that LZMA packs into ~1 kB
    archive = zip_quarter(folder, zipfile.ZIP_LZMA)
    expected = (
        f"kratom-etl: bad input: {archive}: member {DEMO} is compressed over 1:1000 (zip bomb?)"
    )
    assert refused(capsys, live, archive) == expected


def test_zip_member_over_the_size_cap_is_refused(
    tmp_path: Path, live: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(faers_archive, "MAX_MEMBER_BYTES", 500)  # DEMO is 533 bytes, the rest less
    archive = zip_quarter(quarter_copy(tmp_path))
    expected = f"kratom-etl: bad input: {archive}: member {DEMO} is 533 bytes, over the cap"
    assert refused(capsys, live, archive) == expected


# --- 0-byte files ------------------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLE_FILES)
def test_zero_byte_table_file_is_refused(tmp_path: Path, live: Path, capsys, table: str) -> None:
    folder = quarter_copy(tmp_path)
    (folder / TABLE_FILES[table]).write_bytes(b"")
    archive = zip_quarter(folder)
    expected = bad_input(archive, TABLE_FILES[table], f": empty file (0 bytes) for table {table}")
    assert refused(capsys, live, archive) == expected


def test_zero_byte_zip_is_refused(tmp_path: Path, live: Path, capsys) -> None:
    archive = tmp_path / "faers_ascii_2018q1.zip"
    archive.write_bytes(b"")
    expected = (
        f"kratom-etl: bad input: {archive}: not a readable zip archive (File is not a zip file)"
    )
    assert refused(capsys, live, archive) == expected


def test_zero_byte_deleted_list_is_an_empty_list(tmp_path: Path, live: Path, capsys) -> None:
    """A deleted-case list has no header, so 0 bytes is a list of no cases: nothing is deleted."""
    folder = quarter_copy(tmp_path)
    (folder / DELETED).write_bytes(b"")
    assert main(["build", "--add", "--faers", str(zip_quarter(folder)), "--db", str(live)]) == 0
    assert rows(live, "SELECT count(*) FROM raw.deleted_cases") == [(0,)]
    listed = "SELECT n_lines, n_rows_read FROM raw.manifest WHERE table_name = 'deleted'"
    assert rows(live, listed) == [(0, 0)]
    # 8000002 (2012Q4) stays: the clean list would have deleted it
    assert rows(live, "SELECT count(*) FROM model.cases WHERE case_id = 8000002") == [(1,)]


# --- binary garbage ------------------------------------------------------------------------------


def test_binary_file_is_refused(tmp_path: Path, live: Path, capsys) -> None:
    """A gzip file named like DEMO: its 4th byte is NUL, on line 1 before any `$`."""
    folder = quarter_copy(tmp_path)
    (folder / DEMO).write_bytes(gzip.compress((folder / DEMO).read_bytes(), mtime=0))
    archive = zip_quarter(folder)
    assert refused(capsys, live, archive) == bad_input(archive, DEMO, f":1 field #1: {BINARY}")


@pytest.mark.parametrize(
    ("member", "line", "index", "field"),
    [(DRUG, 3, 4, "drugname"), (REAC, 4, 3, "drug_rec_act"), (DELETED, 2, 0, "caseid")],
)
def test_nul_byte_in_a_value_is_refused(
    tmp_path: Path, live: Path, capsys, member: str, line: int, index: int, field: str
) -> None:
    folder = quarter_copy(tmp_path)
    edit_fields(folder / member, line, lambda f: [*f[:index], f[index] + b"\0x", *f[index + 1 :]])
    archive = zip_quarter(folder)
    expected = bad_input(archive, member, f":{line} field {field}: {BINARY}")
    assert refused(capsys, live, archive) == expected


def test_binary_header_without_nul_is_refused_printably(tmp_path: Path, live: Path, capsys) -> None:
    """A PNG's first line has no NUL: the header check refuses it, control bytes escaped."""
    folder = quarter_copy(tmp_path)
    (folder / DEMO).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    archive = zip_quarter(folder)
    said = refused(capsys, live, archive)
    expected = ":1 field \\x89png: unknown column '\\x89png' in the DEMO header"
    assert said == bad_input(archive, DEMO, expected)
    assert said.isprintable()


# --- header-only tables ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "why"),
    [
        ("DEMO", "a quarter always has reports"),
        ("DRUG", "every report names at least one drug"),
        ("REAC", "every report has at least one reaction"),
    ],
)
def test_header_only_demo_drug_or_reac_is_refused(
    tmp_path: Path, live: Path, capsys, table: str, why: str
) -> None:
    folder = quarter_copy(tmp_path)
    path = folder / TABLE_FILES[table]
    path.write_bytes(line_of(path, 1) + b"\n")
    archive = zip_quarter(folder)
    expected = f":2: {table} has a header and no rows ({why})"
    assert refused(capsys, live, archive) == bad_input(archive, TABLE_FILES[table], expected)


def test_header_only_outc_rpsr_ther_indi_load_as_empty(tmp_path: Path, clean_db: Path) -> None:
    """A quarter may have no outcomes, report sources, therapies or indications."""

    def damage(folder: Path) -> None:
        for member in (OUTC, RPSR, THER, INDI):
            (folder / member).write_bytes(line_of(folder / member, 1) + b"\n")

    db_path = build_damaged(tmp_path, damage)
    serious = "SELECT count(*), bool_or(is_serious) FROM model.cases"
    assert rows(clean_db, serious) == [(3, True)]  # HO for 6000001, OT for 14000001
    for table in ("case_indications", "case_therapies"):  # 14000001's INDI and THER rows
        assert rows(clean_db, f"SELECT count(*) FROM model.{table}") == [(1,)]
    manifest = "SELECT table_name, n_lines, n_rows_read FROM raw.manifest WHERE n_rows_read = 0"
    assert sorted(rows(db_path, manifest)) == [
        ("indi", 1, 0), ("outc", 1, 0), ("rpsr", 1, 0), ("ther", 1, 0)
    ]  # fmt: skip
    assert rows(db_path, serious) == [(3, False)]
    for table in ("case_indications", "case_therapies"):
        assert rows(db_path, f"SELECT count(*) FROM model.{table}") == [(0,)]
    assert rows(db_path, "SELECT * FROM model.case_events ORDER BY ALL") == rows(
        clean_db, "SELECT * FROM model.case_events ORDER BY ALL"
    )


# --- 10 MB single lines --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "line", "index", "field"),
    [(DRUG, 3, 4, "drugname"), (DEMO, 2, 24, "occr_country"), (DELETED, 2, 0, "caseid")],
)
def test_ten_megabyte_line_is_refused(
    tmp_path: Path, live: Path, capsys, member: str, line: int, index: int, field: str
) -> None:
    folder = quarter_copy(tmp_path)
    set_field(folder / member, line, index, b"7" * 10_000_000)
    n_bytes = len(line_of(folder / member, line)) + 1  # with its line break
    archive = zip_quarter(folder, zipfile.ZIP_STORED)  # deflated, 10 MB of one byte is a zip bomb
    expected = f":{line} field {field}: line is {n_bytes:,} bytes, over the cap of 1,048,576"
    said = refused(capsys, live, archive)
    assert said == bad_input(archive, member, expected + " (line breaks missing?)")


# --- invalid UTF-8 -------------------------------------------------------------------------------

# One line per table file gets byte 0xE9 (latin-1 é, never valid alone in UTF-8) after every
# field: DEMO line 4 except its keys (below), and every field of a child row, keys included.
UTF8_LINES = {DEMO: 4, DRUG: 5, REAC: 4, OUTC: 3, RPSR: 2, THER: 2, INDI: 3}


def _spoil_every_field(folder: Path) -> None:
    for member, line in UTF8_LINES.items():
        width = len(line_of(folder / member, 1).split(b"$"))
        first = 2 if member == DEMO else 0

        def spoil(fields: list[bytes], first: int = first, width: int = width) -> list[bytes]:
            return [x + b"\xe9" if first <= i < width else x for i, x in enumerate(fields)]

        edit_fields(folder / member, line, spoil)


@pytest.fixture(scope="module")
def utf8_db(tmp_path_factory) -> Path:
    return build_damaged(tmp_path_factory.mktemp("utf8"), _spoil_every_field)


def test_invalid_utf8_file_is_read_as_latin1_in_every_field(utf8_db: Path) -> None:
    """Per file: not valid UTF-8 → Latin-1 (FDA's other encoding); every value keeps its é."""
    encodings = "SELECT table_name, encoding FROM raw.manifest ORDER BY 1"
    assert rows(utf8_db, encodings) == [
        ("deleted", "utf-8"), ("demo", "latin-1"), ("drug", "latin-1"), ("indi", "latin-1"),
        ("outc", "latin-1"), ("reac", "latin-1"), ("rpsr", "latin-1"), ("ther", "latin-1"),
    ]  # fmt: skip
    for member, line in UTF8_LINES.items():
        header = line_of(QUARTER / member, 1).decode().split("$")
        original = line_of(QUARTER / member, line).decode().split("$")
        expected = [v if (member == DEMO and i < 2) else v + "é" for i, v in enumerate(original)]
        table = member.split("/")[1][:4].lower()
        got = rows(
            utf8_db,
            f"SELECT {', '.join(header)} FROM raw.{table} WHERE line_number = {line}",
        )
        assert got == [tuple(expected[: len(header)])], member


def test_invalid_utf8_keeps_the_report_and_records_what_it_spoilt(
    utf8_db: Path, clean_db: Path
) -> None:
    assert cases_by_id(utf8_db).keys() == cases_by_id(clean_db).keys()
    case = cases_by_id(utf8_db)[14000002]
    assert (case["received_date"], case["sex"], case["country_code"]) == (None, "U", None)
    by_table = {}
    for table, _file, line, field, value, issue, action, _why in rows(utf8_db, ISSUES):
        by_table.setdefault(table, []).append((line, field, value, issue, action))
    assert by_table == {
        "demo": [
            (4, "age", "é", "not_a_number", "nulled"),
            (4, "caseversion", "1é", "not_a_number", "nulled"),
            (4, "event_dt", "é", "not_a_date", "nulled"),
            (4, "fda_dt", "20180305é", "not_a_date", "nulled"),
            (4, "init_fda_dt", "20180305é", "not_a_date", "nulled"),
            (4, "mfr_dt", "20180301é", "not_a_date", "nulled"),
            (4, "occr_country", "CAé", "unknown_country", "nulled"),
            (4, "reporter_country", "CAé", "unknown_country", "nulled"),
            (4, "rept_dt", "20180302é", "not_a_date", "nulled"),
            (4, "wt", "é", "not_a_number", "nulled"),
        ],
        "drug": [
            (5, "drug_seq", "1é", "not_a_number", "nulled"),
            (5, "primaryid", "140000021é", "no_demo_row", "left out"),
        ],
        "indi": [
            (3, "indi_drug_seq", "1é", "not_a_number", "nulled"),
            (3, "primaryid", "140000021é", "no_demo_row", "left out"),
        ],
        "outc": [(3, "primaryid", "140000011é", "no_demo_row", "left out")],
        "reac": [(4, "primaryid", "140000021é", "no_demo_row", "left out")],
        "rpsr": [(2, "primaryid", "60000013é", "no_demo_row", "left out")],
        "ther": [
            (2, "dsg_drug_seq", "1é", "not_a_number", "nulled"),
            (2, "end_dt", "20180201é", "not_a_date", "nulled"),
            (2, "primaryid", "140000011é", "no_demo_row", "left out"),
            (2, "start_dt", "2017é", "not_a_date", "nulled"),
        ],
    }


def test_invalid_utf8_in_a_demo_key_fails_the_keys_check(
    tmp_path: Path, live: Path, capsys
) -> None:
    """A report without a usable primaryid or caseid cannot be deduplicated: the build stops."""
    folder = quarter_copy(tmp_path)
    edit_fields(folder / DEMO, 3, lambda f: [f[0] + b"\xe9", *f[1:]])
    edit_fields(folder / DEMO, 4, lambda f: [f[0], f[1] + b"\xe9", *f[2:]])
    said = refused(capsys, live, zip_quarter(folder), code=4)
    assert said == (
        "kratom-etl: checks failed: demo_keys_present: "
        f"[('2018Q1', '{DEMO}', 3, 'primaryid'), ('2018Q1', '{DEMO}', 4, 'caseid')]"
    )


# --- value-level junk: kept, nulled, recorded ----------------------------------------------------


def _junk_values(folder: Path) -> None:
    set_field(folder / DEMO, 2, 13, b"999")  # age 27 YR -> 999 DEC
    set_field(folder / DEMO, 2, 14, b"DEC")
    set_field(folder / DEMO, 3, 4, b"20231399")  # event_dt 20180201: no month 13, no day 99
    set_field(folder / DEMO, 3, 18, b"-55")  # wt 55 KG -> -55 KG
    set_field(folder / DEMO, 4, 5, b"2018-03-01")  # mfr_dt 20180301 with dashes
    set_field(folder / THER, 2, 3, b"20170230")  # start_dt 2017: 30 February


@pytest.fixture(scope="module")
def junk_db(tmp_path_factory) -> Path:
    return build_damaged(tmp_path_factory.mktemp("junk"), _junk_values)


def _issue(member: str, line: int, field: str, value: str, issue: str, why: str) -> tuple:
    return (member.split("/")[1][:4].lower(), member, line, field, value, issue, "nulled", why)


def test_impossible_dates_are_nulled_and_recorded(junk_db: Path, clean_db: Path) -> None:
    junk, clean = cases_by_id(junk_db), cases_by_id(clean_db)
    assert clean[14000001]["event_date"] == dt.date(2018, 2, 1)
    assert clean[14000001]["event_date_precision"] == "day"
    assert junk[14000001] == clean[14000001] | {
        "event_date": None, "event_date_precision": None, "weight_kg": None
    }  # fmt: skip
    assert junk[14000002] == clean[14000002]  # mfr_dt is not in the model
    therapies = "SELECT case_id, start_date, end_date FROM model.case_therapies"
    assert rows(junk_db, therapies) == [(14000001, None, rows(clean_db, therapies)[0][2])]
    dates = [r for r in rows(junk_db, ISSUES) if r[5] == "not_a_date"]
    assert dates == [
        _issue(DEMO, 3, "event_dt", "20231399", "not_a_date", NOT_A_DATE),
        _issue(DEMO, 4, "mfr_dt", "2018-03-01", "not_a_date", NOT_A_DATE),
        _issue(THER, 2, "start_dt", "20170230", "not_a_date", NOT_A_DATE),
    ]


def test_impossible_age_is_nulled_and_recorded(junk_db: Path, clean_db: Path) -> None:
    junk, clean = cases_by_id(junk_db), cases_by_id(clean_db)
    assert (clean[6000001]["age_years"], clean[6000001]["age_band"]) == (27.0, "18-64")
    # no usable age: the band falls back to age_grp, and A (adult) spans several bands
    assert junk[6000001] == clean[6000001] | {"age_years": None, "age_band": "unknown"}
    ages = [r for r in rows(junk_db, ISSUES) if r[3] == "age"]
    why = "age 999 DEC is 9990.0 years, not in 0..122"
    assert ages == [_issue(DEMO, 2, "age", "999", "out_of_range", why)]


def test_negative_weight_is_nulled_and_recorded(junk_db: Path, clean_db: Path) -> None:
    assert cases_by_id(clean_db)[14000001]["weight_kg"] == 55.0
    assert cases_by_id(junk_db)[14000001]["weight_kg"] is None
    weights = [r for r in rows(junk_db, ISSUES) if r[3] == "wt"]
    why = "weight -55 KG is -55.00 kg, not in (0, 635]"
    assert weights == [_issue(DEMO, 3, "wt", "-55", "out_of_range", why)]


# --- country values that map to nothing -----------------------------------------------------

NO_COUNTRY = "not a two-letter country code nor a name in countries.csv"


def _unknown_countries(folder: Path) -> None:
    """DEMO reporter_country (field 23) and occr_country (24); every line was US/US or CA/CA."""
    set_field(folder / DEMO, 2, 24, b"ATLANTIS")  # reporter US stays
    set_field(folder / DEMO, 3, 23, b"UNITED STATES OF AMERCIA")  # a misspelt legacy name
    set_field(folder / DEMO, 3, 24, b"")  # blank: no country given, not an issue
    set_field(folder / DEMO, 4, 23, b"canada")  # a listed name in lower case: CANADA, CA
    set_field(folder / DEMO, 4, 24, b"ZZ")  # two letters are kept as written, unchecked


def test_unknown_country_is_nulled_and_recorded(tmp_path: Path, clean_db: Path) -> None:
    db_path = build_damaged(tmp_path, _unknown_countries)
    assert rows(db_path, ISSUES) == [
        _issue(DEMO, 2, "occr_country", "ATLANTIS", "unknown_country", NO_COUNTRY),
        _issue(DEMO, 3, "reporter_country", "UNITED STATES OF AMERCIA", "unknown_country",
               NO_COUNTRY),
    ]  # fmt: skip
    damaged, clean = cases_by_id(db_path), cases_by_id(clean_db)
    assert [clean[c]["country_code"] for c in (6000001, 14000001, 14000002)] == ["US", "US", "CA"]
    assert damaged[6000001] == clean[6000001]  # the unknown occurrence gives way to the reporter
    assert damaged[14000001] == clean[14000001] | {"country_code": None}
    assert damaged[14000002] == clean[14000002] | {"country_code": "ZZ"}
    status = read_status(db_path, runs_log=tmp_path / "runs.jsonl")
    assert status["input_issues"] == {"unknown_country": 2}


def test_status_counts_input_issues(junk_db: Path, tmp_path: Path) -> None:
    doc = read_status(junk_db, runs_log=tmp_path / "runs.jsonl")
    assert doc["input_issues"] == {"not_a_date": 3, "out_of_range": 2}


# --- duplicated primaryids within a quarter ------------------------------------------------------


def _repeat_primaryids(folder: Path) -> None:
    """DEMO line 2 (60000013) again as line 3, age 28; 140000021 again last, as case 14000009."""
    demo = folder / DEMO
    lines = demo.read_bytes().split(b"\n")
    lines.insert(2, lines[1].replace(b"$27$YR$", b"$28$YR$"))
    lines.insert(5, lines[4].replace(b"$14000002$", b"$14000009$"))
    demo.write_bytes(b"\n".join(lines))


def test_repeated_primaryid_keeps_the_last_line_and_records_the_others(
    tmp_path: Path, live: Path
) -> None:
    folder = quarter_copy(tmp_path)
    _repeat_primaryids(folder)
    archive = zip_quarter(folder)
    full = tmp_path / "full.duckdb"
    build(full, [READER_BY_QUARTER["2012Q4"], archive])
    assert rows(full, ISSUES) == [
        ("demo", DEMO, 2, "primaryid", "60000013", "repeated_primaryid", "left out",
         "primaryid 60000013 is on line 3 too: the last line is the report"),
        ("demo", DEMO, 5, "primaryid", "140000021", "repeated_primaryid", "left out",
         "primaryid 140000021 is on line 6 too: the last line is the report"),
    ]  # fmt: skip
    cases = cases_by_id(full)
    # 6000001 (2012Q4 v2, 2018Q1 v3) is 8000001, 8000002 deleted, 14000001, 14000009
    assert sorted(cases) == [6000001, 8000001, 14000001, 14000009]
    assert (cases[6000001]["primary_id"], cases[6000001]["age_years"]) == (60000013, 28.0)
    assert cases[14000009]["primary_id"] == 140000021
    # 3 versions in 2012Q4 + the 3 lines used in 2018Q1; 5 cases, 1 of them deleted
    assert rows(full, "SELECT * FROM model.funnel WHERE era = 'total'") == [("total", 6, 5, 4)]
    events = "SELECT case_id, pt FROM model.case_events WHERE case_id >= 14000002 ORDER BY 1"
    assert rows(full, events) == [(14000009, "Application site rash")]
    # the same outcome when the quarter is added to a live database holding 2012Q4
    build(live, [archive], incremental=True)
    assert model_tables(live) == model_tables(full)


# --- child rows whose case does not exist --------------------------------------------------------

ORPHAN_LINES = {DRUG: 2, REAC: 2, OUTC: 2, RPSR: 2, THER: 2, INDI: 2}  # copied line of each file


def _add_orphans(folder: Path) -> None:
    """Each child table gets a copy of a row, under primaryid 99999991 that no DEMO row has."""
    for member, line in ORPHAN_LINES.items():
        fields = line_of(folder / member, line).split(b"$")
        append_line(folder / member, b"$".join([b"99999991", b"9999999", *fields[2:]]))


def test_orphan_child_rows_are_left_out_and_recorded(tmp_path: Path, clean_db: Path) -> None:
    db_path = build_damaged(tmp_path, _add_orphans)
    n_lines = {DRUG: 5, REAC: 4, OUTC: 3, RPSR: 2, THER: 2, INDI: 3}  # before the orphan
    assert rows(db_path, ISSUES) == sorted(
        (m.split("/")[1][:4].lower(), m, n + 1, "primaryid", "99999991", "no_demo_row",
         "left out", "no DEMO row of this quarter has this primaryid")
        for m, n in n_lines.items()
    )  # fmt: skip
    loaded = rows(db_path, "SELECT table_name, n_rows_loaded FROM raw.manifest ORDER BY 1")
    clean = dict(rows(clean_db, "SELECT table_name, n_rows_loaded FROM raw.manifest"))
    assert loaded == sorted((t, n + (t not in ("demo", "deleted"))) for t, n in clean.items())
    damaged, undamaged = model_tables(db_path), model_tables(clean_db)
    # the orphan REAC row's spelling is counted in the spelling vocabulary, nowhere else
    spellings = dict(((k, p), n) for k, p, n in undamaged.pop("pt_spellings"))
    spellings["AGITATION", "Agitation"] += 1
    assert damaged.pop("pt_spellings") == sorted((k, p, n) for (k, p), n in spellings.items())
    assert damaged == undamaged


# --- therapies and indications that name no drug of their report -------------------------------

NO_DRUG = "kept with its report, linked to none of its drugs"


def _add_drugless_links(folder: Path) -> None:
    """THER and INDI rows of existing reports whose drug sequence is on no DRUG row of theirs.

    Report 140000011 (case 14000001, kratom) has drugs 1 and 2; 140000021 (14000002, KETUM GEL,
    not kratom) has drug 1. THER has 2 lines and INDI 3 before these.
    """
    append_line(folder / THER, b"140000011$14000001$7$20180110$$$")  # line 3: drug 7
    append_line(folder / INDI, b"140000011$14000001$3$Anxiety")  # line 4: drug 3
    append_line(folder / INDI, b"140000021$14000002$$Rash")  # line 5: no drug sequence
    append_line(folder / INDI, b"140000021$14000002$x$Pain")  # line 6: not a number
    append_line(folder / INDI, b"140000011$14000001$2$Pain")  # line 7: drug 2 is there


def test_therapies_and_indications_of_no_drug_row_are_kept_and_recorded(
    tmp_path: Path, clean_db: Path
) -> None:
    db_path = build_damaged(tmp_path, _add_drugless_links)
    assert rows(db_path, ISSUES) == [
        ("indi", INDI, 4, "indi_drug_seq", "3", "no_drug_row", "kept",
         f"no DRUG row of this report has drug_seq 3: {NO_DRUG}"),
        ("indi", INDI, 5, "indi_drug_seq", None, "no_drug_row", "kept",
         f"no drug sequence: {NO_DRUG}"),
        ("indi", INDI, 6, "indi_drug_seq", "x", "not_a_number", "nulled",
         "drug sequence is not a whole number"),
        ("ther", THER, 3, "dsg_drug_seq", "7", "no_drug_row", "kept",
         f"no DRUG row of this report has drug_seq 7: {NO_DRUG}"),
    ]  # fmt: skip
    # the model keeps them as before: the kratom case's therapy and indications gain these rows
    # (14000002 is not kratom, so its indications reach no model table)
    damaged, undamaged = model_tables(db_path), model_tables(clean_db)
    therapies = "SELECT case_id, drug_seq, start_date FROM model.case_therapies ORDER BY ALL"
    assert rows(db_path, therapies) == [
        (14000001, 1, dt.date(2017, 1, 1)),
        (14000001, 7, dt.date(2018, 1, 10)),
    ]
    indications = (
        "SELECT case_id, drug_seq, indication_pt, indication_group, is_kratom_drug "
        "FROM model.case_indications ORDER BY ALL"
    )
    assert rows(db_path, indications) == [
        (14000001, 1, "Opiate withdrawal", "other", True),  # not in indication_groups.csv
        (14000001, 2, "Pain", "pain", False),
        (14000001, 3, "Anxiety", "anxiety", False),
    ]
    for table in ("case_therapies", "case_indications"):
        assert set(undamaged.pop(table)) < set(damaged.pop(table))
    assert damaged == undamaged
    status = read_status(db_path, runs_log=tmp_path / "runs.jsonl")
    assert status["input_issues"] == {"no_drug_row": 3, "not_a_number": 1}
