"""Explorer: four linked views of one layer p = softmax(Wᵀx / T) for the x, W and T in the sidebar.

Softmax output, the Jacobian ∂p/∂z, the sparse dz/dW, and dp/dW as the full product beside the
shortcut. One entry (t, i, j) is selected (click a cell of dp/dW, or the selectors) and marked in
every view, with the chain-rule sum written out term by term beside the shortcut's single term.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import numpy as np
import streamlit as st

import core
from pages import show
from pages.explorer_parts.entry import entry_description, product_sum_latex, shortcut_latex, state_frames
from ui import classroom, layer_views, link, link_numbers, section, session
from ui import text as tx
from ui.figures.jacobian import jacobian_heatmap
from ui.figures.layer import clicked_entry
from ui.figures.layer_focus import block_click, overview_click
from ui.figures.output import output_bars
from ui.figures.sparsity import dz_dw_pattern
from ui.fold import folded
from ui.paste import numpy_snippet
from ui.questions import question_links
from ui.state import LayerState


def _select(t: int, i: int, j: int) -> None:
    session.set_state(session.current_state().with_values(selected=(t, i, j)))


def _on_click(key: str, entry: Callable[[dict, LayerState], tuple[int, int, int] | None]) -> Callable[[], None]:
    """A chart's click callback: the first clicked point that ``entry(point, state)`` reads as an
    entry (t, i, j) selects it; the chart's selection is in ``st.session_state[key]``."""

    def clicked() -> None:
        state = session.current_state()
        event = st.session_state.get(key) or {}
        for point in event.get("selection", {}).get("points", []):
            if selected := entry(point, state):
                _select(*selected)
                return

    return clicked


def _overview_entry(point: dict, state: LayerState) -> tuple[int, int, int] | None:
    """A block of the big layer's overview: row t of class i, keeping j (the block is then magnified)."""
    block = overview_click(point, state.K)
    return None if block is None else (block[0], block[1], state.selected[2])


# A cell of dp/dW's product or shortcut panel; a block of the big layer's overview; a cell of its
# magnified block.
_DPDW = "chart_dpdw"
_CLICKS = layer_views.Clicks(
    cell=_on_click(_DPDW, lambda point, s: clicked_entry(point, s.n, s.K)),
    overview=_on_click(_DPDW, _overview_entry),
    block=_on_click(layer_views.block_key(_DPDW), lambda point, s: block_click(point, s.n, s.K, s.selected[1])),
)


def _entry_selectors(state: LayerState) -> None:
    def set_index(position: int):
        def update(v: int) -> None:
            sel = list(session.current_state().selected)
            sel[position] = int(v)
            _select(*sel)

        return update

    c1, c2, c3 = st.columns(3)
    t, i, j = state.selected
    session.bind("sel_t", t, c1.selectbox, "t (output p_t)", range(state.K), on_change=set_index(0))
    session.bind("sel_i", i, c2.selectbox, "i (class of the weight)", range(state.K), on_change=set_index(1))
    session.bind("sel_j", j, c3.selectbox, "j (input of the weight)", range(state.n), on_change=set_index(2))


