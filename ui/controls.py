"""Sidebar controls shared by every page: preset, sizes, temperature, x and W, own numbers.

The canonical state is the LayerState in ``ui.session``; widgets are a view of it. At the top
of each run, if something other than these widgets changed the state (a preset, a paste, a
link, another page), its numbers are pushed into the widgets' keys before they are drawn;
after drawing, the widgets' values are read back into a new state.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

import core

from . import session
from .figures.common import sub
from .paste import matrix_text, parse_layer
from .state import (
    K_MAX,
    K_MIN,
    N_MAX,
    N_MIN,
    SEED_MAX,
    SLIDER_K_MAX,
    SLIDER_N_MAX,
    VALUE_LIMIT,
    LayerState,
    default_state,
    format_number,
    state_from_preset,
)

LAST_KEY = "_controls_last_state"  # the state the widgets described at the end of the last run
PASTE_ERROR_KEY = "_paste_error"
STEP = 0.01
# Log-spaced temperatures that read well on a slider; a link's T is inserted if it is not here.
TEMPERATURES = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0,
                6.0, 8.0, 10.0)  # fmt: skip


def _x_key(j: int) -> str:
    return f"ctl_x_{j}"


def _w_key(j: int, k: int) -> str:
    return f"ctl_W_{j}_{k}"


def has_sliders(state: LayerState) -> bool:
    """One slider per entry only while that stays usable (n ≤ 8, K ≤ 8: at most 72 sliders)."""
    return state.n <= SLIDER_N_MAX and state.K <= SLIDER_K_MAX


def _push(state: LayerState) -> None:
    """Write ``state`` into the widgets' keys (only legal before the widgets are drawn)."""
    ss = st.session_state
    ss["ctl_preset"] = state.preset if state.preset in core.PRESETS else "custom"
    ss["ctl_seed"] = int(state.seed)
    ss["ctl_n"] = state.n
    ss["ctl_K"] = state.K
    ss["ctl_T"] = float(state.temperature)
    if has_sliders(state):
        for j in range(state.n):
            ss[_x_key(j)] = float(state.x[j])
            for k in range(state.K):
                ss[_w_key(j, k)] = float(state.W[j, k])
    ss["ctl_paste_x"] = matrix_text(state.x)
    ss["ctl_paste_W"] = matrix_text(state.W)


# ------------------------------------------------------------------- callbacks
# They change the canonical state only; the next run pushes it into the widgets.


def _on_preset() -> None:
    name = st.session_state["ctl_preset"]
    if name == "custom":
        return
    state = session.current_state()
    n, K = (state.n, state.K) if name != "blog" else (3, 5)
    session.set_state(state_from_preset(name, n, K, st.session_state.get("ctl_seed", 0), base=state))


def _on_seed() -> None:
    state = session.current_state()
    seed = int(st.session_state["ctl_seed"])
    session.set_state(state_from_preset("random", state.n, state.K, seed, base=state))


def _on_reset() -> None:
    state = session.current_state()
    session.set_state(default_state().with_values(classroom=state.classroom))
    st.session_state.pop(PASTE_ERROR_KEY, None)


def _on_resize() -> None:
    """New sizes keep the overlapping entries; new entries come from the seeded random preset."""
    state = session.current_state()
    n, K = int(st.session_state["ctl_n"]), int(st.session_state["ctl_K"])
    if (n, K) == (state.n, state.K):
        return
    seed = int(st.session_state.get("ctl_seed", 0))
    if state.preset in core.PRESETS and state.preset != "blog":
        session.set_state(state_from_preset(state.preset, n, K, seed, base=state))
        return
    fresh = core.make_preset("random", n, K, seed)
    x, W = fresh.x.copy(), fresh.W.copy()
    m, c = min(n, state.n), min(K, state.K)
    x[:m] = state.x[:m]
    W[:m, :c] = state.W[:m, :c]
    session.set_state(state.with_values(x=x, W=W, preset="custom"))


def _on_paste() -> None:
    try:
        x, W = parse_layer(st.session_state["ctl_paste_x"], st.session_state["ctl_paste_W"])
    except ValueError as e:
        st.session_state[PASTE_ERROR_KEY] = str(e)
        return
    st.session_state.pop(PASTE_ERROR_KEY, None)
    session.set_state(session.current_state().with_values(x=x, W=W, preset="custom"))


