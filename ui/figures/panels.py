"""Figures of several plots (panels): side by side where they fit, one under another on a phone.

A figure does not know its pixel width (see ``common.narrowest_width``), so the choice is made for
the narrowest width it is drawn at. On a phone two plots side by side got ~120 px each: the step
ticks "0 10 20 30" ran together, the two plot titles overlapped and the legend took a third of
the width.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ui.figures.common import flat_bars, narrowest_plot_width, narrowest_width, palette, side_margins
from ui.figures.text_width import text_width

# Plotting width (px) a plot needs beside another: room for ~6 step ticks and a log axis' labels.
MIN_PANEL_WIDTH = 200
LEGEND_SWATCH = 3.0  # × font: a legend entry's line sample and the gaps around it


def stacked(font_size: int, panels: int = 2) -> bool:
    """Whether ``panels`` plots go one under another: side by side each would be under ``MIN_PANEL_WIDTH``."""
    return _across(font_size) / panels < MIN_PANEL_WIDTH


def _across(font_size: int) -> float:
    """The width (px) between ``base_layout``'s side margins, at the narrowest width."""
    sides = side_margins(font_size)
    return narrowest_width(font_size) - sides["l"] - sides["r"]


def panel_layout(
    titles: Sequence[str], font_size: int, height: int, theme: str = "light", horizontal_spacing: float = 0.12
) -> tuple[dict, list[tuple[str, str]], int]:
    """One plot per title, side by side or (``stacked``) one under another, for a figure built from dicts.

    Returns (layout entries: each plot's axes "xaxis", "yaxis", "xaxis2", … with their domains and
    its title as an annotation above it; each plot's (x, y) axis references in ``titles``' order,
    for its traces; the figure's height in px): ``height`` side by side; stacked, each further plot
    adds about ``height``'s plotting area and the gap for the upper plot's tick labels, axis title
    and the lower plot's title. What ``make_subplots`` makes, without its cost (~20 ms a figure).
    """
    domains, total = panel_domains(len(titles), font_size, height, horizontal_spacing)
    layout, refs = _plots(domains, titles, font_size, theme)
    return layout, refs, total


def grid_layout(
    titles: Sequence[str],
    rows: int,
    cols: int,
    title_size: int,
    theme: str = "light",
    horizontal_spacing: float = 0.0,
    vertical_spacing: float = 0.0,
) -> tuple[dict, list[tuple[str, str]]]:
    """A grid of ``rows`` × ``cols`` plots for a figure built from dicts, numbered row by row from the
    top left, ``titles`` (``title_size`` px) over the first ones: the domains, axes and titles that
    ``make_subplots(rows, cols, subplot_titles=titles, …)`` makes, without its cost (~40 ms for 2 × 4).
    The spacings are shares of the plotting width and height between neighbouring plots.

    Returns (layout entries: every cell's axes "xaxis", "yaxis", "xaxis2", … with their domains, a
    last cell left empty too, and the titles as annotations; each cell's (x, y) axis references, row by row).
    """
    width = (1 - horizontal_spacing * (cols - 1)) / cols
    height = (1 - vertical_spacing * (rows - 1)) / rows
    domains = []
    for r in range(rows):
        bottom = (rows - 1 - r) * (height + vertical_spacing)
        y = [bottom, min(1.0, bottom + height)]  # the top row's end rounded to 1, as make_subplots does
        domains += [
            ([c * (width + horizontal_spacing), c * (width + horizontal_spacing) + width], y) for c in range(cols)
        ]
    return _plots(domains, titles, title_size, theme)


def _plots(
    domains: Sequence[tuple[list[float], list[float]]], titles: Sequence[str], title_size: int, theme: str
) -> tuple[dict, list[tuple[str, str]]]:
    """Layout entries of plots at ``domains`` ((x, y) domains in paper coordinates): their axes, and
    ``titles`` centred over the first ones; and each plot's (x, y) axis references."""
    layout, refs, notes = {}, [], []
    for k, (x, y) in enumerate(domains):
        s = "" if k == 0 else str(k + 1)
        layout[f"xaxis{s}"] = {"anchor": f"y{s}", "domain": x}
        layout[f"yaxis{s}"] = {"anchor": f"x{s}", "domain": y}
        refs.append((f"x{s}", f"y{s}"))
    for (x, y), title in zip(domains, titles, strict=False):  # a grid's last cells may have no plot
        notes.append(
            {
                "font": {"size": title_size, "color": palette(theme).text},
                "showarrow": False,
                "text": title,
                "x": (x[0] + x[1]) / 2,
                "xanchor": "center",
                "xref": "paper",
                "y": y[1],
                "yanchor": "bottom",
                "yref": "paper",
            }
        )
    return layout | {"annotations": notes}, refs


SIDE_GAP = 5.0  # × font between plots side by side: the right one's tick labels, its axis title, air


