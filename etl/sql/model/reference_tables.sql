-- The reviewed reference lists the dashboard shows (the dashboard reads only `model`).
CREATE OR REPLACE TABLE model.timeline AS
SELECT event_date, date_precision, label, kind, status, source, source_url FROM ref.timeline;
CREATE OR REPLACE TABLE model.event_group_list AS SELECT * FROM ref.event_group_list;
CREATE OR REPLACE TABLE model.kratom_terms AS
SELECT pattern_id, pattern, product_type, priority, source FROM ref.kratom_terms;
