"""The Explorer page under AppTest: runs everywhere, widgets drive the figures, links round-trip."""

from __future__ import annotations

import json

import numpy as np
import pytest

import core
from tests.app.apptest import chart, open_app, unescape, unfold, values, warnings
from ui.link import parse_query, to_query
from ui.state import default_state, state_from_preset

pytestmark = pytest.mark.xdist_group("apptest")


def run(query: dict[str, str] | None = None):
    return open_app(query)


def jacobian_z(at) -> np.ndarray:
    return values(figures(at)[1]["data"][0]["z"])


def figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_defaults_show_the_blog_and_four_views():
    at = run()
    assert len(at.get("plotly_chart")) == 4
    _, p = core.forward(core.BLOG_X, core.BLOG_W)
    np.testing.assert_allclose(jacobian_z(at), core.softmax_jacobian(p), atol=1e-15)
    metrics = {m.label: m.value for m in at.metric}
    assert float(metrics["max |product − shortcut|"].replace("−", "-")) < 1e-15
    assert at.query_params["preset"] == ["blog"] or at.query_params["preset"] == "blog"


@pytest.mark.parametrize("name", sorted(core.PRESETS))
def test_every_preset_runs(name):
    at = run()
    at.selectbox(key="ctl_preset").set_value(name).run()
    assert not at.exception
    assert at.session_state["layer_state"].preset == name
    pre = core.make_preset(name, 3, 5, 0)
    np.testing.assert_array_equal(at.session_state["layer_state"].W, pre.W)


def test_moving_a_slider_changes_p_and_the_jacobian():
    at = run()
    before = jacobian_z(at)
    at.slider(key="ctl_x_0").set_value(1.5).run()
    assert not at.exception
    after = jacobian_z(at)
    assert not np.allclose(before, after)
    x = core.BLOG_X.copy()
    x[0] = 1.5
    _, p = core.forward(x, core.BLOG_W)
    np.testing.assert_allclose(after, core.softmax_jacobian(p), atol=1e-15)
    assert at.session_state["layer_state"].preset == "custom"
    assert at.query_params["x"] in (["1.5,0.5,0.4"], "1.5,0.5,0.4")


def test_weight_and_temperature_controls():
    at = run()
    assert {s.key for s in at.slider if s.key.startswith("ctl_W_")} == {"ctl_W_0_0", "ctl_W_1_0", "ctl_W_2_0"}
    at.button_group(key="ctl_W_class_5").set_value(4).run()  # only the picked class's sliders are drawn
    assert {s.key for s in at.slider if s.key.startswith("ctl_W_")} == {"ctl_W_0_4", "ctl_W_1_4", "ctl_W_2_4"}
    at.slider(key="ctl_W_2_4").set_value(-2.0).run()
    at.select_slider(key="ctl_T").set_value(2.0).run()
    state = at.session_state["layer_state"]
    assert state.W[2, 4] == -2.0 and state.temperature == 2.0
    _, p = core.forward(state.x, state.W, 2.0)
    np.testing.assert_allclose(jacobian_z(at), core.softmax_jacobian(p, 2.0), atol=1e-15)


def test_resizing_keeps_overlapping_numbers():
    at = run()
    at.number_input(key="ctl_K").set_value(7).run()
    at.number_input(key="ctl_n").set_value(5).run()
    state = at.session_state["layer_state"]
    assert state.W.shape == (5, 7)
    np.testing.assert_array_equal(state.W[:3, :5], core.BLOG_W)
    # x₀…x₄ and the 5 weights of the picked class (the picker has the 7 classes)
    assert {s.key for s in at.slider if s.key.startswith("ctl_")} == {f"ctl_x_{j}" for j in range(5)} | {
        f"ctl_W_{j}_0" for j in range(5)
    }
    assert at.button_group(key="ctl_W_class_7").options == [f"k={k}" for k in range(7)]


def test_selected_entry_follows_the_selectors():
    at = run()
    at.selectbox(key="sel_t").set_value(4).run()
    at.selectbox(key="sel_i").set_value(2).run()
    at.selectbox(key="sel_j").set_value(0).run()
    assert at.session_state["layer_state"].selected == (4, 2, 0)
    latex = " ".join(el.value for el in at.latex)
    assert r"\partial W_{0,2}" in latex and r"\delta_{4,2}" in latex
    assert at.query_params["sel"] in (["4,2,0"], "4,2,0")


def test_good_paste_applies_and_bad_paste_changes_nothing():
    at = unfold(run(), "ctl_paste_box")
    at.text_area(key="ctl_paste_x").set_value("1 2")
    at.text_area(key="ctl_paste_W").set_value("[[1, 2, 3], [4, 5, 6]]")
    at.button[[b.label for b in at.button].index("Use these numbers")].click().run()
    state = at.session_state["layer_state"]
    assert state.W.shape == (2, 3) and not at.error
    at.text_area(key="ctl_paste_W").set_value("1 2 3\n4 x 6")
    at.button[[b.label for b in at.button].index("Use these numbers")].click().run()
    # The message quotes the paste, so it is shown escaped (ui.text.literal): read it as the visitor does.
    assert any("W row 2, value 2: 'x' is not a number" in unescape(e.value) for e in at.error), at.error
    at.text_area(key="ctl_paste_W").set_value("1 2 3\n4 <b>x</b> 6")
    at.button[[b.label for b in at.button].index("Use these numbers")].click().run()
    assert any("'<b>x</b>' is not a number" in unescape(e.value) and "<b>" not in e.value for e in at.error)
    assert at.session_state["layer_state"] == state


