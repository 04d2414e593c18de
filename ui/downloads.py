"""An "Export" menu beside a matrix or figure: CSV, LaTeX and standalone HTML downloads.

The files themselves come from ``ui.export`` (pure). Each download's ``data`` is a callable,
so nothing is generated until the button is clicked (an HTML figure inlines ~4 MB of
plotly.js); Streamlit runs it on another thread, so it must not touch ``st``. ``on_click="ignore"``
keeps a download from rerunning the app.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from . import export

# Above this many entries the LaTeX is offered as a download only: st.code would send it on every rerun.
LATEX_PREVIEW_MAX_ENTRIES = 400


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_") or "export"


def export_menu(
    name: str,
    *,
    matrix=None,
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
    fig: go.Figure | None = None,
    key: str | None = None,
    digits: int = 4,
) -> None:
    """Draw an "Export" popover with download buttons for ``matrix`` and/or ``fig``.

    ``name`` is the file stem ("jacobian" → jacobian.csv, jacobian.tex, jacobian.html).
    ``matrix``: (R, C) or a vector (R,) shown as a column; labels as in ``export.matrix_frame``.
    ``key`` must be unique on the page when ``name`` repeats; widget keys derive from it.
    """
    if matrix is None and fig is None:
        raise ValueError("export_menu needs a matrix, a figure, or both")
    stem = _slug(name)
    base = f"export_{_slug(key) if key else stem}"
    # Freeze the numbers now: the callables run after this script run has moved on.
    M = None if matrix is None else np.array(matrix, dtype=float, copy=True)
    rows = None if row_labels is None else list(row_labels)
    cols = None if col_labels is None else list(col_labels)

    with st.popover("Export", icon=":material/download:", key=f"{base}_menu"):
        if M is not None:
            st.download_button(
                "CSV",
                data=lambda: export.to_csv(M, rows, cols),
                file_name=f"{stem}.csv",
                mime="text/csv",
                key=f"{base}_csv",
                on_click="ignore",
                icon=":material/table:",
                help="Every number at full precision, with row and column labels.",
            )
            st.download_button(
                "LaTeX (bmatrix)",
                data=lambda: export.to_latex_bmatrix(M, digits) + "\n",
                file_name=f"{stem}.tex",
                mime="text/x-tex",
                key=f"{base}_tex",
                on_click="ignore",
                icon=":material/functions:",
                help=f"Rounded to {digits} decimals; needs amsmath.",
            )
            if M.size <= LATEX_PREVIEW_MAX_ENTRIES:
                st.code(export.to_latex_bmatrix(M, digits), language="latex")
            else:
                st.caption(f"{M.shape[0]} × {M.size // M.shape[0]} is too large to preview; download the .tex file.")
        if fig is not None:
            st.download_button(
                "HTML (standalone figure)",
                data=lambda: export.figure_html(fig),
                file_name=f"{stem}.html",
                mime="text/html",
                key=f"{base}_html",
                on_click="ignore",
                icon=":material/public:",
                help="An interactive page that works offline (plotly.js inlined, about 4 MB).",
            )
