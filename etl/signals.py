"""Disproportionality statistics for 2×2 tables: one table by hand, or many at once.

Convention for every function here:

    a = kratom cases with the event      b = kratom cases without it
    c = other cases with the event       d = other cases without it

A statistic that is undefined for a table (a zero in a denominator, an infinite interval) is
`None` in the dict and null in the DataFrame, never inf or nan. docs/signals.md gives each
formula, each zero-cell rule and the default screens with their references.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl

Z_95 = 1.96
"""Normal quantile for the two-sided 95% Woolf interval of the ROR."""

MIN_CASES = 3
"""Cases (a) needed by the ROR and PRR screens."""

SCREENS = {
    "ror": "ROR lower 95% bound > 1 and a >= 3",
    "prr": "PRR >= 2 and Yates chi-square >= 4 and a >= 3 (Evans 2001)",
    "ic": "IC025 > 0",
    "ebgm": "EB05 >= 2",
}
"""The default screens, in words; `passes_screens` in `two_by_two` applies them."""

STATISTICS = (
    "n",
    "expected",
    "rrr",
    "ror",
    "ror_lower",
    "ror_upper",
    "prr",
    "chi2_pearson",
    "chi2_yates",
    "ic",
    "ic025",
)
"""Keys of `two_by_two` and columns added by `disproportionality`, in order."""


def two_by_two(a: int, b: int, c: int, d: int, *, eb05: float | None = None) -> dict[str, Any]:
    """Every statistic for one 2×2 table, plus `passes_screens` (booleans per screen).

    `eb05` is optional because it comes from `etl.ebgm`; without it the EBGM screen is `None`.
    Raises ValueError for a negative or non-integer count.
    """
    a, b, c, d = (_count(name, value) for name, value in zip("abcd", (a, b, c, d), strict=True))
    n = a + b + c + d
    expected = (a + b) * (a + c) / n if n else None
    ror, ror_lower, ror_upper = _ror_with_woolf_ci(a, b, c, d)
    ic, ic025 = _ic_with_ic025(a, expected)
    out: dict[str, Any] = {
        "a": a,
        "b": b,
        "c": c,
        "d": d,
        "n": n,
        "expected": expected,
        "rrr": a / expected if expected else None,
        "ror": ror,
        "ror_lower": ror_lower,
        "ror_upper": ror_upper,
        "prr": (a / (a + b)) / (c / (c + d)) if c and a + b else None,
        "chi2_pearson": _chi_square(a, b, c, d, yates=False),
        "chi2_yates": _chi_square(a, b, c, d, yates=True),
        "ic": ic,
        "ic025": ic025,
    }
    out["passes_screens"] = passes_screens(out, eb05=eb05)
    return out


def passes_screens(stats: dict[str, Any], *, eb05: float | None = None) -> dict[str, bool | None]:
    """The default screens (see SCREENS) applied to a `two_by_two` dict.

    An undefined statistic never passes; the EBGM screen is `None` when no `eb05` is given.
    """
    a = stats["a"]
    ror_lower, prr, yates, ic025 = (stats[k] for k in ("ror_lower", "prr", "chi2_yates", "ic025"))
    return {
        "ror": ror_lower is not None and ror_lower > 1 and a >= MIN_CASES,
        "prr": prr is not None and prr >= 2 and yates is not None and yates >= 4 and a >= MIN_CASES,
        "ic": ic025 is not None and ic025 > 0,
        "ebgm": None if eb05 is None else bool(eb05 >= 2),
    }


def _count(name: str, value: Any) -> int:
    if isinstance(value, bool) or int(value) != value or value < 0:
        raise ValueError(f"cell {name} must be a count (a non-negative integer), got {value!r}")
    return int(value)


def _ror_with_woolf_ci(a: int, b: int, c: int, d: int) -> tuple[float | None, ...]:
    if 0 in (a, b, c, d):
        return None, None, None
    log_ror = math.log(a * d / (b * c))
    half_width = Z_95 * math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return math.exp(log_ror), math.exp(log_ror - half_width), math.exp(log_ror + half_width)


def _chi_square(a: int, b: int, c: int, d: int, *, yates: bool) -> float | None:
    n = a + b + c + d
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    if margins == 0:
        return None
    deviation = abs(a * d - b * c)
    if yates:
        deviation = max(0.0, deviation - n / 2)
    return n * deviation**2 / margins


def _ic_with_ic025(a: int, expected: float | None) -> tuple[float | None, float | None]:
    if expected is None:
        return None, None
    shrunk = a + 0.5
    ic = math.log2(shrunk / (expected + 0.5))
    return ic, ic - 3.3 * shrunk**-0.5 - 2 * shrunk**-1.5


def disproportionality(df: pl.DataFrame) -> pl.DataFrame:
    """`two_by_two` for every row of `df` (integer columns a, b, c, d; optional float eb05).

    Returns `df` with the STATISTICS columns and the booleans passes_ror_screen,
    passes_prr_screen, passes_ic_screen (and passes_ebgm_screen when eb05 is present).
    Undefined statistics are null. Raises ValueError for missing, null or negative counts.
    """
    _check_cells(df)
    a, b, c, d = (pl.col(k).cast(pl.Float64) for k in "abcd")
    n = a + b + c + d
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    deviation = (a * d - b * c).abs()
    log_ror = (a * d / (b * c)).log()
    half_width = Z_95 * (1 / a + 1 / b + 1 / c + 1 / d).sqrt()
    no_zero_cell = (a > 0) & (b > 0) & (c > 0) & (d > 0)
    out = df.with_columns(
        n=n.cast(pl.Int64),
        expected=pl.when(n > 0).then((a + b) * (a + c) / n),
    ).with_columns(
        rrr=pl.when(pl.col("expected") > 0).then(a / pl.col("expected")),
        ror=pl.when(no_zero_cell).then(log_ror.exp()),
        ror_lower=pl.when(no_zero_cell).then((log_ror - half_width).exp()),
        ror_upper=pl.when(no_zero_cell).then((log_ror + half_width).exp()),
        prr=pl.when((c > 0) & (a + b > 0)).then((a / (a + b)) / (c / (c + d))),
        chi2_pearson=pl.when(margins > 0).then(n * deviation**2 / margins),
        chi2_yates=pl.when(margins > 0).then(
            n * pl.max_horizontal(deviation - n / 2, pl.lit(0.0)) ** 2 / margins
        ),
        ic=((a + 0.5) / (pl.col("expected") + 0.5)).log(2),
        ic025=((a + 0.5) / (pl.col("expected") + 0.5)).log(2)
        - 3.3 * (a + 0.5) ** -0.5
        - 2 * (a + 0.5) ** -1.5,
    )
    return out.with_columns(_screen_columns(out.columns))


def _screen_columns(columns: list[str]) -> list[pl.Expr]:
    a = pl.col("a")
    screens = [
        ((pl.col("ror_lower") > 1) & (a >= MIN_CASES)).fill_null(False).alias("passes_ror_screen"),
        ((pl.col("prr") >= 2) & (pl.col("chi2_yates") >= 4) & (a >= MIN_CASES))
        .fill_null(False)
        .alias("passes_prr_screen"),
        (pl.col("ic025") > 0).fill_null(False).alias("passes_ic_screen"),
    ]
    if "eb05" in columns:
        screens.append((pl.col("eb05") >= 2).alias("passes_ebgm_screen"))
    return screens


def _check_cells(df: pl.DataFrame) -> None:
    missing = [k for k in "abcd" if k not in df.columns]
    if missing:
        raise ValueError(f"disproportionality needs columns a, b, c, d; missing {missing}")
    for k in "abcd":
        column = df[k]
        if not column.dtype.is_integer():
            raise ValueError(f"column {k} must hold integer counts, not {column.dtype}")
        if column.null_count() or (column < 0).any():
            raise ValueError(f"column {k} must hold non-negative counts with no nulls")
