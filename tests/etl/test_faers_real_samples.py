"""The FAERS reader on real public samples in <repo>/../shared/data/real (skipped if absent).

Expected row counts are computed from the files themselves: every table's rows must equal its
physical lines minus the header and minus blank lines, with nothing rejected.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path, PurePosixPath

import duckdb
import pytest

from etl.sources.faers import find_quarter_files, load_quarter

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "real" / "faers-ascii"
SAMPLES = {
    "aers_ascii_2004q1.zip": ("2004Q1", "aers"),
    "faers_ascii_2017q2.zip": ("2017Q2", "faers"),
    "faers_ascii_2022Q4.zip": ("2022Q4", "faers"),
}


def _data_lines(data: bytes, *, header: bool = True) -> int:
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    return sum(1 for line in lines[1 if header else 0 :] if line.strip(b" \t\r"))


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real FAERS sample not found: {path}")
    return path


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_real_sample_loads_every_line(name: str) -> None:
    archive = _need(REAL / name)
    con = duckdb.connect()
    summary = load_quarter(con, archive)
    quarter, era = SAMPLES[name]
    files = find_quarter_files(archive)
    with zipfile.ZipFile(archive) as zf:
        expected = {t: _data_lines(zf.read(m)) for t, m in files.tables.items()}
        listed = sum(_data_lines(zf.read(m), header=False) for m in files.deleted)
    assert (summary.quarter, summary.rows_loaded, summary.rows_rejected) == (quarter, expected, 0)
    assert summary.deleted_listings == listed
    assert con.execute("SELECT era FROM raw.quarters").fetchone() == (era,)
    assert con.execute("SELECT count(*) FROM raw.rejects").fetchone() == (0,)


def test_legacy_sample_values_line_up() -> None:
    """The fwrite-named trailing column (v23, v13, ...) is not taken for data."""
    con = duckdb.connect()
    load_quarter(con, _need(REAL / "aers_ascii_2004q1.zip"))
    demo = con.execute(
        "SELECT primaryid, caseid, i_f_code, image, mfr_sndr, sex, rept_dt, occp_cod "
        "FROM raw.demo WHERE line_number = 2"
    ).fetchone()
    assert demo == (
        "4263742", "4061110", "I", "4263742-7", "BIOVAIL PHARMACEUTICALS INC.", "F", "20031231",
        "OT",
    )  # fmt: skip
    drug = "SELECT drug_seq, drugname, nda_num FROM raw.drug WHERE line_number = 2"
    assert con.execute(drug).fetchone() == ("1004492716", "TAVOR", "17794")
    ther = "SELECT dsg_drug_seq, start_dt FROM raw.ther WHERE line_number = 2"
    assert con.execute(ther).fetchone() == ("1004492716", "20031115")


def test_loose_deleted_lists_in_an_assembled_folder(tmp_path: Path) -> None:
    archive = _need(REAL / "faers_ascii_2022Q4.zip")
    loose = _need(REAL / "deleted")
    folder = tmp_path / "faers_ascii_2022q4"
    with zipfile.ZipFile(archive) as zf:
        for member in find_quarter_files(archive).tables.values():
            target = folder / "ASCII" / PurePosixPath(member).name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(member))
    (folder / "Deleted").mkdir()
    for name in ("DELETE21Q4.txt", "DELETE22Q4.txt"):
        shutil.copy(loose / name, folder / "Deleted" / name)
    con = duckdb.connect()
    summary = load_quarter(con, folder)
    expected = sum(
        _data_lines((loose / n).read_bytes(), header=False)
        for n in ("DELETE21Q4.txt", "DELETE22Q4.txt")
    )
    assert (summary.deleted_listings, summary.rows_rejected) == (expected, 0)
    blank = "SELECT source_file, n_blank_lines FROM raw.manifest WHERE table_name = 'deleted'"
    assert sorted(con.execute(blank).fetchall()) == [
        ("Deleted/DELETE21Q4.txt", 1), ("Deleted/DELETE22Q4.txt", 1),
    ]  # fmt: skip


def test_real_samples_link_no_probable_duplicates(tmp_path: Path) -> None:
    """Three real quarters of three eras: every kept case gets its match keys, most of them a
    manufacturer key, and the rules (docs/architecture.md "Probable duplicates") link none of
    them: real reports under different case numbers do not share a sender's case number here."""
    from etl.pipeline import build

    db_path = tmp_path / "real.duckdb"
    build(db_path, [_need(REAL / name) for name in sorted(SAMPLES)])
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        (n_cases,) = con.execute("SELECT count(*) FROM model.cases").fetchone()
        n_keyed, n_mfr = con.execute(
            "SELECT count(*), count(mfr_key) FROM model.case_match_keys"
        ).fetchone()
        (n_given,) = con.execute(  # the kept DEMO rows naming both sender and case number
            "SELECT count(DISTINCT k.case_id) FROM model.kept_reports k JOIN staging.demo d "
            "ON d.primaryid = k.primary_id AND d.quarter = k.quarter "
            "WHERE trim(d.mfr_num) <> '' AND trim(d.mfr_sndr) <> ''"
        ).fetchone()
        links = con.execute("SELECT * FROM model.probable_duplicates").fetchall()
    finally:
        con.close()
    assert n_keyed == n_cases and n_mfr == n_given and n_mfr > n_cases / 2
    assert links == []
