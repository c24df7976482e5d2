"""Event groups compared across a split (Event types): the Wilson interval against hand
arithmetic, k and n per category against the model fixture counted by hand, the figure's traces
on a tiny frame, the page's callback and note.

Kratom cases of the model fixture (tests/fixtures/model/README.md and its DEMO/DRUG/REAC rows):

| case   | product         | other substances        | sex | age   | event groups                |
|--------|-----------------|-------------------------|-----|-------|-----------------------------|
| 900001 | unspecified     | ALCOHOL (SS)            | U   | 18-64 | dependence_withdrawal (2 PT) |
| 900005 | concentrate_7oh | FENTANYL (C), an opioid | M   | 12-17 | death, overdose_toxicity    |
| 900006 | leaf_powder     | NEURONTIN (gabapentin)  | F   | 0-27d | cognitive_neurological      |

None is kratom only; kratom is primary suspect on 900001 and 900005, concomitant on 900006.
The background cases 900002, 900004 and 900007 are not kratom cases and never count.
"""

from __future__ import annotations

import polars as pl
import pytest

from dashboard.figures import EMPTY_MESSAGE
from dashboard.figures import group_shares as fig
from dashboard.filter_codes import EVENT_GROUPS
from dashboard.filters import Filters
from dashboard.queries import group_shares as q
from dashboard.wilson import Z95, wilson_interval
from tests.dashboard.helpers import annotation_texts, plotly_figure, text_of

# --- the Wilson interval ---


def test_wilson_5_of_20():
    # p = 0.25, z² = 3.8415, z²/n = 0.19208, 1 + z²/n = 1.19208
    # centre = (0.25 + 0.09604) / 1.19208 = 0.29028
    # half = 1.96 · sqrt(0.1875/20 + 3.8415/1600) / 1.19208 = 1.96 · 0.10852 / 1.19208 = 0.17842
    low, high = wilson_interval(5, 20)
    assert low == pytest.approx(0.11186, abs=1e-4)
    assert high == pytest.approx(0.46871, abs=1e-4)


def test_wilson_0_of_7_and_7_of_7():
    # k = 0: centre = half = (z²/2n) / (1 + z²/n), so the interval is 0 to z² / (n + z²)
    # = 3.8415 / 10.8415 = 0.35433; k = n mirrors it: 1 - 0.35433 = 0.64567 to 1
    assert wilson_interval(0, 7) == (0.0, pytest.approx(0.35433, abs=1e-4))
    assert wilson_interval(7, 7) == (pytest.approx(0.64567, abs=1e-4), 1.0)


def test_wilson_one_case_and_the_z():
    # 1 of 1: 1 / (1 + z²) = 1 / 4.8415 = 0.20655 to 1
    assert wilson_interval(1, 1) == (pytest.approx(0.20655, abs=1e-4), 1.0)
    assert abs(Z95 - 1.95996) < 1e-5
    # another z: 5 of 20 at z = 1 is (0.25 + 0.025) / 1.05 = 0.26190
    # ± sqrt(0.009375 + 0.000625) / 1.05 = 0.1 / 1.05 = 0.09524
    low, high = wilson_interval(5, 20, z=1.0)
    assert (low, high) == (pytest.approx(0.16667, abs=1e-4), pytest.approx(0.35714, abs=1e-4))


@pytest.mark.parametrize(("k", "n"), [(0, 0), (1, 0), (-1, 5), (6, 5)])
def test_wilson_refuses_a_share_of_nothing(k, n):
    with pytest.raises(ValueError):
        wilson_interval(k, n)


# --- the query on the model fixture ---


def counts(df: pl.DataFrame) -> dict[tuple[str, int], dict[str, int]]:
    """(category, n) -> the groups reported at least once with their k; every category has a
    row for each of the 13 groups (zeros included)."""
    out: dict[tuple[str, int], dict[str, int]] = {}
    for cat, n, group, k in df.iter_rows():
        out.setdefault((cat, n), {})
        if k:
            out[(cat, n)][group] = k
    assert df.height == 13 * len(out)
    return out


def test_product_split(db):
    # one case each; in the filter's product order (leaf, extract, 7-OH, mixed, not stated)
    df = q.group_shares_by_split(db, Filters())
    assert list(counts(df)) == [("leaf_powder", 1), ("concentrate_7oh", 1), ("unspecified", 1)]
    assert counts(df) == {
        ("leaf_powder", 1): {"cognitive_neurological": 1},  # 900006
        ("concentrate_7oh", 1): {"death": 1, "overdose_toxicity": 1},  # 900005
        ("unspecified", 1): {"dependence_withdrawal": 1},  # 900001: two terms, one case
    }
    assert df.filter(pl.col("category") == "leaf_powder")["event_group"].to_list() == list(
        EVENT_GROUPS
    )


