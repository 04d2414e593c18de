"""What ``ui.section`` sends to the browser: the figure as built and themed, no template, a text alternative."""

from __future__ import annotations

import base64
import copy
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import plotly.tools
import pytest
from hypothesis import given
from hypothesis import strategies as st

import core
from tests.app.apptest import chart, open_app, values
from ui.classroom import FONT_LARGE
from ui.figures.common import DESKTOP_FIGURE_WIDTH, base_layout, cell_text_width, planned_for
from ui.figures.jacobian import jacobian_heatmap
from ui.figures.layer import layer_derivative_figure
from ui.section import Validated, _copied, alt_text, cell_text_rule, key_class, wire_spec


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


def _nan_as_null(value):
    """JSON's reading of a figure as the browser's Plotly reads it: NaN (json writes NaN, orjson null)
    is a gap either way, and a float32 is the same number in its shortest form (orjson's) or in
    float64's digits (json's)."""
    if isinstance(value, float):
        return None if value != value else float(np.float32(value))
    if isinstance(value, dict):
        return {k: _nan_as_null(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nan_as_null(v) for v in value]
    return value


def _numbers(value):
    """A figure's JSON with typed arrays ({"dtype", "bdata"}) read into the numbers they hold, as
    plotly.js reads them, floats as float32 (``_nan_as_null``)."""
    if isinstance(value, dict) and "bdata" in value:
        return _nan_as_null(values(value).tolist())
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    return _nan_as_null(value)


@pytest.mark.parametrize("layer", [None, (8, 8), (64, 32)])
def test_orjson_sends_the_same_figures_as_the_standard_library(layer):
    # requirements.txt asks for orjson, which plotly.io.to_json (Streamlit's call) then uses: the
    # app's figures (float32 and int typed arrays, NaN gaps, object arrays of mixed fields) must
    # reach the browser as they would without it.
    pytest.importorskip("orjson")
    from ui.figures.jacobian import jacobian_heatmap as jac
    from ui.figures.layer_focus import layer_block, layer_overview
    from ui.figures.sparsity import dz_dw_pattern

    n, K = layer or (3, 5)
    preset = core.make_preset("blog" if layer is None else "random", n, K)
    v = core.layer_values(preset.x, preset.W, 0.5)
    figures = [jac(v.p, v.J, 0.5, selected=(1, 2)), dz_dw_pattern(v.x, v.dz_dw, selected=(1, 2, 0))]
    if layer == (64, 32):
        figures += [layer_overview(v.product, n), layer_block(v.x, v.p, v.product, v.shortcut, 0.5, block=2)]
    else:
        figures.append(layer_derivative_figure(v.x, v.p, v.product, v.shortcut, 0.5, clickable=True))
    for fig in figures:
        spec = wire_spec(fig, "dark")
        sent = pio.to_json(spec, validate=False, engine="orjson")
        assert _nan_as_null(json.loads(sent)) == _nan_as_null(
            json.loads(pio.to_json(spec, validate=False, engine="json"))
        )
    assert pio.json.config.default_engine in ("auto", "orjson")  # "auto" takes orjson when it is there


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


def test_alt_text_is_the_same_for_the_apps_unchecked_figure():
    """The app's builders return a FigureSpec (plain dicts); the text alternative must not change by it."""
    from ui.figures import common

    x, W = core.BLOG_X, core.BLOG_W
    v = core.layer_values(x, W, 1.0)
    before = common.VALIDATE
    try:
        texts = []
        for checked in (True, False):
            common.VALIDATE = checked
            texts.append(alt_text(layer_derivative_figure(x, v.p, v.product, v.shortcut, font_size=14)))
    finally:
        common.VALIDATE = before
    assert texts[0] == texts[1] and texts[1].startswith("Heatmap: dp/dW (5×15)")
    assert alt_text(common.FigureSpec([{"type": "bar", "y": [1]}], {"title": "plain <i>string</i>"})) == (
        "Bar chart: plain string"
    )


_DTYPES = ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64", "bool"]


@given(
    dtype=st.sampled_from(_DTYPES),
    shape=st.lists(st.integers(0, 4), min_size=1, max_size=2),
    scale=st.sampled_from([1, 100, 40_000, 3_000_000_000, 2**62]),
    seed=st.integers(0, 2**16),
    gaps=st.booleans(),
)
def test_arrays_reach_the_browser_as_the_same_numbers(dtype, shape, scale, seed, gaps):
    """Oracle: the array itself. Each value is read back as written (float32 in its shortest form),
    NaN (a heatmap's gap) as null; in orjson's one pass, with the input unchanged."""
    import orjson

    rng = np.random.default_rng(seed)
    values = rng.uniform(-1, 1, size=shape) * scale
    if dtype.startswith("u"):
        values = np.abs(values)
    with np.errstate(over="ignore", invalid="ignore"):
        arr = values.astype(dtype)
    if gaps and arr.dtype.kind == "f" and arr.size:
        arr.flat[0] = np.nan
    node = {"data": [{"z": arr, "customdata": [arr], "name": "t", "marker": {"color": arr}}], "range": arr}
    got = _copied(node)
    sent = orjson.loads(orjson.dumps(got, option=orjson.OPT_SERIALIZE_NUMPY))  # raises where Plotly would clean
    for read in (sent["data"][0]["z"], sent["data"][0]["customdata"][0], sent["range"]):
        back = np.array(read, dtype=float).reshape(arr.shape)
        expected = arr.astype(float)
        if arr.dtype.kind in "iu":  # JSON holds integers exactly
            assert np.array_equal(np.array(read, dtype=object).reshape(arr.shape), arr.astype(object))
        else:
            np.testing.assert_array_equal(back.astype(arr.dtype), arr)  # NaN == NaN here
            np.testing.assert_array_equal(np.isnan(back), np.isnan(expected))
    assert node["data"][0]["z"] is arr  # the input is not changed


def test_only_the_largest_arrays_go_as_bytes():
    from ui.section import JSON_ARRAY_MAX

    small, large = np.arange(JSON_ARRAY_MAX, dtype=np.int8), np.zeros(JSON_ARRAY_MAX + 1, dtype=np.float32)
    got = _copied({"z": small, "x": large})
    assert isinstance(got["z"], np.ndarray) and got["x"]["dtype"] == "f4"
    decoded = np.frombuffer(base64.b64decode(got["x"]["bdata"]), dtype=np.float32)
    assert np.array_equal(decoded, large)


def test_figures_are_planned_for_the_device_they_are_drawn_on():
    from ui.figures.common import DESKTOP_FIGURE_WIDTH, planned_for

    title = "∂z/∂W (5×15): 80% of entries are 0 (4 of every 5)"
    phone = base_layout(title=title)["title"]["text"]
    with planned_for(DESKTOP_FIGURE_WIDTH):
        desktop = base_layout(title=title)["title"]["text"]
    assert "<br>" in phone and desktop == title  # one line where there is room for it
    assert base_layout(title=title)["title"]["text"] == phone  # the plan ends with the block


@given(st.floats(0, 3000, allow_nan=False), st.floats(0, 3000, allow_nan=False))
def test_a_main_column_is_planned_for_no_more_than_it_holds_and_the_browser_knows_every_plan(a, b):
    """``planned_width`` (the server's) never plans a narrow page wider than its main column less an
    expander's room, gives a desktop's plan from a desktop's column up, and grows with the column;
    PLANS (what the browser measures against) names the same plan for every width."""
    from ui.section import MAIN_ROOM_PX, PLANS, planned_width

    lo, hi = sorted((a, b))
    assert planned_width(lo) <= planned_width(hi)
    plan = planned_width(lo)
    if lo >= DESKTOP_FIGURE_WIDTH:
        assert plan == DESKTOP_FIGURE_WIDTH
    else:
        assert plan < DESKTOP_FIGURE_WIDTH
        assert plan == 320 or plan <= lo - MAIN_ROOM_PX
    browser = [width for width, least in PLANS if lo >= least][-1]  # as ui.viewport's script picks
    assert browser == plan


def test_a_half_screen_window_and_a_tablet_get_plans_between_a_phones_and_a_desktops():
    from ui.section import planned_width

    # main columns measured in Chromium: a 390 px phone, a 900 px window and an 820 px tablet with the sidebar open
    assert [planned_width(px) for px in (358, 440, 487, 564)] == [320, 400, 440, 560]


# Real User-Agent strings: (agent, is it a phone's or a tablet's?).
AGENTS = [
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1", True),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36", True),
    ("Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0", True),
    ("Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 SamsungBrowser/23.0 Mobile Safari/537.36", True),
    ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) Version/17.5 Mobile/15E148 Safari/604.1", True),
    ("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Chrome/120.0 Safari/537.36", True),
    ("Mozilla/5.0 (Android 14; Tablet; rv:128.0) Gecko/128.0 Firefox/128.0", True),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15", False),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36", False),
    ("", False),
]


