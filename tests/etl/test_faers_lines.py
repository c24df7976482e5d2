"""Line scanning of FAERS member bytes (faers_lines), chunk boundaries and in-place reading."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from etl.errors import InputError
from etl.sources import faers_lines
from etl.sources.faers import load_quarter
from etl.sources.faers_archive import open_archive
from etl.sources.faers_lines import decode_member, lines_table

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "faers"

# Hand-made: CRLF, LF, a lone CR inside a value, a space-only line, an empty line, a line that is
# only `$`, and a last line with no break at all.
SAMPLE = b"a$b\r\nc$$d\n x\ry$\n \t \r\n\n$\nlast"
SAMPLE_ROWS = [
    # (line_number, line with breaks as `$`, eol, dollars, blank, last_dollar)
    (1, "a$b$$", 2, 1, False, False),
    (2, "c$$d$", 1, 2, False, False),
    (3, " x\ry$$", 1, 1, False, True),
    (4, " \t $$", 2, 0, True, False),
    (5, "$", 1, 0, True, False),
    (6, "$$", 1, 1, False, True),
    (7, "last", 0, 0, False, False),
]
COLUMNS = ("line_number", "line", "eol", "dollars", "blank", "last_dollar")


def rows(data: bytes | bytearray) -> list[tuple]:
    table = lines_table(data)
    return list(zip(*(table[c].to_pylist() for c in COLUMNS), strict=True))


def test_lines_and_their_statistics() -> None:
    assert rows(SAMPLE) == SAMPLE_ROWS


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 8])
def test_small_scan_chunks_give_the_same_lines(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(faers_lines, "_CHUNK", chunk)
    assert rows(SAMPLE) == SAMPLE_ROWS


def test_empty_bytes_have_no_lines() -> None:
    assert rows(b"") == []


def test_bytes_are_copied_and_a_bytearray_is_changed_in_place() -> None:
    given = b"a$b\r\n"
    assert rows(given) == [(1, "a$b$$", 2, 1, False, False)]
    assert given == b"a$b\r\n"
    mutable = bytearray(given)
    rows(mutable)
    assert mutable == bytearray(b"a$b$$")


def test_bom_removed_from_a_bytearray_in_place() -> None:
    data = bytearray(b"\xef\xbb\xbfprimaryid$caseid\n")
    decoded, encoding = decode_member(data)
    assert (decoded is data, encoding) == (True, "utf-8")
    assert data == bytearray(b"primaryid$caseid\n")


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        ("café$ü\n".encode(), "utf-8", "café$ü\n"),
        ("café$ü\n".encode("latin-1"), "latin-1", "café$ü\n"),
        (b"plain$ascii\n", "utf-8", "plain$ascii\n"),
    ],
)
def test_utf8_checked_across_chunk_boundaries(
    monkeypatch: pytest.MonkeyPatch, data: bytes, encoding: str, text: str
) -> None:
    monkeypatch.setattr(faers_lines, "_CHUNK", 4)  # "é" and "ü" straddle chunk edges
    decoded, found = decode_member(data)
    assert (bytes(decoded).decode("utf-8"), found) == (text, encoding)


def test_empty_deleted_list_loads_as_no_lines(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(FIXTURES / "faers_ascii_2018q1", tmp_path / "faers_ascii_2018q1"))
    (folder / "Deleted" / "DELETE18Q1.txt").write_bytes(b"")
    con = duckdb.connect()
    summary = load_quarter(con, folder)
    assert (summary.deleted_listings, summary.rows_rejected) == (0, 0)
    assert con.execute(
        "SELECT n_lines, n_rows_read, sha256 FROM raw.manifest WHERE table_name = 'deleted'"
    ).fetchall() == [(0, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]


def test_read_whole_checks_the_zip_crc(tmp_path: Path) -> None:
    archive = tmp_path / "faers_ascii_2018q1.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("ASCII/DEMO18Q1.txt", b"primaryid$caseid\n1$2\n")
    data = bytearray(archive.read_bytes())
    data[data.index(b"1$2")] = ord("9")  # same size, so only the CRC can tell
    archive.write_bytes(bytes(data))
    with open_archive(archive) as reader, pytest.raises(InputError, match="Bad CRC-32"):
        reader.read_whole("ASCII/DEMO18Q1.txt")
