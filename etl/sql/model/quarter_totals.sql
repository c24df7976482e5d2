-- model.quarter_totals: per source and `quarter` as model.cases and model.case_versions hold it
-- (the quarterly file a version was read from; openFDA: the calendar quarter of receipt; not
-- the calendar quarter of a date, which is model.cases_per_quarter's), how many report versions
-- were read, cases kept, kratom cases and synthetic cases. About a hundred rows at full size:
-- what the dashboard says about the whole file (its quarters, its counts, whether any case is
-- synthetic) is read from here instead of from a scan of model.cases (17.5 million rows) on
-- the first request after each swap. Versions come from the quarterly files only, so they are
-- counted under source 'faers-quarterly'. Written again in full by every build, after every
-- other model step; the check quarter_totals_match_model compares it with the model, whole.
CREATE OR REPLACE TABLE model.quarter_totals AS
WITH cases AS (
    SELECT source, quarter, count(*) AS n_cases,
           count(*) FILTER (WHERE is_kratom) AS n_kratom_cases,
           count(*) FILTER (WHERE is_synthetic) AS n_synthetic_cases
    FROM model.cases
    GROUP BY source, quarter
),
versions AS (
    SELECT 'faers-quarterly' AS source, quarter, count(*) AS n_versions
    FROM model.case_versions
    GROUP BY quarter
)
SELECT source, quarter,
       coalesce(v.n_versions, 0) AS n_versions,
       coalesce(c.n_cases, 0) AS n_cases,
       coalesce(c.n_kratom_cases, 0) AS n_kratom_cases,
       coalesce(c.n_synthetic_cases, 0) AS n_synthetic_cases
FROM cases c FULL JOIN versions v USING (source, quarter)
ORDER BY source, quarter;
