"""Edge cases experiments/fuzz_nn.py found, each against PyTorch: activations with a negative, zero or NaN
parameter (CELU, ELU, Softplus, the shrinks, Hardtanh), cross_entropy's label_smoothing outside [0, 1],
smooth_l1/huber with a NaN beta or delta, BCEWithLogits with a pos_weight or weight of another dtype or shape,
and layer constructors given negative sizes."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam as tg  # noqa: E402

NAN = math.nan
LIBS = (torch, tg)
X = np.array([-0.0, 0.0, -1e-30, -1.0, 30.0, -30.0, 0.3, 100.0, -2.5, 1e-30, 2.0, -0.7])


def outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "ok", call()
    except Exception as e:  # noqa: BLE001 (the exception is the result compared)
        return type(e).__name__, str(e)


def run_both(build: Callable[[Any], Any]) -> list[tuple[str, Any]]:
    return [outcome(lambda lib=lib: build(lib)) for lib in LIBS]


def assert_same_error(expected: tuple[str, Any], got: tuple[str, Any]) -> None:
    assert expected[0] != "ok", f"PyTorch computes: {expected[1]}"
    assert got == expected


def values_and_grad(lib: Any, function: str, dtype: str, kwargs: dict, grad: bool = True) -> tuple:
    x = lib.tensor(X.astype(dtype), requires_grad=grad)
    y = getattr(lib.nn.functional, function)(x, **kwargs)
    if not grad:
        return y.detach().numpy(), None
    y.sum().backward()
    return y.detach().numpy(), x.grad.numpy()


ACTIVATIONS = [
    ("celu", {"alpha": a}) for a in (1.0, 2.0, -1.0, -0.5, NAN)
] + [
    ("elu", {"alpha": a}) for a in (1.0, 0.0, -1.0, NAN)
] + [
    ("selu", {}),
    ("softplus", {}), ("softplus", {"beta": 2.0, "threshold": 3.0}), ("softplus", {"beta": 0.0}),
    ("softplus", {"beta": -1.0}), ("softplus", {"beta": NAN}), ("softplus", {"threshold": NAN}),
    ("hardshrink", {"lambd": 0.5}), ("hardshrink", {"lambd": 0.0}),
]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(("function", "kwargs"), ACTIVATIONS)
def test_activation_parameters_as_torch(function: str, kwargs: dict, dtype: str) -> None:
    """Values (signed zeros included) in both dtypes, and float64 gradients."""
    (expected, expected_grad), (got, got_grad) = (values_and_grad(lib, function, dtype, kwargs) for lib in LIBS)
    assert got.dtype == expected.dtype
    rtol = 1e-6 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=1e-37 if dtype == "float32" else 0, equal_nan=True)
    assert (np.signbit(got) == np.signbit(expected))[np.abs(expected) < 1e-300].all()
    if dtype == "float64":
        np.testing.assert_allclose(got_grad, expected_grad, rtol=1e-12, atol=0, equal_nan=True)


@pytest.mark.parametrize(("function", "kwargs"), [
    ("hardshrink", {"lambd": NAN}), ("hardtanh", {"min_val": NAN}), ("hardtanh", {"max_val": NAN}),
    ("hardtanh", {"min_val": NAN, "max_val": NAN}),
])
def test_nan_bounds_give_torch_values(function: str, kwargs: dict) -> None:
    """A NaN bound gives PyTorch's values: hardshrink keeps x (its test `-lambd <= x <= lambd` fails), hardtanh
    gives NaN. (PyTorch's gradient there depends on which of its loops, vectorised or not, met the element.)"""
    (expected, _), (got, _) = (values_and_grad(lib, function, "float64", kwargs, grad=False) for lib in LIBS)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.softshrink(lib.ones(3), NAN),
    lambda lib: lib.nn.functional.softshrink(lib.ones(3), -1.0),
    lambda lib: lib.nn.Softshrink(NAN)(lib.ones(3)),
    lambda lib: lib.nn.functional.celu(lib.ones(3), 0.0),
    lambda lib: lib.nn.CELU(0.0)(lib.ones(3)),
])
def test_refused_activation_parameters_as_torch(call: Callable[[Any], Any]) -> None:
    assert_same_error(*run_both(call))


