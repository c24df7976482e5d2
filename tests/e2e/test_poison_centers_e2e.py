"""Poison centers in a real browser: the published figures as published, with their sources.

The expected figures are the published ones (Anwar et al. 2016: 660 calls to US poison centres
about kratom, 2010–2015; Post et al. 2019: 1,807 exposures, 2011–2017); the expected rows of the
download are read here from the committed source files in data/poison_centers/.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import page_problems

pytestmark = pytest.mark.e2e

DATA = Path(__file__).resolve().parents[2] / "data" / "poison_centers"
ANWAR_URL = "https://www.cdc.gov/mmwr/volumes/65/wr/mm6529a4.htm"
POST_URL = "https://informahealthcare.com/doi/abs/10.1080/15563650.2019.1569236"
SERIES = "#poison-centers-series"


def published_rows() -> list[dict[str, str]]:
    """Every row of every committed source file."""
    rows = []
    for path in sorted(DATA.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            rows += list(csv.DictReader(fh))
    return rows


def test_totals_sources_note_and_download(page: Page, live_server, tmp_path):
    problems = page_problems(page)
    page.goto(live_server + "/poison-centers")
    series = page.locator(SERIES)
    expect(series).to_contain_text("660 calls, 2010–2015", timeout=20_000)
    expect(series).to_contain_text("1,807 exposures, 2011–2017")
    expect(page.get_by_text("The methods differ")).to_be_visible()

    sources = page.locator("#poison-centers-series-sources")
    expect(sources.locator("li", has_text="Anwar M, Law R, Schier J")).to_contain_text("MMWR 2016")
    expect(sources.locator(f"a[href='{ANWAR_URL}']")).to_have_count(1)
    expect(sources.locator("li", has_text="Post S, Spiller HA")).to_contain_text(
        "Clin Toxicol 2019"
    )
    expect(sources.locator(f"a[href='{POST_URL}']")).to_have_count(1)

    with page.expect_download() as info:
        page.get_by_role("button", name="Download these figures (CSV)").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert {"citation", "url", "source_id", "count"} <= set(rows[0])
    assert len(rows) == len(published_rows())  # no date filter: every published row
    assert all(r["citation"] for r in rows)
    totals = {
        r["source_id"]: (r["count"], r["url"], r["period_start"], r["period_end"])
        for r in rows
        if r["measure"] == "total" and r["population"] == "all" and r["unit"] != "deaths"
    }
    assert totals["anwar_2016_mmwr"] == ("660", ANWAR_URL, "2010-01-01", "2015-12-31")
    assert totals["post_2019_clintox"] == ("1807", POST_URL, "2011-01-01", "2017-12-31")
    assert problems == []


def test_date_range_keeps_overlapping_figures(page: Page, live_server, tmp_path):
    # 2021Q4 is a quarter of the filter panel (kratom cases 900005 and 900006 were received then)
    page.goto(live_server + "/poison-centers?from=2021Q4")
    series = page.locator(SERIES)
    expect(series).to_contain_text("2025", timeout=20_000)
    # Anwar et al. (2010–2015) and Post et al. (2011–2017) end before October 2021
    expect(series).not_to_contain_text("660 calls")
    expect(series).not_to_contain_text("1,807 exposures")
    sources = page.locator("#poison-centers-series-sources")
    expect(sources.locator(f"a[href='{ANWAR_URL}']")).to_have_count(0)
    expect(sources.locator(f"a[href='{POST_URL}']")).to_have_count(0)

    with page.expect_download() as info:
        page.get_by_role("button", name="Download these figures (CSV)").click()
    saved = tmp_path / "figures.csv"
    info.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    overlapping = [r for r in published_rows() if r["period_end"] >= "2021-10-01"]
    assert len(rows) == len(overlapping) > 0
    assert {r["source_id"] for r in rows} == {r["source_id"] for r in overlapping}


GEOGRAPHY = "#poison-centers-geography"
SUMMARY = "#poison-centers-table-summary"
TEXAS = "State or province: Texas"


def choose_geography(page: Page, label: str) -> None:
    page.locator(GEOGRAPHY).click()
    page.get_by_role("option", name=label, exact=True).click()


def expect_texas(page: Page) -> None:
    """Texas DSHS's figures only (texas_dshs_2025_alert.csv: 5 rows, 192 exposures in 2025)."""
    expect(page.locator(GEOGRAPHY)).to_contain_text(TEXAS, timeout=20_000)
    expect(page.locator(SUMMARY)).to_contain_text("(5 rows)")
    expect(page.locator(SERIES)).to_contain_text("192 exposures, 1 Jan–2 Sep 2025")
    expect(page.locator(SERIES)).not_to_contain_text("660 calls")


