"""ui.text: every number format and label, and Markdown-safe text from outside.

Expected strings come from Python's own formats (``f"{v:.4g}"``) or are written out by hand;
round trips are checked against float parsing and the link's own number reader.
"""

from __future__ import annotations

import html
import math
import re
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from ui import text
from ui.link import read_number

PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


# ---------------------------------------------------------------- plain text: fmt, sub


def test_fmt_three_significant_digits_unicode_minus_short_exponent():
    assert text.fmt(0.21698333) == "0.217"
    assert text.fmt(-0.04142) == "−0.0414"  # the blog's J[2, 0], with a Unicode minus
    assert text.fmt(0) == "0" and text.fmt(-0.0) == "0"
    assert text.fmt(1.4e-17, 2) == "1.4e-17"
    assert text.fmt(-1e-5) == "−1e-5"
    assert text.fmt(1234567) == "1.23e6"
    assert text.fmt(0.123456, 4) == "0.1235"
    assert text.MINUS == "\N{MINUS SIGN}"


@settings(max_examples=80, deadline=None)
@given(finite.filter(lambda v: v != 0), st.integers(1, 8))
def test_fmt_reads_back_to_its_rounded_value(v, digits):
    s = text.fmt(v, digits)
    assert "-" not in s.split("e")[0]  # the sign is Unicode; only an exponent keeps "-"
    assert float(s.replace("−", "-")) == float(f"{v:.{digits}g}")


def test_fmt_cells_writes_a_matrix_row_by_row_as_the_cells_show_it():
    J = np.array([[0.1542, -0.0387], [-0.0387, 0.162], [0.16, -1e-5]])  # 3 rows × 2 columns
    assert text.fmt_cells(J) == [["0.154", "−0.0387"], ["−0.0387", "0.162"], ["0.16", "−1e-5"]]
    assert text.fmt_cells(J, zeros=True)[2] == ["0.160", "−1.00e-5"]  # side by side, even digits
    assert text.fmt_cells(J, 2)[0] == ["0.15", "−0.039"]
    assert text.fmt_cells(np.zeros((0, 4))) == []


def test_subscripts():
    assert text.sub(12) == "₁₂" and text.sub(0) == "₀"
    assert text.sub_pair(2, 3) == "₂₃" and text.sub_pair(2, 12) == "₂,₁₂"


# ---------------------------------------------------------------- LaTeX numbers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.19091352, "0.1909"),
        (-0.0388, "-0.0388"),
        (0.0, "0"),
        (-0.0, "0"),
        (2.5e-17, r"2.5\times 10^{-17}"),
        (123456.0, r"1.235\times 10^{5}"),
        (-0.038856, "-0.03886"),
    ],
)
def test_tex_four_significant_digits(value, expected):
    assert text.tex(value) == expected


def test_tex_digits_and_paren():
    assert text.tex(0.123456, 3) == "0.123"
    assert text.paren(-0.5) == "(-0.5)" and text.paren(0.5) == "0.5" and text.paren(-0.0) == "0"
    assert text.paren(-2.5e-17) == r"(-2.5\times 10^{-17})"


@settings(max_examples=80, deadline=None)
@given(finite)
def test_tex_is_python_4g_with_latex_powers(v):
    mantissa, _, exponent = f"{v:.4g}".partition("e")
    expected = "0" if v == 0 else mantissa + (rf"\times 10^{{{int(exponent)}}}" if exponent else "")
    assert text.tex(v) == expected


@pytest.mark.parametrize("log_value", [0.5, -3.0, 700.5, 5000.0, -5000.0])
def test_tex_exp_matches_decimal_without_overflow(log_value):
    exact = Decimal(log_value).exp()
    mantissa, exponent = f"{exact:.3e}".split("e")
    out = text.tex_exp(log_value)
    if abs(log_value) < 700:
        assert out == text.tex(float(exact))
    else:
        assert out.startswith(mantissa[:4]) and out.endswith(f"10^{{{int(exponent)}}}")