def test_activation_layers_with_odd_parameters_as_torch() -> None:
    x = X.astype("float32")
    for name, args in [("CELU", (-1.0,)), ("Softplus", (1.0, NAN)), ("Hardshrink", (NAN,)), ("ELU", (NAN,))]:
        expected, got = (getattr(lib.nn, name)(*args)(lib.tensor(x)).numpy() for lib in LIBS)
        np.testing.assert_allclose(got, expected, rtol=1e-6, equal_nan=True, err_msg=name)


# ----- losses ------------------------------------------------------------------------------------------
LOGITS = np.random.default_rng(0).standard_normal((3, 4))
CLASSES = np.array([0, 2, 1])
PROBABILITIES = np.full((3, 4), 0.25)


@pytest.mark.parametrize("probabilities", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "none"])
@pytest.mark.parametrize("label_smoothing", [NAN, -0.1, -math.inf, 0.0, 0.3, 1.0])
def test_label_smoothing_as_torch(label_smoothing: float, reduction: str, probabilities: bool) -> None:
    """PyTorch smooths only above 0 (NaN and negative values are no smoothing) and refuses only above 1."""
    results = []
    for lib in LIBS:
        x = lib.tensor(LOGITS, requires_grad=True)
        target = lib.tensor(PROBABILITIES if probabilities else CLASSES)
        loss = lib.nn.functional.cross_entropy(x, target, reduction=reduction, label_smoothing=label_smoothing)
        loss.sum().backward()
        results.append((loss.detach().numpy(), x.grad.numpy()))
    for expected, got in zip(*results, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize("label_smoothing", [1.5, math.inf, 2.0])
def test_label_smoothing_above_one_refused_as_torch(label_smoothing: float) -> None:
    assert_same_error(*run_both(lambda lib: lib.nn.CrossEntropyLoss(label_smoothing=label_smoothing)(
        lib.tensor(LOGITS), lib.tensor(CLASSES))))


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.smooth_l1_loss(lib.ones(3), lib.zeros(3), beta=NAN),
    lambda lib: lib.nn.SmoothL1Loss(beta=NAN, reduction="none")(lib.ones(3), lib.zeros(3)),
    lambda lib: lib.nn.functional.huber_loss(lib.ones(3), lib.zeros(3), delta=NAN),
    lambda lib: lib.nn.HuberLoss(delta=NAN)(lib.ones(3), lib.zeros(3)),
])
def test_nan_beta_and_delta_refused_as_torch(call: Callable[[Any], Any]) -> None:
    assert_same_error(*run_both(call))


BCE_DTYPES = ["float32", "float64"]


