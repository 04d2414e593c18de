"""Loss and gradient: from a loss on p back to ∂L/∂W, the blog's "sum the columns", and learning.

The Explorer shows what dp/dW is; this page shows why it matters: a loss turns it into one
(n, K) weight update, gradient descent follows that update, cross-entropy's p − y keeps
learning where MSE's Jᵀ·∂L/∂p stalls, and with K = 3 the step is drawn in the probability
triangle. The link's ``focus`` (ui.link.LOSS_SECTIONS) brings one section to the top, so a
question (ui.questions) opens its answer first. Every number comes from core; ui draws.
"""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

import core
from core.training import compare_losses, confidently_wrong_start, continue_descent, gradient_descent
from pages import show
from pages.loss_parts.figures import (
    column_sum_heatmap,
    descent_figure,
    gradient_bars,
    loss_comparison_figure,
    probability_animation,
    weight_gradient_heatmap,
)
from pages.loss_parts.text import (
    COLUMN_SUM_LATEX,
    GRAD_P_LATEX,
    GRAD_W_LATEX,
    GRAD_Z_LATEX,
    LOSS_LATEX,
    TRIANGLE_STEP_LATEX,
    UNWEIGHTED_COLUMN_SUM_LATEX,
    grad_z_numbers_latex,
    saturation_explanation,
    triangle_explanation,
    unweighted_column_sums_latex,
)
from pages.loss_parts.triangle import loss_surface, probability_triangle
from ui import classroom, section, session
from ui import text as tx
from ui.controls import resize
from ui.link import LOSS_SECTIONS, LR_OPTIONS, default_target
from ui.reveal import guess_then_reveal
from ui.state import LayerState
from ui.text import fmt, sub

MAX_STEPS = 2000  # total steps kept on screen; beyond this the curve says nothing new
COLUMN_SUM_MAX_CELLS = 20_000  # K·(K·n) cells; the (64, 32) state has 65,536, too many to read
COMPARISON_STEPS = 30
DESCENT_KEY = "lg_descent"
SECTION_TITLES = {
    "all": "All, in order",
    "back_to_z": "1 · From the loss back to z",
    "weight_gradient": f"2 · The weight gradient {tx.whole('∂L/∂W')}",
    "columns": "3 · The blog's “sum up the adjustments in each column”",
    "descent": "4 · Gradient descent you can watch",
    "saturation": "5 · Why cross-entropy learns faster from a confidently wrong start",
    "triangle": f"6 · Where one step moves p: the probability triangle {tx.whole('(K = 3)')}",
}


def _prose(fold: bool, text: str, title: str = "Why") -> None:
    """Explanations: inline normally, collapsed when ``fold`` (classroom mode, unless the section was asked for)."""
    if fold:
        with st.expander(title):
            st.markdown(text)
    else:
        st.markdown(text)


def _settings(state: LayerState, p: np.ndarray) -> tuple[int, str, float, str]:
    """Target class, loss, learning rate and the section shown first: page settings, first read from the link."""
    context = {"K": state.K, "p": p}
    if session.setting("target", **context) not in range(state.K):  # K changed on the Explorer
        session.set_setting("target", default_target(p))
    # Two to a row where four would crowd (a 1024 px laptop: "Target / class y" over a 60 px box).
    c1, c2, c3, c4 = section.side_by_side("lg_settings", 4, 190, [1, 2, 2, 2], per_row=2)
    target = session.bind_setting(
        "target",
        c1.selectbox,
        "Target class y",
        list(range(state.K)),
        context=context,
        help="The correct class. By default the runner-up, so the model starts out wrong.",
    )
    loss = session.bind_setting(
        "loss", c2.radio, "Loss", list(core.LOSSES), format_func=tx.LOSS_TITLES.get, horizontal=True
    )
    lr = session.bind_setting(
        "lr", c3.select_slider, "Learning rate (log scale)", options=list(LR_OPTIONS), format_func=lambda v: f"{v:g}"
    )
    focus = session.bind_setting(
        "focus",
        c4.selectbox,
        "Show first",
        list(LOSS_SECTIONS),
        format_func=SECTION_TITLES.get,
        help="Bring one section to the top of the page (kept in the link); the others follow in their order.",
    )
    return int(target), loss, float(lr), focus


