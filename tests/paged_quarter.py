"""A FAERS quarter (2022Q1, current layout) of 60 kratom cases: more than one page of the Cases
table (50 to a page), every value known by construction.

Case i (1–60): caseid 810000+i, version 1, first received 2022-01-01 + (i − 1) days (so newest
first is 810060 down to 810001), aged 7i mod 61 years (each age 1–60 once, in another order than
receipt: case i is aged a when i = 35a mod 61, 35 being 7's inverse mod 61), female when i is
odd, reported by a consumer in the US; one drug row KRATOM (primary suspect, product not stated),
one reaction Nausea. By age ascending, page 1 holds ages 1–50 and page 2 ages 51–60.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from etl.demo_profile import CURRENT_HEADERS

N_CASES = 60
FIRST_CASE = 810001
HEADERS = CURRENT_HEADERS  # the current layout, as the demo writes it


def case_ids() -> list[int]:
    return [FIRST_CASE + i for i in range(N_CASES)]


def age_of(i: int) -> int:
    return 7 * i % 61


def case_aged(age: int) -> int:
    """The case number of the case aged `age` (1–60)."""
    return 810000 + 35 * age % 61


def write_paged_quarter(folder: Path) -> Path:
    """Write the quarter as `folder/faers_ascii_2022q1` (ASCII/*.txt) and return that path."""
    root = folder / "faers_ascii_2022q1"
    (root / "ASCII").mkdir(parents=True)
    rows: dict[str, list[str]] = {name: [header] for name, header in HEADERS.items()}
    for i, case in enumerate(case_ids(), start=1):
        primary = case * 10 + 1
        received = (dt.date(2022, 1, 1) + dt.timedelta(days=i - 1)).strftime("%Y%m%d")
        sex = "F" if i % 2 else "M"
        rows["DEMO"].append(
            f"{primary}${case}$1$I$${received}${received}${received}$DIR$$$$${age_of(i)}$YR$${sex}$N"
            "$$$$$CN$US$US"
        )
        rows["DRUG"].append(f"{primary}${case}$1$PS$KRATOM$$1$Oral$$$$$$$$$$$$")
        rows["REAC"].append(f"{primary}${case}$Nausea$")
    for name, lines in rows.items():
        text = "\n".join(lines) + "\n"
        (root / "ASCII" / f"{name}22Q1.txt").write_text(text, encoding="ascii")
    return root