@pytest.mark.parametrize(("weight_dtype", "reduction"), [(None, "mean"), ("float64", "none"), ("int64", "mean")])
@pytest.mark.parametrize("pos_weight_dtype", [None, "float32", "float64", "int64", "bool"])
@pytest.mark.parametrize("target_dtype", BCE_DTYPES)
@pytest.mark.parametrize("input_dtype", BCE_DTYPES)
def test_bce_with_logits_dtypes_as_torch(input_dtype: str, target_dtype: str, pos_weight_dtype: str | None,
                                         weight_dtype: str | None, reduction: str) -> None:
    """PyTorch weighs log_sigmoid(x) in place, then builds the loss in place on (1 - target): the result has the
    target's dtype whatever the dtypes of pos_weight and weight; a bool pos_weight is refused (pos_weight - 1)."""
    rng = np.random.default_rng(1)
    x, t = rng.standard_normal((2, 3)), rng.uniform(0, 1, (2, 3))
    pos_weight, weight = np.array([1, 2, 0]), np.array([[2], [1]])

    def build(lib: Any) -> tuple:
        inp = lib.tensor(x.astype(input_dtype), requires_grad=True)
        loss = lib.nn.functional.binary_cross_entropy_with_logits(
            inp, lib.tensor(t.astype(target_dtype)), reduction=reduction,
            pos_weight=None if pos_weight_dtype is None else lib.tensor(pos_weight.astype(pos_weight_dtype)),
            weight=None if weight_dtype is None else lib.tensor(weight.astype(weight_dtype)))
        loss.sum().backward()
        return str(loss.dtype).removeprefix("torch."), loss.detach().numpy(), inp.grad.dtype, inp.grad.numpy()

    expected, got = run_both(build)
    if expected[0] != "ok":
        assert_same_error(expected, got)
        return
    assert got[0] == "ok", got[1]
    (e_dtype, e_loss, e_grad_dtype, e_grad), (g_dtype, g_loss, g_grad_dtype, g_grad) = expected[1], got[1]
    assert g_dtype == e_dtype
    assert str(g_grad_dtype).removeprefix("torch.") == str(e_grad_dtype).removeprefix("torch.")
    np.testing.assert_allclose(g_loss, e_loss, rtol=1e-6)
    np.testing.assert_allclose(g_grad, e_grad, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(("pos_weight_shape", "weight_shape"), [((2, 2, 3), None), (None, (4, 2, 3)), ((4,), None),
                                                                 (None, (3, 1))])
def test_bce_with_logits_shapes_as_torch(pos_weight_shape: tuple | None, weight_shape: tuple | None) -> None:
    """pos_weight and weight multiply in place: they may broadcast to the input's shape, never beyond it."""
    def build(lib: Any) -> Any:
        return lib.nn.functional.binary_cross_entropy_with_logits(
            lib.zeros(2, 3), lib.ones(2, 3),
            pos_weight=None if pos_weight_shape is None else lib.ones(pos_weight_shape),
            weight=None if weight_shape is None else lib.ones(weight_shape))

    assert_same_error(*run_both(build))


# ----- constructors given negative sizes -------------------------------------------------------------------
CONSTRUCTORS = [
    "Linear(-1, 3)", "Linear(3, -1)", "Bilinear(-1, 2, 3)", "Bilinear(2, 2, -3)", "Bilinear(0, 1, 3)",
    "Conv1d(3, -2, 3)", "Conv2d(3, -2, 3)", "Conv2d(-3, 2, 3)", "Conv3d(3, -2, 3)", "ConvTranspose2d(3, -2, 3)",
    "ConvTranspose2d(-3, 2, 3)", "Embedding(-1, 2)", "Embedding(2, -1)", "EmbeddingBag(-1, 2)",
    "LSTM(-1, 4)", "GRU(0, 4)", "RNN(2, -4)", "LSTM(2.5, 4)", "LSTM(2, 4.0)", "LSTMCell(-1, 4)", "GRUCell(2, -4)",
    "RNNCell(-1, 4)", "MultiheadAttention(4, 2, kdim=-1)", "BatchNorm1d(-1)", "LayerNorm(-1)", "GroupNorm(1, -1)",
    "PReLU(-1)", "InstanceNorm1d(-1, affine=True)", "RMSNorm(-2)", "Linear(2.5, 3)",
]


@pytest.mark.parametrize("constructor", CONSTRUCTORS)
def test_negative_sizes_refused_as_torch(constructor: str) -> None:
    """PyTorch's words and type: "Trying to create tensor with negative dimension -1: [3, -1]" (RuntimeError)
    from the parameter's torch.empty, or the recurrent layers' own ValueError/TypeError."""
    expected, got = run_both(lambda lib: eval(f"lib.nn.{constructor}", {"lib": lib}))
    assert expected[0] != "ok"
    assert got[0] == expected[0]
    if expected[0] != "TypeError":  # PyTorch's TypeError for a float size quotes its argument parser
        assert got == expected


# ----- max pooling with dilation ------------------------------------------------------------------------------
POOL_CASES = [  # (dims, kernel, stride, padding, dilation, ceil_mode, input size)
    (1, 3, 1, 1, 2, False, 9), (1, 2, 3, 1, 3, True, 8), (1, 3, 2, 0, 2, True, 7),
    (2, 2, 1, 0, 2, False, (6, 7)), (2, (3, 2), (2, 1), (1, 0), (2, 3), True, (7, 8)),
    (2, 3, 2, 1, (1, 3), True, (9, 9)),
    (3, 2, 1, 0, (2, 1, 2), False, (5, 6, 5)), (3, (2, 3, 2), 2, (1, 1, 0), (1, 2, 3), True, (6, 7, 8)),
]


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("return_indices", [False, True])
@pytest.mark.parametrize(("dims", "kernel", "stride", "padding", "dilation", "ceil_mode", "size"), POOL_CASES)
def test_max_pool_dilation_as_torch(dims: int, kernel: Any, stride: Any, padding: Any, dilation: Any,
                                    ceil_mode: bool, size: Any, return_indices: bool, ties: bool) -> None:
    """Values, indices and the gradient (to the first maximum of each dilated window, ties included)."""
    x = np.random.default_rng(dims).standard_normal((2, 3) + (size if isinstance(size, tuple) else (size,)))
    x = np.round(x) if ties else x
    results = []
    for lib in LIBS:
        inp = lib.tensor(x, requires_grad=True)
        out = getattr(lib.nn.functional, f"max_pool{dims}d")(inp, kernel, stride, padding, dilation, ceil_mode,
                                                              return_indices)
        values = out[0] if return_indices else out
        (values * lib.tensor(np.arange(values.numel(), dtype=np.float64).reshape(values.shape))).sum().backward()
        results.append((values.detach().numpy(), out[1].numpy() if return_indices else 0, inp.grad.numpy()))
    for expected, got in zip(*results, strict=True):
        np.testing.assert_array_equal(got, expected)


def test_max_pool_layers_with_dilation_as_torch() -> None:
    x = np.random.default_rng(0).standard_normal((1, 2, 7, 7, 7))
    for name, args, kwargs, view in [("MaxPool1d", (3,), {"dilation": 2, "padding": 1}, (1, 2, 7)),
                                     ("MaxPool2d", (2,), {"dilation": (2, 3), "stride": 1}, (1, 2, 7, 7)),
                                     ("MaxPool3d", (2,), {"dilation": 2, "ceil_mode": True}, (1, 2, 7, 7, 7))]:
        layers = [getattr(lib.nn, name)(*args, **kwargs) for lib in LIBS]
        assert str(layers[1]) == str(layers[0])
        data = x.reshape(-1)[:int(np.prod(view))].reshape(view)
        expected, got = (layer(lib.tensor(data)).numpy() for layer, lib in zip(layers, LIBS, strict=True))
        np.testing.assert_array_equal(got, expected)


# ----- interpolate in 3-D (5-D inputs) --------------------------------------------------------------------------
@pytest.mark.parametrize(("mode", "kwargs"), [
    ("trilinear", {"scale_factor": 2}), ("trilinear", {"size": (3, 5, 2), "align_corners": True}),
    ("trilinear", {"scale_factor": (1.5, 0.5, 2.7)}),
    ("trilinear", {"scale_factor": 1.7, "recompute_scale_factor": True}),
    ("nearest", {"size": (5, 3, 7)}), ("nearest-exact", {"scale_factor": (2.5, 1, 0.5)}), ("area", {"size": (2, 3, 3)}),
])
def test_interpolate_5d_as_torch(mode: str, kwargs: dict) -> None:
    x = np.random.default_rng(2).standard_normal((2, 3, 4, 3, 5))
    results = []
    for lib in LIBS:
        inp = lib.tensor(x, requires_grad=True)
        out = lib.nn.functional.interpolate(inp, mode=mode, **kwargs)
        (out * lib.tensor(np.arange(out.numel(), dtype=np.float64).reshape(out.shape))).sum().backward()
        results.append((out.detach().numpy(), inp.grad.numpy()))
    for expected, got in zip(*results, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    layer = [lib.nn.Upsample(scale_factor=2, mode="trilinear") for lib in LIBS]
    assert str(layer[1]) == str(layer[0])


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 1, 2, 2, 2), scale_factor=2, mode="bicubic"),
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 1, 2), scale_factor=2, mode="bicubic"),
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 1, 2, 2), scale_factor=2, mode="trilinear"),
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 1, 2, 2, 2), scale_factor=2, mode="bilinear"),
    lambda lib: lib.nn.functional.interpolate(lib.ones((1,) * 6), scale_factor=2),
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 1, 2, 2, 2, dtype=lib.uint8), scale_factor=2,
                                              mode="trilinear"),
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 1, 2, dtype=lib.uint8), scale_factor=2, mode="linear"),
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 1, 2, 2, 2, dtype=lib.int64), scale_factor=2),
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 1, 2, 2, 2, dtype=lib.uint8), scale_factor=2, mode="area"),
])
def test_interpolate_refusals_as_torch(call: Callable[[Any], Any]) -> None:
    assert_same_error(*run_both(call))


