"""Drug names into substance names and classes: drug_name_noise.csv's cleaning rule, the reviewed
synonyms (brand → ingredient) and classes, run through the build's own macros
(etl/sql/staging/00_macros.sql) on an in-memory connection holding the `ref` tables.

Every expected value is written by hand. The cleaning rule is also written out in Python
(`_clean_python`, the rule as etl/reference/README.md states it) and both must give the hand
answer, so the SQL and the README cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import duckdb
import polars as pl
import pytest

from etl.db import run_sql_file
from etl.pipeline import load_reference_tables
from etl.reference_data import load_reference

SEPARATORS = {"\\", "AND", "WITH", "&", "+"}


@pytest.fixture(scope="module")
def ref() -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect()
    c.execute("CREATE SCHEMA staging; CREATE SCHEMA ref")
    run_sql_file(c, "staging/00_macros.sql")
    load_reference_tables(c)
    yield c
    c.close()


def _clean_python(name: str, noise: pl.DataFrame) -> str | None:
    """The README's rule: patterns out anywhere; each ingredient (split at the backslash, AND,
    WITH, &, +) keeps its first word; later form/salt/unit/filler words go, except that an
    ingredient starting with a salt or mineral word keeps its salt words."""
    kinds = dict(noise.select("word", "kind").iter_rows())
    text = " ".join(name.upper().split())
    for pattern in noise.filter(pl.col("kind") == "pattern")["word"]:
        text = re.sub(pattern, " ", text, flags=re.ASCII)
    words = text.replace("\\", " \\ ").split()
    kept, start = [], 0
    for i, word in enumerate(words):
        if i == 0 or words[i - 1] in SEPARATORS:
            start = i
        kind = kinds.get(word)
        if (
            i == start
            or kind in (None, "mineral", "pattern")
            or (kind == "salt" and kinds.get(words[start]) in ("salt", "mineral"))
        ):
            kept.append(word)
    return re.sub(r" ?\\ ?", r"\\", " ".join(kept)).lower() or None


def _clean_sql(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    return con.execute(
        """
        WITH noise AS (
            SELECT (SELECT string_agg(word, '|') FROM ref.drug_name_noise
                     WHERE kind = 'pattern') AS pattern,
                   (SELECT list(word) FROM ref.drug_name_noise
                     WHERE kind NOT IN ('pattern', 'mineral')) AS strip_words,
                   (SELECT list(word) FROM ref.drug_name_noise WHERE kind = 'salt') AS salts,
                   (SELECT list(word) FROM ref.drug_name_noise WHERE kind = 'mineral') AS minerals
        ),
        named AS (
            SELECT staging.drug_name_words(staging.drug_name_key(?), pattern) AS words, *
            FROM noise
        )
        SELECT staging.cleaned_drug_name(words, strip_words, salts, minerals) FROM named
        """,
        [name],
    ).fetchone()[0]


CLEANED = [
    # patterns, forms, units, fillers (rows that were there before)
    ("ASHWAGANDHA /01660201/", "ashwagandha"),
    ("OXYCODONE HCL 10 MG TABLETS", "oxycodone"),
    ("fentanyl 100MCG/HR patch", "fentanyl"),
    ("LIDOCAINE 0.5% CREAM", "lidocaine"),
    ("LOSARTAN HCT", "losartan hct"),  # HCT is part of the name: not a noise word
    ("TABLETS", "tablets"),  # a first word is never removed: no name is emptied
    # one example per salt word after a drug's name
    ("METFORMIN HYDROCHLORIDE", "metformin"),
    ("DEXTROMETHORPHAN HYDROBROMIDE", "dextromethorphan"),
    ("MORPHINE SULFATE", "morphine"),
    ("MORPHINE SULPHATE", "morphine"),
    ("ZOLPIDEM TARTRATE", "zolpidem"),
    ("HYDROCODONE BITARTRATE", "hydrocodone"),
    ("SILDENAFIL CITRATE", "sildenafil"),
    ("PROCHLORPERAZINE MALEATE", "prochlorperazine"),
    ("IMATINIB MESYLATE", "imatinib"),
    ("AMLODIPINE BESYLATE", "amlodipine"),
    ("DESVENLAFAXINE SUCCINATE", "desvenlafaxine"),
    ("QUETIAPINE FUMARATE", "quetiapine"),
    ("SITAGLIPTIN PHOSPHATE", "sitagliptin"),
    ("OCTREOTIDE ACETATE", "octreotide"),
    ("CLOPIDOGREL BISULFATE", "clopidogrel"),
    ("ESCITALOPRAM OXALATE", "escitalopram"),
    ("DOXYCYCLINE HYCLATE", "doxycycline"),
    ("CETIRIZINE DIHYDROCHLORIDE", "cetirizine"),
    ("DABIGATRAN ETEXILATE MESYLATE", "dabigatran etexilate"),
    ("CEFUROXIME AXETIL MONOHYDRATE", "cefuroxime axetil"),
    ("NAPROXEN SODIUM", "naproxen"),
    ("LOSARTAN POTASSIUM", "losartan"),
    ("ATORVASTATIN CALCIUM", "atorvastatin"),
    ("ESOMEPRAZOLE MAGNESIUM", "esomeprazole"),
    ("DEXAMETHASONE SODIUM PHOSPHATE", "dexamethasone"),  # both salt words after the drug
    ("OXYCODONE HCL ER", "oxycodone"),
    # must survive: a mineral salt keeps its salt words (its first word is a salt or mineral)
    ("CALCIUM CARBONATE", "calcium carbonate"),
    ("CALCIUM ACETATE", "calcium acetate"),
    ("CALCIUM CITRATE", "calcium citrate"),
    ("SODIUM OXYBATE", "sodium oxybate"),
    ("SODIUM CHLORIDE", "sodium chloride"),
    ("SODIUM BICARBONATE", "sodium bicarbonate"),
    ("SODIUM PHOSPHATE", "sodium phosphate"),
    ("MAGNESIUM SULFATE", "magnesium sulfate"),
    ("MAGNESIUM CITRATE", "magnesium citrate"),
    ("POTASSIUM CHLORIDE ER", "potassium chloride"),  # the filler still goes
    ("POTASSIUM CITRATE", "potassium citrate"),
    ("SODIUM POTASSIUM TARTRATE", "sodium potassium tartrate"),
    ("FERROUS SULFATE 325 MG TABLET", "ferrous sulfate"),
    ("FERRIC CITRATE", "ferric citrate"),
    ("ZINC SULFATE", "zinc sulfate"),
    ("ZINC ACETATE", "zinc acetate"),
    ("LITHIUM CITRATE", "lithium citrate"),
    ("BARIUM SULFATE", "barium sulfate"),
    ("ALUMINUM ACETATE", "aluminum acetate"),
    ("ALUMINIUM ACETATE", "aluminium acetate"),
    ("AMMONIUM SULFATE", "ammonium sulfate"),
    ("IRON SULFATE", "iron sulfate"),
    ("CARBONYL IRON", "carbonyl iron"),  # a mineral word is never removed
    # combinations: each ingredient keeps its first word; FAERS's backslash joined back
    ("DEXTROSE 5% AND SODIUM CHLORIDE 0.45%", "dextrose and sodium chloride"),
    ("VITAMIN D3 WITH CALCIUM", "vitamin d3 with calcium"),
    ("SULFAMETHOXAZOLE & TRIMETHOPRIM", "sulfamethoxazole & trimethoprim"),
    ("CALCIUM\\CHOLECALCIFEROL", "calcium\\cholecalciferol"),
    ("ALUMINUM HYDROXIDE\\MAGNESIUM CARBONATE", "aluminum hydroxide\\magnesium carbonate"),
    ("AMOXICILLIN\\CLAVULANATE POTASSIUM", "amoxicillin\\clavulanate"),
    ("BUPRENORPHINE HYDROCHLORIDE\\NALOXONE HYDROCHLORIDE", "buprenorphine\\naloxone"),
    ("BUDESONIDE\\FORMOTEROL FUMARATE DIHYDRATE", "budesonide\\formoterol"),
    ("CEFOPERAZONE SODIUM AND SULBACTAM SODIUM", "cefoperazone and sulbactam"),
    ("", None),
]


@pytest.mark.parametrize(("name", "cleaned"), CLEANED)
def test_cleaning_rule_in_sql_and_as_documented(ref, name: str, cleaned: str | None) -> None:
    assert _clean_sql(ref, name) == cleaned
    assert _clean_python(name, load_reference("drug_name_noise")) == cleaned


def test_every_salt_and_mineral_word_has_an_example() -> None:
    noise = load_reference("drug_name_noise").filter(pl.col("kind").is_in(["salt", "mineral"]))
    named = {w for name, _ in CLEANED for w in name.replace("\\", " ").split()}
    assert set(noise["word"]) - named == set()


# (prod_ai, drugname) -> (substance_name, substance_class), through staging.substance_names
NAMED = [
    (("ADALIMUMAB", "HUMIRA"), ("adalimumab", "other")),
    ((None, "HUMIRA"), ("adalimumab", "other")),  # no prod_ai: was "humira"
    ((None, "LIPITOR"), ("atorvastatin", "other")),  # was "lipitor"
    (("ATORVASTATIN CALCIUM", "LIPITOR"), ("atorvastatin", "other")),  # was "atorvastatin calcium"
    (("CLOPIDOGREL BISULFATE", "CLOPIDOGREL"), ("clopidogrel", "other")),
    ((None, "XARELTO"), ("rivaroxaban", "other")),
    ((None, "KEYTRUDA"), ("pembrolizumab", "other")),
    ((None, "DUPIXENT"), ("dupilumab", "other")),
    ((None, "OZEMPIC"), ("semaglutide", "other")),
    ((None, "ELIQUIS"), ("apixaban", "other")),
    ((None, "ENBREL"), ("etanercept", "other")),
    ((None, "REVLIMID"), ("lenalidomide", "other")),
    (("NALOXONE HYDROCHLORIDE", "NALOXONE"), ("naloxone", "opioid_antagonists")),
    ((None, "NARCAN"), ("naloxone", "opioid_antagonists")),
    ((None, "OPVEE"), ("nalmefene", "opioid_antagonists")),
    (("NALTREXONE", "VIVITROL"), ("naltrexone", "opioid_antagonists")),
    (
        ("BUPRENORPHINE HYDROCHLORIDE\\NALOXONE HYDROCHLORIDE", "SUBOXONE"),
        ("buprenorphine", "opioids"),
    ),
    ((None, "PENTAZOCINE AND NALOXONE"), ("pentazocine", "opioids")),
    (("TIANEPTINE", "TIANEPTINE"), ("tianeptine", "opioids")),  # was antidepressants
    (("PHENIBUT", "PHENIBUT"), ("phenibut", "gabapentinoids")),  # was other
    (("LOPERAMIDE HYDROCHLORIDE", "LOPERAMIDE"), ("loperamide", "other")),  # decision: kept
    (("MAGNESIUM SULFATE", "MAGNESIUM SULFATE"), ("magnesium sulfate", "other")),
    ((None, "CALCIUM CARBONATE 500 MG"), ("calcium carbonate", "other")),
    (("AMOXICILLIN\\CLAVULANATE POTASSIUM", "AUGMENTIN"), ("amoxicillin\\clavulanate", "other")),
]


def test_substance_names_and_classes(ref) -> None:
    pairs = [(p, d) for (p, d), _ in NAMED]
    ref.execute("CREATE OR REPLACE TEMP TABLE drug_pairs (prod_ai VARCHAR, drugname VARCHAR)")
    ref.executemany("INSERT INTO drug_pairs VALUES (?, ?)", pairs)
    ref.execute(
        "CREATE OR REPLACE TEMP TABLE named_rows AS SELECT prod_ai, drugname, "
        "staging.drug_name_key(coalesce(prod_ai, drugname)) AS name_key, "
        "staging.drug_name_key(drugname) AS drugname_key FROM drug_pairs"
    )
    got = ref.execute(
        "SELECT r.prod_ai, r.drugname, n.substance_name, n.substance_class FROM named_rows r "
        "JOIN staging.substance_names('named_rows') n "
        "ON n.name_key IS NOT DISTINCT FROM r.name_key "
        "AND n.drugname_key IS NOT DISTINCT FROM r.drugname_key"
    ).fetchall()
    assert {(p, d): (s, c) for p, d, s, c in got} == dict(NAMED)


def test_class_decisions() -> None:
    """The judgement calls of substance_classes.csv, each with its reason in the note."""
    classes = load_reference("substance_classes")
    decided = {
        "naloxone": "opioid_antagonists",
        "nalmefene": "opioid_antagonists",
        "naltrexone": "opioid_antagonists",
        "tianeptine": "opioids",
        "phenibut": "gabapentinoids",
        "loperamide": "other",
    }
    rows = classes.filter(pl.col("substance_name").is_in(list(decided)))
    assert dict(rows.select("substance_name", "substance_class").iter_rows()) == decided
    assert all(rows["note"].str.len_chars() > 20)


def test_every_synonym_row_has_a_positive_example() -> None:
    synonyms = load_reference("substance_synonyms")
    examples = load_reference("substance_synonym_examples").drop_nulls("substance_name")
    texts = [t.upper() for t in examples["text"]]
    missing = [
        pattern
        for pattern in synonyms["pattern"]
        if not any(re.search(pattern, t, re.ASCII) for t in texts)
    ]
    assert missing == []
