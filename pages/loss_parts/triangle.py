"""The probability triangle (K = 3): p as a point of the 2-simplex, and where one gradient step moves it.

Every p = softmax(z / T) with K = 3 has p ≥ 0 and p₀ + p₁ + p₂ = 1: it lies on a flat triangle in
3-D, drawn here as an equilateral triangle whose corner k is p_k = 1 (class k certain). A point's
barycentric coordinates are its probabilities. Over it: the loss's level sets for the target y, the
first-order step Δp of one gradient-descent step on W, where that step really lands, and the
direction in which the loss falls fastest in p itself. Pure: arrays in, a figure of dicts out
(``make_figure``); the loss values come from core (``loss_surface``).
"""

from __future__ import annotations

import math

import numpy as np

import core
from pages.loss_parts.figures import LOSS_COLOURS, OTHER_COLOUR, TARGET_COLOUR
from pages.loss_parts.text import LOSS_TITLES
from ui.figures.common import Fig, base_layout, fmt, make_figure, palette, sub
from ui.memo import by_value
from ui.text import class_labels

# Corner k of the drawn triangle (row k) is p_k = 1: side 1, corner 0 bottom left, 1 bottom right, 2 on top.
VERTICES = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, math.sqrt(3) / 2]])
GRID_STEPS = 5  # barycentric grid lines at p_k = 0.2, 0.4, 0.6, 0.8
SURFACE_POINTS = 161  # loss samples across the triangle's width (the contour lines' resolution)
DIRECTION_LENGTH = 0.12  # the steepest-descent direction is drawn this long (a direction, not a step)
# Level sets: cross-entropy −log p_y is straight lines p_y = e^{−L}; MSE is circles around the target corner.
LEVELS = {"cross_entropy": {"start": 0.5, "end": 3.0, "size": 0.5}, "mse": {"start": 0.05, "end": 0.65, "size": 0.1}}
PAD = 0.16  # room around the triangle for the corner labels, in triangle sides


def to_plane(p) -> np.ndarray:
    """Barycentric (..., 3) → the drawing's 2-D points (..., 2): Σ_k p_k·VERTICES[k].

    A direction Δp with ΣΔp = 0 maps to a 2-D direction the same way.
    """
    return np.asarray(p, dtype=float) @ VERTICES


def from_plane(xy) -> np.ndarray:
    """2-D points (..., 2) → barycentric coordinates (..., 3) summing to 1 (negative outside the triangle)."""
    xy = np.asarray(xy, dtype=float)
    p2 = xy[..., 1] / VERTICES[2, 1]
    p1 = xy[..., 0] - VERTICES[2, 0] * p2
    return np.stack([1.0 - p1 - p2, p1, p2], axis=-1)


