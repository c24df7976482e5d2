"""DuMouchel's gamma-Poisson shrinker: EBGM with EB05 and EB95 for (N, E) pairs.

Model: N ~ Poisson(λ E) and λ ~ P·Gamma(α1, β1) + (1−P)·Gamma(α2, β2) (β a rate). The five
hyperparameters are fitted by maximum likelihood of the marginal negative-binomial mixture;
the posterior of λ is again a two-gamma mixture. docs/signals.md has the formulas.

A fit that did not converge is returned with `converged=False` and a message, never hidden;
`ebgm_scores` refuses such a prior unless told `allow_unconverged=True`. The likelihood the fit
maximises is in ebgm_likelihood, the posterior scores in ebgm_posterior.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from etl.ebgm_likelihood import from_theta, negative_loglik, to_theta
from etl.ebgm_posterior import posterior_scores

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
        theta0 = to_theta(np.asarray(start, dtype=float))
        res = optimize.minimize(
            negative_loglik,
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
    return posterior_scores(n, e, prior.as_array())


def same_predictions(first: Sequence[float], second: Sequence[float]) -> bool:
    """True when two priors (alpha1, beta1, alpha2, beta2, p) give EBGM and EB05 within AGREEMENT
    of each other on every pair of PREDICTION_GRID, whatever their component parameters."""
    n, e = PREDICTION_GRID
    with np.errstate(all="ignore"):  # extreme trial priors may overflow; they just disagree
        one = posterior_scores(n, e, np.asarray(first, dtype=float))
        two = posterior_scores(n, e, np.asarray(second, dtype=float))
    return all(
        bool(np.all(np.abs(one[k] - two[k]) <= AGREEMENT * np.maximum(one[k], two[k])))
        for k in ("ebgm", "eb05")
    )


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
    params = _canonical(from_theta(best.x))
    agreeing = sum(
        abs(r.fun - best.fun) * total <= tolerance and same_predictions(from_theta(r.x), params)
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
