"""The seeds' wrong turns, computed literally: each must be visibly wrong in the way the app says."""

from __future__ import annotations

import numpy as np
from hypothesis import given

import core
from tests.core.core_strategies import PROPERTY, layers, temperatures


@PROPERTY
@given(layers(bound=3.0))
def test_quotient_rule_without_delta_gives_zero(layer):
    # Seed 000: differentiating w.r.t. every weight vector at once; the two terms cancel.
    x, W = layer
    wrong = core.quotient_rule_without_delta(x, W)
    assert wrong.shape == (W.shape[1], W.shape[0])
    np.testing.assert_allclose(wrong, 0.0, atol=1e-15 * (1 + np.abs(x).max()))


@PROPERTY
@given(layers(), temperatures)
def test_weight_vector_gradients_are_seed_000s_boxed_result(layer, T):
    x, W = layer
    n, K = W.shape
    _, p = core.forward(x, W, T)
    G = core.weight_vector_gradients(x, W, T)
    assert G.shape == (K, K, n)
    for a in range(K):
        for i in range(K):
            expected = p[a] * ((a == i) - p[i]) * x / T
            # atol floor: a subnormal x (5e-324) would make the scaled tolerance underflow to 0.
            np.testing.assert_allclose(G[a, i], expected, rtol=1e-12, atol=max(1e-15 * np.abs(x).max() / T, 1e-300))


def test_jacobian_at_logits_is_wrong(blog):
    # Seed 003: the formula evaluated at z instead of p; rows do not sum to 0.
    x, W = blog
    z, p = core.forward(x, W)
    wrong = core.jacobian_at_logits(z)
    np.testing.assert_allclose(wrong, np.diag(z) - np.outer(z, z))
    assert np.abs(wrong.sum(axis=1)).max() > 0.1
    assert np.abs(wrong - core.softmax_jacobian(p)).max() > 0.01
