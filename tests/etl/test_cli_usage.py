"""`kratom-etl` usage rules that protect the live database, and KRATOM_DEBUG's reading."""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from etl import cli
from tests.conftest import MODEL_BY_QUARTER


def _quarters(db_path) -> list[str]:
    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute("SELECT DISTINCT quarter FROM model.cases ORDER BY 1").fetchall()
    return [r[0] for r in rows]


def test_a_full_build_without_faers_is_refused_and_the_live_file_kept(tmp_path, capsys):
    live = tmp_path / "kratom.duckdb"
    assert cli.main(["build", "--db", str(live), "--faers", str(MODEL_BY_QUARTER["2012Q2"])]) == 0
    before = hashlib.sha256(live.read_bytes()).hexdigest()
    capsys.readouterr()
    # it built an empty database over the live one, and said "0 quarter(s)" with exit 0
    assert cli.main(["build", "--db", str(live)]) == cli.EXIT_USAGE
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"kratom-etl build: {cli.NO_FAERS}"]
    assert "--faers PATH" in err[0]
    assert hashlib.sha256(live.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kratom.duckdb"]
    # --add with no --faers is an add of nothing: the live quarters stay
    assert cli.main(["build", "--add", "--db", str(live)]) == 0
    assert _quarters(live) == ["2012Q2"]


@pytest.mark.parametrize(
    ("value", "wanted"),
    [
        (None, False),
        ("", False),
        ("0", False),
        (" false ", False),
        ("No", False),
        ("off", False),
        ("1", True),
        ("yes", True),
        ("true", True),
    ],
)
def test_kratom_debug_is_off_when_unset_empty_or_a_no(value, wanted):
    env = {} if value is None else {"KRATOM_DEBUG": value}
    assert cli.debug_wanted(env) is wanted
