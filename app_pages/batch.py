"""Batch: N inputs through the Explorer's layer, one Jacobian each, and the batch gradient as a mean.

Training uses a batch, not one x: every sample has its own p and so its own Jacobian, and the
weight gradient is the mean of the per-sample outer products x_s·(p_s − y_s)ᵀ, which core
computes in one batched call. Every number comes from core; ui draws.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import core
from core.batch import batch_forward, batch_jacobians, make_batch
from ui import charts, classroom, session, sticky, tables
from ui.batch_input import MAX_ROWS, parse_inputs, parse_labels, parse_seed, parse_size
from ui.downloads import export_menu
from ui.figures.batch import gradient_grid, jacobian_grid
from ui.figures.common import fmt
from ui.loss_params import parse_loss
from ui.loss_text import LOSS_TITLES
from ui.paste import matrix_text

MAX_JACOBIAN_PANELS = 16
MAX_GRADIENT_PANELS = 4
PASTED_KEY = "bt_pasted"  # the last good pasted batch: (X (N, n), labels (N,))
SOURCES = ("generated", "pasted")


def _settings() -> tuple[str, int, int, str]:
    """Source, N, seed and loss: widgets first filled from the share link (N, bseed, loss)."""
    sticky.restore("bt_source", lambda: "generated")
    sticky.restore("bt_N", lambda: session.link_param("N", parse_size))
    sticky.restore("bt_seed", lambda: session.link_param("bseed", parse_seed))
    sticky.restore("bt_loss", lambda: session.link_param("loss", parse_loss))
    c1, c2, c3, c4 = st.columns([2, 2, 1, 2])
    source = c1.radio(
        "Inputs",
        SOURCES,
        key="bt_source",
        horizontal=True,
        format_func={"generated": "Generated", "pasted": "Pasted"}.get,
    )
    size = c2.slider("Batch size N", 1, MAX_ROWS, key="bt_N", disabled=source == "pasted")
    seed = c3.number_input("Seed", 0, 2**31 - 1, key="bt_seed", step=1, disabled=source == "pasted")
    loss = c4.radio("Loss", list(core.LOSSES), key="bt_loss", format_func=LOSS_TITLES.get, horizontal=True)
    session.set_page_param("N", str(size))
    session.set_page_param("bseed", str(int(seed)))
    session.set_page_param("loss", loss)
    return source, int(size), int(seed), loss


def _paste_box(state, X_default: np.ndarray, labels_default: np.ndarray) -> None:
    """A form for a pasted batch; a bad paste shows what is wrong and changes nothing."""
    with st.form("bt_paste_form"):
        a, b = st.columns([3, 1])
        x_text = a.text_area(
            f"Inputs: one row per sample, n = {state.n} numbers each",
            value=matrix_text(X_default),
            height=160,
            key="bt_paste_x",
        )
        y_text = b.text_area(
            f"Labels: one class in 0…{state.K - 1} per row",
            value="\n".join(str(v) for v in labels_default),
            height=160,
            key="bt_paste_y",
        )
        if st.form_submit_button("Use this batch", icon=":material/check:"):
            try:
                X = parse_inputs(x_text, state.n)
                labels = parse_labels(y_text, len(X), state.K)
            except ValueError as e:
                st.error(f"{e}. The batch was not changed.", icon=":material/error:")
            else:
                st.session_state[PASTED_KEY] = (X, labels)


def _active_batch(state, source, size, seed) -> tuple[np.ndarray, np.ndarray]:
    X_gen, labels_gen = make_batch(state.n, state.K, size, seed)
    if source == "generated":
        return X_gen, labels_gen
    pasted = st.session_state.get(PASTED_KEY)
    if pasted is not None and (pasted[0].shape[1] != state.n or pasted[1].max() >= state.K):
        st.info("The pasted batch no longer fits the Explorer's n and K; paste a new one.")
        del st.session_state[PASTED_KEY]
        pasted = None
    shown = pasted or (X_gen, labels_gen)
    _paste_box(state, *shown)
    pasted = st.session_state.get(PASTED_KEY)  # the form may just have set it
    if pasted is None:
        st.caption("Until a batch is pasted, the generated one is used.")
        return X_gen, labels_gen
    st.caption("A pasted batch is not part of the share link, which keeps only N, the seed and the loss.")
    return pasted


def main() -> None:
    state = session.current_state()
    font, big = classroom.font_size(state), classroom.enabled(state)
    W, T = state.W, state.temperature
    st.title("Batch")
    if not big:
        st.caption(
            "N inputs through the Explorer's W and T. Each sample has its own p, so its own Jacobian; "
            "the weight gradient is the mean of the samples' gradients."
        )
    source, size, seed, loss = _settings()
    X, labels = _active_batch(state, source, size, seed)
    N = len(X)
    Y = core.one_hot(labels, state.K)
    _, P = batch_forward(X, W, T)

    with st.expander(f"The batch: {N} samples", expanded=False):
        frame = {f"x{j}": X[:, j] for j in range(min(state.n, 8))}
        frame |= {"label y": labels, "p of label": P[np.arange(N), labels], "argmax p": P.argmax(axis=1)}
        st.dataframe(frame, width="stretch")

    st.subheader("1 · One Jacobian per sample", divider="gray")
    jac = r"\operatorname{diag}(p_s) - p_s p_s^\top"
    st.latex(
        r"J^{(s)} = "
        + (jac if T == 1 else rf"({jac})/T")
        + r"\quad (K \times K),\qquad p_s = \operatorname{softmax}(W^\top x_s"
        + ("" if T == 1 else "/T")
        + ")"
    )
    Js = batch_jacobians(X, W, T)
    # Height left to the builder: it grows with the number of panel rows and the font.
    fig_j = jacobian_grid(P, Js, T, max_panels=MAX_JACOBIAN_PANELS, cols=3 if big else 4, font_size=font)
    charts.show(fig_j, key="bt_chart_jacobians")
    if N > MAX_JACOBIAN_PANELS:
        st.caption(f"The first {MAX_JACOBIAN_PANELS} of {N} samples are shown.")
    export_menu(
        "batch_jacobians",
        matrix=Js.reshape(N * state.K, state.K),  # the N Jacobians stacked: rows (s, i), columns j
        row_labels=[f"s{s} p{i}" for s in range(N) for i in range(state.K)],
        col_labels=[f"z{j}" for j in range(state.K)],
        fig=fig_j,
        key="bt_exp_jacobians",
    )
    if not big:
        st.markdown(
            "Same W, different x: each sample's p differs, so each J differs. A confident sample (one p near 1) "
            "has a pale, nearly zero Jacobian; an unsure one has strong entries."
        )

    st.subheader("2 · The batch gradient is a mean", divider="gray")
    st.latex(
        r"\frac{\partial L}{\partial W} = \frac{1}{N}\sum_{s=1}^{N} "
        r"x_s \left(\frac{\partial L}{\partial z_s}\right)^{\!\top}"
        + (r" = \frac{1}{N} X^\top (P - Y)" if loss == "cross_entropy" and T == 1 else "")
    )
    grad_z = core.loss_grad_z(X, W, Y, loss, T)
    per = core.loss_gradient_per_sample(X, W, Y, loss, T)
    batched = core.loss_gradient(X, W, Y, loss, T)
    mean_of_samples = per.mean(axis=0)
    fig_g = gradient_grid(
        X,
        grad_z,
        per,
        mean_of_samples,
        max_panels=MAX_GRADIENT_PANELS,
        font_size=font,
        height=classroom.figure_height(state, 0) or None,
    )
    charts.show(fig_g, key="bt_chart_gradients")
    export_menu(
        "batch_gradient",
        matrix=batched,
        row_labels=tables.x_labels(state.n),
        col_labels=tables.class_labels(state.K),
        fig=fig_g,
        key="bt_exp_gradient",
    )
    diff = float(np.max(np.abs(mean_of_samples - batched)))
    m1, m2, m3 = st.columns(3)
    m1.metric(
        "max |difference|",
        fmt(diff),
        help="Between the mean of the N per-sample outer products and core.loss_gradient(X, W, Y), "
        "computed in one batched call.",
    )
    m2.metric("batch loss L", fmt(core.loss_value(X, W, Y, loss, T), 4))
    m3.metric("samples N", N)
    _predict_size(per, batched, N)


def _predict_size(per: np.ndarray, batched: np.ndarray, N: int) -> None:
    """Predict-then-reveal: is the mean gradient bigger or smaller than a typical sample's?"""
    guess = st.radio(
        "Predict: compared with a typical sample's gradient, the batch gradient (their mean) is …",
        ["larger", "about the same", "smaller"],
        index=None,
        horizontal=True,
        key="bt_guess",
    )
    sizes = np.linalg.norm(per.reshape(N, -1), axis=1)  # Frobenius norm of each sample's (n, K) gradient
    mean_size = float(np.linalg.norm(batched))
    with st.expander("Reveal", expanded=guess is not None):
        c1, c2 = st.columns(2)
        c1.metric("‖∂L/∂W‖, median sample", fmt(np.median(sizes)))
        c2.metric("‖∂L/∂W‖, the mean", fmt(mean_size))
        st.markdown(
            "Usually **smaller**: samples pull W in different directions and the mean keeps only what they "
            "agree on (see the pale mean panel on the same colour scale). It can never exceed the average "
            "sample size (triangle inequality). With N = 1 the two are equal."
        )
        if N > 1:
            st.caption(f"Here: mean / median sample = {fmt(mean_size / max(np.median(sizes), 1e-300))}.")


main()
