"""Every reference CSV validates; malformed copies fail naming file, line and field."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from etl.errors import InputError
from etl.reference_data import REFERENCE_DIR, load_reference, reference_names, validate_all


@pytest.fixture
def ref_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, folder)
    return folder


def _append(folder: Path, name: str, row: str) -> int:
    """Append one CSV row; return its line number."""
    path = folder / f"{name}.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + row + "\n", encoding="utf-8")
    return text.count("\n") + 1


def _replace_header(folder: Path, name: str, header: str) -> None:
    path = folder / f"{name}.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join([header, *lines[1:]]), encoding="utf-8")


def test_every_file_validates() -> None:
    validate_all()
    for name in reference_names():
        assert load_reference(name).height > 0, name


def test_every_reference_name_has_its_csv_file() -> None:
    on_disk = {path.stem for path in REFERENCE_DIR.glob("*.csv")}
    assert set(reference_names()) - on_disk == set()


BAD_ROWS = [
    ("kratom_terms", "x1,\\bX\\b,gummy,10,s,kratom,", "product_type"),
    ("kratom_terms", "x1,(KRATOM,unspecified,90,s,kratom,", "pattern"),
    ("kratom_terms", "x1,KRATOM(?=X),unspecified,90,s,kratom,", "pattern"),  # Python yes, RE2 no
    ("kratom_terms", "x1,\\bkratom\\b,unspecified,90,s,kratom,", "pattern"),
    ("kratom_terms", "x1,\\bX\\b,unspecified,ninety,s,kratom,", "priority"),
    ("kratom_terms", "x1,\\bX\\b,extract,90,s,kratom,", "priority"),  # 90 already means unspecified
    ("kratom_terms", "gen_kratom,\\bX\\b,unspecified,90,s,kratom,", "pattern_id"),
    ("kratom_terms", "x1,\\bX\\b,unspecified,90,,kratom,", "source"),
    (
        "kratom_terms",
        "x1,\\b7\u03a9HMZ\\b,concentrate_7oh,10,s,kratom,",
        "pattern",
    ),  # omega, no Ohm sign
    ("substance_synonyms", "\\b\u2126MEGA\\b,fentanyl,50,", "pattern"),  # Ohm sign, no omega
    ("kratom_terms", "x1,\\bX\\b,unspecified,90,s,,", "openfda_note"),  # no word, no reason
    ("kratom_terms", "x1,\\bX\\b,unspecified,90,s,Kratom,", "openfda_words"),
    ("kratom_terms", "x1,\\bX\\b,unspecified,90,s,kratom| x,", "openfda_words"),
    ("kratom_terms", "x1,\\bX\\b,unspecified,90,s,kra tom*,", "openfda_words"),  # phrase with *
    ("kratom_terms", "x1,\\bX\\b,unspecified,90,s,kratom||x,", "openfda_words"),
    ("kratom_terms", "x1,\\bX\\b,unspecified,90,s,7\u03c9hmz,", "openfda_words"),  # ASCII only
    ("kratom_term_examples", "NEW NAME,yes,,n", "is_kratom"),
    ("kratom_term_examples", "NEW NAME,false,extract,n", "product_type"),
    ("kratom_term_examples", "NEW NAME,true,,n", "product_type"),
    ("event_groups", "DEATH,death,", "pt"),  # duplicate ignoring case
    ("event_groups", "Hiccups,hiccup_group,", "event_group"),
    ("event_groups", " Hiccups,other,", "pt"),
    ("event_group_list", "extra,Extra,d,1.5", "display_order"),
    ("substance_classes", "newdrug,,n", "substance_class"),
    ("substance_classes", "newdrug,painkillers,n", "substance_class"),
    ("substance_classes", "NewDrug,other,n", "substance_name"),
    ("substance_synonyms", "\\bNEWDRUG\\b,newdrug,50,", "substance_name"),
    ("substance_synonyms", "\\bFENTANYL\\b,fentanyl,x,", "priority"),
    ("substance_synonym_examples", "NEWDRUG,newdrug,", "substance_name"),
    ("drug_name_noise", "TABLETS,form,", "word"),
    ("drug_name_noise", "[0-9,pattern,", "word"),
    ("drug_name_noise", "two words,form,", "word"),
    ("drug_name_noise", "GEL,texture,", "kind"),
    ("indication_groups", "Hiccups,hiccups,", "indication_group"),
    ("countries", "france,FR,", "name"),
    ("countries", "ATLANTIS,ATL,", "country_code"),
    ("timeline", "2025-02-30,day,L,regulatory,V,,s", "event_date"),
    ("timeline", "2025-02-15,month,L,regulatory,V,,s", "event_date"),
    ("timeline", "2025-02-01,month,L,rumour,V,,s", "kind"),
    ("timeline", "2025-02-01,month,L,regulatory,R,,s", "status"),
    ("timeline", '2018-02-06,day,L,regulatory,"V, date R",,s', "status"),  # date unchecked: dropped
]


@pytest.mark.parametrize(("name", "row", "field"), BAD_ROWS)
def test_bad_row_names_file_line_and_field(ref_copy: Path, name: str, row: str, field: str) -> None:
    line = _append(ref_copy, name, row)
    with pytest.raises(InputError) as caught:
        load_reference(name, ref_copy)
    assert (caught.value.file, caught.value.line, caught.value.field) == (
        str(ref_copy / f"{name}.csv"),
        line,
        field,
    )
    assert f"{name}.csv:{line} field {field}:" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "header", "field"),
    [
        ("kratom_terms", "pattern_id,pattern,product_type,priority", "source"),
        ("event_groups", "pt,event_group,colour", "colour"),
        ("countries", "name,country_code,name", "name"),
    ],
)
def test_bad_header_names_column(ref_copy: Path, name: str, header: str, field: str) -> None:
    _replace_header(ref_copy, name, header)
    with pytest.raises(InputError) as caught:
        load_reference(name, ref_copy)
    assert (caught.value.line, caught.value.field) == (1, field)


def test_short_row_names_its_line(ref_copy: Path) -> None:
    line = _append(ref_copy, "countries", "ATLANTIS")
    with pytest.raises(InputError) as caught:
        load_reference("countries", ref_copy)
    assert (caught.value.line, caught.value.field) == (line, None)
    assert "expected 3 fields, found 1" in str(caught.value)


def test_missing_group_list_breaks_event_groups(ref_copy: Path) -> None:
    (ref_copy / "event_group_list.csv").unlink()
    with pytest.raises(InputError, match=r"event_group_list\.csv: file not found"):
        validate_all(ref_copy)


def test_loaded_frame_has_typed_columns(tmp_path: Path) -> None:
    (tmp_path / "timeline.csv").write_text(
        "event_date,date_precision,label,kind,status,source_url,source\n"
        '2016-08-31,day,DEA notice,regulatory,V,https://example.org/a,"81 FR, 59929"\n'
        '2020-01-01,year,OT becomes HP,data-format,V-3p,,"docs, restated"\n',
        encoding="utf-8",
    )
    expected = pl.DataFrame(
        {
            "event_date": [dt.date(2016, 8, 31), dt.date(2020, 1, 1)],
            "date_precision": ["day", "year"],
            "label": ["DEA notice", "OT becomes HP"],
            "kind": ["regulatory", "data-format"],
            "status": ["V", "V-3p"],
            "source_url": ["https://example.org/a", None],
            "source": ["81 FR, 59929", "docs, restated"],
        }
    )
    assert load_reference("timeline", tmp_path).equals(expected)


def test_timeline_keeps_only_checked_dates_and_the_stronger_mark() -> None:
    """Hand count of timeline.csv against shared/reference/timeline.md and kratom-terms.md."""
    timeline = load_reference("timeline")
    # 34 lines in timeline.md's table, less Utah [R], DEA on 7-OH (not verified), 2 [R] dates
    assert timeline.height == 30
    assert timeline["status"].value_counts(sort=True).rows() == [("V", 19), ("V-3p", 11)]
    dates = set(timeline["event_date"])
    assert dt.date(2018, 2, 6) not in dates  # FDA statement, 44 deaths: [V content; R date]
    assert dt.date(2018, 4, 3) not in dates  # first mandatory recall: [V fact; R date]
    for day in (dt.date(2018, 11, 27), dt.date(2019, 4, 3)):  # [V-3p] here, [V] in kratom-terms
        row = timeline.filter(pl.col("event_date") == day).row(0, named=True)
        assert row["status"] == "V" and "[V] in kratom-terms.md" in row["source"]


def test_timeline_labels_about_deaths_do_not_read_as_cause() -> None:
    """A death count says "associated with" or "with", as its source does, never "N deaths"."""
    labels = [x for x in load_reference("timeline")["label"] if "death" in x.lower()]
    assert labels == [
        "FDA advisory: 36 deaths associated with kratom (FDA's case count)",
        "CDC MMWR: overdose deaths with kratom detected (SUDORS)",
        "LA County warning: 3 deaths with 7-OH",
    ]


def test_every_synonym_substance_has_a_class() -> None:
    classes = set(load_reference("substance_classes")["substance_name"])
    synonyms = set(load_reference("substance_synonyms")["substance_name"])
    assert synonyms - classes == set()
    assert "kratom" in synonyms
    assert load_reference("substance_classes").filter(pl.col("substance_name") == "kratom")[
        "substance_class"
    ].to_list() == ["kratom"]


def test_every_event_group_used_is_listed() -> None:
    listed = load_reference("event_group_list")
    used = set(load_reference("event_groups")["event_group"])
    assert used - set(listed["event_group"]) == set()
    assert "other" in set(listed["event_group"])
    assert listed["display_order"].n_unique() == listed.height


def test_brief_pts_are_grouped() -> None:
    groups = dict(load_reference("event_groups").select("pt", "event_group").iter_rows())
    assert groups["Toxicity to various agents"] == "overdose_toxicity"
    assert groups["Drug withdrawal syndrome"] == "dependence_withdrawal"
    assert groups["Drug withdrawal syndrome neonatal"] == "neonatal"
    assert groups["Salmonellosis"] == "product_quality"
    assert groups["Generalised tonic-clonic seizure"] == "seizure"


def _synonym_python(text: str, rules: list[tuple[re.Pattern[str], str]]) -> str | None:
    upper = text.upper()
    return next((name for regex, name in rules if regex.search(upper)), None)


def test_synonym_examples_agree_in_python_and_duckdb() -> None:
    synonyms = load_reference("substance_synonyms").sort(["priority", "substance_name"])
    rules = [
        (re.compile(p, re.ASCII), n) for p, n in synonyms.select("pattern", "substance_name").rows()
    ]
    examples = load_reference("substance_synonym_examples")
    expected = dict(examples.select("text", "substance_name").rows())
    python = {text: _synonym_python(text, rules) for text in expected}
    assert python == expected
    con = duckdb.connect()
    con.register("syn", synonyms.to_arrow())
    con.register("ex", examples.select("text").to_arrow())
    sql = """
        SELECT ex.text, arg_min(syn.substance_name, (syn.priority, syn.substance_name))
        FROM ex LEFT JOIN syn ON regexp_matches(upper(ex.text), syn.pattern)
        GROUP BY ex.text
    """
    assert dict(con.execute(sql).fetchall()) == python


def test_opioid_indication_groups_hold_only_terms_naming_opioids() -> None:
    """A group is labelled opioid only when each of its terms names opioids (an indication such
    as Drug withdrawal syndrome or Drug abuse names no drug: drug_withdrawal, drug_dependence).
    The cleaning rule of drug_name_noise.csv is tested in test_substance_names.py."""
    groups = load_reference("indication_groups")
    opioid = groups.filter(pl.col("indication_group").str.starts_with("opioid"))
    assert all(re.search(r"\bOPI(OID|ATE)", pt.upper()) for pt in opioid["indication_pt"])
    elsewhere = groups.filter(~pl.col("indication_group").str.starts_with("opioid"))
    assert not any(re.search(r"OPI(OID|ATE)", pt.upper()) for pt in elsewhere["indication_pt"])
    by_pt = dict(groups.select("indication_pt", "indication_group").iter_rows())
    assert {
        pt: by_pt[pt] for pt in ("Drug withdrawal syndrome", "Drug abuse", "Drug dependence")
    } == {
        "Drug withdrawal syndrome": "drug_withdrawal",
        "Drug abuse": "drug_dependence",
        "Drug dependence": "drug_dependence",
    }
