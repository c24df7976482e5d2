"""The Latest quarter page as a digest for a mail after each refresh (`kratom-etl latest`).

`make_digest` reads what the page shows for a link (its filters exactly as the dashboard reads
them) and one quarter, through the page's own functions (`latest_numbers.read_quarter`,
`latest_view`), into one JSON-ready document; `digest_text` writes it as plain text, first line:
the quarter, the data vintage and, for the demo's data, SYNTHETIC DEMO DATA. The document's keys
are stable and documented in docs/scheduling.md ("Mail the news after a refresh").

The quarter is `quarter` (the command's --quarter), else the link's `q`, else the newest
quarterly file loaded. Unlike the page, which shows the newest file with a note, a quarter that
is not like 2026Q2 or whose file is not loaded is refused (`DigestError`): a script asked for it.
No Dash here (`dashboard/latest_numbers.py`).
"""

from __future__ import annotations

import textwrap
from typing import Any
from urllib.parse import parse_qsl, urlencode

from dashboard.db import Database
from dashboard.extracts import split_link
from dashboard.filters import Filters
from dashboard.latest_numbers import QuarterNumbers, read_quarter
from dashboard.latest_view import (
    CARDS,
    MAX_LISTED,
    MIN_CASES,
    PRIOR,
    SCREEN_P,
    card_labels,
    card_texts,
    ignored_here,
    mean_text,
    p_text,
    prior_quarters,
)
from dashboard.queries import latest as q
from dashboard.queries import quarter_totals
from dashboard.runtime import built_at, vintage_words

PATH = "/latest"
SYNTHETIC = "SYNTHETIC DEMO DATA"
CAVEAT = (
    "Caveat: the event-group screen is a screen, not evidence of a rise or of causation: a flag "
    f"asks for a look at the cases, and about one group in twenty flags by chance (P < "
    f"{SCREEN_P}). FAERS reports do not establish causation: they are voluntary, incomplete and "
    "often name several substances."
)
ONLY_KRATOM = (
    "The link selects every FAERS case (population=all), but this digest, like the page, counts "
    "kratom cases only."
)


class DigestError(ValueError):
    """A quarter the digest cannot show. `kind`: 'usage' (not a quarter like 2026Q2) or 'input'
    (the database holds no quarterly file of it, or none at all); the message is one line."""

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        super().__init__(message)


def choose_quarter(db: Database, f: Filters, query: str, quarter: str | None) -> str:
    """The quarter to show: `quarter` (--quarter), else the link's `q` (`f`, read from `query`),
    else the newest quarterly file loaded; DigestError when it cannot be shown."""
    if quarter is not None:
        name, asked = f"--quarter {quarter!r}", quarter
        read = Filters.from_query(urlencode({"q": quarter}))[0].latest_quarter
    else:
        given = [v for k, v in parse_qsl(query, keep_blank_values=True) if k == "q"]
        asked, read = (given[-1] if given else None), f.latest_quarter
        name = f"the query's q={asked!r}"
    if asked is not None and read is None:
        raise DigestError("usage", f"{name}: not a quarter like 2026Q2")
    loaded = q.loaded_quarters(db)
    if not loaded:
        raise DigestError("input", f"{db.path}: no quarterly file is loaded")
    if read is not None and read not in loaded:
        raise DigestError(
            "input",
            f"{name}: {db.path} holds no quarterly file of {read} "
            f"(its files: {loaded[-1]}–{loaded[0]})",
        )
    return read or loaded[0]


def make_digest(
    db: Database, link: str, *, quarter: str | None = None, base_url: str | None = None
) -> dict[str, Any]:
    """The digest of `link` (a dashboard link or its URL query) for one quarter, JSON-ready.

    Raises extracts.BadLink for text that is no link, DigestError for the quarter."""
    _path, query = split_link(link)
    f, notes = Filters.from_query(query)
    shown = choose_quarter(db, f, query, quarter)
    loaded = q.loaded_quarters(db)
    f = f.with_changes(latest_quarter=shown)
    n = read_quarter(db, f, shown, loaded, serious=False)
    synthetic = quarter_totals.is_synthetic(db)
    vintage = vintage_words(db)
    built = built_at(db)
    relative = f"{PATH}?{f.to_query()}"
    title = f"Kratom harms watch: latest quarter {shown} (data: {vintage})"
    return {
        "title": f"{SYNTHETIC}: {title}" if synthetic else title,
        "quarter": shown,
        "is_synthetic": synthetic,
        "data_vintage": {
            "description": vintage,
            "built_at": built.strftime("%Y-%m-%dT%H:%M:%SZ") if built else None,
            "quarters_loaded": sorted(loaded),
        },
        "filters": {
            "query": f.selection().to_query(),
            # what the page counts: kratom cases, any date, by the quarter first received
            "description": q.page_filters(f).selection().describe(),
            "ignored_parameters": notes,
            "not_applied": ignored_here(f),
            "kratom_only_note": ONLY_KRATOM if f.population == "all" else None,
        },
        "headline": _headline(n, loaded),
        "screen": _screen(n, loaded),
        "first_time": {
            "pts": [{"term": t, "n": k} for t, k in n.pts.iter_rows()],
            "substances": [{"term": t, "n": k} for t, k in n.substances.iter_rows()],
        },
        "serious_cases": n.headline["n_serious"],
        "link": base_url.rstrip("/") + relative if base_url else relative,
        "link_is_relative": not base_url,
        "caveat": CAVEAT,
    }


