"""A figure section: the chart at the page's sizes, and its Export menu (CSV, LaTeX, standalone HTML).

``figure`` builds a figure with the font and height of the current mode (classroom or not), draws
it, and puts the Export menu under it, without changing the figure it was given: the exported
HTML is the figure as built. The files themselves come from ``ui.export`` (pure). Each
download's ``data`` is a callable, so nothing is generated until the button is clicked (an HTML
figure inlines ~4 MB of plotly.js); Streamlit runs it on another thread, so it must not touch
``st``. ``on_click="ignore"`` keeps a download from rerunning the app. ``latex`` draws a formula
for the visitor's screen, as ``figure`` draws a chart.
"""

from __future__ import annotations

import base64
import inspect
import re
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from . import classroom, export, session, text
from .figures.cell_text import legible_traces
from .figures.common import (
    DESKTOP_FIGURE_WIDTH,
    NARROWEST_FIGURE_WIDTH,
    PAGE_REM_PX,
    Fig,
    FigureSpec,
    cell_text_width,
    planned_for,
    streamlit_look,
    themed,
)
from .fold import folded
from .memo import by_value

# Plotly's toolbar gives the PNG export; scale 2 keeps it sharp on slides.
CHART_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}

# Above this many entries the LaTeX is offered as a download only: st.code would send it on every rerun.
LATEX_PREVIEW_MAX_ENTRIES = 400


def figure(
    key: str,
    build: Callable[..., Fig],
    *args,
    height: int | None = None,
    export: str | None = None,
    matrix=None,
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
    on_click: Callable[[], None] | None = None,
    alt: str | None = None,
    **kwargs,
) -> Fig:
    """Build ``build(*args, font_size=…, height=…, **kwargs)``, draw it full width, and add its Export menu.

    ``height``: the figure's usual height in px (None: the builder's own); classroom mode makes
    every figure at least a screen tall. ``export``: the file stem of the Export menu (no menu when
    None), with ``matrix`` and its labels for CSV and LaTeX. ``on_click``: a widget callback for a
    click on a point; the selection is then in ``st.session_state[key]``. ``alt``: the chart's text
    alternative for screen readers (default: its kind, title and subtitle, see ``alt_text``). Returns the figure.
    """
    state = session.current_state()
    size, name, large = classroom.font_size(state), theme(), classroom.enabled(state)
    if "theme" in _parameters(build):
        kwargs.setdefault("theme", name)
    height = None if height is None else classroom.figure_height(state, height)
    width = round(device_width() - _INSET.get())  # a figure in a Reveal has its padding less
    fig, spec, text_px = _built(build, args, kwargs, size, height, width, name, large)
    if (measured := st.session_state.get(CHART_WIDTHS_KEY, {}).get(key)) is not None:
        # Drawn at its width from the start. Without one, Streamlit mounts a changed chart hidden
        # until it has measured the chart's new box, and the chart blinked out on every move.
        spec = {**spec, "layout": {**spec["layout"], "width": measured}}
    if text_px is not None and text_px > width:
        st.html(cell_text_rule(key, text_px))
    _draw(spec, key=key, on_click=on_click, alt=alt or alt_text(fig))
    if export is not None:
        export_menu(export, matrix=matrix, row_labels=row_labels, col_labels=col_labels, fig=fig, key=f"{key}_export")
    return fig


def theme() -> str:
    """The visitor's theme, "light" or "dark" (Streamlit follows the system's; light when not yet known)."""
    kind = getattr(st.context.theme, "type", None)
    return kind if kind in ("light", "dark") else "light"


# Phones and tablets say so in their User-Agent ("Mobile", "Android", "iPhone", "iPad"). A tablet
# starts from the phone's plan too: in portrait (768–834 px) Streamlit keeps the sidebar open, and a
# chart has ~450 px, too little for the desktop's (labels planned for 560 px ran into each other);
# once its main column is measured (``ui.viewport``) it gets the plan of that width.
_HANDHELD = re.compile(r"Mobi|Android|iPhone|iPad|iPod|Tablet", re.IGNORECASE)


