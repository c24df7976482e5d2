"""What each reference CSV in etl/reference/ must look like: columns, keys, categories, checks."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import duckdb

PRODUCT_TYPES = frozenset(
    {"concentrate_7oh", "mixed_product", "extract", "leaf_powder", "unspecified"}
)
SUBSTANCE_CLASSES = frozenset(
    {
        "kratom",
        "opioids",
        "opioid_antagonists",
        "benzodiazepines",
        "stimulants",
        "alcohol",
        "antidepressants",
        "antipsychotics",
        "gabapentinoids",
        "cannabinoids",
        "other_botanicals",
        "other",
    }
)
INDICATION_GROUPS = frozenset(
    {
        "pain",
        "neuropathic_pain",
        "opioid_withdrawal",
        "opioid_use_disorder",
        "drug_withdrawal",
        "drug_dependence",
        "anxiety",
        "depression",
        "mood",
        "energy_fatigue",
        "sleep",
        "recreational",
        "unknown",
        "other",
    }
)
TIMELINE_KINDS = frozenset({"regulatory", "enforcement", "publication", "data-format", "outbreak"})
TIMELINE_STATUSES = frozenset({"V", "V-3p"})
NOISE_KINDS = frozenset({"form", "salt", "mineral", "unit", "filler", "pattern"})

# Letters a regex must name together: the same glyph under two code points that upper-casing
# keeps apart (the Ohm sign U+2126 is not the Greek capital omega U+03A9), so a brand written
# with one would miss a pattern written with the other (the 7-OH brand 7OHMZ with an omega).
LOOK_ALIKES = (
    ("\u03a9", "\u2126", "the Greek capital omega U+03A9"),
    ("\u2126", "\u03a9", "the Ohm sign U+2126"),
)

RowCheck = Callable[[dict[str, str]], "tuple[str, str] | None"]


@dataclass(frozen=True)
class Spec:
    """What one reference file must look like."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    key: tuple[str, ...] = ()
    fold_key_case: bool = False
    choices: dict[str, frozenset[str]] = field(default_factory=dict)
    choices_from: dict[str, tuple[str, str]] = field(default_factory=dict)
    regexes: tuple[str, ...] = ()
    integers: tuple[str, ...] = ()
    booleans: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    row_check: RowCheck | None = None


def _check_example(row: dict[str, str]) -> tuple[str, str] | None:
    if (row["is_kratom"] == "true") != bool(row["product_type"]):
        return "product_type", "must be set exactly when is_kratom is true"
    return None


def _check_openfda(row: dict[str, str]) -> tuple[str, str] | None:
    """openFDA search words: '|'-separated, lower case, each one openFDA can be asked for."""
    from etl.errors import InputError
    from etl.sources.openfda import search_term

    if not row["openfda_words"]:
        if not row["openfda_note"]:
            return "openfda_note", "must say why the term has no openFDA search word"
        return None
    for word in row["openfda_words"].split("|"):
        if word != word.strip() or word != word.lower():
            return "openfda_words", f"{word!r}: lower case, no spaces around the '|'"
        try:
            search_term(word)
        except InputError:
            return "openfda_words", f"{word!r} is not a word or phrase openFDA can be asked for"
    return None


def _check_timeline(row: dict[str, str]) -> tuple[str, str] | None:
    day, precision = row["event_date"], row["date_precision"]
    if (precision == "month" and not day.endswith("-01")) or (
        precision == "year" and not day.endswith("-01-01")
    ):
        return (
            "event_date",
            f"a {precision}-precision date must be the first day of the {precision}",
        )
    return None


def _check_country(row: dict[str, str]) -> tuple[str, str] | None:
    if row["name"] != row["name"].upper():
        return "name", "must be upper case, as FAERS writes it"
    if row["country_code"] and not re.fullmatch(r"[A-Z]{2}", row["country_code"]):
        return "country_code", "must be two capital letters or empty"
    return None


def _check_noise(row: dict[str, str]) -> tuple[str, str] | None:
    if row["kind"] == "pattern":
        error = regex_error(row["word"])
        return ("word", error) if error else None
    if not re.fullmatch(r"[A-Z0-9%./-]+", row["word"]):
        return "word", "must be one upper-case word (use kind=pattern for a regex)"
    return None


