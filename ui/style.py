"""The page's own CSS on every page, injected by the shell (app.py) once per run."""

from __future__ import annotations

import streamlit as st

_CSS = """<style>
/* A formula wider than the screen scrolls sideways instead of being cut off mid-number (phones). */
[data-testid="stMarkdownContainer"] .katex-display { overflow-x: auto; overflow-y: hidden; }
/* A page link's label wraps instead of ending in "…": a question must be read whole on a phone. */
[data-testid="stPageLink-NavLink"] p { white-space: normal; }
</style>"""


def apply() -> None:
    st.html(_CSS)