def is_handheld(agent: str) -> bool:
    """Whether a browser's User-Agent string is a phone's or a tablet's (not a desktop's)."""
    return bool(_HANDHELD.search(agent))


DEVICE_KEY = "_device_width"  # the session's device width, in session state (tests set it to be a phone)
CHART_WIDTHS_KEY = "_chart_px"  # chart key → its width (px) as the browser measured it (ui.viewport)


# A phone's main column is 358 px and its figures are planned for 320: a narrow main column's
# plan keeps the same room (an expander's padding) and goes up in steps, so that a window resized
# by a few px plans nothing again and the figure memory holds few widths.
MAIN_ROOM_PX = 38
PLAN_STEP_PX = 40


# The plans: (figure width, the narrowest main column that gets it), narrowest first. A desktop's
# from DESKTOP_FIGURE_WIDTH up; below, MAIN_ROOM_PX less than the column, in steps of PLAN_STEP_PX
# from a phone's NARROWEST_FIGURE_WIDTH. The browser picks from this list (``ui.viewport``).
PLANS = [(NARROWEST_FIGURE_WIDTH, 0.0)]
PLANS += [
    (w, float(w + MAIN_ROOM_PX))
    for w in range(NARROWEST_FIGURE_WIDTH + PLAN_STEP_PX, DESKTOP_FIGURE_WIDTH, PLAN_STEP_PX)
]
PLANS += [(DESKTOP_FIGURE_WIDTH, float(DESKTOP_FIGURE_WIDTH))]


def planned_width(main_px: float) -> int:
    """The figure width (px) a page is planned for when its main column is ``main_px`` wide (inside
    its padding): the last of PLANS whose column it reaches, as ``ui.viewport``'s script picks it
    (a 900 px window's 440 px: 400). Streamlit stacks columns below a desktop's (``ui.style``), so
    each figure there has the main column's width."""
    return [width for width, least in PLANS if main_px >= least][-1]


def device_width() -> int:
    """The narrowest width (px) the visitor's charts are drawn at (``planned_width``).

    Streamlit does not tell the server the window's width; the browser's User-Agent says whether it
    is a handheld device (``is_handheld``: a phone's plan, else a desktop's), and ``ui.viewport``
    corrects that guess once the browser has measured the page's main column. Read once per session
    (a session is one browser tab): Streamlit builds the headers anew on each read.
    """
    ss = st.session_state
    if DEVICE_KEY not in ss:
        agent = (st.context.headers or {}).get("User-Agent", "")
        ss[DEVICE_KEY] = NARROWEST_FIGURE_WIDTH if is_handheld(agent) else DESKTOP_FIGURE_WIDTH
    return ss[DEVICE_KEY]


def handheld() -> bool:
    """Whether the page is planned narrower than a desktop's (``device_width``): a phone or tablet, or
    a desktop window measured narrow (``ui.viewport``). Its columns stack, its formulas break."""
    return device_width() < DESKTOP_FIGURE_WIDTH


# Inside boxes (``inset``) formulas and figures have less than the page's width: px of padding.
_INSET: ContextVar[float] = ContextVar("inset", default=0.0)


@contextmanager
def inset(px: float):
    """Formulas and figures drawn inside are laid out for ``px`` less width (the padding of the boxes
    around them): a phone's formulas, and every figure's planned width (``figure``)."""
    token = _INSET.set(_INSET.get() + px)
    try:
        yield
    finally:
        _INSET.reset(token)


def latex(formula: str) -> None:
    """A display formula; where the page is planned narrow (``handheld``) laid out for its main column
    (``text.for_phone``: a phone's PHONE_FORMULA_PX, more as the plan is wider)."""
    box = text.PHONE_FORMULA_PX + device_width() - NARROWEST_FIGURE_WIDTH - _INSET.get()
    shown = text.for_phone(formula, box) if handheld() else text.kept_whole(formula)
    st.latex(text.unbroken_parens(shown))


