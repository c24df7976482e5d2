-- Typing helpers shared by the staging tables.
-- FAERS dates are yyyymmdd, with partial dates (yyyymm, yyyy) allowed; impossible dates become NULL.
CREATE OR REPLACE MACRO staging.faers_date(s) AS CASE
    WHEN regexp_full_match(trim(s), '[0-9]{8}') THEN try_strptime(trim(s), '%Y%m%d')::DATE
    WHEN regexp_full_match(trim(s), '[0-9]{6}') THEN try_strptime(trim(s) || '01', '%Y%m%d')::DATE
    WHEN regexp_full_match(trim(s), '[0-9]{4}') THEN try_strptime(trim(s) || '0101', '%Y%m%d')::DATE
END;

-- How much of a FAERS date (the event date, a therapy's start or end) is known. Since 2021Q3 FDA
-- pads a month-only date to the 1st and a year-only date to 1 January, so from that quarter on
-- those padded days count as month or year.
CREATE OR REPLACE MACRO staging.faers_date_precision(s, quarter) AS CASE
    WHEN staging.faers_date(s) IS NULL THEN NULL
    WHEN length(trim(s)) = 4 THEN 'year'
    WHEN length(trim(s)) = 6 THEN 'month'
    WHEN quarter >= '2021Q3' AND substr(trim(s), 5, 4) = '0101' THEN 'year'
    WHEN quarter >= '2021Q3' AND substr(trim(s), 7, 2) = '01' THEN 'month'
    ELSE 'day'
END;

CREATE OR REPLACE MACRO staging.blank_to_null(s) AS nullif(trim(s), '');

-- Age in years kept only when plausible (0..122), rounded; the ICH E11 age band from it, or from
-- FDA's age group code when no usable age was given. Weight in kg kept only in (0, 635] once
-- rounded to 2 decimals: a few grams (4 GMS) would round to 0.00 kg, a weight the model forbids.
CREATE OR REPLACE MACRO staging.age_years_kept(age_any) AS
    CASE WHEN age_any >= 0 AND age_any <= 122 THEN round(age_any, 3) END;

CREATE OR REPLACE MACRO staging.age_band(age_any, age_grp) AS CASE
    WHEN NOT (age_any >= 0 AND age_any <= 122) OR age_any IS NULL THEN
        CASE age_grp WHEN 'N' THEN '0-27d' WHEN 'I' THEN '28d-23m' WHEN 'C' THEN '2-11'
                     WHEN 'T' THEN '12-17' ELSE 'unknown' END
    WHEN age_any < 28 / 365.25 THEN '0-27d'
    WHEN age_any < 2 THEN '28d-23m'
    WHEN age_any < 12 THEN '2-11'
    WHEN age_any < 18 THEN '12-17'
    WHEN age_any < 65 THEN '18-64'
    WHEN age_any < 75 THEN '65-74'
    WHEN age_any < 85 THEN '75-84'
    ELSE '85+'
END;

CREATE OR REPLACE MACRO staging.weight_kg_kept(weight_any) AS
    CASE WHEN round(weight_any, 2) > 0 AND weight_any <= 635 THEN round(weight_any, 2) END;

-- One country value (upper case, trimmed) as an ISO code: two-letter codes kept as written,
-- legacy names mapped by ref.countries, "not specified" and the placeholder A1 unknown, any
-- other value unknown (staging/input_issues.sql records those: unknown_country). Applied to the
-- occurrence and the reporter country each, before they are coalesced (model/cases.sql,
-- model/openfda_cases.sql): a placeholder must not hide the other.
CREATE OR REPLACE MACRO staging.country_code(country_raw) AS CASE
    WHEN country_raw IS NULL OR country_raw IN ('COUNTRY NOT SPECIFIED', 'A1') THEN NULL
    WHEN regexp_full_match(country_raw, '[A-Z]{2}') THEN country_raw
    ELSE (SELECT nullif(c.country_code, '') FROM ref.countries c WHERE c.name = country_raw)
END;

-- A drug name cleaned into a substance name by drug_name_noise.csv, in three macros.
-- staging.drug_name_words: the name's words once its `pattern` rows are removed anywhere, FAERS's
-- backslash between the ingredients of a combination (prod_ai AMOXICILLIN\CLAVULANATE POTASSIUM)
-- made a word of its own.
CREATE OR REPLACE MACRO staging.drug_name_words(name_key, noise_pattern) AS
    string_split(trim(regexp_replace(replace(regexp_replace(name_key, noise_pattern, ' ', 'g'),
                                             '\', ' \ '), ' +', ' ', 'g')), ' ');

-- The position of the first word of the ingredient holding word i: ingredients are separated by
-- the backslash and the words AND, WITH, & and + (DEXTROSE AND SODIUM CHLORIDE: two).
CREATE OR REPLACE MACRO staging.ingredient_start(words, i) AS
    list_max(list_filter(range(1, i + 1), lambda j: j = 1
        OR list_contains(['\', 'AND', 'WITH', '&', '+'], words[j - 1])));

-- The words kept, in lower case, the backslash joined back without spaces: an ingredient's first
-- word always; a later word unless it is one of `strip_words` (the form, salt, unit and filler
-- rows), except that an ingredient whose first word is a salt or mineral word is a mineral salt
-- and keeps its salt words (MAGNESIUM SULFATE, FERROUS SULFATE, CALCIUM ACETATE), while
-- ATORVASTATIN CALCIUM and MORPHINE SULFATE lose them. A name is never emptied.
CREATE OR REPLACE MACRO staging.cleaned_drug_name(words, strip_words, salt_words, mineral_words) AS
    lower(nullif(regexp_replace(array_to_string(list_filter(words, lambda w, i: w <> '' AND (
        NOT list_contains(strip_words, w)
        OR i = staging.ingredient_start(words, i)
        OR (list_contains(salt_words, w) AND list_contains(salt_words || mineral_words,
                                                           words[staging.ingredient_start(words, i)]))
    )), ' '), ' ?\\ ?', '\\', 'g'), ''));

-- Age in years from FAERS's age and unit (no unit: years); weight in kg from its unit. NULL for a
-- unit not listed (staging/input_issues.sql records those, and values out of range, per line).
CREATE OR REPLACE MACRO staging.age_in_years(age, age_cod) AS CASE
    WHEN age_cod IS NULL OR age_cod IN ('YR', 'YRS') THEN age
    WHEN age_cod = 'DEC' THEN age * 10
    WHEN age_cod = 'MON' THEN age / 12
    WHEN age_cod = 'WK' THEN age * 7 / 365.25
    WHEN age_cod = 'DY' THEN age / 365.25
    WHEN age_cod = 'HR' THEN age / 8766
    WHEN age_cod = 'MIN' THEN age / 525960
    WHEN age_cod = 'SEC' THEN age / 31557600
END;

CREATE OR REPLACE MACRO staging.weight_in_kg(wt, wt_cod) AS
    CASE wt_cod WHEN 'KG' THEN wt WHEN 'LBS' THEN wt * 0.45359237 WHEN 'GMS' THEN wt / 1000 END;

-- The key a drug name is matched on: upper case, each run of white space one space, trimmed.
CREATE OR REPLACE MACRO staging.drug_name_key(name) AS
    trim(regexp_replace(upper(name), '[ \t\n\r\f\v]+', ' ', 'g'));

-- The substance name and class of every distinct (name_key, drugname_key) pair of the table (or
-- CTE) named `drug_rows`, whose name_key is staging.drug_name_key of prod_ai, else of drugname,
-- and drugname_key that of drugname. Name: a reviewed synonym matching either key
-- (substance_synonyms.csv, lowest priority wins, then the name), else name_key cleaned by
-- drug_name_noise.csv (staging.drug_name_words, then staging.cleaned_drug_name). Class: substance_classes.csv's for the name,
-- else "other". Kratom is the caller's to say (model/case_substances.sql for the quarterly
-- files, model/openfda_case_substances.sql for openFDA): it overrides both with "kratom".
-- Join back with IS NOT DISTINCT FROM on both keys (a row may have neither name).
CREATE OR REPLACE MACRO staging.substance_names(drug_rows) AS TABLE
WITH
name_pairs AS (   -- regexp patterns from a table compile once per row: match each name once
    SELECT DISTINCT name_key, drugname_key FROM query_table(drug_rows)
),
synonym AS (
    SELECT k.name_key, k.drugname_key, s.substance_name,
           row_number() OVER (PARTITION BY k.name_key, k.drugname_key
                              ORDER BY s.priority, s.substance_name) AS rank
    FROM name_pairs k JOIN ref.substance_synonyms s
      ON regexp_matches(k.name_key, s.pattern) OR regexp_matches(k.drugname_key, s.pattern)
),
noise AS (
    SELECT (SELECT string_agg(word, '|') FROM ref.drug_name_noise WHERE kind = 'pattern')
               AS pattern,
           (SELECT coalesce(list(word), []) FROM ref.drug_name_noise
             WHERE kind NOT IN ('pattern', 'mineral')) AS strip_words,
           (SELECT coalesce(list(word), []) FROM ref.drug_name_noise WHERE kind = 'salt')
               AS salt_words,
           (SELECT coalesce(list(word), []) FROM ref.drug_name_noise WHERE kind = 'mineral')
               AS mineral_words
),
name_words AS (
    SELECT k.name_key, staging.drug_name_words(k.name_key, n.pattern) AS words
    FROM (SELECT DISTINCT name_key FROM name_pairs) k, noise n
),
cleaned AS (
    SELECT k.name_key,
           staging.cleaned_drug_name(k.words, n.strip_words, n.salt_words, n.mineral_words) AS name
    FROM name_words k, noise n
),
named AS (
    SELECT p.name_key, p.drugname_key, coalesce(sy.substance_name, cl.name) AS substance_name
    FROM name_pairs p
    LEFT JOIN cleaned cl ON cl.name_key = p.name_key
    LEFT JOIN synonym sy
      ON sy.name_key = p.name_key AND sy.drugname_key IS NOT DISTINCT FROM p.drugname_key
     AND sy.rank = 1
)
SELECT n.name_key, n.drugname_key, n.substance_name,
       coalesce(sc.substance_class, 'other') AS substance_class
FROM named n
LEFT JOIN ref.substance_classes sc ON sc.substance_name = n.substance_name;
