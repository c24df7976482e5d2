-- staging.rpsr: report sources (FGN, SDY, LIT, CSM, HP, UF, CR, DT, OTH).
-- Only the rows of the new quarters are typed and appended (build.new_quarters).
CREATE OR REPLACE VIEW build.new_rpsr AS
SELECT
    quarter,
    TRY_CAST(trim(primaryid) AS BIGINT) AS primaryid,
    upper(staging.blank_to_null(rpsr_cod)) AS rpsr_cod
FROM raw.rpsr
WHERE quarter IN (SELECT quarter FROM build.new_quarters);
CREATE TABLE IF NOT EXISTS staging.rpsr AS FROM build.new_rpsr LIMIT 0;
INSERT INTO staging.rpsr FROM build.new_rpsr;
