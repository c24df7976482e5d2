"""The full-history generator (etl/demo_full.py) at a tiny scale: sizes, versions across quarters,
legacy cases carried into FAERS, deleted lists, and every era read by the real build."""

from __future__ import annotations

import zipfile
from pathlib import Path

import duckdb
import pytest

from etl.demo_draw import quarter_range
from etl.demo_full import write_full_history
from etl.pipeline import build

SCALE = 0.002  # legacy quarters 120,000 x 0.002 = 240 reports, FAERS quarters 400,000 x 0.002 = 800
LEGACY = quarter_range("2012Q2", "2012Q3")
FAERS = ["2012Q4", *quarter_range("2018Q3", "2019Q2")]


@pytest.fixture(scope="module")
def zips(tmp_path_factory) -> dict[str, Path]:
    paths = write_full_history(tmp_path_factory.mktemp("full"), LEGACY + FAERS, scale=SCALE)
    return dict(zip(LEGACY + FAERS, paths, strict=True))


def member(path: Path, prefix: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        name = next(n for n in zf.namelist() if Path(n).name.upper().startswith(prefix))
        return zf.read(name)


def demo_rows(path: Path) -> list[dict[str, str]]:
    """DEMO rows by header name (legacy ISR/CASE/I_F_COD read as primaryid/caseid/i_f_code)."""
    lines = member(path, "DEMO").decode().replace("\r\n", "\n").rstrip("\n").split("\n")
    renames = {"isr": "primaryid", "case": "caseid", "i_f_cod": "i_f_code"}
    header = [renames.get(h.strip().lower(), h.strip().lower()) for h in lines[0].split("$")]
    return [dict(zip(header, line.split("$"), strict=False)) for line in lines[1:]]


def deleted_ids(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as zf:
        names = [n for n in zf.namelist() if "delete" in n.lower()]
        return {x.strip() for n in names for x in zf.read(n).decode().split() if x.strip()}


def note(path: Path) -> dict[str, str]:
    text = member(path, "SYNTHETIC").decode().splitlines()[2:]
    return dict(line.split(": ", 1) for line in text)


def test_every_quarter_holds_its_era_size_and_new_plus_follow_ups(zips):
    for quarter, path in zips.items():
        rows = demo_rows(path)
        assert len(rows) == (240 if quarter in LEGACY else 800), quarter
        assert len({r["caseid"] for r in rows}) == len(rows)  # one version per case per quarter
        initial = sum(r["i_f_code"] == "I" for r in rows)
        assert initial == int(note(path)["new_cases"]), quarter
        if quarter != "2012Q4":  # FAERS's first quarter follows up only the smaller legacy cohorts
            assert 0.2 < 1 - initial / len(rows) < 0.5, quarter  # about 1/3 are follow-ups


def test_follow_ups_continue_cases_of_earlier_quarters(zips):
    seen: dict[str, int] = {}
    repeated = 0
    for quarter in FAERS[1:]:  # 2018Q3..2019Q2, consecutive
        for r in demo_rows(zips[quarter]):
            version = int(r["caseversion"])
            if r["caseid"] in seen:
                repeated += 1
                assert r["i_f_code"] == "F" and version > seen[r["caseid"]], (quarter, r)
            assert int(r["primaryid"]) == int(r["caseid"]) * 10 + version
            seen[r["caseid"]] = version
    assert repeated > 50


def test_legacy_cases_carried_into_faers(zips):
    legacy = {r["caseid"] for q in LEGACY for r in demo_rows(zips[q])}
    carried = [r for r in demo_rows(zips["2012Q4"]) if r["caseid"] in legacy]
    assert carried
    for r in carried:
        assert r["i_f_code"] == "F" and int(r["caseversion"]) >= 2
        assert int(r["primaryid"]) == int(r["caseid"]) * 10 + int(r["caseversion"])


def test_deleted_lists_name_earlier_cases_and_stop_their_versions(zips):
    assert not deleted_ids(zips["2018Q4"])  # no lists before 2019Q1
    listed = deleted_ids(zips["2019Q1"]) | deleted_ids(zips["2019Q2"])
    assert listed
    assert not deleted_ids(zips["2019Q1"]) & {r["caseid"] for r in demo_rows(zips["2019Q1"])}
    assert not deleted_ids(zips["2019Q1"]) & {r["caseid"] for r in demo_rows(zips["2019Q2"])}


def test_a_quarter_written_alone_is_the_same_zip(zips, tmp_path):
    (alone,) = write_full_history(tmp_path, ["2019Q1"], scale=SCALE)
    assert alone.read_bytes() == zips["2019Q1"].read_bytes()


def test_the_real_build_reads_every_era_and_applies_dedup_and_deletions(zips, tmp_path):
    db = tmp_path / "full.duckdb"
    result = build(db, list(zips.values()))
    assert result.rows_rejected == 0
    rows = [r for path in zips.values() for r in demo_rows(path)]
    listed = set().union(*(deleted_ids(p) for p in zips.values()))
    cases = {r["caseid"] for r in rows}
    with duckdb.connect(str(db), read_only=True) as con:
        layouts = dict(con.execute("SELECT quarter, era FROM raw.quarters").fetchall())
        kept = {str(c) for (c,) in con.execute("SELECT case_id FROM model.cases").fetchall()}
        n_reports = con.execute("SELECT count(*) FROM staging.demo").fetchone()[0]
    assert layouts == {q: "aers" if q in LEGACY else "faers" for q in zips}
    assert n_reports == len(rows) == 2 * 240 + 5 * 800
    assert cases & listed  # some loaded cases are deleted later
    assert kept == cases - listed
