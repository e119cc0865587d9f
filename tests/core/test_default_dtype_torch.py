"""torch.set_default_dtype / get_default_dtype against torch 2.13: every float that is made from no float tensor
(Python floats, zeros, int / int, exp of an int tensor, int tensor * 1.5, layers' parameters, random draws)
takes the default dtype, with PyTorch's dtype and values, under float32, float64 and float16; what already has
a dtype keeps it. Each test restores float32 in both libraries, whatever happens."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam.vision import transforms

torch = pytest.importorskip("torch")


def _set_both(name: str) -> None:
    tg.set_default_dtype(getattr(tg, name))
    torch.set_default_dtype(getattr(torch, name))


@pytest.fixture(params=["float32", "float64", "float16"])
def default(request: pytest.FixtureRequest) -> Iterator[str]:
    """Both libraries' default dtype set to the parameter for the test, and float32 again after it."""
    try:
        _set_both(request.param)
        yield request.param
    finally:
        _set_both("float32")


# Each expression runs with `torch` bound to each library in turn, after manual_seed(0).
EXPRESSIONS = [
    # Python floats and the constructors
    "torch.tensor(1.5)", "torch.tensor([1, 2.5])", "torch.tensor([[1.0], [2]])", "torch.tensor([])",
    "torch.tensor([1, 2])", "torch.tensor(True)", "torch.tensor(np.float32(1.5))", "torch.tensor(np.array([1.5]))",
    "torch.tensor([1e-10, 3e4])", "torch.as_tensor(1.5)", "torch.as_tensor([1.5, 2])",
    "torch.as_tensor(np.array([1, 2], np.float32))", "torch.Tensor([1, 2])", "torch.Tensor(2, 3).zero_()",
    "torch.Tensor()",
    "torch.FloatTensor([1, 2])", "torch.DoubleTensor([1, 2])", "torch.zeros(2, 3)", "torch.ones(3)",
    "torch.empty(0)", "torch.zeros(2, dtype=torch.float32)", "torch.ones(2, dtype=torch.long)",
    "torch.full((2,), 1.5)", "torch.full((2,), 2)", "torch.full((2,), True)", "torch.arange(5)",
    "torch.arange(0, 1, 0.25)", "torch.arange(5.0)", "torch.arange(1, 2.5, 0.5)", "torch.linspace(0, 1, 5)",
    "torch.linspace(-2, 3, 7)", "torch.eye(3)", "torch.eye(2, 3, dtype=torch.int64)",
    "torch.zeros_like(torch.arange(3))", "torch.ones_like(torch.zeros(2, dtype=torch.float32))",
    "torch.full_like(torch.arange(3), 1.5)", "torch.tensor(1.5).new_zeros(2)", "torch.arange(3).new_tensor([1.5])",
    "torch.stack([torch.tensor(1.0), torch.tensor(2.0)])", "torch.cat([torch.zeros(1), torch.ones(1)])",
    # random draws: the default dtype's stream
    "torch.rand(7)", "torch.randn(20)", "torch.rand(2, 3, dtype=torch.float32)", "torch.randint(0, 5, (3,))",
    "torch.normal(0.0, 2.0, (20,))", "torch.normal(torch.zeros(3, dtype=torch.float32), 1.0)",
    "torch.rand_like(torch.zeros(4, dtype=torch.float32))", "torch.randn_like(torch.zeros(20))",
    "torch.bernoulli(torch.full((5,), 0.5))", "torch.zeros(6).uniform_(-1, 1)",
    # promotion: integer and bool tensors meeting floats
    "torch.arange(5) / 2", "torch.arange(5) / torch.arange(1, 6)", "7 / torch.arange(1, 4)",
    "torch.tensor(True) / 2", "torch.arange(5).div(2)", "torch.div(torch.arange(5), 2, rounding_mode='floor')",
    "torch.arange(5) * 1.5", "torch.arange(5) + 0.5", "1.5 - torch.arange(5)", "torch.tensor([True, False]) * 1.5",
    "torch.arange(5) ** 0.5", "torch.arange(5) ** 2", "2.0 ** torch.arange(5)",
    "torch.arange(3) * torch.tensor(1.5)", "torch.arange(3) * torch.tensor(1.5, dtype=torch.float64)",
    "torch.arange(3) * torch.tensor([1.5, 2, 3], dtype=torch.float32)",
    "torch.tensor([3.0], dtype=torch.float16) * 1.5", "torch.tensor([3.0], dtype=torch.float32) / torch.tensor([2])",
    "torch.where(torch.tensor([True, False]), 1.0, 0.0)",
    "torch.where(torch.tensor([True, False]), torch.arange(2), 0.5)", "torch.arange(5).clamp(0.5, 2.5)",
    "torch.maximum(torch.arange(3), torch.tensor(1.5))", "torch.arange(3) > 1.5",
    "torch.arange(6).reshape(2, 3).sum() / 2",
    # float functions of integer tensors
    "torch.arange(5).sqrt()", "torch.arange(1, 5).log()", "torch.exp(torch.arange(3))", "torch.arange(5).tanh()",
    "torch.arange(5).sigmoid()", "torch.arange(4).cos()", "torch.sqrt(torch.tensor(4))",
    # what already has a dtype keeps it
    "torch.arange(5).float()", "torch.arange(5).double()", "torch.arange(3).to(torch.get_default_dtype())",
    "torch.tensor([1.5]).to(float)", "torch.zeros(2, dtype=float)", "torch.arange(3).new_full((2,), 1.5)",
    "torch.nn.functional.one_hot(torch.arange(3))", "torch.sum(torch.tensor([True, False]))",
    # layers, their initialisation and a forward pass
    "nn.Linear(3, 4).weight", "nn.Linear(3, 4).bias", "nn.Conv2d(1, 2, 3).weight", "nn.Embedding(4, 3).weight",
    "nn.LSTM(2, 3).weight_ih_l0", "nn.GRU(2, 3).bias_hh_l0", "nn.MultiheadAttention(4, 2).in_proj_weight",
    "nn.BatchNorm1d(3).running_mean", "nn.BatchNorm1d(3).num_batches_tracked", "nn.LayerNorm(3).weight",
    "nn.PReLU().weight", "nn.Linear(2, 3).float().weight", "nn.Linear(2, 3, dtype=torch.float32).weight",
    "nn.init.xavier_normal_(torch.empty(3, 4))", "nn.init.kaiming_uniform_(torch.empty(3, 4, dtype=torch.float32))",
    "nn.Linear(3, 2)(torch.ones(4, 3))", "F.softmax(torch.tensor([1.0, 2.0, 3.0]), 0)",
    "F.mse_loss(torch.zeros(3), torch.tensor([1.0, 2.0, 0.5]))",
    "F.cross_entropy(torch.tensor([[0.5, 1.0, -1.0], [2.0, 0.0, 1.0]]), torch.tensor([0, 1]))",
]


