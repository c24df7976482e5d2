"""Fixtures of the fault tests: small synthetic quarters, the builds before and after adding one."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest

from tests.faults.helpers import content

QUARTERS = ("2004Q1", "2004Q2", "2004Q3")


@pytest.fixture(scope="session")
def fault_zips(tmp_path_factory) -> dict[str, Path]:
    """Synthetic quarters 2004Q1-2004Q3 in FDA's format, by quarter (written once)."""
    from etl.demo import write_demo_quarters

    folder = tmp_path_factory.mktemp("fault_zips")
    paths = write_demo_quarters(folder, first=QUARTERS[0], last=QUARTERS[-1])
    return dict(zip(QUARTERS, paths, strict=True))


@pytest.fixture(scope="session")
def old_db(tmp_path_factory, fault_zips) -> Path:
    """The live database before a fault: 2004Q1-2004Q2 built (copy it; never write to it)."""
    from etl.pipeline import build

    path = tmp_path_factory.mktemp("old_db") / "kratom.duckdb"
    build(path, [fault_zips["2004Q1"], fault_zips["2004Q2"]])
    return path


@pytest.fixture(scope="session")
def new_content(tmp_path_factory, fault_zips) -> dict[str, tuple]:
    """What a whole build of 2004Q1-2004Q3 holds (`helpers.content`)."""
    from etl.pipeline import build

    path = tmp_path_factory.mktemp("new_db") / "kratom.duckdb"
    build(path, list(fault_zips.values()))
    return content(path)


@pytest.fixture(scope="session")
def padded_q3(tmp_path_factory, fault_zips) -> Path:
    """2004Q3 with a 600 KB stored Readme.pdf beside its tables, as FDA's zips carry PDFs.

    Nine and a bit of etl.download's 64 KiB chunks, so a download cut part-way keeps whole chunks in
    its `.part` file, and five download rounds of the kill test, one chunk each, never finish it.
    The reader ignores members that are not tables: it builds as 2004Q3 does.
    """
    source = fault_zips["2004Q3"]
    path = tmp_path_factory.mktemp("padded") / source.name
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        padding = random.Random(3).randbytes(600_000)  # incompressible: the zip grows by 600 KB
        out.writestr("Readme.pdf", padding, compress_type=zipfile.ZIP_STORED)
    return path
