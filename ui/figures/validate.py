"""Argument checks shared by the figure builders: bad input → ValueError naming the argument."""

from __future__ import annotations

import numpy as np

# The figures accept exactly the temperatures core accepts.
from core._validate import as_temperature as as_positive_temperature  # noqa: F401


def check_index_tuple(value, names: tuple[str, ...], bounds: tuple[int, ...], arg: str = "selected") -> tuple[int, ...]:
    """``value`` as a tuple of ints, one per name, each in [0, bound); else ValueError."""
    try:
        items = tuple(value)
    except TypeError:
        raise ValueError(f"{arg} must be a tuple ({', '.join(names)}), got {value!r}") from None
    if len(items) != len(names):
        raise ValueError(f"{arg} must have {len(names)} entries ({', '.join(names)}), got {value!r}")
    out = []
    for name, v, hi in zip(names, items, bounds, strict=True):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
            raise ValueError(f"{arg}: {name} must be a whole number, got {v!r}")
        if not 0 <= int(v) < hi:
            raise ValueError(f"{arg}: {name} must be in [0, {hi}), got {v}")
        out.append(int(v))
    return tuple(out)


def as_finite_vector(value, name: str) -> np.ndarray:
    """A non-empty, finite, 1-D float array; else ValueError naming ``name``."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a vector of numbers, got {value!r}") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D vector, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity")
    return arr
