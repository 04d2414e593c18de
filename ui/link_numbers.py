"""How a link carries x and W: as text when that is short, else packed, else not at all (a state file).

Pure (no streamlit). Every form reads back to the identical float64 numbers:
- text: ``x=0.1,0.5,0.4&W=0.1,0.2;…`` (the shortest round-trip text of each number; old links);
- packed: ``xw=1c.<data>`` (values on the sliders' 0.01 grid, as 16-bit hundredths) or
  ``xw=1f.<data>`` (any float64), zlib-compressed and URL-safe base64; n and K come from the link;
- ``xw=file``: too many arbitrary numbers for any link under ``QUERY_MAX``: the state travels as a
  state file (``state_file`` / ``read_state_file``), and a link saying so gets a clear warning.
"""

from __future__ import annotations

import base64
import json
import zlib
from urllib.parse import urlencode

import numpy as np

from .memo import by_value
from .text import exact

LINK_MAX = 8000  # characters in a whole link the app writes
QUERY_MAX = LINK_MAX - 500  # room for the address and the page's path
VERSION = "1"
TOO_BIG = "file"
STATE_FILE_FORMAT = "softmax-layer-explorer/state"


def text_form(x: np.ndarray, W: np.ndarray) -> dict[str, str]:
    return dict(_text_form(np.asarray(x, dtype=float), np.asarray(W, dtype=float)))


@by_value()
def _text_form(x: np.ndarray, W: np.ndarray) -> tuple[tuple[str, str], ...]:
    return ("x", ",".join(exact(v) for v in x)), ("W", ";".join(",".join(exact(v) for v in row) for row in W))


def _packed(values: np.ndarray) -> str | None:
    """The shortest packed text for ``values`` (x then W row by row), or None if none fits exactly."""
    hundredths = np.round(values * 100)
    forms = []
    if np.all(np.abs(hundredths) <= 32767) and np.array_equal(hundredths / 100, values):
        forms.append(("c", hundredths.astype("<i2").tobytes()))
    forms.append(("f", values.astype("<f8").tobytes()))
    texts = [
        f"{VERSION}{kind}." + base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")
        for kind, raw in forms
    ]
    return min(texts, key=len)


def numbers_form(x: np.ndarray, W: np.ndarray, budget: int) -> dict[str, str]:
    """The link parameters for x (n,) and W (n, K): text if it fits ``budget`` characters, else packed, else file."""
    # A run writes the same numbers into a dozen links (the URL, each question's link): once is enough.
    return dict(_numbers_form(np.asarray(x, dtype=float), np.asarray(W, dtype=float), budget))


@by_value()
def _numbers_form(x: np.ndarray, W: np.ndarray, budget: int) -> tuple[tuple[str, str], ...]:
    text = text_form(x, W)
    if len(urlencode(text)) + 1 <= budget:  # as the address bar holds it: ',' and ';' take 3 characters
        return tuple(text.items())
    packed = _packed(np.concatenate([x, W.ravel()]))
    return (("xw", packed if len(packed) + 4 <= budget else TOO_BIG),)


def read_packed(text: str, n: int, K: int) -> tuple[np.ndarray, np.ndarray]:
    """x (n,) and W (n, K) from an ``xw`` value; ValueError(reason) when it cannot be read."""
    if text.strip() == TOO_BIG:
        raise ValueError("holds no numbers: the state was too big for a link; open the state file it came with")
    head, _, data = text.strip().partition(".")
    if head not in (f"{VERSION}c", f"{VERSION}f"):
        raise ValueError("is not a packed x and W this app wrote (unknown format)")
    try:
        raw = zlib.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)), bufsize=1 << 16)
    except (ValueError, zlib.error):
        raise ValueError("is damaged (it does not unpack)") from None
    dtype, scale = ("<i2", 100.0) if head.endswith("c") else ("<f8", 1.0)
    size = n * (K + 1)
    if len(raw) != size * np.dtype(dtype).itemsize:
        raise ValueError(f"holds {len(raw) // np.dtype(dtype).itemsize} numbers but n = {n}, K = {K} need {size}")
    values = np.frombuffer(raw, dtype=dtype).astype(float) / scale
    return values[:n].copy(), values[n:].reshape(n, K).copy()


def state_file(query: dict[str, str]) -> str:
    """A small JSON file holding a state's full link parameters (numbers as text), for states too big for a link."""
    return json.dumps({"format": STATE_FILE_FORMAT, "version": 1, "query": query}, indent=1)


def read_state_file(content: bytes | str) -> dict[str, str]:
    """The link parameters in a state file; ValueError saying what is wrong with the file."""
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise ValueError("the file is not a state file (not JSON)") from None
    if not isinstance(data, dict) or data.get("format") != STATE_FILE_FORMAT:
        raise ValueError("the file is not a state file of this app")
    query = data.get("query")
    if not isinstance(query, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in query.items()):
        raise ValueError("the state file's query is not a set of text parameters")
    return query
