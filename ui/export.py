"""Export the explorer's matrices and figures as files for slides, notes and spreadsheets.

Pure functions (pandas, plotly, core; never streamlit), so the pages, tests and the command
line share them. Formats:

- CSV with full float64 precision (reading it back with pandas gives the same numbers exactly);
- LaTeX ``bmatrix`` rounded to a fixed number of decimals, ready to paste into a slide;
- standalone HTML with plotly.js inlined, so a figure works offline in a lecture hall.

Command line (from the repository root)::

    python -m ui.export --preset blog --out slides/
    python -m ui.export --preset random --n 4 --K 6 --seed 7 --out slides/
    python -m ui.export --link "https://…/?n=3&K=5&x=…&W=…" --out slides/
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

import core
from ui import classroom, link, text
from ui.state import LayerState, state_from_preset

# ---------------------------------------------------------------- one matrix


def _as_matrix(M, name: str = "M") -> np.ndarray:
    """M as a finite float64 2-D array; a 1-D vector becomes one column (K,) → (K, 1)."""
    try:
        arr = np.asarray(M, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must hold numbers only") from None
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a vector or a 2-D matrix, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape})")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity")
    return arr


def _labels(labels, count: int, name: str, default: list[str]) -> list[str]:
    if labels is None:
        return default
    labels = [str(v) for v in labels]
    if len(labels) != count:
        raise ValueError(f"{name} has {len(labels)} entries but the matrix has {count}")
    return labels


def matrix_frame(M, row_labels: Sequence[str] | None = None, col_labels: Sequence[str] | None = None) -> pd.DataFrame:
    """M as a labelled DataFrame. M: (R, C), or a vector (R,) shown as one column.

    Labels default to the row and column numbers 0, 1, …
    """
    arr = _as_matrix(M)
    R, C = arr.shape
    rows = _labels(row_labels, R, "row_labels", [str(r) for r in range(R)])
    cols = _labels(col_labels, C, "col_labels", [str(c) for c in range(C)])
    return pd.DataFrame(arr, index=pd.Index(rows), columns=pd.Index(cols))


def to_csv(M, row_labels: Sequence[str] | None = None, col_labels: Sequence[str] | None = None) -> str:
    """CSV text of M with a header row and a label column; every number at full float64 precision.

    ``pd.read_csv(io.StringIO(text), index_col=0)`` gives back exactly the same numbers.
    """
    # pandas writes the shortest text that reads back to the same float64 (repr), so no
    # float_format: any fixed number of digits would lose precision.
    return matrix_frame(M, row_labels, col_labels).to_csv(lineterminator="\n")


def to_latex_bmatrix(M, digits: int = 4) -> str:
    r"""M as a LaTeX ``bmatrix``, each entry rounded to ``digits`` decimals.

    Rows are joined by `` \\`` and a newline, entries by `` & ``; minus signs are plain "-".
    A vector (K,) is written as a column (K rows of one entry).
    """
    if isinstance(digits, bool) or not isinstance(digits, (int, np.integer)) or not 0 <= digits <= 17:
        raise ValueError(f"digits must be a whole number in [0, 17], got {digits!r}")
    arr = _as_matrix(M)
    rows = [" & ".join(text.tex_fixed(float(v), int(digits)) for v in row) for row in arr]
    return "\\begin{bmatrix}\n" + " \\\\\n".join(rows) + "\n\\end{bmatrix}"


def figure_html(fig) -> str:
    """A standalone HTML page showing ``fig`` (a ``go.Figure`` or the app's unchecked ``FigureSpec``),
    with plotly.js inlined (about 4 MB) so it works offline."""
    from ui.figures.common import FigureSpec

    if isinstance(fig, FigureSpec):
        fig = fig.to_figure()
    if not isinstance(fig, go.Figure):
        raise ValueError(f"fig must be a plotly Figure, got {type(fig).__name__}")
    return pio.to_html(
        fig,
        include_plotlyjs=True,
        full_html=True,
        config={"displaylogo": False, "responsive": True},
        default_width="100%",
        default_height="100%",
    )


# ---------------------------------------------------------------- a whole state


def state_matrices(state: LayerState) -> dict[str, tuple[np.ndarray, list[str], list[str]]]:
    """Every matrix the explorer shows for ``state``, as name → (matrix, row labels, column labels).

    - ``x`` (n, 1), ``W`` (n, K) (row j = input j, column k = class k), ``z`` (K, 1), ``p`` (K, 1);
    - ``J`` (K, K): J[i, j] = ∂p_i/∂z_j at temperature T;
    - ``dz_dw`` (K, K·n): entry [t, k·n + j] = ∂z_t/∂W[j, k] (class-major columns, named "W[j,k]");
    - ``dp_dw`` (K, K·n): the shortcut p_t(δ_ti − p_i)·x_j / T; ``dp_dw_product``: J · dz/dW, the
      same numbers by the full product (kept separately so a reader can compare the two routes).
    """
    v = core.layer_values(state.x, state.W, state.temperature)
    n, K = state.n, state.K
    inputs, zs, ps, weights = text.x_labels(n), text.z_labels(K), text.p_labels(K), text.weight_labels(n, K)
    return {
        "x": (v.x.reshape(n, 1), inputs, ["x"]),
        "W": (v.W, inputs, text.class_labels(K)),
        "z": (v.z.reshape(K, 1), zs, ["z"]),
        "p": (v.p.reshape(K, 1), ps, ["p"]),
        "J": (v.J, ps, zs),
        "dz_dw": (v.dz_dw, zs, weights),
        "dp_dw": (v.shortcut, ps, weights),
        "dp_dw_product": (v.product, ps, weights),
    }


def state_figures(state: LayerState, *, font_size: int | None = None) -> dict:
    """The four linked views of ``state`` as figures (``make_figure``'s), with its selected entry marked.

    Names: ``output`` (z and p bars), ``jacobian`` (J heatmap), ``dz_dw`` (the sparsity pattern),
    ``layer`` (dp/dW, product beside shortcut). ``font_size`` defaults to ui.classroom's size for
    ``state`` (large in classroom mode).
    """
    # Imported here so that exporting matrices does not depend on the figure modules.
    from ui.figures.jacobian import jacobian_heatmap
    from ui.figures.layer import layer_derivative_figure
    from ui.figures.output import output_bars
    from ui.figures.sparsity import dz_dw_pattern

    size = font_size if font_size is not None else classroom.font_size(state)
    T = state.temperature
    t, i, j = state.selected
    v = core.layer_values(state.x, state.W, T)
    return {
        "output": output_bars(v.z, v.p, T, selected_class=t, font_size=size),
        "jacobian": jacobian_heatmap(v.p, v.J, T, selected=(t, i), font_size=size),
        "dz_dw": dz_dw_pattern(v.x, v.dz_dw, selected=(t, i, j), font_size=size),
        "layer": layer_derivative_figure(
            v.x, v.p, v.product, v.shortcut, T, jacobian=v.J, selected=(t, i, j), font_size=size
        ),
    }


def share_query(state: LayerState) -> str:
    """The share link's query string for ``state`` (what follows "?" in the app's URL)."""
    return urlencode(link.to_query(state))


_README = """Softmax Layer Explorer: exported matrices and figures

State (the share link's query string; append it to the app's address after "?"):
{query}

n = {n} inputs, K = {K} classes, temperature T = {T}, selected entry (t, i, j) = {sel}
(output p_t with respect to weight W[j,i]), preset: {preset}.

Notation (the blog's): z = W^T x, p = softmax(z / T), J[i, j] = dp_i/dz_j.
Weights are flattened class-major: weight W[j,k] is column k*n + j.

Files
  <name>.csv   full float64 precision, with row and column labels
  <name>.tex   LaTeX bmatrix, rounded to {digits} decimals (needs amsmath)
  <name>.html  standalone interactive figure (plotly.js inlined, works offline)

Matrices
  x              (n, 1)    inputs
  W              (n, K)    weights; row j = input j, column k = class k
  z              (K, 1)    logits
  p              (K, 1)    probabilities
  J              (K, K)    softmax Jacobian dp/dz
  dz_dw          (K, K*n)  dz/dW, mostly zeros: [t, k*n + j] = delta_tk * x_j
  dp_dw          (K, K*n)  dp/dW by the shortcut p_t (delta_ti - p_i) x_j / T
  dp_dw_product  (K, K*n)  dp/dW by the full product J . dz/dW (same numbers)

Figures
{figures}
"""


class ExportError(ValueError):
    """Writing an export failed; ``path`` names the file (or folder) and the message the cause."""

    def __init__(self, path: Path, cause: str):
        super().__init__(f"cannot write {path}: {cause}")
        self.path = path


def export_files(state: LayerState, *, digits: int = 4, figures: bool = True) -> dict[str, str]:
    """Every file of an export as name → text: <matrix>.csv and .tex, <figure>.html, README.txt last."""
    files: dict[str, str] = {}
    for name, (M, rows, cols) in state_matrices(state).items():
        files[f"{name}.csv"] = to_csv(M, rows, cols)
        files[f"{name}.tex"] = to_latex_bmatrix(M, digits) + "\n"
    figure_names: list[str] = []
    if figures:
        for name, fig in state_figures(state).items():
            files[f"{name}.html"] = figure_html(fig)
            figure_names.append(name)
    files["README.txt"] = _README.format(
        query=share_query(state),
        n=state.n,
        K=state.K,
        T=text.exact(state.temperature),
        sel=state.selected,
        preset=state.preset,
        digits=digits,
        figures="\n".join(f"  {name}.html" for name in figure_names) or "  (none exported)",
    )
    return files


def write_all(state: LayerState, folder, *, digits: int = 4, figures: bool = True) -> list[Path]:
    """Write every file of ``export_files`` into ``folder``, all or nothing; return their paths, README.txt last.

    The files are written into a temporary folder beside ``folder`` and moved into place only when
    every one is complete; a failure or an interrupt (Ctrl-C) leaves ``folder`` as it was (an existing
    export there is replaced only on success). Raises ``ExportError`` naming the file and the cause.
    """
    folder = Path(folder)
    if str(folder) in ("", "."):
        raise ExportError(folder, "give a folder name (the current folder is not replaced)")
    if folder.exists() and not folder.is_dir():
        raise ExportError(folder, "it exists and is not a folder")
    files = export_files(state, digits=digits, figures=figures)
    parent = folder.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{folder.name}.partial-", dir=parent))
    except OSError as e:
        raise ExportError(parent, e.strerror or str(e)) from None
    old = None
    try:
        for name, content in files.items():
            try:
                (work / name).write_text(content, encoding="utf-8")
            except OSError as e:
                raise ExportError(folder / name, e.strerror or str(e)) from None
        try:
            if folder.exists():
                old = parent / f".{folder.name}.old-{work.name.rsplit('-', 1)[-1]}"
                folder.rename(old)
            work.rename(folder)
        except OSError as e:
            if old is not None and not folder.exists():
                old.rename(folder)  # put the previous export back
            old = None
            raise ExportError(folder, e.strerror or str(e)) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)  # gone already when the move succeeded
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return [folder / name for name in files]


# ---------------------------------------------------------------- command line


def query_from_link(link: str) -> dict[str, list[str]]:
    """The query parameters of a share link: a full URL, "?a=1&b=2", or just "a=1&b=2"."""
    text = link.strip()
    if "?" in text:
        text = urlsplit(text).query if "://" in text else text.split("?", 1)[1]
    text = text.split("#", 1)[0]
    return parse_qs(text, keep_blank_values=True)


def state_from_link(url: str) -> tuple[LayerState, list[link.Problem]]:
    """The state a share link reproduces, and the link's problems (see ``ui.link.parse_query``).

    Raises ``ValueError`` if the link holds no explorer state at all, or if its numbers were
    unusable (the app would fall back to the blog's example, which is not what was asked for).
    """
    query = query_from_link(url)
    if not set(link.LAYER_KEYS) & set(query):
        raise ValueError(f"link {url[:60]!r} holds no explorer state (expected parameters such as x=, W=, preset=)")
    state, problems = link.parse_query(query)
    # The app can fall back to the blog's example; an export that was asked for cannot.
    if any(p.fatal for p in problems):
        raise ValueError(" ".join(p.message.removesuffix("; showing the blog's example.") for p in problems))
    return state, problems


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ui.export",
        description="Write every matrix (CSV, LaTeX) and figure (standalone HTML) of one explorer state.",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--preset", choices=sorted(core.PRESETS), help="a named state (default: blog)")
    source.add_argument("--link", help="a share link URL, or just its query string")
    parser.add_argument("--n", type=int, help=f"inputs, for generated presets ({link.N_MIN}–{link.N_MAX})")
    parser.add_argument("--K", type=int, help=f"classes, for generated presets ({link.K_MIN}–{link.K_MAX})")
    parser.add_argument("--seed", type=int, help="random seed, for --preset random")
    parser.add_argument("--out", required=True, help="folder to write into (created if missing)")
    parser.add_argument("--digits", type=int, default=4, help="decimals in the LaTeX files (default 4)")
    parser.add_argument("--no-figures", action="store_true", help="skip the HTML figures (about 4 MB each)")
    parser.add_argument(
        "--allow-fallback",
        action="store_true",
        help="export a --link with problems anyway, as the app would show it (by default nothing is written)",
    )
    return parser


def _state_from_args(args, parser: argparse.ArgumentParser) -> LayerState:
    if args.link is not None:
        if args.n is not None or args.K is not None or args.seed is not None:
            parser.error("--n, --K and --seed apply to --preset only; a link carries its own numbers")
        try:
            state, problems = state_from_link(args.link)
        except ValueError as e:
            parser.error(f"--link: {e}")
        for problem in problems:
            print(f"{'warning' if args.allow_fallback else 'link problem'}: {problem.message}", file=sys.stderr)
        if problems and not args.allow_fallback:
            parser.error(
                f"--link has {len(problems)} problem(s) (listed above); nothing was written. Fix the link, or pass "
                "--allow-fallback to export what the app would show instead"
            )
        return state
    preset = args.preset or "blog"
    n = 3 if args.n is None else args.n
    K = 5 if args.K is None else args.K
    seed = 0 if args.seed is None else args.seed
    for flag, value in (("n", n), ("K", K), ("seed", seed)):
        param = link.PARAMS[flag]
        if not param.lo <= value <= param.hi:
            parser.error(f"--{flag} must be in [{param.lo}, {param.hi}], got {value}")
    return state_from_preset(preset, n, K, seed)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    if not 0 <= args.digits <= 17:
        parser.error(f"--digits must be in [0, 17], got {args.digits}")
    if not args.out.strip():
        parser.error("--out: give a folder name (an empty name would write into the current folder)")
    state = _state_from_args(args, parser)
    try:
        paths = write_all(state, args.out, digits=args.digits, figures=not args.no_figures)
    except ExportError as e:
        print(f"error: {e}; nothing was written", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} files ({math.ceil(size / 1024)} KiB) to {args.out}")
    print(f"state: ?{share_query(state)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
