"""Other layout conventions, as views of the one computation (never a second code path).

- Class-major (the blog's): W[j, k] at column k·n + j. This is also PyTorch's row-major
  flattening of its weight W' = Wᵀ, shape (K, n), with z = W'x.
- Input-major: W[j, k] at column j·K + k. This is NumPy's row-major flattening of the blog's W (n, K).
"""

from __future__ import annotations

import numpy as np

from ._validate import as_matrix, as_whole_number

ORDERS = ("class_major", "input_major")
LAYOUTS = ("blog", "pytorch")


def weight_order(n: int, K: int, order: str = "class_major") -> np.ndarray:
    """perm such that ``M_classmajor[..., perm]`` lists the columns in ``order``.

    perm[c] is the class-major column holding the weight that sits at column c in ``order``.
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, got {order!r}")
    n = as_whole_number(n, "n", 1)
    K = as_whole_number(K, "K", 1)
    cm = np.arange(K * n).reshape(K, n)  # cm[k, j] = class-major column of W[j, k]
    return cm.ravel() if order == "class_major" else cm.T.ravel()


def convert_columns(M, n: int, K: int, source: str = "class_major", target: str = "input_major") -> np.ndarray:
    """Reorder the last axis (K·n weight columns) of M from one order to another."""
    M = np.asarray(M)
    if M.shape[-1] != n * K:
        raise ValueError(f"M must have n·K = {n * K} columns on its last axis, got shape {M.shape}")
    to_cm = np.argsort(weight_order(n, K, source))  # source column → class-major position
    return M[..., to_cm][..., weight_order(n, K, target)]


def weight_label(j: int, k: int, layout: str = "blog") -> str:
    """How a weight is named in a layout: the blog's W[j,k] or PyTorch's W'[k,j]."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, got {layout!r}")
    return f"W[{j},{k}]" if layout == "blog" else f"W'[{k},{j}]"


def weight_labels(n: int, K: int, order: str = "class_major") -> list[str]:
    """The names "W[j,k]" of the K·n flattened weights in ``order``: entry c names column c."""
    return [weight_label(c % n, c // n) for c in weight_order(n, K, order).tolist()]


def to_pytorch(W) -> np.ndarray:
    """The blog's W (n, K) as PyTorch's ``Linear.weight`` W' (K, n), so that z = W'x."""
    return as_matrix(W, "W").T.copy()


def from_pytorch(W_prime) -> np.ndarray:
    """PyTorch's W' (K, n) back to the blog's W (n, K)."""
    return as_matrix(W_prime, "W_prime").T.copy()
