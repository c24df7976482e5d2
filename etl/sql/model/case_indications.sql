-- model.case_indications: why each drug of a kratom case was taken, as reported, with a reviewed
-- indication group, and whether the indication belongs to a kratom drug row.
-- Only the affected cases' rows are deleted and derived again.
CREATE OR REPLACE VIEW build.changed_case_indications AS
SELECT DISTINCT
    c.case_id,
    i.drug_seq,
    i.indi_pt AS indication_pt,
    coalesce(g.indication_group, 'other') AS indication_group,
    i.drug_seq IN (SELECT kd.drug_seq FROM model.kratom_drugs kd
                   WHERE kd.primary_id = c.primary_id AND kd.quarter = c.quarter) AS is_kratom_drug
FROM model.cases c
JOIN staging.indi i ON i.primaryid = c.primary_id AND i.quarter = c.quarter
LEFT JOIN ref.indication_groups g ON upper(g.indication_pt) = upper(i.indi_pt)
WHERE c.is_kratom AND i.indi_pt IS NOT NULL
  AND c.case_id IN (SELECT case_id FROM build.affected_cases);
CREATE TABLE IF NOT EXISTS model.case_indications AS FROM build.changed_case_indications LIMIT 0;
DELETE FROM model.case_indications WHERE case_id IN (SELECT case_id FROM build.affected_cases);
INSERT INTO model.case_indications FROM build.changed_case_indications;
