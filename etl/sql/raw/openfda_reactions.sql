-- raw.openfda_reactions: one row per reaction (MedDRA preferred term) of a report, in report order.
-- reactionoutcome is drug/event's code (1 recovered ... 6 unknown); CAERS has none.
CREATE TABLE IF NOT EXISTS raw.openfda_reactions (
    source VARCHAR NOT NULL,
    fetched_at TIMESTAMP NOT NULL,     -- UTC
    safetyreportid VARCHAR NOT NULL,
    reaction_seq INTEGER NOT NULL,
    reactionmeddrapt VARCHAR,
    reactionoutcome VARCHAR
);
