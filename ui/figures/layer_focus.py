"""dp/dW of a big layer: an overview of every entry, and the selected class block magnified.

At (n, K) = (64, 32), dp/dW is 32 × 2048: a cell is under a pixel wide, no per-cell label can be
read, and three full panels of exact numbers are about 1 MB per slider move. So a big layer gets two
figures instead of ``layer.layer_derivative_figure``'s three full panels:
- the overview: the full product in 255 colour levels on a log scale (int8, what a screen can show of
  it anyway), one click target per (row t, class block i);
- the block: class i's K × n block of the product, the shortcut and their difference, with exact
  values and one click target per cell.
Axes are numeric (cell t, column c at integer positions) so no label is sent per cell.
"""

from __future__ import annotations

import numpy as np

from .common import (
    ABOVE_LINE,
    BLOCK_LABELS,
    COLUMN,
    DIVERGING,
    MINUS,
    ROW,
    Fig,
    bar_under_axis,
    base_layout,
    block_guides,
    cell_rect,
    check_index_tuple,
    click_targets,
    clicked_index,
    colorbar,
    compact_floats,
    default_height,
    fitting_ticks,
    flat_bar_room,
    fmt,
    label_extent,
    make_figure,
    narrowest_plot_width,
    palette,
    panel_title,
    per_cell_hover,
    plot_height,
    positions,
    row_axis,
    selection_outline,
    sub,
    symmetric_limit,
    wrap_text,
)
from .layer import (
    PANELS,
    agreement,
    checked_layer,
    difference_axis,
    panel_bars,
    panel_extents,
    panel_titles,
)

LEVELS = 127  # int8 colour levels each side of 0
OVERVIEW_CLICK_CURVE = 1  # the block points, after the heatmap
BLOCK_CLICK_CURVES = (3, 4)  # the cell points of the product and shortcut panels, after three heatmaps


def needs_focus(n: int, K: int) -> bool:
    """Whether dp/dW (K, K·n) is too big for three full panels with per-cell hovers."""
    return not per_cell_hover(3 * K, K * n)


# Colour is logarithmic over this many decades below the largest entry. With K classes most entries
# of dp/dW are −p_t·p_i·x_j, about K times smaller than the p_i(1 − p_i)·x_j rows: on a linear scale
# 90 % of a 64 × 32 layer's entries rounded to level 0 and the overview drew a dense matrix as sparse.
DECADES = 4


def color_level(M, limit: float) -> np.ndarray:
    """Where ``M`` sits on the colour bar, in levels −127…127 (unrounded; limit > 0): signed and
    logarithmic, sign(M)·127·log(1 + |M|/c)/log(1 + limit/c) with c = limit·10^−DECADES, so each
    decade below the largest entry takes about a quarter of the way to white."""
    M = np.asarray(M, dtype=float)
    floor = limit * 10.0**-DECADES
    return np.sign(M) * LEVELS * np.log1p(np.abs(M) / floor) / np.log1p(limit / floor)


def quantized(M: np.ndarray, limit: float) -> np.ndarray:
    """``M`` in int8 colour levels −127…127 (``color_level``, rounded; |M| ≤ limit)."""
    return np.clip(np.rint(color_level(M, limit)), -LEVELS, LEVELS).astype(np.int8)


def level_colorbar(limit: float, title: str, font_size: int, side: str | None = None, **extra) -> dict:
    """A colour bar over int8 levels whose ticks read in real units (−limit, −limit/100, 0, …)."""
    values = [-limit, -limit / 100, 0.0, limit / 100, limit]
    ticks = [float(level) for level in color_level(values, limit)]
    labels = [fmt(v, 2) for v in values]
    return colorbar(title, font_size, side=side, tickmode="array", tickvals=ticks, ticktext=labels, **extra)


def fit_flat_level_bar(bar: dict, flat_px: float, font_size: int) -> None:
    """A ``level_colorbar`` lying flat, ``flat_px`` long (a phone): where its five labels would run
    into each other, its ±limit/100 ticks go unlabelled. Changes ``bar``."""
    labels = bar["ticktext"]
    if flat_px / 4 < label_extent(labels) * font_size:
        bar["ticktext"] = [labels[0], "", labels[2], "", labels[4]]


