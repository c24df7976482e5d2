-- build.dup_members (work table): the cases of build.dup_region in each group that links cases
-- as probable duplicates, by rule (docs/architecture.md, "Probable duplicates"):
--   manufacturer_number  the same mfr_key, unless the group mixes F and M or its known ages
--                        differ by more than 2 years;
--   same_content         the same content_key; a sender's cases leave the group when it sent 8 or
--                        more of them and their shared event date is padded (1 January, or a
--                        month or year only): such a date says little.
-- build.dup_label starts each member with its own case_id; duplicate_label_step.sql spreads the
-- smallest label through the groups until every linked set of cases shares one.
CREATE OR REPLACE TABLE build.dup_members AS
WITH
keys AS (
    SELECT * FROM model.case_match_keys WHERE case_id IN (SELECT case_id FROM build.dup_region)
),
mfr_groups AS (
    SELECT mfr_key FROM keys WHERE mfr_key IS NOT NULL
    GROUP BY mfr_key
    HAVING count(*) >= 2
       AND NOT (bool_or(sex = 'F') AND bool_or(sex = 'M'))
       AND coalesce(max(age_years) - min(age_years), 0) <= 2
),
content_rows AS (
    SELECT case_id, content_key, sender, padded_event_date,
           count(*) OVER (PARTITION BY content_key, sender) AS n_from_sender
    FROM keys WHERE content_key IS NOT NULL
),
content_kept AS (
    SELECT * FROM content_rows
    WHERE NOT (padded_event_date AND sender IS NOT NULL AND n_from_sender >= 8)
),
content_groups AS (
    SELECT content_key FROM content_kept GROUP BY content_key HAVING count(*) >= 2
)
SELECT 'm|' || mfr_key AS group_key, case_id, 'manufacturer_number' AS rule
FROM keys WHERE mfr_key IN (SELECT mfr_key FROM mfr_groups)
UNION ALL
SELECT 'c|' || content_key, case_id, 'same_content'
FROM content_kept WHERE content_key IN (SELECT content_key FROM content_groups);
CREATE OR REPLACE TABLE build.dup_label AS
SELECT DISTINCT case_id, case_id AS label FROM build.dup_members;
