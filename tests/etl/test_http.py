"""etl.http and etl.download against a local server: retries, backoff, resumable downloads,
rate limiting, progress."""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Iterator

import pytest

from etl.download import CHUNK_SIZE, download_file
from etl.download_progress import LogProgress, TextProgressBar
from etl.http import (
    BudgetExceeded,
    FetchError,
    RateLimiter,
    get_with_retries,
    make_session,
    retry_after_seconds,
)
from tests.fake_fda import FakeFDA, Reply

DATA = bytes(range(256)) * 4  # 1,024 bytes


def no_sleep(seconds: float) -> None:
    raise AssertionError(f"unexpected sleep({seconds})")


@pytest.fixture
def fda() -> Iterator[FakeFDA]:
    with FakeFDA() as server:
        yield server


def test_429_then_success_waits_as_retry_after_says(fda: FakeFDA) -> None:
    fda.add("/a", Reply(status=429, headers={"Retry-After": "3"}), Reply(body=b"ok"))
    sleeps: list[float] = []
    response = get_with_retries(make_session(), fda.url + "/a", sleep=sleeps.append)
    assert (response.status_code, response.content) == (200, b"ok")
    assert sleeps == [3.0]
    assert len(fda.seen) == 2


def test_503_twice_then_success_backs_off_exponentially(fda: FakeFDA) -> None:
    fda.add("/a", Reply(status=503), Reply(status=503), Reply(body=b"ok"))
    sleeps: list[float] = []
    response = get_with_retries(make_session(), fda.url + "/a", backoff=0.5, sleep=sleeps.append)
    assert response.content == b"ok"
    assert sleeps == [0.5, 1.0]


def test_slow_response_times_out_then_succeeds(fda: FakeFDA) -> None:
    fda.add("/a", Reply(body=b"late", delay=0.2), Reply(body=b"ok"))
    sleeps: list[float] = []
    session = make_session(timeout=(1.0, 0.05))
    response = get_with_retries(session, fda.url + "/a", sleep=sleeps.append)
    assert response.content == b"ok"
    assert sleeps == [1.0]


def test_gives_up_after_max_attempts_naming_url_and_status(fda: FakeFDA) -> None:
    fda.add("/a", Reply(status=500))
    with pytest.raises(FetchError, match=r"/a: gave up after 3 attempts: HTTP 500") as err:
        get_with_retries(make_session(), fda.url + "/a", max_attempts=3, sleep=lambda s: None)
    assert err.value.status == 500
    assert len(fda.seen) == 3


def test_other_statuses_are_returned_not_retried(fda: FakeFDA) -> None:
    fda.add("/a", Reply(status=404, body=b"nope"))
    response = get_with_retries(make_session(), fda.url + "/a", sleep=no_sleep)
    assert response.status_code == 404
    assert len(fda.seen) == 1


def test_retry_after_as_http_date() -> None:
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412480.0) == 30.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_first_download_hashes_and_places_file(fda: FakeFDA, tmp_path) -> None:
    fda.add("/f.zip", Reply(file=DATA))
    dest = tmp_path / "out" / "f.zip"
    got = download_file(fda.url + "/f.zip", dest, progress=False, sleep=no_sleep)
    assert dest.read_bytes() == DATA
    assert (got.path, got.size, got.sha256) == (dest, 1024, hashlib.sha256(DATA).hexdigest())
    assert not (tmp_path / "out" / "f.zip.part").exists()
    assert "Range" not in fda.seen[0].headers


def test_resumes_partial_file_with_range(fda: FakeFDA, tmp_path) -> None:
    fda.add("/f.zip", Reply(file=DATA))
    dest = tmp_path / "f.zip"
    (tmp_path / "f.zip.part").write_bytes(DATA[:300])
    got = download_file(
        fda.url + "/f.zip", dest, expected_size=1024, progress=False, sleep=no_sleep
    )
    assert dest.read_bytes() == DATA
    assert got.sha256 == hashlib.sha256(DATA).hexdigest()
    assert [s.headers.get("Range") for s in fda.seen] == ["bytes=300-"]


def test_server_ignoring_range_restarts_from_zero(fda: FakeFDA, tmp_path) -> None:
    fda.add("/f.zip", Reply(file=DATA, ranges=False))
    (tmp_path / "f.zip.part").write_bytes(b"stale bytes")
    download_file(fda.url + "/f.zip", tmp_path / "f.zip", progress=False, sleep=no_sleep)
    assert (tmp_path / "f.zip").read_bytes() == DATA


