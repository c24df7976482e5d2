"""The synthetic FAERS generator: names, layouts, quirks, ids and kratom shape, read from zips."""

from __future__ import annotations

import csv
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from etl.demo import write_demo_quarters
from etl.demo_zip import deleted_member_name, zip_name

TABLES = ("DEMO", "DRUG", "REAC", "OUTC", "RPSR", "THER", "INDI")
REFERENCE = Path(__file__).resolve().parents[2] / "etl" / "reference"
DRUGS_CSV = REFERENCE / "demo_drugs.csv"
TERMS_CSV = REFERENCE / "demo_terms.csv"


@pytest.fixture(scope="module")
def legacy_to_faers(tmp_path_factory) -> list[Path]:
    return write_demo_quarters(tmp_path_factory.mktemp("a"), first="2011Q1", last="2013Q2")


@pytest.fixture(scope="module")
def current(tmp_path_factory) -> list[Path]:
    return write_demo_quarters(tmp_path_factory.mktemp("b"), first="2018Q1", last="2019Q1")


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def table(path: Path, name: str) -> tuple[list[str], list[list[str]]]:
    """Header names (trimmed, lower-cased) and rows split on `$` of the table named `name`."""
    data = next(v for k, v in members(path).items() if Path(k).name.upper().startswith(name))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    lines = text.replace("\r\n", "\n").rstrip("\n").split("\n")
    header = [h.strip().lower() for h in lines[0].split("$")]
    return header, [line.split("$") for line in lines[1:]]


def kratom_names() -> set[str]:
    with DRUGS_CSV.open(encoding="utf-8") as f:
        return {r["drugname"] for r in csv.DictReader(f) if r["pool"].startswith("kratom")}


def reference_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def quarter_of(path: Path) -> str:
    return path.stem[-6:].upper()


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    runs = [
        write_demo_quarters(tmp_path / name, seed=seed, first="2012Q2", last="2013Q1", scale=0.2)
        for name, seed in (("one", 7), ("two", 7), ("three", 8))
    ]
    one, two, three = ([p.read_bytes() for p in run] for run in runs)
    assert one == two
    assert one != three


def test_archive_names_follow_fda(legacy_to_faers):
    assert [p.name for p in legacy_to_faers] == [
        "aers_ascii_2011q1.zip", "aers_ascii_2011q2.zip", "aers_ascii_2011q3.zip",
        "aers_ascii_2011q4.zip", "aers_ascii_2012q1.zip", "aers_ascii_2012q2.zip",
        "aers_ascii_2012q3.zip", "faers_ascii_2012q4.zip", "faers_ascii_2013q1.zip",
        "faers_ascii_2013q2.zip",
    ]  # fmt: skip
    assert [zip_name(q) for q in ("2021Q1", "2021Q2", "2022Q3", "2025Q4", "2026Q1")] == [
        "faers_ascii_2021q1.zip", "faers_ascii_2021Q2.zip", "faers_ascii_2022q3.zip",
        "faers_ascii_2025Q4.zip", "faers_ascii_2026q1.zip",
    ]  # fmt: skip


def test_member_names_by_era(legacy_to_faers, current):
    assert list(members(legacy_to_faers[0])) == [
        *(f"ascii/{t}11Q1.TXT" for t in TABLES),
        "SYNTHETIC.txt",
    ]
    assert list(members(legacy_to_faers[7])) == [
        *(f"ascii/{t.lower()}12q4.txt" for t in TABLES),
        "SYNTHETIC.txt",
    ]
    names_18q1 = list(members(current[0]))
    assert names_18q1[:2] == ["ascii/DEMO18Q1_new.txt", "ascii/DRUG18Q1.txt"]
    assert list(members(current[4]))[7:] == [
        "deleted/ADR19Q1DeletedCases.txt",
        "deleted/AllDeletedCases.txt",
        "SYNTHETIC.txt",
    ]
    assert [deleted_member_name(q) for q in ("2019Q3", "2020Q1", "2021Q4", "2022Q1")] == [
        "deleted/ADR19Q3DeletedCases.txt", "Deleted/20Q1DeletedCases.txt",
        "Deleted/21Q4DeletedCases.txt", "Deleted/DELETE22Q1.txt",
    ]  # fmt: skip
    for path in [*legacy_to_faers, *current]:
        assert members(path)["SYNTHETIC.txt"].startswith(b"SYNTHETIC DATA.")


