"""Figures for the Batch page: small multiples of per-sample matrices on one shared colour axis.

Arrays in, a figure of dicts out (``make_figure``; no streamlit). Shapes: X (N, n), P (N, K), Jacobians (N, K, K)
with [s, i, j] = ∂p_i/∂z_j for sample s, per-sample gradients (N, n, K) with [s, j, k] =
x_sj · ∂L/∂z_sk. Only the first ``max_panels`` samples are drawn; the caller says so.
"""

from __future__ import annotations

import math

import numpy as np

from ui.figures.common import (
    DIVERGING,
    FLAT_BAR_ROOM,
    HOVER_CELL_LIMIT,
    Fig,
    base_layout,
    colorbar,
    fitting_ticks,
    flat_bars,
    fmt,
    label_extent,
    laid_flat,
    lines_above,
    make_figure,
    plot_height,
    room_for_rows,
    sub,
    symmetric_limit,
    wrap_text,
)
from ui.figures.panels import column_width, fitting_columns, grid_layout

JACOBIAN_GAP = 0.03  # the share of the grid's width between two Jacobian panels
GRADIENT_GAPS = (0.03, 0.08)  # between two gradient panels: in one row; in rows, room for tick labels


def _panel_title(s: int, p: np.ndarray) -> str:
    """'sample 3: p = (0.2, 0.5, 0.3)' for K ≤ 3; else the most likely class, 'sample 3: max p₂=0.46'.

    Short lines: two panels of them go across a phone (``fitting_columns``)."""
    if len(p) <= 3:
        return f"sample {s}<br>p = ({', '.join(fmt(v, 2, zeros=True) for v in p)})"
    k = int(np.argmax(p))
    return f"sample {s}<br>max p{sub(k)}={fmt(p[k], 2, zeros=True)}"


def _title_size(font_size: int) -> int:
    """A panel title's font size (px): smaller than the figure's, never under 10."""
    return max(10, round(font_size * 0.8))


def _lines(titles: list[str]) -> int:
    """The most lines any of ``titles`` takes."""
    return max(title.count("<br>") + 1 for title in titles)


def _grid(count: int, cols: int) -> tuple[int, int]:
    cols = max(1, min(cols, count))
    return math.ceil(count / cols), cols


ROW_GAP = 6.5  # × font between rows of panels: a row's column labels, a gap, the next row's two-line titles


def _row_gap(rows: int, font_size: int, plot_px: float) -> float:
    """Space between rows of panels, as a share of the plotting height ``plot_px``: ``ROW_GAP`` × font.

    A share of the height alone grew with the panels: 64 × 32's tall panels stood ~180 px apart.
    """
    return min(0.3, ROW_GAP * font_size / plot_px) if rows > 1 else 0.0


def _above(titles: list[str], cols: int, font_size: int) -> float:
    """Room (× font) over the grid: its top row's titles, and on a phone the colour bar over them."""
    return lines_above(_lines(titles[:cols])) + (FLAT_BAR_ROOM if flat_bars(font_size) else 0)


def _shared_axis(layout: dict, above: float, limit: float, title: str, font_size: int) -> dict:
    """The grid's one colour axis (the layout's ``coloraxis``), once ``layout`` (room ``above`` × font
    over the grid) is final; values ±``limit``.

    Its bar stands right of the grid; on a phone it lies across the grid's top, under the figure's
    title, near every panel (under a grid of four rows it was far from the first).
    """
    bar = colorbar(title, font_size)
    if flat_bars(font_size):
        bar = laid_flat(bar, 1 + above * font_size / plot_height(layout), font_size)
    return {"colorscale": DIVERGING, "cmin": -limit, "cmax": limit, "cmid": 0, "colorbar": bar}


def _heatmap(z: np.ndarray, x: list[str], y: list[str], name: str, cell: tuple[str, str], extra: dict) -> dict:
    """A panel's heatmap trace: ``z`` (rows, columns) under row labels ``y`` and column labels ``x``, on
    the grid's colour axis, in the plot of axis references ``cell``, with ``extra``'s properties (its hover)."""
    trace = {"type": "heatmap", "z": z, "x": x, "y": y, "coloraxis": "coloraxis", "name": name, **extra}
    trace["xaxis"], trace["yaxis"] = cell
    return trace


def _axes(layout: dict, ref: tuple[str, str]) -> tuple[dict, dict]:
    """The layout's x and y axis dicts of a cell's axis references (("x2", "y2") → xaxis2, yaxis2)."""
    return layout["xaxis" + ref[0][1:]], layout["yaxis" + ref[1][1:]]


