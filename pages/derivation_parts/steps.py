"""The Derivation page's text: each step as general LaTeX plus the same step with live numbers.

Pure functions (no streamlit): arrays in, ``Step`` out, so every string can be unit-tested.
All derivatives come from ``core``; this module only formats them and writes out the
arithmetic a student would do by hand (e.g. "p₀(1 − p₀) = 0.1909 × 0.8091").

Index conventions (DESIGN.md): x (n,), W (n, K), z = Wᵀx (K,), p = softmax(z / T) (K,),
J[i, j] = ∂p_i/∂z_j. The layer entry (t, i, j) is ∂p_t/∂W[j, i], class-major column i·n + j.
Indices are shown 0-based, as in the code and the Explorer's hovers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import core
from ui.text import BREAK, MATRIX_MAX, broken_sum, fmt, paren, tex_exp, tex_matrix, tex_vector
from ui.text import tex as num

SMALL_MATRIX_MAX = 5  # largest K for which the intermediate matrices (diag(p), p·pᵀ, …) are written out
TERMS_MAX = 6  # longest sum written out term by term
HALF_WIDTH_MATRIX_MAX = 4  # largest K written out as a matrix in a half-width column (Common mistakes)


@dataclass(frozen=True)
class Step:
    """One step of the derivation.

    ``formulas``: general LaTeX (no numbers). ``numbers``: the same step with the live values
    substituted. ``explanation``: markdown for an expander (the why, for a student reading alone).
    """

    title: str
    formulas: tuple[str, ...]
    numbers: tuple[str, ...]
    explanation: str = ""


def _at_t1(v: core.LayerValues) -> None:
    if v.temperature != 1.0:
        raise ValueError(f"the common mistakes are shown at T = 1; got values at T = {v.temperature:g}")


def _sym(temperature: float) -> str:
    """The variable softmax is applied to: z itself at T = 1, else the scaled logits s = z/T."""
    return "z" if temperature == 1.0 else "s"


def _over_t(temperature: float) -> str:
    return "" if temperature == 1.0 else r"\frac{1}{T}"


def _check_index(name: str, value: int, size: int) -> int:
    value = int(value)
    if not 0 <= value < size:
        raise ValueError(f"{name} must be in [0, {size}), got {value}")
    return value


# ---------------------------------------------------------------- step 1: forward


def forward_step(v: core.LayerValues, t: int = 0) -> Step:
    """z = Wᵀx and p = softmax(z/T), with z_t written out as its sum of n products."""
    x, W, z, p, T = v.x, v.W, v.z, v.p, v.temperature
    n, K = W.shape
    t = _check_index("t", t, K)
    zt = "z_k" if T == 1.0 else "z_k/T"
    zm = "z_m" if T == 1.0 else "z_m/T"
    formulas = (
        r"z = W^{\top}x, \qquad z_k = \sum_{j=0}^{n-1} W_{jk}\,x_j",
        rf"p = \operatorname{{softmax}}(z/T), \qquad p_k = \frac{{e^{{{zt}}}}}{{\sum_{{m}} e^{{{zm}}}}}",
    )
    numbers = []
    if n <= MATRIX_MAX and K <= MATRIX_MAX:
        product = r"W^{\top}x = " + tex_matrix(W.T) + tex_matrix(x[:, None])
        numbers.append(product + BREAK + "= " + tex_matrix(z[:, None], zeros=True))
    else:
        numbers.append(rf"x = {tex_vector(x)}, \qquad{BREAK}z = W^{{\top}}x = {tex_vector(z, zeros=True)}")
    products = [rf"{paren(W[j, t])}\cdot{paren(x[j])}" for j in range(n)]
    if n > TERMS_MAX:
        products = products[:3] + [r"\cdots"] + products[-1:]
    # On a phone (BREAK) three short products a line, or two, and the total on its own line.
    sum_ = broken_sum(products, 3 if len(products) <= 3 else 2)
    numbers.append(rf"z_{{{t}}} = {sum_}{BREAK}= {num(z[t])}")
    log_s = core.logsumexp(z, T)
    numbers.append(
        rf"p_{{{t}}} = \frac{{e^{{{num(z[t] / T)}}}}}{{\sum_m e^{{{zm}}}}} = "
        rf"\frac{{{tex_exp(z[t] / T)}}}{{{tex_exp(log_s)}}} = {num(p[t])}"
    )
    numbers.append(rf"p = {tex_vector(p, zeros=True)}, \qquad{BREAK}\textstyle\sum_k p_k = {num(p.sum())}")
    explanation = (
        "Each class k has its own weight vector **w_k = column k of W** (n numbers, one per input). "
        "Its logit is the dot product z_k = w_kᵀx, so z_k depends on column k of W and on no other column. "
        "Softmax then turns all K logits into probabilities at once: every p_k depends on every z_m "
        "through the shared denominator. That shared denominator is where the whole derivative comes from."
    )
    return Step("1. Forward pass", formulas, tuple(numbers), explanation)


# ---------------------------------------------------------------- step 2: quotient rule


def quotient_rule_step(v: core.LayerValues, i: int = 0, j: int = 0) -> Step:
    """∂p_i/∂z_j by the quotient rule, seed 001's i = j and i ≠ j cases, with the numbers for (i, j)."""
    z, p, J, T = v.z, v.p, v.J, v.temperature
    K = v.K
    i, j = _check_index("i", i, K), _check_index("j", j, K)
    u = _sym(T)
    s = z / T
    log_S = core.logsumexp(z, T)
    d = 1 if i == j else 0

    formulas = [
        rf"p_i = \frac{{e^{{{u}_i}}}}{{S}}, \qquad S = \sum_{{k=0}}^{{K-1}} e^{{{u}_k}}",
        rf"\frac{{\partial p_i}}{{\partial {u}_j}} = \frac{{\dfrac{{\partial e^{{{u}_i}}}}{{\partial {u}_j}}\,S"
        rf" \;-\; e^{{{u}_i}}\,\dfrac{{\partial S}}{{\partial {u}_j}}}}{{S^2}}",
        rf"\frac{{\partial e^{{{u}_i}}}}{{\partial {u}_j}} = \delta_{{ij}}\,e^{{{u}_i}}"
        rf"\qquad\text{{(}}e^{{{u}_i}}\text{{ contains only }}{u}_i\text{{)}}",
        rf"\frac{{\partial S}}{{\partial {u}_j}} = \sum_k \frac{{\partial e^{{{u}_k}}}}{{\partial {u}_j}}"
        rf" = \sum_k \delta_{{kj}}\,e^{{{u}_k}} = e^{{{u}_j}}",
        rf"\frac{{\partial p_i}}{{\partial {u}_j}} = "
        rf"\frac{{\delta_{{ij}}\,e^{{{u}_i}}S - e^{{{u}_i}}e^{{{u}_j}}}}{{S^2}}"
        rf" = p_i\,(\delta_{{ij}} - p_j)",
        r"\begin{cases} i = j: & p_i\,(1 - p_i) \\ i \neq j: & -\,p_i\,p_j \end{cases}",
    ]
    if T != 1.0:
        formulas.insert(
            0,
            r"s = z/T: \qquad \frac{\partial p_i}{\partial z_j} = \frac{1}{T}\,"
            r"\frac{\partial p_i}{\partial s_j}",
        )

    # The denominator's sum, term by term: only k = j survives.
    terms = [rf"e^{{{u}_{{{k}}}}}" if k == j else "0" for k in range(K)]
    if K > TERMS_MAX:
        shown = sorted({0, 1, j, K - 1})
        terms = []
        for a, b in zip(shown, shown[1:] + [None], strict=True):
            terms.append(rf"e^{{{u}_{{{a}}}}}" if a == j else "0")
            if b is not None and b > a + 1:
                terms.append(r"\cdots")
    numbers = [
        rf"\frac{{\partial S}}{{\partial {u}_{{{j}}}}} = " + " + ".join(terms) + f" = {tex_exp(s[j])}",
        (rf"e^{{{u}_{{{i}}}}} = {tex_exp(s[i])}, \quad " if i != j else "")
        + rf"e^{{{u}_{{{j}}}}} = {tex_exp(s[j])}, \quad{BREAK}S = {tex_exp(log_S)}",
        rf"\frac{{\partial p_{{{i}}}}}{{\partial {u}_{{{j}}}}} = "
        rf"\frac{{{d}\cdot {tex_exp(s[i])}\cdot {tex_exp(log_S)} - {tex_exp(s[i])}\cdot {tex_exp(s[j])}}}"
        rf"{{({tex_exp(log_S)})^2}}",
    ]
    value_s = float(J[i, j] * T)  # ∂p_i/∂s_j, the T = 1 form
    if i == j:
        numbers.append(
            rf"i = j = {i}: \quad p_{{{i}}}(1 - p_{{{i}}})"
            rf"{BREAK}= {num(p[i])} \times (1 - {num(p[i])}) = {num(value_s)}"
        )
    else:
        numbers.append(
            rf"i = {i} \neq j = {j}: \quad -p_{{{i}}}\,p_{{{j}}}"
            rf"{BREAK}= -{num(p[i])} \times {num(p[j])} = {num(value_s)}"
        )
    if T != 1.0:
        numbers.append(
            rf"\frac{{\partial p_{{{i}}}}}{{\partial z_{{{j}}}}} = \frac{{{num(value_s)}}}{{{num(T)}}} = {num(J[i, j])}"
        )
    explanation = (
        "**Why the first term has a δ.** A partial derivative with respect to one logit holds every other "
        f"logit fixed. e^({u}ᵢ) contains only {u}ᵢ, so its derivative with respect to {u}ⱼ is e^({u}ᵢ) when "
        "i = j and 0 otherwise: that is exactly δᵢⱼ·e^(" + u + "ᵢ).\n\n"
        "**Why the denominator picks out e^(" + u + "ⱼ).** The sum S contains *every* logit, so it always "
        "depends on " + u + "ⱼ — but only through one of its K terms. Differentiate the sum term by term "
        "(the derivative of a sum is the sum of the derivatives): each term e^(" + u + "ₖ) gives 0 unless "
        "k = j. One term survives, for every i — which is why even the off-diagonal entries are not zero.\n\n"
        "**The two cases** are one formula, pᵢ(δᵢⱼ − pⱼ): on the diagonal δ = 1, off it δ = 0."
    )
    return Step("2. The quotient rule, entry by entry", tuple(formulas), tuple(numbers), explanation)


