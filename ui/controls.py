"""Sidebar controls shared by every page. (Placeholder: the Explorer work replaces this.)"""

from __future__ import annotations

import streamlit as st

from .state import LayerState


def sidebar_controls(state: LayerState) -> LayerState:
    """Draw the sidebar controls for x, W and T; return the state they describe."""
    with st.sidebar:
        T = st.slider("Temperature T", 0.1, 10.0, float(state.temperature), 0.1)
    return state.with_values(temperature=T)
