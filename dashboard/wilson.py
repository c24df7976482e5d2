"""Wilson's score interval for a share: k of n cases, with the interval a 95% test would keep.

For k of n with p = k/n and z the normal quantile (1.96 for 95%):

    centre = (p + z²/2n) / (1 + z²/n)
    half   = z · sqrt(p(1 − p)/n + z²/4n²) / (1 + z²/n)
    interval = [centre − half, centre + half]

Unlike p ± z·sqrt(p(1 − p)/n) it never leaves [0, 1] and is not zero-wide at 0 of n or n of
n (0 of 7 gives 0 to 35.4%): the small counts of rare event groups need exactly that.
"""

from __future__ import annotations

import math
from statistics import NormalDist

Z95 = NormalDist().inv_cdf(0.975)  # 1.959963984540054


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval (lower, upper) of the share k/n, as fractions of 1.

    0 of n has its lower end exactly 0, n of n its upper end exactly 1. Raises ValueError for
    n < 1 or k outside 0..n (a share of no case has no interval).
    """
    if n < 1 or not 0 <= k <= n:
        raise ValueError(f"no share of {k} of {n}")
    p, zz = k / n, z * z
    denominator = 1 + zz / n
    centre = (p + zz / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + zz / (4 * n * n)) / denominator
    lower = 0.0 if k == 0 else max(0.0, centre - half)
    upper = 1.0 if k == n else min(1.0, centre + half)
    return lower, upper
