"""Gamma-Poisson shrinker: prior recovery on simulated data, posterior against integration."""

import numpy as np
import pytest
from scipy import integrate, optimize, stats

from etl.ebgm import PriorFit, ebgm_scores, fit_prior, same_predictions, squash
from etl.ebgm_posterior import mixture_quantile

# Known prior: 80% Gamma(shape 2, rate 2) (mean 1) and 20% Gamma(shape 1, rate 0.2) (mean 5).
TRUE = {"alpha1": 2.0, "beta1": 2.0, "alpha2": 1.0, "beta2": 0.2, "p": 0.8}
TRUE_MEAN = 0.8 * 2.0 / 2.0 + 0.2 * 1.0 / 0.2  # = 1.8


def _simulated_pairs(seed: int = 3, size: int = 4000) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    first = rng.random(size) < TRUE["p"]
    lam = np.where(
        first,
        rng.gamma(TRUE["alpha1"], 1 / TRUE["beta1"], size),
        rng.gamma(TRUE["alpha2"], 1 / TRUE["beta2"], size),
    )
    e = np.exp(rng.normal(0.0, 1.2, size))
    return rng.poisson(lam * e), e


def _mixture_mean(fit: PriorFit) -> float:
    return fit.p * fit.alpha1 / fit.beta1 + (1 - fit.p) * fit.alpha2 / fit.beta2


def test_prior_is_recovered_from_simulated_pairs():
    # Tolerance, calibrated on 12 seeds of this design (worst errors seen in brackets):
    # mixture mean within 15% [6%], P within 20% [15%], dominant alpha1 and beta1 within 25% [21%].
    # The minor component (20% of pairs) is weakly identified and not checked.
    n, e = _simulated_pairs()
    fit = fit_prior(n, e)
    assert fit.converged, fit.message
    assert fit.n_starts_agreeing >= 2
    assert _mixture_mean(fit) == pytest.approx(TRUE_MEAN, rel=0.15)
    assert fit.p == pytest.approx(TRUE["p"], rel=0.20)
    assert (fit.alpha1, fit.beta1) == pytest.approx((TRUE["alpha1"], TRUE["beta1"]), rel=0.25)


def test_zero_truncated_fit_reports_the_truncated_likelihood():
    # Only pairs seen at least once, fitted with min_count=1: the reported log-likelihood must be
    # sum log(pmf(n) / (1 - pmf(0))) under scipy's negative binomial at the fitted parameters.
    n, e = _simulated_pairs()
    seen = n >= 1
    fit = fit_prior(n[seen], e[seen], min_count=1)
    assert fit.converged, fit.message
    assert _mixture_mean(fit) == pytest.approx(TRUE_MEAN, rel=0.15)
    pmf = _mixture_pmf(fit, e[seen])
    by_hand = np.sum(np.log(pmf(n[seen]) / (1 - pmf(0))))
    assert fit.loglik == pytest.approx(by_hand, rel=1e-9)


def _mixture_pmf(fit: PriorFit, e: np.ndarray):
    def pmf(k):
        one = stats.nbinom.pmf(k, fit.alpha1, fit.beta1 / (fit.beta1 + e))
        two = stats.nbinom.pmf(k, fit.alpha2, fit.beta2 / (fit.beta2 + e))
        return fit.p * one + (1 - fit.p) * two

    return pmf


def test_weights_count_like_repeated_pairs():
    n, e = _simulated_pairs(size=600)
    weighted = fit_prior(n, e, weights=np.full(n.size, 2.0))
    repeated = fit_prior(np.tile(n, 2), np.tile(e, 2))
    assert weighted.loglik == pytest.approx(repeated.loglik, rel=1e-9)
    assert weighted.as_array() == pytest.approx(repeated.as_array(), rel=1e-3)


def test_squash_pools_equal_n_and_close_e():
    # 50 bins per decade: log10(1.0)*50 = 0 and log10(1.01)*50 = 0.22 share bin 0;
    # log10(5)*50 = 34.9 is bin 34. (n=1, bin 0) pools e 1.0 and 1.01 -> mean 1.005, weight 2.
    n, e, w = squash(np.array([1, 1, 2, 1]), np.array([1.0, 1.01, 1.0, 5.0]))
    assert n.tolist() == [1, 1, 2]
    assert e.tolist() == pytest.approx([1.005, 5.0, 1.0])
    assert w.tolist() == [2.0, 1.0, 1.0]


def test_squashed_fit_is_close_to_the_full_fit():
    n, e = _simulated_pairs()
    full = fit_prior(n, e)
    sn, se, sw = squash(n, e)
    squashed = fit_prior(sn, se, weights=sw)
    assert sw.sum() == n.size and sn.size < n.size / 2
    assert squashed.converged, squashed.message
    assert squashed.as_array() == pytest.approx(full.as_array(), rel=0.02)


def test_all_zero_counts_are_reported_not_fitted():
    fit = fit_prior(np.zeros(50, dtype=int), np.linspace(0.1, 5, 50))
    assert (fit.converged, fit.n_starts_agreeing) == (False, 0)
    assert "no pair has N > 0" in fit.message
    with pytest.raises(ValueError, match="did not converge"):
        ebgm_scores(np.array([1]), np.array([1.0]), fit)


def test_stopped_optimiser_is_reported_as_not_converged():
    n, e = _simulated_pairs(size=500)
    fit = fit_prior(n, e, max_iter=2)
    assert not fit.converged
    assert "best start did not converge" in fit.message


TRUE_PARAMS = (TRUE["alpha1"], TRUE["beta1"], TRUE["alpha2"], TRUE["beta2"], TRUE["p"])