def _infinite_grad_p_note(target: int) -> None:
    st.warning(
        f"p{sub(target)} of the target is 0 in floating point (the layer is certain of another class), so "
        f"∂L/∂p{sub(target)} = −1/p{sub(target)} is infinite and cannot be drawn. ∂L/∂z = p − y stays finite: "
        "this is why cross-entropy is differentiated through z, never through p.",
        icon=":material/all_inclusive:",
    )


def _back_to_z(state: LayerState, v: core.LayerValues, L: core.LossValues, target: int, big: bool, fold: bool):
    """Section 1: the loss, ∂L/∂p and ∂L/∂z = Jᵀ·∂L/∂p, with the live numbers."""
    p, y, loss, T = v.p, L.y, L.loss, v.temperature
    st.subheader(SECTION_TITLES["back_to_z"], divider="gray")
    c1, c2 = st.columns(2) if not big else (st.container(), st.container())
    with c1:
        section.latex(LOSS_LATEX[loss] + rf" = {tx.tex(L.value, 4)}")
        section.latex(GRAD_P_LATEX[loss])
    with c2:
        section.latex(GRAD_Z_LATEX[loss])
        wrong = int(np.argmax(p)) if int(np.argmax(p)) != target else (target + 1) % state.K
        for k in (target, wrong):
            section.latex(grad_z_numbers_latex(p, y, L.grad_p, L.grad_z, loss, k, T))
    if L.grad_p is None:
        _infinite_grad_p_note(target)
    else:
        section.figure(
            "lg_chart_bars",
            gradient_bars,
            p,
            y,
            L.grad_p,
            L.grad_z,
            loss,
            T,
            height=340,
            export="loss_gradients",
            matrix=np.column_stack([p, y, L.grad_p, L.grad_z]),
            row_labels=tx.class_labels(state.K),
            col_labels=["p", "y", "dL/dp", "dL/dz"],
        )
    _prose(
        fold,
        "∂L/∂z is ∂L/∂p passed back through the softmax Jacobian: ∂L/∂z = Jᵀ·∂L/∂p. "
        + (
            "For cross-entropy the −y/p in ∂L/∂p cancels the p in J, so the whole product collapses to "
            "**p − y**: how far each probability is from its target."
            if loss == "cross_entropy"
            else "For MSE nothing cancels: each ∂L/∂z_k mixes all K entries of ∂L/∂p through J "
            "(the (p − y)·Softmax'(p) of backprop notes), and J is small wherever softmax is confident."
        ),
    )


def _weight_gradient(state: LayerState, v: core.LayerValues, L: core.LossValues, fold: bool) -> None:
    """Section 2 (the answer to "How do I get the weight gradient from this?"): ∂L/∂W = x·(∂L/∂z)ᵀ, (n, K)."""
    st.subheader(SECTION_TITLES["weight_gradient"], divider="gray")
    section.latex(GRAD_W_LATEX)
    section.figure(
        "lg_chart_dw",
        weight_gradient_heatmap,
        v.x,
        L.grad_z,
        L.grad_W,
        height=360,
        export="dL_dW",
        matrix=L.grad_W,
        row_labels=tx.x_labels(state.n),
        col_labels=tx.class_labels(state.K),
    )
    _prose(
        fold,
        "Row j is x_j times the same vector ∂L/∂z: an input that is 0 gets no update, and column k moves "
        "in the direction that lowers the loss through class k.",
    )