@pytest.mark.parametrize(("agent", "handheld"), AGENTS)
def test_phones_and_tablets_are_told_from_desktops(agent, handheld):
    from ui.section import is_handheld

    assert is_handheld(agent) is handheld


def test_figures_built_without_validation_are_the_validated_ones():
    """The app skips Plotly's checks (common.VALIDATE); what it sends must not change by that."""
    from ui.figures import common
    from ui.figures.jacobian import jacobian_heatmap
    from ui.figures.layer_focus import layer_block, layer_overview
    from ui.figures.output import output_bars
    from ui.figures.sparsity import dz_dw_pattern

    v = core.layer_values(core.BLOG_X, core.BLOG_W, 0.7)
    builds = [
        lambda: output_bars(v.z, v.p, 0.7, selected_class=2),
        lambda: jacobian_heatmap(v.p, v.J, 0.7, selected=(1, 2)),
        lambda: dz_dw_pattern(core.BLOG_X, v.dz_dw, selected=(1, 2, 0)),
        lambda: layer_derivative_figure(
            core.BLOG_X, v.p, v.product, v.shortcut, 0.7, selected=(1, 2, 0), clickable=True
        ),
        lambda: layer_overview(v.product, 3, selected=(1, 2, 0)),
        lambda: layer_block(core.BLOG_X, v.p, v.product, v.shortcut, 0.7, block=2, selected=(1, 2, 0)),
    ]
    before = common.VALIDATE
    try:
        for build in builds:
            common.VALIDATE = True
            checked = pio.to_json(wire_spec(build(), "dark"), validate=False)
            common.VALIDATE = False
            trusted = pio.to_json(wire_spec(build(), "dark"), validate=False)
            assert json.loads(trusted) == json.loads(checked)
    finally:
        common.VALIDATE = before