# ----- LSTM with proj_size ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("num_layers", "bidirectional", "bias", "batch_first", "initial_state", "packed"), [
    (1, False, True, False, False, False), (2, True, True, True, True, False), (2, False, False, False, True, True),
    (1, True, True, True, False, True),
])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")  # torch, on its kernel
def test_lstm_projection_as_torch(num_layers: int, bidirectional: bool, bias: bool, batch_first: bool,
                                  initial_state: bool, packed: bool, dtype: str) -> None:
    """h = W_hr (o tanh(c)) of size proj_size: the same parameters (weight_hr_l0 after the biases) from the same
    seed, print, outputs, final states and the gradients of the input, the initial states and every weight."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 4, 3) if batch_first else (4, 3, 3)).astype(dtype)
    directions = 2 if bidirectional else 1
    h0 = rng.standard_normal((num_layers * directions, 3, 2)).astype(dtype)
    c0 = rng.standard_normal((num_layers * directions, 3, 5)).astype(dtype)
    results = []
    for lib in LIBS:
        lib.manual_seed(0)
        lstm = lib.nn.LSTM(3, 5, num_layers, bias, batch_first, bidirectional=bidirectional, proj_size=2)
        lstm = lstm.double() if dtype == "float64" else lstm
        inputs = [lib.tensor(a, requires_grad=True) for a in (x, h0, c0)]
        data = inputs[0]
        if packed:
            data = lib.nn.utils.rnn.pack_padded_sequence(data, [4, 2, 3], batch_first, enforce_sorted=False)
        out, (h, c) = lstm(data, (inputs[1], inputs[2])) if initial_state else lstm(data)
        if packed:
            out = lib.nn.utils.rnn.pad_packed_sequence(out, batch_first)[0]
        weights = lib.tensor(np.arange(out.numel(), dtype=dtype).reshape(tuple(out.shape)) / 10)
        ((out * weights).sum() + (h * 1.5).sum() + (c * 0.7).sum()).backward()
        grads = [t.grad.numpy() for t in inputs if t.grad is not None] + [p.grad.numpy() for p in lstm.parameters()]
        results.append((str(lstm), list(lstm.state_dict()), [out.detach().numpy(), h.detach().numpy(),
                                                              c.detach().numpy(), *grads]))
    (expected_text, expected_keys, expected), (got_text, got_keys, got) = results
    assert got_text == expected_text and got_keys == expected_keys and len(got) == len(expected)
    tol = 1e-10 if dtype == "float64" else 2e-5
    for e, g in zip(expected, got, strict=True):
        np.testing.assert_allclose(g, e, rtol=tol, atol=tol)


POOL3D_ARGUMENTS = [
    {"kernel_size": (2, 2)}, {"kernel_size": 0}, {"kernel_size": -2}, {"kernel_size": 2, "stride": (1, 1)},
    {"kernel_size": 2, "stride": 0}, {"kernel_size": 2, "stride": -1}, {"kernel_size": 2, "padding": (1, 1)},
    {"kernel_size": 2, "padding": -1}, {"kernel_size": 2, "padding": 2},
    {"kernel_size": (3, 2, 3), "padding": (1, 2, 0)},
]


@pytest.mark.parametrize("pool", ["avg_pool3d", "max_pool3d"])
@pytest.mark.parametrize("kwargs", POOL3D_ARGUMENTS + [{"kernel_size": 2, "dilation": (1, 1)},
                                                       {"kernel_size": 2, "dilation": 0},
                                                       {"kernel_size": 3, "padding": 2, "dilation": 2}])
def test_pool3d_arguments_refused_as_torch(pool: str, kwargs: dict) -> None:
    """PyTorch's checks, order and words (RuntimeError), where ours were ValueErrors of our own."""
    if pool == "avg_pool3d" and "dilation" in kwargs:
        return
    assert_same_error(*run_both(lambda lib: getattr(lib.nn.functional, pool)(lib.ones(1, 1, 6, 6, 6), **kwargs)))