def side_gap(font_size: int, horizontal_spacing: float) -> float:
    """The share of the width between plots side by side: ``horizontal_spacing``, or more where that
    is under ``SIDE_GAP`` × font at the narrowest width (in a 1024 px laptop's window the right
    plot's axis title touched the left plot's last bar label)."""
    return max(horizontal_spacing, SIDE_GAP * font_size / _across(font_size))


def panel_domains(
    n: int, font_size: int, height: int, horizontal_spacing: float = 0.12
) -> tuple[list[tuple[list[float], list[float]]], int]:
    """The arrangement of ``panel_layout``: each plot's (x domain, y domain)
    in paper coordinates, first plot left or on top, and the figure's height in px."""
    if not stacked(font_size, n):
        horizontal_spacing = side_gap(font_size, horizontal_spacing)
        width = (1 - horizontal_spacing * (n - 1)) / n
        x = [
            [round(c * (width + horizontal_spacing), 6), round(c * (width + horizontal_spacing) + width, 6)]
            for c in range(n)
        ]
        return [(x[c], [0.0, 1.0]) for c in range(n)], height
    total, spacing = _stack(n, font_size, height)
    share = (1 - spacing * (n - 1)) / n
    tops = [1 - r * (share + spacing) for r in range(n)]
    return [([0.0, 1.0], [round(max(0.0, t - share), 6), round(t, 6)]) for t in tops], total


def _stack(n: int, font_size: int, height: int) -> tuple[int, float]:
    """Stacked plots: the figure's height (each further plot adds about ``height``'s plotting area
    and a gap) and the gap between plots as a share of the plotting height."""
    gap = 7.5 * font_size  # the upper plot's tick labels and axis title, the lower plot's title
    margins = 9 * font_size  # the top and bottom margins figure heights are planned with (base_layout), roughly
    area = max(120, height - margins)
    total = int(height + (n - 1) * (area + gap))
    return total, gap / (total - margins)


def fit_legend(data: list[dict], layout: dict, font_size: int, panels: int = 2) -> None:
    """Where ``panel_layout`` stacked the plots, move the legend under them (``legend_under``); side by
    side it stays."""
    if stacked(font_size, panels):
        legend_under(data, layout, font_size)


def legend_under(data: list[dict], layout: dict, font_size: int) -> None:
    """Move the legend (the names of the traces ``data`` shows in it) under the plots (``legend_below``):
    changes ``layout``, which has its ``height`` and ``margin``."""
    shown = [t["name"] for t in data if t.get("showlegend") is not False]
    below = legend_below(shown, font_size, layout["height"], layout["margin"]["b"])
    layout["margin"]["b"] = below.pop("margin")["b"]
    layout |= below


def legend_below(labels: Sequence[str], font_size: int, height: int, bottom: int) -> dict:
    """Layout changes that move the legend under the plots, in rows of entries across the narrowest width.

    ``labels``: the legend's entries; ``height``, ``bottom``: the figure's height and bottom margin
    (px) before, both grown by the rows the legend takes.
    """
    room = _across(font_size)
    rows, used = 1, 0.0
    for label in labels:
        w = text_width(label, font_size) + LEGEND_SWATCH * font_size
        if used and used + w > room:
            rows, used = rows + 1, 0.0
        used += w
    extra = math.ceil(rows * 1.5 * font_size)
    return {
        "height": int(height) + extra,
        "margin": {"b": int(bottom) + extra},
        "legend": {
            "orientation": "h",
            "x": 0.0,
            "xanchor": "left",
            "y": 0.0,
            "yanchor": "bottom",
            "yref": "container",
        },
    }


def fitting_columns(
    titles: Sequence[str],
    font_size: int,
    wanted: int,
    title_scale: float = 0.8,
    least_px: float = 0.0,
    spacing: float = 0.0,
) -> int:
    """How many panels of a grid go across (at most ``wanted``, at least 1) so that their titles do not meet.

    ``titles``: the panels' titles (lines split at <br>), drawn at ``title_scale`` × ``font_size``;
    ``least_px``: a panel's narrowest width for what else it shows (its tick labels); ``spacing``:
    the share of the grid's width (``grid_width``) between neighbouring panels, make_subplots'
    horizontal_spacing. On a phone four "max p₄ = 0.22" titles ran into each other.
    """
    widest = max((text_width(line, title_scale * font_size) for t in titles for line in t.split("<br>")), default=0)
    need = max(widest, least_px, 1.0)
    return next((c for c in range(wanted, 1, -1) if column_width(font_size, c, spacing) >= need), 1)


def grid_width(font_size: int) -> float:
    """The plotting width (px) a grid of panels shares at the narrowest width: beside its colour bar,
    or on a phone, where the bar lies across the grid (``flat_bars``), all of it."""
    return narrowest_plot_width({"margin": side_margins(font_size)}, font_size, colorbar=not flat_bars(font_size))


def column_width(font_size: int, cols: int, spacing: float) -> float:
    """One panel's width (px) at the narrowest width, in a grid of ``cols`` across with ``spacing``
    (make_subplots' horizontal_spacing) between them."""
    return grid_width(font_size) * (1 - spacing * (cols - 1)) / cols
