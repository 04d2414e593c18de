"""``ui.memo.by_value``: the remembered result is always the one the function gives for those values."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ui import link_numbers, paste, text
from ui.memo import by_value

matrices = hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=5), elements=st.floats(-1e6, 1e6))


@settings(max_examples=60, deadline=None)
@given(st.lists(matrices, min_size=1, max_size=6), st.floats(0.05, 20))
def test_remembered_text_is_the_text_for_those_numbers(Ms, T):
    """Against the functions' own undecorated bodies, in any order and with repeats (hits and misses)."""
    for M in Ms + Ms[::-1]:
        assert text.matrix_text(M) == text._matrix_text.__wrapped__(np.atleast_2d(M))
        x = M[:, 0].copy()
        assert paste._array_code(M) == paste._array_code.__wrapped__(M)
        assert link_numbers.text_form(x, M) == dict(link_numbers._text_form.__wrapped__(x, M))
        assert link_numbers.numbers_form(x, M, 300) == dict(link_numbers._numbers_form.__wrapped__(x, M, 300))


def test_keyed_by_value_not_by_object():
    calls = []

    @by_value(maxsize=2)
    def f(a, t=1.0):
        calls.append(1)
        return f"{a.tolist()} {t!r}"

    a = np.array([0.5, 1.0])
    assert f(a) == f(a.copy()) and len(calls) == 1  # a fresh array with the same numbers hits
    a[0] = 2.0  # the same object with new numbers misses
    assert f(a) == "[2.0, 1.0] 1.0" and len(calls) == 2
    assert f(np.array([0.0])) != f(np.array([-0.0]))  # equal as floats, written differently
    assert f(a, t=-0.0) == "[2.0, 1.0] -0.0" and f(a, t=0.0) == "[2.0, 1.0] 0.0"
    assert f(a.astype(np.float32)) == "[2.0, 1.0] 1.0"  # a dtype is part of the key (and may print alike)


def test_at_most_maxsize_results_are_kept():
    calls = []

    @by_value(maxsize=2)
    def f(k):
        calls.append(k)
        return k

    for k in (1, 2, 1, 3, 1, 2):  # 2 is dropped when 3 comes (1 was used more recently)
        f(k)
    assert calls == [1, 2, 3, 2]


def test_an_argument_that_could_change_unseen_is_not_remembered():
    """Objects other than arrays, numbers, text and containers of them are never keyed by identity."""
    calls = []

    class Box:
        def __init__(self, v):
            self.v = v

    @by_value()
    def f(box):
        calls.append(1)
        return box.v

    box = Box(1)
    assert f(box) == 1
    box.v = 2
    assert f(box) == 2 and len(calls) == 2
    cells = np.array([box], dtype=object)  # an object array changes with its objects
    assert f(Box(cells)) is cells and len(calls) == 3
    assert by_value()(lambda a: a[0].v)(cells) == 2  # refused as a key, so run: no error, no memory