# ------------------------------------------------------------------- drawing


def _slider_range(values: np.ndarray) -> tuple[float, float]:
    """[−3, 3] normally; wide enough for pasted or linked values beyond it."""
    biggest = float(np.max(np.abs(values))) if values.size else 0.0
    limit = core.SLIDER_LIMIT if biggest <= core.SLIDER_LIMIT else min(VALUE_LIMIT, float(math.ceil(biggest)))
    return -float(limit), float(limit)


def _temperature_options(T: float) -> list[float]:
    return sorted(set(TEMPERATURES) | {float(T)})


def sidebar_controls(state: LayerState) -> LayerState:
    """Draw the shared controls in the sidebar and return the state they now describe."""
    ss = st.session_state
    if ss.get(LAST_KEY) != state or "ctl_n" not in ss:
        _push(state)
    with st.sidebar:
        state = _draw(state)
    ss[LAST_KEY] = state
    return state


def _draw(state: LayerState) -> LayerState:
    ss = st.session_state
    st.header("Layer  p = softmax(Wᵀx / T)", divider="gray")
    preset_names = [*core.PRESETS, "custom"]
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    c1.selectbox(
        "Preset",
        preset_names,
        key="ctl_preset",
        format_func=lambda k: core.PRESET_TITLES.get(k, "Custom numbers"),
        on_change=_on_preset,
        help="Snap to an instructive state. The blog's example reproduces every number it prints.",
    )
    c2.button("", icon=":material/restart_alt:", on_click=_on_reset, help="Reset to the blog's example",
              width="stretch", key="ctl_reset")
    if ss["ctl_preset"] == "random":
        st.number_input("Seed", 0, SEED_MAX, key="ctl_seed", on_change=_on_seed)

    c1, c2 = st.columns(2)
    c1.number_input("n inputs", N_MIN, N_MAX, key="ctl_n", on_change=_on_resize, help=f"{N_MIN}–{N_MAX}")
    c2.number_input("K classes", K_MIN, K_MAX, key="ctl_K", on_change=_on_resize, help=f"{K_MIN}–{K_MAX}")
    T = st.select_slider(
        "Temperature T",
        options=_temperature_options(state.temperature),
        key="ctl_T",
        format_func=format_number,
        help="p = softmax(z / T). Large T flattens p; small T sharpens it. J carries a factor 1/T.",
    )
    x, W = state.x, state.W
    if has_sliders(state):
        x, W = _value_sliders(state)
    else:
        st.info(
            f"{state.n} × {state.K} is too many numbers for sliders: they were generated "
            f"({core.PRESET_TITLES.get(state.preset, 'custom')}). Change the seed, or paste your own below.",
            icon=":material/tune:",
        )
    _paste_box()
    new = state.with_values(x=x, W=W, temperature=T)
    if not (np.array_equal(new.x, state.x) and np.array_equal(new.W, state.W)):
        new = new.with_values(preset="custom")
    return new


def _value_sliders(state: LayerState) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = _slider_range(np.concatenate([state.x, state.W.ravel()]))
    with st.expander("Input x", expanded=True, icon=":material/input:"):
        x = np.array([st.slider(f"x{sub(j)}", lo, hi, step=STEP, key=_x_key(j)) for j in range(state.n)])
    with st.expander("Weights W (one tab per class k)", expanded=True, icon=":material/grid_on:"):
        W = np.empty((state.n, state.K))
        tabs = st.tabs([f"k={k}" for k in range(state.K)])
        for k, tab in enumerate(tabs):
            with tab:
                for j in range(state.n):
                    W[j, k] = st.slider(f"W[{j},{k}]  (x{sub(j)} → z{sub(k)})", lo, hi, step=STEP, key=_w_key(j, k))
    return x, W


def _paste_box() -> None:
    with st.expander("Use my own numbers", icon=":material/content_paste:"):
        st.caption("Comma/space separated rows, or lists copied from NumPy. W: one row per input j (n × K).")
        with st.form("paste_form", border=False):
            st.text_area("x  (n numbers)", key="ctl_paste_x", height=68)
            st.text_area("W  (n rows × K columns)", key="ctl_paste_W", height=140)
            st.form_submit_button("Use these numbers", on_click=_on_paste, width="stretch")
        if error := st.session_state.get(PASTE_ERROR_KEY):
            st.error(f"Not applied: {error}", icon=":material/error:")
