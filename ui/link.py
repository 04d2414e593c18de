"""The share link: one table declares every parameter (name, page, reader, bounds, default).

Pure (no streamlit). ``PARAMS`` drives both directions: ``to_query`` writes a state and the
current page's settings, ``parse_query`` and ``read_setting`` read a (possibly hand-edited)
link back. Reading never raises: each bad field becomes a ``Problem`` saying which field, why,
and what was used instead, so the app can warn and the export CLI can decide from data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

import core

from .link_numbers import QUERY_MAX, numbers_form, read_packed, text_form
from .memo import by_value
from .state import LayerState, default_state, state_from_preset
from .text import exact

SEED_MAX = 2**31 - 1
VALUE_LIMIT = 10.0  # |x_j|, |W[j,k]| accepted from a link or a paste
MAX_PARAM_CHARS = 60_000  # a 64 × 32 W written with full precision fits well inside this
# Learning rates offered on a log scale (1-2-5 steps), so 0.001 and 10 are both one drag away.
LR_OPTIONS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
BATCH_MAX = 32
# The Derivation page's steps, in reading order (their titles live with the page).
DERIVATION_STEPS = ("forward", "cases", "matrix", "output", "chain", "shortcut", "blog", "nudge", "mistakes")
# The Loss page's sections, in reading order; "all" keeps that order, any other brings that section first.
LOSS_SECTIONS = ("all", "back_to_z", "weight_gradient", "columns", "descent", "saturation", "triangle")
# The Presenter path's slides, in order (their titles live with the page).
PRESENT_SLIDES = ("z", "p", "J", "dz_dw", "dp_dw", "dL_dW")
# Nudge sizes ε offered on a log scale (half decades), 1e-6 … 1.
NUDGE_OPTIONS = (1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0)
FLAGS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}


@dataclass(frozen=True)
class Problem:
    """What was wrong with one link parameter: ``field``, the text ``given``, ``reason``, and ``used`` instead.

    ``fatal``: the link's numbers could not be used at all (the app shows the blog's example instead).
    """

    field: str
    given: str
    reason: str
    used: str
    fatal: bool = False

    @property
    def message(self) -> str:
        """Plain text (never markup): the caller shows it as literal text."""
        given = self.given if len(self.given) <= 40 else self.given[:40] + "…"
        return f"Link parameter '{self.field}' = \"{given}\": {self.reason}; {self.used}."


# ---------------------------------------------------------------- readers: text → value, or ValueError(reason)


def read_whole(text: str, lo: int, hi: int) -> int:
    """A whole number in [lo, hi], written with ASCII digits and an optional sign (no "1_0", no "2.0")."""
    t = text.strip().replace("\N{MINUS SIGN}", "-")
    if not re.fullmatch(r"[+-]?[0-9]+", t):
        raise ValueError(f"must be a whole number in {lo}…{hi}")
    v = int(t)
    if not lo <= v <= hi:
        raise ValueError(f"must be a whole number in {lo}…{hi}")
    return v


_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def read_number(text: str, what: str = "value") -> float:
    """One finite number, as people write it: ASCII digits, "." decimal point, "−" or "-" sign, 1e-3.

    Refuses "1_0", "0x10", "nan", "inf" and numbers beyond the float range, saying why.
    """
    t = text.strip().replace("\N{MINUS SIGN}", "-")
    if not _NUMBER.fullmatch(t):
        if re.fullmatch(r"[+-]?[0-9]+,[0-9]+", t):
            raise ValueError(f"{what} {t[:20]!r} uses a decimal comma; use a point as the decimal separator")
        raise ValueError(f"{what} {t[:20]!r} is not a number")
    v = float(t)
    if not math.isfinite(v):
        raise ValueError(f"{what} {t[:20]!r} is too large for a float")
    return v


def row_numbers(row: str, where: str) -> list[float]:
    """The numbers of one row separated by commas or spaces, each within ±VALUE_LIMIT.

    Errors say "<where>, value <position>: …" with positions counted from 1.
    """
    values = []
    for pos, part in enumerate(p for p in re.split(r"[,\s]+", row) if p):
        try:
            v = read_number(part)
        except ValueError as e:
            raise ValueError(f"{where}, value {pos + 1}: {str(e).removeprefix('value ')}") from None
        if abs(v) > VALUE_LIMIT:
            raise ValueError(f"{where}, value {pos + 1}: {v:g} is outside [−{VALUE_LIMIT:g}, {VALUE_LIMIT:g}]")
        values.append(v)
    return values


def _choice(options: Mapping[str, Any] | tuple[str, ...]) -> Callable[[str], str]:
    def read(text: str) -> str:
        value = text.strip()
        if value not in options:
            raise ValueError(f"is not one of {', '.join(options)}")
        return value

    return read


def _whole(lo: int, hi: int) -> Callable[[str], int]:
    return lambda text: read_whole(text, lo, hi)


def _in_range(lo: float, hi: float) -> Callable[[str], float]:
    def read(text: str) -> float:
        try:
            v = read_number(text)
        except ValueError:
            v = math.nan
        if not lo <= v <= hi:
            raise ValueError(f"must be a number in [{lo:g}, {hi:g}]")
        return v

    return read


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value not in FLAGS:
        raise ValueError("must be 1 or 0 (on or off)")
    return FLAGS[value]


def snap_lr(value: float) -> float:
    """The offered learning rate nearest to ``value`` on a log scale."""
    return min(LR_OPTIONS, key=lambda o: abs(math.log(o) - math.log(value)))


def snap_eps(value: float) -> float:
    """The offered nudge size ε nearest to ``value`` on a log scale."""
    return min(NUDGE_OPTIONS, key=lambda o: abs(math.log(o) - math.log(value)))


def _read_target(text: str, K: int) -> int:
    return read_whole(text, 0, K - 1)


def default_target(p) -> int:
    """A class that is not the argmax of p, so the model starts out wrong: the runner-up class."""
    order = np.argsort(-np.asarray(p), kind="stable")
    return int(order[1]) if len(order) > 1 else 0


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class Param:
    """One link parameter. ``pages``: where it is written ("" = every page: the layer itself).

    ``read(text)`` returns the value or raises ValueError(reason); ``write(value)`` is its text;
    ``lo``/``hi`` are the bounds widgets use too; ``default`` is used when it is absent or bad.
    """

    name: str
    pages: tuple[str, ...]
    read: Callable[..., Any]
    write: Callable[[Any], str]
    default: Any = None
    lo: float | None = None
    hi: float | None = None


N_MIN, N_MAX = 1, 64  # inputs
K_MIN, K_MAX = 2, 32  # classes
T_MIN, T_MAX = 0.1, 10.0

PARAMS: dict[str, Param] = {
    p.name: p
    for p in (
        # The layer, on every page. x and W are read together (they must fit each other).
        Param("n", (), _whole(N_MIN, N_MAX), str, 3, N_MIN, N_MAX),
        Param("K", (), _whole(K_MIN, K_MAX), str, 5, K_MIN, K_MAX),
        Param("x", (), None, lambda x: text_form(x, x[None, :])["x"]),
        Param("W", (), None, lambda W: text_form(W[:, 0], W)["W"]),
        Param("xw", (), None, str),  # x and W packed (ui.link_numbers), when the text would make the link too long
        Param("T", (), _in_range(T_MIN, T_MAX), exact, 1.0, T_MIN, T_MAX),
        Param("sel", (), None, lambda s: ",".join(str(v) for v in s), (0, 0, 1)),
        Param("preset", (), _choice((*core.PRESETS, "custom")), str, "blog"),
        Param("seed", (), _whole(0, SEED_MAX), str, 0, 0, SEED_MAX),
        Param("classroom", (), _flag, lambda on: "1", False),
        # Each page's own settings.
        Param("target", ("loss",), _read_target, str, None),  # default: the runner-up class (default_target)
        Param("loss", ("loss", "batch"), _choice(core.LOSSES), str, "cross_entropy"),
        Param("lr", ("loss",), lambda t: snap_lr(_in_range(LR_OPTIONS[0], LR_OPTIONS[-1])(t)), "{:g}".format, 0.5),
        Param("focus", ("loss",), _choice(LOSS_SECTIONS), str, "all"),
        Param("N", ("batch",), _whole(1, BATCH_MAX), str, 8, 1, BATCH_MAX),
        Param("bseed", ("batch",), _whole(0, SEED_MAX), str, 0, 0, SEED_MAX),
        Param("order", ("conventions",), _choice(core.ORDERS), str, "class_major"),
        Param("step", ("derivation",), _choice(DERIVATION_STEPS), str, "forward"),
        Param("slide", ("present",), _choice(PRESENT_SLIDES), str, "z"),
        Param(
            "eps",
            ("derivation",),
            lambda t: snap_eps(_in_range(NUDGE_OPTIONS[0], NUDGE_OPTIONS[-1])(t)),
            "{:g}".format,
            1e-2,
        ),
    )
}
LAYER_KEYS = tuple(name for name, p in PARAMS.items() if not p.pages)


def _first(value) -> str:
    """The last value of a repeated key (as browsers and st.query_params read it); parse_qs gives lists."""
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else ""
    return str(value)


def raw_params(params: Mapping) -> tuple[dict[str, str], list[Problem]]:
    """The link's known parameters as text (last value of a repeated key), and the ones too long to read."""
    out, problems = {}, []
    for key in PARAMS:
        if key in params:
            text = _first(params[key])
            values = params[key] if isinstance(params[key], (list, tuple)) else [params[key]]
            if len(values) > 1:
                given = " & ".join(str(v)[:20] for v in values)
                problems.append(Problem(key, given, f"is given {len(values)} times", f"using the last, {text[:20]}"))
            if len(text) > MAX_PARAM_CHARS:
                problems.append(Problem(key, text[:20], f"is too long ({len(text)} characters)", "ignored"))
                continue
            out[key] = text
    return out, problems