# ---------------------------------------------------------------- step 3: matrix form


def matrix_form_step(v: core.LayerValues) -> Step:
    """J = (diag(p) − p·pᵀ)/T written out for K ≤ MATRIX_MAX; beyond it only the formula."""
    p, J, T = v.p, v.J, v.temperature
    K = len(p)
    formulas = (
        rf"J = \frac{{\partial p}}{{\partial z}} = {_over_t(T)}\left(\operatorname{{diag}}(p) - p\,p^{{\top}}\right),"
        + BREAK
        + r"\qquad J_{ij} = \frac{\partial p_i}{\partial z_j}",
    )
    numbers = []
    if K <= SMALL_MATRIX_MAX and T == 1.0:
        # One matrix per line: even two K×K matrices side by side ran off the page at K = 5.
        numbers.append(r"\operatorname{diag}(p)" + BREAK + "= " + tex_matrix(np.diag(p), zeros=True))
        numbers.append(r"p\,p^{\top}" + BREAK + "= " + tex_matrix(np.outer(p, p), zeros=True))
        numbers.append(r"J = \operatorname{diag}(p) - p\,p^{\top}" + BREAK + "= " + tex_matrix(J, zeros=True))
    elif K <= MATRIX_MAX:
        numbers.append("J = " + tex_matrix(J, zeros=True))
    else:
        numbers.append(rf"J \text{{ is }} {K}\times{K}\text{{: see the heatmap}}")
    explanation = (
        "Stacking every ∂pᵢ/∂zⱼ from step 2 into a K × K matrix gives the Jacobian. Row i is how pᵢ reacts "
        "to each logit; the diagonal holds the i = j case pᵢ(1 − pᵢ) (always positive: raising your own "
        "logit raises your probability) and everything else −pᵢpⱼ (always negative: raising another logit "
        "takes probability away). J is symmetric, and each row sums to 0 because the probabilities always "
        "sum to 1, so their changes must cancel."
    )
    return Step("3. All entries at once: the matrix form", formulas, tuple(numbers), explanation)


