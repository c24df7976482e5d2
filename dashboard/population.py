"""What a `population=all` link counts on each page, in the words the pages show.

`population=all` selects every kept FAERS case, kratom or not (`dashboard/filters.py`), and
`Filters.to_sql` then drops the kratom criteria (kratom's role, other substances, kratom
product). Pages answer it in one of two ways:

- Overview, Event types and Cases count every selected case: their labels say "FAERS cases
  (all drugs)" (`cases_label`), and the kratom criteria do not apply, so the filter panel greys
  them out there (`kratom_criteria_apply`). With a co-exposure filter the cases they count are
  kratom cases, in any role (see below): the labels then say "Kratom cases (any role)", the
  captions say why (`COEXPOSURE_WHY`) and so does the filter panel's note (`criteria_note`).
- Latest quarter, Co-exposures, Indications, Trends and Signals (`KRATOM_PAGES`) show kratom
  cases whatever the population: substances and indications are stored for kratom cases only,
  on Trends and Signals every FAERS case is the comparison, not the subject, and Latest quarter
  is what a quarter brought of kratom cases. They count kratom cases under every filter of the
  link, the kratom criteria included (`queries.kratom_filters`), and say so at the top of the
  page (`kratom_page_note`).

An extract follows the page it is downloaded from (`shows_kratom_cases`): every selected case
from Overview, Event types, Cases or the command line, the kratom cases the page shows from a
page of KRATOM_PAGES (`dashboard/extracts.py`). A co-exposure filter (`substance`, `class`)
matches kratom cases only on every page, since only their drugs are stored; the filter sentence
says so (`filter_words.coexposure_matches_kratom_only`, `counts_kratom_cases_only` here).

Dash is imported only where a component is made, so `kratom-etl export` can read these rules
without loading it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.filter_words import coexposure_matches_kratom_only
from dashboard.filters import Filters

if TYPE_CHECKING:
    import dash_bootstrap_components as dbc

ALL_CASES = "FAERS cases (all drugs)"
KRATOM_CASES = "Kratom cases"
# population=all with a co-exposure filter: only kratom cases match, whatever kratom's role.
COEXPOSURE_CASES = "Kratom cases (any role)"
COEXPOSURE_WHY = (
    "The link selects every FAERS case (population=all), but co-exposures are recorded for "
    "kratom cases only, so only kratom cases can match its co-exposure filter; kratom's role, "
    "other substances and product do not apply here."
)
# Pages that show kratom cases under population=all, with the kratom criteria applied.
KRATOM_PAGES = ("/latest", "/coexposures", "/indications", "/trends", "/signals")
PAGE_NAMES = {
    "/latest": "Latest quarter",
    "/coexposures": "Co-exposures",
    "/indications": "Indications",
    "/trends": "Trends",
    "/signals": "Signals",
}
CRITERIA_IGNORED = (
    "Not applied here: the link counts every FAERS case (population=all). Reset the filters "
    "to count kratom cases."
)
CRITERIA_IGNORED_COEXPOSURE = (
    "Not applied here: the link selects every FAERS case (population=all), and its co-exposure "
    "filter keeps kratom cases in any role. Reset the filters to apply these."
)


def is_all(f: Filters) -> bool:
    """Whether the filters select every FAERS case, not only kratom cases."""
    return f.population == "all"


def counts_kratom_cases_only(f: Filters) -> bool:
    """Whether a population=all link's co-exposure filter leaves only kratom cases (in any
    role) to the pages that count every selected case."""
    return coexposure_matches_kratom_only(f)


def cases_label(f: Filters) -> str:
    """What a count of the selected cases is: kratom cases, FAERS cases of every drug, or, for
    every case but a co-exposure filter, kratom cases in any role."""
    if counts_kratom_cases_only(f):
        return COEXPOSURE_CASES
    return ALL_CASES if is_all(f) else KRATOM_CASES


def criteria_note(f: Filters) -> str:
    """The filter panel's note over the kratom criteria a population=all page ignores."""
    return CRITERIA_IGNORED_COEXPOSURE if counts_kratom_cases_only(f) else CRITERIA_IGNORED


def kratom_criteria_apply(f: Filters, path: str) -> bool:
    """Whether kratom's role, other substances and product filter the page at `path`."""
    return not is_all(f) or path in KRATOM_PAGES


def shows_kratom_cases(f: Filters, path: object) -> bool:
    """Whether the page at `path` shows kratom cases although the link selects every case: a
    population=all link on a page of KRATOM_PAGES. Its extract then holds those kratom cases."""
    return is_all(f) and path in KRATOM_PAGES


def extract_note(path: str) -> str:
    """Why an extract from the page at `path` (one of KRATOM_PAGES) leaves out population=all."""
    if path == "/signals":
        return (
            "the Signals page compares kratom cases with every other FAERS case, so this file "
            "holds the kratom cases its table counts; for every FAERS case: download from "
            "Overview, Event types or Cases"
        )
    return (
        f"the {PAGE_NAMES[path]} page shows kratom cases only, so this file holds the kratom "
        "cases it shows, under every other filter of the link (kratom's role, other substances "
        "and product included); for every FAERS case: download from Overview, Event types or "
        "Cases"
    )


def kratom_page_note(f: Filters, what: str) -> dbc.Alert | None:
    """For a page in KRATOM_PAGES: a note that a population=all link still shows kratom cases
    here (`what` says which and why); None for a link of kratom cases."""
    if not is_all(f):
        return None
    import dash_bootstrap_components as dbc  # here, not on top: see the module's docstring
    from dash import html

    return dbc.Alert(
        [
            html.Strong("Kratom cases only. "),
            f"The link selects every FAERS case (population=all), but {what} Every figure "
            "below is about kratom cases, not all drugs.",
        ],
        color="info",
        className="py-2 small",
    )
