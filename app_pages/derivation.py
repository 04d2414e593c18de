"""Derivation page: WHY dp/dW = p_t(δ_ti − p_i)·x_j, step by step, with the live x, W and T.

Answers seeds 000 (the quotient rule "gives 0"), 001 (the i = j and i ≠ j cases), 002 (the
sparse dz/dW and the shortcut) and 003 (why the derivative is written from the output a).
The page only composes: numbers come from ``core``, LaTeX from ``ui.derivation``, figures from
``ui.figures``.
"""

from __future__ import annotations

import streamlit as st

import core
from ui import charts, classroom, session, tables
from ui import derivation as text
from ui.downloads import export_menu
from ui.figures.jacobian import jacobian_heatmap
from ui.figures.layer import layer_derivative_figure
from ui.figures.sparsity import dz_dw_pattern

state = session.current_state()
x, W, T = state.x, state.W, state.temperature
n, K = state.n, state.K
_, p = core.forward(x, W, T)
font, big = classroom.font_size(state), classroom.enabled(state)


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


st.title("Derivation: where the softmax layer's derivative comes from")
if not big:
    st.caption(
        "Every formula is followed by the same formula with your x, W and T from the sidebar. "
        "Indices start at 0, as in the code. Pick an entry below and every step follows it."
    )

# The entry followed through the page: J[i, j] = ∂p_i/∂z_j, which in the layer is output t = i,
# weight vector w_i' with i' = j. Defaults come from the Explorer's selection (t, i, j).
t0, i0, j0 = state.selected
c1, c2, c3 = st.columns(3)
row = c1.selectbox("i — output p_i", range(K), index=t0, key=f"drv_i_{K}")
col = c2.selectbox("j — logit z_j", range(K), index=i0, key=f"drv_j_{K}")
inp = c3.selectbox("input x_j for one weight (steps 5–6)", range(n), index=j0, key=f"drv_x_{n}")
if (row, col, inp) != state.selected:
    state = state.with_values(selected=(row, col, inp))
    session.set_state(state)  # the Explorer highlights the same entry when the student goes back

# 1. Forward
show_step(text.forward_step(x, W, T, t=row))

# 2. Quotient rule
show_step(text.quotient_rule_step(x, W, T, i=row, j=col))
st.info(
    f"You chose **i = {row}, j = {col}**: the **{'i = j (diagonal)' if row == col else 'i ≠ j (off-diagonal)'}** "
    "case. Pick i = j and i ≠ j above to see both.",
    icon=":material/call_split:",
)

# 3. Matrix form and the heatmap
show_step(text.matrix_form_step(p, T))
J = core.softmax_jacobian(p, T)
fig_J = jacobian_heatmap(p, T, selected=(row, col), font_size=font, height=classroom.figure_height(state, 460))
charts.show(fig_J, key="drv_chart_jacobian")
export_menu("jacobian", matrix=J, row_labels=tables.p_labels(K), col_labels=tables.z_labels(K), fig=fig_J, key="drv_J")
show_reveal(text.row_sums_reveal(p, T), "rows")

# 4. Seed 003's form
show_step(text.hadamard_step(p, T))
show_reveal(text.saturation_reveal(p, T), "saturation")

# 5. Chain rule through z = Wᵀx
show_step(text.chain_rule_step(x, W, T, t=row, i=col, j=inp))
dz = core.dz_dw(x, K)
fig_dz = dz_dw_pattern(x, K, selected=(row, col, inp), font_size=font, height=classroom.figure_height(state, 300))
charts.show(fig_dz, key="drv_chart_dzdw")
export_menu("dz_dw", matrix=dz, row_labels=tables.z_labels(K),
            col_labels=core.weight_labels(n, K), fig=fig_dz, key="drv_dz")
show_reveal(text.dz_dw_reveal(x, K), "dzdw")

# 6. Shortcut and Kronecker
show_step(text.shortcut_step(x, W, T, t=row, i=col, j=inp))
product = core.layer_jacobian_product(x, W, T)
shortcut = core.layer_jacobian_shortcut(x, W, T)
fig_L = layer_derivative_figure(x, p, product, shortcut, T, selected=(row, col, inp), font_size=font,
                                height=classroom.figure_height(state, 620))
charts.show(fig_L, key="drv_chart_dpdw")
export_menu("dp_dw", matrix=product, row_labels=tables.p_labels(K),
            col_labels=core.weight_labels(n, K), fig=fig_L, key="drv_dp")

# Common mistakes: the wrong step beside the right one, with the numbers that tell them apart.
st.header("Common mistakes")
for mistake in (text.quotient_rule_mistake(x, W, T, a=row, i=col), text.logits_mistake(x, W, T, i=row, j=col)):
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
