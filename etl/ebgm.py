"""DuMouchel's gamma-Poisson shrinker: EBGM with EB05 and EB95 for (N, E) pairs.

Model: N ~ Poisson(λ E) and λ ~ P·Gamma(α1, β1) + (1−P)·Gamma(α2, β2) (β a rate). The five
hyperparameters are fitted by maximum likelihood of the marginal negative-binomial mixture;
the posterior of λ is again a two-gamma mixture. docs/signals.md has the formulas.

A fit that did not converge is returned with `converged=False` and a message, never hidden;
`ebgm_scores` refuses such a prior unless told `allow_unconverged=True`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

DEFAULT_STARTS: tuple[tuple[float, float, float, float, float], ...] = (
    (0.2, 0.1, 2.0, 4.0, 1 / 3),
    (2.0, 2.0, 0.5, 0.1, 0.8),
    (1.0, 1.0, 5.0, 1.0, 0.5),
    (0.5, 0.2, 10.0, 10.0, 0.2),
)
"""Starting points (alpha1, beta1, alpha2, beta2, p); the first is DuMouchel's (1999) example."""

AGREEMENT = 0.01
"""Starts agree when their priors' EBGM and EB05 on PREDICTION_GRID are within 1% (relative)."""

LOGLIK_AGREEMENT = 0.01
"""...and their total log-likelihoods are within this many nats (plus 1e-9 relative)."""

PREDICTION_GRID = (
    np.repeat([0, 1, 2, 3, 5, 10, 20, 50, 100], 5),
    np.tile([0.05, 0.2, 1.0, 5.0, 20.0], 9),
)
"""(N, E) pairs on which two fitted priors must give the same scores to count as one optimum."""

LOG_BOUND = 15.0
"""Bounds on log α, log β and logit P; an optimum on a bound is reported as not converged."""


@dataclass(frozen=True)
class PriorFit:
    """Fitted two-gamma prior. Component 1 is the heavier one (p >= 0.5) when fitted."""

    alpha1: float
    beta1: float
    alpha2: float
    beta2: float
    p: float
    loglik: float
    converged: bool
    message: str
    n_starts_agreeing: int

    def as_array(self) -> np.ndarray:
        return np.array([self.alpha1, self.beta1, self.alpha2, self.beta2, self.p])


