"""The filters' vocabularies and caps: every code a URL key may take, and how much a link holds.

Column names in `dashboard.filter_sql` come only from these allow-lists.
"""

MAX_VALUES = 20
MAX_VALUE_CHARS = 100
MAX_QUERY_CHARS = 4000
MAX_NOTES = 25

DATE_FIELDS = {"received": "received_date", "event": "event_date"}
ROLES = {"any": (), "suspect": ("PS", "SS"), "primary": ("PS",)}  # role -> kratom_role codes
POPULATIONS = ("kratom", "all")
# show: every case FDA's caseid rule keeps (the default); hide: set aside the cases the build
# flagged as probable duplicates of another case (model.cases.duplicate_of IS NOT NULL)
DUPLICATES = ("show", "hide")
PRODUCT_TYPES = ("leaf_powder", "extract", "concentrate_7oh", "mixed_product", "unspecified")
OUTCOMES = {
    "death": "has_death",
    "life_threatening": "has_life_threatening",
    "hospitalisation": "has_hospitalisation",
    "disability": "has_disability",
    "congenital_anomaly": "has_congenital_anomaly",
    "required_intervention": "has_required_intervention",
    "other_serious": "has_other_serious",
}
SEXES = ("F", "M", "U")
AGE_BANDS = ("0-27d", "28d-23m", "2-11", "12-17", "18-64", "65-74", "75-84", "85+", "unknown")
REPORTER_TYPES = (
    "physician",
    "pharmacist",
    "other_health_professional",
    "consumer",
    "lawyer",
    "unknown",
)
EVENT_GROUPS = (
    "death",
    "overdose_toxicity",
    "dependence_withdrawal",
    "seizure",
    "liver_injury",
    "cardiovascular",
    "respiratory_depression",
    "psychiatric_mood",
    "cognitive_neurological",
    "gastrointestinal",
    "product_quality",
    "neonatal",
    "other",
)
# Labels of the event groups, the same as etl/reference/event_group_list.csv (a file built
# with that table reads them from model.event_group_list; `components.LABELS` shows these).
EVENT_GROUP_LABELS = {
    "death": "Death",
    "overdose_toxicity": "Overdose and toxicity",
    "dependence_withdrawal": "Dependence and withdrawal",
    "seizure": "Seizure",
    "liver_injury": "Liver injury",
    "cardiovascular": "Cardiovascular",
    "respiratory_depression": "Respiratory depression",
    "psychiatric_mood": "Psychiatric and mood",
    "cognitive_neurological": "Cognitive and neurological",
    "gastrointestinal": "Gastrointestinal",
    "product_quality": "Product quality and contamination",
    "neonatal": "Pregnancy and neonatal",
    "other": "Other",
}
SUBSTANCE_CLASSES = (
    "opioids",
    "opioid_antagonists",
    "benzodiazepines",
    "stimulants",
    "alcohol",
    "antidepressants",
    "antipsychotics",
    "gabapentinoids",
    "cannabinoids",
    "other_botanicals",
    "kratom",
    "other",
)
SOURCES = ("faers-quarterly", "openfda-faers", "openfda-caers")
GEOGRAPHY_TYPES = ("country", "state", "region", "county")  # model.poison_center_figures
ALL_GEOGRAPHIES = "all"
# The code of each list that also matches NULL in the database ("not known").
UNKNOWN_CODES = {"sexes": "U", "age_bands": "unknown", "countries": "unknown"}
UNKNOWN_CODES |= {"reporter_types": "unknown", "product_types": "unspecified"}

# The view keys: controls of one page that change what it shows but select no case
# (docs/dashboard.md "How a page works", step 5). Each page reads its own; the others keep them.
EVENT_TOPS = (10, 20, 50)  # Event types: how many preferred terms to chart (`top`)
DEFAULT_EVENT_TOP = 20
# Event types: what the event groups are compared across (`split`): kratom product, kratom alone
# or with other substances, an opioid co-reported or not, sex, age band (queries.group_shares)
EVENT_SPLITS = ("product", "alone", "opioid", "sex", "age")
DEFAULT_EVENT_SPLIT = "product"
SIGNAL_LEVELS = ("pt", "event_group")  # Signals: the table's terms (`level`)
SIGNAL_PLOTS = ("a", "ror_lower")  # Signals: the forest plot's top by (`plot`)
# Cases: the grid columns a link may sort by (`sort=<column>:<asc|desc>`), and its page (`page`)
CASE_SORT_COLUMNS = (
    "case_id",
    "received_date",
    "quarter",
    "age_years",
    "sex",
    "country_code",
    "reporter_type",
    "kratom_role",
    "kratom_product_type",
    "is_kratom_only",
    "is_serious",
    "has_death",
)
SORT_DIRECTIONS = ("asc", "desc")
DEFAULT_CASE_SORT = "received_date:desc"  # newest first
MAX_PAGE = 1_000_000
