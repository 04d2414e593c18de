"""Batches through one softmax layer: per-sample Jacobians and the batch gradient as a mean."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import core
from core.batch import batch_forward, batch_jacobians, make_batch
from tests.core.core_strategies import PROPERTY, layers, temperatures


@st.composite
def batches(draw):
    n, K, N = draw(st.integers(1, 5)), draw(st.integers(2, 5)), draw(st.integers(1, 6))
    X = draw(arrays(float, (N, n), elements=st.floats(-3, 3)))
    W = draw(arrays(float, (n, K), elements=st.floats(-3, 3)))
    labels = draw(arrays(np.int64, N, elements=st.integers(0, K - 1)))
    return X, W, labels


@settings(max_examples=50, deadline=None)
@given(batches(), st.floats(0.2, 5.0))
def test_each_jacobian_is_the_single_sample_one(batch, T):
    X, W, _ = batch
    Js = batch_jacobians(X, W, T)
    assert Js.shape == (X.shape[0], W.shape[1], W.shape[1])
    for s, x in enumerate(X):
        _, p = core.forward(x, W, T)
        np.testing.assert_allclose(Js[s], core.softmax_jacobian_loops(p, T), atol=1e-15)


@settings(max_examples=50, deadline=None)
@given(batches(), st.sampled_from(core.LOSSES))
def test_batch_gradient_is_the_mean_of_single_sample_gradients(batch, loss):
    """core's batched loss_gradient equals the mean of per-sample outer products and of N single calls."""
    X, W, labels = batch
    Y = core.one_hot(labels, W.shape[1])
    batched = core.loss_gradient(X, W, Y, loss)
    per = core.loss_gradient_per_sample(X, W, Y, loss)
    singles = np.mean([core.loss_gradient(x, W, y, loss) for x, y in zip(X, Y, strict=True)], axis=0)
    np.testing.assert_allclose(per.mean(axis=0), batched, atol=1e-14)
    np.testing.assert_allclose(singles, batched, atol=1e-14)
    if loss == "cross_entropy":
        _, P = batch_forward(X, W)
        for s in range(len(X)):
            np.testing.assert_allclose(per[s], np.outer(X[s], P[s] - Y[s]), atol=1e-15)


def test_make_batch_is_reproducible_and_in_range():
    X1, y1 = make_batch(4, 6, 10, seed=7)
    X2, y2 = make_batch(4, 6, 10, seed=7)
    X3, _ = make_batch(4, 6, 10, seed=8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    assert X1.shape == (10, 4) and y1.shape == (10,)
    assert np.all(np.abs(X1) <= 3) and np.all((0 <= y1) & (y1 < 6))
    np.testing.assert_array_equal(X1, np.round(X1, 2))


@pytest.mark.parametrize(
    ("args", "name"),
    [((4, 6, 0), "size"), ((4, 6, 2000), "size"), ((0, 6, 5), "n"), ((4, 1, 5), "n_classes"), ((4, 6, 2.5), "size")],
)
def test_make_batch_rejects_bad_sizes(args, name):
    with pytest.raises(ValueError, match=name):
        make_batch(*args)


def test_make_batch_rejects_bad_seed():
    with pytest.raises(ValueError, match="seed"):
        make_batch(3, 5, 4, seed=-1)


def test_shape_mismatch_names_x_and_w():
    with pytest.raises(ValueError, match="X has n = 2"):
        batch_jacobians(np.ones((3, 2)), core.BLOG_W)
    with pytest.raises(ValueError, match="X"):
        batch_forward([[np.nan, 1, 1]], core.BLOG_W)


@PROPERTY
@given(layers(n=(1, 5), K=(2, 5)), temperatures, st.sampled_from(core.LOSSES), st.integers(1, 6), st.integers(0, 99))
def test_batch_values_equal_each_batch_function(layer, T, loss, N, seed):
    _, W = layer
    X, labels = make_batch(W.shape[0], W.shape[1], N, seed)
    Y = core.one_hot(labels, W.shape[1])
    B = core.batch_values(X, W, Y, loss, T)
    Z, P = batch_forward(X, W, T)
    np.testing.assert_array_equal(B.P, P)
    np.testing.assert_array_equal(B.Js, batch_jacobians(X, W, T))
    np.testing.assert_allclose(B.grad_z, core.loss_grad_z(X, W, Y, loss, T), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(B.per_sample, core.loss_gradient_per_sample(X, W, Y, loss, T), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(B.gradient, core.loss_gradient(X, W, Y, loss, T), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(B.gradient, B.per_sample.mean(axis=0), rtol=1e-10, atol=1e-14)
    assert B.value == pytest.approx(core.loss_value(X, W, Y, loss, T), rel=1e-12)