def _columns(state: LayerState, v: core.LayerValues, L: core.LossValues, target: int, fold: bool) -> None:
    """Section 3: the blog's column sums of dp/dW, unweighted (0) and weighted by ∂L/∂p (∂L/∂W)."""
    loss = L.loss
    st.subheader(SECTION_TITLES["columns"], divider="gray")
    _unweighted_columns(state, v, fold)
    st.markdown("**Weighted by ∂L/∂p: the weight gradient.**")
    section.latex(COLUMN_SUM_LATEX)
    if L.grad_p is None:
        st.caption("The column sums weight each row by ∂L/∂p_t, which is infinite here (see section 1).")
        return
    if L.by_columns is None:
        st.caption(f"The column sums cannot be formed for this state: {L.columns_problem}.")
        return
    diff = float(np.max(np.abs(L.by_columns - L.grad_W)))
    m1, m2 = st.columns([1, 3])
    section.zero_metric(
        m1,
        "column sums vs. x·(∂L/∂z)ᵀ",
        diff,
        float(np.max(np.abs(L.grad_W))),
        help="Largest difference: the two routes to ∂L/∂W agree up to floating-point rounding.",
    )
    with m2:
        _prose(
            fold,
            "dp/dW has one row per output p_t and one column per weight (class-major, as the blog). "
            "Weight each row t by ∂L/∂p_t, then add each column up: the K·n column sums, reshaped to (n, K), "
            "are exactly ∂L/∂W from section 2.",
        )
    terms = L.terms
    if loss == "cross_entropy" and not fold:
        st.caption(
            f"With cross-entropy and a one-hot y, ∂L/∂p_t = 0 for every t ≠ {target}, so only row {target} "
            "is non-zero: the column sums are −1/p_y times that row of dp/dW. Switch to MSE to see every row "
            "contribute."
        )
    if terms.size + terms.shape[1] <= COLUMN_SUM_MAX_CELLS:
        section.figure(
            "lg_chart_columns",
            column_sum_heatmap,
            terms,
            L.by_columns,
            height=360,
            export="column_sums",
            matrix=np.vstack([terms, L.by_columns.T.ravel()]),
            row_labels=[f"t={t}" for t in range(state.K)] + ["sum"],
            col_labels=tx.weight_labels(state.n, state.K),
        )
    else:
        st.info(
            f"The weighted dp/dW has {terms.shape[0]} × {terms.shape[1]} entries, too many to draw readably; "
            "the check above still compares all of them."
        )


def _unweighted_columns(state: LayerState, v: core.LayerValues, fold: bool) -> None:
    """The literal reading: dp/dW's columns summed without weights are 0 (Σ_t p_t = 1), seed 000's 0 again."""
    st.markdown("**Read literally, unweighted: every column sums to 0.**")
    section.latex(UNWEIGHTED_COLUMN_SUM_LATEX)
    residue = float(np.max(np.abs(v.column_sums)))
    c1, c2 = st.columns([1, 3])
    section.zero_metric(
        c1,
        "max |column sum|",
        residue,
        float(np.max(np.abs(v.product))),
        help="Of dp/dW as computed: 0 in exact arithmetic; what is left is floating-point rounding.",
    )
    with c2:
        if state.n * state.K <= 64:
            section.latex(unweighted_column_sums_latex(v.column_sums, state.n, state.K))
        else:
            st.caption(f"All {state.n * state.K} column sums are 0 (the rounding left over is on the left).")
    _prose(
        fold,
        "Adding up a column of dp/dW adds how every p_t reacts to one weight: the probabilities always sum to 1, "
        "so together they cannot move. This is the same 0 the quotient-rule reader got (Derivation, Common "
        "mistakes): there every weight vector moved at once, here every output is added up, and both are the "
        "sums of J's rows (J is symmetric), which are 0 because Σ p = 1. So the blog's column sums only mean "
        "something once each row t is weighted by how much the loss cares about p_t:",
    )


