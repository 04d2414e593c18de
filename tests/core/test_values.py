"""core.layer_values and core.loss_values: one record per state, equal to every single-purpose route."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import core
from tests.core.core_strategies import PROPERTY, SLOW_PROPERTY, layers, probability_vectors, temperatures
from tests.core.test_layer import BLOG_DL_UNIT, blog_dl


@PROPERTY
@given(layers(), temperatures)
def test_the_record_equals_each_function_bit_for_bit(layer, T):
    x, W = layer
    v = core.layer_values(x, W, T)
    z, p = core.forward(x, W, T)
    np.testing.assert_array_equal(v.z, z)
    np.testing.assert_array_equal(v.p, p)
    np.testing.assert_array_equal(v.J, core.softmax_jacobian(p, T))
    np.testing.assert_array_equal(v.dz_dw, core.dz_dw(x, W.shape[1]))
    np.testing.assert_array_equal(v.product, core.layer_jacobian_product(x, W, T))
    np.testing.assert_array_equal(v.shortcut, v.product)  # one surviving term: the same multiplication
    np.testing.assert_allclose(v.shortcut, core.layer_jacobian_shortcut(x, W, T), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(v.kron, v.product, rtol=1e-12, atol=1e-300)


@SLOW_PROPERTY
@given(layers(n=(1, 4), K=(2, 5), bound=2.0), temperatures)
def test_the_record_agrees_with_finite_differences(layer, T):
    x, W = layer
    v = core.layer_values(x, W, T)
    np.testing.assert_allclose(v.numerical, v.shortcut, atol=1e-7)


@PROPERTY
@given(layers(), temperatures, st.data())
def test_entries_and_terms_match_the_matrices(layer, T, data):
    x, W = layer
    v = core.layer_values(x, W, T)
    t, i = (data.draw(st.integers(0, v.K - 1)) for _ in range(2))
    j = data.draw(st.integers(0, v.n - 1))
    assert v.entry(t, i, j) == v.shortcut[t, core.column_of(i, j, v.n)]
    assert v.product_terms(t, i, j) == core.product_terms(x, W, t, i, j, T)


def test_the_blogs_numbers(blog):
    v = core.layer_values(*blog)
    assert np.all(np.abs(v.shortcut - blog_dl()) <= BLOG_DL_UNIT)


def test_the_record_is_read_only_and_leaves_the_callers_arrays_alone(blog):
    x, W = blog
    v = core.layer_values(x, W)
    for name in ("x", "W", "z", "p", "J", "dz_dw", "product", "shortcut"):
        with pytest.raises(ValueError):
            getattr(v, name)[0] = 1.0
    x[0] = 5.0  # the caller's array is still theirs to change
    assert v.x[0] == core.BLOG_X[0]


@pytest.mark.parametrize(
    ("x", "W", "T", "word"),
    [([0.1], [[1.0, np.nan]], 1.0, "W"), ([np.inf], [[1.0, 2.0]], 1.0, "x"), ([0.1], [[1.0, 2.0]], 0.0, "temperature"),
     ([1.0, 2.0], [[1.0, 2.0]], 1.0, "W"), ([1e300], [[1e300, 1.0]], 1.0, "overflows")],
)  # fmt: skip
def test_bad_input_names_the_argument(x, W, T, word):
    with pytest.raises(ValueError, match=word):
        core.layer_values(x, W, T)


@PROPERTY
@given(layers(), temperatures, st.sampled_from(core.LOSSES), st.data())
def test_loss_values_equal_the_loss_functions(layer, T, loss, data):
    x, W = layer
    y = data.draw(probability_vectors(W.shape[1]))
    v = core.layer_values(x, W, T)
    L = core.loss_values(v, y, loss)
    assert L.value == pytest.approx(core.loss_value(x, W, y, loss, T), rel=1e-12, abs=1e-300)
    np.testing.assert_allclose(L.grad_z, core.loss_grad_z(x, W, y, loss, T), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(L.grad_W, core.loss_gradient(x, W, y, loss, T), rtol=1e-10, atol=1e-15)
    if L.by_columns is not None:
        np.testing.assert_allclose(L.terms, core.training.column_sum_terms(x, W, y, loss, T), rtol=1e-10, atol=1e-15)
        np.testing.assert_allclose(L.by_columns, core.loss_gradient_by_columns(x, W, y, loss, T), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(L.by_columns, L.grad_W, rtol=1e-9, atol=1e-12)


def test_loss_values_say_why_the_columns_cannot_be_summed():
    x, W = np.array([1.0]), np.array([[800.0, -800.0]])  # p_1 underflows to 0
    L = core.loss_values(core.layer_values(x, W), 1)
    assert L.grad_p is None and L.by_columns is None and "infinite" in L.columns_problem
    np.testing.assert_allclose(L.grad_z, [1.0, -1.0])  # p − y stays finite
    with pytest.raises(ValueError, match="y"):
        core.loss_values(core.layer_values(x, W), np.array([0.5, 0.6]))


@PROPERTY
@given(layers(), temperatures)
def test_the_unweighted_column_sums_of_dp_dw_are_zero_to_rounding(layer, T):
    """Σ_t ∂p_t/∂W[j, i] = x_j·Σ_t J[t, i] = 0 because Σ_t p_t = 1 (seed 000's 0, found again)."""
    x, W = layer
    v = core.layer_values(x, W, T)
    assert v.column_sums.shape == (v.K * v.n,)
    # Column i·n + j sums x_j·J[t, i] over t; J's entries are rounded relative to p_i ≤ 1 (not to their
    # own size: p_i(1 − p_i) loses digits when p_i ≈ 1), so the residue is a few ulps of K·|x_j|.
    scale = v.K * np.abs(np.tile(v.x, v.K)) / v.temperature
    assert np.all(np.abs(v.column_sums) <= 8 * np.finfo(float).eps * scale)
    # Not a sum that happens to be small: the columns themselves are not 0 where x_j ≠ 0 and p is not one-hot.
    if np.abs(v.x).min() > 0.1 and v.p.min() > 1e-3:
        assert np.all(np.abs(v.shortcut).max(axis=0) > 1e-6)


def test_the_blog_column_sums_are_zero_but_the_weighted_ones_are_the_gradient():
    v = core.layer_values(core.BLOG_X, core.BLOG_W)
    assert np.abs(v.column_sums).max() < 1e-16
    L = core.loss_values(v, 2)
    np.testing.assert_allclose(L.by_columns, L.grad_W, atol=1e-15)
    assert np.abs(L.grad_W).max() > 0.01  # weighting by ∂L/∂p is what makes them non-zero
