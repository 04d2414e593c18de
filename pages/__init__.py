"""The app's pages: one module per page, named as its URL (``pages/loss.py`` is ``/loss``).

Each page module has ``render(state, values)``: ``state`` is the shared ``ui.state.LayerState``,
``values`` its ``core.LayerValues`` (computed once per run by the shell). What only one page uses
lives beside it in ``pages/<page>_parts/``; only page modules sit directly in this folder.

Every page file ends with::

    if __name__ == "__main__":
        show(render)

The shell (``app.py``) runs a page's file through ``st.navigation``, inside ``shell_run``, and
``show`` then calls ``render`` with the shell's state and values. A freshly started Streamlit
server that gets ``/<page>`` as its very first request runs that file on its own (the legacy
pages-folder mode, until ``st.navigation`` has run once); there ``show`` starts the shell
instead, which draws the sidebar, checks the link, runs the page file again (inside
``shell_run``) and syncs the URL. So a page is drawn inside the shell however it is started.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# (state, values) while the shell runs a page; None when Streamlit ran a page file on its own.
_RUN: ContextVar[tuple | None] = ContextVar("shell_run", default=None)


@contextmanager
def shell_run(state, values) -> Iterator[None]:
    """Within this block, a page file's ``show(render)`` draws the page with ``state`` and ``values``."""
    token = _RUN.set((state, values))
    try:
        yield
    finally:
        _RUN.reset(token)


def show(render: Callable) -> None:
    """Draw the page inside the shell: ``render(state, values)``, or start the shell if it is not running."""
    current = _RUN.get()
    if current is None:
        importlib.import_module("app").main()
    else:
        render(*current)
