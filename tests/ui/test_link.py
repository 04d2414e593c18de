"""Share-link encoding (ui.link): exact round trips, one table for every parameter, and hand-edited
links that never raise but say, field by field, what was wrong."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from ui.link import (
    DERIVATION_STEPS,
    LAYER_KEYS,
    LOSS_SECTIONS,
    LR_OPTIONS,
    NUDGE_OPTIONS,
    PARAMS,
    PRESENT_SLIDES,
    Problem,
    default_target,
    parse_query,
    read_number,
    read_setting,
    read_whole,
    snap_lr,
    to_query,
)
from ui.state import LayerState, default_state, state_from_preset

REPO_ROOT = Path(__file__).resolve().parents[2]
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
    assert all(isinstance(w, Problem) and w.field in PARAMS for w in warnings)
    assert all(isinstance(w.message, str) and len(w.message) < 400 for w in warnings)
    assert all(f"'{w.field}'" in w.message for w in warnings)
    # Whatever was wrong, the state is usable.
    assert np.all(np.isfinite(state.x)) and np.all(np.isfinite(state.W))
    assert state.W.shape == (state.n, state.K) and 2 <= state.K <= 32 and 1 <= state.n <= 64
    assert 0.1 <= state.temperature <= 10
    t, i, j = state.selected
    assert 0 <= t < state.K and 0 <= i < state.K and 0 <= j < state.n


def test_a_bad_field_keeps_the_good_ones():
    good = to_query(state_from_preset("random", 4, 6, seed=3))
    state, warnings = parse_query(good | {"T": "hot"})
    assert len(warnings) == 1 and "'T'" in warnings[0].message
    assert warnings[0].field == "T" and not warnings[0].fatal
    assert state.W.shape == (4, 6) and state.temperature == 1.0


# ---------------------------------------------------------------- structured problems


@pytest.mark.parametrize(
    ("query", "field", "fatal", "words"),
    [
        ({"T": "hot"}, "T", False, "must be a number in [0.1, 10]"),
        ({"sel": "9,9,9"}, "sel", False, "does not fit"),
        ({"classroom": "maybe"}, "classroom", False, "must be 1 or 0"),
        ({"preset": "<script>"}, "preset", False, "is not one of"),
        ({"n": "2", "K": "2", "xw": "1f.AAAA"}, "xw", True, "damaged"),
        ({"n": "2", "K": "2", "xw": "file"}, "xw", True, "state file"),
        ({"n": "banana"}, "n", True, "sizes need numbers"),
        ({"x": "1,2,zz", "W": "1;2"}, "x", True, "value 3"),
        ({"x": "1,2", "W": "1,2;3"}, "W", True, "rows of different lengths"),
        ({"x": "1,2", "W": "1,2;3,4", "K": "3"}, "K", True, "does not match"),
        ({"x": "0.5"}, "W", True, "is missing"),
        ({"preset": "random", "n": "1000"}, "n", True, "1…64"),
    ],
)
def test_problems_name_the_field_and_say_if_the_numbers_were_lost(query, field, fatal, words):
    state, problems = parse_query(query)
    assert [(p.field, p.fatal) for p in problems] == [(field, fatal)]
    (problem,) = problems
    assert problem.given == query.get(field, "")  # the text as given ("" when it is missing)
    assert words in problem.reason
    assert problem.message.startswith(f"Link parameter '{field}' = ")
    assert problem.used in problem.message
    if fatal:
        assert "blog's example" in problem.used
        assert state.n == 3 and state.K == 5  # the numbers fell back to the blog's example
        np.testing.assert_array_equal(state.W, core.BLOG_W)


def test_a_long_given_text_is_cut_in_the_message():
    _, (problem,) = parse_query({"T": "9" * 500})
    assert problem.given == "9" * 500 and "9" * 40 + "…" in problem.message and len(problem.message) < 200


# ---------------------------------------------------------------- the PARAMS table


def page_settings() -> dict[str, set[str]]:
    """Each page's settings, as its source binds them (``session.bind_setting("name", …)``, ``stepper.contents``)."""
    found = {}
    for path in sorted((REPO_ROOT / "pages").glob("*.py")):
        if path.stem != "__init__":
            source = path.read_text(encoding="utf-8")  # ui.stepper.contents binds its step setting too
            found[path.stem] = set(re.findall(r"(?:bind_setting|stepper\.contents)\(\s*\"(\w+)\"", source))
    return found


