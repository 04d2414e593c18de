"""Plain gradient descent on the weights of one softmax layer, recorded step by step.

Notation (DESIGN.md): x (n,), W (n, K), p = softmax(Wᵀx / T) (K,), y (K,) the target
distribution (one-hot for a class label). Each step is W ← W − lr · ∂L/∂W with ∂L/∂W from
``loss_gradient``, so the teaching pages can show the loss falling and p moving.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_input_and_weights, as_temperature, as_whole_number
from .layer import layer_jacobian_shortcut
from .loss import LOSSES, _check_loss, loss_grad_p, loss_grad_z, loss_value, one_hot
from .presets import nearly_one_hot
from .softmax import softmax

MAX_STEPS = 100_000


@dataclass(frozen=True)
class Trajectory:
    """What gradient descent visited, one row per step (row 0 is the start).

    W: (steps + 1, n, K) weights; loss: (steps + 1,) loss at those weights;
    p: (steps + 1, K) probabilities at those weights; grad_z: (steps + 1, K) ∂L/∂z there.
    """

    W: np.ndarray
    loss: np.ndarray
    p: np.ndarray
    grad_z: np.ndarray

    @property
    def steps(self) -> int:
        return int(self.loss.shape[0] - 1)


def as_target(y, n_classes: int) -> np.ndarray:
    """A class label (int in [0, K)) or a (K,) probability vector → (K,) float target."""
    if np.ndim(y) == 0:
        if isinstance(y, (bool, np.bool_)) or not isinstance(y, (int, np.integer)):
            raise ValueError(f"y must be a class number in [0, {n_classes}) or a (K,) probability vector, got {y!r}")
        return one_hot(int(y), n_classes)
    y = np.asarray(y, dtype=float) if np.asarray(y).dtype.kind in "iuf" else y
    if np.shape(y) != (n_classes,):
        raise ValueError(f"y must have shape ({n_classes},) to match W's K = {n_classes} classes, got {np.shape(y)}")
    return y  # loss functions check it is a probability vector


def _as_learning_rate(lr) -> float:
    try:
        value = float(lr)
    except (TypeError, ValueError):
        raise ValueError(f"lr (learning rate) must be a number, got {lr!r}") from None
    if isinstance(lr, (bool, np.bool_)) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"lr (learning rate) must be finite and > 0, got {lr!r}")
    return value


def gradient_descent(x, W, y, loss="cross_entropy", lr=0.5, steps=10, temperature=1.0) -> Trajectory:
    """Run ``steps`` steps of W ← W − lr·∂L/∂W from W (x and y fixed); record every state.

    x: (n,); W: (n, K); y: class label or (K,) target; lr > 0; steps ≥ 0 (0 records only the start).
    Raises ValueError naming the argument (x, W, y, loss, lr, steps, temperature) when it is bad.
    """
    x, W = as_input_and_weights(x, W)
    y = as_target(y, W.shape[1])
    _check_loss(loss)
    lr = _as_learning_rate(lr)
    steps = as_whole_number(steps, "steps", 0, MAX_STEPS)
    T = as_temperature(temperature)

    Ws = np.empty((steps + 1, *W.shape))
    G = np.empty((steps + 1, W.shape[1]))
    Ws[0] = W
    for s in range(steps + 1):
        G[s] = loss_grad_z(x, Ws[s], y, loss, T)  # recorded, and the step's direction
        if s == steps:
            break
        with np.errstate(over="ignore", invalid="ignore"):
            # x·(∂L/∂z)ᵀ is loss_gradient for one sample; reusing G[s] saves computing it twice.
            Ws[s + 1] = Ws[s] - lr * np.outer(x, G[s])
            logits_ok = np.isfinite(Ws[s + 1].T @ x).all()
        if not (np.isfinite(Ws[s + 1]).all() and logits_ok):
            raise ValueError(f"lr = {lr:g} is too large: the weights overflowed at step {s + 1}")
    losses = np.array([loss_value(x, w, y, loss, T) for w in Ws])
    P = softmax(np.einsum("j,sjk->sk", x, Ws), T)
    return Trajectory(W=Ws, loss=losses, p=P, grad_z=G)


def confidently_wrong_start(n: int, K: int, wrong: int, p_wrong: float = 0.99) -> tuple[np.ndarray, np.ndarray]:
    """x = 1 (n,) and W (n, K) giving p_wrong ≈ 0.99 on class ``wrong``: softmax is saturated.

    The start from which cross-entropy and MSE differ most (the nearly one-hot preset).
    """
    if not (isinstance(wrong, (int, np.integer)) and 0 <= wrong < K):
        raise ValueError(f"wrong must be a class number in [0, {K}), got {wrong!r}")
    preset = nearly_one_hot(int(n), int(K), target=int(wrong), p_target=p_wrong)
    return preset.x, preset.W


def compare_losses(x, W, y, lr=0.5, steps=30, temperature=1.0) -> dict[str, Trajectory]:
    """The same descent under each loss in ``LOSSES`` from the same start: {loss name: Trajectory}."""
    return {name: gradient_descent(x, W, y, name, lr, steps, temperature) for name in LOSSES}


def column_sum_terms(x, W, y, loss="cross_entropy", temperature=1.0) -> np.ndarray:
    """The blog's weighted rows before "sum the columns": (K, K·n), row t = ∂L/∂p_t · (row t of dp/dW).

    Entry [t, k·n + j] = ∂L/∂p_t · ∂p_t/∂W[j, k] (class-major columns). Summing over t (the
    rows) and reshaping the (K·n,) result to (n, K) gives ∂L/∂W, i.e. ``loss_gradient_by_columns``.
    Raises ValueError when ∂L/∂p is infinite (cross-entropy with a target probability of 0).
    """
    x, W = as_input_and_weights(x, W)
    y = as_target(y, W.shape[1])
    p = softmax(W.T @ x, temperature)
    dLdp = loss_grad_p(p, y, loss)
    return dLdp[:, None] * layer_jacobian_shortcut(x, W, temperature)


def continue_descent(trajectory: Trajectory, x, y, loss="cross_entropy", lr=0.5, steps=10, temperature=1.0):
    """``steps`` more steps after ``trajectory`` (same x, y, loss, lr, T): the joined Trajectory.

    Equal to one ``gradient_descent`` run of trajectory.steps + steps steps, without redoing the
    steps already taken (the page keeps the run and extends it on each "Step").
    """
    more = gradient_descent(x, trajectory.W[-1], y, loss, lr, steps, temperature)
    return Trajectory(
        W=np.concatenate([trajectory.W, more.W[1:]]),
        loss=np.concatenate([trajectory.loss, more.loss[1:]]),
        p=np.concatenate([trajectory.p, more.p[1:]]),
        grad_z=np.concatenate([trajectory.grad_z, more.grad_z[1:]]),
    )
