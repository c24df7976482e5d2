-- model.case_versions: every report version read, ranked by FDA's rule within its caseid:
-- highest caseversion (legacy rows have none and so lose to a FAERS version of the same case),
-- then latest fda_dt, then latest quarter (a primaryid can be re-published), then highest primaryid;
-- a blank caseversion or fda_dt ranks below any value. A case on any deleted list, of any quarter
-- (before or after its versions), is deleted. Tested case by case: tests/etl/test_dedup_rule.py.
-- Only the affected cases are ranked again, from all their versions in staging.demo. A DEMO line
-- whose primaryid comes again later in its quarter is left out (staging/input_issues.sql).
CREATE TABLE IF NOT EXISTS model.case_versions (
    case_id BIGINT,
    primary_id BIGINT,
    quarter VARCHAR,
    era VARCHAR,
    caseversion INTEGER,
    fda_date DATE,
    version_rank BIGINT,
    is_deleted BOOLEAN
);
DELETE FROM model.case_versions WHERE case_id IN (SELECT case_id FROM build.affected_cases);
INSERT INTO model.case_versions
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
    d.caseid IN (   -- never NULL: a listing too long for BIGINT would make every IN NULL
        SELECT TRY_CAST(trim(caseid) AS BIGINT) FROM raw.deleted_cases
        WHERE TRY_CAST(trim(caseid) AS BIGINT) IS NOT NULL
    ) AS is_deleted
FROM staging.demo d
WHERE d.caseid IN (SELECT case_id FROM build.affected_cases) AND d.primaryid IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM staging.input_issues i WHERE i.issue = 'repeated_primaryid'
                  AND i.quarter = d.quarter AND i.line_number = d.line_number);