def test_share_link_round_trips():
    state = state_from_preset("random", 6, 7, seed=5).with_values(selected=(3, 2, 4), temperature=2.5)
    at = run(to_query(state))
    assert at.session_state["layer_state"] == state
    back, warnings = parse_query({k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()})
    assert back == state and not warnings
    assert not at.warning


def test_largest_size_runs_without_sliders():
    state = state_from_preset("random", 64, 32, seed=3)
    at = run(to_query(state.with_values(selected=(4, 9, 17))))
    # dp/dW as an overview of every entry and class 9's block magnified: 5 charts in all
    assert len(at.get("plotly_chart")) == 5
    assert chart(at, "chart_dpdw")["data"][0]["z"]["dtype"] == "i1"  # 65,536 colour levels, as bytes
    assert "Class 9's block" in chart(at, "chart_dpdw_block")["layout"]["title"]["text"]
    assert not any(s.key and s.key.startswith("ctl_x_") for s in at.slider)
    assert jacobian_z(at).shape == (32, 32)


def test_classroom_mode_keeps_a_compact_control_strip():
    at = run({"classroom": "1"})
    # The sidebar is not drawn (no W sliders, no sizes); preset, T and x stay at hand in one menu.
    assert {s.key for s in at.slider if s.key and s.key.startswith("ctl_")} == {"ctl_x_0", "ctl_x_1", "ctl_x_2"}
    assert not any(n.key in ("ctl_n", "ctl_K") for n in at.number_input)
    assert at.selectbox(key="ctl_preset").value == "blog"
    at.slider(key="ctl_x_0").set_value(0.9).run()
    assert at.query_params["x"][0].startswith("0.9") or str(at.query_params["x"]).startswith("0.9")
    assert len(at.get("plotly_chart")) == 4
    spec = figures(at)[1]
    assert spec["layout"]["font"]["size"] >= 20
    assert spec["layout"]["xaxis"]["tickfont"]["size"] >= 18  # Streamlit's theme would shrink them


HOSTILE = [
    {"n": "banana"},
    {"x": "1,2,zz", "W": "1;2"},
    {"T": "-4"},
    {"T": "nan"},
    {"sel": "99,1,1"},
    {"preset": "%3Cscript%3E"},
    {"x": "1e400,1", "W": "1,2;3,4"},
    {"x": "1," * 40_000, "W": "1"},
    {"K": "1000", "preset": "random", "n": "3"},
    {"x": "1,2", "W": "1,2,3;4,5"},
    {"seed": "abc", "preset": "random"},
    {"classroom": "1", "x": "", "W": ""},
]


@pytest.mark.parametrize("query", HOSTILE, ids=[str(i) for i in range(len(HOSTILE))])
def test_hostile_links_warn_and_still_draw(query):
    at = run(query)
    assert at.warning, f"no warning shown for {query}"
    assert all(text.startswith("Link parameter '") for text in warnings(at)), warnings(at)
    assert len(at.get("plotly_chart")) == 4


def test_link_warnings_show_the_given_text_as_typed_never_as_markup():
    at = run({"preset": "[Fix this](http://example.org)", "T": "<b>hot</b>"})
    raw = [w.value for w in at.warning]
    assert len(raw) == 2
    # Escaped for Markdown: no link and no HTML can form, …
    assert not any("](" in w or "<b>" in w for w in raw)
    # … and the visitor reads exactly what the link held.
    text = " ".join(warnings(at))
    assert "Link parameter 'preset' = \"[Fix this](http://example.org)\"" in text
    assert "Link parameter 'T' = \"<b>hot</b>\": must be a number in [0.1, 10]; using T = 1." in text
    assert len(at.get("plotly_chart")) == 4


def test_tables_on_demand_match_core():
    at = run()
    assert not at.dataframe  # nothing heavy until asked for
    at.toggle(key="show_tables").set_value(True).run()
    frames = {df.value.shape: df.value for df in at.dataframe}
    assert len(at.dataframe) == 6
    np.testing.assert_allclose(frames[(5, 15)].to_numpy(), core.layer_jacobian_product(core.BLOG_X, core.BLOG_W))
    assert list(frames[(5, 15)].columns[:4]) == ["W[0,0]", "W[1,0]", "W[2,0]", "W[0,1]"]


