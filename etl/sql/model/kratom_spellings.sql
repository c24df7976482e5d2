-- model.kratom_spellings: every distinct spelling that matched a kratom pattern, for review:
-- the pattern and product type it got, kept cases naming it, and report rows naming it.
CREATE OR REPLACE TABLE model.kratom_spellings AS
SELECT
    kd.matched_text AS spelling,
    kd.pattern_id,
    kd.product_type,
    count(DISTINCT k.case_id) AS n_cases,
    count(*) AS n_report_rows
FROM model.kratom_drugs kd
LEFT JOIN model.kept_reports k ON k.primary_id = kd.primary_id AND k.quarter = kd.quarter
GROUP BY ALL;
