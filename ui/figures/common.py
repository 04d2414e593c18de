"""Shared pieces of the figure builders: colour scale, number and index formatting, layout.

Everything here is pure (no streamlit). Heatmaps in this package use category axes whose
labels name the entry ("p₂", "z₀", "W[1,3]"), so a light hovertemplate ("%{y}", "%{x}") still
says what a cell is; shapes address cells by their integer position (row, column).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

import core
from ui.text import MINUS, fmt, fmt_cells, sub, sub_pair, sup  # noqa: F401  (re-exported for the figure modules)

from .text_width import text_width

# ColorBrewer RdBu, reversed so that positive = red and negative = blue (the usual "warm is
# more" reading), with a near-white middle for 0. RdBu is one of ColorBrewer's schemes marked
# colour-blind safe: red and blue stay apart under protanopia and deuteranopia, unlike the
# red–green scales. Always used with zmid / cmid = 0 so white means exactly 0.
DIVERGING: list[list] = [
    [0.0, "rgb(5,48,97)"],
    [0.1, "rgb(33,102,172)"],
    [0.2, "rgb(67,147,195)"],
    [0.3, "rgb(146,197,222)"],
    [0.4, "rgb(209,229,240)"],
    [0.5, "rgb(247,247,247)"],
    [0.6, "rgb(253,219,199)"],
    [0.7, "rgb(244,165,130)"],
    [0.8, "rgb(214,96,77)"],
    [0.9, "rgb(178,24,43)"],
    [1.0, "rgb(103,0,31)"],
]

# The dark theme's diverging scale: Crameri's "berlin" (blue, near-black 0, red), made for dark
# pages and colour-blind friendly. On a dark page RdBu's white 0 glared: a 64 × 32 Jacobian, mostly
# ~0, was a white sheet ruled in black, and an all-0 difference panel a white block. Here the
# brighter a cell, the larger its size, as the light scale's the darker. ``themed`` swaps it in.
DIVERGING_DARK: list[list] = [
    [0.0, "rgb(158,176,255)"],
    [0.1, "rgb(96,165,223)"],
    [0.2, "rgb(50,128,166)"],
    [0.3, "rgb(32,82,106)"],
    [0.4, "rgb(17,39,50)"],
    [0.5, "rgb(25,12,9)"],
    [0.6, "rgb(55,16,0)"],
    [0.7, "rgb(95,31,10)"],
    [0.8, "rgb(150,74,54)"],
    [0.9, "rgb(202,123,113)"],
    [1.0, "rgb(255,173,173)"],
]

# A flat mid grey for structural zeros: clearly darker than the scale's near-white 0, so a
# cell that is 0 by structure never looks like a cell whose value happens to be 0 (on a dark
# page a darker grey, clearly lighter than that scale's near-black 0).
STRUCTURAL_ZERO = "rgb(190,190,190)"
STRUCTURAL_ZERO_DARK = "rgb(78,78,78)"

# Okabe–Ito colours (colour-blind safe): ordinary bars / the highlighted one.
BAR_COLOR = "#0072B2"
SELECTED_COLOR = "#E69F00"
HIGHLIGHT_COLOR = "#000000"


@dataclass(frozen=True)
class Palette:
    """Colours that follow the page's theme: text, grid, outlines ("ink") and the page behind the chart.

    Charts have a transparent background, so their text sits on the page's own colour: Streamlit's
    white (light) or near-black (dark). ``text`` on ``page`` is ≥ 12:1 in both, above the 7:1 a
    projector needs.
    """

    name: str
    page: str
    text: str
    grid: str
    ink: str  # outlines, separators, zero lines, lines that were black on white
    soft_ink: str  # many thin separators


# Streamlit 1.6x's own page and body-text colours (its light and dark themes): the browser test
# of every context checks that the page behind the charts is this colour.
LIGHT = Palette(
    "light", page="#ffffff", text="#2f2d2b", grid="rgba(47,45,43,0.16)", ink="#000000", soft_ink="rgba(0,0,0,0.4)"
)
DARK = Palette(
    "dark",
    page="#171614",
    text="#edebe8",
    grid="rgba(237,235,232,0.18)",
    ink="#ffffff",
    soft_ink="rgba(255,255,255,0.45)",
)
THEMES = {"light": LIGHT, "dark": DARK}
TRANSPARENT = "rgba(0,0,0,0)"


def palette(theme: str | Palette = "light") -> Palette:
    """The colour set of ``theme`` ("light" or "dark"); a Palette passes through."""
    if isinstance(theme, Palette):
        return theme
    if theme not in THEMES:
        raise ValueError(f"theme must be one of {sorted(THEMES)}, got {theme!r}")
    return THEMES[theme]


# Above this many cells per heatmap, per-cell hover strings and cell text are dropped in
# favour of a hovertemplate over %{x} %{y} %{z}: at (n, K) = (64, 32) a panel has 65,536
# cells, and ~120-byte strings per cell would make megabytes of JSON.
HOVER_CELL_LIMIT = 3000

# A (K, K·n) weight heatmap (dz/dW, dp/dW): up to this many rows (columns), a 1 px gap of the page's
# colour separates neighbours; beyond, the gaps would eat the cells.
ROW_GAPS_MAX, COLUMN_GAPS_MAX = 40, 200


def weight_grid_gaps(rows: int, cols: int) -> dict:
    """Plotly's xgap/ygap (px) of a (K, K·n) weight heatmap of ``rows`` × ``cols`` cells."""
    return {"xgap": int(cols <= COLUMN_GAPS_MAX), "ygap": int(rows <= ROW_GAPS_MAX)}


def symmetric_limit(*arrays) -> float:
    """max |value| over all arrays, for a colour range [−limit, limit] centred at 0; never 0."""
    finite = [np.abs(np.asarray(a, dtype=float)) for a in arrays if np.size(a)]
    finite = [a[np.isfinite(a)] for a in finite]
    m = max((float(a.max()) for a in finite if a.size), default=0.0)
    return m if m > 0 else 1.0


# ---------------------------------------------------------------- room for labels
# A figure does not know its pixel width (Streamlit stretches it to its container), so labels
# across the width are planned for the narrowest screen the figure is drawn on: a 390 px phone
# leaves a chart ~358 px, ~324 px inside an expander (the Presenter path's and the Loss page's
# Reveal; measured), a desktop more (DESKTOP_FIGURE_WIDTH); large type means classroom mode,
# projected at ≥ 1280 px.
NARROWEST_FIGURE_WIDTH = 320
NARROWEST_PROJECTED_WIDTH = 1200
LARGE_FONT = 20  # font sizes from here up are classroom mode's (ui.classroom.FONT_LARGE is 24)
# Along its axis a one-line label takes its line height, ~1.33 × its font in Chromium (measured);
# 1.5 × font between neighbours leaves a visible gap. Across, a label is as wide as ``text_width``
# measures it; LABEL_GAP × font keeps neighbours apart (about a wide character).
TICK_PITCH = 1.5
LABEL_GAP = 0.6
MIN_PLOT_ROWS = 8
CELL_TEXT_SCALE = 0.8  # cell numbers are drawn at about 0.75–0.85 × the figure's font
COLORBAR_ROOM = 3.5  # × font: a colour bar with its ticks, right of the plot (Plotly pushes the margin)


