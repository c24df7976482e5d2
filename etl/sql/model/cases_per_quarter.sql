-- model.cases_per_quarter: every kept case (background included) counted by calendar quarter of
-- its received date and of its event date ('2019Q3'), per source; cases without that date are
-- not counted for it. The trends page's rate denominator reads these few hundred rows instead of
-- grouping model.cases (17.5 million rows at full size) on the first request after each swap.
-- Written again in full by every build, after every other model step (one scan); the check
-- cases_per_quarter_matches_cases compares its totals with model.cases.
CREATE OR REPLACE TABLE model.cases_per_quarter AS
WITH dated AS (
    SELECT source,
           date_trunc('quarter', received_date) AS received,
           date_trunc('quarter', event_date) AS event
    FROM model.cases
),
counted AS (
    SELECT source, received, event, count(*) AS n_cases
    FROM dated
    GROUP BY GROUPING SETS ((source, received), (source, event))
)
SELECT 'received' AS date_field,
       year(received)::VARCHAR || 'Q' || quarter(received)::VARCHAR AS period, source, n_cases
FROM counted WHERE received IS NOT NULL
UNION ALL
SELECT 'event', year(event)::VARCHAR || 'Q' || quarter(event)::VARCHAR, source, n_cases
FROM counted WHERE event IS NOT NULL
ORDER BY date_field, period, source;
