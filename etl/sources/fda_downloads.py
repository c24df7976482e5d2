"""FAERS quarterly ASCII zips from FDA: find them on the index page, fetch, verify, record.

Files land in `<raw_dir>/faers/` as `faers_ascii_YYYYQn.zip` (`aers_ascii_...` before 2012Q4), one
name per quarter whatever the casing of FDA's link, with `manifest.json` beside them.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlparse

import requests

from etl.config import Settings
from etl.download import download_file, file_sha256
from etl.download_progress import Progress
from etl.errors import InputError
from etl.http import FetchError, Sleep, get_with_retries
from etl.http import make_session as make_http_session

log = logging.getLogger(__name__)

ASCII_ZIP = re.compile(r"^(f?aers)_ascii_(\d{4})q([1-4])\.zip$", re.IGNORECASE)
QUARTER = re.compile(r"^(\d{4})q([1-4])$", re.IGNORECASE)
LAST_LEGACY_QUARTER = (2012, 3)  # AERS files up to 2012Q3, FAERS from 2012Q4
MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class QuarterLink:
    quarter: str  # "2024Q1"
    url: str


@dataclass
class DownloadReport:
    downloaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # quarter -> error message


class DownloadError(RuntimeError):
    """Some quarters failed; the others were fetched. `report` tells which."""

    def __init__(self, report: DownloadReport) -> None:
        self.report = report
        detail = "; ".join(f"{q}: {msg}" for q, msg in sorted(report.failed.items()))
        super().__init__(f"{len(report.failed)} quarter(s) failed: {detail}")


def parse_quarter(text: str, *, source: str = "quarter") -> tuple[int, int]:
    """(year, quarter) from '2024Q1' or '2024q1'."""
    match = QUARTER.match(text.strip())
    if not match:
        raise InputError(source, f"not a quarter like 2004Q1: {text!r}")
    return int(match[1]), int(match[2])


def quarter_name(year: int, q: int) -> str:
    return f"{year}Q{q}"


def quarter_range(since: str, until: str) -> list[str]:
    """Every quarter from `since` to `until`, both included."""
    year, q = parse_quarter(since, source="since")
    end = parse_quarter(until, source="until")
    quarters = []
    while (year, q) <= end:
        quarters.append(quarter_name(year, q))
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return quarters


def local_file_name(quarter: str) -> str:
    year, q = parse_quarter(quarter)
    prefix = "aers" if (year, q) <= LAST_LEGACY_QUARTER else "faers"
    return f"{prefix}_ascii_{year}Q{q}.zip"


class _HrefCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def parse_quarter_links(html: str, page_url: str) -> list[QuarterLink]:
    """The ASCII zip links of FDA's index page, one per quarter, sorted; XML zips are ignored."""
    collector = _HrefCollector()
    collector.feed(html)
    found: dict[tuple[int, int], QuarterLink] = {}
    for href in collector.hrefs:
        url = urljoin(page_url, href.strip())
        name = unquote(PurePosixPath(urlparse(url).path).name)
        match = ASCII_ZIP.match(name)
        if match:
            key = (int(match[2]), int(match[3]))
            found.setdefault(key, QuarterLink(quarter_name(*key), url))
    return [found[key] for key in sorted(found)]


def discover_quarters(
    index_url: str, *, session: requests.Session | None = None, sleep: Sleep = time.sleep
) -> list[QuarterLink]:
    """Fetch FDA's quarterly data extract page and list its ASCII zips by quarter."""
    session = session or make_http_session()
    response = get_with_retries(session, index_url, sleep=sleep)
    if response.status_code != 200:
        raise FetchError(index_url, f"HTTP {response.status_code}", status=response.status_code)
    return parse_quarter_links(response.text, index_url)


def verify_faers_zip(path: Path, *, name: str | None = None) -> None:
    """Raise InputError unless `path` is a sound zip holding a DEMO table."""
    name = name or path.name
    try:
        with zipfile.ZipFile(path) as archive:
            bad_member = archive.testzip()
            members = archive.namelist()
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise InputError(name, f"not a readable zip ({exc}); download refused") from exc
    if bad_member is not None:
        raise InputError(name, f"corrupt zip: member {bad_member} fails its CRC check")
    if not any(PurePosixPath(m).name.upper().startswith("DEMO") for m in members):
        raise InputError(name, "zip has no DEMO member; not a FAERS quarterly extract")


