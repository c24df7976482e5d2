"""Reading a URL query into Filters values: strict decoding, caps, and one note per ignored part."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote_to_bytes

from dashboard.filter_codes import MAX_NOTES, MAX_QUERY_CHARS, MAX_VALUE_CHARS, MAX_VALUES
from dashboard.filter_params import BY_KEY, as_text, encode

_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def read_query(query: str | Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The valid values of a URL query (string or mapping) by Filters field, and one note per
    ignored part (not yet capped: see `capped`)."""
    notes: list[str] = []
    values: dict[str, Any] = {}
    budget = MAX_QUERY_CHARS
    for key, raw, problem in _pairs(query, notes):
        if problem:
            notes.append(problem)
            continue
        budget -= _accept(key, raw.strip(), values, budget, notes)
    _drop_reversed_dates(values, notes)
    return values, notes


def _show(text: str, limit: int = 40) -> str:
    """A value as it may safely appear in a note: shortened, control characters escaped."""
    short = text if len(text) <= limit else text[:limit] + "…"
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in short)


def shown(text: str) -> str:
    """A value as a note shows it: shortened to 40 characters, control characters escaped."""
    return _show(text)


def ignored(key: str, value: str, why: str) -> str:
    """A note as every ignored parameter gets it: `ignored 'key=value': why` (value shortened)."""
    return f"ignored '{_show(key)}={_show(value)}': {why}"


def _cut_note(rest: str) -> str:
    first = rest.lstrip("&").split("&", 1)[0]
    over = f"over {MAX_QUERY_CHARS:,} characters"
    return f"ignored '{_show(first)}' and the rest of the query: {over}"


def _pairs(query: str | Mapping[str, Any], notes: list[str]) -> list[tuple[str, str, str | None]]:
    """(key, value, problem) of a query string or mapping, cut at MAX_QUERY_CHARS.

    `problem` is a note when the pair cannot be read (then key and value are empty).
    """
    if isinstance(query, Mapping):
        flat = []
        for key, value in query.items():
            items = value if isinstance(value, list | tuple) else [value]
            flat += [(str(key), str(item)) for item in items if item is not None]
        kept: list[tuple[str, str, str | None]] = []
        used = 0
        for key, value in flat:
            used += len(key) + len(value) + 2
            if used > MAX_QUERY_CHARS:
                notes.append(_cut_note(f"{key}={value}"))
                break
            kept.append((key, value, None))
        return kept
    text = str(query).removeprefix("?")
    if len(text) > MAX_QUERY_CHARS:
        head = text[: MAX_QUERY_CHARS + 1]
        cut = head.rfind("&") if "&" in head else 0
        notes.append(_cut_note(text[cut:]))
        text = text[:cut]
    return [_pair(part) for part in text.split("&") if part]


def _pair(part: str) -> tuple[str, str, str | None]:
    """One `key=value` of a query string, decoded strictly (percent-escapes, then UTF-8)."""
    key, _, value = part.partition("=")
    try:
        return _decode(key), _decode(value), None
    except ValueError as exc:
        return "", "", f"ignored '{_show(part)}': {exc}"


def _decode(text: str) -> str:
    """Form decoding ('+' is a space) that refuses what a replacement character would hide."""
    text = text.replace("+", " ")
    if _BAD_ESCAPE.search(text):
        raise ValueError("malformed percent-encoding")
    try:
        return unquote_to_bytes(text).decode("utf-8")
    except UnicodeError:  # UnicodeEncodeError (lone surrogates) or UnicodeDecodeError
        raise ValueError("not valid UTF-8") from None


def _accept(key: str, value: str, values: dict[str, Any], budget: int, notes: list[str]) -> int:
    """Store one parameter in `values` when valid; returns the link characters it used."""
    param = BY_KEY.get(key)
    shown = f"'{_show(key)}={_show(value)}'"
    if param is None:
        notes.append(f"ignored {shown}: unknown parameter")
        return 0
    if not value:
        return 0
    if len(value) > MAX_VALUE_CHARS:
        notes.append(f"ignored {shown}: longer than {MAX_VALUE_CHARS} characters")
        return 0
    try:
        parsed = param.parse(value)
    except ValueError as exc:
        notes.append(f"ignored {shown}: {exc}")
        return 0
    current = values.get(param.field, [])
    if (param.many and parsed in current) or (not param.many and param.field in values):
        if not param.many:
            notes.append(f"ignored {shown}: '{key}' was already given")
        return 0
    if param.many and len(current) >= MAX_VALUES:
        notes.append(f"ignored {shown}: at most {MAX_VALUES} '{key}' values")
        return 0
    cost = len(encode([(key, as_text(parsed))])) + 1
    if cost > budget:
        notes.append(f"ignored {shown}: the link would be over {MAX_QUERY_CHARS:,} characters")
        return 0
    values[param.field] = [*current, parsed] if param.many else parsed
    return cost


def _drop_reversed_dates(values: dict[str, Any], notes: list[str]) -> None:
    start, end = values.get("date_from"), values.get("date_to")
    if start and end and start > end:
        notes.append(f"ignored 'from={start}' and 'to={end}': the start is after the end")
        del values["date_from"], values["date_to"]


def capped(notes: list[str]) -> list[str]:
    unique = list(dict.fromkeys(notes))
    if len(unique) <= MAX_NOTES:
        return unique
    return [*unique[:MAX_NOTES], f"… and {len(unique) - MAX_NOTES} more ignored parameters"]
