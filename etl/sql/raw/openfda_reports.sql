-- raw.openfda_reports: one row per openFDA report fetched, values verbatim as text.
-- source 'openfda-faers' (drug/event) or 'openfda-caers' (food/event). Column names are drug/event's;
-- CAERS fills report_number -> safetyreportid, date_created -> receivedate, consumer.gender/age/age_unit
-- -> patientsex/patientonsetage/patientonsetageunit, plus date_started and outcomes of its own.
-- Codings differ by source (drug/event patientsex 0/1/2, CAERS 'Female'/'Male').
CREATE TABLE IF NOT EXISTS raw.openfda_reports (
    source VARCHAR NOT NULL,
    fetched_at TIMESTAMP NOT NULL,     -- UTC
    safetyreportid VARCHAR NOT NULL,
    safetyreportversion VARCHAR,
    receivedate VARCHAR,               -- YYYYMMDD
    receiptdate VARCHAR,
    date_started VARCHAR,
    serious VARCHAR,                   -- 1 serious, 2 not
    seriousnessdeath VARCHAR,          -- '1' when set, else NULL
    seriousnesslifethreatening VARCHAR,
    seriousnesshospitalization VARCHAR,
    seriousnessdisabling VARCHAR,
    seriousnesscongenitalanomali VARCHAR,
    seriousnessother VARCHAR,
    outcomes VARCHAR[],
    occurcountry VARCHAR,
    reportercountry VARCHAR,
    qualification VARCHAR,             -- primarysource.qualification: 1 physician ... 5 consumer
    patientsex VARCHAR,
    patientonsetage VARCHAR,
    patientonsetageunit VARCHAR,       -- drug/event codes 800-805 (801 year); CAERS text
    patientagegroup VARCHAR,
    patientweight VARCHAR              -- kg
);
