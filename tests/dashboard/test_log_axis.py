"""Log axes with every tick written out (figures/log_axis.py) and the signals charts that use
them: plotly's own ticks read "5 6 7 8 9" before 1 for 0.5 to 0.9, and piled up under 10 and
100 on the cumulative chart. Expected ticks worked out by hand from the 1-2-5 ladder."""

from __future__ import annotations

import math

import polars as pl
import pytest

from dashboard.figures import signals as fig
from dashboard.figures.log_axis import log_axis, log_ticks, tick_text
from dashboard.queries import signals as q
from tests.dashboard.helpers import plotly_figure


def test_tick_text_says_the_whole_value():
    assert [tick_text(v) for v in (0.05, 0.5, 1.0, 1.5, 20.0, 500.0, 1000.0, 20000.0)] == [
        "0.05",
        "0.5",
        "1",
        "1.5",
        "20",
        "500",
        "1,000",
        "20,000",
    ]


def test_ticks_from_a_tick_at_or_below_the_data_to_one_at_or_above():
    assert log_ticks(0.62, 180) == [0.5, 1, 2, 5, 10, 20, 50, 100, 200]
    # decades alone when 1-2-5 gives more than 12 ticks (0.001 … 20,000: 23 of them)
    assert log_ticks(0.001, 20_000) == [0.001, 0.01, 0.1, 1, 10, 100, 1000, 10_000, 100_000]
    # finer steps on a short axis (1-2-5 gives 1, 2 only)
    assert log_ticks(1.0, 1.8) == [1, 1.5, 2]
    # one value: a little either side
    assert log_ticks(1.0, 1.0) == [0.5, 1, 2]
    with pytest.raises(ValueError):
        log_ticks(0.0, 3.0)


def test_axis_keeps_one_inside_and_leaves_out_what_a_log_axis_cannot_draw():
    axis = log_axis([3.1, None, 0.0, math.inf, 42.0])
    assert axis["ticktext"] == ["1", "2", "5", "10", "20", "50"]
    assert (axis["type"], axis["tickmode"], axis["autorange"]) == ("log", "array", False)
    low, high = axis["range"]  # log10 units, just beyond the outer ticks
    assert low < 0 < math.log10(50) < high < 2


def frame() -> pl.DataFrame:
    # W: ROR (5·9900)/(95·500) ≈ 1.04, interval ≈ 0.42–2.6; X: 10.9 (5.5–21.5);
    # Y: 61.2 (14.4–260); V: (2·9000)/(98·1000) ≈ 0.18, interval ≈ 0.045–0.75
    return q.add_statistics(
        pl.DataFrame(
            {
                "term": ["V", "W", "X", "Y"],
                "a": [2, 5, 10, 3],
                "b": [98, 95, 90, 97],
                "c": [1000, 500, 100, 5],
                "d": [9000, 9900, 9800, 9895],
            }
        )
    )


def assert_unambiguous(axis) -> None:
    """Every tick says its value: the text read as a number is the tick's value."""
    assert axis.tickmode == "array" and len(axis.tickvals) >= 3
    for value, text in zip(axis.tickvals, axis.ticktext, strict=True):
        assert float(text.replace(",", "")) == pytest.approx(value)


def test_forest_axis_ticks_are_written_out():
    df = frame()
    assert df["ror_lower"].min() == pytest.approx(0.045, abs=0.005)
    forest = plotly_figure(fig.forest_figure(df, "a", "Preferred term"))
    axis = forest.layout.xaxis
    assert axis.type == "log"
    assert_unambiguous(axis)
    # 0.02 (below 0.045) … 500 (above 260): 1-2-5 gives 14 ticks, so decades (12 at most)
    assert list(axis.ticktext) == ["0.01", "0.1", "1", "10", "100", "1,000"]


def test_cumulative_axis_ticks_are_written_out():
    # a history like the one audited: ROR 25-40, intervals from 5 to 130
    history = pl.DataFrame(
        {
            "year": [2009, 2010, 2011],
            "a": [1, 2, 3],
            "c": [10, 20, 30],
            "ror": [25.0, 33.0, 40.0],
            "ror_lower": [5.1, 8.0, 13.0],
            "ror_upper": [125.0, 130.0, 118.0],
            "passes_ror_screen": [True, True, True],
            "passes_prr_screen": [False, True, True],
            "passes_ic_screen": [False, False, True],
        }
    )
    figure = plotly_figure(fig.cumulative_figure(history, "Toxicity to various agents"))
    axis = figure.layout.yaxis
    assert axis.type == "log"
    assert_unambiguous(axis)
    assert list(axis.ticktext) == ["1", "2", "5", "10", "20", "50", "100", "200"]


def test_twelve_ticks_of_1_2_5_are_kept():
    # ROR intervals from 0.45 to 240 (the demo with from=2024Q1&sex=F): 0.2 … 500
    assert log_ticks(0.45, 240) == [0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500]
