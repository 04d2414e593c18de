"""The layer derivative dp/dW, (K, K·n): the blog's printout, dz/dW's structure, every route agreeing."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import core
from tests.core.core_strategies import PROPERTY, SLOW_PROPERTY, layers, temperatures

# Seed 002's print(DL_shortcut): rows t = 0..4, columns i·n + j (class-major), copied verbatim.
# Its print(DL) from the product is the same except DL[1, 4], printed "0.0810" (one digit short).
BLOG_DL = """
 0.01544  0.07723  0.06178 -0.00388 -0.01942 -0.01554 -0.00414 -0.02071 -0.01657 -0.00441 -0.02208 -0.01766 -0.00300 -0.01501 -0.01200
-0.00388 -0.01942 -0.01554  0.01621  0.08105  0.06484 -0.00441 -0.02208 -0.01766 -0.00470 -0.02354 -0.01883 -0.00320 -0.01600 -0.01280
-0.00414 -0.02071 -0.01657 -0.00441 -0.02208 -0.01766  0.01699  0.08495  0.06796 -0.00501 -0.02509 -0.02007 -0.00341 -0.01706 -0.01364
-0.00441 -0.02208 -0.01766 -0.00470 -0.02354 -0.01883 -0.00501 -0.02509 -0.02007  0.01778  0.08890  0.07112 -0.00363 -0.01818 -0.01455
-0.00300 -0.01501 -0.01200 -0.00320 -0.01600 -0.01280 -0.00341 -0.01706 -0.01364 -0.00363 -0.01818 -0.01455  0.01325  0.06626  0.05300
"""  # noqa: E501
# The blog prints 5 decimals and truncates (DL[0, 0] = 0.0154465… is printed 0.01544), so an
# entry may be off by up to one unit of the last digit, never more.
BLOG_DL_UNIT = 1e-5

ROUTES = {
    "product": core.layer_jacobian_product,
    "shortcut": core.layer_jacobian_shortcut,
    "kron": core.layer_jacobian_kron,
    "loops": core.layer_jacobian_loops,
}


def blog_dl() -> np.ndarray:
    return np.array([[float(v) for v in line.split()] for line in BLOG_DL.strip().splitlines()])


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_every_route_reproduces_the_blogs_layer_derivative(blog, route):
    x, W = blog
    DL = ROUTES[route](x, W)
    assert DL.shape == (5, 15)
    err = np.abs(DL - blog_dl())
    assert err.max() < BLOG_DL_UNIT, np.unravel_index(err.argmax(), err.shape)


def test_numerical_jacobian_reproduces_the_blog(blog):
    x, W = blog
    assert np.abs(core.numerical_jacobian(x, W) - blog_dl()).max() < BLOG_DL_UNIT


def test_blog_dz_dw_is_the_transpose_of_its_printed_z_dir(blog):
    x, _ = blog
    # print(DZ) shows a (15, 5) matrix: x in rows 3k..3k+2 of column k.
    z_dir = np.zeros((15, 5))
    for k in range(5):
        z_dir[3 * k : 3 * k + 3, k] = [0.1, 0.5, 0.4]
    np.testing.assert_array_equal(core.dz_dw(x, 5), z_dir.T)


# ---------------------------------------------------------------- dz/dW


@PROPERTY
@given(layers())
def test_dz_dw_entry_is_delta_tk_times_x_j(layer):
    x, W = layer
    n, K = W.shape
    D = core.dz_dw(x, K)
    assert D.shape == (K, K * n)
    expected = np.array([[(t == k) * x[j] for k in range(K) for j in range(n)] for t in range(K)])
    np.testing.assert_array_equal(D, expected)
    np.testing.assert_array_equal(D, np.kron(np.eye(K), x[None, :]))
    # z = dz/dW · vec(W) (z is linear in W), with W flattened class-major.
    np.testing.assert_allclose(D @ W.T.ravel(), W.T @ x, rtol=1e-12, atol=1e-12)


@PROPERTY
@given(st.integers(1, 12), st.integers(1, 12))
def test_column_of_and_weight_of_column_round_trip(n, K):
    cols = [core.column_of(k, j, n) for k in range(K) for j in range(n)]
    assert cols == list(range(K * n))  # class-major: k outer, j inner
    for col in range(K * n):
        k, j = core.weight_of_column(col, n, K)
        assert core.column_of(k, j, n) == col
        assert 0 <= j < n and 0 <= k < K


# ---------------------------------------------------------------- routes agree


@PROPERTY
@given(layers(), temperatures)
def test_product_shortcut_kron_and_loops_agree(layer, T):
    x, W = layer
    ref = core.layer_jacobian_loops(x, W, T)
    scale = max(np.abs(x).max(), 1.0) / T  # |entries| ≤ |x_j|/(4T)
    for name in ("product", "shortcut", "kron"):
        np.testing.assert_allclose(ROUTES[name](x, W, T), ref, rtol=1e-12, atol=1e-15 * scale, err_msg=name)


@PROPERTY
@given(layers(), temperatures)
def test_shortcut_equals_the_product_bit_for_bit(layer, T):
    # dz/dW has one non-zero (x_j) per column, so the product's entry is exactly J[t, i]·x_j;
    # the shortcut rounds p_t(δ_ti − p_i)/T as softmax_jacobian does, so the explorer's
    # difference panel shows max |Δ| = 0, not rounding noise. Kron forms the same products.
    x, W = layer
    shortcut = core.layer_jacobian_shortcut(x, W, T)
    np.testing.assert_array_equal(shortcut, core.layer_jacobian_product(x, W, T))
    np.testing.assert_array_equal(shortcut, core.layer_jacobian_kron(x, W, T))


@SLOW_PROPERTY
@given(layers(), temperatures)
def test_routes_agree_with_finite_differences(layer, T):
    # Central differences with eps = 1e-6: truncation ~ eps²·(|x|/T)³/6 < 2e-9 and rounding
    # ~ 1e-16/eps = 1e-10 for |x| ≤ 5, T ≥ 0.25, so atol 1e-7 is tight but safe.
    x, W = layer
    numeric = core.numerical_jacobian(x, W, eps=1e-6, temperature=T)
    np.testing.assert_allclose(core.layer_jacobian_shortcut(x, W, T), numeric, atol=1e-7)
    np.testing.assert_allclose(core.layer_jacobian_product(x, W, T), numeric, atol=1e-7)


@PROPERTY
@given(layers(), temperatures)
def test_layer_derivative_is_the_jacobian_times_x(layer, T):
    x, W = layer
    n, K = W.shape
    _, p = core.forward(x, W, T)
    J = core.softmax_jacobian(p, T)
    blocks = core.layer_jacobian_shortcut(x, W, T).reshape(K, K, n)  # [t, i, j]
    np.testing.assert_allclose(
        blocks, J[:, :, None] * x[None, None, :], rtol=1e-12, atol=1e-15 * max(np.abs(x).max(), 1.0) / T
    )
    # Each output's derivatives sum to 0 over the classes (rows of J sum to 0).
    np.testing.assert_allclose(blocks.sum(axis=1), 0.0, atol=1e-14 * (1 + max(np.abs(x).max(), 1.0)) / T)


def test_forward_and_logits(blog):
    x, W = blog
    z, p = core.forward(x, W, 2.0)
    np.testing.assert_allclose(z, [0.354, 0.418, 0.482, 0.546, 0.16])
    np.testing.assert_array_equal(core.logits(x, W), z)
    np.testing.assert_array_equal(p, core.softmax(z, 2.0))


# ---------------------------------------------------------------- the chain-rule terms


@PROPERTY
@given(layers(), temperatures, st.data())
def test_product_terms_sum_to_the_entry_and_only_k_equal_i_survives(layer, T, data):
    x, W = layer
    n, K = W.shape
    t = data.draw(st.integers(0, K - 1))
    i = data.draw(st.integers(0, K - 1))
    j = data.draw(st.integers(0, n - 1))
    terms = core.product_terms(x, W, t, i, j, T)
    assert [term["k"] for term in terms] == list(range(K))
    for term in terms:
        assert term["term"] == term["J"] * term["dz"]
        if term["k"] != i:
            assert term["dz"] == 0.0 and term["term"] == 0.0
    assert terms[i]["dz"] == x[j]
    entry = core.layer_jacobian_shortcut(x, W, T)[t, core.column_of(i, j, n)]
    assert sum(term["term"] for term in terms) == pytest.approx(entry, rel=1e-12, abs=1e-15)


def test_product_terms_rejects_out_of_range_indices(blog):
    x, W = blog
    for kwargs, name in (
        ({"t": 5, "i": 0, "j": 0}, "t"),
        ({"t": 0, "i": -1, "j": 0}, "i"),
        ({"t": 0, "i": 0, "j": 3}, "j"),
    ):
        with pytest.raises(ValueError, match=f"^{name} must be"):
            core.product_terms(x, W, **kwargs)


# ---------------------------------------------------------------- extreme values


@pytest.mark.usefixtures("strict_floats")
def test_saturated_layer_has_an_exactly_zero_derivative():
    x = np.array([1.0])
    W = np.array([[1000.0, 0.0, -1000.0]])
    for route in ROUTES.values():
        np.testing.assert_array_equal(route(x, W), np.zeros((3, 3)))
