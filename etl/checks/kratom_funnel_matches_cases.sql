-- The kratom funnel's last step (etl/sql/model/kratom_funnel.sql), counted from the report
-- versions naming kratom, is exactly the quarterly files' kratom cases, year by year and in
-- total; and its total of kratom cases is model.cases' (no stale table).
SELECT year, after_deleted, kratom_cases, NULL AS model_cases
FROM model.kratom_funnel
WHERE after_deleted <> kratom_cases
UNION ALL
SELECT year, after_deleted, kratom_cases,
       (SELECT count(*) FROM model.cases WHERE is_kratom AND source = 'faers-quarterly')
FROM model.kratom_funnel
WHERE year = 'total'
  AND kratom_cases <> (SELECT count(*) FROM model.cases
                       WHERE is_kratom AND source = 'faers-quarterly');