def test_computed_vectors_keep_trailing_zeros_and_inputs_do_not():
    # z₄ = 0.16 beside 0.354 read as less precise, and disagreed with its bar's "0.160"
    assert text.tex_vector([0.354, 0.16], digits=3, zeros=True) == r"\begin{bmatrix}0.354 & 0.160\end{bmatrix}^{\top}"
    assert text.tex_vector([0.1, 0.5]) == r"\begin{bmatrix}0.1 & 0.5\end{bmatrix}^{\top}"  # x as it was set
    assert text.tex(1.0, zeros=True) == "1" and text.tex(-0.0, zeros=True) == "0"  # exact: no "1.000"
    assert text.tex(2.5e-7, zeros=True) == r"2.5\times 10^{-7}"  # a power of ten's mantissa as short as it is
    assert text.tex_matrix([[0.2, -0.03]], digits=3, zeros=True) == r"\begin{bmatrix}0.200 & -0.0300\end{bmatrix}"


def test_tex_vector_and_matrix():
    assert text.tex_vector([0.5, -0.25]) == r"\begin{bmatrix}0.5 & -0.25\end{bmatrix}^{\top}"
    long = text.tex_vector(np.arange(10.0))
    assert long == r"\begin{bmatrix}0 & 1 & 2 & \cdots & 8 & 9\end{bmatrix}^{\top}"
    six = text.tex_vector([0.123456] * 6)  # more than WIDE entries: 3 digits, to fit a screen
    assert six.count("0.123") == 6 and "0.1235" not in six
    assert text.tex_vector([0.123456] * 5).count("0.1235") == 5  # up to WIDE entries: 4 digits
    assert text.tex_matrix([[1, -2], [3, 4]]) == r"\begin{bmatrix}1 & -2 \\ 3 & 4\end{bmatrix}"
    wide = text.tex_matrix(np.full((2, 6), 0.123456))  # 6 columns: 3 digits
    assert wide.count("0.123") == 12 and "0.1235" not in wide


# ---------------------------------------------------------------- stacked (formulas on a phone)


def test_stacked_puts_each_break_on_its_own_centred_line():
    one_line = r"\frac{dp}{dW} = J \otimes x^{\top} \qquad" + text.BREAK + r"\text{(Kronecker)}"
    lines = r"\frac{dp}{dW} = J \otimes x^{\top}" + text.NEW_LINE + r"\text{(Kronecker)}"
    assert text.stacked(one_line) == r"\begin{gathered}" + lines + r"\end{gathered}"
    assert text.stacked(r"z = W^{\top}x") == r"z = W^{\top}x"  # no break: as it was
    # Escaped braces are the reader's, not a group: a break beside them is allowed.
    assert text.stacked(r"\{0, 1\}," + text.BREAK + "y = 1").count(text.NEW_LINE) == 1
    assert text.stacked(r"W \leftarrow W," + text.BREAK + r"\eta \to 0").count(text.NEW_LINE) == 1  # arrows, not \left


@given(st.lists(st.sampled_from(["a", r"(-0.04)\cdot 0", r"\cdots"]), min_size=1, max_size=9), st.integers(1, 4))
def test_a_broken_sum_keeps_every_term_in_order_and_per_line_a_phone_line(terms, per_line):
    lines = text.stacked("= " + text.broken_sum(terms, per_line)).removeprefix(r"\begin{gathered}")
    lines = lines.removesuffix(r"\end{gathered}").split(text.NEW_LINE)
    shown = [line.removeprefix("= ").removeprefix("+ ").split(" + ") for line in lines]
    assert [[term.removeprefix("{").removesuffix("}") for term in line] for line in shown] == [
        terms[k : k + per_line] for k in range(0, len(terms), per_line)
    ]
    # A term with a "·" inside is one group: a desktop's line breaks between terms, not inside one.
    assert all(term.startswith("{") == (r"\cdot " in term) for line in shown for term in line)


@pytest.mark.parametrize(
    "formula",
    [
        r"\text{(each weight" + text.BREAK + r"nudged)}",  # inside a group
        r"\left(a," + text.BREAK + r"b\right)",  # between \left and \right
        r"a}" + text.BREAK + r"{b",  # braces that only balance across the break
    ],
)
def test_stacked_refuses_a_break_that_would_cut_a_group(formula):
    with pytest.raises(ValueError, match="cut a group"):
        text.stacked(formula)


