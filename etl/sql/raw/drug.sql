-- raw.drug: FDA's DRUG rows, every era, values verbatim as text.
-- Column names are the unified ones (legacy ISR/CASE/I_F_COD/GNDR_COD, 2012Q4 LOT_NBR/OUTC_CODE and
-- legacy DRUG_SEQ in THER/INDI renamed); a column an era lacks is NULL. Provenance on every row.
CREATE TABLE IF NOT EXISTS raw.drug (
    quarter VARCHAR NOT NULL,
    layout VARCHAR NOT NULL,   -- aers | faers
    source_file VARCHAR NOT NULL,
    line_number BIGINT NOT NULL,
    record_in_line INTEGER NOT NULL DEFAULT 1,  -- 2, 3, ... for records split off a run-on line
    primaryid VARCHAR,
    caseid VARCHAR,
    drug_seq VARCHAR,
    role_cod VARCHAR,
    drugname VARCHAR,
    prod_ai VARCHAR,
    val_vbm VARCHAR,
    route VARCHAR,
    dose_vbm VARCHAR,
    cum_dose_chr VARCHAR,
    cum_dose_unit VARCHAR,
    dechal VARCHAR,
    rechal VARCHAR,
    lot_num VARCHAR,
    exp_dt VARCHAR,
    nda_num VARCHAR,
    dose_amt VARCHAR,
    dose_unit VARCHAR,
    dose_form VARCHAR,
    dose_freq VARCHAR
);
