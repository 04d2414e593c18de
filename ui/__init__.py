"""Streamlit- and Plotly-facing code shared by the pages. Imports point one way: pages → ui → core."""
