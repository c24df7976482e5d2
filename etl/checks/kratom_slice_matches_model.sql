-- The kratom slice (etl/sql/model/kratom_slice.sql) holds exactly the kratom cases' rows of
-- model.cases and model.case_events, compared whole both ways: a row missing from the slice,
-- a row too many, or a changed value is one offending row.
WITH kratom AS (SELECT * FROM model.cases WHERE is_kratom),
kratom_events AS (
    SELECT e.* FROM model.case_events e WHERE e.case_id IN (SELECT case_id FROM kratom)
)
SELECT 'model.kratom_cases' AS slice, 'missing' AS problem, case_id
FROM (FROM kratom EXCEPT ALL FROM model.kratom_cases)
UNION ALL
SELECT 'model.kratom_cases', 'not a kratom case of model.cases', case_id
FROM (FROM model.kratom_cases EXCEPT ALL FROM kratom)
UNION ALL
SELECT 'model.kratom_case_events', 'missing', case_id
FROM (FROM kratom_events EXCEPT ALL FROM model.kratom_case_events)
UNION ALL
SELECT 'model.kratom_case_events', 'not an event of a kratom case', case_id
FROM (FROM model.kratom_case_events EXCEPT ALL FROM kratom_events);
