"""Log axes with explicit ticks: 0.1, 0.2, 0.5, 1, 2, 5, 10, ... written out in full.

plotly's own log ticks label the steps between decades with their first digit only ("5 6 7 8 9"
before 1 means 0.5 to 0.9, and "2 3 4 5" after 10 means 20 to 50), and on a short axis those
digits pile up under the decade labels. Here every tick says its whole value, and the axis ends
on a tick at or beyond the data at each end.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

# Steps within a decade, finest last: the coarsest giving at least MIN_TICKS ticks is used;
# decades alone when 1-2-5 would give more than MAX_TICKS.
STEPS: tuple[tuple[float, ...], ...] = ((1,), (1, 2, 5), (1, 1.5, 2, 3, 5, 7))
MIN_TICKS, MAX_TICKS = 3, 12
PAD = 0.04  # of the axis length (in decades) beyond the outer ticks


def tick_text(value: float) -> str:
    """A tick's value as a reader writes it: '0.05', '0.5', '1', '1.5', '20', '1,000'."""
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _ladder(steps: tuple[float, ...], first: int, last: int) -> list[float]:
    """Every step of every decade 10**first .. 10**last, written as decimals (0.3, not
    0.30000000000000004)."""
    return [float(f"{m}e{e}") for e in range(first, last + 1) for m in steps]


def _span(steps: tuple[float, ...], lo: float, hi: float) -> list[float]:
    """The ladder from its last value at or below `lo` to its first at or above `hi`."""
    ladder = _ladder(steps, math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1)
    start = max(i for i, v in enumerate(ladder) if v <= lo)
    end = min(i for i, v in enumerate(ladder) if v >= hi)
    return ladder[start : end + 1]


def log_ticks(lo: float, hi: float) -> list[float]:
    """Tick values for data from `lo` to `hi` (both > 0): 1-2-5 steps, decades alone on a long
    axis, finer steps on a short one; the first at or below `lo`, the last at or above `hi`."""
    if not (lo > 0 and hi > 0 and math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"log axis needs finite positive bounds, got {lo}, {hi}")
    lo, hi = min(lo, hi), max(lo, hi)
    if hi / lo < 1.2:  # (nearly) one value: a little either side, so the axis has ticks to show
        lo, hi = lo / 1.2, hi * 1.2
    coarse, usual, fine = (_span(steps, lo, hi) for steps in STEPS)
    if len(usual) > MAX_TICKS:
        return coarse
    return usual if len(usual) >= MIN_TICKS else fine


def log_axis(values: Iterable[float | None]) -> dict[str, Any]:
    """Layout properties of a log axis over `values` (None, zero, negative and infinite values
    left out; 1 always inside, for the reference line at ratio 1): explicit ticks and the range
    from the first tick to the last."""
    kept = [v for v in values if v is not None and v > 0 and math.isfinite(v)]
    ticks = log_ticks(min([*kept, 1.0]), max([*kept, 1.0]))
    low, high = math.log10(ticks[0]), math.log10(ticks[-1])
    pad = PAD * max(high - low, 0.3)
    return {
        "type": "log",
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": [tick_text(v) for v in ticks],
        "range": [low - pad, high + pad],  # log10 units, as plotly's log axes take them
        "autorange": False,
    }