def read_setting(name: str, text: str | None, **context) -> tuple[Any, Problem | None]:
    """A page's own setting from the link text (None when absent) → (value, problem or None).

    ``context``: what the reader or the default needs (``K`` and ``p`` for ``target``).
    """
    param = PARAMS[name]
    default = default_target(context["p"]) if name == "target" else param.default
    if text is None:
        return default, None
    try:
        value = param.read(text, context["K"]) if name == "target" else param.read(text)
    except ValueError as e:
        reason = str(e) if name != "target" else f"must be a class in 0…{context['K'] - 1}"
        return default, Problem(name, text, reason, f"using {param.write(default)}")
    return value, None


def to_query(state: LayerState, settings: Mapping[str, Any] | None = None, *, full: bool = False) -> dict[str, str]:
    """The query parameters that reproduce ``state`` and the page ``settings``, in under QUERY_MAX characters.

    A preset's numbers are not written (n, K and the seed make them again); other numbers are written
    as text, or packed, or as ``xw=file`` when no link can hold them (see ``ui.link_numbers``).
    ``full``: always the numbers as text (for a state file, which has no length limit).
    """
    q = {"n": str(state.n), "K": str(state.K)}
    if full or not _is_preset(state):  # a preset's numbers are made again from n, K and the seed
        q |= numbers_form(state.x, state.W, QUERY_MAX - 300) if not full else text_form(state.x, state.W)
    q |= {"T": exact(state.temperature), "sel": PARAMS["sel"].write(state.selected), "preset": state.preset}
    if state.preset == "random" or state.seed:  # also the seed new entries come from when the sizes change
        q["seed"] = str(state.seed)
    if state.classroom:
        q["classroom"] = "1"
    for name, value in (settings or {}).items():
        q[name] = PARAMS[name].write(value)
    return q


