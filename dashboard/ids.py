"""Component ids shared across modules (page-specific ids are prefixed with the page name)."""

URL = "url"
RESET = "filters-reset"
DESCRIPTION = "filters-description"
NOTES = "filters-notes"
LINK_NOTES = "filters-link-notes"  # values matching no case; criteria not applied here
NAV = "nav"
SYNTHETIC_BANNER = "synthetic-banner"
DB_UNAVAILABLE = "db-unavailable-banner"

# Filter controls: id -> the Filters field it edits.
F_DATE_FIELD = "f-date-field"
F_DATE_FROM = "f-date-from"
F_DATE_TO = "f-date-to"
F_ROLE = "f-role"
F_KRATOM_ONLY = "f-kratom-only"
F_PRODUCT_TYPES = "f-product-types"
F_SERIOUS = "f-serious"
F_DUPLICATES = "f-duplicates"
F_OUTCOMES = "f-outcomes"
F_SEXES = "f-sexes"
F_AGE_BANDS = "f-age-bands"
F_REPORTER_TYPES = "f-reporter-types"
F_COUNTRIES = "f-countries"
F_EVENT_GROUPS = "f-event-groups"
F_PTS = "f-pts"
F_SUBSTANCES = "f-substances"
F_SUBSTANCE_CLASSES = "f-substance-classes"
F_SOURCES = "f-sources"

# The fieldset of the kratom criteria (role, other substances, product) and its note.
F_KRATOM_CRITERIA = "f-kratom-criteria"
F_KRATOM_CRITERIA_NOTE = "f-kratom-criteria-note"