def _parameters(build: Callable) -> frozenset[str]:
    try:
        return frozenset(inspect.signature(build).parameters)
    except (TypeError, ValueError):
        return frozenset()


def _parts(fig: Fig) -> tuple[list[dict], dict, list[dict]]:
    """The figure's own trace dicts, layout dict and frame dicts (not copies: read, never write)."""
    if isinstance(fig, FigureSpec):
        return fig.data, fig.layout, fig.frames
    return list(fig._data), fig._layout, [frame._props for frame in fig._frame_objs]


def alt_text(fig: Fig) -> str:
    """A short text alternative for ``fig``: its kinds of chart, title and subtitle, without markup.

    "Heatmap: dp/dW (5×15): product and shortcut agree. columns W[j,i] in class blocks …"
    """
    kinds = {"heatmap": "Heatmap", "bar": "Bar chart", "scatter": "Line chart"}
    data, layout, _ = _parts(fig)
    names = list(dict.fromkeys(kinds.get(trace.get("type"), "Chart") for trace in data)) or ["Chart"]
    title = layout.get("title")
    title = title if isinstance(title, dict) else {"text": title}
    subtitle = title.get("subtitle")
    subtitle = subtitle if isinstance(subtitle, dict) else {"text": subtitle}
    parts = [title.get("text") or "", subtitle.get("text") or ""]
    words = " ".join(re.sub(r"<br\s*/?>", " ", p) for p in parts if p)
    words = re.sub(r"<[^>]+>", "", words).strip()
    return f"{' and '.join(names)}: {words}" if words else " and ".join(names)


# A figure whose inputs did not change (the dz/dW pattern when T or W moves, every chart of another
# session at the same numbers) is neither built nor encoded again. Sixteen wire specs are at most
# ~16 MB at the largest layer, shared by all sessions.
@by_value(maxsize=16)
def _built(build, args, kwargs, font_size, height, width, theme_name, large) -> tuple[Fig, dict, int | None]:
    """``build``'s figure at these sizes, its wire spec, and the width its cell numbers need
    (``cell_text_width``). Neither figure nor spec may be changed: both are remembered.

    The page's look and the theme's colours (and classroom mode's large type, on its larger page
    type) are written into the spec (``wire_spec``); the figure stays as built, for its export.
    """
    with planned_for(width):
        fig = build(*args, font_size=font_size, height=height, **kwargs)
    spec = wire_spec(fig, theme_name, classroom.PAGE_PX if large else PAGE_REM_PX)
    return fig, classroom.large_axes(spec, font_size) if large else spec, cell_text_width(spec)


def key_class(key: str) -> str:
    """The CSS class Streamlit gives the element of widget or container ``key`` (".st-key-…")."""
    return ".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


COLUMN_GAP_PX = 16  # Streamlit's gap between columns ("small", 1rem)
STACKED = "min-width:calc(100% - 1.5rem)"  # a column as Streamlit sets it on a phone: full width, one under another


def narrower_than(key: str, width_px: float, inside: str, declarations: str) -> str:
    """CSS that applies ``declarations`` to ``inside`` (a selector within the element of ``key``) while
    that element is narrower than ``width_px``: a container query on its own box, which follows the
    window and the sidebar as they change, with no rerun."""
    box = key_class(key)
    return (
        f"<style>{box}{{container-type:inline-size}}"
        f"@container (width < {width_px}px){{{box} {inside}{{{declarations}}}}}</style>"
    )