# ---------------------------------------------------------------- step 4: seed 003's form


def hadamard_step(v: core.LayerValues) -> Step:
    """Seed 003's a·eᵀ ∘ (I − e·aᵀ), with a = p, and its agreement with steps 2 and 3."""
    a, J, T = v.p, v.J, v.temperature
    K = len(a)
    # Two more routes to the same matrix, on purpose: the step shows that all three agree.
    H = core.softmax_jacobian_hadamard(a, T)
    L = core.softmax_jacobian_loops(a, T)
    e = np.ones(K)
    formulas = (  # short lines: each must fit a 390 px phone
        rf"\frac{{\partial a}}{{\partial z}} = {_over_t(T)}\,a\,e^{{\top}} \circ \left(I - e\,a^{{\top}}\right)",
        r"a = \operatorname{softmax}(z),\quad e = (1,\dots,1)^{\top}",
        r"\left[a\,e^{\top} \circ (I - e\,a^{\top})\right]_{ij} = a_i\,(\delta_{ij} - a_j)",
        r"\text{only } a\text{, no } z",
    )
    numbers = []
    if K <= SMALL_MATRIX_MAX:
        numbers.append(r"a\,e^{\top}" + BREAK + "= " + tex_matrix(np.outer(a, e), zeros=True))
        numbers.append(r"I - e\,a^{\top}" + BREAK + "= " + tex_matrix(np.eye(K) - np.outer(e, a), zeros=True))
        numbers.append(
            r"a\,e^{\top} \circ (I - e\,a^{\top})"
            + ("" if T == 1.0 else rf" \,/\, {num(T)}")
            + BREAK
            + "= "
            + tex_matrix(H, zeros=True)
        )
    elif K <= MATRIX_MAX:
        numbers.append(r"a\,e^{\top} \circ (I - e\,a^{\top})" + BREAK + "= " + tex_matrix(H, zeros=True))
    numbers.append(
        r"\max\left|\,\text{Hadamard} - (\operatorname{diag}(p) - p\,p^{\top})\,\right|"
        + BREAK
        + "= "
        + num(np.abs(H - J).max())
    )
    numbers.append(r"\max\left|\,\text{Hadamard} - \text{step 2's entries}\,\right| = " + num(np.abs(H - L).max()))
    explanation = (
        "**Why Softmax′(a) and not Softmax′(z)?** For most activations f′ is a formula in z. For softmax "
        "every entry of the derivative, aᵢ(δᵢⱼ − aⱼ), turns out to be a formula in the *outputs* a alone: "
        "the exponentials and the sum S from step 2 only ever appear as the ratios e^(zᵢ)/S = aᵢ. "
        "So once the forward pass has computed a, backpropagation needs no z at all — code writes "
        '`softmax_derivative(a)`. The notation Softmax′(a) means "the derivative, evaluated from a", '
        'not "softmax differentiated at the point a". Feeding z into that formula is a real bug '
        "(see Common mistakes below).\n\n"
        "a·eᵀ repeats aᵢ along row i; I − e·aᵀ holds δᵢⱼ − aⱼ; ∘ multiplies entry by entry."
    )
    return Step("The whole matrix from a: a·eᵀ ∘ (I − e·aᵀ)", formulas, tuple(numbers), explanation)


