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
from .training import _as_learning_rate
from .values import LayerValues, LossValues

WHICH = ("W", "x")


class _Compared:
    """A change of p measured by running the layer again (``p_after − p``) beside its first-order prediction."""

    p: np.ndarray
    p_after: np.ndarray
    predicted: np.ndarray

    @property
    def measured(self) -> np.ndarray:
        return self.p_after - self.p

    @property
    def error(self) -> np.ndarray:
        return self.measured - self.predicted


@dataclass(frozen=True)
class Nudge(_Compared):
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


@dataclass(frozen=True)
class DescentStep(_Compared):
    """One gradient-descent step W → W − lr·∂L/∂W, seen where it shows: in p.

    p: (K,) before; predicted: (K,) the first-order change −lr·(dp/dW)·vec(∂L/∂W), dp/dW's class-major
    columns (W[j, i] at column i·n + j) weighted by the same entries of ∂L/∂W; p_after: (K,) from running
    the layer again at W − lr·∂L/∂W; measured = p_after − p; error = measured − predicted, of order lr².
    Every column of dp/dW sums to 0 (Σ_t p_t = 1), so ``predicted`` sums to 0: it lies in the simplex's plane.
    """

    lr: float
    p: np.ndarray
    p_after: np.ndarray
    predicted: np.ndarray


def descent_step(layer: LayerValues, loss: LossValues, lr: float) -> DescentStep:
    """The step gradient descent takes from ``layer`` under ``loss`` (from ``loss_values(layer, …)``); see
    ``DescentStep``. lr: a finite learning rate > 0 (ValueError naming ``lr`` otherwise)."""
    lr_value = _as_learning_rate(lr)
    if loss.grad_W.shape != layer.W.shape:
        raise ValueError(f"loss must come from this layer: ∂L/∂W has shape {loss.grad_W.shape}, W {layer.W.shape}")
    flat = loss.grad_W.T.ravel()  # (K·n,): W[j, i] at i·n + j, the order of dp/dW's columns
    predicted = -lr_value * (layer.shortcut @ flat)
    _, p_after = forward(layer.x, layer.W - lr_value * loss.grad_W, layer.temperature)
    return DescentStep(lr=lr_value, p=layer.p, p_after=p_after, predicted=predicted)
