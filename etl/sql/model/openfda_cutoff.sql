-- build.openfda_cutoff (work table): the day after the latest quarterly file's quarter
-- (2024-10-01 after 2024Q3). openfda-faers reports first received before it are left to the
-- quarterly files; NULL when no quarter is loaded.
CREATE OR REPLACE TABLE build.openfda_cutoff AS
SELECT make_date(CAST(left(max(quarter), 4) AS INTEGER), 1, 1)
       + to_months(3 * CAST(right(max(quarter), 1) AS INTEGER)) AS first_day
FROM raw.quarters;