_ATOM = st.sampled_from(["x_j", r"\frac{a}{b}", "{p}^{2}", r"\sum_k", "= 0.1909", "+", r"\{1\}", r"\text{ of }"])
_SPACE = st.sampled_from(["", " ", r"\quad ", r"\qquad ", r"\, ", r"\;"])  # as TeX allows: no letter after \qquad


@given(st.lists(st.tuples(_SPACE, st.lists(_ATOM, min_size=1, max_size=4), _SPACE), min_size=2, max_size=5))
def test_stacked_keeps_every_line_whole_and_drops_only_spacing_at_its_ends(parts):
    lines = [" ".join(atoms) for _, atoms, _ in parts]
    formula = text.BREAK.join(left + line + right for line, (left, _, right) in zip(lines, parts, strict=True))
    out = text.stacked(formula)
    assert out.startswith(r"\begin{gathered}") and out.endswith(r"\end{gathered}")
    body = out.removeprefix(r"\begin{gathered}").removesuffix(r"\end{gathered}")
    assert [line.strip() for line in body.split(text.NEW_LINE)] == [line.strip() for line in lines]


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        # The Derivation's line that broke as "0.1909 (1 −" over "0.1909) = 0.1545" in a narrow box.
        (
            r"a_{0}(\delta_{0,0} - a_{0}) = 0.1909\,(1 - 0.1909)",
            r"a_{0}({\delta_{0,0} - a_{0}}) = 0.1909\,({1 - 0.1909})",
        ),
        (r"0.19 \times (1 - 0.19) (a (b + c))", r"0.19 \times ({1 - 0.19}) ({a (b + c)})"),  # after \times; nested
        (r"\sigma(z) + (-0.03886)\cdot 0", r"\sigma(z) + (-0.03886)\cdot 0"),  # nothing to break at: a sign is none
        (r"\left(1 - p\right) \bigl(1 - p\bigr)", r"\left(1 - p\right) \bigl(1 - p\bigr)"),  # sized
        (r"\frac{(1 - p)}{2} \text{(a - b)}", r"\frac{(1 - p)}{2} \text{(a - b)}"),  # inside braces: a group already
        (r"(a" + text.BREAK + r"+ b)", r"(a" + text.BREAK + r"+ b)"),  # its own break stays a break
        (r"\begin{cases} (a & - b) \\ c \end{cases}", r"\begin{cases} (a & - b) \\ c \end{cases}"),  # an alignment
        (r"(1 - p", r"(1 - p"),  # unbalanced: left alone
    ],
)
def test_parentheses_holding_an_operator_become_one_group(formula, expected):
    assert text.unbroken_parens(formula) == expected


_PIECE = st.sampled_from(
    ["(", ")", "1", " - ", " + ", "=", "p_i", r"\times ", r"\left(", r"\right)", r"\frac{a}{b - c}"]
)


@given(st.lists(_PIECE, max_size=16))
def test_grouping_parentheses_adds_only_braces_just_inside_them(pieces):
    formula = "".join(pieces)
    out = text.unbroken_parens(formula)
    assert re.sub(r"[{}]", "", out) == re.sub(r"[{}]", "", formula)  # only braces are added …
    added = out.count("({") - formula.count("({")
    assert added >= 0 and out.count("{") - formula.count("{") == added  # … each just after a "("
    depth = 0
    for ch in out:  # … and the groups they make are whole
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0


