-- model.cases_per_quarter counts every case of model.cases with a received (event) date once,
-- by source: its totals per date field and source equal model.cases's (a narrow scan; the
-- quarters themselves come from the same dates in one step, written last).
WITH cases AS (
    SELECT source, count(received_date) AS n_received, count(event_date) AS n_event
    FROM model.cases GROUP BY source
),
counted AS (
    SELECT source,
           coalesce(sum(n_cases) FILTER (WHERE date_field = 'received'), 0) AS n_received,
           coalesce(sum(n_cases) FILTER (WHERE date_field = 'event'), 0) AS n_event
    FROM model.cases_per_quarter GROUP BY source
)
SELECT source,
       coalesce(c.n_received, 0) AS n_received, coalesce(q.n_received, 0) AS n_received_counted,
       coalesce(c.n_event, 0) AS n_event, coalesce(q.n_event, 0) AS n_event_counted
FROM cases c FULL JOIN counted q USING (source)
WHERE coalesce(c.n_received, 0) <> coalesce(q.n_received, 0)
   OR coalesce(c.n_event, 0) <> coalesce(q.n_event, 0);