# ----- more refusals and empty outputs the fuzzer found ---------------------------------------------------------
@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.rrelu(lib.ones(3), 0.3, 0.1),
    lambda lib: lib.nn.RReLU(0.3, 0.1)(lib.ones(3)),
    lambda lib: lib.nn.functional.rrelu(lib.ones(3), 0.1, NAN, training=True),
    lambda lib: lib.nn.functional.rrelu_(lib.ones(3), 0.1, NAN),
    lambda lib: lib.nn.functional.rrelu(lib.ones(3), -math.inf, 0.3),
    lambda lib: lib.nn.functional.max_pool2d(lib.ones(1, 0, 6, 6), 2),
    lambda lib: lib.nn.functional.max_pool2d(lib.ones(2, 2, 0, 7), 2, 1, 1),
    lambda lib: lib.nn.functional.max_pool2d(lib.ones(0, 6, 6), 2),
    lambda lib: lib.nn.functional.avg_pool2d(lib.ones(1, 0, 6, 6), 2),
    lambda lib: lib.nn.functional.max_pool1d(lib.ones(0, 7), 2),
    lambda lib: lib.nn.functional.max_pool1d(lib.ones(1, 2, 0), 1),
    lambda lib: lib.nn.MaxPool1d(3, 3, -1)(lib.ones(2, 2, 3)),
    lambda lib: lib.nn.functional.max_pool3d(lib.ones(1, 0, 4, 4, 4), 2),
    lambda lib: lib.nn.functional.avg_pool3d(lib.ones(0, 4, 4, 4), 2),
    lambda lib: lib.nn.functional.adaptive_avg_pool2d(lib.ones(2, 1, 1, 7), -1),
    lambda lib: lib.nn.functional.adaptive_avg_pool1d(lib.ones(2, 1, 7), -1),
    lambda lib: lib.nn.functional.adaptive_avg_pool3d(lib.ones(2, 2, 3, 2, 8), -2),
    lambda lib: lib.nn.functional.adaptive_max_pool2d(lib.ones(2, 1, 4, 4), -1, True),
    lambda lib: lib.nn.functional.adaptive_max_pool1d(lib.ones(2, 1, 7), -2),
    lambda lib: lib.nn.functional.adaptive_max_pool3d(lib.ones(2, 2, 3, 2, 8), -2),
])
def test_refusals_as_torch(call: Callable[[Any], Any]) -> None:
    expected, got = run_both(call)
    assert expected[0] != "ok" and got[0] == expected[0], (expected, got)


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.max_pool2d(lib.ones(0, 2, 6, 6), 2),
    lambda lib: lib.nn.functional.max_pool1d(lib.ones(0, 2, 7), 2),
    lambda lib: lib.nn.functional.max_pool3d(lib.ones(0, 1, 4, 4, 4), 2, return_indices=True)[1],
    lambda lib: lib.nn.functional.avg_pool3d(lib.ones(0, 1, 4, 4, 4), 2, ceil_mode=True),
    lambda lib: lib.nn.functional.adaptive_max_pool1d(lib.ones(2, 1, 7), 0),
    lambda lib: lib.nn.functional.adaptive_max_pool2d(lib.ones(2, 1, 4, 4), (0, 2), True)[1],
    lambda lib: lib.nn.functional.adaptive_avg_pool2d(lib.ones(2, 1, 3, 7), 0),
    lambda lib: lib.nn.PReLU()(lib.tensor(-2.0)),
    lambda lib: lib.nn.functional.rrelu_(lib.ones(3), -math.inf, 0.3),  # the in-place form checks only lower <= upper
])
def test_empty_and_0d_results_as_torch(call: Callable[[Any], Any]) -> None:
    expected, got = run_both(call)
    assert expected[0] == "ok" and got[0] == "ok", (expected, got)
    assert tuple(got[1].shape) == tuple(expected[1].shape)
    np.testing.assert_array_equal(got[1].detach().numpy(), expected[1].detach().numpy())


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize(("shape", "output_size"), [((2, 3, 6, 3, 3), (4, 1, 5)), ((3, 5, 5, 6), (2, None, 4)),
                                                    ((2, 3, 2, 5, 1), (1, 4, None)), ((0, 2, 3, 3, 3), 2)])
