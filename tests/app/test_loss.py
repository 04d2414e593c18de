"""The Loss and gradient page under AppTest, reached through app.py's navigation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import core
from core.batch import make_batch
from tests.app.apptest import APP, chart, latex, metric, number, open_app, shown, unfold, values, warnings
from ui.link import to_query
from ui.reveal import reveal_key
from ui.state import default_state, state_from_preset

PAGE = "pages/loss.py"
OTHER_PAGES = ("pages/batch.py", "pages/derivation.py", "pages/conventions.py")
pytestmark = pytest.mark.xdist_group("apptest")


def open_page(query: dict[str, str] | None = None):
    return open_app(query, PAGE)


def param(at, key):
    v = at.query_params[key]
    return v[-1] if isinstance(v, list) else v


def test_defaults_use_the_blog_state_and_a_wrong_target():
    at = open_page()
    p = core.softmax(core.BLOG_W.T @ core.BLOG_X)
    target = at.selectbox(key="set_target").value
    assert target != int(np.argmax(p))
    y = core.one_hot(target, 5)
    bars = chart(at, "lg_chart_bars")
    np.testing.assert_allclose(values(bars["data"][1]["y"]), p - y, atol=1e-12)
    dw = chart(at, "lg_chart_dw")
    np.testing.assert_allclose(values(dw["data"][0]["z"]), core.loss_gradient(core.BLOG_X, core.BLOG_W, y), atol=1e-12)
    assert number(metric(at, "column sums vs")) < 1e-12
    assert number(metric(at, "loss L")) == pytest.approx(-np.log(p[target]), rel=1e-3)
    assert not at.warning
    # The page's settings are in the share link.
    assert at.query_params["loss"] in (["cross_entropy"], "cross_entropy")
    assert at.query_params["target"] in ([str(target)], str(target))


def test_step_and_play_change_the_loss_and_reset_restores_it():
    at = open_page()
    start = number(metric(at, "loss L"))
    at.button(key="lg_step").click().run()
    assert metric(at, "steps taken") == "1"
    after_one = number(metric(at, "loss L"))
    # An ASCII minus, so Streamlit colours the fall in loss as good (delta_color="inverse").
    assert next(m for m in at.metric if m.label == "loss L").delta.startswith("-")
    assert after_one < start
    loss_curve = values(chart(at, "lg_chart_descent")["data"][0]["y"])
    assert len(loss_curve) == 2 and loss_curve[1] == pytest.approx(after_one, rel=1e-3)
    at.number_input(key="lg_play_n").set_value(5).run()
    at.button(key="lg_play").click().run()
    assert metric(at, "steps taken") == "6"
    assert len(chart(at, "lg_chart_p_steps")["frames"]) == 7  # p animated over steps 0..6
    assert number(metric(at, "loss L")) < after_one
    at.button(key="lg_reset").click().run()
    assert metric(at, "steps taken") == "0"
    assert number(metric(at, "loss L")) == pytest.approx(start)


def test_changing_the_learning_rate_restarts_the_run():
    at = open_page()
    at.button(key="lg_step").click().run()
    at.select_slider(key="set_lr").set_value(0.1).run()
    assert metric(at, "steps taken") == "0"
    assert at.query_params["lr"] in (["0.1"], "0.1")


def test_loss_radio_changes_dl_dz():
    at = open_page()
    ce = values(chart(at, "lg_chart_bars")["data"][1]["y"])
    at.radio(key="set_loss").set_value("mse").run()
    assert not at.exception
    mse = values(chart(at, "lg_chart_bars")["data"][1]["y"])
    target = at.selectbox(key="set_target").value
    y = core.one_hot(target, 5)
    np.testing.assert_allclose(mse, core.loss_grad_z(core.BLOG_X, core.BLOG_W, y, "mse"), atol=1e-12)
    assert np.abs(ce - mse).max() > 0.1
    assert at.query_params["loss"] in (["mse"], "mse")


def test_target_choice_is_kept_across_a_page_switch():
    at = open_page()
    at.selectbox(key="set_target").set_value(4).run()
    other = next(p for p in OTHER_PAGES if (Path(APP).parent / p).exists())
    at.switch_page(other).run()
    assert not at.exception
    at.switch_page(PAGE).run()
    assert at.selectbox(key="set_target").value == 4


def test_explorer_state_carries_over():
    state = state_from_preset("random", 4, 6, seed=3)
    at = open_page(to_query(state))
    target = at.selectbox(key="set_target").value
    dw = values(chart(at, "lg_chart_dw")["data"][0]["z"])
    np.testing.assert_allclose(dw, core.loss_gradient(state.x, state.W, core.one_hot(target, 6)), atol=1e-12)


@pytest.mark.parametrize(("n", "K"), [(1, 2), (8, 8), (64, 32)])
def test_runs_at_small_and_large_sizes(n, K):
    at = open_page(to_query(state_from_preset("random", n, K, seed=1)))
    assert values(chart(at, "lg_chart_dw")["data"][0]["z"]).size == n * K
    at.button(key="lg_play").click().run()
    assert not at.exception
    assert metric(at, "steps taken") == "20"


def test_classroom_mode_runs_with_large_type():
    at = open_page(to_query(state_from_preset("blog")) | {"classroom": "1"})
    fig = chart(at, "lg_chart_bars")
    assert fig["layout"]["font"]["size"] == 24


@pytest.mark.parametrize(
    ("param", "value"),
    [("loss", "banana"), ("target", "99"), ("lr", "-1"), ("target", "two"), ("lr", "nan"), ("focus", "<b>top</b>")],
)
def test_bad_link_params_warn_and_fall_back(param, value):
    at = open_page({param: value})
    shown = " ".join(warnings(at))
    assert f"Link parameter '{param}' = \"{value}\"" in shown
    assert at.radio(key="set_loss").value in core.LOSSES
    assert 0 <= at.selectbox(key="set_target").value < 5


def test_good_link_params_are_used():
    at = open_page({"loss": "mse", "target": "0", "lr": "2"})
    assert at.radio(key="set_loss").value == "mse"
    assert at.selectbox(key="set_target").value == 0
    assert at.select_slider(key="set_lr").value == 2.0
    assert not at.warning


def test_comparison_shows_cross_entropy_gradient_far_larger():
    at = open_page()
    assert not [m for m in at.metric if m.label.startswith("‖∂L/∂z‖")]  # closed, the Reveal builds nothing
    unfold(at, reveal_key("lg_guess"))
    ce = number(metric(at, "‖∂L/∂z‖, cross"))
    mse = number(metric(at, "‖∂L/∂z‖, MSE"))
    assert ce > 50 * mse


def test_certain_wrong_state_explains_the_infinite_grad_p_and_still_learns():
    """p_target underflows to 0: ∂L/∂p is infinite (explained, not drawn); p − y and descent still work."""
    W = np.full((64, 4), -10.0)
    W[:, 0] = 10.0
    state = default_state().with_values(x=np.full(64, 10.0), W=W, preset="custom")
    at = open_page(to_query(state) | {"target": "1"})
    assert any("infinite" in w and "p₁" in w for w in warnings(at))
    np.testing.assert_allclose(values(chart(at, "lg_chart_dw")["data"][0]["z"])[0], [10.0, -10.0, 0.0, 0.0])
    at.button(key="lg_play").click().run()
    assert not at.exception
    assert number(metric(at, "p of target 1")) > 0.99


def test_target_probability_below_the_floor_but_not_zero_is_explained():
    """p_target ≈ 2.6e-261: ∂L/∂p is finite, yet the column route refuses; the page says why, no exception."""
    state = default_state().with_values(x=np.array([10.0]), W=np.array([[-3.0, 3.0]]), temperature=0.1, preset="custom")
    at = open_page(to_query(state) | {"target": "0"})
    assert any("cannot be formed" in c.value and "underflowed" in c.value for c in at.caption)
    assert not at.exception


def g4(v: float) -> str:
    """4 significant digits, powers of ten the LaTeX way (ui.text.tex's format, written independently)."""
    mantissa, _, exponent = f"{v:.4g}".partition("e")
    return mantissa + (rf"\times 10^{{{int(exponent)}}}" if exponent else "")


@pytest.mark.parametrize("loss", core.LOSSES)
def test_gradient_numbers_at_another_temperature_divide_by_t(loss):
    at = open_page(to_query(default_state().with_values(temperature=5.0)) | {"target": "2", "loss": loss})
    text = latex(at)
    y = core.one_hot(2, 5)
    p = core.softmax(core.BLOG_W.T @ core.BLOG_X, 5.0)
    gz = core.loss_grad_z(core.BLOG_X, core.BLOG_W, y, loss, 5.0)
    assert f"= {g4(gz[2])}" in text and g4(p[2]) in text and "/5" in text
    np.testing.assert_allclose(values(chart(at, "lg_chart_bars")["data"][1]["y"]), gz, atol=1e-15)
    L = core.loss_value(core.BLOG_X, core.BLOG_W, y, loss, 5.0)
    assert f"= {g4(L)}" in text


def test_the_link_holds_only_the_settings_of_the_page_on_screen():
    at = open_page()
    at.radio(key="set_loss").set_value("mse").run()
    at.select_slider(key="set_lr").set_value(0.1).run()
    assert {"target", "loss", "lr"} <= set(at.query_params) and not {"N", "bseed", "order"} & set(at.query_params)
    at.switch_page("pages/conventions.py").run()
    assert "order" in at.query_params and not {"target", "loss", "lr", "N", "bseed"} & set(at.query_params)
    at.switch_page("pages/batch.py").run()
    assert {"N", "bseed", "loss"} <= set(at.query_params) and not {"target", "lr"} & set(at.query_params)
    assert param(at, "loss") == "mse"  # the Batch page shows (and links) the Loss page's choice
    at.switch_page(PAGE).run()  # straight back: the widget of the same key is another widget on each page
    assert at.select_slider(key="set_lr").value == 0.1 and at.radio(key="set_loss").value == "mse"
    assert param(at, "lr") == "0.1" and param(at, "loss") == "mse"


def test_loss_setting_is_one_setting_for_the_loss_and_batch_pages():
    at = open_page()
    at.radio(key="set_loss").set_value("mse").run()
    at.switch_page("pages/batch.py").run()
    assert not at.exception
    assert at.radio(key="set_loss").value == "mse"  # one setting for both pages
    assert param(at, "loss") == "mse"
    X, labels = make_batch(3, 5, 8, seed=0)
    grad = values(chart(at, "bt_chart_gradients")["data"][-1]["z"])
    np.testing.assert_allclose(grad, core.loss_gradient(X, core.BLOG_W, core.one_hot(labels, 5), "mse"), atol=1e-14)


def test_reveal_stays_closed_in_classroom_mode_until_a_guess():
    at = open_page({"classroom": "1"})
    (reveal,) = [e for e in at.expander if e.label == "Reveal"]
    assert not reveal.proto.expanded  # a deliberate fix: it used to open by itself when projecting
    at.radio(key="lg_guess").set_value("MSE").run()
    (reveal,) = [e for e in at.expander if e.label == "Reveal"]
    assert reveal.proto.expanded
    assert any("Not quite" in m.value for m in at.markdown)


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_sum_the_columns_read_both_ways(loss):
    """Unweighted, dp/dW's columns sum to 0 (rounding residue named); weighted by ∂L/∂p, to ∂L/∂W."""
    at = open_page({"loss": loss, "target": "2"})
    # 0 in large type; the rounding left over, if any, named as such in small print
    assert metric(at, "max |column sum|") == "0"
    shown = next(m for m in at.metric if m.label == "max |column sum|").delta
    assert shown is None or (shown.startswith("rounding: ") and 0 <= number(shown.split(": ")[1]) < 1e-15)
    text = latex(at)
    zeros = r"\begin{bmatrix}" + r" \\ ".join([" & ".join(["0"] * 5)] * 3) + r"\end{bmatrix}"
    assert zeros in text and r"\underbrace{\sum_t p_t}_{=\,1} = 0" in text
    # Independent oracle for the weighted reading: ∂L/∂W = x·(∂L/∂z)ᵀ from NumPy alone.
    x, W = core.BLOG_X, core.BLOG_W
    p = np.exp(W.T @ x) / np.exp(W.T @ x).sum()
    y = np.eye(5)[2]
    J = np.diag(p) - np.outer(p, p)
    grad_z = p - y if loss == "cross_entropy" else J.T @ (2 * (p - y) / 5)
    summed = values(chart(at, "lg_chart_columns")["data"][0]["z"])[-1]  # the Σ row, class-major columns
    np.testing.assert_allclose(summed, np.outer(x, grad_z).T.ravel(), atol=1e-12)
    assert np.abs(summed).max() > 1e-3  # weighted, the sums are not 0
    assert number(metric(at, "column sums vs")) < 1e-12
    assert any("same 0 the quotient-rule reader got" in m.value for m in at.markdown)


# ---------------------------------------------------------------- section 6: the probability triangle


def _subheaders(at) -> list[str]:
    return [h.value for h in at.subheader]


def test_at_three_classes_the_triangle_draws_p_and_one_step():
    state = state_from_preset("random", 4, 3, seed=2)
    at = open_page(to_query(state) | {"loss": "mse", "lr": "1"})
    fig = chart(at, "lg_chart_triangle")
    v = core.layer_values(state.x, state.W)
    target = at.selectbox(key="set_target").value
    step = core.descent_step(v, core.loss_values(v, target, "mse"), 1.0)
    drawn = {t.get("name", ""): t for t in fig["data"]}
    arrow = next(t for name, t in drawn.items() if name.startswith("one step, first order"))
    corners = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])
    np.testing.assert_allclose(values(arrow["x"]), [v.p @ corners[:, 0], (v.p + step.predicted) @ corners[:, 0]])
    assert f"target y: class {target}" in drawn
    assert any("triangle" in h for h in _subheaders(at))
    assert number(metric(at, "first order missed by")) == pytest.approx(np.abs(step.error).max(), rel=1e-2)
    assert "every possible output is a point of this flat triangle" in "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize(("n", "K"), [(3, 5), (8, 32), (2, 2)])
