"""Derivation page: WHY dp/dW = p_t(δ_ti − p_i)·x_j, step by step, with the live x, W and T.

Answers seeds 000 (the quotient rule "gives 0"), 001 (the i = j and i ≠ j cases), 002 (the
sparse dz/dW and the shortcut) and 003 (why the derivative is written from the output a).
The page only composes: numbers come from ``core``, LaTeX from ``derivation_parts.steps``, figures
from ``ui.figures``.
"""

from __future__ import annotations

import streamlit as st

import core
from pages import show
from pages.derivation_parts import steps as text
from ui import classroom, section, session
from ui import text as tx
from ui.figures.jacobian import jacobian_heatmap
from ui.figures.layer import layer_derivative_figure
from ui.figures.sparsity import dz_dw_pattern
from ui.state import LayerState


def show_step(step: text.Step) -> None:
    """Title, general formulas, the same with the live numbers, and the why in an expander."""
    st.subheader(step.title, divider="gray")
    for line in step.formulas:
        st.latex(line)
    st.markdown("**With your numbers**")
    for line in step.numbers:
        st.latex(line)
    if step.explanation:
        with st.expander("Why?", icon=":material/help:"):
            st.markdown(step.explanation)


def show_reveal(reveal: text.Reveal, key: str) -> None:
    """Predict-then-reveal: a question, an optional guess, and the answer with the live numbers."""
    with st.container(border=True):
        st.markdown(f"**Predict:** {reveal.question}")
        guess = st.radio("Your guess", reveal.choices, index=None, key=f"drv_guess_{key}", horizontal=True)
        with st.expander("Reveal", icon=":material/visibility:"):
            if guess is not None:
                st.markdown("✅ Right." if guess == reveal.answer else f"❌ Not quite — you said “{guess}”.")
            st.markdown(f"**Answer:** {reveal.answer}")
            for line in reveal.evidence:
                st.latex(line)
            st.markdown(reveal.why)


def _select(position: int):
    def update(value: int) -> None:
        sel = list(session.current_state().selected)
        sel[position] = int(value)
        session.set_state(session.current_state().with_values(selected=tuple(sel)))

    return update


def render(state: LayerState, v: core.LayerValues) -> None:
    x, W, T, p = v.x, v.W, v.temperature, v.p
    n, K = state.n, state.K
    big = classroom.enabled(state)
    st.title("Derivation: where the softmax layer's derivative comes from")
    if not big:
        st.caption(
            "Every formula is followed by the same formula with your x, W and T from the sidebar. "
            "Indices start at 0, as in the code. Pick an entry below and every step follows it."
        )

    # The entry followed through the page: J[i, j] = ∂p_i/∂z_j, which in the layer is output t = i,
    # weight vector w_i' with i' = j. It is the Explorer's selection (t, i, j): one entry on both pages.
    t0, i0, j0 = state.selected
    c1, c2, c3 = st.columns(3)
    row = session.bind("drv_i", t0, c1.selectbox, "i — output p_i", range(K), on_change=_select(0))
    col = session.bind("drv_j", i0, c2.selectbox, "j — logit z_j", range(K), on_change=_select(1))
    inp = session.bind(
        "drv_x", j0, c3.selectbox, "input x_j for one weight (steps 5–6)", range(n), on_change=_select(2)
    )

    # 1. Forward
    show_step(text.forward_step(v, t=row))

    # 2. Quotient rule
    show_step(text.quotient_rule_step(v, i=row, j=col))
    st.info(
        f"You chose **i = {row}, j = {col}**: the **{'i = j (diagonal)' if row == col else 'i ≠ j (off-diagonal)'}** "
        "case. Pick i = j and i ≠ j above to see both.",
        icon=":material/call_split:",
    )

    # 3. Matrix form and the heatmap
    show_step(text.matrix_form_step(v))
    section.figure(
        "drv_chart_jacobian",
        jacobian_heatmap,
        p,
        v.J,
        T,
        selected=(row, col),
        height=460,
        export="jacobian",
        matrix=v.J,
        row_labels=tx.p_labels(K),
        col_labels=tx.z_labels(K),
    )
    show_reveal(text.row_sums_reveal(v), "rows")

    # 4. Seed 003's form
    show_step(text.hadamard_step(v))
    show_reveal(text.saturation_reveal(v), "saturation")

    # 5. Chain rule through z = Wᵀx
    show_step(text.chain_rule_step(v, t=row, i=col, j=inp))
    section.figure(
        "drv_chart_dzdw",
        dz_dw_pattern,
        x,
        v.dz_dw,
        selected=(row, col, inp),
        height=300,
        export="dz_dw",
        matrix=v.dz_dw,
        row_labels=tx.z_labels(K),
        col_labels=tx.weight_labels(n, K),
    )
    show_reveal(text.dz_dw_reveal(v), "dzdw")

    # 6. Shortcut and Kronecker
    show_step(text.shortcut_step(v, t=row, i=col, j=inp))
    section.figure(
        "drv_chart_dpdw",
        layer_derivative_figure,
        x,
        p,
        v.product,
        v.shortcut,
        T,
        selected=(row, col, inp),
        height=620,
        export="dp_dw",
        matrix=v.product,
        row_labels=tx.p_labels(K),
        col_labels=tx.weight_labels(n, K),
    )

    # Common mistakes: the wrong step beside the right one, with the numbers that tell them apart.
    st.header("Common mistakes")
    at_t1 = v if T == 1.0 else core.layer_values(x, W, 1.0)  # the mistakes are about δ and z vs a, not T
    for mistake in (text.quotient_rule_mistake(at_t1, a=row, i=col), text.logits_mistake(at_t1, i=row, j=col)):
        st.subheader(mistake.title, divider="gray")
        wrong, right = st.columns(2)
        with wrong:
            st.markdown("**✗ Wrong**")
            for line in mistake.wrong:
                st.latex(line)
        with right:
            st.markdown("**✓ Right**")
            for line in mistake.right:
                st.latex(line)
        with st.expander("What went wrong?", icon=":material/help:"):
            st.markdown(mistake.why)
    if T != 1.0:
        st.caption("The mistakes are shown at T = 1: they are about δ and about z versus a, not about the temperature.")


if __name__ == "__main__":
    show(render)
