"""The softmax layer p = softmax(Wᵀx / T) and its derivative with respect to the weights.

Shapes: x (n,), W (n, K) with column k the weights into class k, z = Wᵀx (K,).
Weights are flattened class-major (the blog's order): W[j, k] sits at column k·n + j.
Every layer derivative here is (K, K·n): entry [t, k·n + j] = ∂p_t/∂W[j, k].
"""

from __future__ import annotations

import numpy as np

from ._validate import as_input_and_weights, as_temperature, as_vector
from .softmax import softmax, softmax_jacobian, softmax_of_checked


def logits(x, W) -> np.ndarray:
    """z = Wᵀx; x: (n,), W: (n, K) → (K,). z_k = Σ_j W[j, k]·x_j."""
    x, W = as_input_and_weights(x, W)
    return W.T @ x


def forward(x, W, temperature=1.0) -> tuple[np.ndarray, np.ndarray]:
    """(z, p) for one input: z = Wᵀx (K,), p = softmax(z / T) (K,)."""
    z = logits(x, W)
    return z, softmax(z, temperature)


def column_of(k: int, j: int, n: int) -> int:
    """Class-major column of weight W[j, k] (input j, class k) among K·n columns."""
    return k * n + j


def weight_of_column(col: int, n: int, K: int) -> tuple[int, int]:
    """Inverse of ``column_of``: the (k, j) of column ``col``, i.e. that column is W[j, k]."""
    if isinstance(col, (bool, np.bool_)) or not isinstance(col, (int, np.integer)) or not 0 <= col < n * K:
        raise ValueError(f"col must be in [0, {n * K}), got {col}")
    return divmod(col, n)


def dz_dw(x, n_classes) -> np.ndarray:
    """∂z/∂W as a dense (K, K·n) matrix: entry [t, k·n + j] = δ_tk·x_j, i.e. I_K ⊗ xᵀ.

    Row t is zero outside block t because z_t only uses the weights into class t.
    (The blog's ``z_dir`` returns the transpose of this.)
    """
    x = as_vector(x, "x")
    K = _n_classes(n_classes)
    n = x.shape[0]
    out = np.zeros((K, K * n))
    for t in range(K):
        out[t, t * n : (t + 1) * n] = x
    return out


def layer_jacobian_product(x, W, temperature=1.0) -> np.ndarray:
    """dp/dW = J · dz/dW, the full chain-rule product as the blog computes it: (K, K·n)."""
    x, W = as_input_and_weights(x, W)
    _, p = forward(x, W, temperature)
    return softmax_jacobian(p, temperature) @ dz_dw(x, W.shape[1])


def layer_jacobian_shortcut(x, W, temperature=1.0) -> np.ndarray:
    """dp/dW without the product: entry [t, i·n + j] = p_t(δ_ti − p_i)·x_j / T; (K, K·n).

    The (K, K) coefficients p_t(δ_ti − p_i) are formed once, then broadcast against x
    straight into the output buffer, so the K²·n result is written exactly once.
    """
    x, W = as_input_and_weights(x, W)
    t = as_temperature(temperature)
    # x, W and t are checked once here; forward() would check them again, which is most of
    # the cost at the blog's 3 × 5 (bench/bench_core.py).
    with np.errstate(over="ignore", invalid="ignore"):  # reported just below instead
        z = W.T @ x
    if not np.isfinite(z).all():
        raise ValueError("z = Wᵀx overflows: x and W are too large for float64")
    p = softmax_of_checked(z, t)
    K, n = p.shape[0], x.shape[0]
    # coef[t, i] = p_t(δ_ti − p_i)/T, rounded exactly as softmax_jacobian rounds J, so every
    # entry equals the product's J[t, i]·x_j bit for bit (the explorer shows max |Δ| = 0).
    coef = np.multiply.outer(p, -p)
    coef.reshape(-1)[:: K + 1] += p  # the diagonal, through a view (.flat is slower)
    if t != 1.0:
        coef /= t
    out = np.empty((K, K * n))
    np.multiply(coef[:, :, None], x, out=out.reshape(K, K, n))
    return out


def layer_jacobian_kron(x, W, temperature=1.0) -> np.ndarray:
    """dp/dW as the Kronecker product J ⊗ xᵀ (NumPy's ``kron``): (K, K·n)."""
    x, W = as_input_and_weights(x, W)
    _, p = forward(x, W, temperature)
    return np.kron(softmax_jacobian(p, temperature), x[None, :])


def layer_jacobian_loops(x, W, temperature=1.0) -> np.ndarray:
    """The blog's triple loop, entry by entry: [t, i·n + j] = p_t(δ_ti − p_i)·x_j / T.

    Slow on purpose: the reference the vectorized routes are tested and benchmarked against.
    """
    x, W = as_input_and_weights(x, W)
    T = as_temperature(temperature)
    _, p = forward(x, W, T)
    n, K = W.shape
    out = np.zeros((K, K * n))
    for t in range(K):
        for i in range(K):
            for j in range(n):
                out[t, i * n + j] = p[t] * ((i == t) - p[i]) * x[j] / T
    return out


def numerical_jacobian(x, W, eps=1e-6, temperature=1.0) -> np.ndarray:
    """Central finite differences of p with respect to every weight: (K, K·n).

    Column k·n + j is (p(W + eps·E_jk) − p(W − eps·E_jk)) / (2·eps). It perturbs W itself
    and reruns the forward pass, so it is independent of every formula above.
    """
    x, W = as_input_and_weights(x, W)
    T = as_temperature(temperature)
    try:
        eps = float(eps)
    except (TypeError, ValueError):
        raise ValueError(f"eps must be a number, got {eps!r}") from None
    if not np.isfinite(eps) or eps <= 0:
        raise ValueError(f"eps must be finite and > 0, got {eps}")
    n, K = W.shape
    out = np.empty((K, K * n))
    Wp = W.copy()
    for k in range(K):
        for j in range(n):
            orig = Wp[j, k]
            Wp[j, k] = orig + eps
            plus = softmax(Wp.T @ x, T)
            Wp[j, k] = orig - eps
            minus = softmax(Wp.T @ x, T)
            Wp[j, k] = orig
            out[:, column_of(k, j, n)] = (plus - minus) / (2 * eps)
    return out


def product_terms(x, W, t: int, i: int, j: int, temperature=1.0) -> list[dict]:
    """The K terms of the chain-rule sum for entry (t, i, j) of dp/dW.

    dp_t/dW[j, i] = Σ_k J[t, k] · dz_k/dW[j, i]; returns one dict per k with the two
    factors and their product. Only k = i is non-zero, because dz_k/dW[j, i] = δ_ki·x_j.
    """
    x, W = as_input_and_weights(x, W)
    n, K = W.shape
    for name, v, hi in (("t", t, K), ("i", i, K), ("j", j, n)):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
            raise ValueError(f"{name} must be a whole number, got {v!r}")
        if not 0 <= v < hi:
            raise ValueError(f"{name} must be in [0, {hi}), got {v}")
    _, p = forward(x, W, temperature)
    J = softmax_jacobian(p, temperature)
    dz = dz_dw(x, K)
    col = column_of(i, j, n)
    return [
        {"k": k, "J": float(J[t, k]), "dz": float(dz[k, col]), "term": float(J[t, k] * dz[k, col])} for k in range(K)
    ]


def _n_classes(value) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"n_classes must be a whole number, got {value!r}")
    if value < 1:
        raise ValueError(f"n_classes must be at least 1, got {value}")
    return int(value)