def _evaluate(lib: Any, expression: str) -> Any:
    lib.manual_seed(0)
    return eval(expression, {"torch": lib, "nn": lib.nn, "F": lib.nn.functional, "np": np})


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_follows_the_default_as_pytorch(default: str, expression: str) -> None:
    expected, got = _evaluate(torch, expression), _evaluate(tg, expression)
    assert repr(got.dtype) == repr(expected.dtype), expression
    assert tuple(got.shape) == tuple(expected.shape), expression
    want = expected.detach().numpy()
    if want.dtype.kind == "f":
        eps = np.finfo(want.dtype).eps
        np.testing.assert_allclose(got.detach().numpy(), want, rtol=4 * eps, atol=4 * eps, err_msg=expression)
    else:
        np.testing.assert_array_equal(got.detach().numpy(), want, err_msg=expression)


def test_get_default_dtype_is_the_one_set(default: str) -> None:
    assert tg.get_default_dtype() is getattr(tg, default)
    assert repr(tg.get_default_dtype()) == repr(torch.get_default_dtype())


BAD = [("int64", "int64"), ("bool", "bool"), ("uint8", "uint8"), ("int32", "int32"), ("python float", float),
       ("python int", int), ("string", "float32"), ("None", None), ("number", 3)]


@pytest.mark.parametrize(("label", "value"), BAD, ids=[label for label, _ in BAD])
def test_refuses_what_pytorch_refuses(label: str, value: Any) -> None:
    def attempt(lib: Any) -> str:
        arg = getattr(lib, value) if isinstance(value, str) and label != "string" else value
        with pytest.raises(TypeError) as info:
            lib.set_default_dtype(arg)
        return str(info.value)

    assert attempt(tg) == attempt(torch)
    assert tg.get_default_dtype() is tg.float32


