"""Hypothesis strategies shared by the core tests: layer states (x, W, T) of random size and value.

Sizes n 1–8 and K 2–8 cover the app's sliders; values are bounded so that every property
below is a statement about float64 arithmetic, not about overflow.
"""

from __future__ import annotations

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

# Moderate example counts keep the whole core suite well under 20 s; deadline=None because
# the first call of a NumPy routine can be slow and that is not what these tests are about.
PROPERTY = settings(max_examples=60, deadline=None)
SLOW_PROPERTY = settings(max_examples=25, deadline=None)

VALUE_BOUND = 5.0
temperatures = st.floats(0.25, 4.0)


def values(bound: float = VALUE_BOUND):
    # No subnormals: below ~2e-308 a float64 has fewer than 53 significant bits, so relative
    # tolerances between routes cannot hold; extreme values have their own tests.
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def layers(draw, n=(1, 8), K=(2, 8), bound: float = VALUE_BOUND):
    """(x (n,), W (n, K)) with every entry in [−bound, bound]."""
    n_ = draw(st.integers(*n))
    K_ = draw(st.integers(*K))
    x = draw(arrays(np.float64, n_, elements=values(bound)))
    W = draw(arrays(np.float64, (n_, K_), elements=values(bound)))
    return x, W


@st.composite
def probability_vectors(draw, K: int):
    """A (K,) probability vector: a one-hot target or a soft one (a softmax of bounded logits)."""
    if draw(st.booleans()):
        y = np.zeros(K)
        y[draw(st.integers(0, K - 1))] = 1.0
        return y
    z = draw(arrays(np.float64, K, elements=values(3.0)))
    e = np.exp(z - z.max())
    return e / e.sum()
