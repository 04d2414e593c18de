"""core.layout_check: PyTorch logits and input-major columns, against hand loops and core.layout."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from core.layout_check import columns_in_order, input_major_column, pytorch_logits


@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 9), K=st.integers(2, 9), seed=st.integers(0, 10_000))
def test_pytorch_logits_equal_the_blogs(n, K, seed):
    rng = np.random.default_rng(seed)
    x, W = rng.normal(size=n), rng.normal(size=(n, K))
    z = pytorch_logits(x, core.to_pytorch(W))
    hand = np.array([sum(W[j, k] * x[j] for j in range(n)) for k in range(K)])
    np.testing.assert_allclose(z, hand, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(z, core.logits(x, W), rtol=1e-12, atol=1e-12)


def test_pytorch_logits_rejects_the_blogs_shape():
    with pytest.raises(ValueError, match="W_prime must have shape"):
        pytorch_logits(np.ones(3), np.ones((3, 5)))
    with pytest.raises(ValueError, match="x"):
        pytorch_logits([np.nan, 1.0], np.ones((4, 2)))


@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 8), K=st.integers(2, 8), seed=st.integers(0, 10_000))
def test_columns_in_order_agrees_with_convert_columns(n, K, seed):
    rng = np.random.default_rng(seed)
    x, W = rng.normal(size=n), rng.normal(size=(n, K))
    M = core.layer_jacobian_product(x, W)
    for order in core.ORDERS:
        np.testing.assert_array_equal(columns_in_order(M, n, K, order), core.convert_columns(M, n, K, target=order))


def test_input_major_column_is_numpys_ravel_of_w():
    n, K = 3, 5
    W = np.arange(n * K).reshape(n, K)
    for j in range(n):
        for k in range(K):
            assert W.ravel()[input_major_column(j, k, K)] == W[j, k]


def test_columns_in_order_bad_input():
    with pytest.raises(ValueError, match="columns"):
        columns_in_order(np.ones((2, 5)), 2, 3, "input_major")
    with pytest.raises(ValueError, match="order"):
        columns_in_order(np.ones((2, 6)), 2, 3, "row_major")
