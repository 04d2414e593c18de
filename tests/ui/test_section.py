"""ui.section: the text alternative every chart gets."""

from __future__ import annotations

import plotly.graph_objects as go

import core
from ui.figures.common import base_layout
from ui.figures.layer import layer_derivative_figure
from ui.section import alt_text


def test_alt_text_names_the_kind_title_and_subtitle_without_markup():
    x, W = core.BLOG_X, core.BLOG_W
    p = core.softmax(W.T @ x)
    fig = layer_derivative_figure(
        x, p, core.layer_jacobian_product(x, W), core.layer_jacobian_shortcut(x, W), font_size=14
    )
    alt = alt_text(fig)
    assert alt.startswith("Heatmap: dp/dW (5×15): product and shortcut agree")
    assert "class blocks" in alt and "<" not in alt  # the subtitle, wrapped lines joined again


def test_alt_text_of_a_figure_without_title_still_says_what_it_is():
    assert alt_text(go.Figure(go.Bar(y=[1, 2]))) == "Bar chart"
    fig = go.Figure([go.Bar(y=[1]), go.Scatter(y=[1])], layout=base_layout(title="<b>Loss</b>"))
    assert alt_text(fig) == "Bar chart and Line chart: Loss"
