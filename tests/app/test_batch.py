"""The Batch page under AppTest, reached through app.py's navigation."""

from __future__ import annotations

import numpy as np
import pytest

import core
from core.batch import make_batch
from tests.app.apptest import chart, metric, number, open_app, unescape, values, warnings
from ui.link import to_query
from ui.state import state_from_preset

PAGE = "pages/batch.py"
pytestmark = pytest.mark.xdist_group("apptest")


def open_page(query: dict[str, str] | None = None):
    return open_app(query, PAGE)


def param(at, key):
    v = at.query_params[key]
    return v[-1] if isinstance(v, list) else v


def test_defaults_draw_core_numbers_for_the_explorer_state():
    at = open_page()
    X, labels = make_batch(3, 5, 8, seed=0)
    Y = core.one_hot(labels, 5)
    jac = chart(at, "bt_chart_jacobians")
    assert len(jac["data"]) == 8
    p0 = core.softmax(core.BLOG_W.T @ X[0])
    np.testing.assert_allclose(values(jac["data"][0]["z"]), core.softmax_jacobian(p0), atol=1e-15)
    grad = chart(at, "bt_chart_gradients")
    np.testing.assert_allclose(values(grad["data"][-1]["z"]), core.loss_gradient(X, core.BLOG_W, Y), atol=1e-14)
    assert number(metric(at, "mean of samples vs")) < 1e-12
    assert metric(at, "samples N") == "8"
    assert param(at, "N") == "8" and param(at, "bseed") == "0"


def test_n_and_seed_change_the_batch_and_the_link():
    at = open_page()
    first = values(chart(at, "bt_chart_gradients")["data"][-1]["z"])
    at.slider(key="set_N").set_value(20).run()
    assert metric(at, "samples N") == "20"
    assert len(chart(at, "bt_chart_jacobians")["data"]) == 16  # thinned
    assert any("first 16 of 20" in c.value for c in at.caption)
    at.number_input(key="set_bseed").set_value(5).run()
    X, labels = make_batch(3, 5, 20, seed=5)
    now = values(chart(at, "bt_chart_gradients")["data"][-1]["z"])
    np.testing.assert_allclose(now, core.loss_gradient(X, core.BLOG_W, core.one_hot(labels, 5)), atol=1e-14)
    assert np.abs(now - first).max() > 1e-6
    assert param(at, "N") == "20" and param(at, "bseed") == "5"


def test_loss_choice_changes_the_gradient():
    at = open_page()
    ce = values(chart(at, "bt_chart_gradients")["data"][-1]["z"])
    at.radio(key="set_loss").set_value("mse").run()
    mse = values(chart(at, "bt_chart_gradients")["data"][-1]["z"])
    X, labels = make_batch(3, 5, 8, seed=0)
    np.testing.assert_allclose(mse, core.loss_gradient(X, core.BLOG_W, core.one_hot(labels, 5), "mse"), atol=1e-14)
    assert not np.allclose(ce, mse)


def _paste(at, x_text, y_text):
    at.radio(key="set_source").set_value("pasted").run()
    at.text_area(key="bt_paste_x").input(x_text)
    at.text_area(key="bt_paste_y").input(y_text)
    at.button[[b.label for b in at.button].index("Use this batch")].click().run()
    assert not at.exception
    return at


def test_good_paste_is_used():
    at = _paste(open_page(), "1 0 0\n0 1 0", "0\n3")
    assert metric(at, "samples N") == "2"
    X = np.array([[1.0, 0, 0], [0, 1, 0]])
    Y = core.one_hot(np.array([0, 3]), 5)
    grad = values(chart(at, "bt_chart_gradients")["data"][-1]["z"])
    np.testing.assert_allclose(grad, core.loss_gradient(X, core.BLOG_W, Y), atol=1e-14)


BAD_PASTES = [
    ("1 0 0\n0 1", "0 1", "Inputs row 2 has 2 numbers"),
    ("1 0 0\n0 abc 1", "0 1", "Inputs row 2, value 2: 'abc'"),
    ("1 0 nan", "0", "Inputs row 1, value 3"),
    ("1 0 0", "7", "Label 1: 7 is not a class in 0…4"),
    ("1 0 0", "[x](http://example.org)", "Labels row 1, value 1: 'x' is not a number"),
    ("1 <b>0</b> 0", "0", "Inputs row 1, value 2: '<b>0</b>' is not a number"),
]


def _assert_paste_error(at, message):
    shown = [unescape(e.value) for e in at.error]  # the message quotes the paste: shown escaped
    assert any(message in e for e in shown), shown
    assert not any("<b>" in e.value or "](" in e.value for e in at.error)


@pytest.mark.parametrize(("x_text", "y_text", "message"), BAD_PASTES)
def test_bad_first_paste_shows_an_error_and_keeps_the_generated_batch(x_text, y_text, message):
    at = _paste(open_page(), x_text, y_text)
    _assert_paste_error(at, message)
    X, labels = make_batch(3, 5, 8, seed=0)
    grad = values(chart(at, "bt_chart_gradients")["data"][-1]["z"])
    np.testing.assert_allclose(grad, core.loss_gradient(X, core.BLOG_W, core.one_hot(labels, 5)), atol=1e-14)
    assert metric(at, "samples N") == "8"