def test_same_predictions_ignores_how_the_prior_is_written():
    swapped = (1.0, 0.2, 2.0, 2.0, 0.2)  # TRUE with its components' labels swapped
    assert same_predictions(TRUE_PARAMS, swapped)
    # Degenerate: two equal components predict the same whatever P is.
    assert same_predictions((1.5, 1.2, 1.5, 1.2, 0.3), (1.5, 1.2, 1.5, 1.2, 0.9))
    # Degenerate: a near point mass at lambda = 2 written with different shapes.
    assert same_predictions((2.0, 2.0, 1e6, 5e5, 0.8), (2.0, 2.0, 3e6, 1.5e6, 0.8))


def test_same_predictions_tells_different_priors_apart():
    assert not same_predictions(TRUE_PARAMS, (2.0, 2.0, 1.0, 0.2, 0.5))  # P moved
    assert not same_predictions(TRUE_PARAMS, (2.0, 2.0, 1.0, 0.25, 0.8))  # minor mean 5 -> 4
    assert not same_predictions((1.5, 1.2, 1.5, 1.2, 0.5), (1.5, 1.2, 1.5, 1.0, 0.5))


def test_label_switched_starts_count_as_one_optimum():
    # The two starts are the true prior written both ways round; each reaches the optimum with
    # its own labels, and both count.
    n, e = _simulated_pairs(size=1500)
    fit = fit_prior(n, e, starts=[TRUE_PARAMS, (1.0, 0.2, 2.0, 2.0, 0.2)])
    assert (fit.converged, fit.n_starts_agreeing) == (True, 2), fit.message
    assert fit.p >= 0.5


def test_starts_stuck_at_another_optimum_do_not_count():
    # A start with two equal components and P = 0.5 stays on that ridge (the gradient keeps the
    # components equal) and stops at the best single gamma, a worse stationary point. Two such
    # starts agree with each other but not with the best start, so the fit is not converged.
    n, e = _simulated_pairs(size=1500)
    ridge = [(1.0, 1.0, 1.0, 1.0, 0.5), (3.0, 2.0, 3.0, 2.0, 0.5)]
    fit = fit_prior(n, e, starts=[TRUE_PARAMS, *ridge])
    assert (fit.converged, fit.n_starts_agreeing) == (False, 1)
    assert fit.message == "only 1 of 3 starts reach the best optimum"
    on_ridge = fit_prior(n, e, starts=ridge)
    assert on_ridge.alpha1 == pytest.approx(on_ridge.alpha2, rel=1e-6)
    assert on_ridge.loglik < fit.loglik - 10


def test_bad_pairs_are_rejected():
    with pytest.raises(ValueError, match="e must hold"):
        fit_prior(np.array([1, 2]), np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="n must hold"):
        squash(np.array([1, -2]), np.array([1.0, 1.0]))


PRIOR = PriorFit(
    0.2, 0.1, 2.0, 4.0, 0.3, loglik=0.0, converged=True, message="", n_starts_agreeing=4
)


@pytest.mark.parametrize(("n", "e"), [(3, 0.5), (0, 1.2), (1, 0.02), (40, 2.0)])
def test_posterior_matches_numerical_integration(n, e):
    # Posterior density of lambda ∝ prior mixture density * lambda^n * exp(-lambda e), integrated
    # with quad over u = ln(lambda) (smooth where the shape-0.2 prior is singular at 0),
    # independent of the conjugate closed form.
    def unnormalised(u):
        lam = np.exp(u)
        prior = PRIOR.p * stats.gamma.pdf(lam, PRIOR.alpha1, scale=1 / PRIOR.beta1)
        prior += (1 - PRIOR.p) * stats.gamma.pdf(lam, PRIOR.alpha2, scale=1 / PRIOR.beta2)
        return prior * np.exp(n * u - lam * e) * lam

    # below e^-400 the shape-0.2 component leaves mass ~ e^(-0.2*400), far below the tolerance
    low, top = -400.0, np.log(300.0)
    total = integrate.quad(unnormalised, low, top, limit=500, points=[-50.0, -10.0])[0]

    def cdf(x):
        return integrate.quad(unnormalised, low, np.log(x), limit=500, points=[-50.0])[0] / total

    mean_log = integrate.quad(
        lambda u: u * unnormalised(u), low, top, limit=500, points=[-50.0, -10.0]
    )[0]
    mean_log /= total
    want = {
        "ebgm": np.exp(mean_log),
        "eb05": optimize.brentq(lambda x: cdf(x) - 0.05, 1e-30, 300.0, xtol=1e-16, rtol=1e-12),
        "eb95": optimize.brentq(lambda x: cdf(x) - 0.95, 1e-30, 300.0, xtol=1e-16, rtol=1e-12),
    }
    got = ebgm_scores(np.array([n]), np.array([e]), PRIOR)
    assert {k: float(got[k][0]) for k in want} == pytest.approx(want, rel=1e-6)


@pytest.mark.parametrize("q", [0.0, 0.3, 0.999, 1.0])
def test_mixture_quantile_against_brentq(q):
    shapes, rates = (np.array([2.5]), np.array([30.0])), (np.array([1.5]), np.array([3.0]))

    def cdf(x):
        one = stats.gamma.cdf(x, shapes[0][0], scale=1 / rates[0][0])
        return q * one + (1 - q) * stats.gamma.cdf(x, shapes[1][0], scale=1 / rates[1][0])

    for prob in (0.05, 0.5, 0.95):
        want = optimize.brentq(lambda x, p=prob: cdf(x) - p, 1e-9, 100.0, xtol=1e-14)
        got = mixture_quantile(prob, np.array([q]), shapes, rates)[0]
        assert got == pytest.approx(want, rel=1e-9)
