"""Every number format and every label, in one place: the app, its Export menu and the CLI agree.

Pure (no streamlit). Numbers:
- ``fmt``: plain text for hovers, metrics and prose, Unicode minus, 3 significant digits ("−0.0414");
- ``tex``: LaTeX, 4 significant digits, powers of ten written out ("2.8\\times 10^{-17}");
- ``exact``: the shortest text that reads back to the same float64 (links, pastes, code);
- ``tex_fixed``: a fixed number of decimals, for LaTeX matrices on slides.
Labels follow the blog's notation with 0-based indices: p0…, z0…, x0…, "class k", and
"W[j,k]" for the weight from input j into class k. Display formulas mark where they may break
(``BREAK``); ``for_phone`` lays one out for a phone's width.
"""

from __future__ import annotations

import math
import re

import numpy as np

import core

from .memo import by_value

MINUS = "\N{MINUS SIGN}"
_SUBSCRIPTS = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
WIDE = 5  # vectors and matrices with more columns than this get 3 significant digits instead of 4
MATRIX_MAX = 8  # largest K (or n) written out as a LaTeX matrix; beyond it a heatmap shows it
VECTOR_MAX = 8  # longest vector written out in full; longer ones are elided in the middle

LOSS_TITLES = {"cross_entropy": "Cross-entropy", "mse": "Mean squared error"}


# ---------------------------------------------------------------- plain text


def sub(i: int) -> str:
    """Index as Unicode subscript digits: sub(12) == "₁₂"."""
    return str(int(i)).translate(_SUBSCRIPTS)


def sup(i: int) -> str:
    """Exponent as Unicode superscript digits: sup(-2) == "⁻²"."""
    return str(int(i)).translate(_SUPERSCRIPTS)


def sub_pair(a: int, b: int) -> str:
    """Two subscript indices, comma-separated when either has two digits (δ₂,₁₂ not δ₂₁₂)."""
    sep = "," if a >= 10 or b >= 10 else ""
    return f"{sub(a)}{sep}{sub(b)}"


NO_BREAK_SPACE = "\u00a0"


def whole(phrase: str) -> str:
    """``phrase`` (a short formula in running text) with no-break spaces and no break after a "/":
    a narrow line wraps before or after it, never inside ("(K =" over "3)", "∂L/" over "∂W")."""
    return phrase.replace(" ", NO_BREAK_SPACE).replace("/", "/" + WORD_JOINER)


def fmt(value: float, digits: int = 3, zeros: bool = False, power: bool = False) -> str:
    """A number with ``digits`` significant digits, Unicode minus, short exponent (1.4e-17).

    ``zeros``: trailing zeros kept ("0.160"), for numbers read side by side (bar labels), where
    "0.16" beside "0.354" looked less precise. ``power``: an exponent written for people, not
    programs ("1.4 × 10⁻¹⁷"), for sentences and badges beside formulas that write it so.
    """
    v = float(value)
    if v == 0:
        return "0"
    s = f"{v:#.{digits}g}".rstrip(".") if zeros else f"{v:.{digits}g}"
    if "e" in s:
        mant, exp = s.split("e")
        mant = mant.rstrip(".")  # "#" keeps a point before the exponent: "1.e-5"
        s = f"{mant} × 10{sup(int(exp))}" if power else f"{mant}e{int(exp)}"
    return s.replace("-", MINUS, 1) if s.startswith("-") else s


def fmt_cells(matrix, digits: int = 3, zeros: bool = False) -> list[list[str]]:
    """Each entry of a 2-D array as ``fmt`` writes it: rows × cols strings (a heatmap's cell texts)."""
    return [[fmt(v, digits, zeros) for v in row] for row in np.asarray(matrix).tolist()]


# A quantity that is 0 in exact arithmetic counts as 0 when it is this small relative to the
# numbers it came from (floating-point rounding is ~1e-16 of them; a real error is far larger).
ROUNDING = 1e-9


