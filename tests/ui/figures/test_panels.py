"""ui.figures.panels: plots side by side where they fit, stacked on a phone, the legend under them there."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ui.figures.common import DESKTOP_FIGURE_WIDTH, NARROWEST_FIGURE_WIDTH, planned_for
from ui.figures.panels import grid_layout, legend_below, panel_layout, stacked


@pytest.mark.parametrize(
    ("width", "font", "expected"),
    [(NARROWEST_FIGURE_WIDTH, 14, True), (DESKTOP_FIGURE_WIDTH, 14, False), (NARROWEST_FIGURE_WIDTH, 24, False)],
)
def test_two_plots_stack_on_a_phone_only(width, font, expected):
    # font 24 is classroom mode: projected, never on a phone
    with planned_for(width):
        assert stacked(font) is expected


def _domains(layout, letter):
    return [tuple(ax["domain"]) for name, ax in layout.items() if name.startswith(f"{letter}axis")]


def test_side_by_side_plots_share_the_height_and_split_the_width():
    with planned_for(DESKTOP_FIGURE_WIDTH):
        layout, refs, height = panel_layout(("a", "b"), 14, 360)
    assert refs == [("x", "y"), ("x2", "y2")] and height == 360
    assert layout["xaxis2"]["anchor"] == "y2" and layout["yaxis2"]["anchor"] == "x2"
    (l0, l1), (r0, r1) = sorted(_domains(layout, "x"))
    assert l1 < r0  # apart
    assert [a["text"] for a in layout["annotations"]] == ["a", "b"]
    assert [a["x"] for a in layout["annotations"]] == [(l0 + l1) / 2, (r0 + r1) / 2]  # each over its plot


def test_stacked_plots_each_get_a_full_width_plot_and_the_figure_grows():
    with planned_for(NARROWEST_FIGURE_WIDTH):
        layout, refs, height = panel_layout(("a", "b", "c"), 14, 360)
    assert refs == [("x", "y"), ("x2", "y2"), ("x3", "y3")]
    assert all(d == (0.0, 1.0) for d in _domains(layout, "x"))
    assert [a["y"] for a in layout["annotations"]] == [layout[f"yaxis{s}"]["domain"][1] for s in ("", "2", "3")]
    ys = sorted(_domains(layout, "y"))
    gaps_px = [(ys[k + 1][0] - ys[k][1]) * (height - 9 * 14) for k in range(2)]
    # room between plots for the upper one's tick labels and axis title and the lower one's title
    assert all(g >= 5 * 14 for g in gaps_px)
    areas_px = [(y1 - y0) * (height - 9 * 14) for y0, y1 in ys]
    assert min(areas_px) >= 0.9 * (360 - 9 * 14)  # each as tall as the side-by-side plot would be


@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=12))
def test_the_legend_below_takes_rows_for_what_does_not_fit_across(labels):
    with planned_for(NARROWEST_FIGURE_WIDTH):
        one = legend_below(labels[:1], 14, 400, 66)
        all_ = legend_below(labels, 14, 400, 66)
    assert one["height"] - 400 == one["margin"]["b"] - 66 == 21  # a row of 1.5 × font
    assert all_["height"] - 400 == all_["margin"]["b"] - 66
    assert 21 <= all_["height"] - 400 <= 21 * len(labels)
    assert all_["legend"]["orientation"] == "h" and all_["legend"]["yref"] == "container"


def test_two_long_entries_take_two_rows_on_a_phone_and_one_on_a_desktop():
    labels = ["Cross-entropy", "Mean squared error"]
    with planned_for(NARROWEST_FIGURE_WIDTH):
        assert legend_below(labels, 14, 400, 66)["height"] == 400 + 42
    with planned_for(DESKTOP_FIGURE_WIDTH):
        assert legend_below(labels, 14, 400, 66)["height"] == 400 + 21


@pytest.mark.parametrize("font", [14, 24])
def test_plots_side_by_side_leave_room_for_the_right_ones_labels(font):
    # At 1024 px the right plot's axis title touched the left plot's last bar label.
    from ui.figures.common import side_margins
    from ui.figures.panels import panel_domains

    with planned_for(DESKTOP_FIGURE_WIDTH):
        (left, _), (right, _) = panel_domains(2, font, 380)[0]
        layout, _, _ = panel_layout(("a", "b"), font, 380)
    width = (DESKTOP_FIGURE_WIDTH if font < 20 else 1200) - sum(side_margins(font).values())
    # tick labels (~3 characters), the rotated axis title, air: 5 font sizes (domains rounded to 6 places)
    assert (right[0] - left[1]) * width >= 5 * font - 0.01
    assert layout["xaxis2"]["domain"][0] - layout["xaxis"]["domain"][1] == pytest.approx(right[0] - left[1], abs=1e-6)


@pytest.mark.parametrize(("rows", "cols", "titles"), [(1, 5, 5), (2, 3, 5), (3, 2, 6), (4, 4, 13), (1, 1, 1)])
def test_a_grid_is_what_make_subplots_made(rows, cols, titles):
    # The Batch page's grids were make_subplots' (~20 ms a figure): the same axes, cells without a
    # plot included, and the same titles over the first cells, centred.
    from plotly.subplots import make_subplots

    names = [f"sample {s}<br>max p₀=0.5" for s in range(titles)]
    spacing = (0.03, 0.1 if rows > 1 else 0.0)
    layout, refs = grid_layout(names, rows, cols, 11, "light", *spacing)
    made = make_subplots(rows, cols, subplot_titles=names, horizontal_spacing=spacing[0], vertical_spacing=spacing[1])
    expected = made.layout.to_plotly_json()
    assert refs == [(f"x{s}", f"y{s}") for s in ["", *map(str, range(2, rows * cols + 1))]]
    axes = sorted(k for k in layout if k != "annotations")
    assert axes == sorted(k for k in expected if k != "annotations" and k != "template")
    for name in axes:
        assert layout[name]["anchor"] == expected[name]["anchor"]
        assert layout[name]["domain"] == pytest.approx(list(expected[name]["domain"]), abs=1e-12)
    assert len(layout["annotations"]) == titles
    for mine, theirs in zip(layout["annotations"], expected["annotations"], strict=True):
        assert {k: v for k, v in mine.items() if k not in ("x", "y", "font")} == {
            k: v for k, v in theirs.items() if k not in ("x", "y", "font")
        }
        assert (mine["x"], mine["y"]) == pytest.approx((theirs["x"], theirs["y"]), abs=1e-12)
        assert mine["font"]["size"] == 11