def render(state: LayerState, v: core.LayerValues) -> None:
    """The four linked views of one softmax layer, drawn from ``v`` (core's record for ``state``)."""
    T = state.temperature
    t, i, j = state.selected
    big = classroom.enabled(state)

    st.title("Softmax Layer Explorer")
    if not big:
        st.caption(
            "Move x, W and T in the sidebar: every view follows. Click a cell of dp/dW (or use the selectors "
            "below it) to pick one entry (t, i, j): it is marked in the Jacobian, in dz/dW and in dp/dW."
        )

    with st.container(border=True):
        st.markdown("**What are you stuck on?** Each question opens its answer, with these numbers.")
        question_links()

    st.subheader("1 · Softmax output", divider="gray")
    section.figure("chart_output", output_bars, v.z, v.p, T, selected_class=t, height=340)

    st.subheader("2 · Jacobian ∂p/∂z", divider="gray")
    left, right = st.columns([3, 1]) if not big else (st.container(), st.container())
    with left:
        section.figure(
            "chart_jacobian",
            jacobian_heatmap,
            v.p,
            v.J,
            T,
            selected=(t, i),
            letters=("t", "k"),  # dp/dW's (t, i, j) shares this screen: J[t, k] = ∂p_t/∂z_k
            height=460,
            export="jacobian",
            matrix=v.J,
            row_labels=tx.p_labels(state.K),
            col_labels=tx.z_labels(state.K),
        )
    with right:
        section.latex(r"J_{tk} = \frac{\partial p_t}{\partial z_k} = p_t(\delta_{tk} - p_k)" + ("" if T == 1 else "/T"))
        row_sum = float(np.max(np.abs(v.J.sum(axis=1))))
        asym = float(np.max(np.abs(v.J - v.J.T)))
        scale = float(np.max(np.abs(v.J)))
        section.zero_metric(st, "max |row sum|", row_sum, scale, help="Each row sums to 0 because Σ_k p_k = 1 always.")
        section.zero_metric(st, "max |J − Jᵀ|", asym, scale, help="J is symmetric: p_t·p_k = p_k·p_t.")
        st.caption(
            f"Diagonal cells {tx.whole('(t = k)')} are {tx.whole('p_t(1 − p_t) > 0')}; "
            f"off-diagonal cells are {tx.whole('−p_t·p_k < 0')}."
        )

    st.subheader("3 · dz/dW: which weight moves which logit", divider="gray")
    section.figure("chart_dzdw", dz_dw_pattern, v.x, v.dz_dw, selected=(t, i, j), height=300)
    if not big:
        st.caption(
            "z_k = Σ_j W[j,k]·x_j uses only column k of W, so ∂z_t/∂W[j,k] = δ_tk·x_j: "
            f"only one row in each block is non-zero ({state.K - 1} of every {state.K} entries are 0)."
        )

    st.subheader("4 · dp/dW: full chain-rule product vs shortcut", divider="gray")
    layer_views.layer_derivative(_DPDW, v, state.selected, _CLICKS)
    diff = float(np.max(np.abs(v.product - v.shortcut)))
    c1, c2 = st.columns([2, 3] if big else [1, 3])
    section.zero_metric(
        c1,
        "max |product − shortcut|",
        diff,
        float(np.max(np.abs(v.product))),
        help="The two are equal; anything left is floating-point rounding.",
    )
    with c2:
        _entry_selectors(state)
    st.markdown(entry_description(t, i, j, state.n))
    st.markdown("**Full product** J · dz/dW at entry (t, i, j): a sum of K terms, all but one zero")
    for line in product_sum_latex(v, t, i, j):
        section.latex(line)
    st.markdown("**Shortcut**: the one surviving term, written without the product")
    for line in shortcut_latex(v, t, i, j):
        section.latex(line)

    if not big:
        _details(state, v)


def _details(state: LayerState, v: core.LayerValues) -> None:
    # A toggle, not an expander: an expander's tables are built and drawn on every slider move.
    if st.toggle("Show the matrices as tables", key="show_tables"):
        for name, frame in state_frames(v).items():
            st.markdown(f"**{name}**")
            # 10 significant digits: every number the blog prints (h to 8 digits) is legible here.
            section.table(frame.style.format("{:.10g}"))
    if box := folded(st.expander, "Copy as NumPy code", icon=":material/code:", key="explorer_numpy"):
        with box:
            st.code(numpy_snippet(state.x, state.W, state.temperature), language="python")
    if box := folded(st.expander, "Share this view", icon=":material/link:", key="explorer_share"):
        with box:
            _share(state)


def _share(state: LayerState) -> None:
    """The share link of this view (or why there is none) and the state file."""
    query = session.current_query()
    if query.get("xw") == link_numbers.TOO_BIG:
        st.warning(
            f"This state has {state.n * (state.K + 1)} numbers with full precision: too many for a link (links "
            f"stay under {link_numbers.LINK_MAX:,} characters). Share the state file instead; it opens from "
            "the sidebar (Use my own numbers → Open a state file).",
            icon=":material/description:",
        )
    else:
        st.markdown("The address bar always holds this exact view (sizes, x, W, T, selected entry, preset).")
        st.code(_share_url(query), language=None)
    st.download_button(
        "Download this state",
        data=link_numbers.state_file(link.to_query(state, session.shown_settings(), full=True)),
        file_name="softmax-state.json",
        mime="application/json",
        on_click="ignore",
        icon=":material/download:",
        help="A small JSON file with every number at full precision; open it from the sidebar.",
    )


def _share_url(query: dict[str, str]) -> str:
    query = urlencode(query)
    base = st.context.url.split("?")[0] if st.context.url else ""
    return f"{base}?{query}"


if __name__ == "__main__":
    show(render)
