"""Figures for the Derivation page: arrays in, plotly Figure out (no streamlit)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ui.figures.common import apply_base_layout

ERROR_COLOUR = "#0072b2"  # Okabe–Ito blue: the measured error
REFERENCE_COLOUR = "#999999"  # the ε² reference line
CHOSEN_COLOUR = "#d55e00"  # Okabe–Ito vermillion: the ε on the slider


def nudge_error_figure(
    eps: np.ndarray, errors: np.ndarray, chosen: float, *, font_size: int = 14, height: int | None = None
) -> go.Figure:
    """|measured − predicted| against ε on log-log axes, with an ε² reference line and the chosen ε marked.

    eps: (E,) nudge sizes, positive; errors: (E,) max_t |Δp_t measured − (dp_t/dW)·ε| at each ε;
    chosen: the slider's ε (one of ``eps``). Errors of exactly 0 (below rounding) are left out.
    """
    eps = np.asarray(eps, dtype=float)
    errors = np.asarray(errors, dtype=float)
    if eps.shape != errors.shape or eps.ndim != 1 or not (eps > 0).all():
        raise ValueError(f"eps and errors must be (E,) with eps > 0, got {eps.shape} and {errors.shape}")
    shown = errors > 0
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=eps[shown],
            y=errors[shown],
            mode="lines+markers",
            name="|measured − predicted|",
            line={"color": ERROR_COLOUR, "width": 3},
            hovertemplate="ε = %{x:.0e}: |measured − predicted| = %{y:.3g}<extra></extra>",
        )
    )
    # ε² through the point at the largest ε that is well above rounding: slope 2 on log-log axes.
    anchor = int(np.argmax(eps))
    if shown[anchor]:
        fig.add_trace(
            go.Scatter(
                x=eps,
                y=errors[anchor] * (eps / eps[anchor]) ** 2,
                mode="lines",
                name="∝ ε² (slope 2)",
                line={"color": REFERENCE_COLOUR, "dash": "dash"},
                hoverinfo="skip",
            )
        )
    k = int(np.argmin(np.abs(np.log(eps) - np.log(chosen))))
    if shown[k]:
        fig.add_trace(
            go.Scatter(
                x=[eps[k]],
                y=[errors[k]],
                mode="markers",
                name=f"your ε = {eps[k]:g}",
                marker={"color": CHOSEN_COLOUR, "size": 14, "symbol": "diamond"},
                hovertemplate="your ε = %{x:g}: %{y:.3g}<extra></extra>",
            )
        )
    apply_base_layout(fig, title="The error shrinks like ε²", font_size=font_size, height=height)
    fig.update_xaxes(type="log", title_text="ε (log scale)", exponentformat="power")
    fig.update_yaxes(type="log", title_text="max |measured − predicted|", exponentformat="power")
    fig.update_layout(legend={"orientation": "h", "y": -0.3})
    return fig