def output_bridge_step(v: core.LayerValues, i: int = 0) -> Step:
    """σ′ = σ(1 − σ), the bridge every reader knows, and softmax's a_i(1 − a_i) beside it, from a alone."""
    a, z, J, T = v.p, v.z, v.J, v.temperature
    K = len(a)
    i = _check_index("i", i, K)
    j = (i + 1) % K
    # Short lines: each must fit a 390 px phone without scrolling sideways.
    formulas = (
        r"\sigma(z) = \frac{1}{1 + e^{-z}}, \qquad a = \sigma(z)",
        r"\sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr) = a\,(1 - a)",
        rf"\frac{{\partial a_i}}{{\partial z_i}} = {_over_t(T)}a_i\,(1 - a_i)",
        rf"\frac{{\partial a_i}}{{\partial z_j}} = -{_over_t(T)}a_i\,a_j \quad (i \neq j)",
        r"K = 2:\quad a_0 = \frac{e^{z_0}}{e^{z_0} + e^{z_1}} = \sigma(z_0 - z_1)",
    )
    coef = "" if T == 1.0 else rf"\tfrac{{1}}{{{num(T)}}}\cdot "
    numbers = (
        rf"\frac{{\partial a_{{{i}}}}}{{\partial z_{{{i}}}}} = {coef}a_{{{i}}}(1 - a_{{{i}}})",
        rf"= {coef}{num(a[i])} \times (1 - {num(a[i])}) = {num(J[i, i])}",
        rf"\frac{{\partial a_{{{i}}}}}{{\partial z_{{{j}}}}} = -{coef}a_{{{i}}}\,a_{{{j}}}",
        rf"= -{coef}{num(a[i])} \times {num(a[j])} = {num(J[i, j])}",
        rf"z_{{{i}}} = {num(z[i])} \text{{ is not needed}}",
    )
    explanation = (
        "Every reader knows the sigmoid's derivative σ′(z) = σ(z)(1 − σ(z)): it is written with the *output* "
        "a = σ(z), because that is what the forward pass already computed. Softmax is the same story with K "
        "outputs: its diagonal is aᵢ(1 − aᵢ), exactly the sigmoid's form, and the off-diagonal entries "
        "−aᵢaⱼ come from the shared denominator. So **Softmax′(a) is not softmax differentiated at the "
        "point a**: it is the derivative at z, *written in terms of* a = softmax(z). Plugging z into that "
        "formula is a real bug (see Common mistakes)."
    )
    return Step("4. Written from the output: Softmax′(a), like σ′ = σ(1 − σ)", formulas, numbers, explanation)


