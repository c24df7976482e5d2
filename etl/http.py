"""The ETL's one door to HTTP: a session with timeouts, retries, resumable downloads."""

from __future__ import annotations

import email.utils
import hashlib
import logging
import os
import re
import sys
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

import requests

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (10.0, 60.0)  # seconds: connect, read (between bytes)
USER_AGENT = "kratom-watch-etl/0.1"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_ERRORS = (
    requests.Timeout,
    requests.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
)
MAX_BACKOFF = 60.0
MAX_RETRY_AFTER = 600.0
CHUNK_SIZE = 1 << 16

Sleep = Callable[[float], None]


SECRET_PARAM = re.compile(r"""(?i)([?&](?:api_key|apikey|key|token)=)[^&#\s'")]*""")


def redact_url(url: str) -> str:
    """`url` with the values of key and token query parameters masked, for messages and logs."""
    return SECRET_PARAM.sub(r"\1***", url)


class FetchError(RuntimeError):
    """An HTTP request that failed for good. `status` is the last HTTP status, if any."""

    def __init__(self, url: str, message: str, *, status: int | None = None) -> None:
        url = redact_url(url)
        self.url = url
        self.status = status
        super().__init__(redact_url(f"{url}: {message}"))


class _TimeoutSession(requests.Session):
    def __init__(self, timeout: float | tuple[float, float]) -> None:
        super().__init__()
        self.default_timeout = timeout

    def request(self, method, url, **kwargs):  # type: ignore[override]
        kwargs.setdefault("timeout", self.default_timeout)
        return super().request(method, url, **kwargs)


def make_session(*, timeout: float | tuple[float, float] = DEFAULT_TIMEOUT) -> requests.Session:
    """A session whose every request has a timeout unless the call gives its own."""
    session = _TimeoutSession(timeout)
    session.headers["User-Agent"] = USER_AGENT
    return session


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), else None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    wait = when - (time.time() if now is None else now)
    return min(max(wait, 0.0), MAX_RETRY_AFTER)


def backoff_seconds(attempt: int, base: float) -> float:
    """Exponential backoff for attempt 1, 2, 3...: base, 2*base, 4*base, capped at MAX_BACKOFF."""
    return min(base * 2 ** (attempt - 1), MAX_BACKOFF)


def get_with_retries(
    session: requests.Session,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    stream: bool = False,
    timeout: float | tuple[float, float] | None = None,
    max_attempts: int = 5,
    backoff: float = 1.0,
    sleep: Sleep = time.sleep,
    before_attempt: Callable[[], None] | None = None,
) -> requests.Response:
    """GET `url`, retrying timeouts, connection errors, 429 and 5xx with exponential backoff.

    A Retry-After header sets the wait instead. Any other status is returned to the caller.
    `before_attempt` runs before every attempt (a rate limiter hooks in there).
    """
    kwargs: dict = {"headers": dict(headers or {}), "stream": stream}
    if timeout is not None:
        kwargs["timeout"] = timeout
    for attempt in range(1, max_attempts + 1):
        if before_attempt is not None:
            before_attempt()
        try:
            response = session.get(url, **kwargs)
        except RETRY_ERRORS as exc:
            if attempt == max_attempts:
                raise FetchError(url, f"gave up after {attempt} attempts: {exc}") from exc
            wait = backoff_seconds(attempt, backoff)
            log.warning(
                "%s: %s; retry %d in %.1fs", redact_url(url), type(exc).__name__, attempt, wait
            )
            sleep(wait)
            continue
        if response.status_code not in RETRY_STATUSES:
            return response
        status = response.status_code
        response.close()
        if attempt == max_attempts:
            raise FetchError(url, f"gave up after {attempt} attempts: HTTP {status}", status=status)
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is None:
            wait = backoff_seconds(attempt, backoff)
        log.warning("%s: HTTP %d; retry %d in %.1fs", redact_url(url), status, attempt, wait)
        sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


