"""Reading a pasted batch: rows of inputs X (N, n) and class labels (N,). Pure (no streamlit).

Every problem raises ValueError naming the row (1-based, as people count lines) and the value,
so the page can show it and keep the previous batch.
"""

from __future__ import annotations

import re

import numpy as np

from .state import row_numbers

MAX_ROWS = 32


def _lines(text: str) -> list[str]:
    """Rows split at newlines or ';'; brackets and blank rows are ignored."""
    return [r.strip(" ,\t\r[]") for r in re.split(r"[;\n]", text) if r.strip(" ,\t\r[]")]


def parse_inputs(text: str, n: int) -> np.ndarray:
    """Pasted rows → X (N, n): one input per row, n finite numbers within ±VALUE_LIMIT each."""
    rows = _lines(text)
    if not rows:
        raise ValueError(f"The batch is empty: paste one input per row, {n} numbers each")
    if len(rows) > MAX_ROWS:
        raise ValueError(f"The batch has {len(rows)} rows; at most {MAX_ROWS} are allowed")
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
            v = int(part)
        except ValueError:
            raise ValueError(f"Label {s}: {part[:20]!r} is not a whole class number") from None
        if not 0 <= v < n_classes:
            raise ValueError(f"Label {s}: {v} is not a class in 0…{n_classes - 1}")
        labels.append(v)
    return np.array(labels, dtype=np.int64)


# ---- the Batch page's own share-link settings: (value, warning or None), never an exception

DEFAULT_SIZE = 8
SEED_MAX = 2**31 - 1


def parse_size(text: str | None) -> tuple[int, str | None]:
    """Link parameter N: a whole number of samples in [1, MAX_ROWS]."""
    if text is None:
        return DEFAULT_SIZE, None
    try:
        value = int(text.strip())
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_ROWS:
        return (
            DEFAULT_SIZE,
            f"Link parameter 'N' = {text[:20]!r} must be a whole number in 1…{MAX_ROWS}; using {DEFAULT_SIZE}.",
        )
    return value, None


def parse_seed(text: str | None) -> tuple[int, str | None]:
    """Link parameter bseed: the batch's random seed, a whole number in [0, 2³¹ − 1]."""
    if text is None:
        return 0, None
    try:
        value = int(text.strip())
    except ValueError:
        value = -1
    if not 0 <= value <= SEED_MAX:
        return 0, f"Link parameter 'bseed' = {text[:20]!r} must be a whole number in 0…{SEED_MAX}; using 0."
    return value, None
