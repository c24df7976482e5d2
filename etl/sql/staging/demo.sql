-- staging.demo: one typed row per DEMO row of every quarter and era.
-- Only the rows of the new quarters are typed and appended (build.new_quarters).
CREATE OR REPLACE VIEW build.new_demo AS
SELECT
    quarter,
    layout AS era,
    source_file,
    line_number,
    TRY_CAST(trim(primaryid) AS BIGINT) AS primaryid,
    TRY_CAST(trim(caseid) AS BIGINT) AS caseid,
    TRY_CAST(trim(caseversion) AS INTEGER) AS caseversion,
    upper(staging.blank_to_null(i_f_code)) AS i_f_code,
    staging.blank_to_null(event_dt) AS event_dt,
    staging.faers_date(event_dt) AS event_date,
    staging.faers_date_precision(event_dt, quarter) AS event_date_precision,
    staging.faers_date(init_fda_dt) AS init_fda_date,
    staging.faers_date(fda_dt) AS fda_date,
    staging.faers_date(mfr_dt) AS mfr_date,
    staging.faers_date(rept_dt) AS rept_date,
    upper(staging.blank_to_null(rept_cod)) AS rept_cod,
    staging.blank_to_null(mfr_num) AS mfr_num,
    staging.blank_to_null(mfr_sndr) AS mfr_sndr,
    TRY_CAST(trim(age) AS DOUBLE) AS age,
    upper(staging.blank_to_null(age_cod)) AS age_cod,
    upper(staging.blank_to_null(age_grp)) AS age_grp,
    upper(staging.blank_to_null(sex)) AS sex,
    TRY_CAST(trim(wt) AS DOUBLE) AS wt,
    upper(staging.blank_to_null(wt_cod)) AS wt_cod,
    upper(staging.blank_to_null(occp_cod)) AS occp_cod,
    upper(staging.blank_to_null(reporter_country)) AS reporter_country,
    upper(staging.blank_to_null(occr_country)) AS occr_country
FROM raw.demo
WHERE quarter IN (SELECT quarter FROM build.new_quarters);
CREATE TABLE IF NOT EXISTS staging.demo AS FROM build.new_demo LIMIT 0;
INSERT INTO staging.demo FROM build.new_demo;
