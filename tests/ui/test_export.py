"""ui.export (CSV, LaTeX, standalone HTML, write_all, the command line) and ui.section's Export menu.

Oracles: pandas reading the CSV back, the blog's printed Jacobian (seed 002) for the LaTeX
rounding, ui.link.parse_query reading the README's share query back.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import core
from ui import export
from ui import text as labels
from ui.link import parse_query
from ui.state import default_state, state_from_preset

REPO_ROOT = Path(__file__).resolve().parents[2]
FIGURE_MODULES = ("ui.figures.output", "ui.figures.jacobian", "ui.figures.sparsity", "ui.figures.layer")
HAVE_FIGURES = (
    all(importlib.util.find_spec(m) is not None for m in FIGURE_MODULES)
    if importlib.util.find_spec("ui.figures")
    else False
)
needs_figures = pytest.mark.skipif(not HAVE_FIGURES, reason="ui/figures/* not in the tree yet")

MATRIX_NAMES = ["x", "W", "z", "p", "J", "dz_dw", "dp_dw", "dp_dw_product"]
FIGURE_NAMES = ["output", "jacobian", "dz_dw", "layer"]

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
matrices = arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 6)), elements=finite)


def binary_chunks(node):
    """Every base64 array ("bdata") in a figure's JSON."""
    if isinstance(node, dict):
        if isinstance(node.get("bdata"), str):
            yield node["bdata"]
        for value in node.values():
            yield from binary_chunks(value)
    elif isinstance(node, list):
        for value in node:
            yield from binary_chunks(value)


def read_csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), index_col=0)


def latex_entries(tex: str) -> list[list[str]]:
    body = tex.removeprefix("\\begin{bmatrix}\n").removesuffix("\n\\end{bmatrix}")
    return [row.split(" & ") for row in body.split(" \\\\\n")]


# ---------------------------------------------------------------- CSV


@settings(max_examples=60, deadline=None)
@given(matrices)
def test_csv_reads_back_to_exactly_the_same_numbers(M):
    back = read_csv(export.to_csv(M)).to_numpy()
    assert back.dtype == np.float64
    np.testing.assert_array_equal(back, M)


def test_csv_keeps_labels_and_writes_a_vector_as_a_column():
    text = export.to_csv(np.array([0.1, 0.2, 0.7]), ["p[0]", "p[1]", "p[2]"], ["p"])
    frame = read_csv(text)
    assert list(frame.index) == ["p[0]", "p[1]", "p[2]"]
    assert list(frame.columns) == ["p"]
    assert frame["p"].tolist() == [0.1, 0.2, 0.7]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"M": np.ones((2, 2)), "row_labels": ["a"]}, "row_labels"),
        ({"M": np.ones((2, 2)), "col_labels": ["a", "b", "c"]}, "col_labels"),
        ({"M": np.ones((2, 2, 2))}, "2-D"),
        ({"M": np.array([[1.0, np.nan]])}, "NaN"),
        ({"M": np.zeros((0, 3))}, "empty"),
        ({"M": [["a", "b"]]}, "numbers"),
    ],
)
def test_bad_matrix_or_labels_raise_value_error(kwargs, match):
    with pytest.raises(ValueError, match=match):
        export.matrix_frame(**kwargs)


# ---------------------------------------------------------------- LaTeX


def test_latex_of_the_blog_jacobian_matches_its_printout_rounded():
    _, p = core.forward(core.BLOG_X, core.BLOG_W)
    tex = export.to_latex_bmatrix(core.softmax_jacobian(p), digits=4)
    rows = latex_entries(tex)
    # The blog prints DS[0] = [0.154465 -0.038856 -0.041425 -0.044162 -0.030020].
    assert rows[0] == ["0.1545", "-0.0389", "-0.0414", "-0.0442", "-0.0300"]
    assert rows[4][4] == "0.1325"


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 6)), elements=st.floats(-1e6, 1e6)),
       st.integers(0, 8))  # fmt: skip
def test_latex_has_balanced_environment_right_shape_and_rounded_numbers(M, digits):
    tex = export.to_latex_bmatrix(M, digits)
    assert tex.count("\\begin{bmatrix}") == tex.count("\\end{bmatrix}") == 1
    assert tex.startswith("\\begin{bmatrix}") and tex.endswith("\\end{bmatrix}")
    rows = latex_entries(tex)
    assert len(rows) == M.shape[0]
    assert tex.count(" \\\\\n") == M.shape[0] - 1
    assert tex.count(" & ") == M.shape[0] * (M.shape[1] - 1)
    for row, values in zip(rows, M, strict=True):
        assert len(row) == M.shape[1]
        for text, v in zip(row, values, strict=True):
            assert re.fullmatch(r"-?\d+" + (rf"\.\d{{{digits}}}" if digits else ""), text), text
            assert not (text.startswith("-") and float(text) == 0.0)
            assert abs(float(text) - v) <= 0.5 * 10.0**-digits * (1 + 1e-9) + abs(v) * 1e-15