def test_adaptive_max_pool3d_indices_as_torch(shape: tuple, output_size: Any, ties: bool) -> None:
    """Values, indices and gradients, the gradient to each window's first maximum (in D, H, W order) as the
    index says, also when windows overlap and values tie (the 2-D pool's too: it was split between ties)."""
    x = np.random.default_rng(3).standard_normal(shape)
    x = np.round(x) if ties else x
    results = []
    for lib in LIBS:
        inp = lib.tensor(x, requires_grad=True)
        out, index = lib.nn.AdaptiveMaxPool3d(output_size, return_indices=True)(inp)
        (out * lib.tensor(np.arange(out.numel(), dtype=np.float64).reshape(tuple(out.shape)))).sum().backward()
        results.append((out.detach().numpy(), index.numpy(), inp.grad.numpy()))
    for expected, got in zip(*results, strict=True):
        np.testing.assert_array_equal(got, expected)


# ----- negative padding (cropping) in every mode -------------------------------------------------------------------
PAD_CASES = [
    ("constant", (1, 1, 2), (-1, -1)), ("constant", (1, 1, 2), (-2, -2)), ("constant", (1, 1, 2), (-3, 1)),
    ("constant", (1, 2, 2, 4), (-2, 1, 1, -2)), ("reflect", (2, 1, 3, 4), (-1, -1, -1, -1)),
    ("reflect", (2, 1, 4), (-1, 2)), ("reflect", (2, 1, 3, 2), (-2, -2, -2, -2)), ("reflect", (1, 1, 4), (-3, -2)),
    ("replicate", (1, 3, 4, 4), (-1, 2, 3, -2)), ("replicate", (1, 1, 3, 4), (-3, -2, 0, 0)),
    ("replicate", (2, 2, 3, 5, 1), (3, 1, -4, 0, -4, 1)), ("replicate", (1, 2, 2, 3, 4), (-1, -1, 1, -2, 0, 1)),
    ("circular", (2, 2, 3, 3), (-1, -1, -1, -1)), ("circular", (1, 3, 2, 4), (-1, -1, -1, -1, -1, -1)),
    ("circular", (2, 2, 2, 2), (-2, -2, 0, 0)), ("circular", (2, 2, 5), (-1, 2)),
    ("circular", (2, 2, 4, 3), (2, -4, 0, -3)),
]


