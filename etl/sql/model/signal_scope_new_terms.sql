-- Scope of signal_contributions.sql (work views, temp): the events of the terms that have their
-- first kratom case in this build (signal_new_terms), in the cases this build did NOT re-derive.
-- model.signal_strata stores only kratom terms, so such a term's counts in those other cases are
-- not stored anywhere yet: they are counted here, once. Only signal_contrib_strata is read.
CREATE OR REPLACE TEMP VIEW signal_scope_cases AS
FROM model.cases WHERE case_id NOT IN (SELECT case_id FROM signal_affected);
CREATE OR REPLACE TEMP VIEW signal_scope_case_events AS
FROM model.case_events
WHERE (pt IN (SELECT term FROM signal_new_terms WHERE level = 'pt')
       OR event_group IN (SELECT term FROM signal_new_terms WHERE level = 'event_group'))
  AND case_id NOT IN (SELECT case_id FROM signal_affected);
CREATE OR REPLACE TEMP VIEW signal_scope_reports AS FROM model.kept_reports LIMIT 0;
