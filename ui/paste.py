"""Reading x and W pasted as text: plain rows, or NumPy/Python lists copied from a notebook.

Accepted for W (n rows, one per input j; K numbers per row, one per class k)::

    0.1 0.2 0.3            0.1, 0.2, 0.3; 0.6, 0.7, 0.8        np.array([[0.1, 0.2, 0.3],
    0.6 0.7 0.8                                                          [0.6, 0.7, 0.8]])
    [[0.1, 0.2, 0.3], [0.6, 0.7, 0.8]]    ((0.1, 0.2, 0.3), (0.6, 0.7, 0.8))    tensor([[0.1, …]], dtype=…)

The Explorer's paste box and the Batch page read their numbers with the same ``read_rows``.

Every problem raises ValueError with a message naming the row and the value, so the page can
show it and change nothing.
"""

from __future__ import annotations

import re

import numpy as np

from .link import BATCH_MAX, K_MAX, K_MIN, N_MAX, N_MIN, row_numbers
from .memo import by_value
from .text import exact

# What a notebook prints around the numbers: np.array( … , dtype=float64), tensor( … , requires_grad=True).
_CALL = re.compile(r"\b(?:np\.|numpy\.|torch\.)?(?:array|tensor|asarray)\s*\(")
_KEYWORD = re.compile(r",?\s*(?:dtype|device|requires_grad|grad_fn)\s*=\s*(?:<[^>]*>|[\w.'\"]+)")
_DECIMAL_COMMA = re.compile(r"[+\-\u2212]?[0-9]+,[0-9]+")


def read_rows(text: str, name: str) -> list[list[float]]:
    """Pasted numbers → rows of floats, as people copy them.

    Rows are lines or ';'-separated, or the innermost brackets of a nested list; a NumPy
    ``array(…)`` or PyTorch ``tensor(…)`` repr and Python tuples are read like lists. Numbers
    are separated by commas or spaces; "−" is a minus sign. Errors name the row and value
    ("W row 2, value 3: …"), and explain decimal commas.
    """
    body, calls = _CALL.subn(" ", text)
    body = _KEYWORD.sub(" ", body)
    if calls:  # drop the closing parenthesis of each call, then read tuples as lists
        body = body[::-1].replace(")", " ", calls)[::-1]
    body = body.replace("(", "[").replace(")", "]")
    if "[" in body or "]" in body:
        if body.count("[") != body.count("]"):
            raise ValueError(f"{name}: the brackets do not match ({body.count('[')} '[' but {body.count(']')} ']')")
        rows = re.findall(r"\[([^\[\]]*)\]", body)  # the innermost lists
    else:
        rows = re.split(r"[;\n]", body)
    rows = [r.strip(" ,\t\r") for r in rows if r.strip(" ,\t\r")]
    out = []
    for r, row in enumerate(rows, start=1):
        words = row.split()
        if len(words) > 1 and all(_DECIMAL_COMMA.fullmatch(w.strip(",")) for w in words):
            raise ValueError(f"{name} row {r}: {row[:30]!r} uses decimal commas; use a point as the decimal separator")
        out.append(row_numbers(row, f"{name} row {r}"))
    return out


def parse_vector(text: str, name: str = "x") -> np.ndarray:
    """One row (or one column) of numbers → (n,). ``name`` appears in error messages."""
    parsed = read_rows(text, name)
    if not parsed:
        raise ValueError(f"{name} is empty: paste numbers such as 0.1, 0.5, 0.4")
    values = [v for row in parsed for v in row]
    if len(parsed) > 1 and any(len(row) != 1 for row in parsed):
        raise ValueError(f"{name} must be a single row (or a single column) of numbers, got {len(parsed)} rows")
    if not N_MIN <= len(values) <= N_MAX:
        raise ValueError(f"{name} has {len(values)} numbers; between {N_MIN} and {N_MAX} are allowed")
    return np.array(values)


