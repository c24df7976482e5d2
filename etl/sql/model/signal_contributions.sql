-- Work views (temp): what the cases in scope add to each signal count table. The scope views
-- signal_scope_cases, signal_scope_case_events and signal_scope_reports come from
-- signal_scope_*.sql; run this file again after switching scope. What two counts read (the cases'
-- suspect drugs, the strata counts) is materialised as temp tables; the rest are views.
-- Variants: 'any' = kratom in any role; 'suspect' = kratom as primary or secondary suspect (PS/SS),
-- compared with every other kept case (kratom as concomitant included). docs/signals.md.
-- Levels: 'pt' (preferred term) and 'event_group' (a case counts once per group).
CREATE OR REPLACE TEMP VIEW signal_case_strata AS
SELECT case_id,
       year(received_date) AS year,
       coalesce(sex, 'U') AS sex,
       coalesce(age_band, 'unknown') AS age_band,
       is_kratom AS in_any,
       coalesce(is_kratom AND kratom_role IN ('PS', 'SS'), false) AS in_suspect
FROM signal_scope_cases;

CREATE OR REPLACE TEMP VIEW signal_case_terms AS
SELECT case_id, 'pt' AS level, pt AS term, event_group FROM signal_scope_case_events
UNION ALL
SELECT DISTINCT case_id, 'event_group', event_group, event_group FROM signal_scope_case_events;

-- A drug is the normalised active ingredient, else the reported name (upper case, single spaces)
-- of a PS or SS drug row of a kept report; a case counts once per drug.
CREATE OR REPLACE TEMP TABLE signal_case_suspects AS
WITH reported AS (
    SELECT DISTINCT k.case_id, coalesce(d.prod_ai, d.drugname) AS reported_name
    FROM staging.drug d
    JOIN signal_scope_reports k ON k.primary_id = d.primaryid AND k.quarter = d.quarter
    WHERE d.role_cod IN ('PS', 'SS') AND coalesce(d.prod_ai, d.drugname) IS NOT NULL
),
names AS (   -- normalise each distinct spelling once, not every drug row
    SELECT reported_name,
           regexp_replace(upper(trim(reported_name)), '\s+', ' ', 'g') AS drug_name
    FROM (SELECT DISTINCT reported_name FROM reported)
)
SELECT DISTINCT r.case_id, n.drug_name FROM reported r JOIN names n USING (reported_name);

-- model.signal_stratum_totals' rows: cases per variant and stratum, kratom and other.
CREATE OR REPLACE TEMP VIEW signal_contrib_totals AS
WITH wide AS (
    SELECT year, sex, age_band,
           count(*) FILTER (WHERE in_any) AS k_any,
           count(*) FILTER (WHERE NOT in_any) AS o_any,
           count(*) FILTER (WHERE in_suspect) AS k_suspect,
           count(*) FILTER (WHERE NOT in_suspect) AS o_suspect
    FROM signal_case_strata GROUP BY ALL
)
SELECT 'any' AS variant, year, sex, age_band, k_any AS n_kratom_cases, o_any AS n_other_cases
FROM wide
UNION ALL
SELECT 'suspect', year, sex, age_band, k_suspect, o_suspect FROM wide;

-- model.signal_strata's rows, for every term (the table keeps kratom terms only).
CREATE OR REPLACE TEMP TABLE signal_contrib_strata AS
WITH wide AS (
    SELECT c.year, c.sex, c.age_band, ev.level, ev.term, ev.event_group,
           count(*) FILTER (WHERE c.in_any) AS k_any,
           count(*) FILTER (WHERE NOT c.in_any) AS o_any,
           count(*) FILTER (WHERE c.in_suspect) AS k_suspect,
           count(*) FILTER (WHERE NOT c.in_suspect) AS o_suspect
    FROM signal_case_terms ev JOIN signal_case_strata c USING (case_id)
    GROUP BY ALL
),
long AS (
    SELECT 'any' AS variant, year, sex, age_band, level, term, event_group,
           k_any AS n_kratom_with_event, o_any AS n_other_with_event
    FROM wide
    UNION ALL
    SELECT 'suspect', year, sex, age_band, level, term, event_group, k_suspect, o_suspect
    FROM wide
)
SELECT * FROM long WHERE n_kratom_with_event > 0 OR n_other_with_event > 0;

-- The background's margins and pairs (model.background_*).
CREATE OR REPLACE TEMP VIEW signal_contrib_drugs AS
SELECT drug_name, count(*) AS n_drug_cases FROM signal_case_suspects GROUP BY drug_name;

-- Cases per term: in the 'any' variant every case is either a kratom case or another case.
CREATE OR REPLACE TEMP VIEW signal_contrib_terms AS
SELECT level, term, sum(n_kratom_with_event + n_other_with_event)::BIGINT AS n_term_cases
FROM signal_contrib_strata WHERE variant = 'any'
GROUP BY ALL;

CREATE OR REPLACE TEMP VIEW signal_contrib_pairs AS
SELECT ev.level, s.drug_name, ev.term, count(*) AS n_cases
FROM signal_case_suspects s JOIN signal_case_terms ev USING (case_id)
GROUP BY ALL;
