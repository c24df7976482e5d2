"""Sources: file or HTTP input only, written into the `raw` schema."""
