"""The one copy of the explorer's state in ``st.session_state``, and its mirror in the URL.

Widgets never own the state: their keys are deleted by Streamlit when a page that does not
draw them runs, so the canonical LayerState lives under a plain key that survives page switches.
"""

from __future__ import annotations

import streamlit as st

from .state import LayerState, parse_query, to_query

STATE_KEY = "layer_state"
WARNINGS_KEY = "link_warnings"
INITIAL_QUERY_KEY = "initial_query"
PAGE_PARAMS_KEY = "page_params"


def current_state() -> LayerState:
    """The session's state; on its first run, read (and validate) the share link."""
    ss = st.session_state
    if STATE_KEY not in ss:
        query = st.query_params.to_dict()
        ss[INITIAL_QUERY_KEY] = query
        state, warnings = parse_query(query)
        ss[STATE_KEY] = state
        ss[WARNINGS_KEY] = warnings
    return ss[STATE_KEY]


def set_state(state: LayerState) -> None:
    st.session_state[STATE_KEY] = state


def show_link_warnings() -> None:
    """Show, once, what was wrong with a hand-edited link (kept until shown)."""
    for message in st.session_state.pop(WARNINGS_KEY, []):
        st.warning(message, icon="⚠️")


def sync_query_params(state: LayerState, extra: dict[str, str] | None = None) -> None:
    """Write the state into the URL so that copying it shares exactly this view.

    Only changed keys are written: each write is a browser history update.
    """
    wanted = to_query(state) | (extra or {})
    current = st.query_params.to_dict()
    if current != wanted:
        for key in set(current) - set(wanted):
            del st.query_params[key]
        st.query_params.update({k: v for k, v in wanted.items() if current.get(k) != v})


def add_link_warning(message: str) -> None:
    """Queue a warning about a page's own link parameter (shown by ``show_link_warnings``)."""
    st.session_state.setdefault(WARNINGS_KEY, []).append(message)


def link_param(key: str, parse, *args):
    """A page's own parameter from the opening link, read by ``parse(text_or_None, *args)``.

    ``parse`` returns (value, warning or None) and never raises; the warning is queued for the
    page's banner, so a hand-edited link says what was wrong and falls back.
    """
    value, warning = parse(initial_param(key), *args)
    if warning:
        add_link_warning(warning)
    return value


def initial_param(key: str) -> str | None:
    """A page's own parameter as it stood in the link that opened this session (unvalidated text)."""
    value = st.session_state.get(INITIAL_QUERY_KEY, {}).get(key)
    return None if value is None else str(value)


def begin_run() -> None:
    """Forget the page parameters of the previous run (another page may be showing now)."""
    st.session_state[PAGE_PARAMS_KEY] = {}


def set_page_param(key: str, value: str) -> None:
    """Put one of the current page's own settings (e.g. the loss) into the share link."""
    st.session_state.setdefault(PAGE_PARAMS_KEY, {})[key] = str(value)


def page_params() -> dict[str, str]:
    return dict(st.session_state.get(PAGE_PARAMS_KEY, {}))


def current_query() -> dict[str, str]:
    """The query string that reproduces what is on screen now (the share link's parameters)."""
    return to_query(current_state()) | page_params()
