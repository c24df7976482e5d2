-- staging.rpsr: report sources (FGN, SDY, LIT, CSM, HP, UF, CR, DT, OTH).
CREATE OR REPLACE TABLE staging.rpsr AS
SELECT
    quarter,
    TRY_CAST(trim(primaryid) AS BIGINT) AS primaryid,
    upper(staging.blank_to_null(rpsr_cod)) AS rpsr_cod
FROM raw.rpsr;
