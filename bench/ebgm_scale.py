"""EBGM at FAERS scale: squash + fit + scores for ~4 million simulated (N, E) pairs.

Run: .venv/bin/python bench/ebgm_scale.py [--pairs 4000000] [--seed 1]
Prints wall times, peak memory, and each time as a ratio to a baseline measured in the same run
(sorting the E array with numpy), so figures compare across machines. Never run as a test.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

from etl.ebgm import ebgm_scores, fit_prior, squash

# A DuMouchel-like prior (his 1999 example values): a wide component and a tight one.
PRIOR = (0.2, 0.1, 2.0, 4.0, 1 / 3)


def simulated_pairs(size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """`size` drug-event pairs seen at least once: most N = 1..3, a heavy tail of large N."""
    rng = np.random.default_rng(seed)
    n_parts, e_parts, have = [], [], 0
    while have < size:
        m = 2 * size
        e = np.exp(rng.normal(np.log(0.3), 1.6, m))
        a1, b1, a2, b2, p = PRIOR
        lam = np.where(rng.random(m) < p, rng.gamma(a1, 1 / b1, m), rng.gamma(a2, 1 / b2, m))
        n = rng.poisson(lam * e)
        seen = n >= 1
        n_parts.append(n[seen])
        e_parts.append(e[seen])
        have += int(seen.sum())
    return np.concatenate(n_parts)[:size], np.concatenate(e_parts)[:size]


def timed(label: str, func, *args, **kwargs):
    start = time.perf_counter()
    out = func(*args, **kwargs)
    seconds = time.perf_counter() - start
    return out, (label, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=4_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    n, e = simulated_pairs(args.pairs, args.seed)
    shares = [float(np.mean(n == k)) for k in (1, 2, 3)]
    print(f"pairs: {n.size:,}; N=1/2/3: {shares[0]:.0%}/{shares[1]:.0%}/{shares[2]:.0%}; ", end="")
    print(f"N>=100: {int(np.sum(n >= 100)):,}; max N: {int(n.max()):,}")

    _, baseline = timed("baseline: np.sort(E)", np.sort, e)
    (sn, se, sw), t_squash = timed("squash", squash, n, e)
    prior, t_fit = timed(
        "fit_prior (squashed, min_count=1)", fit_prior, sn, se, weights=sw, min_count=1
    )
    scores, t_scores = timed("ebgm_scores (all pairs)", ebgm_scores, n, e, prior)

    print(f"squashed to {sn.size:,} weighted pairs")
    print(
        f"prior: a1={prior.alpha1:.4g} b1={prior.beta1:.4g} a2={prior.alpha2:.4g} "
        f"b2={prior.beta2:.4g} p={prior.p:.4g} (true {PRIOR})"
    )
    print(f"converged: {prior.converged} ({prior.message})")
    print(f"EB05 >= 2: {int(np.sum(scores['eb05'] >= 2)):,} pairs")
    total = t_squash[1] + t_fit[1] + t_scores[1]
    for label, seconds in (baseline, t_squash, t_fit, t_scores, ("total", total)):
        print(f"{label:<38} {seconds:8.2f} s   x{seconds / baseline[1]:8.1f} baseline")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (ru_maxrss): {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
