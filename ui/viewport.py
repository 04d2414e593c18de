"""The width the page is really read at, from the browser: figures and formulas are planned for it.

Streamlit does not tell the server how wide the window is, so a session starts from its browser's
User-Agent (``section.device_width``): a phone's or tablet's, or a desktop's. That guess is wrong
for a desktop window narrower than ~1000 px (half a laptop screen beside the lecture notes: the
desktop's labels ran into each other in charts ~420 px wide), for a tablet, whose main column is
wider than a phone's, for an iPad that says it is a Mac, and for a tablet turned to landscape. A
small script (a components-v2 element, no iframe, drawn at the foot of every page) measures the
main column once it is drawn and again after the window is resized; only when that gives another
plan (``section.PLANS``) does it tell the server, which then plans the page again for it.
"""

from __future__ import annotations

import streamlit as st

from .figures.common import DESKTOP_FIGURE_WIDTH
from .section import DEVICE_KEY, PLANS, device_width

# Below this main-column width (px, inside its padding) the page is planned narrower than a
# desktop's, and its columns stack (``ui.style``): the desktop's plan needs charts of
# DESKTOP_FIGURE_WIDTH, which a 1024 px window with the sidebar open (564 px) still gives.
NARROW_MAIN_PX = DESKTOP_FIGURE_WIDTH
KEY = "viewport"

# ``data``: {"plan": the width the server planned, "plans": [[width, narrowest main column], …]}
# (``section.PLANS``). It answers only when the measure gives another plan, and each answer once,
# so a page never reruns itself in a loop; ``__softmaxMeasured`` tells tests the page has been
# measured, ``__softmaxPlan`` what it asked for. Short: it is sent on every run.
_JS = """export default function ({ data, setStateValue }) {
  const report = () => {
    const box = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!box) return;
    const s = getComputedStyle(box);
    const main = box.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    const plan = data.plans.filter(([, least]) => main >= least).pop()[0];
    if (plan !== data.plan && window.__softmaxPlan !== plan) {
      window.__softmaxPlan = plan;
      setStateValue("plan", plan);
    }
  };
  report();
  window.__softmaxMeasured = true;
  let timer;
  const later = () => { clearTimeout(timer); timer = setTimeout(report, 300); };
  window.addEventListener("resize", later);
  return () => { window.removeEventListener("resize", later); clearTimeout(timer); };
}"""
_component = st.components.v2.component("softmax_explorer.viewport", js=_JS)
_WIDTHS = frozenset(width for width, _ in PLANS)


def _measured() -> None:
    plan = (st.session_state.get(KEY) or {}).get("plan")
    if plan in _WIDTHS:  # what the browser sends is data: only a plan it was given
        st.session_state[DEVICE_KEY] = int(plan)


def watch() -> None:
    """Mount the width watcher (once per run, at the foot of the page: it draws nothing)."""
    _component(
        key=KEY,
        data={"plan": device_width(), "plans": PLANS},
        default={"plan": None},
        on_plan_change=_measured,
    )
