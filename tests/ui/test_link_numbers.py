"""Every link the app writes reopens the identical state and stays under LINK_MAX; bigger states go by file."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ui import link_numbers
from ui.link import parse_query, to_query
from ui.state import LayerState, state_from_preset

# Values a state can hold: the sliders' 0.01 grid, any float within ±10, and subnormals.
GRID = st.integers(-1000, 1000).map(lambda v: v / 100)
ANY = st.floats(-10, 10, allow_nan=False, allow_infinity=False)
TINY = st.floats(-1e-300, 1e-300, allow_nan=False, allow_subnormal=True)


@st.composite
def states(draw):
    n, K = draw(st.integers(1, 64)), draw(st.integers(2, 32))
    values = draw(st.sampled_from([GRID, ANY, TINY, st.one_of(GRID, TINY)]))
    x = draw(arrays(np.float64, n, elements=values))
    W = draw(arrays(np.float64, (n, K), elements=values))
    sel = (draw(st.integers(0, K - 1)), draw(st.integers(0, K - 1)), draw(st.integers(0, n - 1)))
    return LayerState(x=x, W=W, temperature=draw(st.floats(0.1, 10)), selected=sel, preset="custom")


def reopen(query: dict[str, str]) -> LayerState:
    """As a browser sends it back: urlencoded, then parsed."""
    text = urlencode(query)
    state, problems = parse_query({k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()})
    assert problems == []
    return state


@settings(max_examples=80, deadline=None)
@given(states())
def test_every_link_reopens_the_same_state_or_says_it_needs_a_file(state):
    query = to_query(state)
    assert len(urlencode(query)) <= link_numbers.QUERY_MAX
    if query.get("xw") == link_numbers.TOO_BIG:
        # Too many arbitrary numbers for a link: the state file carries them, exactly.
        file_query = link_numbers.read_state_file(link_numbers.state_file(to_query(state, full=True)))
        assert parse_query(file_query) == (state, [])
        assert parse_query(query)[1][0].fatal  # and a link that says "file" warns, never guesses
    else:
        assert reopen(query) == state


def test_the_largest_preset_needs_only_its_seed():
    state = state_from_preset("random", 64, 32, seed=7)
    query = to_query(state)
    assert "x" not in query and "xw" not in query and len(urlencode(query)) < 100
    assert reopen(query) == state


def test_slider_values_at_64_by_32_fit_a_link_packed():
    rng = np.random.default_rng(3)
    state = LayerState(
        x=np.round(rng.uniform(-3, 3, 64), 2), W=np.round(rng.uniform(-3, 3, (64, 32)), 2), preset="custom"
    )
    query = to_query(state)
    assert query["xw"].startswith("1c.") and len(urlencode(query)) <= link_numbers.QUERY_MAX
    assert reopen(query) == state


def test_old_text_links_keep_working():
    W = "0.1,0.2,0.3,0.4,0.5;0.6,0.7,0.8,0.9,0.1;0.11,0.12,0.13,0.14,0.15"
    old = {"n": "3", "K": "5", "x": "0.1,0.5,0.4", "W": W, "T": "1", "sel": "0,0,1", "preset": "blog"}
    state, problems = parse_query(old)
    assert problems == [] and state.W[2, 4] == 0.15


@pytest.mark.parametrize(
    "content", [b"not json", b'{"format": "other"}', b'{"format": "softmax-layer-explorer/state"}']
)
def test_a_bad_state_file_is_named(content):
    with pytest.raises(ValueError, match="state file"):
        link_numbers.read_state_file(content)
