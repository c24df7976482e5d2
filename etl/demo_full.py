"""Full-history synthetic FAERS (2004Q1-2026Q2 at full size) for bench/full_history.py.

Sizes: a legacy (AERS) quarter holds LEGACY_REPORTS report versions and a FAERS quarter
FAERS_REPORTS, times `scale`. Each case draws, in the quarter it is first seen (its cohort), how
many versions it gets (1-4, VERSION_SHARES), the quarters they fall in (GAP_QUARTERS apart) and
whether and when FDA deletes it. A quarter's reports are its new cases' first versions plus the
follow-ups of earlier cohorts that fall in it: legacy cases carried into FAERS with a FAERS
primaryid, and, for the first quarters, cases of LEAD_IN virtual cohorts before 2004Q1. New cases
per quarter are set so that every quarter holds exactly its report count. Deleted lists (from
2019Q1, demo rules: etl/demo_profile.py) name earlier cases and stop their versions. Kratom cases
arrive at the demo's yearly counts times `scale` (realistically rare among 400k reports), and
their follow-ups stay kratom cases.

Stateless: a quarter depends only on (seed, scale, quarter), so any subset agrees with the full
set. Per report, demographics and child rows are drawn afresh (etl/demo_draw.py,
etl/demo_children.py: a follow-up may change them, and the latest version wins), and the zip is
written in the quarter's real layout by etl/demo_zip.py.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from etl import demo_profile as P
from etl.demo import CASE_COLUMNS
from etl.demo_children import draw_children
from etl.demo_draw import _dates, _demographics, _kratom_pools, draw_case_text, qindex
from etl.demo_zip import write_quarter_zip, zip_name

LEGACY_REPORTS = 120_000
FAERS_REPORTS = 400_000
VERSION_SHARES = (0.35, 0.12, 0.04)  # P(at least 2, 3, 4 versions): about 1/3 are follow-ups
GAP_QUARTERS = (1, 7)  # [low, high) quarters between versions
MAX_LAG = 3 * (GAP_QUARTERS[1] - 1)  # the 4th version is at most 18 quarters after the 1st
LEAD_IN = MAX_LAG  # virtual cohorts before 2004Q1 (only their follow-ups are written)
NEVER = 10_000  # quarter index of a version or deletion that does not happen
FAERS_AT = qindex(P.FIRST_FAERS)
DELETED_AT = qindex(P.FIRST_DELETED_LIST)
# Id ranges per cohort (legacy CASE numbers, FAERS caseids) and legacy ISRs per quarter.
LEGACY_CASE_IDS = (3_000_000, 250_000)  # base at cohort -LEAD_IN, stride per quarter
FAERS_CASE_IDS = (17_000_000, 800_000)  # base at 2012Q4, stride per quarter
ISR_IDS = (1_000_000, 200_000)  # base at 2004Q1, stride per quarter
MAX_SCALE = 1.0  # the id strides above are sized for the full-size counts


@dataclass(frozen=True)
class Cohort:
    """The cases first seen in one quarter: ids, kind, version quarters and deletion."""

    caseid: np.ndarray  # int64, increasing
    is_kratom: np.ndarray
    version_q: np.ndarray  # (n, 4) quarter index of versions 1-4; NEVER when not published
    init_day: np.ndarray  # day of the first version within the cohort's quarter
    deleted_q: np.ndarray  # quarter whose list names the case; NEVER when not deleted
    in_all_list: np.ndarray  # named by 2019Q1's AllDeletedCases.txt
    in_quarter_list: np.ndarray  # named by the deleted list of quarter deleted_q


def quarter_name(a: int) -> str:
    return f"{2004 + a // 4}Q{a % 4 + 1}"


def _month_starts(a: np.ndarray) -> np.ndarray:
    """First day of quarter index `a` (negative: before 2004Q1)."""
    return (np.datetime64("2004-01", "M") + 3 * a).astype("datetime64[D]")


class FullHistory:
    """Draws the cohorts and writes the quarters of one (seed, scale)."""

    def __init__(self, *, seed: int = 1, scale: float = 1.0) -> None:
        if not 0 < scale <= MAX_SCALE:
            raise ValueError(f"scale {scale}: must be in (0, {MAX_SCALE}]")
        self.seed, self.scale = seed, scale
        self._n_new: dict[int, int] = {}
        self._deleted: dict[int, tuple[np.ndarray, ...]] = {}
        self.cohort = functools.lru_cache(maxsize=MAX_LAG + 4)(self._draw_cohort)

    def reports(self, a: int) -> int:
        """Report versions written in quarter index `a`."""
        return max(1, round(self.scale * (LEGACY_REPORTS if a < FAERS_AT else FAERS_REPORTS)))

    def n_new(self, a: int) -> int:
        """New cases first seen in quarter index `a` (cohorts are drawn in order up to it)."""
        for b in range(-LEAD_IN, a + 1):
            if b not in self._n_new:
                if b < 0:
                    mean_versions = 1 + sum(VERSION_SHARES)
                    self._n_new[b] = max(1, round(self.reports(b) / mean_versions))
                else:
                    self._n_new[b] = max(1, self.reports(b) - self.follow_ups(b))
        return self._n_new[a]

    def follow_ups(self, a: int) -> int:
        """Versions 2-4 of earlier cohorts that fall in quarter index `a`."""
        first = max(a - MAX_LAG, -LEAD_IN)
        return sum(int((self.cohort(p).version_q[:, 1:] == a).sum()) for p in range(first, a))

    def expected_kratom(self, a: int) -> float:
        year = 2004 + a // 4
        if a < 0:
            return 0.0
        shares = P.KRATOM_QUARTER_SHARE.get(year, (0.25,) * 4)
        return self.scale * P.KRATOM_CASES_PER_YEAR.get(year, 0) * shares[a % 4]

    def _draw_cohort(self, a: int) -> Cohort:
        n = self.n_new(a)
        rng = np.random.default_rng([self.seed, a + LEAD_IN, 1])
        is_kratom = np.zeros(n, dtype=bool)
        is_kratom[rng.choice(n, min(n, rng.poisson(self.expected_kratom(a))), replace=False)] = True
        if a < FAERS_AT:
            base, stride = (
                LEGACY_CASE_IDS[0] + (a + LEAD_IN) * LEGACY_CASE_IDS[1],
                LEGACY_CASE_IDS[1],
            )
        else:
            base, stride = FAERS_CASE_IDS[0] + (a - FAERS_AT) * FAERS_CASE_IDS[1], FAERS_CASE_IDS[1]
        caseid = base + np.cumsum(rng.integers(1, max(2, stride // n), n))
        if caseid[-1] >= base + stride:
            raise ValueError(f"{quarter_name(a)}: {n} new cases overflow the id range")
        n_versions = 1 + sum((rng.random(n) < s).astype(int) for s in VERSION_SHARES)
        steps = np.cumsum(rng.integers(*GAP_QUARTERS, size=(n, 3)), axis=1)
        version_q = a + np.hstack([np.zeros((n, 1), dtype=int), steps])
        before = a < DELETED_AT
        extra = np.where(before & (rng.random(n) < 0.7), 0, rng.integers(0, 12, n))
        deleted = rng.random(n) < P.DELETED_SHARE
        deleted_q = np.where(deleted, max(a + 1, DELETED_AT) + extra, NEVER)
        version_q[(np.arange(4) >= n_versions[:, None]) | (version_q >= deleted_q[:, None])] = NEVER
        in_all = deleted & before & (deleted_q == DELETED_AT)
        in_quarter = deleted & (~in_all | (rng.random(n) < 0.2))
        cohort = Cohort(caseid, is_kratom, version_q, rng.integers(0, 90, n), deleted_q, in_all,
                        in_quarter)  # fmt: skip
        self._deleted[a] = tuple(x[deleted] for x in (caseid, deleted_q, in_all, in_quarter))
        return cohort

    def deleted_lists(self, a: int) -> dict:
        """The deleted lists of quarter index `a`, in etl/demo.py's form (qi 0)."""
        self.n_new(a)  # every earlier cohort drawn: their deletions are known
        quarterly, every = [], []
        for caseid, deleted_q, in_all, in_quarter in self._deleted.values():
            quarterly += caseid[in_quarter & (deleted_q == a)].tolist()
            if a == DELETED_AT:
                every += caseid[in_all].tolist()
        return {"quarterly": {0: sorted(quarterly)}, "all": sorted(every)}

    def quarter_reports(self, a: int) -> dict[str, np.ndarray]:
        """The report versions of quarter index `a`, sorted by caseid."""
        parts = []
        for p in range(max(a - MAX_LAG, -LEAD_IN), a + 1):
            c = self.cohort(p)
            rows, col = np.nonzero(c.version_q == a)
            first = np.full(rows.size, p)
            parts.append((c.caseid[rows], col + 1, first, c.init_day[rows], c.is_kratom[rows]))
        names = ("caseid", "version", "first_q", "init_day", "is_kratom")
        out = {k: np.concatenate([part[i] for part in parts]) for i, k in enumerate(names)}
        order = np.argsort(out["caseid"], kind="stable")
        return {k: v[order] for k, v in out.items()}

    def quarter_data(self, a: int) -> dict:
        """Every table of quarter index `a`, in the form etl.demo_zip.write_quarter_zip takes."""
        reports = self.quarter_reports(a)
        rng = np.random.default_rng([self.seed, a + LEAD_IN, 2])
        cases = _report_cases(rng, quarter_name(a), reports)
        versions = _versions(rng, a, reports, cases["rept_cod"] != "DIR")
        event_days = draw_case_text(rng, cases, versions.pop("init_days"))
        children = draw_children(rng, cases, event_days)
        keys = pl.DataFrame({
            "pid": versions["pid"], "caseid": reports["caseid"].astype(str),
            "is_kratom": reports["is_kratom"],
        })  # fmt: skip
        demo = keys.with_columns(
            foll_seq=pl.lit(""), auth_num=pl.lit(""), confid=pl.lit(""),
            **{c: pl.Series(v) for c, v in versions.items() if c != "pid"},
            **{c: pl.Series(cases[c]) for c in CASE_COLUMNS},
        )  # fmt: skip
        demo = demo.with_columns(image=pl.concat_str("pid", pl.lit("-"), "caseversion"))
        tables = {"DEMO": {0: demo}}
        for table, rows in children.items():  # rows come sorted by case (= pid), then _r
            gathered = keys.select(pl.all().gather(rows["case_idx"]))
            tables[table] = {0: pl.concat([gathered, rows], how="horizontal")}
        new = reports["version"] == 1
        counts = (int(new.sum()), int((new & reports["is_kratom"]).sum()))
        return {"tables": tables, "deleted": self.deleted_lists(a), "new_cases": {0: counts}}

    def write_quarter(self, path: Path, quarter: str) -> Path:
        """Write `quarter` (e.g. 2013Q1) to `path` as FDA's zip of that era."""
        data = self.quarter_data(qindex(quarter))
        return write_quarter_zip(Path(path), quarter, 0, data, self.seed, compresslevel=1)


