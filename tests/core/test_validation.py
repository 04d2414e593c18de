"""Bad input never returns garbage: every public function raises ValueError naming the argument."""

from __future__ import annotations

import numpy as np
import pytest

import core

X = np.array([0.1, 0.5, 0.4])
W = core.BLOG_W.copy()
Y = core.one_hot(1, 5)
P = core.softmax(W.T @ X)

LAYER_ROUTES = [
    core.logits,
    core.forward,
    core.layer_jacobian_product,
    core.layer_jacobian_shortcut,
    core.layer_jacobian_kron,
    core.layer_jacobian_loops,
    core.numerical_jacobian,
    core.weight_vector_gradients,
    core.quotient_rule_without_delta,
]
LOSS_ROUTES = [core.loss_value, core.loss_gradient, core.loss_grad_z, core.loss_gradient_by_columns]

# (bad value, words the message must contain besides the argument's name)
BAD_ARRAYS = [
    (np.array([0.1, np.nan, 0.4]), "NaN"),
    (np.array([0.1, np.inf, 0.4]), "infinity"),
    (np.array([]), "empty"),
    (["a", "b", "c"], "numeric"),
    (None, "numbers"),
    (np.array([0.1, "x", None], dtype=object), "numbers"),
    ([[0.1, 0.2], [0.3]], "array"),
    (np.array([True, False, True]), "boolean"),
    (np.array([1 + 1j, 0, 0]), "complex"),
]


def name_in_message(name: str) -> str:
    """A regex matching a message that names ``name`` as a word (x, not "maximum")."""
    return rf"(^|\W){name}(\W|$)"


@pytest.mark.parametrize("route", LAYER_ROUTES, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("bad", "why"), BAD_ARRAYS, ids=lambda v: str(v)[:12])
def test_bad_x_is_named(route, bad, why):
    with pytest.raises(ValueError, match=name_in_message("x")) as info:
        route(bad, W)
    assert why.lower() in str(info.value).lower()


@pytest.mark.parametrize("route", LAYER_ROUTES, ids=lambda f: f.__name__)
def test_wrong_shapes_name_x_or_w(route):
    with pytest.raises(ValueError, match=r"x must be a 1-D vector"):
        route(np.ones((3, 1)), W)
    with pytest.raises(ValueError, match=r"W must be a 2-D matrix"):
        route(X, W.ravel())
    with pytest.raises(ValueError, match=r"W must have one row per input"):
        route(np.ones(4), W)
    with pytest.raises(ValueError, match=name_in_message("W")):
        route(X, np.where(W > 0.5, np.nan, W))


@pytest.mark.parametrize("route", LAYER_ROUTES[1:7] + [core.weight_vector_gradients], ids=lambda f: f.__name__)
@pytest.mark.parametrize("T", [0.0, -1.0, np.nan, np.inf, "hot", None, True, "2"])
def test_bad_temperature_is_named(route, T):
    with pytest.raises(ValueError, match="temperature"):
        route(X, W, temperature=T)


@pytest.mark.parametrize("f", [core.softmax, core.log_softmax])
def test_softmax_rejects_bad_logits_and_temperature(f):
    with pytest.raises(ValueError, match="z"):
        f([0.0, np.nan])
    with pytest.raises(ValueError, match="z"):
        f([])
    with pytest.raises(ValueError, match="z"):
        f("logits")
    with pytest.raises(ValueError, match="temperature"):
        f([0.0, 1.0], temperature=0)
    with pytest.raises(ValueError, match="temperature"):
        f([0.0, 1.0], temperature=float("nan"))


def test_softmax_rejects_a_scalar():
    with pytest.raises(ValueError, match="z"):
        core.softmax(3.0)


@pytest.mark.parametrize(
    "f", [core.softmax_jacobian, core.softmax_jacobian_loops, core.softmax_jacobian_hadamard], ids=lambda f: f.__name__
)
@pytest.mark.parametrize(
    "bad",
    [[0.5, 0.6], [-0.1, 1.1], [0.5, np.nan], [], ["a", "b"], [2.0]],
    ids=["sum>1", "negative", "nan", "empty", "strings", "above-1"],
)
def test_jacobian_rejects_non_probabilities(f, bad):
    with pytest.raises(ValueError, match=r"(^|\W)(p|a)(\W|$)"):
        f(bad)


@pytest.mark.parametrize("n_classes", [0, -2, 2.5, "5", None, True])
def test_dz_dw_rejects_bad_n_classes(n_classes):
    with pytest.raises(ValueError, match="n_classes"):
        core.dz_dw(X, n_classes)


@pytest.mark.parametrize("eps", [0.0, -1e-6, np.nan, np.inf, None, "small"])
def test_numerical_jacobian_rejects_bad_eps(eps):
    with pytest.raises(ValueError, match="eps"):
        core.numerical_jacobian(X, W, eps=eps)


@pytest.mark.parametrize("route", LOSS_ROUTES, ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    "y",
    [
        [0, 1.5, -0.5, 0, 0],  # negative
        [0.2, 0.2, 0.2, 0.2, 0.1],  # does not sum to 1
        [0.5, 0.5, 0, 0],  # wrong length
        [0, 1, 0, 0, np.nan],
        "class 1",
        None,
    ],
    ids=["negative", "sum", "length", "nan", "string", "none"],
)
def test_bad_targets_name_y(route, y):
    with pytest.raises(ValueError, match=name_in_message("y")):
        route(X, W, y)


