"""Fixtures for the core tests."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import core


@pytest.fixture
def blog():
    """The blog's (seed 002) x (3,) and W (3, 5)."""
    return core.BLOG_X.copy(), core.BLOG_W.copy()


@pytest.fixture
def strict_floats():
    """Any floating-point overflow, invalid operation (NaN), division by zero or warning fails the test.

    Underflow is allowed: exp(−1000) = 0 is the exact float64 answer, not an error.
    """
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
