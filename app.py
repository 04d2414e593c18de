"""Softmax Layer Explorer: entry point and the Explorer page.

Run with ``streamlit run app.py``. ``main`` sets up navigation and the controls shared by all
pages, then runs the page the visitor chose; the Explorer page itself is ``explorer``: four
linked views of one layer p = softmax(Wᵀx / T) for the x, W and T in the sidebar.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import numpy as np
import streamlit as st

import core
from ui import charts, classroom, session, tables
from ui.controls import sidebar_controls
from ui.downloads import export_menu
from ui.explain import entry_description, product_sum_latex, shortcut_latex
from ui.figures.common import fmt
from ui.figures.jacobian import jacobian_heatmap
from ui.figures.layer import clicked_entry, layer_derivative_figure
from ui.figures.output import output_bars
from ui.figures.sparsity import dz_dw_pattern
from ui.paste import numpy_snippet
from ui.state import LayerState

HERE = Path(__file__).parent
PAGES = {
    "derivation": ("app_pages/derivation.py", "Derivation", ":material/functions:"),
    "loss": ("app_pages/loss_gradient.py", "Loss and gradient", ":material/trending_down:"),
    "conventions": ("app_pages/conventions.py", "Conventions", ":material/swap_horiz:"),
    "batch": ("app_pages/batch.py", "Batch", ":material/stacks:"),
}


def _select(t: int, i: int, j: int) -> None:
    session.set_state(session.current_state().with_values(selected=(t, i, j)))


def _on_cell_click() -> None:
    """A click on a cell of dp/dW's product or shortcut panel selects that entry (t, i, j)."""
    state = session.current_state()
    event = st.session_state.get("chart_dpdw") or {}
    for point in event.get("selection", {}).get("points", []):
        if entry := clicked_entry(point, state.n, state.K):
            _select(*entry)
            return


def _on_selector() -> None:
    ss = st.session_state
    _select(ss["sel_t"], ss["sel_i"], ss["sel_j"])


def _entry_selectors(state: LayerState) -> None:
    ss = st.session_state
    t, i, j = state.selected
    for key, value in (("sel_t", t), ("sel_i", i), ("sel_j", j)):
        if ss.get(key) != value:
            ss[key] = value
    c1, c2, c3 = st.columns(3)
    c1.selectbox("t (output p_t)", range(state.K), key="sel_t", on_change=_on_selector)
    c2.selectbox("i (class of the weight)", range(state.K), key="sel_i", on_change=_on_selector)
    c3.selectbox("j (input of the weight)", range(state.n), key="sel_j", on_change=_on_selector)


