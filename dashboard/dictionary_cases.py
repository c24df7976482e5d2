"""The data dictionary of the cases extract table (`model.cases`), column by column."""

from __future__ import annotations

from dashboard import dictionary_codes as c
from dashboard.dictionary_model import Column, Table

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
            codes=c.ERAS,
        ),
        Column(
            "source",
            "VARCHAR",
            "Where the row comes from: faers-quarterly (FDA's quarterly ASCII data files), "
            "openfda-faers (openFDA drug/event, only reports received after the latest quarterly "
            "file) or openfda-caers (openFDA food/event: CAERS, dietary supplements).",
            codes=c.SOURCES,
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
            codes=c.PRECISIONS,
        ),
        Column(
            "age_years",
            "DOUBLE",
            "Age at the event in years, converted from age and its unit age_cod (DEC × 10, "
            "MON ÷ 12, WK × 7 ÷ 365.25, DY ÷ 365.25, HR ÷ 8,766, MIN ÷ 525,960, "
            "SEC ÷ 31,557,600; no unit means years), rounded to 3 decimals. Empty when missing, "
            "in a unit not listed, or outside 0–122 years.",
        ),
        Column(
            "age_band",
            "VARCHAR",
            "Age band: 0-27d, 28d-23m, 2-11, 12-17 (ICH E11), then 18-64, 65-74, 75-84, 85+. From "
            "the age in years before rounding; when age_years is empty, from FDA's age group "
            "(N, I, C, T); else unknown (A adult and E elderly span several bands).",
            codes=c.AGE_BANDS,
        ),
        Column(
            "sex",
            "VARCHAR",
            "F (female), M (male) or U (not known: UNK, NS, blank or any other code).",
            codes=c.SEXES,
        ),
        Column(
            "weight_kg",
            "DOUBLE",
            "Weight in kilograms from wt and its unit (LBS × 0.45359237, GMS ÷ 1,000), rounded to "
            "2 decimals. Empty when missing, in a unit not listed, 0.00 or below once rounded "
            "(a few grams), or over 635 kg.",
        ),
        Column(
            "country_code",
            "VARCHAR",
            "Two-letter ISO 3166 code of the country where the event occurred (occr_country), "
            "else of the reporter's country, each read on its own first, so a placeholder or "
            "unknown occurrence country gives way to a known reporter country; legacy country "
            "names are mapped by a reviewed list, two-letter codes kept as written. EU (European "
            "Union) appears in recent quarters. Empty when neither is given or known: COUNTRY NOT "
            "SPECIFIED and A1 mean none; a value that is neither two letters nor a listed name "
            "is unknown and recorded as an input issue.",
        ),
        Column(
            "reporter_type",
            "VARCHAR",
            "Who reported (occp_cod): physician (MD), pharmacist (PH), other_health_professional "
            "(OT, HP, RN), consumer (CN), lawyer (LW) or unknown.",
            codes=c.REPORTER_TYPES,
        ),
        Column(
            "report_type",
            "VARCHAR",
            "FDA's report type code as given (rept_cod): EXP expedited (15-day) manufacturer "
            "report, PER periodic, DIR sent directly to FDA (MedWatch), 5DAY, 30DAY.",
            codes=c.REPORT_TYPES,
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
            codes=c.ROLES,
        ),
        Column(
            "kratom_product_type",
            "VARCHAR",
            "The most specific kratom product among its drug rows: concentrate_7oh (7-OH), "
            "extract, mixed_product, leaf_powder, then unspecified (a name that says kratom but "
            "not the form). Empty when not kratom.",
            codes=c.PRODUCT_TYPES,
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
        Column(
            "duplicate_of",
            "BIGINT",
            "Empty unless the case is a probable duplicate of another kept case under a different "
            "case number (same manufacturer case number, or same event date, age, sex, country, "
            "drugs and reactions): then the case_id of the copy FDA received last, shown in its "
            "place. Counted unless probable duplicates are set aside (duplicates=hide).",
        ),
    ),
)