def first_line(path: Path, name: str) -> bytes:
    data = next(v for k, v in members(path).items() if Path(k).name.upper().startswith(name))
    return data.split(b"\n")[0].rstrip(b"\r")


def test_headers_of_each_era(tmp_path, legacy_to_faers, current):
    legacy_22 = (
        b"ISR$CASE$I_F_COD$FOLL_SEQ$IMAGE$EVENT_DT$MFR_DT$FDA_DT$REPT_COD$MFR_NUM$MFR_SNDR$AGE"
        b"$AGE_COD$GNDR_COD$E_SUB$WT$WT_COD$REPT_DT$OCCP_COD$DEATH_DT$TO_MFR$CONFID"
    )
    early = write_demo_quarters(tmp_path, first="2009Q4", last="2009Q4", scale=0.1)[0]
    assert first_line(early, "DEMO") == legacy_22
    assert first_line(legacy_to_faers[0], "DEMO") == legacy_22 + b"$REPORTER_COUNTRY"
    assert first_line(legacy_to_faers[0], "DRUG") == (
        b"ISR$DRUG_SEQ$ROLE_COD$DRUGNAME$VAL_VBM$ROUTE$DOSE_VBM$DECHAL$RECHAL$LOT_NUM$EXP_DT"
        b"$NDA_NUM"
    )
    assert first_line(legacy_to_faers[0], "THER") == b"ISR$DRUG_SEQ$START_DT$END_DT$DUR$DUR_COD"
    demo_12q4 = (
        b"primaryid$caseid$caseversion$i_f_code$event_dt$mfr_dt$init_fda_dt$fda_dt$rept_cod"
        b"$mfr_num$mfr_sndr$age$age_cod$gndr_cod$e_sub$wt$wt_cod$ rept_dt$to_mfr$occp_cod"
        b"$reporter_country$occr_country"
    )
    drug_12q4 = (
        b"\xef\xbb\xbfprimaryid$caseid$drug_seq$role_cod$drugname$val_vbm$route$dose_vbm"
        b"$cum_dose_chr$cum_dose_unit$dechal$rechal$lot_nbr$exp_dt$nda_num$dose_amt$dose_unit"
        b"$dose_form$dose_freq"
    )
    assert first_line(legacy_to_faers[7], "DEMO") == demo_12q4
    assert first_line(legacy_to_faers[7], "DRUG") == drug_12q4
    assert first_line(legacy_to_faers[7], "OUTC") == b"primaryid$caseid$outc_code"
    assert first_line(legacy_to_faers[7], "REAC") == b"primaryid$caseid$pt"
    assert first_line(legacy_to_faers[8], "DEMO") == demo_12q4.replace(b"$ rept_dt", b"$rept_dt")
    assert first_line(legacy_to_faers[8], "DRUG") == drug_12q4[3:].replace(b"lot_nbr", b"lot_num")
    assert first_line(legacy_to_faers[8], "OUTC") == b"primaryid$caseid$outc_cod"
    assert first_line(current[0], "DEMO") == (
        b"primaryid$caseid$caseversion$i_f_code$event_dt$mfr_dt$init_fda_dt$fda_dt$rept_cod"
        b"$auth_num$mfr_num$mfr_sndr$lit_ref$age$age_cod$age_grp$sex$e_sub$wt$wt_cod$rept_dt"
        b"$to_mfr$occp_cod$reporter_country$occr_country"
    )
    assert first_line(current[0], "DRUG") == (
        b"primaryid$caseid$drug_seq$role_cod$drugname$prod_ai$val_vbm$route$dose_vbm"
        b"$cum_dose_chr$cum_dose_unit$dechal$rechal$lot_num$exp_dt$nda_num$dose_amt$dose_unit"
        b"$dose_form$dose_freq"
    )
    assert first_line(current[0], "REAC") == b"primaryid$caseid$pt$drug_rec_act"
    assert first_line(current[0], "INDI") == b"primaryid$caseid$indi_drug_seq$indi_pt"


