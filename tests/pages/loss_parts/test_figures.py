"""Loss page figures and texts: the data drawn is core's numbers, hovers carry the live numbers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import core
from core.training import column_sum_terms, compare_losses, confidently_wrong_start, gradient_descent
from pages.loss_parts.figures import (
    TARGET_COLOUR,
    column_sum_heatmap,
    descent_figure,
    frame_steps,
    gradient_bars,
    loss_comparison_figure,
    probability_animation,
    weight_gradient_heatmap,
)
from pages.loss_parts.text import grad_p_hover, grad_z_numbers_latex, weight_grad_hover
from tests.ui.figures.bars import assert_placed_for
from ui.figures.common import (
    COLORBAR_ROOM,
    DESKTOP_FIGURE_WIDTH,
    DIVERGING,
    NARROWEST_FIGURE_WIDTH,
    base_layout,
    planned_for,
    planned_top,
)
from ui.figures.text_width import text_width

X, W = core.BLOG_X, core.BLOG_W
P = core.softmax(W.T @ X)
TARGET = 2
Y = core.one_hot(TARGET, 5)
BLOG = core.layer_values(X, W)


def g4(v: float) -> str:
    """An independent LaTeX formatter: Python's 4 significant digits, powers of ten written out."""
    mantissa, _, exponent = f"{v:.4g}".partition("e")
    return mantissa + (rf"\times 10^{{{int(exponent)}}}" if exponent else "")


def g4z(v: float) -> str:
    """``g4`` with trailing zeros kept (0.2170), as numbers read side by side are written."""
    mantissa, _, exponent = f"{v:#.4g}".partition("e")
    if exponent:
        return mantissa.rstrip("0").rstrip(".") + rf"\times 10^{{{int(exponent)}}}"
    return mantissa.rstrip(".")


def _blog_bars(loss):
    gp, gz = core.loss_grad_p(P, Y, loss), core.loss_grad_z(X, W, Y, loss)
    return gradient_bars(P, Y, gp, gz, loss), gp, gz


@pytest.mark.parametrize("loss", core.LOSSES)
def test_gradient_bars_draw_core_numbers(loss):
    fig, gp, gz = _blog_bars(loss)
    bars_p, bars_z = fig.data
    np.testing.assert_allclose(bars_p.y, gp)
    np.testing.assert_allclose(bars_z.y, gz)
    assert list(bars_p.marker.color).count(TARGET_COLOUR) == 1
    assert bars_p.marker.color[TARGET] == TARGET_COLOUR


def test_cross_entropy_bars_hover_shows_p_minus_y_with_numbers():
    fig, gp, gz = _blog_bars("cross_entropy")
    # ∂L/∂z₂ = p₂ − 1 with the blog's p₂ = 0.217
    assert fig.data[1].hovertext[TARGET] == "∂L/∂z₂ = p₂ − y₂ = 0.217 − 1 = −0.783"
    assert fig.data[0].hovertext[TARGET] == "∂L/∂p₂ = −y₂/p₂ = −1/0.217 = −4.61"
    assert fig.data[0].hovertext[0].endswith("= 0")


def test_mse_hover_uses_two_over_k():
    assert grad_p_hover(1, 0.2, 0.0, 0.08, "mse", 5) == "∂L/∂p₁ = 2(p₁ − y₁)/K = 2 × (0.2 − 0)/5 = 0.08"


def test_weight_gradient_heatmap_is_outer_product_with_hovers():
    L = core.loss_values(BLOG, Y)
    gz = L.grad_z
    np.testing.assert_allclose(gz, core.loss_grad_z(X, W, Y), atol=1e-15)
    fig = weight_gradient_heatmap(X, gz, L.grad_W, font_size=24, height=500)
    hm = fig.data[0]
    np.testing.assert_allclose(np.array(hm.z), core.loss_gradient(X, W, Y))
    assert hm.colorscale == tuple(tuple(c) for c in DIVERGING) or list(map(list, hm.colorscale)) == DIVERGING
    assert hm.zmid == 0 and hm.zmin == -hm.zmax
    assert hm.zmax == pytest.approx(np.abs(np.outer(X, gz)).max())
    assert hm.colorbar.title.text == "∂L/∂W"
    # x₁ = 0.5, ∂L/∂z₂ = −0.783
    assert hm.hovertext[1][2] == "∂L/∂W[1,2] = x₁ · ∂L/∂z₂ = 0.5 × −0.783 = −0.392"
    assert weight_grad_hover(0, 0, 0.1, 0.2, 0.1 * 0.2) == "∂L/∂W[0,0] = x₀ · ∂L/∂z₀ = 0.1 × 0.2 = 0.02"
    # The plot keeps the height planned, with no bottom axis to make room for.
    planned = 500 - planned_top(24) - base_layout(title="t", font_size=24)["margin"]["b"]
    assert fig.layout.font.size == 24 and fig.layout.height - fig.layout.margin.t - fig.layout.margin.b == planned
    assert fig.layout.margin.b == 24