def exact_zero(value: float, scale: float = 1.0, number=None) -> str:
    """A number that is 0 in exact arithmetic: "0", "0 (rounding: 1.4 × 10⁻¹⁷)", or, if it is not
    rounding-sized next to ``scale`` (the size of the numbers it came from), the number itself.

    Residues are shown as magnitudes: "max |J − Jᵀ| = 0 (rounding: 2.8 × 10⁻¹⁷)". ``number(value,
    digits)`` writes the numbers (default: ``fmt`` with powers of ten; ``tex`` inside a formula).
    """
    number = number or (lambda v, digits: fmt(v, digits, power=True))
    v = abs(float(value))
    if v == 0:
        return "0"
    if v <= ROUNDING * max(abs(float(scale)), 1e-300):
        return f"0 (rounding: {number(v, 2)})"
    return number(value, 3)


def exact(value: float) -> str:
    """Shortest text that reads back to exactly the same float64, without an exponent (0.1 → '0.1', 2.0 → '2')."""
    v = float(value)
    # repr is the same shortest round trip, ten times faster (a 64×32 layer's W is written three
    # times per run: paste box, NumPy snippet, link); NumPy writes what repr would put in e-notation.
    s = repr(v)
    if "e" in s or not s[-1].isdigit():
        return np.format_float_positional(v, trim="-", unique=True)
    return s[:-2] if s.endswith(".0") else s


def matrix_text(M) -> str:
    """Rows of ``exact`` numbers, one row per line: what the paste boxes read back exactly."""
    return _matrix_text(np.atleast_2d(np.asarray(M, dtype=float)))


@by_value()
def _matrix_text(M: np.ndarray) -> str:
    return "\n".join(", ".join(exact(v) for v in row) for row in M)


# ---------------------------------------------------------------- LaTeX


def tex(value: float, digits: int = 4, zeros: bool = False) -> str:
    """A number in LaTeX with ``digits`` significant digits: 0.1909, -0.03886, 2.8\\times 10^{-17};
    ``zeros``: trailing zeros kept (0.1600), for numbers read side by side (a vector's entries)."""
    v = float(value)
    if v == 0 or (zeros and v.is_integer() and abs(v) < 10**digits):
        return str(int(v))  # 0 (also for -0.0); a whole number is exact, not "1.000"
    s = f"{v:#.{digits}g}".rstrip(".") if zeros else f"{v:.{digits}g}"
    if "e" in s:
        mantissa, exponent = s.split("e")
        mantissa = mantissa.rstrip("0").rstrip(".") if zeros else mantissa  # 2.5 × 10⁻⁷, not 2.500 × 10⁻⁷
        return rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return s


def paren(value: float, digits: int = 4) -> str:
    """``tex`` wrapped in parentheses when negative, for use inside a product."""
    s = tex(value, digits)
    return f"({s})" if s.startswith("-") else s


def tex_exp(log_value: float) -> str:
    """e^{log_value} formatted like ``tex``, without overflow: e^{5000} is 3.6\\times 10^{2171}."""
    v = float(log_value)
    if abs(v) < 700:
        return tex(math.exp(v))
    log10 = v / math.log(10)
    exponent = math.floor(log10)
    mantissa = 10 ** (log10 - exponent)
    return rf"{mantissa:.4g}\times 10^{{{exponent}}}"


def tex_fixed(value: float, decimals: int) -> str:
    """``decimals`` fixed decimals with an ASCII minus; a tiny negative that rounds to 0 is written 0."""
    text = f"{float(value):.{decimals}f}"
    return text.lstrip("-") if float(text) == 0.0 else text


def tex_vector(v, max_len: int = VECTOR_MAX, digits: int | None = None, zeros: bool = False) -> str:
    """A (K,) vector as a LaTeX column vector written as a transposed row; long ones elided.

    ``digits`` defaults to 4 significant digits, 3 for more than WIDE entries (to fit a screen).
    ``zeros``: trailing zeros kept, for a computed vector (z, p) read entry by entry; an input's
    entries (x, W: slider values) are written as they were set.
    """
    v = np.asarray(v, dtype=float).ravel()
    digits = digits or (4 if len(v) <= WIDE else 3)
    shown = list(v) if len(v) <= max_len else [*v[:3], None, *v[-2:]]
    items = [r"\cdots" if a is None else tex(a, digits, zeros) for a in shown]
    return r"\begin{bmatrix}" + " & ".join(items) + r"\end{bmatrix}^{\top}"


