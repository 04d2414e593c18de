"""Conventions page: the same layer in the blog's and PyTorch's layouts, and in two flattening orders.

Nothing here is a second computation: PyTorch's W' = Wᵀ gives the same z, and the input-major
order only permutes the columns of dz/dW and dp/dW. The page shows both, and checks it.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import core
from pages import show
from pages.conventions_parts import text
from pages.conventions_parts.figures import layer_columns_heatmap
from ui import classroom, section, session
from ui import text as tx
from ui.figures.sparsity import dz_dw_pattern
from ui.fold import folded
from ui.state import LayerState


def render(state: LayerState, v: core.LayerValues) -> None:
    x, W = v.x, v.W
    n, K = state.n, state.K
    t, i, j = state.selected
    big = classroom.enabled(state)

    st.title("Conventions: one layer, several ways to write it down")
    if not big:
        st.caption(
            "Textbooks, the blog and PyTorch lay the same numbers out differently. "
            "Nothing about the derivative changes — only where each number is stored."
        )

    # ---------------------------------------------------------------- layouts of W
    torch_layout = tx.whole("W' = Wᵀ (K × n)")
    st.subheader(f"The blog's {tx.whole('W (n × K)')} and PyTorch's {torch_layout}", divider="gray")
    blog, torch, check = text.layouts_latex(x, W, side_by_side=not section.handheld())
    left, right = section.side_by_side("conv_layouts", 2, 330)  # z as a row of five 4-digit numbers: ~316 px
    with left:
        st.markdown("**Blog** — column k holds the weights into class k")
        for line in blog:
            section.latex(line)
        section.export_menu("W_blog", matrix=W, row_labels=tx.x_labels(n), col_labels=tx.class_labels(K), key="conv_W")
    with right:
        st.markdown("**PyTorch** `nn.Linear(n, K).weight` — row k holds the weights into class k")
        for line in torch:
            section.latex(line)
        section.export_menu(
            "W_pytorch",
            matrix=core.to_pytorch(W),
            row_labels=tx.class_labels(K),
            col_labels=tx.x_labels(n),
            key="conv_Wp",
        )
    section.latex(check)

    # ---------------------------------------------------------------- flattening order
    st.subheader("Flattening the weights: class-major or input-major", divider="gray")
    order = session.bind_setting(
        "order", st.radio, "Column order", core.ORDERS, format_func=text.ORDER_LABELS.get, horizontal=not big
    )
    weight_cols = tx.weight_labels(n, K, order)
    section.figure(
        "conv_chart_dzdw",
        dz_dw_pattern,
        x,
        v.dz_dw,
        order=order,
        selected=(t, i, j),
        height=300,
        export=f"dz_dw_{order}",
        matrix=core.convert_columns(v.dz_dw, n, K, "class_major", order),
        row_labels=tx.z_labels(K),
        col_labels=weight_cols,
    )
    if not big:
        st.caption(
            "Class-major keeps each class's n weights together, so row t of dz/dW is one block of x. "
            "Input-major keeps each input's K weights together, so the same non-zeros become stripes, one every K "
            "columns."
        )
    section.figure(
        "conv_chart_dpdw",
        layer_columns_heatmap,
        v.product,
        n,
        K,
        order=order,
        selected=(t, i, j),
        height=360,
        export=f"dp_dw_{order}",
        matrix=core.convert_columns(v.product, n, K, "class_major", order),
        row_labels=tx.p_labels(K),
        col_labels=weight_cols,
    )

    result = text.order_check(v.product, n, K, "input_major")
    c1, c2, c3 = st.columns(3)
    scale = float(np.max(np.abs(v.product)))
    section.zero_metric(
        c1,
        "reordered vs. the index formula",
        result["max_diff"],
        scale,
        help="Largest difference: input-major column j·K + k must hold class-major column k·n + j, entry by entry.",
    )
    c2.metric(
        "same numbers in every row",
        "yes" if result["sorted_equal"] else "NO",
        help="Sorting each row gives the same values in both orders: a permutation, nothing recomputed.",
    )
    section.zero_metric(
        c3,
        "reordered there and back vs. the original",
        result["roundtrip"],
        scale,
        help="Largest difference after converting to input-major and back.",
    )
    section.latex(text.entry_positions_latex(v.product, n, K, t, i, j))

    # ---------------------------------------------------------------- column labels
    # Open by default where the table is short; built only while open (a move reruns the page).
    if box := folded(
        st.expander,
        "Which weight is in which column?",
        icon=":material/table:",
        expanded=not big and n * K <= 24,
        key="cv_columns",
    ):
        with box:
            table = text.column_table(n, K)
            section.table(table)
            if n * K > len(table):
                st.caption(f"First {len(table)} of {n * K} columns; the pattern continues the same way.")

    st.markdown(text.LAYOUT_NOTE)


if __name__ == "__main__":
    show(render)
