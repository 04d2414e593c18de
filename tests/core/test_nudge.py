"""core.nudge: the derivative predicts a second forward pass, with an error that shrinks like ε²."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import core
from tests.core.core_strategies import PROPERTY, layers


def _which(draw_data, x, W, what):
    n, K = W.shape
    j = draw_data.draw(st.integers(0, n - 1))
    return ("W", j, draw_data.draw(st.integers(0, K - 1))) if what == "W" else ("x", j)


@PROPERTY
@given(layers(bound=2.0), st.sampled_from(["W", "x"]), st.data())
def test_the_prediction_matches_to_first_order_and_the_error_falls_like_eps_squared(layer, what, data):
    x, W = layer
    which = _which(data, x, W, what)
    small = core.nudge(x, W, 1.0, which, 1e-4)
    assume(np.abs(small.predicted).max() > 1e-7)  # a (near-)zero derivative has no relative error to speak of
    assert small.relative_error < 1e-3
    e2, e3 = (float(np.abs(core.nudge(x, W, 1.0, which, eps).error).max()) for eps in (1e-2, 1e-3))
    assert e3 * 50 <= e2 or e2 < 1e-13  # ε² would be 100×; below 1e-13 rounding is all there is


def test_the_measured_change_comes_from_a_second_forward_pass():
    x, W = core.BLOG_X, core.BLOG_W
    nd = core.nudge(x, W, 1.0, ("W", 1, 0), 0.5)
    W2 = W.copy()
    W2[1, 0] += 0.5
    z2 = W2.T @ x
    p2 = np.exp(z2 - z2.max()) / np.exp(z2 - z2.max()).sum()  # independent of core
    np.testing.assert_allclose(nd.p_after, p2, rtol=1e-14)
    v = core.layer_values(x, W)
    np.testing.assert_allclose(nd.predicted, v.product[:, core.column_of(0, 1, 3)] * 0.5, rtol=1e-14)


def test_the_blog_numbers_meet_the_issue_thresholds():
    for which in (("W", 1, 0), ("W", 2, 3), ("x", 0), ("x", 2)):
        assert core.nudge(core.BLOG_X, core.BLOG_W, 1.0, which, 1e-4).relative_error < 1e-3
        e2, e3 = core.nudge_curve(core.BLOG_X, core.BLOG_W, 1.0, which, (1e-2, 1e-3))
        assert e2 / e3 >= 50


@pytest.mark.parametrize(
    "which, eps",
    [(("W", 3, 0), 0.1), (("W", 0, 5), 0.1), (("x", 3), 0.1), (("y", 0), 0.1), (("W", 0, 0), 0.0), (("x", 0), np.nan)],
)
def test_bad_input_raises_naming_it(which, eps):
    with pytest.raises(ValueError, match="which|eps"):
        core.nudge(core.BLOG_X, core.BLOG_W, 1.0, which, eps)


# ---------------------------------------------------------------- descent_step: one gradient step, seen in p


def _own_softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


@PROPERTY
@given(layers(bound=2.0), st.sampled_from(core.LOSSES), st.data())
def test_the_descent_step_stays_in_the_simplex_plane_and_matches_a_finite_step(layer, loss, data):
    """predicted sums to 0 (columns of dp/dW do), and is the first-order part of p(W − ε·∂L/∂W) − p."""
    x, W = layer
    target = data.draw(st.integers(0, W.shape[1] - 1))
    v = core.layer_values(x, W)
    L = core.loss_values(v, target, loss)
    step = core.descent_step(v, L, 1.0)
    assert abs(step.predicted.sum()) <= 1e-12 * max(1.0, np.abs(step.predicted).max())
    # The oracle: run a softmax written here at W − ε·∂L/∂W, for two ε; the remainder falls like ε².
    G = np.outer(x, L.grad_z)  # ∂L/∂W = x·(∂L/∂z)ᵀ, written out here
    assume(np.abs(step.predicted).max() > 1e-6)
    errors = []
    for eps in (1e-3, 1e-4):
        p_eps = _own_softmax((W - eps * G).T @ x)
        errors.append(float(np.abs((p_eps - v.p) - eps * step.predicted).max()))
    # At ε = 1e-4 the first order is nearly all of the change (a strongly curved layer, x = 2·1 and
    # p = (0.12, 0.88), is off by 0.1 %); the ε² fall below is what shows it is the right first order.
    assert errors[1] < 1e-2 * 1e-4 * np.abs(step.predicted).max()
    assert errors[1] * 50 <= errors[0] or errors[0] < 1e-12  # ε² would be 100×; below 1e-12 rounding is all there is


def test_the_descent_step_is_minus_lr_norm_x_squared_j_grad_z():
    """A second formula for the same arrow: Δz = −η‖x‖²·∂L/∂z, and Δp = J·Δz."""
    v = core.layer_values(core.BLOG_X, core.BLOG_W)
    for loss in core.LOSSES:
        L = core.loss_values(v, 2, loss)
        step = core.descent_step(v, L, 0.5)
        np.testing.assert_allclose(step.predicted, -0.5 * (core.BLOG_X @ core.BLOG_X) * v.J @ L.grad_z, atol=1e-15)
        W2 = core.BLOG_W - 0.5 * L.grad_W
        np.testing.assert_allclose(step.p_after, _own_softmax(W2.T @ core.BLOG_X), rtol=1e-13)
        np.testing.assert_allclose(step.measured, step.p_after - v.p)


@pytest.mark.parametrize("lr", [0, -1, float("nan"), float("inf"), True, None])
def test_the_descent_step_refuses_a_bad_learning_rate(lr):
    v = core.layer_values(core.BLOG_X, core.BLOG_W)
    with pytest.raises(ValueError, match="lr"):
        core.descent_step(v, core.loss_values(v, 1), lr)


def test_the_descent_step_refuses_a_loss_from_another_layer():
    v = core.layer_values(core.BLOG_X, core.BLOG_W)
    other = core.layer_values(core.BLOG_X, core.BLOG_W[:, :3])
    with pytest.raises(ValueError, match="loss must come from this layer"):
        core.descent_step(v, core.loss_values(other, 1), 0.5)
