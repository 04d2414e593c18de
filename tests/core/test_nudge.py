"""core.nudge: the derivative predicts a second forward pass, with an error that shrinks like ε²."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import core
from tests.core.core_strategies import PROPERTY, layers


def _which(draw_data, x, W, what):
    n, K = W.shape
    j = draw_data.draw(st.integers(0, n - 1))
    return ("W", j, draw_data.draw(st.integers(0, K - 1))) if what == "W" else ("x", j)


@PROPERTY
@given(layers(bound=2.0), st.sampled_from(["W", "x"]), st.data())
def test_the_prediction_matches_to_first_order_and_the_error_falls_like_eps_squared(layer, what, data):
    x, W = layer
    which = _which(data, x, W, what)
    small = core.nudge(x, W, 1.0, which, 1e-4)
    assume(np.abs(small.predicted).max() > 1e-7)  # a (near-)zero derivative has no relative error to speak of
    assert small.relative_error < 1e-3
    e2, e3 = (float(np.abs(core.nudge(x, W, 1.0, which, eps).error).max()) for eps in (1e-2, 1e-3))
    assert e3 * 50 <= e2 or e2 < 1e-13  # ε² would be 100×; below 1e-13 rounding is all there is


def test_the_measured_change_comes_from_a_second_forward_pass():
    x, W = core.BLOG_X, core.BLOG_W
    nd = core.nudge(x, W, 1.0, ("W", 1, 0), 0.5)
    W2 = W.copy()
    W2[1, 0] += 0.5
    z2 = W2.T @ x
    p2 = np.exp(z2 - z2.max()) / np.exp(z2 - z2.max()).sum()  # independent of core
    np.testing.assert_allclose(nd.p_after, p2, rtol=1e-14)
    v = core.layer_values(x, W)
    np.testing.assert_allclose(nd.predicted, v.product[:, core.column_of(0, 1, 3)] * 0.5, rtol=1e-14)


def test_the_blog_numbers_meet_the_issue_thresholds():
    for which in (("W", 1, 0), ("W", 2, 3), ("x", 0), ("x", 2)):
        assert core.nudge(core.BLOG_X, core.BLOG_W, 1.0, which, 1e-4).relative_error < 1e-3
        e2, e3 = core.nudge_curve(core.BLOG_X, core.BLOG_W, 1.0, which, (1e-2, 1e-3))
        assert e2 / e3 >= 50


@pytest.mark.parametrize(
    "which, eps",
    [(("W", 3, 0), 0.1), (("W", 0, 5), 0.1), (("x", 3), 0.1), (("y", 0), 0.1), (("W", 0, 0), 0.0), (("x", 0), np.nan)],
)
def test_bad_input_raises_naming_it(which, eps):
    with pytest.raises(ValueError, match="which|eps"):
        core.nudge(core.BLOG_X, core.BLOG_W, 1.0, which, eps)
