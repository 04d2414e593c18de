"""Figures for the Loss and gradient page: arrays in, plotly Figure out (no streamlit).

Notation (DESIGN.md): x (n,), W (n, K), p (K,), y (K,) target, ∂L/∂p and ∂L/∂z (K,),
∂L/∂W (n, K). Every heatmap is diverging, centred at 0, with a titled colour bar; every
cell's hover states its formula with the live numbers.
"""

from __future__ import annotations

import numpy as np

from pages.loss_parts.text import LOSS_TITLES, grad_p_hover, grad_z_hover, weight_grad_hover
from ui.figures.common import (
    ABOVE_LINE,
    DIVERGING,
    TOP_AXIS,
    Fig,
    bar_under_axis,
    base_layout,
    cell_font,
    colorbar,
    decade_step,
    fitting_ticks,
    fmt,
    fmt_cells,
    label_extent,
    make_figure,
    matrix_numbers,
    narrowest_plot_width,
    palette,
    per_cell_hover,
    plot_height,
    power_ticks,
    room_for_rows,
    sub,
    symmetric_limit,
    weight_axis,
)
from ui.figures.panels import fit_legend, panel_layout
from ui.text import weight_labels, whole

TARGET_COLOUR = "#d55e00"  # Okabe–Ito vermillion: the target class everywhere on this page
OTHER_COLOUR = "#0072b2"  # Okabe–Ito blue
LOSS_COLOURS = {"cross_entropy": "#009e73", "mse": "#cc79a7"}  # Okabe–Ito green / purple
# The other classes' lines in the descent: Okabe–Ito without the target's vermillion, told apart
# by colour and dash (the legend would otherwise show one colour for every non-target class).
CLASS_COLOURS = ("#0072b2", "#e69f00", "#56b4e9", "#009e73", "#cc79a7", "#f0e442", "#999999")
CLASS_DASHES = ("solid", "dash", "dot", "dashdot")
# Up to this many cells of ∂L/∂W, each hover is a sentence with its own numbers (~60 bytes);
# beyond, the row's and column's factors are written once each.
HOVER_SENTENCE_LIMIT = 256


def gradient_bars(
    p: np.ndarray,
    y: np.ndarray,
    grad_p: np.ndarray,
    grad_z: np.ndarray,
    loss: str,
    temperature: float = 1.0,
    *,
    font_size: int = 14,
    height: int | None = None,
    theme: str = "light",
) -> Fig:
    """Two bar charts side by side: ∂L/∂p (K bars) and ∂L/∂z (K bars); the target class is coloured.

    p, y, grad_p, grad_z: (K,). Hovers give each bar's formula with its numbers.
    """
    K = len(p)
    target = int(np.argmax(y))
    classes = [f"class {k}" for k in range(K)]
    colours = [TARGET_COLOUR if k == target else OTHER_COLOUR for k in range(K)]
    panels, (left, right), total = panel_layout(("∂L/∂p", "∂L/∂z"), font_size, height or 340, theme)
    hovers = (
        [grad_p_hover(k, p[k], y[k], grad_p[k], loss, K) for k in range(K)],
        [grad_z_hover(k, p[k], y[k], grad_z[k], loss, temperature) for k in range(K)],
    )
    data = [
        {
            "type": "bar",
            "x": classes,
            "y": values,
            "marker": {"color": colours},
            "name": name,
            "hovertext": hover,
            "hoverinfo": "text",
            "xaxis": axes[0],
            "yaxis": axes[1],
        }
        for name, values, hover, axes in zip(("∂L/∂p", "∂L/∂z"), (grad_p, grad_z), hovers, (left, right), strict=True)
    ]
    layout = base_layout(
        title=f"{LOSS_TITLES[loss]}: target class {target} in orange",
        font_size=font_size,
        height=total,
        theme=theme,
        above=ABOVE_LINE,  # the plots' names
    )
    return make_figure(data, layout | panels | {"showlegend": False})


