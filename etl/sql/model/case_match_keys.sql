-- model.case_match_keys: what two kept FAERS cases under different caseids must share to be
-- probable duplicates of each other (docs/architecture.md, "Probable duplicates"):
--   mfr_key      the sender (mfr_sndr) and its case number (mfr_num), upper case, a leading
--                two-letter country prefix such as "US-" dropped;
--   content_key  event date, age as reported (age and age_cod), sex, country, the set of drug
--                names and the set of preferred terms; NULL when any of them is not given.
-- The affected cases' rows are derived again. build.dup_region (work table) starts as the cases
-- whose kept version changes plus every case sharing a key (old or new) with one of them;
-- etl/probable_duplicates.py grows it to whole groups before the links are drawn again.
CREATE TABLE IF NOT EXISTS model.case_match_keys (
    case_id BIGINT, sender VARCHAR, mfr_key VARCHAR, content_key VARCHAR, sex VARCHAR,
    age_years DOUBLE, padded_event_date BOOLEAN, received_date DATE
);
CREATE TABLE IF NOT EXISTS model.probable_duplicates (
    case_id BIGINT, shown_case_id BIGINT, matched_on VARCHAR
);
CREATE OR REPLACE TABLE build.dup_touched_keys AS
SELECT mfr_key AS match_key FROM model.case_match_keys
WHERE case_id IN (SELECT case_id FROM build.affected_cases) AND mfr_key IS NOT NULL
UNION
SELECT content_key FROM model.case_match_keys
WHERE case_id IN (SELECT case_id FROM build.affected_cases) AND content_key IS NOT NULL;
CREATE OR REPLACE TABLE build.changed_match_keys AS
WITH
kept_rows AS (   -- the DEMO row of each kept report, as in model/cases.sql
    SELECT k.case_id, arg_max(d.rowid, d.line_number) AS demo_row
    FROM build.changed_reports k
    JOIN staging.demo d ON d.primaryid = k.primary_id AND d.quarter = k.quarter
    GROUP BY k.case_id
),
base AS (
    SELECT c.case_id, k.primary_id, k.quarter, c.sex, c.age_years, c.country_code,
           c.event_date, c.event_date_precision, c.latest_received_date,
           nullif(upper(trim(d.mfr_sndr)), '') AS sender,
           nullif(regexp_replace(upper(trim(d.mfr_num)), '^[A-Z]{2}-', ''), '') AS number,
           d.age, coalesce(d.age_cod, 'YR') AS age_cod,
           -- every field but the drugs and terms given: only these can have a content key
           (c.event_date IS NOT NULL AND d.age IS NOT NULL AND c.sex IN ('F', 'M')
            AND c.country_code IS NOT NULL) AS content_given
    FROM build.changed_reports k
    JOIN kept_rows r ON r.case_id = k.case_id
    JOIN staging.demo d
      ON d.primaryid = k.primary_id AND d.quarter = k.quarter AND d.rowid = r.demo_row
    JOIN model.cases c ON c.case_id = k.case_id
    WHERE c.source = 'faers-quarterly'
),
drugs AS (
    SELECT b.case_id,
           array_to_string(list_sort(list_distinct(list(staging.drug_name_key(dr.drugname)))), '|')
               AS names
    FROM base b
    JOIN staging.drug dr ON dr.primaryid = b.primary_id AND dr.quarter = b.quarter
    WHERE b.content_given AND nullif(staging.drug_name_key(dr.drugname), '') IS NOT NULL
    GROUP BY b.case_id
),
terms AS (
    SELECT e.case_id, array_to_string(list_sort(list(e.pt_key)), '|') AS pts
    FROM model.case_events e
    WHERE e.case_id IN (SELECT case_id FROM base WHERE content_given)
    GROUP BY e.case_id
)
SELECT
    b.case_id,
    b.sender,
    CASE WHEN b.sender IS NOT NULL AND b.number IS NOT NULL THEN b.sender || '|' || b.number END
        AS mfr_key,
    CASE WHEN dr.names IS NOT NULL AND t.pts IS NOT NULL
         THEN md5(concat_ws('#', b.event_date::VARCHAR, b.event_date_precision, b.age::VARCHAR,
                            b.age_cod, b.sex, b.country_code, dr.names, t.pts))
    END AS content_key,
    b.sex,
    b.age_years,
    b.event_date_precision <> 'day' OR (month(b.event_date) = 1 AND day(b.event_date) = 1)
        AS padded_event_date,
    b.latest_received_date AS received_date
FROM base b
LEFT JOIN drugs dr ON dr.case_id = b.case_id
LEFT JOIN terms t ON t.case_id = b.case_id;
DELETE FROM model.case_match_keys WHERE case_id IN (SELECT case_id FROM build.affected_cases);
INSERT INTO model.case_match_keys FROM build.changed_match_keys;
INSERT INTO build.dup_touched_keys
SELECT mfr_key FROM build.changed_match_keys WHERE mfr_key IS NOT NULL
UNION
SELECT content_key FROM build.changed_match_keys WHERE content_key IS NOT NULL;
CREATE OR REPLACE TABLE build.dup_region AS
SELECT case_id FROM build.affected_cases
UNION
SELECT case_id FROM model.case_match_keys
WHERE mfr_key IN (SELECT match_key FROM build.dup_touched_keys)
   OR content_key IN (SELECT match_key FROM build.dup_touched_keys);
