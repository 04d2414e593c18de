"""Losses on the softmax output and their gradients with respect to p, z and W.

Single sample: x (n,), y (K,) a probability vector (one-hot or soft).
Batch: X (N, n), Y (N, K); the loss and every gradient are means over the N samples.
Cross-entropy L = −Σ_k y_k log p_k. MSE L = (1/K) Σ_k (p_k − y_k)² (seed 003's E, mean over outputs).
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, as_matrix, as_probabilities, as_temperature, as_whole_number
from .layer import layer_jacobian_shortcut
from .softmax import log_softmax, softmax, softmax_jacobian

LOSSES = ("cross_entropy", "mse")
# Below this a probability is treated as lost to underflow (1/p would be beyond ~1e250).
SATURATION_FLOOR = 1e-250


def one_hot(label, n_classes) -> np.ndarray:
    """(K,) vector with a 1 at ``label``; or (N, K) for an (N,) array of labels."""
    K = as_whole_number(n_classes, "n_classes", 1)
    lab = np.asarray(label)
    if lab.dtype.kind not in "iu":
        raise ValueError(f"label must be whole class numbers, got {label!r}")
    if (lab < 0).any() or (lab >= K).any():
        raise ValueError(f"label must be in [0, {K}), got {label!r}")
    return np.eye(K)[lab]


def _batch(x, W, y):
    """Promote to batch form: X (N, n), W (n, K), Y (N, K); ``single`` says if x was (n,)."""
    W = as_matrix(W, "W")
    X = as_float_array(x, "x")
    single = X.ndim == 1
    X = X[None, :] if single else X
    if X.ndim != 2:
        raise ValueError(f"x must be (n,) or a batch (N, n), got shape {X.shape}")
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"x has n={X.shape[1]} inputs but W has shape {W.shape} (expected ({X.shape[1]}, K))")
    Y = as_probabilities(y, "y")
    Y = Y[None, :] if Y.ndim == 1 else Y
    if Y.ndim != 2 or Y.shape != (X.shape[0], W.shape[1]):
        raise ValueError(f"y must have shape ({X.shape[0]}, {W.shape[1]}) to match x and W, got {np.shape(y)}")
    return X, W, Y, single


def _check_loss(loss: str) -> str:
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    return loss


def loss_value(x, W, y, loss="cross_entropy", temperature=1.0) -> float:
    """The scalar loss (mean over the batch)."""
    X, W, Y, _ = _batch(x, W, y)
    T = as_temperature(temperature)
    Z = X @ W
    if _check_loss(loss) == "cross_entropy":
        # Σ y log p with y_k = 0 terms dropped, so p_k = 0 there cannot give 0·(−inf).
        logp = log_softmax(Z, T)
        per = -np.where(Y > 0, Y * logp, 0.0).sum(axis=1)
    else:
        per = ((softmax(Z, T) - Y) ** 2).mean(axis=1)
    return float(per.mean())


def loss_at_p(p, y, loss="cross_entropy") -> np.ndarray:
    """The loss as a function of the probabilities themselves: p (..., K) → L (...), for a fixed y (K,).

    Cross-entropy −Σ_k y_k log p_k (inf where a target class has p_k = 0; y_k = 0 terms dropped),
    MSE (1/K) Σ_k (p_k − y_k)². For drawing the loss's level sets over the probability simplex.
    """
    p = as_probabilities(p, "p")
    y = as_probabilities(y, "y")
    if y.ndim != 1 or y.shape[0] != p.shape[-1]:
        raise ValueError(f"y must be one ({p.shape[-1]},) target to match p's K = {p.shape[-1]}, got {y.shape}")
    if _check_loss(loss) == "cross_entropy":
        with np.errstate(divide="ignore"):
            return -np.where(y > 0, y * np.log(np.where(y > 0, p, 1.0)), 0.0).sum(axis=-1)
    return ((p - y) ** 2).mean(axis=-1)


def loss_grad_p(p, y, loss="cross_entropy") -> np.ndarray:
    """∂L/∂p for one sample or a batch (per sample, not yet averaged); shape of p."""
    p = as_probabilities(p, "p")
    y = as_probabilities(y, "y")
    if p.shape != y.shape:
        raise ValueError(f"y must have the shape of p {p.shape}, got {y.shape}")
    if _check_loss(loss) == "cross_entropy":
        with np.errstate(divide="ignore", invalid="ignore"):
            g = np.where(y > 0, -y / p, 0.0)
        if not np.isfinite(g).all():
            raise ValueError("∂L/∂p is infinite: a target class has probability 0 (use loss_grad_z)")
        return g
    return 2.0 * (p - y) / p.shape[-1]


def loss_grad_z(x, W, y, loss="cross_entropy", temperature=1.0) -> np.ndarray:
    """∂L/∂z per sample: (K,) or (N, K). Jᵀ·∂L/∂p; for cross-entropy this is (p − y)/T."""
    X, W, Y, single = _batch(x, W, y)
    T = as_temperature(temperature)
    P = softmax(X @ W, T)
    if _check_loss(loss) == "cross_entropy":
        # Jᵀ(−y/p) simplifies to (p·Σy − y)/T = (p − y)/T, and stays finite when some p_k = 0.
        G = (P - Y) / T
    else:
        dLdp = 2.0 * (P - Y) / P.shape[1]
        J = softmax_jacobian(P, T)  # (N, K, K), symmetric
        G = np.einsum("nik,ni->nk", J, dLdp)
    return G[0] if single else G


def loss_gradient(x, W, y, loss="cross_entropy", temperature=1.0) -> np.ndarray:
    """∂L/∂W, shape (n, K): x·(∂L/∂z)ᵀ, averaged over the batch when x is (N, n)."""
    X, W, Y, single = _batch(x, W, y)
    G = loss_grad_z(X, W, Y, loss, temperature)
    return X.T @ G / X.shape[0]


def loss_gradient_per_sample(X, W, Y, loss="cross_entropy", temperature=1.0) -> np.ndarray:
    """Each sample's outer product x_s·(∂L/∂z_s)ᵀ: (N, n, K). Their mean is ``loss_gradient``."""
    X, W, Y, _ = _batch(X, W, Y)
    G = loss_grad_z(X, W, Y, loss, temperature)
    return X[:, :, None] * G[:, None, :]


