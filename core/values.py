"""One record of everything the pages draw for one layer, computed once per run.

``layer_values(x, W, T)`` checks x, W and T once, runs the layer once, and derives every
matrix from that single p, so the numbers on screen all come from one evaluation. The
Kronecker form and the finite differences are slower or need extra forward passes, so
they are computed on demand (and then kept).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ._validate import as_input_and_weights, as_probabilities, as_temperature
from .layer import column_of, dz_dw, numerical_jacobian
from .loss import SATURATION_FLOOR, _check_loss, loss_grad_p
from .softmax import log_softmax, softmax_jacobian, softmax_of_checked
from .training import as_target


@dataclass(frozen=True, eq=False)
class LayerValues:
    """The layer p = softmax(Wᵀx / T) at one (x, W, T), and its derivatives.

    x: (n,), W: (n, K), temperature T > 0.
    z: (K,) logits Wᵀx; p: (K,) probabilities; J: (K, K), J[i, j] = ∂p_i/∂z_j;
    dz_dw: (K, K·n), [t, k·n + j] = δ_tk·x_j; product: (K, K·n) = J · dz/dW (the blog's route);
    shortcut: (K, K·n), [t, i·n + j] = p_t(δ_ti − p_i)·x_j / T, written without the product.
    """

    x: np.ndarray
    W: np.ndarray
    temperature: float
    z: np.ndarray
    p: np.ndarray
    J: np.ndarray
    dz_dw: np.ndarray
    product: np.ndarray
    shortcut: np.ndarray

    @property
    def n(self) -> int:
        return int(self.x.shape[0])

    @property
    def K(self) -> int:
        return int(self.W.shape[1])

    @cached_property
    def kron(self) -> np.ndarray:
        """dp/dW as J ⊗ xᵀ (NumPy's ``kron``): (K, K·n), the same numbers as ``product``."""
        return np.kron(self.J, self.x[None, :])

    @cached_property
    def numerical(self) -> np.ndarray:
        """Central finite differences of p with respect to every weight, (K, K·n): needs 2·K·n forward passes."""
        return numerical_jacobian(self.x, self.W, temperature=self.temperature)

    @cached_property
    def column_sums(self) -> np.ndarray:
        """(K·n,): Σ_t ∂p_t/∂W[j, i] for each column of dp/dW, the blog's columns summed without weights.

        0 in exact arithmetic, because Σ_t p_t = 1 whatever W is (Σ_t J[t, i] = 0): what is left is
        floating-point rounding. Reshaped ``.reshape(K, n).T`` it is laid out as W, (n, K).
        """
        return self.shortcut.sum(axis=0)

    def entry(self, t: int, i: int, j: int) -> float:
        """∂p_t/∂W[j, i]: row t, class-major column i·n + j of dp/dW (the shortcut's value)."""
        return float(self.shortcut[t, column_of(i, j, self.n)])

    def product_terms(self, t: int, i: int, j: int) -> list[dict]:
        """The K terms of the chain-rule sum Σ_k J[t, k]·∂z_k/∂W[j, i] (see ``core.product_terms``)."""
        col = column_of(i, j, self.n)
        return [
            {"k": k, "J": float(self.J[t, k]), "dz": float(self.dz_dw[k, col]),
             "term": float(self.J[t, k] * self.dz_dw[k, col])}
            for k in range(self.K)
        ]  # fmt: skip


def layer_values(x, W, temperature=1.0) -> LayerValues:
    """Every matrix of the layer at (x, W, T) from one forward pass; see ``LayerValues``.

    Bad input raises ValueError naming the argument (x, W or temperature).
    """
    x, W = (a.copy() for a in as_input_and_weights(x, W))  # the record is read-only; the caller's arrays stay theirs
    t = as_temperature(temperature)
    with np.errstate(over="ignore", invalid="ignore"):  # reported just below instead
        z = W.T @ x
    if not np.isfinite(z).all():
        raise ValueError("z = Wᵀx overflows: x and W are too large for float64")
    p = softmax_of_checked(z.copy(), t)
    J = softmax_jacobian(p, t)
    dz = dz_dw(x, W.shape[1])
    K, n = p.shape[0], x.shape[0]
    shortcut = np.empty((K, K * n))
    # J · dz/dW has one non-zero term per entry, J[t, i]·x_j: the same multiplication as here,
    # so product and shortcut agree bit for bit (tests/core/test_layer.py checks it).
    np.multiply(J[:, :, None], x, out=shortcut.reshape(K, K, n))
    for arr in (x, W, z, p, J, dz, shortcut):
        arr.flags.writeable = False
    product = J @ dz
    product.flags.writeable = False
    return LayerValues(x=x, W=W, temperature=t, z=z, p=p, J=J, dz_dw=dz, product=product, shortcut=shortcut)


@dataclass(frozen=True, eq=False)
class LossValues:
    """A loss on the layer's output at one state, and its gradients, from one ``LayerValues``.

    value: the scalar L. grad_p: (K,) ∂L/∂p, or None where it is infinite (cross-entropy with
    p_target = 0). grad_z: (K,) ∂L/∂z = Jᵀ·∂L/∂p (for cross-entropy (p − y)/T, finite always).
    grad_W: (n, K) ∂L/∂W = x·(∂L/∂z)ᵀ. terms: (K, K·n) the blog's weighted rows before "sum the
    columns", row t = ∂L/∂p_t · (row t of dp/dW); by_columns: (n, K) their column sums, reshaped.
    Both are None (with ``columns_problem`` saying why) when ∂L/∂p cannot be formed or has underflowed.
    """

    loss: str
    y: np.ndarray
    value: float
    grad_p: np.ndarray | None
    grad_z: np.ndarray
    grad_W: np.ndarray
    terms: np.ndarray | None
    by_columns: np.ndarray | None
    columns_problem: str | None


def loss_values(layer: LayerValues, y, loss="cross_entropy") -> LossValues:
    """``LossValues`` for target ``y`` (K,) from ``layer`` without running the layer again.

    Agrees with ``loss_value``, ``loss_grad_p``, ``loss_grad_z``, ``loss_gradient``,
    ``column_sum_terms`` and ``loss_gradient_by_columns`` (tests/core/test_values.py).
    """
    loss = _check_loss(loss)
    y = as_probabilities(as_target(y, layer.K), "y")
    p, T, n, K = layer.p, layer.temperature, layer.n, layer.K
    try:
        grad_p = loss_grad_p(p, y, loss)
    except ValueError:
        grad_p = None
    if loss == "cross_entropy":
        value = float(-np.where(y > 0, y * log_softmax(layer.z, T), 0.0).sum())
        grad_z = (p - y) / T  # Jᵀ(−y/p) simplified: finite even where p_k = 0
    else:
        value = float(((p - y) ** 2).mean())
        grad_z = layer.J.T @ grad_p
    terms = by_columns = problem = None
    lost = (y > 0) & (p < SATURATION_FLOOR) if loss == "cross_entropy" else np.zeros(K, dtype=bool)
    if grad_p is None:
        problem = "∂L/∂p is infinite: the target's probability is 0 in floating point"
    elif lost.any():
        t = int(np.flatnonzero(lost)[0])
        problem = (
            f"the target's probability p_{t} = {p[t]:.3g} has underflowed: ∂L/∂p_t times the rows of "
            "dp/dW cannot recover its gradient"
        )
    else:
        terms = grad_p[:, None] * layer.shortcut
        by_columns = terms.sum(axis=0).reshape(K, n).T
    return LossValues(
        loss=loss,
        y=y,
        value=value,
        grad_p=grad_p,
        grad_z=grad_z,
        grad_W=np.outer(layer.x, grad_z),
        terms=terms,
        by_columns=by_columns,
        columns_problem=problem,
    )