def side_by_side(key: str, count: int, min_px: int, widths: Sequence[float] | None = None, per_row: int = 1, **kw):
    """``count`` columns (relative ``widths``, else equal) that wrap ``per_row`` to a row (1: stack,
    as on a phone) where each would be narrower than ``min_px``; ``kw`` as ``st.columns``'s.

    The page-wide rule (ui/style.py) stacks columns only where the main column is phone-narrow; some
    rows need more: at 1024 px the quotient rule's fractions and the Conventions page's z = Wᵀx
    scrolled in columns of ~270 px, and four controls in a row wrapped their labels over their boxes.
    """
    wrapped = STACKED if per_row == 1 else f"min-width:calc({100 / per_row:g}% - 1.5rem)"
    st.html(narrower_than(key, count * min_px + (count - 1) * COLUMN_GAP_PX, "[data-testid=stColumn]", wrapped))
    with st.container(key=key):
        return st.columns(widths or count, **kw)


def cell_text_rule(key: str, width_px: int) -> str:
    """CSS that hides the numbers in the heatmap cells of chart ``key`` while it is narrower than
    ``width_px``: there they ran into each other (dp/dW in a 1024 px laptop's window, or projected).
    Figures are planned for their narrowest width; their numbers fit only wider ones."""
    return narrower_than(key, width_px, ".heatmaplayer text", "display:none")


def _draw(spec: dict, *, key: str, on_click: Callable[[], None] | None, alt: str) -> None:
    select = {} if on_click is None else {"on_select": on_click, "selection_mode": "points"}
    # theme=None: the spec carries Streamlit's chart theme itself (``streamlit_look``), see ``wire_spec``.
    st.plotly_chart(Validated(spec), key=key, config=CHART_CONFIG, width="stretch", alt=alt, theme=None, **select)


def wire_spec(fig: Fig, theme_name: str, rem: float = PAGE_REM_PX) -> dict:
    """``fig`` as the dict the browser gets: in the page's look (``streamlit_look``, with the page's
    ``rem`` in px) and ``theme_name``'s colours, without Plotly's template, arrays as JSON numbers.

    A changed chart is mounted anew in the browser (its element id hashes the spec), and
    Streamlit's frontend hands Plotly its figure twice: once as the element mounts, and again,
    as a new copy, once the element's width is known (unless the spec carries it: ``figure`` gives
    a chart the width the page measured for it). Plotly redraws the second from scratch if
    anything in it looks new. Three things make it look the same, so that it costs a few ms
    instead of a second full drawing (measured in ``bench/bench_app.py``):

    - no template: Streamlit's chart theme lives in ``layout.template``, and a template is always
      new to Plotly. The figure carries the theme's values itself, drawn with ``theme=None``;
    - ``layout.datarevision``: Plotly then trusts that data arrays of a new identity hold the same
      data (a chart never changes its data in place: new data is a new element);
    - arrays as JSON numbers: Plotly takes a typed array ({"dtype", "bdata"}) decoded anew as
      new data whatever ``datarevision`` says. Only the largest arrays go as bytes (``JSON_ARRAY_MAX``).

    Plotly's own template (~9 kB of trace defaults) is dropped too: the figure's layout sets what
    it would have (fixed margins, no automargin: see ``themed``).
    """
    # fig.to_dict() deep-copies every label, hover field and array before encoding them: a fifth of
    # a rerun. Only the dicts and lists that ``themed`` and the encoding change are copied here;
    # arrays and strings are shared, read-only (``tests/ui/test_section.py`` pins the same result).
    data, layout, frames = _parts(fig)
    data = legible_traces(data, layout, theme_name)  # copies only the traces it changes
    spec = {"data": _copied(data), "layout": _copied({k: v for k, v in layout.items() if k != "template"})}
    if frames:  # an animation's frames (the Loss page's descent), as to_dict gives them
        spec["frames"] = _copied(frames)
    spec["layout"]["datarevision"] = 1
    return themed(streamlit_look(spec, theme_name, rem), theme_name)


