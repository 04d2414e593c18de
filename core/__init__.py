"""The mathematics of the softmax layer p = softmax(Wᵀx / T), in pure NumPy.

Public names are a contract (DESIGN.md): add freely, rename never. Shapes follow the
blog's notation: x (n,), W (n, K), z (K,), p (K,), J (K, K), layer derivatives (K, K·n)
with class-major columns (W[j, k] at column k·n + j).
"""

from ._validate import as_probabilities as check_probabilities
from ._validate import as_temperature as check_temperature
from .batch import BatchValues, batch_forward, batch_jacobians, batch_values, make_batch
from .layer import (
    column_of,
    dz_dw,
    forward,
    layer_jacobian_kron,
    layer_jacobian_loops,
    layer_jacobian_product,
    layer_jacobian_shortcut,
    logits,
    numerical_jacobian,
    product_terms,
    weight_of_column,
)
from .layout import ORDERS, convert_columns, from_pytorch, to_pytorch, weight_label, weight_labels, weight_order
from .layout_check import columns_in_order, input_major_column, pytorch_logits
from .loss import (
    LOSSES,
    loss_at_p,
    loss_grad_p,
    loss_grad_z,
    loss_gradient,
    loss_gradient_by_columns,
    loss_gradient_per_sample,
    loss_value,
    one_hot,
)
from .mistakes import jacobian_at_logits, quotient_rule_without_delta, weight_vector_gradients
from .nudge import DescentStep, Nudge, descent_step, nudge, nudge_curve
from .presets import BLOG_W, BLOG_X, PRESET_TITLES, PRESETS, SLIDER_LIMIT, Preset, make_preset
from .softmax import (
    log_softmax,
    logsumexp,
    softmax,
    softmax_jacobian,
    softmax_jacobian_hadamard,
    softmax_jacobian_loops,
)
from .training import (
    Trajectory,
    column_sum_terms,
    compare_losses,
    confidently_wrong_start,
    continue_descent,
    gradient_descent,
)
from .values import LayerValues, LossValues, layer_values, loss_values

__all__ = [
    "BLOG_W",
    "BLOG_X",
    "LOSSES",
    "ORDERS",
    "PRESETS",
    "PRESET_TITLES",
    "DescentStep",
    "LayerValues",
    "LossValues",
    "Nudge",
    "Preset",
    "SLIDER_LIMIT",
    "Trajectory",
    "BatchValues",
    "batch_forward",
    "check_probabilities",
    "check_temperature",
    "batch_jacobians",
    "batch_values",
    "column_of",
    "column_sum_terms",
    "columns_in_order",
    "compare_losses",
    "confidently_wrong_start",
    "continue_descent",
    "convert_columns",
    "descent_step",
    "dz_dw",
    "forward",
    "from_pytorch",
    "gradient_descent",
    "input_major_column",
    "jacobian_at_logits",
    "layer_jacobian_kron",
    "layer_values",
    "layer_jacobian_loops",
    "layer_jacobian_product",
    "layer_jacobian_shortcut",
    "log_softmax",
    "logits",
    "logsumexp",
    "loss_at_p",
    "loss_grad_p",
    "loss_grad_z",
    "loss_gradient",
    "loss_gradient_by_columns",
    "loss_gradient_per_sample",
    "loss_value",
    "loss_values",
    "make_batch",
    "make_preset",
    "numerical_jacobian",
    "nudge",
    "nudge_curve",
    "one_hot",
    "product_terms",
    "pytorch_logits",
    "quotient_rule_without_delta",
    "softmax",
    "softmax_jacobian",
    "softmax_jacobian_hadamard",
    "softmax_jacobian_loops",
    "to_pytorch",
    "weight_label",
    "weight_labels",
    "weight_of_column",
    "weight_order",
    "weight_vector_gradients",
]
