"""dp/dW of the whole layer three ways: the full product, the shortcut, and their difference (seed 002)."""

from __future__ import annotations

import math

import numpy as np

import core

from ..text import NO_BREAK_SPACE
from .common import (
    ABOVE_LINE,
    DIVERGING,
    LARGE_FONT,
    LINE,
    MINUS,
    ROW,
    Fig,
    as_finite_vector,
    as_positive_temperature,
    base_layout,
    block_guides,
    cell_fields,
    cell_font,
    check_index_tuple,
    click_targets,
    clicked_index,
    colorbar,
    compact_floats,
    default_height,
    flat_bar,
    flat_bar_room,
    fmt,
    fmt_cells,
    make_figure,
    matrix_numbers,
    narrowest_plot_width,
    panel_title,
    per_cell_hover,
    plot_height,
    positions,
    room_for_rows,
    row_axis,
    selection_outline,
    sub,
    weight_axis,
    weight_grid_gaps,
    wrap_text,
)

# A quarter of a 1080p projector's screen: the least height of each panel in classroom mode.
PROJECTED_PANEL_HEIGHT = 270
# Vertical extent (paper coordinates) of the three panels, top to bottom, when each title is one line.
DOMAINS = ([0.70, 1.0], [0.36, 0.64], [0.0, 0.28])
PANELS = ("product", "shortcut", "difference")
DIFFERENCE_HEADROOM = 1.2  # the difference panel's colour scale, × its largest |Δ|
TITLE_LIFT = 2  # × font: the top panel's title over the plot, above its class labels


def panel_extents(lines: list[int], layout: dict, font_size: int, bar_gap: int = 0) -> list[list[float]]:
    """``DOMAINS``, or where a gap is too short for the title over it (several lines, or a short
    plot), domains whose gaps hold it and a font size of air.

    ``lines``: each panel's title lines, top to bottom. The top title's extra lines go into the top
    margin (``layout``'s margin and height grow); a lower title's into the gap above its panel.
    ``bar_gap`` (px): room for a horizontal colour bar between the shortcut and difference panels
    (a phone); the figure grows by as much, so the panels keep their height.
    """
    extra = round((lines[0] - 1) * LINE * font_size)
    layout["margin"]["t"] += extra
    layout["height"] += extra + bar_gap
    plot = plot_height(layout)
    gaps = [
        max(
            DOMAINS[k - 1][0] - DOMAINS[k][1],
            # a font size of air between a title and the axis line of the panel above
            ((lines[k] * LINE + 1) * font_size + (bar_gap if k == 2 else 0)) / plot,
        )
        for k in (1, 2)
    ]
    shares = [hi - lo for lo, hi in DOMAINS]
    scale = (1 - sum(gaps)) / sum(shares)
    out, top = [], 1.0
    for k, share in enumerate(shares):
        bottom = 0.0 if k == len(shares) - 1 else top - share * scale
        out.append([round(bottom, 6), round(top, 6)])
        if k < len(gaps):
            top = bottom - gaps[k]
    return out


def panel_bars(
    layout: dict, domains: list[list[float]], font_size: int, bar_room: int, axis_room: int
) -> tuple[dict, dict]:
    """Placements of the two colour bars of a product | shortcut | difference figure (``flat_bar_room``
    gives ``bar_room`` and ``axis_room``): product and shortcut's, then the difference's.

    On a desktop (``bar_room`` 0) upright right of the plots, as tall as the panels they colour. On a
    phone horizontal: product and shortcut's in the gap under the shortcut panel (``panel_extents(...,
    bar_gap)`` makes it), the difference's under the lowest axis (``axis_room`` px: labels and title).
    """
    if bar_room:
        plot = plot_height(layout)
        return flat_bar(domains[1][0] - 8 / plot, font_size), flat_bar(-axis_room / plot, font_size)
    bar = dict(thickness=max(12, font_size), x=1.01, xanchor="left", yanchor="middle")
    (lo, hi), (d_lo, d_hi) = (domains[1][0], domains[0][1]), domains[2]
    return dict(y=(lo + hi) / 2, len=hi - lo, **bar), dict(y=(d_lo + d_hi) / 2, len=d_hi - d_lo, **bar)


