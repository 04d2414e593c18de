"""ui.figures.output: logits and probabilities as bars, with ∑p and T in the title."""

from __future__ import annotations

import numpy as np
import pytest

import core
from ui.figures.common import (
    BAR_COLOR,
    DESKTOP_FIGURE_WIDTH,
    NARROWEST_FIGURE_WIDTH,
    SELECTED_COLOR,
    label_extent,
    planned_for,
    planned_top,
)
from ui.figures.output import output_bars


def blog():
    return core.forward(core.BLOG_X, core.BLOG_W)


def test_bars_hold_z_and_p_for_each_class():
    z, p = blog()
    fig = output_bars(z, p)
    zb, pb = fig.data
    np.testing.assert_array_equal(np.asarray(zb.y), z)
    np.testing.assert_array_equal(np.asarray(pb.y), p)
    assert list(zb.x) == [f"class {k}" for k in range(5)]
    assert zb.xaxis == "x" and pb.xaxis == "x2"  # two plots, not overlaid


def test_z_and_p_sit_side_by_side_on_a_desktop_and_one_above_the_other_on_a_phone():
    z, p = blog()
    with planned_for(DESKTOP_FIGURE_WIDTH):
        wide = output_bars(z, p).layout
    with planned_for(NARROWEST_FIGURE_WIDTH):
        narrow = output_bars(z, p).layout
    assert wide.xaxis.domain[1] < wide.xaxis2.domain[0] and tuple(wide.yaxis.domain) == tuple(wide.yaxis2.domain)
    assert tuple(narrow.xaxis.domain) == tuple(narrow.xaxis2.domain) == (0.0, 1.0)
    assert narrow.yaxis2.domain[1] < narrow.yaxis.domain[0]  # z on top, p under it
    assert narrow.height > wide.height
    # each plot's caption ("z = Wᵀx", "p = softmax(z)") sits centred over its own plot. Anchored
    # "auto", Plotly set the left one by its left end at that point, the right one by its right end.
    for layout in (wide, narrow):
        for a, (x, y) in zip(layout.annotations, (("xaxis", "yaxis"), ("xaxis2", "yaxis2")), strict=True):
            assert a.x == pytest.approx(sum(layout[x].domain) / 2) and a.y == pytest.approx(layout[y].domain[1])
            assert a.xanchor == "center" and a.yanchor == "bottom"


def test_value_labels_are_three_significant_digits():
    z, p = blog()
    fig = output_bars(z, p)
    assert list(fig.data[1].text) == ["0.191", "0.204", "0.217", "0.231", "0.157"]  # the blog's h
    assert list(fig.data[0].text) == ["0.354", "0.418", "0.482", "0.546", "0.160"]  # "0.160": one precision
    # trailing zeros kept, whatever the numbers: every label has three significant digits
    fig = output_bars(np.array([1.0, 0.1, -2.0, 0.25]), core.softmax(np.array([1.0, 0.1, -2.0, 0.25])))
    assert list(fig.data[0].text) == ["1.00", "0.100", "−2.00", "0.250"]


def test_no_labels_above_twelve_classes():
    z = np.linspace(-2, 2, 13)
    fig = output_bars(z, core.softmax(z))
    assert fig.data[0].text is None and fig.data[1].text is None


def test_title_states_sum_from_p_and_temperature():
    z, p = blog()
    assert "∑p = 1.000" in output_bars(z, p).layout.title.text
    assert "T" not in output_bars(z, p).layout.title.text
    p2 = core.softmax(z, 2.0)
    assert "T = 2" in output_bars(z, p2, 2.0).layout.title.text
    bad = p * 0.9  # the sum is computed from p, so a broken p shows
    assert "∑p = 0.900" in output_bars(z, bad).layout.title.text


def test_selected_class_is_highlighted_in_both_panels():
    z, p = blog()
    fig = output_bars(z, p, selected_class=2)
    for bars in fig.data:
        colors = list(bars.marker.color)
        assert colors[2] == SELECTED_COLOR
        assert colors[:2] + colors[3:] == [BAR_COLOR] * 4


def test_font_size_scales_text():
    z, p = blog()
    fig = output_bars(z, p, font_size=24)
    assert fig.layout.font.size == 24 and fig.data[0].textfont.size == 24
    with planned_for(DESKTOP_FIGURE_WIDTH):
        assert output_bars(z, p, font_size=24).layout.height > output_bars(z, p).layout.height


def test_bad_input_raises_value_error():
    z, p = blog()
    with pytest.raises(ValueError, match="same length"):
        output_bars(z[:4], p)
    with pytest.raises(ValueError, match="selected_class"):
        output_bars(z, p, selected_class=5)
    with pytest.raises(ValueError, match="NaN"):
        output_bars(np.array([np.nan, 1.0]), np.array([0.5, 0.5]))


def test_sizes_follow_font_and_height_argument():
    z = np.linspace(-3, 3, 32)
    fig = output_bars(z, core.softmax(z), font_size=24, height=640)
    assert fig.layout.height - fig.layout.margin.t == 640 - planned_top(24)  # the plot keeps the height planned
    ticks = [int(t) for t in fig.layout.xaxis.ticktext]
    assert ticks[0] == 0 and len(set(np.diff(ticks))) == 1  # 32 classes: bare indices, evenly thinned
    assert len(fig.to_json()) < 100_000


@pytest.mark.parametrize("K", [9, 32, 64])
def test_many_class_labels_fit_across_the_plot_on_a_phone(K):
    z = np.linspace(-3, 3, K)
    fig = output_bars(z, core.softmax(z), font_size=14)  # planned for a phone: the plots one under another
    labels = list(fig.layout.xaxis.ticktext)
    width = NARROWEST_FIGURE_WIDTH - fig.layout.margin.l - fig.layout.margin.r
    # Level labels, each as wide as the longest plus a character's gap: they all fit across the plot.
    assert len(labels) * label_extent(labels) * 14 <= width
    assert len(labels) >= 4  # still enough to count along
