-- raw.indi: FDA's INDI rows, every era, values verbatim as text.
-- Column names are the unified ones (legacy ISR/CASE/I_F_COD/GNDR_COD, 2012Q4 LOT_NBR/OUTC_CODE and
-- legacy DRUG_SEQ in THER/INDI renamed); a column an era lacks is NULL. Provenance on every row.
CREATE TABLE IF NOT EXISTS raw.indi (
    quarter VARCHAR NOT NULL,
    layout VARCHAR NOT NULL,   -- aers | faers
    source_file VARCHAR NOT NULL,
    line_number BIGINT NOT NULL,
    record_in_line INTEGER NOT NULL DEFAULT 1,  -- 2, 3, ... for records split off a run-on line
    primaryid VARCHAR,
    caseid VARCHAR,
    indi_drug_seq VARCHAR,
    indi_pt VARCHAR
);
