"""The posterior of λ under a fitted two-gamma prior: EBGM, EB05, EB95 and Q for (N, E) pairs.

Given N = n the posterior is Q·Gamma(α1+n, β1+e) + (1−Q)·Gamma(α2+n, β2+e); EBGM is
exp(E[ln λ]) and EB05 / EB95 its quantiles (mixture_quantile). No checks here: etl.ebgm's
ebgm_scores checks the pairs and the prior.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from etl.ebgm_likelihood import log_nbinom


def posterior_scores(n: np.ndarray, e: np.ndarray, params: np.ndarray) -> dict[str, np.ndarray]:
    """EBGM, EB05, EB95 and Q per pair under the prior (alpha1, beta1, alpha2, beta2, p)."""
    a1, b1, a2, b2, p = params
    log_f1 = log_nbinom(n, e, a1, b1)
    log_f2 = log_nbinom(n, e, a2, b2)
    q = special.expit(np.log(p) + log_f1 - np.log1p(-p) - log_f2)
    shapes = (a1 + n, a2 + n)
    rates = (b1 + e, b2 + e)
    mean_log = q * (special.digamma(shapes[0]) - np.log(rates[0])) + (1 - q) * (
        special.digamma(shapes[1]) - np.log(rates[1])
    )
    return {
        "ebgm": np.exp(mean_log),
        "eb05": mixture_quantile(0.05, q, shapes, rates),
        "eb95": mixture_quantile(0.95, q, shapes, rates),
        "q": q,
    }


def mixture_quantile(
    prob: float,
    q: np.ndarray,
    shapes: tuple[np.ndarray, np.ndarray],
    rates: tuple[np.ndarray, np.ndarray],
    *,
    iterations: int = 100,
) -> np.ndarray:
    """`prob`-quantile of q·Gamma(shape1, rate1) + (1−q)·Gamma(shape2, rate2), elementwise.

    Vectorised safeguarded Newton: the bracket is the two components' own quantiles, a step
    that leaves the bracket is replaced by bisection (in log scale); each element stops when
    its step is below 1e-13 relative.
    """
    q, s1, s2, r1, r2 = np.broadcast_arrays(q, *shapes, *rates)
    one = special.gammaincinv(s1, prob) / r1
    two = special.gammaincinv(s2, prob) / r2
    lo, hi = np.minimum(one, two), np.maximum(one, two)
    x = np.where(q >= 0.5, one, two)
    todo = np.flatnonzero(lo < hi)
    for _ in range(iterations):
        if todo.size == 0:
            break
        parts = (q[todo], s1[todo], r1[todo], s2[todo], r2[todo])
        xt = x[todo]
        cdf, density = _mixture_cdf_and_pdf(xt, *parts)
        below = cdf < prob
        lo[todo] = np.where(below, xt, lo[todo])
        hi[todo] = np.where(below, hi[todo], xt)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = xt - (cdf - prob) / density
        inside = np.isfinite(newton) & (newton >= lo[todo]) & (newton <= hi[todo])
        step = np.where(inside, newton, np.sqrt(lo[todo] * hi[todo]))
        x[todo] = step
        todo = todo[np.abs(step - xt) > 1e-13 * xt]
    return x


def _mixture_cdf_and_pdf(
    x: np.ndarray, q: np.ndarray, s1: np.ndarray, r1: np.ndarray, s2: np.ndarray, r2: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    cdf = q * special.gammainc(s1, r1 * x) + (1 - q) * special.gammainc(s2, r2 * x)
    pdf = q * _gamma_pdf(x, s1, r1) + (1 - q) * _gamma_pdf(x, s2, r2)
    return cdf, pdf


def _gamma_pdf(x: np.ndarray, shape: np.ndarray, rate: np.ndarray) -> np.ndarray:
    log_pdf = shape * np.log(rate) + (shape - 1) * np.log(x) - rate * x - special.gammaln(shape)
    return np.exp(log_pdf)
