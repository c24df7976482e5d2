-- model.case_therapies: therapy start and end dates of the drugs of kratom cases, where given,
-- with each date's precision (day, month, year; staging/ther.sql).
-- Only the affected cases' rows are deleted and derived again.
CREATE OR REPLACE VIEW build.changed_case_therapies AS
SELECT c.case_id, t.drug_seq, t.start_date, t.end_date, t.dur, t.dur_cod,
    t.start_date_precision, t.end_date_precision
FROM model.cases c
JOIN staging.ther t ON t.primaryid = c.primary_id AND t.quarter = c.quarter
WHERE c.is_kratom AND c.case_id IN (SELECT case_id FROM build.affected_cases);
CREATE TABLE IF NOT EXISTS model.case_therapies AS FROM build.changed_case_therapies LIMIT 0;
DELETE FROM model.case_therapies WHERE case_id IN (SELECT case_id FROM build.affected_cases);
INSERT INTO model.case_therapies FROM build.changed_case_therapies;
