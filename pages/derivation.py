"""Derivation page: WHY dp/dW = p_t(δ_ti − p_i)·x_j, one step per screen, with the live x, W and T.

A stepper: a table of contents, Previous/Next, and the step in the link (``?step=cases``), so each
reader's question (ui.questions) opens its answer directly. Answers seeds 000 (the quotient rule
"gives 0": step ``mistakes``), 001 (the i = j and i ≠ j cases side by side: ``cases``), 002 (the
blog's printed numbers checked: ``blog``; the shortcut: ``shortcut``) and 003 (why the derivative
is written from the output a: ``output``); ``nudge`` makes the derivative tangible. The page only
composes: numbers come from ``core``, LaTeX from ``derivation_parts.steps``, the blog's printouts
from ``derivation_parts.blog``, figures from ``ui.figures`` and ``derivation_parts.figures``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

import core
from pages import show
from pages.derivation_parts import blog
from pages.derivation_parts import steps as text
from pages.derivation_parts.figures import NUDGE_HEIGHT, layer_path_diagram, nudge_error_figure
from ui import classroom, layer_views, section, session, stepper
from ui import text as tx
from ui.figures.jacobian import jacobian_heatmap
from ui.figures.sparsity import dz_dw_pattern
from ui.link import DERIVATION_STEPS, NUDGE_OPTIONS
from ui.reveal import predict_then_reveal
from ui.state import LayerState

STEP_TITLES = {
    "forward": "1 · Forward pass",
    "cases": "2 · The i = j and i ≠ j cases",
    "matrix": "3 · The Jacobian matrix",
    "output": "4 · Softmax′(a): from the output",
    "chain": "5 · Chain rule through z = Wᵀx",
    "shortcut": "6 · The shortcut",
    "blog": "7 · The blog's numbers, checked",
    "nudge": "8 · Nudge a weight",
    "mistakes": "9 · Common mistakes",
}


def _why(text_md: str, big: bool, title: str = "Why?") -> None:
    """The why, in the open (one step per screen leaves room); in classroom mode behind an expander."""
    if big:
        with st.expander(title, icon=":material/help:"):
            st.markdown(text_md)
    else:
        st.markdown(f"**{title}** " + text_md if not text_md.startswith("**") else text_md)


def show_step(step: text.Step, big: bool = False, title: bool = True) -> None:
    """Title, general formulas, the same with the live numbers, and the why."""
    if title:
        st.subheader(step.title, divider="gray")
    for line in step.formulas:
        section.latex(line)
    st.markdown("**With your numbers**")
    for line in step.numbers:
        section.latex(line)
    if step.explanation:
        _why(step.explanation, big)


def show_reveal(reveal: text.Reveal, key: str) -> None:
    """Predict-then-reveal: a question, an optional guess, and the answer with the live numbers."""
    predict_then_reveal(reveal, f"drv_guess_{key}")


def _select(position: int):
    def update(value: int) -> None:
        sel = list(session.current_state().selected)
        sel[position] = int(value)
        session.set_state(session.current_state().with_values(selected=tuple(sel)))

    return update


def render(state: LayerState, v: core.LayerValues) -> None:
    n, K = state.n, state.K
    big = classroom.enabled(state)
    st.title("Derivation: where the softmax layer's derivative comes from")
    if not big:
        st.caption(
            "One step per screen: pick one in the contents or use Previous / Next; the address bar keeps the step, "
            "so a link opens it. Every formula is followed by the same formula with your x, W and T from the "
            "sidebar. Indices start at 0, as in the code."
        )
    step = stepper.contents("step", DERIVATION_STEPS, STEP_TITLES)

    # The entry followed through the steps: J[i, j] = ∂p_i/∂z_j, which in the layer is output t = i,
    # weight vector w_i' with i' = j. It is the Explorer's selection (t, i, j): one entry on both pages.
    sel = state.selected
    if step != "blog":
        c1, c2, c3 = st.columns(3)
        # No index letters in the labels: J's steps call these i and j, the weights' steps t, i and j,
        # and "j — logit z_j" beside "input x_j" read as one index (each help says which it is where).
        row = session.bind(
            "drv_i", sel[0], c1.selectbox, "Output p (row)", range(K), on_change=_select(0),
            help="The output whose derivative is taken: t in steps 1, 5, 6 and 8, i in steps 2–4 (a row of J).",
        )  # fmt: skip
        col = session.bind(
            "drv_j", sel[1], c2.selectbox, "Logit z, class (column)", range(K), on_change=_select(1),
            help="j in steps 2–4 (a column of J); in steps 5, 6 and 8 the class i whose weights W[j, i] move.",
        )  # fmt: skip
        inp = session.bind(
            "drv_x", sel[2], c3.selectbox, "Input x (steps 5, 6, 8)", range(n), on_change=_select(2),
            help="j in steps 5, 6 and 8: the weight W[j, i] from input x_j into class i.",
        )  # fmt: skip
        sel = (int(row), int(col), int(inp))
    STEPS[step](state, v, sel, big)
    stepper.buttons("step", DERIVATION_STEPS, STEP_TITLES, step, key="drv_bottom")


def _forward(state: LayerState, v: core.LayerValues, sel, big: bool) -> None:
    show_step(text.forward_step(v, t=sel[0]), big)


def _cases(state: LayerState, v: core.LayerValues, sel, big: bool) -> None:
    """Seed 001: both cases at once, i = j on the left and i ≠ j on the right, with the live numbers."""
    i, j = sel[0], sel[1]
    off = j if j != i else (i + 1) % state.K
    diagonal, off_diagonal = text.quotient_rule_step(v, i, i), text.quotient_rule_step(v, i, off)
    st.subheader("2. The quotient rule, and where the i = j and i ≠ j cases come from", divider="gray")
    for line in diagonal.formulas:
        section.latex(line)
    # A quotient-rule fraction with numbers is ~260 px, and its box's border and padding take 34 more.
    left, right = section.side_by_side("drv_cases", 2, 300) if not big else (st.container(), st.container())
    for column, case, title in (
        (left, diagonal, f"**i = j** (diagonal): i = j = {i}"),
        (right, off_diagonal, f"**i ≠ j** (off-diagonal): i = {i}, j = {off}"),
    ):
        with column, st.container(border=True):
            st.markdown(title)
            for line in case.numbers:
                if r": \quad " not in line:
                    section.latex(line)
                    continue
                # Half a screen (or a phone) is narrow: the case, its product and its value on lines of their own.
                label, _, formula = line.partition(r": \quad ")
                product, _, value = formula.rpartition(" = ")
                section.latex(label)
                section.latex(product)
                section.latex("= " + value)
    _why(diagonal.explanation, big)


def _matrix(state: LayerState, v: core.LayerValues, sel, big: bool) -> None:
    show_step(text.matrix_form_step(v), big)
    section.figure(
        "drv_chart_jacobian", jacobian_heatmap, v.p, v.J, v.temperature, selected=(sel[0], sel[1]), height=460,
        export="jacobian", matrix=v.J, row_labels=tx.p_labels(state.K), col_labels=tx.z_labels(state.K),
    )  # fmt: skip
    show_reveal(text.row_sums_reveal(v), "rows")


def _output(state: LayerState, v: core.LayerValues, sel, big: bool) -> None:
    show_step(text.output_bridge_step(v, sel[0]), big)
    show_step(text.hadamard_step(v), big)
    show_reveal(text.saturation_reveal(v), "saturation")


def _blog_note(state: LayerState) -> None:
    if state.preset == "blog" and state.temperature == 1.0:
        st.caption(
            "The blog prints 0.01544 for ∂p₀/∂W[0,0], the app 0.01545: its printout cuts digits off, the app "
            "rounds (the value is 0.0154465…). Step 7 checks every number the blog prints."
        )


def _chain(state: LayerState, v: core.LayerValues, sel, big: bool) -> None:
    show_step(text.chain_rule_step(v, t=sel[0], i=sel[1], j=sel[2]), big)
    _blog_note(state)
    # The path W[j, i] takes: x_j → z_i (the one logit it moves), then z_i → p_t through softmax.
    section.figure("drv_chart_path", layer_path_diagram, v.x, v.z, v.p, sel, v.entry(*sel), height=380)
    section.figure(
        "drv_chart_dzdw", dz_dw_pattern, v.x, v.dz_dw, selected=sel, height=300, export="dz_dw", matrix=v.dz_dw,
        row_labels=tx.z_labels(state.K), col_labels=tx.weight_labels(state.n, state.K),
    )  # fmt: skip
    if st.toggle("Show dz/dW as the blog prints it (its z_dir: K·n × K, the transpose)", key="drv_dz_blog"):
        frame = blog_frame(v.dz_dw.T, tx.weight_labels(state.n, state.K), tx.z_labels(state.K))
        section.table(frame)
    show_reveal(text.dz_dw_reveal(v), "dzdw")


def blog_frame(M, rows, cols) -> pd.DataFrame:
    return pd.DataFrame(M, index=rows, columns=cols)


def _shortcut(state: LayerState, v: core.LayerValues, sel, big: bool) -> None:
    show_step(text.shortcut_step(v, t=sel[0], i=sel[1], j=sel[2]), big)
    _blog_note(state)
    layer_views.layer_derivative("drv_chart_dpdw", v, sel, export="dp_dw")


def _blog(state: LayerState, v: core.LayerValues, sel, big: bool) -> None:
    """Seed 002 checked in the open: every number the blog prints beside the app's, at the blog's precision."""
    st.subheader("7. The blog's numbers, checked", divider="gray")
    at_blog = np.array_equal(v.x, core.BLOG_X) and np.array_equal(v.W, core.BLOG_W) and v.temperature == 1.0
    if not at_blog:
        st.info(
            "Your x, W or T are not the blog's, so this step uses the blog's example (x = [0.1, 0.5, 0.4], its W, "
            "T = 1). Choose the preset “The blog's example” in the sidebar to follow it on every page.",
            icon=":material/info:",
        )
        v = core.layer_values(core.BLOG_X, core.BLOG_W)  # the blog's layer, not the visitor's
    section.latex(r"DL = DS \cdot DZ^{\top} = \frac{dp}{dz}\,\frac{dz}{dW}")
    section.latex(r"(5 \times 15) = (5 \times 5)(5 \times 15)")
    tables = {out.name: blog.check_table(out) for out in blog.printouts(v)}
    printed, rounded, value = blog.truncation_example(v)
    st.markdown(
        f"The blog truncates: DL[0,0] = {value}… is printed **{printed}**, where rounding (as every step of "
        f"this page does, to 4 significant digits) gives **{rounded}**. So a printed number *matches* when it is "
        "less than one unit of its last printed digit away from the app's value. Every printed number matches:"
    )
    section.table(blog.summary(tables), hide_index=True)
    st.markdown(
        "**Why the shortcut matches.** Each entry of DS·DZᵀ is a sum of 5 products, and DZ is mostly zeros: only "
        "one product survives, DS[t, i]·x_j = p_t(δ_ti − p_i)·x_j, which is the shortcut (step 6). DL and "
        "DL_shortcut are the same 75 numbers; the blog prints one of them as 0.0810 once and 0.08105 once."
    )
    tabs = st.tabs([f"{name} ({len(t)})" for name, t in tables.items()])
    for tab, (name, table), out in zip(tabs, tables.items(), blog.printouts(v), strict=True):
        with tab:
            st.caption(f"{name}: {out.meaning}")
            section.table(table, hide_index=True, height=min(260, 35 * (len(table) + 1) + 3))


def _nudge(state: LayerState, v: core.LayerValues, sel, big: bool) -> None:
    """The derivative you can feel: move one weight (or input) by ε, run the layer again, compare."""
    t, i, j = sel
    st.subheader("8. Nudge a weight: the derivative you can feel", divider="gray")
    c1, c2 = st.columns([2, 3])
    what = session.bind(
        "drv_nudge_what", session.setting("nudge_what", "W"), c1.radio, "Nudge", ["W", "x"], horizontal=True,
        format_func=lambda w: f"weight W[{j},{i}]" if w == "W" else f"input x{tx.sub(j)}",
        on_change=lambda w: session.set_setting("nudge_what", w),
    )  # fmt: skip
    eps = session.bind_setting(
        "eps", c2.select_slider, "ε (log scale)", options=list(NUDGE_OPTIONS), format_func=lambda e: f"{e:g}"
    )
    which = ("W", j, i) if what == "W" else ("x", j)
    nd = core.nudge(v.x, v.W, v.temperature, which, eps)
    curve = core.nudge_curve(v.x, v.W, v.temperature, which, NUDGE_OPTIONS)
    moved = f"W_{{{j},{i}}}" if what == "W" else f"x_{{{j}}}"
    section.latex(
        rf"\underbrace{{p_{{{t}}}({moved} + \varepsilon) - p_{{{t}}}({moved})}}"
        r"_{\text{measured: run the layer again}}"
        rf"\;\approx\; \underbrace{{\frac{{\partial p_{{{t}}}}}{{\partial {moved}}}\,\varepsilon}}"
        r"_{\text{predicted}}"
    )
    # Two short lines rather than one long one: a phone is 390 px wide.
    # p before and after to the decimal of the difference's sixth digit, so the subtraction checks as printed.
    places = max(0, 5 - math.floor(math.log10(abs(nd.measured[t])))) if nd.measured[t] else 7
    after, before = round(float(nd.p_after[t]), places), round(float(nd.p[t]), places)
    section.latex(rf"{after:.{places}f} - {before:.{places}f} = {tx.tex(round(after - before, places), 6)}")
    section.latex(rf"{tx.tex(nd.predicted[t] / eps, 6)} \times {tx.tex(eps)} = {tx.tex(nd.predicted[t], 6)}")
    m1, m2, m3 = st.columns(3)
    # Four digits show where they part (the formulas above have six): six were cut to "0.000773…" at 1024 px.
    m1.metric(f"measured Δp{tx.sub(t)}", tx.fmt(nd.measured[t], 4))
    m2.metric(f"predicted ∂p{tx.sub(t)}·ε", tx.fmt(nd.predicted[t], 4))
    m3.metric(
        "relative error",
        tx.fmt(nd.relative_error),
        help="max over t of |measured − predicted|, divided by max over t of |predicted|.",
    )
    # The comparison first: on a phone the columns after the third are off-screen until scrolled to.
    table = pd.DataFrame(
        {"measured Δp": nd.measured, "predicted": nd.predicted, "measured − predicted": nd.error,
         "p before": nd.p, "p after": nd.p_after},
        index=tx.p_labels(state.K),
    )  # fmt: skip
    # Six digits, zeros kept so a column reads evenly; a power of ten written as the formulas write it.
    section.table(table.style.format(lambda v: tx.fmt(v, 6, zeros=True, power=True)))
    section.figure("drv_chart_nudge", nudge_error_figure, np.array(NUDGE_OPTIONS), curve, eps, height=NUDGE_HEIGHT)
    _why(
        "The derivative is the slope: it predicts the change of p to first order. What is left over, "
        "measured − predicted, is the curvature's share, ½·(second derivative)·ε², so shrinking ε ten times "
        "shrinks the error about a hundred times (the line has slope 2 on the log-log plot). Every p_t moves, "
        "and the changes add up to 0 — the probabilities still sum to 1.",
        big,
    )


def _mistakes(state: LayerState, v: core.LayerValues, sel, big: bool) -> None:
    """The wrong step beside the right one, with the numbers that tell them apart."""
    st.subheader("9. Common mistakes", divider="gray")
    at_t1 = v if v.temperature == 1.0 else core.layer_values(v.x, v.W, 1.0)  # about δ and z vs a, not T
    for mistake in (text.quotient_rule_mistake(at_t1, a=sel[0], i=sel[1]), text.logits_mistake(at_t1, *sel[:2])):
        st.markdown(f"#### {mistake.title}")
        wrong, right = st.columns(2)
        with wrong:
            st.markdown("**✗ Wrong**")
            for line in mistake.wrong:
                section.latex(line)
        with right:
            st.markdown("**✓ Right**")
            for line in mistake.right:
                section.latex(line)
        _why(mistake.why, big, "What went wrong?")
    st.page_link(
        "pages/loss.py",
        label="The same 0 again: the blog's columns summed without weights (Loss page, section 3)",
        icon=":material/functions:",
        query_params=session.link_query(),
    )
    if v.temperature != 1.0:
        st.caption("The mistakes are shown at T = 1: they are about δ and about z versus a, not about the temperature.")


STEPS = {
    "forward": _forward,
    "cases": _cases,
    "matrix": _matrix,
    "output": _output,
    "chain": _chain,
    "shortcut": _shortcut,
    "blog": _blog,
    "nudge": _nudge,
    "mistakes": _mistakes,
}


if __name__ == "__main__":
    show(render)
