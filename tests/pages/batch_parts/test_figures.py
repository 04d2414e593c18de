"""Batch page figures: core's numbers drawn, one colour axis (the pasted batch: tests/ui/test_paste.py)."""

from __future__ import annotations

import numpy as np
import pytest

import core
from core.batch import batch_forward, batch_jacobians, make_batch
from pages.batch_parts.figures import ROW_GAP, gradient_grid, jacobian_grid
from ui.figures.common import DESKTOP_FIGURE_WIDTH, DIVERGING, FLAT_BAR_ROOM, LINE, NARROWEST_FIGURE_WIDTH, planned_for


def _batch(n=3, K=5, N=6, seed=1, loss="cross_entropy"):
    W = core.make_preset("random", n, K, seed=2).W
    X, labels = make_batch(n, K, N, seed)
    Y = core.one_hot(labels, K)
    _, P = batch_forward(X, W)
    return X, W, Y, P


def test_jacobian_grid_panels_are_core_jacobians_on_one_axis():
    X, W, _, P = _batch(N=6)
    Js = batch_jacobians(X, W)
    fig = jacobian_grid(P, Js, font_size=20, height=700)
    assert len(fig.data) == 6
    for s, trace in enumerate(fig.data):
        np.testing.assert_allclose(np.array(trace.z), core.softmax_jacobian(P[s]), atol=1e-15)
        assert trace.coloraxis == "coloraxis"
    ca = fig.layout.coloraxis
    assert ca.cmid == 0 and ca.cmin == -ca.cmax == -np.abs(Js).max()
    assert [list(c) for c in ca.colorscale] == [list(c) for c in DIVERGING]
    assert ca.colorbar.title.text
    k = int(np.argmax(P[2]))
    assert fig.layout.annotations[2].text == f"sample 2<br>max p{'₀₁₂₃₄'[k]}={P[2, k]:#.2g}"
    small = jacobian_grid(np.array([[0.2, 0.5, 0.3]]), core.softmax_jacobian(np.array([[0.2, 0.5, 0.3]])))
    assert small.layout.annotations[0].text == "sample 0<br>p = (0.20, 0.50, 0.30)"
    assert fig.layout.height >= 700 and fig.layout.font.size == 20  # the height asked for is a floor


def test_jacobian_grid_hover_has_the_case_and_numbers():
    X, W, _, P = _batch()
    fig = jacobian_grid(P, batch_jacobians(X, W))
    s = 1
    diag = fig.data[s].hovertext[2][2]
    off = fig.data[s].hovertext[0][3]
    assert diag.startswith("sample 1: ∂p₂/∂z₂ = p₂(1 − p₂) = ")
    assert diag.endswith(core.softmax_jacobian(P[s])[2, 2].__format__(".3g"))
    assert off.startswith("sample 1: ∂p₀/∂z₃ = −p₀·p₃ = −")


def test_jacobian_grid_is_thinned_for_large_batches():
    X, W, _, P = _batch(n=8, K=8, N=32)
    fig = jacobian_grid(P, batch_jacobians(X, W), max_panels=16)
    assert len(fig.data) == 16
    assert fig.layout.annotations[15].text.startswith("sample 15")


def test_jacobian_grid_with_temperature_mentions_t():
    X, W, _, _ = _batch()
    _, P = batch_forward(X, W, 2.0)
    fig = jacobian_grid(P, batch_jacobians(X, W, 2.0), 2.0)
    assert "/2" in fig.data[0].hovertext[0][0]
    np.testing.assert_allclose(np.array(fig.data[0].z), core.softmax_jacobian(P[0], 2.0))


@pytest.mark.parametrize("loss", core.LOSSES)
def test_gradient_grid_shows_samples_and_their_mean(loss):
    X, W, Y, _ = _batch(N=7)
    gz = core.loss_grad_z(X, W, Y, loss)
    per = core.loss_gradient_per_sample(X, W, Y, loss)
    batched = core.loss_gradient(X, W, Y, loss)
    fig = gradient_grid(X, gz, per, per.mean(axis=0), max_panels=4)
    assert len(fig.data) == 5
    for s in range(4):
        np.testing.assert_allclose(np.array(fig.data[s].z), np.outer(X[s], gz[s]), atol=1e-15)
    np.testing.assert_allclose(np.array(fig.data[4].z), batched, atol=1e-14)
    assert all(t.coloraxis == "coloraxis" for t in fig.data)
    # on one line where its panel is wide enough (on two it stood above the samples' titles)
    assert fig.layout.annotations[4].text == "mean of all N = 7"
    assert "the first 4 of 7" in fig.layout.title.subtitle.text.replace("<br>", " ")  # the other three are not drawn
    hover = fig.data[0].hovertext[1][2]
    assert hover.startswith("sample 0: x₁·∂L/∂z₂ = ")
    assert hover.endswith(f"{per[0, 1, 2]:.3g}".replace("-", "−"))


