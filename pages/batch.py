"""Batch: N inputs through the Explorer's layer, one Jacobian each, and the batch gradient as a mean.

Training uses a batch, not one x: every sample has its own p and so its own Jacobian, and the
weight gradient is the mean of the per-sample outer products x_s·(p_s − y_s)ᵀ, which core
computes in one batched call. Every number comes from core; ui draws.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import core
from core.batch import make_batch
from pages import show
from pages.batch_parts.figures import gradient_grid, jacobian_grid
from ui import classroom, section, session
from ui import text as tx
from ui.fold import folded
from ui.link import PARAMS
from ui.paste import parse_inputs, parse_labels
from ui.reveal import guess_then_reveal
from ui.state import LayerState
from ui.text import LOSS_TITLES, fmt, matrix_text

MAX_JACOBIAN_PANELS = 16
MAX_GRADIENT_PANELS = 4
PASTED_KEY = "bt_pasted"  # the last good pasted batch: (X (N, n), labels (N,))
SOURCES = ("generated", "pasted")


def _settings() -> tuple[str, int, int, str]:
    """Source, N, seed and loss. N, the seed and the loss are page settings, first read from the share link."""
    c1, c2, c3, c4 = st.columns([2, 2, 1, 2])
    source = session.bind_setting(
        "source",
        c1.radio,
        "Inputs",
        SOURCES,
        default="generated",
        horizontal=True,
        format_func={"generated": "Generated", "pasted": "Pasted"}.get,
    )
    N, seed = PARAMS["N"], PARAMS["bseed"]
    size = session.bind_setting("N", c2.slider, "Batch size N", N.lo, N.hi, disabled=source == "pasted")
    seed = session.bind_setting("bseed", c3.number_input, "Seed", seed.lo, seed.hi, step=1, disabled=source == "pasted")
    loss = session.bind_setting(
        "loss", c4.radio, "Loss", list(core.LOSSES), format_func=LOSS_TITLES.get, horizontal=True
    )
    return source, int(size), int(seed), loss


PASTE_ERROR_KEY = "_bt_paste_error"


def _on_paste(n: int, K: int) -> None:
    """The form's submit callback: runs before the script, so the boxes are drawn with the new batch."""
    ss = st.session_state
    try:
        X = parse_inputs(ss["bt_paste_x"], n)
        labels = parse_labels(ss["bt_paste_y"], len(X), K)
    except ValueError as e:
        ss[PASTE_ERROR_KEY] = str(e)
    else:
        ss.pop(PASTE_ERROR_KEY, None)
        ss[PASTED_KEY] = (X, labels)


def _paste_box(state: LayerState, X_default: np.ndarray, labels_default: np.ndarray) -> None:
    """A form for a pasted batch; a bad paste shows what is wrong and changes nothing."""
    with st.form("bt_paste_form"):
        a, b = st.columns([3, 1])
        session.bind(
            "bt_paste_x",
            matrix_text(X_default),
            a.text_area,
            f"Inputs: one row per sample, n = {state.n} numbers each",
            height=160,
        )
        session.bind(
            "bt_paste_y",
            "\n".join(str(v) for v in labels_default),
            b.text_area,
            f"Labels: one class in 0…{state.K - 1} per row",
            height=160,
        )
        st.form_submit_button("Use this batch", icon=":material/check:", on_click=_on_paste, args=(state.n, state.K))
    if error := st.session_state.pop(PASTE_ERROR_KEY, None):
        st.error(f"{tx.literal(error)}. The batch was not changed.", icon=":material/error:")


def _active_batch(state: LayerState, source, size, seed) -> tuple[np.ndarray, np.ndarray]:
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


