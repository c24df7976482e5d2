"""The About page's prose: the introduction, sources, what FAERS can and cannot show, and the
notes on deduplication, the kratom term list and the spellings matched."""

from __future__ import annotations

from dash import html

FAERS_URL = "https://fis.fda.gov/extensions/FPD-QDE-FAERS/FPD-QDE-FAERS.html"
OPENFDA_URL = "https://open.fda.gov/apis/drug/event/"

INTRO = (
    "Harms reported with kratom (Mitragyna speciosa) and its concentrated alkaloid products such "
    "as 7-OH, from FDA's adverse-event reports, for public-health analysts. Every view can be "
    "filtered, shared as a link and downloaded."
)
DEDUPLICATION = (
    "A quarterly file holds the latest version of each case as of that quarter, so a case updated "
    "later appears again in later files. Following FDA, the dashboard keeps one version per case: "
    "the highest case version, then the latest FDA receipt date, then the latest file; then it "
    "drops every case on FDA's deleted-case lists."
)
TERMS = (
    "A drug row is kratom when its reported name or active ingredient matches one of these "
    "reviewed patterns (upper case; the lowest priority wins and decides the product type). "
    "Sources are marked [V] verified, [C] constructed, [R] from memory."
)
SPELLINGS = (
    "Every distinct name that matched, for review: cases kept counts deduplicated cases naming "
    "it; report rows counts drug rows in every version read (superseded and deleted versions "
    "included)."
)

SOURCES = [
    html.Li(
        [
            html.A("FDA FAERS quarterly data files", href=FAERS_URL, target="_blank"),
            ": every report FDA received, published each quarter in its ASCII format (legacy "
            "AERS files to 2012Q3, FAERS since 2012Q4). The counts on every page come from them.",
        ]
    ),
    html.Li(
        [
            html.A("openFDA", href=OPENFDA_URL, target="_blank"),
            ": the newest FAERS reports before they reach a quarterly file, and CAERS, FDA's "
            "system for foods and dietary supplements, where kratom is also reported "
            "(kratom-etl refresh fetches them; the openFDA funnel below says what became of "
            "each report). Each is its own source in the filter panel.",
        ]
    ),
    html.Li(
        "Published poison-center summaries (papers based on the National Poison Data System, "
        "CDC's MMWR, state alerts): aggregate figures as published, each with its citation, on "
        "the Poison centers page. They are never added to FAERS counts."
    ),
]

CAVEATS = [
    (
        "No causation.",
        "A report says that someone took kratom and that something happened, not "
        "that kratom caused it. Most kratom reports name other substances too.",
    ),
    (
        "Duplicates.",
        "Each case is counted once: the latest version of each FDA case number, with "
        "cases on FDA's deleted lists removed (the funnel below). The same event reported under "
        "two case numbers counts twice unless you set probable duplicates aside in the filters; "
        "the rules find the likely ones (below), not all, and may link two distinct cases.",
    ),
    (
        "Under-reporting.",
        "Reporting is voluntary for consumers and health professionals, and only "
        "a small, unknown share of events is ever reported. Counts are not rates of harm and say "
        "nothing about how many people use kratom.",
    ),
    (
        "Stimulated reporting.",
        "Reports rise after news stories, FDA or DEA announcements, "
        "outbreaks and lawsuits. The Overview marks such dates on its trend.",
    ),
    (
        "MedDRA version drift.",
        "Each quarter's reactions are coded in the MedDRA version of its time, so terms are "
        "renamed or demoted over the years; legacy files write them in capitals.",
    ),
    (
        "Free-text drug names.",
        "Kratom is found by a reviewed list of spellings and brands (below). "
        "Reports that name kratom in a way the list does not know are missed; review the matched "
        "spellings for names that should not count.",
    ),
    (
        "Changing formats.",
        "FDA changed the file layout in 2012Q4 and began padding partial event "
        "dates in 2021Q3; the data dictionary says how each is read.",
    ),
    (
        "Synthetic data.",
        "A database built by kratom-etl demo holds generated reports in FDA's format, not real "
        "ones; a banner then says so on every page, and the data vintage below says which.",
    ),
]
