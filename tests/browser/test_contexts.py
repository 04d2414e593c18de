"""Every page in every context it is opened in (DESIGN.md): light, dark, phone, tablet, a narrow window,
projector, big layers.

One server for the module (the session's ``app_url``), one browser context per reading context,
one tab reused for every page. Per page and context it measures, in the real Chromium:
- exceptions shown (0);
- the page's background: the colour the charts' palette has for the context's theme;
- chart text contrast: the fill of every SVG text drawn on the page's own background (tick
  labels, titles, colour-bar ticks, legends, bar labels; not the numbers inside heatmap cells,
  which sit on their cell) against the app's background colour, WCAG ratio (≥ 4.5, ≥ 7 projected);
- horizontal overflow: the document and the main container no wider than the window;
- tick labels of one axis (and one colour bar) that overlap, and chart text cut at a chart's edge;
- any two texts of a chart that overlap (titles, captions, axis titles, labels of different axes);
- each chart's title block: its top inside the chart, and what comes under it neither touching it
  nor far below it (between 0.4 and 2.5 × the chart's font);
- the smallest chart text in classroom mode (≥ 24 px);
- requests to anything but this machine (none).
Only charts a visitor can see are measured: a chart inside a closed expander is measured after the
expander is opened, as the visitor would (page name "<page>+opened").
A screenshot of each page and context goes to artifacts/screenshots/context-<context>-<page>.png,
and the measured table to artifacts/contexts.json.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode, urlsplit

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import EXCEPTION, screenshot, wait_for_app
from ui.figures.common import palette
from ui.link import to_query
from ui.state import state_from_preset

# One fixture measures every page in every context (minutes on a 2-core machine): beyond the suite's 300 s.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.timeout(1800)]

# Each view is a page ("derivation-nudge": the page before the dash) at its PAGE_QUERY.
PAGES = (
    "",
    "derivation",
    "derivation-chain",
    "derivation-nudge",
    "loss",
    "conventions",
    "batch",
    "present",
    "present-z",
)
# The Derivation opens on a step without a chart; its dp/dW step draws the largest figure, its chain
# step the path diagram, its nudge step the one chart with a legend. The Presenter path's dp/dW slide
# too, and its z slide the output bars in the narrowest place there is, a Reveal in a box (both
# behind their Reveal, which is opened as a visitor would).
# The Presenter path's slides draw their charts only inside their Reveal, which is folded (ui.fold):
# closed, the view has no chart; opened, its charts are measured like any other ("<view>+opened").
BEHIND_REVEAL = {"present", "present-z"}
PAGE_QUERY = {
    "derivation": {"step": "shortcut"},
    "derivation-chain": {"step": "chain"},
    "derivation-nudge": {"step": "nudge"},
    "present": {"slide": "dp_dw"},
    "present-z": {"slide": "z"},
}


def _layer(n: int, K: int) -> dict[str, str]:
    return to_query(state_from_preset("random", n, K, seed=1))


# A phone's browser says it is one: figures on a handheld are planned for its width (ui.section).
PHONE_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)

# An iPad in portrait (820 px, the sidebar open): a tablet starts from the phone's plan (ui.section.is_handheld),
# then gets its main column's (ui.viewport).
TABLET_AGENT = (
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)

AGENTS = {"phone": PHONE_AGENT, "tablet": TABLET_AGENT}  # by context name; the rest are desktop browsers

# name → (viewport, colour scheme, query)
CONTEXTS = {
    "light": ({"width": 1440, "height": 900}, "light", {}),
    "dark": ({"width": 1440, "height": 900}, "dark", {}),
    "phone": ({"width": 390, "height": 844}, "light", {}),
    "tablet": ({"width": 820, "height": 1180}, "dark", {}),
    "window900": ({"width": 900, "height": 900}, "light", {}),  # a desktop's half-screen window (ui.viewport)
    "laptop": ({"width": 1024, "height": 768}, "light", {}),  # the narrowest desktop plan: charts of 560 px
    "classroom": ({"width": 1920, "height": 1080}, "light", {"classroom": "1"}),
    "layer8x8": ({"width": 1440, "height": 900}, "light", _layer(8, 8)),
    "layer64x32": ({"width": 1440, "height": 900}, "dark", _layer(64, 32)),
    "phone64x32": ({"width": 390, "height": 844}, "light", _layer(64, 32)),
    "classroom64x32": ({"width": 1920, "height": 1080}, "dark", _layer(64, 32) | {"classroom": "1"}),
}
MIN_CONTRAST = 4.5
MIN_CONTRAST_PROJECTED = 7.0
MIN_CLASSROOM_PX = 24.0
MIN_INPUT_PX = 20.0  # a typed value (select, number) or a caption projected: the page's text is 22 px there
TITLE_GAP = (0.4, 2.5)  # × font: the least and most room between a chart's title block and what is under it

_CHARTS_DRAWN = """() => {
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    return charts.length > 0 && charts.every(c => c.querySelector('.js-plotly-plot svg text') !== null);
}"""
# Charts keep re-laying out for a moment after they first draw (Streamlit's containers settle, and
# Plotly re-ticks an axis for its final width): the same sizes and tick counts twice, half a second
# apart, before anything is measured. A measurement mid-resize found overlaps no visitor sees.
_SETTLED = """() => {
    const now = [...document.querySelectorAll('.js-plotly-plot')].map(e =>
        Math.round(e.getBoundingClientRect().width) + 'x' + Math.round(e.getBoundingClientRect().height)
        + ':' + e.querySelectorAll('g[class$="tick"]').length).join(',');
    const same = window.__chartsBefore === now;
    window.__chartsBefore = now;
    return same;
}"""

# Everything measured in one pass over the page's charts.
_MEASURE = r"""() => {
    // Where Streamlit cuts text with "…" when its box is narrow: metric values and labels, widget labels.
    const TRUNCATED = '[data-testid="stMain"] :is([data-testid="stMetricValue"], [data-testid="stMetricLabel"], '
        + '[data-testid="stWidgetLabel"], [data-testid^="stBaseButton"]) *';
    const rect = e => e.getBoundingClientRect();
    const visible = r => r.width > 0.5 && r.height > 0.5;
    const app = document.querySelector('[data-testid="stApp"]');
    const main = document.querySelector('[data-testid="stMain"]');
    const texts = [], groups = {}, cut = [], placed = [], heads = [];
    document.querySelectorAll('.js-plotly-plot').forEach((plot, p) => {
        // A closed expander keeps its chart laid out but unseen (its size then says nothing).
        if (!plot.checkVisibility()) return;
        const box = rect(plot);
        // The title block: its top inside the chart, and how far under it the chart goes on.
        const title = plot.querySelector('.gtitle');
        if (title && visible(rect(title))) {
            const block = [...plot.querySelectorAll('.g-gtitle text')].map(rect).filter(visible);
            const under = [...plot.querySelectorAll('.draglayer .nsewdrag, .colorbar rect, svg text')]
                .filter(e => !e.closest('.g-gtitle') && !e.closest('.hoverlayer')).map(rect).filter(visible);
            const font = parseFloat(getComputedStyle(title).fontSize) / 1.15;  // base_layout's title: 1.15 × font
            heads.push({chart: p, text: title.textContent.slice(0, 30), font,
                        top: Math.min(...block.map(r => r.top)) - box.top,
                        gap: Math.min(...under.map(r => r.top)) - Math.max(...block.map(r => r.bottom))});
        }
        plot.querySelectorAll('svg text').forEach(t => {
            const content = (t.textContent || '').trim();
            const r = rect(t);
            if (!content || !visible(r)) return;
            const style = getComputedStyle(t);
            if (style.visibility === 'hidden' || style.display === 'none' || style.opacity === '0') return;
            const onCell = t.closest('.heatmaplayer, .hm') !== null || t.closest('.bartext-inside') !== null;
            texts.push({chart: p, text: content.slice(0, 40), fill: style.fill,
                        opacity: parseFloat(style.fillOpacity || '1') * parseFloat(style.opacity || '1'),
                        size: parseFloat(style.fontSize), onCell, l: r.left, r: r.right, t: r.top, b: r.bottom});
            if (r.right > box.right + 1 || r.left < box.left - 1) cut.push(`chart ${p}: ${content.slice(0, 40)}`);
            if (!onCell && !t.closest('.hoverlayer')) {
                // Its group: one colour bar (Plotly sets its title against the bar, so the end tick may
                // touch it), or its kind (ticks of one axis are compared below, among themselves).
                const bar = t.closest('.colorbar');
                const kind = bar ? 'colorbar ' + [...plot.querySelectorAll('.colorbar')].indexOf(bar)
                                 : (t.parentElement && t.parentElement.getAttribute('class')) || '';
                placed.push({chart: p, kind, text: content.slice(0, 30), l: r.left, r: r.right, t: r.top, b: r.bottom});
            }
        });
        const axes = plot.querySelectorAll('.xaxislayer-above, .yaxislayer-above, .colorbar');
        axes.forEach((axis, a) => {
            // A subplot's ticks are x2tick, y3tick, ...: not only the first plot's xtick and ytick.
            const sel = axis.classList.contains('colorbar') ? '.cbaxis text, .ycbtick text, g[class*="tick"] text'
                                                            : 'g[class$="tick"] text';
            const boxes = [];
            axis.querySelectorAll(sel).forEach(t => {
                const r = rect(t);
                if ((t.textContent || '').trim() && visible(r))
                    boxes.push({text: t.textContent.trim(), l: r.left, r: r.right, t: r.top, b: r.bottom});
            });
            groups[`chart ${p} axis ${a}`] = boxes;
        });
    });
    return {
        background: getComputedStyle(app).backgroundColor,
        texts, groups, cut, heads,
        // Texts of one chart from different groups that overlap: an axis title over another
        // plot's bars, a subplot title over its neighbour's, a caption over tick labels.
        clashes: placed.flatMap((a, i) => placed.slice(i + 1)
            .filter(b => b.chart === a.chart && b.kind !== a.kind
                && Math.min(a.r, b.r) - Math.max(a.l, b.l) > 2 && Math.min(a.b, b.b) - Math.max(a.t, b.t) > 2)
            .map(b => `chart ${a.chart}: '${a.text}' and '${b.text}' overlap`)),
        docOverflow: document.scrollingElement.scrollWidth - window.innerWidth,
        mainOverflow: main ? main.scrollWidth - main.clientWidth : 0,
        charts: document.querySelectorAll('.js-plotly-plot').length,
        // A slider's value over its thumb (its foot below the thumb's top), and typed values' sizes.
        sliderClashes: [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stSliderThumbValue"]')]
            .filter(v => v.checkVisibility() && rect(v).bottom > rect(v.parentElement).top + 1)
            .map(v => (v.textContent || '').trim()),
        inputs: [...document.querySelectorAll('[data-testid="stMain"] input:not([type="range"]):not([type="file"])')]
            .filter(i => i.checkVisibility() && visible(rect(i)))
            .map(i => ({text: i.value.slice(0, 20), size: parseFloat(getComputedStyle(i).fontSize)})),
        captions: [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stCaptionContainer"] p')]
            .filter(c => c.checkVisibility() && visible(rect(c)))
            .map(c => ({text: (c.textContent || '').slice(0, 30), size: parseFloat(getComputedStyle(c).fontSize)})),
        // Labels and values Streamlit cuts with "…" where their box is too narrow (metrics, widget labels, buttons).
        truncated: [...document.querySelectorAll(TRUNCATED)]
            .filter(e => getComputedStyle(e).textOverflow === 'ellipsis' && e.checkVisibility()
                && e.scrollWidth > e.clientWidth + 1)
            .map(e => (e.textContent || '').trim().slice(0, 40)),
        // A formula KaTeX could not parse is drawn as its red source.
        katexErrors: [...document.querySelectorAll('.katex-error')].map(e => (e.textContent || '').slice(0, 60)),
    };
}"""

# Opens every closed expander that holds a chart, and every Reveal (folded: its chart is built once it
# is open, ui.fold), as a visitor would; returns how many it opened.
_OPEN_EXPANDERS = """() => {
    const closed = [...document.querySelectorAll('[data-testid="stExpander"] details:not([open])')]
        .filter(d => d.querySelector('.js-plotly-plot') !== null
            || (d.querySelector('summary').textContent || '').includes('Reveal'));
    closed.forEach(d => d.querySelector('summary').click());
    return closed.length;
}"""


def _rgba(css: str) -> tuple[float, float, float, float]:
    nums = [float(v) for v in re.findall(r"[\d.]+", css)]
    if len(nums) < 3:
        raise ValueError(f"not a colour: {css!r}")
    return nums[0], nums[1], nums[2], nums[3] if len(nums) > 3 else 1.0


def _luminance(rgb) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str, opacity: float = 1.0) -> float:
    """WCAG contrast ratio of ``fg`` (alpha and ``opacity`` blended onto ``bg``) against ``bg``."""
    f, b = _rgba(fg), _rgba(bg)
    alpha = f[3] * opacity
    blended = [alpha * f[k] + (1 - alpha) * b[k] for k in range(3)]
    hi, lo = sorted((_luminance(blended), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


CELL_GAP = 2.0  # px: the least room between two numbers side by side in a heatmap's cells


def crowded(texts: list[dict], gap: float = CELL_GAP) -> list[tuple[str, str]]:
    """Pairs of one chart's cell numbers on one line with less than ``gap`` px between them (or overlapping)."""
    by_chart: dict[int, list[dict]] = {}
    for t in texts:
        if t["onCell"]:
            by_chart.setdefault(t["chart"], []).append(t)
    return [pair for cells in by_chart.values() for pair in overlaps(cells, tolerance=1.0, across=-gap)]


def overlaps(boxes: list[dict], tolerance: float = 1.0, across: float | None = None) -> list[tuple[str, str]]:
    """Pairs of boxes that intersect by more than ``tolerance`` px each way (tick labels that overlap);
    with ``across``, by more than ``across`` px side to side (a negative ``across``: closer than that)."""
    across = tolerance if across is None else across
    out = []
    for a in range(len(boxes)):
        for b in range(a + 1, len(boxes)):
            p, q = boxes[a], boxes[b]
            w = min(p["r"], q["r"]) - max(p["l"], q["l"])
            h = min(p["b"], q["b"]) - max(p["t"], q["t"])
            if w > across and h > tolerance:
                out.append((p["text"], q["text"]))
    return out


def test_crowded_finds_numbers_run_together_on_one_line_only():
    def cell(text, left, top, chart=0):
        return {"chart": chart, "text": text, "onCell": True, "l": left, "r": left + 40, "t": top, "b": top + 12}

    assert crowded([cell("a", 0, 0), cell("b", 41, 0)]) == [("a", "b")]  # 1 px apart
    assert crowded([cell("a", 0, 0), cell("b", 43, 0)]) == []  # 3 px apart
    assert crowded([cell("a", 0, 0), cell("b", 0, 13)]) == []  # the next row
    assert crowded([cell("a", 0, 0), cell("b", 10, 0, chart=1)]) == []  # another chart
    assert crowded([{**cell("a", 0, 0), "onCell": False}, cell("b", 10, 0)]) == []  # a label, not a number


def test_contrast_helper_matches_wcag():
    assert round(contrast("rgb(0,0,0)", "rgb(255,255,255)"), 1) == 21.0
    assert round(contrast("rgb(255,255,255)", "rgb(255,255,255)"), 1) == 1.0
    assert contrast("rgba(0,0,0,0)", "rgb(255,255,255)") == pytest.approx(1.0)
    assert overlaps([{"text": "a", "l": 0, "r": 10, "t": 0, "b": 10}, {"text": "b", "l": 5, "r": 15, "t": 0, "b": 10}])


@pytest.fixture(scope="module")
def measured(browser, app_url):
    """{context: {page: measurements}} for every page in every context; screenshots saved on the way."""
    results: dict[str, dict] = {}
    outside: list[str] = []
    for name, (viewport, scheme, query) in CONTEXTS.items():
        agent = {"user_agent": AGENTS[name.removesuffix("64x32")]} if name.removesuffix("64x32") in AGENTS else {}
        context = browser.new_context(viewport=viewport, color_scheme=scheme, **agent)
        context.set_default_timeout(60_000)

        def record(request, outside=outside):
            host = urlsplit(request.url).hostname
            if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host not in ("127.0.0.1", "localhost"):
                outside.append(request.url)

        context.on("request", record)
        page = context.new_page()
        results[name] = {}
        try:
            for path in PAGES:
                full = query | PAGE_QUERY.get(path, {})
                url = f"{app_url}/{path.split('-')[0]}" + (f"?{urlencode(full)}" if full else "")
                page.goto(url)
                try:
                    wait_for_app(page, timeout=90_000)
                    exceptions = 0
                except AssertionError:
                    exceptions = page.locator(EXCEPTION).count()
                try:  # every chart has drawn its text (big layers take a while)
                    if path not in BEHIND_REVEAL:
                        page.wait_for_function(_CHARTS_DRAWN, timeout=60_000, polling=250)
                except Exception:  # measured as it is; "no chart drawn" or missing text then shows
                    pass
                _settle(page)
                m = page.evaluate(_MEASURE)
                m["exceptions"] = exceptions
                results[name][path or "explorer"] = m
                screenshot(page, f"context-{name}-{path or 'explorer'}")
                if page.evaluate(_OPEN_EXPANDERS):
                    try:  # the rerun that builds a fold's content, then its charts' text
                        wait_for_app(page, timeout=90_000, settle=600)
                        page.wait_for_function(_CHARTS_DRAWN, timeout=60_000, polling=250)
                    except Exception:  # measured as it is; an exception is counted below
                        pass
                    _settle(page)
                    m = page.evaluate(_MEASURE)
                    m["exceptions"] = page.locator(EXCEPTION).count()
                    results[name][f"{path or 'explorer'}+opened"] = m
                    screenshot(page, f"context-{name}-{path or 'explorer'}-opened")
        finally:
            context.close()
    summary = _summarise(results)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "contexts.json").write_text(json.dumps({"summary": summary, "outside": outside}, indent=1))
    return results, outside


def _settle(page) -> None:
    """Wait until the charts' sizes and tick counts hold still (measured as they are after 20 s)."""
    page.evaluate("window.__chartsBefore = undefined")
    try:
        page.wait_for_function(_SETTLED, timeout=20_000, polling=500)
    except Exception:
        pass


def _summarise(results: dict) -> dict:
    table = {}
    for name, pages in results.items():
        for page, m in pages.items():
            page_texts = [t for t in m["texts"] if not t["onCell"]]
            ratios = [contrast(t["fill"], m["background"], t["opacity"]) for t in page_texts]
            table[f"{name}/{page}"] = {
                "charts": m["charts"],
                "exceptions": m["exceptions"],
                "min_contrast": round(min(ratios), 2) if ratios else None,
                "min_font_px": min((t["size"] for t in m["texts"]), default=None),
                "overlapping_ticks": sum(len(overlaps(b)) for b in m["groups"].values()),
                "cut_text": len(m["cut"]),
                "overlapping_texts": len(m["clashes"]),
                "title_gaps_px": sorted({round(h["gap"]) for h in m["heads"]}),
                "overflow_px": max(m["docOverflow"], m["mainOverflow"]),
                "formula_errors": len(m["katexErrors"]),
                "crowded_cell_numbers": len(crowded(m["texts"])),
                "truncated_labels": m["truncated"],
            }
    return table


@pytest.mark.parametrize("name", list(CONTEXTS))
def test_every_page_is_readable(measured, name):
    results, _ = measured
    projected = name.startswith("classroom")
    problems = []
    # The charts' page colour (hover labels, selection outlines, the formulas' scroll shadows) is the page's.
    page_rgb = tuple(int(palette(CONTEXTS[name][1]).page[k : k + 2], 16) for k in (1, 3, 5))
    unopened = [view for view in sorted(BEHIND_REVEAL) if f"{view}+opened" not in results[name]]
    problems += [f"{name}/{view}: its Reveal was not opened" for view in unopened]
    for page, m in results[name].items():
        where = f"{name}/{page}"
        if _rgba(m["background"])[:3] != page_rgb:
            problems.append(f"{where}: the page is {m['background']}, the charts' palette says {page_rgb}")
        if m["exceptions"]:
            problems.append(f"{where}: {m['exceptions']} exception(s)")
        if m["charts"] == 0 and page not in BEHIND_REVEAL:
            problems.append(f"{where}: no chart drawn")
        problems += [f"{where}: a formula KaTeX could not read: {e!r}" for e in m["katexErrors"]]
        problems += [f"{where}: cell numbers {a!r} and {b!r} run together" for a, b in crowded(m["texts"])]
        problems += [f"{where}: the slider value {v!r} sits on its thumb" for v in m["sliderClashes"]]
        problems += [f"{where}: {t!r} is cut short with an ellipsis" for t in m["truncated"]]
        floor = MIN_CONTRAST_PROJECTED if projected else MIN_CONTRAST
        for t in m["texts"]:
            if t["onCell"]:
                continue
            ratio = contrast(t["fill"], m["background"], t["opacity"])
            if ratio < floor:
                problems.append(f"{where}: contrast {ratio:.2f} < {floor} for {t['text']!r} ({t['fill']})")
        for group, boxes in m["groups"].items():
            for a, b in overlaps(boxes):
                problems.append(f"{where}: {group}: tick labels {a!r} and {b!r} overlap")
        problems += [f"{where}: cut at the chart's edge: {c}" for c in m["cut"]]
        for h in m["heads"]:
            if h["top"] < -1:
                problems.append(f"{where}: chart {h['chart']}'s title {h['text']!r} cut at the top ({h['top']:.0f} px)")
            if not TITLE_GAP[0] * h["font"] <= h["gap"] <= TITLE_GAP[1] * h["font"]:
                problems.append(f"{where}: chart {h['chart']}: {h['gap']:.0f} px under the title {h['text']!r}")
        problems += [f"{where}: {c}" for c in m["clashes"]]
        if max(m["docOverflow"], m["mainOverflow"]) > 0:
            problems.append(f"{where}: {max(m['docOverflow'], m['mainOverflow'])} px wider than the window")
        if projected:
            small = [t for t in m["texts"] if t["size"] < MIN_CLASSROOM_PX]
            problems += [f"{where}: {t['size']} px text {t['text']!r}" for t in small]
            tiny = [i for i in m["inputs"] if i["size"] < MIN_INPUT_PX]
            problems += [f"{where}: a {i['size']} px typed value {i['text']!r}" for i in tiny]
            quiet = [c for c in m["captions"] if c["size"] < MIN_INPUT_PX]
            problems += [f"{where}: a {c['size']} px caption {c['text']!r}" for c in quiet]
    if name == "classroom":  # the blog's 3 × 5 on a 1080p projector: dp/dW's product and shortcut, number by number
        for page, least in (("explorer", 2 * 75), ("conventions", 75)):
            shown = sum(t["onCell"] for t in results[name][page]["texts"])
            if shown < least:
                problems.append(f"{name}/{page}: {shown} cell numbers shown, dp/dW alone has {least}")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(sorted(set(problems))[:60])


def test_nothing_is_fetched_from_outside(measured):
    _, outside = measured
    assert not outside, f"{len(outside)} requests left this machine, e.g. {sorted(set(outside))[:5]}"
