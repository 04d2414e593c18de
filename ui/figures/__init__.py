"""Plotly figure builders: NumPy arrays in, ``plotly.graph_objects.Figure`` out, no streamlit.

Every builder takes ``font_size`` (classroom mode passes ~24) and ``height`` (None → a default
that grows with the matrix and the font). Bad arguments raise ``ValueError`` naming them.
"""

from .jacobian import jacobian_heatmap
from .layer import layer_derivative_figure
from .output import output_bars
from .sparsity import dz_dw_pattern

__all__ = ["dz_dw_pattern", "jacobian_heatmap", "layer_derivative_figure", "output_bars"]
