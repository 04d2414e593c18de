"""Plotly figure builders shared by several pages: NumPy arrays in, ``plotly.graph_objects.Figure`` out.

No streamlit. Every builder takes ``font_size`` (classroom mode passes ~24) and ``height`` (None:
a default that grows with the matrix and the font). Bad arguments raise ``ValueError`` naming them.
"""
