-- Ages are years in 0..122 and weights kilograms in (0, 635], or unknown.
SELECT case_id, age_years, weight_kg FROM model.cases
WHERE age_years < 0 OR age_years > 122 OR weight_kg <= 0 OR weight_kg > 635;
