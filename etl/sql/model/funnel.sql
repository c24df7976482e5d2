-- model.funnel: report versions read -> latest version per case -> after the deleted-case lists,
-- per era (of the version counted) and in total.
CREATE OR REPLACE TABLE model.funnel AS
SELECT
    coalesce(era, 'total') AS era,
    count(*) AS report_versions,
    count(*) FILTER (WHERE version_rank = 1) AS latest_versions,
    count(*) FILTER (WHERE version_rank = 1 AND NOT is_deleted) AS after_deleted
FROM model.case_versions
GROUP BY ROLLUP (era);
