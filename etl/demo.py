"""Deterministic synthetic FAERS quarters in FDA's zip layout: the data behind `kratom-etl demo`.

Every archive holds SYNTHETIC.txt (the reader flags such quarters) with the counts the generator
drew. The cases and their rows are drawn by etl/demo_draw.py and etl/demo_children.py, and each
quarter's zip is written in its era's layout by etl/demo_zip.py. Sizes, shares, layouts and quirks
are in etl/demo_profile.py; vocabularies in etl/reference/demo_*.csv. The same seed gives
byte-identical zips.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from etl import demo_profile as P
from etl.demo_children import draw_children
from etl.demo_draw import (
    draw_case_text,
    draw_cases,
    draw_deletions,
    draw_versions,
    new_case_counts,
    qindex,
    quarter_range,
)
from etl.demo_duplicates import draw_resubmissions
from etl.demo_zip import write_quarter_zip, zip_name

VERSION_COLUMNS = ("i_f_code", "fda_dt", "init_fda_dt", "mfr_dt", "rept_dt")
CASE_COLUMNS = (
    "event_dt_plain", "event_dt_padded", "age", "age_cod", "age_grp", "sex", "wt", "wt_cod",
    "rept_cod", "occp_cod", "country_code", "country_name", "occr_code", "is_eu", "mfr_sndr",
    "mfr_num", "lit_ref", "e_sub", "to_mfr", "death_dt",
)  # fmt: skip


def write_demo_quarters(
    out_dir: Path,
    *,
    seed: int = 20260,
    first: str = "2004Q1",
    last: str = "2026Q2",
    scale: float = 1.0,
) -> list[Path]:
    """Write one zip per quarter from `first` to `last`; return their paths in quarter order."""
    quarters = quarter_range(first, last)
    rng = np.random.default_rng(seed)
    n_background, n_kratom = new_case_counts(rng, quarters, scale)
    data = draw_dataset(rng, quarters, n_background, n_kratom)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        write_quarter_zip(out_dir / zip_name(q), q, qi, data, seed, compresslevel=6)
        for qi, q in enumerate(quarters)
    ]


def write_full_size_quarter(
    path: Path, *, quarter: str = "2025Q1", n_cases: int = 400_000, seed: int = 1
) -> Path:
    """Write one current-layout quarter of about `n_cases` cases (for benchmarks) to `path`."""
    if qindex(quarter) < qindex(P.FIRST_CURRENT):
        raise ValueError(f"{quarter}: full-size quarters use the current layout (2014Q3 on)")
    rng = np.random.default_rng(seed)
    n_kratom = max(1, n_cases // 2000)
    counts = np.array([n_cases - n_kratom]), np.array([n_kratom])
    data = draw_dataset(rng, [quarter], *counts, carried_versions=True)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_quarter_zip(path, quarter, 0, data, seed, compresslevel=1)


def draw_dataset(
    rng: np.random.Generator,
    quarters: list[str],
    n_background: np.ndarray,
    n_kratom: np.ndarray,
    *,
    carried_versions: bool = False,
) -> dict:
    """Every table's rows split by quarter index, the deleted lists and new-case counts."""
    cases = draw_cases(rng, quarters, n_background, n_kratom)
    cases |= draw_deletions(rng, cases["qi"], quarters)
    versions = draw_versions(rng, cases, quarters, carried_versions)
    event_days = draw_case_text(rng, cases, versions.pop("init_days"))
    draw_resubmissions(rng.spawn(1)[0], cases)  # a spawned stream: every other draw unchanged
    children = draw_children(rng, cases, event_days)
    idx = versions["case_idx"]
    keys = pl.DataFrame({
        "case_idx": idx, "qi": versions["qi"], "pid": versions["pid"],
        "caseid": versions["caseid"].astype(str), "is_kratom": cases["is_kratom"][idx],
    })  # fmt: skip
    demo = keys.with_columns(
        caseversion=pl.Series(versions["caseversion"].astype(str)),
        foll_seq=pl.lit(""), auth_num=pl.lit(""), confid=pl.lit(""),
        **{c: pl.Series(versions[c]) for c in VERSION_COLUMNS},
        **{c: pl.Series(cases[c][idx]) for c in CASE_COLUMNS},
    )  # fmt: skip
    demo = demo.with_columns(image=pl.concat_str(pl.col("pid"), pl.lit("-"), pl.col("caseversion")))
    tables = {"DEMO": _by_quarter(demo.sort("qi", "pid"))}
    for table, rows in children.items():
        joined = keys.join(rows, on="case_idx", how="inner")
        tables[table] = _by_quarter(joined.sort("qi", "pid", "_r"))
    qi, nq = cases["qi"], len(quarters)
    deleted_qi = cases["deleted_qi"]
    listed = cases["in_quarter_list"]
    total = np.bincount(qi, minlength=nq)
    kratom = np.bincount(qi, cases["is_kratom"], nq)
    return {
        "tables": tables,
        "deleted": {
            "quarterly": {
                q: sorted(cases["caseid"][listed & (deleted_qi == q)]) for q in range(nq)
            },
            "all": sorted(cases["caseid"][cases["in_all_list"]]),
        },
        "new_cases": {
            q: (int(n), int(k)) for q, (n, k) in enumerate(zip(total, kratom, strict=True))
        },
    }


def _by_quarter(frame: pl.DataFrame) -> dict[int, pl.DataFrame]:
    return {key[0]: part for key, part in frame.partition_by("qi", as_dict=True).items()}
