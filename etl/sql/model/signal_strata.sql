-- model.signal_strata: per signal variant, stratum (received year, sex, age band), level ('pt' or
-- 'event_group') and term: kratom cases with the event and other cases with it. With
-- model.signal_stratum_totals, a filter's 2×2 table is a sum over strata:
--   a = Σ n_kratom_with_event, b = Σ n_kratom_cases − a, c = Σ n_other_with_event,
--   d = Σ n_other_cases − c.
-- Only terms reported with kratom at least once in the variant are kept (the others have a = 0
-- under every filter); rows where both counts are zero are left out.
CREATE OR REPLACE TABLE model.signal_strata AS
WITH c AS (
    SELECT case_id,
           year(received_date) AS year,
           coalesce(sex, 'U') AS sex,
           coalesce(age_band, 'unknown') AS age_band,
           is_kratom AS in_any,
           coalesce(is_kratom AND kratom_role IN ('PS', 'SS'), false) AS in_suspect
    FROM model.cases
),
ev AS (
    SELECT case_id, 'pt' AS level, pt AS term, event_group FROM model.case_events
    UNION ALL
    SELECT DISTINCT case_id, 'event_group', event_group, event_group FROM model.case_events
),
wide AS (
    SELECT c.year, c.sex, c.age_band, ev.level, ev.term, ev.event_group,
           count(*) FILTER (WHERE c.in_any) AS k_any,
           count(*) FILTER (WHERE NOT c.in_any) AS o_any,
           count(*) FILTER (WHERE c.in_suspect) AS k_suspect,
           count(*) FILTER (WHERE NOT c.in_suspect) AS o_suspect
    FROM ev JOIN c USING (case_id)
    GROUP BY ALL
),
long AS (
    SELECT 'any' AS variant, year, sex, age_band, level, term, event_group,
           k_any AS n_kratom_with_event, o_any AS n_other_with_event
    FROM wide
    UNION ALL
    SELECT 'suspect', year, sex, age_band, level, term, event_group, k_suspect, o_suspect
    FROM wide
)
SELECT * FROM long
WHERE n_kratom_with_event > 0 OR n_other_with_event > 0
QUALIFY sum(n_kratom_with_event) OVER (PARTITION BY variant, level, term) > 0
ORDER BY variant, level, term, year, sex, age_band;
