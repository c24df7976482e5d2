"""`kratom-etl latest` on the model fixture (hand counts in tests/dashboard/test_latest.py; the
digest's text itself is tested in tests/dashboard/test_latest_digest.py): stdout, stderr and exit
codes, in-process, and once end to end in a subprocess as cron runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl.cli import main

REPO = Path(__file__).resolve().parents[2]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["latest", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_on_stdout_notes_on_stderr(model_db: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "KRATOM_DB"}
    env["KRATOM_DB"] = str(model_db)  # the default --db, as under cron
    done = subprocess.run(
        [sys.executable, "-m", "etl", "latest", "--query", "bogus=1&role=primary"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "kratom-etl latest: ignored 'bogus=1': unknown parameter\n"
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Kratom harms watch: latest quarter 2021Q4 (data: FAERS quarterly")
    assert "SYNTHETIC" not in done.stdout
    assert "  Cases first received in 2021Q4: 1" in lines  # 900005, the primary suspect
    link = "On the dashboard: /latest?role=primary&q=2021Q4 (relative to the dashboard's address)"
    assert link in lines


def test_json_with_a_base_url(model_db: Path, capsys) -> None:
    code, out, err = run(
        capsys, "--db", str(model_db), "--json", "--quarter", "2012Q2", "--base-url", "https://kw/"
    )
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert list(doc) == [
        "title",
        "quarter",
        "is_synthetic",
        "data_vintage",
        "filters",
        "headline",
        "screen",
        "first_time",
        "serious_cases",
        "link",
        "link_is_relative",
        "caveat",
    ]
    # 2012Q2: 900001 first received, serious (hospitalisation, life-threatening), no death
    h = doc["headline"]
    assert (h["n_new"], h["n_serious"], h["n_deaths"], h["n_7oh"], h["n_updated"]) == (
        1,
        1,
        0,
        0,
        0,
    )
    assert doc["first_time"]["pts"] == [
        {"term": "Drug dependence", "n": 1},
        {"term": "Withdrawal syndrome", "n": 1},
    ]
    assert doc["first_time"]["substances"] == [{"term": "alcohol", "n": 1}]
    assert doc["link"] == "https://kw/latest?q=2012Q2" and doc["link_is_relative"] is False


def test_the_query_picks_the_quarter_and_quarter_overrides_it(model_db: Path, capsys) -> None:
    code, out, _ = run(capsys, "--db", str(model_db), "--json", "--query", "/latest?q=2013Q1")
    assert code == 0 and json.loads(out)["headline"]["n_updated"] == 1  # 900001
    args = ["--db", str(model_db), "--json", "--query", "q=2013Q1", "--quarter", "2021Q4"]
    code, out, _ = run(capsys, *args)
    assert code == 0 and json.loads(out)["quarter"] == "2021Q4"


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--query", "http://[::1/"], 2, "--query: not a link or a URL query: "),
        (["--quarter", "2021Q5"], 2, "--quarter '2021Q5': not a quarter like 2026Q2"),
        (["--query", "q=late"], 2, "the query's q='late': not a quarter like 2026Q2"),
        (["--base-url", "127.0.0.1:8050"], 2, "--base-url '127.0.0.1:8050': give the dashboard"),
        (["--quarter", "2030Q1"], 3, "--quarter '2030Q1': "),
        (["--query", "sex=F&q=2020Q1"], 3, "the query's q='2020Q1': "),
    ],
)
def test_errors_are_one_line_with_their_exit_code(
    model_db: Path, capsys, args: list[str], code: int, says: str
) -> None:
    got, out, err = run(capsys, "--db", str(model_db), *args)
    assert (got, out) == (code, "")
    assert err.startswith(f"kratom-etl latest: {says}") and err.count("\n") == 1, err


def test_without_a_database_or_with_a_broken_one(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "none.duckdb"
    code, out, err = run(capsys, "--db", str(missing))
    assert (code, out) == (3, "")
    assert err == (
        f"kratom-etl latest: --db {missing}: no database here (build one with `kratom-etl demo`)\n"
    )
    broken = tmp_path / "broken.duckdb"
    broken.write_text("not a database\n")
    code, out, err = run(capsys, "--db", str(broken))
    assert (code, out) == (3, "")
    assert err.startswith(f"kratom-etl latest: cannot open the database {broken}: ")
    assert err.count("\n") == 1


def test_help_names_the_options(capsys) -> None:
    with pytest.raises(SystemExit) as done:
        main(["latest", "--help"])
    assert done.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for words in ("--query URL-QUERY", "--quarter QUARTER", "--json", "--base-url URL", "--db"):
        assert words in text, words
