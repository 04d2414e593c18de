"""Sidebar controls shared by every page: preset, sizes, temperature, x and W, own numbers.

The canonical state is the LayerState in ``ui.session``; every widget is tied to it with
``session.bind``: it shows the state's value, and its callback writes the visitor's change
back into the state before the script reruns, so every view drawn below sees the new numbers.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

import core

from . import session
from .fold import folded
from .link import PARAMS, VALUE_LIMIT, parse_query
from .link_numbers import read_state_file
from .paste import parse_layer
from .questions import question_links
from .state import SLIDER_K_MAX, SLIDER_N_MAX, LayerState, default_state, state_from_preset
from .text import exact, literal, matrix_text, sub

PASTE_ERROR_KEY = "_paste_error"
STEP = 0.01
# Log-spaced temperatures that read well on a slider; a link's T is inserted if it is not here.
TEMPERATURES = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0,
                6.0, 8.0, 10.0)  # fmt: skip


def has_sliders(state: LayerState) -> bool:
    """One slider per entry only while that stays usable (n ≤ 8, K ≤ 8: at most 72 sliders)."""
    return state.n <= SLIDER_N_MAX and state.K <= SLIDER_K_MAX


# ------------------------------------------------------------------- callbacks: new value → new state


def _update(**changes) -> None:
    session.set_state(session.current_state().with_values(**changes))


def _on_preset(name: str) -> None:
    if name == "custom":
        return
    state = session.current_state()
    n, K = (state.n, state.K) if name != "blog" else (3, 5)
    session.set_state(state_from_preset(name, n, K, state.seed, base=state))


def _on_seed(seed: int) -> None:
    state = session.current_state()
    session.set_state(state_from_preset("random", state.n, state.K, int(seed), base=state))


def _on_reset() -> None:
    state = session.current_state()
    session.set_state(default_state().with_values(classroom=state.classroom))
    st.session_state.pop(PASTE_ERROR_KEY, None)


def resize(n: int, K: int) -> None:
    """New sizes keep the overlapping entries; new entries come from the seeded random preset."""
    state = session.current_state()
    if (n, K) == (state.n, state.K):
        return
    if state.preset in core.PRESETS and state.preset != "blog":
        session.set_state(state_from_preset(state.preset, n, K, state.seed, base=state))
        return
    fresh = core.make_preset("random", n, K, state.seed)
    x, W = fresh.x.copy(), fresh.W.copy()
    m, c = min(n, state.n), min(K, state.K)
    x[:m] = state.x[:m]
    W[:m, :c] = state.W[:m, :c]
    session.set_state(state.with_values(x=x, W=W, preset="custom"))


def _on_x(j: int):
    def update(value: float) -> None:
        x = session.current_state().x.copy()
        x[j] = value
        _update(x=x, preset="custom")

    return update


def _on_w(j: int, k: int):
    def update(value: float) -> None:
        W = session.current_state().W.copy()
        W[j, k] = value
        _update(W=W, preset="custom")

    return update


def _on_paste() -> None:
    try:
        x, W = parse_layer(st.session_state["ctl_paste_x"], st.session_state["ctl_paste_W"])
    except ValueError as e:
        st.session_state[PASTE_ERROR_KEY] = str(e)
        return
    st.session_state.pop(PASTE_ERROR_KEY, None)
    _update(x=x, W=W, preset="custom")


def _on_state_file() -> None:
    upload = st.session_state.get("ctl_state_file")
    if upload is None:
        return
    try:
        query = read_state_file(upload.getvalue())
    except ValueError as e:
        st.session_state[PASTE_ERROR_KEY] = f"{upload.name}: {e}"
        return
    state, problems = parse_query(query)
    session.add_problems(problems)  # shown, quoted as text, in the banner above the page
    st.session_state.pop(PASTE_ERROR_KEY, None)
    session.set_state(state.with_values(classroom=session.current_state().classroom))


# ------------------------------------------------------------------- drawing


def _slider_range(values: np.ndarray) -> tuple[float, float]:
    """[−3, 3] normally; wide enough for pasted or linked values beyond it."""
    biggest = float(np.max(np.abs(values))) if values.size else 0.0
    limit = core.SLIDER_LIMIT if biggest <= core.SLIDER_LIMIT else min(VALUE_LIMIT, float(math.ceil(biggest)))
    return -float(limit), float(limit)


def _temperature_options(T: float) -> list[float]:
    return sorted(set(TEMPERATURES) | {float(T)})


def sidebar_controls(state: LayerState) -> LayerState:
    """Draw the shared controls in the sidebar; return the state (callbacks have already applied changes)."""
    with st.sidebar:
        if box := folded(st.expander, "What are you stuck on?", icon=":material/help:", key="ctl_questions"):
            with box:
                question_links()
        _draw(state)
    return session.current_state()


def classroom_strip(state: LayerState) -> LayerState:
    """Classroom mode hides the sidebar: a compact "Controls" menu keeps preset, T and x at hand.

    The same widgets (and keys) as the sidebar's, which is not drawn in classroom mode.
    """
    with st.popover("Controls", icon=":material/tune:", key="ctl_strip"):
        _preset(state, st)
        _temperature(state)
        if has_sliders(state):
            _x_sliders(state, *_value_range(state))
    return session.current_state()


def _preset(state: LayerState, where) -> None:
    preset = state.preset if state.preset in core.PRESETS else "custom"
    session.bind(
        "ctl_preset",
        preset,
        where.selectbox,
        "Preset",
        [*core.PRESETS, "custom"],
        on_change=_on_preset,
        format_func=lambda k: core.PRESET_TITLES.get(k, "Custom numbers"),
        help="Snap to an instructive state. The blog's example reproduces every number it prints.",
    )


def _temperature(state: LayerState) -> None:
    session.bind(
        "ctl_T",
        float(state.temperature),
        st.select_slider,
        "Temperature T",
        options=_temperature_options(state.temperature),
        format_func=exact,
        on_change=lambda v: _update(temperature=float(v)),
        help="p = softmax(z / T). Large T flattens p; small T sharpens it. J carries a factor 1/T.",
    )


def _draw(state: LayerState) -> None:
    bind = session.bind
    st.header("Layer  p = softmax(Wᵀx / T)", divider="gray")
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    _preset(state, c1)
    c2.button(
        "",
        icon=":material/restart_alt:",
        on_click=_on_reset,
        help="Reset to the blog's example",
        width="stretch",
        key="ctl_reset",
    )
    if state.preset == "random":
        seed = PARAMS["seed"]
        bind("ctl_seed", int(state.seed), st.number_input, "Seed", seed.lo, seed.hi, on_change=_on_seed)

    c1, c2 = st.columns(2)
    n, K = PARAMS["n"], PARAMS["K"]
    bind(
        "ctl_n",
        state.n,
        c1.number_input,
        "n inputs",
        n.lo,
        n.hi,
        help=f"{n.lo}–{n.hi}",
        on_change=lambda v: resize(int(v), session.current_state().K),
    )
    bind(
        "ctl_K",
        state.K,
        c2.number_input,
        "K classes",
        K.lo,
        K.hi,
        help=f"{K.lo}–{K.hi}",
        on_change=lambda v: resize(session.current_state().n, int(v)),
    )
    _temperature(state)
    if has_sliders(state):
        _value_sliders(state)
    else:
        st.info(
            f"{state.n} × {state.K} is too many numbers for sliders: they were generated "
            f"({core.PRESET_TITLES.get(state.preset, 'custom')}). Change the seed, or paste your own below.",
            icon=":material/tune:",
        )
    _paste_box(state)


def _value_range(state: LayerState) -> tuple[float, float]:
    """One range for every x and W slider: wide enough for all of the layer's numbers."""
    return _slider_range(np.concatenate([state.x, state.W.ravel()]))


