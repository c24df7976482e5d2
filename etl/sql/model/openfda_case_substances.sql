-- model.case_substances rows of the openFDA cases kept: every drug or product of the report, named
-- and classed by the rule of the quarterly files (staging.substance_names; drugname =
-- medicinalproduct or CAERS name_brand, prod_ai = activesubstancename). route is drug/event's E2B
-- route code as served (e.g. 048 oral); openFDA has no dose form. role_code as in
-- openfda_drugs.sql (never 'PS').
CREATE OR REPLACE VIEW build.openfda_case_substances AS
WITH
rows AS (
    SELECT r.case_id, d.*,
           staging.drug_name_key(coalesce(d.activesubstancename, d.medicinalproduct)) AS name_key,
           staging.drug_name_key(d.medicinalproduct) AS drugname_key
    FROM build.openfda_reports r
    JOIN build.openfda_drugs d USING (source, safetyreportid, fetched_at)
    WHERE r.fate = 'added'
)
SELECT
    r.case_id,
    r.drug_seq,
    r.medicinalproduct AS drugname,
    r.activesubstancename AS prod_ai,
    CASE WHEN r.is_kratom THEN 'kratom' ELSE sn.substance_name END AS substance_name,
    r.is_kratom,
    r.kratom_product_type,
    r.kratom_spelling,
    r.role_code,
    r.route,
    r.dose_text,
    NULL::VARCHAR AS dose_form,
    CASE WHEN r.is_kratom THEN 'kratom' ELSE sn.substance_class END AS substance_class
FROM rows r
LEFT JOIN staging.substance_names('rows') sn
  ON sn.name_key IS NOT DISTINCT FROM r.name_key
 AND sn.drugname_key IS NOT DISTINCT FROM r.drugname_key;
INSERT INTO model.case_substances BY NAME FROM build.openfda_case_substances;
