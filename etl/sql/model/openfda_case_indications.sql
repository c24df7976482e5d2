-- model.case_indications rows of the openFDA cases kept: drug/event's drugindication per drug,
-- grouped as case_indications.sql does (CAERS gives no indications).
CREATE OR REPLACE VIEW build.openfda_case_indications AS
SELECT DISTINCT
    r.case_id,
    d.drug_seq,
    d.indication_pt,
    coalesce(g.indication_group, 'other') AS indication_group,
    d.is_kratom AS is_kratom_drug
FROM build.openfda_reports r
JOIN build.openfda_drugs d USING (source, safetyreportid, fetched_at)
LEFT JOIN ref.indication_groups g ON upper(g.indication_pt) = upper(d.indication_pt)
WHERE r.fate = 'added' AND d.indication_pt IS NOT NULL;
INSERT INTO model.case_indications BY NAME FROM build.openfda_case_indications;