def test_the_wire_spec_is_the_figures_own_dict_themed():
    """wire_spec copies only what it changes: the result is to_dict()'s, and the figure is untouched."""
    from ui.figures.common import streamlit_look, themed
    from ui.figures.layer_focus import layer_overview

    v = core.layer_values(core.BLOG_X, core.BLOG_W, 1.3)
    animated = go.Figure(
        go.Bar(y=[1.0, 2.0]), frames=[go.Frame(data=[go.Bar(y=[k, 2.0])], name=str(k)) for k in range(3)]
    )
    for fig in (
        layer_derivative_figure(core.BLOG_X, v.p, v.product, v.shortcut, 1.3, selected=(2, 1, 0), clickable=True),
        layer_overview(v.product, 3, selected=(2, 1, 0)),
        animated,  # frames go too (the Loss page animates p over the descent steps)
    ):
        before = fig.to_json()
        reference = fig.to_dict()
        reference["layout"].pop("template", None)
        reference["layout"]["datarevision"] = 1
        reference = themed(streamlit_look(reference, "dark"), "dark")
        sent = wire_spec(fig, "dark")
        assert _numbers(json.loads(pio.to_json(sent, validate=False))) == _numbers(
            json.loads(pio.to_json(reference, validate=False))
        )
        assert fig.to_json() == before  # nothing of the figure was changed by sending it


def test_a_figure_with_unchanged_inputs_is_built_once_and_any_change_builds_it_again():
    """section._built remembers a figure by the values of everything it is built from."""
    from ui.section import _built

    calls = []

    def bars(y, *, font_size, height, theme="light"):
        calls.append(1)
        return go.Figure(go.Bar(y=y), layout=base_layout(title="t", font_size=font_size, height=height, theme=theme))

    y = np.array([0.25, 0.75])
    first = _built(bars, (y,), {"theme": "dark"}, 14, None, 560, "dark", False)
    again = _built(bars, (y.copy(),), {"theme": "dark"}, 14, None, 560, "dark", False)
    assert again is first and len(calls) == 1
    changes = [
        ((np.array([0.25, 0.7]),), {"theme": "dark"}, 14, None, 560, "dark", False),  # the numbers
        ((y,), {"theme": "light"}, 14, None, 560, "light", False),  # the theme
        ((y,), {"theme": "dark"}, 28, None, 560, "dark", True),  # classroom
        ((y,), {"theme": "dark"}, 14, 300, 560, "dark", False),  # the height
        ((y,), {"theme": "dark"}, 14, None, 350, "dark", False),  # a phone
    ]
    for args, kwargs, *rest in changes:
        fig, spec, _ = _built(bars, args, kwargs, *rest)
        assert spec is not first[1]
    assert len(calls) == 1 + len(changes)
    large = _built(bars, (y,), {"theme": "dark"}, 28, None, 560, "dark", True)[1]
    assert large["layout"]["xaxis"]["tickfont"]["size"] == 28  # classroom's large axes are in the remembered spec


