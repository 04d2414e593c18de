"""Loss and gradient: from a loss on p back to ∂L/∂W, the blog's "sum the columns", and learning.

The Explorer shows what dp/dW is; this page shows why it matters: a loss turns it into one
(n, K) weight update, gradient descent follows that update, and cross-entropy's p − y keeps
learning where MSE's Jᵀ·∂L/∂p stalls. Every number comes from core; ui draws.
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
    UNWEIGHTED_COLUMN_SUM_LATEX,
    grad_z_numbers_latex,
    saturation_explanation,
    unweighted_column_sums_latex,
)
from ui import classroom, section, session
from ui import text as tx
from ui.link import LR_OPTIONS, default_target
from ui.state import LayerState
from ui.text import fmt, sub

MAX_STEPS = 2000  # total steps kept on screen; beyond this the curve says nothing new
COLUMN_SUM_MAX_CELLS = 20_000  # K·(K·n) cells; the (64, 32) state has 65,536, too many to read
COMPARISON_STEPS = 30
DESCENT_KEY = "lg_descent"


def _prose(big: bool, text: str, title: str = "Why") -> None:
    """Explanations: inline normally, collapsed in classroom mode so the figures dominate."""
    if big:
        with st.expander(title):
            st.markdown(text)
    else:
        st.markdown(text)


def _settings(state: LayerState, p: np.ndarray) -> tuple[int, str, float]:
    """Target class, loss and learning rate: page settings, first read from the share link."""
    context = {"K": state.K, "p": p}
    if session.setting("target", **context) not in range(state.K):  # K changed on the Explorer
        session.set_setting("target", default_target(p))
    c1, c2, c3 = st.columns([1, 2, 2])
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
    return int(target), loss, float(lr)


def _infinite_grad_p_note(target: int) -> None:
    st.warning(
        f"p{sub(target)} of the target is 0 in floating point (the layer is certain of another class), so "
        f"∂L/∂p{sub(target)} = −1/p{sub(target)} is infinite and cannot be drawn. ∂L/∂z = p − y stays finite: "
        "this is why cross-entropy is differentiated through z, never through p.",
        icon=":material/all_inclusive:",
    )


def _gradients(state: LayerState, v: core.LayerValues, L: core.LossValues, target: int, big: bool) -> None:
    """Sections 1–3: ∂L/∂p and ∂L/∂z, ∂L/∂W, and the blog's column sums."""
    p, y, loss, T = v.p, L.y, L.loss, v.temperature
    st.subheader("1 · From the loss back to z", divider="gray")
    c1, c2 = st.columns(2) if not big else (st.container(), st.container())
    with c1:
        st.latex(LOSS_LATEX[loss] + rf" = {tx.tex(L.value, 4)}")
        st.latex(GRAD_P_LATEX[loss])
    with c2:
        st.latex(GRAD_Z_LATEX[loss])
        wrong = int(np.argmax(p)) if int(np.argmax(p)) != target else (target + 1) % state.K
        for k in (target, wrong):
            st.latex(grad_z_numbers_latex(p, y, L.grad_p, L.grad_z, loss, k, T))
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
        big,
        "∂L/∂z is ∂L/∂p passed back through the softmax Jacobian: ∂L/∂z = Jᵀ·∂L/∂p. "
        + (
            "For cross-entropy the −y/p in ∂L/∂p cancels the p in J, so the whole product collapses to "
            "**p − y**: how far each probability is from its target."
            if loss == "cross_entropy"
            else "For MSE nothing cancels: each ∂L/∂z_k mixes all K entries of ∂L/∂p through J "
            "(the (p − y)·Softmax'(p) of backprop notes), and J is small wherever softmax is confident."
        ),
    )

    st.subheader("2 · The weight gradient ∂L/∂W", divider="gray")
    st.latex(GRAD_W_LATEX)
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
        big,
        "Row j is x_j times the same vector ∂L/∂z: an input that is 0 gets no update, and column k moves "
        "in the direction that lowers the loss through class k.",
    )

    st.subheader("3 · The blog's “sum up the adjustments in each column”", divider="gray")
    _unweighted_columns(state, v, big)
    st.markdown("**Weighted by ∂L/∂p: the weight gradient.**")
    st.latex(COLUMN_SUM_LATEX)
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
            big,
            "dp/dW has one row per output p_t and one column per weight (class-major, as the blog). "
            "Weight each row t by ∂L/∂p_t, then add each column up: the K·n column sums, reshaped to (n, K), "
            "are exactly ∂L/∂W from section 2.",
        )
    terms = L.terms
    if loss == "cross_entropy" and not big:
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


