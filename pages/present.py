"""Presenter path: z → p → J → dz/dW → dp/dW → ∂L/∂W, one idea per screen, predict before you see.

For a lecturer (or a student alone): each slide asks a question about the live numbers; the answer,
its numbers and its picture stay hidden until revealed. Next / Previous and the contents move
between slides, and each slide has its own link (``?slide=J``). Numbers come from core's record;
the text is in ``present_parts.slides``; figures are the shared builders in ``ui.figures``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import core
from pages import show
from pages.present_parts import slides
from ui import classroom, layer_views, section, stepper
from ui import text as tx
from ui.figures.jacobian import jacobian_heatmap
from ui.figures.output import output_bars
from ui.figures.sparsity import dz_dw_pattern
from ui.link import PRESENT_SLIDES, default_target
from ui.reveal import predict_then_reveal
from ui.state import LayerState


def _figure(name: str, slide: slides.Slide, state: LayerState, v: core.LayerValues) -> None:
    t, i, j = slide.cell or state.selected  # the entry the slide asks about, else the Explorer's
    T = v.temperature
    if name in ("z", "p"):
        # The class with the largest logit (and p), the z slide's answer: the Explorer's t drew the eye
        # to another bar beside the answer "class 3".
        top = int(np.argmax(v.z))
        section.figure("pr_chart_output", output_bars, v.z, v.p, T, selected_class=top, height=340)
    elif name == "J":
        section.figure(
            "pr_chart_jacobian", jacobian_heatmap, v.p, v.J, T, selected=(t, i), height=460,
            export="jacobian", matrix=v.J, row_labels=tx.p_labels(state.K), col_labels=tx.z_labels(state.K),
        )  # fmt: skip
    elif name == "dz_dw":
        section.figure("pr_chart_dzdw", dz_dw_pattern, v.x, v.dz_dw, selected=(t, i, j), height=300)
    elif name == "dp_dw":
        layer_views.layer_derivative("pr_chart_dpdw", v, (t, i, j))


def _slide(name: str, state: LayerState, v: core.LayerValues) -> slides.Slide:
    if name == "z":
        return slides.z_slide(v)
    if name == "p":
        return slides.p_slide(v)
    if name == "J":
        return slides.j_slide(v)
    if name == "dz_dw":
        return slides.dz_dw_slide(v)
    if name == "dp_dw":
        return slides.dp_dw_slide(v, state.selected)
    target = default_target(v.p)  # the runner-up class: the layer starts out wrong
    return slides.dl_dw_slide(v, core.loss_values(v, target, "cross_entropy"), target)


def render(state: LayerState, v: core.LayerValues) -> None:
    big = classroom.enabled(state)
    st.title("Presenter path")
    if not big:
        st.caption(
            "z → p → J → dz/dW → dp/dW → ∂L/∂W, one idea per screen. Each slide asks first; the answer, its "
            "numbers and its picture stay hidden until you reveal them. Each slide has its own link."
        )
    name = stepper.contents("slide", PRESENT_SLIDES, slides.TITLES, label="Slides")
    slide = _slide(name, state, v)
    st.subheader(slide.title, divider="gray")
    section.latex(slide.lead)
    predict_then_reveal(slide, f"pr_guess_{name}", then=lambda: _figure(name, slide, state, v))
    stepper.buttons("slide", PRESENT_SLIDES, slides.TITLES, name, key="pr")


if __name__ == "__main__":
    show(render)
