"""The derivative you can feel: nudge one weight (or input) by ε, run the layer again, compare.

``nudge`` moves W[j, i] (or x_j) by ε, runs the forward pass again and returns the measured
change of p beside the derivative's prediction (a column of dp/dW, or of dp/dx, times ε). Their
difference is the Taylor remainder: it shrinks like ε² until rounding (≈ 1e-16 / ε) takes over.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_input_and_weights, as_temperature
from .layer import forward
from .softmax import softmax_jacobian

WHICH = ("W", "x")


@dataclass(frozen=True)
class Nudge:
    """One nudge of size ``eps``: ``what`` is "W" (weight W[j, i]) or "x" (input x_j, ``i`` unused).

    p: (K,) before; p_after: (K,) after the nudge, from a second forward pass; predicted: (K,) the
    derivative times ε (∂p/∂W[j, i]·ε = J[:, i]·x_j·ε, or ∂p/∂x_j·ε = J·W[j, :]ᵀ·ε);
    measured = p_after − p; error = measured − predicted, of order ε².
    """

    what: str
    j: int
    i: int
    eps: float
    p: np.ndarray
    p_after: np.ndarray
    predicted: np.ndarray

    @property
    def measured(self) -> np.ndarray:
        return self.p_after - self.p

    @property
    def error(self) -> np.ndarray:
        return self.measured - self.predicted

    @property
    def relative_error(self) -> float:
        """max_t |measured_t − predicted_t| / max_t |predicted_t|; inf when the prediction is 0 (e.g. x_j = 0)."""
        scale = float(np.abs(self.predicted).max())
        err = float(np.abs(self.error).max())
        return err / scale if scale > 0 else (0.0 if err == 0 else float("inf"))


def nudge(x, W, temperature=1.0, which=("W", 0, 0), eps=1e-2) -> Nudge:
    """Move W[j, i] (``which = ("W", j, i)``) or x_j (``which = ("x", j)``) by ``eps``; see ``Nudge``.

    x: (n,), W: (n, K), T > 0, eps a finite non-zero number. Bad input raises ValueError naming it.
    """
    x, W = as_input_and_weights(x, W)
    T = as_temperature(temperature)
    n, K = W.shape
    what, *index = which
    if what not in WHICH or len(index) != (2 if what == "W" else 1):
        raise ValueError(f"which must be ('W', j, i) or ('x', j), got {which!r}")
    j, i = int(index[0]), int(index[1]) if what == "W" else 0
    if not 0 <= j < n or not 0 <= i < K:
        raise ValueError(f"which {which!r} is outside W's shape {W.shape}")
    eps = float(eps)
    if not np.isfinite(eps) or eps == 0:
        raise ValueError(f"eps must be a finite non-zero number, got {eps!r}")
    _, p = forward(x, W, T)
    J = softmax_jacobian(p, T)
    x2, W2 = x.copy(), W.copy()
    if what == "W":
        W2[j, i] += eps
        predicted = J[:, i] * x[j] * eps
    else:
        x2[j] += eps
        predicted = J @ W[j, :] * eps
    _, p_after = forward(x2, W2, T)
    return Nudge(what=what, j=j, i=i, eps=eps, p=p, p_after=p_after, predicted=predicted)


def nudge_curve(x, W, temperature=1.0, which=("W", 0, 0), eps_values=(1.0, 0.1, 0.01, 0.001)) -> np.ndarray:
    """(len(eps_values),): max_t |measured − predicted| for each ε, to see the error fall like ε²."""
    return np.array([float(np.abs(nudge(x, W, temperature, which, e).error).max()) for e in eps_values])
