-- model.pt_names: one display spelling per preferred term, compared case-insensitively across
-- eras (legacy files write PTs in capitals): the reviewed list's spelling, else the most frequent
-- mixed-case spelling, else the most frequent spelling.
CREATE OR REPLACE TABLE model.pt_names AS
WITH spellings AS (
    SELECT upper(pt) AS pt_key, pt, count(*) AS n FROM staging.reac WHERE pt IS NOT NULL
    GROUP BY ALL
),
ranked AS (
    SELECT pt_key, pt,
           row_number() OVER (PARTITION BY pt_key
                              ORDER BY (pt <> upper(pt)) DESC, n DESC, pt) AS rank
    FROM spellings
)
SELECT r.pt_key, coalesce(g.pt, r.pt) AS pt, coalesce(g.event_group, 'other') AS event_group
FROM ranked r
LEFT JOIN ref.event_groups g ON upper(g.pt) = r.pt_key
WHERE r.rank = 1;
