"""The Loss page's sentences: the live numbers read as a person writes them."""

from __future__ import annotations

import pytest

from pages.loss_parts.text import saturation_explanation


@pytest.mark.parametrize(
    ("ce", "mse", "says"),
    [(0.9, 0.1, "9 times larger"), (1.4, 0.0009, "1,556 times larger"), (1.0, 0.0, "MSE's is 0")],
)
def test_the_saturation_ratio_is_written_in_words_not_e_notation(ce, mse, says):
    text = saturation_explanation(0.97, 0.02, ce, mse)
    assert f"({says})" in text and "e3" not in text and "inf" not in text
