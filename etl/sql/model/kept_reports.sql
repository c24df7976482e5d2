-- model.kept_reports: the one kept report version of every case that is not on a deleted list.
-- Child rows (DRUG, REAC, ...) follow it by (primaryid, quarter). build.changed_reports (work
-- table) holds the kept reports of the affected cases: the rows every later step re-derives.
CREATE OR REPLACE TABLE build.changed_reports AS
SELECT case_id, primary_id, quarter, era
FROM model.case_versions
WHERE case_id IN (SELECT case_id FROM build.affected_cases)
  AND version_rank = 1 AND NOT is_deleted;
CREATE TABLE IF NOT EXISTS model.kept_reports AS FROM build.changed_reports LIMIT 0;
DELETE FROM model.kept_reports WHERE case_id IN (SELECT case_id FROM build.affected_cases);
INSERT INTO model.kept_reports FROM build.changed_reports;
