-- model.case_substances: every DRUG row of the kept report of each kratom case, with a normalised
-- substance name and its class. Name rule: kratom (kratom_terms.csv); else a reviewed synonym of
-- prod_ai or drugname (lowest priority wins); else prod_ai, else drugname, cleaned by
-- drug_name_noise.csv (patterns anywhere; words only after the first word), in lower case.
-- Substance classes follow the name (kratom is its own class; names not listed are "other").
-- Only the affected cases' rows are deleted and derived again.
CREATE OR REPLACE VIEW build.changed_case_substances AS
WITH
rows AS (
    SELECT c.case_id, d.quarter, d.primaryid, d.line_number, d.record_in_line, d.drug_seq,
           d.drugname, d.prod_ai, d.role_cod, d.route, d.dose_form,
           coalesce(d.dose_vbm, nullif(concat_ws(' ', d.dose_amt, d.dose_unit, d.dose_freq), ''))
               AS dose_text,
           trim(regexp_replace(upper(coalesce(d.prod_ai, d.drugname)), '[ \t\n\r\f\v]+', ' ', 'g'))
               AS name_key,
           trim(regexp_replace(upper(d.drugname), '[ \t\n\r\f\v]+', ' ', 'g')) AS drugname_key
    FROM model.cases c
    JOIN staging.drug d ON d.primaryid = c.primary_id AND d.quarter = c.quarter
    WHERE c.is_kratom AND c.case_id IN (SELECT case_id FROM build.affected_cases)
),
keys AS (   -- regexp patterns from a table compile once per row: match each name once
    SELECT DISTINCT name_key, drugname_key FROM rows
),
synonym AS (
    SELECT k.name_key, k.drugname_key, s.substance_name,
           row_number() OVER (PARTITION BY k.name_key, k.drugname_key
                              ORDER BY s.priority, s.substance_name) AS rank
    FROM keys k JOIN ref.substance_synonyms s
      ON regexp_matches(k.name_key, s.pattern) OR regexp_matches(k.drugname_key, s.pattern)
),
noise AS (
    SELECT (SELECT string_agg(word, '|') FROM ref.drug_name_noise WHERE kind = 'pattern')
               AS pattern,
           (SELECT list(word) FROM ref.drug_name_noise WHERE kind <> 'pattern') AS words
),
cleaned AS (
    SELECT k.name_key, staging.cleaned_drug_name(k.name_key, n.pattern, n.words) AS name
    FROM (SELECT DISTINCT name_key FROM rows) k, noise n
)
SELECT
    r.case_id,
    r.drug_seq,
    r.drugname,
    r.prod_ai,
    CASE WHEN kd.primary_id IS NOT NULL THEN 'kratom' ELSE coalesce(sy.substance_name, cl.name) END
        AS substance_name,
    kd.primary_id IS NOT NULL AS is_kratom,
    kd.product_type AS kratom_product_type,
    kd.matched_text AS kratom_spelling,
    r.role_cod AS role_code,
    r.route,
    r.dose_text,
    r.dose_form,
    CASE WHEN kd.primary_id IS NOT NULL THEN 'kratom' ELSE coalesce(sc.substance_class, 'other') END
        AS substance_class
FROM rows r
LEFT JOIN cleaned cl ON cl.name_key = r.name_key
LEFT JOIN model.kratom_drugs kd
  ON kd.primary_id = r.primaryid AND kd.quarter = r.quarter AND kd.line_number = r.line_number
 AND kd.record_in_line = r.record_in_line
LEFT JOIN synonym sy
  ON sy.name_key = r.name_key AND sy.drugname_key IS NOT DISTINCT FROM r.drugname_key
 AND sy.rank = 1
LEFT JOIN ref.substance_classes sc
  ON sc.substance_name = coalesce(sy.substance_name, cl.name);
CREATE TABLE IF NOT EXISTS model.case_substances AS FROM build.changed_case_substances LIMIT 0;
DELETE FROM model.case_substances WHERE case_id IN (SELECT case_id FROM build.affected_cases);
INSERT INTO model.case_substances FROM build.changed_case_substances;
