-- build.openfda_reports (work table): one row per openFDA report fetched (the highest version of
-- the latest fetch when one came twice), typed, with its case_id and its fate in
-- model.openfda_funnel, decided in this order: not_kratom (no drug row matches kratom_terms.csv);
-- in_quarterly_files (openfda-faers whose safetyreportid is a caseid of any quarterly version
-- read, deleted ones included); no_received_date; received_before_cutoff (openfda-faers received
-- before the day after the latest quarterly file's quarter: the quarterly files are authoritative);
-- else added. case_id: an all-digit openfda-faers safetyreportid is FAERS's caseid; any other id
-- (CAERS report_number) becomes -1 - (the first 15 hex digits of md5('<source>:<id>')): negative,
-- so it never meets a FAERS caseid, and the same in every build. docs/architecture.md.
CREATE OR REPLACE TABLE build.openfda_reports AS
WITH
latest AS (
    SELECT * FROM raw.openfda_reports
    QUALIFY row_number() OVER (
        PARTITION BY source, safetyreportid
        ORDER BY TRY_CAST(safetyreportversion AS INTEGER) DESC NULLS LAST, fetched_at DESC) = 1
),
kratom AS (
    SELECT source, safetyreportid, fetched_at FROM build.openfda_drugs WHERE is_kratom GROUP BY ALL
),
typed AS (
    SELECT l.*,
           CASE WHEN l.source = 'openfda-faers'
                 AND regexp_full_match(trim(l.safetyreportid), '[0-9]{1,18}')
                THEN CAST(trim(l.safetyreportid) AS BIGINT)
                ELSE -1 - CAST('0x' || left(md5(l.source || ':' || l.safetyreportid), 15) AS BIGINT)
           END AS case_id,
           CASE WHEN regexp_full_match(trim(l.receivedate), '[0-9]{8}')
                THEN staging.faers_date(l.receivedate) END AS received_date,
           k.safetyreportid IS NOT NULL AS names_kratom
    FROM latest l
    LEFT JOIN kratom k
      ON k.source = l.source AND k.safetyreportid = l.safetyreportid
     AND k.fetched_at = l.fetched_at
)
SELECT t.*,
       c.first_day AS cutoff_date,
       CASE
           WHEN NOT t.names_kratom THEN 'not_kratom'
           WHEN t.source = 'openfda-faers'
            AND t.case_id IN (SELECT case_id FROM model.case_versions) THEN 'in_quarterly_files'
           WHEN t.received_date IS NULL THEN 'no_received_date'
           WHEN t.source = 'openfda-faers' AND t.received_date < c.first_day
               THEN 'received_before_cutoff'
           ELSE 'added'
       END AS fate
FROM typed t, build.openfda_cutoff c;
