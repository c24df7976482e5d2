-- Scope of signal_contributions.sql (work views, temp): the cases this build re-derives
-- (signal_affected, a copy of build.affected_cases). Read before the re-derivation it gives their
-- old contributions, read after it their new ones.
CREATE OR REPLACE TEMP VIEW signal_scope_cases AS
FROM model.cases WHERE case_id IN (SELECT case_id FROM signal_affected);
CREATE OR REPLACE TEMP VIEW signal_scope_case_events AS
FROM model.case_events WHERE case_id IN (SELECT case_id FROM signal_affected);
CREATE OR REPLACE TEMP VIEW signal_scope_reports AS
FROM model.kept_reports WHERE case_id IN (SELECT case_id FROM signal_affected);