@pytest.mark.parametrize(("x_text", "y_text", "message"), BAD_PASTES)
def test_bad_paste_shows_an_error_and_changes_nothing(x_text, y_text, message):
    at = _paste(open_page(), "1 0 0\n0 1 0", "0\n3")  # a good batch first
    before = values(chart(at, "bt_chart_gradients")["data"][-1]["z"])
    at.text_area(key="bt_paste_x").input(x_text)
    at.text_area(key="bt_paste_y").input(y_text)
    at.button[[b.label for b in at.button].index("Use this batch")].click().run()
    assert not at.exception
    _assert_paste_error(at, message)
    np.testing.assert_array_equal(values(chart(at, "bt_chart_gradients")["data"][-1]["z"]), before)
    assert metric(at, "samples N") == "2"


def test_a_second_good_paste_replaces_the_first():
    at = _paste(open_page(), "1 0 0\n0 1 0", "0\n3")
    at.text_area(key="bt_paste_x").input("1 0 0\n0 1 0\n0 0 1")
    at.text_area(key="bt_paste_y").input("0\n3\n1")
    at.button[[b.label for b in at.button].index("Use this batch")].click().run()
    assert metric(at, "samples N") == "3"


@pytest.mark.parametrize(("n", "K"), [(1, 2), (8, 8), (64, 32)])
def test_runs_at_small_and_large_sizes(n, K):
    state = state_from_preset("random", n, K, seed=4)
    at = open_page(to_query(state) | {"N": "32"})
    X, labels = make_batch(n, K, 32, seed=0)
    grad = values(chart(at, "bt_chart_gradients")["data"][-1]["z"])
    np.testing.assert_allclose(grad, core.loss_gradient(X, state.W, core.one_hot(labels, K)), atol=1e-12)


def test_classroom_mode_runs_with_large_type():
    at = open_page({"classroom": "1"})
    assert chart(at, "bt_chart_jacobians")["layout"]["font"]["size"] == 24


@pytest.mark.parametrize(("key", "value"), [("N", "1000"), ("N", "zero"), ("bseed", "-4"), ("loss", "banana")])
def test_bad_link_params_warn_and_fall_back(key, value):
    at = open_page({key: value})
    assert any(f"Link parameter '{key}' = \"{value}\"" in w for w in warnings(at)), warnings(at)
    assert metric(at, "samples N") == ("8" if key == "N" else metric(at, "samples N"))


def test_link_params_are_used():
    at = open_page({"N": "3", "bseed": "9", "loss": "mse"})
    assert metric(at, "samples N") == "3"
    assert at.number_input(key="set_bseed").value == 9
    assert at.radio(key="set_loss").value == "mse"
    assert not at.warning


def test_batch_settings_survive_a_page_switch():
    at = open_page()
    at.slider(key="set_N").set_value(12).run()
    at.radio(key="set_loss").set_value("mse").run()
    at.switch_page("pages/loss.py").run()
    assert not at.exception
    at.switch_page(PAGE).run()
    assert metric(at, "samples N") == "12"
    assert at.radio(key="set_loss").value == "mse"


def test_pasted_batch_that_no_longer_fits_is_dropped():
    at = _paste(open_page(), "1 0 0\n0 1 0", "0\n3")
    at.session_state["layer_state"] = state_from_preset("random", 2, 5, seed=1)
    at.run()
    assert not at.exception
    assert any("no longer fits" in i.value for i in at.info)


def test_reveal_compares_the_mean_with_the_samples():
    at = open_page()
    assert not [m for m in at.metric if m.label.startswith("‖∂L/∂W‖")]  # closed, the Reveal builds nothing
    at.radio(key="bt_guess").set_value("larger").run()  # a guess opens it, and is judged
    assert any("Not quite" in m.value and "here it is smaller" in m.value for m in at.markdown)
    at.radio(key="bt_guess").set_value("smaller").run()
    assert any(m.value == "✅ Right." for m in at.markdown)
    X, labels = make_batch(3, 5, 8, seed=0)
    Y = core.one_hot(labels, 5)
    per = core.loss_gradient_per_sample(X, core.BLOG_W, Y)
    median = np.median(np.linalg.norm(per.reshape(8, -1), axis=1))
    assert number(metric(at, "‖∂L/∂W‖, median")) == pytest.approx(median, rel=5e-3)
    assert number(metric(at, "‖∂L/∂W‖, the mean")) == pytest.approx(np.linalg.norm(per.mean(axis=0)), rel=5e-3)


def test_batch_settings_survive_a_visit_to_a_page_without_them():
    at = open_page()
    at.slider(key="set_N").set_value(12).run()
    at.radio(key="set_loss").set_value("mse").run()
    at.switch_page("pages/derivation.py").run()
    assert not at.exception and not {"N", "bseed", "loss"} & set(at.query_params)
    at.switch_page(PAGE).run()
    assert metric(at, "samples N") == "12"
    assert at.radio(key="set_loss").value == "mse"
    assert param(at, "N") == "12" and param(at, "loss") == "mse"
