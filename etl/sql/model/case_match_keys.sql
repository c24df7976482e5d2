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
CREATE OR REPLACE VIEW build.changed_match_keys AS
WITH
kept_rows AS (   -- the DEMO row of each kept report, as in model/cases.sql
    SELECT k.case_id, arg_max(d.rowid, d.line_number) AS demo_row
    FROM build.changed_reports k
    JOIN staging.demo d ON d.primaryid = k.primary_id AND d.quarter = k.quarter
    GROUP BY k.case_id
),
demo AS (
    SELECT k.case_id, d.mfr_num, d.mfr_sndr, d.age, coalesce(d.age_cod, 'YR') AS age_cod
    FROM build.changed_reports k
    JOIN kept_rows r ON r.case_id = k.case_id
    JOIN staging.demo d
      ON d.primaryid = k.primary_id AND d.quarter = k.quarter AND d.rowid = r.demo_row
),
drugs AS (
    SELECT k.case_id,
           array_to_string(list_sort(list_distinct(list(staging.drug_name_key(dr.drugname)))), '|')
               AS names
    FROM build.changed_reports k
    JOIN staging.drug dr ON dr.primaryid = k.primary_id AND dr.quarter = k.quarter
    WHERE nullif(staging.drug_name_key(dr.drugname), '') IS NOT NULL
    GROUP BY k.case_id
),
terms AS (
    SELECT case_id, array_to_string(list_sort(list(pt_key)), '|') AS pts
    FROM model.case_events
    WHERE case_id IN (SELECT case_id FROM build.affected_cases)
    GROUP BY case_id
),
keyed AS (
    SELECT c.case_id, c.sex, c.age_years, c.country_code, c.event_date,
           c.event_date_precision, c.latest_received_date,
           nullif(upper(trim(d.mfr_sndr)), '') AS sender,
           nullif(regexp_replace(upper(trim(d.mfr_num)), '^[A-Z]{2}-', ''), '') AS number,
           d.age, d.age_cod, dr.names, t.pts
    FROM model.cases c
    JOIN demo d ON d.case_id = c.case_id
    LEFT JOIN drugs dr ON dr.case_id = c.case_id
    LEFT JOIN terms t ON t.case_id = c.case_id
    WHERE c.source = 'faers-quarterly'
)
SELECT
    case_id,
    sender,
    CASE WHEN sender IS NOT NULL AND number IS NOT NULL THEN sender || '|' || number END
        AS mfr_key,
    CASE WHEN event_date IS NOT NULL AND age IS NOT NULL AND sex IN ('F', 'M')
              AND country_code IS NOT NULL AND names IS NOT NULL AND pts IS NOT NULL
         THEN md5(concat_ws('#', event_date::VARCHAR, event_date_precision, age::VARCHAR,
                            age_cod, sex, country_code, names, pts))
    END AS content_key,
    sex,
    age_years,
    event_date_precision <> 'day' OR (month(event_date) = 1 AND day(event_date) = 1)
        AS padded_event_date,
    latest_received_date AS received_date
FROM keyed;
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
