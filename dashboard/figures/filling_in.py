"""Counted by event date, the newest quarters are still filling in: reports reach FDA weeks to
years after the event, so a recent quarter's count keeps growing with each new file. The charts
counted by event date shade those quarters and say so.

The rule (docs/dashboard.md): from the lag distribution (`queries/filling_in.lag_quarters`:
kratom cases with a day-precise event date, by quarters from the event's quarter to FDA's
receipt), N is the fewest quarters after the event's within which at least COMPLETE (90%) of
those cases arrived. An event quarter with N later quarters loaded is taken as complete; the
N newest quarters (the newest loaded file's and the N - 1 before it) are not, and are shaded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

from dashboard.figures.legends import LEGEND_FONT
from dashboard.figures.part_year import part_year
from dashboard.figures.window import narrowest_figure_px
from dashboard.figures.wrapping import wrap_text

COMPLETE = 0.9  # the share of cases that must have arrived for a quarter to count as complete
FILLING_IN = "rgba(230, 159, 0, 0.2)"  # the palette's amber, light: apart from the grey bands


def quarter_index(quarter: str) -> int:
    """'2021Q3' as a count of quarters (year * 4 + quarter - 1), so quarters subtract."""
    return int(quarter[:4]) * 4 + int(quarter[-1]) - 1


def quarter_of(index: int) -> str:
    """The quarter ('2021Q3') of a `quarter_index`."""
    return f"{index // 4}Q{index % 4 + 1}"


def quarters_to_complete(lag: pl.DataFrame, complete: float = COMPLETE) -> tuple[int, float]:
    """(N, share): the fewest quarters after the event's quarter within which at least
    `complete` of the cases of `lag` (`lag_quarters`, `n_cases`) reached FDA, and the share that
    did. (0, 0.0) for an empty distribution."""
    total = int(lag["n_cases"].sum()) if not lag.is_empty() else 0
    arrived = 0
    for lag_quarters, n in lag.sort("lag_quarters").iter_rows():
        arrived += n
        if arrived / total >= complete:
            return int(lag_quarters), arrived / total
    return 0, 0.0


@dataclass(frozen=True)
class FillingIn:
    """The quarters of event still filling in: the newest quarterly file's (`newest`) and the
    `n_quarters` - 1 before it, from `first` on; `share` of the cases dated to the day reach
    FDA within `n_quarters`. `last` is where a chart by quarter should reach: `newest`, or the
    end of the date filter when that comes first."""

    newest: str
    n_quarters: int
    share: float
    last: str

    @property
    def first(self) -> str:
        return quarter_of(quarter_index(self.newest) - self.n_quarters + 1)

    @property
    def reason(self) -> str:
        """'97% of cases dated to the day reach FDA within 2 quarters of the event'."""
        quarters = "a quarter" if self.n_quarters == 1 else f"{self.n_quarters} quarters"
        return (
            f"{100 * self.share:.0f}% of cases dated to the day reach FDA within {quarters} "
            "of the event"
        )

    def flags(self, periods: list[str]) -> list[bool]:
        """Whether each quarter of `periods` is still filling in (quarters sort as text)."""
        return [p >= self.first for p in periods]

    def bands(self, periods: list[str], what: str = "Still") -> list[dict]:
        """One shaded band over the quarters of `periods` still filling in (the newest, so one
        run to the end), with a legend entry ('{what} filling in: …'); [] when the chart stops
        before them. `periods` are the categories of the chart's x axis, in order."""
        flags = self.flags(periods)
        if not any(flags):
            return []
        return [
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": flags.index(True) - 0.5,
                "x1": len(periods) - 0.5,
                "y0": 0,
                "y1": 1,
                "fillcolor": FILLING_IN,
                "line": {"width": 0},
                "layer": "below",
                # in lines that fit the narrowest chart (one at 768 px, three on a phone)
                "name": wrap_text(
                    f"{what} filling in: {self.reason}", narrowest_figure_px() - 60, LEGEND_FONT
                ),
                "legendgroup": "filling-in",
                "showlegend": True,
            }
        ]

    def years(self, years: list[int]) -> dict[int, str]:
        """Of `years` (a chart by year of event), those holding a quarter still filling in,
        each with its note: 'Q1–Q2 only,<br>filling in' for the newest file's year when that
        file is not its fourth quarter, else 'filling in' (short: it sits over one bar)."""
        part = part_year(years, self.newest)
        return {
            y: f"{part[1]},<br>filling in" if part and part[0] == y else "filling in"
            for y in years
            if y >= int(self.first[:4])
        }

    def year_sentence(self, years: list[int]) -> str:
        """'By event date, 2026 (Q1–Q2 only) is still filling in: 97% of …', or '' for no year."""
        part = part_year(years, self.newest)
        named = [f"{y} ({part[1]})" if part and part[0] == y else str(y) for y in self.years(years)]
        if not named:
            return ""
        verb = "is" if len(named) == 1 else "are"
        return f"By event date, {' and '.join(named)} {verb} still filling in: {self.reason}"


def filling_in(
    lag: pl.DataFrame, latest_quarter: str | None, *, date_to: str | None = None
) -> FillingIn | None:
    """The quarters still filling in when the newest quarterly file is `latest_quarter`, from
    the lag distribution `lag` (`queries/filling_in.lag_quarters`); None when none is (no
    file, no case dated to the day, or COMPLETE of cases arrive within their event's own
    quarter) or when the date filter ends (`date_to`) before the first of them."""
    n, share = quarters_to_complete(lag)
    if not latest_quarter or n == 0:
        return None
    found = FillingIn(newest=latest_quarter, n_quarters=n, share=share, last=latest_quarter)
    if date_to and date_to < found.first:
        return None
    return replace(found, last=min(latest_quarter, date_to or latest_quarter))