def _is_preset(state: LayerState) -> bool:
    """Whether the state's numbers are exactly its preset's, so the link need not carry them."""
    if state.preset not in core.PRESETS or (state.preset == "blog" and (state.n, state.K) != (3, 5)):
        return False
    return _made_by(state.preset, state.n, state.K, state.seed, state.x, state.W)


# Asked by every link a page draws (ten question links on the Explorer): at 64 × 32, making the
# random preset again each time was 3 ms of a rerun.
@by_value(maxsize=8)
def _made_by(preset: str, n: int, K: int, seed: int, x: np.ndarray, W: np.ndarray) -> bool:
    made = core.make_preset(preset, n, K, seed)
    return np.array_equal(made.x, x) and np.array_equal(made.W, W)


def parse_query(params: Mapping) -> tuple[LayerState, list[Problem]]:
    """Read a (possibly hand-edited) query mapping into a layer state, with one problem per bad field.

    Each field falls back on its own: a bad T keeps the link's x and W. If x or W is bad or does
    not fit n and K, all the numbers fall back to the blog's example (a ``fatal`` problem).
    """
    q, problems = raw_params({k: v for k, v in params.items() if k in LAYER_KEYS})
    base = default_state()
    if not q:
        return base, problems

    def read(name: str, fallback, used: str):
        try:
            return PARAMS[name].read(q[name])
        except ValueError as e:
            problems.append(Problem(name, q[name], str(e), used))
            return fallback

    classroom = read("classroom", False, "classroom mode is off") if "classroom" in q else False
    bad_preset = len(problems)  # where the preset's problem goes, if it has one
    preset = read("preset", "custom", "shown as custom numbers") if "preset" in q else "custom"
    seed = read("seed", 0, "using seed 0") if "seed" in q else 0

    state = base
    if "xw" in q:
        try:
            n, K = PARAMS["n"].read(q.get("n", "")), PARAMS["K"].read(q.get("K", ""))
        except ValueError:
            problems.append(
                Problem("xw", q["xw"], "needs whole sizes n and K beside it", "showing the blog's example", fatal=True)
            )
        else:
            try:
                x, W = read_packed(q["xw"], n, K)
                state = base.with_values(x=x, W=W, preset=preset, seed=seed)
            except ValueError as e:
                problems.append(Problem("xw", q["xw"], str(e), "showing the blog's example", fatal=True))
    elif "x" in q or "W" in q:
        try:
            x, W = _read_xw(q)
            state = base.with_values(x=x, W=W, preset=preset, seed=seed)
        except ValueError as e:
            field, reason = e.args if len(e.args) == 2 else ("x" if "x" in q else "W", str(e))
            problems.append(Problem(field, q.get(field, ""), reason, "showing the blog's example", fatal=True))
    elif preset in core.PRESETS:
        n = read("n", None, "showing the blog's example") if "n" in q else 3
        K = read("K", None, "showing the blog's example") if "K" in q else 5
        if n is not None and K is not None:
            if preset == "blog" and (n, K) != (3, 5):
                problems.append(
                    Problem(
                        "n" if n != 3 else "K",
                        q.get("n" if n != 3 else "K", ""),
                        "does not apply: the blog's example is 3 × 5",
                        "showing 3 × 5",
                    )
                )
            state = state_from_preset(preset, n, K, seed)
        else:
            problems[-1] = Problem(**{**problems[-1].__dict__, "fatal": True})
    else:
        for name in ("n", "K"):
            if name in q:
                reason = "sizes need numbers x and W (or a preset)"
                problems.append(Problem(name, q[name], reason, "showing the blog's example", fatal=True))

    if len(problems) > bad_preset and problems[bad_preset].field == "preset" and state.preset != "custom":
        # No numbers of the link's own were shown either: it says what was shown instead.
        problems[bad_preset] = Problem(**{**problems[bad_preset].__dict__, "used": "showing the blog's example"})
    if "T" in q:
        T = read("T", None, f"using T = {exact(state.temperature)}")
        if T is not None:
            state = state.with_values(temperature=T)
    if "sel" in q:
        try:
            state = state.with_values(selected=_read_selection(q["sel"], state.n, state.K))
        except ValueError as e:
            problems.append(Problem("sel", q["sel"], str(e), f"using entry {PARAMS['sel'].write(state.selected)}"))
    return state.with_values(classroom=bool(classroom)), problems


