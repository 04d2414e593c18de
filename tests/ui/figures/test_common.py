"""ui.figures.common: formatting helpers, limits, tick thinning, cell outlines."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import core
from tests.ui.figures.paths import path_lines
from ui.figures.common import (
    DARK,
    DIVERGING,
    LINE,
    MULTILINE_LIFT,
    TICK_PITCH,
    TITLE_GAP,
    TITLE_PAD,
    base_layout,
    block_guides,
    cell_numbers,
    cell_rect,
    click_targets,
    decade_step,
    fitting_ticks,
    fmt,
    label_extent,
    narrowest_width,
    palette,
    planned_top,
    plot_height,
    room_for_rows,
    selection_outline,
    sub,
    sub_pair,
    symmetric_limit,
    tick_values,
    title_block_height,
    weight_ticks,
    wrap_text,
)
from ui.figures.text_width import text_width


def test_sub_gives_unicode_subscripts():
    assert sub(12) == "₁₂"
    assert sub(0) == "₀"
    assert sub_pair(2, 3) == "₂₃"
    assert sub_pair(2, 12) == "₂,₁₂"


def test_fmt_three_significant_digits_and_unicode_minus():
    assert fmt(0.21698333) == "0.217"
    assert fmt(-0.04142) == "−0.0414"
    assert fmt(0) == "0"
    assert fmt(1.4e-17, 2) == "1.4e-17"
    assert fmt(-1e-5) == "−1e-5"


def test_diverging_scale_is_centred_white_and_positive_red():
    positions = [p for p, _ in DIVERGING]
    assert positions == sorted(positions) and positions[0] == 0 and positions[-1] == 1
    mid = dict(DIVERGING)[0.5]
    assert mid == "rgb(247,247,247)"
    r, g, b = (int(c) for c in DIVERGING[-1][1][4:-1].split(","))
    assert r > b  # positive end is red
    r, g, b = (int(c) for c in DIVERGING[0][1][4:-1].split(","))
    assert b > r  # negative end is blue


def test_symmetric_limit():
    assert symmetric_limit(np.array([1.0, -3.0]), np.array([[2.0]])) == 3.0
    assert symmetric_limit(np.zeros(4)) == 1.0  # never 0, so a colour range stays valid
    assert symmetric_limit(np.array([1e-17, -2e-17])) == 2e-17


@given(st.integers(0, 5000), st.integers(1, 40))
def test_tick_values_thin_evenly_and_start_at_zero(count, max_ticks):
    ticks = tick_values(count, max_ticks)
    assert len(ticks) <= max(max_ticks, 0) and all(0 <= t < count for t in ticks)
    if count:
        assert ticks[0] == 0
        assert len(set(np.diff(ticks))) <= 1  # evenly stepped
    if count <= max_ticks:
        assert ticks == list(range(count))


def test_cell_numbers_only_for_small_matrices():
    from ui.figures.common import DESKTOP_FIGURE_WIDTH, planned_for

    def texts(rows, cols):
        return lambda: [["−0.0442"] * cols for _ in range(rows)]

    with planned_for(DESKTOP_FIGURE_WIDTH):
        assert cell_numbers(5, 5, texts(5, 5), 12, 14) == texts(5, 5)()
        assert cell_numbers(10, 20, texts(10, 20), 12, 14) is not None
        assert cell_numbers(5, 15 * 5, texts(5, 75), 12, 14) is None
        assert cell_numbers(5, 15, texts(5, 15), 12, 14, limit=60) is None

        def never():
            raise AssertionError("texts made for a heatmap too big to show them")

        assert cell_numbers(64, 32, never, 12, 14) is None
    assert cell_numbers(5, 15, texts(5, 15), 19, 24) is not None  # projected: wide cells


def test_projected_numbers_too_wide_for_the_narrowest_projector_are_sent_shorter():
    """A projector draws cell numbers only where its chart is wide enough (``ui.section``): where
    the full ones do not fit the narrowest projector, the shorter ones are sent even if they do not
    either, since they fit more projectors. Numbers that fit stay full, and no shorter ones are made."""

    def never():
        raise AssertionError("shorter numbers made where the full ones fit")

    full, short = [["−0.000000001"] * 40], [["−0.0"] * 40]
    assert cell_numbers(1, 40, lambda: full, 18, 24, fewer=lambda: short) == short
    assert cell_numbers(1, 40, lambda: full, 18, 24) == full  # nothing shorter to send: the CSS rule hides them
    assert cell_numbers(1, 3, lambda: [["0.154"] * 3], 18, 24, fewer=never) == [["0.154"] * 3]


@settings(max_examples=80, deadline=None)
@given(
    st.integers(1, 40),
    st.lists(st.text("−0123456789.e×⁻", min_size=1, max_size=9), min_size=1, max_size=5),
    st.integers(0, 4),
    st.sampled_from([12, 14, 16]),
)
def test_on_a_phone_cell_numbers_only_where_the_widest_fits_its_cell(cols, numbers, cut, font):
    """Planned for a phone: a row of numbers is printed only where every cell holds the widest of
    them as Chromium draws it (``text_width``, measured) with CELL_PAD to spare; markup is not drawn.
    Where they do not fit, the same numbers with fewer digits (here: ``cut`` characters fewer) are
    printed if those fit."""
    from ui.figures.common import CELL_PAD, base_layout, narrowest_plot_width
    from ui.figures.text_width import text_width

    numbers = [numbers[c % len(numbers)] for c in range(cols)]  # the row's: fewer columns drop the rest
    shorter = [n[: max(1, len(n) - cut)] for n in numbers]
    row, short_row = ([f"<b>{number}</b>" for number in ns] for ns in (numbers, shorter))
    size = round(0.8 * font)
    cell = narrowest_plot_width(base_layout(title="t", font_size=font), font, colorbar=False) / cols  # bars lie flat

    def fits(ns):
        return cell >= max(text_width(t, size) for t in ns) + CELL_PAD

    assert cell_numbers(1, cols, lambda: [row], size, font) == ([row] if fits(numbers) else None)
    shown = cell_numbers(1, cols, lambda: [row], size, font, fewer=lambda: [short_row])
    assert shown == ([row] if fits(numbers) else [short_row] if fits(shorter) else None)


def test_a_phone_jacobian_of_five_classes_carries_its_numbers_to_two_digits():
    """At the blog's 3 × 5 on a phone, J's "−0.0389" does not fit its ~43 px column, and J used to
    carry no numbers at all; to two digits ("−0.039") they fit. A desktop keeps three."""
    import core
    from ui.figures.common import DESKTOP_FIGURE_WIDTH, planned_for
    from ui.figures.jacobian import jacobian_heatmap

    p = core.softmax(np.array([0.354, 0.418, 0.482, 0.546, 0.160]))
    J = core.softmax_jacobian(p)
    phone = jacobian_heatmap(p, J, font_size=14)["data"][0]["text"]
    with planned_for(DESKTOP_FIGURE_WIDTH):
        desktop = jacobian_heatmap(p, J, font_size=14)["data"][0]["text"]
    assert phone[0][1] == "−0.039" and desktop[0][1] == "−0.0389"
    assert phone[0][0] == "<b>0.15</b>" and desktop[0][0] == "<b>0.154</b>"  # the diagonal stays bold


@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(max_dims=2, max_side=6),
        elements=st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True),
    )
)
def test_compact_floats_keeps_every_value_a_chart_shows(M):
    """Half the bytes where float32 holds the values; never a nonzero turned 0 or a finite turned infinite."""
    from ui.figures.common import compact_floats

    out = compact_floats(M)
    assert out.shape == M.shape and out.dtype in (np.float32, np.float64)
    assert np.array_equal(np.isnan(out), np.isnan(M))
    assert np.array_equal(out == 0, M == 0) and np.array_equal(np.isinf(out), np.isinf(M))
    finite = np.isfinite(M)
    np.testing.assert_allclose(out[finite], M[finite], rtol=1e-6)
    if out.dtype == np.float64:  # kept only for a value float32 cannot hold
        tiny_or_huge = finite & (M != 0) & ((np.abs(M) < 1e-37) | (np.abs(M) > 1e37))
        assert tiny_or_huge.any()


def test_a_saturated_softmaxs_jacobian_keeps_its_tiny_entries():
    from ui.figures.common import compact_floats

    J = core.softmax_jacobian(core.softmax(np.array([0.0, 160.0])))  # off-diagonal −1.3e-70
    assert compact_floats(J).dtype == np.float64 and np.array_equal(compact_floats(J), J)
    assert compact_floats(np.array([0.15, -0.04, np.nan])).dtype == np.float32


def test_cell_rect_surrounds_the_cell():
    fig = go.Figure(go.Heatmap(z=np.zeros((3, 4))))
    fig.add_shape(cell_rect(2, 1, xref="x", yref="y"))
    shape = fig.layout.shapes[-1]
    assert (shape.x0, shape.x1, shape.y0, shape.y1) == (0.5, 1.5, 1.5, 2.5)
    assert shape.xref == "x" and shape.yref == "y" and shape.line.width >= 3


def test_base_layout_scales_fonts_and_rejects_bad_size():
    layout = base_layout(title="t", font_size=24, height=500)
    assert layout["font"]["size"] == 24 and layout["hoverlabel"]["font"]["size"] == 24
    assert layout["title"]["text"] == "t" and layout["height"] - layout["margin"]["t"] == 500 - planned_top(24)
    with pytest.raises(ValueError, match="font_size"):
        base_layout(title="t", font_size=0)


def _wcag(hex_colour: str, other: str) -> float:
    def lum(h: str) -> float:
        rgb = [int(h[k : k + 2], 16) / 255 for k in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(hex_colour), lum(other)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_palettes_read_on_their_page_even_projected():
    from ui.figures.common import DARK, LIGHT, palette

    for colours in (LIGHT, DARK):
        assert _wcag(colours.text, colours.page) >= 7  # projector-grade
        assert _wcag(colours.ink, colours.page) >= 7
    assert palette("dark") is DARK and palette(LIGHT) is LIGHT
    with pytest.raises(ValueError, match="theme"):
        palette("sepia")


def test_themed_colours_every_axis_colour_bar_and_annotation_of_a_copy():
    from ui.figures.common import TRANSPARENT, themed
    from ui.figures.layer import layer_derivative_figure

    x, W = np.array([0.1, 0.5, 0.4]), np.arange(15).reshape(3, 5) / 20
    v = core.layer_values(x, W)
    fig = layer_derivative_figure(v.x, v.p, v.product, v.shortcut, selected=(0, 1, 2), theme="dark")
    before = fig.to_json()
    spec = themed(fig.to_dict(), "dark")
    assert fig.to_json() == before  # the figure itself is untouched
    layout = spec["layout"]
    assert layout["paper_bgcolor"] == layout["plot_bgcolor"] == TRANSPARENT
    for name in ("xaxis", "yaxis", "xaxis2", "yaxis3"):
        assert layout[name]["tickfont"]["color"] == DARK.text
    assert layout["coloraxis"]["colorbar"]["tickfont"]["color"] == DARK.text
    # Every colour bar framed alike, by 1 px of grid colour: Streamlit's template gives a colour
    # axis's bar an 8 px outline, which in the grid colour was a grey frame.
    assert {
        (b["outlinewidth"], b["outlinecolor"])
        for b in (layout["coloraxis"]["colorbar"], layout["coloraxis2"]["colorbar"])
    } == {(1, DARK.grid)}
    assert all(a["font"]["color"] == DARK.text for a in layout["annotations"])
    # an opaque label in the page's colours, its font size kept (the click points are invisible,
    # so a label in their trace colour was see-through)
    label = layout["hoverlabel"]
    assert (label["bgcolor"], label["font"]["color"], label["font"]["size"]) == (DARK.page, DARK.text, 14)
    # Nothing drawn in black on the dark page: separators and the selection take the theme's ink.
    assert all(s["line"]["color"] != "#000000" for s in layout["shapes"])
    assert {s["line"]["color"] for s in layout["shapes"] if s.get("name") == "selected"} == {"#ffffff"}


def test_base_layout_is_transparent_with_theme_text():
    layout = base_layout(title="t", theme="dark")
    assert layout["plot_bgcolor"] == layout["paper_bgcolor"] == "rgba(0,0,0,0)"
    assert layout["font"]["color"] == DARK.text


# ---------------------------------------------------------------- room for labels


def _pitch_px(positions: list[float], count: int, length_px: float) -> float:
    """Smallest distance in px between neighbouring positions of ``count`` evenly spread categories."""
    return min((b - a for a, b in zip(positions, positions[1:], strict=False)), default=count) * length_px / count


@given(st.integers(1, 2048), st.floats(20, 3000), st.sampled_from([10, 14, 24]), st.floats(1.0, 8.0))
def test_fitting_ticks_never_closer_than_a_label(count, length_px, font, extent):
    ticks = fitting_ticks(count, length_px, font, extent)
    assert ticks[0] == 0 and all(0 <= t < count for t in ticks)
    if len(ticks) > 1:  # neighbours at least one label apart: they cannot overlap at this length
        assert _pitch_px(ticks, count, length_px) >= extent * font - 1e-9
    if count * extent * font <= length_px:
        assert ticks == list(range(count))  # nothing is dropped that fits


@given(st.integers(1, 64), st.integers(1, 32), st.floats(40, 2000), st.sampled_from([10, 14, 24]))
def test_weight_ticks_fit_and_follow_the_blocks(n, K, length_px, font):
    labels = core.weight_labels(n, K)
    chosen = weight_ticks(labels, n, length_px, font)
    positions = [labels.index(c) for c in chosen]
    assert positions[0] == 0 and positions == sorted(positions)
    if len(positions) > 1:
        assert _pitch_px(positions, len(labels), length_px) >= TICK_PITCH * font - 1e-9
        step = positions[1] - positions[0]
        assert n % step == 0 or step % n == 0  # in step with the class blocks: whole blocks or block starts


@given(st.text(st.sampled_from("ab ∂p"), max_size=200), st.sampled_from([10.0, 16.1, 27.6]), st.floats(50, 1500))
@example("aaaaaaaaaa aaaaaaaa a", 10.0, 50.0)  # a word wider than a line: the others were evened to its width
def test_wrap_text_keeps_every_word_and_lines_fit(text, font, width):
    wrapped = wrap_text(text, font, width)
    assert wrapped.replace("<br>", " ").split(" ") == list(filter(None, text.split(" "))) or not text.strip(" ")
    lines = wrapped.split("<br>")
    for line in lines:
        assert text_width(line, font) <= width or " " not in line  # only a single over-long word may be wider
    # As few lines as filling each line up would give (an independent count) ...
    greedy, used = 1, None
    for word in filter(None, text.split(" ")):  # runs of spaces are one space
        if used is not None and text_width(f"{used} {word}", font) > width:
            greedy, used = greedy + 1, word
        else:
            used = word if used is None else f"{used} {word}"
    assert len(lines) == greedy
    # ... and even: no line could give its first word to the line above without that line growing past
    # the longest line (an orphan word on a last line would be taken back), or past the width where a
    # single over-long word is the longest ("aa<br>a a<br>aaaa": "aa a" would not fit).
    longest = min(max(text_width(line, font) for line in lines), width)
    for above, line in zip(lines, lines[1:], strict=False):
        if " " in line:
            assert text_width(f"{above} {line.split(' ')[0]}", font) > longest - 1e-9


def test_text_width_counts_drawn_characters_only():
    assert text_width("<b>mm</b>", 10) == text_width("mm", 10) == pytest.approx(18)
    assert text_width("iiii", 20) < text_width("MMMM", 20)  # Source Sans is proportional
    assert text_width("漢", 10) == 10  # a character not measured counts as wide as the widest


@given(st.integers(1, 64), st.integers(1, 64), st.floats(60, 2000), st.sampled_from([14, 24]))
def test_block_labels_never_closer_than_their_width(blocks, size, width, font):
    shapes, annotations = block_guides(blocks, size, 5, "class", font, width)
    separators = [line for shape in shapes for line in path_lines(shape)]
    assert separators == [((b * size - 0.5, -0.5), (b * size - 0.5, 4.5)) for b in range(1, blocks)]
    labels = [a for a in annotations if a["xref"] == "x"]
    texts = [a["text"] for a in labels]
    assert "class 0" in texts or ("0" in texts and any(a["text"] == "class" for a in annotations))
    centres = [a["x"] for a in labels]
    lone = [a for a in annotations if a["xref"] == "paper"]
    if lone:  # the lone "class" in the left margin ends clear of the first block's label
        first = labels[0]
        first_left = (first["x"] + 0.5) * width / (blocks * size) - text_width(first["text"], font) / 2
        assert lone[0]["xanchor"] == "right" and first_left - lone[0]["xshift"] >= 0.1 * font
    if len(centres) > 1:  # label centres, in px at this width, at least one label (plus a gap) apart
        gap = min(b - a for a, b in zip(centres, centres[1:], strict=False)) * width / (blocks * size)
        assert gap >= label_extent(texts) * font - 1e-9


@given(st.integers(1, 64), st.sampled_from([14, 24]), st.sampled_from([None, 300, 900]), st.floats(0.2, 1.0))
def test_room_for_rows_gives_each_row_a_label_pitch_up_to_the_cap(rows, font, height, fraction):
    layout = base_layout(title="t", font_size=font, height=height)
    room_for_rows(layout, rows, font, fraction=fraction, cap=1500)
    if height:  # a page's height is a floor: the plot keeps at least the height planned
        assert layout["height"] - layout["margin"]["t"] >= height - planned_top(font)
    if layout["height"] < int(1500 * font / 14):
        assert plot_height(layout, fraction) / rows >= TICK_PITCH * font - 1e-6


def test_long_titles_wrap_to_a_phone_and_the_top_margin_grows():
    title = "∂z/∂W (5×15): 80% of entries are 0 (4 of every 5) and a little more to say"
    short, wrapped = base_layout(title="J", font_size=14), base_layout(title=title, font_size=14, subtitle=title)
    lines = wrapped["title"]["text"].split("<br>")
    assert len(lines) > 1
    room = narrowest_width(14) - 14  # from the figure's left edge, a font size of air on the right
    assert all(text_width(line, 16) <= room for line in lines)  # the title's font is 1.15 × 14
    assert wrapped["margin"]["t"] > short["margin"]["t"]


ABOVE, HEIGHTS = st.sampled_from([0, 1.5, 3.5]), st.sampled_from([300, 620])
WORDS = st.lists(st.sampled_from(["softmax", "∂p/∂z", "of", "the", "layer", "(5×15):"]), min_size=1, max_size=24)


@settings(max_examples=60, deadline=None)
@given(WORDS, st.none() | WORDS, st.sampled_from([12, 14, 24, 28]), ABOVE, HEIGHTS)
def test_top_margin_holds_the_title_block_and_the_plot_keeps_its_planned_height(title, subtitle, font, above, height):
    title, subtitle = " ".join(title), subtitle and " ".join(subtitle)
    layout = base_layout(title=title, subtitle=subtitle, font_size=font, above=above, height=height)
    lines = layout["title"]["text"].count("<br>") + 1
    sub_lines = layout["title"]["subtitle"]["text"].count("<br>") + 1 if subtitle else 0
    block = title_block_height(font, lines, sub_lines)
    # Under the title block: the gap and the room asked for above the plot, not more (the blank
    # that was 50-70 px over every chart), and never less.
    assert -1e-9 <= layout["margin"]["t"] - block - (TITLE_GAP + above) * font < 1
    assert layout["height"] - layout["margin"]["t"] == height - planned_top(font, lines, sub_lines)
    # Plotly lifts a title of several lines by 0.7 of its font: the pad puts its first line where one line sits.
    big = layout["title"]["font"]["size"]
    assert layout["title"]["pad"]["t"] == round(TITLE_PAD + (MULTILINE_LIFT * big if lines > 1 else 0))
    # Each further line of title or subtitle takes one line's height more.
    if lines > 1:
        assert block - title_block_height(font, lines - 1, sub_lines) == pytest.approx(LINE * big)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_selection_outline_is_ink_around_a_core_of_the_page_colour(theme):
    outer, inner = selection_outline(1, 2, xref="x2", yref="y2", theme=theme)
    assert (outer["name"], outer["line"]["color"]) == ("selected", palette(theme).ink)
    assert inner["line"]["color"] == palette(theme).page  # light on dark or dark on light: one always shows
    assert inner["line"]["width"] < outer["line"]["width"]
    assert all((s["x0"], s["y1"], s["xref"]) == (1.5, 1.5, "x2") for s in (outer, inner))


@settings(max_examples=60, deadline=None)
@given(st.floats(0.3, 200), st.floats(0.3, 200), st.integers(0, 40), st.integers(0, 40))
def test_selection_outline_sized_to_its_cell_stays_inside_it_where_there_is_room(w, h, row, col):
    # Plotly cuts shapes at the plot's border: a top row's outline, centred on the border, lost its
    # top edge on a 64 × 32 block's 9-px rows. Drawn inside its cell, it keeps all four.
    outer, inner = selection_outline(row, col, cell_px=(w, h))
    for shape in (outer, inner):
        assert (shape["x0"] + shape["x1"]) / 2 == pytest.approx(col)
        assert (shape["y0"] + shape["y1"]) / 2 == pytest.approx(row)
        assert shape["x1"] - shape["x0"] >= 0.5 - 1e-9 and shape["y1"] - shape["y0"] >= 0.5 - 1e-9
    half = outer["line"]["width"] / 2  # px each side of the drawn rectangle
    for size, lo, hi, centre in ((w, outer["x0"], outer["x1"], col), (h, outer["y0"], outer["y1"], row)):
        if size >= 4 * half:  # room inside the cell for the line
            assert (lo - (centre - 0.5)) * size >= half - 1e-6 and ((centre + 0.5) - hi) * size >= half - 1e-6


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 64), st.integers(1, 32), st.sampled_from([12, 14, 24, 28]))
def test_weight_axis_keeps_room_below_for_its_rotated_labels_and_title(n, K, font):
    from ui.figures.common import base_layout, weight_axis

    layout = base_layout(title="t", font_size=font, height=400)
    labels = core.weight_labels(n, K)
    axis = weight_axis(layout, labels, n, font, "weight W[j,k]")
    longest = max(text_width(t, font) for t in axis["ticktext"])
    # rotated labels hang as long as they are wide (measured); below them the standoff and a title line
    assert layout["margin"]["b"] >= longest + axis["title"]["standoff"] + 1.33 * font
    assert axis["tickangle"] == -90 and [labels[c] for c in axis["tickvals"]] == axis["ticktext"]  # at their columns


@given(
    st.floats(-15, 3),
    st.floats(0, 16),
    st.floats(40, 2000),
    st.sampled_from([12, 14, 24]),
)
def test_decade_labels_of_a_log_axis_stay_a_line_apart(lo, span, length, font):
    values = [10**lo, 10 ** (lo + span)]
    step = decade_step(values, length, font)
    labels = math.floor(span / step) + 1  # powers of ten that get a label
    if labels > 1:  # their pitch along the axis is at least one text line
        assert length / (span + 1) * step >= TICK_PITCH * font * 0.999
    if step > 1:  # and no more thinned than needed
        assert length / (span + 1) * (step - 1) < TICK_PITCH * font


def test_decade_step_ignores_zeros_and_gaps():
    assert decade_step([0.0, np.nan, 0.5, 2.0], 300, 14) == 1
    assert decade_step([], 300, 14) == 1


def test_click_targets_draw_nothing_yet_can_be_hovered_and_selected():
    # Text mode without text: Plotly draws no element per point (a marker was one SVG path per cell,
    # styled on every redraw), but still hovers the nearest and lets a click select it.
    idx = np.arange(6)
    trace = click_targets(idx, idx, name="cells", hovertemplate="%{customdata}", customdata=idx, axis="2")
    assert trace["mode"] == "text" and trace["text"] == "" and "marker" not in trace
    assert (trace["xaxis"], trace["yaxis"]) == ("x2", "y2")
    fig = go.Figure([trace])  # valid for Plotly
    assert fig.data[0].hovertemplate == "%{customdata}" and list(fig.data[0].customdata) == list(idx)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_dark_page_gets_the_dark_diverging_scale_and_grey_on_every_chart(theme):
    from ui.figures.common import DIVERGING_DARK, STRUCTURAL_ZERO, STRUCTURAL_ZERO_DARK, themed
    from ui.figures.layer import layer_derivative_figure
    from ui.figures.sparsity import dz_dw_pattern

    v = core.layer_values(core.BLOG_X, core.BLOG_W)
    dp = themed(layer_derivative_figure(v.x, v.p, v.product, v.shortcut).to_dict(), theme)
    dz = themed(dz_dw_pattern(v.x, v.dz_dw).to_dict(), theme)
    scales = [dp["layout"][k]["colorscale"] for k in ("coloraxis", "coloraxis2")]
    scales += [t["colorscale"] for t in dz["data"] if "colorscale" in t]
    diverging, grey = (DIVERGING, STRUCTURAL_ZERO) if theme == "light" else (DIVERGING_DARK, STRUCTURAL_ZERO_DARK)
    flat = [s for s in scales if len({stop[1] for stop in s}) == 1]  # dz/dW's structural zeros
    assert [list(map(list, s)) for s in scales if s not in flat] == [diverging] * 3
    assert [{stop[1] for stop in s} for s in flat] == [{grey}]
    # near 0, the dark scale is dark: a mostly-0 matrix does not glare on the dark page
    assert DIVERGING_DARK[5][1] == "rgb(25,12,9)"


def test_power_ticks_write_each_decade_in_unicode_at_the_tick_font():
    from ui.figures.common import power_ticks

    ticks = power_ticks([3e-3, 0.2, 40.0])
    assert ticks["tickvals"] == [1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0]
    assert ticks["ticktext"] == ["10⁻³", "10⁻²", "10⁻¹", "1", "10", "10²"]  # no <sup>: one size with other ticks
    assert power_ticks([1e-13, 10.0], step=3)["ticktext"] == ["10⁻¹²", "10⁻⁹", "10⁻⁶", "10⁻³", "1"]
    assert power_ticks([0.0, -1.0, np.nan, 0.5])["tickvals"] == [0.1, 1.0]  # only positive, finite values count
