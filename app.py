"""Softmax Layer Explorer: entry point and the Explorer page.

Run with ``streamlit run app.py``. This file sets up navigation and the controls shared by
all pages, then runs the page the visitor chose; the Explorer page itself is ``explorer``.
"""

from __future__ import annotations

import streamlit as st

from ui import session
from ui.controls import sidebar_controls

PAGES = {
    "derivation": ("pages/derivation.py", "Derivation", ":material/functions:"),
    "loss": ("pages/loss_gradient.py", "Loss and gradient", ":material/trending_down:"),
    "conventions": ("pages/conventions.py", "Conventions", ":material/swap_horiz:"),
    "batch": ("pages/batch.py", "Batch", ":material/stacks:"),
}


def explorer() -> None:
    """The four linked views of one softmax layer. (Placeholder: the Explorer work fills this in.)"""
    import core

    state = session.current_state()
    st.title("Softmax Layer Explorer")
    st.write("p =", core.softmax(state.W.T @ state.x, state.temperature))


def main() -> None:
    st.set_page_config(page_title="Softmax Layer Explorer", page_icon=":material/grid_on:", layout="wide")
    pages = [st.Page(explorer, title="Explorer", icon=":material/grid_on:", default=True)]
    from pathlib import Path

    here = Path(__file__).parent
    for url, (path, title, icon) in PAGES.items():
        if (here / path).exists():
            pages.append(st.Page(path, title=title, icon=icon, url_path=url))
    page = st.navigation(pages)
    session.begin_run()
    state = sidebar_controls(session.current_state())
    session.set_state(state)
    banner = st.container()  # link warnings go above the page, but are known only after it ran
    page.run()
    # After the page, which may change the selection and register its own parameters.
    with banner:
        session.show_link_warnings()
    session.sync_query_params(session.current_state(), session.page_params())


main()
