"""Conventions page: the same layer in the blog's and PyTorch's layouts, and in two flattening orders.

Nothing here is a second computation: PyTorch's W' = Wᵀ gives the same z, and the input-major
order only permutes the columns of dz/dW and dp/dW. The page shows both, and checks it.
"""

from __future__ import annotations

import streamlit as st

import core
from ui import charts, classroom, session, tables
from ui import conventions as text
from ui.downloads import export_menu
from ui.figures.common import fmt
from ui.figures.conventions import layer_columns_heatmap
from ui.figures.sparsity import dz_dw_pattern

ORDER_KEY = "conv_order"  # the radio's key (deleted by Streamlit while another page shows)
ORDER_VALUE_KEY = "_conv_order_value"  # the chosen order, kept across page switches

state = session.current_state()
x, W, T = state.x, state.W, state.temperature
n, K = state.n, state.K
t, i, j = state.selected
font, big = classroom.font_size(state), classroom.enabled(state)
ss = st.session_state

st.title("Conventions: one layer, several ways to write it down")
if not big:
    st.caption(
        "Textbooks, the blog (seed 002) and PyTorch lay the same numbers out differently. "
        "Nothing about the derivative changes — only where each number is stored."
    )

# ---------------------------------------------------------------- layouts of W
st.subheader("The blog's W (n × K) and PyTorch's W' = Wᵀ (K × n)", divider="gray")
blog, torch, check = text.layouts_latex(x, W)
left, right = st.columns(2)
with left:
    st.markdown("**Blog** — column k holds the weights into class k")
    for line in blog:
        st.latex(line)
    export_menu("W_blog", matrix=W, row_labels=tables.x_labels(n),
                col_labels=tables.class_labels(K), key="conv_W")
with right:
    st.markdown("**PyTorch** `nn.Linear(n, K).weight` — row k holds the weights into class k")
    for line in torch:
        st.latex(line)
    export_menu("W_pytorch", matrix=core.to_pytorch(W), row_labels=tables.class_labels(K),
                col_labels=tables.x_labels(n), key="conv_Wp")
st.latex(check)

# ---------------------------------------------------------------- flattening order
st.subheader("Flattening the weights: class-major or input-major", divider="gray")
if ORDER_VALUE_KEY not in ss:  # first visit: the share link decides
    ss[ORDER_VALUE_KEY] = session.link_param("order", text.parse_order)
if ORDER_KEY not in ss:
    ss[ORDER_KEY] = ss[ORDER_VALUE_KEY]
order = st.radio("Column order", core.ORDERS, format_func=text.ORDER_LABELS.get, key=ORDER_KEY,
                 horizontal=not big)
ss[ORDER_VALUE_KEY] = order
session.set_page_param("order", order)

fig_dz = dz_dw_pattern(x, K, order=order, selected=(t, i, j), font_size=font,
                       height=classroom.figure_height(state, 300))
charts.show(fig_dz, key="conv_chart_dzdw")
dz_shown = core.convert_columns(core.dz_dw(x, K), n, K, "class_major", order)
weight_cols = core.weight_labels(n, K, order)
export_menu(f"dz_dw_{order}", matrix=dz_shown, row_labels=tables.z_labels(K), col_labels=weight_cols,
            fig=fig_dz, key="conv_dz")
if not big:
    st.caption(
        "Class-major keeps each class's n weights together, so row t of dz/dW is one block of x. "
        "Input-major keeps each input's K weights together, so the same non-zeros become stripes, one every K columns."
    )

product = core.layer_jacobian_product(x, W, T)
fig_L = layer_columns_heatmap(product, n, K, order=order, selected=(t, i, j), font_size=font,
                              height=classroom.figure_height(state, 360))
charts.show(fig_L, key="conv_chart_dpdw")
export_menu(f"dp_dw_{order}", matrix=core.convert_columns(product, n, K, "class_major", order),
            row_labels=tables.p_labels(K), col_labels=weight_cols, fig=fig_L, key="conv_dp")

result = text.order_check(product, n, K, "input_major")
c1, c2, c3 = st.columns(3)
c1.metric("max |convert_columns − index map|", fmt(result["max_diff"]),
          help="Input-major column j·K + k must hold class-major column k·n + j, checked entry by entry.")
c2.metric("same numbers in every row", "yes" if result["sorted_equal"] else "NO",
          help="Sorting each row gives the same values in both orders: a permutation, nothing recomputed.")
c3.metric("max |there and back − original|", fmt(result["roundtrip"]))
st.latex(text.entry_positions_latex(product, n, K, t, i, j))

# ---------------------------------------------------------------- column labels
with st.expander("Which weight is in which column?", icon=":material/table:", expanded=not big and n * K <= 24):
    table = text.column_table(n, K)
    st.dataframe(table, width="stretch")
    if n * K > len(table):
        st.caption(f"First {len(table)} of {n * K} columns; the pattern continues the same way.")

st.markdown(text.LAYOUT_NOTE)
