"""Other conventions computed in their own indexing (not converted back first): PyTorch, input-major.

- PyTorch layout: ``nn.Linear.weight`` is W' = Wᵀ, shape (K, n), and z = W'x.
- Input-major flattening: W[j, k] at column j·K + k (NumPy's row-major ravel of the blog's W).

Each function here indexes the other convention directly, so it is an independent check of
``core.layout.convert_columns`` and ``core.layout.to_pytorch`` rather than a reuse of them.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_matrix, as_vector


def pytorch_logits(x, W_prime) -> np.ndarray:
    """z = W'x with PyTorch's weight W' (K, n) and x (n,) → (K,). z_k = Σ_j W'[k, j]·x_j."""
    x = as_vector(x, "x")
    W_prime = as_matrix(W_prime, "W_prime")
    if W_prime.shape[1] != x.shape[0]:
        raise ValueError(f"W_prime must have shape (K, n) = (K, {x.shape[0]}) to match x, got {W_prime.shape}")
    return W_prime @ x


def input_major_column(j: int, k: int, K: int) -> int:
    """Input-major column of weight W[j, k] (input j, class k) among K·n columns: j·K + k."""
    return j * K + k


def columns_in_order(M, n: int, K: int, order: str) -> np.ndarray:
    """Re-index the last axis of a class-major (…, K·n) matrix into ``order``, by explicit indices.

    Output column ``input_major_column(j, k, K)`` (or k·n + j for class-major) holds input
    column k·n + j. Written with a plain loop over (j, k) on purpose: the independent oracle
    for ``core.convert_columns``.
    """
    M = np.asarray(M, dtype=float)
    if M.shape[-1] != n * K:
        raise ValueError(f"M must have n·K = {n * K} columns on its last axis, got shape {M.shape}")
    if order == "class_major":
        return M.copy()
    if order != "input_major":
        raise ValueError(f"order must be 'class_major' or 'input_major', got {order!r}")
    out = np.empty_like(M)
    for j in range(n):
        for k in range(K):
            out[..., input_major_column(j, k, K)] = M[..., k * n + j]
    return out
