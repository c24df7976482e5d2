-- model.kratom_funnel: how report versions naming kratom become kratom cases, per year and in
-- total. A version's year is that of the quarterly file it was read from (FDA files each version
-- in the quarter it received it, so this is the year of receipt of that version; unlike fda_dt
-- it is never blank). The steps follow model.funnel, restricted to versions with a DRUG row
-- naming kratom (model.kratom_drugs):
--   report_versions  such versions read;
--   latest_versions  of those, the case's latest version (version_rank = 1);
--   after_deleted    of those, the case on no deleted list (= the kept kratom cases);
--   kratom_cases     the quarterly files' kratom cases of model.kratom_cases, by their kept
--                    version's year (check kratom_funnel_matches_cases: equals after_deleted);
--   kratom_dropped_in_followup  kept cases an earlier version of which names kratom while the
--                    kept version does not (not kratom cases), by their kept version's year.
-- Written again in full by every build after the kratom slice: a semi-join of the small
-- kratom_drugs with model.case_versions, no state.
CREATE OR REPLACE TABLE model.kratom_funnel AS
WITH kratom_versions AS (
    SELECT cv.case_id, cv.quarter, cv.version_rank, cv.is_deleted
    FROM model.case_versions cv
    SEMI JOIN model.kratom_drugs kd ON kd.primary_id = cv.primary_id AND kd.quarter = cv.quarter
),
dropped AS (
    SELECT k.quarter
    FROM model.kept_reports k
    WHERE k.case_id IN (SELECT case_id FROM kratom_versions)
      AND k.case_id NOT IN (SELECT case_id FROM kratom_versions WHERE version_rank = 1)
),
counted AS (
    SELECT left(quarter, 4) AS year, 'version' AS kind, version_rank, is_deleted
    FROM kratom_versions
    UNION ALL
    SELECT left(quarter, 4), 'case', NULL, NULL
    FROM model.kratom_cases WHERE source = 'faers-quarterly'
    UNION ALL
    SELECT left(quarter, 4), 'dropped', NULL, NULL FROM dropped
)
SELECT
    coalesce(year, 'total') AS year,
    count(*) FILTER (WHERE kind = 'version') AS report_versions,
    count(*) FILTER (WHERE kind = 'version' AND version_rank = 1) AS latest_versions,
    count(*) FILTER (WHERE kind = 'version' AND version_rank = 1 AND NOT is_deleted)
        AS after_deleted,
    count(*) FILTER (WHERE kind = 'case') AS kratom_cases,
    count(*) FILTER (WHERE kind = 'dropped') AS kratom_dropped_in_followup
FROM counted
GROUP BY ROLLUP (year)
ORDER BY year IS NULL, year;
