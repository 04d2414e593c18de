"""The page's own CSS on every page, and classroom mode's on top, injected by the shell (app.py) once per run."""

from __future__ import annotations

import streamlit as st

from . import classroom
from .state import LayerState

_CSS = """<style>
/* A formula wider than the screen scrolls sideways instead of being cut off mid-number (phones). */
[data-testid="stMarkdownContainer"] .katex-display { overflow-x: auto; overflow-y: hidden; }
/* A page link's label wraps instead of ending in "…": a question must be read whole on a phone. */
[data-testid="stPageLink-NavLink"] p { white-space: normal; }
</style>"""


def apply(state: LayerState) -> None:
    st.html(_CSS + (classroom.CSS if state.classroom else ""))
