"""Widget values that survive a switch to another page and back.

Streamlit forgets a widget's key when a run does not draw it (another page is showing), so
each value is mirrored under a plain key that Streamlit leaves alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

_PREFIX = "_sticky_"


def restore(key: str, initial: Callable[[], Any]) -> None:
    """Before drawing the widget ``key``: keep its value, or restore the last one, or use ``initial()``.

    ``initial`` runs once per session (e.g. to read and validate the share link). Draw the widget
    with ``key=key`` and no default value of its own.
    """
    ss = st.session_state
    store = _PREFIX + key
    if key in ss:
        ss[store] = ss[key]
    elif store in ss:
        ss[key] = ss[store]
    else:
        ss[key] = ss[store] = initial()


def set_value(key: str, value: Any) -> None:
    """Change a sticky widget's value from code (call before the widget is drawn in this run)."""
    st.session_state[key] = st.session_state[_PREFIX + key] = value
