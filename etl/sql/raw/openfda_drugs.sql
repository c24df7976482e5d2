-- raw.openfda_drugs: one row per drug (drug/event patient.drug[]) or product (CAERS products[]).
-- drug_seq is the position in the report's list, from 1. CAERS fills name_brand -> medicinalproduct
-- and role -> drugcharacterization ('SUSPECT', 'CONCOMITANT'); drug/event codes it 1 suspect,
-- 2 concomitant, 3 interacting.
CREATE TABLE IF NOT EXISTS raw.openfda_drugs (
    source VARCHAR NOT NULL,
    fetched_at TIMESTAMP NOT NULL,     -- UTC
    safetyreportid VARCHAR NOT NULL,
    drug_seq INTEGER NOT NULL,
    medicinalproduct VARCHAR,
    activesubstancename VARCHAR,
    drugcharacterization VARCHAR,
    industry_code VARCHAR,             -- CAERS only
    industry_name VARCHAR,             -- CAERS only
    drugadministrationroute VARCHAR,
    drugdosagetext VARCHAR,
    drugindication VARCHAR
);
