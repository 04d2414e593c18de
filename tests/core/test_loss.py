"""Losses and their gradients: every route to ∂L/∂W against the others and against finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import core
from tests.core.core_strategies import PROPERTY, SLOW_PROPERTY, layers, probability_vectors, temperatures

losses = st.sampled_from(core.LOSSES)


@st.composite
def samples(draw, bound=5.0):
    """(x, W, y): a layer and a target probability vector for it."""
    x, W = draw(layers(bound=bound))
    return x, W, draw(probability_vectors(W.shape[1]))


def numerical_loss_gradient(x, W, y, loss, T, eps=1e-6):
    """Central differences of loss_value with respect to each W[j, k]: (n, K)."""
    G = np.empty_like(W)
    for j in range(W.shape[0]):
        for k in range(W.shape[1]):
            E = np.zeros_like(W)
            E[j, k] = eps
            G[j, k] = (core.loss_value(x, W + E, y, loss, T) - core.loss_value(x, W - E, y, loss, T)) / (2 * eps)
    return G


@PROPERTY
@given(samples(bound=2.0), losses, temperatures)
def test_loss_gradient_equals_the_blogs_sum_of_columns(sample, loss, T):
    # The blog's route multiplies ∂L/∂p_t = −y_t/p_t by row t of dp/dW; values within ±2 keep
    # every p_t well above underflow, where that route is exact (see the test below).
    x, W, y = sample
    G = core.loss_gradient(x, W, y, loss, T)
    assert G.shape == W.shape
    scale = 1 + np.abs(x).max() / T
    np.testing.assert_allclose(core.loss_gradient_by_columns(x, W, y, loss, T), G, rtol=1e-9, atol=1e-12 * scale)


@PROPERTY
@given(samples(), losses, temperatures)
def test_loss_gradient_is_the_outer_product_of_x_and_dl_dz(sample, loss, T):
    x, W, y = sample
    _, p = core.forward(x, W, T)
    if loss == "cross_entropy":
        dLdz = (p - y) / T
    else:
        dLdz = core.softmax_jacobian(p, T) @ (2 * (p - y) / len(p))
    np.testing.assert_allclose(core.loss_grad_z(x, W, y, loss, T), dLdz, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(core.loss_gradient(x, W, y, loss, T), np.outer(x, dLdz), rtol=1e-10, atol=1e-15)


@PROPERTY
@given(samples())
def test_cross_entropy_dl_dz_is_p_minus_y(sample):
    x, W, y = sample
    _, p = core.forward(x, W)
    np.testing.assert_allclose(core.loss_grad_z(x, W, y), p - y, atol=1e-15)


@SLOW_PROPERTY
@given(samples(bound=2.0), losses, st.floats(0.5, 4.0))
def test_loss_gradient_equals_finite_differences_of_the_loss(sample, loss, T):
    x, W, y = sample
    np.testing.assert_allclose(
        core.loss_gradient(x, W, y, loss, T), numerical_loss_gradient(x, W, y, loss, T), atol=1e-7
    )


@PROPERTY
@given(layers(n=(1, 5), K=(2, 5)), st.integers(1, 6), st.integers(0, 2**32 - 1), losses, temperatures)
def test_batch_gradient_is_the_mean_of_per_sample_gradients(layer, N, seed, loss, T):
    _, W = layer
    rng = np.random.default_rng(seed)
    n, K = W.shape
    X = rng.uniform(-3, 3, size=(N, n))
    Y = core.softmax(rng.normal(size=(N, K)))
    per = core.loss_gradient_per_sample(X, W, Y, loss, T)
    assert per.shape == (N, n, K)
    for s in range(N):
        np.testing.assert_allclose(per[s], core.loss_gradient(X[s], W, Y[s], loss, T), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(core.loss_gradient(X, W, Y, loss, T), per.mean(axis=0), rtol=1e-12, atol=1e-15)
    values = [core.loss_value(X[s], W, Y[s], loss, T) for s in range(N)]
    assert core.loss_value(X, W, Y, loss, T) == pytest.approx(np.mean(values), rel=1e-12, abs=1e-15)


def test_loss_values_by_hand(blog):
    x, W = blog
    _, p = core.forward(x, W)
    y = core.one_hot(2, 5)
    assert core.loss_value(x, W, y) == pytest.approx(-np.log(p[2]), rel=1e-14)
    assert core.loss_value(x, W, y, "mse") == pytest.approx(np.mean((p - y) ** 2), rel=1e-14)
    np.testing.assert_allclose(core.loss_grad_p(p, y), [0, 0, -1 / p[2], 0, 0])
    np.testing.assert_allclose(core.loss_grad_p(p, y, "mse"), 2 * (p - y) / 5)


def test_one_hot():
    np.testing.assert_array_equal(core.one_hot(1, 3), [0.0, 1.0, 0.0])
    np.testing.assert_array_equal(core.one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])


@pytest.mark.usefixtures("strict_floats")
def test_cross_entropy_stays_finite_when_the_target_class_saturates():
    # z = [−100, 100] / 0.1: p = [0, 1] in float64, target class 0. L = 2000 exactly (log-softmax).
    x, W, y = np.array([10.0]), np.array([[-10.0, 10.0]]), np.array([1.0, 0.0])
    assert core.loss_value(x, W, y, temperature=0.1) == 2000.0
    np.testing.assert_array_equal(core.loss_gradient(x, W, y, temperature=0.1), [[-100.0, 100.0]])
    with pytest.raises(ValueError, match="probability 0"):
        core.loss_grad_p(core.softmax([-1000.0, 1000.0]), y)


def test_sum_of_columns_is_right_or_refuses_when_the_target_class_saturates():
    x, W, y = np.array([10.0]), np.array([[-10.0, 10.0]]), np.array([1.0, 0.0])
    try:
        G = core.loss_gradient_by_columns(x, W, y, temperature=0.1)
    except ValueError:
        return  # refusing (like loss_grad_p does) is an acceptable answer
    np.testing.assert_allclose(G, [[-100.0, 100.0]])


@PROPERTY
@given(arrays(np.float64, 4, elements=st.floats(-3, 3)))
def test_mse_gradient_vanishes_at_the_target(z):
    y = core.softmax(z)
    x = np.array([1.0])
    W = z[None, :]
    np.testing.assert_allclose(core.loss_gradient(x, W, y, "mse"), 0.0, atol=1e-15)
    np.testing.assert_allclose(core.loss_gradient(x, W, y), 0.0, atol=1e-15)


# ---------------------------------------------------------------- loss_at_p: the loss as a function of p


@pytest.mark.parametrize("loss", core.LOSSES)
def test_loss_at_p_agrees_with_loss_value_at_the_layers_p(loss):
    x, W = core.BLOG_X, core.BLOG_W
    y = core.one_hot(3, 5)
    p = core.softmax(W.T @ x)
    assert core.loss_at_p(p, y, loss) == pytest.approx(core.loss_value(x, W, y, loss), rel=1e-12)


def test_loss_at_p_takes_a_grid_of_points_and_is_infinite_only_where_the_target_is_0():
    y = np.array([0.0, 1.0, 0.0])
    P = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    ce = core.loss_at_p(P.reshape(3, 1, 3), y)
    assert ce.shape == (3, 1)
    assert ce[0, 0] == pytest.approx(-np.log(0.3)) and ce[1, 0] == np.inf and ce[2, 0] == 0
    np.testing.assert_allclose(core.loss_at_p(P, y, "mse"), ((P - y) ** 2).mean(axis=1))


def test_loss_at_p_refuses_a_target_that_does_not_fit():
    with pytest.raises(ValueError, match="y must be one"):
        core.loss_at_p(np.array([0.5, 0.5]), np.array([0.0, 0.0, 1.0]))
    with pytest.raises(ValueError, match="p must"):
        core.loss_at_p(np.array([0.5, 0.6]), np.array([0.0, 1.0]))
