-- DEMO rows whose primaryid or caseid is missing or not a number cannot be deduplicated: the
-- file, line and field of each (docs/bad-input.md).
SELECT quarter, source_file, line_number,
       CASE WHEN primaryid IS NULL THEN 'primaryid' ELSE 'caseid' END AS field
FROM staging.demo
WHERE primaryid IS NULL OR caseid IS NULL;
