"""Pasted numbers (ui.paste): the formats people copy, and messages that say which row and value is wrong.

The layer's x and W (the sidebar's paste box) and a batch of inputs and labels (the Batch page).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from core.batch import make_batch
from ui.paste import numpy_snippet, parse_inputs, parse_labels, parse_layer, parse_matrix, parse_vector
from ui.text import matrix_text

BLOG_W_TEXTS = [
    "0.1 0.2 0.3 0.4 0.5\n0.6 0.7 0.8 0.9 0.1\n0.11 0.12 0.13 0.14 0.15",
    "0.1, 0.2, 0.3, 0.4, 0.5; 0.6, 0.7, 0.8, 0.9, 0.1; 0.11, 0.12, 0.13, 0.14, 0.15",
    "[[0.1, 0.2, 0.3, 0.4, 0.5], [0.6, 0.7, 0.8, 0.9, 0.1], [0.11, 0.12, 0.13, 0.14, 0.15]]",
    "np.array([[0.1, 0.2, 0.3, 0.4, 0.5],\n          [0.6, 0.7, 0.8, 0.9, 0.1],\n"
    "          [0.11, 0.12, 0.13, 0.14, 0.15]])",
    "array([[0.1 , 0.2 , 0.3 , 0.4 , 0.5 ],\n       [0.6 , 0.7 , 0.8 , 0.9 , 0.1 ],\n"
    "       [0.11, 0.12, 0.13, 0.14, 0.15]])",
]


@pytest.mark.parametrize("text", BLOG_W_TEXTS)
def test_formats_people_paste(text):
    x, W = parse_layer("[0.1, 0.5, 0.4]", text)
    np.testing.assert_array_equal(x, core.BLOG_X)
    np.testing.assert_array_equal(W, core.BLOG_W)


def test_vector_as_column_or_numpy():
    np.testing.assert_array_equal(parse_vector("0.1\n0.5\n0.4"), core.BLOG_X)
    np.testing.assert_array_equal(parse_vector("array([0.1, 0.5, 0.4])"), core.BLOG_X)


def test_unicode_minus_is_read():
    np.testing.assert_array_equal(parse_vector("−0.5, 1"), [-0.5, 1.0])
    np.testing.assert_array_equal(parse_matrix("1 −2\n−3 4"), [[1.0, -2.0], [-3.0, 4.0]])


@pytest.mark.parametrize(
    ("x_text", "W_text", "expected"),
    [
        ("0.1, abc", "1 2\n3 4", r"x row 1, value 2: 'abc' is not a number"),
        ("1 2", "1 2 3\n4 5", "W row 2 has 2 numbers but row 1 has 3"),
        ("1 2", "1 2\n3 nan", "W row 2, value 2: 'nan' is not a number"),
        ("1 2", "1 2\n3 inf", "W row 2, value 2: 'inf' is not a number"),
        ("1 2", "1 2\n3 1e400", "W row 2, value 2: '1e400' is too large"),
        ("1 2", "1 2\n3 1_0", "W row 2, value 2: '1_0' is not a number"),
        ("1 2", "1 2\n3 1e6", r"W row 2, value 2: 1e\+06 is outside"),
        ("", "1 2", "x is empty"),
        ("1 2", "", "W is empty"),
        ("1 2 3", "1 2\n3 4", "W has 2 rows but x has 3 entries"),
        ("1 2", "1 2 3 4 5", "W has 1 row but x has 2"),
        ("1 2", "1\n2", "W has 1 columns"),
        ("1 2 3", "1 2 3\n4 5 6\n7 8 9\n1 1 1", "W has 4 rows but x has 3"),
        ("1 2", "[[1, 2], [3, 4]", "W: the brackets do not match"),  # an unclosed bracket is named, not guessed
    ],
)
def test_bad_pastes_name_the_row_and_value(x_text, W_text, expected):
    if expected is None:
        parse_layer(x_text, W_text)
        return
    with pytest.raises(ValueError, match=expected):
        parse_layer(x_text, W_text)


def test_transposed_pytorch_weight_gets_a_hint():
    with pytest.raises(ValueError, match="transpose a PyTorch"):
        parse_layer("1 2 3", "1 2 3\n4 5 6")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.floats(-10, 10, allow_nan=False), min_size=3, max_size=3), min_size=1, max_size=6))
def test_matrix_text_reads_back_exactly(rows):
    M = np.array(rows)
    np.testing.assert_array_equal(parse_matrix(matrix_text(M)), M)


@pytest.mark.parametrize("T", [1.0, 0.5, 3.0])
def test_numpy_snippet_reproduces_core(T):
    p = core.make_preset("random", 4, 6, seed=11)
    scope: dict = {}
    exec(numpy_snippet(p.x, p.W, T), scope)  # noqa: S102 - our own generated code
    np.testing.assert_array_equal(scope["x"], p.x)
    np.testing.assert_array_equal(scope["W"], p.W)
    np.testing.assert_allclose(scope["p"], core.softmax(p.W.T @ p.x, T), atol=1e-15)
    np.testing.assert_allclose(scope["dp_dW"], core.layer_jacobian_shortcut(p.x, p.W, T), atol=1e-15)


# ---------------------------------------------------------------- a batch (the Batch page)


def test_batch_paste_round_trips():
    X, _ = make_batch(4, 5, 5, seed=1)
    np.testing.assert_array_equal(parse_inputs(matrix_text(X), 4), X)
    np.testing.assert_array_equal(parse_labels("0, 4\n2 1;3", 5, 5), [0, 4, 2, 1, 3])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.floats(-10, 10), min_size=3, max_size=3), min_size=1, max_size=32))
def test_any_valid_batch_rows_parse_back_exactly(rows):
    X = np.array(rows)
    np.testing.assert_array_equal(parse_inputs(matrix_text(X), 3), X)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 2 3\n4 5", "Inputs row 2 has 2 numbers; each row needs n = 3"),
        ("1 2 3\n4 five 6", "Inputs row 2, value 2: 'five' is not a number"),
        ("1 2 nan", "Inputs row 1, value 3: 'nan' is not a number"),
        ("1 2 inf", "Inputs row 1, value 3"),
        ("1 2 300", "Inputs row 1, value 3: 300 is outside"),
        ("1 2 3,5", "Inputs row 1 has 4 numbers"),  # a comma separates values, in a batch as in x and W
        ("", "The batch is empty"),
        ("1 2 3\n" * 33, "The batch has 33 rows"),
    ],
)
def test_bad_batch_inputs_name_the_row_and_value(text, message):
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        parse_inputs(text, 3)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0 1", "Labels: got 2"),
        ("0 1 5", "Label 3: 5 is not a class in 0…4"),
        ("0 x 1", "Labels row 1, value 2: 'x' is not a number"),
        ("0 1 1.5", "Label 3: 1.5 is not a class"),  # 1.0 is class 1 (a float tensor's labels); 1.5 is not
        ("0 1 -1", "Label 3: -1 is not a class"),
    ],
)
def test_bad_labels_name_the_entry(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_labels(text, 3, 5)


# ---- what people copy (issue: pastes refuse what people copy)

COPIED = [
    "tensor([[0.1000, 0.2000, 0.3000],\n        [0.4000, 0.5000, 0.6000]])",
    "tensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], dtype=torch.float64, requires_grad=True)",
    "((0.1, 0.2, 0.3), (0.4, 0.5, 0.6))",
    "np.array([[0.1, 0.2, 0.3],[0.4, 0.5, 0.6]])",
    "[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]",
    "0.1 0.2 0.3; 0.4 0.5 0.6",
    "0.1, 0.2, 0.3\n0.4, 0.5, 0.6",
]


@pytest.mark.parametrize("text", COPIED)
def test_one_reader_takes_every_copied_form_in_both_paste_boxes(text):
    expected = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]
    np.testing.assert_array_equal(parse_matrix(text), expected)
    np.testing.assert_array_equal(parse_inputs(text, 3), expected)  # the Batch page reads the same way


def test_vectors_from_tuples_tensors_and_the_unicode_minus():
    for text in ("(0.1, −0.5, 0.4)", "tensor([ 0.1000, -0.5000,  0.4000])", "array([0.1, -0.5, 0.4])"):
        np.testing.assert_array_equal(parse_vector(text), [0.1, -0.5, 0.4])


def test_decimal_commas_are_explained():
    with pytest.raises(ValueError, match="use a point as the decimal separator"):
        parse_vector("0,5 0,3 0,2")


def test_labels_copied_from_a_float_tensor_are_classes():
    np.testing.assert_array_equal(parse_labels("tensor([1., 0., 2.])", 3, 3), [1, 0, 2])
    np.testing.assert_array_equal(parse_labels("[[1], [0]]", 2, 3), [1, 0])
