"""Filters in plain English: the one sentence every page and extract shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dashboard.filters import Filters

ROLE_WORDS = {
    "any": "kratom in any role",
    "suspect": "kratom as a suspect",
    "primary": "kratom as the primary suspect",
}
SOURCE_WORDS = {
    "faers-quarterly": "FAERS quarterly files",
    "openfda-faers": "openFDA FAERS",
    "openfda-caers": "openFDA CAERS",
}
SEX_WORDS = {"F": "female", "M": "male", "U": "sex unknown"}
REPORTER_WORDS = {
    "physician": "a physician",
    "pharmacist": "a pharmacist",
    "other_health_professional": "another health professional",
    "consumer": "a consumer",
    "lawyer": "a lawyer",
    "unknown": "an unknown reporter",
}


_SLASHED = {
    "leaf_powder": "leaf/powder",
    "concentrate_7oh": "7-OH concentrate",
    "overdose_toxicity": "overdose/toxicity",
    "dependence_withdrawal": "dependence/withdrawal",
    "psychiatric_mood": "psychiatric/mood",
    "cognitive_neurological": "cognitive/neurological",
}


def _words(code: str) -> str:
    return _SLASHED.get(code, code.replace("_", " "))


def _either(items: list[str] | tuple[str, ...], word: str = "or") -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def _quoted(items: tuple[str, ...]) -> str:
    return _either([f"'{item}'" for item in items])


def _describe_dates(f: Filters) -> str:
    verb = "received" if f.date_field == "received" else "with the event"
    if f.date_from and f.date_to:
        return f" {verb} {f.date_from}–{f.date_to}"
    if f.date_from:
        return f" {verb} {f.date_from} or later"
    if f.date_to:
        return f" {verb} {f.date_to} or earlier"
    return ", all dates"


def _clauses(f: Filters) -> list[str]:
    """The sentence's comma-separated parts after the head and dates."""
    out = []
    if f.population == "kratom" and f.kratom_only is not None:
        out.append("no substance but kratom" if f.kratom_only else "with other substances too")
    if f.population == "kratom" and f.product_types:
        out.append("product " + _either([_words(p) for p in f.product_types]))
    if f.serious_only:
        out.append("serious only")
    if f.duplicates == "hide":
        out.append("probable duplicates set aside")
    if f.outcomes:
        out.append("outcome " + _either([_words(o) for o in f.outcomes]))
    if f.sexes:
        out.append(_either([SEX_WORDS[s] for s in f.sexes]))
    if f.age_bands:
        out.append("age band " + _either(f.age_bands))
    if f.reporter_types:
        out.append("reported by " + _either([REPORTER_WORDS[r] for r in f.reporter_types]))
    if f.countries:
        out.append("country " + _either(f.countries))
    if f.event_groups:
        out.append("event group " + _either([_words(g) for g in f.event_groups]))
    if f.pts:
        out.append("preferred term " + _quoted(f.pts))
    if f.substances:
        out.append("co-reported with " + _quoted(f.substances))
    if f.substance_classes:
        out.append("with a co-exposure to " + _either([_words(c) for c in f.substance_classes]))
    return out


# Said when a link of every case (population=all) filters on co-exposures: model.case_substances
# holds the drugs of kratom cases only, so the EXISTS of `to_sql` matches kratom cases only.
KRATOM_ONLY_MATCH = (
    "only kratom cases can match a co-exposure filter (co-exposures are recorded for kratom "
    "cases only)"
)


def coexposure_matches_kratom_only(f: Filters) -> bool:
    """Whether the filters select every case but also a co-exposure, which kratom cases alone
    can have: the selection is then of kratom cases, whatever the population says."""
    return f.population == "all" and bool(f.substances or f.substance_classes)


def describe(f: Filters) -> str:
    head = "All cases (kratom or not)"
    if f.population == "kratom":
        head = f"Kratom cases ({ROLE_WORDS[f.role]})"
    clauses = "".join(f", {clause}" for clause in _clauses(f))
    sources = _either([SOURCE_WORDS[s] for s in f.sources], "and")
    tail = f"; {KRATOM_ONLY_MATCH}" if coexposure_matches_kratom_only(f) else ""
    return f"{head}{_describe_dates(f)}{clauses}, from {sources}{tail}."
