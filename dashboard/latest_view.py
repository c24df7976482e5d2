"""The Latest quarter page's numbers: which quarter a link shows, its comparison quarters and the
screen "above its recent level" (an exact one-sided Poisson test per event group).

Comparisons are the same quarter a year earlier and the mean of the 4 quarters before the one
shown. A comparison quarter counts only when its quarterly file is loaded (a quarter before the
first file, or a gap, is not known to have had no cases): the year-earlier count is None
("n/a") when its file is not loaded, and the mean is over the loaded quarters of the 4 (None
when none is).

The screen: with n cases of a group first received in the quarter and m the mean of the prior
quarters, P(X >= n) for X ~ Poisson(m); under 0.05, with at least MIN_CASES cases (the a >= 3 of
the signal screens, docs/signals.md: one or two cases against a mean of 0 would flag on nothing
but their own arrival), the group is "above its recent level". It is a screen over ~13 groups,
so about one group in twenty flags by chance in a quarter like the ones before; a flag is not
evidence of causation nor of a real rise (reporting changes too).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl

from dashboard import quarter_math as qm
from dashboard.filter_query import ignored
from dashboard.filters import Filters

SCREEN_P = 0.05
MIN_CASES = 3  # fewer cases in the quarter never flag, whatever P
PRIOR = 4  # quarters before the one shown whose mean is its recent level
MAX_LISTED = 30  # first-time terms or substances listed; the rest are counted


def chosen_quarter(loaded: tuple[str, ...], f: Filters) -> tuple[str | None, str | None]:
    """The quarter the page shows (the link's `q` when its file is loaded, else the newest file)
    and a note when the link's `q` was set aside; (None, None) when no file is loaded."""
    if not loaded:
        return None, None
    if f.latest_quarter is None or f.latest_quarter in loaded:
        return f.latest_quarter or loaded[0], None
    files = f"{loaded[-1]}–{loaded[0]}"
    why = f"no quarterly file of that quarter is loaded ({files}); showing {loaded[0]}"
    return loaded[0], ignored("q", f.latest_quarter, why)


def prior_quarters(quarter: str) -> list[str]:
    """The PRIOR quarters before `quarter`, oldest first."""
    return [qm.shift(quarter, -k) for k in range(PRIOR, 0, -1)]


# The headline numbers, in the order the page's cards show them (and the digest lists them).
CARDS = ("n-new", "n-year-before", "prior-mean", "n-updated", "n-serious", "n-deaths", "n-7oh")


def card_labels(quarter: str | None, loaded: tuple[str, ...]) -> dict[str, str]:
    """The headline cards' labels (card id -> label), naming the quarters they count."""
    if quarter is None:
        return {k: "" for k in CARDS}
    prior = prior_quarters(quarter)
    n_loaded = sum(p in loaded for p in prior)
    files = "" if n_loaded == PRIOR else f" ({n_loaded} of {PRIOR} quarterly files loaded)"
    return {
        "n-new": f"Cases first received in {quarter}",
        "n-year-before": f"{prior[0]}, a year earlier",
        "prior-mean": f"Mean per quarter, {prior[0]}–{prior[-1]}{files}",
        "n-updated": f"Earlier cases updated in {quarter}",
        "n-serious": f"Serious cases, {quarter}",
        "n-deaths": f"Deaths reported, {quarter}",
        "n-7oh": f"Cases with a 7-OH concentrate product, {quarter}",
    }


def card_texts(values: dict[str, int | float | None]) -> dict[str, str]:
    """The cards' numbers as the page writes them (card id -> text; None is "n/a")."""
    return {k: mean_text(values[k]) if k == "prior-mean" else count_text(values[k]) for k in CARDS}


def mean_text(mean: float | None) -> str:
    return "n/a" if mean is None else f"{mean:,.2f}".rstrip("0").rstrip(".")


def count_text(n: int | float | None) -> str:
    return "n/a" if n is None else f"{n:,}"


def p_text(p: float | None) -> str:
    if p is None:
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def ignored_here(f: Filters) -> str | None:
    """The sentence on the link's date range and count-by, which this page does not apply."""
    parts = []
    if f.date_from or f.date_to:
        parts.append(f"the date range ({f.date_from or '…'}–{f.date_to or '…'})")
    if f.date_field == "event":
        parts.append("counting by event date")
    if not parts:
        return None
    return (
        f"Not applied here: {' and '.join(parts)}; this page always counts by the quarter FDA "
        "first received the case."
    )


@dataclass(frozen=True)
class Comparison:
    """A count in the quarter shown beside its year-earlier count and its prior mean."""

    n: int
    year_before: int | None  # None: that quarter's file is not loaded
    prior_mean: float | None  # None: no file of the prior quarters is loaded
    n_prior_loaded: int  # of the PRIOR quarters, how many files are loaded


def compare(counts: dict[str, int], quarter: str, loaded: tuple[str, ...] | set) -> Comparison:
    """`counts` (quarter -> cases, missing = 0) for `quarter` and its comparison quarters."""
    prior = [p for p in prior_quarters(quarter) if p in loaded]
    year_before = qm.shift(quarter, -4)
    return Comparison(
        n=counts.get(quarter, 0),
        year_before=counts.get(year_before, 0) if year_before in loaded else None,
        prior_mean=sum(counts.get(p, 0) for p in prior) / len(prior) if prior else None,
        n_prior_loaded=len(prior),
    )


def poisson_at_least(n: int, mean: float) -> float:
    """P(X >= n) for X ~ Poisson(mean): 1 - sum over k < n of e^-mean mean^k / k!, or, when n
    is above the mean, the sum over k >= n directly (no 1 - 0.99999... cancellation)."""
    if n <= 0:
        return 1.0
    if mean <= 0:
        return 0.0

    def term(k: int) -> float:
        return math.exp(k * math.log(mean) - mean - math.lgamma(k + 1))

    if n <= mean:
        return max(0.0, 1.0 - math.fsum(term(k) for k in range(n)))
    total, k = 0.0, n
    while True:  # terms fall from k = n on, since k > mean
        t = term(k)
        total += t
        if t <= total * 1e-17:
            return min(1.0, total)
        k += 1


def group_rows(
    counts: pl.DataFrame, quarter: str, loaded: tuple[str, ...], labels: dict[str, str]
) -> list[dict]:
    """One row per event group of `labels` (code -> label, in display order): cases in the
    quarter, the year-earlier count, the prior mean, P(X >= n) and whether it is under SCREEN_P
    with at least MIN_CASES cases (None without a prior mean). `counts` has `event_group`,
    `period`, `n`. Commonest first."""
    by_group: dict[str, dict[str, int]] = {}
    for group, period, n in counts.select("event_group", "period", "n").iter_rows():
        by_group.setdefault(group, {})[period] = n
    loaded_set = set(loaded)
    rows = []
    for code, label in labels.items():
        c = compare(by_group.get(code, {}), quarter, loaded_set)
        p = None if c.prior_mean is None else poisson_at_least(c.n, c.prior_mean)
        rows.append(
            {
                "event_group": code,
                "label": label,
                "n": c.n,
                "year_before": c.year_before,
                "prior_mean": c.prior_mean,
                "p": p,
                "above": None if p is None else (p < SCREEN_P and c.n >= MIN_CASES),
            }
        )
    order = list(labels)
    return sorted(rows, key=lambda r: (-r["n"], order.index(r["event_group"])))
