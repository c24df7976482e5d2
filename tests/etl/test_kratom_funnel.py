"""model.kratom_funnel (etl/sql/model/kratom_funnel.sql): report versions naming kratom → the
case's latest version → after the deleted lists, per year of the quarterly file and in total,
with the kept kratom cases and the cases whose follow-up no longer names kratom.

Hand counts, model fixture (tests/fixtures/model/README.md, the DRUG files). Versions naming
kratom: 9000011 (2012Q2, case 900001, superseded by 9000012), 9000031 (2012Q2, case 900003, its
latest, deleted), 9000012 (2013Q1, kept), 9000051 and 9000061 (2021Q4, kept). So 2012: 2 → 1 →
0; 2013: 1 → 1 → 1; 2021: 2 → 2 → 2; total 5 → 4 → 3, the 3 kratom cases; none dropped.

Follow-up fixture: the model quarters plus a 2022Q1 file holding version 2 of case 900006
(9000062, NEURONTIN only, no kratom). 9000061 is no longer its case's latest: 2021: 2 → 1 → 1;
900006 is kept from 2022Q1 without kratom, so 2022 counts 1 case dropped in follow-up and no
kratom case; total 5 → 3 → 2, 2 kratom cases, 1 dropped.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl import checks
from etl.db import CHECKS_DIR
from etl.errors import CheckFailed
from etl.pipeline import build
from etl.status import format_status, read_status
from tests.conftest import MODEL_QUARTERS

CHECK = CHECKS_DIR / "kratom_funnel_matches_cases.sql"
FUNNEL = "SELECT * FROM model.kratom_funnel"  # written in year order, total last
HEADERS = {
    "DEMO": "primaryid$caseid$caseversion$i_f_code$event_dt$mfr_dt$init_fda_dt$fda_dt$rept_cod$"
    "auth_num$mfr_num$mfr_sndr$lit_ref$age$age_cod$age_grp$sex$e_sub$wt$wt_cod$rept_dt$to_mfr$"
    "occp_cod$reporter_country$occr_country$",
    "DRUG": "primaryid$caseid$drug_seq$role_cod$drugname$prod_ai$val_vbm$route$dose_vbm$"
    "cum_dose_chr$cum_dose_unit$dechal$rechal$lot_num$exp_dt$nda_num$dose_amt$dose_unit$"
    "dose_form$dose_freq$",
    "INDI": "primaryid$caseid$indi_drug_seq$indi_pt$",
    "OUTC": "primaryid$caseid$outc_cod$",
    "REAC": "primaryid$caseid$pt$drug_rec_act$",
    "RPSR": "primaryid$caseid$rpsr_cod$",
    "THER": "primaryid$caseid$dsg_drug_seq$start_dt$end_dt$dur$dur_cod$",
}
FOLLOW_UP = {  # case 900006, version 2: the kratom product no longer listed
    "DEMO": "9000062$900006$2$F$20210101$$20211010$20220115$EXP$$$$$4$DY$$F$Y$$$20220115$$CN$US$$",
    "DRUG": "9000062$900006$1$PS$NEURONTIN$GABAPENTIN$1$Oral$$$$$$$$$$$$$",
    "REAC": "9000062$900006$Somnolence$$",
}


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def follow_up_quarter(root: Path) -> Path:
    """A 2022Q1 quarter in the current layout with the one follow-up report."""
    folder = root / "faers_ascii_2022q1"
    (folder / "ASCII").mkdir(parents=True)
    for table, header in HEADERS.items():
        lines = [header, *([FOLLOW_UP[table]] if table in FOLLOW_UP else [])]
        (folder / "ASCII" / f"{table}22Q1.txt").write_text("\n".join(lines) + "\n")
    return folder


@pytest.fixture(scope="module")
def follow_up_db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("kratom_funnel")
    path = root / "kratom.duckdb"
    build(path, [*MODEL_QUARTERS, follow_up_quarter(root)])
    return path


def test_model_fixture_per_year_and_total(con):
    assert rows(con, FUNNEL) == [
        # year, report_versions, latest_versions, after_deleted, kratom_cases, dropped
        ("2012", 2, 1, 0, 0, 0),  # 9000011 superseded; 9000031 latest but deleted
        ("2013", 1, 1, 1, 1, 0),  # 9000012 (case 900001)
        ("2021", 2, 2, 2, 2, 0),  # 9000051, 9000061
        ("total", 5, 4, 3, 3, 0),
    ]
    assert rows(con, CHECK.read_text(encoding="utf-8")) == []


def test_a_follow_up_that_drops_kratom(follow_up_db):
    c = duckdb.connect(str(follow_up_db), read_only=True)
    try:
        assert rows(c, FUNNEL) == [
            ("2012", 2, 1, 0, 0, 0),
            ("2013", 1, 1, 1, 1, 0),
            ("2021", 2, 1, 1, 1, 0),  # 9000061 superseded by 9000062
            ("2022", 0, 0, 0, 0, 1),  # 900006 kept from 2022Q1, no kratom
            ("total", 5, 3, 2, 2, 1),
        ]
        assert rows(c, "SELECT case_id FROM model.cases WHERE is_kratom ORDER BY 1") == [
            (900001,),
            (900005,),
        ]
    finally:
        c.close()


def test_status_reports_the_kratom_funnel(model_db):
    doc = read_status(model_db)
    assert doc["kratom_funnel"] == {"report_versions": 5, "latest_versions": 4, "after_deleted": 3}
    assert "kratom funnel: 5 report versions naming kratom → 4 latest → 3 after deleted lists" in (
        format_status(doc)
    )


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            "UPDATE model.kratom_funnel SET after_deleted = 1 WHERE year = '2012'",
            [("2012", 1, 0, None)],
        ),
        (  # a kratom case gone from model.cases after the funnel was written
            "UPDATE model.cases SET is_kratom = false WHERE case_id = 900005",
            [("total", 3, 3, 2)],
        ),
    ],
    ids=["year-count-changed", "cases-changed"],
)
def test_the_check_fails_when_the_funnel_differs(tampered, change, expected):
    tampered.execute(change)
    assert rows(tampered, CHECK.read_text(encoding="utf-8")) == expected
    with pytest.raises(CheckFailed, match="kratom_funnel_matches_cases"):
        checks.run_checks(tampered)