def test_numpy_float_dtypes_are_dtypes_here() -> None:
    """As everywhere in tinygrad_adam (torch.zeros(2, dtype=np.float64)), a NumPy dtype names a dtype."""
    try:
        for value in (np.float64, np.dtype(np.float64)):
            tg.set_default_dtype(value)
            assert tg.get_default_dtype() is tg.float64
            assert tg.tensor(1.5).dtype is tg.float64
        with pytest.raises(TypeError, match="only floating-point types"):
            tg.set_default_dtype(np.int64)
        with pytest.raises(TypeError, match="only floating-point types"):
            tg.set_default_dtype(np.longdouble)
    finally:
        tg.set_default_dtype(tg.float32)


def test_the_argument_is_positional_only() -> None:
    with pytest.raises(TypeError):
        tg.set_default_dtype(d=tg.float64)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        torch.set_default_dtype(d=torch.float64)


def test_gradients_in_float64_as_in_a_gradient_tutorial() -> None:
    """set_default_dtype(float64), then a seeded layer, its input and backward: PyTorch's float64 gradients."""
    grads = []
    for lib in (torch, tg):
        try:
            lib.set_default_dtype(lib.float64)
            lib.manual_seed(3)
            layer = lib.nn.Sequential(lib.nn.Linear(5, 4), lib.nn.Tanh(), lib.nn.Linear(4, 1))
            x = lib.randn(6, 5, requires_grad=True)
            (layer(x) ** 2).mean().backward()
            grads.append([x.grad.numpy()] + [p.grad.numpy() for p in layer.parameters()])
        finally:
            lib.set_default_dtype(lib.float32)
    for want, got in zip(*grads, strict=True):
        assert got.dtype == want.dtype == np.float64
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_to_tensor_and_random_flip_follow_the_default(default: str) -> None:
    """torchvision's to_tensor converts bytes to the default dtype before dividing by 255, and
    RandomHorizontalFlip draws torch.rand(1), which is of the default dtype."""
    image = np.arange(12, dtype=np.uint8).reshape(3, 4) * 20
    got = transforms.ToTensor()(image)
    want = torch.from_numpy(image[None]).to(torch.get_default_dtype()).div(255)
    assert repr(got.dtype) == repr(want.dtype)
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    for seed in range(8):
        tg.manual_seed(seed)
        torch.manual_seed(seed)
        flipped = transforms.RandomHorizontalFlip()(image)
        assert np.array_equal(flipped, image[:, ::-1]) == bool(torch.rand(1) < 0.5)
        assert tg.rand(1).item() == torch.rand(1).item()  # the same amount of the stream was used


def test_printing_follows_the_default(default: str) -> None:
    for array in (np.array([1.5, 2.0]), np.array([1.5, 2.0], np.float32), np.zeros(0, np.float32),
                  np.array([1.0, 2.0], np.float16), np.zeros((0, 2))):
        assert repr(tg.tensor(array)) == repr(torch.tensor(array))
    assert repr(tg.tensor([0.5, 1.25])) == repr(torch.tensor([0.5, 1.25]))


_DTYPE_NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]


def test_promote_types_and_can_cast_equal_torch() -> None:
    for a in _DTYPE_NAMES:
        for b in _DTYPE_NAMES:
            ta, tb = getattr(torch, a), getattr(torch, b)
            ga, gb = getattr(tg, a), getattr(tg, b)
            assert repr(tg.promote_types(ga, gb)) == repr(torch.promote_types(ta, tb)), (a, b)
            assert tg.can_cast(ga, gb) == torch.can_cast(ta, tb), (a, b)


