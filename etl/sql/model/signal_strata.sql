-- model.signal_strata: per signal variant, stratum (received year, sex, age band), level ('pt' or
-- 'event_group') and term: kratom cases with the event and other cases with it. With
-- model.signal_stratum_totals, a filter's 2×2 table is a sum over strata:
--   a = Σ n_kratom_with_event, b = Σ n_kratom_cases − a, c = Σ n_other_with_event,
--   d = Σ n_other_cases − c.
-- Only terms reported with kratom at least once in the variant are kept (the others have a = 0
-- under every filter); rows where both counts are zero are left out.
-- Kept by changes: a stored term gets the changed cases' new contributions minus their old ones;
-- a term with its first kratom case (signal_new_terms) gets the changed cases' new contributions
-- plus the other cases' counts (signal_backfill_strata); a term left without kratom cases goes.
CREATE OR REPLACE TABLE model.signal_strata AS
WITH stored_terms AS (SELECT DISTINCT variant, level, term FROM model.signal_strata),
changes AS (
    SELECT variant, year, sex, age_band, level, term, event_group,
           n_kratom_with_event, n_other_with_event
    FROM signal_plus_strata
    UNION ALL
    SELECT variant, year, sex, age_band, level, term, event_group,
           -n_kratom_with_event, -n_other_with_event
    FROM signal_minus_strata
),
counts AS (
    SELECT variant, year, sex, age_band, level, term, event_group,
           n_kratom_with_event, n_other_with_event
    FROM model.signal_strata
    UNION ALL
    FROM changes SEMI JOIN stored_terms USING (variant, level, term)
    UNION ALL
    FROM signal_plus_strata SEMI JOIN signal_new_terms USING (variant, level, term)
    UNION ALL
    SELECT variant, year, sex, age_band, level, term, event_group,
           n_kratom_with_event, n_other_with_event
    FROM signal_backfill_strata
)
SELECT variant, year, sex, age_band, level, term, event_group,
       sum(n_kratom_with_event)::BIGINT AS n_kratom_with_event,
       sum(n_other_with_event)::BIGINT AS n_other_with_event
FROM counts
GROUP BY variant, year, sex, age_band, level, term, event_group
HAVING sum(n_kratom_with_event) <> 0 OR sum(n_other_with_event) <> 0
QUALIFY sum(sum(n_kratom_with_event)) OVER (PARTITION BY variant, level, term) > 0
ORDER BY variant, level, term, year, sex, age_band;
