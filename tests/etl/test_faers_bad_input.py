"""The FAERS reader's header rules and its refusals: every bad input is one clear InputError."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from etl.errors import InputError
from etl.sources import faers_archive
from etl.sources.faers import load_quarter
from etl.sources.faers_layout import parse_header

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "faers"
KNOWN_REAC = {"primaryid", "caseid", "pt", "drug_rec_act"}


def copy_quarter(tmp_path: Path, name: str = "faers_ascii_2018q1") -> Path:
    return Path(shutil.copytree(FIXTURES / name, tmp_path / name))


def zip_folder(folder: Path, dest: Path, name: str | None = None, **kwargs) -> Path:
    target = dest / (name or f"{folder.name}.zip")
    with zipfile.ZipFile(target, "w", kwargs.get("compression", zipfile.ZIP_DEFLATED)) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            zf.write(path, path.relative_to(folder).as_posix())
    return target


def load_error(path: Path, **kwargs) -> str:
    with pytest.raises(InputError) as caught:
        load_quarter(duckdb.connect(), path, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("line", "columns", "trailing"),
    [
        ("ISR$PT", ("primaryid", "pt"), True),  # FDA legacy: rows end in '$', header does not
        ("isr$pt$v3", ("primaryid", "pt"), True),  # R fwrite named the trailing column v3
        ("isr$pt$$v3", ("primaryid", "pt"), True),  # ... or $v3
        ("ISR$PT$", ("primaryid", "pt"), True),
        ("primaryid$caseid$pt$drug_rec_act", ("primaryid", "caseid", "pt", "drug_rec_act"), False),
        ("primaryid$caseid$ pt $", ("primaryid", "caseid", "pt"), True),
    ],
)
def test_header_rules(line: str, columns: tuple[str, ...], trailing: bool) -> None:
    header = parse_header(line, "reac", KNOWN_REAC, file="f")
    assert (header.columns, header.trailing_dollar) == (columns, trailing)


def test_placeholder_must_number_the_trailing_column() -> None:
    with pytest.raises(InputError, match=r"^f:1 field v9: unknown column 'v9'"):
        parse_header("isr$pt$v9", "reac", KNOWN_REAC, file="f")
    with pytest.raises(InputError, match="unknown column 'v4'"):
        parse_header("primaryid$caseid$pt$v4", "reac", KNOWN_REAC, file="f")


def test_r_style_placeholder_header_loads(tmp_path: Path) -> None:
    folder = copy_quarter(tmp_path, "aers_ascii_2005q3")
    reac = folder / "ascii" / "REAC05Q3.TXT"
    reac.write_bytes(reac.read_bytes().replace(b"ISR$PT\r\n", b"isr$pt$v3\r\n", 1))
    con = duckdb.connect()
    assert load_quarter(con, folder).rows_loaded["reac"] == 4
    assert con.execute("SELECT header FROM raw.manifest WHERE table_name = 'reac'").fetchone() == (
        "isr$pt$v3",
    )


def _add_reac_column(folder: Path) -> None:
    reac = folder / "ASCII" / "REAC18Q1.txt"
    lines = reac.read_bytes().split(b"\n")
    widened = [lines[0] + b"$foo"] + [line + b"$x" for line in lines[1:-1]]
    reac.write_bytes(b"\n".join(widened) + b"\n")


def test_unknown_column_stops_the_build(tmp_path: Path) -> None:
    folder = copy_quarter(tmp_path)
    _add_reac_column(folder)
    message = load_error(folder)
    assert message.startswith(f"{folder}/ASCII/REAC18Q1.txt:1 field foo: unknown column 'foo'")


def test_unknown_column_ignored_on_request(tmp_path: Path) -> None:
    folder = copy_quarter(tmp_path)
    _add_reac_column(folder)
    con = duckdb.connect()
    assert load_quarter(con, folder, ignore_unknown_columns=True).rows_loaded["reac"] == 3
    ignored = "SELECT ignored_columns FROM raw.manifest WHERE table_name = 'reac'"
    assert con.execute(ignored).fetchone() == ("foo",)
    assert con.execute("SELECT pt FROM raw.reac WHERE line_number = 2").fetchone() == ("Agitation",)


def test_faers_run_on_line_is_rejected_not_split(tmp_path: Path) -> None:
    folder = copy_quarter(tmp_path)
    outc = folder / "ASCII" / "OUTC18Q1.txt"
    outc.write_bytes(outc.read_bytes() + b"1$1$HO2$2$DE\n")
    con = duckdb.connect()
    assert load_quarter(con, folder).rows_loaded["outc"] == 2
    assert con.execute("SELECT line_number, reason, raw_text FROM raw.rejects").fetchall() == [
        (4, "5 fields where a record has 3 (stray $ or run-on line?)", "1$1$HO2$2$DE"),
    ]


def test_header_only_table_loads_zero_rows_and_is_recorded(tmp_path: Path) -> None:
    folder = copy_quarter(tmp_path)
    (folder / "ASCII" / "RPSR18Q1.txt").write_bytes(b"primaryid$caseid$rpsr_cod\n")
    con = duckdb.connect()
    summary = load_quarter(con, folder)
    assert (summary.rows_loaded["rpsr"], summary.header_only_tables) == (0, ("rpsr",))
    counts = "SELECT n_lines, n_rows_read FROM raw.manifest WHERE table_name = 'rpsr'"
    assert con.execute(counts).fetchone() == (1, 0)


def test_same_quarter_twice_refused(tmp_path: Path) -> None:
    con = duckdb.connect()
    load_quarter(con, FIXTURES / "faers_ascii_2012q4")
    with pytest.raises(InputError, match="quarter 2012Q4 is already loaded"):
        load_quarter(con, zip_folder(FIXTURES / "faers_ascii_2012q4", tmp_path))


def test_corrupt_and_truncated_zips(tmp_path: Path) -> None:
    junk = tmp_path / "faers_ascii_2018q1.zip"
    junk.write_bytes(b"PK\x03\x04 this is not really a zip" * 10)
    assert "not a readable zip archive" in load_error(junk)
    good = zip_folder(FIXTURES / "faers_ascii_2018q1", tmp_path, "faers_ascii_2018q1_good.zip")
    cut = tmp_path / "aers_ascii_2018Q1.zip"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert load_error(cut).startswith(f"{cut}: not a readable zip archive")


def test_bad_member_data_rolls_back_everything(tmp_path: Path) -> None:
    archive = zip_folder(FIXTURES / "faers_ascii_2018q1", tmp_path, compression=zipfile.ZIP_STORED)
    data = bytearray(archive.read_bytes())
    at = data.index(b"Opiate withdrawal")  # inside INDI, after its header line
    data[at] = ord("X")
    archive.write_bytes(bytes(data))
    con = duckdb.connect()
    with pytest.raises(InputError, match=r"INDI18Q1.txt: cannot read: Bad CRC-32"):
        load_quarter(con, archive)
    assert con.execute("SELECT count(*) FROM raw.demo").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM raw.manifest").fetchone() == (0,)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda f: (f / "ASCII/THER18Q1.txt").unlink(), "table file missing: THER"),
        (lambda f: (f / "ASCII/THER18Q1.txt").rename(f / "ASCII/THER18Q2.txt"),
         "table files name different quarters: 2018Q1, 2018Q2"),
        (lambda f: shutil.copy(f / "ASCII/DEMO18Q1_new.txt", f / "DEMO18Q1.txt"),
         "two files for table DEMO"),
        (lambda f: (f / "ASCII/DEMO18Q1_new.txt").write_bytes(b""), "empty file (0 bytes)"),
        (lambda f: (f / "ASCII/DEMO18Q1_new.txt").write_bytes(b"name,age\nbob,3\n"),
         "unknown column 'name,age' in the DEMO header"),
    ],
)  # fmt: skip
def test_incomplete_or_foreign_quarters(tmp_path: Path, change, expected: str) -> None:
    folder = copy_quarter(tmp_path)
    change(folder)
    assert expected in load_error(zip_folder(folder, tmp_path))


def test_archive_name_must_agree_with_tables(tmp_path: Path) -> None:
    archive = zip_folder(FIXTURES / "faers_ascii_2018q1", tmp_path, "faers_ascii_2018q2.zip")
    assert "archive name says 2018Q2 but its tables are 2018Q1" in load_error(archive)


def test_not_faers_at_all(tmp_path: Path) -> None:
    folder = tmp_path / "faers_ascii_2020q1"
    folder.mkdir()
    (folder / "README.txt").write_text("hello\n")
    assert load_error(folder) == f"{folder}: no FAERS table files (DEMOyyQq.txt ...): " + (
        "not a FAERS quarter"
    )


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil.txt", "ASCII/../../evil.txt"])
def test_zip_slip_members_refused(tmp_path: Path, name: str) -> None:
    archive = zip_folder(FIXTURES / "faers_ascii_2018q1", tmp_path)
    with zipfile.ZipFile(archive, "a") as zf:
        zf.writestr(zipfile.ZipInfo(name), b"x")
    assert "refusing member with an unsafe path" in load_error(archive)


def test_oversized_member_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faers_archive, "MAX_MEMBER_BYTES", 300)
    archive = zip_folder(FIXTURES / "faers_ascii_2018q1", tmp_path)
    assert "over the cap" in load_error(archive)


def test_zip_bomb_ratio_refused(tmp_path: Path) -> None:
    archive = zip_folder(FIXTURES / "faers_ascii_2018q1", tmp_path)
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_LZMA) as zf:
        zf.writestr("ASCII/padding.bin", bytes(4_000_000))
    assert "compressed over 1:1000" in load_error(archive)


def test_callers_transaction_is_used_not_committed() -> None:
    con = duckdb.connect()
    con.begin()
    load_quarter(con, FIXTURES / "faers_ascii_2012q4")
    assert con.execute("SELECT count(*) FROM raw.drug").fetchone() == (4,)
    con.rollback()
    tables = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw'"
    assert con.execute(tables).fetchone() == (0,)