def test_weight_gradient_heatmap_of_a_big_layer_writes_each_factor_once():
    pre = core.make_preset("random", 64, 32)
    L = core.loss_values(core.layer_values(pre.x, pre.W), core.one_hot(0, 32))
    fig = weight_gradient_heatmap(pre.x, L.grad_z, L.grad_W)
    hm = fig.data[0]
    assert np.array(hm.z).shape == (64, 32) and hm.hovertext is None
    # Each cell's hover: its value, and its row's x_j and column's ∂L/∂z_k, whose product it is.
    for j, k in [(0, 0), (5, 17), (63, 31)]:
        x_j = float(hm.y[j].rsplit("= ", 1)[1].replace("−", "-"))
        g_k = float(hm.x[k].rsplit("= ", 1)[1].replace("−", "-"))
        value = float(hm.customdata[j][k].replace("−", "-"))
        assert hm.y[j].startswith(f"row j = {j}: x") and hm.x[k].startswith(f"column k = {k}: ∂L/∂z")
        # Three significant figures: each shown number is within 0.5 % of core's.
        assert (x_j, g_k, value) == pytest.approx((pre.x[j], L.grad_z[k], L.grad_W[j, k]), rel=5e-3)
    assert "%{customdata}" in hm.hovertemplate and "%{y}" in hm.hovertemplate and "%{x}" in hm.hovertemplate
    # The sentences per cell were 274 kB of the page's 310 kB a move.
    assert len(fig.to_json()) < 80_000


@pytest.mark.parametrize("height", [360, 700])
def test_weight_gradient_row_labels_stay_a_text_line_apart(height):
    pre = core.make_preset("random", 64, 32)
    L = core.loss_values(core.layer_values(pre.x, pre.W), core.one_hot(0, 32))
    layout = weight_gradient_heatmap(pre.x, L.grad_z, L.grad_W, height=height).layout
    shown = [int(label[2:]) for label in layout.yaxis.ticktext]
    assert [layout.yaxis.tickvals[i].split(":")[0] for i in range(2)] == [f"row j = {j}" for j in shown[:2]]
    assert shown[0] == 0 and len(shown) < 64
    row_px = (layout.height - layout.margin.t - layout.margin.b) / 64
    assert min(b - a for a, b in zip(shown, shown[1:], strict=False)) * row_px >= 1.5 * 14


@pytest.mark.parametrize("width", [NARROWEST_FIGURE_WIDTH, DESKTOP_FIGURE_WIDTH])
def test_weight_gradient_class_labels_lie_level_and_fit_and_the_bar_goes_under_on_a_phone(width):
    pre = core.make_preset("random", 64, 32)
    L = core.loss_values(core.layer_values(pre.x, pre.W), core.one_hot(0, 32))
    with planned_for(width):
        fig = weight_gradient_heatmap(pre.x, L.grad_z, L.grad_W)
    axis = fig.layout.xaxis
    # On end, 32 labels reached up into the title; level, each gets its width at the narrowest plot.
    assert axis.side == "top" and axis.tickangle == 0 and list(axis.ticktext)[0] == "k=0"
    bar = COLORBAR_ROOM * 14 if width >= DESKTOP_FIGURE_WIDTH else 0  # beside the plot, or under it
    plot = width - fig.layout.margin.l - fig.layout.margin.r - bar
    step = int(axis.ticktext[1][2:]) - int(axis.ticktext[0][2:])
    assert step * plot / 32 >= max(text_width(t, 14) for t in axis.ticktext)  # "k=28" as drawn
    assert_placed_for(width, fig, fig.data[0].colorbar)


