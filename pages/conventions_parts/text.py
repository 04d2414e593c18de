"""The Conventions page's text and tables: the blog's and PyTorch's layouts, the two flattening orders.

Pure functions (no streamlit). Index conventions (DESIGN.md): W (n, K), W[j, k] = weight from
input j into class k; class-major column k·n + j, input-major column j·K + k; PyTorch's
weight W' = Wᵀ is (K, n), so W'[k, j] = W[j, k].
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

import core
from core.layout_check import columns_in_order, pytorch_logits
from ui.text import BREAK, MATRIX_MAX, exact_zero
from ui.text import tex as num
from ui.text import tex_matrix as matrix
from ui.text import tex_vector as vector

ORDER_LABELS = {
    "class_major": "Class-major: W[j,k] at k·n + j (the blog's, and PyTorch's weight.flatten())",
    "input_major": "Input-major: W[j,k] at j·K + k (NumPy's W.ravel() of the blog's W)",
}

LAYOUT_NOTE = (
    "**Numerator layout** (this app): ∂p/∂z is (K, K) with rows indexed by the output p; **denominator "
    "layout** is its transpose — the same for the symmetric J, but not for dp/dW, which is (K, K·n) here "
    "and (K·n, K) there (the blog's `z_dir` is dz/dWᵀ)."
)

TABLE_MAX_ROWS = 64  # longer column tables are cut (the mapping is regular, the first rows show it)


def layouts_latex(x, W, side_by_side: bool = True) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """(blog lines, PyTorch lines, check line): each layout's W with numbers and its z.

    Blog: W (n, K), z = Wᵀx. PyTorch: W' = Wᵀ (K, n), z = W'x. The check line is max |z − z'|.
    ``side_by_side``: both matrices as tall as the taller, so the lines under them line up (a
    phone, which stacks them, is spared the blank rows).
    """
    x, W = np.asarray(x, dtype=float), np.asarray(W, dtype=float)
    n, K = W.shape
    W_prime = core.to_pytorch(W)
    z = core.logits(x, W)
    z_prime = pytorch_logits(x, W_prime)
    small = n <= MATRIX_MAX and K <= MATRIX_MAX
    blog = [rf"W \in \mathbb{{R}}^{{{n}\times{K}}}\ (n \times K), \qquad{BREAK}z = W^{{\top}}x"]
    torch = [rf"W' = W^{{\top}} \in \mathbb{{R}}^{{{K}\times{n}}}\ (K \times n), \qquad{BREAK}z = W'x"]
    if small:
        # An invisible matrix of the taller's rows, first: as tall and as deep as it, and its hidden
        # width lies under "W =" (at the end of the line it made the line scroll; a shifted \rule made
        # the line taller, KaTeX shifting it without moving its box).
        rows = r" \\ ".join(["0"] * max(n, K))
        strut = r"\vphantom{\begin{bmatrix}" + rows + r"\end{bmatrix}}" if side_by_side else ""
        blog.append(strut + "W = " + matrix(W))
        torch.append(strut + "W' = " + matrix(W_prime))
    # Shown to 12 digits first: the two products differ in the last bits (the check line says by how
    # much), which put a number on a rounding edge on both sides of it ("−1.91" beside "−1.9").
    scale = float(np.abs(W.T * x).sum(axis=1).max())  # the largest Σ_j |W[j,k] x_j|: z's rounding is relative to it
    blog.append(r"z = W^{\top}x" + BREAK + "= " + vector(_settled(z, scale), zeros=True))
    torch.append("z = W'x" + BREAK + "= " + vector(_settled(z_prime, scale), zeros=True))
    residue = exact_zero(np.abs(z - z_prime).max(), scale, num)  # next to the terms, not z: z can cancel to ~0
    # "0 (rounding: 4.4\times 10^{-16})": words as text, a space TeX keeps, the number as maths
    residue = residue.replace(" (rounding: ", r"\ \text{(rounding: }").replace(")", r"\text{)}")
    check = r"\max_k\,|z_k - z'_k| = " + residue
    return tuple(blog), tuple(torch), check


def _settled(v: np.ndarray, scale: float) -> np.ndarray:
    """``v`` rounded 12 digits below ``scale`` (the size of the terms summed into it): float noise
    under what any display shows is dropped, a cancellation's too (−6e-22 and 6e-22 are both 0)."""
    if scale == 0:
        return np.asarray(v, dtype=float)
    return np.round(np.asarray(v, dtype=float), 11 - math.floor(math.log10(scale))) + 0.0  # + 0.0: no −0


def column_table(n: int, K: int, max_rows: int = TABLE_MAX_ROWS) -> pd.DataFrame:
    """Flat column index c → which weight sits there in each convention (first ``max_rows`` columns).

    Class-major: c = k·n + j. Input-major: c = j·K + k. PyTorch's W'.flatten() is class-major.
    """
    if n < 1 or K < 1:
        raise ValueError(f"n and K must be at least 1, got n={n}, K={K}")
    rows = []
    for c in range(min(n * K, max_rows)):
        k_cm, j_cm = core.weight_of_column(c, n, K)
        j_im, k_im = divmod(c, K)
        rows.append(
            {
                "column c": c,
                "class-major (c = k·n + j)": core.weight_label(j_cm, k_cm),
                "input-major (c = j·K + k)": core.weight_label(j_im, k_im),
                "PyTorch W'.flatten()": core.weight_label(j_cm, k_cm, layout="pytorch"),
            }
        )
    return pd.DataFrame(rows).set_index("column c")


def order_check(M, n: int, K: int, order: str) -> dict[str, float | bool]:
    """How a class-major (K, K·n) matrix and its ``order`` version relate: a pure permutation.

    ``max_diff``: max |convert_columns(M) − explicit index map of M| (0 when the permutation is right);
    ``sorted_equal``: each row holds the same multiset of numbers in both orders;
    ``roundtrip``: max |converting there and back − M|.
    """
    M = np.asarray(M, dtype=float)
    converted = core.convert_columns(M, n, K, "class_major", order)
    oracle = columns_in_order(M, n, K, order)
    back = core.convert_columns(converted, n, K, order, "class_major")
    return {
        "max_diff": float(np.abs(converted - oracle).max()),
        "sorted_equal": bool(np.array_equal(np.sort(converted, axis=-1), np.sort(M, axis=-1))),
        "roundtrip": float(np.abs(back - M).max()),
    }


def entry_positions_latex(M, n: int, K: int, t: int, i: int, j: int) -> str:
    """Where ∂p_t/∂W[j, i] sits in each order, and that its value is the same in both."""
    M = np.asarray(M, dtype=float)
    c_cm = core.column_of(i, j, n)
    c_im = j * K + i
    im = core.convert_columns(M, n, K, "class_major", "input_major")
    return (
        rf"\frac{{\partial p_{{{t}}}}}{{\partial W_{{{j},{i}}}}}:\ {BREAK}"
        rf"\text{{class-major column }} {i}\cdot{n}+{j} = {c_cm}"
        rf"\ {BREAK}({num(M[t, c_cm])}), \quad{BREAK}"  # a phone: the value under its column
        rf"\text{{input-major column }} {j}\cdot{K}+{i} = {c_im}\ {BREAK}({num(im[t, c_im])})"
    )