def test_opioid_split(db):
    # FENTANYL on 900005 only; ALCOHOL and gabapentin are not opioids
    assert counts(q.group_shares_by_split(db, Filters(events_split="opioid"))) == {
        ("with_opioid", 1): {"death": 1, "overdose_toxicity": 1},
        ("without_opioid", 2): {"dependence_withdrawal": 1, "cognitive_neurological": 1},
    }
    # primary suspect: 900006 (kratom concomitant) leaves
    primary = Filters(events_split="opioid", role="primary")
    assert counts(q.group_shares_by_split(db, primary)) == {
        ("with_opioid", 1): {"death": 1, "overdose_toxicity": 1},
        ("without_opioid", 1): {"dependence_withdrawal": 1},
    }


def test_sex_and_age_splits(db):
    assert list(counts(q.group_shares_by_split(db, Filters(events_split="sex")))) == [
        ("F", 1),  # 900006
        ("M", 1),  # 900005
        ("U", 1),  # 900001: NS
    ]
    assert list(counts(q.group_shares_by_split(db, Filters(events_split="age")))) == [
        ("0-27d", 1),  # 900006: 4 DY
        ("12-17", 1),  # 900005: 800 WK
        ("18-64", 1),  # 900001: 35 YR
    ]


def test_a_filter_on_the_split_leaves_its_categories(db):
    f = Filters(events_split="product", product_types=("leaf_powder", "extract"))
    assert list(counts(q.group_shares_by_split(db, f))) == [("leaf_powder", 1)]
    # no case is kratom only: one category of three cases
    assert list(counts(q.group_shares_by_split(db, Filters(events_split="alone")))) == [
        ("with_others", 3)
    ]
    assert q.group_shares_by_split(db, Filters(events_split="alone", kratom_only=True)).is_empty()


def test_population_all_compares_kratom_cases_without_the_kratom_criteria(db):
    # every FAERS case, kratom_only=true not applied on this page: the 3 kratom cases, not the 6
    f = Filters(population="all", kratom_only=True, role="primary", events_split="alone")
    assert list(counts(q.group_shares_by_split(db, f))) == [("with_others", 3)]


def test_the_split_comes_from_an_allow_list(db):
    from dashboard.tables import FULL

    with pytest.raises(ValueError):
        q.split_expr("c.sex; DROP TABLE x", FULL)


# --- the figure on a tiny frame ---


def frame(rows: list[tuple[str, int, str, int]]) -> pl.DataFrame:
    schema = {"category": pl.Utf8, "n_cases": pl.Int64, "event_group": pl.Utf8}
    schema["n_group_cases"] = pl.Int64
    return pl.DataFrame(rows, schema=schema, orient="row")


TINY = frame(
    [
        ("with_opioid", 20, "death", 5),
        ("with_opioid", 20, "seizure", 0),
        ("without_opioid", 7, "death", 0),
        ("without_opioid", 7, "seizure", 7),
    ]
)


def test_points_bars_and_light_markers():
    figure = plotly_figure(
        fig.group_shares_figure(TINY, split="opioid", group_labels={"death": "Death"})
    )
    big, small = figure.data
    assert big.name == "With an opioid (n=20)"
    assert small.name == "Without an opioid (n=7, share unstable)"
    assert list(big.y) == ["Death", "seizure"]  # a group without a label keeps its code
    assert list(big.x) == [25.0, 0.0]
    assert list(small.x) == [0.0, 100.0]
    # the bars: 5 of 20 is 11.19% to 46.87%, 0 of 7 is 0 to 35.43%, 7 of 7 is 64.57% to 100%
    assert big.error_x.array[0] == pytest.approx(46.871 - 25.0, abs=0.01)
    assert big.error_x.arrayminus[0] == pytest.approx(25.0 - 11.186, abs=0.01)
    assert small.error_x.array[0] == pytest.approx(35.433, abs=0.01)
    assert small.error_x.arrayminus[0] == 0.0
    assert small.error_x.arrayminus[1] == pytest.approx(100 - 64.567, abs=0.01)
    assert small.error_x.array[1] == 0.0
    assert big.error_x.symmetric is False
    # fewer than 10 cases: hollow and light; 10 or more: filled, full colour
    assert (big.marker.symbol, small.marker.symbol) == ("circle", "circle-open")
    assert big.marker.color == fig.PALETTE[0]
    assert small.marker.color == "rgba(230, 159, 0, 0.45)"  # PALETTE[1], #E69F00, light
    assert small.error_x.color == small.marker.color
    assert big.hovertext[0] == "With an opioid: 5 of 20 cases (25.0%)<br>95% interval 11.2–46.9%"
    assert small.hovertext[1].endswith("<br>Fewer than 10 cases: share unstable")
    layout = figure.layout
    assert layout.title.text == "Event groups compared across opioid co-exposure"
    assert (layout.scattermode, big.orientation) == ("group", "h")  # side by side in a row
    assert list(layout.yaxis.categoryarray) == ["Death", "seizure"]
    assert layout.xaxis.range == (-2.0, 102.0)  # 100%: room for the whole point


