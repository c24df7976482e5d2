"""The data dictionary of the extract tables: the one source of truth.

The About page shows it, and `docs/data-dictionary.md` is generated from it
(`python -m dashboard.dictionary > docs/data-dictionary.md`; a test keeps the two equal and checks
every column against the database the real pipeline builds). The rules come from the SQL in
`etl/sql/staging/` and `etl/sql/model/`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type
    meaning: str


@dataclass(frozen=True)
class Table:
    key: str  # the extract's name: cases, substances, events
    name: str  # the model table
    grain: str  # what one row is
    columns: tuple[Column, ...]


_OUTCOME = (
    "True when the kept version lists the serious outcome {code} ({words}) in FDA's OUTC file."
)

CASES = Table(
    "cases",
    "model.cases",
    "One row per case: the latest version of each case across every quarter loaded, with cases on "
    "FDA's deleted-case lists removed. Every drug, not only kratom: rows with is_kratom false are "
    "the background used for rates and signals.",
    (
        Column(
            "case_id",
            "BIGINT",
            "FDA's case number (caseid; CASE in legacy AERS files). openFDA CAERS reports, which "
            "have no FAERS case number, get a stable negative number: see source_case_id.",
        ),
        Column(
            "primary_id",
            "BIGINT",
            "The report version kept (primaryid: the case number followed by the version "
            "number; ISR in legacy files). The key into FDA's own files.",
        ),
        Column(
            "quarter",
            "VARCHAR",
            "The quarterly file the kept version was read from, e.g. 2021Q4 (when FDA published "
            "it, not when the event happened).",
        ),
        Column(
            "era",
            "VARCHAR",
            "Layout of that file: aers (legacy AERS, up to 2012Q3) or faers (2012Q4 on); openfda "
            "for reports read from openFDA.",
        ),
        Column(
            "source",
            "VARCHAR",
            "Where the row comes from: faers-quarterly (FDA's quarterly ASCII data files), "
            "openfda-faers (openFDA drug/event, only reports received after the latest quarterly "
            "file) or openfda-caers (openFDA food/event: CAERS, dietary supplements).",
        ),
        Column(
            "received_date",
            "DATE",
            "When FDA first received the case: init_fda_dt of the kept version, else the earliest "
            "FDA receipt date of any version read. Date filters and trends 'by received date' use "
            "it.",
        ),
        Column(
            "latest_received_date",
            "DATE",
            "When FDA received the kept (latest) version: its fda_dt.",
        ),
        Column(
            "event_date",
            "DATE",
            "When the adverse event began, as reported (event_dt). A month-only date is stored as "
            "the 1st of the month and a year-only date as 1 January: see event_date_precision. "
            "Impossible dates are left empty.",
        ),
        Column(
            "event_date_precision",
            "VARCHAR",
            "How much of event_date was reported: day, month or year. FDA pads partial dates "
            "itself since 2021Q3, so in those quarters a date on the 1st counts as month "
            "precision and one on 1 January as year precision.",
        ),
        Column(
            "age_years",
            "DOUBLE",
            "Age at the event in years, converted from age and its unit age_cod (DEC × 10, "
            "MON ÷ 12, WK × 7 ÷ 365.25, DY ÷ 365.25, HR ÷ 8,766; no unit means years), rounded "
            "to 3 decimals. Empty when missing or outside 0–122 years.",
        ),
        Column(
            "age_band",
            "VARCHAR",
            "Age band: 0-27d, 28d-23m, 2-11, 12-17 (ICH E11), then 18-64, 65-74, 75-84, 85+. From "
            "age_years; when that is empty, from FDA's age group (N, I, C, T); else unknown.",
        ),
        Column(
            "sex",
            "VARCHAR",
            "F (female), M (male) or U (not known: UNK, NS, blank or any other code).",
        ),
        Column(
            "weight_kg",
            "DOUBLE",
            "Weight in kilograms from wt and its unit (LBS × 0.45359237, GMS ÷ 1,000), rounded to "
            "2 decimals. Empty when missing, zero or below, or over 635 kg.",
        ),
        Column(
            "country_code",
            "VARCHAR",
            "Two-letter ISO 3166 code of the country where the event occurred (occr_country), "
            "else of the reporter's country; legacy country names are mapped by a reviewed list. "
            "EU (European Union) appears in recent quarters. Empty when not given (COUNTRY NOT "
            "SPECIFIED, A1).",
        ),
        Column(
            "reporter_type",
            "VARCHAR",
            "Who reported (occp_cod): physician (MD), pharmacist (PH), other_health_professional "
            "(OT, HP, RN), consumer (CN), lawyer (LW) or unknown.",
        ),
        Column(
            "report_type",
            "VARCHAR",
            "FDA's report type code as given (rept_cod): EXP expedited (15-day) manufacturer "
            "report, PER periodic, DIR sent directly to FDA (MedWatch), 5DAY, 30DAY.",
        ),
        Column(
            "is_serious",
            "BOOLEAN",
            "True when the kept version lists any outcome in FDA's OUTC file, which holds serious "
            "outcomes only.",
        ),
        Column("has_death", "BOOLEAN", _OUTCOME.format(code="DE", words="death")),
        Column(
            "has_life_threatening", "BOOLEAN", _OUTCOME.format(code="LT", words="life-threatening")
        ),
        Column(
            "has_hospitalisation",
            "BOOLEAN",
            _OUTCOME.format(code="HO", words="hospitalisation, initial or prolonged"),
        ),
        Column("has_disability", "BOOLEAN", _OUTCOME.format(code="DS", words="disability")),
        Column(
            "has_congenital_anomaly",
            "BOOLEAN",
            _OUTCOME.format(code="CA", words="congenital anomaly"),
        ),
        Column(
            "has_required_intervention",
            "BOOLEAN",
            _OUTCOME.format(code="RI", words="intervention required to prevent permanent harm"),
        ),
        Column(
            "has_other_serious",
            "BOOLEAN",
            _OUTCOME.format(code="OT", words="other serious, an important medical event"),
        ),
        Column(
            "is_kratom",
            "BOOLEAN",
            "True when a drug row of the kept version names kratom: its drugname or prod_ai "
            "matches a pattern of the reviewed kratom term list (shown on the About page).",
        ),
        Column(
            "kratom_role",
            "VARCHAR",
            "Kratom's strongest role among its drug rows: PS (primary suspect), SS (secondary "
            "suspect), I (interacting), C (concomitant), in that order. Empty when not kratom.",
        ),
        Column(
            "kratom_product_type",
            "VARCHAR",
            "The most specific kratom product among its drug rows: concentrate_7oh (7-OH), "
            "extract, mixed_product, leaf_powder, then unspecified (a name that says kratom but "
            "not the form). Empty when not kratom.",
        ),
        Column(
            "is_kratom_only",
            "BOOLEAN",
            "True when every drug row of the kept version names kratom (no other substance "
            "reported). Empty when not kratom.",
        ),
        Column(
            "is_synthetic",
            "BOOLEAN",
            "True when the quarter came from the built-in demonstration generator (synthetic data "
            "in FDA's format), false for FDA's real files.",
        ),
        Column(
            "source_case_id",
            "VARCHAR",
            "The case's own id in its source: the caseid for FAERS (quarterly files and "
            "openFDA's safetyreportid), the report_number for CAERS.",
        ),
    ),
)

SUBSTANCES = Table(
    "substances",
    "model.case_substances",
    "One row per drug row of the kept version of each kratom case (kratom itself and every "
    "co-reported substance). Not stored for background cases.",
    (
        Column("case_id", "BIGINT", "The case (model.cases.case_id)."),
        Column(
            "drug_seq",
            "BIGINT",
            "The drug's sequence number within the report; links to indications and therapies.",
        ),
        Column("drugname", "VARCHAR", "The product name as reported, verbatim."),
        Column(
            "prod_ai",
            "VARCHAR",
            "The active ingredient(s) as FDA coded them; only in files from 2014Q3 on.",
        ),
        Column(
            "substance_name",
            "VARCHAR",
            "Normalised substance, lower case: kratom for kratom rows; else a reviewed synonym of "
            "prod_ai or drugname (e.g. NEURONTIN → gabapentin); else prod_ai, or drugname, with "
            "strengths, dose forms and codes removed.",
        ),
        Column("is_kratom", "BOOLEAN", "True when this drug row names kratom."),
        Column(
            "kratom_product_type",
            "VARCHAR",
            "For kratom rows, the product type of the pattern matched (see model.cases); empty "
            "otherwise.",
        ),
        Column(
            "kratom_spelling",
            "VARCHAR",
            "For kratom rows, the name that matched, upper case with single spaces (drugname or "
            "prod_ai, whichever matched the more specific pattern).",
        ),
        Column(
            "role_code",
            "VARCHAR",
            "The drug's role in the report: PS primary suspect, SS secondary suspect, C "
            "concomitant, I interacting.",
        ),
        Column("route", "VARCHAR", "Route of administration as reported (e.g. Oral)."),
        Column(
            "dose_text",
            "VARCHAR",
            "The dose as reported: the verbatim dose text, else amount, unit and frequency "
            "joined (e.g. 2 G QD).",
        ),
        Column("dose_form", "VARCHAR", "Dosage form as reported (e.g. Capsule, Powder)."),
        Column(
            "substance_class",
            "VARCHAR",
            "Class of substance_name from a reviewed list: opioids, benzodiazepines, stimulants, "
            "alcohol, antidepressants, antipsychotics, gabapentinoids, cannabinoids, "
            "other_botanicals, kratom (kratom rows), or other when not listed.",
        ),
    ),
)

EVENTS = Table(
    "events",
    "model.case_events",
    "One row per distinct reaction (MedDRA preferred term) of each kept case.",
    (
        Column("case_id", "BIGINT", "The case (model.cases.case_id)."),
        Column(
            "pt",
            "VARCHAR",
            "The MedDRA preferred term as reported, compared ignoring case (legacy files write "
            "capitals) and shown in one spelling. Each quarter uses the MedDRA version of its "
            "time, so older files may hold renamed terms.",
        ),
        Column(
            "event_group",
            "VARCHAR",
            "A reviewed grouping of preferred terms: death, overdose_toxicity, "
            "dependence_withdrawal, seizure, liver_injury, cardiovascular, "
            "respiratory_depression, psychiatric_mood, cognitive_neurological, gastrointestinal, "
            "product_quality, neonatal; other when the term is not in the list.",
        ),
        Column(
            "pt_key",
            "VARCHAR",
            "The preferred term in upper case: the key that compares terms across eras and "
            "spellings (model.pt_names).",
        ),
    ),
)

TABLES: tuple[Table, ...] = (CASES, SUBSTANCES, EVENTS)


def markdown() -> str:
    """The dictionary as Markdown: the text of docs/data-dictionary.md."""
    lines = [
        "# Data dictionary",
        "",
        "<!-- Generated from dashboard/dictionary.py: edit that file, then run",
        "     `python -m dashboard.dictionary > docs/data-dictionary.md`. -->",
        "",
        "The extract tables the dashboard downloads and `kratom-etl export` writes, column by "
        "column. The About page shows the same text. Counts are of deduplicated cases.",
    ]
    for table in TABLES:
        lines += ["", f"## {table.key} (`{table.name}`)", "", table.grain, ""]
        lines += ["| column | type | meaning |", "|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {c.meaning} |" for c in table.columns]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
