"""ui.figures.cell_text: every number written in a heatmap cell reads at 4.5:1 or better, light or dark.

The contrast is WCAG's; the cell's colour is checked against the scale's own stops, and the text's
colour is the one the number carries or, where it carries none, the one Plotly picks (white on a
cell of brightness < 128, else #444).
"""

from __future__ import annotations

import copy
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ui.figures.cell_text import (
    MIN_CONTRAST,
    colour_scale_of,
    contrast,
    legible,
    plotly_text_colour,
    rgb,
    scale_colours,
)
from ui.figures.common import DIVERGING, DIVERGING_DARK, theme_scale

SPAN = re.compile(r"^<span style='color:(#[0-9a-f]{6})'>(.*)</span>$")
VALUES = arrays(float, st.tuples(st.integers(1, 6), st.integers(1, 8)), elements=st.floats(-1, 1))


def heatmap(z, **extra) -> dict:
    text = np.array([[f"{v:.3g}" for v in row] for row in np.asarray(z)], dtype=object)
    return {"type": "heatmap", "z": z, "text": text, "texttemplate": "%{text}", "zmin": -1, "zmax": 1, **extra}


def drawn_colours(trace: dict, scale) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """(cell colour, text colour, number) of every cell, the text colour as the browser draws it."""
    z = np.asarray(trace["z"], dtype=float)
    cells = scale_colours(scale, (z + 1) / 2)
    out = []
    for idx in np.ndindex(z.shape):
        text = str(np.asarray(trace["text"], dtype=object)[idx])
        match = SPAN.match(text)
        colour = rgb(match.group(1)) if match else plotly_text_colour(cells[idx])
        out.append((cells[idx], colour, match.group(2) if match else text))
    return out


@pytest.mark.parametrize("scale", [DIVERGING, DIVERGING_DARK], ids=["light", "dark"])
@given(z=VALUES)
def test_every_number_reads_at_wcag_contrast_on_its_cell(scale, z):
    trace = heatmap(z)
    before = copy.deepcopy(trace["text"])
    out = legible(trace, scale, (-1.0, 1.0))
    assert (trace["text"] == before).all()  # the remembered figure is never changed
    drawn = drawn_colours(out, scale)
    for cell, colour, _ in drawn:
        assert contrast(cell, colour) >= MIN_CONTRAST
    assert [number for *_, number in drawn] == list(before.ravel())  # the numbers themselves are kept
    # Only where Plotly's own choice is too faint does a number carry a colour (a few bytes each).
    cells = scale_colours(scale, (np.asarray(z) + 1) / 2)
    faint = contrast(cells, plotly_text_colour(cells)) < MIN_CONTRAST
    carried = np.array([bool(SPAN.match(str(t))) for t in np.asarray(out["text"], dtype=object).ravel()])
    assert (carried == faint.ravel()).all()


def test_the_scales_worst_colour_gets_black_not_plotlys_grey():
    # rgb(214, 96, 77) on the light scale: Plotly writes #444 on it (2.6:1); black reads at 5.6:1.
    position = 0.8
    z = np.array([[2 * position - 1]])
    cell = scale_colours(DIVERGING, np.array(position))
    assert np.allclose(cell, [214, 96, 77], atol=1)
    assert contrast(cell, plotly_text_colour(cell)) < 3
    assert SPAN.match(legible(heatmap(z), DIVERGING, (-1.0, 1.0))["text"][0][0]).group(1) == "#000000"


def test_scale_colours_are_the_stops_at_the_stops():
    for position, colour in DIVERGING:
        assert np.allclose(scale_colours(DIVERGING, np.array(position)), rgb(colour))


def test_traces_that_do_not_write_numbers_with_plotlys_colours_are_left_alone():
    z = np.array([[0.6, -0.6]])
    for trace in (
        heatmap(z, textfont={"color": "#123456"}),  # a colour of its own
        {**heatmap(z), "texttemplate": None},  # numbers not drawn
        {"type": "heatmap", "z": z},  # no numbers
    ):
        assert legible(trace, DIVERGING, (-1.0, 1.0)) is trace
    plain = heatmap(z)
    assert legible(plain, None, (-1.0, 1.0)) is plain  # no scale given: nothing to judge the colours by


def test_colour_axes_span_all_their_traces_about_their_middle_as_plotly_does():
    a, b = {"type": "heatmap", "z": [[0.1, 0.3]], "coloraxis": "coloraxis"}, {"z": [[-0.2]], "coloraxis": "coloraxis"}
    layout = {"coloraxis": {"colorscale": DIVERGING, "cmid": 0}}
    assert colour_scale_of(a, [a, b], layout) == (DIVERGING, (-0.3, 0.3))
    layout["coloraxis"] |= {"cmin": -1, "cmax": 2}
    assert colour_scale_of(a, [a, b], layout) == (DIVERGING, (-1.0, 2.0))
    alone = {"type": "heatmap", "z": [[0.1, 0.3]], "colorscale": DIVERGING}
    assert colour_scale_of(alone, [alone], {}, "dark") == (DIVERGING_DARK, (0.1, 0.3))
    assert theme_scale(DIVERGING, "light") is DIVERGING


def test_rgb_reads_the_forms_the_figures_use_and_names_a_bad_one():
    assert rgb("rgb(5,48,97)").tolist() == [5, 48, 97]
    assert rgb("#ff8000").tolist() == [255, 128, 0]
    with pytest.raises(ValueError, match="colour must be"):
        rgb("teal")