# A slider is also given its value as its default (st.slider's 4th argument), which it shows only if Streamlit lost
# the key: without one, Streamlit looks through the whole session state for the key to learn whether
# the slider is a range (1.3 ms of a 3 × 5 rerun for six sliders). Slider identity ignores the default.
def _x_sliders(state: LayerState, lo: float, hi: float) -> None:
    for j in range(state.n):
        x = float(state.x[j])
        session.bind(f"ctl_x_{j}", x, st.slider, f"x{sub(j)}", lo, hi, x, step=STEP, on_change=_on_x(j))


def _value_sliders(state: LayerState) -> None:
    lo, hi = _value_range(state)
    with st.expander("Input x", expanded=True, icon=":material/input:"):
        _x_sliders(state, lo, hi)
    with st.expander("Weights W (column k feeds z_k)", expanded=True, icon=":material/grid_on:"):
        # A wrapping picker, not tabs: K tabs overflow a sidebar at K = 8, and every tab's sliders
        # would be built and sent on each move, K times the sliders anyone sees.
        k = st.pills(
            "Class k",
            range(state.K),
            required=True,
            default=0,
            format_func=lambda c: f"k={c}",
            key=f"ctl_W_class_{state.K}",  # a new K starts again at class 0
        )
        for j in range(state.n):
            w = float(state.W[j, k])
            session.bind(
                f"ctl_W_{j}_{k}",
                w,
                st.slider,
                f"W[{j},{k}]  (x{sub(j)} → z{sub(k)})",
                lo,
                hi,
                w,
                step=STEP,
                on_change=_on_w(j, k),
            )


def _paste_box(state: LayerState) -> None:
    box = folded(st.expander, "Use my own numbers", icon=":material/content_paste:", key="ctl_paste_box")
    if box is None:
        return
    with box:
        st.caption("Comma/space separated rows, or lists copied from NumPy. W: one row per input j (n × K).")
        with st.form("paste_form", border=False):
            # Inside a form: no per-widget callbacks; the submit button applies both.
            session.bind("ctl_paste_x", matrix_text(state.x), st.text_area, "x  (n numbers)", height=68)
            session.bind("ctl_paste_W", matrix_text(state.W), st.text_area, "W  (n rows × K columns)", height=140)
            st.form_submit_button("Use these numbers", on_click=_on_paste, width="stretch")
        if error := st.session_state.get(PASTE_ERROR_KEY):
            st.error(f"Not applied: {literal(error)}", icon=":material/error:")
        st.file_uploader(
            "Open a state file",
            type=["json"],
            key="ctl_state_file",
            on_change=_on_state_file,
            help="A state saved with “Download this state” (Explorer → Share this view).",
        )
