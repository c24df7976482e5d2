"""The model schema from tests/fixtures/model/ (three quarters, seven cases), counted by hand.

The story (see tests/fixtures/model/README.md):
- 900001: legacy ISR 9000011 (2012Q2, KRATOM + XANAX) carried into FAERS as version 2 (2013Q1,
  KRATUM + ALCOHOL): the FAERS version is kept, the case counts once.
- 900002: a legacy background case (ASPIRIN) with weight in pounds and age in decades.
- 900003: legacy kratom-only case (MAENG DA KRATOM), removed by the 2021Q4 deleted list.
- 900004: KETUM GEL (ketoprofen, a near miss) v1 in 2013Q1, v3 in 2021Q4: v3 is kept.
- 900005: 7-OH TABLETS + fentanyl, death; age in weeks, weight in grams, padded event date.
- 900006: kratom concomitant (MITRAGYNA SPECIOSA LEAF) with Neurontin; age in days.
- 900007: the same primaryid and version published in 2013Q1 and again in 2021Q4: the later
  quarter wins and its reactions follow it.
"""

from __future__ import annotations

import datetime as dt

D = dt.date


def rows(con, sql):
    return con.execute(sql).fetchall()


def test_one_kept_version_per_case(con):
    assert rows(con, "SELECT case_id, primary_id, quarter, era FROM model.cases ORDER BY 1") == [
        (900001, 9000012, "2013Q1", "faers"),
        (900002, 9000021, "2012Q2", "aers"),
        (900004, 9000043, "2021Q4", "faers"),
        (900005, 9000051, "2021Q4", "faers"),
        (900006, 9000061, "2021Q4", "faers"),
        (900007, 9000071, "2021Q4", "faers"),
    ]


def test_funnel_per_era_and_total(con):
    assert rows(
        con,
        "SELECT era, report_versions, latest_versions, after_deleted "
        "FROM model.funnel ORDER BY era",
    ) == [
        ("aers", 3, 2, 1),
        ("faers", 7, 5, 5),
        ("total", 10, 7, 6),
    ]


def test_dates_and_precision(con):
    assert rows(
        con,
        "SELECT case_id, received_date, latest_received_date, event_date, "
        "event_date_precision FROM model.cases ORDER BY 1",
    ) == [
        (900001, D(2012, 4, 10), D(2013, 2, 15), D(2012, 3, 1), "day"),
        (900002, D(2012, 4, 12), D(2012, 4, 12), D(2012, 3, 1), "month"),
        (900004, D(2013, 1, 10), D(2021, 11, 5), D(2013, 1, 5), "day"),
        (900005, D(2021, 10, 1), D(2021, 10, 1), D(2021, 9, 1), "month"),  # padded since 2021Q3
        (900006, D(2021, 10, 10), D(2021, 10, 10), D(2021, 1, 1), "year"),
        (900007, D(2013, 1, 1), D(2013, 1, 1), D(2012, 12, 20), "day"),
    ]


def test_demographics_in_analyst_terms(con):
    assert rows(
        con,
        "SELECT case_id, age_years, age_band, sex, weight_kg, country_code, "
        "reporter_type, report_type FROM model.cases ORDER BY 1",
    ) == [
        (900001, 35.0, "18-64", "U", None, "US", "consumer", "EXP"),  # NS means not specified
        (900002, 30.0, "18-64", "F", 68.04, "CA", "physician", "DIR"),  # 3 DEC; 150 LBS
        (900004, 60.0, "18-64", "F", None, "GB", "other_health_professional", "EXP"),  # HP
        (900005, 15.332, "12-17", "M", 70.0, "US", "other_health_professional", "EXP"),  # 800 WK
        (900006, 0.011, "0-27d", "F", None, "US", "consumer", "EXP"),  # 4 DY; reporter country
        (900007, 45.0, "18-64", "M", None, "US", "physician", "EXP"),
    ]


def test_outcomes(con):
    assert rows(
        con,
        "SELECT case_id, is_serious, has_death, has_life_threatening, "
        "has_hospitalisation, has_other_serious FROM model.cases ORDER BY 1",
    ) == [
        (900001, True, False, True, True, False),
        (900002, False, False, False, False, False),
        (900004, False, False, False, False, False),
        (900005, True, True, False, False, False),
        (900006, True, False, False, False, True),
        (900007, False, False, False, False, False),
    ]


