-- staging.ther: therapy dates, linked to a drug row by (primaryid, drug_seq). Each date's
-- precision (day, month, year) is read as the event date's is: since 2021Q3 FDA pads a partial
-- date to the 1st, so a padded day there counts as month or year (staging.faers_date_precision).
-- Only the rows of the new quarters are typed and appended (build.new_quarters).
CREATE OR REPLACE VIEW build.new_ther AS
SELECT
    quarter,
    TRY_CAST(trim(primaryid) AS BIGINT) AS primaryid,
    TRY_CAST(trim(dsg_drug_seq) AS BIGINT) AS drug_seq,
    staging.faers_date(start_dt) AS start_date,
    staging.faers_date(end_dt) AS end_date,
    staging.blank_to_null(dur) AS dur,
    upper(staging.blank_to_null(dur_cod)) AS dur_cod,
    staging.faers_date_precision(start_dt, quarter) AS start_date_precision,
    staging.faers_date_precision(end_dt, quarter) AS end_date_precision
FROM raw.ther
WHERE quarter IN (SELECT quarter FROM build.new_quarters);
CREATE TABLE IF NOT EXISTS staging.ther AS FROM build.new_ther LIMIT 0;
INSERT INTO staging.ther FROM build.new_ther;