def test_latex_vector_is_a_column_with_ascii_minus():
    tex = export.to_latex_bmatrix(np.array([-1.23456, 2.0, -1e-9]), digits=2)
    assert latex_entries(tex) == [["-1.23"], ["2.00"], ["0.00"]]
    assert "\u2212" not in tex


@pytest.mark.parametrize("digits", [-1, 1.5, True, 18])
def test_latex_rejects_bad_digits(digits):
    with pytest.raises(ValueError, match="digits"):
        export.to_latex_bmatrix(np.eye(2), digits)


# ---------------------------------------------------------------- HTML


def test_figure_html_is_standalone_and_holds_the_figure_data():
    fig = go.Figure(go.Bar(x=["a", "b"], y=[0.123456789, 0.87654321], name="distinctive-trace"))
    html = export.figure_html(fig)
    assert html.lstrip().lower().startswith("<!doctype html>") and html.rstrip().endswith("</html>")
    assert "plotly" in html.lower()
    assert "distinctive-trace" in html and "0.123456789" in html
    # plotly.js is inlined (megabytes), not loaded from a CDN: the page works offline.
    assert len(html) > 1_000_000
    assert not re.search(r"<script[^>]+src=[\"']https?://", html)


def test_figure_html_takes_the_apps_unchecked_figure():
    from ui.figures.common import FigureSpec

    html = export.figure_html(FigureSpec([{"type": "bar", "y": [0.123456789], "name": "distinctive-trace"}], {}))
    assert "distinctive-trace" in html and "0.123456789" in html


def test_figure_html_rejects_a_non_figure():
    with pytest.raises(ValueError, match="fig"):
        export.figure_html({"data": []})


# ---------------------------------------------------------------- a whole state


def test_state_matrices_shapes_labels_and_routes_agree():
    state = state_from_preset("random", n=4, K=3, seed=5).with_values(temperature=2.0)
    mats = export.state_matrices(state)
    assert list(mats) == MATRIX_NAMES
    n, K = 4, 3
    shapes = {"x": (n, 1), "W": (n, K), "z": (K, 1), "p": (K, 1), "J": (K, K)}
    shapes |= {name: (K, K * n) for name in ("dz_dw", "dp_dw", "dp_dw_product")}
    for name, (M, rows, cols) in mats.items():
        assert M.shape == shapes[name], name
        assert (len(rows), len(cols)) == M.shape, name
    _, weights_rows, weight_cols = mats["dp_dw"]
    assert weight_cols[core.column_of(2, 1, n)] == "W[1,2]"  # class-major: W[j,k] at k·n + j
    assert weights_rows == ["p0", "p1", "p2"]
    # One label scheme everywhere (ui.text): the same headers as the app's tables and Export menus.
    assert mats["W"][1:] == (["x0", "x1", "x2", "x3"], ["class 0", "class 1", "class 2"])
    assert mats["x"][1:] == (labels.x_labels(n), ["x"]) and mats["z"][1:] == (labels.z_labels(K), ["z"])
    assert mats["J"][1:] == (labels.p_labels(K), labels.z_labels(K))
    assert mats["dz_dw"][1:] == (labels.z_labels(K), labels.weight_labels(n, K))
    np.testing.assert_allclose(mats["dp_dw"][0], mats["dp_dw_product"][0], atol=1e-15)
    np.testing.assert_allclose(mats["dp_dw"][0], core.numerical_jacobian(state.x, state.W, temperature=2.0), atol=1e-8)
    np.testing.assert_allclose(mats["p"][0].ravel(), core.softmax(state.W.T @ state.x, 2.0))


def test_write_all_matrices_round_trip_and_readme_reproduces_the_state(tmp_path):
    state = state_from_preset("random", n=3, K=4, seed=11).with_values(temperature=0.5, selected=(1, 2, 0))
    paths = export.write_all(state, tmp_path / "deep" / "out", figures=False)
    folder = tmp_path / "deep" / "out"
    expected = {f"{m}.{ext}" for m in MATRIX_NAMES for ext in ("csv", "tex")} | {"README.txt"}
    assert {p.name for p in paths} == expected == {p.name for p in folder.iterdir()}
    assert all(p.stat().st_size > 0 for p in paths)
    for name, (M, rows, cols) in export.state_matrices(state).items():
        frame = read_csv((folder / f"{name}.csv").read_text())
        np.testing.assert_array_equal(frame.to_numpy(), M)
        assert list(frame.index) == rows and list(frame.columns) == cols
        assert len(latex_entries((folder / f"{name}.tex").read_text().strip())) == M.shape[0]
    readme = (folder / "README.txt").read_text()
    query = export.share_query(state)
    assert query in readme
    again, warnings = parse_query(parse_qs(query))
    assert warnings == []
    assert again == state


