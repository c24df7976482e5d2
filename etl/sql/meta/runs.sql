-- meta.runs: one row per `kratom-etl refresh`, carried forward from database to database.
-- status: updated (a new file was swapped in), nothing_new (inputs unchanged), failed (live file
-- untouched; recorded first in <KRATOM_DATA_DIR>/runs.jsonl and merged here at the next build).
-- rows_in: raw rows loaded; rows_rejected: raw rows refused; rows_out: rows of model.cases.
CREATE TABLE IF NOT EXISTS meta.runs (
    run_id VARCHAR PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,     -- UTC
    ended_at TIMESTAMP,                -- UTC
    status VARCHAR NOT NULL,
    quarters VARCHAR[],                -- every quarter the run built (or found unchanged)
    new_quarters VARCHAR[],            -- quarters downloaded by this run
    sources_json VARCHAR,              -- input files with sha256, reference digests, openFDA counts
    rows_in BIGINT,
    rows_out BIGINT,
    rows_rejected BIGINT,
    kratom_cases BIGINT,
    funnel_json VARCHAR,               -- model.funnel's total row
    warnings VARCHAR[],
    error VARCHAR                      -- one line, for failed runs
);
