"""One check shared by the figures' tests: a colour bar laid under the lowest axis (a phone)."""

from __future__ import annotations

from ui.figures.common import DESKTOP_FIGURE_WIDTH, FLAT_BAR_ROOM


def assert_under_axis(fig, bar, font_size: int = 14) -> None:
    """``bar`` is horizontal with its title above, under the plot and its axis, inside ``fig``."""
    layout = fig.layout
    plot = layout.height - layout.margin.t - layout.margin.b
    assert bar.orientation == "h" and bar.title.side == "top" and bar.len == 1
    assert bar.y < 0 and -bar.y * plot + FLAT_BAR_ROOM * font_size <= layout.margin.b


def assert_placed_for(width: int, fig, bar, font_size: int = 14) -> None:
    """Planned for ``width``: ``bar`` upright beside the plot on a desktop, as it always was; under
    the axis on a phone (``assert_under_axis``)."""
    if width >= DESKTOP_FIGURE_WIDTH:
        assert bar.orientation != "h"
    else:
        assert_under_axis(fig, bar, font_size)
