"""The layer's state shared by every page: x, W, T, the selected entry, the preset, classroom mode.

Pure Python + NumPy (no streamlit). Its share-link encoding is ``ui.link``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

import core

SLIDER_N_MAX, SLIDER_K_MAX = 8, 8  # beyond these, values are generated or pasted, not slid


@dataclass(frozen=True)
class LayerState:
    """Everything a view needs. x: (n,), W: (n, K), temperature T > 0.

    ``selected`` is the highlighted entry (t, i, j) of dp/dW: output p_t, weight W[j, i]
    (column i·n + j). ``preset`` names where the numbers came from ("custom" once edited).
    """

    x: np.ndarray
    W: np.ndarray
    temperature: float = 1.0
    selected: tuple[int, int, int] = (0, 0, 1)
    preset: str = "blog"
    seed: int = 0
    classroom: bool = False

    @property
    def n(self) -> int:
        return int(self.x.shape[0])

    @property
    def K(self) -> int:
        return int(self.W.shape[1])

    def __eq__(self, other) -> bool:
        if not isinstance(other, LayerState):
            return NotImplemented
        return (
            np.array_equal(self.x, other.x)
            and np.array_equal(self.W, other.W)
            and self.temperature == other.temperature
            and self.selected == other.selected
            and self.preset == other.preset
            and self.seed == other.seed
            and self.classroom == other.classroom
        )

    def with_values(self, x=None, W=None, temperature=None, **kw) -> LayerState:
        """A copy with new numbers; the selection is clamped to the new sizes."""
        x = self.x if x is None else np.asarray(x, dtype=float)
        W = self.W if W is None else np.asarray(W, dtype=float)
        T = self.temperature if temperature is None else float(temperature)
        new = replace(self, x=x, W=W, temperature=T, **kw)
        return replace(new, selected=clamp_selection(new.selected, new.n, new.K))


def default_state() -> LayerState:
    """The blog's example (seed 002) at T = 1: what a first visit shows."""
    p = core.make_preset("blog")
    return LayerState(x=p.x, W=p.W, temperature=p.temperature, preset="blog")


def state_from_preset(name: str, n: int = 3, K: int = 5, seed: int = 0, base: LayerState | None = None) -> LayerState:
    """A state built from a core preset, keeping ``base``'s selection and classroom flag."""
    p = core.make_preset(name, n, K, seed)
    base = base or default_state()
    return base.with_values(x=p.x, W=p.W, temperature=p.temperature, preset=name, seed=int(seed))


def clamp_selection(sel, n: int, K: int) -> tuple[int, int, int]:
    t, i, j = (int(v) for v in sel)
    return (min(max(t, 0), K - 1), min(max(i, 0), K - 1), min(max(j, 0), n - 1))
