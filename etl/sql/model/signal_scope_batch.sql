-- Scope of signal_contributions.sql (work views, temp): the cases a later batch of the same build
-- re-derives that no earlier batch did (signal_batch). Read before their re-derivation it gives
-- their old contributions, appended to those of the earlier batches' cases.
CREATE OR REPLACE TEMP VIEW signal_scope_cases AS
FROM model.cases WHERE case_id IN (SELECT case_id FROM signal_batch);
CREATE OR REPLACE TEMP VIEW signal_scope_case_events AS
FROM model.case_events WHERE case_id IN (SELECT case_id FROM signal_batch);
CREATE OR REPLACE TEMP VIEW signal_scope_reports AS
FROM model.kept_reports WHERE case_id IN (SELECT case_id FROM signal_batch);
