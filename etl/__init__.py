"""ETL: FAERS quarterly files, openFDA and poison-center summaries into one DuckDB file."""