def explorer() -> None:
    """The four linked views of one softmax layer."""
    state = session.current_state()
    x, W, T = state.x, state.W, state.temperature
    t, i, j = state.selected
    z, p = core.forward(x, W, T)
    J = core.softmax_jacobian(p, T)
    product = core.layer_jacobian_product(x, W, T)
    shortcut = core.layer_jacobian_shortcut(x, W, T)
    font, big = classroom.font_size(state), classroom.enabled(state)

    st.title("Softmax Layer Explorer")
    if not big:
        st.caption(
            "Move x, W and T in the sidebar: every view follows. Click a cell of dp/dW (or use the selectors "
            "below it) to pick one entry (t, i, j): it is marked in the Jacobian, in dz/dW and in dp/dW."
        )

    st.subheader("1 · Softmax output", divider="gray")
    fig_out = output_bars(z, p, T, selected_class=t, font_size=font, height=classroom.figure_height(state, 340))
    charts.show(fig_out, key="chart_output")

    st.subheader("2 · Jacobian ∂p/∂z", divider="gray")
    fig_J = jacobian_heatmap(p, T, selected=(t, i), font_size=font, height=classroom.figure_height(state, 460))
    left, right = st.columns([3, 1]) if not big else (st.container(), st.container())
    with left:
        charts.show(fig_J, key="chart_jacobian")
    with right:
        st.latex(r"J_{ij} = \frac{\partial p_i}{\partial z_j} = p_i(\delta_{ij} - p_j)" + ("" if T == 1 else "/T"))
        row_sum = float(np.max(np.abs(J.sum(axis=1))))
        asym = float(np.max(np.abs(J - J.T)))
        st.metric("max |row sum|", fmt(row_sum), help="Each row sums to 0 because Σ_i p_i = 1 always.")
        st.metric("max |J − Jᵀ|", fmt(asym), help="J is symmetric: p_i·p_j = p_j·p_i.")
        st.caption("Diagonal cells (i = j) are p_i(1 − p_i) > 0; off-diagonal cells are −p_i·p_j < 0.")
        export_menu("jacobian", matrix=J, row_labels=tables.p_labels(state.K),
                    col_labels=tables.z_labels(state.K), fig=fig_J, key="exp_J")

    st.subheader("3 · dz/dW: which weight moves which logit", divider="gray")
    fig_dz = dz_dw_pattern(x, state.K, selected=(t, i, j), font_size=font,
                           height=classroom.figure_height(state, 300))
    charts.show(fig_dz, key="chart_dzdw")
    if not big:
        st.caption(
            "z_k = Σ_j W[j,k]·x_j uses only column k of W, so ∂z_t/∂W[j,k] = δ_tk·x_j: "
            f"only one row in each block is non-zero ({state.K - 1} of every {state.K} entries are 0)."
        )

    st.subheader("4 · dp/dW: full chain-rule product vs shortcut", divider="gray")
    fig_L = layer_derivative_figure(x, p, product, shortcut, T, selected=(t, i, j), font_size=font,
                                    height=classroom.figure_height(state, 620), clickable=True)
    charts.show(fig_L, key="chart_dpdw", on_click=_on_cell_click)
    diff = float(np.max(np.abs(product - shortcut)))
    c1, c2 = st.columns([2, 3] if big else [1, 3])
    c1.metric("max |product − shortcut|", fmt(diff), help="Floating-point rounding only: the two are equal.")
    with c2:
        _entry_selectors(state)
    st.markdown(entry_description(t, i, j, state.n))
    st.markdown("**Full product** J · dz/dW at entry (t, i, j): a sum of K terms, all but one zero")
    for line in product_sum_latex(x, W, t, i, j, T):
        st.latex(line)
    st.markdown("**Shortcut**: the one surviving term, written without the product")
    for line in shortcut_latex(x, W, t, i, j, T):
        st.latex(line)

    if not big:
        _details(state, z, p, J, product)


def _details(state: LayerState, z, p, J, product) -> None:
    # A toggle, not an expander: an expander's tables are built and drawn on every slider move.
    if st.toggle("Show the matrices as tables", key="show_tables"):
        for name, frame in tables.state_frames(state, z, p, J, product).items():
            st.markdown(f"**{name}**")
            # 10 significant digits: every number the blog prints (h to 8 digits) is legible here.
            st.dataframe(frame.style.format("{:.10g}"), width="stretch")
    with st.expander("Copy as NumPy code", icon=":material/code:"):
        st.code(numpy_snippet(state.x, state.W, state.temperature), language="python")
    with st.expander("Share this view", icon=":material/link:"):
        st.markdown("The address bar always holds this exact view (sizes, x, W, T, selected entry, preset).")
        st.code(_share_url(), language=None)


def _share_url() -> str:
    query = urlencode(session.current_query())
    base = st.context.url.split("?")[0] if st.context.url else ""
    return f"{base}?{query}"


def _classroom_toggle(state: LayerState) -> LayerState:
    ss = st.session_state
    if ss.get("ctl_classroom") != state.classroom:
        ss["ctl_classroom"] = state.classroom
    on = st.toggle("Classroom mode", key="ctl_classroom",
                   help="Large type, one figure per screen, controls hidden. Also ?classroom=1 in the link.")
    return state.with_values(classroom=on)


def main() -> None:
    st.set_page_config(page_title="Softmax Layer Explorer", page_icon=":material/grid_on:", layout="wide")
    state = session.current_state()
    # Read before drawing: in classroom mode the sidebar is hidden, so navigation moves to the top.
    projecting = bool(st.session_state.get("ctl_classroom", state.classroom))
    pages = [st.Page(explorer, title="Explorer", icon=":material/grid_on:", default=True)]
    for url, (path, title, icon) in PAGES.items():
        if (HERE / path).exists():
            pages.append(st.Page(path, title=title, icon=icon, url_path=url))
    page = st.navigation(pages, position="top" if projecting else "sidebar")
    session.begin_run()
    top = st.columns([3, 1])[1]
    with top:
        state = _classroom_toggle(state)
    if not state.classroom:
        state = sidebar_controls(state)
    session.set_state(state)
    classroom.apply_style(state)
    banner = st.container()  # link warnings go above the page, but are known only after it ran
    page.run()
    # After the page, which may change the selection and register its own parameters.
    with banner:
        session.show_link_warnings()
    session.sync_query_params(session.current_state(), session.page_params())


main()
