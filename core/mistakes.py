"""The wrong turns from the seeds, computed literally so the app can show them beside the right step."""

from __future__ import annotations

import numpy as np

from ._validate import as_input_and_weights, as_vector
from .layer import forward, layer_jacobian_shortcut


def weight_vector_gradients(x, W, temperature=1.0) -> np.ndarray:
    """(K, K, n): [a, i, :] = ∂p_a/∂w_i = p_a(δ_ai − p_i)·x / T, seed 000's boxed result.

    w_i is column i of W (the weights into class i); a reshaped view of dp/dW.
    """
    x, W = as_input_and_weights(x, W)
    n, K = W.shape
    return layer_jacobian_shortcut(x, W, temperature).reshape(K, K, n)


def quotient_rule_without_delta(x, W) -> np.ndarray:
    """Seed 000's derivation, literally: (x·e^{z_a}·S − e^{z_a}·Σ_d x·e^{z_d}) / S², shape (K, n).

    Writing ∂(w_dᵀx)/∂w = x for *every* d (dropping δ_di) differentiates with respect to all
    weight vectors at once. The two terms cancel exactly, so every row is 0: softmax does not
    change when the same vector is added to every w_d.
    """
    x, W = as_input_and_weights(x, W)
    z, _ = forward(x, W)
    e = np.exp(z - z.max())
    S = e.sum()
    first = e[:, None] * x[None, :] * S
    second = e[:, None] * (e[:, None] * x[None, :]).sum(axis=0)[None, :]
    return (first - second) / S**2


def jacobian_at_logits(z) -> np.ndarray:
    """Seed 003's trap: the formula diag(v) − v·vᵀ evaluated at the logits z instead of p = softmax(z).

    Returns (K, K). Its rows do not sum to 0 and it disagrees with finite differences,
    which is why the derivative is written Softmax'(a) with a the output.
    """
    z = as_vector(z, "z")
    return np.diag(z) - np.outer(z, z)
