-- One row per case in model.cases.
SELECT case_id, count(*) AS n FROM model.cases GROUP BY case_id HAVING count(*) > 1;