@pytest.mark.parametrize("route", LOSS_ROUTES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("loss", ["hinge", "", None, "Cross_Entropy"])
def test_bad_loss_name(route, loss):
    with pytest.raises(ValueError, match="loss must be one of"):
        route(X, W, Y, loss=loss)


@pytest.mark.parametrize("route", LOSS_ROUTES, ids=lambda f: f.__name__)
def test_loss_routes_reject_bad_x_w_and_temperature(route):
    with pytest.raises(ValueError, match=name_in_message("x")):
        route(np.ones(4), W, Y)
    with pytest.raises(ValueError, match=name_in_message("x")):
        route(np.ones((2, 2, 3)), W, Y)
    with pytest.raises(ValueError, match=name_in_message("W")):
        route(X, [1.0, 2.0], Y)
    with pytest.raises(ValueError, match="temperature"):
        route(X, W, Y, temperature=-1)


def test_batch_targets_must_match_the_batch():
    with pytest.raises(ValueError, match=name_in_message("y")):
        core.loss_gradient(np.ones((2, 3)), W, Y)
    with pytest.raises(ValueError, match=name_in_message("x")):
        core.loss_gradient_by_columns(np.ones((2, 3)), W, np.stack([Y, Y]))


def test_loss_grad_p_checks_both_vectors_and_the_loss():
    with pytest.raises(ValueError, match=name_in_message("p")):
        core.loss_grad_p([0.5, 0.6], [1.0, 0.0])
    with pytest.raises(ValueError, match=name_in_message("y")):
        core.loss_grad_p(P, [1.0, 0.0])
    with pytest.raises(ValueError, match="loss"):
        core.loss_grad_p(P, Y, loss="l1")


@pytest.mark.parametrize(
    ("label", "n_classes", "name"),
    [(5, 5, "label"), (-1, 5, "label"), (1.0, 5, "label"), ("1", 5, "label"), (True, 5, "label")]
    + [(0, 0, "n_classes"), (0, None, "n_classes"), (0, "five", "n_classes"), (0, 2.5, "n_classes")],
)
def test_one_hot_rejects_bad_labels_and_class_counts(label, n_classes, name):
    with pytest.raises(ValueError, match=name):
        core.one_hot(label, n_classes)


def test_layout_functions_reject_bad_names_and_sizes():
    with pytest.raises(ValueError, match="order"):
        core.weight_order(2, 3, "column_major")
    with pytest.raises(ValueError, match="order"):
        core.convert_columns(np.zeros((1, 6)), 2, 3, source="pytorch")
    with pytest.raises(ValueError, match=r"(^|\W)n(\W|$)"):
        core.weight_order(0, 3)
    with pytest.raises(ValueError, match="layout"):
        core.weight_label(0, 1, "tensorflow")


@pytest.mark.parametrize("f", [core.to_pytorch, core.from_pytorch], ids=lambda f: f.__name__)
@pytest.mark.parametrize("bad", [np.ones(3), np.ones((2, 2, 2)), [[1.0, np.nan]], "W", None, np.zeros((0, 2))])
def test_pytorch_conversion_rejects_what_is_not_a_finite_matrix(f, bad):
    with pytest.raises(ValueError, match="W"):
        f(bad)


@pytest.mark.parametrize(("col", "n", "K"), [(15, 3, 5), (-1, 3, 5), (1.5, 3, 5)])
def test_weight_of_column_rejects_columns_outside_the_matrix(col, n, K):
    with pytest.raises(ValueError, match="col"):
        core.weight_of_column(col, n, K)


@pytest.mark.parametrize("index", [{"t": 1.5, "i": 0, "j": 0}, {"t": 0, "i": "0", "j": 0}, {"t": 0, "i": 0, "j": None}])
def test_product_terms_rejects_non_integer_indices(index):
    name = next(k for k, v in index.items() if not isinstance(v, int))
    with pytest.raises(ValueError, match=f"^{name} "):
        core.product_terms(X, W, **index)


@pytest.mark.parametrize("name", ["Blog", "", "onehot", None])
def test_unknown_preset_is_named(name):
    with pytest.raises(ValueError, match="preset must be one of"):
        core.make_preset(name)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"n": 0}, "n"), ({"n": -1}, "n"), ({"n": 2.5}, "n"), ({"K": 1}, "K"), ({"K": 0}, "K"), ({"seed": -1}, "seed")],
)
@pytest.mark.parametrize("preset", ["uniform", "one_hot", "hot", "random"])
def test_generated_presets_reject_bad_sizes(preset, kwargs, name):
    with pytest.raises(ValueError, match=rf"(^|\W){name}(\W|$)"):
        core.make_preset(preset, **kwargs)


def test_mistakes_validate_their_inputs():
    with pytest.raises(ValueError, match="z"):
        core.jacobian_at_logits([[1.0, 2.0]])
    with pytest.raises(ValueError, match="z"):
        core.jacobian_at_logits([np.inf, 0.0])