class BudgetExceeded(RuntimeError):
    """The daily request budget would be exceeded by one more request."""


class RateLimiter:
    """At most `max_per_minute` requests in any 60 s, and at most `daily_budget` per 24 h.

    `acquire()` before each request: it sleeps when the minute is full and raises BudgetExceeded
    rather than start a request past the budget. The budget counts this process's requests only.
    """

    def __init__(
        self,
        *,
        max_per_minute: int,
        daily_budget: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = time.sleep,
    ) -> None:
        self.max_per_minute = max_per_minute
        self.daily_budget = daily_budget
        self.clock = clock
        self.sleep = sleep
        self.used_today = 0
        self._day_start: float | None = None
        self._recent: deque[float] = deque()

    def acquire(self) -> None:
        now = self.clock()
        if self._day_start is None or now - self._day_start >= 86_400:
            self._day_start, self.used_today = now, 0
        if self.used_today >= self.daily_budget:
            raise BudgetExceeded(
                f"stopping: the daily budget of {self.daily_budget} requests is used up "
                f"({self.used_today} made); set a larger budget or an API key, or wait a day"
            )
        while self._recent and now - self._recent[0] >= 60:
            self._recent.popleft()
        if len(self._recent) >= self.max_per_minute:
            self.sleep(self._recent[0] + 60 - now)
            now = self.clock()
            while self._recent and now - self._recent[0] >= 60:
                self._recent.popleft()
        self._recent.append(now)
        self.used_today += 1


class Progress(Protocol):
    def start(self, total: int | None, done: int) -> None: ...
    def advance(self, n: int) -> None: ...
    def finish(self) -> None: ...


class TextProgressBar:
    """A one-line text bar redrawn with carriage returns, for a terminal."""

    def __init__(self, label: str, stream: IO[str] | None = None, width: int = 30) -> None:
        self.label, self.stream, self.width = label, stream or sys.stderr, width
        self.total: int | None = None
        self.done = 0

    def start(self, total: int | None, done: int) -> None:
        self.total, self.done = total, done
        self._draw()

    def advance(self, n: int) -> None:
        self.done += n
        self._draw()

    def finish(self) -> None:
        self._draw()
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self) -> None:
        mb = self.done / 1e6
        if self.total:
            share = min(self.done / self.total, 1.0)
            filled = int(share * self.width)
            bar = "#" * filled + "." * (self.width - filled)
            text = f"{self.label} [{bar}] {share:4.0%} {mb:.1f}/{self.total / 1e6:.1f} MB"
        else:
            text = f"{self.label} {mb:.1f} MB"
        self.stream.write("\r" + text)
        self.stream.flush()


