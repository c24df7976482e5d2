-- model.cases: one row per kept case (every drug, not only kratom: the background for signals and
-- rates), with FDA's codes read into analyst terms. Rules: docs/data-dictionary.md.
-- The rows of the affected cases are deleted and derived again from build.changed_reports.
CREATE OR REPLACE VIEW build.changed_cases AS
WITH
first_received AS (
    SELECT caseid AS case_id, min(coalesce(init_fda_date, fda_date)) AS first_date
    FROM staging.demo
    WHERE caseid IN (SELECT case_id FROM build.affected_cases)
    GROUP BY caseid
),
outcomes AS (
    SELECT o.primaryid, o.quarter,
           bool_or(o.outc_cod = 'DE') AS has_death,
           bool_or(o.outc_cod = 'LT') AS has_life_threatening,
           bool_or(o.outc_cod = 'HO') AS has_hospitalisation,
           bool_or(o.outc_cod = 'DS') AS has_disability,
           bool_or(o.outc_cod = 'CA') AS has_congenital_anomaly,
           bool_or(o.outc_cod = 'RI') AS has_required_intervention,
           bool_or(o.outc_cod = 'OT') AS has_other_serious
    FROM staging.outc o
    SEMI JOIN build.changed_reports k ON k.primary_id = o.primaryid AND k.quarter = o.quarter
    GROUP BY o.primaryid, o.quarter
),
kratom AS (   -- kratom's strongest role and most specific product type in the kept report
    SELECT kd.primary_id, kd.quarter,
           CASE min(CASE kd.role_cod WHEN 'PS' THEN 1 WHEN 'SS' THEN 2 WHEN 'I' THEN 3 ELSE 4 END)
               WHEN 1 THEN 'PS' WHEN 2 THEN 'SS' WHEN 3 THEN 'I' ELSE 'C' END AS kratom_role,
           CASE min(CASE kd.product_type WHEN 'concentrate_7oh' THEN 1 WHEN 'extract' THEN 2
                        WHEN 'mixed_product' THEN 3 WHEN 'leaf_powder' THEN 4 ELSE 5 END)
               WHEN 1 THEN 'concentrate_7oh' WHEN 2 THEN 'extract' WHEN 3 THEN 'mixed_product'
               WHEN 4 THEN 'leaf_powder' ELSE 'unspecified' END AS kratom_product_type,
           count(*) AS n_kratom_rows
    FROM model.kratom_drugs kd
    SEMI JOIN build.changed_reports k ON k.primary_id = kd.primary_id AND k.quarter = kd.quarter
    GROUP BY kd.primary_id, kd.quarter
),
drug_rows AS (
    SELECT dr.primaryid, dr.quarter, count(*) AS n_drug_rows
    FROM staging.drug dr
    SEMI JOIN kratom ON kratom.primary_id = dr.primaryid AND kratom.quarter = dr.quarter
    GROUP BY dr.primaryid, dr.quarter
),
kept_rows AS (   -- the DEMO row of each kept report: the last one, should its row repeat
    SELECT k.case_id, arg_max(d.rowid, d.line_number) AS demo_row
    FROM build.changed_reports k
    JOIN staging.demo d ON d.primaryid = k.primary_id AND d.quarter = k.quarter
    GROUP BY k.case_id
),
typed AS (
    SELECT k.case_id, k.primary_id, k.quarter, k.era, d.*,
           staging.age_in_years(d.age, d.age_cod) AS age_any,
           staging.weight_in_kg(d.wt, d.wt_cod) AS weight_any,
           -- each mapped first, so a placeholder (A1) or unknown occurrence country gives way
           -- to a real reporter country
           coalesce(staging.country_code(d.occr_country), staging.country_code(d.reporter_country))
               AS country_code
    FROM build.changed_reports k
    JOIN kept_rows r ON r.case_id = k.case_id
    JOIN staging.demo d
      ON d.primaryid = k.primary_id AND d.quarter = k.quarter AND d.rowid = r.demo_row
)
SELECT
    t.case_id,
    t.primary_id,
    t.quarter,
    t.era,
    'faers-quarterly' AS source,
    coalesce(t.init_fda_date, fr.first_date) AS received_date,
    t.fda_date AS latest_received_date,
    t.event_date,
    t.event_date_precision,
    staging.age_years_kept(t.age_any) AS age_years,
    staging.age_band(t.age_any, t.age_grp) AS age_band,
    CASE WHEN t.sex IN ('F', 'M') THEN t.sex ELSE 'U' END AS sex,
    staging.weight_kg_kept(t.weight_any) AS weight_kg,
    t.country_code,
    CASE t.occp_cod WHEN 'MD' THEN 'physician' WHEN 'PH' THEN 'pharmacist'
        WHEN 'OT' THEN 'other_health_professional' WHEN 'HP' THEN 'other_health_professional'
        WHEN 'RN' THEN 'other_health_professional' WHEN 'CN' THEN 'consumer'
        WHEN 'LW' THEN 'lawyer' ELSE 'unknown' END AS reporter_type,
    t.rept_cod AS report_type,
    o.primaryid IS NOT NULL AS is_serious,
    coalesce(o.has_death, false) AS has_death,
    coalesce(o.has_life_threatening, false) AS has_life_threatening,
    coalesce(o.has_hospitalisation, false) AS has_hospitalisation,
    coalesce(o.has_disability, false) AS has_disability,
    coalesce(o.has_congenital_anomaly, false) AS has_congenital_anomaly,
    coalesce(o.has_required_intervention, false) AS has_required_intervention,
    coalesce(o.has_other_serious, false) AS has_other_serious,
    kr.primary_id IS NOT NULL AS is_kratom,
    kr.kratom_role,
    kr.kratom_product_type,
    CASE WHEN kr.primary_id IS NOT NULL THEN dr.n_drug_rows = kr.n_kratom_rows END
        AS is_kratom_only,
    coalesce(q.is_synthetic, false) AS is_synthetic,
    CAST(t.case_id AS VARCHAR) AS source_case_id,
    NULL::BIGINT AS duplicate_of   -- set by model/probable_duplicates.sql
FROM typed t
JOIN first_received fr ON fr.case_id = t.case_id
LEFT JOIN outcomes o ON o.primaryid = t.primary_id AND o.quarter = t.quarter
LEFT JOIN kratom kr ON kr.primary_id = t.primary_id AND kr.quarter = t.quarter
LEFT JOIN drug_rows dr ON dr.primaryid = t.primary_id AND dr.quarter = t.quarter
LEFT JOIN raw.quarters q ON q.quarter = t.quarter;
CREATE TABLE IF NOT EXISTS model.cases AS FROM build.changed_cases LIMIT 0;
DELETE FROM model.cases WHERE case_id IN (SELECT case_id FROM build.affected_cases);
INSERT INTO model.cases FROM build.changed_cases;
