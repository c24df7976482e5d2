"""The ETL's one door to HTTP: a session with timeouts, retries with backoff, a rate limiter.

Resumable, checksummed downloads through it are in etl.download.
"""

from __future__ import annotations

import email.utils
import logging
import re
import time
from collections import deque
from collections.abc import Callable, Mapping

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
