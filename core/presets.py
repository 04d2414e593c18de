"""Named starting states (x, W, T) for the explorer and lecture scripts.

Values are rounded to 0.01 and kept within [−3, 3] so every preset sits exactly on a slider.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import as_whole_number

SLIDER_LIMIT = 3.0


@dataclass(frozen=True)
class Preset:
    """A state: x (n,), W (n, K), temperature T, and what it shows."""

    x: np.ndarray
    W: np.ndarray
    temperature: float
    description: str


# Seed 002 (the blog): three inputs, five classes.
BLOG_X = np.array([0.1, 0.5, 0.4])
BLOG_W = np.array(
    [
        [0.1, 0.2, 0.3, 0.4, 0.5],
        [0.6, 0.7, 0.8, 0.9, 0.1],
        [0.11, 0.12, 0.13, 0.14, 0.15],
    ]
)


def _onslider(a) -> np.ndarray:
    return np.clip(np.round(np.asarray(a, dtype=float), 2), -SLIDER_LIMIT, SLIDER_LIMIT)


def blog() -> Preset:
    return Preset(BLOG_X.copy(), BLOG_W.copy(), 1.0, "The blog's worked example: n = 3, K = 5.")


def uniform(n: int = 3, K: int = 5) -> Preset:
    """W = 0, so every logit is 0 and p = 1/K: the Jacobian is (I/K − 1/K²)."""
    x = _onslider(np.linspace(0.5, 1.5, n))
    return Preset(x, np.zeros((n, K)), 1.0, "All weights 0: every p_k = 1/K, the Jacobian at its most spread out.")


def nearly_one_hot(n: int = 3, K: int = 5, target: int = 0, p_target: float = 0.99) -> Preset:
    """x = 1 and ±a weights chosen so p_target ≈ 0.99: the Jacobian almost vanishes (saturation)."""
    gap = np.log(p_target * (K - 1) / (1 - p_target))  # z_target − z_other giving p_target
    a = gap / (2 * n)
    W = np.full((n, K), -a)
    W[:, target] = a
    return Preset(np.ones(n), _onslider(W), 1.0, f"Class {target} gets p ≈ {p_target}: softmax saturates, J ≈ 0.")


def high_temperature(n: int = 3, K: int = 5) -> Preset:
    """The blog's numbers where they fit, at T = 5: p flattens towards uniform and J shrinks by 1/T."""
    base = random_state(n, K, seed=2) if (n, K) != (3, 5) else blog()
    return Preset(base.x, base.W, 5.0, "T = 5: p is flattened towards uniform and J is scaled by 1/T.")


def random_state(n: int = 3, K: int = 5, seed: int = 0) -> Preset:
    """x ~ N(0, 1) and W ~ N(0, 1.5²/n) with ``seed``, rounded onto the slider grid.

    W's spread shrinks with n so that the logits z_k = Σ_j W[j,k]·x_j keep a spread of about
    1.5 at every size: p stays informative (neither uniform nor one-hot) even at n = 64.
    """
    rng = np.random.default_rng(int(seed))
    x = rng.normal(size=n)
    W = rng.normal(scale=1.5 / np.sqrt(n), size=(n, K))
    return Preset(_onslider(x), _onslider(W), 1.0, f"Random x and W, seed {seed}.")


PRESETS = {
    "blog": blog,
    "uniform": uniform,
    "one_hot": nearly_one_hot,
    "hot": high_temperature,
    "random": random_state,
}
PRESET_TITLES = {
    "blog": "The blog's example",
    "uniform": "Uniform p",
    "one_hot": "Nearly one-hot p",
    "hot": "High temperature (T = 5)",
    "random": "Random numbers",
}


def make_preset(name: str, n: int = 3, K: int = 5, seed: int = 0) -> Preset:
    """Build a preset by name; the blog preset ignores n and K (it is 3 × 5)."""
    if name not in PRESETS:
        raise ValueError(f"preset must be one of {sorted(PRESETS)}, got {name!r}")
    if name == "blog":
        return blog()
    # K ≥ 2: with one class p = 1 always and the one-hot preset's logit gap is undefined.
    n = as_whole_number(n, "n", 1)
    K = as_whole_number(K, "K", 2)
    seed = as_whole_number(seed, "seed", 0)
    if name == "random":
        return random_state(n, K, seed)
    return PRESETS[name](n, K)