def test_legacy_rows_end_with_dollar_and_crlf_and_2018q1_uses_lf(legacy_to_faers, current):
    for path in legacy_to_faers[:7]:
        for name, data in members(path).items():
            if name == "SYNTHETIC.txt":
                continue
            assert data.count(b"\r\n") == data.count(b"\n") > 1, name
            rows = data.split(b"\r\n")[1:-1]
            assert all(row.endswith(b"$") for row in rows), name
    for name, data in members(current[0]).items():
        assert b"\r" not in data, name
    assert members(current[1])["ascii/DEMO18Q2.txt"].count(b"\r\n") > 1


def field_counts(path: Path, name: str) -> Counter:
    header, rows = table(path, name)
    return Counter(len(row) - len(header) for row in rows)


def test_quirks_appear_once_each(legacy_to_faers):
    by_q = {quarter_of(p): p for p in legacy_to_faers}
    for q in ("2011Q2", "2011Q3", "2011Q4"):  # one run-on line: 2 x 13 fields minus 1
        counts = field_counts(by_q[q], "DRUG")
        assert counts[1] > 100 and counts[13] == 1 and set(counts) == {1, 13}, q
    assert set(field_counts(by_q["2011Q1"], "DRUG")) == {1}
    assert field_counts(by_q["2012Q1"], "DEMO")[2] == 1  # one stray $ in mfr_num
    counts = field_counts(by_q["2012Q4"], "DRUG")
    assert counts[-7] == 1 and set(counts) == {0, -7}  # one ragged row of 12 of 19 fields
    drug_12q3 = next(v for k, v in members(by_q["2012Q3"]).items() if "DRUG" in k)
    with pytest.raises(UnicodeDecodeError):
        drug_12q3.decode("utf-8")
    assert drug_12q3.decode("latin-1").count("$PARACÉTAMOL$") == 1
    assert not next(v for k, v in members(by_q["2013Q1"]).items() if "drug" in k).startswith(
        b"\xef\xbb\xbf"
    )


def test_child_rows_reference_demo_rows_of_their_quarter(legacy_to_faers, current):
    for path in [*legacy_to_faers, *current]:
        header, demo = table(path, "DEMO")
        legacy = header[0] == "isr"
        ids = {tuple(r[:1] if legacy else r[:2]) for r in demo}
        for name in TABLES[1:]:
            _, rows = table(path, name)
            keys = {tuple(r[:1] if legacy else r[:2]) for r in rows}
            assert rows and keys <= ids, (path.name, name)


def test_faers_ids_and_cases_carried_from_aers(legacy_to_faers):
    legacy_cases = set()
    for path in legacy_to_faers[:7]:
        legacy_cases |= {r[1] for r in table(path, "DEMO")[1]}
    carried = []
    for path in legacy_to_faers[7:]:
        for pid, caseid, version, *_ in table(path, "DEMO")[1]:
            assert int(pid) == int(caseid) * 10 + int(version)
            if caseid in legacy_cases:
                carried.append(int(version))
    assert carried and min(carried) >= 2


def test_deleted_lists_name_earlier_cases_only(current):
    files = members(current[4])
    seen = set()
    for path in current[:4]:
        seen |= {r[1] for r in table(path, "DEMO")[1]}
    now = {r[1] for r in table(current[4], "DEMO")[1]}
    for name in ("deleted/ADR19Q1DeletedCases.txt", "deleted/AllDeletedCases.txt"):
        lines = files[name].decode().split("\r\n")
        assert lines[0] == " " and lines[-1] == ""
        listed = {x for x in lines[1:] if x.strip()}
        assert all(x.isdigit() for x in listed) and listed <= seen and not listed & now, name
    assert any(x.strip() for x in files["deleted/AllDeletedCases.txt"].decode().split()[1:])


def new_kratom_cases(path: Path) -> tuple[int, int]:
    """(count SYNTHETIC.txt reports, count re-read: initial versions naming a kratom product)."""
    note = dict(
        line.split(": ", 1) for line in members(path)["SYNTHETIC.txt"].decode().splitlines()[2:]
    )
    header, drugs = table(path, "DRUG")
    name_at, names = header.index("drugname"), kratom_names()
    with_kratom = {r[0] for r in drugs if len(r) > name_at and r[name_at] in names}
    header, demo = table(path, "DEMO")
    code_at = header.index("i_f_cod" if "i_f_cod" in header else "i_f_code")
    initial = {r[0] for r in demo if r[code_at] == "I"}
    return int(note["new_kratom_cases"]), len(initial & with_kratom)