def load_manifest(folder: Path) -> dict[str, dict]:
    """Manifest entries by quarter ({} when there is no manifest yet)."""
    path = folder / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["files"]
        return {entry["quarter"]: entry for entry in entries}
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(str(path), f"unreadable download manifest: {exc}") from exc


def save_manifest(folder: Path, entries: dict[str, dict]) -> None:
    """Write the manifest atomically, quarters in order."""
    ordered = [entries[q] for q in sorted(entries, key=parse_quarter)]
    tmp = folder / (MANIFEST_NAME + ".tmp")
    tmp.write_text(json.dumps({"files": ordered}, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, folder / MANIFEST_NAME)


def _manifest_entry(quarter: str, url: str, path: Path, sha256: str, when: datetime) -> dict:
    return {
        "quarter": quarter,
        "url": url,
        "file": path.name,
        "size": path.stat().st_size,
        "sha256": sha256,
        "fetched_at": when.isoformat(timespec="seconds"),
    }


def _present_entry(folder: Path, quarter: str, entry: dict | None, url: str) -> dict | None:
    """The manifest entry of a good file already here, adopting a verified unlisted one."""
    path = folder / local_file_name(quarter)
    if not path.exists():
        return None
    if entry is not None and entry.get("size") == path.stat().st_size:
        return entry
    try:
        verify_faers_zip(path)
    except InputError as exc:
        log.warning("%s; it will be downloaded again", exc)
        return None
    when = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return _manifest_entry(quarter, url, path, file_sha256(path), when)


def candidate_urls(quarter: str, link: QuarterLink | None, base_url: str) -> list[str]:
    """The index page's link, else the base URL with both casings of the quarter's 'q'."""
    if link is not None:
        return [link.url]
    upper = local_file_name(quarter)
    lower = upper.replace(f"{quarter[:4]}Q", f"{quarter[:4]}q")
    return [base_url.rstrip("/") + "/" + name for name in (upper, lower)]


def fetch_quarter(quarter: str, urls: list[str], folder: Path, **download) -> tuple[str, Path, str]:
    """Download a quarter from the first of `urls` that exists; returns (url, path, sha256)."""
    dest = folder / local_file_name(quarter)
    for i, url in enumerate(urls):
        try:
            got = download_file(
                url, dest, verify=lambda p: verify_faers_zip(p, name=dest.name), **download
            )
        except FetchError as exc:
            if exc.status == 404 and i + 1 < len(urls):
                continue
            raise
        return url, got.path, got.sha256
    raise AssertionError("no candidate URLs")  # pragma: no cover


def download_quarters(
    settings: Settings,
    since: str = "2004Q1",
    until: str | None = None,
    *,
    force: bool = False,
    session: requests.Session | None = None,
    sleep: Sleep = time.sleep,
    progress: bool | Progress | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> DownloadReport:
    """Fetch the quarters from `since` to `until` (default: the newest listed) not yet here.

    Each zip is verified before it is kept and recorded in the manifest; a quarter that fails
    leaves any earlier good file in place, the others go on, and DownloadError is raised at the end.
    `force` fetches present quarters again.
    """
    session = session or make_http_session()
    folder = settings.raw_dir / "faers"
    folder.mkdir(parents=True, exist_ok=True)
    links = {
        link.quarter: link
        for link in discover_quarters(settings.faers_index_url, session=session, sleep=sleep)
    }
    if until is None and not links:
        raise InputError(settings.faers_index_url, "no FAERS ASCII zip links found on the page")
    last = until or max(links, key=parse_quarter)
    manifest = load_manifest(folder)
    report = DownloadReport()
    for quarter in quarter_range(since, last):
        urls = candidate_urls(quarter, links.get(quarter), settings.faers_base_url)
        present = None if force else _present_entry(folder, quarter, manifest.get(quarter), urls[0])
        if present is not None:
            manifest[quarter] = present
            report.skipped.append(quarter)
            continue
        try:
            url, path, sha256 = fetch_quarter(
                quarter, urls, folder, session=session, sleep=sleep, progress=progress
            )
        except (InputError, FetchError) as exc:
            log.error("%s: %s", quarter, exc)
            report.failed[quarter] = str(exc)
            continue
        manifest[quarter] = _manifest_entry(quarter, url, path, sha256, now())
        save_manifest(folder, manifest)
        report.downloaded.append(quarter)
    save_manifest(folder, manifest)
    if report.failed:
        raise DownloadError(report)
    return report
