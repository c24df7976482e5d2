-- A full build of the signal count tables: they start empty and nothing is subtracted, so the
-- changes applied by signal_stratum_totals.sql, signal_strata.sql and background_drug_events.sql
-- are the contributions of every kept case (signal_scope_all.sql).
CREATE OR REPLACE TABLE model.signal_stratum_totals AS FROM signal_contrib_totals LIMIT 0;
CREATE OR REPLACE TABLE model.signal_strata AS FROM signal_contrib_strata LIMIT 0;
CREATE OR REPLACE TABLE model.background_drug_totals AS FROM signal_contrib_drugs LIMIT 0;
CREATE OR REPLACE TABLE model.background_term_totals AS FROM signal_contrib_terms LIMIT 0;
CREATE OR REPLACE TABLE model.background_drug_events AS FROM signal_contrib_pairs LIMIT 0;
CREATE OR REPLACE TEMP TABLE signal_minus_totals AS FROM signal_contrib_totals LIMIT 0;
CREATE OR REPLACE TEMP TABLE signal_minus_strata AS FROM signal_contrib_strata LIMIT 0;
CREATE OR REPLACE TEMP TABLE signal_minus_drugs AS FROM signal_contrib_drugs LIMIT 0;
CREATE OR REPLACE TEMP TABLE signal_minus_terms AS FROM signal_contrib_terms LIMIT 0;
CREATE OR REPLACE TEMP TABLE signal_minus_pairs AS FROM signal_contrib_pairs LIMIT 0;
