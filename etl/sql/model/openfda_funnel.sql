-- model.openfda_funnel: what became of the openFDA reports fetched, per source; each report is
-- counted once, at the first step that leaves it out (order in openfda_reports.sql).
-- received_from: the first receipt date openfda-faers reports are kept from (the day after the
-- latest quarterly file's quarter); CAERS has no quarterly counterpart, so every date is kept.
CREATE OR REPLACE TABLE model.openfda_funnel AS
SELECT
    s.source,
    count(r.safetyreportid) AS n_fetched,
    count(*) FILTER (WHERE r.fate = 'not_kratom') AS n_not_kratom,
    count(*) FILTER (WHERE r.fate = 'in_quarterly_files') AS n_in_quarterly_files,
    count(*) FILTER (WHERE r.fate = 'no_received_date') AS n_no_received_date,
    count(*) FILTER (WHERE r.fate = 'received_before_cutoff') AS n_received_before_cutoff,
    count(*) FILTER (WHERE r.fate = 'added') AS n_added,
    CASE WHEN s.source = 'openfda-faers' THEN any_value(c.first_day) END::DATE AS received_from
FROM (VALUES ('openfda-faers'), ('openfda-caers')) s(source)
LEFT JOIN build.openfda_reports r ON r.source = s.source
CROSS JOIN build.openfda_cutoff c
GROUP BY s.source
ORDER BY s.source DESC;
