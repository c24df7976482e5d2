"""The read-only Dash dashboard over the kratom-watch DuckDB database."""
