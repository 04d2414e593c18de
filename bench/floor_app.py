"""The framework floor for bench/load.py: one slider driving two tiny Plotly charts.

A rerun of this costs what Streamlit itself costs (script run, deltas, websocket), so the Explorer's load
numbers are read against it: whatever the Explorer adds on top is ours to optimise, the floor is not.

With ``FLOOR_FROZEN=1`` in its environment it also does what the Explorer does once per process
(``ui.runtime``): hide the objects alive after its first run from the garbage collector, whose full
collection after every run (Streamlit's ``runner.postScriptGC``) is most of this app's CPU per move.
"""

import gc
import os

import plotly.graph_objects as go
import streamlit as st

x = st.slider("x", -3.0, 3.0, 0.0, step=0.01, key="x")
for name, ys in (("a", [x, 1.0, 2.0]), ("b", [2.0, -x, 1.0])):
    st.plotly_chart(go.Figure(go.Bar(x=["p", "q", "r"], y=ys)), key=f"chart_{name}")

if os.environ.get("FLOOR_FROZEN") == "1":  # defined only here: the plain floor does nothing more per run

    @st.cache_resource  # once per process
    def freeze_startup_objects() -> None:
        gc.collect()
        gc.freeze()

    freeze_startup_objects()
