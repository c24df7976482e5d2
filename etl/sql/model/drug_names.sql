-- model.drug_names: every distinct reported name (drugname or prod_ai), normalised to upper case
-- with single spaces, and the kratom pattern it matches (lowest priority number wins).
-- A name's match depends only on ref.kratom_terms, so the table only gains the new quarters' names.
CREATE OR REPLACE VIEW build.new_drug_names AS
WITH reported AS (   -- each spelling once: far fewer than the rows, normalised below
    SELECT DISTINCT x
    FROM (SELECT unnest([drugname, prod_ai]) AS x FROM staging.drug
          WHERE quarter IN (SELECT quarter FROM build.new_quarters))
    WHERE x IS NOT NULL
),
names AS (
    SELECT DISTINCT regexp_replace(trim(upper(x)), '[ \t\n\r\f\v]+', ' ', 'g') AS name
    FROM reported
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
CREATE TABLE IF NOT EXISTS model.drug_names AS FROM build.new_drug_names LIMIT 0;
INSERT INTO model.drug_names
FROM build.new_drug_names n WHERE n.name NOT IN (SELECT name FROM model.drug_names);
