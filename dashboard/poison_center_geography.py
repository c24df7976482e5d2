"""The Poison centers page's geography (`geo`): selector options, the geography a link shows, and
the link a choice writes. The published figures' geography is not a case filter."""

from __future__ import annotations

import polars as pl

from dashboard.db import Database
from dashboard.filter_query import ignored
from dashboard.filters import Filters
from dashboard.link_writers import search_of
from dashboard.queries import poison_centers as q

US_STATES = dict(
    pair.split("=")
    for pair in (
        "AL=Alabama AK=Alaska AZ=Arizona AR=Arkansas CA=California CO=Colorado "
        "CT=Connecticut DE=Delaware DC=District_of_Columbia FL=Florida GA=Georgia HI=Hawaii "
        "ID=Idaho IL=Illinois IN=Indiana IA=Iowa KS=Kansas KY=Kentucky LA=Louisiana ME=Maine "
        "MD=Maryland MA=Massachusetts MI=Michigan MN=Minnesota MS=Mississippi MO=Missouri "
        "MT=Montana NE=Nebraska NV=Nevada NH=New_Hampshire NJ=New_Jersey NM=New_Mexico "
        "NY=New_York NC=North_Carolina ND=North_Dakota OH=Ohio OK=Oklahoma OR=Oregon "
        "PA=Pennsylvania RI=Rhode_Island SC=South_Carolina SD=South_Dakota TN=Tennessee "
        "TX=Texas UT=Utah VT=Vermont VA=Virginia WA=Washington WV=West_Virginia WI=Wisconsin "
        "WY=Wyoming PR=Puerto_Rico"
    )
    .replace("_", " ")
    .split(" ")
    if "=" in pair
)
_KIND_WORDS = {"state": "State or province", "region": "Region", "county": "County"}


def geography_options(geos: pl.DataFrame) -> list[dict]:
    """Selector options: every geography, then US national, each state, regions, counties."""
    options = [{"label": "All geographies", "value": q.ALL_GEOGRAPHIES}]
    for kind, name in geos.select("geography_type", "geography").rows():
        if kind == "country":
            label = f"{name} national"
        else:
            label = f"{_KIND_WORDS[kind]}: {US_STATES.get(name, name)}"
        options.append({"label": label, "value": f"{kind}:{name}"})
    return options


def chosen_geography(db: Database, f: Filters) -> tuple[str, str | None]:
    """The geography the page shows for a link's filters, and a note when the link's was ignored
    (well-formed, but no published figure is of that geography)."""
    if f.geography == q.ALL_GEOGRAPHIES or q.has_geography(db, f.geography):
        return f.geography, None
    why = "no published figures for that geography; showing all geographies"
    return q.ALL_GEOGRAPHIES, ignored("geo", f.geography, why)


def search_with_geography(db: Database, search: str | None, geography: object) -> str | None:
    """The URL search with `geo` set to `geography` ("" when nothing is left); None when the page
    already shows that geography for this search, or it is not one a link can hold (a
    hand-made request)."""
    f, _ = Filters.from_query(search if isinstance(search, str) else "")
    if not isinstance(geography, str) or geography == chosen_geography(db, f)[0]:
        return None
    try:
        return search_of(f.with_changes(geography=geography))
    except ValueError:  # not `all` or `<type>:<name>`, or the link would be too long
        return None