def test_every_linked_page_setting_is_in_the_table_with_its_page():
    pages = page_settings()
    assert set(pages) == {"explorer", "derivation", "loss", "conventions", "batch", "present"}
    for page, names in pages.items():
        for name in names - {"source"}:  # the Batch page's input source is kept for the session only
            assert name in PARAMS, (page, name)
            assert page in PARAMS[name].pages, (page, name)
    for name, param in PARAMS.items():
        for page in param.pages:
            assert name in pages[page], (name, page)
    assert set(LAYER_KEYS) == {name for name, p in PARAMS.items() if not p.pages}
    assert "source" not in PARAMS  # a pasted batch is not part of the link


SETTING_VALUES = {
    "target": st.integers(0, 1),
    "loss": st.sampled_from(core.LOSSES),
    "lr": st.sampled_from(LR_OPTIONS),
    "focus": st.sampled_from(LOSS_SECTIONS),
    "N": st.integers(1, 32),
    "bseed": st.integers(0, 2**31 - 1),
    "order": st.sampled_from(core.ORDERS),
    "step": st.sampled_from(DERIVATION_STEPS),
    "slide": st.sampled_from(PRESENT_SLIDES),
    "eps": st.sampled_from(NUDGE_OPTIONS),
}


@settings(max_examples=40, deadline=None)
@given(states(), st.sampled_from(sorted(page_settings())), st.integers(0, 2**31 - 1), st.data())
def test_to_query_writes_only_table_parameters_and_they_read_back(state, page, seed, data):
    if data.draw(st.booleans()):
        state = state_from_preset("random", state.n, state.K, seed, base=state)
    names = sorted(page_settings()[page] & set(PARAMS))
    page_values = {name: data.draw(SETTING_VALUES[name]) for name in names}
    q = to_query(state, page_values)
    assert set(q) <= set(PARAMS)
    assert all(isinstance(v, str) for v in q.values())
    back, problems = parse_query(q)
    assert problems == [] and back == state
    p = core.softmax(state.W.T @ state.x, state.temperature)
    for name, value in page_values.items():
        assert read_setting(name, q[name], K=state.K, p=p) == (value, None)


# ---------------------------------------------------------------- page settings (read_setting)


P = core.softmax(core.BLOG_W.T @ core.BLOG_X)


def test_default_target_is_not_the_argmax():
    assert default_target(P) != int(np.argmax(P))
    assert default_target(np.array([0.1, 0.9])) == 0


@pytest.mark.parametrize("text", ["banana", "", "99", "-1", "1.5", "5", "1_0"])
def test_bad_target_falls_back_with_a_warning(text):
    value, problem = read_setting("target", text, K=5, p=P)
    assert value == default_target(P) and problem and "target" in problem.message
    assert problem.field == "target" and "0…4" in problem.reason and not problem.fatal


def test_good_settings_pass_through():
    assert read_setting("target", "4", K=5, p=P) == (4, None)
    assert read_setting("loss", "mse") == ("mse", None)
    assert read_setting("lr", "0.05") == (0.05, None)
    assert read_setting("lr", "0.06") == (0.05, None)  # snapped to the log-scale option
    assert read_setting("target", None, K=5, p=P) == (default_target(P), None)
    assert read_setting("N", "12") == (12, None)
    assert read_setting("bseed", "42") == (42, None)
    assert read_setting("order", "input_major") == ("input_major", None)


def test_absent_settings_take_the_table_default():
    assert read_setting("loss", None) == ("cross_entropy", None)
    assert read_setting("lr", None) == (0.5, None)
    assert read_setting("N", None) == (8, None)
    assert read_setting("bseed", None) == (0, None)
    assert read_setting("order", None) == ("class_major", None)


