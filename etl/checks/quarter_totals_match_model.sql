-- model.quarter_totals (etl/sql/model/quarter_totals.sql) holds exactly model.cases and
-- model.case_versions counted per source and quarter, compared whole both ways: a quarter
-- missing, one too many or a changed count is one offending row (two narrow scans).
WITH cases AS (
    SELECT source, quarter, count(*) AS n_cases,
           count(*) FILTER (WHERE is_kratom) AS n_kratom_cases,
           count(*) FILTER (WHERE is_synthetic) AS n_synthetic_cases
    FROM model.cases GROUP BY ALL
),
versions AS (
    SELECT 'faers-quarterly' AS source, quarter, count(*) AS n_versions
    FROM model.case_versions GROUP BY ALL
),
expected AS (
    SELECT source, quarter, coalesce(v.n_versions, 0) AS n_versions,
           coalesce(c.n_cases, 0) AS n_cases, coalesce(c.n_kratom_cases, 0) AS n_kratom_cases,
           coalesce(c.n_synthetic_cases, 0) AS n_synthetic_cases
    FROM cases c FULL JOIN versions v USING (source, quarter)
)
SELECT 'missing or changed' AS problem, *
FROM (FROM expected EXCEPT ALL FROM model.quarter_totals)
UNION ALL
SELECT 'not in the model', *
FROM (FROM model.quarter_totals EXCEPT ALL FROM expected);
