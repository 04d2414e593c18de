"""softmax and its Jacobian: the blog's printed numbers, algebraic properties, extreme logits."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import core
from tests.core.core_strategies import PROPERTY, temperatures, values

# Seed 002 prints these with print(h) and print(DS); copied verbatim as strings so each
# entry's tolerance can be one unit of its last printed digit (the blog's DS printout
# truncates rather than rounds: DS[0, 0] = 0.1544655… is printed 0.154465).
BLOG_H = "0.19091352 0.20353145 0.21698333 0.23132428 0.15724743"
BLOG_DS = """
 0.154465 -0.038856 -0.041425 -0.044162 -0.030020
-0.038856  0.162106 -0.044162 -0.047081 -0.032004
-0.041425 -0.044162  0.1699015 -0.050193 -0.034120
-0.044162 -0.047081 -0.050193  0.177813 -0.036375
-0.030020 -0.032004 -0.034120 -0.036375  0.132520
"""


def printed(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Numbers printed in ``text`` (rows on lines) and, per entry, one unit of its last digit."""
    rows = [line.split() for line in text.strip().splitlines()]
    vals = np.array([[float(v) for v in row] for row in rows])
    units = np.array([[10.0 ** -len(v.split(".")[1]) for v in row] for row in rows])
    return vals.squeeze(0) if len(rows) == 1 else vals, units.squeeze(0) if len(rows) == 1 else units


def assert_matches_printout(actual: np.ndarray, text: str) -> None:
    want, unit = printed(text)
    assert actual.shape == want.shape
    err = np.abs(actual - want)
    assert (err < unit).all(), f"off by more than the last printed digit at {np.argwhere(err >= unit).tolist()}"


# ---------------------------------------------------------------- golden values (seed 002)


def test_blog_probabilities(blog):
    x, W = blog
    assert_matches_printout(core.softmax(W.T @ x), BLOG_H)


def test_blog_jacobian_ds_all_three_forms(blog):
    x, W = blog
    p = core.softmax(W.T @ x)
    for J in (core.softmax_jacobian(p), core.softmax_jacobian_loops(p), core.softmax_jacobian_hadamard(p)):
        assert_matches_printout(J, BLOG_DS)


def test_the_golden_check_can_fail(blog):
    # A Jacobian built from the logits instead of p (seed 003's trap) must not pass.
    x, W = blog
    with pytest.raises(AssertionError):
        assert_matches_printout(core.jacobian_at_logits(W.T @ x), BLOG_DS)


# ---------------------------------------------------------------- softmax


@PROPERTY
@given(arrays(np.float64, st.integers(1, 8), elements=values(50.0)), temperatures)
def test_softmax_is_a_probability_vector_invariant_to_shifts(z, T):
    p = core.softmax(z, T)
    assert p.shape == z.shape
    assert (p >= 0).all() and (p <= 1).all()
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(core.softmax(z + 3.7, T), p, rtol=1e-12, atol=1e-300)
    # Order is preserved: a larger logit never gets a smaller probability.
    order = np.argsort(z, kind="stable")
    assert (np.diff(p[order]) >= 0).all()


@PROPERTY
@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 6)), elements=values(20.0)), temperatures)
def test_softmax_of_a_batch_is_row_by_row(Z, T):
    P = core.softmax(Z, T)
    for z, p in zip(Z, P, strict=True):
        np.testing.assert_array_equal(core.softmax(z, T), p)
    np.testing.assert_allclose(np.exp(core.log_softmax(Z, T)), P, rtol=1e-12)


def test_temperature_flattens_and_sharpens():
    z = np.array([1.0, 2.0, 3.0])
    hot, cold = core.softmax(z, 10.0), core.softmax(z, 0.1)
    assert hot.max() < core.softmax(z).max() < cold.max()
    np.testing.assert_allclose(core.softmax(z, 2.0), core.softmax(z / 2.0))


def test_uniform_logits_give_uniform_probabilities():
    np.testing.assert_array_equal(core.softmax(np.zeros(4)), np.full(4, 0.25))


# ---------------------------------------------------------------- extreme logits


@pytest.mark.usefixtures("strict_floats")
@pytest.mark.parametrize(
    ("z", "expected"),
    [
        ([1000.0, 0.0], [1.0, 0.0]),
        ([-1000.0, 0.0], [0.0, 1.0]),
        ([1000.0, 1000.0], [0.5, 0.5]),
        ([-1000.0, -1000.0, -1000.0, -1000.0], [0.25] * 4),
        ([1e300, 0.0], [1.0, 0.0]),
        ([1e300, 1e300], [0.5, 0.5]),
        ([-1e300, 5.0], [0.0, 1.0]),
    ],
)
def test_extreme_logits_give_exact_finite_probabilities(z, expected):
    np.testing.assert_array_equal(core.softmax(z), expected)
    logp = core.log_softmax(np.array(z))
    assert not np.isnan(logp).any()
    assert logp.max() == 0.0 or np.allclose(logp, np.log(expected))