def jacobian_grid(
    P: np.ndarray,
    jacobians: np.ndarray,
    temperature: float = 1.0,
    *,
    max_panels: int = 16,
    cols: int = 4,
    font_size: int = 14,
    height: int | None = None,
    theme: str = "light",
) -> Fig:
    """One K×K Jacobian heatmap per sample (the first ``max_panels``), sharing one colour axis.

    P: (N, K) probabilities; jacobians: (N, K, K) from core. Panel titles give each sample's p briefly.
    """
    P = np.asarray(P, dtype=float)
    Js = np.asarray(jacobians, dtype=float)
    shown = min(len(Js), max_panels)
    K = Js.shape[1]
    titles = [_panel_title(s, P[s]) for s in range(shown)]
    rows, cols = _grid(shown, fitting_columns(titles, font_size, cols, spacing=JACOBIAN_GAP))
    above = _above(titles, cols, font_size)
    layout = base_layout(
        title="Per-sample Jacobians ∂p/∂z",
        # Past 8 classes the panels carry no labels: the subtitle says which way they read.
        subtitle="one colour scale for all samples" + ("; row i, column j: ∂p_i/∂z_j" if K > 8 else ""),
        font_size=font_size,
        height=height or 60 + 5 * font_size + rows * (170 + 4 * font_size),
        theme=theme,
        above=above,
    )
    spacing = _row_gap(rows, font_size, plot_height(layout))
    if K <= 8:  # rows labelled: the page's height is a floor, and each row gets room for its label
        room_for_rows(layout, K, font_size, fraction=(1 - spacing * (rows - 1)) / rows)
        spacing = _row_gap(rows, font_size, plot_height(layout))  # as many px in a taller plot
    else:  # unlabelled: each panel as tall as it is planned wide (projected, 3.3:1 strips hid the diagonal)
        side = column_width(font_size, cols, JACOBIAN_GAP)
        layout["height"] += max(0, math.ceil(rows * side + (rows - 1) * ROW_GAP * font_size - plot_height(layout)))
        spacing = _row_gap(rows, font_size, plot_height(layout))
    panel = (1 - spacing * (rows - 1)) / rows  # one panel's share of the plotting height
    panels, cells = grid_layout(titles, rows, cols, _title_size(font_size), theme, JACOBIAN_GAP, spacing)
    per_cell = shown * K * K <= HOVER_CELL_LIMIT
    tail = "" if temperature == 1 else f"/{fmt(temperature)}"
    labels = [f"z{sub(j)}" for j in range(K)], [f"p{sub(i)}" for i in range(K)]
    data = []
    for s in range(shown):
        p, J = P[s], Js[s]
        if per_cell:
            texts = [
                [
                    f"sample {s}: ∂p{sub(i)}/∂z{sub(j)} = "
                    + (
                        f"p{sub(i)}(1 − p{sub(i)}){tail} = {fmt(p[i])} × {fmt(1 - p[i])}{tail}"
                        if i == j
                        else f"−p{sub(i)}·p{sub(j)}{tail} = −{fmt(p[i])} × {fmt(p[j])}{tail}"
                    )
                    + f" = {fmt(J[i, j])}"
                    for j in range(K)
                ]
                for i in range(K)
            ]
            hover = {"hovertext": texts, "hoverinfo": "text"}
        else:
            hover = {"hovertemplate": f"sample {s}: ∂%{{y}}/∂%{{x}} = %{{z:.3g}}<extra></extra>"}
        gaps = {"xgap": 1 if K <= 12 else 0, "ygap": 1 if K <= 12 else 0}
        data.append(_heatmap(J, *labels, f"sample {s}", cells[s], hover | gaps))
    layout |= panels
    layout["coloraxis"] = _shared_axis(layout, above, symmetric_limit(Js[:shown]), "∂p_i/∂z_j", font_size)
    row_ticks = [labels[1][i] for i in fitting_ticks(K, plot_height(layout, panel), font_size)]
    for k, ref in enumerate(cells):  # an empty cell's axes too, as make_subplots made them
        xaxis, yaxis = _axes(layout, ref)
        xaxis["showticklabels"] = K <= 8
        # No tick marks: between panels a few px apart (a phone) the next panel's fell into this one's cells.
        yaxis |= {"autorange": "reversed", "showticklabels": False, "ticks": ""}
        if k % cols == 0:  # row labels once, on the left
            yaxis |= {"showticklabels": K <= 8, "tickmode": "array", "tickvals": row_ticks}
        if K > 8 and k < shown:  # square cells wherever the panel is drawn: a K×K matrix stays square
            yaxis |= {"scaleanchor": ref[0], "constrain": "domain"}
            xaxis["constrain"] = "domain"
    return make_figure(data, layout)