@by_value(maxsize=8)  # one per (target, loss): the surface does not move with x, W or T
def loss_surface(y, loss: str, points: int = SURFACE_POINTS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The loss (core's ``loss_at_p``) over the triangle, for a contour plot.

    Returns u (points,), v (rows,) the 2-D grid's axes, and L (rows, points): L[r, c] at (u[c], v[r]),
    NaN outside the triangle and where the loss is infinite (cross-entropy on the edge p_y = 0).
    Read-only: the arrays are shared by every caller with the same y and loss.
    """
    u = np.linspace(0.0, 1.0, points)
    v = np.linspace(0.0, VERTICES[2, 1], max(2, round(points * VERTICES[2, 1])))
    p = from_plane(np.stack(np.meshgrid(u, v), axis=-1))
    inside = (p >= -1e-12).all(axis=-1)
    L = np.full(inside.shape, np.nan)
    L[inside] = core.loss_at_p(np.clip(p[inside], 0.0, 1.0), y, loss)
    L[~np.isfinite(L)] = np.nan
    for a in (u, v, L):
        a.flags.writeable = False
    return u, v, L


def steepest_direction(grad_p) -> np.ndarray | None:
    """−∂L/∂p projected onto the triangle's plane (its mean removed), scaled to unit length: (3,).

    The direction in which the loss falls fastest if p could move freely on the triangle. None when
    ∂L/∂p is infinite (None) or has no part in the plane.
    """
    if grad_p is None:
        return None
    g = np.asarray(grad_p, dtype=float)
    scale = float(np.max(np.abs(g)))
    if not scale > 0:
        return None
    g = g / scale  # its largest part 1: squares of tiny components (1e-161) would underflow in the norm
    d = -(g - np.mean(g))
    size = float(np.linalg.norm(d))
    # equal components leave only rounding (1e-16 of them) in the plane: that has no direction
    return d / size if size > 1e-12 else None


def _grid_lines() -> tuple[list, list]:
    """The barycentric grid: for each k, the segments p_k = s/GRID_STEPS, as x, y lists with None breaks."""
    xs, ys = [], []
    for k in range(3):
        a, b = [m for m in range(3) if m != k]
        for s in range(1, GRID_STEPS):
            level = s / GRID_STEPS
            ends = np.zeros((2, 3))
            ends[:, k] = level
            ends[0, a] = ends[1, b] = 1.0 - level
            (x0, y0), (x1, y1) = to_plane(ends)
            xs += [x0, x1, None]
            ys += [y0, y1, None]
    return xs, ys


def _p_text(p) -> str:
    return "(" + ", ".join(fmt(v) for v in p) + ")"


def _arrow(
    start, end, name: str, colour: str, *, dash: str = "solid", width: float = 4, size: float = 16, hover=None
) -> dict:
    """A line from ``start`` to ``end`` (2-D) with an arrowhead at ``end``: one legend entry."""
    return {
        "type": "scatter",
        "x": [start[0], end[0]],
        "y": [start[1], end[1]],
        "mode": "lines+markers",
        "name": name,
        "line": {"color": colour, "width": width, "dash": dash},
        "marker": {"symbol": ["circle", "arrow"], "size": [0, size], "angleref": "previous", "color": colour},
        "hovertext": [hover, hover],
        "hoverinfo": "text" if hover else "skip",
    }


def _point(xy, name: str, marker: dict, hover: str) -> dict:
    """One marked 2-D point with a legend entry and a hover text."""
    return {
        "type": "scatter",
        "x": [xy[0]],
        "y": [xy[1]],
        "mode": "markers",
        "name": name,
        "marker": marker,
        "hovertext": [hover],
        "hoverinfo": "text",
    }


def probability_triangle(
    p,
    predicted,
    p_after,
    y,
    loss: str,
    surface: tuple[np.ndarray, np.ndarray, np.ndarray],
    grad_p=None,
    lr: float = 0.5,
    *,
    font_size: int = 14,
    height: int | None = None,
    theme: str = "light",
) -> Fig:
    """p (3,) on the probability triangle with one gradient-descent step drawn from it.

    predicted: (3,) the first-order Δp (sums to 0); p_after: (3,) p after the step (layer run again);
    y: (3,) the one-hot target; surface: ``loss_surface(y, loss)``; grad_p: (3,) ∂L/∂p or None (infinite).
    Corner k is p_k = 1 ("class k"); the target's corner is marked. Axes are hidden: it is a triangle.
    """
    colours = palette(theme)
    grow = font_size / 14  # markers and lines grow with the type (classroom mode), so they read from afar
    p, predicted, p_after, y = (np.asarray(a, dtype=float) for a in (p, predicted, p_after, y))
    if p.shape != (3,) or predicted.shape != (3,) or p_after.shape != (3,) or y.shape != (3,):
        raise ValueError(f"the triangle needs K = 3: p has shape {p.shape}")
    target = int(np.argmax(y))
    step = LOSS_COLOURS.get(loss, colours.ink)
    here, tip, after = to_plane(p), to_plane(p + predicted), to_plane(p_after)
    u, v, L = surface
    gx, gy = _grid_lines()
    outline = to_plane(np.eye(3)[[0, 1, 2, 0]])
    traces = [
        {
            "type": "scatter",
            "x": gx,
            "y": gy,
            "mode": "lines",
            "line": {"color": colours.grid, "width": 1},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "contour",
            "x": u,
            "y": v,
            "z": L,
            "name": "level sets of the loss (labels: L)",
            "showlegend": True,
            "autocontour": False,
            "contours": {
                **LEVELS[loss],
                "coloring": "lines",
                "showlabels": True,
                "labelfont": {"size": font_size, "color": colours.text},
            },
            "line": {"color": TARGET_COLOUR, "width": 1.5 * grow},
            "colorscale": [[0, TARGET_COLOUR], [1, TARGET_COLOUR]],
            "showscale": False,
            "hoverinfo": "skip",
            "connectgaps": False,
            "opacity": 0.7,
        },
        {
            "type": "scatter",
            "x": outline[:, 0],
            "y": outline[:, 1],
            "mode": "lines",
            "line": {"color": colours.ink, "width": 2 * grow},
            "hoverinfo": "skip",
            "showlegend": False,
        },
    ]
    direction = steepest_direction(grad_p)
    if direction is not None:
        drawn = direction @ VERTICES  # the drawing is the simplex scaled by 1/√2: same angles, shorter
        end = here + DIRECTION_LENGTH * drawn / np.linalg.norm(drawn)
        traces.append(
            _arrow(
                here,
                end,
                "−∂L/∂p in the plane (direction only)",
                colours.text,
                dash="dot",
                width=2 * grow,
                size=11 * grow,
            )
        )
    traces.append(
        _arrow(
            here,
            tip,
            f"one step, first order: Δp (η = {lr:g})",
            step,
            width=4 * grow,
            size=16 * grow,
            hover=f"first order: p + Δp = {_p_text(p + predicted)}<br>Δp = {_p_text(predicted)}",
        )
    )
    missed = fmt(float(np.abs(p_after - p - predicted).max()))
    traces += [
        _point(
            after,
            "one step, actual (layer run again)",
            {"symbol": "circle-open", "size": 16 * grow, "color": step, "line": {"width": 3 * grow}},
            f"after the step: p = {_p_text(p_after)}<br>first order missed by {missed}",
        ),
        _point(
            here,
            "p now",
            {"size": 14 * grow, "color": OTHER_COLOUR, "line": {"color": colours.ink, "width": 2 * grow}},
            f"p = {_p_text(p)}",
        ),
        _point(
            VERTICES[target],
            f"target y: class {target}",
            {"symbol": "star", "size": 22 * grow, "color": TARGET_COLOUR, "line": {"color": colours.ink, "width": 1}},
            f"target: p{sub(target)} = 1",
        ),
    ]
    names = class_labels(3)
    annotations = [
        {
            "x": VERTICES[k, 0],
            "y": VERTICES[k, 1],
            "text": (f"<b>{names[k]} (target)</b>" if k == target else names[k]) + f"<br>p{sub(k)} = 1",
            "showarrow": False,
            "xanchor": ("right", "left", "center")[k],
            "yanchor": "top" if k < 2 else "bottom",
            # Clear of the corner's star (22·grow px across) and of the triangle's edges.
            "xshift": round((-6, 6, 0)[k] * grow),
            "yshift": round((-8, -8, 14)[k] * grow),
            "font": {"size": font_size, "color": TARGET_COLOUR if k == target else colours.text},
        }
        for k in range(3)
    ]
    # Fixed ranges (the triangle must not jump while sliders move), widened only to keep a long arrow's tip.
    xs, ys = [0.0, 1.0, tip[0]], [0.0, VERTICES[2, 1], tip[1]]
    x_range = [max(min(xs), -0.6) - PAD * 1.6, min(max(xs), 1.6) + PAD * 1.6]
    y_range = [max(min(ys), -0.6) - PAD, min(max(ys), 1.5) + PAD]
    axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    layout = base_layout(
        title="p on the probability triangle",
        subtitle=f"{LOSS_TITLES[loss]}, target class {target}, η = {lr:g}",
        font_size=font_size,
        theme=theme,
        height=height if height is not None else 560,
    )
    layout |= {
        "xaxis": {**axis, "range": x_range},
        "yaxis": {**axis, "range": y_range, "scaleanchor": "x", "scaleratio": 1},
        "legend": {"orientation": "h", "x": 0.0, "xanchor": "left", "y": -0.02, "yanchor": "top"},
        "annotations": annotations,
        "hovermode": "closest",
    }
    layout["margin"] |= {"l": font_size, "r": font_size, "b": font_size}
    return make_figure(traces, layout)