def _descent(state: LayerState, y: np.ndarray, target: int, loss: str, lr: float) -> None:
    x, W, T = state.x, state.W, state.temperature
    st.subheader(SECTION_TITLES["descent"], divider="gray")
    section.latex(r"W \leftarrow W - \eta\,\frac{\partial L}{\partial W}," + rf"\quad \eta = {lr:g}")
    start = hashlib.sha1(x.tobytes() + W.tobytes() + repr((T, loss, target, lr)).encode()).hexdigest()
    ss = st.session_state
    if ss.get(DESCENT_KEY, {}).get("start") != start:
        # A new start (Explorer state, loss, target or lr) begins a new run at step 0.
        ss[DESCENT_KEY] = {"start": start, "trajectory": gradient_descent(x, W, y, loss, lr, 0, T), "error": None}
    run = ss[DESCENT_KEY]

    b1, b2, b3, b4 = section.side_by_side("lg_play_row", 4, 150, [1, 1, 1, 2], per_row=2, vertical_alignment="bottom")
    more = 0
    if b1.button("Step", key="lg_step", icon=":material/skip_next:", width="stretch"):
        more = 1
    n_play = b4.number_input("N", 1, 500, 20, key="lg_play_n", help="How many steps “Play N steps” takes.")
    if b2.button("Play N steps", key="lg_play", icon=":material/fast_forward:", width="stretch"):
        more = int(n_play)
    if b3.button("Reset", key="lg_reset", icon=":material/restart_alt:", width="stretch"):
        run["trajectory"] = gradient_descent(x, W, y, loss, lr, 0, T)
        run["error"] = None
    more = min(more, MAX_STEPS - run["trajectory"].steps)
    if more > 0 and run["error"] is None:
        try:  # extend the kept run rather than recomputing it from step 0
            run["trajectory"] = continue_descent(run["trajectory"], x, y, loss, lr, more, T)
        except ValueError as e:  # a huge learning rate can overflow the weights
            run["error"] = str(e)
    if run["error"]:
        st.error(f"{run['error']}. Lower the learning rate or press Reset.")
    traj = run["trajectory"]
    m1, m2, m3 = st.columns(3)
    m1.metric("steps taken", traj.steps)
    moved = traj.steps > 0  # a "0" change badge before the first step says nothing
    m2.metric(
        "loss L",
        fmt(traj.loss[-1], 4),
        delta=f"{traj.loss[-1] - traj.loss[0]:+.3g}" if moved else None,  # ASCII sign: Streamlit reads it
        delta_color="inverse",
    )
    m3.metric(
        f"p of target {target}",
        fmt(traj.p[-1, target], 4),
        delta=f"{traj.p[-1, target] - traj.p[0, target]:+.3g}" if moved else None,
    )
    if traj.steps == MAX_STEPS:
        st.caption(f"Stopped at {MAX_STEPS} steps; press Reset to start again.")
    section.figure(
        "lg_chart_descent",
        descent_figure,
        traj.loss,
        traj.p,
        target,
        height=380,
        export="descent",
        matrix=np.column_stack([traj.loss, traj.p]),
        col_labels=["loss"] + tx.p_labels(state.K),
        row_labels=[f"step {s}" for s in range(traj.steps + 1)],
    )
    section.figure("lg_chart_p_steps", probability_animation, traj.p, target, height=420, export="p_steps")


@st.cache_data(max_entries=64, show_spinner=False)
def _comparison(n: int, K: int, wrong: int, target: int, lr: float) -> tuple[core.LayerValues, dict]:
    """Section 5's start and its two descents: they depend on the sizes and settings, not on x and W,
    so a slider move reuses them."""
    x0, W0 = confidently_wrong_start(n, K, wrong)
    return core.layer_values(x0, W0), compare_losses(x0, W0, target, lr, COMPARISON_STEPS)


def _saturation(state: LayerState, p: np.ndarray, target: int, lr: float, fold: bool) -> None:
    st.subheader(SECTION_TITLES["saturation"], divider="gray")
    wrong = int(np.argmax(p)) if int(np.argmax(p)) != target else (target + 1) % state.K
    start, runs = _comparison(state.n, state.K, wrong, target, lr)
    p0 = start.p
    st.markdown(
        f"Start: x = 1, W chosen so that p{sub(wrong)} = {fmt(p0[wrong])} on the **wrong** class {wrong}; "
        f"the target is class {target} (p{sub(target)} = {fmt(p0[target])}). "
        f"Same learning rate η = {lr:g} for both losses, {COMPARISON_STEPS} steps."
    )
    # Closed until the visitor (or lecturer) guesses or opens it; closed, nothing in it is built or sent.
    guess, reveal = guess_then_reveal(
        f"Predict: which loss raises p of class {target} faster?",
        ["Cross-entropy", "MSE", "About the same"],
        "lg_guess",
    )
    if reveal is None:
        return
    g_ce = float(np.linalg.norm(runs["cross_entropy"].grad_z[0]))
    g_mse = float(np.linalg.norm(runs["mse"].grad_z[0]))
    largest_J = float(np.abs(start.J).max())
    with reveal:
        if guess is not None:
            verdict = "Right" if guess == "Cross-entropy" else "Not quite"
            st.markdown(f"**{verdict}**: cross-entropy wins by far.")
        st.markdown("**At the start**")
        c1, c2, c3 = st.columns(3)
        c1.metric("‖∂L/∂z‖, cross-entropy", fmt(g_ce))
        c2.metric("‖∂L/∂z‖, MSE", fmt(g_mse))
        c3.metric("largest |J[i,k]|", fmt(largest_J))
        section.figure(
            "lg_chart_compare",
            loss_comparison_figure,
            runs,
            target,
            height=380,
            export="ce_vs_mse",
            matrix=np.column_stack([r.p[:, target] for r in runs.values()]),
            col_labels=[f"p{target} {name}" for name in runs],
            row_labels=[f"step {s}" for s in range(COMPARISON_STEPS + 1)],
        )
        _prose(fold, saturation_explanation(p0[wrong], largest_J, g_ce, g_mse), "Why")