def test_connection_cut_mid_body_resumes_after_the_last_whole_chunk(fda: FakeFDA, tmp_path) -> None:
    big = DATA * 100  # two chunks of CHUNK_SIZE and a bit
    fda.add("/f.zip", Reply(file=big, cut_after=CHUNK_SIZE + 1000), Reply(file=big))
    sleeps: list[float] = []
    download_file(fda.url + "/f.zip", tmp_path / "f.zip", progress=False, sleep=sleeps.append)
    assert (tmp_path / "f.zip").read_bytes() == big
    assert [s.headers.get("Range") for s in fda.seen] == [None, f"bytes={CHUNK_SIZE}-"]
    assert sleeps == [1.0]


def test_complete_part_file_answered_416_is_kept(fda: FakeFDA, tmp_path) -> None:
    fda.add("/f.zip", Reply(file=DATA))
    (tmp_path / "f.zip.part").write_bytes(DATA)
    download_file(
        fda.url + "/f.zip", tmp_path / "f.zip", expected_size=1024, progress=False, sleep=no_sleep
    )
    assert (tmp_path / "f.zip").read_bytes() == DATA
    assert [s.headers.get("Range") for s in fda.seen] == ["bytes=1024-"]


def test_failed_verification_keeps_the_old_good_file(fda: FakeFDA, tmp_path) -> None:
    fda.add("/f.zip", Reply(file=b"garbage"))
    dest = tmp_path / "f.zip"
    dest.write_bytes(DATA)

    def refuse(path) -> None:
        raise ValueError(f"bad: {path.name}")

    with pytest.raises(ValueError, match=r"bad: f.zip.part"):
        download_file(fda.url + "/f.zip", dest, verify=refuse, progress=False, sleep=no_sleep)
    assert dest.read_bytes() == DATA
    assert not (tmp_path / "f.zip.part").exists()


def test_wrong_size_is_refused_and_old_file_kept(fda: FakeFDA, tmp_path) -> None:
    fda.add("/f.zip", Reply(file=DATA))
    dest = tmp_path / "f.zip"
    dest.write_bytes(b"old")
    with pytest.raises(FetchError, match=r"got 1024 bytes, expected 2000"):
        download_file(fda.url + "/f.zip", dest, expected_size=2000, progress=False, sleep=no_sleep)
    assert dest.read_bytes() == b"old"
    assert len(fda.seen) == 1


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_rate_limiter_waits_for_the_minute_and_stops_at_budget() -> None:
    clock = FakeClock()
    limiter = RateLimiter(max_per_minute=3, daily_budget=5, clock=clock, sleep=clock.sleep)
    for t in (0.0, 1.0, 2.0, 2.5):  # the 4th request in one minute waits until t=60
        clock.now = max(clock.now, t)
        limiter.acquire()
    assert clock.sleeps == [57.5]
    assert clock.now == 60.0
    limiter.acquire()  # at t=60 the window holds t=1, 2, 60: room for it after t=61
    assert clock.sleeps == [57.5, 1.0]
    assert limiter.used_today == 5
    with pytest.raises(BudgetExceeded, match=r"daily budget of 5 requests is used up"):
        limiter.acquire()


def test_rate_limiter_budget_renews_after_a_day() -> None:
    clock = FakeClock()
    limiter = RateLimiter(max_per_minute=10, daily_budget=1, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    clock.now = 86_400.0
    limiter.acquire()
    assert (limiter.used_today, clock.sleeps) == (1, [])


def test_text_progress_bar_draws_share_and_megabytes() -> None:
    out = io.StringIO()
    bar = TextProgressBar("f.zip", stream=out, width=10)
    bar.start(2_000_000, 500_000)
    bar.advance(500_000)
    bar.finish()
    assert out.getvalue() == (
        "\rf.zip [##........]  25% 0.5/2.0 MB"
        "\rf.zip [#####.....]  50% 1.0/2.0 MB"
        "\rf.zip [#####.....]  50% 1.0/2.0 MB\n"
    )


def test_log_progress_logs_start_and_end(caplog) -> None:
    caplog.set_level(logging.INFO, logger="etl.download_progress")
    bar = LogProgress("f.zip")
    bar.start(1024, 300)
    bar.advance(724)
    bar.finish()
    assert [r.getMessage() for r in caplog.records] == [
        "downloading f.zip: 1024 bytes (resuming at 300 bytes)",
        "downloaded f.zip: 1024 bytes",
    ]
