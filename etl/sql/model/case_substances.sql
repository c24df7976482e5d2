-- model.case_substances: every DRUG row of the kept report of each kratom case, with a normalised
-- substance name and its class. Kratom rows (kratom_terms.csv, model.kratom_drugs) are named and
-- classed "kratom"; every other row by staging.substance_names (staging/00_macros.sql: a reviewed
-- synonym of prod_ai or drugname, else prod_ai, else drugname, cleaned by drug_name_noise.csv, in
-- lower case; the class follows the name, names not listed are "other"), the rule openFDA's rows
-- share (openfda_case_substances.sql).
-- Only the affected cases' rows are deleted and derived again.
CREATE OR REPLACE VIEW build.changed_case_substances AS
WITH
rows AS (
    SELECT c.case_id, d.quarter, d.primaryid, d.line_number, d.record_in_line, d.drug_seq,
           d.drugname, d.prod_ai, d.role_cod, d.route, d.dose_form,
           coalesce(d.dose_vbm, nullif(concat_ws(' ', d.dose_amt, d.dose_unit, d.dose_freq), ''))
               AS dose_text,
           staging.drug_name_key(coalesce(d.prod_ai, d.drugname)) AS name_key,
           staging.drug_name_key(d.drugname) AS drugname_key
    FROM model.cases c
    JOIN staging.drug d ON d.primaryid = c.primary_id AND d.quarter = c.quarter
    WHERE c.is_kratom AND c.case_id IN (SELECT case_id FROM build.affected_cases)
)
SELECT
    r.case_id,
    r.drug_seq,
    r.drugname,
    r.prod_ai,
    CASE WHEN kd.primary_id IS NOT NULL THEN 'kratom' ELSE sn.substance_name END AS substance_name,
    kd.primary_id IS NOT NULL AS is_kratom,
    kd.product_type AS kratom_product_type,
    kd.matched_text AS kratom_spelling,
    r.role_cod AS role_code,
    r.route,
    r.dose_text,
    r.dose_form,
    CASE WHEN kd.primary_id IS NOT NULL THEN 'kratom' ELSE sn.substance_class END
        AS substance_class
FROM rows r
LEFT JOIN model.kratom_drugs kd
  ON kd.primary_id = r.primaryid AND kd.quarter = r.quarter AND kd.line_number = r.line_number
 AND kd.record_in_line = r.record_in_line
LEFT JOIN staging.substance_names('rows') sn
  ON sn.name_key IS NOT DISTINCT FROM r.name_key
 AND sn.drugname_key IS NOT DISTINCT FROM r.drugname_key;
CREATE TABLE IF NOT EXISTS model.case_substances AS FROM build.changed_case_substances LIMIT 0;
DELETE FROM model.case_substances WHERE case_id IN (SELECT case_id FROM build.affected_cases);
INSERT INTO model.case_substances FROM build.changed_case_substances;