def _headline(n: QuarterNumbers, loaded: tuple[str, ...]) -> dict[str, Any]:
    h, c, prior = n.headline, n.comparison, prior_quarters(n.quarter)
    return {
        "n_new": h["n_new"],
        "year_before_quarter": prior[0],
        "n_year_before": c.year_before,
        "prior_quarters": prior,
        "prior_files_loaded": c.n_prior_loaded,
        "prior_mean": c.prior_mean,
        "n_updated": h["n_updated"],
        "n_serious": h["n_serious"],
        "n_deaths": h["n_deaths"],
        "n_7oh": h["n_7oh"],
        # the page's cards as it writes them, in its order
        "cards": [
            {"label": card_labels(n.quarter, loaded)[k], "text": card_texts(n.cards())[k]}
            for k in CARDS
        ],
    }


def _screen(n: QuarterNumbers, loaded: tuple[str, ...]) -> dict[str, Any]:
    keys = ("event_group", "label", "n", "prior_mean", "year_before", "p")
    return {
        "p_below": SCREEN_P,
        "min_cases": MIN_CASES,
        "prior_quarters": PRIOR,
        "available": n.comparison.n_prior_loaded > 0,
        "flagged": [{k: r[k] for k in keys} for r in n.flagged()],
    }


def digest_text(doc: dict[str, Any]) -> str:
    """The digest as plain text for a mail: the title line, then one block per part."""
    quarter, h, fl = doc["quarter"], doc["headline"], doc["filters"]
    lines = [doc["title"], ""]
    lines.append(f"Filters: {fl['description']}")
    lines += [f"Note: {note}" for note in (fl["not_applied"], fl["kratom_only_note"]) if note]
    lines += ["", "Headline (kratom cases by the quarter FDA first received them):"]
    lines += [f"  {card['label']}: {card['text']}" for card in h["cards"]]
    screen = doc["screen"]
    lines += ["", f"Event groups above their recent level (P(X ≥ cases) < {SCREEN_P}, X ~ "]
    lines[-1] += f"Poisson(mean of the {PRIOR} quarters before), at least {MIN_CASES} cases):"
    if not screen["available"]:
        span = f"{h['prior_quarters'][0]}–{h['prior_quarters'][-1]}"
        lines.append(f"  n/a: no quarterly file of {span} is loaded to compare with")
    for r in screen["flagged"]:
        p = p_text(r["p"])
        p = f"P {p}" if p.startswith("<") else f"P = {p}"
        cases = f"{r['n']:,} case{'s' if r['n'] != 1 else ''}"
        lines.append(f"  {r['label']}: {cases}, prior mean {mean_text(r['prior_mean'])}, {p}")
    if screen["available"] and not screen["flagged"]:
        lines.append("  none")
    lines += ["", "Reported with kratom for the first time:"]
    first = doc["first_time"]
    lines.append(f"  Preferred terms: {_listed(first['pts'])}")
    lines.append(f"  Co-reported substances: {_listed(first['substances'])}")
    where = doc["link"] + (
        " (relative to the dashboard's address)" if doc["link_is_relative"] else ""
    )
    lines += ["", f"Serious cases first received in {quarter}: {doc['serious_cases']:,}"]
    lines += [f"On the dashboard: {where}", "", textwrap.fill(doc["caveat"], 78)]
    return "\n".join(lines) + "\n"


def _listed(terms: list[dict]) -> str:
    """'Death (1), Somnolence (1)' (at most MAX_LISTED, as the page), or 'none'."""
    if not terms:
        return "none"
    text = ", ".join(f"{t['term']} ({t['n']:,})" for t in terms[:MAX_LISTED])
    more = len(terms) - MAX_LISTED
    return text + (f", … and {more:,} more" if more > 0 else "")
