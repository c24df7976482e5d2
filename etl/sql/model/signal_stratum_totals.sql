-- model.signal_stratum_totals: kept cases per signal variant and stratum (received year, sex, age
-- band), split into kratom cases and all other cases: the margins of every 2×2 table.
-- Kept by changes: stored counts + the changed cases' new contributions (signal_plus_totals)
-- − their old ones (signal_minus_totals); strata left with no case are dropped. A full build is
-- the case of empty stored counts and every case's contributions (etl/signal_tables.py).
CREATE OR REPLACE TABLE model.signal_stratum_totals AS
WITH changes AS (
    SELECT variant, year, sex, age_band, n_kratom_cases, n_other_cases
    FROM model.signal_stratum_totals
    UNION ALL
    SELECT variant, year, sex, age_band, n_kratom_cases, n_other_cases FROM signal_plus_totals
    UNION ALL
    SELECT variant, year, sex, age_band, -n_kratom_cases, -n_other_cases FROM signal_minus_totals
)
SELECT variant, year, sex, age_band,
       sum(n_kratom_cases)::BIGINT AS n_kratom_cases, sum(n_other_cases)::BIGINT AS n_other_cases
FROM changes
GROUP BY ALL
HAVING sum(n_kratom_cases) <> 0 OR sum(n_other_cases) <> 0
ORDER BY variant, year, sex, age_band;
