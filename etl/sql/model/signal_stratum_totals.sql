-- model.signal_stratum_totals: kept cases per signal variant and stratum (received year, sex, age
-- band), split into kratom cases and all other cases: the margins of every 2×2 table.
-- Variants: 'any' = kratom in any role; 'suspect' = kratom as primary or secondary suspect (PS/SS),
-- compared with every other kept case (kratom as concomitant included). docs/signals.md.
CREATE OR REPLACE TABLE model.signal_stratum_totals AS
WITH c AS (
    SELECT year(received_date) AS year,
           coalesce(sex, 'U') AS sex,
           coalesce(age_band, 'unknown') AS age_band,
           is_kratom AS in_any,
           coalesce(is_kratom AND kratom_role IN ('PS', 'SS'), false) AS in_suspect
    FROM model.cases
),
wide AS (
    SELECT year, sex, age_band,
           count(*) FILTER (WHERE in_any) AS k_any,
           count(*) FILTER (WHERE NOT in_any) AS o_any,
           count(*) FILTER (WHERE in_suspect) AS k_suspect,
           count(*) FILTER (WHERE NOT in_suspect) AS o_suspect
    FROM c GROUP BY ALL
)
SELECT 'any' AS variant, year, sex, age_band, k_any AS n_kratom_cases, o_any AS n_other_cases
FROM wide
UNION ALL
SELECT 'suspect', year, sex, age_band, k_suspect, o_suspect FROM wide
ORDER BY variant, year, sex, age_band;
