"""What the page's width watcher (ui.viewport) keeps of what a browser sends: it is data."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from ui.section import PLANS
from ui.viewport import MAX_CHARTS, PX_RANGE, accepted

PLAN_WIDTHS = [w for w, _ in PLANS]
ANY = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def test_a_measure_gives_the_plan_the_column_and_each_charts_width():
    measure = {"plan": 560, "main": 940.4, "charts": {"chart_output": 940, "chart_jacobian": 697.0}}
    assert accepted(measure, None, {}) == (560, 940, {"chart_output": 940, "chart_jacobian": 697})


def test_in_the_same_column_other_pages_charts_keep_their_widths_and_in_another_they_are_dropped():
    known = {"chart_output": 940, "lg_chart_triangle": 940}
    measure = {"plan": 560, "main": 940, "charts": {"chart_output": 940}}
    assert accepted(measure, 940, known)[2] == known  # back on the Explorer: the Loss page's chart kept
    measure = {"plan": 560, "main": 1200, "charts": {"chart_output": 1200}}
    assert accepted(measure, 940, known)[2] == {"chart_output": 1200}  # a resized window: only what was measured


@given(ANY, st.none() | st.integers(150, 3000))
def test_anything_sent_gives_only_a_known_plan_and_widths_in_range(measure, main):
    known = {"chart_output": 900}
    plan, column, widths = accepted(measure, main, known)
    assert plan is None or plan in PLAN_WIDTHS
    assert column is None or (isinstance(column, int) and PX_RANGE[0] <= column <= PX_RANGE[1])
    assert len(widths) <= MAX_CHARTS + len(known)
    for key, width in widths.items():
        assert isinstance(key, str) and key.replace("_", "").replace("-", "").isalnum() and key.isascii()
        assert isinstance(width, int) and PX_RANGE[0] <= width <= PX_RANGE[1]


def test_hostile_measures_are_dropped():
    bad_charts = {
        "<img src=x onerror=alert(1)>": 500,  # not a key
        "chart_output": True,  # not a width
        "chart_jacobian": math.nan,
        "chart_dzdw": 1e12,
        "chart_dpdw": "940",
    }
    assert accepted({"plan": 560, "main": 940, "charts": bad_charts}, None, {}) == (560, 940, {})
    many = {f"c{i}": 500 for i in range(MAX_CHARTS + 1)}
    assert accepted({"plan": 560, "main": 940, "charts": many}, None, {})[2] == {}
    assert accepted({"plan": 561, "main": "wide"}, 900, {"a": 900}) == (None, 900, {"a": 900})
    assert accepted(["plan", 560], 900, {"a": 900}) == (None, 900, {"a": 900})