def test_write_all_refuses_a_file_as_folder(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(ValueError, match="not a folder"):
        export.write_all(default_state(), target, figures=False)


@needs_figures
def test_state_figures_are_the_four_views():
    figs = export.state_figures(default_state())
    assert list(figs) == FIGURE_NAMES
    assert all(isinstance(f, go.Figure) and len(f.data) > 0 for f in figs.values())


@needs_figures
def test_write_all_writes_every_figure_as_standalone_html(tmp_path):
    state = default_state()
    paths = export.write_all(state, tmp_path)
    names = {p.name for p in paths}
    assert {f"{f}.html" for f in FIGURE_NAMES} <= names
    figures = export.state_figures(state)
    for f in FIGURE_NAMES:
        html = (tmp_path / f"{f}.html").read_text()
        assert "plotly" in html.lower() and len(html) > 1_000_000
        # Every array of the figure (Plotly writes NumPy arrays as base64 "bdata") is in the page.
        chunks = list(binary_chunks(json.loads(pio.to_json(figures[f]))))
        assert chunks, f
        # (the page's script escapes "/" as \u002f)
        assert all(chunk.replace("/", "\\u002f") in html for chunk in chunks), f
    assert "output.html" in (tmp_path / "README.txt").read_text()


# ---------------------------------------------------------------- the command line


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ui.export", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )


def assert_clean_error(result: subprocess.CompletedProcess, needle: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1, result.stderr
    assert needle in errors[0]


def test_cli_preset_blog_reproduces_the_blog(tmp_path):
    args = ["--preset", "blog", "--out", str(tmp_path)]
    if not HAVE_FIGURES:
        args.append("--no-figures")
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    p_frame = read_csv((tmp_path / "p.csv").read_text())
    assert list(p_frame.index) == ["p0", "p1", "p2", "p3", "p4"]
    W_frame = read_csv((tmp_path / "W.csv").read_text())
    assert list(W_frame.index) == ["x0", "x1", "x2"] and list(W_frame.columns) == [f"class {k}" for k in range(5)]
    assert list(read_csv((tmp_path / "dp_dw.csv").read_text()).columns[:4]) == ["W[0,0]", "W[1,0]", "W[2,0]", "W[0,1]"]
    p = p_frame["p"].to_numpy()
    # The blog prints h = [0.19091352 0.20353145 0.21698333 0.23132428 0.15724743].
    np.testing.assert_allclose(p, [0.19091352, 0.20353145, 0.21698333, 0.23132428, 0.15724743], atol=5e-9)
    if HAVE_FIGURES:
        assert (tmp_path / "layer.html").stat().st_size > 1_000_000


@pytest.mark.parametrize("form", ["url", "query", "question_mark"])
def test_cli_link_reproduces_the_linked_state(tmp_path, form):
    state = state_from_preset("random", n=2, K=3, seed=3).with_values(temperature=1.5)
    query = export.share_query(state)
    link = {"url": f"https://example.org/derivation?{query}#top", "query": query, "question_mark": f"?{query}"}[form]
    result = run_cli("--link", link, "--out", str(tmp_path), "--no-figures")
    assert result.returncode == 0, result.stderr
    W = read_csv((tmp_path / "W.csv").read_text()).to_numpy()
    np.testing.assert_array_equal(W, state.W)
    assert query in (tmp_path / "README.txt").read_text()


def test_cli_link_with_a_fixable_problem_exports_nothing_unless_allowed(tmp_path):
    query = export.share_query(default_state()).replace("T=1", "T=banana")
    result = run_cli("--link", query, "--out", str(tmp_path / "out"), "--no-figures")
    assert_clean_error(result, "--allow-fallback")
    assert "'T'" in result.stderr and not (tmp_path / "out").exists()
    result = run_cli("--link", query, "--out", str(tmp_path / "out"), "--no-figures", "--allow-fallback")
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr and "'T'" in result.stderr
    assert (tmp_path / "out" / "J.csv").exists()


def test_cli_generated_preset_uses_n_k_and_seed(tmp_path):
    result = run_cli(
        "--preset", "random", "--n", "4", "--K", "6", "--seed", "9", "--out", str(tmp_path), "--no-figures"
    )
    assert result.returncode == 0, result.stderr
    W = read_csv((tmp_path / "W.csv").read_text()).to_numpy()
    np.testing.assert_array_equal(W, core.make_preset("random", 4, 6, 9).W)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--preset", "nonsense"], "--preset"),
        (["--link", "x=1,2&W=abc;def"], "--link"),
        (["--link", "https://example.org/?hello=world"], "no explorer state"),
        (["--link", "n=4&K=6"], "need numbers x and W"),
        (["--link", "preset=random&n=500"], "--link"),
        (["--link", "x=0.1&W=0.1,0.2", "--n", "3"], "--preset only"),
        (["--preset", "random", "--K", "999"], "--K"),
    ],
)
def test_cli_bad_input_gives_one_line_error_and_no_traceback(tmp_path, args, needle):
    assert_clean_error(run_cli(*args, "--out", str(tmp_path / "out")), needle)
    assert not (tmp_path / "out").exists()