# A desktop browser's chart is at least ~560 px wide (a 1024 px window with the sidebar open, the
# Jacobian's three-quarter column): planning a desktop figure for a phone wrapped its titles into
# columns and dropped two thirds of the blog's weight labels.
DESKTOP_FIGURE_WIDTH = 560
_PLANNED_WIDTH: ContextVar[int] = ContextVar("planned_width", default=NARROWEST_FIGURE_WIDTH)


@contextmanager
def planned_for(width: int):
    """Figures built inside plan their labels for a narrowest width of ``width`` px (see ``ui.section``).

    Outside, figures are planned for a phone, the narrowest screen there is.
    """
    token = _PLANNED_WIDTH.set(int(width))
    try:
        yield
    finally:
        _PLANNED_WIDTH.reset(token)


def narrowest_width(font_size: int) -> int:
    """The narrowest figure width (px) a figure of this font is drawn at: the device's, or a projector."""
    return NARROWEST_PROJECTED_WIDTH if font_size >= LARGE_FONT else _PLANNED_WIDTH.get()


def narrowest_plot_width(layout: dict, font_size: int, colorbar: bool = True) -> float:
    """The plotting area's width (px) at the narrowest figure width: minus ``layout``'s margins and a colour bar."""
    margin = layout["margin"]
    room = COLORBAR_ROOM * font_size if colorbar else 0
    return max(1.0, narrowest_width(font_size) - margin["l"] - margin["r"] - room)


def plot_height(layout: dict, fraction: float = 1.0) -> float:
    """The plotting area's height (px) of ``layout`` (a dict or a Figure's layout, with ``height`` and
    ``margin``), times a domain ``fraction``."""
    margin = layout["margin"]
    return max(1.0, (layout["height"] - margin["t"] - margin["b"]) * fraction)


def room_for_rows(layout: dict, rows: int, font_size: int, fraction: float = 1.0, cap: int = 1500) -> dict:
    """``layout`` made tall enough (up to ``cap`` px) that ``rows`` rows in a plot ``fraction`` of its
    height each get a label's pitch; a taller height stays. Changes and returns ``layout``.

    Beyond the cap the rows' labels are thinned (``fitting_ticks``), never squeezed onto each other.
    """
    margin = layout["margin"]
    # At least MIN_PLOT_ROWS rows' worth: a colour bar beside a short plot would crowd its own ticks.
    needed = margin["t"] + margin["b"] + max(rows, MIN_PLOT_ROWS) * TICK_PITCH * font_size / fraction
    layout["height"] = max(layout.get("height") or 0, min(int(cap * max(1.0, font_size / 14)), math.ceil(needed)))
    return layout