# ---------------------------------------------------------------- step 5: chain rule through z = Wᵀx


def chain_rule_step(v: core.LayerValues, t: int = 0, i: int = 0, j: int = 0) -> Step:
    """∂p_t/∂w_i = p_t(δ_ti − p_i)·x (seed 000's boxed result), via the sparse ∂z/∂W."""
    x, W, p, J, T = v.x, v.W, v.p, v.J, v.temperature
    n, K = W.shape
    t, i, j = _check_index("t", t, K), _check_index("i", i, K), _check_index("j", j, n)
    grads = v.shortcut[t, i * n : (i + 1) * n]  # (n,): ∂p_t/∂W[:, i], the weight vector into class i
    terms = v.product_terms(t, i, j)
    formulas = (
        r"\frac{\partial z_k}{\partial W_{jm}} = \delta_{km}\,x_j"
        + BREAK
        + r"\qquad\text{(}z_k = \textstyle\sum_j W_{jk}x_j\text{ uses only column }k\text{)}",
        r"\frac{\partial z_k}{\partial w_i} = \delta_{ki}\,x \qquad"
        + BREAK
        + r"(w_i = \text{column } i \text{ of } W,"
        + BREAK
        + r"\text{ a vector of } n \text{ weights})",
        r"\frac{\partial p_t}{\partial w_i} = \sum_k \frac{\partial p_t}{\partial z_k}\,"
        r"\frac{\partial z_k}{\partial w_i} = \sum_k J_{tk}\,\delta_{ki}\,x = J_{ti}\,x",
        rf"\boxed{{\frac{{\partial p_t}}{{\partial w_i}} = {_over_t(T)}p_t\,(\delta_{{ti}} - p_i)\,x}}",
    )
    d = 1 if t == i else 0
    coef = "" if T == 1.0 else rf"\tfrac{{1}}{{{num(T)}}}\cdot "
    numbers = [
        rf"\frac{{\partial p_{{{t}}}}}{{\partial w_{{{i}}}}} = {coef}{num(p[t])}\,({d} - {num(p[i])})\,x"
        rf"{BREAK}= {num(J[t, i])}\,x, \qquad{BREAK}x = " + tex_vector(x),
        rf"\frac{{\partial p_{{{t}}}}}{{\partial w_{{{i}}}}} = " + tex_vector(grads, zeros=True),
    ]
    shown = terms if K <= TERMS_MAX else [terms[k] for k in sorted({0, i, K - 1})]
    parts = []
    for prev, term in zip([None] + shown[:-1], shown, strict=True):
        if prev is not None and term["k"] > prev["k"] + 1:
            parts.append(r"\cdots")
        parts.append(rf"{paren(term['J'])}\cdot {paren(term['dz'])}")
    total = sum(term["term"] for term in terms)
    numbers.append(
        rf"\frac{{\partial p_{{{t}}}}}{{\partial W_{{{j},{i}}}}} = \sum_k J_{{{t}k}}\,"
        rf"\frac{{\partial z_k}}{{\partial W_{{{j},{i}}}}}"
    )
    # One formula: a desktop's or projector's line breaks between terms where it must (ui/style.py);
    # a phone's (BREAK) after every two, and the total on its own line. As two formulas, three
    # terms each, the gap between them read as two equations.
    numbers.append("= " + broken_sum(parts, 2) + f"{BREAK}= {num(total)}")
    explanation = (
        "**The derivative with respect to a weight *vector* is a vector.** w_i has n entries, so "
        "∂p_t/∂w_i has n entries too — and all of them are the same number J_ti times x. That is why the "
        "answer is *proportional to x*: nudging the weights into class i along x changes z_i fastest.\n\n"
        "**Where the sum over k goes.** p_t depends on every logit z_k, so the chain rule sums over k. "
        "But z_k only contains the weights of column k, so ∂z_k/∂w_i is zero unless k = i (the sparse "
        "∂z/∂W pattern below: one block of x per row). The δ_ki kills every term but one, leaving J_ti·x.\n\n"
        "Reading the result: the i = t part p_t(1 − p_t)·x is positive (raising class t's own weights "
        "along x raises p_t); for i ≠ t it is −p_t p_i·x (raising another class's weights takes "
        "probability from t)."
    )
    return Step("5. Chain rule through z = Wᵀx", formulas, tuple(numbers), explanation)


