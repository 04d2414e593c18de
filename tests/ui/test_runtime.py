"""The server process hides its long-lived objects from the per-run garbage collection."""

from __future__ import annotations

import gc

from tests.app.apptest import open_app


def test_the_first_run_freezes_what_is_alive():
    open_app()
    assert gc.get_freeze_count() > 10_000  # Plotly's and Streamlit's modules, not a handful