def _unweighted_columns(state: LayerState, v: core.LayerValues, big: bool) -> None:
    """The literal reading: dp/dW's columns summed without weights are 0 (Σ_t p_t = 1), seed 000's 0 again."""
    st.markdown("**Read literally, unweighted: every column sums to 0.**")
    st.latex(UNWEIGHTED_COLUMN_SUM_LATEX)
    residue = float(np.max(np.abs(v.column_sums)))
    c1, c2 = st.columns([1, 3])
    c1.metric(
        "rounding residue",
        fmt(residue),
        help="max |column sum| of dp/dW as computed: 0 in exact arithmetic, what is left is floating-point rounding.",
    )
    with c2:
        if state.n * state.K <= 64:
            st.latex(unweighted_column_sums_latex(v.column_sums, state.n, state.K))
        else:
            st.caption(f"All {state.n * state.K} column sums are 0 (the largest rounding residue is on the left).")
    _prose(
        big,
        "Adding up a column of dp/dW adds how every p_t reacts to one weight: the probabilities always sum to 1, "
        "so together they cannot move. This is the same 0 the quotient-rule reader got (Derivation, Common "
        "mistakes): there every weight vector moved at once, here every output is added up, and both are the "
        "sums of J's rows (J is symmetric), which are 0 because Σ p = 1. So the blog's column sums only mean "
        "something once each row t is weighted by how much the loss cares about p_t:",
    )


def _descent(state: LayerState, y: np.ndarray, target: int, loss: str, lr: float) -> None:
    x, W, T = state.x, state.W, state.temperature
    st.subheader("4 · Gradient descent you can watch", divider="gray")
    st.latex(r"W \leftarrow W - \eta\,\frac{\partial L}{\partial W}," + rf"\quad \eta = {lr:g}")
    start = hashlib.sha1(x.tobytes() + W.tobytes() + repr((T, loss, target, lr)).encode()).hexdigest()
    ss = st.session_state
    if ss.get(DESCENT_KEY, {}).get("start") != start:
        # A new start (Explorer state, loss, target or lr) begins a new run at step 0.
        ss[DESCENT_KEY] = {"start": start, "trajectory": gradient_descent(x, W, y, loss, lr, 0, T), "error": None}
    run = ss[DESCENT_KEY]

    b1, b2, b3, b4 = st.columns([1, 1, 1, 2], vertical_alignment="bottom")
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


def _saturation(state: LayerState, p: np.ndarray, target: int, lr: float, big: bool) -> None:
    st.subheader("5 · Why cross-entropy learns faster from a confidently wrong start", divider="gray")
    wrong = int(np.argmax(p)) if int(np.argmax(p)) != target else (target + 1) % state.K
    start, runs = _comparison(state.n, state.K, wrong, target, lr)
    p0 = start.p
    st.markdown(
        f"Start: x = 1, W chosen so that p{sub(wrong)} = {fmt(p0[wrong])} on the **wrong** class {wrong}; "
        f"the target is class {target} (p{sub(target)} = {fmt(p0[target])}). "
        f"Same learning rate η = {lr:g} for both losses, {COMPARISON_STEPS} steps."
    )
    guess = st.radio(
        f"Predict: which loss raises p of class {target} faster?",
        ["Cross-entropy", "MSE", "About the same"],
        index=None,
        horizontal=True,
        key="lg_guess",
    )
    g_ce = float(np.linalg.norm(runs["cross_entropy"].grad_z[0]))
    g_mse = float(np.linalg.norm(runs["mse"].grad_z[0]))
    largest_J = float(np.abs(start.J).max())
    with st.expander("Reveal", expanded=guess is not None):  # closed until the visitor (or lecturer) opens it
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
        _prose(big, saturation_explanation(p0[wrong], largest_J, g_ce, g_mse), "Why")


def render(state: LayerState, v: core.LayerValues) -> None:
    big = classroom.enabled(state)
    st.title("Loss and gradient")
    if not big:
        st.caption(
            "The Explorer's x, W and T with a target class: how the loss turns dp/dW into a weight update, "
            "and what gradient descent does with it."
        )
    target, loss, lr = _settings(state, v.p)
    L = core.loss_values(v, target, loss)
    _gradients(state, v, L, target, big)
    _descent(state, L.y, target, loss, lr)
    _saturation(state, v.p, target, lr, big)


if __name__ == "__main__":
    show(render)