def max_abs_difference_text(diff: np.ndarray) -> str:
    """ "max |Δ| = 1.4 × 10⁻¹⁷": how far the product and the shortcut are apart (rounding only)."""
    return f"max |Δ| = {fmt(float(np.max(np.abs(diff))), 2, power=True)}"


def _as_layer_matrix(value, name: str, K: int, n: int) -> np.ndarray:
    try:
        M = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a (K, K·n) matrix of numbers") from None
    if M.shape != (K, K * n):
        raise ValueError(f"{name} must have shape (K, K·n) = ({K}, {K * n}), got {M.shape}")
    if not np.isfinite(M).all():
        raise ValueError(f"{name} contains NaN or infinity")
    return M


def agreement(product: np.ndarray, shortcut: np.ndarray) -> tuple[str, float]:
    """("agree" or "DIFFER", the residue) of two (K, K·n) dp/dW matrices.

    "agree" only when the difference is rounding-sized: a wrong input must not be praised. The
    residue is max |Δ|, or one rounding step of the values (machine epsilon × max |value|) when Δ
    is exactly 0: the scale of the difference panel's colours.
    """
    diff = float(np.max(np.abs(product - shortcut)))
    scale = max(float(np.max(np.abs(product))), float(np.max(np.abs(shortcut))), 1e-300)
    verdict = "agree" if diff <= 1e-9 * scale else "DIFFER"
    return verdict, diff or float(np.finfo(float).eps) * scale


def difference_axis(verdict: str, residue: float, font_size: int, side: str | None = None, **bar) -> dict:
    """The colour axis of a difference panel: ±``residue`` around 0 (not a fixed ±0.5 that shows
    rounding as "exactly 0"), titled as rounding when they agree, three ticks (−max, 0, +max:
    Plotly's own steps crowd a short bar with 1e−17 labels). ``bar``: the colour bar's placement.

    The scale runs a fifth past ±max, so the +max label sits inside the bar: at its very end it
    touched the bar's title (projected). A difference is ~0 everywhere; no colour is lost."""
    return {
        "colorscale": DIVERGING,
        "cmin": -DIFFERENCE_HEADROOM * residue,
        "cmax": DIFFERENCE_HEADROOM * residue,
        "colorbar": colorbar(
            "Δ (rounding)" if verdict == "agree" else "Δ",
            font_size,
            side=side,
            tickvals=[-residue, 0, residue],
            ticktext=[f"{MINUS}{fmt(residue, 2, power=True)}", "0", fmt(residue, 2, power=True)],
            **bar,
        ),
    }


def panel_titles(T: float, diff: np.ndarray) -> tuple[str, str, str]:
    """The titles of the product, shortcut and difference panels (``diff`` = product − shortcut).

    No-break spaces inside each formula: a narrow title wraps between its parts, never inside one.
    """
    nb = NO_BREAK_SPACE
    t_div = "" if T == 1.0 else f"{nb}/{nb}T"
    return (
        f"Full product J{nb}·{nb}dz/dW",
        f"Shortcut p_t(δ_ti{nb}{MINUS}{nb}p_i)·x_j{t_div}",
        f"Difference (product{nb}{MINUS}{nb}shortcut), {max_abs_difference_text(diff).replace(' ', nb)}",
    )


def checked_layer(x, p, product, shortcut, temperature):
    """(x, p, T, product, shortcut) as finite arrays, (n,), (K,), T > 0, (K, K·n) twice; else ValueError."""
    x = as_finite_vector(x, "x")
    p = as_finite_vector(p, "p")
    K, n = p.shape[0], x.shape[0]
    T = as_positive_temperature(temperature)
    return x, p, T, _as_layer_matrix(product, "product", K, n), _as_layer_matrix(shortcut, "shortcut", K, n)


