"""SIGTERM (systemd stopping the unit) as an exception, also when it lands inside a DuckDB query.

While a DuckDB query runs, DuckDB itself runs Python's signal handlers (that is how Ctrl-C stops a
query). The handler's exception then stops the query, but DuckDB raises its own
`RuntimeError: Query interrupted` in its place and the `Terminated` is lost. A build spends most
of its time in queries, and the ETL's connection is opened by a query too (`ATTACH`, etl/db.py).
So the handler also remembers the signal, and `as_terminated` says what really stopped the run.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


class Terminated(BaseException):
    """SIGTERM arrived (systemd stopping the unit): stop, record the run as failed."""


_received = threading.Event()


def _raise_terminated(signum: int, frame: object) -> None:
    _received.set()
    raise Terminated("stopped by SIGTERM")


@contextlib.contextmanager
def terminated_on_sigterm() -> Iterator[None]:
    """Inside the block a SIGTERM raises Terminated in the main thread (the old handler after)."""
    _received.clear()
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def as_terminated(exc: BaseException) -> BaseException:
    """`exc`, or a Terminated when a SIGTERM arrived in the block (DuckDB hid it: see above)."""
    if _received.is_set() and not isinstance(exc, Terminated):
        return Terminated("stopped by SIGTERM")
    return exc
