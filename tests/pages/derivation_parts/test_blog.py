"""The blog's printouts (seed 002) against core, read independently of the app's formatting."""

from __future__ import annotations

import numpy as np
import pytest

import core
from pages.derivation_parts import blog


def test_every_printed_number_is_within_one_unit_of_its_last_digit():
    v = core.layer_values(core.BLOG_X, core.BLOG_W)
    for out in blog.printouts(v):
        table = blog.check_table(out)
        assert len(table) == out.app.size and (table["match"] == "✓").all(), out.name
        assert (table["difference (last-digit units)"] < 1).all()


def test_the_blog_truncates_where_the_app_rounds():
    v = core.layer_values(core.BLOG_X, core.BLOG_W)
    printed, rounded, value = blog.truncation_example(v)
    assert (printed, rounded) == ("0.01544", "0.01545") and value.startswith("0.015446")


def test_a_wrong_layer_does_not_match():
    """The check can fail: another W changes DL and the marks say so."""
    W = core.BLOG_W.copy()
    W[1, 0] += 0.05  # (adding the same number to every weight would not do: softmax ignores the shift)
    v = core.layer_values(core.BLOG_X, W)
    dl = next(o for o in blog.printouts(v) if o.name == "DL")
    assert (blog.check_table(dl)["match"] == "✗").any()


def test_decimals_and_shapes():
    assert [blog.decimals(t) for t in ("0.", "0.1", "0.1699015", "-0.00388")] == [0, 1, 7, 5]
    assert np.array(blog.printed(blog.BLOG_DZ), dtype=float).shape == (15, 5)
    with pytest.raises(ValueError, match="DS"):
        blog.check_table(blog.Printout("DS", "", blog.BLOG_DS, np.zeros((4, 4))))
