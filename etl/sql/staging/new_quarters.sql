-- build.new_quarters (work table, dropped after the build): the quarters of raw.quarters that the
-- staging and model tables have not seen yet. Every staging and model step reads only these (a full
-- build is the case where every quarter is new). meta.transformed_quarters records the others.
CREATE SCHEMA IF NOT EXISTS build;
CREATE TABLE IF NOT EXISTS meta.transformed_quarters (
    quarter VARCHAR PRIMARY KEY,
    transformed_at TIMESTAMP NOT NULL
);
CREATE OR REPLACE TABLE build.new_quarters AS
SELECT quarter FROM raw.quarters
WHERE quarter NOT IN (SELECT quarter FROM meta.transformed_quarters);
