"""Questions behind the poison-center page: published figures, as published, and FAERS by year.

`model.poison_center_figures` holds one published figure per row (docs/poison-centers.md).
Nothing here computes a count or a share: rows are selected, never combined across sources.
The table is small and changes only with the file: it is read once per file with flags for the
series each row belongs to (`Database.cached`), and `page_rows` cuts a selection from it and
splits it into the page's series, breakdowns and table; the single-purpose functions use it too.

Two filters apply to the published rows (in polars, on the cached table):
- the date range of `Filters` (quarters): a row is kept when its period overlaps it;
- the page's geography (`Filters.geography`, URL key `geo`): `"all"`, or
  `"<geography_type>:<geography>"` such as `"country:US"`, `"state:TX"` or
  `"region:Georgia and Alabama"`. A value that does not parse means "all"; one that parses but
  names no geography of the table selects nothing (the page checks with `has_geography` first).
"""

from __future__ import annotations

import polars as pl

from dashboard.db import Database
from dashboard.filter_codes import ALL_GEOGRAPHIES as ALL_GEOGRAPHIES  # defined with the URL key
from dashboard.filter_codes import GEOGRAPHY_TYPES
from dashboard.filters import Filters
from dashboard.queries import date_column, tables, where

TABLE = "model.poison_center_figures"
# Every column of the model table, in the loader's order: the download and the page's table.
_COLUMN_TEXT = (
    "source_id citation url publisher geography_type geography period_start period_end unit"
    " population measure category qualifier count percent denominator statistic estimate"
    " ci_lower ci_upper row_id sums_to method_note verification source_file line_number"
)
COLUMNS = tuple(_COLUMN_TEXT.split(" "))
ORDER = "source_id, geography, unit, population, measure, period_start, period_end, category"

# Breakdown charts: name -> the measures they draw (an allow-list; values travel as parameters).
BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "clinical_effects": ("by_clinical_effect",),
    "outcomes": ("by_medical_outcome", "by_level_of_care"),
    "coexposures": ("by_co_exposure", "single_vs_multiple_substance"),
}
# Counts of everything a poison-centre source counted (population 'all': kratom calls,
# exposures or cases), per year or over a period. Totals of other populations (all substances,
# natural psychoactive substances) are context only: they are in the table and the download.
_CONTACT_SERIES = (
    "p.unit IN ('calls', 'exposures', 'cases') AND p.measure IN ('total', 'by_year') "
    "AND p.population = 'all' AND p.count IS NOT NULL AND p.statistic IS NULL"
)
# Deaths with kratom: a source's own total of deaths (poison-centre fatal outcomes), unless it
# is the base that another of its rows is a share of (all decedents examined), and the
# kratom- or mitragynine-positive deaths of death-record sources.
_DEATH_SERIES = (
    "p.unit = 'deaths' AND p.count IS NOT NULL AND p.statistic IS NULL AND ("
    "(p.measure IN ('total', 'by_year') AND p.population = 'all' AND NOT EXISTS ("
    f"SELECT 1 FROM {TABLE} d WHERE d.source_id = p.source_id AND d.denominator = p.count "
    "AND d.unit = p.unit)) "
    "OR (p.measure IN ('by_toxicology', 'by_substance') "
    "AND (p.category ILIKE '%kratom%' OR p.category ILIKE '%mitragynine%')))"
)
_SERIES_COLUMNS = (
    "p.source_id, p.citation, p.url, p.publisher, p.geography_type, p.geography, "
    "p.period_start, p.period_end, p.unit, p.population, p.measure, p.category, p.qualifier, "
    "p.count, p.percent, p.denominator, p.method_note, p.verification, "
    "(month(p.period_start) = 1 AND day(p.period_start) = 1 AND month(p.period_end) = 12 "
    "AND day(p.period_end) = 31 AND year(p.period_start) = year(p.period_end)) AS is_calendar_year"
)
SERIES_NAMES = [c.strip().split(".")[-1].split()[-1] for c in _SERIES_COLUMNS.split(", ")]
# polars sorts of the split selection (nulls last, as DuckDB's ORDER BY)
_SERIES_ORDER = ["source_id", "geography", "unit", "period_start", "period_end"]
_BREAKDOWN_ORDER = ["source_id", "unit", "population", "line_number"]


def parse_geography(value: str | None) -> tuple[str, str] | None:
    """('state', 'TX') from 'state:TX'; None (every geography) for 'all' or anything unknown."""
    kind, sep, name = (value if isinstance(value, str) else "").partition(":")
    if not sep or kind not in GEOGRAPHY_TYPES or not name:
        return None
    return kind, name


def has_figures(db: Database) -> bool:
    """Whether the database holds the published figures table."""
    return db.has_table(TABLE)


def geographies(db: Database) -> pl.DataFrame:
    """Every geography with figures: type, name and the selector value, countries first.

    Read once per file.
    """
    return db.cached("poison_center_geographies", lambda: _geographies(db))


def has_geography(db: Database, value: str) -> bool:
    """Whether `value` ("state:TX") names a geography with figures in the table."""
    geo = parse_geography(value)
    return geo is not None and geo in set(geographies(db).rows())


