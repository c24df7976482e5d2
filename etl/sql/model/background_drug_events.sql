-- model.background_drug_events: every (suspect drug × event) pair of the whole background, the
-- pairs DuMouchel's EBGM prior is fitted on. A drug is the normalised active ingredient, else the
-- reported name (upper case, single spaces) of a PS or SS drug row of a kept report; a case counts
-- once per pair. expected = n_drug_cases × n_term_cases / n_total_cases (all kept cases).
-- Levels as in model.signal_strata: 'pt' and 'event_group'.
-- The counts are kept by changes (stored + the changed cases' new contributions − their old
-- ones; zero counts dropped), with the margins in model.background_drug_totals (cases per drug)
-- and model.background_term_totals (cases per term, with or without a suspect drug). The
-- expected counts are then written again for every pair: each depends on the total of cases.
CREATE OR REPLACE TABLE model.background_drug_totals AS
WITH changes AS (
    SELECT drug_name, n_drug_cases FROM model.background_drug_totals
    UNION ALL
    SELECT drug_name, n_drug_cases FROM signal_plus_drugs
    UNION ALL
    SELECT drug_name, -n_drug_cases FROM signal_minus_drugs
)
SELECT drug_name, sum(n_drug_cases)::BIGINT AS n_drug_cases
FROM changes GROUP BY drug_name HAVING sum(n_drug_cases) <> 0
ORDER BY drug_name;

CREATE OR REPLACE TABLE model.background_term_totals AS
WITH changes AS (
    SELECT level, term, n_term_cases FROM model.background_term_totals
    UNION ALL
    SELECT level, term, n_term_cases FROM signal_plus_terms
    UNION ALL
    SELECT level, term, -n_term_cases FROM signal_minus_terms
)
SELECT level, term, sum(n_term_cases)::BIGINT AS n_term_cases
FROM changes GROUP BY ALL HAVING sum(n_term_cases) <> 0
ORDER BY level, term;

CREATE OR REPLACE TABLE model.background_drug_events AS
WITH changes AS (
    SELECT level, drug_name, term, n_cases FROM model.background_drug_events
    UNION ALL
    SELECT level, drug_name, term, n_cases FROM signal_plus_pairs
    UNION ALL
    SELECT level, drug_name, term, -n_cases FROM signal_minus_pairs
),
pairs AS (
    SELECT level, drug_name, term, sum(n_cases)::BIGINT AS n_cases
    FROM changes GROUP BY ALL HAVING sum(n_cases) <> 0
),
n AS (   -- every kept case once
    SELECT sum(n_kratom_cases + n_other_cases)::BIGINT AS n_total_cases
    FROM model.signal_stratum_totals WHERE variant = 'any'
)
SELECT p.level, p.drug_name, p.term, p.n_cases, dt.n_drug_cases, tt.n_term_cases,
       n.n_total_cases,
       dt.n_drug_cases * tt.n_term_cases / n.n_total_cases AS expected
FROM pairs p
JOIN model.background_drug_totals dt USING (drug_name)
JOIN model.background_term_totals tt USING (level, term)
CROSS JOIN n
ORDER BY p.level, p.drug_name, p.term;
