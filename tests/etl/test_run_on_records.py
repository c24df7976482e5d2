"""Two records split off one run-on line stay two distinct drugs through the model."""

from __future__ import annotations

import duckdb

from etl.pipeline import build
from tests.conftest import FIXTURES


def test_run_on_records_are_not_joined_to_each_other(tmp_path):
    # aers_ascii_2011q2 DRUG line 5 holds two records of case 6000003 (MITRAGYNINE PS, ETHANOL SS)
    db = tmp_path / "k.duckdb"
    build(db, [FIXTURES / "faers" / "aers_ascii_2011q2"])
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "SELECT drug_seq, drugname, substance_name, is_kratom, role_code "
        "FROM model.case_substances WHERE case_id = 6000003 ORDER BY drug_seq"
    ).fetchall()
    assert rows == [
        (1, "MITRAGYNINE", "kratom", True, "PS"),
        (2, "ETHANOL", "alcohol", False, "SS"),
    ]
    assert con.execute(
        "SELECT kratom_role, is_kratom_only FROM model.cases WHERE case_id = 6000003"
    ).fetchone() == ("PS", False)
