"""The nudge's error curve: a pure builder, checked on its data."""

from __future__ import annotations

import numpy as np
import pytest

from pages.derivation_parts.figures import nudge_error_figure


def test_error_curve_is_log_log_with_a_slope_two_reference_and_the_chosen_eps():
    eps = np.array([1.0, 0.1, 0.01, 0.001])
    err = np.array([1e-2, 1e-4, 1e-6, 0.0])  # the last one is below rounding: left out
    fig = nudge_error_figure(eps, err, 0.01, font_size=14, height=300)
    measured, reference, chosen = fig.data
    assert list(measured.x) == [1.0, 0.1, 0.01]
    np.testing.assert_allclose(reference.y, 1e-2 * eps**2)
    assert list(chosen.x) == [0.01] and list(chosen.y) == [1e-6]
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"


def test_bad_shapes_raise():
    with pytest.raises(ValueError, match="eps"):
        nudge_error_figure(np.array([1.0, 0.0]), np.array([1.0, 1.0]), 1.0)