# ---------------------------------------------------------------- step 6: shortcut and Kronecker


def shortcut_step(v: core.LayerValues, t: int = 0, i: int = 0, j: int = 0) -> Step:
    """The shortcut entry p_t(δ_ti − p_i)·x_j, dp/dW = J ⊗ xᵀ, and the check that all routes agree."""
    x, W, p, T = v.x, v.W, v.p, v.temperature
    n, K = W.shape
    t, i, j = _check_index("t", t, K), _check_index("i", i, K), _check_index("j", j, n)
    product, shortcut, kron = v.product, v.shortcut, v.kron
    numeric = v.numerical  # independent: nudges each weight, reruns p
    col = core.column_of(i, j, n)
    d = 1 if t == i else 0
    coef = "" if T == 1.0 else rf"\tfrac{{1}}{{{num(T)}}}\cdot "
    formulas = (
        r"\frac{dp}{dW} = J\,\frac{dz}{dW} \quad (K \times K \text{ times } K \times Kn)",
        rf"\left[\frac{{dp}}{{dW}}\right]_{{t,\;i n + j}} = \frac{{\partial p_t}}{{\partial W_{{ji}}}}"
        rf"{BREAK}= {_over_t(T)}p_t\,(\delta_{{ti}} - p_i)\,x_j \qquad\text{{(the shortcut)}}",
        r"\frac{dp}{dW} = J \otimes x^{\top} \qquad"
        + BREAK
        + r"\text{(Kronecker: block } (t, i) \text{ is } J_{ti}\,x^{\top}\text{)}",
    )
    rounding = max(np.abs(product - shortcut).max(), np.abs(product - kron).max())
    nudged = np.abs(product - numeric).max()
    same = (
        "here to the last bit"
        if rounding == 0
        else f"up to rounding: they differ by at most {fmt(rounding, 2, power=True)}"
    )
    numbers = (
        rf"\frac{{\partial p_{{{t}}}}}{{\partial W_{{{j},{i}}}}} = {coef}{num(p[t])}\times({d} - {num(p[i])})"
        rf"\times {paren(x[j])}{BREAK}= {num(shortcut[t, col])} \qquad\text{{(column {col})}}",
        r"\max|\text{product} - \text{shortcut}| = "
        + num(np.abs(product - shortcut).max())
        + r", \quad"
        + BREAK
        + r"\max|\text{product} - \text{Kronecker}| = "
        + num(np.abs(product - kron).max()),
        r"\max|\text{product} - \text{finite differences}|"
        + BREAK
        + "= "
        + num(np.abs(product - numeric).max())
        + r" \quad"
        + BREAK
        + r"\text{(each weight nudged by } \pm 10^{-6}\text{, }"
        + BREAK
        + r"\text{forward pass rerun)}",
    )
    explanation = (
        "The blog (seed 002) computes dp/dW as the matrix product DS·DZᵀ: a K × K matrix times a "
        "K × Kn matrix that is mostly zeros. Each entry of the product is a sum of K terms of which "
        "only one is non-zero (step 5), so the whole product can be written entry by entry without "
        "multiplying anything: the shortcut pₜ(δₜᵢ − pᵢ)·xⱼ. In matrix language the same statement is the "
        "Kronecker product J ⊗ xᵀ: replace every entry J_ti by the row J_ti·xᵀ. All three give the same "
        f"K × Kn matrix, {same}. The finite "
        f"differences, which know nothing of the formulas, agree to {fmt(nudged, 2, power=True)}: that is the error of "
        "nudging each weight by a small step, not of the formulas (step 8 shows how it depends on the step)."
    )
    return Step("6. The shortcut and the Kronecker form", formulas, numbers, explanation)


# ---------------------------------------------------------------- common mistakes


@dataclass(frozen=True)
class Mistake:
    """A wrong step beside the right one, each as (formulas, numbers), and why they differ."""

    title: str
    wrong: tuple[str, ...]
    right: tuple[str, ...]
    why: str


