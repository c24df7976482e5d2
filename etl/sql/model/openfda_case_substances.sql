-- model.case_substances rows of the openFDA cases kept: every drug or product of the report, named
-- and classed by the rules of case_substances.sql (drugname = medicinalproduct or CAERS
-- name_brand, prod_ai = activesubstancename). route is drug/event's E2B route code as served
-- (e.g. 048 oral); openFDA has no dose form. role_code as in openfda_drugs.sql (never 'PS').
CREATE OR REPLACE VIEW build.openfda_case_substances AS
WITH
rows AS (
    SELECT r.case_id, d.*,
           trim(regexp_replace(upper(coalesce(d.activesubstancename, d.medicinalproduct)),
                               '[ \t\n\r\f\v]+', ' ', 'g')) AS name_key,
           trim(regexp_replace(upper(d.medicinalproduct), '[ \t\n\r\f\v]+', ' ', 'g'))
               AS drugname_key
    FROM build.openfda_reports r
    JOIN build.openfda_drugs d USING (source, safetyreportid, fetched_at)
    WHERE r.fate = 'added'
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
    r.medicinalproduct AS drugname,
    r.activesubstancename AS prod_ai,
    CASE WHEN r.is_kratom THEN 'kratom' ELSE coalesce(sy.substance_name, cl.name) END
        AS substance_name,
    r.is_kratom,
    r.kratom_product_type,
    r.kratom_spelling,
    r.role_code,
    r.route,
    r.dose_text,
    NULL::VARCHAR AS dose_form,
    CASE WHEN r.is_kratom THEN 'kratom' ELSE coalesce(sc.substance_class, 'other') END
        AS substance_class
FROM rows r
LEFT JOIN cleaned cl ON cl.name_key = r.name_key
LEFT JOIN synonym sy
  ON sy.name_key = r.name_key AND sy.drugname_key IS NOT DISTINCT FROM r.drugname_key
 AND sy.rank = 1
LEFT JOIN ref.substance_classes sc
  ON sc.substance_name = coalesce(sy.substance_name, cl.name);
INSERT INTO model.case_substances BY NAME FROM build.openfda_case_substances;
