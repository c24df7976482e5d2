-- staging.indi: indications, linked to a drug row by (primaryid, drug_seq).
-- Only the rows of the new quarters are typed and appended (build.new_quarters).
CREATE OR REPLACE VIEW build.new_indi AS
SELECT
    quarter,
    TRY_CAST(trim(primaryid) AS BIGINT) AS primaryid,
    TRY_CAST(trim(indi_drug_seq) AS BIGINT) AS drug_seq,
    staging.blank_to_null(regexp_replace(indi_pt, '\s+', ' ', 'g')) AS indi_pt
FROM raw.indi
WHERE quarter IN (SELECT quarter FROM build.new_quarters);
CREATE TABLE IF NOT EXISTS staging.indi AS FROM build.new_indi LIMIT 0;
INSERT INTO staging.indi FROM build.new_indi;
