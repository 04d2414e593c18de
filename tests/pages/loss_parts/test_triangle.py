"""The probability triangle: the 2-D mapping, the point inside, the arrow in the plane, and the figure drawn."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import core
from pages.loss_parts.figures import LOSS_COLOURS, TARGET_COLOUR
from pages.loss_parts.triangle import (
    DIRECTION_LENGTH,
    VERTICES,
    from_plane,
    loss_surface,
    probability_triangle,
    steepest_direction,
    to_plane,
)

PROPERTY = settings(max_examples=60, deadline=None)
finite = st.floats(-4, 4, allow_nan=False, allow_subnormal=False)
HEIGHT = math.sqrt(3) / 2  # the drawn triangle: side 1, corners (0, 0), (1, 0), (½, √3/2)


@st.composite
def simplex_points(draw):
    """A (3,) probability vector: a softmax of bounded logits, or a corner, or a point on an edge."""
    kind = draw(st.sampled_from(["inside", "corner", "edge"]))
    if kind == "corner":
        return np.eye(3)[draw(st.integers(0, 2))]
    if kind == "edge":
        a = draw(st.floats(0, 1))
        p = np.zeros(3)
        k = draw(st.integers(0, 2))
        p[(k + 1) % 3], p[(k + 2) % 3] = a, 1 - a
        return p
    z = draw(arrays(np.float64, 3, elements=finite))
    return core.softmax(z)


def _inside(xy, tol=1e-12) -> bool:
    """Independent of from_plane: on the inner side of each of the three edges (2-D cross products)."""
    corners = [(0.0, 0.0), (1.0, 0.0), (0.5, HEIGHT)]
    for (ax, ay), (bx, by) in zip(corners, corners[1:] + corners[:1], strict=True):
        if (bx - ax) * (xy[1] - ay) - (by - ay) * (xy[0] - ax) < -tol:
            return False
    return True


def _layer_and_step(x, W, target, loss, lr):
    v = core.layer_values(x, W)
    L = core.loss_values(v, target, loss)
    return v, L, core.descent_step(v, L, lr)


def _figure(v, L, step, lr=0.5, **kw):
    surface = loss_surface(L.y, L.loss, points=41)
    return probability_triangle(v.p, step.predicted, step.p_after, L.y, L.loss, surface, L.grad_p, lr, **kw)


def _trace(fig, name_start):
    found = [t for t in fig.data if (t.name or "").startswith(name_start)]
    assert len(found) == 1, [t.name for t in fig.data]
    return found[0]


# ---------------------------------------------------------------- geometry


@PROPERTY
@given(simplex_points())
def test_barycentric_to_plane_and_back_is_the_identity(p):
    np.testing.assert_allclose(from_plane(to_plane(p)), p, atol=1e-12)


@PROPERTY
@given(st.tuples(finite, finite))
def test_plane_to_barycentric_and_back_is_the_identity_and_sums_to_1(xy):
    p = from_plane(np.array(xy))
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(to_plane(p), xy, atol=1e-12)


@PROPERTY
@given(simplex_points())
def test_every_probability_vector_lies_in_the_triangle(p):
    assert _inside(to_plane(p))


def test_corners_are_the_one_hot_vectors_and_the_triangle_is_equilateral():
    np.testing.assert_allclose(to_plane(np.eye(3)), VERTICES)
    sides = [np.linalg.norm(VERTICES[a] - VERTICES[b]) for a, b in ((0, 1), (1, 2), (2, 0))]
    np.testing.assert_allclose(sides, 1.0)
    np.testing.assert_allclose(to_plane(np.full(3, 1 / 3)), [0.5, HEIGHT / 3])  # the centre


@PROPERTY
@given(arrays(np.float64, 2, elements=finite), arrays(np.float64, (2, 3), elements=finite), st.integers(0, 2),
       st.sampled_from(core.LOSSES))  # fmt: skip
def test_the_arrow_lies_in_the_plane_and_is_drawn_from_p(x, W, target, loss):
    v, L, step = _layer_and_step(x, W, target, loss, 0.5)
    assert abs(step.predicted.sum()) <= 1e-12  # components sum to 0: a direction within Σp = 1
    arrow = _trace(_figure(v, L, step), "one step, first order")
    np.testing.assert_allclose([arrow.x[0], arrow.y[0]], to_plane(v.p), atol=1e-12)
    np.testing.assert_allclose([arrow.x[1], arrow.y[1]], to_plane(v.p + step.predicted), atol=1e-12)
    assert from_plane([arrow.x[1], arrow.y[1]]).sum() == pytest.approx(1.0, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, 3, elements=st.floats(-2, 2)), arrays(np.float64, (3, 3), elements=st.floats(-2, 2)),
       st.integers(0, 2), st.sampled_from(core.LOSSES))  # fmt: skip
def test_the_drawn_first_order_tip_matches_a_finite_step_to_second_order(x, W, target, loss):
    """Oracle: a softmax written here at W − ε·∂L/∂W; the drawn tip (at η = ε) misses it by O(ε²)."""
    G = np.outer(x, core.loss_values(core.layer_values(x, W), target, loss).grad_z)
    misses = []
    for eps in (1e-2, 1e-3):
        v, L, step = _layer_and_step(x, W, target, loss, eps)
        arrow = _trace(_figure(v, L, step, lr=eps), "one step, first order")
        z = (W - eps * G).T @ x
        p_eps = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
        misses.append(float(np.linalg.norm(np.array([arrow.x[1], arrow.y[1]]) - to_plane(p_eps))))
    assert misses[1] * 50 <= misses[0] or misses[0] < 1e-12


@PROPERTY
@given(arrays(np.float64, 3, elements=st.floats(-50, 50)))
@example(np.array([1.9, 1.9, 1.9]))  # its mean is off in the last bit: a rounding-sized "direction"
@example(np.array([2.74761924e-161, 0.0, 0.0]))  # squared, it underflows: the norm came out 0.9994
@example(np.array([0.0, 5e-324, 5e-324]))  # the smallest float there is
def test_the_steepest_direction_is_a_unit_vector_in_the_plane(g):
    d = steepest_direction(g)
    if d is None:  # no part in the plane: all equal, up to rounding
        assert np.ptp(g) <= 1e-11 * np.max(np.abs(g)) or np.ptp(g) < 1e-150
        return
    assert d.sum() == pytest.approx(0.0, abs=1e-12) and np.linalg.norm(d) == pytest.approx(1.0)
    assert d @ (g / np.max(np.abs(g))) < 0  # downhill (g scaled: d·g of 1e-324 parts is 0 in floats)
    assert steepest_direction(None) is None


def test_the_loss_surface_is_cores_loss_inside_and_empty_outside():
    y = np.array([0.0, 0.0, 1.0])
    for loss in core.LOSSES:
        u, v, L = loss_surface(y, loss, points=21)
        assert L.shape == (len(v), len(u))
        for r in range(len(v)):
            for c in range(len(u)):
                p = from_plane([u[c], v[r]])
                if (p < -1e-12).any():
                    assert np.isnan(L[r, c])
                elif np.isfinite(L[r, c]):
                    assert L[r, c] == pytest.approx(float(core.loss_at_p(np.clip(p, 0, 1), y, loss)))
                else:  # cross-entropy is infinite on the edge p₂ = 0, drawn as a gap
                    assert loss == "cross_entropy" and p[2] < 1e-9


# ---------------------------------------------------------------- the figure

BLOG3 = (core.BLOG_X, core.BLOG_W[:, :3])


@pytest.mark.parametrize("loss", core.LOSSES)
def test_the_figure_marks_p_the_target_corner_and_the_step(loss):
    v, L, step = _layer_and_step(*BLOG3, 1, loss, 0.5)
    fig = _figure(v, L, step)
    here = _trace(fig, "p now")
    np.testing.assert_allclose([here.x[0], here.y[0]], to_plane(v.p))
    star = _trace(fig, "target y: class 1")
    assert star.marker.color == TARGET_COLOUR and (star.x[0], star.y[0]) == tuple(VERTICES[1])
    after = _trace(fig, "one step, actual")
    np.testing.assert_allclose([after.x[0], after.y[0]], to_plane(step.p_after))
    arrow = _trace(fig, "one step, first order")
    assert arrow.line.color == LOSS_COLOURS[loss] and arrow.marker.symbol[-1] == "arrow"
    direction = _trace(fig, "−∂L/∂p in the plane")
    length = np.hypot(direction.x[1] - direction.x[0], direction.y[1] - direction.y[0])
    assert length == pytest.approx(DIRECTION_LENGTH)
    contour = _trace(fig, "level sets of the loss")
    assert contour.contours.coloring == "lines" and contour.showscale is False
    texts = [a.text for a in fig.layout.annotations]
    assert texts[1].startswith("<b>class 1 (target)</b>") and "p₀ = 1" in texts[0] and "class 2" in texts[2]
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.yaxis.scaleanchor == "x"  # equilateral on every screen


def test_an_infinite_loss_gradient_draws_no_direction_but_still_the_step():
    x, W = np.array([1.0]), np.array([[0.0, 800.0, 0.0]])  # p₀ underflows to 0 in float64
    v, L, step = _layer_and_step(x, W, 0, "cross_entropy", 0.5)
    assert L.grad_p is None
    fig = _figure(v, L, step)
    assert not [t for t in fig.data if (t.name or "").startswith("−∂L/∂p")]
    _trace(fig, "one step, first order")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_classroom_sizes_and_theme_colours(theme):
    v, L, step = _layer_and_step(*BLOG3, 2, "mse", 0.5)
    fig = _figure(v, L, step, font_size=24, height=820, theme=theme)
    ink = "#ffffff" if theme == "dark" else "#000000"
    assert _trace(fig, "p now").marker.line.color == ink
    assert all(a.font.size >= 24 for a in fig.layout.annotations)
    assert _trace(fig, "level sets").contours.labelfont.size >= 24
    assert _trace(fig, "p now").marker.size > 14  # markers grow with the type


def test_the_figure_refuses_other_sizes():
    v = core.layer_values(core.BLOG_X, core.BLOG_W)
    L = core.loss_values(v, 1)
    step = core.descent_step(v, L, 0.5)
    with pytest.raises(ValueError, match="K = 3"):
        probability_triangle(v.p, step.predicted, step.p_after, L.y, "cross_entropy", None)
