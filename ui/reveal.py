"""Predict-then-reveal, shared by the Derivation, the Presenter path, the Loss and Batch pages: ask first,
answer on demand."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from . import section
from .fold import folded, opener

# A bordered box, and an expander inside it: 358 px of a phone's page leave 292 for a formula.
REVEAL_INSET_PX = 66


def predict_then_reveal(item, key: str, then: Callable[[], None] | None = None) -> None:
    """A question with an optional guess (radio ``key``), and the answer in a closed "Reveal"
    (folded: ``reveal_key(key)``), which a guess opens.

    ``item`` has ``question``, ``choices``, ``answer``, ``evidence`` (LaTeX lines) and ``why``
    (Markdown); ``then`` draws more inside the Reveal (e.g. the slide's figure). Closed, the answer
    is not sent at all, and a slide's figure is not built on every move of the layer's controls.
    """
    with st.container(border=True):
        st.markdown(f"**Predict:** {item.question}")
        guess, box = guess_then_reveal("Your guess", item.choices, key, icon=":material/visibility:")
        if box is None:
            return
        with box, section.inset(REVEAL_INSET_PX):
            if guess is not None:
                st.markdown("✅ Right." if guess == item.answer else f"❌ Not quite: you said “{guess}”.")
            st.markdown(f"**Answer:** {item.answer}")
            for line in item.evidence:
                section.latex(line)
            st.markdown(item.why)
            if then is not None:
                then()


def guess_then_reveal(label: str, choices, key: str, **expander) -> tuple[str | None, DeltaGenerator | None]:
    """A guess among ``choices`` (radio ``key``, none chosen at first) and a closed "Reveal" under it,
    folded (``ui.fold``, key ``reveal_key(key)``): (the guess, the Reveal's container while it is open,
    else None). A guess opens the Reveal, which then judges it. ``expander``: st.expander's options."""
    guess = st.radio(label, choices, index=None, key=key, horizontal=True, on_change=opener(reveal_key(key)))
    return guess, folded(st.expander, "Reveal", key=reveal_key(key), **expander)


def reveal_key(guess_key: str) -> str:
    """The key of the folded Reveal under the guess of ``guess_key``."""
    return f"{guess_key}_reveal"
