"""The newest year of receipts is a part-year until its fourth quarterly file is loaded.

Counted by year of receipt, that year reads as a fall; the charts drawn by year say so.
"""

from __future__ import annotations


def part_year(years: list[int], latest_quarter: str | None) -> tuple[int, str] | None:
    """(year, 'Q1–Q2 only') when the last year drawn is the year of the latest quarterly file
    and that file is not its fourth quarter: receipts of that year are not all loaded yet."""
    if not years or not latest_quarter or latest_quarter.endswith("Q4"):
        return None
    if int(latest_quarter[:4]) != years[-1]:
        return None
    q = latest_quarter[-1]
    return years[-1], "Q1 only" if q == "1" else f"Q1–Q{q} only"


def part_year_sentence(years: list[int], latest_quarter: str | None) -> str:
    """'2026: receipts of Q1–Q2 only (the newest file)', or '' for a whole year."""
    found = part_year(years, latest_quarter)
    return f"{found[0]}: receipts of {found[1]} (the newest file)" if found else ""