def squash(
    n: np.ndarray,
    e: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    bins_per_decade: int = 50,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pool pairs with equal N whose E fall in the same log-bin (bins_per_decade per decade).

    Each pooled pair has the weighted mean E of its members and their total weight. Sorted by
    (N, E bin). The fit on squashed pairs approximates the fit on all pairs.
    """
    n, e, w = _checked_pairs(n, e, weights)
    n, e, w = n[w > 0], e[w > 0], w[w > 0]
    e_bin = np.floor(np.log10(e) * bins_per_decade).astype(np.int64)
    e_bin -= e_bin.min()
    key = n * (int(e_bin.max()) + 1) + e_bin
    unique_key, group = np.unique(key, return_inverse=True)
    total_w = np.bincount(group, weights=w)
    mean_e = np.bincount(group, weights=w * e) / total_w
    first = np.zeros(unique_key.size, dtype=np.int64)
    first[group[::-1]] = np.arange(group.size)[::-1]
    return n[first], mean_e, total_w


def fit_prior(
    n: np.ndarray,
    e: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    starts: Sequence[Sequence[float]] | None = None,
    min_count: int = 0,
    max_iter: int = 1000,
) -> PriorFit:
    """Maximum-likelihood two-gamma prior from (N, E) pairs, tried from several starts.

    `min_count=1` fits the zero-truncated likelihood, for when only pairs seen at least once are
    given. The fit returned is the best start whose optimiser succeeded, provided no other start
    beat it by more than LOGLIK_AGREEMENT. `converged` is True only when there is one, it is off
    the bounds, and at least two successful starts reach its optimum: log-likelihood within
    LOGLIK_AGREEMENT and the same predictions (`same_predictions`), even if their component
    parameters differ (swapped labels, a degenerate mixture). Otherwise `message` says why.
    """
    n, e, w = _checked_pairs(n, e, weights)
    keep = n >= min_count
    n, e, w = n[keep], e[keep], w[keep]
    if not np.any(n > 0):
        return _failed_fit("no pair has N > 0: the prior cannot be identified")
    results = []
    for start in starts or DEFAULT_STARTS:
        theta0 = _to_theta(np.asarray(start, dtype=float))
        res = optimize.minimize(
            _negative_loglik,
            theta0,
            args=(n, e, w, min_count, w.sum()),
            jac=True,
            method="L-BFGS-B",
            bounds=[(-LOG_BOUND, LOG_BOUND)] * 5,
            options={"maxiter": max_iter, "ftol": 1e-14, "gtol": 1e-9},
        )
        results.append(res)
    return _best_fit(results, w.sum())


def ebgm_scores(
    n: np.ndarray, e: np.ndarray, prior: PriorFit, *, allow_unconverged: bool = False
) -> dict[str, np.ndarray]:
    """Posterior EBGM (exp of E[ln λ]), EB05, EB95 and Q (weight of component 1) per pair.

    Raises ValueError when `prior.converged` is False, unless `allow_unconverged` is True.
    """
    if not prior.converged and not allow_unconverged:
        raise ValueError(f"prior did not converge: {prior.message}")
    n, e, _ = _checked_pairs(n, e, None)
    return _posterior_scores(n, e, prior.as_array())


def same_predictions(first: Sequence[float], second: Sequence[float]) -> bool:
    """True when two priors (alpha1, beta1, alpha2, beta2, p) give EBGM and EB05 within AGREEMENT
    of each other on every pair of PREDICTION_GRID, whatever their component parameters."""
    n, e = PREDICTION_GRID
    with np.errstate(all="ignore"):  # extreme trial priors may overflow; they just disagree
        one = _posterior_scores(n, e, np.asarray(first, dtype=float))
        two = _posterior_scores(n, e, np.asarray(second, dtype=float))
    return all(
        bool(np.all(np.abs(one[k] - two[k]) <= AGREEMENT * np.maximum(one[k], two[k])))
        for k in ("ebgm", "eb05")
    )


def _posterior_scores(n: np.ndarray, e: np.ndarray, params: np.ndarray) -> dict[str, np.ndarray]:
    a1, b1, a2, b2, p = params
    log_f1 = _log_nbinom(n, e, a1, b1)
    log_f2 = _log_nbinom(n, e, a2, b2)
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


def _checked_pairs(
    n: np.ndarray, e: np.ndarray, weights: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n_arr, e_arr = np.asarray(n), np.asarray(e, dtype=float)
    if n_arr.shape != e_arr.shape or n_arr.ndim != 1:
        raise ValueError("n and e must be one-dimensional arrays of the same length")
    if np.any(n_arr < 0) or np.any(n_arr != np.round(n_arr)):
        raise ValueError("n must hold non-negative integer counts")
    if not np.all(np.isfinite(e_arr) & (e_arr > 0)):
        raise ValueError("e must hold finite expected counts > 0")
    w = np.ones(e_arr.shape) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != e_arr.shape or np.any(w < 0):
        raise ValueError("weights must be non-negative and match n and e")
    return n_arr.astype(np.int64), e_arr, w


def _log_nbinom(n: np.ndarray, e: np.ndarray, alpha: float, beta: float) -> np.ndarray:
    """log P(N = n) when N ~ Poisson(λE) and λ ~ Gamma(alpha, rate beta)."""
    return (
        special.gammaln(alpha + n)
        - special.gammaln(alpha)
        - special.gammaln(n + 1.0)
        + alpha * np.log(beta / (beta + e))
        + n * np.log(e / (beta + e))
    )


def _to_theta(params: np.ndarray) -> np.ndarray:
    return np.concatenate([np.log(params[:4]), [special.logit(params[4])]])


def _from_theta(theta: np.ndarray) -> np.ndarray:
    return np.concatenate([np.exp(theta[:4]), [special.expit(theta[4])]])


def _negative_loglik(
    theta: np.ndarray, n: np.ndarray, e: np.ndarray, w: np.ndarray, min_count: int, total: float
) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood of the NB mixture (zero-truncated below min_count) and its
    gradient in theta = (log α1, log β1, log α2, log β2, logit P)."""
    a1, b1, a2, b2, p = _from_theta(theta)
    log_mix, grad = _log_mixture_with_grad(n, e, a1, b1, a2, b2, p)
    value, gradient = np.dot(w, log_mix), grad @ w
    for k in range(min_count):
        log_mix_k, grad_k = _log_mixture_with_grad(np.full_like(n, k), e, a1, b1, a2, b2, p)
        mass_k = np.exp(log_mix_k)
        if k == 0:
            below, d_below = mass_k, grad_k * mass_k
        else:
            below, d_below = below + mass_k, d_below + grad_k * mass_k
    if min_count:
        below = np.minimum(below, 1 - 1e-15)
        value -= np.dot(w, np.log1p(-below))
        gradient += (d_below / (1 - below)) @ w
    return -value / total, -gradient / total


def _log_mixture_with_grad(
    n: np.ndarray, e: np.ndarray, a1: float, b1: float, a2: float, b2: float, p: float
) -> tuple[np.ndarray, np.ndarray]:
    """log of the mixture pmf per pair, and its 5 × pairs gradient in theta."""
    log_1 = np.log(p) + _log_nbinom(n, e, a1, b1)
    log_2 = np.log1p(-p) + _log_nbinom(n, e, a2, b2)
    log_mix = np.logaddexp(log_1, log_2)
    r1 = np.exp(log_1 - log_mix)
    grad = np.empty((5, n.size))
    for row, (alpha, beta, resp) in enumerate(((a1, b1, r1), (a2, b2, 1 - r1))):
        d_alpha = special.digamma(alpha + n) - special.digamma(alpha) + np.log(beta / (beta + e))
        grad[2 * row] = resp * alpha * d_alpha
        grad[2 * row + 1] = resp * (alpha - beta * (alpha + n) / (beta + e))
    grad[4] = r1 - p
    return log_mix, grad


def _canonical(params: np.ndarray) -> np.ndarray:
    """Swap the components so that component 1 carries weight p >= 0.5."""
    if params[4] >= 0.5:
        return params
    return np.array([params[2], params[3], params[0], params[1], 1 - params[4]])


def _best_fit(results: list[optimize.OptimizeResult], total: float) -> PriorFit:
    """The best successful start, judged against every start (see fit_prior)."""
    finite = [r for r in results if np.isfinite(r.fun)] or results
    best = min(finite, key=lambda r: r.fun)
    succeeded = [r for r in finite if r.success]
    tolerance = LOGLIK_AGREEMENT + 1e-9 * abs(best.fun * total)
    problems = []
    if succeeded and (min(r.fun for r in succeeded) - best.fun) * total <= tolerance:
        best = min(succeeded, key=lambda r: r.fun)
    else:
        problems.append(f"best start did not converge ({best.message})")
    params = _canonical(_from_theta(best.x))
    agreeing = sum(
        abs(r.fun - best.fun) * total <= tolerance and same_predictions(_from_theta(r.x), params)
        for r in succeeded
    )
    if np.any(np.abs(best.x) >= LOG_BOUND - 1e-6):
        problems.append("a parameter reached its bound (exp(±15) or P near 0/1)")
    if agreeing < 2:
        problems.append(f"only {agreeing} of {len(results)} starts reach the best optimum")
    message = "; ".join(problems) or f"{agreeing} of {len(results)} starts reach the best optimum"
    return PriorFit(
        *(float(v) for v in params),
        loglik=float(-best.fun * total),
        converged=not problems,
        message=message,
        n_starts_agreeing=int(agreeing),
    )


def _failed_fit(message: str) -> PriorFit:
    nan = float("nan")
    return PriorFit(nan, nan, nan, nan, nan, nan, False, message, 0)
