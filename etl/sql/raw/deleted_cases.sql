-- raw.deleted_cases: caseids from FDA's deleted-case lists, one row per listing.
CREATE TABLE IF NOT EXISTS raw.deleted_cases (
    quarter VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    line_number BIGINT NOT NULL,
    caseid VARCHAR NOT NULL
);