@pytest.mark.parametrize("other", [1, 2.5, True, "int64 tensor", "float64 0-dim", "uint8 tensor"])
def test_result_type_equals_torch(other: object) -> None:
    def make(lib: object) -> object:
        if other == "int64 tensor":
            return lib.tensor([1, 2])
        if other == "float64 0-dim":
            return lib.tensor(1.5, dtype=lib.float64)
        if other == "uint8 tensor":
            return lib.tensor([1], dtype=lib.uint8)
        return other
    for base in ("int32", "float16", "bool"):
        ours = tg.result_type(tg.zeros(2, dtype=getattr(tg, base)), make(tg))
        theirs = torch.result_type(torch.zeros(2, dtype=getattr(torch, base)), make(torch))
        assert repr(ours) == repr(theirs), base


def test_finfo_iinfo_equal_torch() -> None:
    for name in ("float16", "float32", "float64"):
        ours, theirs = tg.finfo(getattr(tg, name)), torch.finfo(getattr(torch, name))
        assert repr(ours) == repr(theirs)
        assert (ours.eps, ours.max, ours.min, ours.tiny, ours.bits) == (theirs.eps, theirs.max, theirs.min,
                                                                         theirs.tiny, theirs.bits)
    for name in ("uint8", "int8", "int16", "int32", "int64"):
        ours, theirs = tg.iinfo(getattr(tg, name)), torch.iinfo(getattr(torch, name))
        assert repr(ours) == repr(theirs) and (ours.max, ours.min, ours.bits) == (theirs.max, theirs.min, theirs.bits)
    with pytest.raises(TypeError, match="requires a floating point input type"):
        tg.finfo(tg.int32)
    with pytest.raises(TypeError, match="requires an integer input type"):
        tg.iinfo(tg.float32)
    tg.set_default_dtype(tg.float64)
    try:
        assert tg.finfo().dtype == "float64"
    finally:
        tg.set_default_dtype(tg.float32)


@pytest.mark.parametrize("name", ["vstack", "hstack", "dstack", "column_stack", "row_stack"])
def test_stacking_equals_torch(name: str) -> None:
    second = {"vstack": [(2, 3), (1, 3)], "row_stack": [(2, 3), (1, 3)], "dstack": [(2, 3), (2, 3)]}
    for shapes in ([(3,), (3,)], second.get(name, [(2, 3), (2, 1)]),
                   [()] * 2 if name in ("hstack", "column_stack") else [(3,)]):
        arrays = [np.arange(int(np.prod(s)), dtype=np.float32).reshape(s) + i for i, s in enumerate(shapes)]
        ours = getattr(tg, name)([tg.tensor(a) for a in arrays])
        theirs = getattr(torch, name)([torch.tensor(a) for a in arrays])
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_program_switches() -> None:
    """What benchmark and training scripts call around the model: accepted, and read back as set."""
    model = tg.nn.Linear(2, 2)
    assert tg.compile(model) is model and tg.compile(mode="max-autotune")(model) is model
    tg.use_deterministic_algorithms(True)
    assert tg.are_deterministic_algorithms_enabled()
    tg.use_deterministic_algorithms(False)
    tg.set_float32_matmul_precision("high")
    assert tg.get_float32_matmul_precision() == "high"
    tg.set_float32_matmul_precision("highest")
    threads = tg.get_num_threads()
    tg.set_num_threads(1)
    assert tg.get_num_threads() == 1
    tg.set_num_threads(threads)
    assert tg.isin(tg.tensor([1, 2, 3]), tg.tensor([2])).tolist() == [False, True, False]
    assert tg.is_nonzero(tg.tensor([2])) and not tg.is_complex(tg.tensor([1.0]))
    with pytest.raises(RuntimeError, match="more than one value is ambiguous"):
        tg.tensor([1, 2]).is_nonzero()
