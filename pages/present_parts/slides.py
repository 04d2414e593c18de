"""The presenter path's slides: z → p → J → dz/dW → dp/dW → ∂L/∂W, each a prediction question.

Pure (no streamlit): arrays in, ``Slide`` out, so every string can be unit-tested. The numbers come
from core's record (``LayerValues``) and, for the last slide, its ``LossValues``; nothing is
differentiated here. Indices are 0-based, as everywhere in the app.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import core
from ui.text import BREAK, MATRIX_MAX, paren, sub, tex, tex_matrix, tex_vector

TITLES = {
    "z": "1 · Logits z = Wᵀx",
    "p": "2 · Probabilities p",
    "J": "3 · The Jacobian J = ∂p/∂z",
    "dz_dw": "4 · dz/dW",
    "dp_dw": "5 · dp/dW",
    "dL_dW": "6 · ∂L/∂W",
}


@dataclass(frozen=True)
class Slide:
    """``question`` and its ``choices``; ``answer`` (one of them); ``evidence``: LaTeX with the live numbers;
    ``why``: Markdown. ``lead``: LaTeX shown with the question (the definition, no answer in it).
    ``cell``: the dp/dW entry (t, i, j) the slide asks about, which its figure outlines; None when the
    slide is about no one entry (the figure then outlines the Explorer's selection)."""

    title: str
    lead: str
    question: str
    choices: tuple[str, ...]
    answer: str
    evidence: tuple[str, ...]
    why: str
    cell: tuple[int, int, int] | None = None


def z_slide(v: core.LayerValues) -> Slide:
    k = int(np.argmax(v.z))
    return Slide(
        TITLES["z"],
        r"z_k = \sum_j W_{jk}\,x_j, \qquad" + BREAK + "x = " + tex_vector(v.x),
        "Which class gets the largest logit z\u2096?",
        tuple(f"class {c}" for c in range(v.K)),
        f"class {k}",
        # three digits, zeros kept: as the bars under it are labelled ("0.160", not "0.16" or "0.1600")
        (r"z = W^{\top}x" + BREAK + "= " + tex_vector(v.z, digits=3, zeros=True),),
        f"Column {k} of W lines up best with x: its dot product with x is the largest.",
    )


def p_slide(v: core.LayerValues) -> Slide:
    return Slide(
        TITLES["p"],
        r"p_k = \frac{e^{z_k}}{\sum_m e^{z_m}}, \qquad" + BREAK + "p = " + tex_vector(v.p, digits=3, zeros=True),
        "If every logit z_k rose by 1, what would happen to p?",
        ("every p\u2096 rises", "p does not change", "only the largest p\u2096 rises"),
        "p does not change",
        (r"\frac{e^{z_k + 1}}{\sum_m e^{z_m + 1}}" + BREAK + r"= \frac{e\cdot e^{z_k}}{e\cdot\sum_m e^{z_m}} = p_k",),
        "Softmax only sees differences between logits. This is why every row of J sums to 0 (next slide), "
        "and why the quotient rule 'gives 0' when every weight vector moves at once.",
    )


def j_slide(v: core.LayerValues) -> Slide:
    sums = v.J.sum(axis=1)
    return Slide(
        TITLES["J"],
        r"J_{ij} = \frac{\partial p_i}{\partial z_j} = p_i\,(\delta_{ij} - p_j)",
        "What does each row of J sum to?",
        ("1", "0", "p_i", "it depends on the numbers"),
        "0",
        (r"\text{row sums of } J" + BREAK + "= " + tex_vector(np.where(np.abs(sums) < 1e-12, 0.0, sums)),),
        "Σⱼ ∂pᵢ/∂zⱼ is the change of pᵢ when every logit rises together, and softmax ignores that (slide 2).",
    )


def dz_dw_slide(v: core.LayerValues) -> Slide:
    K, n = v.K, v.n
    zero = 100 * (K - 1) / K
    nz = int(np.count_nonzero(v.dz_dw))
    return Slide(
        TITLES["dz_dw"],
        r"\frac{\partial z_t}{\partial W_{jk}} = \delta_{tk}\,x_j" + rf"\qquad{BREAK}({K} \times {K * n})",
        "What share of the entries of dz/dW is 0?",
        ("none", "about half", f"{zero:.0f}% ({K - 1} of every {K})"),
        f"{zero:.0f}% ({K - 1} of every {K})",
        (rf"{K * K * n - nz} \text{{ of }} {K * K * n} \text{{ entries are }} 0",),
        "z_t uses only column t of W, so a weight into another class cannot move it.",
    )


def dp_dw_slide(v: core.LayerValues, selected: tuple[int, int, int]) -> Slide:
    t, i, j = selected
    if t == i:
        i = (t + 1) % v.K
    value = v.entry(t, i, j)
    return Slide(
        TITLES["dp_dw"],
        r"\frac{\partial p_t}{\partial W_{ji}} = \sum_k J_{tk}\,\frac{\partial z_k}{\partial W_{ji}}"
        + BREAK
        + r"= J_{ti}\,x_j",
        f"Raise W[{j},{i}], a weight into another class than t = {t}: which way does p{sub(t)} move?",
        (f"the same sign as x{sub(j)}", f"the opposite sign to x{sub(j)}", "it does not move"),
        f"the opposite sign to x{sub(j)}",
        (
            rf"\frac{{\partial p_{{{t}}}}}{{\partial W_{{{j},{i}}}}} = -p_{{{t}}}\,p_{{{i}}}\,x_{{{j}}}",
            rf"= -{tex(v.p[t])} \times {tex(v.p[i])} \times {paren(v.x[j])}{BREAK}= {tex(value)}",
        ),
        f"Raising W[{j},{i}] moves z{sub(i)} by x{sub(j)} per unit, and when z{sub(i)} rises class {i} takes "
        f"probability from every other class, p{sub(t)} included: J[{t},{i}] = −p{sub(t)}·p{sub(i)} < 0.",
        cell=(t, i, j),
    )


def _written_out(M: np.ndarray) -> str:
    """ "= M" as a matrix up to MATRIX_MAX a side; a bigger one (2,048 numbers at 64 × 32) only by its shape."""
    n, K = M.shape
    if n <= MATRIX_MAX and K <= MATRIX_MAX:
        return "= " + tex_matrix(M, zeros=True)
    return rf"\text{{is }} {n} \times {K}\text{{: row }} j \text{{ is }} x_j\,(p - y)^{{\top}}"


def dl_dw_slide(v: core.LayerValues, loss: core.LossValues, target: int) -> Slide:
    return Slide(
        TITLES["dL_dW"],
        r"L = -\log p_y, \qquad"
        + BREAK
        + r"\frac{\partial L}{\partial W} = x\,\Bigl(\frac{\partial L}{\partial z}\Bigr)^{\top}"
        + rf"\qquad{BREAK}(y = {target})",
        "With cross-entropy, what is ∂L/∂z?",
        ("p − y", "y − p", "−y / p"),
        "p − y",
        (
            r"\frac{\partial L}{\partial z} = J^{\top}\frac{\partial L}{\partial p} = p - y"
            + BREAK
            + "= "
            + tex_vector(loss.grad_z, zeros=True),
            r"\frac{\partial L}{\partial W} = x\,(p - y)^{\top}" + BREAK + _written_out(loss.grad_W),
        ),
        "The −y/p of ∂L/∂p cancels the p in J, so the whole chain collapses to p − y: how far each probability "
        "is from its target. Each row of ∂L/∂W is x_j times that vector.",
    )
