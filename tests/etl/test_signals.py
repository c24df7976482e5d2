"""Disproportionality statistics against arithmetic done by hand (shown in the comments)."""

import itertools
import math

import numpy as np
import polars as pl
import pytest
from scipy.stats import chi2_contingency

from etl.signals import STATISTICS, disproportionality, two_by_two

REL = 1e-4  # hand arithmetic below is carried to 5-6 significant figures


def test_table_with_a_strong_signal():
    # a=10, b=90, c=100, d=9800, N=10000
    # E = (a+b)(a+c)/N = 100*110/10000 = 1.1 ; RRR = 10/1.1 = 9.0909
    # ROR = ad/bc = 98000/9000 = 10.8889
    # Woolf: sqrt(1/10+1/90+1/100+1/9800) = sqrt(0.121213) = 0.348157 ; *1.96 = 0.682388
    #        ln ROR = 2.387750 -> exp(1.705362) = 5.50334 , exp(3.070138) = 21.5447
    # PRR = (10/100)/(100/9900) = 0.1/0.0101010 = 9.9
    # expected cells 1.1, 98.9, 108.9, 9791.1 ; |O-E| = 8.9 in every cell
    # Pearson = 8.9^2 * (1/1.1 + 1/98.9 + 1/108.9 + 1/9791.1) = 79.21 * 0.928487 = 73.5455
    # Yates   = (8.9-0.5)^2 * 0.928487 = 70.56 * 0.928487 = 65.5140
    # IC = log2(10.5/1.6) = log2(6.5625) = 2.714246
    # IC025 = 2.714246 - 3.3/sqrt(10.5) - 2/10.5^1.5 = 2.714246 - 1.018402 - 0.058783 = 1.637061
    got = two_by_two(10, 90, 100, 9800)
    expected = {
        "n": 10000,
        "expected": 1.1,
        "rrr": 9.0909,
        "ror": 10.8889,
        "ror_lower": 5.50334,
        "ror_upper": 21.5447,
        "prr": 9.9,
        "chi2_pearson": 73.5455,
        "chi2_yates": 65.5140,
        "ic": 2.714246,
        "ic025": 1.637061,
    }
    assert {k: got[k] for k in STATISTICS} == pytest.approx(expected, rel=REL)
    assert got["passes_screens"] == {"ror": True, "prr": True, "ic": True, "ebgm": None}


def test_table_where_yates_decides_the_prr_screen():
    # a=3, b=7, c=15, d=175, N=200
    # E = 10*18/200 = 0.9 ; RRR = 3/0.9 = 3.33333
    # ROR = 525/105 = 5 ; Woolf sqrt(1/3+1/7+1/15+1/175) = sqrt(0.548571) = 0.740656
    #       *1.96 = 1.451686
    #       ln 5 = 1.609438 -> exp(0.157752) = 1.17087 , exp(3.061124) = 21.3510
    # PRR = (3/10)/(15/190) = 0.3/0.0789474 = 3.8
    # ad-bc = 420 ; margins 10*190*18*182 = 6,224,400
    # Pearson = 200*420^2/6224400 = 35,280,000/6,224,400 = 5.66802   (>= 4)
    # Yates   = 200*(420-100)^2/6224400 = 20,480,000/6,224,400 = 3.29028  (< 4)
    # IC = log2(3.5/1.4) = log2(2.5) = 1.321928
    # IC025 = 1.321928 - 3.3/sqrt(3.5) - 2/3.5^1.5 = 1.321928 - 1.763924 - 0.305424 = -0.747420
    got = two_by_two(3, 7, 15, 175)
    expected = {
        "n": 200,
        "expected": 0.9,
        "rrr": 3.33333,
        "ror": 5.0,
        "ror_lower": 1.17087,
        "ror_upper": 21.3510,
        "prr": 3.8,
        "chi2_pearson": 5.66802,
        "chi2_yates": 3.29028,
        "ic": 1.321928,
        "ic025": -0.747420,
    }
    assert {k: got[k] for k in STATISTICS} == pytest.approx(expected, rel=REL)
    assert got["passes_screens"] == {"ror": True, "prr": False, "ic": False, "ebgm": None}