def test_on_a_desktop_a_short_piece_between_breaks_stays_on_one_line():
    B = text.BREAK.strip()
    # The Conventions page broke "… (K × n), z =" over "W′x"; now only at the break, before z.
    formula = r"W' \in \mathbb{R}^{5\times3}, \qquad" + text.BREAK + "z = W'x" + text.BREAK + r"= 0.1545\,x"
    assert (
        text.kept_whole(formula)
        == r"{W' \in \mathbb{R}^{5\times3}, \qquad} " + B + " {z = W'x} " + B + r" = {0.1545\,x}"
    )
    assert text.kept_whole("a + b") == "a + b"  # no break: nothing to keep apart
    long = " + ".join(["0.1234"] * 12)  # ~400 px: may still break at its own + signs
    assert text.kept_whole(long + text.BREAK + "= 1") == long + " " + B + " = {1}"
    cut = r"\begin{cases} a &" + text.BREAK + r"b \end{cases}"  # a group here would cut the cases in two
    assert text.kept_whole(cut) == cut
    # The Conventions page's entry line: its first piece ends in a control space, which a closing
    # brace after the backslash made "\}", and KaTeX drew the whole formula as red source.
    spaced = r"\frac{a}{b}:\ " + text.BREAK + "c = 1"
    assert text.kept_whole(spaced) == r"{\frac{a}{b}:\ } " + B + " {c = 1}"


_SEGMENT = st.sampled_from(
    ["x_j", "= 0.19", r"\frac{a}{b}", r"\qquad", "+ 1", r"\left(a", r"b\right)", "-", r"\text{ of }", ":\\ ", r"\,"]
)


def _tex_groups_whole(tex_text: str) -> bool:
    """Braces balance as TeX reads them: an escaped brace (\\{ or \\}) is a character, not a group."""
    depth = 0
    for ch in re.sub(r"\\\\|\\[{}]", "", tex_text):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


@given(st.lists(st.lists(_SEGMENT, max_size=4).map(" ".join), min_size=1, max_size=5))
def test_keeping_pieces_whole_adds_only_balanced_braces_and_keeps_every_break(pieces):
    formula = text.BREAK.join(pieces)
    out = text.kept_whole(formula)
    assert out.replace("{", "").replace("}", "").split() == formula.replace("{", "").replace("}", "").split()
    assert out.count(text.BREAK.strip()) == formula.count(text.BREAK.strip())
    assert out.count("{") - formula.count("{") == out.count("}") - formula.count("}") >= 0
    assert _tex_groups_whole(out) == _tex_groups_whole(formula)  # no brace closes just after a backslash


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=12))
def test_on_a_phone_a_long_vector_is_written_as_a_column_of_the_same_numbers(v):
    row = text.tex_vector(v)
    shown = text.for_phone(rf"p = {row}, \quad x = " + text.tex_vector([1.0, 2.0]))
    assert shown.endswith(r"x = \begin{bmatrix}1 & 2\end{bmatrix}^{\top}")  # short: still a row
    items = row.removeprefix(r"\begin{bmatrix}").removesuffix(r"\end{bmatrix}^{\top}").split(" & ")
    if len(items) <= text.PHONE_ROW_MAX:
        assert shown.startswith(f"p = {row},")
    else:
        column = [r"\cdots" if item == r"\vdots" else item for item in _column(shown)]
        assert column == items  # the same numbers, in order; an elision reads downwards


def _column(shown: str) -> list[str]:
    body = shown.removeprefix(r"p = \begin{bmatrix}").split(r"\end{bmatrix}")[0]
    return body.split(r" \\ ")


def test_on_a_phone_a_matrix_stays_as_it_is():
    M = text.tex_matrix(np.arange(12.0).reshape(2, 6))
    assert text.for_phone("J = " + M) == "J = " + M
    assert text.for_phone(M + r"^{\top}") == M + r"^{\top}"  # a matrix transposed is not a vector


# ---------------------------------------------------------------- fitted (a wide matrix on a phone)

