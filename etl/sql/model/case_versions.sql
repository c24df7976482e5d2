-- model.case_versions: every report version read, ranked by FDA's rule within its caseid:
-- highest caseversion (legacy rows have none and so lose to a FAERS version of the same case),
-- then latest fda_dt, then latest quarter (a primaryid can be re-published), then highest primaryid.
CREATE OR REPLACE TABLE model.case_versions AS
SELECT
    d.caseid AS case_id,
    d.primaryid AS primary_id,
    d.quarter,
    d.era,
    d.caseversion,
    d.fda_date,
    row_number() OVER (
        PARTITION BY d.caseid
        ORDER BY d.caseversion DESC NULLS LAST, d.fda_date DESC NULLS LAST, d.quarter DESC,
                 d.primaryid DESC, d.line_number DESC
    ) AS version_rank,
    d.caseid IN (
        SELECT TRY_CAST(trim(caseid) AS BIGINT) FROM raw.deleted_cases
    ) AS is_deleted
FROM staging.demo d
WHERE d.caseid IS NOT NULL AND d.primaryid IS NOT NULL;