# Where a display formula may go onto a new line: on a phone always (``stacked``), elsewhere only
# when the line is wider than its box (ui/style.py lets KaTeX's display mode break there).
BREAK = r" \allowbreak "
NEW_LINE = r" \\[0.3em] "  # a little more than a line: a bracket's foot and the next bracket's top stay apart
_LEFT, _RIGHT = re.compile(r"\\left(?![a-zA-Z])"), re.compile(r"\\right(?![a-zA-Z])")  # not \leftarrow
_ESCAPED_BRACE = re.compile(r"\\[{}]")  # \{ and \} are braces the reader sees, not a group's
_EDGE_SPACE = re.compile(r"^(?:\s|\\q?quad\b|\\[,;: ])+|(?:\s|\\q?quad\b|\\[,;: ])+$")


def _balanced(tex_text: str) -> bool:
    r"""Whether each brace and each ``\left…\right`` that opens in ``tex_text`` also closes in it."""
    depth = 0
    for ch in _ESCAPED_BRACE.sub("", tex_text):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0 and len(_LEFT.findall(tex_text)) == len(_RIGHT.findall(tex_text))


def stacked(formula: str) -> str:
    """``formula`` with a new line at each ``BREAK``, the lines centred (KaTeX's ``gathered``).

    Spacing at the ends of a line (``\\qquad`` before a note) is dropped: the line break replaces it.
    Raises ValueError if a break falls inside braces or ``\\left…\\right``, which it would cut in two.
    """
    parts = formula.split(BREAK.strip())
    if len(parts) == 1:
        return formula
    for part in parts:
        if not _balanced(part):
            raise ValueError(f"a line break inside braces or \\left…\\right would cut a group in two: {formula!r}")
    lines = [_EDGE_SPACE.sub("", part) for part in parts]
    return r"\begin{gathered}" + NEW_LINE.join(lines) + r"\end{gathered}"


_TOKEN = re.compile(r"\\(?:[a-zA-Z]+|.)|.", re.DOTALL)
_SIZING = {rf"\{size}{side}" for size in ("big", "Big", "bigg", "Bigg") for side in ("", "l", "r", "m")}
_SIZING |= {r"\left", r"\right", r"\middle"}
# Where KaTeX may break a line: after a binary operator or a relation (and at \allowbreak).
_BREAKS_AFTER = r"(?:[-+=<>]|\\(?:times|cdot|pm|mp|circ|neq|leq|geq|approx|to)(?![a-zA-Z]))"
_OPERATOR = re.compile(_BREAKS_AFTER)


def _breaks_inside(tex_text: str) -> bool:
    """Whether KaTeX could break a line inside ``tex_text``: at an operator, not its leading sign."""
    return bool(_OPERATOR.search(tex_text.strip().lstrip("+-")))


def unbroken_parens(formula: str) -> str:
    r"""``formula`` with the inside of each plain "( … )" outside braces made one group, so that a line
    too wide for its box (ui/style.py) breaks after an operator between groups, never inside one:
    "0.1909 (1 −" above "0.1909) = 0.1545" reads as two halves of nothing.

    The parentheses stay outside the group, so the spacing around them is TeX's as before. Left as
    they are: a group with no operator to break at, sized ones (``\left(``, ``\bigl(``), and one holding
    a ``BREAK`` or an alignment.
    """
    out: list[str] = []
    depth, opened, previous = 0, [], ""  # brace depth; where each open plain "(" is in ``out``
    for token in _TOKEN.findall(formula):
        sized = previous in _SIZING  # \left(, \bigr) …
        if token in ("{", "}"):
            depth += 1 if token == "{" else -1
        elif token == "(" and depth == 0 and not sized:
            opened.append(len(out) + 1)
        elif token == ")" and depth == 0 and not sized and opened:
            start = opened.pop()
            inside = "".join(out[start:])
            marked = any(mark in inside for mark in (BREAK.strip(), "&", "\\\\"))  # a break or an alignment
            if not opened and _breaks_inside(inside) and not marked:
                out[start:] = ["{" + inside + "}"]
        out.append(token)
        if not token.isspace():
            previous = token
    return "".join(out)


