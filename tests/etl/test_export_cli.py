"""`kratom-etl export` end to end in a subprocess: the same extract as the dashboard's button."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import extracts
from tests.dashboard.test_extracts import expected, projected, read_tables

REPO = Path(__file__).resolve().parents[2]


def export(*args: str, db: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "KRATOM_DB"}
    if db is not None:
        env["KRATOM_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "etl", "export", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def read_file(path: Path) -> extracts.ExtractFile:
    return extracts.ExtractFile(path.name, path.read_bytes(), {})


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_export_matches_the_dashboard_extract(model_db: Path, tmp_path: Path, fmt: str) -> None:
    query = "role=primary&bogus=1"
    out = tmp_path / f"extract.{extracts.FORMATS[fmt]}"
    done = export("--query", query, "--format", fmt, "-o", str(out), "--db", str(model_db))
    assert done.returncode == 0, done.stderr
    assert out.is_file() and not out.with_name(out.name + ".part").exists()
    assert done.stderr == "kratom-etl export: ignored 'bogus=1': unknown parameter\n"
    assert done.stdout.startswith(f"wrote {out}: 2 cases, 4 substances, 4 events")

    cli_tables, cli_manifest = read_tables(read_file(out))
    dash = extracts.build_extract(model_db, query, fmt, view="/")
    dash_tables, dash_manifest = read_tables(dash)
    for table, df in dash_tables.items():
        assert cli_tables[table].equals(df), table
    assert projected(cli_tables) == expected([900001, 900005])
    if fmt != "xlsx":  # the workbook's manifest is its About sheet
        assert cli_manifest["ignored_parameters"] == dash_manifest["ignored_parameters"]
        assert cli_manifest["filters"]["description"] == dash_manifest["filters"]["description"]
        assert cli_manifest["tables"] == dash_manifest["tables"]
        assert cli_manifest["view"] is None and dash_manifest["view"] == "/"


def test_export_into_a_folder_uses_the_documented_name(model_db: Path, tmp_path: Path) -> None:
    done = export("--query", "?sex=F", "--format", "parquet", "-o", str(tmp_path), db=model_db)
    assert done.returncode == 0, done.stderr
    (written,) = tmp_path.iterdir()
    assert re.fullmatch(r"kratom_FILTERED_\d{8}-\d{6}Z\.parquet\.zip", written.name)
    tables, manifest = read_tables(read_file(written))
    assert tables["cases"]["case_id"].to_list() == [900006]
    assert manifest["filters"]["query"] == "sex=F"


def test_export_of_a_full_link_names_its_view(model_db: Path, tmp_path: Path) -> None:
    """The page of the link chooses the cases: the Signals table counts 'primary suspect' as
    any suspect (PS or SS), so the file holds those cases (900001 and 900005, PS; 900006 has
    kratom concomitant) and its link says role=suspect, with the note on stderr."""
    out = tmp_path / "x.csv.zip"
    link = "http://127.0.0.1:8050/signals?role=primary"
    done = export("--query", link, "-o", str(out), "--db", str(model_db))
    assert done.returncode == 0, done.stderr
    tables, manifest = read_tables(read_file(out))
    assert manifest["view"] == "/signals"
    assert manifest["filters"]["link"] == "/signals?role=suspect"
    assert tables["cases"]["case_id"].to_list() == [900001, 900005]
    assert "kratom-etl export: ignored 'role=primary': the Signals table counts" in done.stderr


def test_export_without_a_database_fails_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    done = export("--format", "xlsx", "-o", str(out), "--db", str(tmp_path / "none.duckdb"))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "no database at" in done.stderr
    assert not out.exists()


def test_export_rejects_an_unknown_format(tmp_path: Path) -> None:
    done = export("--format", "json", "-o", str(tmp_path / "x"))
    assert done.returncode == 2
    assert "invalid choice: 'json'" in done.stderr


@pytest.mark.parametrize(
    ("fmt", "name", "says"),
    [
        ("csv", "x.csv", "--format csv writes a zip of cases.csv"),  # was a zip named x.csv
        ("parquet", "x.parquet", "name the file to end in .zip (e.g. x.parquet.zip)"),
        ("xlsx", "x.csv.zip", "one Excel workbook"),
        ("csv", "x.xlsx", "(e.g. x.xlsx.zip)"),
    ],
)
def test_a_file_name_not_ending_as_its_format_is_a_usage_error(
    model_db: Path, tmp_path: Path, capsys, fmt: str, name: str, says: str
) -> None:
    from etl.cli import main

    out = tmp_path / name
    code = main(["export", "--format", fmt, "-o", str(out), "--db", str(model_db)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    assert err.startswith(f"kratom-etl export: -o {name}: --format {fmt} writes ") and says in err
    assert not out.exists()


def test_help_says_what_each_format_writes(capsys) -> None:
    from etl.cli import main

    with pytest.raises(SystemExit) as done:
        main(["export", "--help"])
    assert done.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for words in (
        "csv: a zip of cases.csv, substances.csv, events.csv, dictionary.csv (their columns and "
        "codes), manifest.json, README.txt",
        "Cases, Substances, Events, Dictionary",
        "xlsx: one Excel workbook",
        "ending in .zip for csv and parquet (e.g. x.csv.zip), .xlsx for xlsx",
        "--base-url URL the dashboard's address",
    ):
        assert words in text, words


def test_base_url_makes_the_manifests_link_whole(model_db: Path, tmp_path: Path, capsys) -> None:
    from etl.cli import main

    out = tmp_path / "x.parquet.zip"
    args = ["export", "--query", "from=2019Q1&sex=F", "--format", "parquet", "-o", str(out)]
    assert main([*args, "--db", str(model_db), "--base-url", "http://127.0.0.1:8050"]) == 0
    _tables, manifest = read_tables(read_file(out))
    assert manifest["filters"]["link"] == "http://127.0.0.1:8050/?from=2019Q1&sex=F"
    assert manifest["filters"]["link_is_relative"] is False
    assert main([*args, "--db", str(model_db)]) == 0  # default: relative, and it says so
    _tables, manifest = read_tables(read_file(out))
    assert manifest["filters"]["link"] == "?from=2019Q1&sex=F"
    assert manifest["filters"]["link_is_relative"] is True
    capsys.readouterr()
    for bad in ("127.0.0.1:8050", "ftp://host", "http://", "http://h/?x=1"):
        assert main([*args, "--db", str(model_db), "--base-url", bad]) == 2
        assert capsys.readouterr().err.startswith(f"kratom-etl export: --base-url {bad!r}: ")
