"""The softmax Jacobian J = ∂p/∂z as a K×K heatmap, each cell explaining its own case (seed 001)."""

from __future__ import annotations

import numpy as np

import core

from .common import (
    DIVERGING,
    MINUS,
    Fig,
    as_finite_vector,
    as_positive_temperature,
    bar_under_axis,
    base_layout,
    cell_font,
    cell_outlines,
    check_index_tuple,
    colorbar,
    compact_floats,
    default_height,
    fitting_ticks,
    fmt,
    fmt_cells,
    label_extent,
    make_figure,
    matrix_numbers,
    narrowest_plot_width,
    palette,
    planned_for_phone,
    plot_height,
    room_for_rows,
    selection_outline,
    sub,
)

DIAGONAL_CASE = "diagonal: i = j"
OFF_DIAGONAL_CASE = "off-diagonal: i ≠ j"
SQUARE_SLACK = 1.3  # the plot at most this many times as tall as it is wide
MIN_PLOT_PX = 160  # ... but never shorter than this

# Above this size the dotted diagonal outlines merge into a staircase that hides the selection.
DIAGONAL_OUTLINE_MAX = 16
# Up to this size each cell's hover writes its formula with numbers; above, the value only: at
# K = 32 the 1,024 sentences were ~100 kB sent again on every slider move.
FORMULA_HOVER_MAX = 16


def jacobian_hover(
    p: np.ndarray, J: np.ndarray, temperature: float = 1.0, letters: tuple[str, str] = ("i", "j")
) -> np.ndarray:
    """(K, K, 2) object array of each cell's hover fields: its case, and its formula with numbers.

    Entry [i, j] is e.g. ["off-diagonal: i ≠ j", "−p₂·p₀ = −0.217 × 0.191 = −0.0414"], which
    ``HOVER`` writes out as "off-diagonal: i ≠ j<br>∂p₂/∂z₀ = −p₂·p₀ = …"; with T ≠ 1 the 1/T factor
    is written out ("… / T = … / 2 = …").
    """
    K = p.shape[0]
    ps = [fmt(v) for v in p.tolist()]
    js = fmt_cells(J)
    t_sym, t_num = ("", "") if temperature == 1.0 else (" / T", f" / {fmt(temperature)}")
    r, c = letters
    diagonal, off_diagonal = f"diagonal: {r} = {c}", f"off-diagonal: {r} ≠ {c}"
    out = np.empty((K, K, 2), dtype=object)
    for i in range(K):
        si = sub(i)
        for j in range(K):
            if i == j:
                out[i, j] = (
                    diagonal,
                    f"p{si}(1 {MINUS} p{si}){t_sym} = {ps[i]} × (1 {MINUS} {ps[i]}){t_num} = {js[i][j]}",
                )
            else:
                formula = f"{MINUS}p{si}·p{sub(j)}{t_sym} = {MINUS}{ps[i]} × {ps[j]}{t_num} = {js[i][j]}"
                out[i, j] = off_diagonal, formula
    return out


# The case and the cell's name once per figure, not once per cell (a cell's "<br>" alone is 16 bytes
# of JSON): the fields are sent on every move.
HOVER = "%{customdata[0]}<br>∂%{y}/∂%{x} = %{customdata[1]}<extra></extra>"