def broken_sum(terms: list[str], per_line: int) -> str:
    """``terms`` joined by " + ", with a ``BREAK`` after every ``per_line`` of them (a phone's lines).

    A term with an operator inside ("(−0.0119) · 0.13") is one group: a desktop line too wide for its
    box breaks at a "+" between terms, never at the "·" inside one.
    """
    terms = [_grouped(term) for term in terms]
    groups = [" + ".join(terms[k : k + per_line]) for k in range(0, len(terms), per_line)]
    return (BREAK + "+ ").join(groups)


def _grouped(term: str) -> str:
    return "{" + term + "}" if _breaks_inside(term) and _whole_group(term) and BREAK.strip() not in term else term


PHONE_ROW_MAX = 3  # longest vector a phone shows as a transposed row: 5 numbers of 4 digits are ~380 px
_ROW_VECTOR = re.compile(r"\\begin\{bmatrix\}((?:(?!\\end\{bmatrix\}).)*?)\\end\{bmatrix\}\^\{\\top\}")


def upright_vectors(formula: str) -> str:
    """``formula`` with each ``tex_vector`` longer than PHONE_ROW_MAX written as a column, not a row.

    The same vector, read down instead of across: a phone has height to spare, not width.
    """

    def column(match: re.Match) -> str:
        items = match.group(1).split(" & ")
        if len(items) <= PHONE_ROW_MAX or r"\\" in match.group(1):  # short, or a matrix transposed
            return match.group(0)
        items = [r"\vdots" if item == r"\cdots" else item for item in items]
        return r"\begin{bmatrix}" + r" \\ ".join(items) + r"\end{bmatrix}"

    return _ROW_VECTOR.sub(column, formula)


# A phone's formula box: 358 px (390 less Streamlit's padding), less 8 px for ``_width_em``, which
# comes within 2 % under Chromium's width of a line. KaTeX's display type is 1.21 × 16 px.
PHONE_FORMULA_PX = 350
DISPLAY_FONT_PX = 19.36
# KaTeX's sizes below normal, largest first: the smallest still reads at arm's length (13.6 px).
SMALLER = ((0.9, r"\small"), (0.8, r"\footnotesize"), (0.7, r"\scriptsize"))
NEAR_MISS = 1.2  # at most this much wider than its box at the smallest size, a line is still set there
_MATRIX = re.compile(r"\\begin\{bmatrix\}((?:(?!\\end\{bmatrix\}).)*?)\\end\{bmatrix\}")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:\\times 10\^\{-?\d+\})?")
_COMMAND = re.compile(r"\\([a-zA-Z]+|.)")
_TEXT = re.compile(r"\\text\{([^}]*)\}")
_QUIET = {"left", "right", "big", "Big", "bigg", "Bigg", "operatorname", "mathrm", "text", ",", ";", ":", " "}


