"""One synthetic quarter's zip in its era's FDA layout, for etl/demo.py and etl/demo_full.py.

Archive and member names with FDA's case and folder drift, each era's header lines, the values
that depend on the quarter a row is written in, the deleted-case lists, and the quirks of single
quarters (a stray dollar, Latin-1 and BOM files, run-on and ragged lines). Zips carry a fixed
date and permissions, so the same rows give byte-identical archives.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import polars as pl

from etl import demo_profile as P
from etl.demo_draw import qindex

TABLES = ("DEMO", "DRUG", "REAC", "OUTC", "RPSR", "THER", "INDI")
ZIP_DATE = (2026, 1, 1, 0, 0, 0)


def zip_name(quarter: str) -> str:
    """FDA's archive name for a quarter, with the q/Q casing drift from 2021Q2."""
    year, n = quarter[:4], quarter[5]
    if qindex(quarter) < qindex(P.FIRST_FAERS):
        return f"aers_ascii_{year}q{n}.zip"
    upper = quarter >= "2021Q2" and quarter not in P.LOWER_Q_FROM_2021Q2
    return f"faers_ascii_{year}{'Q' if upper else 'q'}{n}.zip"


def member_name(quarter: str, table: str) -> str:
    """Path of a table inside the quarter's zip, with FDA's case and folder drift."""
    yy, n, a = quarter[2:4], quarter[5], qindex(quarter)
    if a < qindex(P.FIRST_FAERS):
        return f"ascii/{table}{yy}Q{n}.TXT"
    if a < qindex(P.FIRST_CURRENT):
        return f"ascii/{table.lower()}{yy}q{n}.txt"
    folder = "ASCII" if any(lo <= quarter <= hi for lo, hi in P.UPPER_ASCII_DIR) else "ascii"
    suffix = "_new" if quarter == "2018Q1" and table == "DEMO" else ""
    return f"{folder}/{table}{yy}Q{n}{suffix}.txt"


def deleted_member_name(quarter: str) -> str:
    """Path of the quarter's deleted-case list (lists exist from 2019Q1)."""
    year, yy, n = int(quarter[:4]), quarter[2:4], quarter[5]
    if year == 2019:
        return f"deleted/ADR{yy}Q{n}DeletedCases.txt"
    if year <= 2021:
        return f"Deleted/{yy}Q{n}DeletedCases.txt"
    return f"Deleted/DELETE{yy}Q{n}.txt"


def layout_header(quarter: str, table: str) -> str:
    """The header line FDA wrote for `table` in `quarter`."""
    a = qindex(quarter)
    if a < qindex(P.FIRST_FAERS):
        if table == "DEMO" and a >= qindex(P.FIRST_REPORTER_COUNTRY):
            return P.LEGACY_DEMO_WITH_COUNTRY
        return P.LEGACY_HEADERS[table]
    if quarter == P.FIRST_FAERS:
        return P.EARLY_FAERS_2012Q4[table]
    if a < qindex(P.FIRST_CURRENT):
        return P.EARLY_FAERS_HEADERS[table]
    return P.CURRENT_HEADERS[table]


def write_quarter_zip(
    path: Path, quarter: str, qi: int, data: dict, seed: int, *, compresslevel: int
) -> Path:
    """Write quarter `qi` of `data` (etl.demo.draw_dataset's form) to `path` in its FDA layout."""
    members = [
        (member_name(quarter, t), _table_bytes(quarter, t, data["tables"][t].get(qi)))
        for t in TABLES
    ]
    members += _deleted_members(quarter, qi, data["deleted"])
    new = data["new_cases"].get(qi, (0, 0))
    note = (
        f"{P.SYNTHETIC_NOTE}quarter: {quarter}\nseed: {seed}\n"
        f"new_cases: {new[0]}\nnew_kratom_cases: {new[1]}\n"
    )
    members.append(("SYNTHETIC.txt", note.encode()))
    with zipfile.ZipFile(path, "w") as zf:
        for name, payload in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, payload, compresslevel=compresslevel)
    return path


def _columns(header: str, table: str) -> list[str]:
    names = []
    for raw in header.split("$"):
        key = raw.strip().lower()
        if key == "drug_seq" and table in P.LEGACY_SEQ_RENAMES:
            key = P.LEGACY_SEQ_RENAMES[table]
        names.append(P.RENAMES.get(key, key))
    return names


def _table_bytes(quarter: str, table: str, frame: pl.DataFrame | None) -> bytes:
    header = layout_header(quarter, table)
    legacy = qindex(quarter) < qindex(P.FIRST_FAERS)
    eol = "\n" if table in P.LF_FILES.get(quarter, ()) else "\r\n"
    body = ""
    if frame is not None and frame.height:
        frame = _era_values(quarter, table, frame)
        frame, quirk = _frame_quirks(quarter, table, frame)
        cols = [pl.col(c).fill_null("") for c in _columns(header, table)]
        if legacy:
            cols.append(pl.lit("").alias("_trailing_dollar"))
        body = frame.select(cols).write_csv(
            include_header=False, separator="$", quote_style="never", line_terminator=eol
        )
        if quirk >= 0:
            lines = body[: -len(eol)].split(eol)
            _line_quirks(quarter, lines, quirk)
            body = eol.join(lines) + eol
    text = header + eol + body
    if table == "DRUG" and quarter == P.LATIN1_DRUG_QUARTER:
        return text.encode("latin-1")
    prefix = b"\xef\xbb\xbf" if table == "DRUG" and quarter == P.BOM_DRUG_QUARTER else b""
    return prefix + text.encode()