def test_ten_cases_are_enough_and_product_colours_are_trends():
    df = frame([("leaf_powder", 10, "death", 1), ("unspecified", 9, "death", 1)])
    leaf, unstated = plotly_figure(
        fig.group_shares_figure(df, split="product", labels={"leaf_powder": "Leaf / powder"})
    ).data
    assert (leaf.name, leaf.marker.symbol, leaf.marker.color) == (
        "Leaf / powder (n=10)",
        "circle",
        "#009E73",  # as on Trends' products by year
    )
    assert (unstated.name, unstated.marker.symbol) == (
        "unspecified (n=9, share unstable)",
        "circle-open",
    )
    assert unstated.marker.color == "rgba(153, 153, 153, 0.45)"  # grey: not stated


def test_empty_frame_is_the_empty_state():
    empty = frame([]).head(0)
    figure = plotly_figure(fig.group_shares_figure(empty, split="sex"))
    assert annotation_texts(figure) == [EMPTY_MESSAGE]
    assert figure.layout.title.text == "Event groups compared across sex"


def test_a_seventh_category_takes_a_diamond():
    bands = ["0-27d", "28d-23m", "2-11", "12-17", "18-64", "65-74", "75-84", "85+", "unknown"]
    styles = fig.styles("age", bands)
    assert [s[1] for s in styles.values()] == ["circle"] * 6 + ["diamond"] * 2 + ["circle"]
    assert styles["75-84"][0] == styles["0-27d"][0] and styles["unknown"] == (fig.GREY, "circle")


# --- the page ---


@pytest.fixture
def page(model_page):
    return model_page("events")


def test_page_draws_the_split_of_the_link(page):
    figure, style, note = page.update_comparison("split=opioid")
    figure = plotly_figure(figure)
    assert [t.name for t in figure.data] == [
        "With an opioid (n=1, share unstable)",
        "Without an opioid (n=2, share unstable)",
    ]
    assert style == {"height": f"{figure.layout.height}px"} and note is None
    default = plotly_figure(page.update_comparison("")[0])  # the default: product
    assert default.layout.title.text == "Event groups compared across kratom product"
    assert default.data[0].name == "Leaf / powder (n=1, share unstable)"
    # a bad value: the default, and the shell's note says it was ignored
    assert page.update_comparison("split=drug")[0] == page.update_comparison("")[0]
    assert Filters.from_query("split=drug")[1] == [
        "ignored 'split=drug': not one of product, alone, opioid, sex, age"
    ]


def test_one_category_left_gets_a_note(page):
    _, _, note = page.update_comparison("split=alone")
    assert text_of(note) == (
        "Compared across kratom alone or with other substances: the filters leave one "
        "category only (With other substances), so there is nothing to compare it with. "
        "Widen the filters to compare."
    )
    _, _, note = page.update_comparison("split=sex&sex=F")
    assert "sex: the filters leave one category only (Female)" in text_of(note)
    assert page.update_comparison("split=sex")[2] is None


def test_the_caption_says_what_is_counted(page):
    from tests.dashboard.helpers import find_component

    layout = page.layout(**{"search_raw_": "?split=age"})
    assert find_component(layout, "events-split").value == "age"
    caption = text_of(layout)
    for words in (
        "Wilson 95% confidence interval",
        "not risks",
        "differs by product and by year",
        "do not establish causation",
        "share unstable",
        "most specific kratom product",
    ):
        assert words in caption
    assert "population=all" not in caption.split("Compare across")[1]
    everyone = text_of(page.layout(**{"search_raw_": "?population=all"}))
    assert "this chart counts kratom cases only" in everyone
