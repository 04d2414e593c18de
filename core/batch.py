"""A batch of N inputs through one softmax layer: generated inputs, per-sample Jacobians.

Shapes: X (N, n) one input per row, W (n, K), labels (N,) class numbers, P (N, K) with
P[s] = softmax(Wᵀx_s / T), and per-sample Jacobians (N, K, K) with [s, i, j] = ∂p_i/∂z_j
for sample s. The batch gradient itself is ``loss_gradient(X, W, Y)`` (the mean over samples).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_matrix, as_temperature, as_whole_number
from .loss import _batch, _check_loss
from .presets import SLIDER_LIMIT
from .softmax import log_softmax, softmax, softmax_jacobian

MAX_BATCH = 1024


def make_batch(n: int, n_classes: int, size: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``size`` inputs X (N, n) drawn from N(0, 1) and labels (N,) uniform in [0, K), from ``seed``.

    Inputs are rounded to 0.01 and clipped to ±SLIDER_LIMIT, like the presets, so they print short.
    The same (n, K, N, seed) always gives the same batch.
    """
    n = as_whole_number(n, "n", 1, 10_000)
    K = as_whole_number(n_classes, "n_classes", 2, 10_000)
    N = as_whole_number(size, "size", 1, MAX_BATCH)
    seed = as_whole_number(seed, "seed", 0, 2**63 - 1)
    rng = np.random.default_rng(seed)
    X = np.clip(np.round(rng.normal(size=(N, n)), 2), -SLIDER_LIMIT, SLIDER_LIMIT)
    labels = rng.integers(0, K, size=N)
    return X, labels


def batch_forward(X, W, temperature=1.0) -> tuple[np.ndarray, np.ndarray]:
    """(Z, P) for a batch: Z = X·W (N, K) logits, P = softmax(Z / T) row by row (N, K)."""
    X, W = _batch_and_weights(X, W)
    Z = X @ W
    return Z, softmax(Z, as_temperature(temperature))


def batch_jacobians(X, W, temperature=1.0) -> np.ndarray:
    """Each sample's softmax Jacobian: (N, K, K), [s, i, j] = ∂p_i/∂z_j = p_i(δ_ij − p_j)/T for sample s."""
    _, P = batch_forward(X, W, temperature)
    return softmax_jacobian(P, temperature)


def _batch_and_weights(X, W) -> tuple[np.ndarray, np.ndarray]:
    X = as_matrix(X, "X")
    W = as_matrix(W, "W")
    if X.shape[1] != W.shape[0]:
        raise ValueError(
            f"X has n = {X.shape[1]} inputs per row but W has shape {W.shape} (expected ({X.shape[1]}, K))"
        )
    return X, W


@dataclass(frozen=True, eq=False)
class BatchValues:
    """A batch through the layer with a loss, from one forward pass; see ``batch_values``.

    X (N, n), W (n, K), Y (N, K) targets. Z (N, K) logits, P (N, K) probabilities, Js (N, K, K)
    per-sample Jacobians [s, i, j] = ∂p_i/∂z_j; grad_z (N, K) per sample; per_sample (N, n, K)
    each sample's x_s·(∂L/∂z_s)ᵀ; gradient (n, K) the batch gradient, their mean; value the mean loss.
    """

    X: np.ndarray
    Z: np.ndarray
    P: np.ndarray
    Js: np.ndarray
    grad_z: np.ndarray
    per_sample: np.ndarray
    gradient: np.ndarray
    value: float


def batch_values(X, W, Y, loss="cross_entropy", temperature=1.0) -> BatchValues:
    """Everything the batch view shows, with softmax and its Jacobian evaluated once per sample.

    Agrees with ``batch_forward``, ``batch_jacobians``, ``loss_grad_z``, ``loss_gradient_per_sample``,
    ``loss_gradient`` and ``loss_value`` (tests/core/test_batch.py).
    """
    X, W, Y, _ = _batch(X, W, Y)
    loss = _check_loss(loss)
    T = as_temperature(temperature)
    Z = X @ W
    P = softmax(Z, T)
    Js = softmax_jacobian(P, T)
    if loss == "cross_entropy":
        grad_z = (P - Y) / T
        value = float((-np.where(Y > 0, Y * log_softmax(Z, T), 0.0).sum(axis=1)).mean())
    else:
        grad_z = np.einsum("nik,ni->nk", Js, 2.0 * (P - Y) / P.shape[1])
        value = float(((P - Y) ** 2).mean(axis=1).mean())
    per_sample = X[:, :, None] * grad_z[:, None, :]
    return BatchValues(
        X=X, Z=Z, P=P, Js=Js, grad_z=grad_z, per_sample=per_sample, gradient=X.T @ grad_z / len(X), value=value
    )