def weight_gradient_heatmap(
    x: np.ndarray,
    grad_z: np.ndarray,
    G: np.ndarray,
    *,
    font_size: int = 14,
    height: int | None = None,
    theme: str = "light",
) -> Fig:
    """∂L/∂W = x·(∂L/∂z)ᵀ, given as G (n, K) by core, as a heatmap: row j = input j, column k = class k.

    x (n,) and grad_z (K,) are its factors, for the hovers: "∂L/∂W[j,k] = x_j · ∂L/∂z_k = 0.5 × 0.12 = 0.06".
    """
    x = np.asarray(x, dtype=float)
    g = np.asarray(grad_z, dtype=float)
    G = np.asarray(G, dtype=float)
    n, K = G.shape
    if x.shape != (n,) or g.shape != (K,):
        raise ValueError(f"x must be ({n},) and grad_z ({K},) to match G {G.shape}, got {x.shape} and {g.shape}")
    lim = symmetric_limit(G)
    rows, classes = [f"j={j}" for j in range(n)], [f"k={k}" for k in range(K)]
    if n * K <= HOVER_SENTENCE_LIMIT:
        hover = {"hovertext": [[weight_grad_hover(j, k, x[j], g[k], G[j, k]) for k in range(K)] for j in range(n)]}
        hover["hoverinfo"] = "text"
        ys, xs = rows, classes
    else:
        # The row's and column's factors are written once, in their axis' categories (tick labels
        # come from ticktext); a cell carries only its value: 274 kB of sentences at 64 × 32 became 45.
        ys = [f"row j = {j}: x{sub(j)} = {fmt(v)}" for j, v in enumerate(x)]
        xs = [f"column k = {k}: ∂L/∂z{sub(k)} = {fmt(v)}" for k, v in enumerate(g)]
        hover = {
            "customdata": fmt_cells(G),
            "hovertemplate": "<b>∂L/∂W[j,k] = x_j · ∂L/∂z_k = %{customdata}</b><br>%{y}<br>%{x}<extra></extra>",
        }
    size = cell_font(font_size)
    text = matrix_numbers(G, size, font_size, 64)
    trace = {
        "type": "heatmap",
        "z": G.astype(np.float32),  # colour only: the numbers shown are strings
        "x": xs,
        "y": ys,
        "colorscale": DIVERGING,
        "zmin": -lim,
        "zmax": lim,
        "zmid": 0,
        "xgap": 1 if K <= 16 else 0,
        "ygap": 1 if n <= 16 else 0,
        # Each cell's number when there are few (the 3 × 5 of the blog); colour alone beyond.
        **({"text": text, "texttemplate": "%{text}"} if text else {}),
        "textfont": {"size": size},
        **hover,
    }
    layout = base_layout(
        title=f"∂L/∂W = x·(∂L/∂z)ᵀ  {whole('(n × K)')}",
        font_size=font_size,
        height=height or max(260, min(700, 60 + 26 * n)),
        theme=theme,
        above=TOP_AXIS,  # the class axis, on top
    )
    # Nothing under the plot (its class axis is on top): the bottom margin given back, and on a
    # phone the colour bar goes there, across the plot.
    layout["height"] -= layout["margin"]["b"] - font_size
    layout["margin"]["b"] = font_size
    trace["colorbar"], flat = bar_under_axis(layout, colorbar("∂L/∂W", font_size), font_size)
    # Row labels a text line apart (Plotly's own thinning left 64 rows' labels touching on a phone).
    shown = fitting_ticks(n, plot_height(layout), font_size)
    layout["yaxis"] = {"autorange": "reversed", "title": {"text": "input j"}, **_short_ticks(ys, rows, shown)}
    # Level and thinned to fit: turned on end, 32 classes' labels reached up into the title.
    width = narrowest_plot_width(layout, font_size, colorbar=not flat)
    shown = fitting_ticks(K, width, font_size, label_extent(classes))
    layout["xaxis"] = {"title": {"text": "class k"}, "side": "top", "tickangle": 0, **_short_ticks(xs, classes, shown)}
    return make_figure([trace], layout)


def _axis(layout: dict, ref: str) -> dict:
    """The layout's axis dict of a trace's axis reference ("x2" → layout["xaxis2"])."""
    return layout[f"{ref[0]}axis{ref[1:]}"]


