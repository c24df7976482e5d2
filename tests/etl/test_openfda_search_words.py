"""openFDA search words come from kratom_terms.csv (`openfda_words`, or why not: `openfda_note`).

The refresh asks openFDA for these words, and the reviewed patterns then decide which reports are
kratom (the rest are counted as not_kratom: tests/etl/test_country_code.py). Whether openFDA finds
a name with a word cannot be checked here (no network). What is checked is a stated assumption
about it ([C] in shared/reference/faers-format.md §3): openFDA lower-cases names and splits them
into words; a word with `*` matches within one word; a phrase matches consecutive words. Where
it splits is unknown, so both plausible ways are tried: at every character that is not a letter
or digit, and the same but keeping `.` and `'` between letters and digits (ROXYTABS.COM one word).
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import pytest

from etl.kratom_match import openfda_search_words
from etl.reference_data import load_reference

REPO = Path(__file__).resolve().parents[2]
_LETTERS = r"(?:[^\W_]|\*)+"  # letters and digits; * too, so a search word keeps its wildcard
SPLITTERS = {
    "at every punctuation mark": re.compile(_LETTERS),
    "keeping . and ' inside words": re.compile(rf"{_LETTERS}(?:[.']{_LETTERS})*"),
}


def found_by(name: str, search_word: str, splitter: re.Pattern[str]) -> bool:
    """Would `search_word` find `name` under the assumption above?"""
    words, wanted = splitter.findall(name.lower()), splitter.findall(search_word)
    n = len(wanted)
    return any(
        all(fnmatch.fnmatchcase(w, p) for w, p in zip(words[i : i + n], wanted, strict=True))
        for i in range(len(words) - n + 1)
    )


def test_every_term_has_search_words_or_says_why_not() -> None:
    terms = load_reference("kratom_terms").select("pattern_id", "openfda_words", "openfda_note")
    with_words = [p for p, words, _ in terms.rows() if words]
    with_reason = [p for p, words, note in terms.rows() if not words and note]
    assert len(with_words) + len(with_reason) == terms.height == 25
    assert sorted(with_reason) == [  # every name they match holds another term's word
        "c7oh_pseudoindoxyl", "ext_form", "ext_opms", "gen_kratomos", "leaf_form",
        "leaf_strain", "mix_cbd", "mix_kava", "mix_with_kratom",
    ]  # fmt: skip


@pytest.mark.parametrize("split", sorted(SPLITTERS))
def test_every_positive_example_is_found_by_a_search_word(split: str) -> None:
    """The reasons hold on the reviewed examples: each kratom name is found by some word."""
    words = openfda_search_words()
    examples = load_reference("kratom_term_examples").filter("is_kratom")["text"].to_list()
    missed = [x for x in examples if not any(found_by(x, w, SPLITTERS[split]) for w in words)]
    assert missed == []
    assert len(examples) > 60


def test_the_assumed_matching_on_hand_made_names() -> None:
    split = SPLITTERS["at every punctuation mark"]
    assert found_by("7-OH TABLETS", "7 oh", split)
    assert found_by("ROXYTABS.COM 7OH", "roxytabs*", split)
    assert found_by("7\u2126HMZ", "*hmz", split)  # the Ohm sign is a letter: one word 7ωhmz
    assert found_by("O.P.M.S. KRATOM", "o.p.m.s", split)
    assert not found_by("7-OH TABLETS", "7oh", split)
    assert not found_by("MAENG TEA DA", "maeng da", split)
    assert not found_by("ROXY TABS", "roxytabs*", split)
    keep_dots = SPLITTERS["keeping . and ' inside words"]
    assert found_by("ROXYTABS.COM", "roxytabs*", keep_dots)
    assert not found_by("ROXYTABS.COM", "roxytabs", keep_dots)


def test_words_in_file_order_each_once(tmp_path: Path) -> None:
    (tmp_path / "kratom_terms.csv").write_text(
        "pattern_id,pattern,product_type,priority,source,openfda_words,openfda_note\n"
        "a,\\bKRATOM\\b,unspecified,90,s,kratom*|kratum*,\n"
        "b,\\bKRATOM TEA\\b,leaf_powder,40,s,,needs a kratom word\n"
        "c,\\bMAENG DA\\b,leaf_powder,40,s,maeng da|kratom*,\n",
        encoding="utf-8",
    )
    assert openfda_search_words(tmp_path) == ["kratom*", "kratum*", "maeng da"]


def test_every_search_word_is_documented() -> None:
    doc = (REPO / "docs" / "scheduling.md").read_text(encoding="utf-8")
    assert [w for w in openfda_search_words() if f"`{w}`" not in doc] == []
