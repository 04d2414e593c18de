"""The Derivation page's LaTeX builders: live numbers, both cases, well-formed LaTeX, honest mistakes.

Expected numbers are computed here independently (plain np.exp, no core) and formatted with
Python's own 4-significant-digit format, so a wrong formula or a wrong index shows up as a
missing substring.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from pages.derivation_parts import steps as d
from ui.text import fmt
from ui.text import tex as num

BLOG_X, BLOG_W = core.BLOG_X, core.BLOG_W
BLOG = core.layer_values(BLOG_X, BLOG_W)


def values(x, W, T=1.0) -> core.LayerValues:
    return core.layer_values(x, W, T)


def values_for_p(p, T=1.0) -> core.LayerValues:
    """A layer whose softmax output is p (to float rounding): one input x = 1, logits T·log p."""
    p = np.asarray(p, dtype=float)
    return core.layer_values(np.ones(1), (T * np.log(p))[None, :], T)


def g4(v: float) -> str:
    """The independent formatter: Python's 4-significant-digit general format (no LaTeX)."""
    return f"{v:.4g}"


def probs(x, W, T=1.0):
    z = np.asarray(W, float).T @ np.asarray(x, float) / T
    e = np.exp(z - z.max())
    return e / e.sum()


def assert_balanced(latex: str) -> None:
    """Braces balance (ignoring \\{ \\}), every \\begin{env} has its \\end{env}, \\left matches \\right."""
    depth = 0
    for m in re.finditer(r"\\[{}]|[{}]", latex):
        tok = m.group()
        if tok == "{":
            depth += 1
        elif tok == "}":
            depth -= 1
            assert depth >= 0, f"unbalanced '}}' in {latex!r}"
    assert depth == 0, f"unclosed '{{' in {latex!r}"
    stack = []
    for kind, env in re.findall(r"\\(begin|end)\{(\w+\*?)\}", latex):
        if kind == "begin":
            stack.append(env)
        else:
            assert stack and stack.pop() == env, f"\\end{{{env}}} without matching \\begin in {latex!r}"
    assert not stack, f"unclosed environments {stack} in {latex!r}"
    assert len(re.findall(r"\\left\b", latex)) == len(re.findall(r"\\right\b", latex)), latex


def all_latex(step) -> list[str]:
    if isinstance(step, d.Step):
        return list(step.formulas) + list(step.numbers)
    if isinstance(step, d.Mistake):
        return list(step.wrong) + list(step.right)
    return list(step.evidence)


def test_balance_checker_catches_broken_latex():
    assert_balanced(r"\frac{a}{b} \begin{bmatrix}1\end{bmatrix} \left(x\right) \{")
    for bad in (r"\frac{a}{b", r"\frac{a}}{b}", r"\begin{bmatrix}1", r"\left( x"):
        with pytest.raises(AssertionError):
            assert_balanced(bad)


# ---------------------------------------------------------------- the six steps


def test_forward_step_shows_blog_logits_and_probabilities():
    step = d.forward_step(BLOG, t=2)
    z = BLOG_W.T @ BLOG_X
    p = probs(BLOG_X, BLOG_W)
    text = " ".join(step.numbers)
    for v in list(z) + list(p):
        assert g4(v) in text
    assert "0.1909" in text and "0.2035" in text  # the blog's printed h
    assert r"\begin{bmatrix}" in step.numbers[0]  # 3 × 5 is small enough to write out W^T x


@pytest.mark.parametrize(("i", "j"), [(0, 0), (3, 3), (1, 4), (4, 0)])
def test_quotient_rule_step_shows_the_chosen_case_and_value(i, j):
    p = probs(BLOG_X, BLOG_W)
    step = d.quotient_rule_step(BLOG, i=i, j=j)
    text = " ".join(step.numbers)
    expected = p[i] * ((i == j) - p[j])
    assert g4(expected) in text
    if i == j:
        assert f"i = j = {i}" in text and rf"(1 - {g4(p[i])})" in text
    else:
        assert rf"i = {i} \neq j = {j}" in text and f"-{g4(p[i])} \\times {g4(p[j])}" in text
    # The denominator's sum keeps exactly one term, e^{z_j}, at position j.
    dsum = step.numbers[0].split("=")[1].split("+")
    assert [s.strip() != "0" for s in dsum] == [k == j for k in range(5)]
    # Both cases are always stated in general.
    assert any(r"\begin{cases}" in f and "1 - p_i" in f and "-\\,p_i\\,p_j" in f for f in step.formulas)


def test_choosing_other_indices_changes_the_numbers():
    a = d.quotient_rule_step(BLOG, i=0, j=0).numbers
    b = d.quotient_rule_step(BLOG, i=0, j=2).numbers
    assert a[-1] != b[-1]


