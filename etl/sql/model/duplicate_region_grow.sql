-- One step of growing build.dup_region to whole groups: add every case that shares a key with a
-- case already in it. etl/probable_duplicates.py repeats it until it adds no case.
INSERT INTO build.dup_region
WITH region_keys AS (
    SELECT mfr_key AS match_key FROM model.case_match_keys
    WHERE case_id IN (SELECT case_id FROM build.dup_region) AND mfr_key IS NOT NULL
    UNION
    SELECT content_key FROM model.case_match_keys
    WHERE case_id IN (SELECT case_id FROM build.dup_region) AND content_key IS NOT NULL
)
SELECT DISTINCT case_id FROM model.case_match_keys
WHERE (mfr_key IN (SELECT match_key FROM region_keys)
       OR content_key IN (SELECT match_key FROM region_keys))
  AND case_id NOT IN (SELECT case_id FROM build.dup_region);