def test_other_sizes_explain_the_triangle_and_switch_to_three_classes(n, K):
    at = open_page(to_query(state_from_preset("random", n, K, seed=3)))
    assert not [c for c in at.get("plotly_chart") if "lg_chart_triangle" in c.proto.id]
    assert any("needs exactly 3 classes" in i.value for i in at.info)
    at.button(key="lg_to_three").click().run()
    assert not at.exception
    assert param(at, "K") == "3" and param(at, "n") == str(n)  # n is kept
    assert at.number_input(key="ctl_K").value == 3  # the sidebar shows the new size
    chart(at, "lg_chart_triangle")


def test_a_focus_in_the_link_brings_its_section_to_the_top_open():
    at = open_page({"focus": "weight_gradient", "classroom": "1"})
    assert _subheaders(at)[0].startswith("2 · The weight gradient")
    assert [h[:3] for h in _subheaders(at)] == ["2 ·", "1 ·", "3 ·", "4 ·", "5 ·", "6 ·"]  # then the usual order
    assert any("The settings and the rest of the page follow below" in m.value for m in at.markdown)
    assert "Row j is x_j times the same vector" in "\n".join(shown(at, "markdown"))  # open even when projecting
    assert param(at, "focus") == "weight_gradient"
    at.selectbox(key="set_focus").set_value("all").run()
    assert _subheaders(at)[0].startswith("1 · From the loss back to z")
