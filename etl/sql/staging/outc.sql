-- staging.outc: serious outcome codes (DE, LT, HO, DS, CA, RI, OT); OUTC lists serious outcomes only.
-- Only the rows of the new quarters are typed and appended (build.new_quarters).
CREATE OR REPLACE VIEW build.new_outc AS
SELECT
    quarter,
    TRY_CAST(trim(primaryid) AS BIGINT) AS primaryid,
    upper(staging.blank_to_null(outc_cod)) AS outc_cod
FROM raw.outc
WHERE quarter IN (SELECT quarter FROM build.new_quarters);
CREATE TABLE IF NOT EXISTS staging.outc AS FROM build.new_outc LIMIT 0;
INSERT INTO staging.outc FROM build.new_outc;