def _check_lower_substance(row: dict[str, str]) -> tuple[str, str] | None:
    name = row.get("substance_name") or ""
    if name != name.lower():
        return "substance_name", "must be lower case"
    return None


SPECS: dict[str, Spec] = {
    "kratom_terms": Spec(
        required=("pattern_id", "pattern", "product_type", "priority", "source"),
        optional=("openfda_words", "openfda_note"),
        key=("pattern_id",),
        choices={"product_type": PRODUCT_TYPES},
        regexes=("pattern",),
        integers=("priority",),
        row_check=_check_openfda,
    ),
    "kratom_term_examples": Spec(
        required=("text", "is_kratom", "note"),
        optional=("product_type",),
        key=("text",),
        choices={"product_type": PRODUCT_TYPES},
        booleans=("is_kratom",),
        row_check=_check_example,
    ),
    "event_group_list": Spec(
        required=("event_group", "label", "description", "display_order"),
        key=("event_group",),
        integers=("display_order",),
    ),
    "event_groups": Spec(
        required=("pt", "event_group"),
        optional=("note",),
        key=("pt",),
        fold_key_case=True,
        choices_from={"event_group": ("event_group_list", "event_group")},
    ),
    "substance_classes": Spec(
        required=("substance_name", "substance_class"),
        optional=("note",),
        key=("substance_name",),
        choices={"substance_class": SUBSTANCE_CLASSES},
        row_check=_check_lower_substance,
    ),
    "substance_synonyms": Spec(
        required=("pattern", "substance_name", "priority"),
        optional=("note",),
        key=("pattern",),
        choices_from={"substance_name": ("substance_classes", "substance_name")},
        regexes=("pattern",),
        integers=("priority",),
        row_check=_check_lower_substance,
    ),
    "substance_synonym_examples": Spec(
        required=("text",),
        optional=("substance_name", "note"),
        key=("text",),
        choices_from={"substance_name": ("substance_classes", "substance_name")},
    ),
    "drug_name_noise": Spec(
        required=("word", "kind"),
        optional=("note",),
        key=("word",),
        choices={"kind": NOISE_KINDS},
        row_check=_check_noise,
    ),
    "indication_groups": Spec(
        required=("indication_pt", "indication_group"),
        optional=("note",),
        key=("indication_pt",),
        fold_key_case=True,
        choices={"indication_group": INDICATION_GROUPS},
    ),
    "countries": Spec(
        required=("name",),
        optional=("country_code", "note"),
        key=("name",),
        row_check=_check_country,
    ),
    "timeline": Spec(
        required=("event_date", "date_precision", "label", "kind", "status", "source"),
        optional=("source_url",),
        key=("event_date", "label"),
        choices={
            "date_precision": frozenset({"day", "month", "year"}),
            "kind": TIMELINE_KINDS,
            "status": TIMELINE_STATUSES,
        },
        dates=("event_date",),
        row_check=_check_timeline,
    ),
}


def is_iso_date(text: str) -> bool:
    """True for a real calendar date written yyyy-mm-dd."""
    try:
        return dt.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def regex_error(pattern: str) -> str | None:
    """Why a pattern is unusable against upper-cased text in Python and DuckDB, or None."""
    try:
        re.compile(pattern, re.ASCII)
    except re.error as exc:
        return f"regex does not compile in Python: {exc}"
    try:
        _duckdb().execute("SELECT regexp_matches('', ?)", [pattern]).fetchone()
    except duckdb.Error as exc:
        return f"regex is not valid RE2 (DuckDB): {str(exc).splitlines()[0]}"
    if re.search(r"[a-z]", re.sub(r"\\.", "", pattern)):
        return "regex has lower-case letters but is matched against upper-cased text"
    for letter, look_alike, names in LOOK_ALIKES:
        if letter in pattern and look_alike not in pattern:
            return f"regex has {names} but not its look-alike: write both in a class"
    return None


@cache
def _duckdb() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()
