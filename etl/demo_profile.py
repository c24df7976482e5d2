"""Parameters of the synthetic FAERS generator (etl/demo.py, etl/demo_zip.py): sizes, shares,
layouts, quirks.

Vocabularies (drug names, reaction terms, senders) are in etl/reference/demo_drugs.csv and
etl/reference/demo_terms.csv. Everything here is made up for a demo, shaped after published figures.
"""

from __future__ import annotations

FIRST_LEGACY = "2004Q1"
FIRST_FAERS = "2012Q4"  # legacy AERS ends with 2012Q3
FIRST_CURRENT = "2014Q3"  # 25-column DEMO, prod_ai, age_grp
# Our choice: the first legacy quarter with REPORTER_COUNTRY (the real one is unverified).
FIRST_REPORTER_COUNTRY = "2010Q1"

# New background cases per quarter grow linearly from 2004Q1 to 2026Q2 (times `scale`).
BACKGROUND_CASES_2004Q1 = 300
BACKGROUND_CASES_2026Q2 = 1450
# Expected new kratom cases per year (Poisson per quarter); few before 2014, steep after 2016,
# a 7-OH surge from 2025. Li et al. 2023: 94% of reports since 2018.
KRATOM_CASES_PER_YEAR = {
    2004: 1, 2005: 1, 2006: 2, 2007: 2, 2008: 3, 2009: 3, 2010: 4, 2011: 6, 2012: 8,
    2013: 10, 2014: 14, 2015: 22, 2016: 50, 2017: 110, 2018: 250, 2019: 210, 2020: 180,
    2021: 170, 2022: 165, 2023: 175, 2024: 190, 2025: 380, 2026: 440,
}  # fmt: skip
KRATOM_QUARTER_SHARE = {2025: (0.15, 0.20, 0.30, 0.35)}  # other years: a quarter each
# Share of kratom cases whose product comes from each pool, by first year (rest: kratom_leaf).
KRATOM_POOL_SHARE = {
    "kratom_7oh": {2024: 0.08, 2025: 0.45, 2026: 0.55},
    "kratom_feelfree": dict.fromkeys(range(2020, 2027), 0.06),
}
SALMONELLA_QUARTERS = ("2018Q1", "2018Q2", "2018Q3")
SALMONELLA_SHARE = 0.18
KRATOM_ONLY_SHARE = 0.33
KRATOM_DEATH_SHARE = 0.40
KRATOM_ROLES = {"PS": 0.55, "SS": 0.20, "C": 0.20, "I": 0.05}
KRATOM_ONLY_ROLES = {"PS": 0.8, "SS": 0.2}

# Per case: versions (1 + follow-ups) and deletions.
FOLLOW_UP_SHARES = (0.22, 0.06, 0.015)  # P(at least 2, 3, 4 versions)
FOLLOW_UP_GAP_QUARTERS = (1, 7)  # [low, high) between versions
DELETED_SHARE = 0.015
# company-reported cases sent again under a new caseid (background, kratom): etl/demo_duplicates.py
RESUBMITTED_SHARE = (0.005, 0.04)
FIRST_DELETED_LIST = "2019Q1"

# Child rows (means; Poisson on top of one row per case for DRUG and REAC).
DRUGS_EXTRA_MEAN = 3.25
REACTIONS_EXTRA_MEAN = 2.25
# Background reactions depend on the case's primary suspect drug: this share of its reaction rows
# comes from the drug's own profile (demo_drugs.csv reaction_profile -> demo_terms.csv profile_*),
# the rest from the common background with weights scaled per drug and PT by exp(N(0, spread)),
# so observed/expected varies across drug-event pairs as in FAERS (EBGM's prior needs that).
PROFILE_REACTION_SHARE = 0.15
PROFILE_SPREAD = 0.35
THERAPY_SHARE = 0.22  # of drug rows
# Kratom therapies' start dates (etl/demo_onset.py), our synthetic choice, not a published figure:
# (kind of report, share, fewest and most days before the event, weights of the start given to
# the day, month, year or not at all). Other drugs' starts are 0-399 days before, 80% to the day.
KRATOM_START_SHAPES = (
    ("acute toxicity, overdose: same day", 0.30, 0, 0, (90, 5, 0, 5)),
    ("acute toxicity, overdose: within the week", 0.20, 1, 7, (85, 10, 0, 5)),
    ("dependence, withdrawal, liver injury", 0.30, 8, 365, (55, 25, 10, 10)),
    ("years of daily use", 0.20, 366, 3650, (15, 35, 40, 10)),
)
INDICATION_SHARE = 0.62  # of drug rows
RPSR_SHARE = 0.0275  # of cases
OUTCOME_SHARES = {  # (background, kratom); DE for kratom comes from KRATOM_DEATH_SHARE
    "DE": (0.06, 0.0), "LT": (0.03, 0.12), "HO": (0.25, 0.35), "DS": (0.02, 0.03),
    "CA": (0.003, 0.005), "RI": (0.01, 0.05), "OT": (0.35, 0.35),
}  # fmt: skip