def _read_selection(text: str, n: int, K: int) -> tuple[int, int, int]:
    parts = text.split(",")
    if len(parts) != 3:
        raise ValueError("needs three whole numbers t,i,j")
    t, i, j = (read_whole(v, 0, 10_000) for v in parts)
    if t >= K or i >= K or j >= n:
        raise ValueError(f"does not fit K = {K}, n = {n} (t, i < K and j < n)")
    return t, i, j


def _read_xw(q: Mapping[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """x (n,) and W (n, K) from the link; ValueError((field, reason)) when they cannot be used."""
    if "x" not in q or "W" not in q:
        raise ValueError("W" if "x" in q else "x", "is missing; x and W are needed together")
    try:
        x = np.array(row_numbers(q["x"], "x"))
    except ValueError as e:
        raise ValueError("x", str(e)) from None
    if x.size == 0:
        raise ValueError("x", "is empty")
    rows = [r for r in q["W"].split(";") if r.strip()]
    if not rows:
        raise ValueError("W", "is empty")
    try:
        W_rows = [row_numbers(r, f"row {j + 1}") for j, r in enumerate(rows)]
    except ValueError as e:
        raise ValueError("W", str(e)) from None
    widths = {len(r) for r in W_rows}
    if len(widths) != 1:
        raise ValueError("W", f"has rows of different lengths {sorted(widths)}")
    W = np.array(W_rows)
    n, K = W.shape
    if len(x) != n:
        raise ValueError("x", f"has {len(x)} entries but W has {n} rows")
    if not N_MIN <= n <= N_MAX:
        raise ValueError("W", f"has n = {n} rows, outside {N_MIN}…{N_MAX}")
    if not K_MIN <= K <= K_MAX:
        raise ValueError("W", f"has K = {K} columns, outside {K_MIN}…{K_MAX}")
    for key, actual in (("n", n), ("K", K)):
        if key in q and q[key].strip() != str(actual):
            raise ValueError(key, f"does not match the numbers given ({actual})")
    return x, W
