"""The Explorer's "why they match" text for one entry (t, i, j) of dp/dW, as LaTeX.

Pure functions (no streamlit): the numbers come from core's ``LayerValues`` record, the text is
assembled here so it can be unit-tested. Entry (t, i, j) is ∂p_t/∂W[j, i]: output t, weight from input j into
class i, column i·n + j of dp/dW.
"""

from __future__ import annotations

import pandas as pd

import core
from ui.text import BREAK, broken_sum, class_labels, p_labels, paren, sub, weight_labels, whole, x_labels, z_labels
from ui.text import tex as num

# Beyond this many classes the sum is written with its zero terms elided ("+ ⋯ +").
MAX_TERMS_SHOWN = 8
PHONE_TERMS_PER_LINE = 2  # five were ~680 px: on a phone the sum ran off the screen mid-term (BREAK)


def product_sum_latex(v: core.LayerValues, t: int, i: int, j: int) -> list[str]:
    """LaTeX lines: the chain-rule sum Σ_k J[t,k]·∂z_k/∂W[j,i] with every term, then its value.

    The first line is symbolic, the middle one puts in the numbers (K terms, a BREAK after every
    PHONE_TERMS_PER_LINE; all but k = i vanish because ∂z_k/∂W[j,i] = δ_ki·x_j), the last is the one
    surviving term and the value. The numbers are one formula at any K: a desktop wraps it at a
    BREAK where it must, and two formulas would read as two equations.
    """
    terms = v.product_terms(t, i, j)
    K = len(terms)
    total = sum(term["term"] for term in terms)
    lhs = rf"\frac{{\partial p_{{{t}}}}}{{\partial W_{{{j},{i}}}}}"
    symbolic = rf"{lhs} = \sum_{{k=0}}^{{{K - 1}}} J_{{{t},k}}\,\frac{{\partial z_k}}{{\partial W_{{{j},{i}}}}}"
    shown = range(K) if K <= MAX_TERMS_SHOWN else sorted({0, i, K - 1})
    parts, last = [], -1
    for k in shown:
        if k > last + 1:
            parts.append(r"\cdots")
        term = terms[k]
        factor = rf"\underbrace{{{paren(term['dz'])}}}_{{x_{{{j}}}}}" if k == i else "0"
        parts.append(rf"{paren(term['J'])}\cdot {factor}")
        last = k
    if last < K - 1:
        parts.append(r"\cdots")
    numeric = "= " + broken_sum(parts, PHONE_TERMS_PER_LINE)
    survivor = terms[i]
    result = rf"= J_{{{t},{i}}}\,x_{{{j}}} = {paren(survivor['J'])} \times {paren(survivor['dz'])} = {num(total)}"
    return [symbolic, numeric, result]


def shortcut_latex(v: core.LayerValues, t: int, i: int, j: int) -> list[str]:
    """LaTeX lines for the shortcut's single term p_t(δ_ti − p_i)·x_j (÷ T when T ≠ 1)."""
    p, x, temperature = v.p, v.x, v.temperature
    delta = 1 if t == i else 0
    over_T = "" if temperature == 1 else rf"\,/\,{num(temperature)}"
    symbolic = rf"p_{{{t}}}\,(\delta_{{{t},{i}}} - p_{{{i}}})\,x_{{{j}}}{'/T' if over_T else ''}"
    numeric = rf"= {num(p[t])} \times ({delta} - {num(p[i])}) \times {paren(x[j])}{over_T}"
    numeric += rf"{BREAK}= {num(v.entry(t, i, j))}"
    return [symbolic, numeric]


def entry_description(t: int, i: int, j: int, n: int) -> str:
    """Plain words for the entry (Markdown)."""
    col = core.column_of(i, j, n)
    same = "the same class" if t == i else "another class"
    sign = f"that of x_j ({whole('p_t(1 − p_t) > 0')})" if t == i else f"the opposite of x_j ({whole('−p_t·p_i < 0')})"
    return (
        f"How p{sub(t)} changes when the weight **W[{j},{i}]** (input x{sub(j)} → class {i}) moves: "
        f"row t = {t}, column i·n + j = {i}·{n} + {j} = {col} of dp/dW. "
        f"Because t {'=' if t == i else '≠'} i it is {same}: the sign is {sign}."
    )


def frame(M, rows: list[str], cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame(M if M.ndim == 2 else M[None, :], index=rows, columns=cols)


def state_frames(v: core.LayerValues) -> dict[str, pd.DataFrame]:
    """The Explorer's matrices as labelled tables, in reading order."""
    n, K = v.n, v.K
    zp = "z = Wᵀx and p = softmax(z)" if v.temperature == 1 else "z = Wᵀx and p = softmax(z / T)"
    return {
        "x (inputs)": frame(v.x, ["x"], x_labels(n)),
        "W (n × K; column k feeds class k)": frame(v.W, x_labels(n), class_labels(K)),
        zp: pd.DataFrame({"z": v.z, "p": v.p}, index=class_labels(K)),
        "J = ∂p/∂z (K × K)": frame(v.J, p_labels(K), z_labels(K)),
        "dz/dW (K × K·n)": frame(v.dz_dw, z_labels(K), weight_labels(n, K)),
        "dp/dW (K × K·n)": frame(v.product, p_labels(K), weight_labels(n, K)),
    }
