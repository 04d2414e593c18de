"""Shared AppTest helpers: open the app (or one of its pages) and read what it drew.

Every page is reached through app.py's navigation, as a visitor reaches it, so the sidebar
controls, link checks and URL sync run too.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path

import numpy as np

from ui import section
from ui.figures.common import NARROWEST_FIGURE_WIDTH
from ui.text import WORD_JOINER

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_app(query: dict[str, str] | None = None, page: str | None = None, *, phone: bool = False):
    """Run app.py once with ``query`` as the link's parameters; then switch to ``page`` if given.

    ``phone``: the session is a handheld device's, as a phone's User-Agent makes it (ui.section).
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    if phone:
        at.session_state[section.DEVICE_KEY] = NARROWEST_FIGURE_WIDTH
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def unfold(at, *keys: str):
    """Open the folded expanders or popovers (``ui.fold``) of ``keys``, as a visitor's click does
    (which reruns the page): closed, their content is not drawn."""
    for key in keys:
        at.session_state[key] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_reveals(at):
    """Open every Reveal on the page (``ui.reveal``, the Loss page's), as a visitor's clicks do."""
    return unfold(at, *[key for key in at.session_state if str(key).endswith("_reveal")])


def chart(at, key: str) -> dict:
    """The figure JSON of the chart whose element id mentions ``key``."""
    for c in at.get("plotly_chart"):
        if key in c.proto.id:
            return json.loads(c.proto.spec)
    raise AssertionError(f"no chart {key!r} among {[c.proto.id[-40:] for c in at.get('plotly_chart')]}")


def values(v) -> np.ndarray:
    """Plotly JSON arrays are plain lists or base64 'bdata' blocks."""
    if isinstance(v, dict) and "bdata" in v:
        arr = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
        return arr.reshape([int(s) for s in str(v["shape"]).split(",")]) if "shape" in v else arr
    return np.asarray(v, dtype=float)


def metric(at, label_start: str) -> str:
    found = [m.value for m in at.metric if m.label.startswith(label_start)]
    assert found, [m.label for m in at.metric]
    return found[0]


def number(text: str) -> float:
    """A displayed number (Unicode minus allowed, "1.4 × 10⁻¹⁷" too) as a float."""
    text = text.replace("−", "-")
    if " × 10" in text:
        mantissa, power = text.split(" × 10")
        return float(mantissa) * 10.0 ** int(power.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")))
    return float(text)


def latex(at) -> str:
    return "\n".join(e.value for e in at.latex)


def unescape(text: str) -> str:
    """Text shown with ui.text.literal (punctuation as character references), as the visitor reads it."""
    return html.unescape(text).replace(WORD_JOINER, "")


def warnings(at) -> list[str]:
    """The link warnings (and any other st.warning) as plain text."""
    return [unescape(w.value) for w in at.warning]


def _walk(node, hidden: bool = False):
    """(element, hidden) for every element under ``node``; hidden: inside an expander drawn collapsed."""
    from streamlit.testing.v1.element_tree import Expander

    if isinstance(node, Expander) and not node.proto.expanded:
        hidden = True
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk(child, hidden)
    else:
        yield node, hidden


def shown(at, kind: str) -> list[str]:
    """The values of the page's ``kind`` elements ("latex", "markdown", …) that a visitor sees without
    opening anything: in the main area, not inside a collapsed expander."""
    return [e.value for e, hidden in _walk(at.main) if not hidden and getattr(e, "type", None) == kind]


def page_links(at) -> list:
    """Every st.page_link drawn (sidebar first, then the page), as protos with label, page and query_string."""
    return [e.proto for e in at.get("page_link")]


def follow(at, link):
    """Follow a page link as the browser does inside a session: switch page with the link's query, run."""
    from urllib.parse import parse_qsl

    at.switch_page(f"pages/{link.page}.py" if link.page else "pages/explorer.py")
    at.query_params.clear()
    at.query_params.update(dict(parse_qsl(link.query_string)))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
