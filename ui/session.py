"""The session's one copy of the state, the one way widgets are bound to it, and its mirror in the URL.

- The layer (``LayerState``) and each page's settings (loss, target, …) live under plain keys in
  ``st.session_state``: widget keys are deleted by Streamlit when a run does not draw them (another
  page is showing), these are not.
- ``bind`` is the only way a widget is tied to that state, on every page and in the sidebar.
- A setting is first read from the link that opened the session (``ui.link``), with a warning per
  problem; at the end of each run the URL is rewritten to hold exactly what is on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

import core

from .link import PARAMS, Problem, parse_query, raw_params, read_setting, to_query
from .state import LayerState
from .text import literal

STATE_KEY = "layer_state"
VALUES_KEY = "_layer_values"
PROBLEMS_KEY = "link_problems"
UNPROMPTED_KEY = "_unprompted_run"  # set for a run the page started itself (ui.viewport's measure)
SHOWN_PROBLEMS_KEY = "_shown_problems"  # the link problems the last run showed
INITIAL_QUERY_KEY = "initial_query"
SETTINGS_KEY = "page_settings"  # name → value, kept for the whole session
SHOWN_KEY = "_settings_shown"  # the settings the current run's page drew (these go into the URL)
PAGE_KEY = "_page"  # the url path of the page this run draws
SYNCED_KEY = "_synced_query"  # the query the last run wrote into the URL
FOLLOWED_KEY = "_followed_link"  # page settings carried by a link followed inside the session, not yet read
# widget key → the state value it was last given. One dict, not a key per widget: Streamlit scans
# every session key when a slider is drawn, and writes through st.session_state are metered.
BOUND_KEY = "_bound"


def current_state() -> LayerState:
    """The session's layer state; on its first run, read (and check) the share link."""
    ss = st.session_state
    if STATE_KEY not in ss:
        query = {key: st.query_params.get_all(key) for key in st.query_params}  # repeated keys kept, to warn
        ss[INITIAL_QUERY_KEY] = query
        state, problems = parse_query(query)
        ss[STATE_KEY] = state
        add_problems(problems)
    return ss[STATE_KEY]


def set_state(state: LayerState) -> None:
    st.session_state[STATE_KEY] = state


def layer_values(state: LayerState) -> core.LayerValues:
    """core's one record for ``state`` (z, p, J, dz/dW, product, shortcut), reused while the state is unchanged."""
    ss = st.session_state
    cached = ss.get(VALUES_KEY)
    if cached is None or cached[0] != state:
        ss[VALUES_KEY] = (state, core.layer_values(state.x, state.W, state.temperature))
    return ss[VALUES_KEY][1]


# ---------------------------------------------------------------- binding widgets to the state


def bind(
    key: str, value: Any, draw: Callable[..., Any], *args, on_change: Callable[[Any], None] | None = None, **kwargs
) -> Any:
    """Draw the widget ``draw(*args, key=key, **kwargs)`` showing ``value``; return what it shows.

    ``value`` is the state's value. It is written into the widget whenever it differs from what the
    widget was last given (a preset, a link, a paste, another page, or Streamlit forgot the key),
    and never otherwise, so a half-typed form field is left alone. ``on_change(new)`` is called
    with the widget's new value when the visitor changes it, before the script reruns.
    """
    ss = st.session_state
    given = ss.setdefault(BOUND_KEY, {})
    # Streamlit gives a widget of the same key another identity on another page, so the page is
    # part of what the widget was given: on a new page the state's value is written again.
    shown = (ss.get(PAGE_KEY), value)
    if key not in ss or key not in given or not _same(given[key], shown):
        ss[key] = value
    given[key] = shown
    if on_change is not None:
        kwargs["on_change"] = lambda: on_change(ss[key])
    return draw(*args, key=key, **kwargs)


def _same(a, b) -> bool:
    try:
        return bool(a == b)
    except ValueError:  # arrays inside
        return False