def _row_axis(K: int, font_size: int, height_px: float) -> dict:
    """A y axis of rows p_t (``row_axis``) under click points."""
    return row_axis([f"p{sub(t)}" for t in range(K)], height_px, font_size, "p_t", points=True)


def layer_overview(
    product,
    n: int,
    *,
    selected: tuple[int, int, int] | None = None,
    font_size: int = 14,
    height: int | None = None,
    clickable: bool = True,
    theme: str = "light",
) -> Fig:
    """Every entry of dp/dW (K, K·n) in colour levels; click a (row, class block) to magnify it.

    product: core's full product, entry [t, i·n + j] = ∂p_t/∂W[j, i]. The heatmap sits at numeric
    positions (row t, column i·n + j). Trace ``OVERVIEW_CLICK_CURVE`` has one invisible point per
    (t, i) block at its centre: point t·K + i (see ``overview_click``). ``selected=(t, i, j)``
    outlines row t of block i. ``clickable=False``: the hovers and subtitle do not ask for a click
    (a page where a click selects nothing).
    """
    ink = palette(theme).ink
    M = np.asarray(product, dtype=float)
    if M.ndim != 2 or M.shape[1] != M.shape[0] * n or not np.isfinite(M).all():
        raise ValueError(f"product must be a finite (K, K·n) matrix with n = {n}, got shape {M.shape}")
    K = M.shape[0]
    if selected is not None:
        selected = check_index_tuple(selected, ("t", "i", "j"), (K, K, n))
    limit = symmetric_limit(M)
    heat = dict(
        type="heatmap",
        z=quantized(M, limit),
        zmin=-LEVELS,
        zmax=LEVELS,
        colorscale=DIVERGING,
        colorbar=level_colorbar(limit, "∂p_t/∂W[j,i]", font_size),
        hoverinfo="skip",
        name="product",
    )
    t_idx, i_idx = np.divmod(np.arange(K * K), K)
    block_hover = (
        f"<b>row p<sub>{ROW}</sub>, class %{{customdata}}</b>: ∂p<sub>{ROW}</sub>/∂W[j,%{{customdata}}]"
        f" for j = 0…{n - 1}"
        + ("<br>click to magnify class %{customdata}'s block below" * clickable)
        + "<extra></extra>"
    )
    shapes = []
    if selected is not None:
        t, i, _ = selected
        shapes.append(
            {
                "type": "rect",
                "x0": i * n - 0.5,
                "x1": (i + 1) * n - 0.5,
                "y0": -0.5,
                "y1": K - 0.5,
                "line": {"color": ink, "width": 1.5, "dash": "dot"},
                "layer": "above",
                "name": "magnified block",
            }
        )
        shapes.append({**cell_rect(t, 0, color=ink, width=3), "x0": i * n - 0.5, "x1": (i + 1) * n - 0.5})
    layout = base_layout(
        title=f"dp/dW, all {K}×{K * n} entries",
        subtitle="J · dz/dW, colour on a log scale: the small entries show"
        + "; click a block to magnify it" * clickable,
        font_size=font_size,
        theme=theme,
        height=height if height is not None else default_height(300, font_size, K, 8, cap=900),
        above=BLOCK_LABELS,  # the class labels
    )
    heat["colorbar"], flat = bar_under_axis(layout, heat["colorbar"], font_size)  # a phone: under the plot
    width = narrowest_plot_width(layout, font_size, colorbar=not flat)
    if flat:
        fit_flat_level_bar(heat["colorbar"], width, font_size)
    guides, labels = block_guides(K, n, K, "class", font_size, width, theme)
    layout.update(
        shapes=guides + shapes,
        annotations=labels,
        hoverdistance=-1,  # the nearest block centre anywhere, not within 20 px
        clickmode="event+select" if clickable else "none",
        xaxis={
            "showgrid": False,
            "zeroline": False,
            "showticklabels": False,
            "ticks": "",  # the blocks are labelled above; marks alone stood at columns 0, 500, 1000…
            "range": [-0.5, K * n - 0.5],
            "title": {"text": "weights W[j,i] in class blocks"},
        },
        yaxis=_row_axis(K, font_size, plot_height(layout)),
    )
    targets = click_targets(
        (i_idx * n + (n - 1) / 2).astype(np.float32),
        positions(t_idx),
        name="blocks",
        customdata=positions(i_idx),
        hovertemplate=block_hover,
    )
    return make_figure([heat, targets], layout)


