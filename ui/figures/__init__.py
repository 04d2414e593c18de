"""Plotly figure builders: NumPy arrays in, ``plotly.graph_objects.Figure`` out, no streamlit.

Every builder takes ``font_size`` (classroom mode passes ~24) and ``height`` (None → a default
that grows with the matrix and the font).
"""

from .jacobian import jacobian_heatmap

__all__ = ["jacobian_heatmap"]