def setting(name: str, default: Any = None, **context) -> Any:
    """A page setting's value: kept for the session, first read from the opening link.

    ``context`` is what the link reader needs (``K`` and ``p`` for ``target``). A name that is not
    a link parameter (``ui.link.PARAMS``) is kept for the session only, starting at ``default``.
    """
    ss = st.session_state
    settings = ss.setdefault(SETTINGS_KEY, {})
    if name not in PARAMS:
        return settings.setdefault(name, default)
    followed = ss.get(FOLLOWED_KEY, {})
    if name in followed:  # a link followed inside the session sets it again
        settings.pop(name, None)
    if name not in settings:
        text = followed.pop(name) if name in followed else ss.get(INITIAL_QUERY_KEY, {}).get(name)
        raw, too_long = raw_params({name: text} if text is not None else {})
        value, problem = read_setting(name, raw.get(name), **context)
        add_problems([*too_long, *([problem] if problem else [])])
        settings[name] = value
    return settings[name]


def set_setting(name: str, value: Any) -> None:
    st.session_state.setdefault(SETTINGS_KEY, {})[name] = value


def bind_setting(
    name: str, draw: Callable[..., Any], *args, context: dict | None = None, default: Any = None, **kwargs
) -> Any:
    """``bind`` for a page setting: the widget shows it, changes go back to it, and the link carries it."""
    value = setting(name, default, **(context or {}))
    st.session_state.setdefault(SHOWN_KEY, {})[name] = value
    new = bind(f"set_{name}", value, draw, *args, on_change=lambda v: set_setting(name, v), **kwargs)
    st.session_state[SHOWN_KEY][name] = new
    return new


# ---------------------------------------------------------------- link banner and URL


def add_problems(problems: list[Problem]) -> None:
    """Queue link problems for the banner (shown once, above the page)."""
    st.session_state.setdefault(PROBLEMS_KEY, []).extend(problems)


def unprompted() -> None:
    """Mark the coming run as one the page started itself (it measured its width), not the
    visitor: the link problems the last run showed are shown in it again (``show_link_problems``)."""
    st.session_state[UNPROMPTED_KEY] = True


def show_link_problems() -> None:
    """Show, once, what was wrong with a hand-edited link, as literal text (never markup). A page
    opened from a link runs a second time once it has measured itself (``unprompted``): that run
    shows again what the visitor's run showed."""
    ss = st.session_state
    again = ss.get(SHOWN_PROBLEMS_KEY, []) if ss.pop(UNPROMPTED_KEY, False) else []
    problems = ss[SHOWN_PROBLEMS_KEY] = [*again, *ss.pop(PROBLEMS_KEY, [])]
    for problem in problems:
        st.warning(literal(problem.message), icon="⚠️")


def begin_run(page: str) -> None:
    """Start a run of ``page`` (its url path): forget the settings the previous run drew, follow a link."""
    st.session_state[SHOWN_KEY] = {}
    st.session_state[PAGE_KEY] = page
    _follow_link()


def _follow_link() -> None:
    """A link followed inside the session (``st.page_link`` with ``query_params``) sets the settings it carries.

    The URL differs from what the previous run wrote only when the visitor followed such a link
    (widgets change the state, not the URL): each page setting whose text differs is read again
    from the link, with the usual checks, when its page next asks for it.
    """
    ss = st.session_state
    synced = ss.get(SYNCED_KEY)
    if synced is None:  # the first run reads the opening link itself
        return
    for name, text in st.query_params.to_dict().items():
        if name in PARAMS and PARAMS[name].pages and text != synced.get(name):
            ss.setdefault(FOLLOWED_KEY, {})[name] = text


def link_query(**settings: Any) -> dict[str, str]:
    """The query of the current view (layer state) with ``settings`` for the page a link goes to."""
    return to_query(current_state(), settings)


def shown_settings() -> dict[str, Any]:
    """The settings the current page drew in this run, in the table's order."""
    shown = st.session_state.get(SHOWN_KEY, {})
    return {name: shown[name] for name in PARAMS if name in shown}


def current_query() -> dict[str, str]:
    """The query string that reproduces what is on screen now (the share link's parameters)."""
    return to_query(current_state(), shown_settings())


def sync_query_params() -> None:
    """Write the state into the URL so that copying it shares exactly this view.

    Only changed keys are written: each write is a browser history update.
    """
    wanted = current_query()
    st.session_state[SYNCED_KEY] = wanted
    current = st.query_params.to_dict()
    if current != wanted:
        for key in set(current) - set(wanted):
            del st.query_params[key]
        st.query_params.update({k: v for k, v in wanted.items() if current.get(k) != v})
