-- model.probable_duplicates: one row per kept case set aside as a probable duplicate of another
-- kept case (a different caseid), with the case shown in its place (of each linked set, the one
-- FDA received last, then the highest case_id) and the rules that linked it. Rows touching
-- build.dup_region are written again; model.cases.duplicate_of follows them.
DELETE FROM model.probable_duplicates
WHERE case_id IN (SELECT case_id FROM build.dup_region)
   OR shown_case_id IN (SELECT case_id FROM build.dup_region);
INSERT INTO model.probable_duplicates
WITH
linked AS (
    SELECT l.case_id, l.label, k.received_date,
           row_number() OVER (PARTITION BY l.label
                              ORDER BY k.received_date DESC NULLS LAST, l.case_id DESC) AS rank
    FROM build.dup_label l JOIN model.case_match_keys k USING (case_id)
),
shown AS (SELECT label, case_id AS shown_case_id FROM linked WHERE rank = 1),
rules AS (
    SELECT case_id, array_to_string(list_sort(list_distinct(list(rule))), '+') AS matched_on
    FROM build.dup_members GROUP BY case_id
)
SELECT l.case_id, s.shown_case_id, r.matched_on
FROM linked l JOIN shown s USING (label) JOIN rules r USING (case_id)
WHERE l.rank > 1;
UPDATE model.cases SET duplicate_of = NULL
WHERE duplicate_of IS NOT NULL AND case_id IN (SELECT case_id FROM build.dup_region);
UPDATE model.cases SET duplicate_of = p.shown_case_id
FROM model.probable_duplicates p
WHERE model.cases.case_id = p.case_id AND p.case_id IN (SELECT case_id FROM build.dup_region);
