-- The funnel's last step is exactly the number of cases kept from the quarterly files.
SELECT f.after_deleted, (SELECT count(*) FROM model.cases WHERE source = 'faers-quarterly') AS n_cases
FROM model.funnel f
WHERE f.era = 'total'
  AND f.after_deleted <> (SELECT count(*) FROM model.cases WHERE source = 'faers-quarterly');
