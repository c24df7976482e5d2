-- raw.manifest: one row per file read (tables and deleted lists).
CREATE TABLE IF NOT EXISTS raw.manifest (
    quarter VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,       -- demo, drug, ..., indi, deleted
    archive VARCHAR,                   -- the zip or folder given on the command line
    source_file VARCHAR NOT NULL,      -- the member path inside it
    layout VARCHAR NOT NULL,           -- aers | faers (from the header's keys) | deleted-list
    header VARCHAR,                    -- the header as found: names trimmed, lower-cased, '$'-joined
    encoding VARCHAR NOT NULL,         -- utf-8 | latin-1
    sha256 VARCHAR NOT NULL,           -- of the member's bytes
    n_lines BIGINT NOT NULL,           -- physical lines, header included
    n_rows_read BIGINT NOT NULL,       -- data records found (after splitting run-on lines)
    n_rows_loaded BIGINT NOT NULL,
    n_rows_rejected BIGINT NOT NULL,
    n_blank_lines BIGINT NOT NULL,
    n_rows_padded BIGINT NOT NULL,     -- short rows padded with NULL
    n_lines_split BIGINT NOT NULL,     -- run-on lines split into several records
    ignored_columns VARCHAR            -- unknown header columns dropped on request, comma-separated
);