def test_yates_is_clipped_at_zero_not_over_corrected():
    # a=b=c=d=1: ad-bc = 0 < N/2 = 2, so the corrected deviation is max(0, 0-2) = 0, not 4.
    got = two_by_two(1, 1, 1, 1)
    assert (got["chi2_pearson"], got["chi2_yates"]) == (0.0, 0.0)


@pytest.mark.parametrize(
    "table", [(10, 90, 100, 9800), (3, 7, 15, 175), (5, 2, 1, 40), (1, 1, 1, 1)]
)
def test_chi_squares_agree_with_scipy(table):
    a, b, c, d = table
    got = two_by_two(a, b, c, d)
    observed = np.array([[a, b], [c, d]])
    pearson = chi2_contingency(observed, correction=False).statistic
    yates = chi2_contingency(observed, correction=True).statistic
    assert (got["chi2_pearson"], got["chi2_yates"]) == pytest.approx((pearson, yates), rel=1e-12)


NONE_ALL = dict.fromkeys(("ror", "ror_lower", "ror_upper"))


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        # a=0: E = 10*5/115 = 0.434783 ; RRR = 0 ; PRR = 0/(5/105) = 0 ; ad-bc = -50
        #      Pearson = 115*50^2/(10*105*5*110) = 287,500/577,500 = 0.497835
        #      Yates: |ad-bc| - N/2 = 50 - 57.5 < 0 -> 0 ; IC = log2(0.5/0.934783) = -0.902703
        #      IC025 = -0.902703 - 3.3/sqrt(0.5) - 2/0.5^1.5 = -0.902703 - 4.666905 - 5.656854
        (
            (0, 10, 5, 100),
            {
                **NONE_ALL,
                "expected": 0.434783,
                "rrr": 0.0,
                "prr": 0.0,
                "chi2_pearson": 0.497835,
                "chi2_yates": 0.0,
                "ic": -0.902703,
                "ic025": -11.226462,
            },
        ),
        # b=0: E = 5*15/115 = 0.652174 ; PRR = (5/5)/(10/110) = 11
        #      Pearson = 115*(500-0)^2/(5*110*15*100) = 28,750,000/825,000 = 34.8485
        #      Yates = 115*(500-57.5)^2/825,000 = 115*195,806.25/825,000 = 27.2942
        #      IC = log2(5.5/1.152174) = log2(4.773585) = 2.255086
        #      IC025 = 2.255086 - 3.3/sqrt(5.5) - 2/5.5^1.5 = 2.255086 - 1.407120 - 0.155055
        (
            (5, 0, 10, 100),
            {
                **NONE_ALL,
                "expected": 0.652174,
                "rrr": 7.66667,
                "prr": 11.0,
                "chi2_pearson": 34.8485,
                "chi2_yates": 27.2942,
                "ic": 2.255086,
                "ic025": 0.692911,
            },
        ),
        # c=0: PRR empty (division by c/(c+d) = 0). E = 15*5/115 = 0.652174
        #      Pearson = 115*(500-0)^2/(15*100*5*110) = 28,750,000/825,000 = 34.8485 (same margins)
        (
            (5, 10, 0, 100),
            {
                **NONE_ALL,
                "expected": 0.652174,
                "rrr": 7.66667,
                "prr": None,
                "chi2_pearson": 34.8485,
                "chi2_yates": 27.2942,
                "ic": 2.255086,
                "ic025": 0.692911,
            },
        ),
        # a+b=0: E = 0, RRR and PRR empty, chi-squares empty (a zero margin);
        #        IC = log2(0.5/0.5) = 0 ; IC025 = 0 - 4.666905 - 5.656854 = -10.323759
        (
            (0, 0, 5, 100),
            {
                **NONE_ALL,
                "expected": 0.0,
                "rrr": None,
                "prr": None,
                "chi2_pearson": None,
                "chi2_yates": None,
                "ic": 0.0,
                "ic025": -10.323759,
            },
        ),
        # N=0: nothing is defined.
        ((0, 0, 0, 0), {**NONE_ALL, **dict.fromkeys(STATISTICS[1:])}),
    ],
)
def test_zero_cells_give_none_not_inf(table, expected):
    got = two_by_two(*table)
    assert [k for k in expected if got[k] is None] == [k for k, v in expected.items() if v is None]
    numbers = {k: v for k, v in expected.items() if v is not None}
    assert {k: got[k] for k in numbers} == pytest.approx(numbers, rel=REL, abs=1e-12)
    assert not any(isinstance(v, float) and not math.isfinite(v) for v in got.values())