def test_gradient_grid_single_sample_mean_equals_it():
    X, W, Y, _ = _batch(N=1)
    per = core.loss_gradient_per_sample(X, W, Y)
    fig = gradient_grid(X, core.loss_grad_z(X, W, Y), per, per.mean(axis=0))
    assert len(fig.data) == 2 and "first" not in fig.layout.title.subtitle.text  # every sample is drawn
    np.testing.assert_allclose(np.array(fig.data[0].z), np.array(fig.data[1].z))


def test_large_grids_drop_per_cell_hovers():
    X, W, Y, P = _batch(n=64, K=32, N=32)
    fig = jacobian_grid(P, batch_jacobians(X, W))
    assert fig.data[0].hovertext is None and "%{z" in fig.data[0].hovertemplate
    per = core.loss_gradient_per_sample(X, W, Y)
    g = gradient_grid(X, core.loss_grad_z(X, W, Y), per, per.mean(axis=0))
    assert g.data[0].hovertext is None and np.array(g.data[-1].z).shape == (64, 32)
    # Their panels carry no tick labels: the subtitles say which way they read.
    assert (
        not fig.layout.yaxis.showticklabels
        and "row i, column j: ∂p_i/∂z_j" in fig.layout.title.subtitle.text.replace("<br>", " ")
    )
    assert not g.layout.yaxis.showticklabels and "row j, column k: x_j·∂L/∂z_k" in g.layout.title.subtitle.text.replace(
        "<br>", " "
    )


def _columns(fig) -> int:
    return len({tuple(ax["domain"]) for name, ax in fig.layout.to_plotly_json().items() if name.startswith("xaxis")})


@pytest.mark.parametrize(
    ("width", "jacobians_across", "gradients_across"), [(DESKTOP_FIGURE_WIDTH, 4, 5), (NARROWEST_FIGURE_WIDTH, 3, 2)]
)
def test_grids_put_fewer_panels_across_a_phone_and_keep_every_panel(width, jacobians_across, gradients_across):
    X, W, Y, P = _batch(N=8)
    per = core.loss_gradient_per_sample(X, W, Y)
    with planned_for(width):
        jac = jacobian_grid(P, batch_jacobians(X, W), cols=4)
        grad = gradient_grid(X, core.loss_grad_z(X, W, Y), per, per.mean(axis=0), max_panels=4)
    assert (_columns(jac), len(jac.data)) == (jacobians_across, 8)
    assert (_columns(grad), len(grad.data)) == (gradients_across, 5)
    # no y tick marks: a few px between panels, the next panel's marks fell into this one's last column
    for fig in (jac, grad):
        axes = [ax for name, ax in fig.layout.to_plotly_json().items() if name.startswith("yaxis")]
        assert axes and all(ax.get("ticks") == "" for ax in axes)
    # the mean stays the last panel, and a grid of more rows is taller than one row
    assert grad.data[-1].name == "mean"
    with planned_for(DESKTOP_FIGURE_WIDTH):
        one_row = gradient_grid(X, core.loss_grad_z(X, W, Y), per, per.mean(axis=0), max_panels=4)
    assert (grad.layout.height > one_row.layout.height) is (gradients_across < 5)


@pytest.mark.parametrize("width", [NARROWEST_FIGURE_WIDTH, DESKTOP_FIGURE_WIDTH])
def test_the_shared_colour_bar_lies_across_the_top_of_the_grid_on_a_phone(width):
    X, W, Y, P = _batch(N=8)
    per = core.loss_gradient_per_sample(X, W, Y)
    with planned_for(width):
        figs = (
            jacobian_grid(P, batch_jacobians(X, W), cols=4),
            gradient_grid(X, core.loss_grad_z(X, W, Y), per, per.mean(axis=0), max_panels=4),
        )
    for fig in figs:
        bar, layout = fig.layout.coloraxis.colorbar, fig.layout
        if width >= DESKTOP_FIGURE_WIDTH:  # upright, right of the grid, as it always was
            assert bar.orientation != "h"
            continue
        # Across the grid, under the figure's title and over the top row's panel titles: under a
        # grid four rows tall it was far from the first panels.
        plot = layout.height - layout.margin.t - layout.margin.b
        top_px, bottom_px = (bar.y - 1) * plot, (bar.y - 1) * plot - FLAT_BAR_ROOM * 14
        titles = [a for a in layout.annotations if a.yanchor == "bottom"]
        highest_title = max((a.y - 1) * plot + (a.text.count("<br>") + 1) * LINE * 14 for a in titles)
        assert bar.orientation == "h" and bar.title.side == "top" and bar.len == 1
        assert highest_title <= bottom_px + 1 and top_px <= layout.margin.t