@pytest.mark.parametrize(("mode", "shape", "pads"), PAD_CASES)
def test_negative_padding_as_torch(mode: str, shape: tuple, pads: tuple) -> None:
    """A negative padding crops, in every mode (it was a NumPy ValueError in the non-constant ones); PyTorch
    refuses a crop past the input (constant), a result without one element (reflect, replicate) or an empty
    dimension (circular)."""
    x = np.random.default_rng(4).standard_normal(shape)

    def build(lib: Any) -> tuple:
        inp = lib.tensor(x, requires_grad=True)
        out = lib.nn.functional.pad(inp, pads, mode=mode)
        (out * lib.tensor(np.arange(out.numel(), dtype=np.float64).reshape(tuple(out.shape)))).sum().backward()
        return out.detach().numpy(), inp.grad.numpy()

    expected, got = run_both(build)
    assert got[0] == expected[0], (expected, got)
    if expected[0] == "ok":
        for e, g in zip(expected[1], got[1], strict=True):
            np.testing.assert_array_equal(g, e)


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.EmbeddingBag(0, 4, mode="sum")(lib.zeros(3, 3, dtype=lib.int64)),
    lambda lib: lib.nn.EmbeddingBag(5, 4, mode="mean")(lib.full((3, 3), -1, dtype=lib.int64)),
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 0, 2, 4), size=4, mode="bilinear"),
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 0, 2, 4), size=4),
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 0, 2, 4, 4), size=4, mode="trilinear"),
    lambda lib: lib.nn.UpsamplingBilinear2d(size=0.0)(lib.ones(1, 2, 4, 1)),
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 2, 2, 4), size=3.0),
    lambda lib: lib.nn.functional.pad(lib.ones(2, 0, 3), (1, 1), mode="reflect"),
    lambda lib: lib.nn.ReplicationPad3d(1)(lib.ones(1, 2, 0, 4, 2)),
    lambda lib: lib.nn.CircularPad1d(1)(lib.ones(2, 1, 1, 3)),
    lambda lib: lib.nn.CircularPad3d(0)(lib.ones(2, 1, 2, 4, 3, 2)),
    lambda lib: lib.nn.functional.bilinear(lib.tensor(1.0), lib.ones(4), lib.ones(4, 2, 4)),
    lambda lib: lib.nn.functional.cosine_similarity(lib.ones(4, 1), lib.ones(4, 1), eps=NAN),
    lambda lib: lib.nn.PixelUnshuffle(0.0)(lib.ones(2, 1, 2, 2)),
    lambda lib: lib.nn.functional.pixel_shuffle(lib.ones(1, 4, 2, 2), 2.0),
    lambda lib: lib.nn.functional.pixel_unshuffle(lib.ones(1, 1, 2, 2), True),
])
def test_more_refusals_as_torch(call: Callable[[Any], Any]) -> None:
    expected, got = run_both(call)
    assert expected[0] != "ok" and got[0] == expected[0], (expected, got)


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.pixel_unshuffle(lib.ones(2, 0, 2, 4), 2),
    lambda lib: lib.nn.PixelUnshuffle(2)(lib.ones(0, 1, 2, 4)),
    lambda lib: lib.nn.functional.interpolate(lib.ones(0, 1, 2, 4), size=4, mode="bilinear"),
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 0, 2, 4), size=4, mode="area"),
    lambda lib: lib.nn.AdaptiveMaxPool3d((2, 0, 3), return_indices=True)(lib.ones(1, 1, 4, 4, 6))[1],
    lambda lib: lib.nn.AdaptiveAvgPool3d((0, None, 2))(lib.ones(1, 1, 4, 4, 6)),
    lambda lib: lib.nn.functional.pad(lib.ones(0, 2, 3), (1, 1), mode="reflect"),
    lambda lib: lib.nn.functional.pad(lib.ones(2, 0, 3), (1, 1), mode="circular"),
])
def test_more_empty_results_as_torch(call: Callable[[Any], Any]) -> None:
    expected, got = run_both(call)
    assert expected[0] == "ok" and got[0] == "ok", (expected, got)
    assert tuple(got[1].shape) == tuple(expected[1].shape)
