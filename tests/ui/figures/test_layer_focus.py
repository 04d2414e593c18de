"""A big layer's dp/dW: the overview in colour levels, and a class block magnified with exact values."""

from __future__ import annotations

import re

import numpy as np
import plotly.io as pio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from tests.ui.figures.bars import assert_under_axis
from ui.figures.common import DESKTOP_FIGURE_WIDTH, NARROWEST_FIGURE_WIDTH, planned_for
from ui.figures.layer_focus import (
    BLOCK_CLICK_CURVES,
    DECADES,
    LEVELS,
    block_click,
    layer_block,
    layer_overview,
    needs_focus,
    overview_click,
    quantized,
)
from ui.section import wire_spec


def _layer(n, K, seed=1):
    rng = np.random.default_rng(seed)
    x, W = rng.uniform(-3, 3, n), rng.uniform(-3, 3, (n, K))
    return x, core.layer_values(x, W, 1.0)


def test_only_big_layers_need_the_focus():
    assert not needs_focus(3, 5) and not needs_focus(8, 8)
    assert needs_focus(64, 32)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=50))
def test_levels_keep_order_and_sign_and_span_the_bar(values):
    M = np.array(values)
    limit = max(float(np.max(np.abs(M))), 1e-12)
    q = quantized(M, limit)
    assert q.dtype == np.int8 and np.all(np.abs(q) <= LEVELS)
    np.testing.assert_array_equal(quantized(-M, limit), -q)  # a sign flips the colour, nothing else
    order = np.argsort(M, kind="stable")
    assert np.all(np.diff(q[order].astype(int)) >= 0)  # a larger entry is never a paler red
    visible = np.abs(M) >= limit * 1e-5  # down to 10⁻⁵ of the largest entry, the sign shows
    assert np.all(np.sign(q[visible]) == np.sign(M[visible]))
    assert np.abs(q).max() == LEVELS or limit == 1e-12  # the largest entry takes the full colour


def test_each_decade_below_the_largest_takes_a_quarter_of_the_bar():
    limit = 0.43
    decades = quantized(limit * 10.0 ** -np.arange(DECADES + 1), limit).astype(int)
    assert decades[0] == LEVELS and decades[-1] > 0
    np.testing.assert_allclose(-np.diff(decades[:-1]), LEVELS / DECADES, atol=2)


def test_overview_at_64x32_is_small_shows_every_entry_and_its_colour_bar_reads_in_real_units():
    x, v = _layer(64, 32)
    fig = layer_overview(v.product, 64, selected=(3, 5, 7))
    spec = wire_spec(fig, "dark")
    assert len(pio.json.to_json_plotly(spec)) < 150_000  # 65,536 entries in one byte each
    with planned_for(DESKTOP_FIGURE_WIDTH):  # upright beside the plot: every label (flat, see below)
        bar = layer_overview(v.product, 64).data[0].colorbar
    limit = float(np.max(np.abs(v.product)))
    assert float(bar.ticktext[-1]) == pytest.approx(limit, rel=0.01)
    # halfway up the bar is a hundredth of the largest entry: the scale is a log one, and says so
    assert bar.tickvals[3] == pytest.approx(LEVELS / 2, abs=1) and float(bar.ticktext[3]) == pytest.approx(
        limit / 100, rel=0.01
    )
    assert "log scale" in fig.layout.title.subtitle.text.replace("<br>", " ")
    # dp/dW is dense: in the app's random 64 × 32 layer the entries have colours of their own sign
    # (a linear scale left 90 % of them white)
    pre = core.make_preset("random", 64, 32, 1)
    dense = core.layer_values(pre.x, pre.W).product
    shown = np.asarray(layer_overview(dense, 64).data[0].z, dtype=float)
    assert np.mean(np.sign(shown) == np.sign(dense)) > 0.98  # the rest are under 10⁻⁵ of the largest
    magnified = [s for s in fig.layout.shapes if s.name == "magnified block"]
    assert len(magnified) == 1 and (magnified[0].x0, magnified[0].x1) == (5 * 64 - 0.5, 6 * 64 - 0.5)


def test_overview_markers_map_back_to_their_block():
    K, n = 32, 64
    x, v = _layer(n, K)
    fig = layer_overview(v.product, n)
    markers = fig.data[1]
    for t, i in [(0, 0), (3, 5), (31, 31)]:
        index = t * K + i
        assert overview_click({"curve_number": 1, "point_index": index}, K) == (t, i)
        assert markers.y[index] == t and markers.customdata[index] == i
        assert i * n <= markers.x[index] < (i + 1) * n  # inside block i
    assert overview_click({"curve_number": 0, "point_index": 0}, K) is None
    assert overview_click({"curve_number": 1, "point_index": K * K}, K) is None


