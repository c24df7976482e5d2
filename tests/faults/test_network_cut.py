"""The network fails during a refresh: exit 6, the live database unchanged, the next run resumes.

tests/etl/test_http.py covers a cut healed within one download, test_fda_downloads.py and
test_refresh.py a `.part` left by a killed run and a corrupt zip. Here the outage outlasts every
retry of a refresh: FDA's server drops the connection part-way through the zip, or goes silent
past the read timeout, or cuts the index page itself. Each whole 64 KiB chunk that arrived stays
in the `.part` file, and the refresh after the outage asks only for the rest (HTTP Range).

Runs `kratom-etl refresh` in this process (etl.cli.main) so the waits between retries can be
recorded instead of slept and the read timeout can be short; the refresh itself is the real one.
"""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path

import pytest

import etl.refresh
from etl.cli import main
from etl.download import CHUNK_SIZE
from etl.http import make_session
from etl.sources.fda_downloads import local_file_name
from tests.fake_fda import FakeFDA, Reply
from tests.faults.helpers import content, sha256

EXPORTS = "/content/Exports/"
READ_TIMEOUT = 1.0  # seconds without a byte before the client gives up on a response


@pytest.fixture
def fda():
    with FakeFDA() as server:
        yield server


def test_outages_exit_6_keep_the_live_db_and_the_next_refresh_resumes_the_zip(
    fda: FakeFDA,
    tmp_path: Path,
    monkeypatch,
    capsys,
    fault_zips: dict[str, Path],
    padded_q3: Path,
    old_db: Path,
    new_content: dict,
) -> None:
    live, data = tmp_path / "db" / "kratom.duckdb", tmp_path / "data"
    raw = data / "raw" / "faers"
    raw.mkdir(parents=True)
    live.parent.mkdir()
    shutil.copyfile(old_db, live)
    for quarter in ("2004Q1", "2004Q2"):  # fetched by earlier refreshes
        shutil.copyfile(fault_zips[quarter], raw / local_file_name(quarter))
    for key, value in {
        "KRATOM_DB": str(live),
        "KRATOM_DATA_DIR": str(data),
        "KRATOM_FAERS_INDEX_URL": fda.url + "/index.html",
        "KRATOM_FAERS_BASE_URL": fda.url + EXPORTS,
        "KRATOM_OPENFDA_URL": "off",
    }.items():
        monkeypatch.setenv(key, value)
    sleeps: list[float] = []
    monkeypatch.setattr(
        etl.refresh,
        "refresh",
        functools.partial(
            etl.refresh.refresh,
            session=make_session(timeout=(5.0, READ_TIMEOUT)),
            sleep=sleeps.append,
        ),
    )
    index = "".join(f'<a href="{EXPORTS}{p.name}">ASCII</a>' for p in fault_zips.values()).encode()
    q3_url, q3 = EXPORTS + padded_q3.name, padded_q3.read_bytes()
    part = raw / (local_file_name("2004Q3") + ".part")
    before = sha256(live)

    def refresh() -> tuple[int, str, str]:
        """Exit code, stdout and the last line of stderr (the one-line error, if any)."""
        code = main(["refresh"])
        out, err = capsys.readouterr()
        return code, out, (err.splitlines() or [""])[-1]

    def q3_ranges() -> list[str | None]:
        """The Range header of each request for the zip since the last call."""
        seen = [s.headers.get("Range") for s in fda.seen if s.path == q3_url]
        fda.seen.clear()
        return seen

    # 1. the connection drops: one whole chunk arrives, then every retry is cut within 100 bytes
    fda.add("/index.html", Reply(body=index))
    fda.add(q3_url, Reply(file=q3, cut_after=CHUNK_SIZE + 100), Reply(file=q3, cut_after=100))
    code, out, err = refresh()
    assert (code, out) == (6, "")
    assert err.startswith(
        "kratom-etl: refresh failed, database unchanged: download: 1 quarter(s) failed: 2004Q3: "
    )
    assert "gave up after 5 attempts" in err
    assert q3_ranges() == [None] + [f"bytes={CHUNK_SIZE}-"] * 4
    assert sleeps == [1.0, 2.0, 4.0, 8.0]  # backoff between the zip's attempts
    assert part.read_bytes() == q3[:CHUNK_SIZE]
    assert sha256(live) == before

    # 2. the network stalls: a chunk, then silence past the read timeout, on every attempt
    fda.add(
        q3_url,
        Reply(file=q3, cut_after=CHUNK_SIZE + 100, stall=3 * READ_TIMEOUT),
        Reply(file=q3, cut_after=100, stall=3 * READ_TIMEOUT),
    )
    code, out, err = refresh()
    assert (code, out) == (6, "")
    assert "2004Q3: " in err and "Read timed out" in err
    assert q3_ranges() == [f"bytes={CHUNK_SIZE}-"] + [f"bytes={2 * CHUNK_SIZE}-"] * 4
    assert part.read_bytes() == q3[: 2 * CHUNK_SIZE]
    assert sha256(live) == before

    # 3. the index page itself is cut off: a download failure too (6), not an unexpected one
    fda.add("/index.html", Reply(body=index, cut_after=10))
    code, out, err = refresh()
    assert (code, out) == (6, "")
    assert err.startswith(
        f"kratom-etl: refresh failed, database unchanged: download: {fda.url}/index.html: "
        "gave up after 5 attempts"
    )
    assert q3_ranges() == []
    assert sha256(live) == before

    # 4. the network is back: only the missing bytes are fetched, the zip is whole, the db new
    fda.add("/index.html", Reply(body=index))
    fda.add(q3_url, Reply(file=q3))
    code, out, err = refresh()
    assert code == 0, err
    assert out.startswith(f"updated {live}: 3 quarter(s) (2004Q1–2004Q3), 1 new (2004Q3); ")
    assert q3_ranges() == [f"bytes={2 * CHUNK_SIZE}-"]
    q3_zip = raw / local_file_name("2004Q3")
    assert sha256(q3_zip) == sha256(padded_q3) and not part.exists()
    manifest = json.loads((raw / "manifest.json").read_text())["files"]
    assert {e["quarter"]: e["sha256"] for e in manifest}["2004Q3"] == sha256(padded_q3)
    assert content(live) == new_content
    runs = [json.loads(line) for line in (data / "runs.jsonl").read_text().splitlines()]
    assert [r["status"] for r in runs] == ["failed", "failed", "failed", "updated"]