def overview_click(point: dict, K: int) -> tuple[int, int] | None:
    """(t, i) of a clicked block point from a Streamlit selection point, or None."""
    index = clicked_index(point, (OVERVIEW_CLICK_CURVE,), K * K)
    return None if index is None else divmod(index, K)


def layer_block(
    x,
    p,
    product,
    shortcut,
    temperature: float = 1.0,
    *,
    block: int,
    selected: tuple[int, int, int] | None = None,
    font_size: int = 14,
    height: int | None = None,
    clickable: bool = True,
    theme: str = "light",
) -> Fig:
    """Class ``block``'s columns of dp/dW, (K, n) each: the product, the shortcut and their difference.

    x: (n,), p: (K,); product and shortcut (K, K·n) as in ``layer.layer_derivative_figure``, of
    which columns block·n + j, j = 0…n−1 (the weights W[j, block]) are drawn at numeric positions
    (row t, column j). Traces ``BLOCK_CLICK_CURVES`` hold one invisible point per cell of the
    product and shortcut panels (point t·n + j, see ``block_click``) carrying the exact value.
    ``selected=(t, i, j)`` outlines cell (t, j) when i is this block. ``clickable=False``: no call
    to click in the hovers and subtitle.
    """
    x, p, T, product, shortcut = checked_layer(x, p, product, shortcut, temperature)
    K, n = p.shape[0], x.shape[0]
    (i,) = check_index_tuple((block,), ("block",), (K,), arg="block")
    if selected is not None:
        selected = check_index_tuple(selected, ("t", "i", "j"), (K, K, n))
    cols = slice(i * n, (i + 1) * n)
    P, S = product[:, cols], shortcut[:, cols]
    D = P - S
    head = f"∂p<sub>{ROW}</sub>/∂W[{COLUMN},{i}]"
    limit = symmetric_limit(P, S)
    traces = []
    for k, (name, M) in enumerate(zip(PANELS, (P, S, D), strict=True)):
        ax = "" if k == 0 else str(k + 1)
        tr = dict(
            type="heatmap",
            # product and shortcut: colour levels (their exact values ride on the click points); Δ: its values
            z=compact_floats(M) if name == "difference" else quantized(M, limit),
            xaxis=f"x{ax}",
            yaxis=f"y{ax}",
            name=name,
            coloraxis="coloraxis2" if name == "difference" else "coloraxis",
            xgap=1 if n <= 32 else 0,  # gaps between cells only where cells are several pixels wide
            ygap=1 if K <= 12 else 0,
        )
        if name == "difference":
            tr["hovertemplate"] = f"{head}: product {MINUS} shortcut = %{{z:.2~g}}<extra></extra>"
        else:
            tr["hoverinfo"] = "skip"  # the points on top carry the hover and the click
        traces.append(tr)
    verdict, _ = agreement(product, shortcut)  # of the whole layer, as in the overview's title
    titles = panel_titles(T, D)  # the whole layer's figure's, for the block's panels
    layout = base_layout(
        title=f"Class {i}'s block ({K}×{n}): they {verdict}",
        subtitle=f"weights W[j,{i}], colour on a log scale, exact values on hover"
        + "; click a cell to select it" * clickable,
        font_size=font_size,
        theme=theme,
        height=height if height is not None else default_height(260, font_size, K, 30, cap=1500),
        above=ABOVE_LINE,  # the top panel's title
    )
    _, residue = agreement(P, S)  # the block's own Δ: the scale of its colours
    # On a phone the colour bars lie under their panels, as in the whole layer's figure.
    bar_room, axis_room = flat_bar_room(layout, font_size)
    width = narrowest_plot_width(layout, font_size, colorbar=not bar_room)
    # Each title wrapped to the plot's width, as in the whole layer's figure: in the Presenter's
    # Reveal on a phone the difference's ran past the chart's edge.
    titles = [wrap_text(title, font_size, width) for title in titles]
    domains = panel_extents([title.count("<br>") + 1 for title in titles], layout, font_size, bar_room)
    shapes, annotations = [], []
    for k, (dom, title) in enumerate(zip(domains, titles, strict=True)):
        ax = "" if k == 0 else str(k + 1)
        annotations.append(panel_title(title, dom[1], font_size))
        if selected is not None and selected[1] == i:
            cell = (width / n, plot_height(layout, dom[1] - dom[0]) / K)
            shapes += selection_outline(
                selected[0], selected[2], xref=f"x{ax}", yref=f"y{ax}", theme=theme, cell_px=cell
            )
        xa = {"anchor": f"y{ax}", "showgrid": False, "zeroline": False, "range": [-0.5, n - 0.5]}
        if k < 2:
            xa.update(showticklabels=False, ticks="")  # no marks over the next panel's title
        else:
            inputs = fitting_ticks(n, width, font_size, label_extent([str(n - 1)]))
            xa.update(tickmode="array", tickvals=inputs, ticktext=[str(j) for j in inputs])
            xa["title"] = {"text": f"input j of the weight W[j,{i}]"}
        if k:
            xa["matches"] = "x"
        layout[f"xaxis{ax}"] = xa
        layout[f"yaxis{ax}"] = {
            **_row_axis(K, font_size, plot_height(layout, dom[1] - dom[0])),
            "domain": dom,
            "anchor": f"x{ax}",
        }
    top, bottom = panel_bars(layout, domains, font_size, bar_room, axis_room)  # as in the whole layer's figure
    side = "top" if bar_room else None  # as the whole layer's figure: a title beside the bar ran into its labels
    levels_bar = level_colorbar(limit, "∂p_t/∂W[j,i]", font_size, side, **top)
    if bar_room:
        fit_flat_level_bar(levels_bar, width, font_size)
    layout.update(
        shapes=shapes,
        annotations=annotations,
        hoverdistance=-1,
        clickmode="event+select" if clickable else "none",
        coloraxis={
            "colorscale": DIVERGING,
            "cmin": -LEVELS,
            "cmax": LEVELS,
            "colorbar": levels_bar,
        },
        coloraxis2=difference_axis(verdict, residue, font_size, side, **bottom),
    )
    t_idx, j_idx = np.divmod(np.arange(K * n), n)
    for k, (name, M) in enumerate((("full product", P), ("shortcut", S))):
        values, shown = compact_floats(M.ravel()), "%{customdata:.4g}"
        if values.dtype == np.float64:  # a saturated layer's 1e-68s: as JSON numbers 22 bytes each
            texts = [f"{v:.4g}".replace("-", "−") for v in values.tolist()]  # 4,096: ui.text.fmt took 3× as long
            values, shown = np.array(texts, dtype=object), "%{customdata}"
        traces.append(
            click_targets(
                positions(j_idx),
                positions(t_idx),
                name="cells",
                customdata=values,
                hovertemplate=f"<b>{head}</b>, {name} = {shown}{'<br>click to select it' * clickable}<extra></extra>",
                axis="" if k == 0 else str(k + 1),
            )
        )
    return make_figure(traces, layout)


def block_click(point: dict, n: int, K: int, block: int) -> tuple[int, int, int] | None:
    """(t, block, j) of a clicked cell point from a Streamlit selection point, or None."""
    index = clicked_index(point, BLOCK_CLICK_CURVES, K * n)
    if index is None:
        return None
    t, j = divmod(index, n)
    return t, block, j