def _copied(node):
    """A copy of nested dicts and lists, numpy arrays as arrays orjson writes as JSON numbers (float32
    in its shortest form, NaN as null: a heatmap's gap); strings and numbers are shared. A property
    set to None is left out, as a Figure leaves it out.

    An array of objects or strings (cell texts, mixed hover fields) becomes lists, as Plotly's
    cleaning pass would make it: orjson refuses such arrays, and ``plotly.io.to_json`` (Streamlit's
    call, on every rerun) would then clean the whole spec in Python and encode it twice, a fifth of
    a rerun. With none left, orjson encodes the spec in one pass (``tests/app/test_wire.py``).
    """
    if isinstance(node, dict):
        return {k: _copied(v) for k, v in node.items() if v is not None}
    if isinstance(node, (list, tuple)):  # a label list can be thousands long: no call per string
        return [_copied(v) if isinstance(v, (dict, list, tuple, np.ndarray)) else v for v in node]
    if isinstance(node, np.ndarray):
        if node.dtype.kind in "OU":
            return node.tolist()
        return _typed_array(node) if node.size > JSON_ARRAY_MAX else np.ascontiguousarray(node)
    return node


# Above this many numbers an array goes as base64 (a 64 × 32 layer's overview: 65,536 colour levels,
# 150 kB as JSON numbers, 87 kB as bytes); the browser then draws that chart twice (``wire_spec``).
JSON_ARRAY_MAX = 10_000


# numpy dtype → plotly.js typed array name (Plotly's ``plotlyjsShortTypes``)
_TYPED = {"int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2", "int32": "i4", "uint32": "u4"}
_TYPED |= {"float32": "f4", "float64": "f8"}


def _typed_array(v: np.ndarray):
    """``v`` as plotly.js's typed array spec, byte for byte what Plotly's ``to_typed_array_spec``
    gives (64-bit integers narrowed to the smallest type that holds them); ``v`` itself where
    Plotly leaves it (empty, or no typed array holds it). Plotly's own goes through narwhals
    and copies: half the encoding's time."""
    if v.size == 0:
        return v
    if v.dtype.kind in "iu" and v.dtype.itemsize == 8:
        lo, hi = v.min(), v.max()
        narrow = (np.int8, np.int16, np.int32) if v.dtype.kind == "i" else (np.uint8, np.uint16, np.uint32)
        fits = [t for t in narrow if np.iinfo(t).min <= lo and hi <= np.iinfo(t).max]
        if not fits:
            return v
        v = v.astype(fits[0])
    code = _TYPED.get(v.dtype.name)
    if code is None or not v.dtype.isnative:
        return v
    spec = {"dtype": code, "bdata": base64.b64encode(np.ascontiguousarray(v)).decode("ascii")}
    if v.ndim > 1:
        spec["shape"] = str(v.shape)[1:-1]
    return spec


class Validated(go.Figure):
    """A finished figure spec (built by ``wire_spec``), handed to ``st.plotly_chart`` as is.

    ``st.plotly_chart`` rebuilds a ``go.Figure`` from a dict (validating every property again,
    template included) or deep-copies a Figure through ``to_dict``: together over half of a
    rerun's CPU. A Figure whose ``to_dict`` returns the finished spec skips both; nothing else
    of the Figure is used there. (Streamlit 1.6x, ``plotly.tools.return_figure_from_figure_or_data``;
    ``tests/ui/test_section.py`` pins that the chart sent equals the spec.)
    """

    def __init__(self, spec: dict):  # no BaseFigure.__init__: there is nothing left to validate
        object.__setattr__(self, "_spec", spec)

    def to_dict(self) -> dict:
        return self._spec

    def to_plotly_json(self) -> dict:
        return self._spec


# Up to this many cells a table is projected as HTML in classroom mode; a bigger one stays a scrolling grid.
PROJECTED_TABLE_CELLS = 400


