"""The sparsity of ∂z/∂W: a (K, K·n) matrix that is zero outside one block per row (seed 002)."""

from __future__ import annotations

import numpy as np

import core

from ..text import whole
from .common import (
    BLOCK_LABELS,
    DIVERGING,
    ROW,
    ROW_GAPS_MAX,
    STRUCTURAL_ZERO,
    Fig,
    as_finite_vector,
    bar_under_axis,
    base_layout,
    cell_font,
    cell_numbers,
    check_index_tuple,
    colorbar,
    compact_floats,
    default_height,
    fmt,
    grid_lines,
    make_figure,
    narrowest_plot_width,
    palette,
    per_cell_hover,
    plot_height,
    positions,
    row_axis,
    selection_outline,
    sub,
    weight_columns,
    weight_grid_gaps,
)

COLUMN_FILL = "rgba(230,159,0,0.22)"  # Okabe–Ito orange, light: the selected weight's column


def zero_share_text(K: int) -> str:
    """ "80% of entries are 0 (4 of every 5)": the structural zeros of ∂z/∂W, (K − 1)/K of it."""
    return f"{100 * (K - 1) / K:.0f}% of entries are 0 ({K - 1} of every {K})"


# Hover templates over short per-cell fields (see ``_hover_fields``): a sentence per cell would be
# sent again on every move. The axes are numeric, so ROW is the row t; a non-zero's class k is t.
_Z, _J = f"z<sub>{ROW}</sub>", "%{customdata[1]}"
ZERO_HOVER = (
    f"∂{_Z}/∂W[{_J},%{{customdata[0]}}] = δ<sub>{ROW},%{{customdata[0]}}</sub>·x<sub>{_J}</sub> = 0"
    f" ({_Z} does not use column %{{customdata[0]}} of W)<extra></extra>"
)
VALUE_HOVER = (
    f"∂{_Z}/∂W[{_J},{ROW}] = x<sub>{_J}</sub> = %{{customdata[2]}} ({_Z} = Σ_j W[j,{ROW}]·x_j)"
    "%{customdata[3]}<extra></extra>"
)


def _hover_fields(x, cls, inp, structural) -> tuple[np.ndarray, np.ndarray]:
    """(K, C) fields of each cell's hover, for the zeros' grid and for the non-zeros' grid.

    A zero's: [class k, input j]; a non-zero's: [k, j, x_j, note], the note saying why it shows
    white when its x_j happens to be 0. A cell the grid leaves out (a gap, which does not hover)
    holds a bare 0: its fields would be sent on every move for nothing.
    """
    K, C = structural.shape
    xs = [fmt(v) for v in x.tolist()]
    zeros, values = np.zeros((K, C), dtype=object), np.zeros((K, C), dtype=object)
    for t in range(K):
        for c, (k, j) in enumerate(zip(cls, inp, strict=True)):
            if not structural[t, c]:
                zeros[t, c] = [k, j]
                continue
            note = ""
            if x[j] == 0:
                note = f"<br>not a structural zero: z{sub(t)} uses this weight, but x{sub(j)} happens to be 0"
            values[t, c] = [k, j, xs[j], note]
    return zeros, values


def dz_dw_pattern(
    x,
    dz,
    *,
    order: str = "class_major",
    selected: tuple[int, int, int] | None = None,
    font_size: int = 14,
    height: int | None = None,
    theme: str = "light",
) -> Fig:
    """Heatmap of dz = core.dz_dw(x, K): (K, K·n), entry [t, k·n + j] = δ_tk·x_j in class-major order.

    Row t is z_t (0 at the top); each column is one weight W[j, k]. ``order="input_major"``
    shows the same matrix with columns permuted by core.convert_columns (W[j, k] at j·K + k).
    Structural zeros (k ≠ t) are flat grey; structural non-zeros (k = t) are on the diverging
    scale — so an x_j of exactly 0 shows as white, not grey. Up to ``HOVER_CELL_LIMIT`` cells both
    are full grids whose every cell hovers (``_full_grid``); above, the K·n non-zeros alone hover,
    over a grey rectangle (``_nonzeros_only``).
    ``selected=(t, i, j)``: the column of W[j, i] is shaded and its non-zero cell (row i) outlined.
    """
    x = as_finite_vector(x, "x")
    M = np.asarray(dz, dtype=float)
    n = x.shape[0]
    if M.ndim != 2 or M.shape[0] < 1 or M.shape[1] != M.shape[0] * n:
        raise ValueError(f"dz must be a (K, K·n) matrix with n = {n}, got shape {M.shape}")
    K = M.shape[0]
    if order not in core.ORDERS:
        raise ValueError(f"order must be one of {core.ORDERS}, got {order!r}")
    if selected is not None:
        selected = check_index_tuple(selected, ("t", "i", "j"), (K, K, n))
    structural = np.repeat(np.eye(K, dtype=bool), n, axis=1)  # where δ_tk = 1, whatever x is
    perm = core.weight_order(n, K, order)  # displayed column c holds class-major column perm[c]
    if order != "class_major":
        M = core.convert_columns(M, n, K, "class_major", order)
        structural = core.convert_columns(structural, n, K, "class_major", order)
    cls, inp = np.divmod(perm, n)  # class k and input j of each displayed column
    C = K * n
    rows = [f"z{sub(t)}" for t in range(K)]
    cols = core.weight_labels(n, K, order)

    if per_cell_hover(K, C):
        traces, background = _full_grid(x, structural, M, cls, inp, font_size), []
    else:
        traces, background = _nonzeros_only(structural, M, inp, font_size, theme)

    shapes = []
    if selected is not None:
        t, i, j = selected
        c = int(np.argsort(perm)[core.column_of(i, j, n)])  # displayed position of W[j, i]
        shapes.append(
            {
                "type": "rect",
                "x0": c - 0.5,
                "x1": c + 0.5,
                "y0": -0.5,
                "y1": K - 0.5,
                "xref": "x",
                "yref": "y",
                "fillcolor": COLUMN_FILL,
                "line": {"width": 0},
                "layer": "above",
                "name": "selected column",
            }
        )

    if order == "class_major":
        where = whole("W[j,k] at k·n + j")
        subtitle = (
            f"class-major columns ({where}): {whole('row t')} is non-zero only in {whole('block t')} "
            f"(the weights of {whole('z_t')})"
        )
    else:
        subtitle = f"input-major columns ({whole('W[j,k] at j·K + k')}): the same non-zeros, interleaved into stripes"
    layout = base_layout(
        title=f"∂z/∂W ({K}×{C}): {zero_share_text(K)}",
        subtitle=subtitle,
        font_size=font_size,
        theme=theme,
        height=height if height is not None else default_height(260, font_size, K, 28, cap=900),
        above=BLOCK_LABELS,  # the class labels
    )
    weights, guides, annotations = weight_columns(layout, cols, n, K, order, font_size, theme)
    value_trace = traces[-1]
    value_trace["colorbar"], flat = bar_under_axis(layout, value_trace["colorbar"], font_size)  # a phone: under it
    if selected is not None:
        cell = (narrowest_plot_width(layout, font_size, colorbar=not flat) / C, plot_height(layout) / K)
        shapes += selection_outline(i, c, theme=theme, cell_px=cell)
    layout.update(
        shapes=background + guides + shapes,
        annotations=annotations,
        xaxis=weights,
        yaxis=row_axis(rows, plot_height(layout), font_size, "logit z_t"),
    )
    return make_figure([{"type": "heatmap", **t} for t in traces], layout)


