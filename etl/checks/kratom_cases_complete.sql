-- A kratom case has a role and a product type; a background case has neither.
SELECT case_id FROM model.cases
WHERE (is_kratom AND (kratom_role IS NULL OR kratom_product_type IS NULL OR is_kratom_only IS NULL))
   OR (NOT is_kratom AND (kratom_role IS NOT NULL OR kratom_product_type IS NOT NULL));
