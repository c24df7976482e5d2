-- The kratom slice: the kratom cases' rows of the two tables that hold every kept case, copied
-- after every other model step (openFDA's cases included) and sorted by case_id, so the
-- dashboard's kratom pages read a few thousand rows instead of scanning model.cases (every kept
-- case) and model.case_events (every case's events). Same columns as the tables they copy.
-- model.case_substances, case_indications and case_therapies hold kratom cases only already.
-- Written again in full by every build (two scans, no state); the check
-- kratom_slice_matches_model compares it with the tables it copies.
CREATE OR REPLACE TABLE model.kratom_cases AS
SELECT * FROM model.cases WHERE is_kratom ORDER BY case_id;
CREATE OR REPLACE TABLE model.kratom_case_events AS
SELECT e.* FROM model.case_events e
WHERE e.case_id IN (SELECT case_id FROM model.kratom_cases)
ORDER BY e.case_id, e.pt_key;
