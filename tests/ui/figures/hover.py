"""What a hover says: a trace's hovertemplate filled in as plotly.js would, for one point.

Figures send short per-cell fields (customdata) and one template; tests read the sentence the
reader sees. Supports %{x}, %{y}, %{z}, %{customdata} and %{customdata[k]}, with a d3 number format
(".2g", "d") read as Python's, and drops "<extra>…</extra>". A trace without x or y (numeric
axes) has its point's column and row there; <sub>digits</sub> reads as subscript digits ("p₂").
"""

from __future__ import annotations

import re

import numpy as np

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def hover_text(trace, row: int, col: int | None = None) -> str:
    """The hover of heatmap cell (row, col), or of scatter point ``row`` when ``col`` is None."""
    template = trace.hovertemplate
    assert template and "%{" in template, f"trace {trace.name!r} has no hovertemplate"
    data = None if trace.customdata is None else np.asarray(trace.customdata, dtype=object)
    if col is None:
        point = {"x": trace.x[row], "y": trace.y[row], "customdata": None if data is None else data[row]}
    else:
        z = None if trace.z is None else np.asarray(trace.z)[row][col]
        x = col if trace.x is None else trace.x[col]
        y = row if trace.y is None else trace.y[row]
        point = {"x": x, "y": y, "z": z, "customdata": None if data is None else data[row][col]}

    def fill(m: re.Match) -> str:
        name, index, spec = m.group(1), m.group(2), m.group(3)
        value = point[name]
        if index is not None:
            value = value[int(index)]
        if spec is None:
            return str(value)
        # d3's "~" trims insignificant zeros, as Python's "g" does by itself
        return format(int(value), "d") if spec == "d" else format(float(value), spec.replace("~", ""))

    text = re.sub(r"%\{(x|y|z|customdata)(?:\[(\d+)\])?(?::([.0-9]+~?[efg]|d))?\}", fill, template)
    assert "%{" not in text, f"unfilled field in {text!r}"
    text = re.sub(r"<sub>([\d,]+)</sub>", lambda m: m.group(1).translate(SUBSCRIPTS), text)
    return re.sub(r"<extra>.*?</extra>", "", text)
