"""`kratom-etl export --query` with every hostile query: exit 0 with the ignored parts in the
manifest and only the rows the kept filters select, or exit 2 for text that is not a link;
never a traceback. Expected cases counted by hand from tests/fixtures/model/README.md: kratom
cases 900001 (PS, sex unknown), 900005 (PS) and 900006 (concomitant, female).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import extracts
from etl.cli import main
from tests.dashboard.test_extracts import expected, projected, read_tables
from tests.dashboard.test_hostile_filters import EXPECTED
from tests.hostile_values import HUGE_TEXT, QUERIES

REPO = Path(__file__).resolve().parents[2]
ALL = [900001, 900005, 900006]
PRIMARY = [900001, 900005]  # role=primary
FEMALE = [900006]  # sex=F
CASES = {  # what each hostile query keeps (test_hostile_filters.EXPECTED) selects
    "sql_in_every_key": [],  # a preferred term "x') UNION SELECT …": no case has it
    "sql_in_a_key": FEMALE,
    "repeated_list": FEMALE,
    "many_list": [],  # 20 terms term0…term19: none exists
    "huge_value": FEMALE,
    "huge_key": ALL,
    "unknown_params": PRIMARY,
    "repeated_scalar": PRIMARY,  # and received from 2012Q1: both are
    "malformed_percent": PRIMARY,
    "lone_surrogate": PRIMARY,
    "overlong_utf8": PRIMARY,
    "nul_and_controls": PRIMARY,
    "rtl_and_emoji": [],  # co-reported with a pill emoji
    "out_of_range": PRIMARY,
    "reversed_dates": PRIMARY,
    "no_values": PRIMARY,
    "separators": [],  # a preferred term "a,b"
    "everything_default": ALL,
    "geography_forms": PRIMARY,  # the geography selects published figures, not cases
    "view_forms": PRIMARY,  # nor do the pages' own controls
}
# Extracts leave the Poison centers page's geography and the pages' controls out, with a note each.
VIEW_NOTES = {
    "geography_forms": [
        "ignored 'geo=state:' OR 1=1 --': the geography applies to the published poison-centre "
        "figures, not to cases"
    ],
    "view_forms": [
        "ignored 'top=50': how many terms the Event types page charts; it selects no case",
        "ignored 'level=event_group': the Signals table's terms; it selects no case",
        "ignored 'term=' OR 1=1 --': the Signals row whose history is drawn; it selects no case",
    ],
}


def read(path: Path) -> tuple[dict, dict]:
    return read_tables(extracts.ExtractFile(path.name, path.read_bytes(), {}))


def test_every_hostile_query_has_hand_counted_cases():
    assert set(CASES) == set(QUERIES)


@pytest.mark.parametrize("name", list(QUERIES))
def test_export_of_a_hostile_query(model_db, tmp_path, capsys, name):
    out = tmp_path / "x.parquet.zip"
    code = main(["export", "--query", QUERIES[name], "--format", "parquet", "-o", str(out),
                 "--db", str(model_db)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0, err
    assert "Traceback" not in err
    tables, manifest = read(out)
    assert projected(tables) == expected(CASES[name])
    notes = manifest["ignored_parameters"]
    if name in EXPECTED:
        f, want = EXPECTED[name]
        if name in VIEW_NOTES:
            f, want = f.selection(), [*want, *VIEW_NOTES[name]]
        assert notes == want
        assert manifest["filters"]["query"] == f.to_query()
        assert manifest["filters"]["description"] == f.describe()
    else:  # many_list: 20 kept, the rest counted
        assert notes[0].startswith("ignored 'pt=term373' and the rest of the query")
    assert err.splitlines() == [f"kratom-etl export: {n}" for n in notes]


@pytest.mark.parametrize(
    "link", ["http://[::1/cases?sex=F", "https://[/signals?role=primary", " http://[x"]
)
def test_text_that_is_not_a_link_is_a_usage_error(model_db, tmp_path, capsys, link):
    out = tmp_path / "x.csv.zip"
    code = main(["export", "--query", link, "-o", str(out), "--db", str(model_db)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("kratom-etl export: --query: not a link or a URL query")
    assert err.count("\n") == 1 and not out.exists()


def test_a_link_whose_query_is_hostile(model_db, tmp_path, capsys):
    link = "http://127.0.0.1:8050/cases?role=primary&sex=%ED%A0%80&case_id=1%27--"
    out = tmp_path / "x.parquet.zip"
    assert main(["export", "--query", link, "--format", "parquet", "-o", str(out),
                 "--db", str(model_db)]) == 0  # fmt: skip
    tables, manifest = read(out)
    assert projected(tables) == expected(PRIMARY)
    assert manifest["view"] == "/cases"
    assert manifest["ignored_parameters"] == [
        "ignored 'sex=%ED%A0%80': not valid UTF-8",
        "ignored 'case_id=1'--': unknown parameter",
    ]
    capsys.readouterr()


def run_export(query: bytes | str, out: Path, db: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "KRATOM_DB"}
    return subprocess.run(
        [sys.executable, "-m", "etl", "export", "--query", query, "--format", "parquet",
         "-o", str(out), "--db", str(db)],
        cwd=REPO, env=env, capture_output=True, timeout=120,
    )  # fmt: skip


def test_a_real_process_with_bytes_that_are_not_utf8_and_a_100_kb_argument(model_db, tmp_path):
    """The command line decodes broken bytes as lone surrogates: refused, shown escaped."""
    out = tmp_path / "x.parquet.zip"
    done = run_export(b"role=primary&pt=\xff\xfe", out, model_db)
    err = done.stderr.decode()
    assert done.returncode == 0, err
    assert err == "kratom-etl export: ignored 'pt=\\udcff\\udcfe': not valid UTF-8\n"
    assert projected(read(out)[0]) == expected(PRIMARY)

    done = run_export("sex=F&pt=" + HUGE_TEXT, out, model_db)
    err = done.stderr.decode()
    assert done.returncode == 0, err
    assert "Traceback" not in err and "and the rest of the query" in err
    assert projected(read(out)[0]) == expected(FEMALE)