def _triangle(state: LayerState, v: core.LayerValues, L: core.LossValues, lr: float, fold: bool) -> None:
    """Section 6: with K = 3, p on the probability triangle and one gradient step drawn from it."""
    st.subheader(SECTION_TITLES["triangle"], divider="gray")
    if state.K != 3:
        st.info(
            f"The triangle needs exactly 3 classes: the probabilities of K classes fill a (K − 1)-dimensional "
            f"simplex, which is a triangle you can see only for {tx.whole('K = 3')}. "
            f"This layer has {tx.whole(f'K = {state.K}')}.",
            icon=":material/change_history:",
        )
        st.button(
            f"Switch the layer to 3 classes (keep n = {state.n})",
            key="lg_to_three",
            icon=":material/change_history:",
            on_click=resize,
            args=(state.n, 3),
        )
        return
    step = core.descent_step(v, L, lr)
    section.latex(TRIANGLE_STEP_LATEX)
    target = int(np.argmax(L.y))
    section.figure(
        "lg_chart_triangle",
        probability_triangle,
        v.p,
        step.predicted,
        step.p_after,
        L.y,
        L.loss,
        loss_surface(L.y, L.loss),
        L.grad_p,
        lr,
        height=560,
        export="probability_triangle",
        matrix=np.column_stack([v.p, step.predicted, step.p_after]),
        row_labels=tx.p_labels(3),
        col_labels=["p", "first-order step", "p after the step"],
        alt=(
            f"A triangle with corners class 0, 1 and 2 (p_k = 1); p = ({', '.join(fmt(a) for a in v.p)}) is a "
            f"point inside it, and an arrow shows one gradient step moving it toward the target corner {target}."
        ),
    )
    m1, m2, m3 = st.columns(3)
    m1.metric("largest |Δpₜ|, first order", fmt(float(np.abs(step.predicted).max())))
    m2.metric("largest |Δpₜ|, actual", fmt(float(np.abs(step.measured).max())))
    m3.metric(
        "first order missed by",
        fmt(float(np.abs(step.error).max())),
        help="max_t |actual − first-order| change of p: of order η², so halving η quarters it.",
    )
    _prose(fold, triangle_explanation(L.loss, target))


def render(state: LayerState, v: core.LayerValues) -> None:
    big = classroom.enabled(state)
    st.title("Loss and gradient")
    first = st.container()  # the section a link asked for goes here: above the settings, at the top
    target, loss, lr, focus = _settings(state, v.p)
    L = core.loss_values(v, target, loss)
    sections = {
        "back_to_z": lambda fold: _back_to_z(state, v, L, target, big, fold),
        "weight_gradient": lambda fold: _weight_gradient(state, v, L, fold),
        "columns": lambda fold: _columns(state, v, L, target, fold),
        "descent": lambda fold: _descent(state, L.y, target, loss, lr),
        "saturation": lambda fold: _saturation(state, v.p, target, lr, fold),
        "triangle": lambda fold: _triangle(state, v, L, lr, fold),
    }
    with first:
        if focus in sections:  # a question's link: its answer first, explanations open even when projecting
            note = f"Shown first: {SECTION_TITLES[focus]}. The settings and the rest of the page follow below."
            (st.markdown if big else st.caption)(note)  # captions stay small on a projector
            sections[focus](False)
        elif not big:
            st.caption(
                "The Explorer's x, W and T with a target class: how the loss turns dp/dW into a weight update, "
                "and what gradient descent does with it."
            )
    for name, draw in sections.items():
        if name != focus:
            draw(big)


if __name__ == "__main__":
    show(render)
