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

from .state import K_MAX, K_MIN, N_MAX, N_MIN, row_numbers

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


def matrix_text(M: np.ndarray) -> str:
    """Text that ``parse_matrix`` reads back exactly: one row per line."""
    from .state import format_number

    return "\n".join(", ".join(format_number(v) for v in row) for row in np.atleast_2d(M))


def numpy_snippet(x: np.ndarray, W: np.ndarray, temperature: float = 1.0) -> str:
    """Python code that rebuilds this state in a notebook (and checks it with core)."""
    from .state import format_number

    def arr(a) -> str:
        if a.ndim == 1:
            return "np.array([" + ", ".join(format_number(v) for v in a) + "])"
        rows = ",\n              ".join("[" + ", ".join(format_number(v) for v in row) + "]" for row in a)
        return "np.array([" + rows + "])"

    T = format_number(temperature)
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