def test_weight_gradient_heatmap_refuses_factors_that_do_not_fit():
    L = core.loss_values(BLOG, Y)
    with pytest.raises(ValueError, match="grad_z"):
        weight_gradient_heatmap(X, L.grad_z[:4], L.grad_W)
    with pytest.raises(ValueError, match="x must be"):
        weight_gradient_heatmap(X[:2], L.grad_z, L.grad_W)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.tuples(
            arrays(float, n, elements=st.floats(-2, 2)),
            st.integers(2, 5).flatmap(lambda K: arrays(float, (n, K), elements=st.floats(-2, 2))),
        )
    ),
    st.sampled_from(core.LOSSES),
)
def test_column_sum_heatmap_bottom_row_is_the_gradient(xw, loss):
    x, W_ = xw
    n, K = W_.shape
    y = core.one_hot(0, K)
    terms = column_sum_terms(x, W_, y, loss)
    L = core.loss_values(core.layer_values(x, W_), y, loss)
    np.testing.assert_allclose(L.terms, terms, atol=1e-15)
    fig = column_sum_heatmap(L.terms, L.by_columns)
    Z = np.array(fig.data[0].z, dtype=float)
    assert Z.shape == (K + 1, K * n)
    np.testing.assert_allclose(Z[:K], terms)
    # The Σ row, read back to (n, K) class-major, is core's ∂L/∂W.
    np.testing.assert_allclose(Z[K].reshape(K, n).T, core.loss_gradient(x, W_, y, loss), atol=1e-12)
    assert fig.data[0].x[1 if n > 1 else 0] == ("W[1,0]" if n > 1 else "W[0,0]")


def test_column_sum_hovers_name_the_weight_and_the_sum():
    L = core.loss_values(BLOG, TARGET, "mse")
    np.testing.assert_allclose(L.terms, column_sum_terms(X, W, TARGET, "mse"), atol=1e-15)
    hm = column_sum_heatmap(L.terms, L.by_columns).data[0]
    assert hm.hovertext[1][4].startswith("∂L/∂p₁ × ∂p₁/∂W[1,1] = ")
    G = core.loss_gradient(X, W, Y, "mse")
    assert hm.hovertext[5][4].endswith("= ∂L/∂W[1,1]") and "Σ over t" in hm.hovertext[5][4]
    assert float(hm.z[5][4]) == pytest.approx(G[1, 1])


def test_descent_figure_plots_the_trajectory():
    traj = gradient_descent(X, W, TARGET, "cross_entropy", 0.5, 7)
    fig = descent_figure(traj.loss, traj.p, TARGET, font_size=20, height=600)
    np.testing.assert_allclose(fig.data[0].y, traj.loss)
    assert len(fig.data) == 1 + 5
    for k in range(5):
        np.testing.assert_allclose(fig.data[1 + k].y, traj.p[:, k])
    assert fig.data[1 + TARGET].line.width > fig.data[1].line.width
    assert "7 steps" in fig.layout.title.text


def test_comparison_figure_shows_both_losses_from_the_same_start():
    x0, W0 = confidently_wrong_start(3, 5, wrong=0)
    runs = compare_losses(x0, W0, 1, 0.5, 10)
    fig = loss_comparison_figure(runs, 1)
    names = [t.name for t in fig.data if t.showlegend is not False]
    assert names == ["Cross-entropy", "Mean squared error"]
    np.testing.assert_allclose(fig.data[0].y, runs["cross_entropy"].p[:, 1])
    np.testing.assert_allclose(fig.data[3].y, np.linalg.norm(runs["mse"].grad_z, axis=1))
    assert fig.layout.yaxis2.type == "log"
    assert fig.data[0].y[0] == fig.data[2].y[0]  # same start


@pytest.mark.parametrize(("width", "stacked"), [(DESKTOP_FIGURE_WIDTH, False), (NARROWEST_FIGURE_WIDTH, True)])
def test_two_panel_figures_stack_on_a_phone_with_the_legend_under_them(width, stacked):
    x0, W0 = confidently_wrong_start(3, 5, wrong=0)
    runs = compare_losses(x0, W0, 1, 0.5, 10)
    traj = gradient_descent(X, W, TARGET, "cross_entropy", 0.5, 7)
    with planned_for(width):
        figs = [
            loss_comparison_figure(runs, 1, height=360),
            descent_figure(traj.loss, traj.p, TARGET, height=360),
            gradient_bars(P, Y, core.loss_grad_p(P, Y), core.loss_grad_z(X, W, Y), "cross_entropy", height=340),
        ]
    for fig in figs:
        left, right = fig.layout.xaxis.domain, fig.layout.xaxis2.domain
        assert (tuple(left) == tuple(right) == (0.0, 1.0)) is stacked
        assert (fig.layout.height > 500) is stacked
    legends = [fig.layout.legend for fig in figs[:2]]
    assert all((legend.orientation == "h") is stacked for legend in legends)
    y2 = figs[0].layout.yaxis2  # decades only (power_ticks)
    assert y2.type == "log" and y2.tickmode == "array" and all(np.log10(y2.tickvals) % 1 == 0)