def quotient_rule_mistake(v: core.LayerValues, a: int = 0, i: int = 0) -> Mistake:
    """Seed 000: x treated as one number and δ forgotten, so the quotient rule gives 0.

    Wrong: ∂(w_dᵀx)/∂w = x for every d → (x e^{z_a} S − e^{z_a} Σ_d x e^{z_d})/S² = 0.
    Right: ∂(w_dᵀx)/∂w_i = δ_di x → p_a(δ_ai − p_i)·x. The wrong result equals Σ_i of the right ones.
    The wrong derivation has no temperature: ``v`` must be the layer at T = 1.
    """
    _at_t1(v)
    x, W, p = v.x, v.W, v.p
    n, K = W.shape
    a, i = _check_index("a", a, K), _check_index("i", i, K)
    wrong_rows = core.quotient_rule_without_delta(x, W)  # (K, n)
    right = v.shortcut.reshape(K, K, n)  # [a, i] = ∂p_a/∂w_i, the weight vector into class i
    d = 1 if a == i else 0
    wrong = (
        r"\frac{\partial (w_d^{\top}x)}{\partial w} = x \quad\text{for every } d",
        r"\frac{\partial p_a}{\partial w} = \frac{x\,e^{z_a}\sum_d e^{z_d} - e^{z_a}\sum_d x\,e^{z_d}}"
        r"{\left(\sum_d e^{z_d}\right)^2} = 0",
        rf"\frac{{\partial p_{{{a}}}}}{{\partial w}} = " + tex_vector(wrong_rows[a], digits=3, zeros=True),
    )
    right_ = (
        r"\frac{\partial (w_d^{\top}x)}{\partial w_i} = \delta_{di}\,x \quad"
        + BREAK
        + r"\text{(only } w_i \text{ moves)}",
        r"\frac{\partial p_a}{\partial w_i} = p_a\,(\delta_{ai} - p_i)\,x",
        rf"\frac{{\partial p_{{{a}}}}}{{\partial w_{{{i}}}}} = {num(p[a])}\,({d} - {num(p[i])})\,x"
        rf"{BREAK}= {num(p[a] * (d - p[i]))}\,x",
        rf"\frac{{\partial p_{{{a}}}}}{{\partial w_{{{i}}}}} = " + tex_vector(right[a, i], digits=3, zeros=True),
        rf"\sum_i \frac{{\partial p_{{{a}}}}}{{\partial w_i}} = "
        + tex_vector(right[a].sum(axis=0), digits=3, zeros=True),
    )
    why = (
        "The wrong derivation writes ∂(w_dᵀx)/∂w = x for *every* d, i.e. it moves all K weight vectors "
        "by the same amount at once. Adding the same vector to every w_d adds the same number to every "
        "logit, and softmax does not change when every logit shifts equally — so that derivative really is "
        "0. It is the *sum* over i of the right answers (last line, right). The derivative with respect "
        "to one weight vector w_i needs the δ_di: only z_i contains w_i. And x is a vector, so the answer "
        "is a vector, proportional to x."
    )
    return Mistake("“The quotient rule gives me 0”", wrong, right_, why)


def logits_mistake(v: core.LayerValues, i: int = 0, j: int = 0) -> Mistake:
    """Seed 003's trap: the Jacobian formula evaluated at z instead of a = softmax(z).

    Both sides are at T = 1 (the mistake is about the argument, not the temperature). Entry
    (i, j) is written out on both sides with its numbers. ``v`` must be the layer at T = 1.
    """
    _at_t1(v)
    z, p, good = v.z, v.p, v.J
    K = len(z)
    i, j = _check_index("i", i, K), _check_index("j", j, K)
    d = 1 if i == j else 0
    bad = core.jacobian_at_logits(z)
    show = K <= HALF_WIDTH_MATRIX_MAX
    wrong = [r"\operatorname{Softmax}'(z) = \operatorname{diag}(z) - z\,z^{\top}"]
    right_ = [
        r"\operatorname{Softmax}'(a) = \operatorname{diag}(a) - a\,a^{\top}, \quad"
        + BREAK
        + r"a = \operatorname{softmax}(z)"
    ]
    delta = rf"\delta_{{{i},{j}}}"
    wrong.append(rf"z_{{{i}}}({delta} - z_{{{j}}}) = {paren(z[i])}\,({d} - {paren(z[j])}){BREAK}= {num(bad[i, j])}")
    right_.append(rf"a_{{{i}}}({delta} - a_{{{j}}}) = {num(p[i])}\,({d} - {num(p[j])}){BREAK}= {num(good[i, j])}")
    if show:
        wrong.append(tex_matrix(bad, digits=3, zeros=True))
        right_.append(tex_matrix(good, digits=3, zeros=True))
    wrong.append(r"\max_i \Big|\sum_j J_{ij}\Big| = " + num(np.abs(bad.sum(axis=1)).max()))
    right_.append(r"\max_i \Big|\sum_j J_{ij}\Big| = " + num(np.abs(good.sum(axis=1)).max()))
    why = (
        "The formula diag(v) − v·vᵀ is the derivative *written in terms of the output*: it is only right when "
        "v is the probability vector a. Plugging in the logits z gives a matrix whose rows do not sum to 0 "
        f"— impossible, since the probabilities always sum to 1. Here the largest entry-wise difference is "
        f"{np.abs(bad - good).max():.4g}."
    )
    return Mistake("Using Softmax′(z) when you have a", tuple(wrong), tuple(right_), why)


