"""The Explorer in a real browser: four views drawn, a slider moved with the keyboard redraws them."""

from __future__ import annotations

import json

import numpy as np
import pytest

import core
from tests.browser.helpers import EXCEPTION, chart_data, plotly_charts, screenshot, wait_for_app
from ui.link import to_query
from ui.state import state_from_preset

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

JACOBIAN = 1  # document order: output bars, Jacobian, dz/dW, dp/dW


# True once the slider (its thumb, the argument) has moved past x₀ = 0.1 and the URL's x starts with
# the value it shows, written as the link writes it (two decimals, no trailing zeros: "0.3").
_LINK_CARRIES_SLIDER = """(thumb) => {
    const v = parseFloat(thumb.value ?? thumb.getAttribute('aria-valuenow'));
    const written = String(+v.toFixed(2)).replace('.', '\\.');
    return v > 0.1 && new RegExp('[?&]x=' + written + '(%2C|,)').test(location.search);
}"""


def _slider(page, label: str):
    # Streamlit 1.6x draws a slider as an <input type="range">; older ones as a role="slider" div.
    slider = page.locator('[data-testid="stSlider"]').filter(has_text=label)
    return slider.locator('[role="slider"], input[type="range"]').first


def test_four_views_drawn_at_the_blogs_numbers(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    charts = plotly_charts(page)
    charts.nth(3).wait_for(state="visible")
    assert charts.count() >= 4
    J = chart_data(page, JACOBIAN)[0]["z"]
    _, p = core.forward(core.BLOG_X, core.BLOG_W)
    expected = core.softmax_jacobian(p)
    # the colours' values, float32 on the wire (ui.figures.common.compact_floats): every entry to 6 digits
    assert len(J) == 5
    np.testing.assert_allclose(np.array(J, dtype=float), expected, rtol=1e-6)
    screenshot(page, "explorer-default")


def test_keyboard_slider_move_redraws_the_jacobian(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    plotly_charts(page).nth(JACOBIAN).wait_for(state="visible")
    before = chart_data(page, JACOBIAN)[0]["z"]
    thumb = _slider(page, "x₀")
    thumb.focus()
    for _ in range(20):  # up to +0.20 on x₀
        page.keyboard.press("ArrowRight")
    # Twenty presses are up to twenty reruns: on a loaded machine a rerun redrew the slider between
    # two presses and the rest went nowhere (x₀ stopped short of 0.3), and presses still queued moved
    # it on after it was read. So the test waits until the share link carries whatever value the
    # slider shows at that moment, above where it started.
    page.wait_for_function(_LINK_CARRIES_SLIDER, arg=thumb.element_handle(), timeout=30_000)
    wait_for_app(page, settle=600)
    after = chart_data(page, JACOBIAN)[0]["z"]
    assert after != before, "moving x₀ did not change the Jacobian chart"
    screenshot(page, "explorer-after-slider")


# Notes, for every chart drawn from now on, each time Plotly computed its data anew (a new
# ``calcdata``), by the chart's key; Streamlit mounts a changed chart as a new element.
_COUNT_COMPUTES = """() => { window.__computed = {}; const seen = new WeakSet();
  const watch = () => document.querySelectorAll('.js-plotly-plot').forEach(gd => {
    if (seen.has(gd) || !gd.on) return; seen.add(gd);
    const key = (gd.closest('[class*=st-key-]')?.className.match(/st-key-([\\w-]+)/) || [])[1] || '?';
    let last = null;
    gd.on('plotly_afterplot', () => {
      if (gd.calcdata !== last) window.__computed[key] = (window.__computed[key] || 0) + 1;
      last = gd.calcdata;
    });
  });
  watch(); new MutationObserver(watch).observe(document.body, {subtree: true, childList: true}); }"""


def test_a_move_computes_each_chart_it_changes_once(page, app_url):
    # Streamlit hands Plotly each mounted chart twice (as it mounts, then a copy once its width is
    # known). Streamlit's template in that copy made Plotly compute and draw every changed chart
    # again: ~250 ms of a move's browser time at 3 × 5 (ui.section.wire_spec).
    page.goto(app_url)
    wait_for_app(page)
    plotly_charts(page).nth(3).wait_for(state="visible")
    wait_for_app(page, settle=600)
    page.evaluate(_COUNT_COMPUTES)
    thumb = _slider(page, "x₀")
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(_LINK_CARRIES_SLIDER, arg=thumb.element_handle(), timeout=30_000)
    wait_for_app(page, settle=1500)
    computed = page.evaluate("window.__computed")
    assert set(computed) >= {"chart_output", "chart_jacobian", "chart_dzdw", "chart_dpdw"}, computed
    assert all(count == 1 for count in computed.values()), computed


# Watches, every frame, each keyed chart: notes any frame in which it shows new data while hidden.
_WATCH_SHOWN = """(keys) => {
  const plots = (k) => [...document.querySelectorAll('.st-key-' + k + ' .js-plotly-plot')];  // old and new, a while
  const sig = (gd) => gd.data ? JSON.stringify(gd.data.map(t => t.z || t.y)) : '';
  const before = keys.map(k => plots(k).map(sig));
  window.__hidden = []; window.__shown = {};
  const t0 = performance.now();
  const tick = () => {
    keys.forEach((k, i) => plots(k).forEach(gd => {
      const s = sig(gd);
      if (!s || before[i].includes(s)) return;
      if (getComputedStyle(gd).visibility === 'hidden') window.__hidden.push(k);
      else window.__shown[k] = true;
    }));
    if (Object.keys(window.__shown).length < keys.length && performance.now() - t0 < 20000) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""
_EXPLORER_CHARTS = ["chart_output", "chart_jacobian", "chart_dzdw", "chart_dpdw"]


def test_a_move_shows_each_changed_chart_at_once_at_its_measured_width(page, app_url):
    # A changed chart is a new element; Streamlit mounted it hidden until it had measured its box,
    # so the output and dz/dW blinked out for 50-300 ms on every move. The page's watcher measures
    # each chart and the server sends it at that width (ui.viewport): it is shown as it is drawn.
    page.goto(app_url)
    wait_for_app(page)
    plotly_charts(page).nth(3).wait_for(state="visible")
    wait_for_app(page, settle=600)
    thumb = _slider(page, "x₀")
    thumb.focus()
    for _ in range(3):
        page.evaluate(_WATCH_SHOWN, _EXPLORER_CHARTS)
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "(n) => Object.keys(window.__shown).length === n", arg=len(_EXPLORER_CHARTS), timeout=30_000
        )
        assert page.evaluate("window.__hidden") == []
        wait_for_app(page, settle=300)
    widths = page.evaluate(
        """(keys) => keys.map(k => { const gd = document.querySelector('.st-key-' + k + ' .js-plotly-plot');
             return [Math.round(gd.getBoundingClientRect().width), gd.layout.width]; })""",
        _EXPLORER_CHARTS,
    )
    assert all(box == drawn for box, drawn in widths), widths


def test_share_link_reopens_the_same_view(page, app_url):
    state = state_from_preset("random", 6, 7, seed=5).with_values(selected=(3, 2, 4), temperature=2.0)
    query = "&".join(f"{k}={v}" for k, v in to_query(state).items())
    page.goto(f"{app_url}/?{query}")
    wait_for_app(page)
    plotly_charts(page).nth(3).wait_for(state="visible")
    J = chart_data(page, JACOBIAN)[0]["z"]
    _, p = core.forward(state.x, state.W, 2.0)
    assert len(J) == 7
    np.testing.assert_allclose(np.array(J, dtype=float), core.softmax_jacobian(p, 2.0), rtol=1e-6)
    assert page.locator(EXCEPTION).count() == 0


def test_hand_edited_link_warns_instead_of_crashing(page, app_url):
    page.goto(f"{app_url}/?n=3&K=5&x=1,2,zz&W=1;2&T=-4&sel=99,1,1")
    wait_for_app(page)
    alerts = page.locator('[data-testid="stAlert"]')
    alerts.first.wait_for(state="visible")
    text = " ".join(alerts.all_inner_texts())
    assert "'T'" in text and "blog" in text
    plotly_charts(page).nth(3).wait_for(state="visible")
    screenshot(page, "explorer-bad-link")


def test_large_size_and_classroom_mode(page, app_url):
    state = state_from_preset("random", 64, 32, seed=1).with_values(classroom=True)
    query = "&".join(f"{k}={v}" for k, v in to_query(state).items())
    page.goto(f"{app_url}/?{query}")
    wait_for_app(page, timeout=60_000)
    plotly_charts(page).nth(3).wait_for(state="visible")
    assert len(chart_data(page, JACOBIAN)[0]["z"]) == 32
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    screenshot(page, "explorer-classroom-64x32")
    json.dumps(chart_data(page, 3)[0]["z"][0][:3])  # dp/dW drawn with numbers


_CELL_CENTRE = """([el, panel, row, col]) => {
    const fl = el._fullLayout, xa = fl['xaxis' + panel], ya = fl['yaxis' + panel];
    const r = el.getBoundingClientRect();
    return [r.left + xa._offset + xa.l2p(col), r.top + ya._offset + ya.l2p(row)];
}"""


def test_clicking_a_dpdw_cell_selects_that_entry(page, app_url):
    page.goto(app_url)
    wait_for_app(page)
    chart = plotly_charts(page).nth(3)
    chart.wait_for(state="visible")
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    # Row t = 3, column 7 = i·n + j with n = 3: i = 2, j = 1, in the shortcut panel (axes "2").
    x, y = page.evaluate(_CELL_CENTRE, [chart.element_handle(), "2", 3, 7])
    page.mouse.click(x, y)
    wait_for_app(page, settle=800)
    assert "sel=3%2C2%2C1" in page.url or "sel=3,2,1" in page.url
    assert page.get_by_text("W[1,2]").count() > 0


def test_big_layer_click_a_block_then_a_cell(page, app_url):
    """At 64 × 32 a click on the overview magnifies that class block; a click in the block selects the entry."""
    state = state_from_preset("random", 64, 32, seed=1).with_values(selected=(0, 0, 3))
    query = "&".join(f"{k}={v}" for k, v in to_query(state).items())
    page.goto(f"{app_url}/?{query}")
    wait_for_app(page, timeout=60_000)
    overview = plotly_charts(page).nth(3)
    overview.wait_for(state="visible")
    overview.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    x, y = page.evaluate(_CELL_CENTRE, [overview.element_handle(), "", 5, 7 * 64 + 31.5])
    page.mouse.click(x, y)
    wait_for_app(page, timeout=60_000, settle=800)
    assert "sel=5%2C7%2C3" in page.url or "sel=5,7,3" in page.url
    block = plotly_charts(page).nth(4)
    assert "Class 7" in (block.locator(".gtitle").text_content() or "")
    block.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    x, y = page.evaluate(_CELL_CENTRE, [block.element_handle(), "2", 2, 10])  # the shortcut panel
    page.mouse.click(x, y)
    wait_for_app(page, timeout=60_000, settle=800)
    assert "sel=2%2C7%2C10" in page.url or "sel=2,7,10" in page.url
    screenshot(page, "explorer-64x32-block-click")