@pytest.mark.parametrize("loss", core.LOSSES)
@pytest.mark.parametrize("k", [0, TARGET])
def test_grad_z_latex_substitutes_the_live_value(loss, k):
    gz = core.loss_grad_z(X, W, Y, loss)
    gp = core.loss_grad_p(P, Y, loss)
    text = grad_z_numbers_latex(P, Y, gp, gz, loss, k)
    # 4 significant digits, zeros kept: "0.2170 − 1 = −0.7830" over "0.2313 − 0 = 0.2313"
    assert text.endswith(f"= {g4z(gz[k])}")
    assert g4z(P[k]) in text
    if loss == "mse":
        assert g4z(gp[k]) in text and g4z(P @ gp) in text  # p_k(∂L/∂p_k − Σ_i p_i ∂L/∂p_i)


@pytest.mark.parametrize("loss", core.LOSSES)
def test_grad_z_latex_at_temperature_divides_by_t(loss):
    T = 2.0
    P2 = core.softmax(W.T @ X, T)
    gz = core.loss_grad_z(X, W, Y, loss, T)
    text = grad_z_numbers_latex(P2, Y, core.loss_grad_p(P2, Y, loss), gz, loss, TARGET, T)
    assert text.endswith(f"= {g4z(gz[TARGET])}") and "/2" in text and g4z(P2[TARGET]) in text


def test_grad_z_latex_writes_powers_of_ten_the_latex_way():
    p = np.array([1 - 2.5e-7, 2.5e-7])
    y = core.one_hot(0, 2)
    text = grad_z_numbers_latex(p, y, None, p - y, "cross_entropy", 1)
    assert text.endswith(r"= 2.5\times 10^{-7}") and r"\cdot 10" not in text


def test_subplot_titles_follow_the_font_size():
    fig, *_ = _blog_bars("cross_entropy")
    big = gradient_bars(P, Y, core.loss_grad_p(P, Y), core.loss_grad_z(X, W, Y), "cross_entropy", font_size=24)
    assert {a.font.size for a in big.layout.annotations} == {24}
    traj = gradient_descent(X, W, TARGET, "mse", 0.5, 2)
    assert {a.font.size for a in descent_figure(traj.loss, traj.p, TARGET, font_size=24).layout.annotations} == {24}


def test_probability_animation_has_a_frame_per_step_and_keeps_the_start():
    traj = gradient_descent(X, W, TARGET, "cross_entropy", 0.5, 12)
    fig = probability_animation(traj.p, TARGET, font_size=24)
    assert [f.name for f in fig.frames] == [str(s) for s in range(13)]
    for s, frame in enumerate(fig.frames):
        np.testing.assert_allclose(frame.data[0].y, traj.p[s])
        np.testing.assert_allclose(frame.data[1].y, traj.p[0])  # the outline: the start, in every frame
    np.testing.assert_allclose(fig.data[0].y, traj.p[-1])  # the figure opens on the last step
    assert fig.data[0].marker.color[TARGET] == TARGET_COLOUR
    assert fig.layout.sliders[0].active == 12 and fig.layout.font.size == 24


def test_long_runs_are_thinned_to_a_hundred_frames_keeping_both_ends():
    assert frame_steps(5) == [0, 1, 2, 3, 4, 5]
    steps = frame_steps(2000)
    assert len(steps) == 100 and steps[0] == 0 and steps[-1] == 2000
    assert steps == sorted(set(steps))


@pytest.mark.parametrize("width", [NARROWEST_FIGURE_WIDTH, DESKTOP_FIGURE_WIDTH])
def test_on_a_phone_the_column_sums_colour_bar_lies_under_the_weight_labels(width):
    v = core.layer_values(core.BLOG_X, core.BLOG_W)
    L = core.loss_values(v, 1)
    with planned_for(width):
        fig = column_sum_heatmap(L.terms, L.by_columns)
    assert_placed_for(width, fig, fig.data[0].colorbar)
    assert fig.data[0].colorbar.title.text == "value"


def test_before_the_first_step_the_animation_has_no_controls():
    # A one-step slider is not drawn, and ▶ had nothing to play: an empty band under the bars.
    traj = gradient_descent(X, W, TARGET, "cross_entropy", 0.5, 0)
    fig = probability_animation(traj.p, TARGET)
    assert not fig.layout.sliders and not fig.layout.updatemenus and "take a step" in fig.layout.title.subtitle.text
    assert fig.layout.margin.b < 130