def _value_style(font_size: int) -> dict:
    return dict(colorscale=DIVERGING, zmid=0, name="∂z_t/∂W[j,t] = x_j", colorbar=colorbar("x_j", font_size))


def _full_grid(x, structural, M, cls, inp, font_size) -> list[dict]:
    """A small layer's two (K, K·n) grids: the structural zeros in flat grey and the non-zeros on
    the diverging scale, each cell with its own hover (why it is 0, or which x_j it is). Cell (t, c)
    sits at (c, t): no labels are sent per cell."""
    K, C = M.shape
    common = dict(hoverongaps=False, **weight_grid_gaps(K, C))
    zero_fields, value_fields = _hover_fields(x, cls.tolist(), inp.tolist(), structural)
    zero_trace = dict(
        z=compact_floats(np.where(structural, np.nan, 0.0)),
        colorscale=[[0, STRUCTURAL_ZERO], [1, STRUCTURAL_ZERO]],
        showscale=False,
        name="structural zeros",
        customdata=zero_fields,
        hovertemplate=ZERO_HOVER,
        **common,
    )
    value_trace = dict(
        z=compact_floats(np.where(structural, M, np.nan)), customdata=value_fields, hovertemplate=VALUE_HOVER
    )
    value_trace |= _value_style(font_size) | common
    size = cell_font(font_size)
    text = cell_numbers(
        K,
        C,
        lambda: np.where(structural, np.array([fmt(v) for v in x.tolist()], dtype=object)[inp], ""),
        size,
        font_size,
    )
    if text is not None:
        value_trace.update(text=text, texttemplate="%{text}", textfont={"size": size})
    return [zero_trace, value_trace]


def _nonzeros_only(structural, M, inp, font_size, theme) -> tuple[list[dict], list[dict]]:
    """A big layer's K·n non-zeros as (column, row, value) triplets, over a grey background.

    The full grids sent (K − 1)·K·n zeros and as many gaps: 865 kB at 64 × 32, encoded, hashed and
    plotted again whenever the chart is drawn, for cells narrower than a pixel. Each column holds
    exactly one non-zero, so the triplets in column order give every column position, and every
    row: the axes are the full grid's. Each carries its input j (``text``, for the hover; Plotly
    reads a per-point text of triplets, not customdata). Returns (traces, shapes): the background
    and the page-coloured lines between rows that the full grid's gaps drew.
    """
    K, C = M.shape
    c, r = np.nonzero(structural.T)  # column by column: c ascending, the one row r of each
    value_trace = dict(
        z=compact_floats(M[r, c]),  # colour and a 3-digit hover need no more
        x=positions(c),
        y=positions(r),
        text=[str(j) for j in inp[c].tolist()],
        xgap=0,
        ygap=int(K <= ROW_GAPS_MAX),
        hoverongaps=False,
        hovertemplate=f"∂{_Z}/∂W[%{{text}},{ROW}] = x<sub>%{{text}}</sub> = %{{z:.3g}}<extra></extra>",
    ) | _value_style(font_size)
    grey = {"xref": "x", "yref": "y", "x0": -0.5, "x1": C - 0.5, "layer": "below"}
    background = [
        {"type": "rect", "y0": -0.5, "y1": K - 0.5, "fillcolor": STRUCTURAL_ZERO, "line": {"width": 0}, **grey},
        *grid_lines(
            [t - 0.5 for t in range(1, K if K <= ROW_GAPS_MAX else 1)],
            (-0.5, C - 0.5),
            {"color": palette(theme).page, "width": 1},
            vertical=False,
            layer="below",
            name="row gaps",
        ),
    ]
    return [value_trace], background
