"""The data dictionary of the substances and events extract tables (`model.case_substances`,
`model.case_events`), column by column."""

from __future__ import annotations

from dashboard import dictionary_codes as c
from dashboard.dictionary_model import Column, Table

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
            "prod_ai or drugname (e.g. NEURONTIN → gabapentin, HUMIRA → adalimumab); else "
            "prod_ai, or drugname, with strengths, dose forms, codes and salt words removed "
            "(ATORVASTATIN CALCIUM → atorvastatin; a mineral salt such as MAGNESIUM SULFATE is "
            "kept whole).",
        ),
        Column("is_kratom", "BOOLEAN", "True when this drug row names kratom."),
        Column(
            "kratom_product_type",
            "VARCHAR",
            "For kratom rows, the product type of the pattern matched (see model.cases); empty "
            "otherwise.",
            codes=c.PRODUCT_TYPES,
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
            codes=c.ROLES,
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
            "Class of substance_name from a reviewed list: opioids (tianeptine included), "
            "opioid_antagonists (naloxone, nalmefene, naltrexone: rescue or treatment, not an "
            "opioid exposure), benzodiazepines, stimulants, alcohol, antidepressants, "
            "antipsychotics, gabapentinoids (phenibut included), cannabinoids, other_botanicals, "
            "kratom (kratom rows), or other when not listed (loperamide included).",
            codes=c.SUBSTANCE_CLASSES,
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
            codes=c.EVENT_GROUPS,
        ),
        Column(
            "pt_key",
            "VARCHAR",
            "The preferred term in upper case: the key that compares terms across eras and "
            "spellings (model.pt_names).",
        ),
    ),
)