@pytest.mark.usefixtures("strict_floats")
def test_extreme_logits_give_a_finite_jacobian_that_vanishes():
    p = core.softmax([1000.0, 0.0, -1000.0])
    np.testing.assert_array_equal(core.softmax_jacobian(p), np.zeros((3, 3)))


@pytest.mark.usefixtures("strict_floats")
@pytest.mark.parametrize(("z", "T"), [([1e308, 0.0], 0.25), ([1.7e308, -1.7e308], 1.0), ([-1e308, 1e308], 0.5)])
def test_logits_near_the_float_limit_do_not_overflow(z, T):
    # z / T, or z − max(z), would overflow here; the answer is still exactly one-hot.
    p = core.softmax(z, T)
    assert np.isfinite(p).all()
    np.testing.assert_array_equal(p, np.eye(2)[int(np.argmax(z))])


# ---------------------------------------------------------------- the Jacobian


def jacobian_from(z, T):
    p = core.softmax(z, T)
    return p, core.softmax_jacobian(p, T)


@PROPERTY
@given(arrays(np.float64, st.integers(2, 8), elements=values(50.0)), temperatures)
def test_jacobian_is_symmetric_rows_sum_to_zero_and_psd(z, T):
    p, J = jacobian_from(z, T)
    np.testing.assert_array_equal(J, J.T)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-15 / T)
    assert np.linalg.eigvalsh(J).min() >= -1e-12


@PROPERTY
@given(arrays(np.float64, st.integers(2, 8), elements=values(5.0)), st.floats(1.0, 4.0))
def test_jacobian_has_rank_k_minus_one(z, T):
    # J = (diag(p) − p·pᵀ)/T. Its null space is spanned by the all-ones vector (shifting every
    # logit changes nothing), and by interlacing its other eigenvalues are ≥ min(p)/T. With
    # |z| ≤ 5 and T ≥ 1 the logits z/T span at most 10, so min(p) ≥ e^-10/K > 5e-6: every
    # non-zero eigenvalue is far above rounding (~1e-16), and the rank claim is well posed.
    # (For a numerically one-hot p, min(p) underflows and J is rank-deficient in float64.)
    p, J = jacobian_from(z, T)
    eig = np.linalg.eigvalsh(J)
    K = len(z)
    assert np.abs(eig[0]) < 1e-14
    assert eig[1] >= p.min() / T * (1 - 1e-9)
    assert np.linalg.matrix_rank(J, tol=1e-10) == K - 1
    np.testing.assert_allclose(J @ np.ones(K), 0.0, atol=1e-15)


@PROPERTY
@given(arrays(np.float64, st.integers(1, 8), elements=values(20.0)), temperatures)
def test_three_forms_of_the_jacobian_agree(z, T):
    p = core.softmax(z, T)
    J = core.softmax_jacobian(p, T)
    # p(1 − p) and p − p² differ by rounding: compare at the scale of J's entries (≤ 1/(4T)).
    np.testing.assert_allclose(core.softmax_jacobian_loops(p, T), J, rtol=1e-12, atol=1e-15 / T)
    np.testing.assert_allclose(core.softmax_jacobian_hadamard(p, T), J, rtol=1e-12, atol=1e-15 / T)


@PROPERTY
@given(arrays(np.float64, st.integers(2, 6), elements=values(5.0)), temperatures)
def test_jacobian_equals_finite_differences_of_softmax(z, T):
    J = core.softmax_jacobian(core.softmax(z, T), T)
    eps = 1e-6
    numeric = np.empty_like(J)
    for j in range(len(z)):
        dz = np.zeros_like(z)
        dz[j] = eps
        numeric[:, j] = (core.softmax(z + dz, T) - core.softmax(z - dz, T)) / (2 * eps)
    np.testing.assert_allclose(J, numeric, atol=1e-7)


def test_jacobian_of_a_batch_is_per_sample():
    P = core.softmax(np.array([[0.0, 1.0, 2.0], [3.0, -1.0, 0.5]]))
    Js = core.softmax_jacobian(P, 2.0)
    assert Js.shape == (2, 3, 3)
    for p, J in zip(P, Js, strict=True):
        np.testing.assert_array_equal(core.softmax_jacobian(p, 2.0), J)


def test_jacobian_at_uniform_p_is_i_over_k_minus_one_over_k_squared():
    K = 4
    np.testing.assert_allclose(core.softmax_jacobian(np.full(K, 1 / K)), np.eye(K) / K - 1 / K**2)


def test_logsumexp_is_the_log_of_softmaxs_denominator():
    z = np.array([0.3, -1.2, 2.5])
    for T in (0.5, 1.0, 3.0):
        assert core.logsumexp(z, T) == pytest.approx(np.log(np.exp(z / T).sum()), rel=1e-15)
        np.testing.assert_allclose(np.exp(z / T - core.logsumexp(z, T)), core.softmax(z, T), rtol=1e-14)
    assert core.logsumexp(np.array([1000.0, 0.0])) == pytest.approx(1000.0)  # no overflow
    with pytest.raises(ValueError, match="temperature"):
        core.logsumexp(z, 0.0)