_V = core.layer_values(core.BLOG_X, core.BLOG_W)
_E = np.ones(5)
# Lines of the Derivation's matrix and output steps at the blog's numbers, and their widths (px)
# in headless Chromium at a phone's 390 px (the Streamlit page's KaTeX at 19.36 px), measured once.
CHROMIUM_PX = [
    ("= " + text.tex_matrix(_V.J), 1.0, 516),
    (r"\operatorname{diag}(p) = " + text.tex_matrix(np.diag(_V.p)), 1.0, 451),
    (r"p\,p^{\top} = " + text.tex_matrix(np.outer(_V.p, _V.p)), 1.0, 483),
    (r"I - e\,a^{\top} = " + text.tex_matrix(np.eye(5) - np.outer(_E, _V.p)), 1.0, 533),
    (r"a\,e^{\top} = " + text.tex_matrix(np.outer(_V.p, _E)), 1.0, 434),
    (r"\text{row sums of } J = " + text.upright_vectors(text.tex_vector(_V.J.sum(axis=1))), 1.0, 297),
    # set in \scriptsize at 3 digits: the column gaps keep their size (KaTeX keeps lengths in pt)
    (text._fewer_digits(r"I - e\,a^{\top} = " + text.tex_matrix(np.eye(5) - np.outer(_E, _V.p))), 0.7, 362),
]


@pytest.mark.parametrize(("formula", "scale", "px"), CHROMIUM_PX)
def test_the_width_estimate_is_close_to_chromiums(formula, scale, px):
    estimate = text._width_em(formula, scale) * text.DISPLAY_FONT_PX
    assert 0.97 * px <= estimate <= 1.08 * px, (estimate, px)  # within what PHONE_FORMULA_PX leaves over


def test_on_a_phone_the_jacobian_is_set_small_enough_to_be_seen_whole():
    line = "= " + text.tex_matrix(_V.J)  # ~516 px on one line: it used to scroll
    shown = text.fitted(line)
    size, body = re.fullmatch(r"\{(\\[a-z]+) (.*)\}", shown).groups()
    scale = dict((name, s) for s, name in text.SMALLER)[size]
    assert text._width_em(body, scale) * text.DISPLAY_FONT_PX <= text.PHONE_FORMULA_PX
    numbers = [float(n) for n in re.findall(r"-?\d+\.\d+|\b0\b", body)]
    np.testing.assert_allclose(numbers, _V.J.ravel(), rtol=5e-3, atol=1e-12)  # the same numbers, at ≥ 3 digits


def test_on_a_phone_only_wide_lines_with_matrices_change():
    small = "J = " + text.tex_matrix(np.eye(2))
    assert text.fitted(small) == small
    long_sum = " + ".join(f"x_{{{k}}}" for k in range(60))  # wide, but no matrix: it breaks or scrolls as it did
    assert text.fitted(long_sum) == long_sum
    aligned = r"\begin{cases} a: & " + "= " + text.tex_matrix(_V.J) + r" \\ b: & 0 \end{cases}"
    assert text.fitted(aligned) == aligned  # a size group would cut the cases' columns apart
    eight = "= " + text.tex_matrix(np.random.default_rng(0).uniform(-1, 1, (8, 8)))  # ~880 px: unreadable small
    assert text.fitted(eight) == eight
    lines = text.stacked(r"J = \operatorname{diag}(p) - p\,p^{\top}" + text.BREAK + "= " + text.tex_matrix(_V.J))
    first, second = lines.removeprefix(r"\begin{gathered}").removesuffix(r"\end{gathered}").split(text.NEW_LINE)
    fitted = text.fitted(lines).removeprefix(r"\begin{gathered}").removesuffix(r"\end{gathered}").split(text.NEW_LINE)
    assert fitted[0] == first and fitted[1] != second and fitted[1].startswith("{\\")


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 7),
    st.integers(2, 7),
    st.floats(1e-4, 1e3),
    st.integers(0, 2**16),
    st.sampled_from([text.PHONE_FORMULA_PX, text.PHONE_FORMULA_PX - 66]),
)
def test_a_fitted_line_is_within_the_box_or_a_near_miss_or_untouched(rows, cols, scale, seed, box):
    M = np.random.default_rng(seed).uniform(-scale, scale, (rows, cols))
    line = "= " + text.tex_matrix(M)
    shown = text.fitted(line, box)
    box_em = box / text.DISPLAY_FONT_PX
    if shown == line:
        smallest = text._width_em(text._fewer_digits(line), text.SMALLER[-1][0])
        assert text._width_em(line) <= box_em or smallest > text.NEAR_MISS * box_em
        return
    size, body = re.fullmatch(r"\{(\\[a-z]+) (.*)\}", shown).groups()
    assert body in (line, text._fewer_digits(line))
    width = text._width_em(body, dict((name, s) for s, name in text.SMALLER)[size])
    assert width <= box_em or size == text.SMALLER[-1][1] and width <= text.NEAR_MISS * box_em


