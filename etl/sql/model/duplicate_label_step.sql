-- One step of labelling linked cases: each group takes its members' smallest label, then each
-- case the smallest label of its groups. etl/probable_duplicates.py repeats it until no label
-- falls; then every set of cases linked through any chain of groups shares one label.
CREATE OR REPLACE TABLE build.dup_label AS
WITH group_label AS (
    SELECT m.group_key, min(l.label) AS label
    FROM build.dup_members m JOIN build.dup_label l USING (case_id)
    GROUP BY m.group_key
)
SELECT m.case_id, min(g.label) AS label
FROM build.dup_members m JOIN group_label g USING (group_key)
GROUP BY m.case_id;
