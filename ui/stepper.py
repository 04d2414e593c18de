"""A stepper shared by the pages that show one step per screen (Derivation, Presenter).

The step is a page setting in the link (``ui.link.PARAMS``): ``contents`` draws the table of
contents bound to it, ``buttons`` draws Previous / Next, each naming the step it goes to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from . import session


def contents(name: str, steps: Sequence[str], titles: Mapping[str, str], label: str = "Contents") -> str:
    """The table of contents (a radio bound to the setting ``name``); returns the step shown."""
    return session.bind_setting(name, st.radio, label, list(steps), format_func=titles.get, horizontal=True)


def _go(name: str, step: str):
    return lambda: session.set_setting(name, step)


def buttons(name: str, steps: Sequence[str], titles: Mapping[str, str], step: str, key: str) -> None:
    """Previous and Next (widget keys ``<key>_prev`` and ``<key>_next``; the ← and → keys); none beyond the ends."""
    k = list(steps).index(step)
    left, right = st.columns(2)
    if k > 0:
        prev = steps[k - 1]
        left.button(
            f"Previous: {titles[prev]}", key=f"{key}_prev", icon=":material/arrow_back:", on_click=_go(name, prev),
            width="stretch", shortcut="Left", help="Or press ← on the keyboard",
        )  # fmt: skip
    if k < len(steps) - 1:
        nxt = steps[k + 1]
        right.button(
            f"Next: {titles[nxt]}", key=f"{key}_next", icon=":material/arrow_forward:", on_click=_go(name, nxt),
            width="stretch", shortcut="Right", help="Or press → on the keyboard",
        )  # fmt: skip
