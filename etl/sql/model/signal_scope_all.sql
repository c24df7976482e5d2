-- Scope of signal_contributions.sql (work views, temp): every kept case. Used by a full build of
-- the signal count tables, when there is no earlier state to change.
CREATE OR REPLACE TEMP VIEW signal_scope_cases AS FROM model.cases;
CREATE OR REPLACE TEMP VIEW signal_scope_case_events AS FROM model.case_events;
CREATE OR REPLACE TEMP VIEW signal_scope_reports AS FROM model.kept_reports;
