"""The refresh lock: one holder at a time, released by the kernel when its process dies."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from etl.lock import LockHeld, describe_holder, hold_lock, lock_path

REPO = Path(__file__).resolve().parents[2]


def test_the_lock_file_names_its_holder_and_goes_away_after(tmp_path: Path) -> None:
    db = tmp_path / "kratom.duckdb"
    with hold_lock(db) as stale:
        holder = json.loads(lock_path(db).read_text())
        assert stale == {}
        assert sorted(holder) == ["host", "pid", "started_at"]
        assert (holder["pid"], holder["host"]) == (os.getpid(), socket.gethostname())
    assert lock_path(db) == tmp_path / "kratom.duckdb.lock"
    assert not lock_path(db).exists()


def test_a_second_holder_is_refused_with_the_first_ones_details(tmp_path: Path) -> None:
    db = tmp_path / "kratom.duckdb"
    with hold_lock(db):
        holder = json.loads(lock_path(db).read_text())
        with pytest.raises(LockHeld) as caught, hold_lock(db):
            pass  # pragma: no cover - never reached
        assert caught.value.holder == holder
        assert str(caught.value) == (
            f"another refresh holds {lock_path(db)} (pid {os.getpid()}, "
            f"host {holder['host']}, started_at {holder['started_at']})"
        )
        assert lock_path(db).exists()  # the refused attempt did not remove the holder's file
    with hold_lock(db) as stale:  # free again
        assert stale == {}


def test_a_killed_holders_lock_is_stale_and_cleared(tmp_path: Path) -> None:
    db = tmp_path / "kratom.duckdb"
    code = (
        "import sys, time\n"
        "from etl.lock import hold_lock\n"
        "with hold_lock(sys.argv[1]):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(120)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(db)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline() == "held\n"
        with pytest.raises(LockHeld, match=rf"\(pid {proc.pid}, host "), hold_lock(db):
            pass  # pragma: no cover - never reached
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    assert lock_path(db).exists()
    with hold_lock(db) as stale:
        assert stale["pid"] == proc.pid
        assert json.loads(lock_path(db).read_text())["pid"] == os.getpid()
    assert not lock_path(db).exists()


def test_an_unreadable_stale_file_is_reported_as_it_is(tmp_path: Path) -> None:
    db = tmp_path / "kratom.duckdb"
    lock_path(db).write_text("garbage\n")
    with hold_lock(db) as stale:
        assert stale == {"text": "garbage"}
        assert describe_holder(stale) == "unreadable: 'garbage'"
    assert describe_holder({"pid": 7, "host": "h"}) == "pid 7, host h"