def _width_em(tex_text: str, scale: float = 1.0) -> float:
    """About how wide KaTeX sets ``tex_text`` (em of normal size) at ``scale`` (``SMALLER``): digits
    and letters ½ em, a sign ¾ and a minus between terms 1¼, "=" with its spaces 1.4, a point ¼, a
    symbol command ¾, a matrix's brackets 1; its column gaps 1 em at any size (KaTeX keeps lengths
    given in pt, as the gaps are, at their size). ``tests/ui/test_text.py`` holds it to Chromium's.
    """
    gaps, matrices = 0.0, 0.0
    for body in _MATRIX.findall(tex_text):
        rows = [row.split("&") for row in body.split(r"\\")]
        columns = [max(_width_em(row[c]) if c < len(row) else 0 for row in rows) for c in range(len(rows[0]))]
        gaps += len(columns) - 1
        matrices += sum(columns) + 1.0
    rest = _MATRIX.sub("", tex_text)
    words = sum(group.count(" ") for group in _TEXT.findall(rest)) / 3  # a space in \text is ⅓ em
    symbols = sum(0.0 if name in _QUIET else 0.75 for name in _COMMAND.findall(rest))
    rest = _COMMAND.sub("", rest).strip()
    minus = 0.75 * rest.startswith("-") + 1.25 * rest[1:].count("-")  # a sign; an operator, spaced
    plain = len(re.sub(r"[-=.{}^_&\s]", "", rest))
    scaled = matrices + words + symbols + minus + 1.4 * rest.count("=") + 0.25 * rest.count(".") + 0.5 * plain
    return scale * scaled + gaps


def _fewer_digits(line: str) -> str:
    """``line`` with the numbers in its matrices at 3 significant digits (``tex``'s form)."""

    def matrix(match: re.Match) -> str:
        numbers = _NUMBER.findall(match.group(0))
        # A computed matrix (``zeros``) writes every entry to the same digits; keep its zeros at 3.
        digits = {len(re.sub(r"^[-0.]+|\\times.*$|\.", "", n)) for n in numbers if "." in n}
        zeros = len(digits) == 1 and min(digits) >= 3
        return _NUMBER.sub(
            lambda m: tex(float(m.group(0).replace(r"\times 10^{", "e").rstrip("}")), 3, zeros), match.group(0)
        )

    return _MATRIX.sub(matrix, line)


def fitted(formula: str, box_px: float = PHONE_FORMULA_PX) -> str:
    """``formula`` with each line that holds a matrix (a ``bmatrix`` of rows) and is wider than a
    phone set smaller, down to ``\\scriptsize``, and its matrix numbers at 3 digits if that is what
    it takes. A line that does not fit even so is set at the smallest if that leaves less than a
    fifth of it to scroll (``NEAR_MISS``), and otherwise left as it is, to scroll.

    A 5 × 5 matrix of four-digit numbers is ~470 px, against a phone's 358: scrolled, its pattern of
    signs (positive diagonal, negative elsewhere) is never seen whole.
    """
    box_em = box_px / DISPLAY_FONT_PX
    gathered = formula.startswith(r"\begin{gathered}")
    lines = formula.removeprefix(r"\begin{gathered}").removesuffix(r"\end{gathered}").split(NEW_LINE)
    out = []
    for line in lines:
        outside = _MATRIX.sub("", line)  # an alignment (cases, aligned) there: a group would cut it
        matrix_rows = r"\\" in "".join(_MATRIX.findall(line))  # a vector written across has none
        if not matrix_rows or "&" in outside or r"\\" in outside or _width_em(line) <= box_em:
            out.append(line)
            continue
        candidates = [
            (f"{{{size} {shown}}}", _width_em(shown, scale))
            for scale, size in SMALLER
            for shown in (line, _fewer_digits(line))
        ]
        fits = [shown for shown, width in candidates if width <= box_em]
        smallest, width = candidates[-1]
        out.append(fits[0] if fits else smallest if width <= NEAR_MISS * box_em else line)
    joined = NEW_LINE.join(out)
    return rf"\begin{{gathered}}{joined}\end{{gathered}}" if gathered else joined


# A piece between two ``BREAK``s up to this wide (px, at display size) is kept on one line on a
# desktop: the narrowest formula box there is ~200 px (a tablet's or a 1024 px laptop's two columns).
KEEP_PX = 200
_LEAD = re.compile(rf"^(?:\s|\\[,;:!]|\\q?quad(?![a-zA-Z]))*{_BREAKS_AFTER}?\s*")
_TRAIL = re.compile(rf"\s*(?:{_BREAKS_AFTER}\s*)?$")


def _whole_group(tex_text: str) -> bool:
    r"""Whether ``tex_text`` can be set in braces as it is: ``_balanced``, and its environments each
    open and close inside it."""
    return _balanced(tex_text) and tex_text.count(r"\begin{") == tex_text.count(r"\end{")


