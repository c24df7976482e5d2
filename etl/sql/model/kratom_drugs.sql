-- model.kratom_drugs: every DRUG row (any version, any quarter) whose drugname or prod_ai names
-- kratom, with the pattern and product type of the better (lower priority) of the two matches.
-- Appended for the new quarters' DRUG rows only; a row of no DEMO report (staging.input_issues)
-- is left out.
CREATE OR REPLACE VIEW build.new_kratom_drugs AS
WITH d AS (
    SELECT primaryid, quarter, drug_seq, line_number, record_in_line, role_cod, drugname, prod_ai,
           regexp_replace(trim(upper(drugname)), '[ \t\n\r\f\v]+', ' ', 'g') AS drugname_key,
           regexp_replace(trim(upper(prod_ai)), '[ \t\n\r\f\v]+', ' ', 'g') AS prod_ai_key
    FROM staging.drug
    WHERE quarter IN (SELECT quarter FROM build.new_quarters)
)
SELECT d.primaryid AS primary_id, d.quarter, d.drug_seq, d.line_number, d.record_in_line,
       d.role_cod,
       d.drugname, d.prod_ai,
       CASE WHEN coalesce(a.kratom_priority, 1e9) <= coalesce(b.kratom_priority, 1e9)
            THEN a.name ELSE b.name END AS matched_text,
       CASE WHEN coalesce(a.kratom_priority, 1e9) <= coalesce(b.kratom_priority, 1e9)
            THEN a.kratom_pattern_id ELSE b.kratom_pattern_id END AS pattern_id,
       CASE WHEN coalesce(a.kratom_priority, 1e9) <= coalesce(b.kratom_priority, 1e9)
            THEN a.kratom_product_type ELSE b.kratom_product_type END AS product_type
FROM d
LEFT JOIN model.drug_names a ON a.name = d.drugname_key AND a.kratom_pattern_id IS NOT NULL
LEFT JOIN model.drug_names b ON b.name = d.prod_ai_key AND b.kratom_pattern_id IS NOT NULL
WHERE (a.name IS NOT NULL OR b.name IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM staging.input_issues i WHERE i.issue = 'no_demo_row'
                  AND i.table_name = 'drug' AND i.quarter = d.quarter
                  AND i.line_number = d.line_number);
CREATE TABLE IF NOT EXISTS model.kratom_drugs AS FROM build.new_kratom_drugs LIMIT 0;
INSERT INTO model.kratom_drugs FROM build.new_kratom_drugs;
