"""What ``ui.section`` sends to the browser: the figure as built, themed, without Plotly's template."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import plotly.tools

import core
from tests.app.apptest import chart, open_app
from ui.figures.layer import layer_derivative_figure
from ui.section import Validated, wire_spec


def test_streamlit_takes_a_validated_spec_as_is():
    """The path st.plotly_chart uses: a Figure goes through ``to_dict`` only, never re-validated."""
    spec = wire_spec(go.Figure(go.Bar(x=["a"], y=[1.0]), layout={"title": {"text": "t"}}), "dark")
    sent = plotly.tools.return_figure_from_figure_or_data(Validated(spec), validate_figure=True)
    assert sent is spec
    assert "template" not in spec["layout"]
    assert spec["layout"]["xaxis"]["automargin"] is False  # the template's job, now the layout's
    assert json.loads(pio.to_json(sent, validate=False))["data"][0]["y"] == [1.0]


def test_explorer_chart_on_the_wire_is_the_built_figure():
    at = open_app()
    v = core.layer_values(core.BLOG_X, core.BLOG_W, 1.0)
    built = layer_derivative_figure(core.BLOG_X, v.p, v.product, v.shortcut, selected=(0, 0, 0), clickable=True)
    wire = chart(at, "chart_dpdw")
    assert "template" not in wire["layout"]
    assert len(wire["data"]) == len(built.data)
    for sent, trace in zip(wire["data"], built.data, strict=True):
        assert sent["type"] == trace.type and sent.get("hovertemplate") == trace.hovertemplate
    # a spec a fresh Figure accepts: nothing invalid slipped past the skipped validation
    go.Figure(wire)
