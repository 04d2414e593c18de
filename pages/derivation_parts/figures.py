"""Figures for the Derivation page: arrays in, a figure of dicts out (``make_figure``; no streamlit)."""

from __future__ import annotations

import numpy as np

from ui.figures.common import (
    ABOVE_LINE,
    Fig,
    base_layout,
    decade_step,
    make_figure,
    narrowest_plot_width,
    palette,
    planned_for_phone,
    plot_height,
    power_ticks,
)
from ui.figures.panels import legend_under
from ui.figures.text_width import text_width
from ui.text import fmt, sub

ERROR_COLOUR = "#0072b2"  # Okabe–Ito blue: the measured error
REFERENCE_COLOUR = "#999999"  # the ε² reference line
CHOSEN_COLOUR = "#d55e00"  # Okabe–Ito vermillion: the ε on the slider
NUDGE_HEIGHT = 380  # px, before the legend's rows under it


def nudge_error_figure(
    eps: np.ndarray, errors: np.ndarray, chosen: float, *, font_size: int = 14, height: int | None = None
) -> Fig:
    """|measured − predicted| against ε on log-log axes, with an ε² reference line and the chosen ε marked.

    eps: (E,) nudge sizes, positive; errors: (E,) max_t |Δp_t measured − (dp_t/dW)·ε| at each ε;
    chosen: the slider's ε (one of ``eps``). Errors of exactly 0 (below rounding) are left out.
    """
    eps = np.asarray(eps, dtype=float)
    errors = np.asarray(errors, dtype=float)
    if eps.shape != errors.shape or eps.ndim != 1 or not (eps > 0).all():
        raise ValueError(f"eps and errors must be (E,) with eps > 0, got {eps.shape} and {errors.shape}")
    shown = errors > 0
    data = [
        {
            "type": "scatter",
            "x": eps[shown],
            "y": errors[shown],
            "mode": "lines+markers",
            "name": "|measured − predicted|",
            "line": {"color": ERROR_COLOUR, "width": 3},
            "hovertemplate": "ε = %{x:.0e}: |measured − predicted| = %{y:.3g}<extra></extra>",
        }
    ]
    # ε² through the point at the largest ε that is well above rounding: slope 2 on log-log axes.
    anchor = int(np.argmax(eps))
    if shown[anchor]:
        data.append(
            {
                "type": "scatter",
                "x": eps,
                "y": errors[anchor] * (eps / eps[anchor]) ** 2,
                "mode": "lines",
                "name": "∝ ε² (slope 2)",
                "line": {"color": REFERENCE_COLOUR, "dash": "dash"},
                "hoverinfo": "skip",
            }
        )
    k = int(np.argmin(np.abs(np.log(eps) - np.log(chosen))))
    if shown[k]:
        data.append(
            {
                "type": "scatter",
                "x": [eps[k]],
                "y": [errors[k]],
                "mode": "markers",
                "name": f"your ε = {eps[k]:g}",
                "marker": {"color": CHOSEN_COLOUR, "size": 14, "symbol": "diamond"},
                "hovertemplate": "your ε = %{x:g}: %{y:.3g}<extra></extra>",
            }
        )
    layout = base_layout(title="The error shrinks like ε²", font_size=font_size, height=height or NUDGE_HEIGHT)
    # A label a decade (dtick 1): Plotly's "2" and "5" between them are too small to read projected.
    layout["xaxis"] = {"type": "log", "title": {"text": "ε (log scale)"}, **power_ticks(eps)}
    # "10⁻¹⁰" is wider than the numbers base_layout's left margin is planned for: 1.5 fonts
    # more, and a standoff, so that Plotly sets the title beside the labels it drew (by its own
    # estimate the title ran into them when projected).
    layout["margin"]["l"] += round(1.5 * font_size)
    length = plot_height(layout)
    layout["yaxis"] = {
        "type": "log",
        "title": {"text": "max |measured − predicted|", "standoff": font_size // 2},
        **power_ticks(errors[shown], decade_step(errors[shown], length, font_size)),
    }
    # Under the axis title, in rows that fit the width: at a fixed share of the height (y = −0.3) the
    # legend ran into "ε (log scale)" on a phone, where the plot is short.
    legend_under(data, layout, font_size)
    return make_figure(data, layout)


PATH_COLOUR = "#d55e00"  # Okabe–Ito vermillion: the selected entry's path
EDGE_COLOUR = "rgba(128, 128, 128, 0.35)"  # every other connection: grey, readable on light and dark
NODES_SHOWN = 8  # beyond this many nodes in a column, only the ends and the selected one are drawn


def _shown(size: int, selected: int) -> list[int]:
    if size <= NODES_SHOWN:
        return list(range(size))
    return sorted({0, 1, selected, size - 2, size - 1})


def _rows(indices: list[int]) -> tuple[dict[int, float], list[float], int]:
    """A column's rows, top to bottom, evenly spaced: (each node's height, the heights of its "⋮"
    where nodes are left out, the number of rows). At 64 inputs x₁ then x₆₂ read as neighbours."""
    slots: list[int | None] = []
    for k in indices:
        if slots and k - slots[-1] > 1:
            slots.append(None)  # a gap: "⋮"
        slots.append(k)
    heights = [1.0 - (r + 0.5) / len(slots) for r in range(len(slots))]
    nodes = {k: h for k, h in zip(slots, heights, strict=True) if k is not None}
    return nodes, [h for k, h in zip(slots, heights, strict=True) if k is None], len(slots)


Y_SPAN = 1.13  # the path diagram's y range, −0.05 to 1.08: the top z node's label inside


def _column_range(labels: list[str], left: int, right: int, layout: dict, font_size: int) -> list[float]:
    """The x range of the path diagram (columns at 0, 1, 2) that leaves the x column's labels room on
    the left and the p column's on the right, at the narrowest width planned.

    A phone's plot cut "p0=0.0186" to "p0=0.01". With L and R px of labels (and the node and a
    gap) each side, the span s solves s = 2 + (L + R)·s / W, so a unit is W / s px.
    """
    width = narrowest_plot_width(layout, font_size, colorbar=False)

    def room(texts: list[str]) -> float:
        return max(text_width(t, font_size) for t in texts) + 1.5 * font_size  # + the node's radius and a gap

    side_l, side_r = room(labels[:left]), room(labels[-right:])
    span = max(3.6, 2 / max(0.25, 1 - (side_l + side_r) / width))  # 3.6: the range a desktop had
    a, b = side_l * span / width, side_r * span / width  # in x units
    slack = max(0.0, span - 2 - a - b) / 2
    return [-(a + slack), 2 + b + slack]


def layer_path_diagram(
    x: np.ndarray,
    z: np.ndarray,
    p: np.ndarray,
    selected: tuple[int, int, int],
    value: float,
    *,
    font_size: int = 14,
    height: int | None = None,
    theme: str = "light",
) -> Fig:
    """The layer as a graph x → z → p, with the path of the selected entry highlighted.

    x: (n,) inputs, z: (K,) logits, p: (K,) probabilities; selected (t, i, j) is ∂p_t/∂W[j, i]:
    weight W[j, i] is the edge x_j → z_i (the only logit it moves: dz/dW's sparsity), and softmax
    joins z_i to every p, so the path goes on along z_i → p_t (J[t, i]). ``value``: the entry, from core.
    Columns with more than NODES_SHOWN nodes show only both ends and the selected node.
    """
    x, z, p = (np.asarray(a, dtype=float) for a in (x, z, p))
    n, K = len(x), len(z)
    t, i, j = (int(s) for s in selected)
    if p.shape != (K,) or not (0 <= t < K and 0 <= i < K and 0 <= j < n):
        raise ValueError(f"selected {selected!r} or p {p.shape} does not fit n = {n}, K = {K}")
    xs, zs, ps = _shown(n, j), _shown(K, i), _shown(K, t)
    columns = [_rows(shown) for shown in (xs, zs, ps)]
    (hx, _, _), (hz, _, _), (hp, _, _) = columns
    gaps = [(col, y) for col, (_, column_gaps, _) in enumerate(columns) for y in column_gaps]
    grey_x, grey_y = [], []
    for a in xs:
        for k in zs:
            if (a, k) != (j, i):
                grey_x += [0, 1, None]
                grey_y += [hx[a], hz[k], None]
    for k in zs:
        for m in ps:
            if (k, m) != (i, t):
                grey_x += [1, 2, None]
                grey_y += [hz[k], hp[m], None]
    data = [
        {
            "type": "scatter",
            "x": grey_x,
            "y": grey_y,
            "mode": "lines",
            "line": {"color": EDGE_COLOUR, "width": 1},
            "hoverinfo": "skip",
            "name": "other connections",
        },
        {
            "type": "scatter",
            "x": [0, 1, 2],
            "y": [hx[j], hz[i], hp[t]],
            "mode": "lines",
            "line": {"color": PATH_COLOUR, "width": 5},
            "name": f"path of ∂p{sub(t)}/∂W[{j},{i}]",
            "hoverinfo": "skip",
        },
    ]
    on_path = [a == j for a in xs] + [k == i for k in zs] + [m == t for m in ps]
    nodes = [(f"x{sub(a)}", x[a]) for a in xs] + [(f"z{sub(k)}", z[k]) for k in zs] + [(f"p{sub(m)}", p[m]) for m in ps]
    values = [f"{name}={fmt(value, zeros=True)}" for name, value in nodes]  # "z₄=0.160" beside "z₃=0.546"
    # On a phone the middle column's values ran over each other's edges: there only the path's nodes
    # carry their value (every node keeps it in its hover).
    narrow = planned_for_phone(font_size)
    labels = [name if narrow and not on else shown for (name, _), shown, on in zip(nodes, values, on_path, strict=True)]
    data.append(
        {
            "type": "scatter",
            "x": [0] * len(xs) + [1] * len(zs) + [2] * len(ps),
            "y": [hx[a] for a in xs] + [hz[k] for k in zs] + [hp[m] for m in ps],
            "mode": "markers+text",
            "text": labels,
            "textposition": ["middle left"] * len(xs) + ["top center"] * len(zs) + ["middle right"] * len(ps),
            "marker": {
                "size": 16,
                "color": [PATH_COLOUR if on else "#999999" for on in on_path],
                "line": {"width": 1, "color": "#555555"},
            },
            "hovertext": values,
            "hoverinfo": "text",
            "name": "nodes",
            "showlegend": False,
            "cliponaxis": False,  # the range below leaves the side labels room; a slightly long one is not cut
        }
    )
    if gaps:  # where a column leaves nodes out
        data.append(
            {
                "type": "scatter",
                "x": [col for col, _ in gaps],
                "y": [y for _, y in gaps],
                "mode": "text",
                "text": ["⋮"] * len(gaps),
                "textfont": {"size": round(font_size * 1.3)},
                "hoverinfo": "skip",
                "showlegend": False,
                "name": "left out",
            }
        )
    # Each path edge is named on its middle, on the page's colour: above it, the name ran into the
    # z nodes' labels on a phone (70 px between columns).
    edges = [
        {
            "x": (x0 + x1) / 2,
            "y": (y0 + y1) / 2,
            "text": text,
            "showarrow": False,
            "font": {"color": PATH_COLOUR},
            "bgcolor": palette(theme).page,
        }
        for (x0, y0), (x1, y1), text in (
            ((0, hx[j]), (1, hz[i]), f"W[{j},{i}]"),  # short: a phone is 390 px wide
            ((1, hz[i]), (2, hp[t]), f"J[{t},{i}]"),
        )
    ]
    layout = base_layout(
        title=f"∂p{sub(t)}/∂W[{j},{i}] = J[{t},{i}]·x{sub(j)} = {fmt(value, 4)}",
        font_size=font_size,
        height=height or 360,
        theme=theme,
        above=ABOVE_LINE,  # the column names
    )
    # No axes: the side margins kept for their labels go to the plot, where the nodes' labels are.
    layout["margin"]["l"] = layout["margin"]["r"] = font_size // 2
    # Rows far enough apart that a z node's label, above it, clears the node above (at 8 classes
    # each label sat on the next node up): a node, a line of text and a gap, 2.9 font sizes.
    rows = max(count for *_, count in columns)
    layout["height"] += max(0, round(2.9 * font_size * rows * Y_SPAN - plot_height(layout)))
    layout["xaxis"] = {
        "visible": False,
        "range": _column_range(labels, len(xs), len(ps), layout, font_size),
        "tickvals": [0, 1, 2],
        "fixedrange": True,
    }
    layout["yaxis"] = {"visible": False, "range": [-0.05, Y_SPAN - 0.05], "fixedrange": True}
    # The column names over the plot, clear of the top z node's label (they sat inside, on it).
    names = [
        {"x": col, "y": 1.0, "yref": "paper", "yanchor": "bottom", "text": f"<b>{name}</b>", "showarrow": False}
        for col, name in ((0, "x"), (1, "z = Wᵀx"), (2, "p"))
    ]
    # No axes: a transparent plot background keeps the theme-coloured labels readable in dark mode,
    # and the bottom margin kept for an x axis goes to the plot.
    layout |= {"annotations": edges + names, "showlegend": False, "plot_bgcolor": "rgba(0,0,0,0)"}
    layout["margin"]["b"] = font_size
    return make_figure(data, layout)
