"""A deep link as the very first request of a freshly started server: every page is drawn inside the shell.

With a ``pages/`` folder beside app.py, Streamlit runs ``pages/<page>.py`` on its own for a fresh
server's first request to ``/<page>``. The page must still get the sidebar controls, the link
check (a warning for a bad parameter) and the URL sync, and show the link's numbers.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import serve
from tests.browser.helpers import screenshot, wait_for_app
from ui.link import to_query
from ui.state import state_from_preset

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# Custom numbers (a preset would travel as its seed alone), so the link carries x as text.
STATE = state_from_preset("random", 4, 6, seed=3).with_values(selected=(2, 5, 3), preset="custom")
PAGES = {  # url path → a setting of that page's own, which must survive too
    "": {},
    "derivation": {"step": "nudge", "eps": "0.001"},
    "loss": {"loss": "mse", "lr": "0.05"},
    "conventions": {"order": "input_major"},
    "batch": {"N": "5", "bseed": "9"},
    "present": {"slide": "J"},
}


@pytest.mark.parametrize("path", list(PAGES), ids=[p or "explorer" for p in PAGES])
def test_deep_link_is_the_first_request_of_a_fresh_server(browser, path):
    query = to_query(STATE) | PAGES[path] | {"T": "hot"}  # one bad field: the link check must say so
    with serve(f"fresh-{path or 'explorer'}") as base:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        try:
            page.goto(f"{base}/{path}?{urlencode(query)}")
            wait_for_app(page, settle=800)
            sidebar = page.locator('[data-testid="stSidebar"]')
            # The sidebar controls, showing the link's sizes and numbers.
            # (expect retries: a fresh server may run the script twice while it switches navigation modes)
            expect(sidebar.get_by_role("spinbutton", name="n inputs")).to_have_value("4", timeout=30_000)
            expect(sidebar.get_by_role("spinbutton", name="K classes")).to_have_value("6")
            # The link check: the bad T is named, and the page still shows the link's numbers.
            warning = page.locator('[data-testid="stAlertContentWarning"]')
            expect(warning).to_have_count(1)
            assert "'T'" in warning.inner_text()
            wait_for_app(page)
            # The paste box is folded (ui.fold): opened, it runs the page once more and shows the link's x.
            sidebar.get_by_text("Use my own numbers", exact=True).click()
            expect(sidebar.get_by_label("x  (n numbers)")).to_have_value(
                ", ".join(query["x"].split(",")), timeout=30_000
            )
            wait_for_app(page)
            # The URL sync: the address bar holds the state on screen (T fell back to 1).
            shown = {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}
            assert urlsplit(page.url).path.strip("/") == path
            expected = to_query(STATE) | PAGES[path] | {"T": "1"}
            assert {k: shown.get(k) for k in expected} == expected
            screenshot(page, f"fresh-server-{path or 'explorer'}")
        finally:
            context.close()