def test_kratom_counts_match_the_note_and_rise(legacy_to_faers, current):
    counts = {quarter_of(p): new_kratom_cases(p) for p in [*legacy_to_faers, *current]}
    assert all(reported == found for reported, found in counts.values()), counts
    early = sum(found for q, (_, found) in counts.items() if q < "2013Q1")
    in_2018 = sum(found for q, (_, found) in counts.items() if q.startswith("2018"))
    assert in_2018 > 5 * max(early, 1)


def case_drugs_and_terms(paths: list[Path]) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    """Per primaryid: the drug names of its DRUG rows ("PS:" prefixed for the primary suspect)
    and its REAC terms, re-read from current-layout zips."""
    drugs: dict[str, set[str]] = {}
    terms: dict[str, list[str]] = {}
    for path in paths:
        header, rows = table(path, "DRUG")
        name_at, role_at = header.index("drugname"), header.index("role_cod")
        for r in rows:
            prefix = "PS:" if r[role_at] == "PS" else ""
            drugs.setdefault(r[0], set()).add(prefix + r[name_at])
        header, rows = table(path, "REAC")
        for r in rows:
            terms.setdefault(r[0], []).append(r[header.index("pt")])
    return drugs, terms


def test_background_events_follow_the_primary_suspect_and_kratom_keeps_its_terms(current):
    drugs, terms = case_drugs_and_terms(current)
    kratom = kratom_names()
    profile_of = {r["drugname"]: r["reaction_profile"] for r in reference_rows(DRUGS_CSV)}
    profile_terms: dict[str, set[str]] = {}
    for r in reference_rows(TERMS_CSV):
        profile_terms.setdefault(r["kind"], set()).add(r["term"])
    background = {pid for pid, names in drugs.items() if not names & kratom}
    suspect = {pid: next(n[3:] for n in drugs[pid] if n.startswith("PS:")) for pid in background}
    profiled = {name for name in set(suspect.values()) if profile_of[name]}
    assert len(profiled) > 20
    for name in profiled:
        own_terms = profile_terms["profile_" + profile_of[name]]
        own = [t in own_terms for pid in background if suspect[pid] == name for t in terms[pid]]
        rest = [t in own_terms for pid in background if suspect[pid] != name for t in terms[pid]]
        assert sum(own) / len(own) > 2 * sum(rest) / len(rest), name
    kratom_terms = set().union(
        *(profile_terms[k] for k in profile_terms if k.startswith("reaction_kratom")),
        profile_terms["reaction_salmonella"],
    )
    in_kratom_cases = {t for pid in set(drugs) - background for t in terms[pid]}
    assert in_kratom_cases <= kratom_terms


@pytest.mark.slow
def test_full_run_shape(tmp_path):
    paths = write_demo_quarters(tmp_path)
    assert len(paths) == 90 and paths[-1].name == "faers_ascii_2026Q2.zip"
    by_year = Counter()
    for path in paths:
        reported, found = new_kratom_cases(path)
        assert reported == found, path.name
        by_year[int(quarter_of(path)[:4])] += found
    assert 1500 <= sum(by_year.values()) <= 3000
    assert sum(by_year[y] for y in range(2004, 2014)) < by_year[2018] / 2
    assert by_year[2016] < by_year[2017] < by_year[2018] < by_year[2025]
    header, demo = table(paths[-4], "DEMO")  # 2025Q3
    rept, occp, country = (header.index(c) for c in ("rept_cod", "occp_cod", "reporter_country"))
    eu_share = sum(r[country] == "EU" for r in demo) / len(demo)
    assert 0.05 < eu_share < 0.15
    assert all(r[occp] == "" for r in demo if r[rept] in ("EXP", "PER"))
    assert not any(r[occp] == "OT" for r in table(paths[64], "DEMO")[1])  # 2020Q1
    assert any(r[occp] == "OT" for r in table(paths[63], "DEMO")[1])  # 2019Q4
    event_at = header.index("event_dt")
    for path, short in ((paths[69], True), (paths[70], False)):  # 2021Q2, 2021Q3
        lengths = {len(r[event_at]) for r in table(path, "DEMO")[1]}
        assert (4 in lengths and 6 in lengths) is short, path.name
