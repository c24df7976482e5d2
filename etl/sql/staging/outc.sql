-- staging.outc: serious outcome codes (DE, LT, HO, DS, CA, RI, OT); OUTC lists serious outcomes only.
CREATE OR REPLACE TABLE staging.outc AS
SELECT
    quarter,
    TRY_CAST(trim(primaryid) AS BIGINT) AS primaryid,
    upper(staging.blank_to_null(outc_cod)) AS outc_cod
FROM raw.outc;
