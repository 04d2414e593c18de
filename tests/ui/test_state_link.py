"""Share-link encoding: exact round trips, and hand-edited links that never raise."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from ui.state import LayerState, default_state, parse_query, state_from_preset, to_query

finite = st.floats(-10, 10, allow_nan=False, allow_infinity=False)


@st.composite
def states(draw):
    n = draw(st.integers(1, 8))
    K = draw(st.integers(2, 8))
    x = np.array(draw(st.lists(finite, min_size=n, max_size=n)))
    W = np.array(draw(st.lists(st.lists(finite, min_size=K, max_size=K), min_size=n, max_size=n)))
    T = draw(st.floats(0.1, 10))
    sel = (draw(st.integers(0, K - 1)), draw(st.integers(0, K - 1)), draw(st.integers(0, n - 1)))
    return LayerState(x=x, W=W, temperature=T, selected=sel, preset="custom", classroom=draw(st.booleans()))


@settings(max_examples=60, deadline=None)
@given(states())
def test_link_round_trips_exactly(state):
    back, warnings = parse_query(to_query(state))
    assert warnings == []
    assert back == state  # bit-for-bit: float64 written with the shortest round-trip text


def test_default_is_the_blog():
    state, warnings = parse_query({})
    assert warnings == [] and state == default_state()
    np.testing.assert_array_equal(state.x, core.BLOG_X)
    np.testing.assert_array_equal(state.W, core.BLOG_W)


def test_largest_state_round_trips():
    state = state_from_preset("random", 64, 32, seed=7)
    back, warnings = parse_query(to_query(state))
    assert warnings == [] and back == state


HOSTILE = [
    {"n": "banana"},
    {"x": "1,2,3", "W": "1,2;3,4"},  # x does not fit W
    {"x": "nan,1", "W": "1,2;3,4"},
    {"x": "inf,1", "W": "1,2;3,4"},
    {"x": "1e308,1", "W": "1,2;3,4"},
    {"x": "1,2", "W": "1,2;3"},  # ragged W
    {"x": "1", "W": "1"},  # K = 1
    {"n": "1000", "K": "5", "preset": "random"},
    {"T": "0"},
    {"T": "-3"},
    {"T": "nan"},
    {"sel": "9,9,9"},
    {"sel": "a,b"},
    {"preset": "<script>alert(1)</script>"},
    {"seed": "-1", "preset": "random"},
    {"x": "1," * 40_000, "W": "1"},  # huge
    {"x": "", "W": ""},
    {"n": "3", "K": "5", "x": "0.1,0.5,0.4", "W": "0.1,0.2;0.3,0.4;0.5,0.6"},  # K mismatch
]


@pytest.mark.parametrize("query", HOSTILE, ids=[str(i) for i in range(len(HOSTILE))])
def test_hostile_links_warn_and_fall_back(query):
    state, warnings = parse_query(query)
    assert warnings, f"no warning for {query!r}"
    assert all(isinstance(w, str) and len(w) < 400 for w in warnings)
    # Whatever was wrong, the state is usable.
    assert np.all(np.isfinite(state.x)) and np.all(np.isfinite(state.W))
    assert state.W.shape == (state.n, state.K) and 2 <= state.K <= 32 and 1 <= state.n <= 64
    assert 0.1 <= state.temperature <= 10
    t, i, j = state.selected
    assert 0 <= t < state.K and 0 <= i < state.K and 0 <= j < state.n


def test_a_bad_field_keeps_the_good_ones():
    good = to_query(state_from_preset("random", 4, 6, seed=3))
    state, warnings = parse_query(good | {"T": "hot"})
    assert len(warnings) == 1 and "'T'" in warnings[0]
    assert state.W.shape == (4, 6) and state.temperature == 1.0
