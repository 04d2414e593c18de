"""Classroom mode: the same pages, readable from the back of a lecture hall.

Controls are hidden (the sidebar is collapsed away), type is large, and each figure is
tall enough to fill a projected screen on its own. Figure builders take ``font_size`` and
``height``; pages ask this module for both so one switch changes every figure.
"""

from __future__ import annotations

from .figures.common import figure_axes
from .state import LayerState

FONT_NORMAL = 14
FONT_LARGE = 24
# A 1080p projector shows ~900 px of page below the browser chrome; one figure per screen.
SCREEN_HEIGHT = 820

# The page's type in classroom mode (its CSS's root font size): Streamlit sizes in rem, and so does
# ``streamlit_look``.
PAGE_PX = 22.0

# Injected by ui.style with the page's own CSS when the mode is on. Widgets' typed values (a select's,
# a number's) grow with the text, and so do captions and help icons (Streamlit sizes them in px, so
# they stayed at 14 px); a slider's value hangs from its top, so in large type it sat on the thumb: it
# stands on the thumb instead.
CSS = """
<style>
section[data-testid="stSidebar"], div[data-testid="stSidebarCollapsedControl"],
button[data-testid="stExpandSidebarButton"] { display: none !important; }
html, body, [data-testid="stAppViewContainer"] { font-size: PAGE_PXpx; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.25rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 2.4rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.1rem !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { font-size: 1.05rem !important; }
[data-testid="stTooltipIcon"] svg { width: 1.1rem; height: 1.1rem; }
[data-testid="stMain"] input, [data-testid="stMain"] textarea { font-size: 1.1rem !important; }
[data-testid="stTable"] th, [data-testid="stTable"] td { font-size: 1.1rem !important; }
[data-testid="stSliderThumbValue"] { top: auto !important; bottom: 100%; }
.katex { font-size: 1.45em !important; }
.block-container, [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding-top: 5rem !important; }
</style>
""".replace("PAGE_PX", f"{PAGE_PX:g}")


def enabled(state: LayerState) -> bool:
    return bool(state.classroom)


def font_size(state: LayerState) -> int:
    """Base font size (px) for figures: large when projecting."""
    return FONT_LARGE if state.classroom else FONT_NORMAL


def figure_height(state: LayerState, default: int) -> int:
    """A figure's height in px: its usual ``default``, or a full screen in classroom mode."""
    return max(default, SCREEN_HEIGHT) if state.classroom else default


def large_axes(spec: dict, size: int) -> dict:
    """A figure dict whose every axis has tick labels and titles of ``size`` px, and no text smaller.

    Axes are those named in the layout and those the traces refer to ("x2" → "xaxis2"). Every
    other font in the figure (subtitles, annotations, cell numbers, colour bars, legends) is
    raised to at least ``size``: from the back of a hall nothing smaller reads.
    """
    _floor_fonts(spec, size)
    for axis in figure_axes(spec):
        axis["tickfont"] = {**axis.get("tickfont", {}), "size": size}
        axis["title"]["font"] = {**axis["title"].get("font", {}), "size": size}
    return spec


def _floor_fonts(node, size: int) -> None:
    """Every ``font``/``tickfont``/``textfont`` dict under ``node`` gets a size of at least ``size``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("font", "tickfont", "textfont") and isinstance(value, dict):
                current = value.get("size")
                if not isinstance(current, (int, float)) or current < size:
                    value["size"] = size
            elif key not in ("frames",):
                _floor_fonts(value, size)
    elif isinstance(node, list):
        for item in node:
            _floor_fonts(item, size)