def test_cli_out_that_is_a_file_is_a_clean_error(tmp_path):
    target = tmp_path / "taken"
    target.write_text("not a folder")
    result = run_cli("--preset", "blog", "--out", str(target), "--no-figures")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"error: cannot write {target}: it exists and is not a folder; nothing was written"
    assert target.read_text() == "not a folder"


def test_cli_refuses_an_empty_out(tmp_path):
    assert_clean_error(run_cli("--preset", "blog", "--out", "", "--no-figures"), "--out")


def test_cli_too_long_x_is_named(tmp_path):
    result = run_cli("--link", "x=" + "1," * 40_000 + "1&W=1,2", "--out", str(tmp_path / "out"), "--no-figures")
    assert result.returncode == 2 and "'x'" in result.stderr and "too long" in result.stderr
    assert not (tmp_path / "out").exists()


def _fail_on(monkeypatch, name: str, error: BaseException) -> None:
    """Make writing the file ``name`` raise ``error`` (a full disk, a folder in the way, Ctrl-C)."""
    real = Path.write_text

    def write_text(self, *args, **kwargs):
        if self.name == name:
            raise error
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failure_part_way_leaves_nothing_behind(tmp_path, monkeypatch, error):
    _fail_on(monkeypatch, "dz_dw.tex", error)
    with pytest.raises(type(error) if isinstance(error, KeyboardInterrupt) else export.ExportError) as caught:
        export.write_all(default_state(), tmp_path / "slides", figures=False)
    assert list(tmp_path.iterdir()) == []  # no partial folder, no temporary folder
    if not isinstance(error, KeyboardInterrupt):
        assert str(caught.value) == f"cannot write {tmp_path / 'slides' / 'dz_dw.tex'}: No space left on device"


def test_an_existing_export_is_replaced_only_when_the_new_one_is_complete(tmp_path, monkeypatch):
    first = export.write_all(default_state(), tmp_path / "slides", figures=False)
    before = {p.name: p.read_text() for p in first}
    _fail_on(monkeypatch, "README.txt", OSError(5, "Input/output error"))
    with pytest.raises(export.ExportError):
        export.write_all(state_from_preset("random", 4, 6, seed=2), tmp_path / "slides", figures=False)
    assert {p.name: p.read_text() for p in (tmp_path / "slides").iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["slides"]
    monkeypatch.undo()
    export.write_all(state_from_preset("random", 4, 6, seed=2), tmp_path / "slides", figures=False)
    assert "n = 4 inputs" in (tmp_path / "slides" / "README.txt").read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["slides"]


# ---------------------------------------------------------------- ui.section's Export menu (Streamlit)


def _downloads_page():
    import numpy as np
    import plotly.graph_objects as go

    from ui.section import export_menu

    export_menu("jacobian", matrix=np.eye(3), fig=go.Figure(go.Bar(y=[1, 2])))
    export_menu("jacobian", matrix=np.array([0.25, -0.5]), key="second")
    export_menu("big", matrix=np.ones((30, 30)))


def test_export_menu_draws_its_buttons_with_unique_keys_once_opened():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_downloads_page).run(timeout=30)
    assert not at.exception
    assert not at.get("download_button") and not at.code  # closed menus build nothing (ui.fold)
    for menu in ("export_jacobian_menu", "export_second_menu", "export_big_menu"):
        at.session_state[menu] = True  # as the visitor's click opens it
    at.run(timeout=30)
    assert not at.exception
    buttons = at.get("download_button")
    assert len(buttons) == 3 + 2 + 2  # CSV, LaTeX, HTML; then CSV, LaTeX twice
    codes = [c.value for c in at.code]
    assert codes[1] == "\\begin{bmatrix}\n0.2500 \\\\\n-0.5000\n\\end{bmatrix}"
    assert len(codes) == 2  # the 30 × 30 matrix is too big to preview


def test_export_menu_needs_something_to_export():
    from ui.section import export_menu

    with pytest.raises(ValueError, match="matrix"):
        export_menu("nothing")
