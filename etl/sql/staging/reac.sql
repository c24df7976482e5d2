-- staging.reac: reactions (MedDRA preferred terms as reported: capitals in legacy files).
-- Only the rows of the new quarters are typed and appended (build.new_quarters).
CREATE OR REPLACE VIEW build.new_reac AS
SELECT
    quarter,
    TRY_CAST(trim(primaryid) AS BIGINT) AS primaryid,
    staging.blank_to_null(regexp_replace(pt, '\s+', ' ', 'g')) AS pt
FROM raw.reac
WHERE quarter IN (SELECT quarter FROM build.new_quarters);
CREATE TABLE IF NOT EXISTS staging.reac AS FROM build.new_reac LIMIT 0;
INSERT INTO staging.reac FROM build.new_reac;
