-- raw.rejects: every input line that was not loaded, with where it was and why.
CREATE TABLE IF NOT EXISTS raw.rejects (
    quarter VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    line_number BIGINT NOT NULL,
    reason VARCHAR NOT NULL,
    raw_text VARCHAR
);
