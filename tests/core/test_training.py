"""Gradient descent on one softmax layer: checked against a hand-written loop and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import core
from core.training import (
    Trajectory,
    column_sum_terms,
    compare_losses,
    confidently_wrong_start,
    continue_descent,
    gradient_descent,
)

finite = st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)


@st.composite
def layers(draw):
    """(x, W, label) with n in 1..5, K in 2..6."""
    n = draw(st.integers(1, 5))
    K = draw(st.integers(2, 6))
    x = draw(arrays(float, n, elements=finite))
    W = draw(arrays(float, (n, K), elements=finite))
    label = draw(st.integers(0, K - 1))
    return x, W, label


def hand_loop(x, W, label, loss, lr, steps):
    """Textbook gradient descent written out without core: softmax, then p − y or Jᵀ·∂L/∂p."""
    K = W.shape[1]
    y = np.zeros(K)
    y[label] = 1.0
    W = W.copy()
    history = [W.copy()]
    for _ in range(steps):
        z = W.T @ x
        e = np.exp(z - z.max())
        p = e / e.sum()
        if loss == "cross_entropy":
            gz = p - y
        else:
            J = np.diag(p) - np.outer(p, p)
            gz = J.T @ (2.0 * (p - y) / K)
        W = W - lr * np.outer(x, gz)
        history.append(W.copy())
    return np.array(history)


@settings(max_examples=60, deadline=None)
@given(layers(), st.sampled_from(core.LOSSES), st.floats(0.01, 2.0), st.integers(0, 8))
def test_matches_hand_loop(layer, loss, lr, steps):
    x, W, label = layer
    traj = gradient_descent(x, W, label, loss, lr, steps)
    np.testing.assert_allclose(traj.W, hand_loop(x, W, label, loss, lr, steps), rtol=1e-10, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(layers(), st.sampled_from(core.LOSSES), st.floats(0.01, 2.0))
def test_one_step_is_w_minus_lr_gradient(layer, loss, lr):
    x, W, label = layer
    y = core.one_hot(label, W.shape[1])
    traj = gradient_descent(x, W, y, loss, lr, 1)
    np.testing.assert_allclose(traj.W[1], W - lr * core.loss_gradient(x, W, y, loss), rtol=1e-12, atol=1e-15)


@settings(max_examples=30, deadline=None)
@given(layers(), st.sampled_from(core.LOSSES))
def test_step_direction_is_the_finite_difference_gradient(layer, loss):
    """(W₀ − W₁)/lr equals ∂L/∂W by central differences of the loss itself (an independent oracle)."""
    x, W, label = layer
    lr, eps = 0.1, 1e-6
    traj = gradient_descent(x, W, label, loss, lr, 1)
    y = core.one_hot(label, W.shape[1])
    numeric = np.zeros_like(W)
    for idx in np.ndindex(W.shape):
        d = np.zeros_like(W)
        d[idx] = eps
        numeric[idx] = (core.loss_value(x, W + d, y, loss) - core.loss_value(x, W - d, y, loss)) / (2 * eps)
    np.testing.assert_allclose((traj.W[0] - traj.W[1]) / lr, numeric, atol=1e-7)


@settings(max_examples=60, deadline=None)
@given(layers(), st.integers(1, 30))
def test_cross_entropy_loss_never_rises_for_a_small_step(layer, steps):
    """CE is convex in W with Hessian ≤ ‖x‖²/2, so lr = 1/(‖x‖² + 1) < 2/L descends monotonically."""
    x, W, label = layer
    lr = 1.0 / (x @ x + 1.0)
    traj = gradient_descent(x, W, label, "cross_entropy", lr, steps)
    assert np.all(np.diff(traj.loss) <= 1e-12)
    if np.linalg.norm(traj.grad_z[0]) * np.linalg.norm(x) > 1e-3:
        assert traj.loss[-1] < traj.loss[0]


def test_blog_example_learns_the_target():
    traj = gradient_descent(core.BLOG_X, core.BLOG_W, 0, "cross_entropy", lr=0.5, steps=10)
    assert traj.loss[0] == pytest.approx(-np.log(0.19091352), rel=1e-6)  # p₀ of the blog's example
    assert traj.loss[-1] < 0.6 < traj.loss[0]
    assert traj.p[-1, 0] > traj.p[0, 0]


@given(layers(), st.sampled_from(core.LOSSES), st.integers(0, 6))
@settings(max_examples=30, deadline=None)
def test_record_shapes_and_consistency(layer, loss, steps):
    x, W, label = layer
    traj = gradient_descent(x, W, label, loss, 0.3, steps)
    n, K = W.shape
    assert isinstance(traj, Trajectory) and traj.steps == steps
    assert traj.W.shape == (steps + 1, n, K)
    assert traj.loss.shape == (steps + 1,)
    assert traj.p.shape == traj.grad_z.shape == (steps + 1, K)
    np.testing.assert_array_equal(traj.W[0], W)
    y = core.one_hot(label, K)
    for s in range(steps + 1):
        np.testing.assert_allclose(traj.p[s], core.softmax(traj.W[s].T @ x))
        assert traj.loss[s] == pytest.approx(core.loss_value(x, traj.W[s], y, loss))
        np.testing.assert_allclose(traj.grad_z[s], core.loss_grad_z(x, traj.W[s], y, loss))


def test_temperature_is_used():
    x, W = core.BLOG_X, core.BLOG_W
    hot = gradient_descent(x, W, 0, "cross_entropy", 0.5, 1, temperature=5.0)
    np.testing.assert_allclose(hot.W[1], W - 0.5 * core.loss_gradient(x, W, core.one_hot(0, 5), temperature=5.0))
    np.testing.assert_allclose(hot.p[0], core.softmax(W.T @ x, 5.0))


@pytest.mark.parametrize("lr", [0, -1, -0.1, float("nan"), float("inf"), "fast", None, True])
def test_bad_learning_rate_names_lr(lr):
    with pytest.raises(ValueError, match="lr"):
        gradient_descent(core.BLOG_X, core.BLOG_W, 0, lr=lr)


@pytest.mark.parametrize("steps", [-1, 1.5, "10", None, 10**9, True])
def test_bad_steps_names_steps(steps):
    with pytest.raises(ValueError, match="steps"):
        gradient_descent(core.BLOG_X, core.BLOG_W, 0, steps=steps)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"y": 5}, "label"),
        ({"y": -1}, "label"),
        ({"y": 1.5}, "y"),
        ({"y": [0.5, 0.5]}, "y"),
        ({"y": [0.5, 0.6, 0, 0, 0]}, "y"),
        ({"loss": "hinge"}, "loss"),
        ({"temperature": 0}, "temperature"),
        ({"x": [1.0, 2.0]}, "W"),
        ({"W": np.full((3, 5), np.nan)}, "W"),
    ],
)
def test_bad_inputs_name_the_argument(kwargs, name):
    args = {"x": core.BLOG_X, "W": core.BLOG_W, "y": 0} | kwargs
    with pytest.raises(ValueError, match=name):
        gradient_descent(args.pop("x"), args.pop("W"), args.pop("y"), **args)


def test_diverging_learning_rate_is_reported_not_returned():
    with pytest.raises(ValueError, match="lr"):
        gradient_descent(np.full(3, 10.0), core.BLOG_W, 0, lr=1e306, steps=3)


@pytest.mark.parametrize(("n", "K"), [(1, 2), (3, 5), (8, 8)])
def test_saturated_start_cross_entropy_learns_mse_stalls(n, K):
    """The page's claim: from a confidently wrong start, MSE's ∂L/∂z (through J ≈ 0) nearly vanishes."""
    x, W = confidently_wrong_start(n, K, wrong=0)
    p0 = core.softmax(W.T @ x)
    assert p0[0] > 0.95
    runs = compare_losses(x, W, 1, lr=0.5, steps=20)
    ce, mse = runs["cross_entropy"], runs["mse"]
    assert np.linalg.norm(ce.grad_z[0]) > 50 * np.linalg.norm(mse.grad_z[0])
    assert ce.p[-1, 1] > 0.5 > 0.1 > mse.p[-1, 1]


def test_confidently_wrong_start_rejects_bad_class():
    with pytest.raises(ValueError, match="wrong"):
        confidently_wrong_start(3, 5, wrong=5)


@settings(max_examples=60, deadline=None)
@given(layers(), st.sampled_from(core.LOSSES))
def test_column_sum_terms_sum_to_the_gradient(layer, loss):
    """Blog: "sum up the adjustments in each column" — the rows' sum, reshaped, is ∂L/∂W = x·(∂L/∂z)ᵀ."""
    x, W, label = layer
    n, K = W.shape
    y = core.one_hot(label, K)
    terms = column_sum_terms(x, W, label, loss)
    assert terms.shape == (K, K * n)
    summed = terms.sum(axis=0).reshape(K, n).T
    scale = 1.0 + np.abs(terms).max()
    np.testing.assert_allclose(summed, core.loss_gradient(x, W, y, loss), atol=1e-12 * scale)
    np.testing.assert_allclose(summed, core.loss_gradient_by_columns(x, W, y, loss), atol=1e-12 * scale)


def test_column_sum_terms_blog_row_is_its_printed_row_times_the_weight():
    """Row t is the blog's printed DL row t (shortcut), scaled by ∂L/∂p_t = −1/p_t for the target."""
    terms = column_sum_terms(core.BLOG_X, core.BLOG_W, 0, "cross_entropy")
    p0 = 0.19091352
    np.testing.assert_allclose(terms[0, :3] * -p0, [0.01544, 0.07723, 0.06178], atol=1e-5)
    np.testing.assert_array_equal(terms[1:], 0.0)  # y_t = 0 rows carry no weight under cross-entropy


@settings(max_examples=30, deadline=None)
@given(layers(), st.sampled_from(core.LOSSES), st.integers(0, 5), st.integers(0, 5))
def test_continuing_a_run_equals_one_longer_run(layer, loss, first, more):
    x, W, label = layer
    joined = continue_descent(gradient_descent(x, W, label, loss, 0.4, first), x, label, loss, 0.4, more)
    whole = gradient_descent(x, W, label, loss, 0.4, first + more)
    assert joined.steps == first + more
    for field in ("W", "loss", "p", "grad_z"):
        np.testing.assert_allclose(getattr(joined, field), getattr(whole, field), rtol=1e-12, atol=1e-15)
