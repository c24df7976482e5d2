"""The codes of the extract tables' coded columns, each with the app's label for it.

The labels are the ones the pages show (`dashboard/code_labels.py`, the Cases table's role
words); the details say which FAERS field and codes each value comes from, as the SQL in
`etl/sql/staging/` and `etl/sql/model/` derives it. The dictionary's columns (`dictionary_cases.py`,
`dictionary_substances_events.py`) carry these tuples, so docs/data-dictionary.md, the About page
and every extract's dictionary list the same codes.
"""

from __future__ import annotations

from dashboard import filter_codes as fm
from dashboard.code_labels import ERA_LABELS, LABELS
from dashboard.dictionary_model import Code
from dashboard.queries.cases import ROLE_WORDS


def _labelled(field: str, codes: tuple[str, ...], details: dict[str, str]) -> tuple[Code, ...]:
    return tuple(Code(c, LABELS[field][c], details.get(c, "")) for c in codes)


ERAS = (
    *(Code(era, label) for era, label in ERA_LABELS.items()),
    Code("openfda", "openFDA", "read from the openFDA API, not from a quarterly file"),
)
SOURCES = _labelled(
    "sources",
    fm.SOURCES,
    {
        "faers-quarterly": "FDA's quarterly ASCII data files",
        "openfda-faers": "openFDA drug/event, reports received after the latest quarterly file",
        "openfda-caers": "openFDA food/event (CAERS: foods and dietary supplements)",
    },
)
PRECISIONS = (
    Code("day", "Day", "the full date was reported (yyyymmdd)"),
    Code(
        "month",
        "Month",
        "year and month only (yyyymm; from 2021Q3 also a date FDA padded to the 1st): "
        "event_date is the 1st of that month",
    ),
    Code(
        "year",
        "Year",
        "year only (yyyy; from 2021Q3 also a date FDA padded to 1 January): event_date is "
        "1 January of that year",
    ),
)
_BANDS = {
    "0-27d": ("0 to 27 days", "ICH E11 newborns"),
    "28d-23m": ("28 days to 23 months", "ICH E11 infants and toddlers"),
    "2-11": ("2 to 11 years", "ICH E11 children"),
    "12-17": ("12 to 17 years", "ICH E11 adolescents"),
    "18-64": ("18 to 64 years", ""),
    "65-74": ("65 to 74 years", ""),
    "75-84": ("75 to 84 years", ""),
    "85+": ("85 years or older", ""),
    "unknown": ("Not known", "no usable age, and FDA's age group (if any) spans several bands"),
}
AGE_BANDS = tuple(Code(band, *_BANDS[band]) for band in fm.AGE_BANDS)
SEXES = _labelled(
    "sexes",
    fm.SEXES,
    {"F": "FAERS sex F", "M": "FAERS sex M", "U": "UNK, NS, blank or any other code"},
)
REPORTER_TYPES = _labelled(
    "reporter_types",
    fm.REPORTER_TYPES,
    {
        "physician": "FAERS occp_cod MD",
        "pharmacist": "FAERS occp_cod PH",
        "other_health_professional": "FAERS occp_cod OT, HP or RN",
        "consumer": "FAERS occp_cod CN",
        "lawyer": "FAERS occp_cod LW",
        "unknown": "blank or any other occp_cod",
    },
)
REPORT_TYPES = (
    Code("EXP", "Expedited", "a manufacturer's 15-day report"),
    Code("PER", "Periodic", "a manufacturer's periodic report"),
    Code("DIR", "Direct", "sent directly to FDA (MedWatch)"),
    Code("5DAY", "5-day report"),
    Code("30DAY", "30-day report"),
)
ROLES = tuple(
    Code(code, ROLE_WORDS[code], f"FAERS role_cod {code}") for code in ("PS", "SS", "C", "I")
)
PRODUCT_TYPES = _labelled(
    "product_types",
    fm.PRODUCT_TYPES,
    {
        "leaf_powder": "kratom leaf or powder",
        "extract": "a kratom extract",
        "concentrate_7oh": "7-hydroxymitragynine (7-OH) concentrate",
        "mixed_product": "a product mixing kratom with other ingredients",
        "unspecified": "the name says kratom but not the form",
    },
)
SUBSTANCE_CLASSES = _labelled(
    "substance_classes",
    fm.SUBSTANCE_CLASSES,
    {
        "opioids": "tianeptine included",
        "opioid_antagonists": "naloxone, nalmefene, naltrexone",
        "gabapentinoids": "phenibut included",
        "kratom": "kratom rows",
        "other": "not on the reviewed list (loperamide included)",
    },
)
EVENT_GROUPS = _labelled(
    "event_groups", fm.EVENT_GROUPS, {"other": "the term is not on the reviewed list"}
)
