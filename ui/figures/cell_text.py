"""Numbers in heatmap cells that can be read on every colour of the scale.

Plotly colours a cell's number itself: white on a cell its test calls dark (brightness < 128),
else #444. On the diverging scales' middle reds and blues that is 2.5:1 (white or #444 on
rgb(214, 96, 77)); black would be 5.6:1. Heatmap text takes one colour per trace, but a number may
carry its own colour (``<span style="color:…">``), so only the cells where Plotly's choice is
below 4.5:1 (WCAG's for text) are written in black or white, whichever reads better: on these
scales that is at least 4.5:1 on every colour, in both themes.
"""

from __future__ import annotations

import functools
import re

import numpy as np

from .common import theme_scale

MIN_CONTRAST = 4.5
_AUTO_DARK, _AUTO_LIGHT = np.array([68.0, 68.0, 68.0]), np.array([255.0, 255.0, 255.0])  # Plotly's two
_BLACK, _WHITE = "#000000", "#ffffff"
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def rgb(colour: str) -> np.ndarray:
    """(3,) floats 0-255 of "rgb(r, g, b)", "rgba(r, g, b, a)" (alpha ignored) or "#rrggbb"."""
    if colour.startswith("#") and len(colour) == 7:
        return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    parts = _NUMBER.findall(colour)
    if not colour.startswith("rgb") or len(parts) < 3:
        raise ValueError(f"colour must be 'rgb(r, g, b)' or '#rrggbb', got {colour!r}")
    return np.array([float(v) for v in parts[:3]])


def scale_colours(scale: list[list], t: np.ndarray) -> np.ndarray:
    """(…, 3) colours of ``scale`` ([[position, colour], …], positions 0 → 1) at positions ``t`` (…),
    interpolated in RGB between stops as Plotly does; ``t`` is clipped to [0, 1]."""
    stops, colours = _stops(tuple((stop[0], stop[1]) for stop in scale))
    t = np.clip(t, 0.0, 1.0)
    return np.stack([np.interp(t, stops, colours[:, c]) for c in range(3)], axis=-1)


@functools.lru_cache(maxsize=32)
def _stops(scale: tuple[tuple[float, str], ...]) -> tuple[np.ndarray, np.ndarray]:
    """(S,) positions and (S, 3) colours of a scale's stops: parsed once per scale, not per heatmap."""
    return np.array([float(stop[0]) for stop in scale]), np.array([rgb(stop[1]) for stop in scale])


def luminance(colours: np.ndarray) -> np.ndarray:
    """WCAG relative luminance (…) of (…, 3) colours 0-255."""
    c = colours / 255.0
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return c @ np.array([0.2126, 0.7152, 0.0722])


def contrast(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """WCAG contrast ratio (1-21) of (…, 3) colours ``a`` and ``b``."""
    return _ratio(luminance(a), luminance(b))


def _ratio(la, lb) -> np.ndarray:
    """WCAG contrast ratio of two relative luminances (arrays or numbers)."""
    return (np.maximum(la, lb) + 0.05) / (np.minimum(la, lb) + 0.05)


def plotly_text_colour(cells: np.ndarray) -> np.ndarray:
    """(…, 3) the colour Plotly writes a number in on (…, 3) cell colours (tinycolor's brightness test)."""
    dark = cells @ np.array([0.299, 0.587, 0.114]) < 128
    return np.where(dark[..., None], _AUTO_LIGHT, _AUTO_DARK)


def legible_traces(data: list[dict], layout: dict, theme: str = "light") -> list[dict]:
    """``data`` (a figure's trace dicts, never changed) with each heatmap's numbers ``legible``."""
    return [
        legible(trace, *colour_scale_of(trace, data, layout, theme)) if _writes_numbers(trace) else trace
        for trace in data
    ]


def _writes_numbers(trace: dict) -> bool:
    """Whether ``trace`` is a heatmap writing numbers in its cells in Plotly's own colours."""
    return (
        trace.get("type") == "heatmap"
        and trace.get("text") is not None
        and bool(trace.get("texttemplate"))
        and not trace.get("textfont", {}).get("color")
    )


def colour_scale_of(trace: dict, data: list[dict], layout: dict, theme: str = "light") -> tuple[list | None, tuple]:
    """(the colour scale heatmap ``trace`` is drawn with in ``theme``, the (low, high) z it spans), as
    Plotly resolves them: its own or its colour axis's in ``layout``; bounds given, else the range of
    z over every trace of ``data`` on that colour axis, made symmetric about a given middle."""
    axis = trace.get("coloraxis")
    holder = layout.get(axis, {}) if axis else trace
    lo, hi, mid = ("cmin", "cmax", "cmid") if axis else ("zmin", "zmax", "zmid")
    scale = theme_scale(holder.get("colorscale"), theme)
    if holder.get(lo) is not None and holder.get(hi) is not None:
        return scale, (float(holder[lo]), float(holder[hi]))
    shared = [t for t in data if t.get("coloraxis") == axis] if axis else [trace]
    values = np.concatenate([np.asarray(t.get("z"), dtype=float).ravel() for t in shared if t.get("z") is not None])
    values = values[np.isfinite(values)]
    if values.size == 0:
        return scale, (0.0, 1.0)
    low, high = float(values.min()), float(values.max())
    if holder.get(mid) is not None:
        m = float(holder[mid])
        reach = max(high - m, m - low)
        low, high = m - reach, m + reach
    return scale, (low, high)


def legible(trace: dict, scale: list[list] | None, bounds: tuple[float, float]) -> dict:
    """``trace`` (a heatmap's dict, never changed) with the numbers Plotly would write too faintly
    given their own colour; ``trace`` itself when none is, or when it does not write numbers in
    its cells with Plotly's colours. ``scale``: its colour scale as drawn (the theme's); ``bounds``:
    the z at its two ends (``colour_scale_of`` gives both)."""
    if not _writes_numbers(trace) or not scale:
        return trace
    z = np.asarray(trace.get("z"), dtype=float)
    text = np.asarray(trace["text"], dtype=object)
    if z.shape != text.shape or z.size == 0:
        return trace
    lo, hi = bounds
    t = (z - lo) / (hi - lo) if hi > lo else np.full(z.shape, 0.5)
    cells = scale_colours(scale, np.nan_to_num(t, nan=0.5))
    lit = luminance(cells)  # once: each cell is held against Plotly's colour, black and white
    faint = (_ratio(lit, luminance(plotly_text_colour(cells))) < MIN_CONTRAST) & np.isfinite(z)
    faint &= np.array([bool(s) for s in text.ravel()]).reshape(text.shape)  # an empty cell writes nothing
    if not faint.any():
        return trace
    better = np.where(_ratio(lit, luminance(np.zeros(3))) >= _ratio(lit, luminance(np.full(3, 255.0))), _BLACK, _WHITE)
    out = text.copy()
    for idx in zip(*np.nonzero(faint), strict=True):
        out[idx] = f"<span style='color:{better[idx]}'>{out[idx]}</span>"
    return {**trace, "text": out.tolist()}
