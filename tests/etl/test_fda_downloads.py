"""FAERS quarterly downloads against a local fake of FDA's index page and file server."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from etl.config import load_settings
from etl.errors import InputError
from etl.sources.fda_downloads import (
    DownloadError,
    QuarterLink,
    discover_quarters,
    download_quarters,
    parse_quarter_links,
    quarter_range,
)
from tests.fake_fda import FakeFDA, Reply

NOW = datetime(2026, 5, 1, 12, 0, 0, tzinfo=UTC)
EXPORTS = "/content/Exports/"

INDEX_HTML = """<html><body><table>
<tr><td>2024 Q1</td><td><a href="https://fis.fda.gov/content/Exports/faers_ascii_2024Q1.zip">ASCII</a>
<a href="https://fis.fda.gov/content/Exports/faers_xml_2024Q1.zip">XML</a></td></tr>
<tr><td><A HREF='/content/Exports/faers_ascii_2023q4.zip'>ASCII</A></td></tr>
<tr><td><a href="FAERS_ASCII_2012Q4.ZIP">ascii</a></td></tr>
<tr><td><a href="../old/aers_ascii_2008q3.zip">ascii</a>
<a href="aers_xml_2008q3.zip">xml</a></td></tr>
<tr><td><a href="/content/Exports/faers_ascii_2024q1.zip">duplicate, other casing</a></td></tr>
<tr><td><a href="faers_ascii_2024Q1.pdf">not a zip</a><a name="anchor">no href</a></td></tr>
</table></body></html>"""


def faers_zip(quarter: str, *, with_demo: bool = True) -> bytes:
    """A tiny stored (uncompressed) quarterly zip."""
    yy, q = quarter[2:4], quarter[-1]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        if with_demo:
            archive.writestr(f"ascii/DEMO{yy}Q{q}.txt", "primaryid$caseid\n1$1\n")
        archive.writestr(f"ascii/DRUG{yy}Q{q}.txt", "primaryid$drug_seq\n1$1\n")
    return buffer.getvalue()


def corrupt(data: bytes) -> bytes:
    """Flip one byte of the first member's stored data: its CRC no longer matches."""
    at = data.index(b"primaryid")
    return data[:at] + b"P" + data[at + 1 :]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def fda() -> Iterator[FakeFDA]:
    with FakeFDA() as server:
        yield server


@pytest.fixture
def settings(fda: FakeFDA, tmp_path):
    return load_settings(
        {
            "KRATOM_DATA_DIR": str(tmp_path / "data"),
            "KRATOM_FAERS_INDEX_URL": fda.url + "/extensions/index.html",
            "KRATOM_FAERS_BASE_URL": fda.url + EXPORTS,
        }
    )


def index_for(*names: str) -> Reply:
    links = "".join(f'<a href="{EXPORTS}{name}">ASCII</a>\n' for name in names)
    return Reply(body=f"<html>{links}</html>".encode(), headers={"Content-Type": "text/html"})


def no_sleep(seconds: float) -> None:
    raise AssertionError(f"unexpected sleep({seconds})")


def run(settings, **kwargs):
    kwargs.setdefault("sleep", no_sleep)
    return download_quarters(settings, progress=False, now=lambda: NOW, **kwargs)


def manifest(settings) -> list[dict]:
    return json.loads((settings.raw_dir / "faers" / "manifest.json").read_text())["files"]


def test_index_page_parsing_mixed_casing_relative_and_absolute() -> None:
    page = "https://fis.fda.gov/extensions/FPD-QDE-FAERS/FPD-QDE-FAERS.html"
    assert parse_quarter_links(INDEX_HTML, page) == [
        QuarterLink("2008Q3", "https://fis.fda.gov/extensions/old/aers_ascii_2008q3.zip"),
        QuarterLink(
            "2012Q4", "https://fis.fda.gov/extensions/FPD-QDE-FAERS/FAERS_ASCII_2012Q4.ZIP"
        ),
        QuarterLink("2023Q4", "https://fis.fda.gov/content/Exports/faers_ascii_2023q4.zip"),
        QuarterLink("2024Q1", "https://fis.fda.gov/content/Exports/faers_ascii_2024Q1.zip"),
    ]


def test_discover_quarters_reads_the_index_page(fda: FakeFDA, settings) -> None:
    fda.add("/extensions/index.html", index_for("faers_ascii_2024q2.zip", "aers_ascii_2004Q1.zip"))
    assert discover_quarters(settings.faers_index_url, sleep=no_sleep) == [
        QuarterLink("2004Q1", fda.url + EXPORTS + "aers_ascii_2004Q1.zip"),
        QuarterLink("2024Q2", fda.url + EXPORTS + "faers_ascii_2024q2.zip"),
    ]


def test_quarter_range_crosses_years_and_rejects_bad_names() -> None:
    assert quarter_range("2023q3", "2024Q2") == ["2023Q3", "2023Q4", "2024Q1", "2024Q2"]
    with pytest.raises(InputError, match=r"^since: not a quarter like 2004Q1: '2024Q5'$"):
        quarter_range("2024Q5", "2025Q1")