def test_d_zero_empties_only_the_ror():
    # d=0: PRR = (5/15)/(3/3) = 1/3 stays defined ; ROR = 0/30 is not shown.
    got = two_by_two(5, 10, 3, 0)
    assert (got["ror"], got["ror_lower"], got["ror_upper"]) == (None, None, None)
    assert got["prr"] == pytest.approx(1 / 3)


def test_all_zero_table_passes_no_screen():
    screens = two_by_two(0, 0, 0, 0)["passes_screens"]
    assert screens == {"ror": False, "prr": False, "ic": False, "ebgm": None}


def test_ebgm_screen_uses_the_given_eb05():
    assert two_by_two(1, 1, 1, 1, eb05=2.0)["passes_screens"]["ebgm"] is True
    assert two_by_two(1, 1, 1, 1, eb05=1.99)["passes_screens"]["ebgm"] is False


@pytest.mark.parametrize("bad", [-1, 2.5, True])
def test_non_counts_are_rejected(bad):
    with pytest.raises(ValueError, match="cell b"):
        two_by_two(1, bad, 1, 1)


def _many_tables() -> list[tuple[int, int, int, int]]:
    # every pattern of zero and non-zero cells, then random tables of FAERS-like shape
    tables = [
        tuple(v * k for v, k in zip(z, (3, 40, 7, 900), strict=True))
        for z in itertools.product((0, 1), repeat=4)
    ]
    rng = np.random.default_rng(7)
    for _ in range(200):
        tables.append(
            (
                int(rng.integers(0, 30)),
                int(rng.integers(0, 500)),
                int(rng.integers(0, 5000)),
                int(rng.integers(0, 10**6)),
            )
        )
    return tables


def test_vectorised_equals_two_by_two_row_by_row():
    tables = _many_tables()
    eb05 = [None if i % 5 == 0 else i / 50 for i in range(len(tables))]
    df = pl.DataFrame({k: [t[i] for t in tables] for i, k in enumerate("abcd")})
    df = df.with_columns(eb05=pl.Series(eb05, dtype=pl.Float64))
    rows = disproportionality(df).to_dicts()
    for table, row, eb in zip(tables, rows, eb05, strict=True):
        want = two_by_two(*table, eb05=eb)
        for key in STATISTICS:
            if want[key] is None:
                assert row[key] is None, (table, key)
            else:
                assert row[key] == pytest.approx(want[key], rel=1e-12, abs=1e-300), (table, key)
        screens = {k: row[f"passes_{k}_screen"] for k in ("ror", "prr", "ic", "ebgm")}
        assert screens == want["passes_screens"], table


def test_vectorised_without_eb05_has_no_ebgm_screen():
    out = disproportionality(pl.DataFrame({"a": [3], "b": [7], "c": [15], "d": [175]}))
    screens = ["passes_ror_screen", "passes_prr_screen", "passes_ic_screen"]
    assert out.columns == ["a", "b", "c", "d", *STATISTICS, *screens]


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        ({"a": [1], "b": [1], "c": [1]}, "missing"),
        ({"a": [1], "b": [-1], "c": [1], "d": [1]}, "non-negative"),
        ({"a": [1], "b": pl.Series([None], dtype=pl.Int64), "c": [1], "d": [1]}, "no nulls"),
        ({"a": [1.0], "b": [1], "c": [1], "d": [1]}, "integer"),
    ],
)
def test_vectorised_rejects_bad_cells(frame, message):
    with pytest.raises(ValueError, match=message):
        disproportionality(pl.DataFrame(frame))