# ---------------------------------------------------------------- tex_fixed (LaTeX export)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (-1.23456, 2, "-1.23"),
        (2.0, 2, "2.00"),
        (-1e-9, 2, "0.00"),
        (-0.4, 0, "0"),
        (2.0, 0, "2"),
        (0.1544650, 4, "0.1545"),
        (-0.0300197, 4, "-0.0300"),
    ],
)
def test_tex_fixed_golden(value, decimals, expected):
    assert text.tex_fixed(value, decimals) == expected


@settings(max_examples=80, deadline=None)
@given(st.floats(-1e6, 1e6), st.integers(0, 8))
def test_tex_fixed_is_rounded_with_no_negative_zero(v, decimals):
    s = text.tex_fixed(v, decimals)
    assert re.fullmatch(r"-?\d+" + (rf"\.\d{{{decimals}}}" if decimals else ""), s), s
    assert not (s.startswith("-") and float(s) == 0.0)
    assert abs(float(s) - v) <= 0.5 * 10.0**-decimals * (1 + 1e-9) + abs(v) * 1e-15


# ---------------------------------------------------------------- exact (links, pastes, code)


@settings(max_examples=300, deadline=None)
@given(finite)
def test_exact_reads_back_to_the_same_float(v):
    s = text.exact(v)
    back = float(s)
    assert back == v and math.copysign(1, back) == math.copysign(1, v)
    assert read_number(s) == v  # the link and paste reader agrees
    assert "e" not in s and "," not in s  # positional, so no reader has to understand exponents


@settings(max_examples=500, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(2**60), 2**60).map(float))
def test_exact_is_numpys_shortest_positional_text(v):
    """Oracle: NumPy's shortest round-trip positional form (exact takes a faster road to it)."""
    assert text.exact(v) == np.format_float_positional(v, trim="-", unique=True)


def test_exact_golden():
    assert text.exact(0.1) == "0.1" and text.exact(1.0) == "1" and text.exact(-2.5) == "-2.5"
    assert text.exact(0.1 + 0.2) == "0.30000000000000004"


def test_matrix_text_rows_of_exact_numbers():
    assert text.matrix_text([[0.1, -2.0], [3.0, 0.30000000000000004]]) == "0.1, -2\n3, 0.30000000000000004"
    assert text.matrix_text([0.5, 1.0]) == "0.5, 1"


# ---------------------------------------------------------------- labels


def test_labels_are_one_scheme():
    assert text.p_labels(3) == ["p0", "p1", "p2"]
    assert text.z_labels(2) == ["z0", "z1"]
    assert text.x_labels(3) == ["x0", "x1", "x2"]
    assert text.class_labels(2) == ["class 0", "class 1"]
    assert text.weight_labels(2, 3) == ["W[0,0]", "W[1,0]", "W[0,1]", "W[1,1]", "W[0,2]", "W[1,2]"]
    assert text.weight_labels(2, 3, "input_major") == ["W[0,0]", "W[0,1]", "W[0,2]", "W[1,0]", "W[1,1]", "W[1,2]"]
    n, K = 4, 3
    labels = text.weight_labels(n, K)
    assert all(labels[core.column_of(k, j, n)] == f"W[{j},{k}]" for j in range(n) for k in range(K))
    assert set(text.LOSS_TITLES) == set(core.LOSSES)


# ---------------------------------------------------------------- literal: text from outside, for Markdown


def unescaped_rest(escaped: str) -> str:
    """What is left after removing every character reference: must hold no Markdown-special character."""
    return re.sub(r"&#[0-9]+;", "", escaped)


