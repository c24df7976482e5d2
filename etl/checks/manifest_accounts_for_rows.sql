-- Every record read from a file was either loaded or rejected.
SELECT quarter, source_file, n_rows_read, n_rows_loaded, n_rows_rejected FROM raw.manifest
WHERE n_rows_read <> n_rows_loaded + n_rows_rejected;
