"""The explorer's state (x, W, T, selected entry) and its share-link encoding.

Pure Python + NumPy (no streamlit), so it can be unit-tested. A share link's query string
holds the whole state; ``parse_query`` validates a hand-edited one field by field and
returns a safe state plus a warning per problem, never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

import core

N_MIN, N_MAX = 1, 64  # inputs
K_MIN, K_MAX = 2, 32  # classes
SLIDER_N_MAX, SLIDER_K_MAX = 8, 8  # beyond these, values are generated or pasted, not slid
VALUE_LIMIT = 10.0  # |x_j|, |W[j,k]| accepted from a link or a paste
T_MIN, T_MAX = 0.1, 10.0
SEED_MAX = 2**31 - 1
MAX_PARAM_CHARS = 60_000  # a 64 × 32 W written with full precision fits well inside this


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
    extra: dict = field(default_factory=dict, compare=False)  # page-specific params, e.g. loss

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


# ---------------------------------------------------------------- share link


def format_number(v: float) -> str:
    """Shortest text that reads back to exactly the same float64 (0.1 → '0.1')."""
    return np.format_float_positional(float(v), trim="-", unique=True)


def to_query(state: LayerState) -> dict[str, str]:
    """The query parameters that reproduce ``state``. W is written row by row (row j = input j)."""
    q = {
        "n": str(state.n),
        "K": str(state.K),
        "x": ",".join(format_number(v) for v in state.x),
        "W": ";".join(",".join(format_number(v) for v in row) for row in state.W),
        "T": format_number(state.temperature),
        "sel": ",".join(str(v) for v in state.selected),
        "preset": state.preset,
    }
    if state.preset == "random":
        q["seed"] = str(state.seed)
    if state.classroom:
        q["classroom"] = "1"
    return q


def _first(value) -> str:
    """st.query_params gives the last value of a repeated key; plain dicts may hold lists."""
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else ""
    return str(value)


def row_numbers(row: str, where: str) -> list[float]:
    """The finite numbers of one pasted row; errors say "<where>, value <position>: …"."""
    values = []
    for pos, part in enumerate(p for p in re.split(r"[,\s]+", row) if p):
        try:
            v = float(part)
        except ValueError:
            raise ValueError(f"{where}, value {pos + 1}: {part[:20]!r} is not a number") from None
        if not np.isfinite(v):
            raise ValueError(f"{where}, value {pos + 1}: {part[:20]!r} is not finite; use ordinary numbers")
        if abs(v) > VALUE_LIMIT:
            raise ValueError(f"{where}, value {pos + 1}: {v:g} is outside [−{VALUE_LIMIT:g}, {VALUE_LIMIT:g}]")
        values.append(v)
    return values


def parse_numbers(text: str, name: str) -> np.ndarray:
    """Comma/space separated finite numbers within ±VALUE_LIMIT; raises ValueError naming ``name``."""
    values = row_numbers(text, name)
    if not values:
        raise ValueError(f"{name} is empty")
    return np.array(values)


def _parse_int(text: str, name: str, lo: int, hi: int) -> int:
    try:
        v = int(text.strip())
    except ValueError:
        raise ValueError(f"{name} = {text[:20]!r} is not a whole number") from None
    if not lo <= v <= hi:
        raise ValueError(f"{name} = {v} is outside [{lo}, {hi}]")
    return v


def parse_query(params: Mapping) -> tuple[LayerState, list[str]]:
    """Read a (possibly hand-edited) query mapping into a state, with one warning per problem.

    Each field falls back on its own: a bad T keeps the link's x and W. If x or W is bad or
    does not fit n and K, all the numbers fall back to the default (blog) state.
    """
    warnings: list[str] = []
    base = default_state()
    q = {}
    for key in ("n", "K", "x", "W", "T", "sel", "preset", "seed", "classroom"):
        if key in params:
            text = _first(params[key])
            if len(text) > MAX_PARAM_CHARS:
                warnings.append(f"Link parameter '{key}' is too long ({len(text)} characters); ignored.")
                continue
            q[key] = text
    if not q:
        return base, warnings

    state = base
    classroom = q.get("classroom", "0").strip().lower() in ("1", "true", "yes", "on")
    preset = q.get("preset", "custom").strip()
    if preset not in core.PRESETS and preset != "custom":
        warnings.append(f"Link parameter 'preset' = {preset[:30]!r} is not a known preset; shown as 'custom'.")
        preset = "custom"
    seed = 0
    if "seed" in q:
        try:
            seed = _parse_int(q["seed"], "seed", 0, SEED_MAX)
        except ValueError as e:
            warnings.append(f"Link parameter {e}; using seed 0.")

    if "x" in q or "W" in q:
        try:
            x, W = _parse_xw(q)
            state = base.with_values(x=x, W=W, preset=preset, seed=seed)
        except ValueError as e:
            warnings.append(f"Link gives unusable numbers ({e}); showing the blog's example instead.")
    elif preset in core.PRESETS:
        try:
            n = _parse_int(q.get("n", "3"), "n", N_MIN, N_MAX)
            K = _parse_int(q.get("K", "5"), "K", K_MIN, K_MAX)
            state = state_from_preset(preset, n, K, seed)
        except ValueError as e:
            warnings.append(f"Link parameter {e}; showing the blog's example instead.")
    elif "n" in q or "K" in q:
        warnings.append("Link gives sizes n/K but no numbers x and W (nor a preset); showing the blog's example.")

    if "T" in q:
        try:
            T = float(q["T"])
            if not np.isfinite(T) or not T_MIN <= T <= T_MAX:
                raise ValueError
            state = state.with_values(temperature=T)
        except ValueError:
            warnings.append(
                f"Link parameter 'T' = {q['T'][:20]!r} must be a number in [{T_MIN:g}, {T_MAX:g}]; using T = "
                f"{state.temperature:g}."
            )

    if "sel" in q:
        try:
            parts = [_parse_int(p, "sel", 0, 10_000) for p in q["sel"].split(",")]
            if len(parts) != 3:
                raise ValueError("sel needs three numbers t,i,j")
            t, i, j = parts
            if t >= state.K or i >= state.K or j >= state.n:
                raise ValueError(f"sel = {t},{i},{j} does not fit K = {state.K}, n = {state.n}")
            state = state.with_values(selected=(t, i, j))
        except ValueError as e:
            warnings.append(f"Link parameter {e}; using entry {state.selected}.")
    return state.with_values(classroom=classroom), warnings


def _parse_xw(q: Mapping[str, str]) -> tuple[np.ndarray, np.ndarray]:
    if "x" not in q or "W" not in q:
        raise ValueError("both x and W are needed")
    x = parse_numbers(q["x"], "x")
    rows = [r for r in q["W"].split(";") if r.strip()]
    if not rows:
        raise ValueError("W is empty")
    W_rows = [parse_numbers(r, f"W row {j}") for j, r in enumerate(rows)]
    widths = {len(r) for r in W_rows}
    if len(widths) != 1:
        raise ValueError(f"W's rows have different lengths {sorted(widths)}")
    W = np.vstack(W_rows)
    n, K = W.shape
    if len(x) != n:
        raise ValueError(f"x has {len(x)} entries but W has {n} rows")
    if not N_MIN <= n <= N_MAX:
        raise ValueError(f"n = {n} is outside [{N_MIN}, {N_MAX}]")
    if not K_MIN <= K <= K_MAX:
        raise ValueError(f"K = {K} is outside [{K_MIN}, {K_MAX}]")
    for key, actual in (("n", n), ("K", K)):
        if key in q and q[key].strip() != str(actual):
            raise ValueError(f"{key} = {q[key][:10]!r} does not match the numbers given ({actual})")
    return x, W
