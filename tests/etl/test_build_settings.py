"""The build connection's DuckDB settings: a bounded memory (KRATOM_BUILD_MEMORY) and a spill
folder beside the file being built, removed when the build ends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl import cli
from etl.config import BUILD_MEMORY, build_memory_limit
from etl.pipeline import build
from tests.conftest import MODEL_BY_QUARTER


def test_memory_limit_defaults_and_reads_the_environment():
    assert build_memory_limit({}) == BUILD_MEMORY == "2500MB"
    assert build_memory_limit({"KRATOM_BUILD_MEMORY": " 2500MB "}) == "2500MB"
    assert build_memory_limit({"KRATOM_BUILD_MEMORY": "1.5GiB"}) == "1.5GiB"


@pytest.mark.parametrize("value", ["lots", "3", "-1GB", "3GB; SET threads=1"])
def test_a_memory_limit_that_is_not_a_size_is_refused(value):
    with pytest.raises(ValueError, match="KRATOM_BUILD_MEMORY"):
        build_memory_limit({"KRATOM_BUILD_MEMORY": value})


def test_the_build_connection_has_the_limit_and_a_spill_folder_beside_it(tmp_path, monkeypatch):
    monkeypatch.setenv("KRATOM_BUILD_MEMORY", "1GiB")
    db_path = tmp_path / "kratom.duckdb"
    seen = {}

    def look(con, result):
        seen["settings"] = con.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()

    build(db_path, [MODEL_BY_QUARTER["2012Q2"]], before_swap=look)
    assert seen["settings"] == ("1.0 GiB", str(tmp_path / "kratom.duckdb.building.tmp"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kratom.duckdb"]


def test_a_bad_limit_stops_the_build_with_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KRATOM_BUILD_MEMORY", "plenty")
    db_path = tmp_path / "kratom.duckdb"
    code = cli.main(["build", "--db", str(db_path), "--faers", str(MODEL_BY_QUARTER["2012Q2"])])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == cli.EXIT_FAILURE
    assert err == [
        "kratom-etl: failed: ValueError: KRATOM_BUILD_MEMORY='plenty' is not a size such as "
        "3GB, 2500MB or 2.5GiB"
    ]
    assert not db_path.exists()


def _blas_threads_after_main(env: dict[str, str]) -> tuple[str, str]:
    """In a new interpreter: was numpy loaded before `kratom-etl status` ran, and the setting."""
    script = (
        "import os, sys\n"
        "from etl import cli\n"
        "loaded = 'numpy' in sys.modules or 'scipy' in sys.modules\n"
        "cli.main(['status', '--db', sys.argv[1]])\n"
        "print(loaded, os.environ.get('OPENBLAS_NUM_THREADS'))\n"
    )
    missing = str(Path(env["HOME"]) / "none.duckdb")
    out = subprocess.run(
        [sys.executable, "-c", script, missing], env=env, capture_output=True, text=True, check=True
    )
    loaded, threads = out.stdout.split()
    return loaded, threads


def test_kratom_etl_runs_blas_on_one_thread_unless_told(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    env["HOME"] = str(tmp_path)
    assert _blas_threads_after_main(env) == ("False", "1")  # set before numpy could load it
    assert _blas_threads_after_main({**env, "OPENBLAS_NUM_THREADS": "4"}) == ("False", "4")


def test_the_etl_connection_draws_no_progress_bar(tmp_path):
    # DuckDB draws a bar on stderr for any query over 2 s, into cron and systemd logs. Its default
    # depends on the process (pytest's own is off), so a new interpreter is asked, as cron would.
    script = (
        "import sys\n"
        "from etl import db\n"
        "con = db.connect(sys.argv[1])\n"
        "print(con.execute(\"SELECT current_setting('enable_progress_bar')\").fetchone()[0])\n"
    )
    path = str(tmp_path / "kratom.duckdb")
    out = subprocess.run([sys.executable, "-c", script, path], capture_output=True, text=True)
    assert (out.returncode, out.stdout, out.stderr) == (0, "False\n", "")