@pytest.mark.parametrize("text", ["-1", "0", "nan", "inf", "x", "100"])
def test_bad_lr_falls_back(text):
    value, problem = read_setting("lr", text)
    assert value in LR_OPTIONS and problem and "'lr'" in problem.message


def test_lr_snaps_on_a_log_scale():
    assert snap_lr(0.06) == 0.05 and snap_lr(0.08) == 0.1 and snap_lr(7) == 5.0 and snap_lr(8) == 10.0


def test_bad_loss_falls_back():
    value, problem = read_setting("loss", "banana")
    assert value == "cross_entropy"
    assert "banana" in problem.message and "'loss'" in problem.message


def test_batch_size_and_seed():
    for bad in ("1000", "0", "-3", "many", "2.0"):
        value, problem = read_setting("N", bad)
        assert value == 8 and "'N'" in problem.message
    value, problem = read_setting("bseed", "-1")
    assert value == 0 and "'bseed'" in problem.message


@pytest.mark.parametrize(
    ("text", "order", "warns"),
    [
        (None, "class_major", False),
        ("input_major", "input_major", False),
        (" class_major ", "class_major", False),
        ("rows", "class_major", True),
        ("x" * 500, "class_major", True),
    ],
)
def test_read_order(text, order, warns):
    got, problem = read_setting("order", text)
    assert got == order and (problem is not None) == warns
    if problem:
        assert "order" in problem.message and len(problem.message) < 200


# ---------------------------------------------------------------- number readers


@pytest.mark.parametrize(
    ("text", "value"),
    [("−0.5", -0.5), ("-0.5", -0.5), ("+2", 2.0), (" 1e-3 ", 0.001), (".5", 0.5), ("3.", 3.0), ("−1E2", -100.0)],
)
def test_read_number_accepts_what_people_write(text, value):
    assert read_number(text) == value


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1_0", "is not a number"),
        ("0x10", "is not a number"),
        ("nan", "is not a number"),
        ("inf", "is not a number"),
        ("", "is not a number"),
        ("1e400", "too large"),
        ("١٢", "is not a number"),
    ],
)
def test_read_number_refuses_with_a_reason(text, words):
    with pytest.raises(ValueError, match=words):
        read_number(text)


def test_read_number_explains_a_decimal_comma():
    with pytest.raises(ValueError, match="decimal comma") as caught:
        read_number("0,5")
    message = str(caught.value)
    assert "point" in message and "decimal" in message and "'0,5'" in message


def test_read_whole():
    assert read_whole(" 7 ", 0, 9) == 7 and read_whole("−3", -5, 5) == -3
    for bad in ("1_0", "2.0", "1e1", "10", "", "seven"):
        with pytest.raises(ValueError, match="whole number in 0…9"):
            read_whole(bad, 0, 9)


def test_a_repeated_parameter_is_named_not_silently_resolved():
    state, problems = parse_query({"T": ["nan", "2"]})
    assert state.temperature == 2.0
    assert [(p.field, p.fatal) for p in problems] == [("T", False)] and "2 times" in problems[0].reason


@pytest.mark.parametrize(
    ("query", "used"),
    [
        ({"preset": "nope"}, "showing the blog's example"),  # no numbers of its own: the blog's are shown
        ({"preset": "nope", "n": "4", "K": "3"}, "showing the blog's example"),
        ({"preset": "nope", "x": "1,2", "W": "1,2;3,4"}, "shown as custom numbers"),  # its own numbers, shown
        ({"preset": "nope", "x": "1,2", "W": "1,2,3"}, "showing the blog's example"),  # its numbers do not fit
    ],
)
def test_a_bad_preset_says_what_is_shown_instead(query, used):
    state, problems = parse_query(query)
    (problem,) = [p for p in problems if p.field == "preset"]
    assert problem.used == used
    assert (state.preset == "custom") == (used == "shown as custom numbers")
