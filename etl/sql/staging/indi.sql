-- staging.indi: indications, linked to a drug row by (primaryid, drug_seq).
CREATE OR REPLACE TABLE staging.indi AS
SELECT
    quarter,
    TRY_CAST(trim(primaryid) AS BIGINT) AS primaryid,
    TRY_CAST(trim(indi_drug_seq) AS BIGINT) AS drug_seq,
    staging.blank_to_null(regexp_replace(indi_pt, '\s+', ' ', 'g')) AS indi_pt
FROM raw.indi;
