"""A hand-made link cannot put markup on the page: every quoted value is shown as typed.

Payloads go into link parameters of every kind (preset, T, seed, sel, n, x, order, loss, …); the
warnings that quote them must hold no element that came from them (no link, image, bold text,
coloured span, formula or HTML) and the browser must not fetch anything they name.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import pytest

from tests.browser.helpers import screenshot, wait_for_app
from ui.text import WORD_JOINER

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PAYLOADS = {
    "preset": "![](//example.org/p.png)",
    "T": "[Fix this](http://example.org/fix)",
    "seed": "www.example.org/fix",
    "sel": ":red[**boom**] :smile: $x^2$",
    "classroom": "<img src=//example.org/i.png onerror=alert(1)>",
    "n": "me@example.org",
    "K": "`code` <b>bold</b>",
}
PAGE_PAYLOADS = {
    "conventions": {"order": "[click](javascript:alert(1))"},
    "loss": {"loss": "**bold** _it_", "lr": "<script>alert(1)</script>", "target": "$$\\frac{1}{0}$$"},
    "batch": {"N": "https://example.org", "bseed": ":material/warning: :blue[x]"},
}
MARKUP = "a, img, strong, em, code, script, span[class*='katex'], [style*='color']"


@pytest.mark.parametrize("path", ["", *PAGE_PAYLOADS], ids=lambda p: p or "explorer")
def test_hostile_values_are_quoted_as_text(page, app_url, path):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    query = PAYLOADS | PAGE_PAYLOADS.get(path, {})
    page.goto(f"{app_url}/{path}?{urlencode(query)}")
    wait_for_app(page, settle=600)
    alerts = page.locator('[data-testid="stAlertContentWarning"] [data-testid="stMarkdownContainer"]')
    assert alerts.count() >= len(query) - 1  # one warning per bad value (seed may add "only for random")
    shown = "\n".join(alerts.all_inner_texts()).replace(WORD_JOINER, "")  # the joiner is invisible
    for value in query.values():
        assert f'"{value[:40]}' in shown  # quoted exactly as typed (long values are cut at 40 characters)
    assert alerts.locator(MARKUP).count() == 0, alerts.first.inner_html()
    assert not [u for u in requests if urlsplit(u).hostname and "example.org" in urlsplit(u).hostname]
    screenshot(page, f"hostile-link-{path or 'explorer'}")
