"""Presets: the blog's example reproduces the blog; the others show what their names promise."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core

SIZES = [(1, 2), (3, 5), (8, 8), (4, 3)]


def probabilities(preset):
    return core.softmax(preset.W.T @ preset.x, preset.temperature)


def test_blog_preset_is_the_blogs_example():
    p = core.make_preset("blog")
    np.testing.assert_array_equal(p.x, [0.1, 0.5, 0.4])
    np.testing.assert_array_equal(p.W, core.BLOG_W)
    assert p.temperature == 1.0
    # print(h) in seed 002
    np.testing.assert_allclose(
        probabilities(p), [0.19091352, 0.20353145, 0.21698333, 0.23132428, 0.15724743], atol=5e-9
    )


def test_blog_preset_ignores_sizes_and_hands_out_copies():
    p = core.make_preset("blog", n=7, K=2)
    assert p.W.shape == (3, 5)
    p.W[0, 0] = 99.0
    assert core.make_preset("blog").W[0, 0] == 0.1
    assert core.BLOG_W[0, 0] == 0.1


@pytest.mark.parametrize(("n", "K"), SIZES)
def test_uniform_preset_gives_uniform_p(n, K):
    np.testing.assert_allclose(probabilities(core.make_preset("uniform", n, K)), np.full(K, 1 / K), rtol=1e-15)


@pytest.mark.parametrize(("n", "K"), SIZES)
def test_one_hot_preset_is_nearly_one_hot(n, K):
    p = probabilities(core.make_preset("one_hot", n, K))
    assert p.max() > 0.9
    assert p.argmax() == 0


@pytest.mark.parametrize(("n", "K"), SIZES)
def test_hot_preset_has_temperature_five_and_flatter_p(n, K):
    preset = core.make_preset("hot", n, K)
    assert preset.temperature == 5.0
    assert probabilities(preset).max() <= core.softmax(preset.W.T @ preset.x).max()


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 8), st.integers(2, 8), st.integers(0, 2**31 - 1))
def test_random_preset_is_reproducible_by_seed(n, K, seed):
    a = core.make_preset("random", n, K, seed)
    b = core.make_preset("random", n, K, seed)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.W, b.W)
    assert (a.x.shape, a.W.shape) == ((n,), (n, K))
    other = core.make_preset("random", n, K, seed + 1)
    assert not (np.array_equal(a.x, other.x) and np.array_equal(a.W, other.W))


@pytest.mark.parametrize("name", sorted(core.PRESETS))
@pytest.mark.parametrize(("n", "K"), SIZES)
def test_every_preset_sits_on_the_slider_grid(name, n, K):
    preset = core.make_preset(name, n, K, seed=3)
    for values in (preset.x, preset.W):
        assert np.isfinite(values).all()
        assert np.abs(values).max() <= core.SLIDER_LIMIT
        np.testing.assert_allclose(values, np.round(values, 2), atol=1e-12)
    assert preset.description


def test_every_preset_has_a_title():
    assert set(core.PRESET_TITLES) == set(core.PRESETS)
