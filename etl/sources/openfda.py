"""Kratom reports from openFDA: drug/event (FAERS as openFDA serves it) and food/event (CAERS).

Fetch: one search on the product-name fields, paged with `search_after` by following the
`Link: <...>; rel="Next"` header, under openFDA's rate limits. Map: reports, drugs and reactions
frames of text values (openfda_rows). Write: appended to raw.openfda_reports / _drugs / _reactions.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote_plus, urlencode, urljoin

import duckdb
import polars as pl
import requests

from etl.config import Settings
from etl.db import run_sql_file
from etl.errors import InputError
from etl.http import RateLimiter, Sleep, get_with_retries, make_session, redact_url
from etl.sources.openfda_rows import drug_event_rows, food_event_rows

log = logging.getLogger(__name__)

MAX_LIMIT = 1000
MAX_PER_MINUTE = 239  # openFDA allows 240 a minute: stay under it
DAILY_BUDGET_NO_KEY = 1_000
DAILY_BUDGET_WITH_KEY = 120_000
TERM = re.compile(r"^[A-Za-z0-9*?][A-Za-z0-9*?.'-]*$")
DATE = re.compile(r"^\d{8}$")


@dataclass(frozen=True)
class Endpoint:
    path: str
    fields: tuple[str, ...]  # product-name fields searched for the terms
    date_field: str  # the field `received_since` filters on


ENDPOINTS = {
    "openfda-faers": Endpoint(
        "drug/event",
        ("patient.drug.medicinalproduct", "patient.drug.activesubstance.activesubstancename"),
        "receivedate",
    ),
    "openfda-caers": Endpoint("food/event", ("products.name_brand",), "date_created"),
}


class OpenFdaError(RuntimeError):
    """openFDA answered something this module cannot use; the message names the URL."""


def search_term(term: str) -> str:
    """One term in openFDA syntax: a word or wildcard as it is, several words as a phrase."""
    words = term.strip().split()
    if words and all(TERM.match(w) for w in words) and (len(words) == 1 or "*" not in term):
        return words[0] if len(words) == 1 else '"' + " ".join(words) + '"'
    raise InputError("openFDA search terms", f"cannot search for {term!r}", field="term")


def build_search(
    fields: tuple[str, ...], terms: list[str], received_since: str | None, date_field: str
) -> str:
    """The `search` value, before URL encoding: (f1:(t1 t2) f2:(t1 t2)) AND date:[since TO ...]."""
    if not terms:
        raise InputError("openFDA search terms", "no terms given", field="term")
    words = " ".join(search_term(t) for t in terms)
    either = " ".join(f"{f}:({words})" for f in fields)
    search = f"({either})" if len(fields) > 1 else either
    if received_since is not None:
        if not DATE.match(received_since):
            raise InputError("received_since", f"not a date like 20240131: {received_since!r}")
        search += f" AND {date_field}:[{received_since} TO 29991231]"
    return search


def search_url(
    base_url: str, endpoint: Endpoint, search: str, *, limit: int, api_key: str | None
) -> str:
    """The first page's URL; spaces become '+', field syntax (`:()*`) stays readable."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError("limit", f"openFDA pages hold 1 to {MAX_LIMIT} results, not {limit}")
    params = [("search", search), ("limit", str(limit))]
    if api_key:
        params.append(("api_key", api_key))
    query = urlencode(params, quote_via=quote_plus, safe=":()*")
    return f"{base_url.rstrip('/')}/{endpoint.path}.json?{query}"


