-- model.case_events rows of the openFDA cases kept: their distinct reactions (MedDRA preferred
-- terms; CAERS writes them in capitals), spelled and grouped as model.pt_names does when the term
-- was seen in the quarterly files, else as etl/reference/event_groups.csv, else as reported and
-- 'other'. model.pt_names itself stays a record of the quarterly files.
CREATE OR REPLACE VIEW build.openfda_case_events AS
SELECT DISTINCT
    r.case_id,
    coalesce(p.pt, g.pt, trim(x.reactionmeddrapt)) AS pt,
    coalesce(p.event_group, g.event_group, 'other') AS event_group,
    upper(trim(x.reactionmeddrapt)) AS pt_key
FROM build.openfda_reports r
JOIN raw.openfda_reactions x
  ON x.source = r.source AND x.safetyreportid = r.safetyreportid AND x.fetched_at = r.fetched_at
LEFT JOIN model.pt_names p ON p.pt_key = upper(trim(x.reactionmeddrapt))
LEFT JOIN ref.event_groups g ON upper(g.pt) = upper(trim(x.reactionmeddrapt))
WHERE r.fate = 'added' AND nullif(trim(x.reactionmeddrapt), '') IS NOT NULL;
INSERT INTO model.case_events BY NAME FROM build.openfda_case_events;
