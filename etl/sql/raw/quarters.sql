-- raw.quarters: one row per quarter loaded, from which archive, and whether it is synthetic.
CREATE TABLE IF NOT EXISTS raw.quarters (
    quarter VARCHAR PRIMARY KEY,       -- e.g. 2004Q1
    era VARCHAR NOT NULL,              -- aers | faers (from the DEMO header)
    archive VARCHAR NOT NULL,          -- the zip or folder as given
    archive_sha256 VARCHAR,            -- of the zip file; NULL for a folder
    is_synthetic BOOLEAN NOT NULL,     -- the archive holds a SYNTHETIC.txt marker (the demo generator's)
    loaded_at TIMESTAMP NOT NULL
);
