"""The window figures are laid out for: the narrowest chart of the page's widths, or a phone's.

The server cannot see the window: `dashboard/viewport.py` reads the browser's cookie before each
request into `set_phone`, and the figure helpers ask `for_phone` and the `narrowest_*` widths
(docs/dashboard.md, "Widths"). No Dash and no plotly here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# The narrowest chart the layout gives (docs/dashboard.md, "Widths"): a full-width chart card in
# a 768 px window, where the filter panel sits above the page. Text plotly cannot shrink or wrap
# (subtitles, panel titles) is broken into lines that fit it, and a long axis gets no more tick
# labels than fit it upright; wider windows only leave these more room.
NARROW_FIGURE_PX = 720
NARROW_PLOT_PX = 600  # its plot area: less the axis labels' margin and the toolbar's
# A phone's window (under 600 px; the browser says so, dashboard/viewport.py) gets figures laid
# out for a full-width card in a 360 px window, the narrowest phone in common use.
PHONE_FIGURE_PX = 330
PHONE_PLOT_PX = 250
TOOLBAR_PX = 40  # the vertical toolbar at a figure's right edge (the template's right margin)
_PHONE: ContextVar[bool] = ContextVar("phone_window", default=False)


def for_phone() -> bool:
    """Whether the figures being built are for a phone's window (`dashboard.viewport`)."""
    return _PHONE.get()


def set_phone(phone: bool) -> None:
    """Lay the figures built from now on in this context out for a phone's window, or not."""
    _PHONE.set(phone)


@contextmanager
def phone_layout(phone: bool = True) -> Iterator[None]:
    """Within the block, figures are laid out for a phone's window (tests, benchmarks)."""
    token = _PHONE.set(phone)
    try:
        yield
    finally:
        _PHONE.reset(token)


def narrowest_figure_px() -> int:
    """The narrowest figure of the window drawn for: 720 px, or 330 px on a phone."""
    return PHONE_FIGURE_PX if for_phone() else NARROW_FIGURE_PX


def narrowest_plot_px() -> int:
    """The narrowest plot area of the window drawn for: 600 px, or 250 px on a phone."""
    return PHONE_PLOT_PX if for_phone() else NARROW_PLOT_PX
