"""Classroom sizing: large axes on a copy, never on the figure the page built (the export is the figure as built)."""

from __future__ import annotations

import core
from ui import classroom
from ui.figures.layer import layer_derivative_figure


def test_large_axes_reach_every_axis_and_leave_the_figure_alone():
    v = core.layer_values(core.BLOG_X, core.BLOG_W)
    fig = layer_derivative_figure(v.x, v.p, v.product, v.shortcut, font_size=24)
    before = fig.to_json()
    spec = classroom.large_axes(fig.to_dict(), 24)
    assert fig.to_json() == before
    axes = {k for k in spec["layout"] if k.startswith(("xaxis", "yaxis"))}
    assert {"xaxis", "xaxis2", "xaxis3", "yaxis", "yaxis2", "yaxis3"} <= axes
    for name in axes:
        assert spec["layout"][name]["tickfont"]["size"] == 24
        assert spec["layout"][name]["title"]["font"]["size"] == 24


def test_large_axes_keep_existing_titles_and_add_axes_only_traces_name():
    spec = {"data": [{"type": "bar", "y": [1], "xaxis": "x2", "yaxis": "y2"}], "layout": {"xaxis": {"title": "t"}}}
    out = classroom.large_axes(spec, 30)
    assert out["layout"]["xaxis"]["title"] == {"text": "t", "font": {"size": 30}}
    assert {"xaxis2", "yaxis2"} <= set(out["layout"])
    assert out["layout"]["yaxis2"]["tickfont"]["size"] == 30


def test_figure_height_fills_a_projected_screen_only_in_classroom_mode():
    from ui.state import default_state

    state = default_state()
    assert classroom.figure_height(state, 300) == 300
    assert classroom.figure_height(state.with_values(classroom=True), 300) == classroom.SCREEN_HEIGHT


def test_no_text_in_a_projected_figure_is_below_the_large_size():
    import core
    from ui.figures.layer import layer_derivative_figure

    v = core.layer_values(core.BLOG_X, core.BLOG_W)
    fig = layer_derivative_figure(v.x, v.p, v.product, v.shortcut, font_size=24)
    spec = classroom.large_axes(fig.to_dict(), 24)
    sizes = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("font", "tickfont", "textfont") and isinstance(value, dict):
                    sizes.append(value["size"])
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    assert sizes and min(sizes) >= 24
