-- Every openFDA report the funnel says was added is one case of its source, and nothing else is.
SELECT f.source, f.n_added, count(c.case_id) AS n_cases
FROM model.openfda_funnel f
LEFT JOIN model.cases c ON c.source = f.source
GROUP BY f.source, f.n_added
HAVING f.n_added <> count(c.case_id)
UNION ALL
SELECT source, NULL, count(*) FROM model.cases
WHERE source NOT IN ('faers-quarterly', 'openfda-faers', 'openfda-caers')
GROUP BY source;
