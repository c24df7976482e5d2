-- staging.drug: one typed row per DRUG row (since 2024Q4 one drug record may span several rows).
-- Only the rows of the new quarters are typed and appended (build.new_quarters).
CREATE OR REPLACE VIEW build.new_drug AS
SELECT
    quarter,
    layout AS era,
    source_file,
    line_number,
    record_in_line,
    TRY_CAST(trim(primaryid) AS BIGINT) AS primaryid,
    TRY_CAST(trim(drug_seq) AS BIGINT) AS drug_seq,
    upper(staging.blank_to_null(role_cod)) AS role_cod,
    staging.blank_to_null(drugname) AS drugname,
    staging.blank_to_null(prod_ai) AS prod_ai,
    staging.blank_to_null(route) AS route,
    staging.blank_to_null(dose_vbm) AS dose_vbm,
    staging.blank_to_null(dose_amt) AS dose_amt,
    staging.blank_to_null(dose_unit) AS dose_unit,
    staging.blank_to_null(dose_form) AS dose_form,
    staging.blank_to_null(dose_freq) AS dose_freq,
    upper(staging.blank_to_null(dechal)) AS dechal,
    upper(staging.blank_to_null(rechal)) AS rechal
FROM raw.drug
WHERE quarter IN (SELECT quarter FROM build.new_quarters);
CREATE TABLE IF NOT EXISTS staging.drug AS FROM build.new_drug LIMIT 0;
INSERT INTO staging.drug FROM build.new_drug;
