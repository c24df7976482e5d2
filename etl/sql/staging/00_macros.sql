-- Typing helpers shared by the staging tables.
-- FAERS dates are yyyymmdd, with partial dates (yyyymm, yyyy) allowed; impossible dates become NULL.
CREATE OR REPLACE MACRO staging.faers_date(s) AS CASE
    WHEN regexp_full_match(trim(s), '[0-9]{8}') THEN try_strptime(trim(s), '%Y%m%d')::DATE
    WHEN regexp_full_match(trim(s), '[0-9]{6}') THEN try_strptime(trim(s) || '01', '%Y%m%d')::DATE
    WHEN regexp_full_match(trim(s), '[0-9]{4}') THEN try_strptime(trim(s) || '0101', '%Y%m%d')::DATE
END;

-- How much of an event date is known. Since 2021Q3 FDA pads a month-only date to the 1st and a
-- year-only date to 1 January, so from that quarter on those padded days count as month or year.
CREATE OR REPLACE MACRO staging.faers_date_precision(s, quarter) AS CASE
    WHEN staging.faers_date(s) IS NULL THEN NULL
    WHEN length(trim(s)) = 4 THEN 'year'
    WHEN length(trim(s)) = 6 THEN 'month'
    WHEN quarter >= '2021Q3' AND substr(trim(s), 5, 4) = '0101' THEN 'year'
    WHEN quarter >= '2021Q3' AND substr(trim(s), 7, 2) = '01' THEN 'month'
    ELSE 'day'
END;

CREATE OR REPLACE MACRO staging.blank_to_null(s) AS nullif(trim(s), '');
