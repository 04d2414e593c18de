"""The presenter path's slides: the answer is among the choices and the evidence holds the live numbers."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given

import core
from pages.present_parts import slides
from tests.core.core_strategies import PROPERTY, layers

BLOG = core.layer_values(core.BLOG_X, core.BLOG_W)


def _p(x, W):
    z = np.asarray(W).T @ np.asarray(x)
    e = np.exp(z - z.max())
    return e / e.sum()


@PROPERTY
@given(layers(bound=3.0))
def test_every_slide_has_its_answer_among_the_choices(layer):
    x, W = layer
    v = core.layer_values(x, W)
    target = int(np.argsort(-v.p, kind="stable")[1])
    for slide in (
        slides.z_slide(v),
        slides.p_slide(v),
        slides.j_slide(v),
        slides.dz_dw_slide(v),
        slides.dp_dw_slide(v, (0, 0, 0)),
        slides.dl_dw_slide(v, core.loss_values(v, target), target),
    ):
        assert slide.answer in slide.choices and slide.evidence and slide.title in slides.TITLES.values()
        assert slide.answer not in slide.lead  # the question does not give the answer away


def test_the_z_and_p_vectors_read_as_their_bars_are_labelled():
    # Three digits, zeros kept, as the bar chart under them: "0.160", not "0.16" beside "0.354" nor "0.1600".
    z = slides.z_slide(BLOG).evidence[0]
    assert "0.354 & 0.418 & 0.482 & 0.546 & 0.160" in z
    p = slides.p_slide(BLOG).lead
    assert " & ".join(f"{v:#.3g}" for v in BLOG.p) in p


def test_the_z_slide_answers_with_the_largest_logit():
    z = core.BLOG_W.T @ core.BLOG_X
    assert slides.z_slide(BLOG).answer == f"class {int(np.argmax(z))}"


def test_the_dp_dw_slide_writes_out_minus_p_t_p_i_x_j():
    p = _p(core.BLOG_X, core.BLOG_W)
    s = slides.dp_dw_slide(BLOG, (2, 2, 1))  # t = i would be the own class: the slide moves to i = 3
    assert "W[1,3]" in s.question and s.cell == (2, 3, 1)  # the entry its figure outlines
    assert f"{-p[2] * p[3] * core.BLOG_X[1]:.4g}" in s.evidence[-1]


@PROPERTY
@given(layers(bound=3.0))
def test_the_dp_dw_slide_sets_a_negative_x_j_in_parentheses(layer):
    x, W = layer
    v = core.layer_values(x, W)
    for j in range(len(x)):
        line = slides.dp_dw_slide(v, (0, 0, j)).evidence[-1]
        assert not re.search(r"\\times\s*-", line), line  # "× −0.13" read as a subtraction


def test_the_loss_slide_shows_x_times_p_minus_y():
    p = _p(core.BLOG_X, core.BLOG_W)
    s = slides.dl_dw_slide(BLOG, core.loss_values(BLOG, 1), 1)
    grad = np.outer(core.BLOG_X, p - np.eye(5)[1])
    assert all(f"{g:.4g}" in s.evidence[-1] for g in grad.ravel())


def test_the_loss_slide_writes_out_no_matrix_bigger_than_a_screen():
    rng = np.random.default_rng(0)
    v = core.layer_values(rng.normal(size=64), rng.normal(size=(64, 32)))
    s = slides.dl_dw_slide(v, core.loss_values(v, 1), 1)
    assert "bmatrix" not in s.evidence[-1] and "64 \\times 32" in s.evidence[-1]  # 2,048 numbers were sent
