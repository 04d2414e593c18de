"""The readers' questions (the seeds), in their own words, each one click from its answer.

``QUESTIONS`` says where each answer is shown: a page (its file, as in app.py's PAGES) and the
page settings that open it at the right place (the Derivation page's ``step``, the Loss page's
``focus``, which brings the answer's section to the top). The
Explorer lists them at its top and the sidebar under the navigation; each is an ``st.page_link``
whose query is the current view plus those settings, so it is also a link that can be shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from . import session


@dataclass(frozen=True)
class Question:
    """One reader's question: ``text`` as they would ask it, ``page`` (file) and ``settings`` of its answer."""

    text: str
    page: str
    settings: dict = field(default_factory=dict)
    icon: str = ":material/help:"


QUESTIONS: tuple[Question, ...] = (
    Question("Why does the quotient rule give me 0?", "pages/derivation.py", {"step": "mistakes"}),
    Question("Where do the i = j and i ≠ j cases come from?", "pages/derivation.py", {"step": "cases"}),
    Question(
        "How does the blog's DS·DZᵀ come out, and why does the shortcut match?",
        "pages/derivation.py",
        {"step": "blog"},
    ),
    Question("Why is it written Softmax′(a) and not Softmax′(z)?", "pages/derivation.py", {"step": "output"}),
    Question("How do I get the weight gradient from this?", "pages/loss.py", {"focus": "weight_gradient"}),
)


def question_links() -> None:
    """Draw each question as a link to its answer, with the current view's numbers in the link."""
    for q in QUESTIONS:
        st.page_link(q.page, label=q.text, icon=q.icon, query_params=session.link_query(**q.settings))
