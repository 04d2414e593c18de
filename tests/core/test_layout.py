"""Other conventions as views: input-major columns, PyTorch's W' = Wᵀ, weight labels."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import core
from tests.core.core_strategies import PROPERTY, layers, temperatures


@PROPERTY
@given(st.integers(1, 8), st.integers(1, 8), st.integers(1, 3), st.data())
def test_convert_columns_round_trips_between_orders(n, K, rows, data):
    M = data.draw(arrays(np.float64, (rows, K * n), elements=st.floats(-10, 10)))
    for source in core.ORDERS:
        for target in core.ORDERS:
            there = core.convert_columns(M, n, K, source, target)
            np.testing.assert_array_equal(core.convert_columns(there, n, K, target, source), M)
    np.testing.assert_array_equal(core.convert_columns(M, n, K, "class_major", "class_major"), M)


@PROPERTY
@given(layers(), temperatures)
def test_input_major_column_j_k_plus_k_holds_w_jk(layer, T):
    x, W = layer
    n, K = W.shape
    class_major = core.layer_jacobian_shortcut(x, W, T)
    input_major = core.convert_columns(class_major, n, K, "class_major", "input_major")
    for j in range(n):
        for k in range(K):
            np.testing.assert_array_equal(input_major[:, j * K + k], class_major[:, core.column_of(k, j, n)])


def test_input_major_is_numpys_row_major_flattening_of_w():
    n, K = 3, 4
    W = np.arange(n * K, dtype=float).reshape(n, K)
    class_major_vec = W.T.ravel()[None, :]  # column k·n + j holds W[j, k]
    np.testing.assert_array_equal(core.convert_columns(class_major_vec, n, K)[0], W.ravel())
    np.testing.assert_array_equal(
        core.weight_order(n, K, "input_major"), [k * n + j for j in range(n) for k in range(K)]
    )
    np.testing.assert_array_equal(core.weight_order(n, K, "class_major"), np.arange(n * K))


@PROPERTY
@given(layers())
def test_pytorch_layout_round_trips_and_gives_the_same_logits(layer):
    x, W = layer
    Wp = core.to_pytorch(W)
    assert Wp.shape == (W.shape[1], W.shape[0])
    np.testing.assert_array_equal(core.from_pytorch(Wp), W)
    np.testing.assert_allclose(Wp @ x, W.T @ x, rtol=1e-13, atol=1e-13)  # same sums, maybe another order
    np.testing.assert_array_equal(core.logits(x, core.from_pytorch(Wp)), core.logits(x, W))
    # Class-major columns are PyTorch's row-major flattening of W'.
    np.testing.assert_array_equal(Wp.ravel(), W.T.ravel())


def test_to_pytorch_returns_a_copy():
    W = np.zeros((2, 3))
    core.to_pytorch(W)[0, 0] = 1.0
    assert W[0, 0] == 0.0


def test_weight_labels():
    assert core.weight_label(2, 1) == "W[2,1]"
    assert core.weight_label(2, 1, "pytorch") == "W'[1,2]"


def test_bad_order_names_the_argument():
    with pytest.raises(ValueError, match="order"):
        core.weight_order(2, 3, "row_major")
    with pytest.raises(ValueError, match="order"):
        core.convert_columns(np.zeros((1, 6)), 2, 3, "class_major", "interleaved")
    with pytest.raises(ValueError, match="M must have"):
        core.convert_columns(np.zeros((1, 5)), 2, 3)


@pytest.mark.parametrize("order", core.ORDERS)
def test_weight_labels_name_each_displayed_column(order):
    n, K = 3, 4
    labels = core.weight_labels(n, K, order)
    perm = core.weight_order(n, K, order)
    assert len(set(labels)) == n * K
    for c, col in enumerate(perm):
        k, j = core.weight_of_column(int(col), n, K)
        assert labels[c] == f"W[{j},{k}]"
