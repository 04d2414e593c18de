"""Words and formulas for the Loss and gradient page: LaTeX with the live numbers plugged in.

Pure functions (no streamlit), so every string can be unit-tested. Notation (DESIGN.md):
x (n,), W (n, K), p (K,), y (K,) the one-hot target, T the temperature.
"""

from __future__ import annotations

import numpy as np

from ui.text import BREAK, LOSS_TITLES, NO_BREAK_SPACE, sub, tex, tex_matrix, whole
from ui.text import fmt as num

__all__ = ["LOSS_TITLES"]  # re-exported: the page's titles come from ui.text, shared with the Batch page

LOSS_LATEX = {
    "cross_entropy": r"L = -\sum_k y_k \log p_k",
    "mse": r"L = \frac{1}{K}\sum_k (p_k - y_k)^2",
}
GRAD_P_LATEX = {
    "cross_entropy": r"\frac{\partial L}{\partial p_k} = -\frac{y_k}{p_k}",
    "mse": r"\frac{\partial L}{\partial p_k} = \frac{2}{K}(p_k - y_k)",
}
GRAD_Z_LATEX = {
    "cross_entropy": r"\frac{\partial L}{\partial z} = J^\top \frac{\partial L}{\partial p} = \frac{p - y}{T}",
    "mse": r"\frac{\partial L}{\partial z} = J^\top \frac{\partial L}{\partial p},\quad "
    + BREAK
    + r"J = \frac{\operatorname{diag}(p) - p\,p^\top}{T}",
}
GRAD_W_LATEX = (
    r"\frac{\partial L}{\partial W} = x \left(\frac{\partial L}{\partial z}\right)^{\!\top}"
    r"\quad (n \times K), \qquad" + BREAK + r"\frac{\partial L}{\partial W_{jk}} = x_j \frac{\partial L}{\partial z_k}"
)
COLUMN_SUM_LATEX = (
    r"\frac{\partial L}{\partial W_{jk}} = \sum_t \frac{\partial L}{\partial p_t}\,"
    r"\frac{\partial p_t}{\partial W_{jk}}"
)


UNWEIGHTED_COLUMN_SUM_LATEX = (
    r"\sum_t \frac{\partial p_t}{\partial W_{jk}} = x_j \sum_t J_{tk}"
    r" = \frac{\partial}{\partial W_{jk}} \underbrace{\sum_t p_t}_{=\,1} = 0"
)


def unweighted_column_sums_latex(column_sums, n: int, K: int) -> str:
    """The (K·n,) column sums of dp/dW laid out as W (n, K), each written 0 when it is 0 up to rounding.

    The rounding residue is shown separately (named as such), so the matrix reads as exact arithmetic.
    """
    M = np.asarray(column_sums, dtype=float).reshape(K, n).T
    shown = np.where(np.abs(M) < 1e-12, 0.0, M)
    return r"\Big[\sum_t \frac{\partial p_t}{\partial W_{jk}}\Big]_{jk}" + BREAK + "= " + tex_matrix(shown, zeros=True)


def grad_p_hover(k: int, p_k: float, y_k: float, g: float, loss: str, K: int) -> str:
    """'∂L/∂p₂ = −y₂/p₂ = −1/0.217 = −4.61' (cross-entropy) or the MSE form, with numbers."""
    if loss == "cross_entropy":
        if y_k == 0:
            return f"∂L/∂p{sub(k)} = −y{sub(k)}/p{sub(k)} = −0/{num(p_k)} = 0"
        return f"∂L/∂p{sub(k)} = −y{sub(k)}/p{sub(k)} = −{num(y_k)}/{num(p_k)} = {num(g)}"
    return f"∂L/∂p{sub(k)} = 2(p{sub(k)} − y{sub(k)})/K = 2 × ({num(p_k)} − {num(y_k)})/{K} = {num(g)}"


