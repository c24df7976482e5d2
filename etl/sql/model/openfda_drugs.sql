-- build.openfda_drugs (work table): every drug (drug/event) or product (CAERS) row fetched from
-- openFDA, with its role in FAERS codes and the kratom_terms.csv match of its name. Roles:
-- openFDA keeps "suspect" but not which suspect is primary, so suspect (1, SUSPECT) becomes 'SS'
-- and never 'PS'; 2 / CONCOMITANT 'C'; 3 (interacting) 'I'. Names matched: medicinalproduct
-- (CAERS name_brand) and activesubstancename; the better (lower priority) match wins, the product
-- name on a tie, as in kratom_drugs.sql. CAERS industry_name is a product category, not a name.
CREATE OR REPLACE TABLE build.openfda_drugs AS
WITH
d AS (
    SELECT source, safetyreportid, fetched_at, drug_seq, medicinalproduct, activesubstancename,
           CASE upper(trim(drugcharacterization))
               WHEN '1' THEN 'SS' WHEN 'SUSPECT' THEN 'SS'
               WHEN '2' THEN 'C' WHEN 'CONCOMITANT' THEN 'C' WHEN '3' THEN 'I'
           END AS role_code,
           nullif(trim(drugadministrationroute), '') AS route,
           nullif(trim(drugdosagetext), '') AS dose_text,
           nullif(trim(drugindication), '') AS indication_pt
    FROM raw.openfda_drugs
    QUALIFY row_number() OVER (PARTITION BY source, safetyreportid, fetched_at, drug_seq) = 1
),
names AS (
    SELECT source, safetyreportid, fetched_at, drug_seq, 1 AS field_order,
           regexp_replace(trim(upper(medicinalproduct)), '[ \t\n\r\f\v]+', ' ', 'g') AS name
    FROM d WHERE medicinalproduct IS NOT NULL
    UNION ALL
    SELECT source, safetyreportid, fetched_at, drug_seq, 2,
           regexp_replace(trim(upper(activesubstancename)), '[ \t\n\r\f\v]+', ' ', 'g')
    FROM d WHERE activesubstancename IS NOT NULL
),
matches AS (
    SELECT n.source, n.safetyreportid, n.fetched_at, n.drug_seq, n.name AS matched_text,
           t.product_type,
           row_number() OVER (PARTITION BY n.source, n.safetyreportid, n.fetched_at, n.drug_seq
                              ORDER BY t.priority, n.field_order, t.pattern_id) AS rank
    FROM names n JOIN ref.kratom_terms t ON regexp_matches(n.name, t.pattern)
)
SELECT d.*, m.drug_seq IS NOT NULL AS is_kratom, m.product_type AS kratom_product_type,
       m.matched_text AS kratom_spelling
FROM d
LEFT JOIN matches m
  ON m.source = d.source AND m.safetyreportid = d.safetyreportid
 AND m.fetched_at = d.fetched_at AND m.drug_seq = d.drug_seq AND m.rank = 1;
