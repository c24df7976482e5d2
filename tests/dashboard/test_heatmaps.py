"""The two case-count heatmaps read alike: every event group a column, zeros written '0'.

Model fixture (tests/fixtures/model/README.md), kratom cases and their event groups:
900001 (alcohol; indication Pain) dependence_withdrawal; 900005 (fentanyl, opioids; indication
Drug withdrawal syndrome = drug_withdrawal) death and overdose_toxicity; 900006 (gabapentin,
gabapentinoids; indication unknown) cognitive_neurological. No case reports the other 9 groups
(product quality among them), each of which must still be a column of zeros on both maps.
"""

from __future__ import annotations

from dashboard import components
from dashboard.figures import coexposures as fig_coex
from dashboard.figures import indications as fig_ind
from dashboard.figures.heatmap import cell_text, count_colorbar, event_group_columns
from dashboard.filters import Filters
from dashboard.queries import coexposures as q_coex
from dashboard.queries import indications as q_ind
from tests.dashboard.helpers import plotly_figure

LABELS = components.LABELS["event_groups"]
GROUPS = list(LABELS)  # death, overdose_toxicity, dependence_withdrawal, seizure, ...


def test_both_maps_keep_every_group_and_write_zeros_alike(db):
    coex = plotly_figure(
        fig_coex.class_group_heatmap(
            q_coex.class_by_event_group(db, Filters()),
            n_total=3,
            class_labels=components.LABELS["substance_classes"],
            group_labels=LABELS,
        )
    ).data[0]
    ind = plotly_figure(fig_ind.matrix_figure(q_ind.indication_event_matrix(db, Filters()), LABELS))
    ind = ind.data[0]
    assert list(coex.x) == list(ind.x) == list(LABELS.values())  # 13 columns on both
    assert "Product quality and contamination" in coex.x  # no case reports it on either
    one = {g: [1 if x == g else 0 for x in GROUPS] for g in GROUPS}
    both = [a + b for a, b in zip(one["death"], one["overdose_toxicity"], strict=True)]
    # classes: 1 case each, so alphabetical
    assert list(coex.y) == ["Alcohol", "Gabapentinoids", "Opioids"]
    assert [list(r) for r in coex.z] == [
        one["dependence_withdrawal"],
        one["cognitive_neurological"],
        both,
    ]
    assert list(ind.y) == ["Pain", "Withdrawal (drug not named)", "Unknown indication"]
    assert [list(r) for r in ind.z] == [
        one["dependence_withdrawal"],
        both,
        one["cognitive_neurological"],
    ]
    for heat in (coex, ind):
        assert heat.texttemplate == "%{text}"
        assert [list(r) for r in heat.text] == [[str(n) for n in r] for r in heat.z]
        assert heat.colorbar.dtick == 1  # at most 1 case a cell: whole-case ticks


def test_columns_and_cell_text_rules():
    assert event_group_columns(["death", "seizure"], ["seizure", "zzz", "aaa"]) == [
        "death",
        "seizure",
        "aaa",
        "zzz",
    ]
    assert event_group_columns([], []) == []
    assert cell_text([[0, 1234], [7, 0]]) == [["0", "1,234"], ["7", "0"]]
    assert count_colorbar([[0, 9]]) == {"title": {"text": "Cases"}, "tickformat": ",d"}
    assert count_colorbar([[0, 8]])["dtick"] == 1
