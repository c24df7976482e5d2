-- model.case_events: the distinct preferred terms of every kept case (background included),
-- with the reviewed event group ("other" when the term is not in etl/reference/event_groups.csv).
CREATE OR REPLACE TABLE model.case_events AS
SELECT DISTINCT k.case_id, p.pt, p.event_group
FROM model.kept_reports k
JOIN staging.reac r ON r.primaryid = k.primary_id AND r.quarter = k.quarter
JOIN model.pt_names p ON p.pt_key = upper(r.pt);