def _short_ticks(categories: list[str], labels: list[str], shown: list[int]) -> dict:
    """A category axis's ticks at positions ``shown``, each written as its short label ("j=3"),
    whatever its category says (a big layer's "row j = 3: x₃ = 0.52", for the hover)."""
    return {"tickmode": "array", "tickvals": [categories[k] for k in shown], "ticktext": [labels[k] for k in shown]}


def column_sum_heatmap(
    terms: np.ndarray, by_columns: np.ndarray, *, font_size: int = 14, height: int | None = None, theme: str = "light"
) -> Fig:
    """The blog's "sum up the adjustments in each column".

    terms: (K, K·n), row t = ∂L/∂p_t × (row t of dp/dW), class-major columns (W[j,k] at k·n + j);
    by_columns: (n, K), their column sums reshaped (core's ``LossValues.by_columns``). Drawn with
    one extra bottom row "Σ" holding the column sums, which are ∂L/∂W flattened class-major.
    """
    terms = np.asarray(terms, dtype=float)
    K, cols = terms.shape
    n = cols // K
    sums = np.asarray(by_columns, dtype=float).T.ravel()  # class-major: W[j, k] at k·n + j
    Z = np.vstack([terms, sums])
    lim = symmetric_limit(Z)
    labels = weight_labels(n, K)
    rows = [f"t={t}" for t in range(K)] + ["Σ"]
    hover = None
    if per_cell_hover(K + 1, cols):
        hover = [
            [f"∂L/∂p{sub(t)} × ∂p{sub(t)}/∂{labels[c]} = {fmt(terms[t, c])}" for c in range(cols)] for t in range(K)
        ]
        hover.append([f"Σ over t of column {c} = {fmt(sums[c])} = ∂L/∂{labels[c]}" for c in range(cols)])
    trace = {
        "type": "heatmap",
        "z": Z,
        "x": labels,
        "y": rows,
        "colorscale": DIVERGING,
        "zmin": -lim,
        "zmax": lim,
        "zmid": 0,
        **({"hovertext": hover} if hover else {}),
        "hoverinfo": "text" if hover else "x+y+z",
        "xgap": 1 if cols <= 40 else 0,
        "ygap": 1,
    }
    layout = base_layout(
        title="Weighted dp/dW and its column sums",
        subtitle="rows t: ∂L/∂p_t × (row t of dp/dW); bottom row Σ: column sums = ∂L/∂W",
        font_size=font_size,
        height=height or max(260, min(700, 90 + 30 * (K + 1))),
        theme=theme,
    )
    axis = weight_axis(layout, labels, n, font_size, "weight (class-major order, as the blog)")  # margin: first
    room_for_rows(layout, K + 1, font_size)  # the page's height is a floor: each row gets room for its label
    trace["colorbar"], _ = bar_under_axis(layout, colorbar("value", font_size), font_size)  # a phone: under the labels
    # A line above the Σ row separates the weighted rows from their sums.
    line = {"width": 3, "color": palette(theme).ink}
    layout["shapes"] = [
        {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": K - 0.5, "y1": K - 0.5, "line": line}
    ]
    row_ticks = [rows[r] for r in fitting_ticks(K + 1, plot_height(layout), font_size)]
    layout["yaxis"] = {"autorange": "reversed", "tickmode": "array", "tickvals": row_ticks}
    layout["xaxis"] = axis
    return make_figure([trace], layout)


def descent_figure(
    loss: np.ndarray,
    p: np.ndarray,
    target: int,
    *,
    font_size: int = 14,
    height: int | None = None,
    theme: str = "light",
) -> Fig:
    """Gradient descent you can watch: the loss over steps (left) and each p_k over steps (right).

    loss: (S + 1,) loss after each step (index 0 = start); p: (S + 1, K); target: the class y.
    """
    loss = np.asarray(loss, dtype=float)
    p = np.asarray(p, dtype=float)
    steps = np.arange(len(loss))
    mode = "lines+markers" if len(loss) <= 60 else "lines"
    panels, (left, right), total = panel_layout(("loss L", "probabilities p_k"), font_size, height or 360, theme, 0.1)
    data = [
        {
            "type": "scatter",
            "x": steps,
            "y": loss,
            "mode": mode,
            "name": "loss",
            "line": {"color": palette(theme).ink},
            "hovertemplate": "step %{x}: L = %{y:.4g}<extra></extra>",
            "xaxis": left[0],
            "yaxis": left[1],
        }
    ]
    K = p.shape[1]
    for k in range(K):
        is_target = k == target
        other = (k if k < target else k - 1) % (len(CLASS_COLOURS) * len(CLASS_DASHES))
        data.append(
            {
                "type": "scatter",
                "x": steps,
                "y": p[:, k],
                "mode": mode,
                "name": f"p{sub(k)}" + (" (target)" if is_target else ""),
                "line": {
                    "color": TARGET_COLOUR if is_target else CLASS_COLOURS[other % len(CLASS_COLOURS)],
                    "width": 4 if is_target else 2,
                    "dash": "solid" if is_target else CLASS_DASHES[other // len(CLASS_COLOURS)],
                },
                "opacity": 1.0 if is_target else 0.8,
                "showlegend": is_target or K <= 8,
                "hovertemplate": f"step %{{x}}: p{sub(k)} = %{{y:.4g}}<extra></extra>",
                "xaxis": right[0],
                "yaxis": right[1],
            }
        )
    layout = base_layout(
        title=f"Gradient descent: {len(loss) - 1} steps taken",
        font_size=font_size,
        height=total,
        theme=theme,
        above=ABOVE_LINE,  # the plots' names
    )
    layout |= panels
    fit_legend(data, layout, font_size)
    # Start with room for ten steps, so step 0 sits at the left edge rather than in the middle.
    for x in (left[0], right[0]):
        _axis(layout, x).update(title={"text": "step"}, range=[-0.3, max(10, len(loss) - 1) + 0.3])
    _axis(layout, right[1])["range"] = [0, 1.02]
    _axis(layout, left[1])["rangemode"] = "tozero"
    return make_figure(data, layout)


def loss_comparison_figure(
    runs: dict, target: int, *, font_size: int = 14, height: int | None = None, theme: str = "light"
) -> Fig:
    """Cross-entropy vs MSE from the same start: p_target over steps (left), ‖∂L/∂z‖ over steps (right, log).

    runs: {loss name: core.training.Trajectory} (fields p (S+1, K), grad_z (S+1, K)).
    """
    titles = (f"p{sub(target)} (the target's probability)", "‖∂L/∂z‖ (log scale)")
    panels, (left, right), total = panel_layout(titles, font_size, height or 360, theme)
    data, norms = [], []
    for name, traj in runs.items():
        steps = np.arange(traj.loss.shape[0])
        colour = LOSS_COLOURS.get(name, palette(theme).ink)
        norms.append(np.linalg.norm(traj.grad_z, axis=1))
        title = LOSS_TITLES.get(name, name)
        data.append(
            {
                "type": "scatter",
                "x": steps,
                "y": traj.p[:, target],
                "mode": "lines+markers",
                "name": title,
                "line": {"color": colour, "width": 3},
                "hovertemplate": f"{title}, step %{{x}}: p{sub(target)} = %{{y:.4g}}<extra></extra>",
                "xaxis": left[0],
                "yaxis": left[1],
            }
        )
        data.append(
            {
                "type": "scatter",
                "x": steps,
                "y": norms[-1],
                "mode": "lines+markers",
                "name": title,
                "line": {"color": colour, "width": 3},  # solid, as its legend entry (the left panel's)
                "showlegend": False,
                "hovertemplate": f"{title}, step %{{x}}: ‖∂L/∂z‖ = %{{y:.3g}}<extra></extra>",
                "xaxis": right[0],
                "yaxis": right[1],
            }
        )
    layout = base_layout(
        title="From a confidently wrong start, same learning rate",
        font_size=font_size,
        height=total,
        theme=theme,
        above=ABOVE_LINE,  # the plots' names
    )
    layout |= panels
    fit_legend(data, layout, font_size)
    for x in (left[0], right[0]):
        _axis(layout, x)["title"] = {"text": "step"}
    _axis(layout, left[1])["range"] = [0, 1.02]
    # Labels at powers of ten only: Plotly's digit labels between them are drawn at 3/4 of the font,
    # below what a projector shows (18 px in classroom mode) and crowded on a phone.
    log_axis = _axis(layout, right[1])
    length = plot_height(layout, np.ptp(log_axis["domain"]))
    step = decade_step(np.concatenate(norms), length, font_size)
    log_axis.update(type="log", **power_ticks(np.concatenate(norms), step))
    return make_figure(data, layout)


MAX_FRAMES = 100  # animation frames; longer runs are thinned evenly (first and last step always kept)


def frame_steps(n_steps: int, max_frames: int = MAX_FRAMES) -> list[int]:
    """Which steps 0..n_steps get an animation frame: all of them, or ``max_frames`` evenly spaced."""
    if n_steps + 1 <= max_frames:
        return list(range(n_steps + 1))
    return sorted({int(round(v)) for v in np.linspace(0, n_steps, max_frames)})


def probability_animation(
    p: np.ndarray, target: int, *, font_size: int = 14, height: int | None = None, theme: str = "light"
) -> Fig:
    """p as K bars, animated over the descent's steps (Plotly frames, played in the browser).

    p: (S + 1, K), row s = probabilities after step s. The faint outline bars show the start,
    so how far each p_k has moved stays visible in every frame.
    """
    p = np.asarray(p, dtype=float)
    K = p.shape[1]
    classes = [f"p{sub(k)}" for k in range(K)]
    colours = [TARGET_COLOUR if k == target else OTHER_COLOUR for k in range(K)]
    steps = frame_steps(p.shape[0] - 1)

    def bars(s: int) -> dict:
        return {
            "type": "bar",
            "x": classes,
            "y": p[s],
            "marker": {"color": colours},
            "name": f"step {s}",
            "hovertemplate": f"step {s}: %{{x}} = %{{y:.4g}}<extra></extra>",
        }

    start = {
        "type": "bar",
        "x": classes,
        "y": p[0],
        "marker": {"color": "rgba(0,0,0,0)", "line": {"color": palette(theme).ink, "width": 1.5}},
        "name": "start",
        "hovertemplate": "start: %{x} = %{y:.4g}<extra></extra>",
    }
    last = steps[-1]
    data = [bars(last), start]  # the start's outline last, so it is drawn on top of the bars
    frames = [{"data": [bars(s), start], "name": str(s)} for s in steps]
    slider_steps = [
        {"label": str(s), "method": "animate", "args": [[str(s)], {"mode": "immediate", "frame": {"duration": 0}}]}
        for s in steps
    ]
    animated = len(steps) > 1  # before the first step there is nothing to play, and Plotly draws no one-step slider
    layout = base_layout(
        title=f"p after step {last}",
        subtitle="outline: the start; press ▶ to replay"
        if animated
        else "outline: the start; take a step to see p move",
        font_size=font_size,
        height=height or 380,
        theme=theme,
    )
    layout |= {
        "barmode": "overlay",
        "showlegend": False,
        "yaxis": {"range": [0, 1.02], "title": {"text": "probability"}},
    }
    if not animated:
        return make_figure(data, layout, frames)
    layout["margin"]["b"] = 130 + 3 * font_size  # room for the slider and the play button
    layout |= dict(
        updatemenus=[
            {
                "type": "buttons",
                "showactive": False,
                "x": 0.0,
                "y": -0.25,
                "xanchor": "left",
                "buttons": [
                    {
                        "label": "▶ play",
                        "method": "animate",
                        "args": [None, {"frame": {"duration": 120, "redraw": True}, "fromcurrent": False}],
                    }
                ],
            }
        ],
        sliders=[
            {
                "active": len(steps) - 1,
                "steps": slider_steps,
                "x": 0.12,
                "len": 0.88,
                "y": -0.1,
                "currentvalue": {"prefix": "step "},
            }
        ],
    )
    return make_figure(data, layout, frames)
