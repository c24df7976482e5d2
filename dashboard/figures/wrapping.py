"""Text broken into even lines that fit a width: plotly wraps neither titles, subtitles nor
annotations, so the figures break their text themselves (`<br>`), never cutting a word."""

from __future__ import annotations

import textwrap

TEXT_EM = 0.5  # a generous average character width of the house font, in ems
SUBTITLE_SIZE = 12  # the house's small type (subtitles), in px


def balanced_lines(text: str, width: int) -> list[str]:
    """`text` in as few lines of at most `width` characters as it needs, made as even as
    possible ('No cases match', 'these filters', not 'No cases match these', 'filters'), never
    cutting a word ('Psychiatric', 'and mood', not 'Psychiatri', 'c and mood'): a word longer
    than `width` keeps a line of its own, whole (a phone's panel titles read "Cardiovascular",
    not "Cardiov / ascular")."""
    lines = textwrap.wrap(text, width, break_long_words=False)
    shortest = -(-len(text) // max(len(lines), 1))
    for narrower in range(shortest, width):
        even = textwrap.wrap(text, narrower, break_long_words=False)
        if len(even) == len(lines):
            return even
    return lines


def line_chars(px: float, size: float) -> int:
    """How many characters of `size` px type a line `px` wide holds (never fewer than 8)."""
    return max(8, int(px / (TEXT_EM * size)))


def wrap_text(text: str, px: float, size: float = SUBTITLE_SIZE) -> str:
    """`text` broken into even lines (`<br>`) that fit `px` at `size` px; unchanged if it fits."""
    return "<br>".join(balanced_lines(text, line_chars(px, size)))