def _era_values(quarter: str, table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """Values that depend on the quarter a row is written in, not on the case."""
    a = qindex(quarter)
    legacy = a < qindex(P.FIRST_FAERS)
    frame = frame.with_columns(pl.col("pid").cast(pl.String).alias("primaryid"))
    if legacy and table in ("REAC", "INDI"):
        col = "pt" if table == "REAC" else "indi_pt"
        return frame.with_columns(pl.col(col).str.to_uppercase())
    if table != "DEMO":
        return frame
    padded = a >= qindex(P.FIRST_PADDED_EVENT_QUARTER)
    lo, hi = P.NS_SEX_QUARTERS
    eu = pl.col("is_eu") & (a >= qindex(P.FIRST_EU_QUARTER))
    company = pl.col("rept_cod").is_in(["EXP", "PER"]) & (a >= qindex(P.FIRST_EU_QUARTER))
    occp = pl.col("occp_cod")
    if int(quarter[:4]) >= P.FIRST_HP_YEAR:
        occp = pl.when(occp == "OT").then(pl.lit("HP")).otherwise(occp)
    return frame.with_columns(
        event_dt=pl.col("event_dt_padded" if padded else "event_dt_plain"),
        sex=pl.when((pl.col("sex") == "") & (lo <= quarter <= hi))
        .then(pl.lit("NS"))
        .otherwise(pl.col("sex")),
        occp_cod=pl.when(company).then(pl.lit("")).otherwise(occp),
        reporter_country=pl.when(eu)
        .then(pl.lit("EU"))
        .otherwise(pl.col("country_name" if legacy else "country_code")),
        occr_country=pl.when(eu).then(pl.lit("EU")).otherwise(pl.col("occr_code")),
    )


def _background_row(frame: pl.DataFrame, pairs: bool = False) -> int:
    """Index of a row near the middle that is (with the next row, if `pairs`) not kratom."""
    kratom = frame["is_kratom"].to_numpy()
    ok = ~kratom[:-1] & ~kratom[1:] if pairs else ~kratom
    candidates = np.flatnonzero(ok[len(ok) // 2 :]) + len(ok) // 2
    if not candidates.size:
        candidates = np.flatnonzero(ok)
    return int(candidates[0])


def _frame_quirks(quarter: str, table: str, frame: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Value-level quirks; returns the frame and the row index of a line-level quirk (or -1)."""
    if table == "DEMO" and quarter == P.STRAY_DOLLAR_DEMO_QUARTER:
        with_num = frame.with_row_index("_i").filter(
            (pl.col("mfr_num") != "") & ~pl.col("is_kratom")
        )
        i = int(with_num["_i"][with_num.height // 2])
        value = frame["mfr_num"][i]
        frame[i, "mfr_num"] = value[:3] + "$" + value[3:]
    if table == "DRUG" and quarter == P.LATIN1_DRUG_QUARTER:
        frame[_background_row(frame), "drugname"] = P.LATIN1_DRUG_NAME
    line_quirk = table == "DRUG" and (
        quarter in P.RUN_ON_DRUG_QUARTERS or quarter == P.RAGGED_DRUG_QUARTER
    )
    if line_quirk and frame.height > 1:
        return frame, _background_row(frame, pairs=True)
    return frame, -1


def _line_quirks(quarter: str, lines: list[str], row: int) -> None:
    """Line-level quirks: a missing line break (run-on) or a row cut short (ragged)."""
    if quarter in P.RUN_ON_DRUG_QUARTERS:
        lines[row : row + 2] = [lines[row] + lines[row + 1]]
    elif quarter == P.RAGGED_DRUG_QUARTER:
        lines[row] = "$".join(lines[row].split("$")[: P.RAGGED_ROW_FIELDS])


def _deleted_members(quarter: str, qi: int, deleted: dict) -> list[tuple[str, bytes]]:
    if quarter < P.FIRST_DELETED_LIST:
        return []
    eol = "\n" if quarter >= "2022Q1" else "\r\n"
    lists = [(deleted_member_name(quarter), deleted["quarterly"].get(qi, []))]
    if quarter == P.FIRST_DELETED_LIST:
        lists.append(("deleted/AllDeletedCases.txt", deleted["all"]))
    members = []
    for name, caseids in lists:
        lines = [" ", *map(str, caseids)]
        if len(lines) > 2 and qi % 3 == 0:
            lines.insert(len(lines) // 2, "")  # FDA's lists sometimes hold a blank line
        members.append((name, (eol.join(lines) + eol).encode()))
    return members
