-- model.case_substances: every DRUG row of the kept report of each kratom case, with a normalised
-- substance name and its class. Name rule: kratom (kratom_terms.csv); else a reviewed synonym of
-- prod_ai or drugname (lowest priority wins); else prod_ai, else drugname, cleaned by
-- drug_name_noise.csv (patterns anywhere; words only after the first word), in lower case.
CREATE OR REPLACE TABLE model.case_substances AS
WITH
rows AS (
    SELECT c.case_id, d.quarter, d.primaryid, d.line_number, d.drug_seq, d.drugname, d.prod_ai,
           d.role_cod, d.route, d.dose_form,
           coalesce(d.dose_vbm, nullif(concat_ws(' ', d.dose_amt, d.dose_unit, d.dose_freq), ''))
               AS dose_text,
           trim(regexp_replace(upper(coalesce(d.prod_ai, d.drugname)), '[ \t\n\r\f\v]+', ' ', 'g'))
               AS name_key,
           trim(regexp_replace(upper(d.drugname), '[ \t\n\r\f\v]+', ' ', 'g')) AS drugname_key
    FROM model.cases c
    JOIN staging.drug d ON d.primaryid = c.primary_id AND d.quarter = c.quarter
    WHERE c.is_kratom
),
synonym AS (
    SELECT r.primaryid, r.quarter, r.line_number, s.substance_name,
           row_number() OVER (PARTITION BY r.primaryid, r.quarter, r.line_number
                              ORDER BY s.priority, s.substance_name) AS rank
    FROM rows r JOIN ref.substance_synonyms s
      ON regexp_matches(r.name_key, s.pattern) OR regexp_matches(r.drugname_key, s.pattern)
),
noise AS (
    SELECT (SELECT string_agg(word, '|') FROM ref.drug_name_noise WHERE kind = 'pattern')
               AS pattern,
           (SELECT list(word) FROM ref.drug_name_noise WHERE kind <> 'pattern') AS words
),
cleaned AS (
    SELECT r.primaryid, r.quarter, r.line_number,
           lower(nullif(array_to_string(list_filter(
               string_split(trim(regexp_replace(regexp_replace(r.name_key, n.pattern, ' ', 'g'),
                                                ' +', ' ', 'g')), ' '),
               lambda w, i: w <> '' AND (i = 1 OR NOT list_contains(n.words, w))), ' '), ''))
               AS name
    FROM rows r, noise n
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
    r.dose_form
FROM rows r
JOIN cleaned cl USING (primaryid, quarter, line_number)
LEFT JOIN model.kratom_drugs kd
  ON kd.primary_id = r.primaryid AND kd.quarter = r.quarter AND kd.line_number = r.line_number
LEFT JOIN synonym sy
  ON sy.primaryid = r.primaryid AND sy.quarter = r.quarter AND sy.line_number = r.line_number
 AND sy.rank = 1;

-- Substance classes follow the name (kratom is its own class; names not listed are "other").
ALTER TABLE model.case_substances ADD COLUMN substance_class VARCHAR;
UPDATE model.case_substances s
SET substance_class = CASE WHEN s.is_kratom THEN 'kratom'
    ELSE coalesce((SELECT c.substance_class FROM ref.substance_classes c
                   WHERE c.substance_name = s.substance_name), 'other') END;