def _report_cases(rng: np.random.Generator, quarter: str, reports: dict) -> dict[str, np.ndarray]:
    """One entry per report version, as etl.demo_draw.draw_cases makes per case."""
    is_kratom = reports["is_kratom"]
    n = is_kratom.size
    year = np.full(n, int(quarter[:4]))
    salmonella = is_kratom & (quarter in P.SALMONELLA_QUARTERS)
    salmonella &= rng.random(n) < P.SALMONELLA_SHARE
    cases = {
        "qi": np.zeros(n, dtype=int), "year": year, "is_kratom": is_kratom,
        "is_salmonella": salmonella, "caseid": reports["caseid"],
        "is_kratom_only": is_kratom & ((rng.random(n) < P.KRATOM_ONLY_SHARE) | salmonella),
        "dies": is_kratom & ~salmonella & (rng.random(n) < P.KRATOM_DEATH_SHARE),
        "kratom_pool": _kratom_pools(rng, year),
    }  # fmt: skip
    return cases | _demographics(rng, is_kratom)


def _versions(rng: np.random.Generator, a: int, reports: dict, company: np.ndarray) -> dict:
    """primaryid (legacy ISR, or caseid and version), version and date columns of each report."""
    n, version = company.size, reports["version"]
    init = _month_starts(reports["first_q"]) + reports["init_day"]
    later = _month_starts(np.array(a)) + rng.integers(0, 90, n)
    fda = np.where(version == 1, init, later)
    mfr = fda - rng.integers(1, 15, n)
    if a < FAERS_AT:
        pid = ISR_IDS[0] + a * ISR_IDS[1] + np.cumsum(rng.integers(1, 3, n))
        if pid[-1] >= ISR_IDS[0] + (a + 1) * ISR_IDS[1]:
            raise ValueError(f"{quarter_name(a)}: {n} reports overflow the ISR range")
    else:
        pid = reports["caseid"] * 10 + version
    return {
        "pid": pid, "caseversion": version.astype(str),
        "i_f_code": np.where(version == 1, "I", "F"), "fda_dt": _dates(fda),
        "init_fda_dt": _dates(init), "mfr_dt": np.where(company, _dates(mfr), ""),
        "rept_dt": _dates(np.where(company, mfr, fda)), "init_days": init,
    }  # fmt: skip


def write_full_history(
    out_dir: Path,
    quarters: Iterable[str],
    *,
    scale: float = 1.0,
    seed: int = 1,
    on_written: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Write each quarter's zip under its FDA name in `out_dir`, keeping zips already there.

    A zip is written to a `.part` file and renamed, so an interrupted run leaves no torn zip.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    history = FullHistory(seed=seed, scale=scale)
    paths = []
    for quarter in quarters:
        path = out_dir / zip_name(quarter)
        if not path.exists():
            part = path.with_name(path.name + ".part")
            history.write_quarter(part, quarter)
            part.replace(path)
            if on_written is not None:
                on_written(path)
        paths.append(path)
    return paths
