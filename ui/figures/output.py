"""The layer's output: logits z and probabilities p side by side, as bar charts."""

from __future__ import annotations

from .common import (
    ABOVE_LINE,
    BAR_COLOR,
    SELECTED_COLOR,
    Fig,
    as_finite_vector,
    as_positive_temperature,
    base_layout,
    check_index_tuple,
    default_height,
    fitting_ticks,
    fmt,
    label_extent,
    make_figure,
    narrowest_plot_width,
    palette,
    sub,
)
from .panels import panel_layout

LABEL_LIMIT = 12  # above this many classes, value labels on the bars overlap


def output_bars(
    z,
    p,
    temperature: float = 1.0,
    *,
    selected_class: int | None = None,
    font_size: int = 14,
    height: int | None = None,
    theme: str = "light",
) -> Fig:
    """Two bar subplots: logits z (K,) on the left, probabilities p (K,) on the right.

    Bar k is "class k". Each bar is labelled with its value (3 significant digits) when K ≤ 12.
    The title states ∑p (computed from p, so a broken p would show) and T when T ≠ 1.
    ``selected_class`` (the explorer's t) is drawn in a contrasting colour in both panels.
    ``theme`` ("light"/"dark"): value labels, outlines and zero lines in that theme's colours.
    """
    colours = palette(theme)
    z = as_finite_vector(z, "z")
    p = as_finite_vector(p, "p")
    if z.shape != p.shape:
        raise ValueError(f"z and p must have the same length K, got {z.shape[0]} and {p.shape[0]}")
    if (p < -1e-9).any() or (p > 1 + 1e-9).any():
        raise ValueError(f"p must have entries in [0, 1] (min {p.min():.4g}, max {p.max():.4g})")
    T = as_positive_temperature(temperature)
    K = z.shape[0]
    if selected_class is not None:
        (selected_class,) = check_index_tuple((selected_class,), ("selected_class",), (K,), arg="selected_class")

    classes = [f"class {k}" for k in range(K)]
    colors = [SELECTED_COLOR if k == selected_class else BAR_COLOR for k in range(K)]
    outline = {"color": [colours.ink if k == selected_class else "rgba(0,0,0,0)" for k in range(K)], "width": 2}
    labels = K <= LABEL_LIMIT
    t_div = "" if T == 1.0 else " / T"

    def bars(values, name, xaxis, yaxis, formula):
        text = [fmt(v, zeros=True) for v in values.tolist()]  # one precision along the row: "0.160", "0.354"
        hover = [f"class {k}<br>{formula(k)} = {text[k]}" for k in range(K)]
        return dict(
            type="bar",
            x=classes,
            y=values,
            name=name,
            xaxis=xaxis,
            yaxis=yaxis,
            marker={"color": colors, "line": outline},
            text=text if labels else None,
            textposition="outside" if labels else "none",
            cliponaxis=False,
            textfont={"size": font_size, "color": colours.text},  # outside the bar: on the page
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )

    # Side by side; on a phone one under another (side by side, p's axis title ran over z's bars).
    titles = ("z = Wᵀx", f"p = softmax(z{t_div})")
    height = height if height is not None else default_height(380, font_size)
    panels, (z_axes, p_axes), total = panel_layout(titles, font_size, height, theme)
    z_trace = bars(z, "logits z", *z_axes, lambda k: f"z{sub(k)} = Σ_j W[j,{k}]·x_j")
    p_trace = bars(p, "probabilities p", *p_axes, lambda k: f"p{sub(k)} = softmax(z{t_div}){sub(k)}")
    title = f"Output: ∑p = {float(p.sum()):.3f}" + ("" if T == 1.0 else f", temperature T = {fmt(T)}")
    subtitle = None if selected_class is None else f"class t = {selected_class} highlighted"
    layout = base_layout(
        title=title, subtitle=subtitle, font_size=font_size, theme=theme, height=total, above=ABOVE_LINE
    )  # above: the top plot's name
    # z can be negative: pad its range so outside labels fit; p keeps a fixed 0..1 scale so
    # bars stay comparable while the sliders move.
    lo, hi = min(0.0, float(z.min())), max(0.0, float(z.max()))
    pad = 0.18 * (hi - lo or 1.0) if labels else 0.05 * (hi - lo or 1.0)
    # Many classes: tick with the bare index k (the axis title says "class k"), thinned to the plot's
    # narrowest width (a fixed 16 ran together in the Presenter path's Reveal on a phone at K = 32).
    if K > 8:
        share = panels["xaxis"]["domain"][1] - panels["xaxis"]["domain"][0]
        width = narrowest_plot_width(layout, font_size, colorbar=False) * share
        ticks = fitting_ticks(K, width, font_size, extent=label_extent([str(K - 1)]))
    else:
        ticks = list(range(K))
    class_axis = {"title": {"text": "class k"}, "tickmode": "array", "tickvals": [classes[k] for k in ticks]}
    if K > 8:
        class_axis["ticktext"] = [str(k) for k in ticks]
    value_axis = {"zeroline": True, "zerolinecolor": colours.ink, "gridcolor": colours.grid}
    panels["xaxis"] |= class_axis
    panels["xaxis2"] |= class_axis
    panels["yaxis"] |= value_axis | {"title": {"text": "logit z_k"}, "range": [lo - (pad if lo < 0 else 0), hi + pad]}
    panels["yaxis2"] |= value_axis | {"title": {"text": "probability p_k"}, "range": [0, 1.15 if labels else 1.0]}
    layout.update(
        panels,
        showlegend=False,
        bargap=0.25,
        # A label wider than its bar is set smaller (Plotly's constraintext): "0.16" stood larger
        # than "0.354" beside it on a phone. All in the size of the smallest.
        uniformtext={"mode": "show", "minsize": max(8, round(0.6 * font_size))},
    )
    return make_figure([z_trace, p_trace], layout)
