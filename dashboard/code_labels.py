"""The app's words for the codes it shows: filter options, chart labels, and the extract's
dictionary (`dashboard/dictionary_codes.py`). Kept apart from `components.py` so that the
extracts (and `kratom-etl export`) read them without loading Dash."""

from __future__ import annotations

from dashboard import filter_codes as fm

LABELS = {
    "role": {"any": "Any role", "suspect": "Any suspect (PS or SS)", "primary": "Primary suspect"},
    "date_field": {"received": "Received date", "event": "Event date"},
    "product_types": {
        "leaf_powder": "Leaf / powder",
        "extract": "Extract",
        "concentrate_7oh": "7-OH concentrate",
        "mixed_product": "Mixed product",
        "unspecified": "Not stated",
    },
    "outcomes": {k: k.replace("_", " ").capitalize() for k in fm.OUTCOMES},
    "sexes": {"F": "Female", "M": "Male", "U": "Not known"},
    "reporter_types": {k: k.replace("_", " ").capitalize() for k in fm.REPORTER_TYPES},
    "event_groups": fm.EVENT_GROUP_LABELS,  # the same labels as event_group_list.csv
    "substance_classes": {k: k.replace("_", " ").capitalize() for k in fm.SUBSTANCE_CLASSES}
    | {"opioid_antagonists": "Opioid antagonists (rescue, treatment)"},
    "sources": {
        "faers-quarterly": "FAERS quarterly files",
        "openfda-faers": "openFDA FAERS (recent weeks)",
        "openfda-caers": "openFDA CAERS (foods and supplements)",
    },
}
# The About page's funnel rows by the era of a quarterly file (model.cases.era).
ERA_LABELS = {"aers": "Legacy AERS (to 2012Q3)", "faers": "FAERS (2012Q4 on)"}