def fitting_ticks(count: int, length_px: float, font_size: int, extent: float = TICK_PITCH) -> list[int]:
    """Positions 0..count−1, evenly thinned so that labels ``extent`` × ``font_size`` px long fit in ``length_px``.

    The positions sit ``step × length_px / count`` px apart, never less than ``extent × font_size``:
    one-line labels (y axis, or x labels rotated −90°) with the default extent, horizontal labels
    with ``extent = label_extent(labels)``.
    """
    fit = max(1, int(length_px // (extent * font_size)))
    return tick_values(count, fit)


def decade_step(values, length_px: float, font_size: int, extent: float = TICK_PITCH) -> int:
    """Powers of ten between labels of a log axis over the positive ``values``, ``length_px`` long:
    1 (every decade) when labels ``extent`` × font apart fit, else every 2nd, 3rd, ...

    A gradient norm from 10⁻¹³ to 10 gave fifteen decade labels on top of each other. Labels
    written 10ⁿ stand taller than a text line (the raised exponent): give them a larger ``extent``.
    """
    v = np.asarray(values, dtype=float).ravel()
    v = v[np.isfinite(v) & (v > 0)]
    decades = math.log10(v.max() / v.min()) + 1 if v.size else 1.0  # + 1: Plotly's padding, about
    per_decade = max(1.0, length_px) / decades
    return max(1, math.ceil(extent * font_size / per_decade - 1e-9))


def power_ticks(values, step: int = 1) -> dict:
    """A log axis's ticks over the positive ``values``: every ``step``-th power of ten, written
    "10⁻²" in Unicode (keys for the axis: tickmode, tickvals, ticktext).

    Plotly's own "power" labels set "10" at 1.25 × the tick font with a raised exponent: beside a
    linear axis's 12 px labels they stood at 15 px, and ran into the plot next to them.
    """
    v = np.asarray(values, dtype=float).ravel()
    v = v[np.isfinite(v) & (v > 0)]
    lo, hi = (math.floor(math.log10(v.min())), math.ceil(math.log10(v.max()))) if v.size else (0, 0)
    powers = [k for k in range(lo, hi + 1) if k % step == 0] or [lo]
    text = ["1" if k == 0 else "10" if k == 1 else "10" + sup(k) for k in powers]
    return {"tickmode": "array", "tickvals": [10.0**k for k in powers], "ticktext": text}


def label_extent(labels: list[str]) -> float:
    """Width of the widest horizontal label in units of its font size (``text_width``), plus LABEL_GAP."""
    return max((text_width(s, 1) for s in labels), default=0.0) + LABEL_GAP


def weight_ticks(labels: list[str], block: int, length_px: float, font_size: int) -> list[str]:
    """Tick labels (drawn rotated −90°) of a weight axis that fit in ``length_px``: every label when
    they fit, else a step that keeps whole blocks of ``block`` columns (block starts), then fewer blocks.
    """
    count = len(labels)
    step = max(1, math.ceil(count / max(1, int(length_px // (TICK_PITCH * font_size)))))
    if step == 1:
        return list(labels)
    if step <= block:  # the smallest divisor of the block at least as wide as the step: ticks in step with blocks
        step = next(d for d in range(step, block + 1) if block % d == 0)
        return labels[::step]
    starts = list(range(0, count, block))
    keep = tick_values(len(starts), max(1, math.floor(len(starts) * block / step)))
    return [labels[starts[b]] for b in keep]


def weight_axis(layout: dict, labels: list[str], block: int, font_size: int, title: str) -> dict:
    """An x axis of weight labels (``weight_ticks``, rotated −90°) with its title below them.

    Rotated labels hang below the axis and Plotly sets the title a ``standoff`` below them: the
    bottom margin grows by their length, or the title would fall off the figure or onto them.
    Changes ``layout``'s margin; returns the axis dict.
    """
    ticks = weight_ticks(labels, block, narrowest_plot_width(layout, font_size), font_size)
    hang = max((text_width(t, font_size) for t in ticks), default=0.0)
    standoff = max(4, font_size // 3)
    needed = math.ceil(hang + standoff + 1.5 * font_size + 4)  # labels, gap, title line, a little air
    layout["margin"]["b"] = max(layout["margin"]["b"], needed)
    column = {label: c for c, label in enumerate(labels)}
    return {
        "tickmode": "array",
        # Column positions: they place a label on a numeric axis and on a category axis alike.
        "tickvals": [column[t] for t in ticks],
        "ticktext": ticks,
        "tickangle": -90,
        "showgrid": False,
        "zeroline": False,  # a numeric axis would draw it through column 0
        "title": {"text": title, "standoff": standoff},
    }


def weight_columns(
    layout: dict, cols: list[str], n: int, K: int, order: str, font_size: int, theme: str = "light"
) -> tuple[dict, list[dict], list[dict]]:
    """The x axis and block guides of a (K, K·n) heatmap with one column per weight, in ``order``.

    ``cols``: the column labels in that order; class blocks of n (class-major) or input groups of K
    (input-major). Grows ``layout`` for the rotated labels and for K rows (``room_for_rows``).
    Returns (xaxis, shapes, annotations).
    """
    size, count, what = (n, K, "class") if order == "class_major" else (K, n, "input")
    axis = weight_axis(layout, cols, size, font_size, "weight W[j,k]")  # grows the bottom margin: first
    room_for_rows(layout, K, font_size)  # the page's height is a floor: each row gets room for its label
    shapes, annotations = block_guides(count, size, K, what, font_size, narrowest_plot_width(layout, font_size), theme)
    return axis, shapes, annotations


def wrap_text(text: str, font_size: float, width_px: float) -> str:
    """``text`` broken with <br> at spaces into lines at most ``width_px`` wide at ``font_size``.

    As few lines as fit, made as even as they can be (the narrowest width that needs no more
    lines): filled greedily, a subtitle drawn wider than it was planned for left one word on a
    line of its own. Existing <br> breaks stay; a single word longer than a line stays whole.
    """
    return "<br>".join(_balanced(part, font_size, width_px) for part in text.split("<br>"))


def _balanced(part: str, font_size: float, width_px: float) -> str:
    words = [word for word in part.split(" ") if word]  # runs of spaces are one; no-break spaces hold
    if not words:
        return part
    widths = [text_width(word, font_size) for word in words]
    space = text_width(" ", font_size)

    def fill(width: float) -> list[list[str]]:
        lines, used = [[words[0]]], widths[0]
        for word, w in zip(words[1:], widths[1:], strict=True):
            if used + space + w <= width:
                lines[-1].append(word)
                used += space + w
            else:
                lines.append([word])
                used = w
        return lines

    lines = fill(width_px)
    if len(lines) > 1:
        # The fewest lines need at least the widest word; one wider than a line stands alone.
        low, high = min(max(widths), width_px), width_px
        for _ in range(12):  # to within width_px / 4096: well under a character
            mid = (low + high) / 2
            low, high = (low, mid) if len(fill(mid)) <= len(lines) else (mid, high)
        lines = fill(high)
    return "<br>".join(" ".join(line) for line in lines)


def panel_title(text: str, top: float, font_size: int, lift: float = 2) -> dict:
    """A bold title over a stacked panel whose domain ends at paper height ``top``, ``lift`` px above it."""
    return {
        "text": f"<b>{text}</b>",
        "xref": "paper",
        "yref": "paper",
        "x": 0.0,
        "xanchor": "left",
        "align": "left",  # a wrapped title's lines, too
        "y": top,
        "yanchor": "bottom",
        "yshift": lift,
        "showarrow": False,
        "font": {"size": font_size},
    }


def block_guides(
    blocks: int,
    size: int,
    rows: int,
    what: str,
    font_size: int,
    width_px: float,
    theme: str = "light",
    axis: str = "",
    top: float = 1.0,
) -> tuple[list[dict], list[dict]]:
    """Separators and labels of a wide heatmap whose columns come in ``blocks`` blocks of ``size``.

    Returns (shapes, annotations): lines between neighbouring blocks across the ``rows`` rows of
    axes x{axis}/y{axis}, drawn as one path (``grid_lines``), and a label above each block at paper
    height ``top`` ("class 2"): bare numbers with one "{what}" in the left margin when the full labels
    would not fit ``width_px`` (the plot's narrowest width), thinned when even those don't.
    """
    shapes = grid_lines(
        [b * size - 0.5 for b in range(1, blocks)],
        (-0.5, rows - 0.5),
        separator_line(blocks, theme),
        axis=axis,
        name="block separators",
    )
    full = [f"{what} {b}" for b in range(blocks)]
    short = len(fitting_ticks(blocks, width_px, font_size, label_extent(full))) < blocks
    texts = [str(b) for b in range(blocks)] if short else full
    above = {
        "xref": f"x{axis}",
        "y": top,
        "yref": "paper",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": font_size},
    }
    annotations = [
        {"text": texts[b], "x": b * size + (size - 1) / 2, **above}
        for b in fitting_ticks(blocks, width_px, font_size, label_extent(texts))
    ]
    if short:
        # Up and left a little: it sits over the row labels, whose first can reach above a thin top
        # row, and by the first block's label, which many narrow blocks put at the plot's left edge.
        off = round(LABEL_OFFSET * font_size)
        annotations.append(
            {**above, "text": what, "x": 0, "xref": "paper", "xanchor": "right", "xshift": -off, "yshift": off}
        )
    return shapes, annotations


def grid_lines(
    at: list[float], span: tuple[float, float], line: dict, *, vertical: bool = True, axis: str = "", **extra
) -> list[dict]:
    """Lines at data positions ``at`` (x if ``vertical``, else y) across ``span`` of the other axis,
    on axes x{axis}/y{axis}, as one path shape (a list of none or one).

    One SVG path, not a shape per line: 31 separators at 64 × 32 were 31 dicts of ~150 bytes sent on
    every move and 31 elements Plotly lays out again on each redraw. On a category axis a path's
    numbers are category positions, as a line's x0 is.
    """
    lo, hi = span
    if vertical:
        path = "".join(f"M{v:g},{lo:g}V{hi:g}" for v in at)
    else:
        path = "".join(f"M{lo:g},{v:g}H{hi:g}" for v in at)
    return _path_shape(path, line, axis, **extra)


def _path_shape(path: str, line: dict, axis: str, **extra) -> list[dict]:
    """``[]`` for an empty path, else the one path shape on axes x{axis}/y{axis}, over the traces."""
    if not path:
        return []
    return [{"type": "path", "path": path, "xref": f"x{axis}", "yref": f"y{axis}", "line": line} | extra]


def tick_values(count: int, max_ticks: int = 16) -> list[int]:
    """Positions 0..count−1 thinned to at most ``max_ticks`` evenly stepped ticks."""
    if count <= 0:
        return []
    if max_ticks < 1:
        raise ValueError(f"max_ticks must be at least 1, got {max_ticks}")
    step = max(1, math.ceil(count / max_ticks))
    return list(range(0, count, step))


def compact_floats(M) -> np.ndarray:
    """``M`` as float32 (half the bytes on the wire) where float32 holds every value to the 3–4 digits
    a colour or a hover shows; as float64 where a value would leave its range (|v| < 1e-37 flushes to
    0, and a saturated softmax gives 1e-68; |v| > 1e37 would become infinite). NaN (a gap) stays."""
    M = np.asarray(M, dtype=float)
    magnitudes = np.abs(M[np.isfinite(M) & (M != 0)])
    if magnitudes.size and (magnitudes.min() < 1e-37 or magnitudes.max() > 1e37):
        return M
    return M.astype(np.float32)


CELL_TEXT_LIMIT = 200  # cells: above it a heatmap's cells are too many to carry their numbers


def cell_font(font_size: int, scale: float = CELL_TEXT_SCALE) -> int:
    """The size (px) of the numbers in a heatmap's cells: ``scale`` × the figure's ``font_size``, at least 8."""
    return max(8, round(font_size * scale))


CELL_PAD = 4  # px a cell keeps clear around its number


def cell_need(texts, size: float) -> float:
    """px a heatmap column needs to show the widest of ``texts`` (any nesting) drawn at ``size``:
    its measured width (``text_width``: "<b>0.154</b>" counts as 0.154) and ``CELL_PAD``; 0 when all
    are empty."""
    widest = max((text_width(str(t), size) for t in np.asarray(texts, dtype=object).ravel()), default=0.0)
    return widest + CELL_PAD if widest else 0.0


def cell_numbers(
    rows: int,
    cols: int,
    texts: Callable[[], Any],
    text_size: float,
    font_size: int,
    limit: int = CELL_TEXT_LIMIT,
    fewer: Callable[[], Any] | None = None,
):
    """The numbers ``texts()`` (rows × cols strings) to print in a heatmap's cells at ``text_size``,
    or None where they would not fit: more cells than ``limit``, or, where figures are planned for a
    phone, a column narrower than the widest number needs (``cell_need``). There ``fewer()``, the
    same numbers to fewer digits, is tried before giving up.

    On a desktop the cells of the small layers that get text are wide enough; on a phone a
    5-column Jacobian's "−0.0442" ran into its neighbours, and its "−0.044" fits. A projector's
    numbers are drawn only where the chart is wide enough for them (``ui.section``); where the full
    ones do not fit the narrowest projector, ``fewer()`` is sent, since it fits more of them
    (classroom dp/dW at 3 × 5 needed 1,802 px, more than a 1920 px screen's chart; to two digits
    1,604). ``texts`` is called only for a heatmap with few enough cells.
    """
    if rows * cols > limit:
        return None
    made = texts()
    projected = font_size >= LARGE_FONT
    if projected:  # no text is drawn smaller than the figure's font there (``classroom.large_axes``)
        text_size = max(text_size, font_size)
    if narrowest_width(font_size) > NARROWEST_FIGURE_WIDTH and not (projected and fewer is not None):
        return made
    # base_layout's margins; a phone's colour bar lies under the plot (``flat_bars``), not beside it
    plot = narrowest_plot_width({"margin": side_margins(font_size)}, font_size, colorbar=not flat_bars(font_size))
    if plot / cols >= cell_need(made, text_size):
        return made
    shorter = fewer() if fewer is not None else None  # made only where the full numbers do not fit
    if projected:
        return shorter
    return shorter if shorter is not None and plot / cols >= cell_need(shorter, text_size) else None


def matrix_numbers(M, text_size: float, font_size: int, limit: int = CELL_TEXT_LIMIT):
    """``cell_numbers`` for the entries of the 2-D array ``M``, written by ``fmt_cells`` to three
    significant digits, or to two where three do not fit."""
    rows, cols = np.shape(M)
    return cell_numbers(
        rows,
        cols,
        lambda: fmt_cells(M, zeros=True),
        text_size,
        font_size,
        limit,
        fewer=lambda: fmt_cells(M, 2, zeros=True),
    )


def cell_text_width(spec: dict) -> int | None:
    """The narrowest figure width (px) at which every heatmap's cell numbers fit their cells; None if
    no heatmap writes numbers in its cells.

    ``spec``: the figure as dicts ({"data": [...], "layout": {...}}, as ``ui.section`` sends it). A
    column needs ``cell_need`` of its numbers; the plot is the figure less
    its side margins and, where a colour bar stands beside it, ``COLORBAR_ROOM``. At a desktop's
    planned 560 px dp/dW's 15 columns are 27 px each, and its "−0.00389" needs 46 (in 10 px type):
    the numbers are sent, and the browser shows them only where the chart is this wide (``ui.section``).
    """
    layout = spec["layout"]
    font = layout["font"]["size"]
    needed, bars = [], []
    for trace in spec["data"]:
        if trace.get("type") != "heatmap":
            continue
        if trace.get("showscale", True) and "coloraxis" not in trace:
            bars.append(trace.get("colorbar", {}))
        text = trace.get("text")
        if text is None or not trace.get("texttemplate"):
            continue
        text = np.asarray(text, dtype=object)
        need = cell_need(text, trace.get("textfont", {}).get("size", font))
        if need:
            needed.append(text.shape[-1] * need)
    if not needed:
        return None
    bars += [axis.get("colorbar", {}) for key, axis in layout.items() if key.startswith("coloraxis")]
    beside = any(bar.get("orientation") != "h" for bar in bars)
    margin = layout["margin"]
    return math.ceil(margin["l"] + margin["r"] + (COLORBAR_ROOM * font if beside else 0) + max(needed))


# A cell's row and column in a hover, on numeric axes: as numbers. Plain %{y} gives the tick's
# label where the row has one ("p₃") and the number where it has none.
ROW, COLUMN = "%{y:d}", "%{x:d}"


def cell_fields(*columns) -> np.ndarray:
    """Per-cell hover fields: the ``columns`` (arrays or nested lists, broadcast to one shape S) as a
    (*S, len(columns)) object array, a hover template's %{customdata[k]}. Whole numbers stay JSON
    numbers, strings stay strings."""
    return np.stack(np.broadcast_arrays(*(np.asarray(c, dtype=object) for c in columns)), axis=-1)


def row_axis(labels: list[str], height_px: float, font_size: int, title: str, points: bool = False) -> dict:
    """A y axis of heatmap rows at numeric positions 0…len(labels) − 1, row 0 on top, labelled with
    ``labels`` thinned to fit ``height_px``. ``points``: invisible click points share the axis, for
    which Plotly's autorange pads it; the range is then set to end where the cells do."""
    rows = len(labels)
    shown = fitting_ticks(rows, height_px, font_size)
    extent = {"range": [rows - 0.5, -0.5], "autorange": False} if points else {"autorange": "reversed"}
    return {
        **extent,
        "showgrid": False,
        "zeroline": False,  # numeric: it would cross row 0
        "tickmode": "array",
        "tickvals": shown,
        "ticktext": [labels[r] for r in shown],
        "title": {"text": title},
    }


def positions(values) -> np.ndarray:
    """Whole-number positions (cell rows or columns) in the smallest unsigned type, 1 byte each up to
    255: a click layer's coordinates, sent on every move."""
    values = np.asarray(values)
    return values.astype(np.uint8 if values.max(initial=0) < 256 else np.uint16)


def per_cell_hover(rows: int, cols: int) -> bool:
    """Whether a heatmap of this size gets a full hover string per cell (see HOVER_CELL_LIMIT)."""
    return rows * cols <= HOVER_CELL_LIMIT


def cell_rect(
    row: int,
    col: int,
    *,
    xref: str = "x",
    yref: str = "y",
    color: str = HIGHLIGHT_COLOR,
    width: float = 4,
    dash: str = "solid",
    name: str = "selected",
) -> dict:
    """Layout shape (a plain dict) outlining heatmap cell (row, col) on axes (xref, yref).

    Cells sit at integer positions (category index), so the cell spans ±0.5 around them. Plotly's
    defaults are left out (no fill, drawn above the data, a solid line): shapes are sent on every move.
    """
    return {
        "type": "rect",
        "xref": xref,
        "yref": yref,
        "x0": col - 0.5,
        "x1": col + 0.5,
        "y0": row - 0.5,
        "y1": row + 0.5,
        "line": {"color": color, "width": width} | ({} if dash == "solid" else {"dash": dash}),
        "name": name,
    }


def cell_outlines(cells, *, color: str, width: float, dash: str = "solid", name: str, axis: str = "") -> list[dict]:
    """One path shape (a list of none or one) outlining each heatmap cell (row, col) of ``cells``,
    as ``cell_rect`` outlines one: one SVG element and ~40 bytes a cell, not a shape of ~170 each."""
    path = "".join(f"M{c - 0.5:g},{r - 0.5:g}H{c + 0.5:g}V{r + 0.5:g}H{c - 0.5:g}Z" for r, c in cells)
    return _path_shape(path, {"color": color, "width": width, "dash": dash}, axis, name=name)


# ---------------------------------------------------------------- click targets
# Streamlit reports no clicks on heatmap cells (only on points), so an invisible point sits on each
# cell (or block) and carries the click and the hover.


def click_targets(x, y, *, name: str, hovertemplate: str, customdata=None, axis: str = "") -> dict:
    """A trace of invisible points at (x, y) on axes x{axis}/y{axis}, each with its hover.

    Points in text mode with no text: nothing is drawn, yet Plotly hovers them and selects one on a
    click (Streamlit reports it), and with ``hoverdistance = -1`` it picks the nearest centre (its
    radius for a point without a marker is 0.5 px). Invisible square markers did the same at twice
    the cost: on each redraw Chromium styled one SVG path per cell, ~100 ms of the 64 × 32 block's
    ~130 ms (bench/bench_figures.py); and overlapping markers had to be sized to their cell.
    """
    trace = {
        "type": "scatter",
        "x": x,
        "y": y,
        "xaxis": f"x{axis}",
        "yaxis": f"y{axis}",
        "mode": "text",
        "text": "",
        "name": name,
        "showlegend": False,
        "hovertemplate": hovertemplate,
    }
    if customdata is not None:
        trace["customdata"] = customdata
    return trace


def clicked_index(point: dict, curves: tuple[int, ...], count: int) -> int | None:
    """The point number of a Streamlit selection ``point`` on one of the traces ``curves``, if below ``count``."""
    if point.get("curve_number") not in curves:
        return None
    index = point.get("point_index", point.get("point_number"))
    if not isinstance(index, int) or not 0 <= index < count:
        return None
    return index


SELECTION_WIDTH = 5  # px, the selected cell's outline


def selection_outline(
    row: int,
    col: int,
    *,
    xref: str = "x",
    yref: str = "y",
    theme: str = "light",
    cell_px: tuple[float, float] | None = None,
) -> list[dict]:
    """The selected cell's outline: a wide line in the theme's ink ("selected") with a thin core in
    the opposite colour on top, so one of the two stands out on any cell — a near-white cell on
    the dark page included, where a white outline alone would vanish.

    ``cell_px`` (width, height): the cell's size on screen, about. The outline is then drawn inside
    the cell by half its width (up to a quarter of the cell): Plotly cuts shapes at the plot's
    border, and on a 64 × 32 block's 9-px rows the top row's outline had lost its top edge.
    """
    colours = palette(theme)
    # Up to the next thousandth of a cell (below a pixel): each outline's corners are sent on every move.
    inset = [math.ceil(1000 * min(0.25, SELECTION_WIDTH / 2 / px)) / 1000 if px else 0.0 for px in (cell_px or (0, 0))]
    rects = [
        cell_rect(row, col, xref=xref, yref=yref, color=colours.ink, width=SELECTION_WIDTH),
        cell_rect(row, col, xref=xref, yref=yref, color=colours.page, width=1.5, name="selected core"),
    ]
    for rect in rects:
        rect.update(
            x0=rect["x0"] + inset[0], x1=rect["x1"] - inset[0], y0=rect["y0"] + inset[1], y1=rect["y1"] - inset[1]
        )
    return rects


def default_height(base: int, font_size: int, rows: int = 0, per_row: int = 0, cap: int = 1400) -> int:
    """A height that grows with the number of rows and with the font (classroom mode)."""
    scale = max(1.0, font_size / 14)
    return int(min(cap * scale, (base + rows * per_row) * scale))


def _template() -> go.layout.Template:
    """Plotly's default look without axis automargins.

    Automargin makes plotly.js measure every tick label and lay the figure out twice on each
    redraw; with fixed margins (``base_layout``) a slider move redraws the Explorer's four charts
    about 100 ms sooner in a browser without GPU.
    """
    template = go.layout.Template(pio.templates["plotly"])
    template.layout.xaxis.automargin = False
    template.layout.yaxis.automargin = False
    return template


# Registered as the process-wide default: Plotly applies its default template through a fast
# path, while a Template object passed in each layout is re-validated (~7 ms per figure).
pio.templates["softmax_explorer"] = _template()
pio.templates.default = "softmax_explorer"


# Plotly checks every property of a figure as it is built, which was the largest part of a slider
# move's server time. The figure builders are checked in the tests (tests/conftest.py sets this),
# and build without the checks in the app.
VALIDATE = False


class FigureSpec:
    """A figure as the JSON Plotly draws: trace dicts (each with its ``"type"``) and a layout dict.

    What ``make_figure`` returns in the app. Building a ``go.Figure``, even unchecked, copies every
    dict and fills in the template: about a fifth of a slider move's server time. ``ui.section``
    sends the dicts as they are; ``to_figure`` makes the Figure when one is needed (an export).
    """

    __slots__ = ("data", "layout", "frames")

    def __init__(self, data: list[dict], layout: dict, frames: list[dict] | None = None):
        self.data = data
        self.layout = layout
        self.frames = frames or []  # an animation's frames: {"data": [trace dicts], "name": …}

    def to_dict(self) -> dict:
        return {"data": self.data, "layout": self.layout} | ({"frames": self.frames} if self.frames else {})

    def to_figure(self) -> go.Figure:
        return go.Figure(self.to_dict())


Fig = go.Figure | FigureSpec  # what a figure builder returns


def make_figure(data: list[dict], layout: dict, frames: list[dict] | None = None) -> Fig:
    """The figure of trace dicts (each with its ``"type"``) and a layout dict (and an animation's
    ``frames``: {"data": [trace dicts], "name": …}).

    A ``go.Figure``, every property checked by Plotly, when ``VALIDATE`` (the tests); else the
    same dicts unchecked as a ``FigureSpec`` (the app). ``tests/ui/test_section.py`` pins that both
    reach the browser as the same JSON.
    """
    spec = FigureSpec(data, layout, frames)
    return spec.to_figure() if VALIDATE else spec


def side_margins(font_size: int) -> dict:
    """``base_layout``'s left and right margins (px): room for row labels and a little air."""
    return {"l": 10 + 4 * font_size, "r": 10 + 2 * font_size}


# The title block as plotly.js draws base_layout's title (measured in Chromium, the app's font),
# in units of the title's font F and the subtitle's S: a title line's box is 1.3 F high and ends
# 1.0 F below the title's pad; the subtitle's first line ends 2.6 S below the title; each further
# line adds 1.3 of its font. Plotly lifts a title, or a subtitle, of several lines by 0.7 of its font.
TITLE_PAD = 12  # px above the title
LINE = 1.3  # a line's height, × its font
MULTILINE_LIFT = 0.7
TITLE_GAP = 1.2  # × font: between the title block and the plot, or what the figure draws above it


def lines_above(lines: int) -> float:
    """Room (× font) over a plot for ``lines`` lines of text (panels' titles) and a little air."""
    return LINE * lines + 0.2


ABOVE_LINE = lines_above(1)  # one line: a panel's title, a plot's name
LABEL_OFFSET = 0.4  # × font: block_guides' lone "class" set up and left, off the first labels
BLOCK_LABELS = ABOVE_LINE + LABEL_OFFSET  # block_guides' labels over a plot
TOP_AXIS = 4.5  # × font: room over a plot for an axis on top, its tick labels and title
PLANNED_TOP = (50, 5)  # px + × font: the top margin the figure heights given to base_layout are planned with


def planned_top(font_size: int, title_lines: int = 1, subtitle_lines: int = 0) -> int:
    """The top margin (px) a planned ``height`` counts on, its plot being ``height`` minus this and the
    bottom margin: ``PLANNED_TOP``, and a line's height for each further line of title or subtitle."""
    big, small = title_sizes(font_size)
    further = (title_lines - 1) * big + max(0, subtitle_lines - 1) * small
    return round(PLANNED_TOP[0] + PLANNED_TOP[1] * font_size + LINE * further)


def title_sizes(font_size: int) -> tuple[int, int]:
    """The title's and the subtitle's font size (px) for the figure's ``font_size``."""
    return round(font_size * 1.15), round(font_size * 0.9)


def title_block_height(font_size: int, title_lines: int, subtitle_lines: int = 0) -> float:
    """px from a figure's top to the bottom of its title block (``base_layout``'s title and subtitle)."""
    big, small = title_sizes(font_size)
    bottom = TITLE_PAD + big + (title_lines - 1) * LINE * big
    if subtitle_lines:
        bottom += 2 * LINE * small + (subtitle_lines - 1) * LINE * small
        bottom -= MULTILINE_LIFT * small if subtitle_lines > 1 else 0
    return bottom


def base_layout(
    *,
    title: str,
    font_size: int = 14,
    height: int | None = None,
    subtitle: str | None = None,
    theme: str = "light",
    above: float = 0,
) -> dict:
    """Layout dict: title, fonts (text, ticks, hover labels all from ``font_size``), height, margins.

    The top margin holds the title block, a gap, and ``above`` × font for what the figure draws
    above its plot (subplot titles, class labels, a top axis). ``height`` is the figure's height
    planned with the top margin of ``planned_top``: the plot keeps the height planned, and the figure
    is drawn shorter (or taller) by what its title block and ``above`` leave (or need).

    The background is transparent (the page's own colour shows through, light or dark) and the
    text takes ``theme``'s colour.

    Builders add their axes to this dict and pass it to ``make_figure``: ``update_*`` calls on a
    Figure cost tens of milliseconds in Plotly's validation.
    """
    if isinstance(font_size, bool) or not isinstance(font_size, (int, np.integer)) or font_size < 6:
        raise ValueError(f"font_size must be a whole number ≥ 6, got {font_size!r}")
    if height is not None and (
        isinstance(height, bool)
        or not isinstance(height, (int, float, np.number))
        or not np.isfinite(height)
        or height < 100
    ):
        raise ValueError(f"height must be None or a number of pixels ≥ 100, got {height!r}")
    colours = palette(theme)
    big, small = title_sizes(font_size)
    # Titles start at the figure's left edge, in line with the page's headings and text (at the
    # plot's edge, after the row labels' margin, a phone's titles wrapped to 3-4 lines), and are
    # wrapped to the narrowest width they are drawn at: Plotly does not wrap, and a long title or
    # subtitle would run off the chart. A font size of air stays on the right.
    sides = side_margins(font_size)
    room = narrowest_width(font_size) - font_size
    title = wrap_text(title, big, room)
    subtitle = wrap_text(subtitle, small, room) if subtitle else subtitle
    lines = title.count("<br>") + 1
    t = {
        "text": title,
        "font": {"size": big, "color": colours.text},
        "x": 0.0,
        "xref": "container",
        "xanchor": "left",
        # Pinned to the top: by default Plotly centres the title in the top margin, so a margin
        # grown for wrapped lines would push a long title down onto the plot.
        "y": 1.0,
        "yref": "container",
        "yanchor": "top",
        # Plotly lifts a title of several lines by 0.7 of its font, past the figure's top edge.
        "pad": {"t": round(TITLE_PAD + (MULTILINE_LIFT * big if lines > 1 else 0))},
    }
    if subtitle:
        t["subtitle"] = {"text": subtitle, "font": {"size": small, "color": colours.text}}
    sub_lines = subtitle.count("<br>") + 1 if subtitle else 0
    block = title_block_height(font_size, lines, sub_lines)
    top = math.ceil(block + (TITLE_GAP + above) * font_size)
    layout = {
        "title": t,
        "font": {"size": font_size, "color": colours.text},
        "hoverlabel": {"font": {"size": font_size}, "align": "left"},
        "margin": {**sides, "t": top, "b": 10 + 4 * font_size},
        "paper_bgcolor": TRANSPARENT,
        "plot_bgcolor": TRANSPARENT,
    }
    if height is not None:
        layout["height"] = int(height) - planned_top(font_size, lines, sub_lines) + top
    return layout


def colorbar(title: str, font_size: int, side: str | None = None, **extra) -> dict:
    """A titled colour bar whose title and ticks follow ``font_size``; ``side="right"`` runs the title
    beside the bar (above it, a narrow screen's subtitle would run into it)."""
    bar = {"title": {"text": title, "font": {"size": font_size}}, "tickfont": {"size": font_size}, **extra}
    if side is not None:
        bar["title"]["side"] = side
    return bar


# × font: a horizontal colour bar with its title above and its ticks below (a phone), and the gap
# above its title: right under the axis title, "∂p_t/∂W[j,k]" read as the second line of "weight W[j,k]".
FLAT_BAR_ROOM = 5.2
FLAT_BAR_GAP = 0.8


def planned_for_phone(font_size: int) -> bool:
    """Whether figures of this font are planned narrower than a desktop's: for a phone (``planned_for``)."""
    return narrowest_width(font_size) < DESKTOP_FIGURE_WIDTH


def flat_bars(font_size: int) -> bool:
    """Whether colour bars lie flat, across their plots: on a phone."""
    return planned_for_phone(font_size)


def flat_bar_room(layout: dict, font_size: int) -> tuple[int, int]:
    """(bar_room, axis_room) px: on a phone, room for a horizontal colour bar under the lowest axis.

    Beside a plot, a colour bar with its ticks and title took a quarter or more of a 324 px phone
    figure from the plot (dp/dW's cells ~5 px wide). Where figures are drawn narrower than a desktop
    this grows ``layout``'s bottom margin and height by ``bar_room``; elsewhere bar_room is 0.
    ``axis_room`` is the bottom margin before (the lowest axis's labels and title) and a gap of
    ``FLAT_BAR_GAP``: the bar goes under it (``flat_bar(-axis_room / plot height)``).
    """
    axis_room = layout["margin"]["b"]
    if not flat_bars(font_size):
        return 0, axis_room
    gap = round(FLAT_BAR_GAP * font_size)
    axis_room += gap
    bar_room = round(FLAT_BAR_ROOM * font_size) + gap
    layout["margin"]["b"] += bar_room
    layout["height"] += bar_room
    return bar_room, axis_room


def flat_bar(y: float, font_size: int) -> dict:
    """A horizontal colour bar's placement: across the plot, its top (title) at paper height ``y``."""
    thickness = max(10, round(0.8 * font_size))
    return dict(orientation="h", thickness=thickness, x=0.5, xanchor="center", len=1, ypad=2, y=y, yanchor="top")


def laid_flat(bar: dict, y: float, font_size: int) -> dict:
    """``bar`` (a ``colorbar`` dict) horizontal across the plot, its title above it, its top at paper height ``y``."""
    return {**bar, **flat_bar(y, font_size), "title": {**bar["title"], "side": "top"}}


def bar_under_axis(layout: dict, bar: dict, font_size: int) -> tuple[dict, bool]:
    """(``bar``, False) where figures are drawn at a desktop's width or wider; on a phone (``bar``
    moved under the lowest axis, horizontal, its title above it; True), ``layout`` grown for it.

    ``bar``: a ``colorbar`` dict. Call once the bottom margin holds the axis's labels and title.
    """
    bar_room, axis_room = flat_bar_room(layout, font_size)
    if not bar_room:
        return bar, False
    return laid_flat(bar, -axis_room / plot_height(layout), font_size), True


def separator_line(blocks: int, theme: str = "light") -> dict:
    """Line style between blocks of a wide heatmap: bold for a few blocks, faint for many.

    With 32 blocks of full-ink lines the separators outweigh the data they separate.
    """
    colours = palette(theme)
    if blocks <= 16:
        return {"color": colours.ink, "width": 1.5}
    return {"color": colours.soft_ink, "width": 0.75}


def figure_axes(spec: dict) -> list[dict]:
    """Every x/y axis dict of a figure dict, created where only a trace refers to it ("x2" → "xaxis2"),
    each with its ``title`` as a dict. Changes ``spec``; the dicts returned are its own, to write on.
    """
    layout = spec.setdefault("layout", {})
    names = {k for k in layout if k.startswith(("xaxis", "yaxis"))}
    for trace in spec.get("data", []):
        for letter in ("x", "y"):
            ref = trace.get(f"{letter}axis", letter)
            names.add(f"{letter}axis{ref[1:]}")
    axes = []
    for name in sorted(names):
        axis = layout.setdefault(name, {})
        title = axis.get("title") or {}
        axis["title"] = dict(title) if isinstance(title, dict) else {"text": title}
        axes.append(axis)
    return axes


# Streamlit's own chart theme (``st.plotly_chart(theme="streamlit")``), which the app draws without
# (``ui.section``): its page font, and its sizes in rem of the page's type (16 px, classroom mode's 22).
PAGE_FONT = '"Source Sans", sans-serif'
PAGE_REM_PX = 16.0


def streamlit_look(spec: dict, theme: str = "light", rem: float = PAGE_REM_PX) -> dict:
    """``spec`` as Streamlit's chart theme would draw it, written into the figure itself: what the
    figure leaves unset takes the theme's value (the page's font, 0.75 rem ticks, 0.875 rem axis
    titles, their standoffs, no x grid or zero line, a bold title, the margin's pad, a colour
    axis's bar, the legend's place). Changes ``spec``; returns it.

    Streamlit writes its theme into ``layout.template`` in the browser, and writes a new copy
    after every chart it mounts: Plotly redraws a figure whose template changed from scratch, so
    every chart a move changed was drawn twice. Without the template the second render finds
    nothing new (with ``layout.datarevision``, see ``ui.section.wire_spec``) and costs a few ms.
    """
    layout = spec.setdefault("layout", {})
    layout["font"] = {"family": PAGE_FONT, **layout.get("font", {})}
    label = layout.setdefault("hoverlabel", {})
    label["font"] = {"family": PAGE_FONT, **label.get("font", {})}
    layout["margin"] = {"pad": 0.5 * rem, **layout.get("margin", {})}
    title = layout.get("title")
    if isinstance(title, str):
        title = layout["title"] = {"text": title}
    if isinstance(title, dict) and title.get("text"):
        title["text"] = f"<b>{title['text']}</b>"
        title["pad"] = {"l": 0.25 * rem, **title.get("pad", {})}
    figure_axes(spec)  # every axis a trace uses is in the layout, its title a dict
    # Plotly gives the axes of a heatmap tick marks by default; the theme drew them faint.
    marked = {
        f"{letter}axis{trace.get(f'{letter}axis', letter)[1:]}"
        for trace in spec.get("data", [])
        if trace.get("type") in ("heatmap", "contour", "histogram2d")
        for letter in "xy"
    }
    for name, axis in layout.items():
        if not name.startswith(("xaxis", "yaxis")):
            continue
        across = name.startswith("x")
        axis["tickfont"] = {"size": 0.75 * rem, **axis.get("tickfont", {})}
        axis["title"]["font"] = {"size": 0.875 * rem, **axis["title"].get("font", {})}
        axis["title"].setdefault("standoff", (1.25 if across else 1.5) * rem)
        if axis.get("ticks") or (name in marked and axis.get("ticks") is None):
            axis.setdefault("tickcolor", palette(theme).grid)  # set alone, it would switch marks on
        if across:
            axis.setdefault("showgrid", False)
            axis.setdefault("zeroline", False)
    legend = layout.setdefault("legend", {})
    legend["font"] = {"size": 0.75 * rem, **legend.get("font", {})}
    legend.setdefault("valign", "top")
    legend.setdefault("borderwidth", 0)
    for name, axis in layout.items():
        if name.startswith("coloraxis") and isinstance(axis.get("colorbar"), dict):
            bar = axis["colorbar"]
            bar.setdefault("thickness", 16)
            bar.setdefault("len", 0.75)
            bar.setdefault("y", 0.5745)
            bar.setdefault("xpad", 1.5 * rem)
    return spec


def themed(spec: dict, theme: str = "light") -> dict:
    """A figure dict whose axes, colour bars, annotations, legend and hover labels take ``theme``'s colours.

    Colours written on each axis win over any chart theme's. Changes ``spec`` (a dict, e.g.
    ``fig.to_dict()``), never a Figure; returns it.
    """
    colours = palette(theme)
    layout = spec.setdefault("layout", {})
    for axis in figure_axes(spec):
        axis["tickfont"] = {**axis.get("tickfont", {}), "color": colours.text}
        axis["title"]["font"] = {**axis["title"].get("font", {}), "color": colours.text}
        # Set here, not in a template: the browser's Streamlit theme overwrites the template's.
        axis.setdefault("automargin", False)
        axis["gridcolor"] = colours.grid
        axis["linecolor"] = colours.grid
        axis.setdefault("zerolinecolor", colours.grid)
        if axis["zerolinecolor"] in ("black", "#000000", "white", "#ffffff"):
            axis["zerolinecolor"] = colours.ink
    bars = [trace["colorbar"] for trace in spec.get("data", []) if isinstance(trace.get("colorbar"), dict)]
    bars += [axis["colorbar"] for k, axis in layout.items() if k.startswith("coloraxis") and "colorbar" in axis]
    for bar in bars:
        bar["tickfont"] = {**bar.get("tickfont", {}), "color": colours.text}
        title = bar.get("title") or {}
        bar["title"] = {**title, "font": {**title.get("font", {}), "color": colours.text}}
        bar["outlinecolor"] = colours.grid
        # Streamlit's template gives a colour axis's bar an 8 px outline (in its page colour): in
        # the grid colour that was a grey frame, which a trace's bar (1 px) does not have.
        bar.setdefault("outlinewidth", 1)
    for a in layout.get("annotations", []):
        a["font"] = {**a.get("font", {}), "color": colours.text}
    layout["legend"] = {
        **layout.get("legend", {}),
        "font": {**layout.get("legend", {}).get("font", {}), "color": colours.text},
    }
    layout["font"] = {**layout.get("font", {}), "color": colours.text}
    # Hover labels in the page's colours: by default Plotly fills a label with its trace's colour,
    # and the click layers' invisible points gave a see-through label with grey text.
    label = layout.get("hoverlabel", {})
    layout["hoverlabel"] = {
        **label,
        "bgcolor": colours.page,
        "bordercolor": colours.text,
        "font": {**label.get("font", {}), "color": colours.text},
    }
    title = layout.get("title")
    if isinstance(title, dict):
        title["font"] = {**title.get("font", {}), "color": colours.text}
        if isinstance(title.get("subtitle"), dict):
            sub_ = title["subtitle"]
            sub_["font"] = {**sub_.get("font", {}), "color": colours.text}
    for slider in layout.get("sliders", []):
        slider["font"] = {**slider.get("font", {}), "color": colours.text}
        value = slider.setdefault("currentvalue", {})
        value["font"] = {**value.get("font", {}), "color": colours.text}
    layout["paper_bgcolor"] = layout["plot_bgcolor"] = TRANSPARENT
    if theme == "dark":
        _dark_scales(spec)
    return spec


_DARK_SWAP = {STRUCTURAL_ZERO: STRUCTURAL_ZERO_DARK}


def theme_scale(scale, theme: str = "light"):
    """The colour scale ``scale`` is drawn with in ``theme``: in the dark one, the dark diverging
    scale and structural-zero grey in place of the light ones; any other scale as it is."""
    if theme != "dark":
        return scale
    if scale == DIVERGING:
        return DIVERGING_DARK
    if isinstance(scale, list) and scale and all(stop[1] in _DARK_SWAP for stop in scale):
        return [[stop[0], _DARK_SWAP[stop[1]]] for stop in scale]
    return scale


def _dark_scales(spec: dict) -> None:
    """The dark theme's diverging scale and structural-zero grey in place of the light ones."""
    layout = spec["layout"]
    holders = list(spec.get("data", [])) + [v for k, v in layout.items() if k.startswith("coloraxis")]
    for holder in holders:
        if "colorscale" in holder:
            holder["colorscale"] = theme_scale(holder["colorscale"], "dark")
    for shape in layout.get("shapes", []):
        if shape.get("fillcolor") in _DARK_SWAP:
            shape["fillcolor"] = _DARK_SWAP[shape["fillcolor"]]


# ---------------------------------------------------------------- argument checks: ValueError naming the argument


def check_index_tuple(value, names: tuple[str, ...], bounds: tuple[int, ...], arg: str = "selected") -> tuple[int, ...]:
    """``value`` as a tuple of ints, one per name, each in [0, bound); else ValueError."""
    try:
        items = tuple(value)
    except TypeError:
        raise ValueError(f"{arg} must be a tuple ({', '.join(names)}), got {value!r}") from None
    if len(items) != len(names):
        raise ValueError(f"{arg} must have {len(names)} entries ({', '.join(names)}), got {value!r}")
    out = []
    for name, v, hi in zip(names, items, bounds, strict=True):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
            raise ValueError(f"{arg}: {name} must be a whole number, got {v!r}")
        if not 0 <= int(v) < hi:
            raise ValueError(f"{arg}: {name} must be in [0, {hi}), got {v}")
        out.append(int(v))
    return tuple(out)


def as_finite_vector(value, name: str) -> np.ndarray:
    """A non-empty, finite, 1-D float array; else ValueError naming ``name``."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a vector of numbers, got {value!r}") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D vector, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity")
    return arr


def as_positive_temperature(value) -> float:
    """The figures accept exactly the temperatures core accepts."""
    return core.check_temperature(value)
