-- staging.input_issues: every value or row of the input that the model does not use as given, with
-- its file, line and field, so that an analyst can see what was changed and why (raw.* keeps the
-- row verbatim). Appended for the new quarters only. Catalogue: docs/bad-input.md.
-- action 'nulled': the row is kept and the value is NULL in staging and model.
--   not_a_date    DEMO event_dt, mfr_dt, init_fda_dt, fda_dt, rept_dt and THER start_dt, end_dt
--                 that are not yyyymmdd, yyyymm or yyyy naming a real day (20231399, 2023-01-05)
--   not_a_number  DEMO caseversion, age, wt; drug_seq of DRUG, THER and INDI
--   unknown_unit  an age or weight whose unit staging.age_in_years or weight_in_kg does not know
--   out_of_range  an age not in 0..122 years (999 DEC) or a weight not in (0, 635] kg (-70 KG;
--                 4 GMS, 0.00 kg once rounded)
--   unknown_country  a DEMO reporter_country or occr_country that is neither two letters nor a
--                 name in countries.csv (a legacy name not listed yet): staging.country_code
--                 makes it unknown; the model falls back to the reporter country when the
--                 occurrence country is the one not known
-- action 'left out': the row stays in raw and staging but reaches no model table.
--   repeated_primaryid  a DEMO line whose primaryid comes again later in its quarter: the last
--                       line is the report (model/case_versions.sql leaves the others out)
--   no_demo_row         a DRUG, REAC, OUTC, RPSR, THER or INDI row whose primaryid is on no DEMO
--                       row of its quarter: its case does not exist
-- action 'kept': the row reaches the model as it is, but a link it names is missing.
--   no_drug_row   a THER or INDI row of a report (its primaryid is on a DEMO row) whose drug
--                 sequence is on no DRUG row of that report, or is blank: its therapy dates or
--                 indication stay with the case (model.case_therapies, model.case_indications)
--                 but belong to no drug of it (a drug sequence that is not a number is recorded
--                 as not_a_number instead)
CREATE TABLE IF NOT EXISTS staging.input_issues (
    quarter VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    line_number BIGINT NOT NULL,
    field VARCHAR NOT NULL,
    value VARCHAR,
    issue VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    reason VARCHAR NOT NULL
);
INSERT INTO staging.input_issues
WITH
new_demo AS (
    SELECT quarter, source_file, line_number, caseversion, event_dt, mfr_dt, init_fda_dt, fda_dt,
           rept_dt, age, wt,
           staging.age_in_years(TRY_CAST(trim(age) AS DOUBLE), upper(staging.blank_to_null(age_cod)))
               AS age_years,
           staging.weight_in_kg(TRY_CAST(trim(wt) AS DOUBLE), upper(staging.blank_to_null(wt_cod)))
               AS weight_kg,
           coalesce(upper(staging.blank_to_null(age_cod)), 'none') AS age_unit,
           coalesce(upper(staging.blank_to_null(wt_cod)), 'none') AS wt_unit
    FROM raw.demo
    WHERE quarter IN (SELECT quarter FROM build.new_quarters)
),
dates AS (   -- one branch per column (faster than UNPIVOT)
    SELECT quarter, 'demo' AS table_name, source_file, line_number, 'event_dt' AS field,
           event_dt AS value
    FROM raw.demo WHERE quarter IN (SELECT quarter FROM build.new_quarters)
    UNION ALL
    SELECT quarter, 'demo', source_file, line_number, 'mfr_dt', mfr_dt
    FROM raw.demo WHERE quarter IN (SELECT quarter FROM build.new_quarters)
    UNION ALL
    SELECT quarter, 'demo', source_file, line_number, 'init_fda_dt', init_fda_dt
    FROM raw.demo WHERE quarter IN (SELECT quarter FROM build.new_quarters)
    UNION ALL
    SELECT quarter, 'demo', source_file, line_number, 'fda_dt', fda_dt
    FROM raw.demo WHERE quarter IN (SELECT quarter FROM build.new_quarters)
    UNION ALL
    SELECT quarter, 'demo', source_file, line_number, 'rept_dt', rept_dt
    FROM raw.demo WHERE quarter IN (SELECT quarter FROM build.new_quarters)
    UNION ALL
    SELECT quarter, 'ther', source_file, line_number, 'start_dt', start_dt
    FROM raw.ther WHERE quarter IN (SELECT quarter FROM build.new_quarters)
    UNION ALL
    SELECT quarter, 'ther', source_file, line_number, 'end_dt', end_dt
    FROM raw.ther WHERE quarter IN (SELECT quarter FROM build.new_quarters)
),
countries AS (   -- one branch per column, as dates
    SELECT quarter, source_file, line_number, 'reporter_country' AS field,
           reporter_country AS value
    FROM raw.demo WHERE quarter IN (SELECT quarter FROM build.new_quarters)
    UNION ALL
    SELECT quarter, source_file, line_number, 'occr_country', occr_country
    FROM raw.demo WHERE quarter IN (SELECT quarter FROM build.new_quarters)
),
children AS (   -- child rows of the new quarters, with the drug sequence of DRUG, THER, INDI
    SELECT quarter, 'drug' AS table_name, source_file, line_number, primaryid,
           'drug_seq' AS seq_field, drug_seq AS seq
    FROM raw.drug WHERE quarter IN (SELECT quarter FROM build.new_quarters)
    UNION ALL
    SELECT quarter, 'reac', source_file, line_number, primaryid, NULL, NULL
    FROM raw.reac WHERE quarter IN (SELECT quarter FROM build.new_quarters)
    UNION ALL
    SELECT quarter, 'outc', source_file, line_number, primaryid, NULL, NULL
    FROM raw.outc WHERE quarter IN (SELECT quarter FROM build.new_quarters)
    UNION ALL
    SELECT quarter, 'rpsr', source_file, line_number, primaryid, NULL, NULL
    FROM raw.rpsr WHERE quarter IN (SELECT quarter FROM build.new_quarters)
    UNION ALL
    SELECT quarter, 'ther', source_file, line_number, primaryid, 'dsg_drug_seq', dsg_drug_seq
    FROM raw.ther WHERE quarter IN (SELECT quarter FROM build.new_quarters)
    UNION ALL
    SELECT quarter, 'indi', source_file, line_number, primaryid, 'indi_drug_seq', indi_drug_seq
    FROM raw.indi WHERE quarter IN (SELECT quarter FROM build.new_quarters)
),
reports AS (
    SELECT quarter, primaryid, line_number,
           max(line_number) OVER (PARTITION BY quarter, primaryid) AS last_line, source_file
    FROM staging.demo
    WHERE quarter IN (SELECT quarter FROM build.new_quarters) AND primaryid IS NOT NULL
),
drug_rows AS (   -- the drug sequences on the DRUG rows of each report of the new quarters
    SELECT DISTINCT quarter, primaryid, drug_seq
    FROM staging.drug
    WHERE quarter IN (SELECT quarter FROM build.new_quarters) AND primaryid IS NOT NULL
),
drug_links AS (   -- THER and INDI rows of a report (a row of no report is no_demo_row)
    SELECT c.quarter, c.table_name, c.source_file, c.line_number, c.seq_field, c.seq,
           TRY_CAST(trim(c.primaryid) AS BIGINT) AS report_id,
           TRY_CAST(trim(c.seq) AS BIGINT) AS drug_seq
    FROM children c
    SEMI JOIN reports r
        ON r.quarter = c.quarter AND r.primaryid = TRY_CAST(trim(c.primaryid) AS BIGINT)
    WHERE c.table_name IN ('ther', 'indi')
)
SELECT quarter, table_name, source_file, line_number, field, value, 'not_a_date', 'nulled',
       'not a date: yyyymmdd, yyyymm or yyyy naming a real day'
