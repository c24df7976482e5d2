"""openFDA results as three frames of text values: reports, drugs and reactions.

drug/event reports keep openFDA's field names; food/event (CAERS) reports are put in the same
columns (a comment names the CAERS field), their products as drug rows.
"""

from __future__ import annotations

import polars as pl

from etl.errors import InputError

REPORT_SCHEMA = {
    "safetyreportid": pl.String,  # CAERS: report_number
    "safetyreportversion": pl.String,
    "receivedate": pl.String,  # CAERS: date_created
    "receiptdate": pl.String,
    "date_started": pl.String,  # CAERS only
    "serious": pl.String,
    "seriousnessdeath": pl.String,
    "seriousnesslifethreatening": pl.String,
    "seriousnesshospitalization": pl.String,
    "seriousnessdisabling": pl.String,
    "seriousnesscongenitalanomali": pl.String,
    "seriousnessother": pl.String,
    "outcomes": pl.List(pl.String),  # CAERS only
    "occurcountry": pl.String,
    "reportercountry": pl.String,
    "qualification": pl.String,
    "patientsex": pl.String,  # CAERS: consumer.gender
    "patientonsetage": pl.String,  # CAERS: consumer.age
    "patientonsetageunit": pl.String,  # CAERS: consumer.age_unit
    "patientagegroup": pl.String,
    "patientweight": pl.String,
}
DRUG_SCHEMA = {
    "safetyreportid": pl.String,
    "drug_seq": pl.Int32,  # position in the report, from 1
    "medicinalproduct": pl.String,  # CAERS: name_brand
    "activesubstancename": pl.String,
    "drugcharacterization": pl.String,  # CAERS: role (SUSPECT, CONCOMITANT)
    "industry_code": pl.String,  # CAERS only
    "industry_name": pl.String,  # CAERS only
    "drugadministrationroute": pl.String,
    "drugdosagetext": pl.String,
    "drugindication": pl.String,
}
REACTION_SCHEMA = {
    "safetyreportid": pl.String,
    "reaction_seq": pl.Int32,
    "reactionmeddrapt": pl.String,
    "reactionoutcome": pl.String,
}
DRUG_REPORT_FIELDS = (
    "safetyreportversion",
    "receivedate",
    "receiptdate",
    "serious",
    "seriousnessdeath",
    "seriousnesslifethreatening",
    "seriousnesshospitalization",
    "seriousnessdisabling",
    "seriousnesscongenitalanomali",
    "seriousnessother",
    "occurcountry",
)
PATIENT_FIELDS = (
    "patientsex",
    "patientonsetage",
    "patientonsetageunit",
    "patientagegroup",
    "patientweight",
)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _report_id(report: dict, key: str, where: str, index: int) -> str:
    value = report.get(key)
    if value in (None, ""):
        raise InputError(where, f"result {index} has no {key}", field=key)
    return str(value)


def _frames(reports: list[dict], drugs: list[dict], reactions: list[dict]) -> dict:
    return {
        "reports": pl.DataFrame(reports, schema=REPORT_SCHEMA, orient="row"),
        "drugs": pl.DataFrame(drugs, schema=DRUG_SCHEMA, orient="row"),
        "reactions": pl.DataFrame(reactions, schema=REACTION_SCHEMA, orient="row"),
    }


def _drug_report_row(report_id: str, report: dict) -> dict:
    patient = report.get("patient") or {}
    primary = report.get("primarysource") or {}
    row = dict.fromkeys(REPORT_SCHEMA)
    row["safetyreportid"] = report_id
    row.update({k: _text(report.get(k)) for k in DRUG_REPORT_FIELDS})
    row.update({k: _text(patient.get(k)) for k in PATIENT_FIELDS})
    row["reportercountry"] = _text(primary.get("reportercountry"))
    row["qualification"] = _text(primary.get("qualification"))
    return row


def _drug_row(report_id: str, seq: int, drug: dict) -> dict:
    row = dict.fromkeys(DRUG_SCHEMA)
    active = drug.get("activesubstance") or {}
    row.update(safetyreportid=report_id, drug_seq=seq)
    for key in ("medicinalproduct", "drugcharacterization", "drugadministrationroute"):
        row[key] = _text(drug.get(key))
    row["activesubstancename"] = _text(active.get("activesubstancename"))
    row["drugdosagetext"] = _text(drug.get("drugdosagetext"))
    row["drugindication"] = _text(drug.get("drugindication"))
    return row


def _reaction_row(report_id: str, seq: int, pt: object, outcome: object) -> dict:
    return {
        "safetyreportid": report_id,
        "reaction_seq": seq,
        "reactionmeddrapt": _text(pt),
        "reactionoutcome": _text(outcome),
    }


def drug_event_rows(results: list[dict]) -> dict[str, pl.DataFrame]:
    """drug/event results -> {'reports', 'drugs', 'reactions'} frames, drugs in report order."""
    reports, drugs, reactions = [], [], []
    for index, report in enumerate(results):
        report_id = _report_id(report, "safetyreportid", "openFDA drug/event", index)
        reports.append(_drug_report_row(report_id, report))
        patient = report.get("patient") or {}
        for seq, drug in enumerate(patient.get("drug") or [], start=1):
            drugs.append(_drug_row(report_id, seq, drug))
        for seq, reaction in enumerate(patient.get("reaction") or [], start=1):
            pt, outcome = reaction.get("reactionmeddrapt"), reaction.get("reactionoutcome")
            reactions.append(_reaction_row(report_id, seq, pt, outcome))
    return _frames(reports, drugs, reactions)


def _food_report_row(report_id: str, report: dict) -> dict:
    consumer = report.get("consumer") or {}
    row = dict.fromkeys(REPORT_SCHEMA)
    row.update(
        safetyreportid=report_id,
        receivedate=_text(report.get("date_created")),
        date_started=_text(report.get("date_started")),
        outcomes=[str(o) for o in report.get("outcomes") or []],
        patientsex=_text(consumer.get("gender")),
        patientonsetage=_text(consumer.get("age")),
        patientonsetageunit=_text(consumer.get("age_unit")),
    )
    return row


def food_event_rows(results: list[dict]) -> dict[str, pl.DataFrame]:
    """food/event (CAERS) results -> the same three frames; products become drug rows."""
    reports, drugs, reactions = [], [], []
    for index, report in enumerate(results):
        report_id = _report_id(report, "report_number", "openFDA food/event", index)
        reports.append(_food_report_row(report_id, report))
        for seq, product in enumerate(report.get("products") or [], start=1):
            row = dict.fromkeys(DRUG_SCHEMA)
            row.update(
                safetyreportid=report_id,
                drug_seq=seq,
                medicinalproduct=_text(product.get("name_brand")),
                drugcharacterization=_text(product.get("role")),
                industry_code=_text(product.get("industry_code")),
                industry_name=_text(product.get("industry_name")),
            )
            drugs.append(row)
        for seq, pt in enumerate(report.get("reactions") or [], start=1):
            reactions.append(_reaction_row(report_id, seq, pt, None))
    return _frames(reports, drugs, reactions)
