-- model.background_drug_events: every (suspect drug × event) pair of the whole background, the
-- pairs DuMouchel's EBGM prior is fitted on. A drug is the normalised active ingredient, else the
-- reported name (upper case, single spaces) of a PS or SS drug row of a kept report; a case counts
-- once per pair. expected = n_drug_cases × n_term_cases / n_total_cases (all kept cases).
-- Levels as in model.signal_strata: 'pt' and 'event_group'.
CREATE OR REPLACE TABLE model.background_drug_events AS
WITH reported AS (
    SELECT DISTINCT k.case_id, coalesce(d.prod_ai, d.drugname) AS reported_name
    FROM staging.drug d
    JOIN model.kept_reports k ON k.primary_id = d.primaryid AND k.quarter = d.quarter
    WHERE d.role_cod IN ('PS', 'SS') AND coalesce(d.prod_ai, d.drugname) IS NOT NULL
),
names AS (   -- normalise each distinct spelling once, not every drug row
    SELECT reported_name,
           regexp_replace(upper(trim(reported_name)), '\s+', ' ', 'g') AS drug_name
    FROM (SELECT DISTINCT reported_name FROM reported)
),
suspects AS (
    SELECT DISTINCT r.case_id, n.drug_name FROM reported r JOIN names n USING (reported_name)
),
ev AS (
    SELECT case_id, 'pt' AS level, pt AS term FROM model.case_events
    UNION ALL
    SELECT DISTINCT case_id, 'event_group', event_group FROM model.case_events
),
drug_totals AS (SELECT drug_name, count(*) AS n_drug_cases FROM suspects GROUP BY 1),
term_totals AS (SELECT level, term, count(*) AS n_term_cases FROM ev GROUP BY ALL),
pairs AS (
    SELECT ev.level, s.drug_name, ev.term, count(*) AS n_cases
    FROM suspects s JOIN ev USING (case_id)
    GROUP BY ALL
)
SELECT p.level, p.drug_name, p.term, p.n_cases, dt.n_drug_cases, tt.n_term_cases,
       n.n_total_cases,
       dt.n_drug_cases * tt.n_term_cases / n.n_total_cases AS expected
FROM pairs p
JOIN drug_totals dt USING (drug_name)
JOIN term_totals tt USING (level, term)
CROSS JOIN (SELECT count(*) AS n_total_cases FROM model.cases) n
ORDER BY p.level, p.drug_name, p.term;