def test_kratom_cases_role_product_and_only(con):
    assert rows(
        con,
        "SELECT case_id, is_kratom, kratom_role, kratom_product_type, is_kratom_only "
        "FROM model.cases ORDER BY 1",
    ) == [
        (900001, True, "PS", "unspecified", False),  # KRATUM, a misspelling
        (900002, False, None, None, None),
        (900004, False, None, None, None),  # KETUM GEL is ketoprofen
        (900005, True, "PS", "concentrate_7oh", False),
        (900006, True, "C", "leaf_powder", False),
        (900007, False, None, None, None),
    ]


def test_case_substances_of_kratom_cases(con):
    assert rows(
        con,
        "SELECT case_id, drug_seq, drugname, substance_name, substance_class, "
        "role_code, is_kratom FROM model.case_substances ORDER BY 1, 2",
    ) == [
        (900001, 1, "KRATUM", "kratom", "kratom", "PS", True),
        (900001, 2, "ALCOHOL", "alcohol", "alcohol", "SS", False),
        (900005, 1, "7-OH TABLETS", "kratom", "kratom", "PS", True),
        (900005, 2, "FENTANYL.", "fentanyl", "opioids", "C", False),
        (900006, 1, "NEURONTIN", "gabapentin", "gabapentinoids", "PS", False),
        (900006, 2, "Mitragyna speciosa", "kratom", "kratom", "C", True),
    ]


def test_case_events_follow_the_kept_version(con):
    assert rows(con, "SELECT case_id, pt, event_group FROM model.case_events ORDER BY 1, 2") == [
        (900001, "Drug dependence", "dependence_withdrawal"),
        (900001, "Withdrawal syndrome", "dependence_withdrawal"),
        (900002, "Nausea", "gastrointestinal"),  # legacy capitals read in MedDRA's case
        (900004, "Rash", "other"),
        (900005, "Death", "death"),
        (900005, "Toxicity to various agents", "overdose_toxicity"),
        (900006, "Somnolence", "cognitive_neurological"),
        (900007, "Lactic acidosis", "other"),  # 2021Q4's reaction, not 2013Q1's Diarrhoea
    ]


def test_indications(con):
    assert rows(
        con,
        "SELECT case_id, drug_seq, indication_pt, indication_group, is_kratom_drug "
        "FROM model.case_indications ORDER BY 1, 2",
    ) == [
        (900001, 1, "Pain", "pain", True),
        (900005, 1, "Drug withdrawal syndrome", "drug_withdrawal", True),
        (900006, 2, "Product used for unknown indication", "unknown", True),
    ]


def test_matched_spellings_for_review(con):
    assert rows(
        con,
        "SELECT spelling, pattern_id, product_type, n_cases, n_report_rows "
        "FROM model.kratom_spellings ORDER BY 1",
    ) == [
        ("7-OH TABLETS", "c7oh_7oh", "concentrate_7oh", 1, 1),
        ("KRATOM", "gen_kratom", "unspecified", 0, 1),  # only in the superseded legacy version
        ("KRATUM", "gen_kratom", "unspecified", 1, 1),
        ("MAENG DA KRATOM", "leaf_maeng_da", "leaf_powder", 0, 1),  # the deleted case
        ("MITRAGYNA SPECIOSA LEAF", "leaf_form", "leaf_powder", 1, 1),
    ]


def test_status_document(model_db):
    from etl.status import read_status

    doc = read_status(model_db)
    assert doc["quarters"] == ["2012Q2", "2013Q1", "2021Q4"]
    assert doc["rows"]["demo"] == {"2012Q2": 3, "2013Q1": 3, "2021Q4": 4}
    assert doc["rows"]["drug"] == {"2012Q2": 4, "2013Q1": 4, "2021Q4": 6}
    assert doc["rows"]["rpsr"] == {"2012Q2": 1, "2013Q1": 0, "2021Q4": 0}
    assert doc["rejected"] == {"2012Q2": 0, "2013Q1": 0, "2021Q4": 0}
    assert doc["funnel"] == {"report_versions": 10, "latest_versions": 7, "after_deleted": 6}
    assert doc["kratom_cases"] == 3
    assert doc["is_synthetic"] is False
