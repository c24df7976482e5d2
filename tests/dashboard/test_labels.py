"""The dashboard's event-group labels are those of etl/reference/event_group_list.csv."""

from __future__ import annotations

import csv

from dashboard.components import LABELS
from dashboard.filter_codes import EVENT_GROUPS, PRODUCT_TYPES, SUBSTANCE_CLASSES
from tests.conftest import REPO


def test_event_group_labels_match_the_reviewed_list():
    with open(REPO / "etl" / "reference" / "event_group_list.csv", encoding="utf-8") as f:
        reviewed = {row["event_group"]: row["label"] for row in csv.DictReader(f)}
    assert LABELS["event_groups"] == reviewed
    assert set(EVENT_GROUPS) == set(reviewed)


def test_filter_codes_are_the_reviewed_codes():
    # dashboard/ never imports etl/, so the codes live on both sides; this keeps them equal.
    from etl import reference_specs

    assert set(SUBSTANCE_CLASSES) == set(reference_specs.SUBSTANCE_CLASSES)
    assert set(PRODUCT_TYPES) == set(reference_specs.PRODUCT_TYPES)
