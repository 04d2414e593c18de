"""Row and column labels for the layer's matrices, and the matrices as pandas tables.

Labels follow the blog's notation: weights are "W[j,k]" (input j, class k) in class-major
column order, so column k·n + j of dz/dW and dp/dW is labelled "W[j,k]".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import core

from .state import LayerState


def p_labels(K: int) -> list[str]:
    return [f"p{t}" for t in range(K)]


def z_labels(K: int) -> list[str]:
    return [f"z{k}" for k in range(K)]


def x_labels(n: int) -> list[str]:
    return [f"x{j}" for j in range(n)]


def class_labels(K: int) -> list[str]:
    return [f"class {k}" for k in range(K)]


def frame(M, rows: list[str], cols: list[str]) -> pd.DataFrame:
    return pd.DataFrame(np.atleast_2d(M), index=rows, columns=cols)


def state_frames(state: LayerState, z, p, J, dp_dw) -> dict[str, pd.DataFrame]:
    """The Explorer's matrices as labelled tables, in reading order."""
    n, K = state.n, state.K
    return {
        "x (inputs)": frame(state.x[None, :], ["x"], x_labels(n)),
        "W (n × K; column k feeds class k)": frame(state.W, x_labels(n), class_labels(K)),
        "z = Wᵀx / T and p = softmax(z)": pd.DataFrame({"z": z, "p": p}, index=class_labels(K)),
        "J = ∂p/∂z (K × K)": frame(J, p_labels(K), z_labels(K)),
        "dz/dW (K × K·n)": frame(core.dz_dw(state.x, K), z_labels(K), core.weight_labels(n, K)),
        "dp/dW (K × K·n)": frame(dp_dw, p_labels(K), core.weight_labels(n, K)),
    }
