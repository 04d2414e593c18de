"""dp/dW with its K·n weight columns in either flattening order (the Conventions page).

The shared builders cover ∂z/∂W in both orders (``sparsity.dz_dw_pattern``); this one shows
that the layer derivative's columns permute the same way while the numbers stay put.
"""

from __future__ import annotations

import numpy as np

import core
from ui.figures.common import (
    BLOCK_LABELS,
    DIVERGING,
    Fig,
    bar_under_axis,
    base_layout,
    cell_fields,
    cell_font,
    check_index_tuple,
    colorbar,
    default_height,
    fitting_ticks,
    fmt_cells,
    make_figure,
    matrix_numbers,
    narrowest_plot_width,
    plot_height,
    selection_outline,
    sub,
    symmetric_limit,
    weight_columns,
    weight_grid_gaps,
)
from ui.figures.layer_focus import LEVELS, fit_flat_level_bar, level_colorbar, needs_focus, quantized
from ui.text import whole

ORDER_TITLES = {
    "class_major": f"class-major ({whole('W[j,k] at k·n + j')})",
    "input_major": f"input-major ({whole('W[j,k] at j·K + k')})",
}


def layer_columns_heatmap(
    M,
    n: int,
    K: int,
    *,
    order: str = "class_major",
    selected: tuple[int, int, int] | None = None,
    font_size: int = 14,
    height: int | None = None,
    theme: str = "light",
) -> Fig:
    """Heatmap of a class-major (K, K·n) layer derivative M = dp/dW with columns shown in ``order``.

    Row t is p_t (0 at the top); each column is one weight W[j, k], labelled "W[j,k]" in every
    order so the permutation is visible in the tick labels. ``selected=(t, i, j)`` outlines the
    cell ∂p_t/∂W[j, i] wherever ``order`` puts it. Colours: diverging, centred at 0.
    """
    M = np.asarray(M, dtype=float)
    if M.ndim != 2 or M.shape != (K, K * n):
        raise ValueError(f"M must be the (K, K·n) = ({K}, {K * n}) layer derivative, got shape {M.shape}")
    if not np.isfinite(M).all():
        raise ValueError("M contains NaN or infinity")
    perm = core.weight_order(n, K, order)  # validates order; displayed column c holds class-major perm[c]
    if selected is not None:
        selected = check_index_tuple(selected, ("t", "i", "j"), (K, K, n))
    shown = M[:, perm]
    C = K * n
    rows = [f"p{sub(t)}" for t in range(K)]
    cols = core.weight_labels(n, K, order)
    limit = symmetric_limit(M)
    big = needs_focus(n, K)  # the Explorer's overview: colour levels on a log scale (ui.figures.layer_focus)
    trace = dict(
        z=quantized(shown, limit) if big else shown,
        x=cols,
        y=rows,
        colorscale=DIVERGING,
        zmid=0,
        zmin=-LEVELS if big else -limit,
        zmax=LEVELS if big else limit,
        **weight_grid_gaps(K, C),
        colorbar=level_colorbar(limit, "∂p_t/∂W[j,k]", font_size) if big else colorbar("∂p_t/∂W[j,k]", font_size),
        name="dp/dW",
    )
    if big:  # a cell is under a pixel wide: the hover names it, the Explorer's magnified block has its value
        trace.update(hovertemplate="∂%{y}/∂%{x}<extra></extra>")
    else:  # every cell can carry its hover: "∂p₁/∂W[2,3] = −0.0177<br>class-major column 11 · input-major column 13"
        # Per cell its value and its two columns; the sentence once, in the template (sent on every move).
        k, j = np.divmod(perm, n)
        trace.update(
            customdata=cell_fields(fmt_cells(shown), perm, j * K + k),
            hovertemplate="∂%{y}/∂%{x} = %{customdata[0]}<br>class-major column %{customdata[1]}"
            " · input-major column %{customdata[2]}<extra></extra>",
        )
    size = cell_font(font_size, 0.7)
    text = matrix_numbers(shown, size, font_size, 120)
    if text is not None:
        trace.update(text=text, texttemplate="%{text}", textfont={"size": size})

    layout = base_layout(
        title=f"dp/dW ({K}×{C}), columns {ORDER_TITLES[order]}",
        subtitle="the same K·K·n numbers in either order: only the columns move"
        + ("; colour on a log scale" if big else ""),
        font_size=font_size,
        theme=theme,
        height=height if height is not None else default_height(300, font_size, K, 28, cap=900),
        above=BLOCK_LABELS,  # the class labels
    )
    weights, guides, annotations = weight_columns(layout, cols, n, K, order, font_size, theme)
    trace["colorbar"], flat = bar_under_axis(layout, trace["colorbar"], font_size)  # a phone: under the labels
    if flat and big:  # as the Explorer's overview's flat bar
        fit_flat_level_bar(trace["colorbar"], narrowest_plot_width(layout, font_size, colorbar=False), font_size)
    shapes = []
    if selected is not None:
        t, i, j = selected
        c = int(np.argsort(perm)[core.column_of(i, j, n)])
        cell = (narrowest_plot_width(layout, font_size, colorbar=not flat) / C, plot_height(layout) / K)
        shapes += selection_outline(t, c, theme=theme, cell_px=cell)
    layout.update(
        shapes=guides + shapes,
        annotations=annotations,
        xaxis=weights,
        yaxis={
            "title": {"text": "output p_t"},
            "autorange": "reversed",
            "showgrid": False,
            "tickmode": "array",
            "tickvals": [rows[r] for r in fitting_ticks(K, plot_height(layout), font_size)],
        },
    )
    return make_figure([{"type": "heatmap", **trace}], layout)