class LogProgress:
    """Quiet progress for logs: one line at the start and one at the end."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.total: int | None = None
        self.done = 0

    def start(self, total: int | None, done: int) -> None:
        self.total, self.done = total, done
        resumed = f" (resuming at {done} bytes)" if done else ""
        log.info("downloading %s: %s bytes%s", self.label, total or "unknown", resumed)

    def advance(self, n: int) -> None:
        self.done += n

    def finish(self) -> None:
        log.info("downloaded %s: %d bytes", self.label, self.done)


def make_progress(label: str, progress: bool | Progress | None = None) -> Progress:
    """A text bar on a terminal (or when `progress` is True), log lines otherwise.

    A Progress object given as `progress` is returned as it is.
    """
    if progress is not None and not isinstance(progress, bool):
        return progress
    on_terminal = sys.stderr.isatty() if progress is None else progress
    return TextProgressBar(label) if on_terminal else LogProgress(label)


@dataclass(frozen=True)
class Downloaded:
    path: Path
    size: int
    sha256: str


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class _Restart(Exception):
    """The partial file cannot be resumed; it was removed and the download starts again."""


def _content_range(response: requests.Response) -> tuple[int | None, int | None]:
    """(first byte, total size) from `Content-Range: bytes A-B/N` or `bytes */N`."""
    value = response.headers.get("Content-Range", "")
    unit, _, spec = value.partition(" ")
    if unit.strip().lower() != "bytes" or "/" not in spec:
        return None, None
    span, _, total = spec.partition("/")
    first = span.partition("-")[0]
    return (
        int(first) if first.isdigit() else None,
        int(total) if total.isdigit() else None,
    )


def _fetch_into(
    session: requests.Session, url: str, part: Path, bar: Progress, **retry
) -> int | None:
    """Fetch the rest of `url` into `part` (206 appends, 200 restarts); returns the total size."""
    offset = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={offset}-"} if offset else {}
    with get_with_retries(session, url, headers=headers, stream=True, **retry) as response:
        status = response.status_code
        first, total = _content_range(response)
        if status == 416 and offset:
            if total == offset:
                return total
            part.unlink()
            raise _Restart
        if status == 206 and offset and first == offset:
            mode = "ab"
        elif status == 200:
            mode, offset = "wb", 0
            length = response.headers.get("Content-Length", "")
            total = int(length) if length.isdigit() else None
        else:
            part.unlink(missing_ok=True)
            raise FetchError(url, f"unexpected HTTP {status} for a download", status=status)
        bar.start(total, offset)
        try:
            with open(part, mode) as f:
                for chunk in response.iter_content(CHUNK_SIZE):
                    f.write(chunk)
                    bar.advance(len(chunk))
        except OSError as exc:  # requests' errors are OSErrors too; those pass as they are
            if isinstance(exc, requests.RequestException) or exc.filename:
                raise
            raise OSError(exc.errno, exc.strerror, str(part)) from exc  # a full disk: say where
    return total


def download_file(
    url: str,
    dest: Path | str,
    *,
    expected_size: int | None = None,
    progress: bool | Progress | None = None,
    session: requests.Session | None = None,
    verify: Callable[[Path], None] | None = None,
    sleep: Sleep = time.sleep,
    max_attempts: int = 5,
    backoff: float = 1.0,
) -> Downloaded:
    """Download `url` to `dest` through `dest.part`, resuming a partial file with HTTP Range.

    The file is checked (size, then `verify(part)`, which raises on bad content) and hashed before
    `os.replace` moves it into place, so a good `dest` is never overwritten by a bad download.
    `progress`: None shows a bar only on a terminal; a Progress object is used as given.
    """
    dest = Path(dest)
    part = dest.with_name(dest.name + ".part")
    dest.parent.mkdir(parents=True, exist_ok=True)
    if expected_size is not None and part.exists() and part.stat().st_size > expected_size:
        part.unlink()
    session = session or make_session()
    bar = make_progress(dest.name, progress)
    retry = {"sleep": sleep, "max_attempts": max_attempts, "backoff": backoff}
    for attempt in range(1, max_attempts + 1):
        try:
            total = _fetch_into(session, url, part, bar, **retry)
        except _Restart:
            continue
        except RETRY_ERRORS as exc:
            if attempt == max_attempts:
                raise FetchError(url, f"gave up after {attempt} attempts: {exc}") from exc
            sleep(backoff_seconds(attempt, backoff))
            continue
        size = part.stat().st_size
        if total is not None and size < total and attempt < max_attempts:
            sleep(backoff_seconds(attempt, backoff))  # a short body: resume it
            continue
        expected = expected_size if expected_size is not None else total
        if expected is not None and size != expected:
            part.unlink()
            raise FetchError(url, f"got {size} bytes, expected {expected}")
        break
    else:
        raise FetchError(url, f"gave up after {max_attempts} attempts")
    bar.finish()
    return _verify_and_place(part, dest, size, verify)


def _verify_and_place(
    part: Path, dest: Path, size: int, verify: Callable[[Path], None] | None
) -> Downloaded:
    digest = file_sha256(part)
    if verify is not None:
        try:
            verify(part)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
    os.replace(part, dest)
    return Downloaded(dest, size, digest)
