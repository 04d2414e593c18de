"""Folded content (an expander or a popover) built only while it is open.

Streamlit runs and sends everything inside a closed expander or popover on every rerun, so each
slider move rebuilt the sidebar's question links and paste box, the Explorer's NumPy code and
share link, and each chart's Export menu, though they are seldom open. Made with a key and
``on_change="rerun"``, the container reports whether it is open (``.open``): opening it reruns
the page, which then builds its content. Closed, its content costs nothing: at 3 × 5 a move ran
19 fewer elements and sent 4.4 KB less, for 25% less server CPU (``bench/README.md``); at 64 × 32
the paste box alone held the 2,048 numbers as text, which the browser also sent back every move.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator


def folded(make: Callable[..., DeltaGenerator], label: str, *, key: str, **kwargs) -> DeltaGenerator | None:
    """``make(label, key=key, **kwargs)`` (``st.expander`` or ``st.popover``, here or on a container)
    drawn closed or open as the visitor left it: the container to draw its content into while it is
    open, else None (draw nothing). ``st.session_state[key] = True`` opens it."""
    box = make(label, key=key, on_change="rerun", **kwargs)
    return box if box.open else None


def opener(key: str) -> Callable[[], None]:
    """A widget callback (``on_change``) that opens the folded container ``key``: the run it starts
    draws the container open, with its content (a guess opens its Reveal)."""

    def open_it() -> None:
        st.session_state[key] = True

    return open_it
