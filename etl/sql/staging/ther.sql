-- staging.ther: therapy dates, linked to a drug row by (primaryid, drug_seq).
CREATE OR REPLACE TABLE staging.ther AS
SELECT
    quarter,
    TRY_CAST(trim(primaryid) AS BIGINT) AS primaryid,
    TRY_CAST(trim(dsg_drug_seq) AS BIGINT) AS drug_seq,
    staging.faers_date(start_dt) AS start_date,
    staging.faers_date(end_dt) AS end_date,
    staging.blank_to_null(dur) AS dur,
    upper(staging.blank_to_null(dur_cod)) AS dur_cod
FROM raw.ther;