def test_geography_is_in_the_link(page: Page, live_server, tmp_path):
    """Picking a geography puts it in the URL; reload, back and forward all keep page and link
    in step; the page's CSV is the chosen geography's; other pages' links keep it."""
    problems = page_problems(page)
    every = len(published_rows())
    page.goto(live_server + "/poison-centers?sex=F")
    expect(page.locator(SUMMARY)).to_contain_text(f"({every} rows)", timeout=20_000)
    expect(page.locator(GEOGRAPHY)).to_contain_text("All geographies")

    choose_geography(page, TEXAS)
    expect(page).to_have_url(re.compile(r"/poison-centers\?sex=F&geo=state:TX$"))
    expect_texas(page)
    expect(page.locator("#nav-trends")).to_have_attribute("href", "/trends?sex=F&geo=state:TX")

    page.reload()
    expect_texas(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download these figures (CSV)").click()
    saved = tmp_path / "texas.csv"
    info.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    texas = [r for r in published_rows() if r["geography"] == "TX"]
    assert sorted(r["count"] for r in rows) == sorted(r["count"] for r in texas)
    assert len(rows) == 5 and {r["source_id"] for r in rows} == {"texas_dshs_2025_alert"}

    page.go_back()
    expect(page).to_have_url(re.compile(r"/poison-centers\?sex=F$"))
    expect(page.locator(SUMMARY)).to_contain_text(f"({every} rows)", timeout=20_000)
    expect(page.locator(GEOGRAPHY)).to_contain_text("All geographies")
    page.go_forward()
    expect_texas(page)
    expect(page).to_have_url(re.compile(r"/poison-centers\?sex=F&geo=state:TX$"))

    choose_geography(page, "All geographies")
    expect(page).to_have_url(re.compile(r"/poison-centers\?sex=F$"))
    expect(page.locator(SUMMARY)).to_contain_text(f"({every} rows)", timeout=20_000)
    choose_geography(page, TEXAS)
    choose_geography(page, "All geographies")  # back to a link with nothing else in it
    page.goto(live_server + "/poison-centers?geo=state:TX")
    expect_texas(page)
    choose_geography(page, "All geographies")
    expect(page).to_have_url(re.compile(r"/poison-centers$"))
    expect(page.locator(SUMMARY)).to_contain_text(f"({every} rows)", timeout=20_000)
    assert problems == []


def test_a_geography_without_figures_is_ignored_with_a_note(page: Page, live_server):
    problems = page_problems(page)
    page.goto(live_server + "/poison-centers?sex=F&geo=state:Atlantis")
    note = page.locator("#poison-centers-geography-note")
    expect(note).to_contain_text(
        "ignored 'geo=state:Atlantis': no published figures for that geography", timeout=20_000
    )
    expect(page.locator(GEOGRAPHY)).to_contain_text("All geographies")
    expect(page.locator(SUMMARY)).to_contain_text(f"({len(published_rows())} rows)")
    expect(page.locator("#filters-notes")).to_be_empty()  # well-formed: no shell note
    page.wait_for_load_state("networkidle")  # every callback after drawing the page answered
    expect(page).to_have_url(re.compile(r"/poison-centers\?sex=F&geo=state:Atlantis$"))
    note.get_by_role("link", name="open the link without it").click()
    expect(page).to_have_url(re.compile(r"/poison-centers\?sex=F$"))
    expect(note).to_have_count(0)
    assert problems == []