class OpenFdaClient:
    """Pages through openFDA searches under a rate limiter and a daily request budget."""

    def __init__(
        self,
        api_key: str | None = None,
        *,
        session: requests.Session | None = None,
        limiter: RateLimiter | None = None,
        daily_budget: int | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        if daily_budget is None:
            daily_budget = DAILY_BUDGET_WITH_KEY if api_key else DAILY_BUDGET_NO_KEY
        self.api_key = api_key
        self.session = session or make_session()
        self.limiter = limiter or RateLimiter(
            max_per_minute=MAX_PER_MINUTE, daily_budget=daily_budget, sleep=sleep
        )
        self.sleep = sleep

    def fetch_all(self, url: str) -> list[dict]:
        """Every result of the search at `url`, following Link rel="Next" until none is left."""
        results: list[dict] = []
        next_url: str | None = url
        while next_url is not None:
            page, following = self.fetch_page(next_url)
            results.extend(page)
            if following == next_url:
                raise OpenFdaError(f"{redact_url(next_url)}: the next page links to itself")
            next_url = following
        return results

    def fetch_page(self, url: str) -> tuple[list[dict], str | None]:
        """(results, next page's URL or None); a 404 "No matches found!" is an empty last page."""
        for attempt in (1, 2):
            response = get_with_retries(
                self.session, url, sleep=self.sleep, before_attempt=self.limiter.acquire
            )
            if response.status_code == 404 and _error_code(response) == "NOT_FOUND":
                return [], None
            if response.status_code != 200:
                detail = _error_message(response)
                raise OpenFdaError(f"{redact_url(url)}: HTTP {response.status_code}: {detail}")
            try:
                results = json.loads(response.content)["results"]
                if not isinstance(results, list):
                    raise TypeError("'results' is not a list")
            except (ValueError, KeyError, TypeError) as exc:
                if attempt == 1:
                    log.warning("%s: unusable JSON (%s); trying once more", redact_url(url), exc)
                    continue
                raise OpenFdaError(
                    f"{redact_url(url)}: the response is not complete openFDA JSON "
                    f"after 2 tries ({type(exc).__name__}: {exc})"
                ) from None
            return results, self._next_url(response, url)
        raise AssertionError("unreachable")  # pragma: no cover

    def _next_url(self, response: requests.Response, url: str) -> str | None:
        for link in response.links.values():
            if link.get("rel", "").lower() == "next" and link.get("url"):
                following = urljoin(url, link["url"])
                if self.api_key and not re.search(r"[?&]api_key=", following):
                    joiner = "&" if "?" in following else "?"
                    following += joiner + urlencode({"api_key": self.api_key})
                return following
        return None


def _error_json(response: requests.Response) -> dict:
    try:
        error = json.loads(response.content).get("error")
    except (ValueError, AttributeError):
        return {}
    return error if isinstance(error, dict) else {}


def _error_code(response: requests.Response) -> str | None:
    return _error_json(response).get("code")


def _error_message(response: requests.Response) -> str:
    error = _error_json(response)
    if error:
        return f"{error.get('code')}: {error.get('message')}"
    return response.text[:200].replace("\n", " ")


def fetch_kratom_reports(
    settings: Settings,
    source: str,
    terms: list[str],
    *,
    received_since: str | None = None,
    limit: int = MAX_LIMIT,
    client: OpenFdaClient | None = None,
) -> list[dict]:
    """Every report of `source` ('openfda-faers' or 'openfda-caers') naming one of `terms`."""
    endpoint = ENDPOINTS[source]
    client = client or OpenFdaClient(settings.openfda_api_key)
    search = build_search(endpoint.fields, terms, received_since, endpoint.date_field)
    url = search_url(settings.openfda_url, endpoint, search, limit=limit, api_key=client.api_key)
    results = client.fetch_all(url)
    log.info("openFDA %s: %d reports", endpoint.path, len(results))
    return results


def refresh_openfda(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    terms: list[str],
    *,
    received_since: str | None = None,
    client: OpenFdaClient | None = None,
) -> dict[str, int]:
    """Fetch both endpoints, map and append to raw.openfda_*; returns reports written by source."""
    client = client or OpenFdaClient(settings.openfda_api_key)
    written = {}
    for source, to_rows in (("openfda-faers", drug_event_rows), ("openfda-caers", food_event_rows)):
        results = fetch_kratom_reports(
            settings, source, terms, received_since=received_since, client=client
        )
        written[source] = write_raw(con, to_rows(results), source)["reports"]
    return written


RAW_TABLES = ("reports", "drugs", "reactions")


def write_raw(
    con: duckdb.DuckDBPyConnection,
    frames: dict[str, pl.DataFrame],
    source: str,
    *,
    fetched_at: datetime | None = None,
) -> dict[str, int]:
    """Append the frames to raw.openfda_* with `source` and `fetched_at`; returns rows per table."""
    if source not in ENDPOINTS:
        raise ValueError(f"unknown openFDA source {source!r}; expected one of {sorted(ENDPOINTS)}")
    fetched_at = fetched_at or datetime.now(UTC).replace(tzinfo=None)
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    written = {}
    for table in RAW_TABLES:
        run_sql_file(con, f"raw/openfda_{table}.sql")
        con.register("openfda_frame", frames[table].to_arrow())
        try:
            con.execute(
                f"INSERT INTO raw.openfda_{table} BY NAME "
                "SELECT ?::VARCHAR AS source, ?::TIMESTAMP AS fetched_at, * FROM openfda_frame",
                [source, fetched_at],
            )
        finally:
            con.unregister("openfda_frame")
        written[table] = frames[table].height
    return written