# ---------------------------------------------------------------- predict-then-reveal


@dataclass(frozen=True)
class Reveal:
    """A predict-then-reveal prompt: the question, the answer choices, the right one, and the live evidence."""

    question: str
    choices: tuple[str, ...]
    answer: str
    evidence: tuple[str, ...]  # LaTeX with the live numbers
    why: str


def row_sums_reveal(v: core.LayerValues) -> Reveal:
    """What does each row of J sum to? → 0, with the live row sums."""
    J = v.J
    return Reveal(
        "What does each row of J sum to?",
        ("1", "0", "p_i", "depends on the numbers"),
        "0",
        (r"\text{row sums of } J = " + tex_vector(J.sum(axis=1), zeros=True),),
        "Σⱼ ∂pᵢ/∂zⱼ is the change in pᵢ when every logit rises by the same amount — and softmax ignores such "
        "a shift. (Equivalently pᵢ(1 − pᵢ) − Σ_{j≠i} pᵢpⱼ = pᵢ(1 − Σⱼ pⱼ) = 0.)",
    )


def dz_dw_reveal(v: core.LayerValues) -> Reveal:
    """Which entries of dz/dW are non-zero? → row t, columns t·n … t·n + n − 1 (value x_j)."""
    x, D = v.x, v.dz_dw
    K, n = v.K, v.n
    nz = int(np.count_nonzero(D))
    evidence = [
        rf"\frac{{dz}}{{dW}} \text{{ is }} {K}\times{K * n}: \;{BREAK}{nz} \text{{ of }} {K * K * n}"
        rf"\text{{ entries }}{BREAK}\text{{are non-zero }} ({num(100 * nz / (K * K * n), 3)}\%)",
        rf"\text{{row }} t: \text{{ columns }} t\cdot{n} \dots t\cdot{n}+{n - 1}"
        rf"{BREAK}\text{{ hold }} x = {tex_vector(x)}",
    ]
    return Reveal(
        "Which entries of dz/dW are non-zero?",
        ("all of them", "one block of n per row (the weights into that class)", "only the diagonal"),
        "one block of n per row (the weights into that class)",
        tuple(evidence),
        "z_t = Σⱼ W[j, t]·xⱼ uses only column t of W, so row t of dz/dW is xᵀ in block t and 0 elsewhere: "
        "I_K ⊗ xᵀ. At most 1/K of the entries are non-zero (fewer if some xⱼ = 0).",
    )


def saturation_reveal(v: core.LayerValues) -> Reveal:
    """What is ∂p_i/∂z_i when p_i → 1? → 0, with the live largest p_i and its J_ii."""
    p, J, temperature = v.p, v.J, v.temperature
    k = int(np.argmax(p))
    return Reveal(
        "What happens to ∂pᵢ/∂zᵢ when pᵢ → 1?",
        ("it grows towards 1", "it goes to 0", "it stays at 1/4"),
        "it goes to 0",
        (
            rf"\frac{{\partial p_{{{k}}}}}{{\partial z_{{{k}}}}} = "
            rf"{_over_t(float(temperature))}p_{{{k}}}(1 - p_{{{k}}})"
            rf" = {num(J[k, k])} \quad{BREAK}\text{{at the largest }} p_{{{k}}} = {num(p[k])}",
            r"p(1-p) \le \tfrac{1}{4},"
            + BREAK
            + r"\text{ largest at } p = \tfrac{1}{2},"
            + BREAK
            + r"\text{ and } \to 0 \text{ as } p \to 1",
        ),
        "A confident softmax saturates: p(1 − p) vanishes at both ends, so the gradient through it vanishes too. "
        "Try the 'Nearly one-hot' preset.",
    )