def test_tables_at_another_temperature_say_p_is_softmax_of_z_over_t():
    at = run(to_query(default_state().with_values(temperature=5.0)))
    assert at.session_state["layer_state"].temperature == 5.0
    at.toggle(key="show_tables").set_value(True).run()
    headings = [m.value for m in at.markdown]
    assert "**z = Wᵀx and p = softmax(z / T)**" in headings
    assert not any("z = Wᵀx / T" in h for h in headings)  # z is Wᵀx itself: T divides inside softmax
    (zp,) = [df.value for df in at.dataframe if list(df.value.columns) == ["z", "p"]]
    z = core.BLOG_W.T @ core.BLOG_X
    np.testing.assert_allclose(zp["z"].to_numpy(), z, atol=1e-15)
    np.testing.assert_allclose(zp["p"].to_numpy(), core.softmax(z, 5.0), atol=1e-15)
    at.select_slider(key="ctl_T").set_value(1.0).run()
    headings = [m.value for m in at.markdown]
    assert "**z = Wᵀx and p = softmax(z)**" in headings


def test_a_move_builds_no_closed_fold_and_an_open_one_follows_the_move():
    # The question menu, paste box, NumPy code, share box and Export menu are seldom open: closed,
    # a slider move builds none of their ~20 elements (ui.fold).
    at = run()
    at.slider(key="ctl_x_0").set_value(0.2).run()
    assert not at.get("download_button") and not at.code and not at.get("text_area") and not at.get("file_uploader")
    assert len(at.get("page_link")) == 5  # the Explorer's own question box only
    unfold(at, "explorer_numpy", "ctl_paste_box", "export_chart_jacobian_export_menu")
    at.slider(key="ctl_x_0").set_value(0.3).run()
    assert not at.exception
    assert any("x = np.array([0.3, 0.5, 0.4])" in c.value for c in at.code)  # still open, with the new x
    assert at.text_area(key="ctl_paste_x").value == "0.3, 0.5, 0.4"
    assert {b.label for b in at.get("download_button")} == {"CSV", "LaTeX (bmatrix)", "HTML (standalone figure)"}


def test_numpy_snippet_is_offered():
    at = run()
    assert not [c for c in at.code if "np.array" in c.value]  # folded: not built on every move
    unfold(at, "explorer_numpy")
    code = [c.value for c in at.code if "np.array" in c.value]
    assert code and "x = np.array([0.1, 0.5, 0.4])" in code[0]


def test_a_state_too_big_for_a_link_is_offered_as_a_file():
    from urllib.parse import urlencode

    from ui import link_numbers
    from ui.link import parse_query

    rng = np.random.default_rng(5)
    big = {"n": "64", "K": "32", "preset": "custom", "x": ",".join(repr(float(v)) for v in rng.normal(size=64)),
           "W": ";".join(",".join(repr(float(v)) for v in row) for row in rng.normal(size=(64, 32)))}  # fmt: skip
    at = unfold(run(big), "explorer_share")
    state = at.session_state["layer_state"]
    assert state.W.shape == (64, 32)  # the long link (an old one, or a hand-made one) opens fine
    link = {k: at.query_params[k] for k in at.query_params}
    link = {k: v[-1] if isinstance(v, list) else v for k, v in link.items()}
    assert link["xw"] == link_numbers.TOO_BIG and len(urlencode(link)) <= link_numbers.QUERY_MAX
    assert [w.value for w in at.warning if "too many for a link" in w.value]  # the share box says why
    assert [w for w in at.warning if "Link parameter" in w.value] == []
    # The offered state file reopens the identical state.
    content = link_numbers.state_file(__import__("ui.link", fromlist=["to_query"]).to_query(state, full=True))
    assert parse_query(link_numbers.read_state_file(content)) == (state, [])


def test_a_chart_the_browser_measured_is_sent_at_its_width_and_the_others_without_one():
    """Streamlit mounts a changed chart hidden until it has measured it; a chart whose width the
    page's watcher measured (ui.viewport) carries it and is shown at once."""
    from ui.section import CHART_WIDTHS_KEY

    at = open_app()
    assert "width" not in chart(at, "chart_output")["layout"]  # not measured yet
    at.session_state[CHART_WIDTHS_KEY] = {"chart_output": 777, "chart_jacobian": 555}
    at.run()
    assert chart(at, "chart_output")["layout"]["width"] == 777
    assert chart(at, "chart_jacobian")["layout"]["width"] == 555
    assert "width" not in chart(at, "chart_dzdw")["layout"]


def test_a_bad_links_warnings_stay_for_the_run_the_page_starts_itself_and_go_with_the_visitors_next():
    """A page opened from a link runs again once its watcher has measured it (ui.viewport); the
    warnings about the link, shown once, were gone ~0.3 s after they appeared."""
    from ui.session import UNPROMPTED_KEY

    at = run({"T": "-4", "x": "1,2,zz"})
    first = warnings(at)
    assert any("'T'" in w for w in first) and any("'W'" in w for w in first), first
    at.session_state[UNPROMPTED_KEY] = True  # as the measure's callback marks the run it starts
    at.run()
    assert warnings(at) == first
    at.slider(key="ctl_x_0").set_value(0.3)
    at.run()
    assert warnings(at) == []
