"""Reading x and W pasted as text: plain rows, or NumPy/Python lists copied from a notebook.

Accepted for W (n rows, one per input j; K numbers per row, one per class k)::

    0.1 0.2 0.3            0.1, 0.2, 0.3; 0.6, 0.7, 0.8        np.array([[0.1, 0.2, 0.3],
    0.6 0.7 0.8                                                          [0.6, 0.7, 0.8]])

Every problem raises ValueError with a message naming the row and the value, so the page can
show it and change nothing.
"""

from __future__ import annotations

import re

import numpy as np

from .link import BATCH_MAX, K_MAX, K_MIN, N_MAX, N_MIN, read_whole, row_numbers
from .text import exact

# Wrappers a notebook adds around the numbers: np.array( … ), array( … , dtype=float64).
_WRAPPER = re.compile(r"\b(?:np\.|numpy\.)?array\s*\(|,?\s*dtype\s*=\s*[\w.]+|\)")


def _rows(text: str) -> list[str]:
    """Split into row strings: by ']' for nested lists, else by newlines or ';'."""
    body = _WRAPPER.sub(" ", text).strip()
    if "[" in body:
        inner = body.strip()
        if inner.startswith("[") and inner.endswith("]") and inner.count("[") > 1:
            inner = inner[1:-1]  # the outer list of a nested one
        rows = [r.replace("[", " ") for r in inner.split("]")]
    else:
        rows = re.split(r"[;\n]", body)
    return [r.strip(" ,\t\r") for r in rows if r.strip(" ,\t\r")]


def parse_vector(text: str, name: str = "x") -> np.ndarray:
    """One row (or one column) of numbers → (n,). ``name`` appears in error messages."""
    rows = _rows(text)
    if not rows:
        raise ValueError(f"{name} is empty: paste numbers such as 0.1, 0.5, 0.4")
    parsed = [row_numbers(row, f"{name} row {r + 1}") for r, row in enumerate(rows)]
    values = [v for row in parsed for v in row]
    if len(rows) > 1 and any(len(row) != 1 for row in parsed):
        raise ValueError(f"{name} must be a single row (or a single column) of numbers, got {len(rows)} rows")
    if not N_MIN <= len(values) <= N_MAX:
        raise ValueError(f"{name} has {len(values)} numbers; between {N_MIN} and {N_MAX} are allowed")
    return np.array(values)


def parse_matrix(text: str, name: str = "W") -> np.ndarray:
    """Rows of numbers → (rows, cols); all rows must have the same length."""
    rows = _rows(text)
    if not rows:
        raise ValueError(f"{name} is empty: paste one row per input, e.g. 0.1 0.2 0.3 0.4 0.5")
    parsed = [row_numbers(row, f"{name} row {r + 1}") for r, row in enumerate(rows)]
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

    def arr(a) -> str:
        if a.ndim == 1:
            return "np.array([" + ", ".join(exact(v) for v in a) + "])"
        rows = ",\n              ".join("[" + ", ".join(exact(v) for v in row) + "]" for row in a)
        return "np.array([" + rows + "])"

    T = exact(temperature)
    z = "W.T @ x" if temperature == 1 else f"(W.T @ x) / {T}"
    return (
        "import numpy as np\n\n"
        f"x = {arr(np.asarray(x))}  # (n,) inputs\n"
        f"W = {arr(np.asarray(W))}  # (n, K): column k holds the weights into class k\n"
        f"z = {z}\n"
        "p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()\n"
        "J = np.diag(p) - np.outer(p, p)  # ∂p/∂z, (K, K)\n"
        "dp_dW = np.kron(J, x)  # (K, K·n), W[j, k] at column k·n + j\n"
    ) + ("" if temperature == 1 else f"J, dp_dW = J / {T}, dp_dW / {T}  # the 1/T factor\n")


# ---------------------------------------------------------------- a batch (the Batch page)


def _lines(text: str) -> list[str]:
    """Rows split at newlines or ';'; brackets and blank rows are ignored."""
    return [r.strip(" ,\t\r[]") for r in re.split(r"[;\n]", text) if r.strip(" ,\t\r[]")]


def parse_inputs(text: str, n: int) -> np.ndarray:
    """Pasted rows → X (N, n): one input per row, n finite numbers within ±VALUE_LIMIT each."""
    rows = _lines(text)
    if not rows:
        raise ValueError(f"The batch is empty: paste one input per row, {n} numbers each")
    if len(rows) > BATCH_MAX:
        raise ValueError(f"The batch has {len(rows)} rows; at most {BATCH_MAX} are allowed")
    X = []
    for r, row in enumerate(rows, start=1):
        values = row_numbers(row.replace("[", " ").replace("]", " "), f"Row {r}")
        if len(values) != n:
            raise ValueError(f"Row {r} has {len(values)} numbers; each row needs n = {n} (one per input x_j)")
        X.append(values)
    return np.array(X)


def parse_labels(text: str, size: int, n_classes: int) -> np.ndarray:
    """Pasted class numbers (comma, space or newline separated) → (N,) ints in [0, K)."""
    parts = [p for p in re.split(r"[,;\s\[\]]+", text) if p]
    if len(parts) != size:
        raise ValueError(f"Labels: got {len(parts)} class numbers but the batch has {size} rows")
    labels = []
    for s, part in enumerate(parts, start=1):
        try:
            labels.append(read_whole(part, 0, n_classes - 1))
        except ValueError:
            raise ValueError(f"Label {s}: {part[:20]!r} is not a class in 0…{n_classes - 1}") from None
    return np.array(labels, dtype=np.int64)
