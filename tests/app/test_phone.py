"""Every page in a phone's session (ui.section.handheld): long formulas come stacked at their breaks.

A formula marks where it may break (ui.text.BREAK); on a phone ui.section.latex puts each part on
its own line, so it is read whole instead of scrolled sideways (a 390 px screen holds about 360 px
of formula). Desktops get the formula on one line, with the marks, which KaTeX ignores.
"""

from __future__ import annotations

import pytest

from tests.app.apptest import open_app, open_reveals
from ui.link import DERIVATION_STEPS, PRESENT_SLIDES, to_query
from ui.state import state_from_preset
from ui.text import BREAK

pytestmark = pytest.mark.xdist_group("apptest")

MARK = BREAK.strip()
STACKED = r"\begin{gathered}"
VIEWS = (
    [(None, {})]
    + [("pages/derivation.py", {"step": step}) for step in DERIVATION_STEPS]
    + [("pages/present.py", {"slide": slide}) for slide in PRESENT_SLIDES]
    + [(f"pages/{name}.py", {}) for name in ("loss", "conventions", "batch")]
)
LAYERS = {"blog": {}, "8×8 at T = 2": to_query(state_from_preset("random", 8, 8, seed=1)) | {"T": "2"}}


def _label(page: str | None, extra: dict[str, str]) -> str:
    return f"{page or 'explorer'} {extra}"


# The Derivation's steps whose every formula fits a phone's width as it is.
FIT = {_label("pages/derivation.py", {"step": step}) for step in ("blog", "nudge")}


def phone_formulas(query: dict[str, str]) -> dict[str, list[str]]:
    """{view: the LaTeX of each formula it draws in a phone's session, its Reveals opened}, every
    view opened afresh (open_app: no exception)."""
    return {
        _label(page, extra): [e.value for e in open_reveals(open_app(query | extra, page, phone=True)).latex]
        for page, extra in VIEWS
    }


@pytest.mark.parametrize("layer", LAYERS)
def test_on_a_phone_long_formulas_are_stacked_and_no_break_mark_is_left(layer):
    seen = phone_formulas(LAYERS[layer])
    assert not [(view, f) for view, fs in seen.items() for f in fs if MARK in f]
    counts = {view: sum(STACKED in f for f in fs) for view, fs in seen.items()}
    # Every other view has a line that would run off a phone: a sum, a check, a note.
    missing = [view for view, count in counts.items() if count == 0 and view not in FIT]
    assert not missing, counts


def test_on_a_desktop_formulas_keep_one_line():
    at = open_app({"step": "shortcut"}, "pages/derivation.py")
    shown = [e.value for e in at.latex]
    assert not any(STACKED in f for f in shown)
    assert sum(MARK in f for f in shown) >= 4  # marked, and KaTeX ignores the marks in display mode