def test_quotient_rule_step_at_temperature_divides_by_t():
    T = 2.0
    p = probs(BLOG_X, BLOG_W, T)
    step = d.quotient_rule_step(values(BLOG_X, BLOG_W, T), i=1, j=3)
    assert any("s = z/T" in f for f in step.formulas)
    assert g4(-p[1] * p[3] / T) in step.numbers[-1]
    assert g4(-p[1] * p[3]) in step.numbers[-2]


def test_matrix_form_step_writes_every_entry_for_small_k():
    p = probs(BLOG_X, BLOG_W)
    step = d.matrix_form_step(BLOG)
    J = np.diag(p) - np.outer(p, p)
    for v in J.ravel():
        assert g4(v) in step.numbers[-1]
    assert all(g4(v) in step.numbers[0] for v in p)  # diag(p) − p·pᵀ written out first
    big = d.matrix_form_step(values(np.zeros(2), np.zeros((2, 12))))  # p = 1/12 each
    assert r"\begin{bmatrix}" not in " ".join(big.numbers) and "heatmap" in big.numbers[0]


def parse_num(text: str) -> float:
    """Inverse of ``ui.text.tex``: '2.776\\times 10^{-17}' → 2.776e-17."""
    m = re.fullmatch(r"\s*(-?[0-9.]+)(?:\\times 10\^\{(-?\d+)\})?\s*", text)
    assert m, f"not a formatted number: {text!r}"
    return float(m.group(1)) * 10 ** int(m.group(2) or 0)


def test_hadamard_step_equals_the_matrix_form():
    p = probs(BLOG_X, BLOG_W)
    step = d.hadamard_step(BLOG)
    first, second = step.numbers[-2:]  # the two checks, one per line (a phone is narrow)
    diffs = [parse_num(part.rsplit("=", 1)[1]) for part in (first, second)]
    assert max(abs(v) for v in diffs) < 1e-15
    assert "no } z" in step.formulas[-1]
    assert g4(p[0] * (1 - p[0])) in step.numbers[-3]  # a·eᵀ ∘ (I − e·aᵀ), entry [0, 0]
    assert g4(1 - p[0]) in step.numbers[1] and g4(p[0]) in step.numbers[0]  # I − e·aᵀ and a·eᵀ


def test_chain_rule_step_gives_seed_000s_vector_with_blog_numbers():
    p = probs(BLOG_X, BLOG_W)
    step = d.chain_rule_step(BLOG, t=0, i=0, j=1)
    grad = p[0] * (1 - p[0]) * BLOG_X
    assert g4(p[0] * (1 - p[0])) in step.numbers[0]  # J_00, the factor in front of x
    for v in grad:
        assert g4(v) in step.numbers[1]
    assert "0.07723" in step.numbers[1]  # the blog's DL[0, 1]
    assert any(r"\boxed" in f and r"(\delta_{ti} - p_i)\,x" in f for f in step.formulas)
    # Only the k = i term of the chain-rule sum is non-zero; its value is the entry.
    assert step.numbers[-1].endswith(f"= {g4(grad[1])}")


def test_shortcut_step_entry_and_agreement():
    p = probs(BLOG_X, BLOG_W)
    step = d.shortcut_step(BLOG, t=1, i=3, j=2)
    assert g4(-p[1] * p[3] * BLOG_X[2]) in step.numbers[0]
    assert "column 11" in step.numbers[0]  # class-major: 3·3 + 2
    assert "Kronecker" in step.numbers[1]
    fd = parse_num(step.numbers[2].split("=")[1].split(r"\quad")[0])
    assert 0 < fd < 1e-8  # finite differences agree
    # The text says how closely, in the numbers shown above it (it said "10⁻¹⁶" beside 3.2 × 10⁻¹¹).
    numeric = np.abs(BLOG.product - BLOG.numerical).max()
    assert f"agree to {fmt(numeric, 2, power=True)}" in step.explanation and "10⁻¹⁶" not in step.explanation
    assert "to the last bit" in step.explanation  # at the blog's numbers product, shortcut, Kronecker are equal


@pytest.mark.parametrize("builder", ["forward", "quotient", "chain", "shortcut", "quotient mistake", "logits mistake"])
def test_out_of_range_index_is_a_value_error(builder):
    fn = {
        "forward": lambda: d.forward_step(BLOG, t=5),
        "quotient": lambda: d.quotient_rule_step(BLOG, i=0, j=9),
        "chain": lambda: d.chain_rule_step(BLOG, t=0, i=0, j=3),
        "shortcut": lambda: d.shortcut_step(BLOG, t=-1, i=0, j=0),
        "quotient mistake": lambda: d.quotient_rule_mistake(BLOG, a=5, i=0),
        "logits mistake": lambda: d.logits_mistake(BLOG, i=0, j=-1),
    }[builder]
    with pytest.raises(ValueError, match="must be in"):
        fn()


