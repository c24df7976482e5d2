-- model.case_events: the distinct preferred terms of every kept case (background included),
-- with the reviewed event group ("other" when the term is not in etl/reference/event_groups.csv)
-- and pt_key, the upper-case key of model.pt_names. Rows of keys whose display spelling changed
-- are updated; the affected cases' rows are deleted and derived again.
CREATE OR REPLACE VIEW build.changed_case_events AS
WITH keys AS (   -- each case and key once, then its one row of model.pt_names
    SELECT DISTINCT k.case_id, upper(r.pt) AS pt_key
    FROM build.changed_reports k
    JOIN staging.reac r ON r.primaryid = k.primary_id AND r.quarter = k.quarter
)
SELECT keys.case_id, p.pt, p.event_group, p.pt_key
FROM keys JOIN model.pt_names p USING (pt_key);
CREATE TABLE IF NOT EXISTS model.case_events AS FROM build.changed_case_events LIMIT 0;
UPDATE model.case_events SET pt = c.pt, event_group = c.event_group
FROM build.changed_pt_names c WHERE model.case_events.pt_key = c.pt_key;
DELETE FROM model.case_events WHERE case_id IN (SELECT case_id FROM build.affected_cases);
INSERT INTO model.case_events FROM build.changed_case_events;
