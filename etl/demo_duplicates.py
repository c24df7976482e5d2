"""Resubmitted cases for the synthetic demo: the same case under a second caseid.

A manufacturer sometimes sends one case again as a new case. The demo draws a few such pairs so
that the probable-duplicate rules (etl/probable_duplicates.py) have something to find: the later
case takes the earlier one's sender, case number (a third of them without the "US-" style
prefix), sex and age. Drugs and events stay as drawn, so only the manufacturer-number rule links
them. Drawn from a spawned generator: the rest of the demo is the same with or without them.
"""

from __future__ import annotations

import numpy as np

from etl import demo_profile as P

CASE_FIELDS = ("mfr_sndr", "sex", "age", "age_cod", "age_grp")


def draw_resubmissions(rng: np.random.Generator, cases: dict) -> int:
    """Make some company-reported cases resubmissions of an earlier one, in place; how many."""
    made = 0
    for is_kratom, share in ((False, P.RESUBMITTED_SHARE[0]), (True, P.RESUBMITTED_SHARE[1])):
        pool = np.flatnonzero((cases["mfr_num"] != "") & (cases["is_kratom"] == is_kratom))
        pool = pool[np.argsort(cases["qi"][pool], kind="stable")]
        if pool.size < 2:
            continue
        later = np.flatnonzero(rng.random(pool.size - 1) < share) + 1
        later = later[np.diff(np.r_[-2, later]) > 1]  # never one case both copy and source
        copy, source = pool[later], pool[later - 1]
        if copy.size == 0:
            continue
        for field in CASE_FIELDS:
            cases[field][copy] = cases[field][source]
        number = cases["mfr_num"][source].astype(str)
        no_prefix = rng.random(copy.size) < 1 / 3
        cases["mfr_num"][copy] = np.where(no_prefix, np.char.partition(number, "-")[:, 2], number)
        made += copy.size
    return made