# ---------------------------------------------------------------- mistakes and reveals


def test_quotient_rule_mistake_wrong_is_zero_right_is_not():
    m = d.quotient_rule_mistake(BLOG, a=0, i=0)
    assert m.wrong[-1].endswith(r"\begin{bmatrix}0 & 0 & 0\end{bmatrix}^{\top}")
    p = probs(BLOG_X, BLOG_W)
    right = p[0] * (1 - p[0]) * BLOG_X
    for v in right:
        assert f"{v:.3g}" in m.right[3]
    assert m.wrong[-1].split("=")[-1] != m.right[3].split("=")[-1]


def test_logits_mistake_row_sums_differ():
    m = d.logits_mistake(BLOG)
    z = BLOG_W.T @ BLOG_X
    bad_rows = (np.diag(z) - np.outer(z, z)).sum(axis=1)
    assert m.wrong[-1].endswith(f"= {g4(np.abs(bad_rows).max())}")
    right_max = parse_num(m.right[-1].rsplit("=", 1)[1])
    p = probs(BLOG_X, BLOG_W)
    m = d.logits_mistake(BLOG, i=1, j=3)
    assert m.wrong[1].endswith(f"= {g4(-z[1] * z[3])}") and m.right[1].endswith(f"= {g4(-p[1] * p[3])}")
    assert right_max < 1e-15 < np.abs(bad_rows).max()


def test_reveals_show_live_evidence():
    rows = d.row_sums_reveal(BLOG)
    assert rows.answer == "0" and rows.answer in rows.choices
    dz = d.dz_dw_reveal(BLOG)
    assert "15 \\text{ of } 75" in dz.evidence[0] and dz.answer in dz.choices
    sat = d.saturation_reveal(values_for_p([0.98, 0.01, 0.01]))
    assert g4(0.98 * 0.02) in sat.evidence[0] and sat.answer in sat.choices


# ---------------------------------------------------------------- properties


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 10),
    K=st.integers(2, 10),
    T=st.sampled_from([1.0, 0.5, 3.0]),
    seed=st.integers(0, 10_000),
    data=st.data(),
)
def test_every_builder_gives_balanced_latex_with_the_entry(n, K, T, seed, data):
    rng = np.random.default_rng(seed)
    x, W = rng.normal(size=n) * 2, rng.normal(size=(n, K)) * 2
    i, j = data.draw(st.integers(0, K - 1)), data.draw(st.integers(0, K - 1))
    jj = data.draw(st.integers(0, n - 1))
    p = probs(x, W, T)
    v, v1 = values(x, W, T), values(x, W, 1.0)  # the common mistakes are shown at T = 1
    steps = [
        d.forward_step(v, t=i),
        d.quotient_rule_step(v, i=i, j=j),
        d.matrix_form_step(v),
        d.hadamard_step(v),
        d.chain_rule_step(v, t=i, i=j, j=jj),
        d.shortcut_step(v, t=i, i=j, j=jj),
        d.quotient_rule_mistake(v1, a=i, i=j),
        d.logits_mistake(v1, i=i, j=j),
        d.row_sums_reveal(v),
        d.dz_dw_reveal(v),
        d.saturation_reveal(v),
    ]
    for step in steps:
        for latex in all_latex(step):
            assert_balanced(latex)
    entry = p[i] * ((i == j) - p[j]) / T
    assert num(entry) in steps[1].numbers[-1]
    assert num(entry * x[jj]) in steps[5].numbers[0]
    assert num(entry) in steps[4].numbers[0]  # J_ti in front of x in the chain rule


@pytest.mark.parametrize("T", [0.5, 3.0])
def test_mistakes_refuse_values_at_another_temperature(T):
    v = values(BLOG_X, BLOG_W, T)
    with pytest.raises(ValueError, match="T = 1"):
        d.quotient_rule_mistake(v)
    with pytest.raises(ValueError, match="T = 1"):
        d.logits_mistake(v)


def test_output_bridge_writes_softmax_like_the_sigmoid_from_a_alone():
    v = core.layer_values(core.BLOG_X, core.BLOG_W)
    step = d.output_bridge_step(v, 2)
    p = v.p
    assert any(r"\sigma'(z) = \sigma(z)" in f for f in step.formulas)
    numbers = "\n".join(step.numbers)
    assert f"{p[2] * (1 - p[2]):.4g}" in numbers and f"{-p[2] * p[3]:.4g}" in numbers
    assert "z_{2}" in numbers and "not needed" in numbers  # a alone
    assert "(seed" not in step.title
