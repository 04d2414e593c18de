"""``by_value``: remember a pure function's text results by the values of its array arguments.

A slider move reruns the page, and the page writes the same x and W as text several times (the
paste boxes, the NumPy snippet, each link): at 64 × 32 that is 2,048 numbers per copy. Keyed by
value (dtype, shape and bytes), not by object, so a rerun's fresh arrays with the same numbers hit.
Pure (no streamlit); shared by all sessions, which is safe because the results are immutable.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import numpy as np

R = TypeVar("R")


def _key(value):
    if isinstance(value, np.ndarray):
        return ("ndarray", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, float):  # -0.0 == 0.0, but they are written differently
        return ("float", value.hex())
    return (type(value).__name__, value)


def by_value(maxsize: int = 32) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Decorator: at most ``maxsize`` results, least recently used dropped first. The function must be
    pure and return something immutable (text, tuples); other arguments must be hashable."""

    def decorate(fn: Callable[..., R]) -> Callable[..., R]:
        results: OrderedDict = OrderedDict()
        lock = threading.Lock()  # sessions run on their own threads

        @functools.wraps(fn)
        def remembered(*args, **kwargs) -> R:
            key = (tuple(map(_key, args)), tuple((k, _key(v)) for k, v in sorted(kwargs.items())))
            with lock:
                if key in results:
                    results.move_to_end(key)
                    return results[key]
            value = fn(*args, **kwargs)
            with lock:
                results[key] = value
                while len(results) > maxsize:
                    results.popitem(last=False)
            return value

        remembered.cache_clear = results.clear  # type: ignore[attr-defined]
        return remembered

    return decorate
