-- model.pt_names: one display spelling per preferred term, compared case-insensitively across
-- eras (legacy files write PTs in capitals): the reviewed list's spelling, else the most frequent
-- mixed-case spelling, else the most frequent spelling. model.pt_spellings keeps the count of
-- every spelling, so a build adds the new quarters' counts instead of re-reading every reaction.
-- build.changed_pt_names (work table): keys that are new or whose spelling or group changed;
-- case_events.sql updates its rows of those keys.
CREATE TABLE IF NOT EXISTS model.pt_spellings (pt_key VARCHAR, pt VARCHAR, n_rows BIGINT);
CREATE OR REPLACE TABLE build.new_pt_spellings AS
SELECT upper(pt) AS pt_key, pt, count(*) AS n_rows
FROM staging.reac
WHERE quarter IN (SELECT quarter FROM build.new_quarters) AND pt IS NOT NULL
GROUP BY ALL;
UPDATE model.pt_spellings SET n_rows = model.pt_spellings.n_rows + n.n_rows
FROM build.new_pt_spellings n WHERE model.pt_spellings.pt = n.pt;
INSERT INTO model.pt_spellings
FROM build.new_pt_spellings n WHERE n.pt NOT IN (SELECT pt FROM model.pt_spellings);

CREATE TABLE IF NOT EXISTS model.pt_names (pt_key VARCHAR, pt VARCHAR, event_group VARCHAR);
CREATE OR REPLACE TABLE build.changed_pt_names AS
WITH ranked AS (
    SELECT pt_key, pt,
           row_number() OVER (PARTITION BY pt_key
                              ORDER BY (pt <> upper(pt)) DESC, n_rows DESC, pt) AS rank
    FROM model.pt_spellings
    WHERE pt_key IN (SELECT pt_key FROM build.new_pt_spellings)
)
SELECT r.pt_key, coalesce(g.pt, r.pt) AS pt, coalesce(g.event_group, 'other') AS event_group
FROM ranked r
LEFT JOIN ref.event_groups g ON upper(g.pt) = r.pt_key
WHERE r.rank = 1
EXCEPT
SELECT pt_key, pt, event_group FROM model.pt_names;
DELETE FROM model.pt_names WHERE pt_key IN (SELECT pt_key FROM build.changed_pt_names);
INSERT INTO model.pt_names FROM build.changed_pt_names;
