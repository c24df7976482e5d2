"""Draws the synthetic cases, versions, child rows and deletions for etl/demo.py (vectorised)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from etl import demo_profile as P

REFERENCE = Path(__file__).parent / "reference"
UNKNOWN_INDICATION = "Product used for unknown indication"


def qindex(quarter: str) -> int:
    """Quarters since 2004Q1 (2004Q1 -> 0)."""
    return (int(quarter[:4]) - 2004) * 4 + int(quarter[5]) - 1


def quarter_range(first: str, last: str) -> list[str]:
    """Quarter names from `first` to `last` inclusive (e.g. 2004Q1 .. 2026Q2)."""
    first, last = first.upper(), last.upper()
    lo, hi = qindex(first), qindex(last)
    if lo < 0 or hi < lo:
        raise ValueError(f"bad quarter range {first}..{last} (2004Q1 at the earliest)")
    return [f"{2004 + i // 4}Q{i % 4 + 1}" for i in range(lo, hi + 1)]


def new_case_counts(
    rng: np.random.Generator, quarters: list[str], scale: float
) -> tuple[np.ndarray, np.ndarray]:
    """New background and kratom cases per quarter."""
    a = np.array([qindex(q) for q in quarters])
    span = P.BACKGROUND_CASES_2026Q2 - P.BACKGROUND_CASES_2004Q1
    background = np.round(scale * (P.BACKGROUND_CASES_2004Q1 + span * a / 89)).astype(int)
    expected = [
        P.KRATOM_CASES_PER_YEAR.get(int(q[:4]), 0)
        * P.KRATOM_QUARTER_SHARE.get(int(q[:4]), (0.25,) * 4)[int(q[5]) - 1]
        for q in quarters
    ]
    return np.maximum(background, 1), rng.poisson(scale * np.array(expected))


def _pick(rng: np.random.Generator, weights, n: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return rng.choice(len(w), size=n, p=w / w.sum())


def _group_index(rng, table, is_kratom: np.ndarray) -> np.ndarray:
    """Row of `table` ((value, ..., background weight, kratom weight)) drawn per case."""
    background = _pick(rng, [row[-2] for row in table], len(is_kratom))
    kratom = _pick(rng, [row[-1] for row in table], len(is_kratom))
    return np.where(is_kratom, kratom, background)


def _by_group(rng, table, is_kratom: np.ndarray) -> np.ndarray:
    values = np.array([row[0] for row in table], dtype=object)
    return values[_group_index(rng, table, is_kratom)]


def _terms(kind: str) -> tuple[np.ndarray, np.ndarray]:
    terms = pl.read_csv(REFERENCE / "demo_terms.csv", infer_schema=False).filter(kind=kind)
    return terms["term"].to_numpy().astype(object), terms["weight"].cast(float).to_numpy()


def _draw_terms(rng, kind: str, n: int) -> np.ndarray:
    values, weights = _terms(kind)
    return values[_pick(rng, weights, n)]


def _dates(days: np.ndarray, fmt: str = "%Y%m%d") -> np.ndarray:
    return pl.Series(days.astype("datetime64[D]")).dt.strftime(fmt).to_numpy().astype(object)


def _quarter_starts(quarters: list[str]) -> np.ndarray:
    return np.array([f"{q[:4]}-{3 * int(q[5]) - 2:02d}-01" for q in quarters], "datetime64[D]")


def draw_cases(rng, quarters, n_background, n_kratom) -> dict[str, np.ndarray]:
    """One entry per case: first quarter, kind, ids and demographics."""
    counts = n_background + n_kratom
    qi = np.repeat(np.arange(len(quarters)), counts)
    is_kratom = np.concatenate(
        [np.repeat([False, True], [b, k]) for b, k in zip(n_background, n_kratom, strict=True)]
    )
    order = np.lexsort((rng.random(qi.size), qi))
    qi, is_kratom = qi[order], is_kratom[order]
    n = qi.size
    year = np.array([int(q[:4]) for q in quarters])[qi]
    first_abs = np.array([qindex(q) for q in quarters])[qi]
    salmonella = is_kratom & np.isin(np.array(quarters)[qi], P.SALMONELLA_QUARTERS)
    salmonella &= rng.random(n) < P.SALMONELLA_SHARE
    kratom_only = is_kratom & ((rng.random(n) < P.KRATOM_ONLY_SHARE) | salmonella)
    cases = {
        "qi": qi, "year": year, "is_kratom": is_kratom, "is_salmonella": salmonella,
        "is_kratom_only": kratom_only, "caseid": _caseids(rng, first_abs, counts.max()),
        "dies": is_kratom & ~salmonella & (rng.random(n) < P.KRATOM_DEATH_SHARE),
        "kratom_pool": _kratom_pools(rng, year),
    }  # fmt: skip
    cases |= _demographics(rng, is_kratom)
    return cases


def _caseids(rng, first_abs: np.ndarray, per_quarter: int) -> np.ndarray:
    """Legacy CASE numbers before 2012Q4, FAERS caseids after; increasing within a quarter."""
    legacy = first_abs < qindex(P.FIRST_FAERS)
    base = np.where(legacy, 3_900_000 + first_abs * 140_000, 8_900_000 + (first_abs - 35) * 300_000)
    return _increasing(rng, first_abs, base, 100_000 // max(per_quarter, 1))


def _kratom_pools(rng, year: np.ndarray) -> np.ndarray:
    pool = np.full(year.size, "kratom_leaf", dtype=object)
    u = rng.random(year.size)
    floor = np.zeros(year.size)
    for name, by_year in P.KRATOM_POOL_SHARE.items():
        share = np.array([by_year.get(int(y), 0.0) for y in year])
        pool[(u >= floor) & (u < floor + share)] = name
        floor = floor + share
    return pool


def _demographics(rng, is_kratom: np.ndarray) -> dict[str, np.ndarray]:
    n = is_kratom.size
    out = _ages(rng, is_kratom)
    idx = _group_index(rng, P.COUNTRIES, is_kratom)
    code = np.array([c[0] for c in P.COUNTRIES], dtype=object)[idx]
    rept = _by_group(rng, P.REPORT_TYPES, is_kratom)
    company = rept != "DIR"
    sender = _draw_terms(rng, "sender", n)
    out |= {
        "sex": _by_group(rng, P.SEXES, is_kratom),
        "rept_cod": rept,
        "occp_cod": _by_group(rng, P.REPORTER_TYPES, is_kratom),
        "country_code": code,
        "country_name": np.array([c[1] for c in P.COUNTRIES], dtype=object)[idx],
        "occr_code": np.where(rng.random(n) < 0.9, code, ""),
        "is_eu": rng.random(n) < P.EU_COUNTRY_SHARE,
        "mfr_sndr": np.where(company, sender, np.where(rng.random(n) < 0.6, "FDA-CTU", "")),
        "sender_token": sender,
        "e_sub": np.where(company, "Y", "N"),
        "to_mfr": np.where(company, "", np.where(rng.random(n) < 0.5, "N", "")),
    }
    return out


def _ages(rng, is_kratom: np.ndarray) -> dict[str, np.ndarray]:
    """Age, unit, age group and weight; kratom cases mostly adults 20-50 in years."""
    n = is_kratom.size
    units = np.array(["", "YR", "YR", "MON", "DY", "DEC", "WK"], dtype=object)
    kind = np.where(is_kratom, _pick(rng, [12, 86, 0, 0, 1, 1, 0], n),
                    _pick(rng, [25, 61.5, 8, 2, 0.5, 2, 1], n))  # fmt: skip
    adult = np.where(is_kratom, np.clip(rng.normal(36, 11, n), 15, 80), rng.integers(18, 91, n))
    value = np.select(
        [kind == 1, kind == 2, kind == 3, kind == 4, kind == 5, kind == 6],
        [adult.astype(int), rng.integers(2, 18, n), rng.integers(1, 24, n),
         rng.integers(1, 28, n), rng.integers(2, 9, n), rng.integers(1, 52, n)],
    )  # fmt: skip
    per_year = np.array([np.nan, 1, 1, 12, 365.25, 0.1, 52.18])[kind]
    years = value / per_year
    group = np.select(
        [years < 28 / 365.25, years < 2, years < 12, years < 18, years < 65, years >= 65],
        ["N", "I", "C", "T", "A", "E"], "",
    )  # fmt: skip
    has_wt = (years >= 16) & (rng.random(n) < np.where(is_kratom, 0.5, 0.35))
    kg = np.clip(rng.normal(np.where(is_kratom, 80, 76), 18), 35, 200)
    lbs = rng.random(n) < 0.25
    wt = np.where(lbs, np.round(kg * 2.2046).astype(int).astype(str), np.round(kg, 1).astype(str))
    wt = np.char.replace(wt.astype(str), ".0", "")
    return {
        "age": np.where(kind > 0, value.astype(str), "").astype(object),
        "age_cod": units[kind],
        "age_grp": np.where(rng.random(n) < 0.75, group, "").astype(object),
        "wt": np.where(has_wt, wt, "").astype(object),
        "wt_cod": np.where(has_wt, np.where(lbs, "LBS", "KG"), "").astype(object),
    }


def draw_deletions(rng, qi: np.ndarray, quarters: list[str]) -> dict[str, np.ndarray]:
    """Quarter whose deleted list names each case (len(quarters) when never deleted)."""
    n, nq = qi.size, len(quarters)
    first_list = qindex(P.FIRST_DELETED_LIST) - qindex(quarters[0])
    before = qi < first_list
    extra = np.where(before & (rng.random(n) < 0.7), 0, rng.integers(0, 12, n))
    deleted_qi = np.maximum(qi + 1, first_list) + extra
    deleted_qi = np.where((rng.random(n) < P.DELETED_SHARE) & (deleted_qi < nq), deleted_qi, nq)
    in_all = before & (deleted_qi == first_list)
    return {
        "deleted_qi": deleted_qi,
        "in_all_list": in_all,
        "in_quarter_list": (deleted_qi < nq) & (~in_all | (rng.random(n) < 0.2)),
    }


def draw_versions(rng, cases: dict, quarters: list[str], carried: bool) -> dict[str, np.ndarray]:
    """One entry per report version: case, version, quarter, ids and dates.

    Versions come 1-6 quarters apart and stop at the case's deletion. With `carried` (one
    quarter), versions are drawn as if earlier ones were published before the quarter.
    """
    n, nq = cases["qi"].size, len(quarters)
    u = rng.random(n)
    n_versions = 1 + sum((u < s).astype(int) for s in P.FOLLOW_UP_SHARES)
    gaps = rng.integers(*P.FOLLOW_UP_GAP_QUARTERS, size=(n, 3))
    qmat = cases["qi"][:, None] + np.hstack([np.zeros((n, 1), int), np.cumsum(gaps, axis=1)])
    keep = (np.arange(4) < n_versions[:, None]) & (qmat < nq)
    keep &= qmat < cases["deleted_qi"][:, None]
    case_idx, col = np.nonzero(keep)
    qi, version = qmat[keep], col + 1
    fda = _quarter_starts(quarters)[qi] + rng.integers(0, 90, qi.size)
    init = np.empty(n, "datetime64[D]")
    init[case_idx[version == 1]] = fda[version == 1]
    if carried:
        version = _pick(rng, [62, 20, 10, 5, 3], qi.size) + 1
        init[case_idx] = fda - np.where(version > 1, rng.integers(30, 1100, qi.size), 0)
    a = np.array([qindex(q) for q in quarters])[qi]
    legacy = a < qindex(P.FIRST_FAERS)
    order = np.lexsort((fda, qi))
    isr = np.empty(qi.size, dtype=np.int64)
    isr[order] = _increasing(rng, a[order], 4_300_000 + a[order] * 140_000, 50)
    company = cases["rept_cod"][case_idx] != "DIR"
    mfr = fda - rng.integers(1, 15, qi.size)
    caseid = cases["caseid"][case_idx]
    return {
        "case_idx": case_idx, "qi": qi, "caseversion": version,
        "pid": np.where(legacy, isr, caseid * 10 + version), "caseid": caseid,
        "i_f_code": np.where(version == 1, "I", "F"), "fda_dt": _dates(fda),
        "init_fda_dt": _dates(init[case_idx]), "mfr_dt": np.where(company, _dates(mfr), ""),
        "rept_dt": _dates(np.where(company, mfr, fda)), "init_days": init,
    }  # fmt: skip


def _increasing(rng, group: np.ndarray, base: np.ndarray, max_gap: int) -> np.ndarray:
    """Ids that increase by random gaps within runs of equal `group`, starting at `base`."""
    gaps = rng.integers(1, max(2, max_gap), group.size)
    within = np.cumsum(gaps)
    starts = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
    run = np.diff(np.r_[starts, group.size])
    return base + within - np.repeat(within[starts] - gaps[starts], run)


def draw_case_text(rng, cases: dict, init_days: np.ndarray) -> np.ndarray:
    """Event dates (plain and padded forms), death date, mfr_num, lit_ref; returns event days."""
    n = init_days.size
    event = init_days - np.minimum(rng.exponential(60, n), 1500).astype(int)
    full, month, year = _dates(event), _dates(event, "%Y%m"), _dates(event, "%Y")
    precision = _pick(rng, [w for _, w in P.EVENT_PRECISIONS], n)
    known = [precision == 0, precision == 1, precision == 2]
    company = cases["rept_cod"] != "DIR"
    country = np.where(cases["country_code"] == "", "US", cases["country_code"])
    number = rng.integers(100_000, 999_999, n).astype(str)
    mfr_num = country + "-" + cases["sender_token"] + "-" + year + number
    cases |= {
        "event_dt_plain": np.select(known, [full, month, year], ""),
        "event_dt_padded": np.select(known, [full, month + "01", year + "0101"], ""),
        "death_dt": np.where(cases["dies"] & (rng.random(n) < 0.3), full, ""),
        "mfr_num": np.where(company, mfr_num, ""),
        "lit_ref": np.where(company & (rng.random(n) < 0.015), "SYNTHETIC CASE REPORT " + year, ""),
    }
    return event
