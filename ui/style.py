"""The page's own CSS on every page, and classroom mode's on top, injected by the shell (app.py) once per run."""

from __future__ import annotations

import re

import streamlit as st

from . import classroom
from .figures.common import palette
from .section import STACKED, theme
from .state import LayerState
from .viewport import NARROW_MAIN_PX

_CSS = """<style>
/* A formula wider than the screen scrolls sideways instead of being cut off mid-number (phones).
   A soft shadow marks the side it goes on: page-coloured covers scroll with the formula (local)
   and hide each shadow (fixed to the box) once that end is reached. */
[data-testid="stMarkdownContainer"] .katex-display {
  overflow-x: auto; overflow-y: hidden;
  background:
    linear-gradient(to right, PAGE 30%, PAGE00) left / 2.5rem 100% no-repeat local,
    linear-gradient(to left, PAGE 30%, PAGE00) right / 2.5rem 100% no-repeat local,
    radial-gradient(farthest-side at 0 50%, SHADE, transparent) left / 0.9rem 100% no-repeat scroll,
    radial-gradient(farthest-side at 100% 50%, SHADE, transparent) right / 0.9rem 100% no-repeat scroll;
}
/* One too wide for its box breaks where TeX would (after a top-level =, + or −, or at \allowbreak)
   before it scrolls: a 1024 px laptop, a 1280 px projector, a tablet. KaTeX already splits a formula
   there; only display mode's nowrap kept it on one line. A matrix or fraction cannot break: it scrolls. */
[data-testid="stMarkdownContainer"] .katex-display > .katex { white-space: normal; }
/* Room between such lines: a fraction's foot touched the next line's numerator. */
[data-testid="stMarkdownContainer"] .katex-display .katex-html > .base { margin-block: 0.2em; }
/* On a callout's own colour the page-coloured covers would show: no shadows there. */
[data-testid="stAlert"] .katex-display { background: none; }
/* Where the main column is narrower than a desktop's plan (a tablet with its sidebar open, a half-screen
   window: the page is then planned narrow, ui/viewport.py) its columns stack as on a phone;
   side by side they were ~200 px, and the formulas and charts planned for a phone's 358 px scrolled.
   A container query, not a media query: the sidebar takes the window's width from the column. */
[data-testid="stMainBlockContainer"] { container-type: inline-size; }
@container (width < NARROWpx) { [data-testid="stColumn"] { STACKED; } }
/* A metric's label wraps instead of ending in "…": three in a row on a 1024 px laptop cut
   "max |product − shortcut|" to "max |product − s…". */
[data-testid="stMetricLabel"] * {
  white-space: normal !important; text-overflow: clip !important; overflow: visible !important;
}
/* A page link's label wraps instead of ending in "…": a question must be read whole on a phone. */
[data-testid="stPageLink-NavLink"] p { white-space: normal; }
/* So does a button's: at 1024 px "Next: 7 · The blog's numbers, che…" and "Play N…" were cut. */
[data-testid^="stBaseButton"] [data-testid="stMarkdownContainer"] {
  white-space: normal; text-overflow: clip; overflow: visible;
}
[data-testid^="stBaseButton"] [data-testid="stMarkdownContainer"] p { white-space: normal; }
/* Previous / Next carry an arrow icon; Streamlit's key hint after the label read as a second arrow
   ("← Previous: 5 · … ←"). The key is named in the button's tooltip instead. */
[data-testid^="stBaseButton"] kbd { display: none; }
/* An unchosen radio's ring was 1.4:1 on the light page, washed out by a projector: 3:1 at least,
   as a control's outline needs (WCAG 1.4.11). A chosen one keeps Streamlit's look. */
[data-testid="stRadioOption"]:has(input:not(:checked)) > div > div:first-child { border-color: RING; }
</style>"""
_COMMENT = re.compile(r"/\*.*?\*/\s*", re.S)  # for the reader of this file, not sent on every run
# The layout's spaces: none around { } ; > or after : and , (a space before ":" can mean a descendant),
# else one where one separates words.
_AIR = re.compile(r"\s*([{};>])\s*|([:,])\s+|\s+")


def _minified(css: str) -> str:
    return _AIR.sub(lambda m: m.group(1) or m.group(2) or " ", _COMMENT.sub("", css)).strip()


# What does not depend on the run (comments and layout gone, the widths in), made once.
_SENT = _minified(_CSS).replace("NARROW", str(NARROW_MAIN_PX)).replace("STACKED", STACKED)
# The edge shadow: dark on the light page, light on the dark one.
_SHADE = {"light": "rgba(0,0,0,0.22)", "dark": "rgba(255,255,255,0.25)"}
# An unchosen radio's ring: 3.9:1 on the light page, 4.9:1 on the dark one.
_RING = {"light": "#86817b", "dark": "#8a857f"}


def css(state: LayerState, scheme: str) -> str:
    """The page's CSS for the colour ``scheme`` ("light" or "dark"), with classroom mode's when it is on."""
    page = palette(scheme).page  # a "#rrggbb": "#rrggbb00" is the same colour, transparent
    themed = _SENT.replace("PAGE", page).replace("SHADE", _SHADE[scheme]).replace("RING", _RING[scheme])
    return themed + (classroom.CSS if state.classroom else "")


def apply(state: LayerState) -> None:
    st.html(css(state, theme()))