def _hover(x, p, J, product, shortcut, T) -> tuple[tuple[np.ndarray, str], ...]:
    """Hover of the three panels: per cell a short row of fields, and one template that spells it out.

    Each panel is ``(fields, template)``, fields (K, K·n, m) objects, numbers preformatted by ``fmt``,
    column i·n + j holding W[j, i]; row t is the point's y (the axes are numeric), so no field repeats
    it. Two ways to one number: the product's hover is its own sum, Σ_k J[t,k]·∂z_k/∂W[j,i], of which
    only k = i is non-zero, [i, j, J[t,i], x_j, value]; the shortcut's is p_t(δ_ti − p_i)·x_j,
    [i, j, p_t, δ_ti, p_i, x_j, value]; the difference's [i, j] names the weight beside its own z.
    A sentence per cell would be ~230 bytes, five times the fields, sent again on every move.
    """
    K, n = p.shape[0], x.shape[0]
    t_idx, i_idx, j_idx = np.meshgrid(np.arange(K), np.arange(K), np.arange(n), indexing="ij")
    t_idx, i_idx, j_idx = (a.reshape(K, K * n) for a in (t_idx, i_idx, j_idx))
    ps = np.array([fmt(v) for v in p.tolist()], dtype=object)
    xs = np.array([fmt(v) for v in x.tolist()], dtype=object)
    js = np.array(fmt_cells(J), dtype=object)

    t_sym, t_num = ("", "") if T == 1.0 else (" / T", f" / {fmt(T)}")
    head = f"<b>∂p<sub>{ROW}</sub>/∂W[%{{customdata[1]}},%{{customdata[0]}}]</b>"
    where = f"t = {ROW}, i = %{{customdata[0]}}, j = %{{customdata[1]}}"
    end = "<extra></extra>"
    return (
        (
            cell_fields(i_idx, j_idx, js[t_idx, i_idx], xs[j_idx], fmt_cells(product)),
            f"{head}, full product ({where})<br>Σ_k J[t,k]·∂z_k/∂W[j,i] = J[t,i]·x_j (only k = i is non-zero)"
            "<br>= %{customdata[2]} × %{customdata[3]} = %{customdata[4]}" + end,
        ),
        (
            cell_fields(
                i_idx, j_idx, ps[t_idx], (t_idx == i_idx).astype(int), ps[i_idx], xs[j_idx], fmt_cells(shortcut)
            ),
            f"{head}, shortcut ({where})<br>p_t(δ_ti {MINUS} p_i)·x_j{t_sym}"
            f"<br>= %{{customdata[2]}} × (%{{customdata[3]}} {MINUS} %{{customdata[4]}}) × %{{customdata[5]}}{t_num}"
            " = %{customdata[6]}" + end,
        ),
        (
            cell_fields(i_idx, j_idx),
            f"{head}<br>product {MINUS} shortcut = %{{z:.2~g}}{end}",
        ),  # ~0 everywhere: its own z says it
    )