def parse_matrix(text: str, name: str = "W") -> np.ndarray:
    """Rows of numbers → (rows, cols); all rows must have the same length."""
    parsed = read_rows(text, name)
    if not parsed:
        raise ValueError(f"{name} is empty: paste one row per input, e.g. 0.1 0.2 0.3 0.4 0.5")
    width = len(parsed[0])
    for r, row in enumerate(parsed[1:], start=2):
        if len(row) != width:
            raise ValueError(f"{name} row {r} has {len(row)} numbers but row 1 has {width}; every row needs the same")
    return np.array(parsed)


def parse_layer(x_text: str, W_text: str) -> tuple[np.ndarray, np.ndarray]:
    """x (n,) and W (n, K) from text, checked against each other and the app's size limits."""
    x = parse_vector(x_text, "x")
    W = parse_matrix(W_text, "W")
    n, K = W.shape
    if n != len(x):
        hint = ""
        if K == len(x):
            hint = " (paste W with one row per input j, i.e. n × K; transpose a PyTorch K × n weight)"
        rows = f"{n} row" + ("s" if n != 1 else "")
        raise ValueError(f"W has {rows} but x has {len(x)} entries; W needs one row per input{hint}")
    if not K_MIN <= K <= K_MAX:
        raise ValueError(f"W has {K} columns (classes); between {K_MIN} and {K_MAX} are allowed")
    return x, W


def numpy_snippet(x: np.ndarray, W: np.ndarray, temperature: float = 1.0) -> str:
    """Python code that rebuilds this state in a notebook (and checks it with core)."""
    T = exact(temperature)
    z = "W.T @ x" if temperature == 1 else f"(W.T @ x) / {T}"
    return (
        "import numpy as np\n\n"
        f"x = {_array_code(np.asarray(x, dtype=float))}  # (n,) inputs\n"
        f"W = {_array_code(np.asarray(W, dtype=float))}  # (n, K): column k holds the weights into class k\n"
        f"z = {z}\n"
        "p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()\n"
        "J = np.diag(p) - np.outer(p, p)  # ∂p/∂z, (K, K)\n"
        "dp_dW = np.kron(J, x)  # (K, K·n), W[j, k] at column k·n + j\n"
    ) + ("" if temperature == 1 else f"J, dp_dW = J / {T}, dp_dW / {T}  # the 1/T factor\n")


@by_value()
def _array_code(a: np.ndarray) -> str:
    """``np.array([...])`` holding exactly ``a``'s numbers (1-D, or 2-D as aligned rows)."""
    if a.ndim == 1:
        return "np.array([" + ", ".join(exact(v) for v in a) + "])"
    rows = ",\n              ".join("[" + ", ".join(exact(v) for v in row) + "]" for row in a)
    return "np.array([" + rows + "])"


# ---------------------------------------------------------------- a batch (the Batch page)


def parse_inputs(text: str, n: int) -> np.ndarray:
    """Pasted rows → X (N, n): one input per row, n finite numbers within ±VALUE_LIMIT each."""
    rows = read_rows(text, "Inputs")
    if not rows:
        raise ValueError(f"The batch is empty: paste one input per row, {n} numbers each")
    if len(rows) > BATCH_MAX:
        raise ValueError(f"The batch has {len(rows)} rows; at most {BATCH_MAX} are allowed")
    for r, values in enumerate(rows, start=1):
        if len(values) != n:
            raise ValueError(f"Inputs row {r} has {len(values)} numbers; each row needs n = {n} (one per input x_j)")
    return np.array(rows)


def parse_labels(text: str, size: int, n_classes: int) -> np.ndarray:
    """Pasted class numbers (comma, space or newline separated) → (N,) ints in [0, K)."""
    values = [v for row in read_rows(text, "Labels") for v in row]
    if len(values) != size:
        raise ValueError(f"Labels: got {len(values)} class numbers but the batch has {size} rows")
    for s, v in enumerate(values, start=1):
        if v != int(v) or not 0 <= v < n_classes:  # 2.0 is class 2 (copied from a float tensor); 2.5 is not
            raise ValueError(f"Label {s}: {exact(v)} is not a class in 0…{n_classes - 1}")
    return np.array(values, dtype=np.int64)