# Demographics: (value, background weight, kratom weight).
SEXES = (("F", 58, 24), ("M", 37, 67), ("", 3, 6), ("UNK", 2, 3))
REPORT_TYPES = (("EXP", 60, 35), ("PER", 18, 5), ("DIR", 22, 60))
REPORTER_TYPES = (("MD", 35, 35), ("OT", 15, 20), ("PH", 8, 3), ("CN", 38, 38), ("LW", 2, 2),
                  ("", 2, 2))  # fmt: skip
# (ISO code, legacy name, background weight, kratom weight); "" = no country given.
COUNTRIES = (
    ("US", "UNITED STATES", 62, 93), ("CA", "CANADA", 4, 2), ("GB", "UNITED KINGDOM", 5, 1.5),
    ("DE", "GERMANY", 5, 0.5), ("FR", "FRANCE", 4, 0), ("JP", "JAPAN", 5, 0),
    ("IT", "ITALY", 3, 0), ("ES", "SPAIN", 2, 0), ("BR", "BRAZIL", 2, 0),
    ("AU", "AUSTRALIA", 1.5, 1), ("IN", "INDIA", 1, 0), ("NL", "NETHERLANDS", 1, 0.5),
    ("SE", "SWEDEN", 0.5, 1), ("TH", "THAILAND", 0, 0.5), ("CN", "CHINA", 2, 0), ("", "", 2.5, 0),
)  # fmt: skip
EU_COUNTRY_SHARE = 0.10  # from 2025Q3 (FAERS writes "EU")
FIRST_EU_QUARTER = "2025Q3"  # also: reporter type blank on EXP/PER reports
FIRST_HP_YEAR = 2020  # occp_cod OT -> HP
FIRST_PADDED_EVENT_QUARTER = "2021Q3"  # yyyymm -> yyyymm01, yyyy -> yyyy0101
NS_SEX_QUARTERS = ("2013Q1", "2014Q2")  # blank sex written as NS (inclusive range)
EVENT_PRECISIONS = (("day", 70), ("month", 10), ("year", 5), ("none", 15))