def _geographies(db: Database) -> pl.DataFrame:
    if not has_figures(db):
        return pl.DataFrame(schema={"geography_type": pl.String, "geography": pl.String})
    rank = " ".join(f"WHEN '{t}' THEN {i}" for i, t in enumerate(GEOGRAPHY_TYPES))
    return db.query(
        f"SELECT DISTINCT geography_type, geography, CASE geography_type {rank} END AS r "
        f"FROM {TABLE} ORDER BY r, geography"
    ).drop("r")


def _selected(f: Filters, geography: str | None) -> pl.Expr:
    """The rows whose period overlaps the dates and whose geography matches (as a polars test)."""
    keep = pl.lit(True)
    start, end = f.quarter_bounds()
    if start is not None:
        keep &= pl.col("period_end") >= start
    if end is not None:
        keep &= pl.col("period_start") < end
    geo = parse_geography(geography)
    if geo is not None:
        keep &= (pl.col("geography_type") == geo[0]) & (pl.col("geography") == geo[1])
    return keep


def _every_row(db: Database) -> pl.DataFrame:
    """The whole table (it holds a few hundred published figures), in ORDER, with the flags
    of the series each row belongs to; read once per file."""
    cols = ", ".join(f"p.{c}" for c in COLUMNS)
    calendar_year = _SERIES_COLUMNS.rsplit(", ", 1)[1]
    return db.cached(
        "poison_center_rows",
        lambda: db.query(
            f"SELECT {cols}, {calendar_year}, ({_CONTACT_SERIES}) AS is_contact, "
            f"({_DEATH_SERIES}) AS is_death FROM {TABLE} p ORDER BY {ORDER}"
        ),
    )


def page_rows(db: Database, f: Filters, geography: str | None = None) -> dict[str, pl.DataFrame]:
    """Everything the page shows of the published figures, cut from the cached table.

    Keys: "figures" (every row, all COLUMNS, in ORDER: the table and the download), "contacts"
    and "deaths" (the series), and one per BREAKDOWNS name.
    """
    if not has_figures(db):
        empty = _empty_series()
        table = pl.DataFrame(schema=dict.fromkeys(COLUMNS, pl.String))
        return {"figures": table, "contacts": empty, "deaths": empty} | dict.fromkeys(
            BREAKDOWNS, empty
        )
    rows = _every_row(db).filter(_selected(f, geography))
    out = {"figures": rows.select(COLUMNS)}
    for name, flag in (("contacts", "is_contact"), ("deaths", "is_death")):
        part = rows.filter(pl.col(flag)).sort(_SERIES_ORDER, nulls_last=True, maintain_order=True)
        out[name] = part.select(SERIES_NAMES)
    published = pl.col("count").is_not_null() | pl.col("percent").is_not_null()
    for name, measures in BREAKDOWNS.items():
        part = rows.filter(pl.col("measure").is_in(measures) & published)
        part = part.sort(_BREAKDOWN_ORDER, nulls_last=True, maintain_order=True)
        out[name] = part.select(SERIES_NAMES)
    return out


def figures(db: Database, f: Filters, geography: str | None = None) -> pl.DataFrame:
    """Every published row for the dates and geography, all columns (citation and url too)."""
    return page_rows(db, f, geography)["figures"]


def figures_csv(db: Database, f: Filters, geography: str | None = None) -> str:
    """The rows of `figures` as CSV text (dates ISO, empty cells for missing values)."""
    return figures(db, f, geography).write_csv()


def contact_series(db: Database, f: Filters, geography: str | None = None) -> pl.DataFrame:
    """Poison-centre calls, exposures or cases about kratom: per year, or totals over a period.

    `is_calendar_year` tells one year's figure from a total over several years or a part-year.
    """
    return page_rows(db, f, geography)["contacts"]


def death_series(db: Database, f: Filters, geography: str | None = None) -> pl.DataFrame:
    """Published counts of deaths with kratom (fatal poison-centre exposures, death records)."""
    return page_rows(db, f, geography)["deaths"]


def breakdown(db: Database, f: Filters, geography: str | None, name: str) -> pl.DataFrame:
    """Published shares or counts of one breakdown chart (see BREAKDOWNS), exactly as published.

    Rows with neither a count nor a percent (odds ratios) are left out: they are in the table.
    """
    if name not in BREAKDOWNS:
        raise KeyError(name)
    return page_rows(db, f, geography)[name]


def faers_cases_by_year(db: Database, f: Filters) -> pl.DataFrame:
    """FAERS cases per calendar year of the chosen date, with serious cases and deaths."""
    t = tables(db, f)
    w, params = where(f, "c", t)
    year = f"year({date_column(f)})"
    return db.query(
        f"SELECT {year} AS year, count(*) AS n_cases, "
        "count(*) FILTER (WHERE c.is_serious) AS n_serious, "
        "count(*) FILTER (WHERE c.has_death) AS n_deaths "
        f"FROM {t.cases} c WHERE {w} AND {year} IS NOT NULL GROUP BY 1 ORDER BY 1",
        params,
    )


def _empty_series() -> pl.DataFrame:
    types = {"period_start": pl.Date, "period_end": pl.Date, "count": pl.Int64}
    types |= {"percent": pl.Float64, "denominator": pl.Int64, "is_calendar_year": pl.Boolean}
    return pl.DataFrame(schema={n: types.get(n, pl.String) for n in SERIES_NAMES})
