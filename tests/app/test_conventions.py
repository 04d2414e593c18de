"""The Conventions page under AppTest, reached through app.py's navigation."""

from __future__ import annotations

import numpy as np
import pytest

import core
from tests.app.apptest import chart, latex, metric, open_app, values, warnings
from ui.link import to_query
from ui.state import LayerState

PAGE = "pages/conventions.py"
pytestmark = pytest.mark.xdist_group("apptest")


def open_page(query: dict[str, str] | None = None):
    return open_app(query, PAGE)


def query_for(x, W, **kw) -> dict[str, str]:
    return to_query(LayerState(x=np.asarray(x, float), W=np.asarray(W, float), preset="custom", **kw))


def test_defaults_show_both_layouts_and_equal_logits():
    at = open_page()
    text = latex(at)
    assert r"0.1 & 0.2 & 0.3 & 0.4 & 0.5" in text  # blog W, row 0
    assert r"0.1 & 0.6 & 0.11" in text  # PyTorch W' row 0 = W column 0
    assert r"|z_k - z'_k| = 0" in text
    assert at.radio(key="set_order").value == "class_major"
    assert metric(at, "reordered vs") == "0" and metric(at, "same numbers") == "yes"
    assert metric(at, "reordered there and back") == "0"
    assert any("Numerator layout" in m.value for m in at.markdown)


def test_switching_order_changes_the_dz_dw_tick_labels_not_the_numbers():
    at = open_page()
    before = chart(at, "conv_chart_dzdw")
    dp_before = chart(at, "conv_chart_dpdw")
    at.radio(key="set_order").set_value("input_major")
    at.run()
    assert not at.exception
    after = chart(at, "conv_chart_dzdw")
    dp_after = chart(at, "conv_chart_dpdw")
    assert before["layout"]["xaxis"]["ticktext"][:2] == ["W[0,0]", "W[1,0]"]
    assert after["layout"]["xaxis"]["ticktext"][:2] == ["W[0,0]", "W[0,1]"]
    z0, z1 = values(dp_before["data"][0]["z"]), values(dp_after["data"][0]["z"])
    assert not np.array_equal(z0, z1)
    np.testing.assert_array_equal(np.sort(z0, axis=1), np.sort(z1, axis=1))
    assert at.query_params["order"] == ["input_major"] or at.query_params["order"] == "input_major"


def test_order_from_the_link_is_used_and_a_bad_one_warns():
    at = open_page({"order": "input_major"})
    assert at.radio(key="set_order").value == "input_major"
    assert "input-major" in chart(at, "conv_chart_dpdw")["layout"]["title"]["text"]
    bad = open_page({"order": "diagonal"})
    assert bad.radio(key="set_order").value == "class_major"
    assert any("Link parameter 'order' = \"diagonal\"" in w for w in warnings(bad)), warnings(bad)


def test_explorer_state_carries_over():
    x = [0.3, -1.2]
    W = [[0.5, -0.25, 1.0], [2.0, 0.1, -0.7]]
    at = open_page(query_for(x, W, selected=(2, 1, 1)))
    text = latex(at)
    z = np.asarray(W).T @ np.asarray(x)
    for v in z:
        assert f"{v:.4g}" in text
    assert r"\partial W_{1,1}" in text and "= 3" in text and "= 4" in text  # class-major 1·2+1, input-major 1·3+1


@pytest.mark.parametrize(
    "query",
    [
        {"x": "0.7", "W": "1.5,-0.5"},
        {"preset": "random", "n": "8", "K": "8", "seed": "1"},
        {"classroom": "1"},
    ],
    ids=["K2-n1", "n8-K8", "classroom"],
)
def test_runs_at_small_medium_and_classroom(query):
    at = open_page(query)
    assert len(at.get("plotly_chart")) == 2


def test_largest_size_runs():
    s = core.make_preset("random", 64, 32)
    at = open_page(to_query(LayerState(x=s.x, W=s.W, preset="random")) | {"order": "input_major"})
    spec = chart(at, "conv_chart_dzdw")
    assert len(values(spec["data"][0]["z"])) == 64 * 32  # its non-zeros only
    assert metric(at, "same numbers") == "yes"


def test_page_runs_inside_the_app_frame():
    at = open_page()
    assert [t.key for t in at.toggle] == ["ctl_classroom"]


def test_the_column_table_is_open_when_short_and_built_only_once_opened_when_long():
    """At 3 × 5 (15 columns) "Which weight is in which column?" is open with its table. At 8 × 8
    (64 columns) it starts closed, and a closed fold sends no table on a move; opened, it does."""
    from pages.conventions_parts.text import TABLE_MAX_ROWS
    from tests.app.apptest import unfold

    short = open_page()
    assert len(short.dataframe) == 1 and len(short.dataframe[0].value) == 15
    rng = np.random.default_rng(0)
    at = open_page(query_for(rng.normal(size=8), rng.normal(size=(8, 8))))
    assert not at.exception and len(at.dataframe) == 0
    unfold(at, "cv_columns")
    assert len(at.dataframe) == 1
    assert len(at.dataframe[0].value) == min(64, TABLE_MAX_ROWS)
