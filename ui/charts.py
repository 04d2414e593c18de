"""Drawing a Plotly figure on a page: one place for the toolbar config and classroom sizing."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from . import classroom, session

# Plotly's toolbar gives the PNG export; scale 2 keeps it sharp on slides.
CHART_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def show(fig: go.Figure, *, key: str, on_click: Callable[[], None] | None = None) -> None:
    """Draw ``fig`` full width. In classroom mode, tick labels and axis titles are enlarged too.

    Streamlit's chart theme sets its own tick font size, which beats the figure's base font,
    so the large type of classroom mode has to be written on the axes themselves.
    ``on_click``: called (as a widget callback) when a point of the chart is clicked; the
    selection is in ``st.session_state[key]``.
    """
    state = session.current_state()
    if classroom.enabled(state):
        size = classroom.font_size(state)
        fig.update_xaxes(tickfont_size=round(size * 0.8), title_font_size=size)
        fig.update_yaxes(tickfont_size=round(size * 0.8), title_font_size=size)
    if on_click is None:
        st.plotly_chart(fig, key=key, config=CHART_CONFIG, width="stretch")
    else:
        st.plotly_chart(fig, key=key, config=CHART_CONFIG, width="stretch", on_select=on_click,
                        selection_mode="points")
