-- DEMO rows whose primaryid or caseid is missing or not a number cannot be deduplicated.
SELECT quarter, source_file, line_number FROM staging.demo
WHERE primaryid IS NULL OR caseid IS NULL;
