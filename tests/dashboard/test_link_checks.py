"""The shell's note on what a well-formed link asks for that the page cannot show: values no case
in the database has, and the kratom criteria a population=all page does not apply.

Over the hand-counted model fixture (tests/fixtures/model/README.md): kratom cases 900001
(Drug dependence, Withdrawal syndrome; with alcohol), 900005 (Toxicity to various agents,
Death; with fentanyl), 900006 (Somnolence; with gabapentin), all from the US; background 900002
(Canada), 900004 (Rash; Great Britain), 900007 (Lactic acidosis; US). Received 2012Q2 (900001,
900002), 2013Q1 (900004, 900007), 2021Q4 (900005, 900006); events 2012Q1 (900001, 900002),
2012Q4 (900007), 2013Q1 (900004), 2021Q1 (900006), 2021Q3 (900005).
"""

from __future__ import annotations

import pytest

from dashboard.callbacks import link_alert
from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.link_checks import link_notes
from tests.dashboard.helpers import text_of

KRATOM_PT = "no kratom case in this database has the preferred term"
RECEIVED = "(received dates run 2012Q2–2021Q4)"
NOT_APPLIED = "not applied: this page counts every FAERS case (population=all)"


@pytest.mark.parametrize(
    ("query", "path", "notes"),
    [
        ("pt=Notaterm", "/", [f"{KRATOM_PT} 'Notaterm'"]),
        ("pt=death&pt=Rash", "/events", [f"{KRATOM_PT} 'Rash'"]),  # Rash: background only
        ("population=all&pt=Rash", "/", []),
        ("population=all&pt=Rash", "/trends", [f"{KRATOM_PT} 'Rash'"]),  # kratom cases there
        (
            "population=all&pt=Notaterm",
            "/cases",
            ["no case in this database has the preferred term 'Notaterm'"],
        ),
        (
            "substance=unobtainium&substance=Fentanyl",
            "/",
            ["no kratom case in this database is co-reported with 'unobtainium'"],
        ),
        (
            "country=ZZ&country=US&country=unknown",
            "/",
            ["no kratom case in this database has the country 'ZZ'"],
        ),
        ("country=CA", "/", ["no kratom case in this database has the country 'CA'"]),
        ("population=all&country=CA", "/", []),
        (
            "population=all&country=ZZ",
            "/",
            ["no case in this database has the country 'ZZ'"],
        ),
        ("from=2030Q1", "/", [f"no case in this database was received 2030Q1 or later {RECEIVED}"]),
        (
            "from=2014Q1&to=2015Q4",
            "/",
            [f"no case in this database was received 2014Q1–2015Q4 {RECEIVED}"],
        ),
        ("to=2012Q1", "/", [f"no case in this database was received 2012Q1 or earlier {RECEIVED}"]),
        (
            "date=event&to=2011Q4",
            "/",
            [
                "no case in this database has an event date 2011Q4 or earlier (event dates run "
                "2012Q1–2021Q3)"
            ],
        ),
        ("date=event&from=2021Q3", "/", []),
        ("from=2021Q4&to=2030Q1", "/", []),
        ("kratom_only=true&population=all", "/", [f"'kratom_only=true' {NOT_APPLIED}"]),
        ("kratom_only=true&population=all", "/cases", [f"'kratom_only=true' {NOT_APPLIED}"]),
        ("kratom_only=true&population=all", "/trends", []),  # applied there
        ("kratom_only=true", "/", []),
        (
            "population=all&role=primary&product=extract&substance=fentanyl",
            "/events",
            [
                f"'role=primary', 'product=extract' {NOT_APPLIED}, and its co-exposure filter "
                "keeps kratom cases in any role"
            ],
        ),
        ("", "/", []),
        ("sex=F&pt=Death&substance=alcohol&country=US&from=2012Q1", "/", []),
    ],
)
def test_link_notes(model_db, query, path, notes):
    f, ignored = Filters.from_query(query)
    assert ignored == []  # every value is well-formed: the shell's other note says nothing
    assert link_notes(Database(model_db), f, path) == notes


def test_the_note_under_the_sentence():
    assert link_alert([]) is None
    alert = link_alert(["no case in this database has the country 'ZZ'", "b"])
    assert text_of(alert.children[0]) == "Note: "
    assert alert.children[1:] == ["no case in this database has the country 'ZZ'; b", "."]


def test_a_filter_change_asks_no_query(model_db, monkeypatch):
    """The lists are read once per file (the quarters once per date field and set of sources):
    after the first links, other values ask nothing."""
    db = Database(model_db)
    every = "pt=Notaterm&substance=x&country=ZZ&from=2030Q1"
    for query in (every, every + "&date=event", "population=all&" + every):
        link_notes(db, Filters.from_query(query)[0], "/")
    asked = []
    for name in ("query", "scalar"):
        real = getattr(db, name)
        monkeypatch.setattr(db, name, lambda *a, _real=real, **k: asked.append(a) or _real(*a, **k))
    notes = link_notes(db, Filters.from_query("pt=Rash&country=CA&to=2001Q1")[0], "/events")
    notes += link_notes(db, Filters.from_query("population=all&pt=Other")[0], "/cases")
    assert len(notes) == 4 and asked == []