def jacobian_heatmap(
    p,
    J,
    temperature: float = 1.0,
    *,
    selected: tuple[int, int] | None = None,
    font_size: int = 14,
    height: int | None = None,
    theme: str = "light",
    letters: tuple[str, str] = ("i", "j"),
) -> Fig:
    """Heatmap of J = core.softmax_jacobian(p, temperature), shape (K, K), in matrix orientation.

    p: (K,) the probabilities (for the hovers' numbers); J: (K, K) core's Jacobian at that p.

    Row i (0 at the top) is ∂p_i, column j is ∂z_j: cell [i, j] = ∂p_i/∂z_j = p_i(δ_ij − p_j)/T.
    Diagonal cells (i = j, the only positive ones) get a dashed outline and bold value text.
    ``selected=(t, i)`` outlines cell row t, column i — where the explorer's entry (t, i, j) sits.
    ``letters``: the names of the row and column index in the labels, ("i", "j") by default; a
    page that also shows dp/dW's (t, i, j) passes ("t", "k") so no letter means two things.
    ``theme``: outlines in that theme's ink. Diagonal outlines only up to K = 16.
    """
    colours = palette(theme)
    r, c = letters
    p = core.check_probabilities(as_finite_vector(p, "p"), "p")
    T = as_positive_temperature(temperature)
    K = p.shape[0]
    J = np.asarray(J, dtype=float)
    if J.shape != (K, K) or not np.isfinite(J).all():
        raise ValueError(f"J must be a finite (K, K) = ({K}, {K}) matrix, got shape {J.shape}")
    if selected is not None:
        selected = check_index_tuple(selected, ("t", "i"), (K, K))

    rows = [f"p{sub(i)}" for i in range(K)]
    cols = [f"z{sub(j)}" for j in range(K)]
    trace = dict(
        z=compact_floats(J),  # colour, and the hover's 3 digits above FORMULA_HOVER_MAX
        x=cols,
        y=rows,
        colorscale=DIVERGING,
        zmid=0,
        xgap=1,
        ygap=1,
        colorbar=colorbar(f"∂p_{r}/∂z_{c}", font_size),
        name="J",
    )
    if K <= FORMULA_HOVER_MAX:
        trace.update(customdata=jacobian_hover(p, J, T, letters), hovertemplate=HOVER)
    else:
        rule = f"p_{r}(δ_{r}{c} {MINUS} p_{c}){'' if T == 1.0 else ' / T'}: > 0 on the diagonal, < 0 off it"
        trace.update(hovertemplate=f"∂%{{y}}/∂%{{x}} = %{{z:.3g}}<br>{rule}<extra></extra>")
    # Numbers are written only for a Jacobian small enough to show them (1,024 strings at K = 32).
    size = cell_font(font_size, 0.85)
    text = matrix_numbers(J, size, font_size)
    if text is not None:
        text = np.array(text, dtype=object)
        text[np.diag_indices(K)] = [f"<b>{s}</b>" for s in np.diag(text)]
        trace.update(text=text, texttemplate="%{text}", textfont={"size": size})

    # Dotted outlines mark the diagonal (the i = j case of seed 001); a thick one the selection.
    outlined = K <= DIAGONAL_OUTLINE_MAX
    diagonal = [(d, d) for d in range(K)] if outlined else []
    shapes = cell_outlines(diagonal, color=colours.soft_ink, width=2, dash="dot", name="diagonal")
    t_note = "" if T == 1.0 else f" / T, T = {fmt(T)}"
    layout = base_layout(
        title=f"J = ∂p/∂z{t_note}",
        subtitle=(
            f"J[{r},{c}] = p_{r}(δ_{r}{c} {MINUS} p_{c}); "
            + ("dotted: " if outlined else "")
            + f"diagonal {r} = {c} positive, all others negative"
        ),
        font_size=font_size,
        theme=theme,
        height=height if height is not None else default_height(240, font_size, K, 34, cap=900),
    )
    room_for_rows(layout, K, font_size)  # the page's height is a floor: each row gets room for its label
    if planned_for_phone(font_size):
        # A square matrix drawn about square: on a phone 32 classes' rows made a 250 × 650 px strip
        # (its labels are thinned to fit instead). A wider screen's plot is wider than planned. Before
        # the colour bar is placed under the axis (the whole width is the plot's): it is placed in px.
        square = SQUARE_SLACK * narrowest_plot_width(layout, font_size, colorbar=False)
        tallest = layout["margin"]["t"] + layout["margin"]["b"] + max(square, MIN_PLOT_PX)
        layout["height"] = min(layout["height"], round(tallest))
    trace["colorbar"], flat = bar_under_axis(layout, trace["colorbar"], font_size)  # a phone: under the axis
    width = narrowest_plot_width(layout, font_size, colorbar=not flat)
    if selected is not None:
        cell = (width / K, plot_height(layout) / K)
        shapes += selection_outline(selected[0], selected[1], theme=theme, cell_px=cell)
    layout.update(
        shapes=shapes,
        xaxis={
            "title": {"text": f"∂z_{c} (column {c})"},
            "showgrid": False,
            "tickmode": "array",
            "tickvals": [cols[c] for c in fitting_ticks(K, width, font_size, label_extent(cols))],
        },
        yaxis={
            "title": {"text": f"∂p_{r} (row {r})"},
            "autorange": "reversed",
            "showgrid": False,
            "tickmode": "array",
            "tickvals": [rows[r] for r in fitting_ticks(K, plot_height(layout), font_size)],
        },
    )
    return make_figure([{"type": "heatmap", **trace}], layout)