def test_block_holds_exactly_the_blocks_columns_and_clicks_map_back():
    K, n, i = 32, 64, 5
    x, v = _layer(n, K)
    fig = layer_block(x, v.p, v.product, v.shortcut, block=i, selected=(3, i, 7))
    product, shortcut, diff = fig.data[:3]
    block = v.product[:, i * n : (i + 1) * n]
    limit = float(np.max(np.abs(block)))
    visible = np.abs(block) >= limit * 1e-5  # this layer's softmax is saturated: most entries are ~1e-60
    for trace in (product, shortcut):  # colour levels of the block's own range
        shown = np.asarray(trace.z, dtype=float)
        assert np.all(np.sign(shown[visible]) == np.sign(block[visible])) and np.abs(shown).max() == LEVELS
    assert float(fig.layout.coloraxis.colorbar.ticktext[-1]) == pytest.approx(limit, rel=0.01)
    np.testing.assert_array_equal(np.asarray(diff.z, dtype=float), 0.0)  # the shortcut equals the product
    assert "agree" in fig.layout.title.text
    for curve in BLOCK_CLICK_CURVES:
        markers = fig.data[curve]
        index = 3 * n + 7
        assert (markers.y[index], markers.x[index]) == (3, 7)
        # this layer has 1e-68s, which float32 would show as 0: its hovers carry them as 4-digit text
        assert markers.customdata[index] == f"{v.product[3, i * n + 7]:.4g}".replace("-", "−")
        assert "e−" in "".join(markers.customdata)
        assert block_click({"curve_number": curve, "point_index": index}, n, K, i) == (3, i, 7)
    assert block_click({"curve_number": 0, "point_index": 0}, n, K, i) is None
    assert len([s for s in fig.layout.shapes if s.name == "selected"]) == 3
    assert len(pio.json.to_json_plotly(wire_spec(fig, "light"))) < 100_000


def test_only_a_clickable_figure_asks_for_a_click():
    x, v = _layer(8, 32)
    for build in (
        lambda **k: layer_overview(v.product, 8, **k),
        lambda **k: layer_block(x, v.p, v.product, v.shortcut, block=2, **k),
    ):
        assert re.search(r"click (to|a) ", build().to_json())
        assert not re.search(r"click (to|a) ", build(clickable=False).to_json())


def test_block_says_differ_for_a_wrong_shortcut():
    x, v = _layer(64, 32)
    fig = layer_block(x, v.p, v.product, v.shortcut + 0.1, block=0)
    assert "DIFFER" in fig.layout.title.text


def test_bad_block_is_a_value_error():
    x, v = _layer(4, 3)
    with pytest.raises(ValueError, match="block"):
        layer_block(x, v.p, v.product, v.shortcut, block=3)


@settings(max_examples=30, deadline=None)
@given(st.floats(-300, 300), st.integers(0, 10_000))
def test_hovers_read_the_value_to_four_digits_however_small(log_scale, seed):
    """float32 numbers where float32 holds the value; where it would flush it to 0 or infinity, the
    value as 4-digit text (float64 numbers were 22 bytes each)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, 4)
    product = rng.uniform(-1, 1, (3, 12)) * 10.0**log_scale
    fig = layer_block(x, np.full(3, 1 / 3), product, product, block=1)
    markers, expected = fig.data[3], product[:, 4:8].ravel()
    if isinstance(markers.customdata[0], str):
        assert "%{customdata}<" in markers.hovertemplate
        shown = np.array([float(text.replace("−", "-")) for text in markers.customdata])
        np.testing.assert_allclose(shown, expected, rtol=5e-4)
    else:
        assert "%{customdata:.4g}" in markers.hovertemplate
        np.testing.assert_allclose(np.asarray(markers.customdata, dtype=float), expected, rtol=1e-6)


@pytest.mark.parametrize("width", [NARROWEST_FIGURE_WIDTH, DESKTOP_FIGURE_WIDTH])
def test_on_a_phone_the_overview_and_block_bars_lie_under_their_plots(width):
    # Beside a 64-column block on a 324 px phone the bars left the plots ~160 px (cells 2.5 px).
    K, n = 32, 64
    x, v = _layer(n, K)
    with planned_for(width):
        overview = layer_overview(v.product, n, selected=(3, 5, 7))
        block = layer_block(x, v.p, v.product, v.shortcut, block=5, selected=(3, 5, 7))
    bars = [overview.data[0].colorbar, block.layout.coloraxis.colorbar, block.layout.coloraxis2.colorbar]
    if width == DESKTOP_FIGURE_WIDTH:
        assert all(b.orientation != "h" for b in bars)  # upright, beside the plots
        return
    assert_under_axis(overview, bars[0])
    assert_under_axis(block, bars[2])
    assert bars[1].orientation == "h" and bars[1].title.side == "top"
    # Flat, a bar's five labels get a quarter of the plot each, or the ±limit/100 ones go unlabelled
    plot = NARROWEST_FIGURE_WIDTH - sum(overview.layout.margin[side] for side in ("l", "r"))
    for bar in bars[:2]:
        shown = [t for t in bar.ticktext if t]
        assert len(shown) == 5 or shown == [bar.ticktext[0], "0", bar.ticktext[4]]
        assert len(shown) == 3 or plot / 4 >= max(map(len, shown)) * 0.6 * 14
    # the product and shortcut's bar in the gap between the shortcut and difference panels
    (_, _), (s_lo, _), (_, d_hi) = (block.layout[f"yaxis{a}"].domain for a in ("", "2", "3"))
    assert d_hi < bars[1].y < s_lo
