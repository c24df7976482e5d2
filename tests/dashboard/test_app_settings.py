"""`kratom-dash`'s settings: the database it opens when not told (the file the ETL writes) and
the port, from --port or KRATOM_PORT, refused with a usage error when it is no port."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import app

REPO_DATA = Path(app.__file__).resolve().parent.parent / "data"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, REPO_DATA / "kratom.duckdb"),
        ({"KRATOM_DATA_DIR": "/srv/kw"}, Path("/srv/kw/kratom.duckdb")),
        ({"KRATOM_DB": "/x/k.duckdb", "KRATOM_DATA_DIR": "/srv/kw"}, Path("/x/k.duckdb")),
        ({"KRATOM_DB": "", "KRATOM_DATA_DIR": ""}, REPO_DATA / "kratom.duckdb"),
    ],
)
def test_the_default_database_is_the_one_the_etl_writes(env, expected):
    assert app.default_db_path(env) == expected


def test_the_etl_and_the_dashboard_agree_on_the_default_file():
    from etl.config import load_settings

    for env in ({}, {"KRATOM_DATA_DIR": "/srv/kw"}, {"KRATOM_DB": "/x/k.duckdb"}):
        assert app.default_db_path(env) == load_settings(env).db_path


@pytest.mark.parametrize("text", ["http", "0", "65536", "-1", "80.5", ""])
def test_a_port_that_is_no_port_is_a_usage_error(text, monkeypatch, capsys):
    monkeypatch.setenv("KRATOM_PORT", text)
    with pytest.raises(SystemExit) as stop:
        app.main([])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --port: {text!r} is not a port number (1-65535)" in err
    with pytest.raises(SystemExit):
        app.main(["--port", text])


def test_a_port_number_is_read(monkeypatch):
    assert app.port_number("8093") == 8093
    assert app.port_number("65535") == 65535