def kept_whole(formula: str, keep_px: float = KEEP_PX) -> str:
    """``formula`` with each short piece between its ``BREAK``s made one group, for a desktop: a line
    too wide for its box (ui/style.py) then breaks at a ``BREAK`` before it breaks inside a piece.

    A browser breaks a line at the last place that fits, so "W′ ∈ ℝ^{5×3} (K × n), z =" over "W′x"
    came before "W′ ∈ ℝ^{5×3} (K × n)," over "z = W′x". An operator that opens or closes a piece
    ("= 0.1545") stays outside its group, so its spacing is TeX's. A piece wider than ``keep_px``
    (px at display size) may still break at its own operators.
    """
    parts = formula.split(BREAK.strip())
    if len(parts) == 1:
        return formula
    out = []
    for part in parts:
        lead = _LEAD.match(part).group(0)
        rest = part[len(lead) :]
        trail = _TRAIL.search(rest).group(0)
        body = rest[: len(rest) - len(trail)]
        if (len(body) - len(body.rstrip("\\"))) % 2:  # a control space ("\ ") is the body's: kept whole
            body, trail = body + trail[:1], trail[1:]
        narrow = _width_em(body) * DISPLAY_FONT_PX <= keep_px
        out.append(f"{lead}{{{body}}}{trail}" if body.strip() and narrow and _whole_group(body) else part)
    return BREAK.strip().join(out)


def for_phone(formula: str, box_px: float = PHONE_FORMULA_PX) -> str:
    """A display formula for a phone's width: long vectors upright, a new line at each ``BREAK``,
    and a line with a matrix too wide for the screen in smaller type (``fitted``). ``box_px``: the
    formula's width (px) where it is narrower than the page's (``PHONE_FORMULA_PX``)."""
    return fitted(stacked(upright_vectors(formula)), box_px)


def tex_matrix(M, digits: int | None = None, zeros: bool = False) -> str:
    """A 2-D array as a LaTeX bmatrix (rows separated by \\\\); 3 digits beyond WIDE columns; ``zeros``
    as ``tex_vector``'s."""
    M = np.atleast_2d(np.asarray(M, dtype=float))
    digits = digits or (4 if M.shape[1] <= WIDE else 3)
    rows = [" & ".join(tex(a, digits, zeros) for a in row) for row in M]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


# ---------------------------------------------------------------- labels (CSV headers, tables, exports)


def p_labels(K: int) -> list[str]:
    return [f"p{t}" for t in range(K)]


def z_labels(K: int) -> list[str]:
    return [f"z{k}" for k in range(K)]


def x_labels(n: int) -> list[str]:
    return [f"x{j}" for j in range(n)]


def class_labels(K: int) -> list[str]:
    return [f"class {k}" for k in range(K)]


def weight_labels(n: int, K: int, order: str = "class_major") -> list[str]:
    """ "W[j,k]" for each flattened weight column, in ``order`` (class-major: column k·n + j)."""
    return core.weight_labels(n, K, order)


# ---------------------------------------------------------------- text from outside


def literal(text: str) -> str:
    """``text`` for a Markdown element (st.warning, st.markdown) so that it shows as typed.

    Text from a link, a paste or a file is data: every ASCII punctuation character becomes a
    character reference (no links, images, HTML, colour directives or LaTeX can form), line
    breaks become spaces, and the patterns Streamlit would turn into links get a word joiner.
    """
    # Streamlit turns www.…, http(s)://… and a@b.c into links after Markdown is parsed, so no
    # escape stops them: an invisible word joiner breaks each pattern instead.
    text = _AUTOLINK.sub(lambda m: m.group(0)[:-1] + WORD_JOINER + m.group(0)[-1], str(text))
    out = []
    for ch in text:
        if ch in "\r\n":
            out.append(" ")
        elif ch in _PUNCTUATION:
            out.append(f"&#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)www\.|[a-z][a-z0-9+.-]*:/|@")  # the character before the last is where it breaks
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
