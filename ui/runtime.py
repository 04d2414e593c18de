"""Process-wide settings of the server process, applied once per process."""

from __future__ import annotations

import functools
import gc


@functools.cache
def freeze_startup_objects() -> None:
    """Hide everything alive after the app's first run from the garbage collector.

    Streamlit runs a full ``gc.collect()`` after every script run; it walks every tracked object,
    and Plotly's validators and Streamlit's own modules are hundreds of thousands of them that
    live as long as the process. Frozen (``gc.freeze``), they are skipped, and the collection
    after a slider move costs what the session's own objects cost (see bench/load.py). Frozen
    objects are still freed by reference counting; only a cycle among them would stay.
    """
    gc.collect()
    gc.freeze()