def grad_z_hover(k: int, p_k: float, y_k: float, g: float, loss: str, temperature: float = 1.0) -> str:
    """'∂L/∂z₂ = p₂ − y₂ = 0.217 − 0 = 0.217' (cross-entropy) or the Jᵀ·∂L/∂p form (MSE)."""
    if loss == "cross_entropy":
        if temperature == 1:
            return f"∂L/∂z{sub(k)} = p{sub(k)} − y{sub(k)} = {num(p_k)} − {num(y_k)} = {num(g)}"
        return f"∂L/∂z{sub(k)} = (p{sub(k)} − y{sub(k)})/T = ({num(p_k)} − {num(y_k)})/{num(temperature)} = {num(g)}"
    return f"∂L/∂z{sub(k)} = Σᵢ J[i,{k}]·∂L/∂pᵢ = {num(g)}  (p{sub(k)} = {num(p_k)})"


def weight_grad_hover(j: int, k: int, x_j: float, g_k: float, value: float) -> str:
    """'∂L/∂W[0,2] = x₀ · ∂L/∂z₂ = 0.5 × 0.12 = 0.06'; ``value`` is core's ∂L/∂W[j, k]."""
    return f"∂L/∂W[{j},{k}] = x{sub(j)} · ∂L/∂z{sub(k)} = {num(x_j)} × {num(g_k)} = {num(value)}"


def grad_z_numbers_latex(
    p: np.ndarray, y: np.ndarray, grad_p: np.ndarray | None, g: np.ndarray, loss: str, k: int, temperature=1.0
) -> str:
    """One entry of ∂L/∂z written out with the live numbers, for the class ``k`` (e.g. the target).

    p, y, grad_p (∂L/∂p, from core; only MSE uses it), g (∂L/∂z, from core): (K,).
    """
    if loss == "cross_entropy":
        T = "" if temperature == 1 else rf"/{tex(temperature)}"
        lhs = rf"\frac{{\partial L}}{{\partial z_{{{k}}}}} = " + (
            rf"p_{{{k}}} - y_{{{k}}}" if not T else rf"(p_{{{k}}} - y_{{{k}}}){T}"
        )
        # zeros kept: "0.2170 − 1" over "0.2313 − 0" (the class below), not "0.217 − 1"
        pk, gk = tex(p[k], zeros=True), tex(g[k], zeros=True)
        mid = rf"{pk} - {tex(y[k])}" if not T else rf"({pk} - {tex(y[k])}){T}"
        return rf"{lhs}{BREAK}= {mid} = {gk}"
    dLdp = np.asarray(grad_p, dtype=float)
    # J[i, k] = p_i(δ_ik − p_k)/T: written out, the sum collapses to p_k(∂L/∂p_k − Σ_i p_i ∂L/∂p_i)/T.
    inner = float(p @ dLdp)
    T = "" if temperature == 1 else rf"/{tex(temperature)}"
    return (
        rf"\frac{{\partial L}}{{\partial z_{{{k}}}}} = \sum_i J_{{i{k}}}\frac{{\partial L}}{{\partial p_i}}"
        rf"{BREAK}= p_{{{k}}}\Big(\frac{{\partial L}}{{\partial p_{{{k}}}}}"
        rf" - \sum_i p_i \frac{{\partial L}}{{\partial p_i}}"
        rf"\Big){T}{BREAK}= {tex(p[k], zeros=True)}\,({tex(dLdp[k], zeros=True)} - ({tex(inner, zeros=True)})){T}"
        rf" = {tex(g[k], zeros=True)}"
    )


