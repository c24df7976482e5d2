-- staging.ther: therapy dates, linked to a drug row by (primaryid, drug_seq).
-- Only the rows of the new quarters are typed and appended (build.new_quarters).
CREATE OR REPLACE VIEW build.new_ther AS
SELECT
    quarter,
    TRY_CAST(trim(primaryid) AS BIGINT) AS primaryid,
    TRY_CAST(trim(dsg_drug_seq) AS BIGINT) AS drug_seq,
    staging.faers_date(start_dt) AS start_date,
    staging.faers_date(end_dt) AS end_date,
    staging.blank_to_null(dur) AS dur,
    upper(staging.blank_to_null(dur_cod)) AS dur_cod
FROM raw.ther
WHERE quarter IN (SELECT quarter FROM build.new_quarters);
CREATE TABLE IF NOT EXISTS staging.ther AS FROM build.new_ther LIMIT 0;
INSERT INTO staging.ther FROM build.new_ther;
