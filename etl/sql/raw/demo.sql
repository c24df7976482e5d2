-- raw.demo: FDA's DEMO rows, every era, values verbatim as text.
-- Column names are the unified ones (legacy ISR/CASE/I_F_COD/GNDR_COD, 2012Q4 LOT_NBR/OUTC_CODE and
-- legacy DRUG_SEQ in THER/INDI renamed); a column an era lacks is NULL. Provenance on every row.
CREATE TABLE IF NOT EXISTS raw.demo (
    quarter VARCHAR NOT NULL,
    layout VARCHAR NOT NULL,   -- aers | faers
    source_file VARCHAR NOT NULL,
    line_number BIGINT NOT NULL,
    record_in_line INTEGER NOT NULL DEFAULT 1,  -- 2, 3, ... for records split off a run-on line
    primaryid VARCHAR,
    caseid VARCHAR,
    caseversion VARCHAR,
    i_f_code VARCHAR,
    foll_seq VARCHAR,
    image VARCHAR,
    event_dt VARCHAR,
    mfr_dt VARCHAR,
    init_fda_dt VARCHAR,
    fda_dt VARCHAR,
    rept_cod VARCHAR,
    auth_num VARCHAR,
    mfr_num VARCHAR,
    mfr_sndr VARCHAR,
    lit_ref VARCHAR,
    age VARCHAR,
    age_cod VARCHAR,
    age_grp VARCHAR,
    sex VARCHAR,
    e_sub VARCHAR,
    wt VARCHAR,
    wt_cod VARCHAR,
    rept_dt VARCHAR,
    occp_cod VARCHAR,
    death_dt VARCHAR,
    to_mfr VARCHAR,
    confid VARCHAR,
    reporter_country VARCHAR,
    occr_country VARCHAR
);