def saturation_explanation(p_wrong: float, jac_norm: float, ce_norm: float, mse_norm: float) -> str:
    """Markdown: why MSE's gradient vanishes at a confidently wrong start and cross-entropy's does not."""
    ratio = ce_norm / mse_norm if mse_norm > 0 else float("inf")
    if not np.isfinite(ratio):
        larger = "MSE's is 0"
    else:  # "1,560 times larger", not "1.56e3 × larger"
        larger = f"{ratio:,.0f} times larger" if ratio >= 1000 else f"{num(ratio)} times larger"
    return (
        f"The start puts p = {num(p_wrong)} on a wrong class, so softmax is **saturated**: every entry of "
        f"{whole('J = diag(p) − p·pᵀ')} is tiny (largest {whole(f'|J[i,k]| = {num(jac_norm)}')}).\n\n"
        f"- **MSE**: ∂L/∂z = Jᵀ·∂L/∂p. ∂L/∂p is modest, but multiplying by J ≈ 0 crushes it: "
        f"{whole('‖∂L/∂z‖ =')}{NO_BREAK_SPACE}**{num(mse_norm)}**.\n"
        f"- **Cross-entropy**: the −1/p_y in ∂L/∂p cancels J's small p_y exactly, leaving ∂L/∂z = p − y, "
        f"as large as the mistake: {whole('‖∂L/∂z‖ =')}{NO_BREAK_SPACE}**{num(ce_norm)}** ({larger}).\n\n"
        "The weight update is x·(∂L/∂z)ᵀ, so with the same learning rate MSE barely moves while "
        "cross-entropy corrects the mistake in a few steps."
    )


TRIANGLE_STEP_LATEX = (
    r"\Delta p \approx -\eta\,\frac{dp}{dW}\,\operatorname{vec}\!\Big(\frac{\partial L}{\partial W}\Big)"
    r" = -\eta\,\lVert x\rVert^2\, J\,\frac{\partial L}{\partial z},\qquad \sum_t \Delta p_t = 0"
)


def triangle_explanation(loss: str, target: int) -> str:
    """Markdown: what the triangle is, why the step points toward the target corner, why it shortens."""
    what = (
        "**What the triangle is.** With K = 3, every p has p₀, p₁, p₂ ≥ 0 and p₀ + p₁ + p₂ = 1, so every "
        "possible output is a point of this flat triangle: corner k is p_k = 1 (certain of class k), the "
        "middle is p = (⅓, ⅓, ⅓), and the grid lines are p_k = 0.2, 0.4, 0.6, 0.8. Move x or W in the "
        "sidebar and the point moves; it can never leave the triangle.\n\n"
    )
    why = (
        f"**Why the arrow points toward corner {target}.** The thin lines are the loss's level sets for the "
        f"target class {target}; gradient descent on W lowers the loss, so p crosses them downhill, toward "
        f"the target's corner. The step is in W, though, not in p: p moves by Δp = −η‖x‖²·J·∂L/∂z, "
        "so the softmax Jacobian J bends the arrow away from the dotted steepest direction. Its columns "
        "sum to 0, so Δp sums to 0 and the arrow stays in the triangle's plane.\n\n"
    )
    if loss == "cross_entropy":
        short = (
            "**Why it shortens near a corner.** J = diag(p) − p·pᵀ shrinks to 0 at every corner, and near "
            "the target ∂L/∂z = p − y shrinks too. With cross-entropy that J appears **once**: near a *wrong* "
            "corner p − y stays large, so the arrow is only as short as J makes it. Switch the loss to MSE: "
            "there ∂L/∂z = J·∂L/∂p carries J a second time, and near a wrong corner the arrow all but "
            "vanishes: the saturation of section 5."
        )
    else:
        short = (
            "**Why it shortens near a corner.** With MSE, ∂L/∂z = J·∂L/∂p, so Δp carries the Jacobian "
            "**twice** (J·J·∂L/∂p), and J = diag(p) − p·pᵀ shrinks to 0 at every corner. Near a *wrong* "
            "corner the loss is large but the arrow is tiny: the saturation of section 5. Switch to "
            "cross-entropy: its −y/p cancels one J, ∂L/∂z = p − y, and the arrow stays much longer there."
        )
    return what + why + short