def table(data, *, hide_index: bool = False, height: int | None = None) -> None:
    """A table of ``data`` (a DataFrame, its Styler for the numbers' text, or a dict of columns):
    Streamlit's data grid.

    In classroom mode, where the grid's canvas keeps its 14-px type under 22-px text, a table of up
    to PROJECTED_TABLE_CELLS cells is an HTML table in the page's large type instead. ``height``
    (px): the grid's, which then scrolls (an HTML table is as long as its rows).
    """
    if classroom.enabled(session.current_state()) and _cells(data) <= PROJECTED_TABLE_CELLS:
        st.table(data, hide_index=hide_index or None)
    else:
        st.dataframe(data, hide_index=hide_index or None, width="stretch", height=height or "auto")


def _cells(data) -> int:
    frame = getattr(data, "data", None)  # a Styler's DataFrame
    return (frame if isinstance(frame, pd.DataFrame) else pd.DataFrame(data)).size


def zero_metric(where, label: str, value: float, scale: float, help: str | None = None) -> None:
    """A metric for a quantity that is 0 in exact arithmetic (``text.exact_zero``): "0" in large type,
    the rounding residue, if any, in small print under it. ``where``: ``st`` or a column."""
    main, _, residue = text.exact_zero(value, scale).partition(" (")
    where.metric(label, main, delta=residue.rstrip(")") or None, delta_color="off", delta_arrow="off", help=help)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_") or "export"


def export_menu(
    name: str,
    *,
    matrix=None,
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
    fig: Fig | None = None,
    key: str | None = None,
    digits: int = 4,
) -> None:
    """Draw an "Export" popover with download buttons for ``matrix`` and/or ``fig``.

    ``name`` is the file stem ("jacobian" → jacobian.csv, jacobian.tex, jacobian.html).
    ``matrix``: (R, C) or a vector (R,) shown as a column; labels as in ``export.matrix_frame``.
    ``key`` must be unique on the page when ``name`` repeats; widget keys derive from it.
    """
    if matrix is None and fig is None:
        raise ValueError("export_menu needs a matrix, a figure, or both")
    stem = _slug(name)
    base = f"export_{_slug(key) if key else stem}"
    menu = folded(st.popover, "Export", icon=":material/download:", key=f"{base}_menu")
    if menu is None:  # closed: its buttons are made when it is opened (``ui.fold``)
        return
    # Freeze the numbers now: the callables run after this script run has moved on.
    M = None if matrix is None else np.array(matrix, dtype=float, copy=True)
    rows = None if row_labels is None else list(row_labels)
    cols = None if col_labels is None else list(col_labels)

    with menu:
        if M is not None:
            st.download_button(
                "CSV",
                data=lambda: export.to_csv(M, rows, cols),
                file_name=f"{stem}.csv",
                mime="text/csv",
                key=f"{base}_csv",
                on_click="ignore",
                icon=":material/table:",
                help="Every number at full precision, with row and column labels.",
            )
            st.download_button(
                "LaTeX (bmatrix)",
                data=lambda: export.to_latex_bmatrix(M, digits) + "\n",
                file_name=f"{stem}.tex",
                mime="text/x-tex",
                key=f"{base}_tex",
                on_click="ignore",
                icon=":material/functions:",
                help=f"Rounded to {digits} decimals; needs amsmath.",
            )
            if M.size <= LATEX_PREVIEW_MAX_ENTRIES:
                st.code(export.to_latex_bmatrix(M, digits), language="latex")
            else:
                st.caption(f"{M.shape[0]} × {M.size // M.shape[0]} is too large to preview; download the .tex file.")
        if fig is not None:
            st.download_button(
                "HTML (standalone figure)",
                data=lambda: export.figure_html(fig),
                file_name=f"{stem}.html",
                mime="text/html",
                key=f"{base}_html",
                on_click="ignore",
                icon=":material/public:",
                help="An interactive page that works offline (plotly.js inlined, about 4 MB).",
            )
