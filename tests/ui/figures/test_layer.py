"""ui.figures.layer: product, shortcut and their difference for dp/dW."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from tests.ui.figures.bars import assert_under_axis
from tests.ui.figures.hover import hover_text
from ui.figures.common import DESKTOP_FIGURE_WIDTH, FLAT_BAR_ROOM, LINE, NARROWEST_FIGURE_WIDTH, planned_for
from ui.figures.layer import (
    CLICK_TRACE_NAME,
    DOMAINS,
    clicked_entry,
    layer_derivative_figure,
    panel_extents,
)


def build(x, W, T=1.0, **kw):
    _, p = core.forward(x, W, T)
    P = core.layer_jacobian_product(x, W, T)
    S = core.layer_jacobian_shortcut(x, W, T)
    return layer_derivative_figure(x, p, P, S, T, **kw), p, P, S


def three_sig(v: float) -> str:
    return f"{v:.3g}".replace("-", "−")


def test_panels_hold_product_shortcut_difference():
    fig, p, P, S = build(core.BLOG_X, core.BLOG_W)
    prod, short, diff = fig.data
    # colours: float32 on the wire where it holds every value (compact_floats)
    np.testing.assert_allclose(np.asarray(prod.z), P, rtol=1e-6)
    np.testing.assert_allclose(np.asarray(short.z), S, rtol=1e-6)
    np.testing.assert_allclose(np.asarray(diff.z), P - S, rtol=1e-6, atol=0)
    assert np.asarray(prod.z).shape == (5, 15)
    assert [tr.yaxis for tr in fig.data] == ["y", "y2", "y3"]
    for ax in ("yaxis", "yaxis2", "yaxis3"):  # row 0 on top, the axes end where the cells do
        assert tuple(fig.layout[ax].range) == (4.5, -0.5) and fig.layout[ax].autorange is False
    clickable = layer_derivative_figure(core.BLOG_X, p, P, S, clickable=True)  # not padded for its click points
    assert tuple(clickable.layout.xaxis.range) == (-0.5, 14.5) and clickable.layout.xaxis2.matches == "x"
    tops = [fig.layout[a].domain[1] for a in ("yaxis", "yaxis2", "yaxis3")]
    assert tops == sorted(tops, reverse=True)  # stacked product, shortcut, difference from the top


def test_product_and_shortcut_share_one_coloraxis_centred_at_zero():
    fig, *_ = build(core.BLOG_X, core.BLOG_W)
    prod, short, diff = fig.data
    assert prod.coloraxis == short.coloraxis == "coloraxis"
    assert diff.coloraxis == "coloraxis2"
    assert fig.layout.coloraxis.cmid == 0
    # the difference's colours span its own residue, symmetric around 0, named as rounding
    residue = np.abs(np.asarray(diff.z, dtype=float)).max()
    assert 0 < fig.layout.coloraxis2.cmax == -fig.layout.coloraxis2.cmin
    # a little past it, so that the labelled ±max sits inside the bar (not against its title)
    assert fig.layout.coloraxis2.cmax == pytest.approx(1.2 * residue) or residue == 0
    top_tick = max(fig.layout.coloraxis2.colorbar.tickvals)
    assert top_tick < fig.layout.coloraxis2.cmax and (top_tick == pytest.approx(residue) or residue == 0)
    assert "rounding" in fig.layout.coloraxis2.colorbar.title.text
    assert fig.layout.coloraxis.colorbar.title.text and fig.layout.coloraxis2.colorbar.title.text


def test_difference_title_states_max_abs_difference():
    x = np.array([0.3, -1.7, 2.9, 0.01])
    W = np.random.default_rng(3).uniform(-3, 3, (4, 6))
    fig, p, P, S = build(x, W, 0.7)
    title = [a.text.replace("\xa0", " ") for a in fig.layout.annotations if "Difference" in a.text][0]
    shown = float(re.search(r"max \|Δ\| = ([0-9.e+-]+)", title).group(1))
    expected = np.max(np.abs(P - S))
    assert shown == pytest.approx(expected, rel=0.05, abs=1e-300)
    # and a deliberately wrong "shortcut" shows a big difference
    fig2 = layer_derivative_figure(x, p, P, S + 0.25, 0.7)
    title2 = [a.text.replace("\xa0", " ") for a in fig2.layout.annotations if "Difference" in a.text][0]
    assert "max |Δ| = 0.25" in title2
    assert "agree" in fig.layout.title.text and "DIFFER" in fig2.layout.title.text


def test_hovers_reach_one_number_two_ways_with_the_blogs_numbers():
    # The shortcut's hover multiplies p_t(δ_ti − p_i)·x_j out; the product's the one non-zero term of
    # its sum, J[t,i]·x_j. Both end on the same value.
    fig, p, P, S = build(core.BLOG_X, core.BLOG_W)
    t, i, j, n = 2, 0, 1, 3
    x = core.BLOG_X
    shortcut = (
        f"p_t(δ_ti − p_i)·x_j<br>= {three_sig(p[t])} × (0 − {three_sig(p[i])}) × {three_sig(x[j])}"
        f" = {three_sig(S[t, i * n + j])}"
    )
    assert shortcut == "p_t(δ_ti − p_i)·x_j<br>= 0.217 × (0 − 0.191) × 0.5 = −0.0207"
    product = (
        f"= J[t,i]·x_j (only k = i is non-zero)<br>= {three_sig(-p[t] * p[i])} × 0.5 = {three_sig(P[t, i * n + j])}"
    )
    assert product == "= J[t,i]·x_j (only k = i is non-zero)<br>= −0.0414 × 0.5 = −0.0207"  # J[2,0]: the blog's
    assert shortcut in hover_text(fig.data[1], t, i * n + j)
    assert product in hover_text(fig.data[0], t, i * n + j)
    for panel in (0, 1, 2):
        assert hover_text(fig.data[panel], t, i * n + j).startswith(f"<b>∂p₂/∂W[{j},{i}]</b>")
    assert "(1 − " in hover_text(fig.data[1], 3, 3 * n + 0)  # δ_tt = 1 on the class block of row t


def test_temperature_factor_in_hover():
    fig, p, P, S = build(core.BLOG_X, core.BLOG_W, 2.0)
    h = hover_text(fig.data[1], 2, 1)
    assert "·x_j / T<br>= " in h and " / 2 = " in h


def test_selected_cell_outlined_in_all_three_panels():
    n = 3
    fig, *_ = build(core.BLOG_X, core.BLOG_W, selected=(2, 4, 1))
    sel = [s for s in fig.layout.shapes if s.name == "selected"]
    assert sorted(s.yref for s in sel) == ["y", "y2", "y3"]
    for s in sel:
        assert ((s.x0 + s.x1) / 2, (s.y0 + s.y1) / 2) == (4 * n + 1, 2)
        assert s.xref == s.yref.replace("y", "x")


def test_bad_input_raises_value_error():
    _, p = core.forward(core.BLOG_X, core.BLOG_W)
    P = core.layer_jacobian_product(core.BLOG_X, core.BLOG_W)
    with pytest.raises(ValueError, match="shortcut"):
        layer_derivative_figure(core.BLOG_X, p, P, P[:, :-1])
    with pytest.raises(ValueError, match="selected"):
        layer_derivative_figure(core.BLOG_X, p, P, P, selected=(0, 5, 0))


def test_large_size_builds_light_and_small():
    rng = np.random.default_rng(0)
    x, W = rng.uniform(-3, 3, 64), rng.uniform(-3, 3, (64, 32))
    fig, p, P, S = build(x, W, selected=(31, 31, 63))
    assert all(tr.customdata is None and tr.text is None for tr in fig.data)
    assert "%{z" in fig.data[0].hovertemplate
    np.testing.assert_allclose(np.asarray(fig.data[0].z, dtype=float), P, rtol=1e-6, atol=1e-12)
    assert len(fig.layout.xaxis3.tickvals) <= 24
    assert len(fig.to_json()) < 3_000_000


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 4), st.integers(1, 5), st.sampled_from([1.0, 0.5, 3.0]), st.integers(0, 10_000))
def test_every_hover_carries_its_own_indices_and_value(n, K, T, seed):
    rng = np.random.default_rng(seed)
    x, W = rng.uniform(-3, 3, n).round(2), rng.uniform(-3, 3, (n, K)).round(2)
    fig, p, P, S = build(x, W, T)
    for t in range(K):
        for i in range(K):
            for j in range(n):
                h = hover_text(fig.data[1], t, i * n + j)
                assert f"(t = {t}, i = {i}, j = {j})" in h
                num = r"(−?[0-9.]+(?:e-?[0-9]+)?)"
                m = re.search(rf"= {num} × \((\d) − {num}\) × {num}", h)
                a, delta, b, c = (float(g.replace("−", "-")) for g in m.groups())
                assert delta == (t == i)
                assert (a, b, c) == pytest.approx((p[t], p[i], x[j]), rel=5e-3, abs=1e-300)
                shown = float(h.rsplit(" = ", 1)[1].replace("−", "-"))  # the value closing the formula
                assert shown == pytest.approx(S[t, i * n + j], rel=5e-3, abs=1e-300)
                # the product's route: J[t,i] = p_t(δ_ti − p_i)/T from the probabilities, times x_j
                h = hover_text(fig.data[0], t, i * n + j)
                assert f"(t = {t}, i = {i}, j = {j})" in h
                jac, c, shown = (
                    float(g.replace("−", "-")) for g in re.search(rf"= {num} × {num} = {num}$", h).groups()
                )
                assert (jac, c) == pytest.approx((p[t] * ((t == i) - p[i]) / T, x[j]), rel=5e-3, abs=1e-300)
                assert shown == pytest.approx(P[t, i * n + j], rel=5e-3, abs=1e-300)


def test_clickable_cells_map_back_to_their_entry():
    x, W = core.BLOG_X, core.BLOG_W
    _, p = core.forward(x, W)
    fig = layer_derivative_figure(
        x, p, core.layer_jacobian_product(x, W), core.layer_jacobian_shortcut(x, W), clickable=True
    )
    markers = [tr for tr in fig.data if tr.name == CLICK_TRACE_NAME]
    assert [fig.data.index(tr) for tr in markers] == [3, 4]  # CLICK_CURVES
    K, n = 5, 3
    for tr in markers:
        assert len(tr.x) == K * K * n and tr.mode == "text" and tr.text == ""  # invisible
        hovers = [hover_text(tr, k) for k in range(len(tr.x))]
        index = next(k for k, h in enumerate(hovers) if "t = 3, i = 2, j = 1" in h)
        assert clicked_entry({"point_index": index, "curve_number": fig.data.index(tr)}, n, K) == (3, 2, 1)
        assert (tr.x[index], tr.y[index]) == (2 * n + 1, 3)  # numeric positions: column i·n + j, row t
        assert hovers[index].startswith("<b>∂p₃/∂W[1,2]</b>")
    assert all(tr.hoverinfo == "skip" for tr in fig.data[:2])  # the click points carry those hovers
    assert fig.layout.hoverdistance == -1 and fig.layout.clickmode == "event+select"  # nearest centre wins
    assert clicked_entry({"point_index": K * K * n, "curve_number": 3}, n, K) is None
    assert clicked_entry({"point_index": 0, "curve_number": 0}, n, K) is None  # a heatmap, not a marker
    assert clicked_entry({}, n, K) is None


@pytest.mark.parametrize("font", [14, 24])
def test_rows_get_room_and_projected_panels_a_quarter_screen(font):
    fig, *_ = build(core.BLOG_X, core.BLOG_W, font_size=font, height=620)
    layout = fig.layout
    plot = layout.height - layout.margin.t - layout.margin.b
    panels = [(plot * (axis.domain[1] - axis.domain[0])) for axis in (layout.yaxis, layout.yaxis2, layout.yaxis3)]
    assert layout.height >= 620  # the page's height is a floor
    shown = [len(axis.tickvals) for axis in (layout.yaxis, layout.yaxis2, layout.yaxis3)]
    assert all(h / n >= 1.5 * font for h, n in zip(panels, shown, strict=True))  # row labels a pitch apart
    if font == 24:
        assert min(panels) >= 270


def test_panels_keep_their_place_when_titles_are_one_line_and_make_room_when_not():
    tall = {"height": 800, "margin": {"t": 100, "b": 100}}
    assert np.allclose(panel_extents([1, 1, 1], tall, 14), DOMAINS) and tall["height"] == 800
    # In a 400-px plot the usual gap (24 px) put a one-line title on the axis line of the panel above.
    layout = {"height": 600, "margin": {"t": 100, "b": 100}}
    short = panel_extents([1, 1, 1], layout, 14)
    assert all((short[k - 1][0] - short[k][1]) * 400 >= (LINE + 1) * 14 - 1e-6 for k in (1, 2))
    assert layout["height"] == 600
    lines = [2, 2, 3]
    domains = panel_extents(lines, layout, 14)
    assert layout["height"] == 600 + round(LINE * 14) and layout["margin"]["t"] == 100 + round(LINE * 14)
    plot = layout["height"] - 200
    assert domains[0][1] == 1.0 and domains[-1][0] == 0.0
    for k in (1, 2):  # the gap over panel k holds its title's lines
        assert (domains[k - 1][0] - domains[k][1]) * plot >= lines[k] * LINE * 14
    heights = [hi - lo for lo, hi in domains]
    assert all(h > 0.2 for h in heights) and heights[0] > heights[1] == pytest.approx(heights[2], abs=1e-5)


@pytest.mark.parametrize("width", [NARROWEST_FIGURE_WIDTH, DESKTOP_FIGURE_WIDTH])
def test_panel_titles_fit_the_plot_width_and_break_only_between_formulas(width):
    v = core.layer_values(core.BLOG_X, core.BLOG_W, 2.0)
    with planned_for(width):
        fig = layer_derivative_figure(v.x, v.p, v.product, v.shortcut, 2.0)
    titles = [a.text[3:-4] for a in fig.layout.annotations if a.text.startswith("<b>")]
    assert len(titles) == 3
    lines = [line for t in titles for line in t.split("<br>")]
    if width == DESKTOP_FIGURE_WIDTH:
        assert len(lines) == 3  # one line each, the panels where they always were
        assert [list(fig.layout[f"yaxis{a}"].domain) for a in ("", "2", "3")] == [list(d) for d in DOMAINS]
    else:
        assert len(lines) > 3
    # a formula is never split: each of these is whole on one line
    for formula in ("J\xa0·\xa0dz/dW", "p_t(δ_ti\xa0−\xa0p_i)·x_j\xa0/\xa0T", "−\xa0shortcut", "max\xa0|Δ|\xa0=\xa00"):
        assert any(formula in line for line in lines), formula


@pytest.mark.parametrize("width", [NARROWEST_FIGURE_WIDTH, DESKTOP_FIGURE_WIDTH])
def test_on_a_phone_the_colour_bars_lie_under_their_panels_and_leave_the_plots_the_width(width):
    # Beside the panels, a phone's bars with their ticks and titles left the plots ~75 px of 324.
    v = core.layer_values(core.BLOG_X, core.BLOG_W)
    with planned_for(width):
        fig = layer_derivative_figure(v.x, v.p, v.product, v.shortcut)
    bars = [fig.layout.coloraxis.colorbar, fig.layout.coloraxis2.colorbar]
    if width == DESKTOP_FIGURE_WIDTH:
        assert all(b.orientation != "h" and b.x > 1 for b in bars)  # beside, right of the plots
        return
    assert all(b.orientation == "h" and b.len == 1 and b.yanchor == "top" for b in bars)
    margin, font = fig.layout.margin, 14
    plot = fig.layout.height - margin.t - margin.b
    (_, _), (s_lo, _), (d_lo, d_hi) = (fig.layout[f"yaxis{a}"].domain for a in ("", "2", "3"))
    title_lines = next(a.text for a in fig.layout.annotations if "Difference" in a.text).count("<br>") + 1
    # the product/shortcut bar hangs from the shortcut panel, above the difference panel's title …
    assert d_hi < bars[0].y < s_lo
    assert (bars[0].y - d_hi) * plot >= FLAT_BAR_ROOM * font + title_lines * LINE * font - 1
    # … and the difference's bar below the weight labels and their title, inside the figure
    assert_under_axis(fig, bars[1])
    # the right margin is the plain one: nothing beside the plots
    assert margin.r <= 10 + 2 * font


@pytest.mark.parametrize("n, K", [(3, 5), (8, 8), (4, 16), (64, 32)])
@pytest.mark.parametrize("font", [14, 24])
def test_the_three_panels_label_the_same_rows(n, K, font):
    # At 8 × 8 the slightly taller top panel labelled p₀…p₇ and the two under it every other row.
    rng = np.random.default_rng(n * K)
    with planned_for(DESKTOP_FIGURE_WIDTH):  # as the Explorer draws it
        fig, *_ = build(rng.uniform(-1, 1, n), rng.uniform(-1, 1, (n, K)), font_size=font, height=620)
    ticks = [list(axis.tickvals) for axis in (fig.layout.yaxis, fig.layout.yaxis2, fig.layout.yaxis3)]
    assert ticks[0] == ticks[1] == ticks[2] and len(ticks[0]) >= 1