@pytest.mark.parametrize(("n", "K", "font"), [(3, 5, 14), (64, 32, 14), (64, 32, 16)])
def test_rows_of_panels_stand_a_few_lines_apart_whatever_their_height(n, K, font):
    X, W, Y, P = _batch(n=n, K=K, N=8)
    per = core.loss_gradient_per_sample(X, W, Y)
    with planned_for(NARROWEST_FIGURE_WIDTH):  # a phone: both grids in rows
        figs = (
            jacobian_grid(P, batch_jacobians(X, W), cols=4, font_size=font),
            gradient_grid(X, core.loss_grad_z(X, W, Y), per, per.mean(axis=0), max_panels=4, font_size=font),
        )
    for fig in figs:
        layout = fig.layout
        plot = layout.height - layout.margin.t - layout.margin.b
        domains = sorted({tuple(ax["domain"]) for k, ax in layout.to_plotly_json().items() if k.startswith("yaxis")})
        assert len(domains) > 1
        gaps = [(upper[0] - lower[1]) * plot for lower, upper in zip(domains, domains[1:], strict=False)]
        # Room for a row's column labels and the next row's titles, not a share of tall panels
        # (64 × 32's stood ~180 px apart).
        assert all(ROW_GAP * font - 1 <= gap <= ROW_GAP * font + 1 for gap in gaps)


@pytest.mark.parametrize("width", [NARROWEST_FIGURE_WIDTH, DESKTOP_FIGURE_WIDTH])
def test_a_panel_title_stands_nearer_its_panel_than_the_row_above(width):
    # "sample 3 / max p₀=0.26" sat right under the row above's z labels: whose title was it?
    X, W, Y, P = _batch(N=8)
    with planned_for(width):
        fig = jacobian_grid(P, batch_jacobians(X, W), cols=4)
    layout = fig.layout
    font = layout.font.size
    plot = layout.height - layout.margin.t - layout.margin.b
    tops = sorted({round(ax["domain"][1], 6) for n, ax in layout.to_plotly_json().items() if n.startswith("yaxis")})
    bottoms = sorted({round(ax["domain"][0], 6) for n, ax in layout.to_plotly_json().items() if n.startswith("yaxis")})
    assert len(tops) > 1  # rows of panels
    for above_bottom, top in zip(bottoms[1:], tops[:-1], strict=True):
        gap_px = (above_bottom - top) * plot  # from a row's top to the bottom of the row above it
        labels, title = 1.5 * font, 2 * 1.3 * font  # the row above's column labels; this row's two-line title
        assert gap_px - labels - title >= font  # at least a line of air between them


@pytest.mark.parametrize("font", [14, 24])  # a desktop and a projector
def test_unlabelled_jacobians_are_square_panels(font):
    # Projected at 32 classes the panels were 3.3:1 strips, their diagonal a shallow slope.
    X, W, _, P = _batch(n=4, K=32, N=8)
    fig = jacobian_grid(P, batch_jacobians(X, W), font_size=font)
    for s in range(8):
        n = "" if s == 0 else str(s + 1)
        assert fig.layout[f"yaxis{n}"].scaleanchor == f"x{n}"  # square cells wherever it is drawn
        assert fig.layout[f"xaxis{n}"].constrain == fig.layout[f"yaxis{n}"].constrain == "domain"
    # and tall enough that the squares fill the columns planned
    x, y = fig.layout.xaxis.domain, fig.layout.yaxis.domain
    width = NARROWEST_FIGURE_WIDTH if font < 20 else 1200
    plot_w = width - fig.layout.margin.l - fig.layout.margin.r - 3.5 * font  # beside the colour bar
    plot_h = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    assert (y[1] - y[0]) * plot_h >= (x[1] - x[0]) * plot_w - 1