# Layouts: header lines as FDA writes them.
_LEGACY_DEMO = (
    "ISR$CASE$I_F_COD$FOLL_SEQ$IMAGE$EVENT_DT$MFR_DT$FDA_DT$REPT_COD$MFR_NUM$MFR_SNDR"
    "$AGE$AGE_COD$GNDR_COD$E_SUB$WT$WT_COD$REPT_DT$OCCP_COD$DEATH_DT$TO_MFR$CONFID"
)
LEGACY_HEADERS = {
    "DEMO": _LEGACY_DEMO,
    "DRUG": "ISR$DRUG_SEQ$ROLE_COD$DRUGNAME$VAL_VBM$ROUTE$DOSE_VBM$DECHAL$RECHAL$LOT_NUM$EXP_DT"
    "$NDA_NUM",
    "REAC": "ISR$PT",
    "OUTC": "ISR$OUTC_COD",
    "RPSR": "ISR$RPSR_COD",
    "THER": "ISR$DRUG_SEQ$START_DT$END_DT$DUR$DUR_COD",
    "INDI": "ISR$DRUG_SEQ$INDI_PT",
}
LEGACY_DEMO_WITH_COUNTRY = _LEGACY_DEMO + "$REPORTER_COUNTRY"
CURRENT_HEADERS = {
    "DEMO": "primaryid$caseid$caseversion$i_f_code$event_dt$mfr_dt$init_fda_dt$fda_dt$rept_cod"
    "$auth_num$mfr_num$mfr_sndr$lit_ref$age$age_cod$age_grp$sex$e_sub$wt$wt_cod$rept_dt$to_mfr"
    "$occp_cod$reporter_country$occr_country",
    "DRUG": "primaryid$caseid$drug_seq$role_cod$drugname$prod_ai$val_vbm$route$dose_vbm"
    "$cum_dose_chr$cum_dose_unit$dechal$rechal$lot_num$exp_dt$nda_num$dose_amt$dose_unit"
    "$dose_form$dose_freq",
    "REAC": "primaryid$caseid$pt$drug_rec_act",
    "OUTC": "primaryid$caseid$outc_cod",
    "RPSR": "primaryid$caseid$rpsr_cod",
    "THER": "primaryid$caseid$dsg_drug_seq$start_dt$end_dt$dur$dur_cod",
    "INDI": "primaryid$caseid$indi_drug_seq$indi_pt",
}
EARLY_FAERS_HEADERS = {  # 2013Q1-2014Q2; 2012Q4 differs as in EARLY_FAERS_2012Q4
    **CURRENT_HEADERS,
    "DEMO": "primaryid$caseid$caseversion$i_f_code$event_dt$mfr_dt$init_fda_dt$fda_dt$rept_cod"
    "$mfr_num$mfr_sndr$age$age_cod$gndr_cod$e_sub$wt$wt_cod$rept_dt$to_mfr$occp_cod"
    "$reporter_country$occr_country",
    "DRUG": "primaryid$caseid$drug_seq$role_cod$drugname$val_vbm$route$dose_vbm$cum_dose_chr"
    "$cum_dose_unit$dechal$rechal$lot_num$exp_dt$nda_num$dose_amt$dose_unit$dose_form$dose_freq",
    "REAC": "primaryid$caseid$pt",
}
EARLY_FAERS_2012Q4 = {
    **EARLY_FAERS_HEADERS,
    "DEMO": EARLY_FAERS_HEADERS["DEMO"].replace("$rept_dt$", "$ rept_dt$"),
    "DRUG": EARLY_FAERS_HEADERS["DRUG"].replace("$lot_num$", "$lot_nbr$"),
    "OUTC": "primaryid$caseid$outc_code",
}
# Header name (trimmed, lower-cased) -> the generator's column, per table where it differs.
RENAMES = {"isr": "primaryid", "case": "caseid", "i_f_cod": "i_f_code", "gndr_cod": "sex",
           "lot_nbr": "lot_num", "outc_code": "outc_cod"}  # fmt: skip
LEGACY_SEQ_RENAMES = {"THER": "dsg_drug_seq", "INDI": "indi_drug_seq"}

# Names and paths (see faers-format.md §2.1).
LOWER_Q_FROM_2021Q2 = ("2022Q3", "2023Q1", "2024Q2", "2026Q1")  # other quarters use "Q"
UPPER_ASCII_DIR = (("2016Q1", "2017Q4"), ("2024Q1", "2026Q2"))  # `ASCII/` instead of `ascii/`
LF_FILES = {"2018Q1": ("DEMO", "DRUG", "REAC", "OUTC", "RPSR", "THER", "INDI"),
            "2023Q3": ("REAC",), "2026Q2": ("DEMO", "DRUG")}  # fmt: skip

# One-off quirks of real files, reproduced once each (faers-format.md §2.4).
RUN_ON_DRUG_QUARTERS = ("2011Q2", "2011Q3", "2011Q4")  # two DRUG records on one line
STRAY_DOLLAR_DEMO_QUARTER = "2012Q1"  # one mfr_num holds a "$"
LATIN1_DRUG_QUARTER = "2012Q3"  # DRUG encoded Latin-1, with one accented name
LATIN1_DRUG_NAME = "PARACÉTAMOL"
RAGGED_DRUG_QUARTER = "2012Q4"  # one DRUG row cut short
RAGGED_ROW_FIELDS = 12
BOM_DRUG_QUARTER = "2012Q4"

SYNTHETIC_NOTE = (
    "SYNTHETIC DATA. Generated by kratom-watch (etl/demo.py) for demonstrations and tests.\n"
    "Not FDA data: every case, name and count in this archive is made up.\n"
)
