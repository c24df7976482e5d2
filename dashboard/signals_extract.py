"""The cases the Signals table counts: what an extract downloaded from /signals holds.

The table answers only some filters (`queries.signals`): kratom's role (primary suspect read as
any suspect, PS or SS), years of receipt (whole years), sex and age band; the event-group and
preferred-term filters pick its rows (a preferred term only at the preferred-term level). It
counts the cases of FAERS quarterly files, probable duplicates included. So that the file holds
what the table counts (each row's a and b), the extract's filters become the table's
(`as_the_table_counts`): each filter the table does not apply is left out, the role and the dates
widened as the table widens them, each with a note for the manifest's `ignored_parameters`; the
download bar says the same in words (`bar_words`). The page itself lists the filters it does not
apply ("Not applied on this page: ...", `signals_table.notes`), from the same NOT_APPLIED.

Dash is not imported here: `kratom-etl export --view /signals` applies the same rule.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from dashboard.filter_params import FIELDS
from dashboard.filter_query import ignored
from dashboard.filters import Filters
from dashboard.queries.signals import NOT_APPLIED

PATH = "/signals"
KEYS = {field: key for key, field in FIELDS.items()}  # Filters attribute -> URL key
_DEFAULT = Filters()
NOT_COUNTED = "the Signals table does not apply it ({label}); this file holds the cases it counts"
WHY = {
    "date_field": "the Signals table counts by year of receipt; so does this file",
    "sources": "the Signals table counts the cases of FAERS quarterly files only; so does this "
    "file",
}
PRIMARY = (
    "the Signals table counts kratom as any suspect (PS or SS) for 'Primary suspect'; this "
    "file holds those cases (role=suspect)"
)
YEARS = "the Signals table counts whole years of receipt; this file holds {span}"
DUPLICATES = (
    "the Signals table counts every case, probable duplicates included (its counts are made "
    "in advance); so does this file"
)
PT_AT_GROUP_LEVEL = (
    "at the event-group level the Signals table's rows are not chosen by preferred term; this "
    "file holds the cases of every row"
)
CAVEAT = (
    "Downloaded from the Signals page: this file holds the kratom cases its table counts (a "
    "and b of each row): kratom's role as the table reads it, whole years of receipt, sex and "
    "age band, FAERS quarterly files, probable duplicates included. The filters the table does "
    "not apply are left out (see Ignored). An event-group or preferred-term filter picks the "
    "table's rows; the file then holds the kratom cases reporting one of them (the rows' a), "
    "compared with every other case in the table."
)
BAR = (
    "Downloads the kratom cases the Signals table counts (its role, whole years of receipt, "
    "sex, age band; the cases of the rows an event filter picks): case-level rows, with a "
    "manifest."
)


def _text(value: Any) -> str:
    if isinstance(value, tuple):
        return ",".join(value)
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


class Departure(NamedTuple):
    """One way the table's cases differ from the link's: the filter changes that make them the
    table's, the manifest's note (key, value, why) and the download bar's words, under "As in
    the table" (`widened`) or "Not applied, as in the table"."""

    changes: dict[str, Any]
    key: str
    value: str
    why: str
    words: str
    widened: bool


def departures(f: Filters, level: str) -> list[Departure]:
    """What the Signals table at `level` (`pt`, `event_group`) does not apply or widens of `f`."""
    out = [
        Departure(
            {field: getattr(_DEFAULT, field)},
            KEYS[field],
            _text(getattr(f, field)),
            WHY.get(field, NOT_COUNTED.format(label=label)),
            label,
            False,
        )
        for field, label in NOT_APPLIED.items()
        if getattr(f, field) != getattr(_DEFAULT, field)
    ]
    if f.role == "primary":
        words = "primary suspect read as any suspect"
        out.append(Departure({"role": "suspect"}, "role", "primary", PRIMARY, words, True))
    first = f"{f.date_from[:4]}Q1" if f.date_from else None
    last = f"{f.date_to[:4]}Q4" if f.date_to else None
    span = f"{first or 'the first'} to {last or 'the last quarter'}"
    for key, field, was, now in (
        ("from", "date_from", f.date_from, first),
        ("to", "date_to", f.date_to, last),
    ):
        if was != now:
            why, words = YEARS.format(span=span), "quarters widened to whole years"
            out.append(Departure({field: now}, key, str(was), why, words, True))
    if f.duplicates == "hide":
        words = "setting probable duplicates aside"
        out.append(
            Departure({"duplicates": "show"}, "duplicates", "hide", DUPLICATES, words, False)
        )
    if f.pts and level == "event_group":
        words = "preferred term (at the event-group level)"
        out.append(Departure({"pts": ()}, "pt", _text(f.pts), PT_AT_GROUP_LEVEL, words, False))
    return out


def as_the_table_counts(f: Filters, notes: list[str], level: str) -> tuple[Filters, list[str]]:
    """The filters of the cases the Signals table counts at `level` (`pt`, `event_group`), and
    the notes with one for each filter left out or widened."""
    found = departures(f, level)
    changes = {field: value for d in found for field, value in d.changes.items()}
    added = [ignored(d.key, d.value, d.why) for d in found]
    return (f.with_changes(**changes) if changes else f), [*notes, *added]


def bar_words(f: Filters) -> str:
    """The download bar's words on /signals: which cases the file holds, and which filters of
    the link it leaves out, as the table does."""
    found = departures(f, f.signals_level)
    widened = list(dict.fromkeys(d.words for d in found if d.widened))
    left_out = [d.words for d in found if not d.widened]
    out = BAR
    if widened:
        out += " As in the table: " + ", ".join(widened) + "."
    if left_out:
        out += " Not applied, as in the table: " + ", ".join(left_out) + "."
    return out
