"""``by_value``: remember a pure function's text results by the values of its array arguments.

A slider move reruns the page, and the page writes the same x and W as text several times (the
paste boxes, the NumPy snippet, each link): at 64 × 32 that is 2,048 numbers per copy. Keyed by
value (dtype, shape and bytes), not by object, so a rerun's fresh arrays with the same numbers hit.
Pure (no streamlit); shared by all sessions, which is safe because the results are immutable.
"""

from __future__ import annotations

import functools
import threading
import types
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import numpy as np

R = TypeVar("R")


class Unkeyable(TypeError):
    """An argument whose value ``by_value`` cannot key (the call then runs without the memory)."""


def _key(value):
    """A hashable stand-in for ``value`` that is equal exactly when the values are; Unkeyable otherwise.

    Arrays by dtype, shape and bytes; floats by their bits (-0.0 is not 0.0); tuples, lists and
    dicts by their items; functions by identity. Any other object could change without its
    identity changing, so it is refused rather than keyed by identity.
    """
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise Unkeyable("an array of Python objects")
        return ("ndarray", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, float):  # -0.0 == 0.0, but they are written differently
        return ("float", float(value).hex())
    if isinstance(value, np.generic):
        return ("np", value.dtype.str, value.tobytes())
    if value is None or isinstance(value, (bool, int, str, bytes)):
        return (type(value).__name__, value)
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(_key(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((_key(k), _key(v)) for k, v in value.items()))
    if isinstance(value, types.FunctionType):
        return ("function", value)
    raise Unkeyable(type(value).__name__)


def by_value(maxsize: int = 32) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Decorator: at most ``maxsize`` results, least recently used dropped first. The function must be
    pure and its results must not be changed by callers. A call with an argument ``_key`` cannot key
    runs the function every time."""

    def decorate(fn: Callable[..., R]) -> Callable[..., R]:
        results: OrderedDict = OrderedDict()
        lock = threading.Lock()  # sessions run on their own threads

        @functools.wraps(fn)
        def remembered(*args, **kwargs) -> R:
            try:
                key = (tuple(map(_key, args)), tuple((k, _key(v)) for k, v in sorted(kwargs.items())))
            except Unkeyable:
                return fn(*args, **kwargs)
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