def unescape(escaped: str) -> str:
    """As the visitor reads it: references decoded, the invisible word joiners gone."""
    return html.unescape(escaped).replace(text.WORD_JOINER, "")


HOSTILE_TEXT = [
    "![](//example.org/p)",
    "[Fix this](http://example.org)",
    "www.example.org/fix",
    "https://example.org",
    ":red[**x**]",
    "<b>x</b>",
    "<img src=x onerror=alert(1)>",
    "$\\frac{1}{2}$",
    "$$x$$",
    "`code`",
    "```\ncode\n```",
    "# heading\n- item\n> quote",
    "a\\b",
    "\\",
    "_x_ ~~y~~ |t|",
]


@pytest.mark.parametrize("raw", HOSTILE_TEXT)
def test_literal_leaves_no_markdown_special_character_unescaped(raw):
    out = text.literal(raw)
    assert not set(unescaped_rest(out)) & PUNCTUATION, out
    assert "\n" not in out and "\r" not in out
    assert unescape(out) == raw.replace("\r", " ").replace("\n", " ")  # shows as typed


def test_literal_golden():
    wj = text.WORD_JOINER
    assert text.literal("[Fix](http://e.org)") == f"&#91;Fix&#93;&#40;http&#58;{wj}&#47;&#47;e&#46;org&#41;"
    assert text.literal("a\\b") == "a&#92;b"
    assert text.literal("line 1\nline 2") == "line 1 line 2"
    assert text.literal("plain words 42 ∂p/∂z") == "plain words 42 ∂p&#47;∂z"


@pytest.mark.parametrize("raw", ["www.example.org", "see https://x.org now", "mail me@example.org", "ftp://h/x"])
def test_literal_breaks_every_pattern_that_would_become_a_link(raw):
    """Streamlit links www.…, scheme://… and a@b.c in the text it renders, whatever the escapes."""
    plain = html.unescape(text.literal(raw))
    assert not re.search(r"(?i)www\.|[a-z]+://|\w@\w", plain), plain


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_literal_escapes_any_text(raw):
    out = text.literal(raw)
    assert not set(unescaped_rest(out)) & PUNCTUATION
    assert "\n" not in out and "\r" not in out
    assert unescape(out) == raw.replace("\r", " ").replace("\n", " ")


def test_exact_zero_names_the_rounding_residue():
    from ui.text import exact_zero

    assert exact_zero(0.0) == "0"
    assert exact_zero(-0.0, 5) == "0"
    assert exact_zero(1.39e-17, 0.2) == "0 (rounding: 1.4 × 10⁻¹⁷)"
    assert exact_zero(-8.882e-16, 3.0) == "0 (rounding: 8.9 × 10⁻¹⁶)"  # a magnitude
    assert exact_zero(0.01, 0.2) == "0.01"  # not rounding-sized: a real difference is shown as it is
    assert exact_zero(1e-12, 1e-6) == "1 × 10⁻¹²"
    assert text.fmt(-3.169e-11, 2, power=True) == "−3.2 × 10⁻¹¹" and text.fmt(0.25, power=True) == "0.25"


@pytest.mark.parametrize("phrase", ["(K = 3)", "∂L/∂W", "p_t(1 − p_t) > 0", "‖∂L/∂z‖ ="])
def test_a_whole_phrase_has_no_place_to_break_and_reads_the_same(phrase):
    kept = text.whole(phrase)
    assert " " not in kept and kept.replace(text.NO_BREAK_SPACE, " ").replace(text.WORD_JOINER, "") == phrase
    assert all(kept[k + 1] == text.WORD_JOINER for k, ch in enumerate(kept) if ch == "/")  # no break after "/"


@pytest.mark.parametrize(
    ("value", "kept"), [(0.16, "0.160"), (1.0, "1.00"), (100.0, "100"), (-0.0442, "−0.0442"), (1.4e-5, "1.40e-5")]
)
def test_fmt_keeps_trailing_zeros_when_asked(value, kept):
    assert text.fmt(value, zeros=True) == kept
    assert float(kept.replace(text.MINUS, "-")) == float(text.fmt(value).replace(text.MINUS, "-"))  # same number
