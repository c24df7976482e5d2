"""Extracts of the hand-counted model fixture (tests/fixtures/model/README.md), in every format.

Default filters: kratom cases 900001, 900005, 900006; six substance rows; five event rows.
role=primary: 900001 and 900005 (900006 has kratom as concomitant), four substances, four events.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import flask
import openpyxl
import polars as pl
import pyarrow.parquet as pq
import pytest

from dashboard import extract_manifest, extract_writers, extracts

NOW = dt.datetime(2026, 11, 24, 21, 30, 5, tzinfo=dt.UTC)
FORMATS = ("csv", "parquet", "xlsx")
CASE_COLS = ["case_id", "primary_id", "quarter", "kratom_role", "kratom_product_type"]
CASE_COLS += ["is_serious", "has_death", "is_synthetic"]
SUBSTANCE_COLS = ["case_id", "drug_seq", "substance_name", "substance_class", "role_code"]
SUBSTANCE_COLS += ["is_kratom"]
EVENT_COLS = ["case_id", "pt", "event_group"]

CASES = {
    900001: (900001, 9000012, "2013Q1", "PS", "unspecified", True, False, False),
    900005: (900005, 9000051, "2021Q4", "PS", "concentrate_7oh", True, True, False),
    900006: (900006, 9000061, "2021Q4", "C", "leaf_powder", True, False, False),
}
SUBSTANCES = {
    900001: [
        (900001, 1, "kratom", "kratom", "PS", True),
        (900001, 2, "alcohol", "alcohol", "SS", False),
    ],
    900005: [
        (900005, 1, "kratom", "kratom", "PS", True),
        (900005, 2, "fentanyl", "opioids", "C", False),
    ],
    900006: [
        (900006, 1, "gabapentin", "gabapentinoids", "PS", False),
        (900006, 2, "kratom", "kratom", "C", True),
    ],
}
EVENTS = {
    900001: [
        (900001, "Drug dependence", "dependence_withdrawal"),
        (900001, "Withdrawal syndrome", "dependence_withdrawal"),
    ],
    900005: [
        (900005, "Death", "death"),
        (900005, "Toxicity to various agents", "overdose_toxicity"),
    ],
    900006: [(900006, "Somnolence", "cognitive_neurological")],
}
DEFAULT_SENTENCE = "Kratom cases (kratom in any role), all dates, from FAERS quarterly files."
PRIMARY_SENTENCE = (
    "Kratom cases (kratom as the primary suspect), all dates, from FAERS quarterly files."
)


def expected(case_ids: list[int]) -> dict[str, list[tuple]]:
    return {
        "cases": [CASES[c] for c in case_ids],
        "substances": [row for c in case_ids for row in SUBSTANCES[c]],
        "events": [row for c in case_ids for row in EVENTS[c]],
    }


def read_tables(x: extracts.ExtractFile) -> tuple[dict[str, pl.DataFrame], dict]:
    """The tables and the manifest of an extract file, read back as a user would."""
    if x.name.endswith(".xlsx"):
        wb = openpyxl.load_workbook(io.BytesIO(x.content), read_only=True)
        tables = {}
        for table, sheet in extract_writers.SHEETS.items():
            header, *rows = list(wb[sheet].values)
            tables[table] = pl.DataFrame(rows, schema=list(header), orient="row")
        return tables, x.manifest
    zf = zipfile.ZipFile(io.BytesIO(x.content))
    fmt = "csv" if x.name.endswith(".csv.zip") else "parquet"
    read = pl.read_csv if fmt == "csv" else pl.read_parquet
    tables = {t: read(zf.read(f"{t}.{fmt}")) for t in extract_writers.SHEETS}
    return tables, json.loads(zf.read("manifest.json"))


def projected(tables: dict[str, pl.DataFrame]) -> dict[str, list[tuple]]:
    cols = {"cases": CASE_COLS, "substances": SUBSTANCE_COLS, "events": EVENT_COLS}
    return {t: tables[t].select(cols[t]).rows() for t in cols}


def build(db, query: str = "", fmt: str = "csv", **kw) -> extracts.ExtractFile:
    return extracts.build_extract(db, query, fmt, now=NOW, **kw)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("query", "case_ids"),
    [("", [900001, 900005, 900006]), ("role=primary", [900001, 900005])],
)
def test_rows_in_every_format(model_db: Path, fmt: str, query: str, case_ids: list[int]) -> None:
    tables, manifest = read_tables(build(model_db, query, fmt))
    assert projected(tables) == expected(case_ids)
    counts = {t: e["rows"] for t, e in manifest["tables"].items()}
    assert counts == {t: len(rows) for t, rows in expected(case_ids).items()}


def test_parquet_is_the_model_rows_whole(model_db: Path) -> None:
    tables, manifest = read_tables(build(model_db, "role=primary", "parquet"))
    with duckdb.connect(str(model_db), read_only=True) as con:
        cases = con.sql(
            "SELECT * FROM model.cases WHERE case_id IN (900001, 900005) ORDER BY case_id"
        ).pl()
        events = con.sql(
            "SELECT * FROM model.case_events WHERE case_id IN (900001, 900005) ORDER BY case_id, pt"
        ).pl()
    assert "is_synthetic" in tables["cases"].columns
    assert tables["cases"].equals(cases)
    assert tables["events"].equals(events)
    assert manifest["tables"]["cases"]["columns"] == cases.columns


def test_csv_holds_the_same_values_as_parquet(model_db: Path) -> None:
    csv_tables, _ = read_tables(build(model_db, "", "csv"))
    parquet_tables, _ = read_tables(build(model_db, "", "parquet"))
    for table, df in parquet_tables.items():
        assert csv_tables[table].columns == df.columns
        assert csv_tables[table].cast(pl.String).rows() == df.cast(pl.String).rows(), table


def test_manifest_says_what_was_selected(model_db: Path) -> None:
    # /trends, not /signals: the Signals table counts role=primary as any suspect, and its
    # extract follows (tests/dashboard/test_signals_extract.py)
    x = build(model_db, "role=primary", "csv", view="/trends")
    zf = zipfile.ZipFile(io.BytesIO(x.content))
    manifest = json.loads(zf.read("manifest.json"))
    assert manifest == x.manifest
    assert manifest["filters"] == {
        "description": PRIMARY_SENTENCE,
        "query": "role=primary",
        "link": "/trends?role=primary",
        "link_is_relative": True,  # no dashboard address given
        "is_default": False,
    }
    assert manifest["population"] == {"code": "kratom", "cases": "Kratom cases"}
    assert manifest["view"] == "/trends"
    assert manifest["ignored_parameters"] == []
    assert manifest["unmatched_values"] == []
    assert manifest["is_synthetic"] is False and manifest["warning"] is None
    assert manifest["data_vintage"]["quarters_loaded"] == ["2012Q2", "2013Q1", "2021Q4"]
    with duckdb.connect(str(model_db), read_only=True) as con:
        built = con.execute("SELECT built_at FROM meta.build").fetchone()[0]
    assert manifest["data_vintage"]["built_at"] == built.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert {t: e["rows"] for t, e in manifest["tables"].items()} == {
        "cases": 2,
        "substances": 4,
        "events": 4,
    }
    assert manifest["cuts"] == []
    assert manifest["sources"][0]["url"].startswith("https://fis.fda.gov/")
    caveats = " ".join(manifest["caveats"])
    for words in ("do not establish", "deduplicated", "under-reported"):
        assert words in caveats
    assert manifest["file_name"] == x.name == "kratom_FILTERED_20261124-213005Z.csv.zip"
    assert manifest["created_at"] == "2026-11-24T21:30:05Z"


def test_readme_explains_in_plain_english(model_db: Path) -> None:
    x = build(model_db, "role=primary&bogus=1", "parquet", view="/")
    zf = zipfile.ZipFile(io.BytesIO(x.content))
    assert sorted(zf.namelist()) == sorted(
        [
            "cases.parquet",
            "substances.parquet",
            "events.parquet",
            "dictionary.csv",
            "manifest.json",
            "README.txt",
        ]
    )
    readme = " ".join(zf.read("README.txt").decode().split())
    assert PRIMARY_SENTENCE in readme
    assert "Link: /?role=primary" in readme
    assert "Ignored: ignored 'bogus=1': unknown parameter" in readme
    assert "cases.parquet: 2 rows" in readme and "events.parquet: 4 rows" in readme
    assert "2012Q2, 2013Q1, 2021Q4" in readme
    assert "do not establish" in readme and "SYNTHETIC" not in readme
    assert "<population>_<ALL|FILTERED>_<yyyymmdd-hhmmss>Z" in readme
    assert extract_manifest.RELATIVE_LINK in readme


def test_parquet_files_carry_the_manifest(model_db: Path) -> None:
    x = build(model_db, "role=primary", "parquet")
    zf = zipfile.ZipFile(io.BytesIO(x.content))
    for table in extract_writers.SHEETS:
        meta = pq.read_schema(io.BytesIO(zf.read(f"{table}.parquet"))).metadata
        assert json.loads(meta[extract_writers.MANIFEST_KEY]) == x.manifest


def test_xlsx_about_sheet_is_the_manifest(model_db: Path) -> None:
    x = build(model_db, "role=primary", "xlsx", view="/events")
    wb = openpyxl.load_workbook(io.BytesIO(x.content), read_only=True)
    assert wb.sheetnames == ["About", "Cases", "Substances", "Events", "Dictionary"]
    about = [tuple(r) for r in wb["About"].values]
    want = []
    for heading, lines in extract_manifest.sections(x.manifest):
        want += [(heading if i == 0 else None, line) for i, line in enumerate(lines)]
    assert about == want
    assert ("Selected", PRIMARY_SENTENCE) in about
    assert (None, "Link: /events?role=primary") in about


def test_file_names(model_db: Path) -> None:
    names = {fmt: build(model_db, "", fmt).name for fmt in FORMATS}
    assert names == {
        "csv": "kratom_ALL_20261124-213005Z.csv.zip",
        "parquet": "kratom_ALL_20261124-213005Z.parquet.zip",
        "xlsx": "kratom_ALL_20261124-213005Z.xlsx",
    }
    assert build(model_db, "sex=F", "xlsx").name == "kratom_FILTERED_20261124-213005Z.xlsx"


def test_file_names_say_the_population():
    """kratom_ALL_ is every kratom case, unfiltered; population=all (every FAERS case) was
    named kratom_FILTERED_, now all-drugs_ALL_ unfiltered and all-drugs_FILTERED_ filtered."""
    from dashboard.filters import Filters

    def name(**kw) -> str:
        return extracts.file_name(Filters(**kw), "csv", NOW)

    assert name() == "kratom_ALL_20261124-213005Z.csv.zip"
    assert name(sexes=("F",)) == "kratom_FILTERED_20261124-213005Z.csv.zip"
    assert name(sources=("openfda-caers",)) == "kratom_FILTERED_20261124-213005Z.csv.zip"
    assert name(population="all") == "all-drugs_ALL_20261124-213005Z.csv.zip"
    assert name(population="all", sexes=("F",)) == "all-drugs_FILTERED_20261124-213005Z.csv.zip"


def test_an_extract_of_every_faers_case_is_named_and_described_so(model_db: Path) -> None:
    x = build(model_db, "population=all", "parquet", view="/cases")
    tables, manifest = read_tables(x)
    assert tables["cases"].height == 6  # every kept case of the model fixture
    assert x.name == manifest["file_name"] == "all-drugs_ALL_20261124-213005Z.parquet.zip"
    assert manifest["population"] == {"code": "all", "cases": "FAERS cases (all drugs)"}


def test_a_dashboard_address_makes_the_link_whole(model_db: Path) -> None:
    x = build(model_db, "role=primary", "csv", view="/trends", base_url="http://dash.example:8050/")
    _, manifest = read_tables(x)
    assert manifest["filters"]["link"] == "http://dash.example:8050/trends?role=primary"
    assert manifest["filters"]["link_is_relative"] is False
    readme = " ".join(zipfile.ZipFile(io.BytesIO(x.content)).read("README.txt").decode().split())
    assert "Link: http://dash.example:8050/trends?role=primary" in readme
    assert extract_manifest.RELATIVE_LINK not in readme
    _, bare = read_tables(build(model_db, "", "parquet", base_url="https://kratom.example"))
    assert bare["filters"]["link"] == "https://kratom.example/"  # no page: the overview


@pytest.fixture
def synthetic_db(model_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "synthetic.duckdb"
    shutil.copy(model_db, path)
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE model.cases SET is_synthetic = true")
        # as a build would: the slice copies the cases, the quarter totals count them
        con.execute("UPDATE model.kratom_cases SET is_synthetic = true")
        con.execute("UPDATE model.quarter_totals SET n_synthetic_cases = n_cases")
    return path


@pytest.mark.parametrize("fmt", FORMATS)
def test_synthetic_data_is_said_prominently(synthetic_db: Path, fmt: str) -> None:
    x = build(synthetic_db, "", fmt)
    tables, manifest = read_tables(x)
    assert manifest["is_synthetic"] is True
    assert manifest["warning"].startswith("SYNTHETIC DATA")
    assert manifest["caveats"][0] == manifest["warning"]
    assert tables["cases"]["is_synthetic"].to_list() == [True, True, True]
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(io.BytesIO(x.content), read_only=True)
        first = next(wb["About"].values)
        assert first == ("WARNING", manifest["warning"])
    else:
        readme = zipfile.ZipFile(io.BytesIO(x.content)).read("README.txt").decode()
        assert readme.splitlines()[1] == "*** SYNTHETIC DATA: NOT REAL FAERS REPORTS ***"


def test_csv_cut_at_the_spreadsheet_limit(model_db: Path, monkeypatch) -> None:
    monkeypatch.setattr(extract_manifest, "SPREADSHEET_MAX_ROWS", 2)  # the header and one row
    x = build(model_db, "", "csv")
    zf = zipfile.ZipFile(io.BytesIO(x.content))
    for table in extract_writers.SHEETS:
        assert len(zf.read(f"{table}.csv").decode().splitlines()) == 2
    tables, manifest = read_tables(x)
    assert projected(tables) == {
        t: rows[:1] for t, rows in expected([900001, 900005, 900006]).items()
    }
    entries = manifest["tables"]
    assert [
        (e["rows"], e["rows_in_file"], e["rows_left_out"], e["is_cut"]) for e in entries.values()
    ] == [
        (3, 1, 2, True),
        (6, 1, 5, True),
        (5, 1, 4, True),
    ]
    assert manifest["cuts"][0] == (
        "cases.csv holds the first 1 of 3 rows (2 left out) to stay within the spreadsheet "
        "limit of 2 rows including the header; the Parquet extract is complete."
    )
    assert len(manifest["cuts"]) == 3
    assert "events.csv holds the first 1 of 5 rows" in " ".join(
        zf.read("README.txt").decode().split()
    )


def test_xlsx_cut_and_parquet_complete_under_the_limit(model_db: Path, monkeypatch) -> None:
    monkeypatch.setattr(extract_manifest, "SPREADSHEET_MAX_ROWS", 3)
    x = build(model_db, "", "xlsx")
    xlsx, _ = read_tables(x)
    assert [df.height for df in xlsx.values()] == [2, 2, 2]
    about = [line for _h, line in openpyxl.load_workbook(io.BytesIO(x.content))["About"].values]
    assert (
        "Substances holds the first 2 of 6 rows (4 left out) to stay within the spreadsheet "
        "limit of 3 rows including the header; the Parquet extract is complete."
    ) in about
    parquet, manifest = read_tables(build(model_db, "", "parquet"))
    assert projected(parquet) == expected([900001, 900005, 900006])
    assert manifest["cuts"] == []


HUGE_PTS = "pt=Death&" + "&".join(f"pt=Term{i:04d}" for i in range(600))
CUT = "and the rest of the query: over 4,000 characters"
MANY_COUNTRIES = "&".join(
    ["country=US"] * 30 + [f"country=A{b}" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
)


def test_the_poison_centers_geography_selects_no_case(model_db: Path) -> None:
    """`geo` chooses published figures on one page; a case extract leaves it out and says so."""
    x = build(model_db, "geo=state:TX", "parquet", view="/poison-centers")
    tables, manifest = read_tables(x)
    assert projected(tables) == expected([900001, 900005, 900006])  # every kratom case
    assert x.name == "kratom_ALL_20261124-213005Z.parquet.zip"
    assert manifest["filters"]["query"] == "" and manifest["filters"]["is_default"] is True
    assert manifest["filters"]["link"] == "/poison-centers"
    assert manifest["ignored_parameters"] == [
        "ignored 'geo=state:TX': the geography applies to the published poison-centre figures, "
        "not to cases"
    ]
    _, manifest = read_tables(build(model_db, "role=primary&geo=planet:Mars", "parquet"))
    assert manifest["filters"]["query"] == "role=primary"
    assert manifest["ignored_parameters"] == [
        "ignored 'geo=planet:Mars': not all or a geography like state:TX (country, state, "
        "region, county)"
    ]


def test_the_pages_own_controls_select_no_case(model_db: Path) -> None:
    """The view keys (how a page shows its cases) are left out of an extract, each with a note;
    its link names the cases in the file."""
    link = "/cases?role=primary&top=50&split=age&level=event_group&plot=ror_lower&term=Death"
    link += "&sort=age_years:asc&page=2&marks=false"
    x = build(model_db, link, "csv")
    tables, manifest = read_tables(x)
    assert projected(tables) == expected([900001, 900005])  # role=primary, every page of it
    assert manifest["filters"]["query"] == "role=primary"
    assert manifest["filters"]["link"] == "/cases?role=primary"
    assert manifest["ignored_parameters"] == [
        "ignored 'top=50': how many terms the Event types page charts; it selects no case",
        "ignored 'split=age': what the Event types page compares event groups across; it "
        "selects no case",
        "ignored 'level=event_group': the Signals table's terms; it selects no case",
        "ignored 'plot=ror_lower': the order of the Signals forest plot; it selects no case",
        "ignored 'term=Death': the Signals row whose history is drawn; it selects no case",
        "ignored 'sort=age_years:asc': the order of the Cases table; the extract lists the "
        "cases by case number",
        "ignored 'page=2': a page of the Cases table; the extract holds every matching case",
        "ignored 'marks=false': whether charts mark dated events; it selects no case",
    ]


@pytest.mark.parametrize(
    ("query", "case_ids", "note"),
    [
        ("role=primary' OR 1=1--", [900001, 900005, 900006], "ignored 'role=primary' OR 1=1--'"),
        ("sex=F');DROP TABLE model.cases;--", [900001, 900005, 900006], "ignored 'sex=F')"),
        (HUGE_PTS, [900005], CUT),
        (MANY_COUNTRIES, [900001, 900005, 900006], "at most 20 'country' values"),
        (
            "pt=%00&%%%=&from=2030Q1&to=2010Q1&role=primary",
            [900001, 900005],
            "start is after the end",
        ),
        ("x" * 100_000, [900001, 900005, 900006], CUT),
    ],
)
def test_hostile_queries_give_a_cleaned_extract(model_db: Path, query, case_ids, note) -> None:
    for fmt in FORMATS:
        tables, manifest = read_tables(build(model_db, query, fmt))
        assert projected(tables) == expected(case_ids)
        assert any(note in n for n in manifest["ignored_parameters"]), manifest[
            "ignored_parameters"
        ]
        assert len(manifest["ignored_parameters"]) <= 26


def test_no_match_gives_empty_tables_with_headers(model_db: Path) -> None:
    for fmt in FORMATS:
        tables, manifest = read_tables(build(model_db, "pt=Headache", fmt))
        assert [df.height for df in tables.values()] == [0, 0, 0]
        assert "is_synthetic" in tables["cases"].columns
        assert [e["rows"] for e in manifest["tables"].values()] == [0, 0, 0]


def test_values_no_case_has_are_said_in_the_manifest(model_db: Path) -> None:
    # the fixture's kratom cases report no Headache and come from no 'ZZ'; every case is
    # received 2012Q2-2021Q4, so none from 2030Q1
    x = build(model_db, "pt=Headache&country=ZZ&from=2030Q1", "csv", view="/")
    assert x.manifest["unmatched_values"] == [
        "no kratom case in this database has the preferred term 'Headache'",
        "no kratom case in this database has the country 'ZZ'",
        "no case in this database was received 2030Q1 or later (received dates run 2012Q2–2021Q4)",
    ]
    readme = " ".join(zipfile.ZipFile(io.BytesIO(x.content)).read("README.txt").decode().split())
    assert "Note: no kratom case in this database has the preferred term 'Headache'" in readme
    # Rash is reported on 900004, not a kratom case: only an extract of every case knows it
    every = build(model_db, "population=all&pt=Rash", "csv", view="/")
    assert every.manifest["unmatched_values"] == []
    assert build(model_db, "pt=Rash", "csv", view="/").manifest["unmatched_values"] == [
        "no kratom case in this database has the preferred term 'Rash'"
    ]


def test_too_large_refuses(model_db: Path, monkeypatch) -> None:
    monkeypatch.setattr(extracts, "MAX_ROWS", 2)
    with pytest.raises(extracts.ExtractTooLarge, match="more than 2 rows"):
        build(model_db, "", "parquet")


def test_unknown_format_is_an_error(model_db: Path) -> None:
    with pytest.raises(ValueError, match="unknown format 'json'"):
        build(model_db, "", "json")


@pytest.mark.parametrize(
    ("link", "view", "query"),
    [
        ("role=primary", None, "role=primary"),
        ("?role=primary", None, "role=primary"),
        ("http://127.0.0.1:8050/signals?role=primary", "/signals", "role=primary"),
        ("/events?sex=F", "/events", "sex=F"),
        ("pt=a://b&sex=F", None, "pt=a://b&sex=F"),  # only a leading scheme makes a link
    ],
)
def test_split_link(link: str, view, query: str) -> None:
    assert extracts.split_link(link) == (view, query)


def test_split_link_refuses_a_broken_link() -> None:
    with pytest.raises(extracts.BadLink, match="not a link or a URL query"):
        extracts.split_link("http://[::1/cases?sex=F")


def test_download_callback_sends_the_extract(model_db: Path) -> None:
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    from dashboard import downloads, runtime

    runtime.configure(model_db)
    context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "download-xlsx.n_clicks"}]))
    request = flask.Flask(__name__).test_request_context(
        "/_dash-update-component", method="POST", base_url="http://analyst.example:8050"
    )
    with request:  # the manifest's link is whole, on the address the browser asked for
        sent, status = downloads.download(None, None, 1, "?role=primary", "/events")
    assert status == ""
    assert re.fullmatch(r"kratom_FILTERED_\d{8}-\d{6}Z\.xlsx", sent["filename"])
    x = extracts.ExtractFile(sent["filename"], base64.b64decode(sent["content"]), {})
    tables, _ = read_tables(x)
    assert projected(tables) == expected([900001, 900005])
    wb = openpyxl.load_workbook(io.BytesIO(x.content), read_only=True)
    about = [tuple(r) for r in wb["About"].values]
    assert ("View", "/events") in about
    assert (None, "Link: http://analyst.example:8050/events?role=primary") in about


def test_download_callback_says_why_when_too_large(model_db: Path, monkeypatch) -> None:
    from dash import no_update
    from dash._callback_context import context_value
    from dash._utils import AttributeDict

    from dashboard import downloads, runtime

    runtime.configure(model_db)
    monkeypatch.setattr(extracts, "MAX_ROWS", 1)
    context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "download-csv.n_clicks"}]))
    sent, status = downloads.download(1, None, None, "", "/")
    assert sent is no_update
    assert status.startswith("Not downloaded: the extract would hold more than 1 rows")