FROM dates
WHERE staging.blank_to_null(value) IS NOT NULL AND staging.faers_date(value) IS NULL
UNION ALL
SELECT quarter, 'demo', source_file, line_number, 'caseversion', caseversion, 'not_a_number',
       'nulled', 'caseversion is not a whole number'
FROM new_demo
WHERE staging.blank_to_null(caseversion) IS NOT NULL
  AND TRY_CAST(trim(caseversion) AS INTEGER) IS NULL
UNION ALL
SELECT quarter, table_name, source_file, line_number, seq_field, seq, 'not_a_number', 'nulled',
       'drug sequence is not a whole number'
FROM children
WHERE staging.blank_to_null(seq) IS NOT NULL AND TRY_CAST(trim(seq) AS BIGINT) IS NULL
UNION ALL
SELECT quarter, 'demo', source_file, line_number, 'age', age,
       CASE WHEN TRY_CAST(trim(age) AS DOUBLE) IS NULL THEN 'not_a_number'
            WHEN age_years IS NULL THEN 'unknown_unit' ELSE 'out_of_range' END,
       'nulled',
       CASE WHEN TRY_CAST(trim(age) AS DOUBLE) IS NULL THEN 'age is not a number'
            WHEN age_years IS NULL THEN printf('age unit %s is not YR, DEC, MON, WK, DY, HR, MIN '
                                               || 'or SEC', age_unit)
            ELSE printf('age %s %s is %.1f years, not in 0..122', trim(age), age_unit, age_years)
       END
