-- signal_renames (work table, temp): preferred terms whose display spelling changed in this build
-- (pt_names.sql re-ranked their key; case_events.sql renamed their rows). The stored counts and
-- the old contributions (signal_minus_*) take the new spelling before the changes are applied.
-- A spelling names one key (pt_key = upper(pt)), so a rename never merges two terms.
CREATE OR REPLACE TEMP TABLE signal_renames AS
SELECT o.pt AS old_pt, n.pt AS new_pt
FROM signal_old_pt_names o JOIN model.pt_names n USING (pt_key)
WHERE o.pt <> n.pt;
UPDATE model.signal_strata SET term = r.new_pt
FROM signal_renames r WHERE level = 'pt' AND term = r.old_pt;
UPDATE signal_minus_strata SET term = r.new_pt
FROM signal_renames r WHERE level = 'pt' AND term = r.old_pt;
UPDATE model.background_term_totals SET term = r.new_pt
FROM signal_renames r WHERE level = 'pt' AND term = r.old_pt;
UPDATE signal_minus_terms SET term = r.new_pt
FROM signal_renames r WHERE level = 'pt' AND term = r.old_pt;
UPDATE model.background_drug_events SET term = r.new_pt
FROM signal_renames r WHERE level = 'pt' AND term = r.old_pt;
UPDATE signal_minus_pairs SET term = r.new_pt
FROM signal_renames r WHERE level = 'pt' AND term = r.old_pt;
