"""The words of the poison-center figures: short source names, periods, figures as published,
legend names and hover text. Nothing is computed: a figure reads as its source printed it."""

from __future__ import annotations

import datetime as dt
import re
import textwrap

THIRD_PARTY = "(third-party restatement)"
# The committed rows' own notes to whoever enters data (docs/poison-centers.md): a citation
# without a recorded title describes its source as "[description: ...; title not recorded in
# the reference notes]", and a figure of no named group has its population end in
# GROUP_NOT_STATED. The rows stay as entered; the page shows them in plain words.
_DESCRIPTION = re.compile(
    r"\[description: (?P<what>[^\]]*?)(?:; (?P<missing>[^;\]]*?) not recorded in the reference "
    r"notes)?\]"
)
GROUP_NOT_STATED = "(group not stated in the checked notes)"
GROUP_NOT_STATED_SHOWN = "(subgroup not stated)"
NO_LINK = "no link available"  # after a citation without a recorded link, as " — no link…"
_AUTHOR = re.compile(r"^([A-Z][\w'’-]+)(?: [A-Z]{1,3}[,.]| et al\.)")
_YEAR = re.compile(r"(?:19|20)\d\d")
_QUALIFIERS = {"about": "about ", "at_least": "≥ "}
_STATISTICS = {"odds_ratio": "OR", "adjusted_odds_ratio": "adjusted OR"}


def source_label(source_id: str, citation: str, publisher: str) -> str:
    """A short name for legends: 'Anwar et al. 2016', else the publisher (or the first word of
    the source id, when the publisher is not a name) and the year."""
    year = _YEAR.search(source_id or "") or _YEAR.search(citation or "")
    year_text = f" {year.group(0)}" if year else ""
    author = _AUTHOR.match(citation or "")
    if author:
        return f"{author.group(1)} et al.{year_text}"
    if publisher and publisher[0].isupper():
        return f"{_abbreviated(publisher)}{year_text}"
    return f"{(source_id or 'unnamed').split('_')[0].title()}{year_text}"


def citation_text(citation: str) -> str:
    """A citation as the page shows it: a description in square brackets as plain text, with
    what the reference does not give said as not available ('Reich et al. Kratom cases,
    British Columbia, 2012–2019 (title not available). CMAJ Open 2022.'). Nothing invented."""

    def plain(m: re.Match) -> str:
        what = m["what"][:1].upper() + m["what"][1:]
        return f"{what} ({m['missing']} not available)" if m["missing"] else what

    return _DESCRIPTION.sub(plain, citation or "")


def population_text(population: str) -> str:
    """A population as the page shows it: 'kratom/7-OH reports (subgroup not stated)' where the
    source, as read, does not say which of its counts the figure is of."""
    return (population or "").replace(GROUP_NOT_STATED, GROUP_NOT_STATED_SHOWN)


def _abbreviated(name: str) -> str:
    """'Texas DSHS' for 'Texas Department of State Health Services'; short names unchanged."""
    words = name.split()
    if len(name) <= 30:
        return name
    return words[0] + " " + "".join(w[0] for w in words[1:] if w[0].isupper())


def period_text(start: dt.date, end: dt.date) -> str:
    """'2015', '2010–2015', 'Jan 2016–Jun 2020' (whole months) or '1 Jan–27 Aug 2025'."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    whole_months = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    form = "%b %Y" if whole_months else "%-d %b %Y"
    first = start.strftime(form.removesuffix(" %Y") if start.year == end.year else form)
    return f"{first}–{end.strftime(form)}"


def published_text(row: dict) -> str:
    """The figure exactly as published: '496 of 660 (75.2%)', 'about 60%', '≥ 1 of 3', 'OR 2.8'."""
    qualifier = _QUALIFIERS.get(row.get("qualifier") or "", "")
    count, percent, denominator = row.get("count"), row.get("percent"), row.get("denominator")
    if row.get("statistic"):
        name = _STATISTICS.get(row["statistic"], row["statistic"].replace("_", " "))
        text = f"{name} {row.get('estimate'):g}"
        if row.get("statistic") == "percent_change":
            text = f"{row.get('estimate'):+g}% change"
        if row.get("ci_lower") is not None:
            # the interval's level is not recorded (docs/poison-centers.md): no "95%"
            text += f" (CI {row['ci_lower']:g}–{row['ci_upper']:g})"
        return qualifier + text
    parts = []
    if count is not None:
        parts.append(f"{count:,}" + (f" of {denominator:,}" if denominator is not None else ""))
    if percent is not None:
        pct = f"{percent:g}%"
        parts.append(f"({pct})" if parts else pct)
    return qualifier + " ".join(parts)


def series_name(row: dict) -> str:
    """Legend name of a series: its source and what it counts (where: on hover)."""
    label = source_label(row["source_id"], row["citation"], row["publisher"])
    return f"{label}, {row['unit']}"


def hover_text(row: dict) -> str:
    source = source_label(row["source_id"], row["citation"], row["publisher"])
    period = period_text(row["period_start"], row["period_end"])
    lines = [f"<b>{source}</b>", f"{row['geography']}, {period}: {published_text(row)} "]
    lines[-1] += row["unit"]
    if not row.get("is_calendar_year"):
        lines.append("total over the whole period, not per year")
    if row.get("verification") == "V-3p":
        lines.append(THIRD_PARTY)
    if row.get("method_note"):
        lines.append("<br>".join(textwrap.wrap(row["method_note"], 60)))
    return "<br>".join(lines)
