"""dp/dW as a page draws it: three full panels, or for a big layer an overview and one class block.

One choice for every page that shows dp/dW (the Explorer, the Derivation, the Presenter path): at 64 × 32 three
full panels are 196,608 cells, ~1.2 MB sent on every move, and unreadable at any screen's width.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import core

from . import section, text
from .figures.layer import layer_derivative_figure
from .figures.layer_focus import layer_block, layer_overview, needs_focus


class Clicks(NamedTuple):
    """Widget callbacks for a click on dp/dW: on a cell of the full panels, on a block of the big
    layer's overview, on a cell of its magnified block (``section.figure``'s ``on_click``)."""

    cell: Callable[[], None]
    overview: Callable[[], None]
    block: Callable[[], None]


FULL_HEIGHT = 620  # px: three panels of up to 8 rows


def block_key(key: str) -> str:
    """The magnified block's chart key, beside the overview's ``key``."""
    return f"{key}_block"


def layer_derivative(
    key: str,
    v: core.LayerValues,
    selected: tuple[int, int, int],
    clicks: Clicks | None = None,
    export: str | None = None,
) -> None:
    """Draw dp/dW of ``v`` (K, K·n) with entry ``selected`` = (t, i, j) marked.

    Three full panels (product, shortcut, difference; chart ``key``) where every cell can carry its
    hover; for a big layer (``needs_focus``) the overview of every entry (chart ``key``) and class
    i's block magnified (chart ``block_key(key)``). ``clicks``: what a click selects (None: nothing).
    ``export``: the file stem of an Export menu of the product under the first chart (None: none).
    """
    if export is not None:
        labels = {"row_labels": text.p_labels(v.K), "col_labels": text.weight_labels(v.n, v.K)}
        exported = {"export": export, "matrix": v.product, **labels}
    else:
        exported = {}
    clickable = clicks is not None
    if not needs_focus(v.n, v.K):
        section.figure(
            key,
            layer_derivative_figure,
            v.x,
            v.p,
            v.product,
            v.shortcut,
            v.temperature,
            jacobian=v.J,
            selected=selected,
            height=FULL_HEIGHT,
            clickable=clickable,
            on_click=clicks and clicks.cell,
            **exported,
        )
        return
    section.figure(
        key,
        layer_overview,
        v.product,
        v.n,
        selected=selected,
        height=420,
        clickable=clickable,
        on_click=clicks and clicks.overview,
        **exported,
    )
    section.figure(
        block_key(key),
        layer_block,
        v.x,
        v.p,
        v.product,
        v.shortcut,
        v.temperature,
        block=selected[1],
        selected=selected,
        height=260 + 30 * v.K,  # three panels of K rows, each row ~10 px
        clickable=clickable,
        on_click=clicks and clicks.block,
    )