def layer_derivative_figure(
    x,
    p,
    product,
    shortcut,
    temperature: float = 1.0,
    *,
    jacobian=None,
    selected: tuple[int, int, int] | None = None,
    font_size: int = 14,
    height: int | None = None,
    clickable: bool = False,
    theme: str = "light",
) -> Fig:
    """Three stacked (K, K·n) heatmaps of dp/dW: product, shortcut, and product − shortcut.

    x: (n,), p: (K,) the layer's output; product = core.layer_jacobian_product(x, W, T) and
    shortcut = core.layer_jacobian_shortcut(x, W, T), both (K, K·n) with entry
    [t, i·n + j] = ∂p_t/∂W[j, i]. Row t (0 at the top) is p_t; columns are grouped in K class
    blocks. Product and shortcut share one colour axis (same colours = same numbers); the
    difference has its own, and its panel title states max |Δ|. ``jacobian``: J = ∂p/∂z at p and T,
    (K, K), for the product's hovers (core.softmax_jacobian(p, T) when None).
    Cell (t, c) sits at numeric position (c, t): the click points are numbers, not a label each.
    Above ``per_cell_hover`` no cell carries fields: the axes are then labelled categories, which
    its hover reads.
    ``selected=(t, i, j)`` outlines cell (t, i·n + j) in all three panels.
    ``clickable``: heatmap cells cannot be selected in Plotly, so an invisible point sits on
    each cell of the product and shortcut panels and carries its hover; a click on a cell then
    selects point number t·(K·n) + i·n + j of trace ``CLICK_TRACE_NAME`` (see ``clicked_entry``).
    Only where per-cell hovers are drawn (small sizes).
    ``theme``: separators and outlines in that theme's ink.
    """
    x, p, T, product, shortcut = checked_layer(x, p, product, shortcut, temperature)
    K, n = p.shape[0], x.shape[0]
    if selected is not None:
        selected = check_index_tuple(selected, ("t", "i", "j"), (K, K, n))
    J = core.softmax_jacobian(p, T) if jacobian is None else np.asarray(jacobian, dtype=float)
    if J.shape != (K, K) or not np.isfinite(J).all():
        raise ValueError(f"jacobian must be a finite (K, K) = ({K}, {K}) matrix, got shape {J.shape}")
    diff = product - shortcut
    C = K * n
    rows = [f"p{sub(t)}" for t in range(K)]
    cols = core.weight_labels(n, K)

    light = not per_cell_hover(3 * K, C)  # three panels of hover strings share one figure's JSON budget
    traces = []
    hovers = (None, None, None) if light else _hover(x, p, J, product, shortcut, T)
    labels = dict(x=cols, y=rows) if light else {}  # light: no fields name a cell, the axes' labels do
    # Numbers on the product and the shortcut, or on neither (side by side they are compared). None on
    # the difference: its cells are all ~0 (the title gives max |Δ|), and every SVG label costs the
    # browser a text measurement on each redraw.
    size = cell_font(font_size, 0.75)
    texts = [matrix_numbers(M, size, font_size) for M in (product, shortcut)]  # even digits side by side
    texts = [*texts, None] if None not in texts else [None] * 3
    for k, (name, M, hover) in enumerate(zip(PANELS, (product, shortcut, diff), hovers, strict=True)):
        ax = "" if k == 0 else str(k + 1)
        tr = dict(
            z=compact_floats(M),  # colour, and the hover's few digits
            name=name,
            xaxis=f"x{ax}",
            yaxis=f"y{ax}",
            coloraxis="coloraxis2" if name == "difference" else "coloraxis",
            **labels,
            **weight_grid_gaps(K, C),
        )
        if hover is None:
            tr["hovertemplate"] = f"∂%{{y}}/∂%{{x}}, {name} = %{{z:.3g}}<extra></extra>"
        elif clickable and name != "difference":
            tr["hoverinfo"] = "skip"  # the click points on top carry this hover
        else:
            tr.update(customdata=hover[0], hovertemplate=hover[1])
        if texts[k] is not None:
            tr.update(text=texts[k], texttemplate="%{text}", textfont={"size": size})
        traces.append({"type": "heatmap", **tr})

    titles = panel_titles(T, diff)
    lim_title = "∂p_t/∂W[j,i]"
    verdict, residue = agreement(product, shortcut)
    layout = base_layout(
        title=f"dp/dW ({K}×{C}): product and shortcut {verdict}",
        subtitle="columns W[j,i] in class blocks (class-major, column i·n + j); rows p_t",
        font_size=font_size,
        theme=theme,
        height=height if height is not None else default_height(460, font_size, K, 66, cap=1500),
        above=TITLE_LIFT + ABOVE_LINE,  # the top panel's class labels, its title above them
    )
    weight = weight_axis(layout, cols, n, font_size, "weight W[j,i]")  # grows the bottom margin: first
    # The page's height is a floor: each row of the smallest panel gets room for its label.
    room_for_rows(layout, 3 * K, font_size, fraction=sum(hi - lo for lo, hi in DOMAINS))
    if font_size >= LARGE_FONT:  # projected: each panel at least a quarter of the screen, read from the back
        smallest = min(hi - lo for lo, hi in DOMAINS)
        margins = layout["margin"]["t"] + layout["margin"]["b"]
        layout["height"] = max(layout["height"], math.ceil(margins + PROJECTED_PANEL_HEIGHT / smallest))
    # On a phone the colour bars lie under their panels: the difference's under the weight labels,
    # product and shortcut's in the gap under the shortcut panel (panel_extents makes it).
    bar_room, axis_room = flat_bar_room(layout, font_size)
    width = narrowest_plot_width(layout, font_size, colorbar=not bar_room)
    # Each title wrapped to the plot's width: past it, it ran into the colour bar (a phone, the
    # Presenter path's Reveal); the panels then make room for its lines.
    titles = [wrap_text(title, font_size, width) for title in titles]
    domains = panel_extents([title.count("<br>") + 1 for title in titles], layout, font_size, bar_room)
    shapes, annotations = [], []
    for k, (dom, title) in enumerate(zip(domains, titles, strict=True)):
        ax = "" if k == 0 else str(k + 1)
        # The top panel carries the class labels above it: lift its title above them.
        annotations.append(panel_title(title, dom[1], font_size, lift=TITLE_LIFT * font_size if k == 0 else 2))
        separators, labels = block_guides(K, n, K, "class", font_size, width, theme, axis=ax, top=dom[1])
        shapes += separators
        if k == 0:
            annotations += labels
        if selected is not None:
            t, i, j = selected
            cell = (width / (K * n), plot_height(layout, dom[1] - dom[0]) / K)
            shapes += selection_outline(t, i * n + j, xref=f"x{ax}", yref=f"y{ax}", theme=theme, cell_px=cell)

    top, bottom = panel_bars(layout, domains, font_size, bar_room, axis_room)
    side = "top" if bar_room else None
    layout.update(
        shapes=shapes,
        annotations=annotations,
        coloraxis={"colorscale": DIVERGING, "cmid": 0, "colorbar": colorbar(lim_title, font_size, side, **top)},
        coloraxis2=difference_axis(verdict, residue, font_size, side, **bottom),
    )
    # One set of row labels for the three panels, as many as the smallest holds: the top panel is a
    # little taller, and at 8 × 8 it alone labelled every row.
    smallest = min(hi - lo for lo, hi in domains)
    rows_axis = row_axis(rows, plot_height(layout, smallest), font_size, "p_t", points=True)
    for k, dom in enumerate(domains):
        ax = "" if k == 0 else str(k + 1)
        xa = {"anchor": f"y{ax}", "showgrid": False, "zeroline": False, "tickmode": "array"}
        if k == 0:
            # The class labels above it are annotations (block_guides). No tick marks either: they
            # stood over the next panel's title. The range is the cells': Plotly padded it for the
            # click points, and an 8 × 8 layer's panels stood 40 px off their axes on each side.
            xa.update(showticklabels=False, ticks="", range=[-0.5, C - 0.5])
        elif k == 1:
            xa.update(matches="x", showticklabels=False, ticks="")
        else:
            xa.update(matches="x", **weight)
        layout[f"xaxis{ax}"] = xa
        layout[f"yaxis{ax}"] = {"domain": dom, "anchor": f"x{ax}", **rows_axis}
    if clickable and not light:
        traces += _click_layers(K, C, hovers[:2])
        layout["hoverdistance"] = -1  # the nearest cell centre anywhere in the panel, not within 20 px
        layout["clickmode"] = "event+select"
    return make_figure(traces, layout)


CLICK_TRACE_NAME = "cells"
CLICK_CURVES = (3, 4)  # trace numbers of the click points: after the three heatmaps


def _click_layers(K: int, C: int, hovers) -> list[dict]:
    """Invisible points on the product (panel 1) and shortcut (panel 2) cells, holding their hovers."""
    xs = positions(np.tile(np.arange(C), K))  # row-major: point t·C + c is cell (t, c)
    ys = positions(np.repeat(np.arange(K), C))
    return [
        click_targets(
            xs,
            ys,
            name=CLICK_TRACE_NAME,
            customdata=fields.reshape(K * C, -1),
            hovertemplate=template,
            axis="" if k == 0 else str(k + 1),
        )
        for k, (fields, template) in enumerate(hovers)
    ]


def clicked_entry(point: dict, n: int, K: int) -> tuple[int, int, int] | None:
    """(t, i, j) of a clicked cell from a Streamlit selection point, or None if it is not a cell."""
    index = clicked_index(point, CLICK_CURVES, K * K * n)
    if index is None:
        return None
    t, col = divmod(index, K * n)
    i, j = divmod(col, n)
    return t, i, j
