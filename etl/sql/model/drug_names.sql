-- model.drug_names: every distinct reported name (drugname or prod_ai), normalised to upper case
-- with single spaces, and the kratom pattern it matches (lowest priority number wins).
CREATE OR REPLACE TABLE model.drug_names AS
WITH names AS (
    SELECT DISTINCT regexp_replace(trim(upper(x)), '[ \t\n\r\f\v]+', ' ', 'g') AS name
    FROM (SELECT drugname AS x FROM staging.drug UNION ALL SELECT prod_ai FROM staging.drug)
    WHERE x IS NOT NULL
),
candidates AS (   -- one pass of the combined pattern first: most names match nothing
    SELECT name FROM names
    WHERE regexp_matches(name, (SELECT string_agg('(?:' || pattern || ')', '|') FROM ref.kratom_terms))
),
matches AS (
    SELECT c.name, t.pattern_id, t.product_type, t.priority,
           row_number() OVER (PARTITION BY c.name ORDER BY t.priority, t.pattern_id) AS rank
    FROM candidates c JOIN ref.kratom_terms t ON regexp_matches(c.name, t.pattern)
)
SELECT n.name, m.pattern_id AS kratom_pattern_id, m.product_type AS kratom_product_type,
       m.priority AS kratom_priority
FROM names n LEFT JOIN matches m ON m.name = n.name AND m.rank = 1;