def render(state: LayerState, v: core.LayerValues) -> None:
    big = classroom.enabled(state)
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
    B = core.batch_values(X, W, core.one_hot(labels, state.K), loss, T)
    P = B.P

    table = folded(st.expander, f"The batch: {N} samples", key="bt_samples")  # built only while open
    if table is not None:
        frame = {f"x{j}": X[:, j] for j in range(min(state.n, 8))}
        frame |= {"label y": labels, "p of label": P[np.arange(N), labels], "argmax p": P.argmax(axis=1)}
        with table:
            section.table(frame)

    st.subheader("1 · One Jacobian per sample", divider="gray")
    jac = r"\operatorname{diag}(p_s) - p_s p_s^\top"
    section.latex(
        r"J^{(s)} = "
        + (jac if T == 1 else rf"({jac})/T")
        + r"\quad (K \times K),\qquad"
        + tx.BREAK
        + r"p_s = \operatorname{softmax}(W^\top x_s"
        + ("" if T == 1 else "/T")
        + ")"
    )
    Js = B.Js
    # Height left to the builder: it grows with the number of panel rows and the font.
    section.figure(
        "bt_chart_jacobians",
        jacobian_grid,
        P,
        Js,
        T,
        max_panels=MAX_JACOBIAN_PANELS,
        cols=3 if big else 4,
        export="batch_jacobians",
        matrix=Js.reshape(N * state.K, state.K),  # the N Jacobians stacked: rows (s, i), columns j
        row_labels=[f"s{s} p{i}" for s in range(N) for i in range(state.K)],
        col_labels=tx.z_labels(state.K),
    )
    if N > MAX_JACOBIAN_PANELS:
        st.caption(f"The first {MAX_JACOBIAN_PANELS} of {N} samples are shown.")
    if not big:
        st.markdown(
            "Same W, different x: each sample's p differs, so each J differs. A confident sample (one p near 1) "
            "has a faint, nearly zero Jacobian; an unsure one has strong entries."
        )

    st.subheader("2 · The batch gradient is a mean", divider="gray")
    section.latex(
        r"\frac{\partial L}{\partial W} = \frac{1}{N}\sum_{s=1}^{N} "
        r"x_s \left(\frac{\partial L}{\partial z_s}\right)^{\!\top}"
        + (tx.BREAK + r"= \frac{1}{N} X^\top (P - Y)" if loss == "cross_entropy" and T == 1 else "")
    )
    per, batched = B.per_sample, B.gradient
    mean_of_samples = per.mean(axis=0)  # the mean taken here, sample by sample, checks core's X·(∂L/∂Z)ᵀ/N
    section.figure(
        "bt_chart_gradients",
        gradient_grid,
        X,
        B.grad_z,
        per,
        mean_of_samples,
        max_panels=MAX_GRADIENT_PANELS,
        height=0 if big else None,
        export="batch_gradient",
        matrix=batched,
        row_labels=tx.x_labels(state.n),
        col_labels=tx.class_labels(state.K),
    )
    diff = float(np.max(np.abs(mean_of_samples - batched)))
    m1, m2, m3 = st.columns(3)
    section.zero_metric(
        m1,
        "mean of samples vs. batch formula",
        diff,
        float(np.max(np.abs(batched))),
        help="Largest difference between the mean of the N per-sample outer products and the batch gradient "
        "X·(∂L/∂Z)ᵀ / N, computed in one matrix product.",
    )
    m2.metric("batch loss L", fmt(B.value, 4))
    m3.metric("samples N", N)
    _predict_size(per, batched, N)


SAME_SIZE = 0.1  # the mean within 10 % of the median sample's size counts as "about the same"


def _predict_size(per: np.ndarray, batched: np.ndarray, N: int) -> None:
    """Predict-then-reveal: is the mean gradient bigger or smaller than a typical sample's?"""
    guess, reveal = guess_then_reveal(  # closed, nothing in the Reveal is built or sent
        "Predict: compared with a typical sample's gradient, the batch gradient (their mean) is …",
        ["larger", "about the same", "smaller"],
        "bt_guess",
    )
    if reveal is None:
        return
    sizes = np.linalg.norm(per.reshape(N, -1), axis=1)  # Frobenius norm of each sample's (n, K) gradient
    mean_size = float(np.linalg.norm(batched))
    ratio = mean_size / max(float(np.median(sizes)), 1e-300)
    here = "smaller" if ratio < 1 - SAME_SIZE else "larger" if ratio > 1 + SAME_SIZE else "about the same"
    with reveal:
        if guess is not None:  # judged on this batch, as the other Reveals judge theirs
            st.markdown("✅ Right." if guess == here else f"❌ Not quite: you said “{guess}”; here it is {here}.")
        c1, c2 = st.columns(2)
        c1.metric("‖∂L/∂W‖, median sample", fmt(np.median(sizes)))
        c2.metric("‖∂L/∂W‖, the mean", fmt(mean_size))
        st.markdown(
            "Usually **smaller**: samples pull W in different directions and the mean keeps only what they "
            "agree on (see the faint mean panel on the same colour scale). It can never exceed the average "
            "sample size (triangle inequality). With N = 1 the two are equal."
        )
        if N > 1:
            st.caption(f"Here: mean / median sample = {fmt(ratio)}.")


if __name__ == "__main__":
    show(render)
