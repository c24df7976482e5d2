-- staging.reac: reactions (MedDRA preferred terms as reported: capitals in legacy files).
CREATE OR REPLACE TABLE staging.reac AS
SELECT
    quarter,
    TRY_CAST(trim(primaryid) AS BIGINT) AS primaryid,
    staging.blank_to_null(regexp_replace(pt, '\s+', ' ', 'g')) AS pt
FROM raw.reac;
