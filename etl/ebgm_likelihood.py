"""The gamma-Poisson prior's marginal likelihood: negative binomials mixed, with the gradient.

The optimiser works in theta = (log α1, log β1, log α2, log β2, logit P), unbounded but for
the box fit_prior sets.
"""

from __future__ import annotations

import numpy as np
from scipy import special


def log_nbinom(n: np.ndarray, e: np.ndarray, alpha: float, beta: float) -> np.ndarray:
    """log P(N = n) when N ~ Poisson(λE) and λ ~ Gamma(alpha, rate beta)."""
    return (
        special.gammaln(alpha + n)
        - special.gammaln(alpha)
        - special.gammaln(n + 1.0)
        + alpha * np.log(beta / (beta + e))
        + n * np.log(e / (beta + e))
    )


def to_theta(params: np.ndarray) -> np.ndarray:
    """(alpha1, beta1, alpha2, beta2, p) -> theta."""
    return np.concatenate([np.log(params[:4]), [special.logit(params[4])]])


def from_theta(theta: np.ndarray) -> np.ndarray:
    """theta -> (alpha1, beta1, alpha2, beta2, p)."""
    return np.concatenate([np.exp(theta[:4]), [special.expit(theta[4])]])


def negative_loglik(
    theta: np.ndarray, n: np.ndarray, e: np.ndarray, w: np.ndarray, min_count: int, total: float
) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood of the NB mixture (zero-truncated below min_count) and its
    gradient in theta = (log α1, log β1, log α2, log β2, logit P)."""
    a1, b1, a2, b2, p = from_theta(theta)
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
    log_1 = np.log(p) + log_nbinom(n, e, a1, b1)
    log_2 = np.log1p(-p) + log_nbinom(n, e, a2, b2)
    log_mix = np.logaddexp(log_1, log_2)
    r1 = np.exp(log_1 - log_mix)
    grad = np.empty((5, n.size))
    for row, (alpha, beta, resp) in enumerate(((a1, b1, r1), (a2, b2, 1 - r1))):
        d_alpha = special.digamma(alpha + n) - special.digamma(alpha) + np.log(beta / (beta + e))
        grad[2 * row] = resp * alpha * d_alpha
        grad[2 * row + 1] = resp * (alpha - beta * (alpha + n) / (beta + e))
    grad[4] = r1 - p
    return log_mix, grad
