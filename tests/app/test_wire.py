"""Every chart of every page reaches the browser in orjson's one pass.

``st.plotly_chart`` calls ``plotly.io.to_json`` on every rerun. When orjson refuses a value (an
array of objects or strings), Plotly cleans the whole spec in Python and encodes it again: at the
default layer that was a fifth of a rerun. ``ui.section.wire_spec`` leaves no such value; this
test counts Plotly's cleaning pass over real runs of each page, in each context that builds other
figures (a phone's plan, classroom mode, the largest layer).
"""

from __future__ import annotations

import pytest

from tests.app.apptest import open_app, unfold
from ui.link import to_query
from ui.reveal import reveal_key
from ui.state import state_from_preset

pytestmark = pytest.mark.xdist_group("apptest")

# Each page at a view that draws charts (the Derivation's charts are on four of its steps).
VIEWS = [(None, {}), ("pages/loss.py", {}), ("pages/conventions.py", {}), ("pages/batch.py", {})]
VIEWS += [("pages/present.py", {"slide": "dp_dw"})]  # its chart is in the slide's Reveal, opened below
VIEWS += [("pages/derivation.py", {"step": step}) for step in ("matrix", "chain", "shortcut", "nudge")]


@pytest.fixture
def cleanings(monkeypatch) -> list[str]:
    import plotly.io._json as pio_json

    seen: list[str] = []  # the type of each value cleaned (the pass recurses through this name)
    original = pio_json.clean_to_json_compatible

    def spy(obj, **kwargs):
        seen.append(type(obj).__name__)
        return original(obj, **kwargs)

    monkeypatch.setattr(pio_json, "clean_to_json_compatible", spy)
    return seen


@pytest.mark.parametrize(("page", "query"), VIEWS)
@pytest.mark.parametrize("context", ["desktop", "phone", "classroom"])
def test_every_chart_is_encoded_in_one_pass(page, query, context, cleanings):
    query = query | ({"classroom": "1"} if context == "classroom" else {})
    at = open_app(query, page=page, phone=context == "phone")
    if page == "pages/present.py":
        unfold(at, reveal_key(f"pr_guess_{query['slide']}"))
    assert at.get("plotly_chart"), "the page drew no chart: nothing was checked"
    assert cleanings == [], f"Plotly cleaned {len(cleanings)} values in Python before encoding"


def test_the_largest_layer_is_encoded_in_one_pass(cleanings):
    at = open_app(to_query(state_from_preset("random", 64, 32, seed=1)))
    at.sidebar.select_slider(key="ctl_T").set_value(2.0).run()
    assert not at.exception and len(at.get("plotly_chart")) >= 4
    assert cleanings == []