def gradient_grid(
    X: np.ndarray,
    grad_z: np.ndarray,
    per_sample: np.ndarray,
    mean: np.ndarray,
    *,
    max_panels: int = 4,
    font_size: int = 14,
    height: int | None = None,
    theme: str = "light",
) -> Fig:
    """The batch gradient as a mean: the first few per-sample x_s·(∂L/∂z_s)ᵀ panels, then their mean.

    X: (N, n); grad_z: (N, K); per_sample: (N, n, K); mean: (n, K). All panels share one colour axis,
    so the mean is visibly smaller than the samples that disagree.
    """
    X = np.asarray(X, dtype=float)
    G = np.asarray(grad_z, dtype=float)
    per = np.asarray(per_sample, dtype=float)
    mean = np.asarray(mean, dtype=float)
    N, n, K = per.shape
    shown = min(N, max_panels)
    titles = [f"sample {s}" for s in range(shown)] + [f"mean of<br>all N = {N}"]
    # One row where the panels fit across, else a grid (a phone): the mean is always the last panel.
    xs, ys = [f"k={k}" for k in range(K)], [f"j={j}" for j in range(n)]
    two_ticks = 2 * label_extent(xs) * font_size  # a panel shows at least its first and last column's label
    fits = fitting_columns(titles, font_size, shown + 1, least_px=two_ticks, spacing=GRADIENT_GAPS[0])
    if fits < shown + 1:  # in rows the gaps are wider: perhaps fewer fit
        fits = fitting_columns(titles, font_size, fits, least_px=two_ticks, spacing=GRADIENT_GAPS[1])
    rows, cols = _grid(shown + 1, fits)
    # wrapped into rows (a phone): room between panels for a last and a first column's label
    between = GRADIENT_GAPS[rows > 1]
    # The mean's title on one line where its panel is wide enough: on two it stood above the others.
    panel_px = column_width(font_size, cols, between)
    titles[-1] = wrap_text(f"mean of all N = {N}", _title_size(font_size), panel_px)
    panel = max(400, min(800, 150 + 6 * font_size + 30 * n)) - 90 - 6 * font_size  # ≥ 400: the colour bar's ticks
    above = _above(titles, cols, font_size)
    layout = base_layout(
        title="Per-sample gradients and their mean",
        subtitle=(
            "x_s·(∂L/∂z_s)ᵀ per sample"
            + (f" (the first {shown} of {N})" if shown < N else "")
            + ", the mean ∂L/∂W last; one colour scale"
            + ("; row j, column k: x_j·∂L/∂z_k" if n > 16 or K > 8 else "")  # the panels carry no labels
        ),
        font_size=font_size,
        height=height or 90 + 6 * font_size + rows * panel + (rows - 1) * ROW_GAP * font_size,
        theme=theme,
        above=above,
    )
    spacing = _row_gap(rows, font_size, plot_height(layout))
    panels, cells = grid_layout(titles, rows, cols, _title_size(font_size), theme, between, spacing)
    per_cell = (shown + 1) * n * K <= HOVER_CELL_LIMIT
    data = []
    for s in range(shown):
        if per_cell:
            texts = [
                [
                    f"sample {s}: x{sub(j)}·∂L/∂z{sub(k)} = {fmt(X[s, j])} × {fmt(G[s, k])} = {fmt(per[s, j, k])}"
                    for k in range(K)
                ]
                for j in range(n)
            ]
            hover = {"hovertext": texts, "hoverinfo": "text"}
        else:
            hover = {"hovertemplate": f"sample {s}: %{{y}}, %{{x}}: %{{z:.3g}}<extra></extra>"}
        data.append(_heatmap(per[s], xs, ys, f"sample {s}", cells[s], hover))
    if per_cell:
        texts = [
            [f"∂L/∂W[{j},{k}] = (1/{N}) Σ_s x_sj·∂L/∂z_sk = {fmt(mean[j, k])}" for k in range(K)] for j in range(n)
        ]
        hover = {"hovertext": texts, "hoverinfo": "text"}
    else:
        hover = {"hovertemplate": "mean: %{y}, %{x}: %{z:.3g}<extra></extra>"}
    data.append(_heatmap(mean, xs, ys, "mean", cells[shown], hover))
    layout |= panels
    layout["coloraxis"] = _shared_axis(layout, above, symmetric_limit(per[:shown], mean), "x_j·∂L/∂z_k", font_size)
    if rows == 1:  # Plotly thins the column labels to the panel's real width
        x_ticks = {}
    else:  # a phone: Plotly would turn them on end, a line apart, touching; fewer and level instead
        shown_ticks = [xs[k] for k in fitting_ticks(K, panel_px, font_size, label_extent(xs))]
        x_ticks = {"tickmode": "array", "tickvals": shown_ticks, "tickangle": 0}
    for k, ref in enumerate(cells):  # an empty cell's axes too, as make_subplots made them
        xaxis, yaxis = _axes(layout, ref)
        xaxis |= {"showticklabels": K <= 8, **x_ticks}
        # row labels once per row, on the left; no marks (they fell into the next panel)
        yaxis |= {"autorange": "reversed", "showticklabels": k % cols == 0 and n <= 16, "ticks": ""}
    return make_figure(data, layout)
