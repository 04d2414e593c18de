"""Softmax Layer Explorer: the shell around every page.

Run with ``streamlit run app.py``. ``main`` sets the page config, builds the navigation, draws the
shared sidebar controls, computes the layer's values once (``core.layer_values``), runs the page
the visitor chose, then shows the link banner and writes the state into the URL.

Every page is a file in ``pages/`` with a ``render(state, values)`` function. When a freshly
started server gets ``/<page>`` as its very first request, Streamlit runs ``pages/<page>.py`` on
its own (its legacy pages-folder mode); the page file then hands over to ``main`` (see
``pages/__init__.py``), so a page is always drawn inside this shell.
"""

from __future__ import annotations

import streamlit as st

from pages import shell_run
from ui import runtime, session, style, viewport
from ui.controls import classroom_strip, sidebar_controls
from ui.state import LayerState

# url path → (page file, title, icon); "" is the Explorer, the default page. Each other file is
# named as its URL path, so the legacy pages-folder mode finds the same page (pages/__init__.py).
PAGES = {
    "": ("pages/explorer.py", "Explorer", ":material/grid_on:"),
    "derivation": ("pages/derivation.py", "Derivation", ":material/functions:"),
    "loss": ("pages/loss.py", "Loss and gradient", ":material/trending_down:"),
    "conventions": ("pages/conventions.py", "Conventions", ":material/swap_horiz:"),
    "batch": ("pages/batch.py", "Batch", ":material/stacks:"),
    "present": ("pages/present.py", "Presenter path", ":material/co_present:"),
}


def _classroom_toggle(state: LayerState) -> LayerState:
    on = session.bind(
        "ctl_classroom",
        state.classroom,
        st.toggle,
        "Classroom mode",
        on_change=lambda v: session.set_state(session.current_state().with_values(classroom=v)),
        help="Large type, one figure per screen, controls hidden. Also ?classroom=1 in the link.",
    )
    return state.with_values(classroom=on)


# The tab icon. An emoji is drawn by the browser itself (Streamlit makes it an inline SVG); a
# ":material/…:" page icon is fetched from fonts.gstatic.com, which fails offline (in a lecture hall).
PAGE_ICON = "🧮"


def main() -> None:
    st.set_page_config(page_title="Softmax Layer Explorer", page_icon=PAGE_ICON, layout="wide")
    state = session.current_state()
    projecting = state.classroom  # in classroom mode the sidebar is hidden, so navigation moves to the top
    pages = [
        st.Page(path, title=title, icon=icon, url_path=url, default=url == "")
        for url, (path, title, icon) in PAGES.items()
    ]
    page = st.navigation(pages, position="top" if projecting else "sidebar")
    session.begin_run(page.url_path)
    strip, toggle = st.columns([2, 1], vertical_alignment="center")  # [3, 1] cut "Classroom mode" at 1024 px
    with toggle:
        state = _classroom_toggle(state)
    if not state.classroom:
        state = sidebar_controls(state)
    else:  # the sidebar is hidden when projecting: preset, T and x stay at hand in a compact menu
        with strip:
            state = classroom_strip(state)
    session.set_state(state)
    style.apply(state)
    banner = st.container()  # link warnings go above the page, but are known only after it ran
    with shell_run(state, session.layer_values(state)):
        page.run()
    with banner:  # after the page, which may have read its own settings from the link
        session.show_link_problems()
    session.sync_query_params()
    viewport.watch()  # last: the page is drawn, so its main column can be measured
    runtime.freeze_startup_objects()  # after the first run, when Plotly's lazily built classes exist


if __name__ == "__main__":
    main()
