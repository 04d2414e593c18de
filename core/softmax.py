"""Softmax and its Jacobian ∂p/∂z, in the forms the teaching pages show side by side.

Notation (DESIGN.md): z is (K,) logits, p = softmax(z / T) is (K,) probabilities,
J[i, j] = ∂p_i/∂z_j = p_i (δ_ij − p_j) / T.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, as_probabilities, as_temperature


def softmax(z, temperature=1.0) -> np.ndarray:
    """p = softmax(z / T) along the last axis; z: (..., K) → p: (..., K).

    The max is subtracted first, so logits of ±1000 neither overflow nor give NaN.
    """
    z = as_float_array(z, "z")
    if z.ndim == 0:
        raise ValueError("z must have at least one axis (the K logits), got a scalar")
    return softmax_of_checked(z, as_temperature(temperature))


def softmax_of_checked(z: np.ndarray, t: float) -> np.ndarray:
    """``softmax`` without the input checks, for callers that already validated z (finite
    float64, at least 1-D) and t (> 0): the layer routes call it once per evaluation."""
    if z.ndim == 1:  # one sample: in-place steps, no keepdims reductions (per-call cost counts here)
        with np.errstate(over="ignore"):
            e = z - z.max()
            if t != 1.0:
                e /= t
        np.exp(e, out=e)
        e /= e.sum()
        return e
    e = np.exp(_shifted(z, t))
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(z, temperature=1.0) -> np.ndarray:
    """log p along the last axis, computed without forming p (finite even where p underflows)."""
    z = as_float_array(z, "z")
    t = as_temperature(temperature)
    s = _shifted(z, t)
    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


def logsumexp(z, temperature=1.0):
    """log Σ_k exp(z_k / T) along the last axis, without overflow: the log of softmax's denominator."""
    z = as_float_array(z, "z")
    t = as_temperature(temperature)
    m = z.max(axis=-1) / t
    return m + np.log(np.exp(_shifted(z, t)).sum(axis=-1))


def _shifted(z: np.ndarray, t: float) -> np.ndarray:
    """(z − max z) / T, each row's largest entry 0 and the rest ≤ 0.

    Shifting before dividing keeps z / T from overflowing for huge finite z and small T; a
    difference beyond the float range becomes −inf, whose exp is the exact limit 0.
    """
    with np.errstate(over="ignore"):
        return (z - z.max(axis=-1, keepdims=True)) / t


def softmax_jacobian(p, temperature=1.0) -> np.ndarray:
    """J = (diag(p) − p·pᵀ) / T from the *probabilities* p (seed 003's point).

    p: (K,) → (K, K), or (N, K) → (N, K, K) (any leading batch axes).
    J[..., i, j] = ∂p_i/∂z_j. Symmetric, rows sum to 0, PSD with rank K − 1 when all p_i > 0.
    """
    p = as_probabilities(p, "p")
    t = as_temperature(temperature)
    outer = p[..., :, None] * p[..., None, :]
    diag = p[..., :, None] * np.eye(p.shape[-1])
    return (diag - outer) / t


def softmax_jacobian_loops(p, temperature=1.0) -> np.ndarray:
    """The same (K, K) matrix entry by entry: J[i, j] = p_i (δ_ij − p_j) / T (seed 001's two cases)."""
    p = as_probabilities(p, "p")
    if p.ndim != 1:
        raise ValueError(f"p must be a single (K,) vector here, got shape {p.shape}")
    t = as_temperature(temperature)
    K = p.shape[0]
    J = np.zeros((K, K))
    for i in range(K):
        for j in range(K):
            if i == j:
                J[i, j] = p[i] * (1.0 - p[i]) / t
            else:
                J[i, j] = -p[i] * p[j] / t
    return J


def softmax_jacobian_hadamard(a, temperature=1.0) -> np.ndarray:
    """Seed 003's form: da/dz = (a·eᵀ) ∘ (I − e·aᵀ), e the all-ones vector; a: (K,) → (K, K).

    Entry [i, j] = a_i · (δ_ij − a_j): the same matrix as ``softmax_jacobian``.
    """
    a = as_probabilities(a, "a")
    if a.ndim != 1:
        raise ValueError(f"a must be a single (K,) vector here, got shape {a.shape}")
    t = as_temperature(temperature)
    e = np.ones_like(a)
    return np.outer(a, e) * (np.eye(a.shape[0]) - np.outer(e, a)) / t
