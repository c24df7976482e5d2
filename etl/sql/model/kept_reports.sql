-- model.kept_reports: the one kept report version of every case that is not on a deleted list.
-- Child rows (DRUG, REAC, ...) follow it by (primaryid, quarter).
CREATE OR REPLACE TABLE model.kept_reports AS
SELECT case_id, primary_id, quarter, era
FROM model.case_versions
WHERE version_rank = 1 AND NOT is_deleted;