def loss_gradient_by_columns(x, W, y, loss="cross_entropy", temperature=1.0) -> np.ndarray:
    """The blog's "sum the columns": Σ_t ∂L/∂p_t · (row t of dp/dW), reshaped to (n, K).

    One sample only. Independent of ``loss_gradient``'s x·(∂L/∂z)ᵀ route, so each checks the other.
    """
    X, W, Y, single = _batch(x, W, y)
    if not single:
        raise ValueError(f"x must be a single (n,) input here, got a batch of shape {X.shape}")
    x, y = X[0], Y[0]
    n, K = W.shape
    p = softmax(W.T @ x, temperature)
    if _check_loss(loss) == "cross_entropy":
        # −y_t/p_t times a row of dp/dW that carries the factor p_t: when p_t has underflowed,
        # that row is 0 and the huge quotient cannot restore it, so refuse instead of dropping it.
        lost = (y > 0) & (p < SATURATION_FLOOR)
        if np.any(lost):
            t = int(np.flatnonzero(lost)[0])
            raise ValueError(
                f"y puts weight on class {t}, whose probability p_{t} = {p[t]:.3g} has underflowed: summing "
                "∂L/∂p_t times the rows of dp/dW cannot recover its gradient; use loss_gradient (p − y) here"
            )
    dLdp = loss_grad_p(p, y, loss)
    flat = dLdp @ layer_jacobian_shortcut(x, W, temperature)  # (K·n,), class-major
    return flat.reshape(K, n).T
