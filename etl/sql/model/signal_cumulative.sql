-- model.signal_cumulative (counts): for each variant, level and term, the unstratified 2×2 table of
-- all cases received up to the end of each year, from the first year with a kratom case with the
-- event. etl/signal_tables.py adds the statistics and screens (etl.signals.disproportionality).
CREATE OR REPLACE TABLE model.signal_cumulative AS
WITH totals AS (
    SELECT variant, year,
           sum(sum(n_kratom_cases)) OVER w AS n_kratom_cases,
           sum(sum(n_other_cases)) OVER w AS n_other_cases
    FROM model.signal_stratum_totals
    WHERE year IS NOT NULL
    GROUP BY variant, year
    WINDOW w AS (PARTITION BY variant ORDER BY year)
),
per_year AS (
    SELECT variant, level, term, year,
           sum(n_kratom_with_event) AS k, sum(n_other_with_event) AS o
    FROM model.signal_strata
    WHERE year IS NOT NULL
    GROUP BY ALL
),
grid AS (
    SELECT t.variant, s.level, s.term, t.year
    FROM (SELECT DISTINCT variant, level, term FROM model.signal_strata) s
    JOIN totals t USING (variant)
),
cumulative AS (
    SELECT g.variant, g.level, g.term, g.year,
           sum(coalesce(p.k, 0)) OVER w AS a,
           sum(coalesce(p.o, 0)) OVER w AS c
    FROM grid g
    LEFT JOIN per_year p USING (variant, level, term, year)
    WINDOW w AS (PARTITION BY g.variant, g.level, g.term ORDER BY g.year)
)
SELECT cu.variant, cu.level, cu.term, cu.year,
       cu.a::BIGINT AS a, (t.n_kratom_cases - cu.a)::BIGINT AS b,
       cu.c::BIGINT AS c, (t.n_other_cases - cu.c)::BIGINT AS d
FROM cumulative cu
JOIN totals t USING (variant, year)
WHERE cu.a > 0
ORDER BY cu.variant, cu.level, cu.term, cu.year;
