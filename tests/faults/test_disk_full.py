"""A build out of disk space: one clear line, exit 7, the live file unchanged, nothing left.

The building file sits beside the live one (`<db>.building`, etl/db.py), so the small disk holds
both. Two ways to make a disk small: a size-limited tmpfs (needs root, as in CI) and, where
mounting is not allowed, RLIMIT_FSIZE in the child (writes past the limit fail with EFBIG; Python
ignores SIGXFSZ, so the process is not killed). Each variant runs where it can.
"""

from __future__ import annotations

import contextlib
import resource
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fake_fda import FakeFDA, Reply
from tests.faults.helpers import error_lines, etl_env, leftovers, quarters, run_etl, sha256

MiB = 1 << 20


@dataclass
class SmallDisk:
    folder: Path
    reason: str  # what the error line says the disk problem is
    preexec_fn: Callable[[], None] | None  # run in the child before it starts
    free: Callable[[], None]  # make room again


def _mount(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True, timeout=30)


@contextlib.contextmanager
def tmpfs_disk(folder: Path, free_bytes: int, live: Path) -> Iterator[SmallDisk]:
    """`folder` as a tmpfs with room for `live` and `free_bytes` more."""
    size_k = (live.stat().st_size + free_bytes) // 1024
    if shutil.which("mount") is None:
        pytest.skip("no mount(8) here; the RLIMIT_FSIZE variant covers a full disk")
    done = _mount("-t", "tmpfs", "-o", f"size={size_k}k", "tmpfs", str(folder))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs ({done.stderr.strip()}); RLIMIT_FSIZE covers it")
    try:

        def free() -> None:
            assert _mount("-o", "remount,size=256m", str(folder)).returncode == 0

        yield SmallDisk(folder, "No space left on device", None, free)
    finally:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@contextlib.contextmanager
def file_size_limit(folder: Path, free_bytes: int, live: Path) -> Iterator[SmallDisk]:
    """No file the child writes may grow past `free_bytes` (RLIMIT_FSIZE)."""
    limit = {"bytes": free_bytes}

    def preexec() -> None:
        if limit["bytes"] is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit["bytes"], limit["bytes"]))

    def free() -> None:
        limit["bytes"] = None

    yield SmallDisk(folder, "File too large", preexec, free)


@pytest.fixture(params=["tmpfs", "rlimit"])
def small_disk(request, tmp_path: Path, old_db: Path) -> Iterator[SmallDisk]:
    """A folder holding a copy of the old live database, with about 1 MiB to spare."""
    folder = tmp_path / "small"
    folder.mkdir()
    make = tmpfs_disk if request.param == "tmpfs" else file_size_limit
    with make(folder, 1 * MiB, old_db) as disk:
        shutil.copyfile(old_db, folder / "kratom.duckdb")
        yield disk


def test_a_build_out_of_disk_says_so_keeps_the_live_db_and_the_next_run_succeeds(
    small_disk: SmallDisk, fault_zips: dict[str, Path]
) -> None:
    live = small_disk.folder / "kratom.duckdb"
    before = sha256(live)
    all_zips = [str(p) for p in fault_zips.values()]

    done = run_etl(
        "build", "--faers", *all_zips, "--db", str(live), preexec_fn=small_disk.preexec_fn
    )
    assert done.returncode == 7, done.stderr
    (line,) = error_lines(done.stderr)
    building = live.with_name("kratom.duckdb.building")
    assert line.startswith(f"kratom-etl: out of disk space: {small_disk.reason} writing {building}")
    assert line.endswith("the live database is unchanged; free some space and run again")
    assert "Traceback" not in done.stderr
    assert sha256(live) == before
    assert leftovers(small_disk.folder) == []  # the half-written build was removed

    # an incremental build starts by copying the live file: that copy fails too, and goes
    add = run_etl(
        "build", "--add", "--faers", all_zips[-1], "--db", str(live),
        preexec_fn=small_disk.preexec_fn,
    )  # fmt: skip
    assert add.returncode == 7, add.stderr
    (line,) = error_lines(add.stderr)
    assert line.startswith(f"kratom-etl: out of disk space: {small_disk.reason} writing {building}")
    assert sha256(live) == before
    assert leftovers(small_disk.folder) == []

    small_disk.free()
    done = run_etl(
        "build", "--faers", *all_zips, "--db", str(live), preexec_fn=small_disk.preexec_fn
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"built {live}: 3 quarter(s)")
    assert quarters(live) == ["2004Q1", "2004Q2", "2004Q3"]
    assert leftovers(small_disk.folder) == []


def test_a_download_out_of_disk_exits_7_keeps_its_part_file_and_the_next_run_resumes(
    tmp_path: Path, fault_zips: dict[str, Path], padded_q3: Path
) -> None:
    limit = 100_000  # the zip is ~636 KB: the .part file cannot grow past this

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    raw = tmp_path / "data" / "raw" / "faers"
    with FakeFDA() as fda:
        fda.add("/index.html", Reply(body=f'<a href="/z/{padded_q3.name}">ASCII</a>'.encode()))
        fda.add(f"/z/{padded_q3.name}", Reply(file=padded_q3.read_bytes()))
        env = etl_env(
            KRATOM_DB=str(tmp_path / "kratom.duckdb"),
            KRATOM_DATA_DIR=str(tmp_path / "data"),
            KRATOM_FAERS_INDEX_URL=fda.url + "/index.html",
        )
        done = run_etl("download", "--since", "2004Q3", env=env, preexec_fn=small_files)
        assert done.returncode == 7, done.stderr
        (line,) = error_lines(done.stderr)
        part = raw / "aers_ascii_2004Q3.zip.part"
        assert line.startswith(f"kratom-etl: out of disk space: File too large writing {part}")
        assert "Traceback" not in done.stderr
        kept = part.stat().st_size
        assert 0 < kept <= limit

        done = run_etl("download", "--since", "2004Q3", env=env)
        assert done.returncode == 0, done.stderr
        assert done.stdout == "downloaded 1 quarter(s) (2004Q3), 0 present\n"
        ranges = [s.headers.get("Range") for s in fda.seen if s.path.endswith(".zip")]
    assert ranges == [None, f"bytes={kept}-"]
    assert sha256(raw / "aers_ascii_2004Q3.zip") == sha256(padded_q3)
