-- signal_new_terms (work table, temp): (variant, level, term) with a kratom case among the changed
-- cases' new rows but none stored in model.signal_strata before: model.signal_strata keeps only
-- kratom terms, so these terms' counts in the other cases are counted once (signal_scope_new_terms).
CREATE OR REPLACE TEMP TABLE signal_new_terms AS
SELECT variant, level, term FROM signal_plus_strata WHERE n_kratom_with_event > 0
EXCEPT
SELECT variant, level, term FROM model.signal_strata;
