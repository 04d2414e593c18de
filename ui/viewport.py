"""The width the page is really read at, from the browser: figures and formulas are planned for it.

Streamlit does not tell the server how wide the window is, so a session starts from its browser's
User-Agent (``section.device_width``): a phone's or tablet's, or a desktop's. That guess is wrong
for a desktop window narrower than ~1000 px (half a laptop screen beside the lecture notes: the
desktop's labels ran into each other in charts ~420 px wide), for a tablet, whose main column is
wider than a phone's, for an iPad that says it is a Mac, and for a tablet turned to landscape. A
small script (a components-v2 element, no iframe, drawn at the foot of every page) measures the
main column and each chart once they are drawn, and again when the column changes width (the
window resized, the sidebar opened or closed); it tells the server what the server does not know yet.

The server then plans the page again if the column gives another plan (``section.PLANS``), and
draws each measured chart at its width (``section.figure``). Streamlit mounts a changed chart
hidden until it has measured the chart's new box: without a width of its own a chart blinked out on
every slider move. So a page runs twice when first opened in a tab: planned from the User-Agent,
then measured; a chart drawn for the first time (another page, an opened Reveal) once more.
"""

from __future__ import annotations

import re

import streamlit as st

from . import session
from .figures.common import DESKTOP_FIGURE_WIDTH
from .section import CHART_WIDTHS_KEY, DEVICE_KEY, PLANS, device_width

# Below this main-column width (px, inside its padding) the page is planned narrower than a
# desktop's, and its columns stack (``ui.style``): the desktop's plan needs charts of
# DESKTOP_FIGURE_WIDTH, which a 1024 px window with the sidebar open (564 px) still gives.
NARROW_MAIN_PX = DESKTOP_FIGURE_WIDTH
KEY = "viewport"
MAIN_KEY = "_main_px"  # the main column's width (px) as the browser last measured it
PX_RANGE = (150, 10_000)  # a main column's or a chart's width; anything else sent is ignored
MAX_CHARTS = 64  # charts on one page, more than any page draws
_CHART_KEY = re.compile(r"[A-Za-z0-9_-]{1,100}")  # as Streamlit writes a key into its class (section.key_class)

# ``data``: {"plan": the width the server planned, "main": the main column's width it knows (px, or
# null), "charts": {chart key: width} it knows, "plans": [[width, narrowest main column], …]}
# (``section.PLANS``). It answers when it measures what the server does not know, each measure once
# until the window is resized, so a page never reruns itself in a loop. ``__softmaxMeasured`` tells
# tests the server knows what the page measures; ``__softmaxPlan`` is the plan it asked for, if it
# asked for another than the server's. It measures again once the page has settled after a change
# of the column's size or of what it holds (a chart drawn since: another page, an opened Reveal).
# Streamlit calls the function again whenever ``data`` changes, and the cleanup only when it
# unmounts: the watchers are set up once, and read the latest ``data``. ``data`` changes only when
# the server learns a width, so the element is not sent again on a move (the browser keeps it).
_JS = """const w = (window.__softmaxWatch ??= { sent: new Set() });
const report = () => {
  const box = w.box, data = w.data;
  const s = getComputedStyle(box);
  const main = Math.round(box.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight));
  const charts = {};
  for (const chart of box.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    const holder = chart.closest('[data-testid="stElementContainer"]');
    const key = holder && [...holder.classList].find((c) => c.startsWith("st-key-"));
    const width = Math.round(chart.getBoundingClientRect().width);
    if (key && width >= 150) charts[key.slice(7)] = width;
  }
  const known = main === data.main && Object.entries(charts).every(([k, px]) => data.charts[k] === px);
  const measure = JSON.stringify([main, charts]);
  window.__softmaxMeasured = known;
  if (known || w.sent.has(measure)) return;
  w.sent.add(measure);
  const plan = data.plans.filter(([, least]) => main >= least).pop()[0];
  if (plan !== data.plan) window.__softmaxPlan = plan;
  w.set("measure", { plan, main, charts });
};
const later = () => { clearTimeout(w.timer); w.timer = setTimeout(report, 300); };
const resized = () => { w.sent.clear(); later(); };  // the visitor's doing: any width may come again
export default function ({ data, setStateValue }) {
  const box = document.querySelector('[data-testid="stMainBlockContainer"]');
  if (!box) return;
  w.data = data;
  w.set = setStateValue;
  if (w.box !== box) {
    w.observer?.disconnect();
    w.box = box;
    w.observer = new ResizeObserver(later);  // the sidebar opened or closed, a scroll bar came
    w.observer.observe(box);
    w.mutations?.disconnect();
    w.mutations = new MutationObserver(later);  // a chart drawn or mounted anew
    w.mutations.observe(box, { childList: true, subtree: true });
    window.addEventListener("resize", resized);  // once: the same function is not added twice
  }
  report();
  return () => {
    w.observer?.disconnect();
    w.mutations?.disconnect();
    window.removeEventListener("resize", resized);
    clearTimeout(w.timer);
    w.box = null;
  };
}"""
_component = st.components.v2.component("softmax_explorer.viewport", js=_JS)
_WIDTHS = frozenset(width for width, _ in PLANS)


def _px(value) -> int | None:
    """A width the browser sent, if it is one (a number in PX_RANGE), in whole px."""
    low, high = PX_RANGE
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high
    return round(value) if ok else None


def accepted(measure, main: int | None, widths: dict[str, int]) -> tuple[int | None, int | None, dict[str, int]]:
    """What to keep of a ``measure`` the browser sent ({"plan", "main", "charts"}), given the main
    column's width the server knew (``main``) and its charts' ``widths``: (plan or None, main
    column or None, the charts' widths). It is data: only a plan the page was given, only widths a
    column can have, only keys a chart can have; anything else is dropped. In the same column the
    other pages' charts keep their widths; in another column only what was measured there holds."""
    if not isinstance(measure, dict):
        return None, main, widths
    plan = measure["plan"] if measure.get("plan") in _WIDTHS else None
    measured_main = _px(measure.get("main"))
    if measured_main is None:
        return plan, main, widths
    charts = measure.get("charts")
    charts = charts if isinstance(charts, dict) and len(charts) <= MAX_CHARTS else {}
    fresh = {k: w for k, v in charts.items() if isinstance(k, str) and _CHART_KEY.fullmatch(k) and (w := _px(v))}
    return plan, measured_main, ({**widths, **fresh} if measured_main == main else fresh)


def _measured() -> None:
    ss = st.session_state
    session.unprompted()
    measure = (ss.get(KEY) or {}).get("measure")
    plan, ss[MAIN_KEY], ss[CHART_WIDTHS_KEY] = accepted(measure, ss.get(MAIN_KEY), ss.get(CHART_WIDTHS_KEY, {}))
    if plan is not None:
        ss[DEVICE_KEY] = int(plan)


def watch() -> None:
    """Mount the width watcher (once per run, at the foot of the page: it draws nothing)."""
    ss = st.session_state
    _component(
        key=KEY,
        data={
            "plan": device_width(),
            "main": ss.get(MAIN_KEY),
            "charts": ss.get(CHART_WIDTHS_KEY, {}),
            "plans": PLANS,
        },
        default={"measure": None},
        on_measure_change=_measured,
    )
