"""`kratom-etl refresh` and `download` against the local fake FDA, with small synthetic quarters.

Builds are the slow part, so each test walks through several weekly runs of one story.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from etl.cli import main
from etl.config import load_settings
from etl.lock import hold_lock, lock_path
from etl.pipeline import build
from etl.refresh import (
    openfda_enabled,
    openfda_since,
    same_inputs,
)
from etl.status import read_status
from tests.fake_fda import FakeFDA, Reply

REPO = Path(__file__).resolve().parents[2]
EXPORTS = "/content/Exports/"
QUARTERS = ("2004Q1", "2004Q2", "2004Q3", "2004Q4")


@pytest.fixture(scope="module")
def demo_zips(tmp_path_factory) -> dict[str, Path]:
    """Synthetic quarters 2004Q1-2004Q4 in FDA's format, by quarter (written once)."""
    from etl.demo import write_demo_quarters

    paths = write_demo_quarters(tmp_path_factory.mktemp("demo"), first=QUARTERS[0], last="2004Q4")
    return dict(zip(QUARTERS, paths, strict=True))


@pytest.fixture
def fda() -> Iterator[FakeFDA]:
    with FakeFDA() as server:
        yield server


@pytest.fixture
def env(fda: FakeFDA, tmp_path: Path, monkeypatch) -> dict[str, str]:
    """The settings of a deployment against the fake FDA (openFDA off), set in os.environ."""
    values = {
        "KRATOM_DB": str(tmp_path / "db" / "kratom.duckdb"),
        "KRATOM_DATA_DIR": str(tmp_path / "data"),
        "KRATOM_FAERS_INDEX_URL": fda.url + "/index.html",
        "KRATOM_FAERS_BASE_URL": fda.url + EXPORTS,
        "KRATOM_OPENFDA_URL": "off",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def serve(fda: FakeFDA, zips: dict[str, Path], *, corrupt: str | None = None) -> None:
    """List `zips` on the index page and serve them; `corrupt`: that quarter's file is damaged."""
    links = "".join(f'<a href="{EXPORTS}{p.name}">ASCII</a>\n' for p in zips.values())
    fda.add("/index.html", Reply(body=f"<html>{links}</html>".encode()))
    for quarter, path in zips.items():
        data = path.read_bytes()
        if quarter == corrupt:
            data = data[:200] + bytes([data[200] ^ 0xFF]) + data[201:]
        fda.add(EXPORTS + path.name, Reply(file=data))


def upto(zips: dict[str, Path], last: str) -> dict[str, Path]:
    return {q: p for q, p in zips.items() if q <= last}


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def db_quarters(path: Path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT quarter FROM raw.quarters ORDER BY 1").fetchall()]
    finally:
        con.close()


def db_runs(path: Path) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(
            "SELECT status, quarters, new_quarters, error IS NULL FROM meta.runs "
            "ORDER BY started_at, run_id"
        ).fetchall()
    finally:
        con.close()


def log_statuses(env: dict[str, str]) -> list[str]:
    lines = (Path(env["KRATOM_DATA_DIR"]) / "runs.jsonl").read_text().splitlines()
    return [json.loads(line)["status"] for line in lines]


def test_weekly_runs_update_skip_refuse_a_corrupt_zip_and_resume(
    fda: FakeFDA, env: dict[str, str], demo_zips: dict[str, Path], capsys
) -> None:
    live = Path(env["KRATOM_DB"])
    serve(fda, upto(demo_zips, "2004Q3"))
    code, out, err = run_cli(capsys, "refresh")
    assert (code, err) == (0, "")
    assert out.startswith(
        f"updated {live}: 3 quarter(s) (2004Q1–2004Q3), 3 new (2004Q1, 2004Q2, 2004Q3); "
    )
    assert db_quarters(live) == ["2004Q1", "2004Q2", "2004Q3"]
    first = stamp(live)

    # week 2: nothing new on the index -> nothing changes, and it says so
    code, out, err = run_cli(capsys, "refresh")
    assert (code, err) == (0, "")
    assert out.startswith(f"nothing new: {live} is already built from these 3 quarter file(s)")
    assert stamp(live) == first

    # week 3: 2004Q4 appears, but its zip is corrupt -> refused, exit 6, one line, db kept
    serve(fda, demo_zips, corrupt="2004Q4")
    code, out, err = run_cli(capsys, "refresh")
    assert (code, out) == (6, "")
    assert err.count("\n") == 1
    assert err.startswith("kratom-etl: refresh failed, database unchanged: download: 1 quarter")
    assert "2004Q4" in err
    assert stamp(live) == first
    raw = Path(env["KRATOM_DATA_DIR"]) / "raw" / "faers"
    assert sorted(p.name for p in raw.iterdir()) == [
        "aers_ascii_2004Q1.zip",
        "aers_ascii_2004Q2.zip",
        "aers_ascii_2004Q3.zip",
        "manifest.json",
    ]
    assert [r["status"] for r in read_status(live)["runs"]] == ["failed", "nothing_new", "updated"]

    # week 4: FDA fixes the file; a partial download left by a killed run is resumed
    serve(fda, demo_zips)
    good = demo_zips["2004Q4"].read_bytes()
    (raw / "aers_ascii_2004Q4.zip.part").write_bytes(good[:5000])
    code, out, err = run_cli(capsys, "refresh")
    assert (code, err) == (0, "")
    assert out.startswith(f"updated {live}: 4 quarter(s) (2004Q1–2004Q4), 1 new (2004Q4); ")
    q4_requests = [s for s in fda.seen if s.path == EXPORTS + demo_zips["2004Q4"].name]
    assert q4_requests[-1].headers.get("Range") == "bytes=5000-"
    assert (raw / "aers_ascii_2004Q4.zip").read_bytes() == good
    assert db_quarters(live) == list(QUARTERS)
    assert stamp(live) != first
    assert db_runs(live) == [
        ("updated", ["2004Q1", "2004Q2", "2004Q3"], ["2004Q1", "2004Q2", "2004Q3"], True),
        ("nothing_new", ["2004Q1", "2004Q2", "2004Q3"], [], True),
        ("failed", [], [], False),
        ("updated", list(QUARTERS), ["2004Q4"], True),
    ]
    assert log_statuses(env) == ["updated", "nothing_new", "failed", "updated"]
    assert not any(s.path.endswith("event.json") for s in fda.seen)  # openFDA is off
    assert not lock_path(live).exists()


def test_a_second_refresh_while_one_holds_the_lock_exits_5(
    fda: FakeFDA, env: dict[str, str], capsys
) -> None:
    live = Path(env["KRATOM_DB"])
    with hold_lock(live):
        code, out, err = run_cli(capsys, "refresh")
        code_dl, _, err_dl = run_cli(capsys, "download")
    assert (code, out, code_dl) == (5, "", 5)
    expected = f"kratom-etl: another refresh holds {lock_path(live)} (pid {os.getpid()}, host "
    assert err.startswith(expected) and err.count("\n") == 1
    assert err_dl == err
    assert fda.seen == []  # nothing was fetched
    assert not live.exists()


def test_download_command_fetches_missing_quarters_only(
    fda: FakeFDA, env: dict[str, str], demo_zips: dict[str, Path], capsys
) -> None:
    serve(fda, upto(demo_zips, "2004Q2"))
    assert run_cli(capsys, "download") == (
        0,
        "downloaded 2 quarter(s) (2004Q1, 2004Q2), 0 present\n",
        "",
    )
    serve(fda, upto(demo_zips, "2004Q3"), corrupt="2004Q3")
    code, out, err = run_cli(capsys, "download", "--since", "2004Q2")
    assert (code, out) == (6, "")
    assert err.startswith("kratom-etl: download failed: 1 quarter(s) failed: 2004Q3: ")
    assert err.count("\n") == 1
    serve(fda, upto(demo_zips, "2004Q3"))
    assert run_cli(capsys, "download") == (0, "downloaded 1 quarter(s) (2004Q3), 2 present\n", "")
    assert not Path(env["KRATOM_DB"]).exists()  # download never builds


def test_openfda_reports_land_in_the_new_database_and_a_failure_is_only_a_warning(
    fda: FakeFDA, env: dict[str, str], demo_zips: dict[str, Path], capsys, monkeypatch
) -> None:
    monkeypatch.setenv("KRATOM_OPENFDA_URL", fda.url)
    serve(fda, upto(demo_zips, "2004Q3"))
    report = {"safetyreportid": "9001", "receivedate": "20041015", "patient": {"drug": []}}
    fda.add("/drug/event.json", Reply(body=json.dumps({"results": [report]}).encode()))
    error = {"error": {"code": "BAD_REQUEST", "message": "Invalid query"}}
    fda.add("/food/event.json", Reply(status=400, body=json.dumps(error).encode()))

    code, out, err = run_cli(capsys, "refresh")
    assert (code, err) == (0, "")
    assert out.startswith("updated ")
    live = Path(env["KRATOM_DB"])
    con = duckdb.connect(str(live), read_only=True)
    try:
        reports = con.execute("SELECT source, safetyreportid FROM raw.openfda_reports").fetchall()
        warnings, sources = con.execute("SELECT warnings, sources_json FROM meta.runs").fetchone()
    finally:
        con.close()
    assert reports == [("openfda-faers", "9001")]
    assert json.loads(sources)["openfda"] == {"openfda-faers": 1}
    assert len(warnings) == 1
    assert warnings[0].startswith("openfda-caers skipped: OpenFdaError: ")
    (query,) = fda.queries("/drug/event.json")
    # every openfda_words of kratom_terms.csv, in file order, each once (7-OH terms first);
    # a phrase is quoted (%22), a space is +; tests/etl/test_openfda_search_words.py
    words = (
        "(*hydroxymitragyn*+*hydroxymitrogyn*+7oh+%227+oh%22+7hydroxy+%227+hydroxy%22"
        "+7ohmz+%227+ohmz%22+*hmz+roxytabs*+hydroxie*+7tabz+%227+tabz%22+%22feel+free%22"
        "+mit45+%22mit+45%22+%22maeng+da%22+maengda+%22magna+da%22+magnada+%22magnea+da%22"
        "+magneada+kratom*+kratum*+mitragyn*+mitrogyn*+speciogynine+speciociliatin*"
        "+paynantheine+opms+o.p.m.s+vivazen+%22viva+zen%22+kraoma*)"
    )
    assert query == (
        f"search=(patient.drug.medicinalproduct:{words}"
        f"+patient.drug.activesubstance.activesubstancename:{words})"
        "+AND+receivedate:%5B20041001+TO+29991231%5D&limit=1000"
    )


def test_new_openfda_reports_alone_trigger_a_build_and_unchanged_ones_do_not(
    fda: FakeFDA, env: dict[str, str], demo_zips: dict[str, Path], capsys, monkeypatch
) -> None:
    # The weeks after the latest quarterly file change between quarters: every weekly run
    # fetches openFDA, and only new or changed reports count as news.
    monkeypatch.setenv("KRATOM_OPENFDA_URL", fda.url)
    serve(fda, upto(demo_zips, "2004Q3"))
    first = {"safetyreportid": "9001", "receivedate": "20041015", "patient": {"drug": []}}
    second = {"safetyreportid": "9002", "receivedate": "20041020", "patient": {"drug": []}}
    one = Reply(body=json.dumps({"results": [first]}).encode())
    two = Reply(body=json.dumps({"results": [first, second]}).encode())
    fda.add("/drug/event.json", one, one, two)
    none = {"error": {"code": "NOT_FOUND", "message": "No matches found!"}}
    fda.add("/food/event.json", Reply(status=404, body=json.dumps(none).encode()))

    outs = [run_cli(capsys, "refresh") for _ in range(3)]
    assert [(code, out.split()[0], err) for code, out, err in outs] == [
        (0, "updated", ""),
        (0, "nothing", ""),  # same quarters, same openFDA reports
        (0, "updated", ""),  # report 9002 is new
    ]
    con = duckdb.connect(env["KRATOM_DB"], read_only=True)
    try:
        ids = con.execute("SELECT safetyreportid FROM raw.openfda_reports ORDER BY 1").fetchall()
    finally:
        con.close()
    assert ids == [("9001",), ("9002",)]


def test_openfda_switches_and_dates() -> None:
    on = load_settings({"KRATOM_OPENFDA_URL": "http://127.0.0.1:9"})
    assert (openfda_enabled(on, True), openfda_enabled(on, False)) == (True, False)
    assert openfda_enabled(load_settings({"KRATOM_OPENFDA_URL": "off"}), True) is False
    assert openfda_enabled(load_settings({"KRATOM_OPENFDA_URL": "OFF"}), True) is False
    assert [openfda_since(q) for q in ("2004Q1", "2004Q3", "2004Q4")] == [
        "20040401",
        "20041001",
        "20050101",
    ]


def test_same_inputs_compares_file_hashes_reference_and_code() -> None:
    base = {
        "faers": [{"file": "a.zip", "size": 1, "mtime_ns": 1, "sha256": "x"}],
        "poison_centers": [],
        "reference_sha256": "r",
        "code_sha256": "c",
    }
    touched = {**base, "faers": [{"file": "a.zip", "size": 1, "mtime_ns": 2, "sha256": "x"}]}
    assert same_inputs(base, touched)  # a new mtime with the same bytes is not new
    assert not same_inputs(base, None)
    assert not same_inputs(base, {**base, "reference_sha256": "r2"})
    assert not same_inputs(base, {**base, "code_sha256": "c2"})
    assert not same_inputs(base, {**base, "faers": []})
    changed = [{"file": "a.zip", "size": 1, "mtime_ns": 1, "sha256": "y"}]
    assert not same_inputs(base, {**base, "faers": changed})


def _subprocess_env(env: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **env, "PYTHONPATH": str(REPO)}


def _signal_when_building(proc: subprocess.Popen, building: Path, signum: int) -> None:
    """Send `signum` to `proc` as soon as its build file appears (the guard stops a hung test)."""
    deadline = time.monotonic() + 120
    while not building.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the refresh ended (rc {proc.returncode}) before its build started")
        time.sleep(0.005)
    assert proc.poll() is None, "the refresh finished before the signal could be sent"
    os.kill(proc.pid, signum)


def test_kill_9_during_a_build_keeps_the_live_db_and_the_dashboard_follows_the_next_swap(
    fda: FakeFDA, env: dict[str, str], demo_zips: dict[str, Path]
) -> None:
    from dashboard.db import Database

    live = Path(env["KRATOM_DB"])
    raw = Path(env["KRATOM_DATA_DIR"]) / "raw" / "faers"
    build(live, [demo_zips["2004Q1"], demo_zips["2004Q2"]])
    dashboard = Database(live)
    assert dashboard.query("SELECT count(*) AS n FROM raw.quarters")["n"].to_list() == [2]

    serve(fda, upto(demo_zips, "2004Q3"))
    cmd = [sys.executable, "-m", "etl", "refresh"]
    proc = subprocess.Popen(cmd, cwd=REPO, env=_subprocess_env(env), stderr=subprocess.PIPE)
    building = live.with_name(live.name + ".building")
    _signal_when_building(proc, building, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    assert db_quarters(live) == ["2004Q1", "2004Q2"]  # the live file is whole and unchanged
    assert dashboard.query("SELECT count(*) AS n FROM raw.quarters")["n"].to_list() == [2]
    assert lock_path(live).exists()  # left behind, but the kernel released the flock

    done = subprocess.run(cmd, cwd=REPO, env=_subprocess_env(env), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "cleared a stale lock" in done.stderr
    assert f"removing {building} left by an interrupted build" in done.stderr
    assert done.stdout.startswith(f"updated {live}: 3 quarter(s) (2004Q1–2004Q3), 0 new; ")
    assert sorted(p.name for p in raw.glob("*.zip")) == [
        "aers_ascii_2004Q1.zip",
        "aers_ascii_2004Q2.zip",
        "aers_ascii_2004Q3.zip",
    ]
    assert not building.exists() and not lock_path(live).exists()
    # the running dashboard sees the swapped-in file on its next query, without a restart
    assert dashboard.query("SELECT count(*) AS n FROM raw.quarters")["n"].to_list() == [3]
    statuses = [r["status"] for r in read_status(live)["runs"]]
    assert statuses == ["updated"]  # the killed run could record nothing; the build is here


def test_sigterm_during_a_build_stops_cleanly_and_records_a_failed_run(
    fda: FakeFDA, env: dict[str, str], demo_zips: dict[str, Path]
) -> None:
    live = Path(env["KRATOM_DB"])
    serve(fda, upto(demo_zips, "2004Q2"))
    cmd = [sys.executable, "-m", "etl", "refresh"]
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=_subprocess_env(env), stderr=subprocess.PIPE, text=True
    )
    building = live.with_name(live.name + ".building")
    _signal_when_building(proc, building, signal.SIGTERM)  # what `systemctl stop` sends
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 1
    assert err.splitlines()[-1] == "kratom-etl: refresh stopped by SIGTERM, database unchanged"
    assert not live.exists() and not building.exists() and not lock_path(live).exists()
    lines = (Path(env["KRATOM_DATA_DIR"]) / "runs.jsonl").read_text().splitlines()
    (record,) = [json.loads(line) for line in lines]
    assert (record["status"], record["error"]) == ("failed", "Terminated: stopped by SIGTERM")


def test_a_sigterm_inside_a_duckdb_query_is_still_a_sigterm() -> None:
    """DuckDB runs the handler while a query runs and reports "Query interrupted" instead."""
    from etl.sigterm import Terminated, as_terminated, terminated_on_sigterm

    con = duckdb.connect()
    with terminated_on_sigterm():
        timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM))
        timer.start()
        try:  # a few seconds of work: still running when the signal comes
            con.execute("SELECT sum(i % 7) FROM range(1_000_000_000) t(i)").fetchall()
        except BaseException as exc:  # what DuckDB raises is the point
            caught = exc
        timer.join()
    assert (type(caught), str(caught)) == (RuntimeError, "Query interrupted")
    stopped = as_terminated(caught)
    assert (type(stopped), str(stopped)) == (Terminated, "stopped by SIGTERM")
    with terminated_on_sigterm():  # a new block forgets the last signal
        assert as_terminated(caught) is caught


def test_run_log_skips_a_line_cut_by_a_crash_and_other_databases(tmp_path: Path) -> None:
    from etl import runlog

    log_path = tmp_path / "runs.jsonl"
    mine, other = runlog.new_run(tmp_path / "a.duckdb"), runlog.new_run(tmp_path / "b.duckdb")
    mine.status, other.status = "failed", "nothing_new"
    runlog.append_run(log_path, mine)
    runlog.append_run(log_path, other)
    with open(log_path, "a") as f:
        f.write('{"run_id": "cut-sh')  # a crash in the middle of a write
    assert runlog.read_run_log(log_path, tmp_path / "a.duckdb") == [mine]
    assert runlog.read_run_log(log_path, tmp_path / "b.duckdb") == [other]


def test_status_text_lists_the_last_runs() -> None:
    from etl.status import format_status

    base = {"new_quarters": [], "quarters": ["2004Q1", "2004Q2"], "error": None}
    doc = {
        "quarters": ["2004Q1", "2004Q2"],
        "rows": {},
        "rejected": {},
        "runs": [
            {**base, "started_at": "2026-05-10T03:00:00+00:00", "status": "nothing_new"},
            {**base, "started_at": "2026-05-03T03:00:00+00:00", "status": "failed",
             "quarters": [], "error": "DownloadError: 1 quarter(s) failed: 2004Q3: x"},
            {**base, "started_at": "2026-04-26T03:00:00+00:00", "status": "updated",
             "new_quarters": ["2004Q2"]},
        ],
    }  # fmt: skip
    assert format_status(doc).splitlines()[-4:] == [
        "last runs (newest first):",
        "  2026-05-10T03:00:00+00:00 nothing_new 2 quarter(s)",
        "  2026-05-03T03:00:00+00:00 failed      DownloadError: 1 quarter(s) failed: 2004Q3: x",
        "  2026-04-26T03:00:00+00:00 updated     2 quarter(s), new: 2004Q2",
    ]