FROM new_demo
WHERE staging.blank_to_null(age) IS NOT NULL AND staging.age_years_kept(age_years) IS NULL
UNION ALL
SELECT quarter, 'demo', source_file, line_number, 'wt', wt,
       CASE WHEN TRY_CAST(trim(wt) AS DOUBLE) IS NULL THEN 'not_a_number'
            WHEN weight_kg IS NULL THEN 'unknown_unit' ELSE 'out_of_range' END,
       'nulled',
       CASE WHEN TRY_CAST(trim(wt) AS DOUBLE) IS NULL THEN 'weight is not a number'
            WHEN weight_kg IS NULL THEN printf('weight unit %s is not KG, LBS or GMS', wt_unit)
            ELSE printf('weight %s %s is %.2f kg, not in (0, 635]', trim(wt), wt_unit, weight_kg)
       END
FROM new_demo
WHERE staging.blank_to_null(wt) IS NOT NULL AND staging.weight_kg_kept(weight_kg) IS NULL
UNION ALL
SELECT c.quarter, 'demo', c.source_file, c.line_number, c.field, c.value, 'unknown_country',
       'nulled', 'not a two-letter country code nor a name in countries.csv'
FROM countries c
ANTI JOIN ref.countries r ON r.name = upper(trim(c.value))   -- as staging.country_code reads it
WHERE staging.blank_to_null(c.value) IS NOT NULL
  AND NOT regexp_full_match(upper(trim(c.value)), '[A-Z]{2}')
UNION ALL
SELECT quarter, 'demo', source_file, line_number, 'primaryid', CAST(primaryid AS VARCHAR),
       'repeated_primaryid', 'left out',
       printf('primaryid %d is on line %d too: the last line is the report', primaryid, last_line)
FROM reports
WHERE line_number < last_line
UNION ALL
SELECT c.quarter, c.table_name, c.source_file, c.line_number, 'primaryid', c.primaryid,
       'no_demo_row', 'left out', 'no DEMO row of this quarter has this primaryid'
FROM children c
ANTI JOIN reports r
    ON r.quarter = c.quarter AND r.primaryid = TRY_CAST(trim(c.primaryid) AS BIGINT)
UNION ALL
SELECT l.quarter, l.table_name, l.source_file, l.line_number, l.seq_field, l.seq, 'no_drug_row',
       'kept',
       CASE WHEN l.drug_seq IS NULL
            THEN 'no drug sequence: kept with its report, linked to none of its drugs'
            ELSE printf('no DRUG row of this report has drug_seq %d: kept with its report, '
                        || 'linked to none of its drugs', l.drug_seq)
       END
FROM drug_links l
ANTI JOIN drug_rows d
    ON d.quarter = l.quarter AND d.primaryid = l.report_id AND d.drug_seq = l.drug_seq
WHERE l.drug_seq IS NOT NULL OR staging.blank_to_null(l.seq) IS NULL;
