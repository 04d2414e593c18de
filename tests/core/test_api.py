"""core's public names are a contract, and core stays pure NumPy (imports point pages → ui → core)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import core

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = [  # DESIGN.md: other programs import these; add freely, rename never
    "softmax", "softmax_jacobian", "dz_dw", "layer_jacobian_product", "layer_jacobian_shortcut",
    "numerical_jacobian", "loss_gradient",
]  # fmt: skip


def test_contract_names_exist_and_are_exported():
    for name in CONTRACT:
        assert callable(getattr(core, name)), name
    assert set(core.__all__) <= set(dir(core))


def _modules_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_core_imports_neither_streamlit_nor_plotly_nor_ui():
    loaded = _modules_after_import("core")
    assert not {m for m in loaded if m.split(".")[0] in {"streamlit", "plotly", "pandas", "ui"}}


PURE = [  # no streamlit: figure builders, text, the link table, pastes, exports, and every page's parts
    "ui.figures.common", "ui.figures.jacobian", "ui.figures.layer", "ui.figures.sparsity", "ui.figures.output",
    "ui.text", "ui.link", "ui.state", "ui.paste", "ui.export", "ui.classroom",
    *sorted(f"pages.{p.parent.name}.{p.stem}" for p in ROOT.glob("pages/*_parts/*.py") if p.stem != "__init__"),
]  # fmt: skip


def test_figures_and_text_builders_do_not_import_streamlit():
    loaded = _modules_after_import(", ".join(PURE))
    assert "streamlit" not in {m.split(".")[0] for m in loaded}


def test_imports_point_one_way():
    """pages → ui → core: ui never imports a page, core imports neither."""
    for path in ROOT.glob("ui/**/*.py"):
        text = path.read_text()
        assert "from pages" not in text and "import pages" not in text, path
    loaded = _modules_after_import("ui.export, ui.link, ui.text, ui.figures.layer")
    assert not {m for m in loaded if m.split(".")[0] in {"pages", "app"}}
