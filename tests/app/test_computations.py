"""Each number is computed once per run: count softmax and Jacobian evaluations per slider move.

A profiler hook counts calls by code object, so it sees every route into core however a
function was imported (``core.softmax``, ``from .softmax import ...``). The script runs in
AppTest's own thread, hence ``threading.setprofile`` as well as ``sys.setprofile``.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections import Counter
from contextlib import contextmanager

import pytest

from tests.app.apptest import open_app

# core's package namespace exports the functions softmax and layer_values, which shadow the
# submodules' names: take the modules themselves.
softmax_module = importlib.import_module("core.softmax")
layer_module = importlib.import_module("core.layer")

pytestmark = pytest.mark.xdist_group("apptest")

COUNTED = {
    softmax_module.softmax_of_checked.__code__: "softmax",  # every softmax route ends here
    softmax_module.softmax_jacobian.__code__: "J",
    layer_module.dz_dw.__code__: "dz/dW",
    layer_module.layer_jacobian_shortcut.__code__: "shortcut",
    layer_module.layer_jacobian_product.__code__: "product",
}


@contextmanager
def counting() -> Counter:
    counts: Counter = Counter()

    def hook(frame, event, arg):
        if event == "call" and (name := COUNTED.get(frame.f_code)):
            counts[name] += 1

    sys.setprofile(hook)
    threading.setprofile(hook)
    try:
        yield counts
    finally:
        sys.setprofile(None)
        threading.setprofile(None)


def computations_per_move(page: str | None) -> Counter:
    at = open_app(page=page)
    with counting() as counts:
        at.sidebar.slider(key="ctl_x_0").set_value(0.35).run()
    assert not at.exception
    return counts


def test_the_explorer_computes_each_matrix_once_per_slider_move():
    counts = computations_per_move(None)
    assert counts == Counter({"softmax": 1, "J": 1, "dz/dW": 1}), counts


@pytest.mark.parametrize("page", ["pages/derivation.py", "pages/conventions.py"])
def test_the_teaching_pages_reuse_the_shells_record(page):
    counts = computations_per_move(page)
    # One record for the layer (plus, on Derivation, the finite-difference check: 2·K·n more
    # forward passes by design).
    assert counts["J"] == 1 and counts["dz/dW"] == 1 and counts["shortcut"] == counts["product"] == 0, counts


def test_the_loss_page_does_not_rerun_the_layer_for_its_gradients():
    counts = computations_per_move("pages/loss.py")
    # The layer once, plus the descent's step 0 (its own record of the loss); section 5's start and its
    # two 30-step runs do not depend on x and W, so a slider move reuses them.
    assert counts["J"] == 1 and counts["softmax"] <= 3 and counts["dz/dW"] == 1, counts
    assert counts["shortcut"] == counts["product"] == 0, counts


def test_the_batch_page_runs_its_batch_once():
    counts = computations_per_move("pages/batch.py")
    # The layer's record (one softmax, one J) and the batch's (one softmax and one J over all N samples).
    assert counts == Counter({"softmax": 2, "J": 2, "dz/dW": 1}), counts
