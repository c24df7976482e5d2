"""The dashboard's event-group labels are those of etl/reference/event_group_list.csv."""

from __future__ import annotations

import csv

from dashboard.components import LABELS
from dashboard.filters import EVENT_GROUPS
from tests.conftest import REPO


def test_event_group_labels_match_the_reviewed_list():
    with open(REPO / "etl" / "reference" / "event_group_list.csv", encoding="utf-8") as f:
        reviewed = {row["event_group"]: row["label"] for row in csv.DictReader(f)}
    assert LABELS["event_groups"] == reviewed
    assert set(EVENT_GROUPS) == set(reviewed)
