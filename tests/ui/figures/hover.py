"""What a hover says: a trace's hovertemplate filled in as plotly.js would, for one point.

Figures send short per-cell fields (customdata) and one template; tests read the sentence the
reader sees. Supports %{x}, %{y}, %{z}, %{customdata} and %{customdata[k]} without number formats
(the app preformats its numbers), and drops "<extra>…</extra>".
"""

from __future__ import annotations

import re

import numpy as np


def hover_text(trace, row: int, col: int | None = None) -> str:
    """The hover of heatmap cell (row, col), or of scatter point ``row`` when ``col`` is None."""
    template = trace.hovertemplate
    assert template and "%{" in template, f"trace {trace.name!r} has no hovertemplate"
    data = None if trace.customdata is None else np.asarray(trace.customdata, dtype=object)
    if col is None:
        point = {"x": trace.x[row], "y": trace.y[row], "customdata": None if data is None else data[row]}
    else:
        z = None if trace.z is None else np.asarray(trace.z)[row][col]
        point = {"x": trace.x[col], "y": trace.y[row], "z": z, "customdata": None if data is None else data[row][col]}

    def fill(m: re.Match) -> str:
        name, index = m.group(1), m.group(2)
        value = point[name]
        if index is not None:
            value = value[int(index)]
        return str(value)

    text = re.sub(r"%\{(x|y|z|customdata)(?:\[(\d+)\])?\}", fill, template)
    assert "%{" not in text, f"unfilled field in {text!r}"
    return re.sub(r"<extra>.*?</extra>", "", text)