def test_first_download_then_rerun_skips_present_files(fda: FakeFDA, settings) -> None:
    q1, q2 = faers_zip("2024Q1"), faers_zip("2024Q2")
    fda.add("/extensions/index.html", index_for("faers_ascii_2024Q1.zip", "faers_ascii_2024q2.zip"))
    fda.add(EXPORTS + "faers_ascii_2024Q1.zip", Reply(file=q1))
    fda.add(EXPORTS + "faers_ascii_2024q2.zip", Reply(file=q2))

    report = run(settings, since="2024Q1")
    assert (report.downloaded, report.skipped, report.failed) == (["2024Q1", "2024Q2"], [], {})
    folder = settings.raw_dir / "faers"
    assert (folder / "faers_ascii_2024Q1.zip").read_bytes() == q1
    assert (folder / "faers_ascii_2024Q2.zip").read_bytes() == q2
    assert sorted(p.name for p in folder.iterdir()) == [
        "faers_ascii_2024Q1.zip",
        "faers_ascii_2024Q2.zip",
        "manifest.json",
    ]
    assert manifest(settings) == [
        {
            "quarter": quarter,
            "url": fda.url + EXPORTS + name,
            "file": f"faers_ascii_{quarter}.zip",
            "size": len(data),
            "sha256": sha(data),
            "fetched_at": "2026-05-01T12:00:00+00:00",
        }
        for quarter, name, data in [
            ("2024Q1", "faers_ascii_2024Q1.zip", q1),
            ("2024Q2", "faers_ascii_2024q2.zip", q2),
        ]
    ]

    fda.seen.clear()
    again = run(settings, since="2024Q1")
    assert (again.downloaded, again.skipped) == ([], ["2024Q1", "2024Q2"])
    assert [s.path for s in fda.seen] == ["/extensions/index.html"]


def test_verified_file_without_manifest_entry_is_adopted(fda: FakeFDA, settings) -> None:
    data = faers_zip("2024Q1")
    fda.add("/extensions/index.html", index_for("faers_ascii_2024Q1.zip"))
    folder = settings.raw_dir / "faers"
    folder.mkdir(parents=True)
    (folder / "faers_ascii_2024Q1.zip").write_bytes(data)
    report = run(settings, since="2024Q1")
    assert report.skipped == ["2024Q1"]
    assert [(e["quarter"], e["size"], e["sha256"]) for e in manifest(settings)] == [
        ("2024Q1", len(data), sha(data))
    ]
    assert [s.path for s in fda.seen] == ["/extensions/index.html"]


def test_quarter_missing_from_index_tried_at_base_url_in_both_casings(
    fda: FakeFDA, settings
) -> None:
    q1, q2 = faers_zip("2024Q1"), faers_zip("2024Q2")
    fda.add("/extensions/index.html", index_for("faers_ascii_2024Q2.zip"))
    fda.add(EXPORTS + "faers_ascii_2024q1.zip", Reply(file=q1))  # only the lower-case name
    fda.add(EXPORTS + "faers_ascii_2024Q2.zip", Reply(file=q2))
    report = run(settings, since="2024Q1")
    assert report.downloaded == ["2024Q1", "2024Q2"]
    assert [s.path for s in fda.seen] == [
        "/extensions/index.html",
        EXPORTS + "faers_ascii_2024Q1.zip",  # 404
        EXPORTS + "faers_ascii_2024q1.zip",
        EXPORTS + "faers_ascii_2024Q2.zip",
    ]
    assert manifest(settings)[0]["url"] == fda.url + EXPORTS + "faers_ascii_2024q1.zip"


def test_corrupt_zip_refused_and_old_good_file_kept(fda: FakeFDA, settings) -> None:
    good = faers_zip("2024Q1")
    fda.add("/extensions/index.html", index_for("faers_ascii_2024Q1.zip"))
    fda.add(EXPORTS + "faers_ascii_2024Q1.zip", Reply(file=good))
    run(settings, since="2024Q1")
    before = manifest(settings)

    fda.add(EXPORTS + "faers_ascii_2024Q1.zip", Reply(file=corrupt(good)))
    with pytest.raises(DownloadError) as err:
        run(settings, since="2024Q1", force=True)
    assert str(err.value) == (
        "1 quarter(s) failed: 2024Q1: faers_ascii_2024Q1.zip: "
        "corrupt zip: member ascii/DEMO24Q1.txt fails its CRC check"
    )
    assert err.value.report.failed.keys() == {"2024Q1"}
    folder = settings.raw_dir / "faers"
    assert (folder / "faers_ascii_2024Q1.zip").read_bytes() == good
    assert not (folder / "faers_ascii_2024Q1.zip.part").exists()
    assert manifest(settings) == before


def test_error_page_and_zip_without_demo_are_refused(fda: FakeFDA, settings) -> None:
    fda.add("/extensions/index.html", index_for("faers_ascii_2024Q1.zip", "faers_ascii_2024Q2.zip"))
    fda.add(EXPORTS + "faers_ascii_2024Q1.zip", Reply(file=b"<html>Service unavailable</html>"))
    fda.add(EXPORTS + "faers_ascii_2024Q2.zip", Reply(file=faers_zip("2024Q2", with_demo=False)))
    with pytest.raises(DownloadError) as err:
        run(settings, since="2024Q1")
    assert err.value.report.failed == {
        "2024Q1": "faers_ascii_2024Q1.zip: not a readable zip (File is not a zip file); "
        "download refused",
        "2024Q2": "faers_ascii_2024Q2.zip: zip has no DEMO member; not a FAERS quarterly extract",
    }
    assert sorted(p.name for p in (settings.raw_dir / "faers").iterdir()) == ["manifest.json"]


def test_partial_quarter_download_resumes_with_range(fda: FakeFDA, settings) -> None:
    data = faers_zip("2024Q1")
    fda.add("/extensions/index.html", index_for("faers_ascii_2024Q1.zip"))
    fda.add(EXPORTS + "faers_ascii_2024Q1.zip", Reply(file=data))
    folder = settings.raw_dir / "faers"
    folder.mkdir(parents=True)
    (folder / "faers_ascii_2024Q1.zip.part").write_bytes(data[:50])
    assert run(settings, since="2024Q1").downloaded == ["2024Q1"]
    assert (folder / "faers_ascii_2024Q1.zip").read_bytes() == data
    assert fda.seen[1].headers.get("Range") == "bytes=50-"
