"""The Loss and gradient page's own share-link settings: target class, loss, learning rate.

Pure functions (no streamlit). Each ``parse_*`` takes the link's raw text (or None when absent)
and returns (value, warning or None): a bad value falls back to a safe default with a message
that says what was wrong.
"""

from __future__ import annotations

import math

import numpy as np

import core

from .loss_text import LOSS_TITLES

# Learning rates offered on a log scale (1-2-5 steps), so 0.001 and 10 are both one drag away.
LR_OPTIONS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
DEFAULT_LR = 0.5
DEFAULT_LOSS = "cross_entropy"


def default_target(p: np.ndarray) -> int:
    """A class that is not the argmax of p, so the model starts out wrong: the runner-up class."""
    order = np.argsort(-np.asarray(p), kind="stable")
    return int(order[1]) if len(order) > 1 else 0


def parse_loss(text: str | None) -> tuple[str, str | None]:
    if text is None:
        return DEFAULT_LOSS, None
    value = text.strip()
    if value in core.LOSSES:
        return value, None
    return DEFAULT_LOSS, (
        f"Link parameter 'loss' = {value[:30]!r} is not one of {', '.join(core.LOSSES)}; "
        f"using {LOSS_TITLES[DEFAULT_LOSS].lower()}."
    )


def parse_target(text: str | None, p: np.ndarray) -> tuple[int, str | None]:
    """A class number in [0, K); the default is ``default_target(p)``."""
    fallback = default_target(p)
    if text is None:
        return fallback, None
    K = len(p)
    try:
        value = int(text.strip())
    except ValueError:
        value = None
    if value is None or not 0 <= value < K:
        return fallback, f"Link parameter 'target' = {text[:20]!r} must be a class in 0…{K - 1}; using {fallback}."
    return value, None


def parse_lr(text: str | None) -> tuple[float, str | None]:
    """A learning rate in [min, max] of LR_OPTIONS, snapped to the nearest option on a log scale."""
    if text is None:
        return DEFAULT_LR, None
    try:
        value = float(text.strip())
    except ValueError:
        value = math.nan
    lo, hi = LR_OPTIONS[0], LR_OPTIONS[-1]
    if not (math.isfinite(value) and lo <= value <= hi):
        return (
            DEFAULT_LR,
            f"Link parameter 'lr' = {text[:20]!r} must be a number in [{lo:g}, {hi:g}]; using {DEFAULT_LR:g}.",
        )
    return snap_lr(value), None


def snap_lr(value: float) -> float:
    return min(LR_OPTIONS, key=lambda o: abs(math.log(o) - math.log(value)))
