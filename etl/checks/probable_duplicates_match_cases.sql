-- model.cases.duplicate_of and model.probable_duplicates say the same, and every case shown in
-- place of a probable duplicate is a kept case that is not itself set aside.
WITH flagged AS (
    SELECT case_id, duplicate_of FROM model.cases WHERE duplicate_of IS NOT NULL
),
listed AS (SELECT case_id, shown_case_id AS duplicate_of FROM model.probable_duplicates),
differ AS (
    (FROM flagged EXCEPT ALL FROM listed) UNION ALL (FROM listed EXCEPT ALL FROM flagged)
)
SELECT 'flag differs from model.probable_duplicates' AS problem, case_id FROM differ
UNION ALL
SELECT 'shown case missing or itself a duplicate', p.case_id
FROM model.probable_duplicates p LEFT JOIN model.cases c ON c.case_id = p.shown_case_id
WHERE c.case_id IS NULL OR c.duplicate_of IS NOT NULL;