def _blog_spec(build, font_size: int = 14) -> dict:
    v = core.layer_values(core.BLOG_X, core.BLOG_W)
    with planned_for(DESKTOP_FIGURE_WIDTH):
        if build is layer_derivative_figure:
            fig = build(core.BLOG_X, v.p, v.product, v.shortcut, font_size=font_size)
        else:
            fig = build(v.p, v.J, font_size=font_size)
    return wire_spec(fig, "light")


def test_cell_numbers_need_the_width_their_longest_number_takes_in_each_column():
    # dp/dW's 15 columns of "−0.00389" in 10 px type: more than a 1024 px laptop's 560 px chart gives
    dp = _blog_spec(layer_derivative_figure)
    need = cell_text_width(dp)
    assert need > DESKTOP_FIGURE_WIDTH
    longer = copy.deepcopy(dp)
    longer["data"][0]["text"][0][0] += "0000"  # one longer number widens every column
    assert cell_text_width(longer) > need
    bigger = copy.deepcopy(dp)
    for trace in bigger["data"][:2]:
        trace["textfont"] = {"size": 20}
    assert cell_text_width(bigger) > need
    # the Jacobian's 5 columns fit the laptop: no rule is needed for it
    assert cell_text_width(_blog_spec(jacobian_heatmap)) <= DESKTOP_FIGURE_WIDTH
    no_text = copy.deepcopy(dp)
    for trace in no_text["data"]:
        trace.pop("text", None)
    assert cell_text_width(no_text) is None


def test_a_1080p_projector_shows_the_blogs_dp_dw_numbers_to_two_digits():
    # In classroom mode a 1920 px screen gives dp/dW a 1,700 px chart (measured in Chromium). Its
    # "−0.00389" in 18 px type needed 1,802 px, so the chart showed colours only; "−0.0039" fits.
    chart_px_at_1920 = 1700
    projected = _blog_spec(layer_derivative_figure, FONT_LARGE)
    for panel in projected["data"][:2]:  # product and shortcut, compared side by side: the same digits
        assert panel["text"][0][:4] == ["0.015", "0.077", "0.062", "−0.0039"]
    assert cell_text_width(projected) <= chart_px_at_1920
    desktop = _blog_spec(layer_derivative_figure)
    assert desktop["data"][0]["text"][0][:4] == ["0.0154", "0.0772", "0.0618", "−0.00389"]


def test_cell_number_rule_is_a_container_query_on_the_charts_own_box():
    rule = cell_text_rule("chart_dpdw", 933)
    assert rule.startswith("<style>") and rule.endswith("</style>")
    assert ".st-key-chart_dpdw{container-type:inline-size}" in rule
    assert "@container (width < 933px){.st-key-chart_dpdw .heatmaplayer text{display:none}}" in rule
    assert ".st-key-a-b-c " in cell_text_rule("a b.c", 10)  # the class Streamlit makes of the key


def test_the_explorer_hides_only_the_cell_numbers_that_do_not_fit_a_laptop():
    at = open_app()
    rules = [h.proto.body for h in at.get("html") if "heatmaplayer" in h.proto.body]
    assert len(rules) == 1 and ".st-key-chart_dpdw" in rules[0]


def test_two_columns_of_formulas_stack_where_each_would_be_too_narrow():
    # Conventions: blog | PyTorch side by side only where each column has 330 px (z as a row of five)
    at = open_app(page="pages/conventions.py")
    rules = [h.proto.body for h in at.get("html") if ".st-key-conv_layouts" in h.proto.body]
    assert len(rules) == 1
    assert (
        "@container (width < 676px)" in rules[0] and "[data-testid=stColumn]{min-width:calc(100% - 1.5rem)}" in rules[0]
    )
    assert key_class("a b.c") == ".st-key-a-b-c"
