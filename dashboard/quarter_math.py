"""Calendar quarters as links write them (2026Q2): shifting one, its first day and the next."""

from __future__ import annotations

import datetime as dt


def _parts(quarter: str) -> tuple[int, int]:
    year, q = quarter.upper().split("Q")
    return int(year), int(q)


def shift(quarter: str, n: int) -> str:
    """The quarter `n` quarters after `quarter` (before it when `n` is negative)."""
    year, q = _parts(quarter)
    index = year * 4 + (q - 1) + n
    return f"{index // 4}Q{index % 4 + 1}"


def first_day(quarter: str) -> dt.date:
    year, q = _parts(quarter)
    return dt.date(year, 3 * (q - 1) + 1, 1)


def day_after(quarter: str) -> dt.date:
    """The first day of the next quarter: the exclusive end of `quarter`."""
    return first_day(shift(quarter, 1))
