"""ui.figures.common: formatting helpers, limits, tick thinning, cell outlines."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ui.figures.common import (
    DIVERGING,
    apply_base_layout,
    cell_rect,
    cell_text_allowed,
    fmt,
    sub,
    sub_pair,
    symmetric_limit,
    tick_values,
)


def test_sub_gives_unicode_subscripts():
    assert sub(12) == "₁₂"
    assert sub(0) == "₀"
    assert sub_pair(2, 3) == "₂₃"
    assert sub_pair(2, 12) == "₂,₁₂"


def test_fmt_three_significant_digits_and_unicode_minus():
    assert fmt(0.21698333) == "0.217"
    assert fmt(-0.04142) == "−0.0414"
    assert fmt(0) == "0"
    assert fmt(1.4e-17, 2) == "1.4e-17"
    assert fmt(-1e-5) == "−1e-5"


def test_diverging_scale_is_centred_white_and_positive_red():
    positions = [p for p, _ in DIVERGING]
    assert positions == sorted(positions) and positions[0] == 0 and positions[-1] == 1
    mid = dict(DIVERGING)[0.5]
    assert mid == "rgb(247,247,247)"
    r, g, b = (int(c) for c in DIVERGING[-1][1][4:-1].split(","))
    assert r > b  # positive end is red
    r, g, b = (int(c) for c in DIVERGING[0][1][4:-1].split(","))
    assert b > r  # negative end is blue


def test_symmetric_limit():
    assert symmetric_limit(np.array([1.0, -3.0]), np.array([[2.0]])) == 3.0
    assert symmetric_limit(np.zeros(4)) == 1.0  # never 0, so a colour range stays valid
    assert symmetric_limit(np.array([1e-17, -2e-17])) == 2e-17


@given(st.integers(0, 5000), st.integers(1, 40))
def test_tick_values_thin_evenly_and_start_at_zero(count, max_ticks):
    ticks = tick_values(count, max_ticks)
    assert len(ticks) <= max(max_ticks, 0) and all(0 <= t < count for t in ticks)
    if count:
        assert ticks[0] == 0
        assert len(set(np.diff(ticks))) <= 1  # evenly stepped
    if count <= max_ticks:
        assert ticks == list(range(count))


def test_cell_text_allowed_only_for_small_matrices():
    assert cell_text_allowed(5, 5)
    assert cell_text_allowed(10, 20)
    assert not cell_text_allowed(5, 15 * 5)


def test_cell_rect_surrounds_the_cell():
    fig = go.Figure(go.Heatmap(z=np.zeros((3, 4))))
    fig.add_shape(cell_rect(2, 1, xref="x", yref="y"))
    shape = fig.layout.shapes[-1]
    assert (shape.x0, shape.x1, shape.y0, shape.y1) == (0.5, 1.5, 1.5, 2.5)
    assert shape.xref == "x" and shape.yref == "y" and shape.line.width >= 3


def test_apply_base_layout_scales_fonts_and_rejects_bad_size():
    fig = apply_base_layout(go.Figure(), title="t", font_size=24, height=500)
    assert fig.layout.font.size == 24 and fig.layout.hoverlabel.font.size == 24
    assert fig.layout.title.text == "t" and fig.layout.height == 500
    with pytest.raises(ValueError, match="font_size"):
        apply_base_layout(go.Figure(), title="t", font_size=0)
