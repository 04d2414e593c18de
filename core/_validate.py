"""Input checks shared by every public core function.

Each helper returns a float64 array or raises ``ValueError`` whose message names the
argument and says what is wrong, so callers (the app, notebooks) can show it verbatim.
"""

from __future__ import annotations

import numpy as np


def as_float_array(value, name: str) -> np.ndarray:
    """Convert ``value`` to a finite float64 array; reject non-numeric, bool, complex, NaN/inf."""
    if value is None:
        raise ValueError(f"{name} must hold numbers, got None")
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(f"{name} could not be read as an array: {exc}") from None
    if arr.dtype == object:
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must hold numbers only (got non-numeric or ragged values)") from None
    if arr.dtype.kind == "b":
        raise ValueError(f"{name} must be numeric, not boolean")
    if arr.dtype.kind == "c":
        raise ValueError(f"{name} must be real, not complex")
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"{name} must be numeric (got dtype {arr.dtype})")
    arr = arr.astype(np.float64, copy=False)
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape})")
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name} contains NaN or infinity (first at index {where})")
    return arr


def as_vector(value, name: str) -> np.ndarray:
    """A finite 1-D float64 array."""
    arr = as_float_array(value, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D vector, got shape {arr.shape}")
    return arr


def as_matrix(value, name: str) -> np.ndarray:
    """A finite 2-D float64 array."""
    arr = as_float_array(value, name)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-D matrix, got shape {arr.shape}")
    return arr


def as_input_and_weights(x, W) -> tuple[np.ndarray, np.ndarray]:
    """Check x: (n,) and W: (n, K) agree; returns both as float64."""
    x = as_vector(x, "x")
    W = as_matrix(W, "W")
    if W.shape[0] != x.shape[0]:
        raise ValueError(
            f"W must have one row per input: x has n={x.shape[0]} entries but W has shape "
            f"{W.shape} (expected ({x.shape[0]}, K))"
        )
    return x, W


def as_whole_number(value, name: str, minimum: int, maximum: int | None = None) -> int:
    """A Python int in [``minimum``, ``maximum``]; bools and floats (even 2.0) are refused, NumPy integers accepted."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if maximum is not None and not minimum <= value <= maximum:
        raise ValueError(f"{name} must be in [{minimum}, {maximum}], got {value}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


def as_temperature(value) -> float:
    """A finite, strictly positive scalar (a real number: not a bool, not a string)."""
    if isinstance(value, (bool, np.bool_, str, bytes)):
        raise ValueError(f"temperature must be a number, got {value!r}")
    try:
        t = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"temperature must be a number, got {value!r}") from None
    if not np.isfinite(t) or t <= 0:
        raise ValueError(f"temperature must be finite and > 0, got {t}")
    return t


def as_probabilities(value, name: str, atol: float = 1e-6) -> np.ndarray:
    """Probability vectors along the last axis: entries in [0, 1], each summing to 1."""
    arr = as_float_array(value, name)
    if arr.ndim == 0:
        raise ValueError(f"{name} must be a probability vector, got a scalar")
    if (arr < -atol).any() or (arr > 1 + atol).any():
        raise ValueError(f"{name} must have entries in [0, 1] (min {arr.min():.4g}, max {arr.max():.4g})")
    sums = arr.sum(axis=-1)
    worst = float(np.max(np.abs(sums - 1.0)))
    if worst > atol:
        raise ValueError(f"{name} must sum to 1 along its last axis (off by {worst:.3g})")
    return arr
