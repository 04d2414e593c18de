"""The Derivation page under AppTest, reached through app.py's navigation.

Expected numbers are computed here with plain NumPy (not core) and formatted with Python's
4-significant-digit format, then looked for in the page's LaTeX.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pyarrow as pa
import pytest

import core
from tests.app.apptest import latex, metric, number, open_app, unfold, values
from ui.link import DERIVATION_STEPS, to_query
from ui.state import LayerState
from ui.text import MINUS

PAGE = "pages/derivation.py"
pytestmark = pytest.mark.xdist_group("apptest")


def open_page(query: dict[str, str] | None = None):
    return open_app(query, PAGE)


def g4(v: float) -> str:
    """4 significant digits; an exponent written the LaTeX way (2.9e-07 → 2.9\\times 10^{-7})."""
    mantissa, _, exponent = f"{v:.4g}".partition("e")
    return mantissa + (rf"\times 10^{{{int(exponent)}}}" if exponent else "")


def g3(v: float) -> str:
    mantissa, _, exponent = f"{v:.3g}".partition("e")
    return mantissa + (rf"\times 10^{{{int(exponent)}}}" if exponent else "")


def probs(x, W, T=1.0):
    z = np.asarray(W, float).T @ np.asarray(x, float) / T
    e = np.exp(z - z.max())
    return e / e.sum()


def query_for(x, W, **kw) -> dict[str, str]:
    return to_query(LayerState(x=np.asarray(x, float), W=np.asarray(W, float), preset="custom", **kw))


def chart_ids(at) -> list[str]:
    return [c.proto.id for c in at.get("plotly_chart")]


def walk(query: dict[str, str] | None = None):
    """Open the first step and press Next to the last: (the AppTest, all LaTeX, all chart specs, steps seen)."""
    at = open_page({**(query or {}), "step": "forward"})
    texts, specs, seen = [], [], []
    while True:
        seen.append(at.query_params["step"])
        texts.append(latex(at))
        specs += [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
        nxt = [b for b in at.button if b.key == "drv_bottom_next"]
        if not nxt:
            return at, "\n".join(texts), specs, seen
        nxt[0].click().run()
        assert not at.exception, [e.value for e in at.exception]


def test_defaults_show_the_blog_numbers_in_every_step():
    at, text, specs, seen = walk()
    assert seen == list(DERIVATION_STEPS)  # Next goes through every step, in the contents' order
    p = probs(core.BLOG_X, core.BLOG_W)
    for v in p:
        assert g4(v) in text
    assert g4(p[0] * (1 - p[0])) in text  # J[0, 0], the i = j case at the default i = 0
    assert "0.07723" in text  # the blog's printed DL[0, 1], step 5 (t = 0, i = 0)
    assert r"\boxed" in text and r"\circ" in text and r"\otimes" in text
    assert len(specs) == 5  # Jacobian, the path diagram, dz/dW, dp/dW, the nudge's error curve
    assert "(seed" not in " ".join(h.value for h in at.subheader)


def test_previous_and_next_round_trip_through_the_link():
    at = open_page({"step": "output"})
    assert at.radio(key="set_step").value == "output"
    at.button(key="drv_bottom_next").click().run()
    assert at.query_params["step"] == "chain" and at.radio(key="set_step").value == "chain"
    at.button(key="drv_bottom_prev").click().run()
    at.button(key="drv_bottom_prev").click().run()
    assert at.query_params["step"] == "matrix"
    # The contents choose a step directly; the link then reopens it in a fresh session.
    at.radio(key="set_step").set_value("nudge").run()
    assert at.query_params["step"] == "nudge"
    again = open_page(dict(at.query_params))
    assert again.radio(key="set_step").value == "nudge"
    assert "8. Nudge a weight" in [h.value.split(":")[0] for h in again.subheader]
    # First and last steps have only one direction.
    assert not [b for b in open_page({"step": "forward"}).button if b.key == "drv_bottom_prev"]
    assert not [b for b in open_page({"step": "mistakes"}).button if b.key == "drv_bottom_next"]


def test_a_bad_step_in_the_link_warns_and_starts_at_the_beginning():
    at = open_page({"step": "<b>nope</b>"})
    assert at.radio(key="set_step").value == "forward"
    assert any("step" in w.value for w in at.warning)


def test_the_two_cases_are_shown_side_by_side_and_follow_i_and_j():
    at = open_page({"step": "cases"})
    p = probs(core.BLOG_X, core.BLOG_W)
    before = latex(at)
    assert "i = j = 0" in before and r"i = 0 \neq j = 1" in before  # both cases at once (j = i moves off)
    at.selectbox(key="drv_i").set_value(2)
    at.selectbox(key="drv_j").set_value(4)
    at.run()
    assert not at.exception
    after = latex(at)
    assert r"i = 2 \neq j = 4" in after and "i = j = 2" in after
    assert g4(-p[2] * p[4]) in after and g4(p[2] * (1 - p[2])) in after
    # The choice is written back, so the Explorer highlights the same entry.
    assert at.session_state["layer_state"].selected == (2, 4, 1)
    at.radio(key="set_step").set_value("shortcut").run()
    assert g4(-p[2] * p[4] * core.BLOG_X[1]) in latex(at)  # step 6 entry (t, i, j) = (2, 4, 1)
    at.selectbox(key="drv_x").set_value(2).run()
    assert at.session_state["layer_state"].selected == (2, 4, 2)
    assert g4(-p[2] * p[4] * core.BLOG_X[2]) in latex(at)  # step 6 follows the input j


def test_the_blog_panel_marks_every_printed_number_as_matching():
    at = open_page({"step": "blog"})
    summary, *tables = [d.value for d in at.dataframe]
    assert list(summary["printout"]) == ["h", "DS", "DZ", "DL", "DL_shortcut"]
    assert list(summary["numbers"]) == [5, 25, 75, 75, 75]
    assert (summary["matching"] == summary["numbers"]).all()
    assert (summary["largest difference (last-digit units)"] < 1).all()
    assert sum(len(t) for t in tables) == 255 and all((t["match"] == "✓").all() for t in tables)
    dl = tables[3].set_index("entry")
    assert dl.loc["DL[0,0]", "blog prints"] == "0.01544" and dl.loc["DL[0,0]", "app, same digits"] == "0.01545"
    assert any("truncates" in m.value and "0.01544" in m.value for m in at.markdown)


def test_the_blog_panel_uses_the_blogs_layer_for_other_numbers():
    at = open_page({**query_for([0.3, -1.2], [[0.5, -0.25], [2.0, 0.1]]), "step": "blog"})
    assert any("not the blog's" in i.value for i in at.info)
    assert (at.dataframe[0].value["matching"] == at.dataframe[0].value["numbers"]).all()


def test_the_blogs_orientation_of_dz_dw_is_a_toggle():
    at = open_page({"step": "chain"})
    assert not at.dataframe
    at.toggle(key="drv_dz_blog").set_value(True).run()
    frame = at.dataframe[0].value
    assert frame.shape == (15, 5) and frame.iloc[4, 1] == 0.5  # W[1,1] moves z1 by x1, the blog's z_dir
    assert any("0.01544" in c.value for c in at.caption)  # why the blog prints 0.01544 where the app has 0.01545


def test_projected_tables_are_html_in_the_page_type_and_big_ones_stay_grids():
    """Classroom mode: a data grid's canvas keeps its 14-px type under 22-px text, so a small table
    is an HTML table (which the page's type sizes) and keeps its numbers' text."""
    at = open_page({"step": "nudge", "classroom": "1"})
    assert not at.dataframe and len(at.table) == 1
    shown = pa.ipc.open_stream(at.table[0].proto.arrow_data.styler.display_values).read_all().to_pandas()
    assert any(str(c).startswith(MINUS) for c in shown.to_numpy().ravel())  # formatted as on every page
    assert len(open_page({"step": "nudge"}).dataframe) == 1
    big = open_page({"step": "blog", "classroom": "1"})  # the blog's check tables: 75 rows each
    assert big.dataframe and all(t.value.size <= 400 for t in big.table)


def test_the_nudge_measures_what_the_derivative_predicts():
    at = open_page({"step": "nudge", "eps": "0.0001"})
    assert abs(number(metric(at, "relative error"))) < 1e-3
    # The error curve: from ε = 1e-2 to 1e-3 it falls at least 50×.
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    curve = dict(zip(values(spec["data"][0]["x"]), values(spec["data"][0]["y"]), strict=True))
    assert curve[1e-2] / curve[1e-3] >= 50
    # Independent oracle: rerun the blog's layer by hand with W[1, 0] + ε (selected entry (0, 0, 1)).
    W2 = np.array(core.BLOG_W)
    W2[1, 0] += 1e-4
    measured = probs(core.BLOG_X, W2)[0] - probs(core.BLOG_X, core.BLOG_W)[0]
    assert abs(number(metric(at, "measured Δp₀")) - measured) < 1e-9
    # The table writes its numbers as the sentences do: "−1.94288 × 10⁻⁶", never "-1.94288e-06".
    shown = pa.ipc.open_stream(at.dataframe[0].proto.arrow_data.styler.display_values).read_all().to_pandas()
    cells = [str(c) for c in shown.drop(columns=[c for c in shown.columns if c.startswith("__")]).to_numpy().ravel()]
    assert any(c.startswith(MINUS) for c in cells) and not any("-" in c or "e" in c for c in cells)
    assert any("× 10⁻" in c for c in cells)
    # The subtraction is printed so that it checks: p after − p before = measured, digit for digit.
    formulas = [e.value.strip("$\n") for e in at.latex]
    after, before, diff = next(m.groups() for f in formulas if (m := re.fullmatch(r"([\d.]+) - ([\d.]+) = (.+)", f)))
    diff = float(diff.replace(r"\times 10^{", "e").rstrip("}"))
    places = len(after.split(".")[1])
    assert places == len(before.split(".")[1]) and round(float(after) - float(before), places) == diff
    assert abs(float(diff) - measured) < 10**-places
    at.select_slider(key="set_eps").set_value(1.0).run()
    assert number(metric(at, "relative error")) > 1e-2  # a big nudge is not linear any more
    assert at.query_params["eps"] == "1"
    at.radio(key="drv_nudge_what").set_value("x").run()
    assert not at.exception and "input x" in at.radio(key="drv_nudge_what").format_func("x")


def test_explorer_state_carries_over_from_the_link():
    x = [0.3, -1.2]
    W = [[0.5, -0.25, 1.0], [2.0, 0.1, -0.7]]
    at, text, _, _ = walk(query_for(x, W, temperature=2.0, selected=(1, 2, 0)))
    z = np.asarray(W).T @ np.asarray(x)
    p = probs(x, W, 2.0)
    for v in z:
        assert g4(v) in text
    assert at.selectbox(key="drv_i").value == 1 and at.selectbox(key="drv_j").value == 2
    assert g4(-p[1] * p[2] / 2.0) in text  # ∂p₁/∂z₂ at T = 2
    assert "s = z/T" in text
    assert at.selectbox(key="drv_x").value == 0
    # The common mistakes are about δ and z versus a, so they are shown at T = 1.
    assert any("shown at T = 1" in c.value for c in at.caption)
    p1 = probs(x, W, 1.0)
    assert g4(-p1[1] * p1[2]) in text  # logits mistake, right side: a₁(δ₁₂ − a₂) at T = 1


def test_smallest_size_k2_n1():
    at = open_page({**query_for([0.7], [[1.5, -0.5]], selected=(1, 0, 0)), "step": "cases"})
    p = probs([0.7], [[1.5, -0.5]])
    text = latex(at)
    assert g4(-p[1] * p[0]) in text


def test_eight_by_eight_writes_matrices_out():
    s = core.make_preset("random", 8, 8, 3)
    at = open_page({**to_query(LayerState(x=s.x, W=s.W, preset="random", seed=3)), "step": "matrix"})
    text = latex(at)
    p = probs(s.x, s.W)
    J = np.diag(p) - np.outer(p, p)
    assert all(g3(v) in text for v in J.ravel())  # 8 columns: 3 significant digits to fit a screen


def test_largest_size_runs_and_shows_heatmaps_instead_of_matrices():
    s = core.make_preset("random", 64, 32)
    at, text, specs, _ = walk(to_query(LayerState(x=s.x, W=s.W, preset="random")))
    assert r"32\times32" in text and "heatmap" in text
    jacobian, _, dz_dw, overview, block = specs[:5]  # not the path diagram (2nd), not the nudge's curve
    # rows and columns: dz/dW at this size names them in its (row, column, value) triplets
    assert len(set(jacobian["data"][0]["y"])) == 32 and len(set(jacobian["data"][0]["x"])) == 32
    rows, cols = (values(dz_dw["data"][0][axis]) for axis in ("y", "x"))  # numeric positions
    assert set(rows.tolist()) == set(range(32)) and sorted(cols.tolist()) == list(range(32 * 64))
    # dp/dW: every entry in colour levels, then the selected class's block (K × n)
    assert values(overview["data"][0]["z"]).shape == (32, 32 * 64) and values(block["data"][0]["z"]).shape == (32, 64)


def test_classroom_mode_runs_with_large_figures():
    at = open_page({"classroom": "1", "step": "matrix"})
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["font"]["size"] >= 20
    layout = spec["layout"]
    assert layout["height"] - layout["margin"]["t"] - layout["margin"]["b"] >= 540  # the plot, without its margins


def test_predict_then_reveal_judges_the_guess():
    at = open_page({"step": "matrix"})
    at.radio(key="drv_guess_rows").set_value("0")
    at.run()
    assert any("Right" in m.value for m in at.markdown)
    at.radio(key="drv_guess_rows").set_value("1")
    at.run()
    assert any("Not quite" in m.value for m in at.markdown)


def test_common_mistake_shows_zero_beside_the_right_vector():
    at = open_page({"step": "mistakes"})
    text = latex(at)
    p = probs(core.BLOG_X, core.BLOG_W)
    assert r"\begin{bmatrix}0 & 0 & 0\end{bmatrix}^{\top}" in text  # seed 000's "= 0"
    for v in p[0] * (1 - p[0]) * core.BLOG_X:
        assert g3(v) in text  # the right vector, 3 digits to fit a half-width column


def test_page_runs_inside_the_app_frame():
    at = open_page()
    assert [t.key for t in at.toggle] == ["ctl_classroom"]


def test_the_shortcut_step_of_a_big_layer_shows_the_overview_and_the_block_and_exports_the_product():
    # Three full 32 × 2048 panels were 1,159 kB of chart spec on every move.
    at = open_app({"preset": "random", "n": "64", "K": "32", "step": "shortcut", "sel": "3,9,17"}, PAGE)
    charts = {c.proto.id.rsplit("-", 1)[-1]: c for c in at.get("plotly_chart")}
    assert set(charts) == {"drv_chart_dpdw", "drv_chart_dpdw_block"}
    assert "Class 9's block" in json.loads(charts["drv_chart_dpdw_block"].proto.spec)["layout"]["title"]["text"]
    assert sum(len(c.proto.spec) for c in charts.values()) < 300_000
    unfold(at, "export_drv_chart_dpdw_export_menu")
    assert any(b.proto.id.endswith("drv_chart_dpdw_export_csv") for b in at.get("download_button"))  # the product
