-- build.affected_cases (work table): the caseids whose kept version may change in this build, i.e.
-- every caseid in the new quarters' DEMO rows or on their deleted lists. Only these cases are
-- re-ranked and re-derived below; every other case keeps its model rows untouched.
CREATE OR REPLACE TABLE build.affected_cases AS
SELECT caseid AS case_id FROM staging.demo
WHERE quarter IN (SELECT quarter FROM build.new_quarters) AND caseid IS NOT NULL
UNION
SELECT TRY_CAST(trim(caseid) AS BIGINT) FROM raw.deleted_cases
WHERE quarter IN (SELECT quarter FROM build.new_quarters)
  AND TRY_CAST(trim(caseid) AS BIGINT) IS NOT NULL;
