-- model.cases rows of the openFDA reports kept (fate 'added'; kratom cases only: a search for
-- kratom names is no background). Same analyst terms as cases.sql: drug/event codes sex 1/2/0,
-- age units 800-805 (decade ... hour), age group 1-4 (neonate ... adolescent), qualification 1-5,
-- seriousness flags '1'; CAERS writes gender, age_unit and outcomes in words. era 'openfda',
-- quarter = the calendar quarter received, primary_id and report_type unknown. CAERS outcomes:
-- Death, Life Threatening, Hospitalization, Disability, Congenital Anomaly, Req. Intervention...,
-- Other Serious... and Serious Injuries/ Illness (other serious) count as serious; emergency-room
-- or doctor visits, non-serious illness and other outcomes do not (FAERS's seriousness criteria).
CREATE OR REPLACE VIEW build.openfda_cases AS
WITH
kratom AS (
    SELECT source, safetyreportid, fetched_at,
           CASE min(CASE role_code WHEN 'PS' THEN 1 WHEN 'SS' THEN 2 WHEN 'I' THEN 3 ELSE 4 END)
               WHEN 1 THEN 'PS' WHEN 2 THEN 'SS' WHEN 3 THEN 'I' ELSE 'C' END AS kratom_role,
           CASE min(CASE kratom_product_type WHEN 'concentrate_7oh' THEN 1 WHEN 'extract' THEN 2
                        WHEN 'mixed_product' THEN 3 WHEN 'leaf_powder' THEN 4 ELSE 5 END)
               WHEN 1 THEN 'concentrate_7oh' WHEN 2 THEN 'extract' WHEN 3 THEN 'mixed_product'
               WHEN 4 THEN 'leaf_powder' ELSE 'unspecified' END AS kratom_product_type,
           bool_and(is_kratom) AS is_kratom_only
    FROM build.openfda_drugs
    GROUP BY ALL
    HAVING bool_or(is_kratom)
),
typed AS (
    SELECT r.*, lower(trim(r.patientonsetageunit)) AS age_unit,
           TRY_CAST(r.patientonsetage AS DOUBLE) AS age,
           list_transform(coalesce(r.outcomes, []), lambda o: lower(trim(o))) AS outcome_words,
           -- each mapped first (upper case, blank = none, as FAERS's staging does), so a
           -- placeholder or unknown occurrence country gives way to a real reporter country
           coalesce(staging.country_code(upper(staging.blank_to_null(r.occurcountry))),
                    staging.country_code(upper(staging.blank_to_null(r.reportercountry))))
               AS country_code
    FROM build.openfda_reports r
    WHERE r.fate = 'added'
),
aged AS (
    SELECT t.*,
           CASE WHEN t.age_unit IN ('801', 'year(s)', 'year', 'years') THEN t.age
                WHEN t.age_unit IN ('800', 'decade(s)', 'decade') THEN t.age * 10
                WHEN t.age_unit IN ('802', 'month(s)', 'month', 'months') THEN t.age / 12
                WHEN t.age_unit IN ('803', 'week(s)', 'week', 'weeks') THEN t.age * 7 / 365.25
                WHEN t.age_unit IN ('804', 'day(s)', 'day', 'days') THEN t.age / 365.25
                WHEN t.age_unit IN ('805', 'hour(s)', 'hour', 'hours') THEN t.age / 8766
           END AS age_any,
           CASE trim(t.patientagegroup) WHEN '1' THEN 'N' WHEN '2' THEN 'I' WHEN '3' THEN 'C'
                                        WHEN '4' THEN 'T' END AS age_grp,
           TRY_CAST(t.patientweight AS DOUBLE) AS weight_any,
           coalesce(t.seriousnessdeath = '1', false) OR list_contains(t.outcome_words, 'death')
               AS has_death,
           coalesce(t.seriousnesslifethreatening = '1', false)
               OR list_contains(t.outcome_words, 'life threatening') AS has_life_threatening,
           coalesce(t.seriousnesshospitalization = '1', false)
               OR list_has_any(t.outcome_words, ['hospitalization', 'hospitalisation'])
               AS has_hospitalisation,
           coalesce(t.seriousnessdisabling = '1', false)
               OR list_contains(t.outcome_words, 'disability') AS has_disability,
           coalesce(t.seriousnesscongenitalanomali = '1', false)
               OR list_contains(t.outcome_words, 'congenital anomaly') AS has_congenital_anomaly,
           len(list_filter(t.outcome_words, lambda o: regexp_matches(o, '^req.*intervention')))
               > 0 AS has_required_intervention,
           coalesce(t.seriousnessother = '1', false) OR len(list_filter(t.outcome_words,
               lambda o: regexp_matches(o, '^(other serious|serious injur)'))) > 0
               AS has_other_serious
    FROM typed t
)
SELECT
    a.case_id,
    NULL::BIGINT AS primary_id,
    strftime(a.received_date, '%Y') || 'Q' || quarter(a.received_date) AS quarter,
    'openfda' AS era,
    a.source,
    a.received_date,
    coalesce(CASE WHEN regexp_full_match(trim(a.receiptdate), '[0-9]{8}')
                  THEN staging.faers_date(a.receiptdate) END, a.received_date)
        AS latest_received_date,
    staging.faers_date(a.date_started) AS event_date,
    CASE WHEN staging.faers_date(a.date_started) IS NULL THEN NULL
         WHEN length(trim(a.date_started)) = 4 THEN 'year'
         WHEN length(trim(a.date_started)) = 6 THEN 'month' ELSE 'day' END AS event_date_precision,
    staging.age_years_kept(a.age_any) AS age_years,
    staging.age_band(a.age_any, a.age_grp) AS age_band,
    CASE lower(trim(a.patientsex)) WHEN '1' THEN 'M' WHEN 'male' THEN 'M'
                                   WHEN '2' THEN 'F' WHEN 'female' THEN 'F' ELSE 'U' END AS sex,
    staging.weight_kg_kept(a.weight_any) AS weight_kg,
    a.country_code,
    CASE trim(a.qualification) WHEN '1' THEN 'physician' WHEN '2' THEN 'pharmacist'
        WHEN '3' THEN 'other_health_professional' WHEN '4' THEN 'lawyer'
        WHEN '5' THEN 'consumer' ELSE 'unknown' END AS reporter_type,
    NULL::VARCHAR AS report_type,
    coalesce(a.serious = '1', false) OR a.has_death OR a.has_life_threatening
        OR a.has_hospitalisation OR a.has_disability OR a.has_congenital_anomaly
        OR a.has_required_intervention OR a.has_other_serious AS is_serious,
    a.has_death,
    a.has_life_threatening,
    a.has_hospitalisation,
    a.has_disability,
    a.has_congenital_anomaly,
    a.has_required_intervention,
    a.has_other_serious,
    true AS is_kratom,
    k.kratom_role,
    k.kratom_product_type,
    k.is_kratom_only,
    false AS is_synthetic,
    a.safetyreportid AS source_case_id
FROM aged a
JOIN kratom k USING (source, safetyreportid, fetched_at);
INSERT INTO model.cases BY NAME FROM build.openfda_cases;
