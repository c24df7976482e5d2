-- model.case_therapies: therapy start and end dates of the drugs of kratom cases, where given.
CREATE OR REPLACE TABLE model.case_therapies AS
SELECT c.case_id, t.drug_seq, t.start_date, t.end_date, t.dur, t.dur_cod
FROM model.cases c
JOIN staging.ther t ON t.primaryid = c.primary_id AND t.quarter = c.quarter
WHERE c.is_kratom;
