"""The op table: one entry per public op, method, operator and functional of tinygrad_adam, in the manner of
PyTorch's OpInfo (torch/testing/_internal/common_methods_invocations.py).

An entry names the public surface it covers ("torch.add", "Tensor.add", "Tensor.__add__", "F.relu"), how to
call it on a library (`call(lib, *args, **kwargs)`, where `lib` is `torch` or `tinygrad_adam`) and a generator
of samples: arguments in which `T(array)` stands for a tensor made on each side from the same NumPy array
(optionally as a non-contiguous view). Samples that PyTorch refuses are part of the same list: the runner
(test_optable_torch.py) asks that we raise where PyTorch raises, with its exception type.

Nothing here imports torch: the table is plain data, and `test_optable.py`-style checks of the surface run
without it.
"""

from __future__ import annotations

import hashlib
import math
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

DTYPES = ("bool", "uint8", "int32", "int64", "float32", "float64")
FLOATS = ("float32", "float64")
INTS = ("uint8", "int32", "int64")
NUMERIC = INTS + FLOATS


@dataclass(frozen=True)
class T:
    """A tensor argument: `array` on both sides; `view` makes it non-contiguous ("T": transposed, "step":
    every other row); `grad`: a float64 tensor becomes a leaf that requires grad when gradients are checked."""

    array: np.ndarray
    view: str | None = None
    grad: bool = True

    def __repr__(self) -> str:
        view = f", {self.view}" if self.view else ""
        return f"T({self.array.dtype}{list(self.array.shape)}{view})"


@dataclass(frozen=True)
class D:
    """A dtype argument, by name: the runner passes the library's own dtype object (`dtype=` strings too)."""

    name: str


@dataclass
class Sample:
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"({', '.join(parts)})"


@dataclass
class OpEntry:
    name: str
    call: Callable[..., Any]
    samples: Callable[[], Iterator[Sample]]
    grad: bool = True  # compare float64 gradients
    grad_if: Callable[[Sample], bool] = lambda sample: True  # which samples' gradients to compare
    values: bool = True  # False for random ops: shapes and dtypes only
    inplace: bool = False  # the first argument is modified: compare it too, and the result is that tensor
    rtol: float = 1e-5
    differs: str = ""  # a known difference, listed in docs/pytorch.md: why the samples below disagree
    differs_if: Callable[[Sample], bool] = lambda sample: False  # the samples that must (still) disagree

    def __post_init__(self) -> None:
        self.samples = _own_stream(self.samples, entry_seed(self.name))


def entry_seed(name: str) -> int:
    """The seed of an entry's random values: a stable hash of its name, so that adding an entry changes no other."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")


class _Stream:
    """The generator that sample values draw from: the entry's own while its samples are made, none otherwise
    (a value drawn while the table is built would depend on every entry above it: write x(...) instead)."""

    generator: np.random.Generator | None = None

    def __getattr__(self, name: str) -> Any:
        if self.generator is None:
            raise RuntimeError("random sample values drawn outside an entry: use x(...) or a gen= function")
        return getattr(self.generator, name)


_rng = _Stream()


@dataclass(frozen=True)
class _Later:
    """An array that x(...) draws when its entry's samples are made, from that entry's stream."""

    draw: Callable[[], np.ndarray]


def _resolved(value: Any) -> Any:
    if isinstance(value, T) and isinstance(value.array, _Later):
        return T(value.array.draw(), value.view, value.grad)
    if isinstance(value, Sample):
        return Sample(_resolved(value.args), {k: _resolved(v) for k, v in value.kwargs.items()})
    if isinstance(value, list | tuple):
        return type(value)(_resolved(v) for v in value)
    return value


def _own_stream(samples: Callable[[], Iterator[Sample]], seed: int) -> Callable[[], Iterator[Sample]]:
    """samples(), drawn afresh from default_rng(seed) at each call: the same values every time."""

    def drawn() -> Iterator[Sample]:
        outer, _rng.generator = _rng.generator, np.random.default_rng(seed)
        try:
            return iter([_resolved(sample) for sample in samples()])
        finally:
            _rng.generator = outer

    return drawn


def make(shape: tuple[int, ...], dtype: str, low: float = -3, high: float = 3) -> np.ndarray:
    """Random values of `dtype` in [low, high] (ints: whole numbers; uint8 from 0; bool: coin flips)."""
    if dtype == "bool":
        return _rng.random(shape) < 0.5
    if dtype in INTS:
        lo = max(int(low), 0) if dtype == "uint8" else int(low)
        return _rng.integers(lo, int(high) + 1, shape).astype(dtype)
    return _rng.uniform(low, high, shape).astype(dtype)


def positive(shape: tuple[int, ...], dtype: str) -> np.ndarray:
    return make(shape, dtype, 1, 4) if dtype != "bool" else np.ones(shape, bool)


# ----- sample generators -------------------------------------------------------------------------
SHAPES = [(), (0,), (5,), (2, 3), (2, 0, 3)]


def unary(
    dtypes: tuple[str, ...] = DTYPES, gen: Callable[..., np.ndarray] = make, **kwargs: Any
) -> Callable[[], Iterator[Sample]]:
    def samples() -> Iterator[Sample]:
        for dtype in dtypes:
            for shape in SHAPES:
                yield Sample((T(gen(shape, dtype)),), dict(kwargs))
            yield Sample((T(gen((4, 3), dtype), view="T"),), dict(kwargs))
            yield Sample((T(gen((6, 2), dtype), view="step"),), dict(kwargs))

    return samples


def binary(
    dtypes: tuple[str, ...] = DTYPES,
    scalars: tuple[Any, ...] = (2, 1.5, True),
    mixed: bool = True,
    gen: Callable[..., np.ndarray] = make,
    rhs: Callable[..., np.ndarray] = make,
    **kwargs: Any,
) -> Callable[[], Iterator[Sample]]:
    """Same shapes, broadcast shapes, 0-d with n-d, size 0, non-contiguous, Python scalars, mixed dtypes."""

    def samples() -> Iterator[Sample]:
        for dtype in dtypes:
            for sa, sb in [
                ((2, 3), (2, 3)),
                ((2, 3), (3,)),
                ((2, 1), (1, 3)),
                ((), (3,)),
                ((3,), ()),
                ((), ()),
                ((0, 3), (3,)),
                ((2, 3), (4, 3)),
            ]:
                yield Sample((T(gen(sa, dtype)), T(rhs(sb, dtype))), dict(kwargs))
            yield Sample((T(gen((3, 2), dtype), view="T"), T(rhs((2, 3), dtype))), dict(kwargs))
            for s in scalars:
                yield Sample((T(gen((2, 3), dtype)), s), dict(kwargs))
        if mixed:
            for da, db in [
                ("int32", "int64"),
                ("uint8", "int32"),
                ("bool", "int64"),
                ("int64", "float32"),
                ("float32", "float64"),
                ("bool", "float32"),
            ]:
                if da in dtypes and db in dtypes:
                    yield Sample((T(gen((2, 3), da)), T(rhs((2, 3), db))), dict(kwargs))
                    yield Sample((T(gen((2, 3), db)), T(rhs((), da))), dict(kwargs))

    return samples


def reduction(
    dtypes: tuple[str, ...] = DTYPES,
    dims: bool = True,
    tuples: bool = True,
    gen: Callable[..., np.ndarray] = make,
    **kwargs: Any,
) -> Callable[[], Iterator[Sample]]:
    def samples() -> Iterator[Sample]:
        for dtype in dtypes:
            for shape in [(), (4,), (2, 3), (2, 0)]:
                yield Sample((T(gen(shape, dtype)),), dict(kwargs))
            yield Sample((T(gen((4, 3), dtype), view="T"),), dict(kwargs))
            if not dims:
                continue
            x = gen((2, 3, 4), dtype)
            for dim in (0, -1, 2):
                yield Sample((T(x), dim), dict(kwargs))
                yield Sample((T(x),), dict(kwargs, dim=dim, keepdim=True))
            yield Sample((T(gen((), dtype)), 0), dict(kwargs))
            yield Sample((T(gen((), dtype)), -1), dict(kwargs))
            yield Sample((T(gen((2, 0), dtype)), 1), dict(kwargs))
            yield Sample((T(x), 3), dict(kwargs))  # out of range: IndexError
            yield Sample((T(gen((), dtype)), 1), dict(kwargs))
            if tuples:
                yield Sample((T(x), (0, 2)), dict(kwargs))
                yield Sample((T(x),), dict(kwargs, dim=()))
                yield Sample((T(x), [0, -1]), dict(kwargs, keepdim=True))

    return samples


def chain(*generators: Callable[[], Iterator[Sample]]) -> Callable[[], Iterator[Sample]]:
    def samples() -> Iterator[Sample]:
        for g in generators:
            yield from g()

    return samples


def these(*samples: Sample) -> Callable[[], Iterator[Sample]]:
    return lambda: iter(samples)


def S(*args: Any, **kwargs: Any) -> Sample:  # noqa: N802 - short on purpose: the table reads as calls
    return Sample(args, kwargs)


def x(
    *shape: int,
    dtype: str = "float64",
    view: str | None = None,
    gen: Callable[..., np.ndarray] = make,
    grad: bool = True,
) -> T:
    """A tensor argument whose values are drawn when its entry's samples are made (from the entry's stream)."""
    return T(_Later(lambda: gen(shape, dtype)), view=view, grad=grad)  # type: ignore[arg-type]


# ----- how to call a name on a library -----------------------------------------------------------
def fn(name: str) -> Callable[..., Any]:
    return lambda lib, *a, **k: getattr(lib, name)(*a, **k)


def method(name: str) -> Callable[..., Any]:
    return lambda lib, self, *a, **k: getattr(self, name)(*a, **k)


def prop(name: str) -> Callable[..., Any]:
    return lambda lib, self: getattr(self, name)


def functional(name: str) -> Callable[..., Any]:
    return lambda lib, *a, **k: getattr(lib.nn.functional, name)(*a, **k)


def op(f: Callable[..., Any]) -> Callable[..., Any]:
    return lambda lib, *a, **k: f(*a, **k)


def module(name: str, *ctor_args: Any, **ctor_kwargs: Any) -> Callable[..., Any]:
    """nn.<name>(*ctor_args, **ctor_kwargs) on a library, its parameters set to the same values on both sides,
    then called on the sample (a D in the constructor's arguments is the library's dtype)."""

    def call(lib: Any, *args: Any, **kwargs: Any) -> Any:
        options = {k: getattr(lib, v.name) if isinstance(v, D) else v for k, v in ctor_kwargs.items()}
        layer = getattr(lib.nn, name)(*ctor_args, **options)
        with lib.no_grad():
            for i, (_, p) in enumerate(layer.named_parameters()):
                values = np.random.default_rng(i).uniform(-0.5, 0.5, tuple(p.shape))
                p.copy_(lib.tensor(values, dtype=p.dtype))
        return layer(*args, **kwargs)

    return call


def every(
    name: str,
    samples: Callable[[], Iterator[Sample]],
    torch_fn: bool = True,
    tensor_method: bool = True,
    **options: Any,
) -> list[OpEntry]:
    """The entries for torch.name and Tensor.name, which share their samples."""
    out = []
    if torch_fn:
        out.append(OpEntry(f"torch.{name}", fn(name), samples, **options))
    if tensor_method:
        out.append(OpEntry(f"Tensor.{name}", method(name), samples, **options))
    return out


# ----- the table ---------------------------------------------------------------------------------
def _pos_float(shape: tuple[int, ...], dtype: str) -> np.ndarray:
    return positive(shape, dtype)


def _torch_var_gradient_is_right(sample: Sample) -> bool:
    """torch 2.13's var backward takes dim=() as no dim (a gradient of inf), and at N <= correction gives +inf
    everywhere; ours is the derivative of the value it returns (all dims; +-inf by the sign of x - mean)."""
    return sample.kwargs.get("dim") != () and sample.kwargs.get("correction") != 3


def _setitem(t: Any, index: Any, value: Any) -> Any:
    """t[index] = value on a copy that stays in the graph: gradients reach both t and value."""
    out = t.clone()
    out[index] = value
    return out


_LEGACY_CONSTRUCTORS = ("FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "ByteTensor", "BoolTensor",
                        "ShortTensor", "CharTensor")

TABLE: list[OpEntry] = [
    # elementwise, one input
    *every("abs", unary()),
    *every("exp", unary()),
    *every("log", unary(gen=positive)),
    *every("sqrt", unary(gen=positive)),
    *every("sin", unary()),
    *every("cos", unary()),
    *every("tanh", unary()),
    *every("sigmoid", unary()),
    *every("relu", unary()),
    OpEntry("Tensor.neg", method("neg"), unary()),
    OpEntry("Tensor.__neg__", op(operator.neg), unary()),
    OpEntry("Tensor.__pos__", op(operator.pos), unary()),
    OpEntry("Tensor.__abs__", op(operator.abs), unary()),
    OpEntry("Tensor.__invert__", op(operator.invert), unary(("bool", "uint8", "int32", "int64", "float32"))),
    *every("isfinite", unary()),
    *every("isnan", unary()),
    *every(
        "clamp",
        chain(
            unary(min=-1),
            unary(NUMERIC, max=1.5),
            unary(FLOATS, min=-1, max=1),
            these(
                S(x(2, 3), x(2, 3)),
                S(x(2, 3), x(3), x(2, 3)),
                S(x(2, 3), None, x(1, 3)),
                S(x(2, 3)),
                S(x(2, 3, dtype="int64"), 0.5),
            ),
        ),
    ),
    *every("clip", unary(FLOATS, min=-1, max=1)),
    OpEntry("Tensor.clamp_", method("clamp_"), unary(NUMERIC, min=0), inplace=True, grad=False),
    # elementwise, two inputs
    *every(
        "add",
        chain(
            binary(),
            binary(FLOATS, scalars=(), mixed=False, alpha=2),
            these(S(x(2, 3, dtype="int64"), x(2, 3, dtype="int64"), alpha=0.5)),
        ),
    ),
    *every("sub", chain(binary(), these(S(x(2, 3), x(3), alpha=3)))),
    *every("mul", binary()),
    *every(
        "div",
        chain(
            binary(rhs=positive),
            binary(NUMERIC, rhs=positive, rounding_mode="floor"),
            binary(NUMERIC, rhs=positive, rounding_mode="trunc"),
        ),
    ),
    *every(
        "pow",
        chain(
            binary(NUMERIC, scalars=(2, 0.5, -1, 0), gen=positive),
            these(
                S(x(3, gen=lambda s, d: np.array([0.0, 1.0, 2.0])), x(3)),
                S(x(3, gen=lambda s, d: np.array([0.0, 1.0, 2.0])), 2.0),
                S(x(2, 3, dtype="bool"), 2),
                S(x(2, 3, dtype="bool"), x(2, 3, dtype="bool")),
                S(x(2, 3, dtype="int64"), -1),
            ),
        ),
    ),
    *every("maximum", binary(scalars=(), mixed=True)),
    *every("minimum", binary(scalars=(), mixed=True)),
    *every("eq", binary()),
    *every("ne", binary()),
    *[OpEntry(f"Tensor.{n}", method(n), binary()) for n in ("lt", "le", "gt", "ge")],
    *[
        OpEntry(f"Tensor.{dunder}", op(f), binary())
        for dunder, f in [
            ("__add__", operator.add),
            ("__sub__", operator.sub),
            ("__mul__", operator.mul),
            ("__eq__", operator.eq),
            ("__ne__", operator.ne),
            ("__lt__", operator.lt),
            ("__le__", operator.le),
            ("__gt__", operator.gt),
            ("__ge__", operator.ge),
        ]
    ],
    OpEntry("Tensor.__truediv__", op(operator.truediv), binary(rhs=positive)),
    OpEntry("Tensor.__pow__", op(operator.pow), binary(NUMERIC, scalars=(2, 0.5), gen=positive)),
    OpEntry("Tensor.__and__", op(operator.and_), binary(("bool", "uint8", "int32", "int64"))),
    OpEntry("Tensor.__or__", op(operator.or_), binary(("bool", "uint8", "int32", "int64"))),
    *[
        OpEntry(
            f"Tensor.{dunder}",
            op(lambda a, b, f=f: f(b, a)),
            these(*(S(x(2, 3, dtype=d), s) for d in NUMERIC for s in (2, 1.5))),
        )
        for dunder, f in [
            ("__radd__", operator.add),
            ("__rsub__", operator.sub),
            ("__rmul__", operator.mul),
            ("__rtruediv__", operator.truediv),
            ("__rpow__", operator.pow),
        ]
    ],
    # in place
    *[
        OpEntry(
            f"Tensor.{n}",
            method(n),
            binary(FLOATS, scalars=(2, 1.5), mixed=False, rhs=positive),
            inplace=True,
            grad=False,
        )
        for n in ("add_", "sub_", "mul_", "div_")
    ],
    OpEntry(
        "Tensor.add_",
        method("add_"),
        these(
            S(x(3, dtype="int64"), 1.5),
            S(x(3, dtype="int64"), x(3)),
            S(x(3, dtype="float32"), x(3, dtype="int64")),
            S(x(3, dtype="bool"), True),
            S(x(2, 3), x(3), alpha=2),
        ),
        inplace=True,
        grad=False,
    ),
    OpEntry(
        "Tensor.pow_",
        method("pow_"),
        these(
            S(x(3, gen=positive), 2),
            S(x(2, 3, gen=positive), x(3)),
            S(x(3, dtype="int64"), 2),
            S(x(3, dtype="int64"), -1),
        ),
        inplace=True,
        grad=False,
    ),
    *[
        OpEntry(
            f"Tensor.{dunder}",
            op(f),
            binary(NUMERIC, scalars=(2,), mixed=False, rhs=positive),
            inplace=True,
            grad=False,
        )
        for dunder, f in [("__iadd__", operator.iadd), ("__isub__", operator.isub), ("__imul__", operator.imul)]
    ],
    OpEntry(
        "Tensor.__itruediv__",
        op(operator.itruediv),
        binary(FLOATS, scalars=(2,), mixed=False, rhs=positive),
        inplace=True,
        grad=False,
    ),
    OpEntry(
        "Tensor.copy_",
        method("copy_"),
        these(S(x(2, 3), x(3)), S(x(2, 3), x(2, 3, dtype="int64")), S(x(3), x(2, 3))),
        inplace=True,
        grad=False,
    ),
    OpEntry(
        "Tensor.fill_",
        method("fill_"),
        these(S(x(2, 3), 2.5), S(x(2, 3, dtype="int64"), 2), S(x(2, 3), x())),
        inplace=True,
        grad=False,
    ),
    OpEntry("Tensor.zero_", method("zero_"), unary(NUMERIC), inplace=True, grad=False),
    # matrix products
    *every(
        "matmul",
        chain(
            binary(
                NUMERIC,
                scalars=(),
                mixed=False,
                gen=lambda s, d: make(s, d, -2, 2),
                rhs=lambda s, d: make(tuple(reversed(s)), d, -2, 2),
            ),
            these(
                S(x(3), x(3)),
                S(x(2, 3), x(3)),
                S(x(3), x(3, 2)),
                S(x(4, 2, 3), x(3, 5)),
                S(x(2, 3), x(2, 3)),
                S(x(2, 3), x(3, 2, dtype="float32")),
                S(x(), x(3)),
                S(x(2, 3), [1.0, 2.0, 3.0]),
                S(x(0, 3), x(3, 2)),
                S(x(2, 3, dtype="bool"), x(3, 2, dtype="bool")),
            ),
        ),
    ),
    OpEntry(
        "Tensor.__matmul__",
        op(operator.matmul),
        these(S(x(2, 3), x(3, 4)), S(x(2, 3), x(3, 2, dtype="float32")), S(x(2, 3), x(4, 3))),
    ),
    OpEntry("Tensor.__rmatmul__", op(lambda a, b: b.__rmatmul__(a)), these(S(x(3, 4), x(2, 3)))),
    *every(
        "mm",
        these(
            S(x(2, 3), x(3, 4)),
            S(x(3), x(3, 4)),
            S(x(2, 3), x(4, 3)),
            S(x(2, 3, dtype="int64"), x(3, 2, dtype="int64")),
            S(x(2, 3), x(3, 4, dtype="float32")),
        ),
    ),
    # reductions
    *every("sum", chain(reduction(), reduction(("int32", "bool"), dims=False, dtype="float64"))),
    *every(
        "mean", chain(reduction(FLOATS), these(S(x(2, 3, dtype="int64")), S(x(2, 3, dtype="int64"), dtype="float64")))
    ),
    *every(
        "var",
        chain(
            reduction(FLOATS),
            reduction(FLOATS, dims=False, correction=0),
            these(
                S(x(2, 3), 1, unbiased=False),
                S(x(2, 3), 1, True),
                S(x(1)),
                S(x(3), correction=3),
                S(x(2, 3, dtype="int64")),
            ),
        ),
        grad_if=_torch_var_gradient_is_right,
    ),
    *every(
        "std",
        chain(reduction(FLOATS), these(S(x(2, 3), 1, unbiased=False), S(x(1)), S(x(2, 3), correction=2))),
        grad_if=_torch_var_gradient_is_right,
    ),
    *every("max", chain(reduction(NUMERIC + ("bool",), tuples=False), these(S(x(2, 3), x(2, 3)), S(x(2, 3), x(3))))),
    *every("min", chain(reduction(NUMERIC + ("bool",), tuples=False), these(S(x(2, 3), x(2, 3))))),
    *every("amax", reduction(NUMERIC)),
    *every("amin", reduction(NUMERIC)),
    *every("argmax", reduction(NUMERIC, tuples=False)),
    *every("argmin", reduction(NUMERIC, tuples=False)),
    *every("all", reduction(DTYPES, tuples=False)),
    *every("any", reduction(DTYPES, tuples=False)),
    *every("logsumexp", chain(reduction(FLOATS, tuples=True), these(S(x(2, 3, dtype="int64"), 1)))),
    *every(
        "norm",
        chain(
            reduction(FLOATS, tuples=False),
            these(
                S(x(3, gen=lambda s, d: np.zeros(s))),
                S(x(2, 3), 1),
                S(x(2, 3), float("inf")),
                S(x(2, 3), 3, 1),
                S(x(2, 3), p=1, dim=0, keepdim=True),
                S(x(2, 3, dtype="int64")),
                S(x(2, 3), "fro", (0, 1)),
            ),
        ),
    ),
    *every(
        "softmax",
        these(
            *(
                S(x(*s), d)
                for s, d in [
                    ((2, 3), 1),
                    ((2, 3), 0),
                    ((2, 3), -1),
                    ((), 0),
                    ((), -1),
                    ((0, 3), 1),
                    ((2, 0), 1),
                    ((2, 3), 2),
                    ((2, 3, 4), 1),
                ]
            ),
            S(x(2, 3, dtype="float32"), 1, dtype="float64"),
            S(x(2, 3, dtype="int64"), 1),
        ),
    ),
    *every(
        "log_softmax",
        these(
            *(S(x(*s), d) for s, d in [((2, 3), 1), ((2, 3), 0), ((), 0), ((0, 3), 1), ((2, 0), 1), ((2, 3), -3)]),
            S(x(2, 3, dtype="float32"), 1, dtype="float64"),
            S(x(2, 3, dtype="int64"), 1),
        ),
    ),
    # shapes and views
    *every(
        "reshape",
        these(
            S(x(2, 3), (3, 2)),
            S(x(2, 3), (-1,)),
            S(x(2, 3), [6]),
            S(x(), (1,)),
            S(x(0, 3), (3, 0)),
            S(x(2, 3), (4, 2)),
            S(x(2, 3), (-1, -1)),
            S(x(3, 2, view="T"), (6,)),
        ),
        tensor_method=False,
    ),
    OpEntry(
        "Tensor.reshape",
        method("reshape"),
        these(S(x(2, 3), 3, 2), S(x(2, 3), (3, 2)), S(x(2, 3), -1), S(x(2, 3), 4, 2), S(x(3, 2, view="T"), 6)),
    ),
    OpEntry(
        "Tensor.view",
        method("view"),
        these(
            S(x(2, 3), 3, 2),
            S(x(2, 3), (6,)),
            S(x(2, 3), -1),
            S(x(2, 3), 4, 2),
            S(x(2, 3, dtype="float32"), D("int32")),
            S(x(2, 2, dtype="int64"), D("float64")),
            S(x(2, 4, dtype="float32"), D("float64")),
            S(x(2, 3, dtype="float32"), D("float32")),
            S(x(2, 3, dtype="float32"), D("float64")),
        ),
    ),
    OpEntry("Tensor.view_as", method("view_as"), these(S(x(2, 3), x(3, 2)), S(x(2, 3), x(6)), S(x(2, 3), x(4)))),
    OpEntry("Tensor.reshape_as", method("reshape_as"), these(S(x(2, 3), x(3, 2)), S(x(2, 3), x(5)))),
    OpEntry(
        "Tensor.expand",
        method("expand"),
        these(
            S(x(3), 2, 3),
            S(x(3), (2, 3)),
            S(x(1, 3), -1, 3),
            S(x(), 2),
            S(x(2), 3),
            S(x(1, 3), 2, -1, 3),
            S(x(3), 2, -1),
        ),
    ),
    OpEntry("Tensor.expand_as", method("expand_as"), these(S(x(3), x(2, 3)), S(x(2), x(3)))),
    *every(
        "flatten",
        these(
            S(x(2, 3, 4)),
            S(x(2, 3, 4), 1),
            S(x(2, 3, 4), 0, 1),
            S(x(2, 3, 4), start_dim=1, end_dim=-1),
            S(x()),
            S(x(0, 3)),
            S(x(2, 3), 2),
            S(x(2, 3), 1, 0),
            S(x(2, 3), 0, 5),
            S(x(), 0, 0),
            S(x(2, 3, 4, view="step")),
        ),
    ),
    *every("transpose", these(S(x(2, 3), 0, 1), S(x(2, 3, 4), -1, 0), S(x(), 0, 0), S(x(2, 3), 0, 2), S(x(3), 0, -1))),
    OpEntry("Tensor.t", method("t"), these(S(x(2, 3)), S(x(3)), S(x()), S(x(2, 3, 4)))),
    OpEntry("Tensor.T", prop("T"), these(S(x(2, 3)), S(x(3)), S(x()))),
    OpEntry("Tensor.mT", prop("mT"), these(S(x(2, 3)), S(x(2, 3, 4)), S(x(3)))),
    *every(
        "permute",
        these(S(x(2, 3, 4), (2, 0, 1)), S(x(2, 3, 4), (-1, 0, 1)), S(x(2, 3), (0,)), S(x(2, 3), (0, 0)), S(x(), ())),
        tensor_method=False,
    ),
    OpEntry(
        "Tensor.permute", method("permute"), these(S(x(2, 3, 4), 2, 0, 1), S(x(2, 3, 4), (1, 2, 0)), S(x(2, 3), 0, 2))
    ),
    *every(
        "squeeze",
        these(
            S(x(1, 3, 1)),
            S(x(1, 3, 1), 0),
            S(x(1, 3, 1), 1),
            S(x(1, 3, 1), -1),
            S(x(1, 3, 1), (0, 2)),
            S(x()),
            S(x(), 0),
            S(x(1, 3), 2),
            S(x(1, 3), -3),
            S(x(), 1),
        ),
    ),
    *every("unsqueeze", these(S(x(2, 3), 0), S(x(2, 3), 2), S(x(2, 3), -1), S(x(), 0), S(x(2, 3), 3), S(x(2, 3), -4))),
    OpEntry(
        "Tensor.repeat",
        method("repeat"),
        these(S(x(2, 3), 2, 1), S(x(3), 2, 2), S(x(), 3), S(x(2, 3), (1, 2)), S(x(2, 3), 2)),
    ),
    OpEntry("Tensor.contiguous", method("contiguous"), unary()),
    OpEntry("Tensor.clone", method("clone"), unary()),
    OpEntry("Tensor.detach", method("detach"), unary(), grad=False),
    *[
        OpEntry(
            "Tensor.__getitem__",
            op(operator.getitem),
            these(
                S(x(4, 3), 1),
                S(x(4, 3), -1),
                S(x(4, 3), slice(1, 3)),
                S(x(4, 3), (slice(None), 0)),
                S(x(4, 3), (None, 1)),
                S(x(4, 3), Ellipsis),
                S(x(4, 3), slice(None, None, 2)),
                S(x(4, 3), [0, 2, 0]),
                S(x(4, 3), T(np.array([0, 2, 0]))),
                S(x(4, 3), T(np.array([True, False, True, False]))),
                S(x(4, 3), T(np.array([1, 0, 1, 0], dtype=np.uint8))),
                S(x(4, 3), T(np.array(2))),
                S(x(4, 3), 4),
                S(x(4, 3), (0, 0, 0)),
                S(x(4, 3), slice(None, None, -1)),
                S(x(), None),
                S(x(4, 3), x(4, 3, dtype="bool")),
                S(x(4, 3), (T(np.array([0, 1])), T(np.array([2, 0])))),
                S(x(4, 3), T(np.array(1.0))),
                S(x(4, 3, view="T"), 1),
            ),
        )
    ],
    OpEntry(  # outside the graph: the value is written into the tensor's memory
        "Tensor.__setitem__",
        op(_setitem),
        these(
            S(x(4, 3), 0, x(2)),
            S(x(4, 3), 5, 1.0),
            S(x(4, 3), (0, 0, 0), 1.0),
            S(x(4, 3), T(np.array([True, False])), 2.0),
            S(x(4, 3), T(np.array([1, 0, 1, 1], dtype=np.uint8)), 2.0),
            S(x(4, 3), slice(None, None, -1), 1.0),
            S(x(4, 3, dtype="int64"), 0, 2.7),
            S(x(4, 3), [0, 0], x(2, 3)),
        ),
        grad=False,
    ),
    OpEntry(
        "Tensor.__setitem__",
        op(_setitem),
        these(
            S(x(4, 3), 1, x(3)),
            S(x(4, 3), 1, 2.5),
            S(x(4, 3), slice(1, 3), x(2, 3)),
            S(x(4, 3), (slice(None), 0), x(4)),
            S(x(4, 3), slice(None, None, 2), x(1, 3)),
            S(x(4, 3), [0, 2], x(2, 3)),
            S(x(4, 3), T(np.array([0, 2, 0])), x(3, 3)),
            S(x(4, 3), T(np.array([True, False, True, False])), x(3)),
            S(x(4, 3), x(4, 3, dtype="bool"), 0.0),
            S(x(4, 3), T(np.array([1, 0, 1, 0], dtype=np.uint8)), x(3)),
            S(x(4, 3), (T(np.array([0, 1])), T(np.array([2, 0]))), x(2)),
            S(x(4, 3), Ellipsis, x(3)),
            S(x(4, 3), 4, 1.0),
            S(x(4, 3), slice(None, None, -1), 1.0),
            S(x(4, 3), 0, x(2)),
            S(x(4, 3), 0, x(3, dtype="int64")),
            S(x(4, 3, dtype="int64"), 0, 2.7),
            S(x(), (), 3.0),
        ),
    ),
    # joining
    *[
        e
        for n in ("cat", "concat", "concatenate")
        for e in every(
            n,
            these(
                S([x(2, 3), x(1, 3)]),
                S([x(2, 3), x(2, 2)], 1),
                S([x(2, 3), x(2, 3)], dim=-1),
                S([x(2, 3)]),
                S((x(2, 3), x(2, 3, dtype="float32"))),
                S([x(2, 3, dtype="int64"), x(2, 3)]),
                S([x(2, 3), x(0)]),
                S([x(2, 3), x(2, 2)]),
                S([]),
                S(x(2, 3)),
                S([x(), x()]),
                S([x(2, 3), x(2, 3)], 2),
            ),
            tensor_method=False,
        )
    ],
    *every(
        "stack",
        these(
            S([x(2, 3), x(2, 3)]),
            S([x(2, 3), x(2, 3)], 2),
            S([x(2, 3), x(2, 3)], -1),
            S([x(), x()]),
            S([x(2, 3), x(3, 2)]),
            S([]),
            S([x(2, 3), x(2, 3, dtype="int64")]),
            S([x(2), x(2)], 3),
        ),
        tensor_method=False,
    ),
    *every(
        "where",
        these(
            S(x(2, 3, dtype="bool"), x(2, 3), x(2, 3)),
            S(x(2, 3, dtype="bool"), x(3), 0.0),
            S(x(2, 3, dtype="bool"), 1.0, x(2, 3)),
            S(x(2, 3, dtype="bool"), x(2, 3, dtype="int64"), x(2, 3)),
            S(x(2, 3, dtype="bool"), x(2, 3), x(4, 3)),
            S(x(2, 3, dtype="bool")),
            S(x(2, 3, dtype="int64")),
            S(x(2, 3, dtype="bool"), 1, 0),
        ),
        tensor_method=False,
    ),
    # comparisons that answer a Python bool
    *every("equal", these(S(x(2, 3), x(2, 3)), S(x(2, 3), x(3)), S(x(2, 3, dtype="int64"), x(2, 3, dtype="int64")))),
    *every(
        "allclose",
        these(
            S(x(2, 3), x(2, 3)),
            S(x(2, 3), x(3)),
            S(x(2, 3), x(2, 3, dtype="float32")),
            S(x(2, 3, dtype="float32"), x(2, 3, dtype="float32"), rtol=0.1, atol=0.1),
        ),
    ),
    # conversions and facts
    *[
        OpEntry(f"Tensor.{n}", method(n), unary(), grad=n in ("float", "double"))
        for n in ("float", "double", "half", "long", "int", "bool")
    ],
    OpEntry("Tensor.type", method("type"), chain(unary(), these(S(x(2), "torch.FloatTensor"), S(x(2), "float32")))),
    OpEntry(
        "Tensor.to",
        method("to"),
        these(
            S(x(2, 3), D("float32")),
            S(x(2, 3), "cpu"),
            S(x(2, 3), "cpu", D("float32")),
            S(x(2, 3), dtype="int64"),
            S(x(2, 3), x(2, dtype="int32")),
            S(x(2, 3), D("float64"), copy=True),
        ),
    ),
    OpEntry("Tensor.numpy", method("numpy"), these(S(x(2, 3, grad=False)), S(x(2, 3)))),
    OpEntry("Tensor.item", method("item"), chain(unary(), these(S(x(2)))), grad=False),
    OpEntry("Tensor.tolist", method("tolist"), unary(), grad=False),
    *[
        OpEntry(f"Tensor.{n}", method(n), unary())
        for n in ("numel", "dim", "nelement", "element_size", "is_floating_point", "size")
    ],
    OpEntry("torch.numel", fn("numel"), unary()),
    OpEntry("torch.is_tensor", fn("is_tensor"), these(S(x(2)), S([1.0]), S(2.0))),
    OpEntry("Tensor.size", method("size"), these(S(x(2, 3), 1), S(x(2, 3), -1), S(x(2, 3), 2), S(x(), 0))),
    *[OpEntry(f"Tensor.{n}", prop(n), unary()) for n in ("shape", "dtype", "ndim", "is_leaf", "requires_grad")],
    *[
        OpEntry(f"Tensor.{dunder}", op(f), unary())
        for dunder, f in [
            ("__len__", len),
            ("__bool__", bool),
            ("__float__", float),
            ("__int__", int),
            ("__index__", operator.index),
            ("__iter__", lambda t: [v.item() for v in t]),
            ("__format__", lambda t: f"{t:.2f}"),
        ]
    ],
    OpEntry("Tensor.__array__", op(lambda t: np.asarray(t).tolist()), unary(), grad=False),
    # creation
    *every(
        "tensor",
        these(
            S([1, 2]),
            S([1.0, 2.0]),
            S([True]),
            S([[1, 2], [3, 4]]),
            S(2.5),
            S([]),
            S([1, 2], dtype="float64"),
            S([[1, 2], [3]]),
            S("a"),
            S([1.5], dtype="int32"),
        ),
        tensor_method=False,
    ),
    *every("as_tensor", these(S([1, 2]), S(np.arange(3.0)), S([1, 2], dtype="float32")), tensor_method=False),
    *every(
        "from_numpy",
        these(S(np.arange(3.0)), S(np.arange(3)), S(np.ones(2, np.float32)), S([1, 2])),
        tensor_method=False,
    ),
    OpEntry("torch.Tensor", fn("Tensor"), these(S([1, 2]), S([1.5]), S([[1], [2]]), S((2, 3)), S([True]))),
    *[
        OpEntry(f"torch.{n}", fn(n), these(S(), S(2, 3), S(0), S(-1)), values=False)
        for n in ("Tensor", *_LEGACY_CONSTRUCTORS, "HalfTensor")
    ],
    *[
        OpEntry(f"torch.{n}", fn(n), these(S([1, 2]), S([1.5, -2.5]), S([[1], [0]]), S([True])))
        for n in _LEGACY_CONSTRUCTORS
    ],
    *[
        e
        for n in ("zeros", "ones", "empty")
        for e in every(
            n,
            these(S(2, 3), S((2, 3)), S([2]), S(), S(0), S(2, 3, dtype="int64"), S(2.5), S(-1), S(size=(2, 3))),
            tensor_method=False,
            values=n != "empty",
        )
    ],
    *every(
        "full",
        these(S((2, 3), 1.5), S((2,), 2), S((2,), True), S((2, 3), 2, dtype="float64"), S([], 1.0), S((-1,), 1.0)),
        tensor_method=False,
    ),
    *[
        e
        for n in ("zeros_like", "ones_like", "empty_like")
        for e in every(
            n,
            chain(unary(), these(S(x(2, 3), dtype="int64"))),
            tensor_method=False,
            values=n != "empty_like",
            grad=False,
        )
    ],
    *every(
        "full_like",
        these(S(x(2, 3), 2.0), S(x(2, 3, dtype="int64"), 2.5), S(x(2), 1, dtype="float32")),
        tensor_method=False,
        grad=False,
    ),
    *every(
        "arange",
        these(
            S(5),
            S(1, 4),
            S(0, 1, 0.25),
            S(5.0),
            S(3, 1),
            S(3, 1, -1),
            S(0, 5, 0),
            S(5, dtype="float64"),
            S(1, 2.5, 0.5),
            S(0, 1, 0.1),
            S(end=3),
        ),
        tensor_method=False,
    ),
    *every(
        "linspace",
        these(S(0, 1, 5), S(0, 1, 1), S(0, 1, 0), S(0, 1, steps=3, dtype="float64"), S(0, 1, -1)),
        tensor_method=False,
    ),
    *every("eye", these(S(3), S(2, 3), S(0), S(3, dtype="int64"), S(-1)), tensor_method=False),
    *every(
        "logspace",
        these(S(0, 2, 5), S(-1, 1, 3, base=2.0), S(0, 1, 1), S(0, 1, 0), S(0, 1, 4, dtype="float64"), S(0, 1, -1)),
        tensor_method=False,
    ),
    *every("scalar_tensor", these(S(3), S(2.5), S(1, dtype="int64"), S(True)), tensor_method=False, grad=False),
    *[
        e
        for n in ("rand", "randn")
        for e in every(
            n,
            these(S(2, 3), S((2, 3)), S(size=(2, 3)), S(), S(2, dtype="float64"), S(-1)),
            tensor_method=False,
            values=False,
        )
    ],
    *every(
        "randint",
        these(S(5, (2, 3)), S(1, 5, (4,)), S(0, 5, size=(2,)), S(5, (2,), dtype="int32"), S(3, 1, (2,))),
        tensor_method=False,
        values=False,
    ),
    *every("randperm", these(S(5), S(0), S(3, dtype="int32"), S(-1)), tensor_method=False, values=False),
    OpEntry("Tensor.normal_", method("normal_"), these(S(x(2, 3)), S(x(2, 3), 1.0, 2.0)), values=False, inplace=True),
    OpEntry(
        "Tensor.uniform_", method("uniform_"), these(S(x(2, 3)), S(x(2, 3), -1.0, 1.0)), values=False, inplace=True
    ),
    # nn.functional
    *[OpEntry(f"F.{n}", functional(n), unary(FLOATS)) for n in ("relu", "tanh", "sigmoid")],
    OpEntry("F.relu", functional("relu"), these(S(x(2, 3), inplace=True)), inplace=True, grad=False),
    OpEntry("F.leaky_relu", functional("leaky_relu"), chain(unary(FLOATS), unary(FLOATS, negative_slope=0.2))),
    *[
        OpEntry(
            f"F.{n}",
            functional(n),
            these(S(x(2, 3), 1), S(x(2, 3), dim=0), S(x(), 0), S(x(0, 3), 1), S(x(2, 3), 1, dtype="float32")),
        )
        for n in ("softmax", "log_softmax")
    ],
    OpEntry(
        "F.linear",
        functional("linear"),
        these(
            S(x(4, 3), x(2, 3)),
            S(x(4, 3), x(2, 3), x(2)),
            S(x(3), x(2, 3)),
            S(x(4, 3), x(3)),
            S(x(5, 4, 3), x(2, 3), x(2)),
            S(x(4, 3), x(2, 4)),
            S(x(4, 3), x(2, 3), x(3)),
            S(x(0, 3), x(2, 3)),
        ),
    ),
    OpEntry(
        "F.conv2d",
        functional("conv2d"),
        these(
            S(x(2, 3, 5, 5), x(4, 3, 3, 3)),
            S(x(2, 3, 5, 5), x(4, 3, 3, 3), x(4), stride=2, padding=1),
            S(x(3, 5, 5), x(4, 3, 3, 3)),
            S(x(1, 4, 6, 6), x(4, 2, 3, 3), groups=2),
            S(x(1, 2, 7, 7), x(3, 2, 3, 3), dilation=2),
            S(x(1, 2, 5, 5), x(3, 2, 3, 3), padding="same"),
            S(x(1, 2, 5, 5), x(3, 2, 2, 2), padding="same"),
            S(x(2, 3, 5, 5), x(4, 2, 3, 3)),
            S(x(2, 3, 2, 2), x(4, 3, 3, 3)),
        ),
    ),
    OpEntry(
        "F.max_pool2d",
        functional("max_pool2d"),
        these(
            S(x(2, 3, 6, 6), 2),
            S(x(2, 3, 5, 5), 3, 2, 1),
            S(x(3, 4, 4), 2),
            S(x(1, 1, 5, 5), 2, ceil_mode=True),
            S(x(1, 1, 4, 4), 2, return_indices=True),
            S(x(1, 1, 5, 5), 3, 2),
            S(x(1, 1, 4, 4), 2, padding=2),
        ),
    ),
    OpEntry(
        "F.avg_pool2d",
        functional("avg_pool2d"),
        these(
            S(x(2, 3, 6, 6), 2),
            S(x(2, 3, 5, 5), 3, 2, 1),
            S(x(2, 3, 5, 5), 3, 2, 1, count_include_pad=False),
            S(x(1, 1, 5, 5), 2, ceil_mode=True),
            S(x(1, 1, 4, 4), 2, divisor_override=3),
        ),
    ),
    OpEntry(
        "F.batch_norm",
        functional("batch_norm"),
        these(
            S(x(4, 3), T(np.zeros(3), grad=False), T(np.ones(3), grad=False), training=True),
            S(x(4, 3, 2, 2), T(np.zeros(3), grad=False), T(np.ones(3), grad=False), x(3), x(3), training=True),
            S(x(4, 3), x(3, grad=False), x(3, gen=positive, grad=False)),
            S(x(4, 3), None, None, training=True),
            S(x(0, 3), None, None, training=True),
            S(x(1, 3), None, None, training=True),
            S(x(4, 3), T(np.zeros(2), grad=False), T(np.ones(2), grad=False), training=True),
        ),
    ),
    OpEntry(
        "F.dropout",
        functional("dropout"),
        these(S(x(2, 3), 0.0), S(x(2, 3), 1.0), S(x(2, 3), 0.5, training=False), S(x(2, 3), 1.5), S(x(2, 3), -0.1)),
        grad=False,
    ),
    OpEntry(
        "F.dropout",
        functional("dropout"),
        these(S(x(2, 3, grad=False), 0.0, True, True), S(x(2, 3, grad=False), 1.0, inplace=True)),
        inplace=True,
        grad=False,
    ),
    OpEntry(
        "F.mse_loss",
        functional("mse_loss"),
        these(
            S(x(2, 3), x(2, 3)),
            S(x(2, 3), x(2, 3), reduction="sum"),
            S(x(2, 3), x(2, 3), reduction="none"),
            S(x(0), x(0)),
            S(x(0), x(0), reduction="sum"),
            S(x(), x()),
            S(x(2, 3), x(2, 3), reduction="avg"),
        ),
    ),
    *[
        OpEntry(
            f"F.{n}",
            functional(n),
            these(
                S(x(4, 3), T(np.array([0, 2, 1, 2]))),
                S(x(4, 3), T(np.array([0, 2, 1, 2])), reduction="sum"),
                S(x(4, 3), T(np.array([0, 2, 1, 2])), reduction="none"),
                S(x(4, 3), T(np.array([0, -100, 1, -100]))),
                S(x(4, 3), T(np.full(4, -100))),
                S(x(4, 3), T(np.full(4, -100)), label_smoothing=0.1, reduction="sum"),
                S(x(4, 3), T(np.array([0, 2, 1, 2])), ignore_index=2),
                S(x(4, 3), T(np.array([0, 2, 1, 2])), ignore_index=2, reduction="sum"),
                S(x(4, 3), T(np.array([0, 2, 1, 2])), T(np.array([1.0, 2.0, 0.5]), grad=False)),
                S(x(4, 3), T(np.array([0, 2, 1, 2])), T(np.array([1.0, 2.0, 0.5]), grad=False), ignore_index=1),
                S(x(3), T(np.array(1))),
                S(x(2, 3, 4), T(np.array([[0, 1, 2, 1], [2, 2, 0, 1]]))),
                S(x(4, 3), T(np.array([0, 2, 1, 2], dtype=np.int32))),
                S(x(4, 3), T(np.array([0, 3, 1, 2]))),
                S(x(0, 3), T(np.zeros(0, dtype=np.int64)), reduction="sum"),
                S(x(4, 3), T(np.array([0, 2, 1]))),
            ),
        )
        for n in ("cross_entropy", "nll_loss")
    ],
    OpEntry(
        "F.cross_entropy",
        functional("cross_entropy"),
        these(
            S(x(4, 3), T(np.array([0, 2, 1, 2])), label_smoothing=0.1),
            S(x(4, 3), T(np.array([0, 2, 1, 2])), label_smoothing=0.2, reduction="sum"),
            S(
                x(4, 3),
                x(4, 3, gen=lambda s, d: np.full(s, 1 / 3)),
            ),
            S(x(4, 3), x(4, 3, gen=lambda s, d: np.full(s, 1 / 3)), label_smoothing=0.1),
            S(x(4, 3), T(np.array([0, 2, 1, 2])), label_smoothing=1.5),
        ),
    ),
    OpEntry(
        "F.max_pool2d",
        functional("max_pool2d"),
        lambda: (
            S(x(2, 3, h, w), k, s, p, ceil_mode=c, return_indices=r)
            for h, w in [(5, 5), (6, 7)]
            for k, s, p in [(2, 2, 0), (3, 2, 1), (2, 1, 1), (3, 3, 0)]
            for c in (False, True)
            for r in (False, True)
        ),
    ),
    OpEntry(
        "F.avg_pool2d",
        functional("avg_pool2d"),
        lambda: (
            S(x(2, 3, 6, 7), k, s, p, ceil_mode=c, count_include_pad=i, divisor_override=d)
            for k, s, p in [(2, 2, 0), (3, 2, 1), (3, 3, 0)]
            for c in (False, True)
            for i in (True, False)
            for d in (None, 3)
        ),
    ),
    # arguments of the wrong type: PyTorch's TypeError (or its error), never a NumPy message
    OpEntry("Tensor.__add__", op(operator.add), these(S(x(2, 3), None), S(x(2, 3), "a"))),
    OpEntry(
        "Tensor.__mul__",
        op(operator.mul),
        these(
            S(x(2, 3), None),
        ),
    ),
    OpEntry("Tensor.reshape", method("reshape"), these(S(x(2, 3), "a"), S(x(2, 3), 2, None), S(x(2, 3), 2.0, 3))),
    OpEntry(
        "Tensor.view",
        method("view"),
        these(
            S(x(2, 3), 2, None),
        ),
    ),
    OpEntry(
        "Tensor.expand",
        method("expand"),
        these(
            S(x(3), None),
        ),
    ),
    OpEntry(
        "Tensor.transpose",
        method("transpose"),
        these(
            S(x(2, 3), 0, None),
        ),
    ),
    OpEntry(
        "Tensor.permute",
        method("permute"),
        these(
            S(x(2, 3), 0, 1.5),
        ),
    ),
    OpEntry(
        "Tensor.pow",
        method("pow"),
        these(
            S(x(2, 3), None),
        ),
    ),
    OpEntry(
        "torch.full",
        fn("full"),
        these(
            S((2,), "a"),
        ),
    ),
    OpEntry(
        "torch.arange",
        fn("arange"),
        these(
            S("a"),
        ),
    ),
    OpEntry("torch.tensor", fn("tensor"), these(S(None), S([1, "a"]))),
    OpEntry(
        "torch.clamp",
        fn("clamp"),
        these(
            S(x(2, 3), min="a"),
        ),
    ),
    OpEntry(
        "F.linear",
        functional("linear"),
        these(
            S(x(2, 3), None),
        ),
    ),
    OpEntry(
        "F.cross_entropy",
        functional("cross_entropy"),
        these(
            S(x(2, 3), None),
        ),
    ),
    OpEntry(
        "torch.exp",
        fn("exp"),
        these(
            S(None),
        ),
    ),
    # layers: nn.<Module>(...)(input), with the same parameters on both sides
    *[
        OpEntry(f"nn.{name}", module(name, *ctor, **kw), these(*samples))
        for name, ctor, kw, samples in [
            (
                "Linear",
                (3, 2),
                {},
                [S(x(4, 3, dtype="float32")), S(x(3, dtype="float32")), S(x(4, 5, dtype="float32"))],
            ),
            ("Linear", (3, 2), {"dtype": D("float64")}, [S(x(4, 3)), S(x(2, 5, 3))]),
            ("Linear", (3, 2), {"bias": False, "dtype": D("float64")}, [S(x(4, 3))]),
            ("Conv2d", (2, 4, 3), {"dtype": D("float64")}, [S(x(2, 2, 5, 5)), S(x(2, 5, 5)), S(x(2, 3, 5, 5))]),
            ("Conv2d", (4, 4, 3), {"groups": 2, "padding": "same", "dtype": D("float64")}, [S(x(1, 4, 5, 5))]),
            (
                "Conv2d",
                (2, 3, 3),
                {"stride": 2, "padding": 1, "dilation": 2, "dtype": D("float64")},
                [S(x(1, 2, 7, 7))],
            ),
            ("MaxPool2d", (2,), {}, [S(x(2, 3, 6, 6)), S(x(3, 5, 5))]),
            ("MaxPool2d", (3, 2, 1), {"ceil_mode": True, "return_indices": True}, [S(x(1, 2, 6, 6))]),
            ("AvgPool2d", (2,), {}, [S(x(2, 3, 6, 6))]),
            ("AvgPool2d", (3, 2, 1), {"ceil_mode": True, "count_include_pad": False}, [S(x(1, 2, 6, 6))]),
            ("BatchNorm1d", (3,), {"dtype": D("float64")}, [S(x(4, 3)), S(x(4, 3, 5)), S(x(1, 3)), S(x(4, 2))]),
            ("BatchNorm2d", (3,), {"dtype": D("float64")}, [S(x(2, 3, 4, 4)), S(x(3, 4, 4))]),
            ("ReLU", (), {}, [S(x(2, 3))]),
            ("LeakyReLU", (0.2,), {}, [S(x(2, 3))]),
            ("Tanh", (), {}, [S(x(2, 3))]),
            ("Sigmoid", (), {}, [S(x(2, 3))]),
            ("Softmax", (1,), {}, [S(x(2, 3)), S(x(2, 3, 4))]),
            ("LogSoftmax", (-1,), {}, [S(x(2, 3)), S(x())]),
            ("Flatten", (), {}, [S(x(2, 3, 4)), S(x(2))]),
            ("Identity", (), {}, [S(x(2, 3))]),
            ("Dropout", (0.0,), {}, [S(x(2, 3))]),
            ("CrossEntropyLoss", (), {}, [S(x(4, 3), T(np.array([0, 2, 1, 2])))]),
            (
                "CrossEntropyLoss",
                (),
                {"label_smoothing": 0.1, "reduction": "sum"},
                [S(x(4, 3), T(np.array([0, 2, 1, 2])))],
            ),
            ("NLLLoss", (), {"ignore_index": 1}, [S(x(4, 3), T(np.array([0, 2, 1, 2])))]),
            ("MSELoss", (), {"reduction": "none"}, [S(x(2, 3), x(2, 3))]),
        ]
    ],
    # keyword variants, Python numbers as operands, more index forms
    OpEntry(
        "torch.sum",
        fn("sum"),
        these(
            S(x(2, 3), dim=1, keepdim=True),
            S(x(2, 3), dim=(0, 1)),
            S(x(2, 3, dtype="int32"), dtype=D("float64")),
            S(x(2, 3), 1, True, dtype=D("float32")),
        ),
    ),
    OpEntry(
        "torch.max",
        fn("max"),
        these(S(x(2, 3), dim=1), S(x(2, 3), dim=1, keepdim=True), S(x(2, 3), x(2, 3)), S(x(2, 3), other=x(3))),
    ),
    OpEntry("torch.min", fn("min"), these(S(x(2, 3), dim=0), S(x(2, 3), 1, True))),
    OpEntry(
        "torch.clamp",
        fn("clamp"),
        these(
            S(x(2, 3), min=-0.5, max=0.5),
            S(x(2, 3), -0.5),
            S(x(2, 3), max=x(3)),
            S(x(2, 3), min=0.5, max=-0.5),
            S(x(2, 3, dtype="int64"), min=0, max=2),
            S(x(2, 3, dtype="int64"), min=x(3)),
        ),
    ),
    OpEntry(
        "torch.where",
        fn("where"),
        these(
            S(x(2, 3, dtype="bool"), 1.0, 0.0),
            S(x(2, 3, dtype="bool"), x(2, 3, dtype="float32"), 0),
            S(x(2, 3, dtype="bool"), x(2, 3, dtype="int32"), 2.5),
            S(x(2, 3, dtype="bool"), input=x(2, 3), other=x(2, 3)),
        ),
    ),
    OpEntry("Tensor.transpose", method("transpose"), these(S(x(2, 3), dim0=0, dim1=1))),
    OpEntry("torch.cat", fn("cat"), these(S(tensors=[x(2, 3), x(2, 3)], dim=1), S((x(2, 3), x(1, 3)), dim=0))),
    OpEntry("torch.vstack", fn("vstack"), these(S([x(3), x(3)]), S([x(2, 3), x(1, 3)]), S([x(2, 3), x(3)]))),
    OpEntry("torch.row_stack", fn("row_stack"), these(S([x(3), x(3)]), S([x(2, 3), x(1, 3)]))),
    OpEntry("torch.hstack", fn("hstack"), these(S([x(3), x(2)]), S([x(2, 3), x(2, 1)]), S([x(), x()]))),
    OpEntry("torch.dstack", fn("dstack"), these(S([x(3), x(3)]), S([x(2, 3), x(2, 3)]), S([x(2, 2, 1), x(2, 2, 3)]))),
    OpEntry("torch.column_stack", fn("column_stack"), these(S([x(3), x(3)]), S([x(3, 2), x(3)]), S([x(), x()]))),
    OpEntry("torch.clone", fn("clone"), these(S(x(2, 3)), S(x()))),
    OpEntry("torch.isin", fn("isin"), these(S(x(2, 3), x(4)), S(x(5), x(3), invert=True)), grad=False),
    OpEntry("Tensor.flatten", method("flatten"), these(S(x(2, 3, 4), start_dim=1), S(x(2, 3, 4), end_dim=1))),
    OpEntry("Tensor.squeeze", method("squeeze"), these(S(x(1, 3), dim=0), S(x(1, 3, 1), dim=(0, 2)))),
    OpEntry(
        "torch.pow",
        fn("pow"),
        these(
            S(2, x(2, 3)),
            S(x(2, 3), exponent=2),
            S(2.5, x(2, 3, dtype="int64")),
            S(x(2, 3, dtype="int64"), 2.5),
            S(x(2, 3, dtype="int64"), x(2, 3)),
        ),
    ),
    OpEntry("torch.softmax", fn("softmax"), these(S(x(2, 3), dim=1), S(x(2, 3), -1, dtype=D("float32")))),
    OpEntry(
        "torch.mean",
        fn("mean"),
        these(S(x(2, 3, 4), dim=(0, 1)), S(x(2, 3), dim=[1], keepdim=True), S(x(2, 3), dtype=D("float32"))),
    ),
    OpEntry(
        "Tensor.std",
        method("std"),
        these(S(x(2, 3), dim=0, keepdim=True), S(x(2, 3), 0, False), S(x(2, 3), unbiased=False)),
    ),
    OpEntry(
        "Tensor.norm",
        method("norm"),
        these(
            S(x(2, 3), p=2, dim=1), S(x(2, 3), dim=1), S(x(2, 3), p="fro"), S(x(2, 3), 1.5), S(x(2, 3), p=float("-inf"))
        ),
    ),
    OpEntry("torch.argmax", fn("argmax"), these(S(x(2, 3), dim=1, keepdim=True), S(x(2, 3), 1))),
    OpEntry(
        "Tensor.to",
        method("to"),
        these(S(x(2, 3), D("float64")), S(x(2, 3), dtype=D("float32")), S(x(2, 3), "cpu", dtype=D("int32"))),
    ),
    OpEntry("Tensor.type", method("type"), these(S(x(2, 3), D("float32")), S(x(2, 3)), S(x(2, 3), "torch.LongTensor"))),
    OpEntry("torch.exp", fn("exp"), these(S(2.0), S([1.0, 2.0]))),
    OpEntry("torch.add", fn("add"), these(S(2, x(3)), S(x(3), 2, alpha=2), S(x(3), other=x(3)))),
    OpEntry("torch.mul", fn("mul"), these(S(2, x(3)), S(x(3), other=2))),
    OpEntry(
        "torch.matmul",
        fn("matmul"),
        these(S(x(2, 3), other=x(3, 2)), S(x(5, 2, 3), x(5, 3, 2)), S(x(2, 1, 2, 3), x(3, 3, 2)), S(x(3), x(2, 3, 4))),
    ),
    OpEntry("Tensor.expand", method("expand"), these(S(x(3, 1), 3, 4), S(x(3, 1), size=(3, 4)))),
    OpEntry(
        "Tensor.repeat",
        method("repeat"),
        these(
            S(x(2, 3), (2, 2)),
        ),
    ),
    OpEntry(
        "Tensor.permute",
        method("permute"),
        these(
            S(x(2, 3, 4), dims=(2, 0, 1)),
        ),
    ),
    OpEntry("Tensor.view", method("view"), these(S(x(2, 3), size=(3, 2)), S(x(2, 3), dtype=D("int64")))),
    OpEntry(
        "Tensor.reshape",
        method("reshape"),
        these(
            S(x(2, 3), shape=(3, 2)),
        ),
    ),
    OpEntry(
        "torch.stack",
        fn("stack"),
        these(
            S(tensors=[x(2), x(2)], dim=1),
        ),
    ),
    OpEntry(
        "Tensor.unsqueeze",
        method("unsqueeze"),
        these(
            S(x(2, 3), dim=1),
        ),
    ),
    OpEntry(
        "torch.var", fn("var"), these(S(x(2, 3), 1, keepdim=True), S(x(2, 3), dim=1, correction=0), S(x(2, 3), (0, 1)))
    ),
    OpEntry(
        "torch.std",
        fn("std"),
        these(
            S(x(2, 3), 1, True, True),
        ),
    ),
    OpEntry(
        "Tensor.max",
        method("max"),
        these(S(x(2, 3), dim=1), S(x(2, 3, dtype="int64"), 1), S(x(2, 3), x(2, 3, dtype="float32"))),
    ),
    OpEntry(
        "Tensor.sum",
        method("sum"),
        these(S(x(2, 3, dtype="bool")), S(x(2, 3, dtype="uint8")), S(x(2, 3, dtype="int32"), 0)),
    ),
    OpEntry("Tensor.mean", method("mean"), these(S(x(2, 3), (0, -1)), S(x(2, 3), dim=None))),
    OpEntry("Tensor.all", method("all"), these(S(x(2, 3, dtype="float32")), S(x(2, 3, dtype="int64"), 1))),
    OpEntry(
        "Tensor.equal",
        method("equal"),
        these(
            S(x(2, 3), x(2, 3, dtype="float32")),
        ),
    ),
    OpEntry(
        "Tensor.clone",
        method("clone"),
        these(
            S(x(2, 3, view="T")),
        ),
    ),
    OpEntry(
        "Tensor.__getitem__",
        method("__getitem__"),
        these(
            S(x(4, 3), (slice(None), [0, 2])),
            S(x(4, 3), ([0, 1], [1, 2])),
            S(x(4, 3), (Ellipsis, None)),
            S(x(4, 3), (T(np.array([True, False, True, False])), 1)),
            S(x(4, 3), T(np.array([[0, 1], [2, 3]]))),
            S(x(4, 3), slice(1, 100)),
            S(x(4, 3), -5),
        ),
    ),
    OpEntry(
        "F.softmax",
        functional("softmax"),
        these(
            S(x(2, 3), dim=1, dtype=D("float64")),
        ),
    ),
    OpEntry(
        "F.cross_entropy",
        functional("cross_entropy"),
        these(
            S(x(4, 3), T(np.array([0, 1, 2, 0])), reduction="mean", weight=T(np.ones(3), grad=False)),
            S(x(3), T(np.array(1))),
            S(x(2, 3, 2), T(np.array([[0, 1], [2, 0]]))),
        ),
    ),
    OpEntry("F.mse_loss", functional("mse_loss"), these(S(x(2, 3), x(3)), S(x(2, 3), x(2, 3, dtype="float32")))),
    OpEntry(
        "F.linear", functional("linear"), these(S(x(2, 3), x(4, 3), bias=x(4)), S(x(2, 3, dtype="float32"), x(4, 3)))
    ),
    OpEntry(
        "F.relu",
        functional("relu"),
        these(
            S(x(2, 3, dtype="int64")),
        ),
    ),
    OpEntry(
        "F.leaky_relu",
        functional("leaky_relu"),
        these(
            S(x(2, 3), 0.2, True),
        ),
    ),
    OpEntry(
        "F.max_pool2d",
        functional("max_pool2d"),
        these(S(x(1, 1, 4, 4), kernel_size=2, stride=2), S(x(1, 1, 5, 5), (2, 3))),
    ),
    OpEntry(
        "F.avg_pool2d", functional("avg_pool2d"), these(S(x(1, 1, 4, 4), kernel_size=2), S(x(1, 1, 5, 5), 3, padding=1))
    ),
    OpEntry(
        "F.nll_loss",
        functional("nll_loss"),
        these(
            S(x(4, 3), T(np.array([0, 1, 2, 0])), reduction="none"),
        ),
    ),
]


# ----- names added after the table was first written (sequence ops, random ops, more layers) -----
def seeded(f: Callable[..., Any], seed: int = 0) -> Callable[..., Any]:
    """f(*args) right after lib.manual_seed(seed): the streams are PyTorch's, so the values must agree."""

    def call(lib: Any, *a: Any, **k: Any) -> Any:
        lib.manual_seed(seed)
        return f(lib, *a, **k)

    return call


def with_lib(f: Callable[..., Any]) -> Callable[..., Any]:
    """f(lib, *args): for checks written against the library as a whole (seeds, generators)."""
    return lambda lib, *a, **k: f(lib, *a, **k)


def seeded_every(name: str, samples: Callable[[], Iterator[Sample]], **options: Any) -> list[OpEntry]:
    """torch.name and Tensor.name, each called right after manual_seed(0)."""
    return [
        OpEntry(f"torch.{name}", seeded(lambda lib, *a, **k: getattr(lib, name)(*a, **k)), samples, **options),
        OpEntry(f"Tensor.{name}", seeded(lambda lib, t, *a, **k: getattr(t, name)(*a, **k)), samples, **options),
    ]


def _prob(shape: tuple[int, ...], dtype: str) -> np.ndarray:
    return make(shape, dtype, 0.05, 0.95)


def _distinct(shape: tuple[int, ...], dtype: str) -> np.ndarray:
    """Distinct whole numbers (as floats): no ties, whose order PyTorch leaves to its kernel."""
    return _rng.permutation(math.prod(shape)).reshape(shape).astype(dtype)


def _idx(*values: Any) -> T:
    return T(np.array(values))


def _mask(*shape: int) -> T:
    return x(*shape, dtype="bool")


def _rng_state_round_trip(lib: Any) -> Any:
    lib.manual_seed(3)
    state = lib.get_rng_state()
    first = lib.rand(3)
    lib.set_rng_state(state)
    return state, first, lib.rand(3)


def _generator_round_trip(lib: Any, seed: int) -> Any:
    g = lib.Generator().manual_seed(seed)
    state = g.get_state()
    first = lib.rand(3, generator=g)
    g.set_state(state)
    return first, lib.rand(3, generator=g), lib.randn(2, generator=g)


_BYTE_RESAMPLING = "uint8 bilinear: PyTorch's byte kernel rounds fixed-point weights; we round float32 results"


def _byte_resampling(sample: Sample) -> bool:
    return "uint8" in repr(sample.args) and sample.kwargs.get("mode", "nearest") != "nearest"


_ACTIVATIONS = [
    ("elu", "ELU", [S(x(2, 3)), S(x(2, 3), alpha=0.5), S(x())]),
    ("gelu", "GELU", [S(x(2, 3)), S(x(2, 3), approximate="tanh"), S(x(0)), S(x(2), approximate="bad")]),
    ("hardtanh", "Hardtanh", [S(x(2, 3)), S(x(2, 3), -0.5, 0.5), S(x(2, 3), min_val=1.0, max_val=-1.0)]),
    ("logsigmoid", "LogSigmoid", [S(x(2, 3)), S(x())]),
    ("relu6", "ReLU6", [S(x(2, 3, gen=lambda s, d: make(s, d, -8, 8)))]),
    ("silu", "SiLU", [S(x(2, 3)), S(x(0))]),
    ("softplus", "Softplus", [S(x(2, 3)), S(x(2, 3), beta=2.0, threshold=1.0)]),
    ("softmin", "Softmin", [S(x(2, 3), 1), S(x(2, 3), dim=0), S(x(2, 3), 1, dtype=D("float64"))]),
]

_LOSSES = [
    ("l1_loss", "L1Loss", [S(x(2, 3), x(2, 3)), S(x(2, 3), x(3), reduction="sum"), S(x(0), x(0))]),
    ("huber_loss", "HuberLoss", [S(x(2, 3), x(2, 3)), S(x(2, 3), x(2, 3), reduction="none", delta=0.5)]),
    ("smooth_l1_loss", "SmoothL1Loss", [S(x(2, 3), x(2, 3)), S(x(2, 3), x(2, 3), beta=0.5, reduction="sum")]),
    (
        "kl_div",
        "KLDivLoss",
        [
            S(x(2, 3), x(2, 3, gen=_prob)),
            S(x(2, 3), x(2, 3), reduction="batchmean", log_target=True),
            S(x(2, 3), x(2, 3, gen=_prob), reduction="sum"),
        ],
    ),
    (
        "binary_cross_entropy",
        "BCELoss",
        [
            S(x(2, 3, gen=_prob), x(2, 3, gen=_prob)),
            S(x(2, 3, gen=_prob), x(2, 3, gen=_prob), reduction="sum"),
            S(x(2, 3, gen=_prob), x(2, 3, gen=_prob), reduction="none"),
            S(x(2, 3, gen=_prob), x(3, gen=_prob)),
            S(x(0, gen=_prob), x(0, gen=_prob)),
        ],
    ),
    (
        "binary_cross_entropy_with_logits",
        "BCEWithLogitsLoss",
        [
            S(x(2, 3), x(2, 3, gen=_prob)),
            S(x(2, 3), x(2, 3, gen=_prob), reduction="none"),
            S(x(2, 3), x(2, 3, gen=_prob), pos_weight=x(3, gen=positive)),
            S(x(2, 3), x(2, 3, gen=_prob), x(3, gen=positive, grad=False), reduction="sum"),
            S(x(2, 3), x(2, 2, gen=_prob)),
        ],
    ),
    (
        "margin_ranking_loss",
        "MarginRankingLoss",
        [S(x(4), x(4), _idx(1.0, -1.0, 1.0, -1.0)), S(x(4), x(4), _idx(1.0, -1.0, 1.0, 1.0), margin=0.5)],
    ),
    (
        "cosine_embedding_loss",
        "CosineEmbeddingLoss",
        [
            S(x(3, 4), x(3, 4), _idx(1, -1, 1)),
            S(x(3, 4), x(3, 4), _idx(1, -1, -1), margin=0.2, reduction="sum"),
            S(x(4), x(4), _idx(-1)),
        ],
    ),
]


def _functional_and_module(rows: list[tuple[str, str, list[Sample]]], inputs: int, **options: Any) -> list[OpEntry]:
    """F.<f>(*sample) and nn.<M>(*options)(*inputs) for the same samples: a sample's first `inputs` arguments
    are the module's inputs, the rest (and the keywords) its constructor's arguments."""
    out = []
    for f, m, samples in rows:
        out.append(OpEntry(f"F.{f}", functional(f), these(*samples), **options))
        for s in samples:
            ctor = s.args[inputs:]
            if any(isinstance(v, T | D) for v in (*ctor, *s.kwargs.values())):
                continue
            out.append(OpEntry(f"nn.{m}", module(m, *ctor, **s.kwargs), these(S(*s.args[:inputs])), **options))
    return out


TABLE += [
    *_functional_and_module(_ACTIVATIONS, 1),
    *_functional_and_module(_LOSSES[:-2], 2),
    *_functional_and_module(_LOSSES[-2:], 3),
    # sequence ops
    *every(
        "split",
        these(S(x(5, 3), 2), S(x(5, 3), [2, 3]), S(x(5, 3), 2, 1), S(x(5, 3), [1, 1]), S(x(0, 3), 2), S(x(5, 3), 0)),
    ),
    *every("chunk", these(S(x(5, 3), 2), S(x(5, 3), 3, 1), S(x(5, 3), chunks=2, dim=-1), S(x(), 1), S(x(4), 0))),
    *every("unbind", these(S(x(2, 3)), S(x(2, 3), 1), S(x(0, 3)), S(x(2, 3), dim=-1), S(x()))),
    *every(
        "gather",
        these(
            S(x(3, 4), 1, _idx([0, 3], [1, 1], [2, 0])),
            S(x(3, 4), 0, _idx([0, 2, 1, 0])),
            S(x(3, 4), dim=-1, index=_idx([3], [0], [1])),
            S(x(3, 4), 1, _idx([0, 4], [1, 1], [2, 0])),
            S(x(3, 4), 1, T(np.array([[0.0]]))),
        ),
    ),
    *[
        entry
        for name, inplace in [("scatter", False), ("scatter_", True), ("scatter_add", False), ("scatter_add_", True)]
        for entry in every(
            name,
            these(
                S(x(3, 4, grad=not inplace), 1, _idx([0, 3], [1, 2], [2, 0]), x(3, 2)),
                S(x(3, 4, grad=not inplace), 0, _idx([0, 2, 1, 0]), x(1, 4)),
                S(x(3, 4, grad=not inplace), 1, _idx([0, 4], [1, 1], [2, 0]), x(3, 2)),
                S(x(3, 4, grad=not inplace), 1, _idx([0, 3]), x(1, 2, dtype="float32")),
                *([S(x(3, 4, grad=not inplace), 1, _idx([0, 3], [1, 2], [2, 0]), 1.5)] if "add" not in name else []),
            ),
            torch_fn=not inplace,
            inplace=inplace,
            grad=not inplace,
        )
    ],
    *every(
        "index_select",
        these(
            S(x(3, 4), 0, _idx(2, 0)),
            S(x(3, 4), 1, _idx(1, 1, 3)),
            S(x(3, 4), dim=-1, index=_idx(0)),
            S(x(), 0, _idx(0)),
            S(x(3, 4), 0, _idx(3)),
            S(x(3, 4), 0, _idx([0, 1])),
        ),
    ),
    *every(
        "cumsum",
        these(
            S(x(2, 3), 1),
            S(x(2, 3), dim=0),
            S(x(), 0),
            S(x(0, 3), 0),
            S(x(2, 3), 1, dtype=D("float32")),
            S(x(2, 3), 2),
        ),
    ),
    *every(
        "sort",
        these(
            S(x(2, 5)),
            S(x(2, 5), 0),
            S(x(2, 5), descending=True),
            S(x(2, 5), dim=0, descending=True, stable=True),
            S(x()),
            S(x(0, 3)),
            S(x(2, 5), 2),
        ),
    ),
    *every("argsort", these(S(x(2, 5)), S(x(2, 5), 0), S(x(2, 5), descending=True), S(x()), S(x(2, 5), 2))),
    *every(
        "topk",
        these(
            S(x(2, 5, gen=_distinct), 2),
            S(x(2, 5, gen=_distinct), 1, 0),
            S(x(2, 5, gen=_distinct), k=3, largest=False),
            S(x(2, 5, gen=_distinct), 0),
            S(x(2, 5, gen=_distinct), 6),
            S(x(), 1),
        ),
    ),
    *every(
        "roll",
        these(
            S(x(2, 3), 1),
            S(x(2, 3), 1, 0),
            S(x(2, 3), (1, 2), (0, 1)),
            S(x(2, 3), shifts=-4, dims=1),
            S(x(0, 3), 1),
            S(x(2, 3), (1, 2), 0),
        ),
    ),
    *every("flip", these(S(x(2, 3), (0,)), S(x(2, 3), [0, 1]), S(x(2, 3), dims=(-1,)), S(x(), ()), S(x(2, 3), (2,)))),
    *every(
        "bmm",
        these(S(x(2, 3, 4), x(2, 4, 5)), S(x(0, 3, 4), x(0, 4, 2)), S(x(3, 4), x(4, 5)), S(x(2, 3, 4), x(2, 3, 5))),
    ),
    *every("log1p", unary(gen=lambda s, d: make(s, d, 0, 3))),
    *every("log2", unary(gen=positive)),
    *every("log10", unary(gen=positive)),
    *every(
        "histc",
        these(S(x(10), bins=4), S(x(10), 5, 0, 1), S(x(0), bins=3), S(x(2, 3), bins=3, min=-1, max=1)),
        grad=False,
    ),
    *every(
        "histogram",
        these(
            S(x(10), 4),
            S(x(10), bins=3, range=(-1.0, 1.0)),
            S(x(10), 4, density=True),
            S(x(10), x(4, gen=lambda s, d: np.array([-3.0, -1.0, 0.0, 3.0]))),
            S(x(6), 3, weight=x(6, gen=positive)),
        ),
        grad=False,
    ),
    *every(
        "masked_fill",
        these(
            S(x(2, 3), _mask(2, 3), 0.5),
            S(x(2, 3), _mask(3), -1),
            S(x(2, 3), _mask(2, 3), x()),
            S(x(2, 3), T(np.array([1, 0, 1])), 0.5),
            S(x(2, 3), _mask(2, 3), x(1)),
        ),
    ),
    OpEntry(
        "Tensor.masked_fill_",
        method("masked_fill_"),
        these(S(x(2, 3), _mask(2, 3), 0.5), S(x(2, 3), _mask(3), 2), S(x(3), _mask(2, 3), 0.5)),
        inplace=True,
        grad=False,
    ),
    *[
        entry
        for name in ("tril", "triu")
        for entry in every(
            name,
            these(S(x(3, 4)), S(x(3, 4), 1), S(x(3, 4), diagonal=-1), S(x(2, 3, 3)), S(x(0, 2)), S(x(3))),
        )
    ],
    *[
        OpEntry(
            f"Tensor.{name}_", method(f"{name}_"), these(S(x(3, 4)), S(x(3, 4), 1), S(x(3))), inplace=True, grad=False
        )
        for name in ("tril", "triu")
    ],
    OpEntry(
        "torch.einsum",
        fn("einsum"),
        these(
            S("ij,jk->ik", x(2, 3), x(3, 4)),
            S("bij,bjk->bik", x(2, 2, 3), x(2, 3, 2)),
            S("ii->i", x(3, 3)),
            S("i,i->", x(3), x(3)),
            S("ij->ji", x(2, 3)),
            S("ij,jk", [x(2, 3), x(3, 4)]),
            S("...ij->...ji", x(2, 2, 3)),
            S("ij,jk->ik", x(2, 3), x(4, 4)),
        ),
    ),
    # more shapes, keywords and refusals for the sequence ops
    *every("split", these(S(x(5, 3), 2, dim=-1), S(x(), 1), S(x(5, 3), [5, 0]))),
    *every("chunk", these(S(x(0, 3), 2), S(x(5, 3), 10), S(x(5, 3), 2, 2))),
    *every("unbind", these(S(x(2, 3), 2), S(x(2, 0), 1))),
    *every(
        "gather",
        these(
            S(x(), 0, T(np.array(0))),
            S(x(3, 4), 1, T(np.zeros((3, 0), dtype=np.int64))),
            S(x(3, 4), 1, T(np.array([[0], [1], [2]], dtype=np.int32))),
        ),
    ),
    *every(
        "index_select",
        these(S(x(3, 4), 0, T(np.array(1))), S(x(3, 4), 1, T(np.zeros(0, dtype=np.int64))), S(x(3, 4), 2, _idx(0))),
    ),
    *every("cumsum", these(S(x(2, 3), dim=-1, dtype=D("int64")), S(x(2, 3), -3))),
    *every("roll", these(S(x(), 1), S(x(2, 3), 1, 2), S(x(2, 3), shifts=(1,), dims=(1,)))),
    *every("flip", these(S(x(0, 3), (0,)), S(x(2, 3), (0, 0)), S(x(2, 3), 0))),
    *every("sort", these(S(x(2, 5, gen=_distinct), -1, True), S(x(0), descending=True))),
    *every("topk", these(S(x(0, 3), 0), S(x(2, 5, gen=_distinct), 2, sorted=True), S(x(2, 5), -1))),
    *every("bmm", these(S(x(2, 3, 4), x(2, 4, 5, dtype="float32")), S(x(2, 0, 4), x(2, 4, 0)))),
    *[
        entry
        for name in ("tril", "triu")
        for entry in every(name, these(S(x(3, 4), diagonal=10), S(x(3, 4), -10), S(x(2, 0, 3))))
    ],
    *every(
        "masked_fill", these(S(x(), T(np.array(True)), 1.0), S(x(0, 3), _mask(3), 1.0), S(x(2, 3), _mask(2, 3), 2.5))
    ),
    *every("histc", these(S(x(10), bins=0), S(x(10), 4, 1, 0), S(x(10), 4, 1, 1)), grad=False),
    *every("histogram", these(S(x(10), 0), S(x(10), 3, range=(1.0, -1.0)), S(x(0), 3)), grad=False),
    *seeded_every(
        "multinomial",
        these(S(x(3, gen=positive), 0), S(x(0, 3, gen=positive), 2), S(x(2, 3, 4, gen=positive), 1)),
        grad=False,
    ),
    OpEntry(
        "torch.einsum",
        fn("einsum"),
        these(
            S("ij->", x(0, 3)),
            S("i,j->ij", x(2), x(3)),
            S("ij,jk", x(2, 3), x(3, 2)),
            S("bij,bjk->bik", x(2, 2, 3), x(1, 3, 2)),
            S("ij->k", x(2, 3)),
            S("ij", x(2, 3), x(2, 3)),
        ),
    ),
    OpEntry("Tensor.type_as", method("type_as"), these(S(x(2), x(2, dtype="bool")), S(x(), x(0, dtype="uint8")))),
    OpEntry(
        "Tensor.new_full",
        method("new_full"),
        these(S(x(2), (), 2), S(x(2), (2,), True, dtype=D("bool")), S(x(2, dtype="uint8"), (0, 2), 1)),
    ),
    OpEntry("Tensor.new_zeros", method("new_zeros"), these(S(x(2), size=(2,)), S(x(2), (-1,)))),
    # activations in place, on 0-d and size-0 inputs
    *[
        OpEntry(
            f"F.{n}",
            functional(n),
            these(
                S(x(2, 3, grad=False), inplace=True), S(x(grad=False), inplace=True), S(x(0, grad=False), inplace=True)
            ),
            inplace=True,
            grad=False,
        )
        for n in ("elu", "hardtanh", "relu6", "silu")
    ],
    *[
        OpEntry(f"F.{n}", functional(n), these(S(x()), S(x(0)), S(x(2, 3, view="step")), S(x(3, 2, view="T"))))
        for n in ("elu", "gelu", "hardtanh", "logsigmoid", "relu6", "silu", "softplus")
    ],
    # random: more dtypes, sizes and refusals
    *[
        OpEntry(f"torch.{n}", seeded(lambda lib, *a, n=n, **k: getattr(lib, n)(*a, **k)), these(*samples), grad=False)
        for n, samples in [
            ("rand_like", [S(x(3, dtype="int64")), S(x(3, dtype="int64"), dtype=D("float32")), S(x())]),
            ("randn_like", [S(x(0, 2)), S(x(2), dtype=D("float32"))]),
            ("randint_like", [S(x(3), 5, 2), S(x(3), 0), S(x(3, dtype="uint8"), 300), S(x(0), 4)]),
            ("normal", [S(x(0), x(0)), S(x(3), x(2)), S(0.0, 1.0, size=(0,)), S(x(3), -1.0)]),
        ]
    ],
    OpEntry(
        "Tensor.exponential_",
        seeded(lambda lib, t, *a, **k: t.exponential_(*a, **k)),
        these(S(x(0)), S(x(3), -1.0), S(x(3), 0.0)),
        inplace=True,
        grad=False,
    ),
    OpEntry(
        "Tensor.random_",
        seeded(lambda lib, t, *a, **k: t.random_(*a, **k)),
        these(S(x(3, dtype="int32"), -5, 5), S(x(3, dtype="uint8"), 0, 300), S(x(3, dtype="bool")), S(x(0), 3)),
        inplace=True,
        grad=False,
    ),
    # layers' refusals
    OpEntry(
        "F.conv_transpose2d",
        functional("conv_transpose2d"),
        these(
            S(x(1, 2, 3, 3), x(3, 3, 2, 2)),
            S(x(1, 2, 3, 3), x(2, 3, 2, 2), stride=2, output_padding=2),
            S(x(0, 2, 3, 3), x(2, 3, 2, 2)),
            S(x(1, 2, 3, 3), x(2, 3, 2, 2), x(3), padding=(1, 0)),
        ),
    ),
    OpEntry(
        "nn.MultiheadAttention",
        module("MultiheadAttention", 4, 2, dtype=D("float64")),
        these(
            S(x(3, 2, 5), x(3, 2, 5), x(3, 2, 5)),
            S(x(3, 2, 4), x(5, 2, 4), x(4, 2, 4)),
            S(x(0, 2, 4), x(3, 2, 4), x(3, 2, 4)),
        ),
    ),
    # generators: the state round trip, a seed per generator
    OpEntry(
        "torch.Generator",
        with_lib(lambda lib, s: lib.Generator().manual_seed(s).get_state()),
        these(S(0), S(123)),
        grad=False,
    ),
    OpEntry("torch.Generator", with_lib(lambda lib, s: lib.Generator().manual_seed(s).initial_seed()), these(S(9))),
    OpEntry("torch.Generator", with_lib(_generator_round_trip), these(S(5)), grad=False),
    OpEntry("torch.set_rng_state", with_lib(lambda lib: lib.set_rng_state(lib.zeros(3))), these(S())),
    # losses: reductions and shapes refused
    *[
        OpEntry(f"F.{n}", functional(n), these(*samples))
        for n, samples in [
            ("l1_loss", [S(x(2, 3), x(2, 3), reduction="avg"), S(x(2, 3), x(4, 3)), S(x(), x())]),
            ("smooth_l1_loss", [S(x(2, 3), x(2, 3), beta=-1.0), S(x(2, 3), x(2, 3), beta=0.0), S(x(0), x(0))]),
            ("huber_loss", [S(x(2, 3), x(2, 3), delta=0.0), S(x(), x(), reduction="sum")]),
            ("kl_div", [S(x(2, 3), x(2, 3, gen=_prob), reduction="avg"), S(x(0, 3), x(0, 3), reduction="batchmean")]),
            (
                "binary_cross_entropy",
                [
                    S(x(2, 3), x(2, 3, gen=_prob)),
                    S(x(2, 3, gen=_prob), x(2, 3, gen=_prob, dtype="float32")),
                    S(x(gen=_prob), x(gen=_prob)),
                ],
            ),
            ("binary_cross_entropy_with_logits", [S(x(), x(gen=_prob)), S(x(2, 3), x(2, 3), reduction="bad")]),
            (
                "margin_ranking_loss",
                [S(x(4), x(4), _idx(1.0, -1.0, 1.0, -1.0), reduction="none"), S(x(4), x(2, 4), x(4))],
            ),
            (
                "cosine_embedding_loss",
                [S(x(3, 4), x(3, 4), _idx(1, -1, 1), reduction="none"), S(x(3, 4), x(2, 4), _idx(1, 1, 1))],
            ),
        ]
    ],
    # pools, padding and resampling: more forms and refusals
    OpEntry(
        "F.avg_pool1d",
        functional("avg_pool1d"),
        these(
            S(x(2, 3, 7), 0),
            S(x(2, 3, 7), 2, 0),
            S(x(2, 3, 7), 3, 1, 2),
            S(x(0, 3, 7), 2),
            S(x(2, 3, 7), kernel_size=2, stride=1),
        ),
    ),
    OpEntry(
        "F.max_pool1d",
        functional("max_pool1d"),
        these(S(x(2, 3, 7), 0), S(x(2, 3, 7), 3, 1, 2), S(x(0, 3, 7), 2), S(x(2, 3, 7), kernel_size=3, padding=1)),
    ),
    OpEntry(
        "F.adaptive_max_pool2d",
        functional("adaptive_max_pool2d"),
        these(S(x(1, 2, 5, 5), (None, 3)), S(x(0, 2, 4, 4), 2), S(x(1, 2, 2, 2), 4), S(x(4, 4), 2)),
    ),
    OpEntry(
        "F.interpolate",
        functional("interpolate"),
        these(
            S(x(1, 2, 5), size=3, mode="nearest-exact"),
            S(x(1, 2, 5), scale_factor=1.5, mode="linear", align_corners=True),
            S(x(1, 2, 3, 3), scale_factor=(2, 1.5), mode="nearest"),
            S(x(1, 2, 3, 3), size=(6, 6), mode="bilinear", align_corners=False, recompute_scale_factor=None),
            S(x(2, 3), size=4),
            S(x(1, 2, 3, 3), mode="bilinear", scale_factor=2, align_corners=None),
        ),
        differs=_BYTE_RESAMPLING,
        differs_if=_byte_resampling,
    ),
    OpEntry(
        "F.pad",
        functional("pad"),
        these(
            S(x(1, 2, 3, 3), (1, 1, 1, 1), mode="reflect"),
            S(x(2, 3, 3), (2, 0, 0, 2), mode="replicate"),
            S(x(1, 2, 3, 3), (1, 1), mode="circular"),
            S(x(2, 3), (1, 1, 1, 1, 1, 1)),
            S(x(2, 3), pad=(0, 0), value=2.0),
        ),
    ),
    # the empty batch without gradients: torch 2.13's PixelShuffleBackward0 fails on it
    OpEntry(
        "F.pixel_shuffle",
        functional("pixel_shuffle"),
        these(S(x(2, 1, 4, 2, 2), 2), S(x(0, 4, 2, 2, grad=False), 2), S(x(4, 2), 2)),
    ),
    OpEntry(
        "F.unfold",
        functional("unfold"),
        these(S(x(2, 3, 3), 2), S(x(1, 2, 2, 2), 3), S(x(1, 2, 4, 4), 2, stride=0), S(x(0, 2, 4, 4), 2)),
    ),
    # PyTorch's keyword names on the free functions
    *[
        OpEntry(f"torch.{n}", fn(n), these(*samples))
        for n, samples in [
            ("split", [S(x(5, 3), split_size_or_sections=[2, 3], dim=0), S(tensor=x(4), split_size_or_sections=2)]),
            ("chunk", [S(input=x(5, 3), chunks=2, dim=1)]),
            ("unbind", [S(input=x(2, 3), dim=1)]),
            ("gather", [S(input=x(3, 4), dim=1, index=_idx([0, 3], [1, 1], [2, 0]))]),
            ("scatter", [S(input=x(3, 4), dim=1, index=_idx([0, 3], [1, 2], [2, 0]), src=x(3, 2))]),
            ("scatter", [S(x(3, 4), 1, _idx([0, 3], [1, 2], [2, 0]), value=2.0)]),
            ("scatter_add", [S(input=x(3, 4), dim=0, index=_idx([0, 2, 1, 0]), src=x(1, 4))]),
            ("index_select", [S(input=x(3, 4), dim=0, index=_idx(2, 0))]),
            ("cumsum", [S(input=x(2, 3), dim=1)]),
            ("sort", [S(input=x(2, 5, gen=_distinct), dim=0, descending=True)]),
            ("argsort", [S(input=x(2, 5, gen=_distinct), dim=1, descending=True)]),
            ("topk", [S(input=x(2, 5, gen=_distinct), k=2, dim=1, largest=True, sorted=True)]),
            ("roll", [S(input=x(2, 3), shifts=1, dims=0)]),
            ("flip", [S(input=x(2, 3), dims=(0, 1))]),
            ("bmm", [S(input=x(2, 3, 4), mat2=x(2, 4, 2))]),
            ("masked_fill", [S(input=x(2, 3), mask=_mask(2, 3), value=0.5)]),
            ("tril", [S(input=x(3, 3), diagonal=1)]),
            ("triu", [S(input=x(3, 3), diagonal=-1)]),
            ("log1p", [S(input=x(3, gen=positive))]),
            ("histc", [S(input=x(10), bins=4, min=-1, max=1)]),
        ]
    ],
    # PyTorch's keyword names on the methods
    *[
        OpEntry(f"Tensor.{n}", method(n), these(*samples), inplace=n.endswith("_"), grad=not n.endswith("_"))
        for n, samples in [
            ("split", [S(x(5, 3), split_size=2, dim=0)]),
            ("chunk", [S(x(5, 3), chunks=2, dim=1)]),
            ("gather", [S(x(3, 4), dim=1, index=_idx([0, 3], [1, 1], [2, 0]))]),
            ("scatter_", [S(x(3, 4, grad=False), dim=1, index=_idx([0, 3], [1, 2], [2, 0]), src=x(3, 2))]),
            ("scatter_add_", [S(x(3, 4, grad=False), dim=1, index=_idx([0, 3], [1, 2], [2, 0]), src=x(3, 2))]),
            ("index_select", [S(x(3, 4), dim=1, index=_idx(3, 0))]),
            ("masked_fill", [S(x(2, 3), mask=_mask(2, 3), value=-1.0)]),
            ("masked_fill_", [S(x(2, 3, grad=False), mask=_mask(2, 3), value=-1.0)]),
            ("topk", [S(x(2, 5, gen=_distinct), k=2, largest=False)]),
            ("roll", [S(x(2, 3), shifts=(1, 1), dims=(0, 1))]),
            ("bmm", [S(x(2, 3, 4), mat2=x(2, 4, 2))]),
            ("cumsum", [S(x(2, 3), dim=0)]),
            ("tril_", [S(x(3, 3, grad=False), diagonal=-1)]),
            ("new_full", [S(x(2), size=(2, 2), fill_value=3.0)]),
            ("histc", [S(x(10), bins=3, min=-2, max=2)]),
        ]
    ],
    OpEntry(
        "Tensor.random_",
        seeded(lambda lib, t, *a, **k: t.random_(*a, **k)),
        these(S(x(3, dtype="int64"), **{"from": 2, "to": 5}), S(x(3, dtype="int64"), to=4)),
        inplace=True,
        grad=False,
    ),
    OpEntry(
        "Tensor.multinomial",
        seeded(lambda lib, t, *a, **k: t.multinomial(*a, **k)),
        these(S(x(4, gen=positive), num_samples=3, replacement=True)),
        grad=False,
    ),
    # tensor facts and constructors from a tensor
    OpEntry("Tensor.itemsize", prop("itemsize"), unary()),
    OpEntry("Tensor.nbytes", prop("nbytes"), unary()),
    OpEntry(
        "Tensor.type_as", method("type_as"), these(S(x(2, 3), x(2, dtype="int32")), S(x(2, 3, dtype="bool"), x(1)))
    ),
    OpEntry(
        "Tensor.new_zeros", method("new_zeros"), these(S(x(2), (2, 3)), S(x(2), 3, 1), S(x(2), (2,), dtype=D("int32")))
    ),
    OpEntry("Tensor.new_ones", method("new_ones"), these(S(x(2), (2, 3)), S(x(2, dtype="int64"), 3), S(x(2), 0))),
    OpEntry("Tensor.new_full", method("new_full"), these(S(x(2), (2, 3), 1.5), S(x(2, dtype="int64"), (2,), 7))),
    OpEntry(
        "Tensor.new_empty", method("new_empty"), these(S(x(2), (2, 3)), S(x(2), 3, dtype=D("int64"))), values=False
    ),
    OpEntry(
        "Tensor.new_tensor",
        method("new_tensor"),
        these(S(x(2), [1, 2]), S(x(2, dtype="int32"), [1.5]), S(x(2), [[1], [2]], dtype=D("int64"))),
    ),
    OpEntry(
        "Tensor.new_tensor",
        method("new_tensor"),
        these(S(x(2), []), S(x(2), True), S(x(2, dtype="uint8"), [[1, 2]], dtype=D("float32")), S(x(2), [[1], [2, 3]])),
    ),
    OpEntry(
        "Tensor.apply_",
        method("apply_"),
        these(S(x(2, 3, grad=False), lambda v: v * 2 + 1), S(x(3, dtype="int64"), lambda v: v - 1)),
        inplace=True,
        grad=False,
    ),
    # random: the same seed gives the same numbers
    OpEntry(
        "Tensor.random_",
        seeded(lambda lib, t, *a, **k: t.random_(*a, **k)),
        these(S(x(2, 3, dtype="float32"), 0, 10), S(x(2, 3, dtype="int64"), 5), S(x(4, dtype="uint8")), S(x(3), 5, 2)),
        inplace=True,
        grad=False,
    ),
    OpEntry(
        "Tensor.exponential_",
        seeded(lambda lib, t, *a, **k: t.exponential_(*a, **k)),
        these(S(x(2, 3, dtype="float32")), S(x(5), 2.0), S(x(5), lambd=0.5), S(x(3, dtype="int64"))),
        inplace=True,
        grad=False,
    ),
    *seeded_every(
        "bernoulli",
        these(S(x(2, 3, gen=_prob)), S(x(4, gen=_prob, dtype="float32")), S(x(0, gen=_prob)), S(x(3), 0.5)),
        grad=False,
    ),
    OpEntry(
        "Tensor.bernoulli_",
        seeded(lambda lib, t, *a, **k: t.bernoulli_(*a, **k)),
        these(S(x(2, 3, dtype="float32"), 0.3), S(x(4), x(4, gen=_prob)), S(x(3), p=0.5), S(x(3), 1.5)),
        inplace=True,
        grad=False,
    ),
    *seeded_every(
        "multinomial",
        these(
            S(x(5, gen=positive), 3),
            S(x(2, 4, gen=positive), 2),
            S(x(5, gen=positive), 8, True),
            S(x(3, gen=positive), num_samples=2, replacement=False),
            S(x(3, gen=positive), 4),
            S(x(3), 2),
        ),
        grad=False,
    ),
    *[
        OpEntry(f"torch.{n}", seeded(lambda lib, *a, n=n, **k: getattr(lib, n)(*a, **k)), these(*samples), grad=False)
        for n, samples in [
            ("rand_like", [S(x(2, 3)), S(x(2, 3, dtype="float32")), S(x(0)), S(x(2), dtype=D("float64"))]),
            ("randn_like", [S(x(2, 3)), S(x(2, 3, dtype="float32")), S(x(3, dtype="int64"))]),
            ("randint_like", [S(x(2, 3), 5), S(x(2, 3, dtype="int64"), 2, 9), S(x(4), high=3)]),
            (
                "normal",
                [
                    S(x(3), x(3, gen=positive)),
                    S(0.0, 1.0, size=(2, 3)),
                    S(x(2, 3), 1.0),
                    S(1.0, x(4, gen=positive)),
                    S(x(2, 3), x(3, gen=positive)),
                    S(2.0, 0.5, (4,), dtype=D("float64")),
                    S(0.0, -1.0, size=(2,)),
                ],
            ),
        ]
    ],
    OpEntry("torch.get_rng_state", with_lib(_rng_state_round_trip), these(S()), grad=False),
    OpEntry("torch.set_rng_state", with_lib(_rng_state_round_trip), these(S()), grad=False),
    OpEntry(
        "torch.initial_seed",
        with_lib(lambda lib, s: (lib.manual_seed(s), lib.initial_seed())[1]),
        these(S(5), S(2**40)),
    ),
    OpEntry("torch.seed", with_lib(lambda lib: type(lib.seed())), these(S())),
    OpEntry(
        "torch.Generator",
        with_lib(lambda lib, s, n: lib.randn(n, generator=lib.Generator().manual_seed(s))),
        these(S(1, 3), S(7, 5)),
        grad=False,
    ),
    OpEntry(
        "torch.default_generator",
        with_lib(lambda lib, s: (lib.default_generator.manual_seed(s).initial_seed(), lib.rand(3))),
        these(S(4)),
        grad=False,
    ),
    # layer functions
    OpEntry(
        "F.adaptive_avg_pool2d",
        functional("adaptive_avg_pool2d"),
        these(
            S(x(2, 3, 6, 6), 2),
            S(x(1, 2, 5, 7), (2, 3)),
            S(x(2, 5, 5), 1),
            S(x(1, 1, 5, 5), (None, 2)),
            S(x(1, 1, 2, 2), 3),
            S(x(0, 1, 4, 4), 2),
            S(x(4, 4), 2),
        ),
    ),
    OpEntry(
        "F.adaptive_max_pool2d",
        functional("adaptive_max_pool2d"),
        these(S(x(2, 3, 6, 6), 2), S(x(1, 2, 5, 7), (2, 3)), S(x(2, 5, 5), 3, return_indices=True)),
    ),
    OpEntry(
        "F.avg_pool1d",
        functional("avg_pool1d"),
        these(
            S(x(2, 3, 8), 2),
            S(x(2, 3, 7), 3, 2, 1),
            S(x(3, 7), 3, ceil_mode=True),
            S(x(1, 2, 7), 3, 2, 1, count_include_pad=False),
        ),
    ),
    OpEntry(
        "F.max_pool1d",
        functional("max_pool1d"),
        these(
            S(x(2, 3, 8), 2),
            S(x(2, 3, 7), 3, 2, 1),
            S(x(3, 7), 3, ceil_mode=True),
            S(x(1, 2, 6), 2, return_indices=True),
        ),
    ),
    OpEntry(
        "F.conv1d",
        functional("conv1d"),
        these(
            S(x(2, 3, 7), x(4, 3, 3)),
            S(x(2, 3, 7), x(4, 3, 3), x(4), stride=2, padding=1),
            S(x(3, 7), x(4, 3, 3)),
            S(x(1, 4, 7), x(4, 2, 3), groups=2, dilation=2),
            S(x(1, 2, 6), x(3, 2, 2), padding="same"),
            S(x(2, 3, 7), x(4, 2, 3)),
            S(x(0, 3, 7), x(4, 3, 3)),
            S(x(2, 3, 2), x(4, 3, 3)),
            S(x(2, 3, 7), x(4, 3, 3), stride=0),
        ),
    ),
    OpEntry(
        "F.conv_transpose2d",
        functional("conv_transpose2d"),
        these(
            S(x(1, 2, 3, 3), x(2, 3, 2, 2)),
            S(x(1, 2, 3, 3), x(2, 3, 3, 3), x(3), stride=2, padding=1, output_padding=1),
            S(x(1, 4, 3, 3), x(4, 1, 2, 2), groups=2),
            S(x(2, 3, 3), x(2, 3, 2, 2), dilation=2),
            S(x(1, 3, 3, 3), x(2, 3, 2, 2)),
        ),
    ),
    OpEntry(
        "F.cosine_similarity",
        functional("cosine_similarity"),
        these(
            S(x(3, 4), x(3, 4)),
            S(x(3, 4), x(1, 4), dim=1),
            S(x(3, 4), x(3, 4), 0, 1e-3),
            S(x(4), x(4), dim=0),
            S(x(0, 4), x(0, 4)),
            S(x(3, 4), x(2, 4)),
        ),
    ),
    OpEntry(
        "F.dropout2d",
        functional("dropout2d"),
        these(S(x(2, 3, 4, 4), 0.0), S(x(2, 3, 4, 4), 1.0), S(x(2, 3, 4, 4), 0.5, training=False), S(x(2, 3, 4), 1.5)),
        grad=False,
    ),
    *[
        OpEntry(f"F.{name}", functional(name),
                these(S(x(*shape), 0.0), S(x(*shape), 1.0), S(x(*shape), 0.5, training=False), S(x(*shape), 1.5)),
                grad=False)
        for name, shape in (("alpha_dropout", (2, 3)), ("feature_alpha_dropout", (2, 3, 4)))
    ],
    OpEntry(
        "F.embedding",
        functional("embedding"),
        these(
            S(_idx([0, 2], [4, 2]), x(5, 3)),
            S(_idx(1, 0, 1), x(5, 3), padding_idx=0),
            S(_idx(3), x(5, 3)),
            S(_idx(5), x(5, 3)),
            S(_idx(-1), x(5, 3)),
            S(T(np.zeros((0, 2), dtype=np.int64)), x(5, 3)),
            S(_idx(0, 1), x(5, 3), padding_idx=-1),
            S(_idx(0, 1), x(5, 3), padding_idx=5),
            S(T(np.array([0.0, 1.0])), x(5, 3)),
        ),
    ),
    OpEntry(
        "F.group_norm",
        functional("group_norm"),
        these(
            S(x(2, 4, 3), 2),
            S(x(2, 4, 3, 2), 2, x(4), x(4)),
            S(x(2, 4), 4, eps=1e-3),
            S(x(2, 4, 3), 3),
            S(x(0, 4, 3), 2),
            S(x(2, 4, 3), 2, x(3)),
        ),
    ),
    OpEntry(
        "F.layer_norm",
        functional("layer_norm"),
        these(
            S(x(2, 3, 4), (4,)),
            S(x(2, 3, 4), (3, 4), x(3, 4), x(3, 4)),
            S(x(2, 3), [3], weight=x(3), eps=1e-3),
            S(x(2, 3), (4,)),
            S(x(0, 3), (3,)),
            S(x(3), 3),
        ),
    ),
    OpEntry(
        "F.interpolate",
        functional("interpolate"),
        these(
            S(x(1, 2, 3, 3), scale_factor=2),
            S(x(1, 2, 3, 4), size=(5, 5)),
            S(x(1, 2, 3, 3), size=(5, 4), mode="bilinear", align_corners=False),
            S(x(1, 2, 3, 3), scale_factor=2, mode="bilinear", align_corners=True),
            S(x(1, 2, 5), size=7, mode="linear"),
            S(x(1, 2, 5), scale_factor=2),
            S(x(1, 2, 3, 3)),
            S(x(1, 2, 3, 3), size=(4, 4), scale_factor=2),
            S(x(0, 2, 3, 3), scale_factor=2),
            S(x(1, 2, 3, 3), size=4, mode="bicubic", align_corners=False),
            S(x(1, 2, 5, 5), size=(2, 3), mode="area"),
        ),
        differs=_BYTE_RESAMPLING,
        differs_if=_byte_resampling,
    ),
    OpEntry(
        "F.normalize",
        functional("normalize"),
        these(S(x(3, 4)), S(x(3, 4), p=1, dim=0), S(x(2, 3, gen=lambda s, d: np.zeros(s, d))), S(x(4), dim=0, eps=0.5)),
    ),
    OpEntry(
        "F.one_hot",
        functional("one_hot"),
        these(
            S(_idx(0, 2, 1)),
            S(_idx([0, 2], [1, 1]), 4),
            S(_idx(0, 2, 1), num_classes=2),
            S(_idx(0, -1)),
            S(T(np.array([0.0, 1.0]))),
            S(T(np.zeros(0, dtype=np.int64)), 3),
            S(_idx(0, 2), 2),
            S(T(np.zeros(0, dtype=np.int64))),
            S(T(np.array(1)), 3),
        ),
        grad=False,
    ),
    OpEntry(
        "F.pad",
        functional("pad"),
        these(
            S(x(2, 3), (1, 2)),
            S(x(2, 3), (1, 1, 2, 0), value=1.5),
            S(x(2, 3), (-1, 1)),
            S(x(1, 2, 4), (2, 1), mode="reflect"),
            S(x(1, 2, 3, 3), (1, 1, 1, 1), mode="replicate"),
            S(x(1, 2, 3, 3), (1, 2, 0, 1), "reflect"),
            S(x(1, 2, 3), (1,)),
            S(x(1, 2, 3), (3, 3), mode="reflect"),
            S(x(), (1, 1)),
            S(x(0, 3), (1, 1)),
            S(x(1, 2, 3), (1, 1), mode="circular"),
            S(x(1, 2, 3), (1, 1), mode="bogus"),
        ),
    ),
    OpEntry(
        "F.pixel_shuffle",
        functional("pixel_shuffle"),
        these(S(x(1, 8, 2, 3), 2), S(x(4, 2, 2), 2), S(x(1, 6, 2, 2), 2)),
    ),
    OpEntry("F.prelu", functional("prelu"), these(S(x(2, 3, 4), x(1)), S(x(2, 3, 4), x(3)), S(x(2, 3), x(2)))),
    OpEntry(
        "F.scaled_dot_product_attention",
        functional("scaled_dot_product_attention"),
        these(
            S(x(2, 3, 4), x(2, 5, 4), x(2, 5, 6)),
            S(x(2, 3, 4), x(2, 3, 4), x(2, 3, 4), is_causal=True),
            S(x(1, 3, 4), x(1, 5, 4), x(1, 5, 2), attn_mask=_mask(3, 5), scale=0.5),
            S(x(1, 3, 4), x(1, 5, 4), x(1, 5, 2), x(3, 5)),
            S(x(3, 4), x(5, 4), x(5, 2)),
            S(x(2, 0, 4), x(2, 3, 4), x(2, 3, 2)),
            S(x(1, 3, 4), x(1, 3, 4), x(1, 3, 4), attn_mask=_mask(3, 3), is_causal=True),
            S(x(2, 3, 4), x(2, 5, 3), x(2, 5, 2)),
        ),
    ),
    OpEntry(
        "F.unfold",
        functional("unfold"),
        these(S(x(1, 2, 4, 5), 2), S(x(1, 2, 4, 5), 2, padding=1, stride=2), S(x(2, 1, 5, 5), (2, 3), dilation=2)),
    ),
    # layers
    *[
        OpEntry(f"nn.{name}", module(name, *ctor, **kw), these(*samples))
        for name, ctor, kw, samples in [
            ("AdaptiveAvgPool2d", ((2, 3),), {}, [S(x(1, 2, 5, 7))]),
            ("AdaptiveMaxPool2d", (2,), {"return_indices": True}, [S(x(1, 2, 5, 5))]),
            ("AvgPool1d", (3, 2, 1), {}, [S(x(2, 3, 7))]),
            ("MaxPool1d", (2,), {}, [S(x(2, 3, 7)), S(x(3, 6))]),
            ("ConstantPad2d", ((1, 0, 2, 1), 0.5), {}, [S(x(1, 2, 3, 3))]),
            ("ZeroPad2d", (1,), {}, [S(x(1, 2, 3, 3))]),
            ("ReflectionPad2d", (1,), {}, [S(x(1, 2, 3, 3))]),
            ("ReplicationPad2d", ((1, 2, 0, 1),), {}, [S(x(1, 2, 3, 3))]),
            ("Conv1d", (3, 4, 3), {"dtype": D("float64")}, [S(x(2, 3, 7)), S(x(3, 5))]),
            ("Conv1d", (4, 2, 3), {"groups": 2, "padding": "same", "dtype": D("float64")}, [S(x(1, 4, 6))]),
            ("ConvTranspose2d", (2, 3, 3), {"stride": 2, "padding": 1, "dtype": D("float64")}, [S(x(1, 2, 3, 3))]),
            ("Dropout2d", (0.0,), {}, [S(x(2, 3, 4, 4))]),
            ("Embedding", (5, 3), {"dtype": D("float64")}, [S(_idx([0, 4], [2, 2])), S(_idx(5))]),
            ("Embedding", (5, 3), {"padding_idx": 1, "dtype": D("float64")}, [S(_idx(1, 0, 1))]),
            ("LayerNorm", (4,), {"dtype": D("float64")}, [S(x(2, 3, 4)), S(x(4))]),
            ("LayerNorm", ((3, 4),), {"elementwise_affine": False}, [S(x(2, 3, 4))]),
            ("GroupNorm", (2, 4), {"dtype": D("float64")}, [S(x(2, 4, 3)), S(x(2, 4, 2, 2))]),
            ("PReLU", (), {"dtype": D("float64")}, [S(x(2, 3))]),
            ("PReLU", (3,), {"dtype": D("float64")}, [S(x(2, 3, 2))]),
            ("PixelShuffle", (2,), {}, [S(x(1, 8, 2, 3))]),
            ("Unflatten", (1, (2, 3)), {}, [S(x(4, 6)), S(x(4, 5))]),
            ("Unfold", (2,), {"stride": 2}, [S(x(1, 2, 4, 4))]),
            ("Upsample", (), {"scale_factor": 2}, [S(x(1, 2, 3, 3))]),
            ("RNN", (3, 4), {"dtype": D("float64")}, [S(x(5, 2, 2)), S(x(5, 2, 3), x(2, 2, 4)), S(x(0, 2, 3))]),
            ("LSTM", (3, 4), {"dtype": D("float64")}, [S(x(5, 2, 3), x(1, 2, 4)), S(x(5, 2, 3, 1))]),
            ("GRU", (3, 4), {"dtype": D("float64")}, [S(x(5, 2, 4)), S(x(5, 0, 3))]),
            ("LSTMCell", (3, 4), {"dtype": D("float64")}, [S(x(2, 4)), S(x(0, 3))]),
            ("Embedding", (5, 3), {"dtype": D("float64")}, [S(T(np.zeros((2, 0), dtype=np.int64))), S(_idx(-1))]),
            ("LayerNorm", (4,), {"dtype": D("float64")}, [S(x(2, 3)), S(x(0, 4))]),
            ("GroupNorm", (2, 4), {"dtype": D("float64")}, [S(x(2, 3, 3)), S(x(0, 4, 2))]),
            ("Conv1d", (3, 4, 3), {"dtype": D("float64")}, [S(x(2, 4, 7)), S(x(2, 3, 2))]),
            ("MaxPool1d", (3, 2), {}, [S(x(2, 3, 2))]),
            ("AdaptiveAvgPool2d", (1,), {}, [S(x(2, 3, 4, 4)), S(x(0, 3, 4, 4))]),
            ("PixelShuffle", (2,), {}, [S(x(1, 6, 2, 2))]),
            ("Unflatten", (-1, (2, -1)), {}, [S(x(3, 4))]),
            (
                "GRU",
                (3, 4, 2),
                {"batch_first": True, "bidirectional": True, "dtype": D("float64")},
                [S(x(2, 5, 3), x(4, 2, 4)), S(x(5, 3), x(4, 4)), S(x(2, 5, 3), x(2, 2, 4))],
            ),
            ("LSTM", (3, 4), {"dtype": D("float64")}, [S(x(5, 3), (x(1, 4), x(1, 4))), S(x(5, 2, 3), (x(1, 2, 4),))]),
            ("RNN", (3, 4), {"bias": False, "dtype": D("float64")}, [S(x(1, 1, 3)), S(x(5, 2, 3), x(1, 3, 4))]),
            ("RNNCell", (3, 4), {"nonlinearity": "relu", "dtype": D("float64")}, [S(x(2, 3)), S(x(2, 3), x(3, 4))]),
            ("GRUCell", (3, 4), {"bias": False, "dtype": D("float64")}, [S(x(2, 3), x(2, 4)), S(x(2, 2))]),
            ("Embedding", (5, 3), {"dtype": D("float64")}, [S(T(np.array(2))), S(T(np.array([1, 2], dtype=np.int32)))]),
        ]
    ],
    OpEntry(
        "nn.Upsample",
        module("Upsample", (4, 5), mode="bilinear", align_corners=True),
        these(S(x(1, 2, 3, 3)), S(T(np.array([[[[217, 163, 130], [69, 78, 10], [19, 4, 44]]]], np.uint8)))),
        differs=_BYTE_RESAMPLING,
        differs_if=lambda sample: "uint8" in repr(sample.args),
    ),
    *[
        OpEntry(f"nn.{name}", module(name, *ctor, **kw), these(*samples))
        for name, ctor, kw, samples in [
            ("RNN", (3, 4), {"dtype": D("float64")}, [S(x(5, 2, 3)), S(x(5, 3)), S(x(5, 2, 3), x(1, 2, 4))]),
            (
                "RNN",
                (3, 4, 2),
                {"nonlinearity": "relu", "batch_first": True, "bidirectional": True, "dtype": D("float64")},
                [S(x(2, 5, 3))],
            ),
            ("LSTM", (3, 4), {"dtype": D("float64")}, [S(x(5, 2, 3)), S(x(5, 2, 3), (x(1, 2, 4), x(1, 2, 4)))]),
            ("LSTM", (3, 4, 2), {"batch_first": True, "bidirectional": True, "dtype": D("float64")}, [S(x(2, 5, 3))]),
            ("GRU", (3, 4), {"dtype": D("float64")}, [S(x(5, 2, 3)), S(x(5, 3))]),
            ("GRU", (3, 4, 2), {"bias": False, "bidirectional": True, "dtype": D("float64")}, [S(x(5, 2, 3))]),
            ("RNNCell", (3, 4), {"dtype": D("float64")}, [S(x(2, 3)), S(x(2, 3), x(2, 4)), S(x(3))]),
            ("LSTMCell", (3, 4), {"dtype": D("float64")}, [S(x(2, 3)), S(x(2, 3), (x(2, 4), x(2, 4)))]),
            ("GRUCell", (3, 4), {"dtype": D("float64")}, [S(x(2, 3)), S(x(3), x(4))]),
            (
                "MultiheadAttention",
                (4, 2),
                {"dtype": D("float64")},
                [S(x(3, 2, 4), x(5, 2, 4), x(5, 2, 4)), S(x(3, 4), x(3, 4), x(3, 4), need_weights=False)],
            ),
            (
                "MultiheadAttention",
                (4, 2),
                {"batch_first": True, "dtype": D("float64")},
                [
                    S(x(2, 3, 4), x(2, 3, 4), x(2, 3, 4), attn_mask=_mask(3, 3), average_attn_weights=False),
                    S(
                        x(2, 3, 4),
                        x(2, 3, 4),
                        x(2, 3, 4),
                        key_padding_mask=T(np.array([[False] * 3, [False, True, True]])),
                    ),
                ],
            ),
        ]
    ],
]


def _signs(shape: tuple[int, ...], dtype: str) -> np.ndarray:
    return np.where(_rng.random(shape) < 0.5, -1, 1).astype(dtype)


_MARGIN_LOSSES = [
    (
        "hinge_embedding_loss",
        "HingeEmbeddingLoss",
        [S(x(3, 4), x(3, 4, gen=_signs)), S(x(3, 4), x(3, 4, gen=_signs), 0.5, reduction="none"), S(x(0), x(0))],
    ),
    (
        "soft_margin_loss",
        "SoftMarginLoss",
        [S(x(3, 4), x(3, 4, gen=_signs, grad=False)), S(x(5), x(5, gen=_signs), reduction="sum")],
    ),
    (
        "multilabel_soft_margin_loss",
        "MultiLabelSoftMarginLoss",
        [S(x(3, 4), x(3, 4, gen=_prob)), S(x(3, 4), x(3, 4, gen=_prob), reduction="none")],
    ),
    (
        "multi_margin_loss",
        "MultiMarginLoss",
        [
            S(x(3, 4), _idx(1, 0, 3)),
            S(x(3, 4), _idx(1, 0, 3), 2, 0.5, reduction="none"),
            S(x(4), _idx(2)),
            S(x(3, 4), _idx(1, 0, 3), 3),
            S(x(3, 4), _idx(1, 0, 4)),
        ],
    ),
    (
        "multilabel_margin_loss",
        "MultiLabelMarginLoss",
        [S(x(2, 4), _idx([3, 0, -1, 1], [1, 2, 0, 3])), S(x(4), _idx(2, -1, 0, 0), reduction="none")],
    ),
    (
        "poisson_nll_loss",
        "PoissonNLLLoss",
        [
            S(x(3, 4), x(3, 4, gen=positive)),
            S(x(3, 4, gen=positive), x(3, 4, gen=positive), False, True, reduction="none"),
            S(x(3, 4), x(3, 4), reduction="bad"),
        ],
    ),
    ("pairwise_distance", "PairwiseDistance", [S(x(3, 4), x(3, 4)), S(x(3, 4), x(4), 1.0, 1e-3, True), S(x(4), x(4))]),
    ("cosine_similarity", "CosineSimilarity", [S(x(3, 4), x(3, 4), 0), S(x(3, 4), x(3, 4), 1, 1e-3)]),
]

TABLE += [
    *_functional_and_module(_MARGIN_LOSSES, 2),
    *_functional_and_module(
        [
            (
                "triplet_margin_loss",
                "TripletMarginLoss",
                [
                    S(x(3, 4), x(3, 4), x(3, 4)),
                    S(x(3, 4), x(3, 4), x(3, 4), 0.5, 1.0, swap=True, reduction="none"),
                    S(x(4), x(4), x(4)),
                    S(x(3, 4), x(4), x(3, 4)),
                ],
            ),
            ("gaussian_nll_loss", "GaussianNLLLoss", [S(x(3, 4), x(3, 4), x(3, 4, gen=positive))]),
        ],
        3,
    ),
    OpEntry(
        "F.gaussian_nll_loss",
        functional("gaussian_nll_loss"),
        these(
            S(x(3, 4), x(3, 4), x(3, gen=positive), full=True, reduction="sum"),
            S(x(3, 4), x(3, 4), x(3, 1, gen=positive), reduction="none"),
            S(x(3, 4), x(3, 4), 0.5),
            S(x(3, 4), x(3, 4), x(2, 4, gen=positive)),
        ),
    ),
    OpEntry(
        "F.triplet_margin_with_distance_loss",
        functional("triplet_margin_with_distance_loss"),
        these(S(x(3, 4), x(3, 4), x(3, 4)), S(x(3, 4), x(3, 4), x(3, 4), margin=0.5, swap=True, reduction="sum")),
    ),
    OpEntry(
        "nn.TripletMarginWithDistanceLoss",
        module("TripletMarginWithDistanceLoss", swap=True),
        these(S(x(3, 4), x(3, 4), x(3, 4))),
    ),
    OpEntry("F.pdist", functional("pdist"), these(S(x(4, 3)), S(x(4, 3), 1.0), S(x(4, 3), float("inf")), S(x(3)))),
]


TABLE += [
    OpEntry(
        "F.embedding_bag",
        functional("embedding_bag"),
        these(
            S(_idx(1, 2, 4, 0, 4, 3), x(5, 3), _idx(0, 3, 3)),
            S(_idx([1, 2], [4, 0]), x(5, 3), mode="max"),
            S(_idx(1, 2, 4, 0), x(5, 3), _idx(0, 1), mode="sum", per_sample_weights=x(4)),
            S(_idx(1, 2, 4, 0), x(5, 3), _idx(0, 2, 4), include_last_offset=True, padding_idx=4),
            S(_idx(1, 2, 4, 0), x(5, 3), _idx(0, 1), per_sample_weights=x(4)),
            S(_idx(1, 2, 4, 0), x(5, 3)),
        ),
    ),
    *[
        OpEntry(f"nn.{name}", module(name, *ctor, **kw), these(*samples))
        for name, ctor, kw, samples in [
            ("EmbeddingBag", (5, 3), {"mode": "sum", "dtype": D("float64")}, [S(_idx([1, 2], [4, 0]))]),
            ("EmbeddingBag", (5, 3), {"dtype": D("float64")}, [S(_idx(1, 2, 4, 0), _idx(0, 2))]),
            (
                "TransformerEncoderLayer",
                (4, 2, 8, 0.0),
                {"dtype": D("float64")},
                [S(x(3, 2, 4)), S(x(3, 2, 4), _mask(3, 3)), S(x(3, 4))],
            ),
            (
                "TransformerDecoderLayer",
                (4, 2, 8, 0.0),
                {"norm_first": True, "batch_first": True, "dtype": D("float64")},
                [S(x(2, 3, 4), x(2, 5, 4))],
            ),
            ("Transformer", (4, 2, 1, 1, 8, 0.0), {"dtype": D("float64")}, [S(x(5, 2, 4), x(3, 2, 4))]),
        ]
    ],
    OpEntry(
        "nn.TransformerEncoder",
        with_lib(lambda lib, src: lib.nn.TransformerEncoder(
            lib.nn.TransformerEncoderLayer(4, 2, 8, 0.0, dtype=lib.float64), 2)(src)),
        these(S(x(3, 2, 4))),
        values=False,
        grad=False,
    ),
    OpEntry(
        "nn.TransformerDecoder",
        with_lib(lambda lib, tgt, memory: lib.nn.TransformerDecoder(
            lib.nn.TransformerDecoderLayer(4, 2, 8, 0.0, dtype=lib.float64), 2)(tgt, memory)),
        these(S(x(3, 2, 4), x(5, 2, 4))),
        values=False,
        grad=False,
    ),
]


_MORE_ACTIVATIONS = [
    ("mish", "Mish", [S(x(2, 3)), S(x()), S(x(0))]),
    ("selu", "SELU", [S(x(2, 3)), S(x())]),
    ("celu", "CELU", [S(x(2, 3)), S(x(2, 3), 0.5), S(x(2, 3), 0.0)]),
    ("softsign", "Softsign", [S(x(2, 3)), S(x())]),
    ("tanhshrink", "Tanhshrink", [S(x(2, 3)), S(x(0))]),
    ("softshrink", "Softshrink", [S(x(2, 3)), S(x(2, 3), 1.0), S(x(2, 3), -1.0)]),
    ("hardshrink", "Hardshrink", [S(x(2, 3)), S(x(2, 3), 1.0)]),
    ("threshold", "Threshold", [S(x(2, 3), 0.5, 2.0), S(x(2, 3), 1, 5)]),
    ("hardsigmoid", "Hardsigmoid", [S(x(2, 3, gen=lambda s, d: make(s, d, -5, 5))), S(x())]),
    ("hardswish", "Hardswish", [S(x(2, 3, gen=lambda s, d: make(s, d, -5, 5))), S(x())]),
    ("glu", "GLU", [S(x(2, 4)), S(x(4, 3), 0), S(x(3)), S(x())]),
]

TABLE += [
    *_functional_and_module(_MORE_ACTIVATIONS, 1),
    OpEntry("nn.Softmax2d", module("Softmax2d"), these(S(x(2, 3, 2, 2)), S(x(3, 2, 2)), S(x(2, 3)))),
    OpEntry(
        "F.rrelu",
        seeded(functional("rrelu")),
        these(S(x(2, 3)), S(x(2, 3), 0.1, 0.3), S(x(3, 4), training=True), S(x(0), training=True)),
    ),
    OpEntry("nn.RReLU", seeded(module("RReLU")), these(S(x(3, 4)))),
    OpEntry("nn.RReLU", seeded(module("RReLU", 0.1, 0.3, inplace=True)), these(S(x(3, 4, grad=False))), grad=False),
    *[
        OpEntry(f"F.{n}", functional(n), these(*samples), inplace=True, grad=False)
        for n, samples in [
            ("relu_", [S(x(2, 3, grad=False))]),
            ("elu_", [S(x(2, 3, grad=False)), S(x(2, 3, grad=False), 0.5)]),
            ("leaky_relu_", [S(x(2, 3, grad=False), 0.2)]),
            ("hardtanh_", [S(x(2, 3, grad=False), -0.5, 0.5)]),
            ("selu_", [S(x(2, 3, grad=False))]),
            ("celu_", [S(x(2, 3, grad=False), 0.5)]),
            ("rrelu_", [S(x(2, 3, grad=False))]),
            ("threshold_", [S(x(2, 3, grad=False), 0.5, 2.0)]),
            ("mish", [S(x(2, 3, grad=False), inplace=True)]),
            ("hardswish", [S(x(2, 3, grad=False), inplace=True)]),
            ("hardsigmoid", [S(x(2, 3, grad=False), inplace=True)]),
            ("rrelu", [S(x(2, 3, grad=False), inplace=True)]),
        ]
    ],
]


def _unpool(lib: Any, x: Any, **options: Any) -> Any:
    values, indices = lib.nn.functional.max_pool2d(x, 2, return_indices=True)
    return lib.nn.functional.max_unpool2d(values, indices, 2, **options)


TABLE += [
    *[
        OpEntry(f"F.{n}", functional(n), these(*samples))
        for n, samples in [
            ("rms_norm", [S(x(2, 3, 4), (4,), x(4)), S(x(2, 3, 4), [3, 4], eps=1e-3), S(x(2, 3), (4,))]),
            ("instance_norm", [S(x(2, 3, 4)), S(x(2, 3, 2, 2), weight=x(3), bias=x(3)), S(x(2, 3, 1))]),
            ("local_response_norm", [S(x(2, 4, 3), 2), S(x(2, 4, 2, 3), 3, 0.1, 0.5, 2.0), S(x(2, 3), 2)]),
            ("bilinear", [S(x(4, 2), x(4, 3), x(5, 2, 3), x(5)), S(x(2, 4, 2), x(2, 4, 3), x(5, 2, 3))]),
            ("pixel_unshuffle", [S(x(1, 2, 4, 6), 2), S(x(2, 4, 6), 2), S(x(1, 2, 3, 4), 2)]),
            ("channel_shuffle", [S(x(1, 6, 2, 2), 3), S(x(2, 4, 3), 2), S(x(1, 6, 2, 2), 4)]),
            ("adaptive_avg_pool1d", [S(x(2, 3, 7), 3), S(x(3, 5), 5), S(x(2, 3, 4), (2,))]),
            ("adaptive_max_pool1d", [S(x(2, 3, 7), 3), S(x(3, 5), 2)]),
            ("fold", [S(x(2, 12, 6), (4, 5), (2, 3), stride=(2, 1)), S(x(8, 9), 4, 2, 1, 1, 2), S(x(1, 8, 5), 4, 2)]),
        ]
    ],
    OpEntry("F.max_unpool2d", with_lib(_unpool), these(S(x(2, 3, 4, 6)), S(x(1, 2, 5, 5), output_size=(5, 5)))),
    *[
        OpEntry(f"nn.{name}", module(name, *ctor, **kw), these(*samples))
        for name, ctor, kw, samples in [
            ("RMSNorm", (4,), {"dtype": D("float64")}, [S(x(2, 3, 4))]),
            ("RMSNorm", ((3, 4),), {"elementwise_affine": False, "eps": 1e-4}, [S(x(2, 3, 4))]),
            ("InstanceNorm1d", (3,), {"affine": True, "dtype": D("float64")}, [S(x(2, 3, 5)), S(x(3, 5))]),
            ("InstanceNorm2d", (3,), {}, [S(x(2, 3, 2, 2))]),
            ("LocalResponseNorm", (3,), {}, [S(x(2, 5, 3))]),
            ("Bilinear", (2, 3, 4), {"dtype": D("float64")}, [S(x(5, 2), x(5, 3))]),
            ("PixelUnshuffle", (2,), {}, [S(x(1, 2, 4, 6))]),
            ("ChannelShuffle", (2,), {}, [S(x(1, 4, 2, 2))]),
            ("AdaptiveAvgPool1d", (3,), {}, [S(x(2, 3, 7))]),
            ("AdaptiveMaxPool1d", (3,), {}, [S(x(2, 3, 7))]),
            ("Fold", ((4, 5), 2), {}, [S(x(1, 8, 12))]),
            ("ZeroPad1d", (2,), {}, [S(x(2, 3, 4))]),
            ("ZeroPad3d", ((1, 0, 1, 0, 0, 1),), {}, [S(x(1, 2, 2, 3))]),
            ("ConstantPad1d", ((1, 2), 0.5), {}, [S(x(2, 3, 4))]),
            ("ConstantPad3d", (1, 2.0), {}, [S(x(1, 2, 2, 3))]),
            ("ReflectionPad1d", (2,), {}, [S(x(2, 3, 4))]),
            ("ReplicationPad1d", ((1, 3),), {}, [S(x(2, 3, 4))]),
            ("CircularPad1d", (2,), {}, [S(x(2, 3, 4))]),
            ("CircularPad2d", ((1, 0, 2, 1),), {}, [S(x(1, 2, 3, 4))]),
            ("CircularPad3d", (1,), {}, [S(x(1, 2, 2, 3, 3))]),
            ("ReflectionPad3d", ((1, 0, 1, 1, 0, 1),), {}, [S(x(1, 2, 2, 3, 3))]),
            ("ReplicationPad3d", (1,), {}, [S(x(2, 2, 2, 3))]),
            ("AlphaDropout", (0.0,), {}, [S(x(2, 3))]),
            ("FeatureAlphaDropout", (0.0,), {}, [S(x(2, 3, 4))]),
            ("UpsamplingNearest2d", (), {"scale_factor": 2}, [S(x(1, 2, 3, 3))]),
        ]
    ],
    OpEntry(
        "nn.UpsamplingBilinear2d",
        module("UpsamplingBilinear2d", (4, 5)),
        these(S(x(1, 2, 3, 3)), S(T(np.array([[[[217, 163, 130], [69, 78, 10], [19, 4, 44]]]], np.uint8)))),
        differs=_BYTE_RESAMPLING,
        differs_if=lambda sample: "uint8" in repr(sample.args),
    ),
    OpEntry(
        "nn.LazyLinear",
        with_lib(lambda lib, t: lib.nn.LazyLinear(3, dtype=lib.float64)(t).shape),
        these(S(x(5, 2)), S(x(2, 4, 3))),
        grad=False,
    ),
    OpEntry(
        "nn.MaxUnpool2d",
        with_lib(lambda lib, t: lib.nn.MaxUnpool2d(2)(*lib.nn.MaxPool2d(2, return_indices=True)(t))),
        these(S(x(2, 3, 4, 6))),
    ),
]


# ----- more elementwise math: functions, methods, aliases, operators and in-place forms -----------
def _between(low: float, high: float) -> Callable[..., np.ndarray]:
    return lambda shape, dtype: make(shape, dtype, low, high)


def _special(shape: tuple[int, ...], dtype: str) -> np.ndarray:
    """NaN, infinities, signed zeros and ordinary numbers (shape ignored)."""
    return np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, 1.5, -2.5]).astype(dtype)


def _nonzero(shape: tuple[int, ...], dtype: str) -> np.ndarray:
    """Whole or fractional numbers in [-3, -1] and [1, 3] (uint8: [1, 3]): divisors without zeros."""
    values = make(shape, dtype, 1, 3)
    return values if dtype in ("uint8", "bool") else values * np.where(_rng.random(shape) < 0.5, -1, 1).astype(dtype)


_UNIT = _between(-0.9, 0.9)
_MATH_UNARY: dict[str, Callable[[], Iterator[Sample]]] = {
    "tan": unary(gen=_between(-1.2, 1.2)),
    "sinh": unary(),
    "cosh": unary(),
    "asin": unary(gen=_UNIT),
    "acos": unary(gen=_UNIT),
    "atan": unary(),
    "asinh": unary(),
    "acosh": unary(gen=_between(1.1, 4)),
    "atanh": unary(gen=_UNIT),
    "arcsin": unary(FLOATS, gen=_UNIT),
    "arccos": unary(FLOATS, gen=_UNIT),
    "arctan": unary(FLOATS),
    "arcsinh": unary(FLOATS),
    "arccosh": unary(FLOATS, gen=_between(1.1, 4)),
    "arctanh": unary(FLOATS, gen=_UNIT),
    "erf": unary(),
    "erfc": unary(),
    "erfinv": unary(gen=_UNIT),
    "expm1": unary(),
    "exp2": unary(),
    "rsqrt": unary(gen=positive),
    "reciprocal": unary(gen=_nonzero),
    "sinc": chain(unary(), these(S(x(4, gen=lambda s, d: np.array([0.0, 1.0, -0.5, 2.25]))))),
    "logit": chain(
        unary(gen=_between(0.05, 0.95)),
        these(
            S(x(5, gen=_between(-0.5, 1.5)), eps=0.1),
            S(x(5, gen=_between(0.05, 0.95)), 0.2),
            S(x(2, 3), eps=None),
            S(x(3), eps=0.7),
        ),
    ),
    "deg2rad": unary(),
    "rad2deg": unary(),
    "square": unary(),
    "frac": unary(),
    "ceil": unary(),
    "floor": unary(),
    "trunc": unary(),
    "fix": unary(FLOATS),
    "round": chain(
        unary(),
        these(S(x(2, 3), decimals=1), S(x(2, 3, gen=_between(-300, 300)), decimals=-2), S(x(2, 3), decimals=0)),
    ),
    "sign": chain(unary(), these(S(x(7, gen=_special)))),
    "sgn": unary(),
    "nan_to_num": chain(
        unary(FLOATS),
        these(
            S(x(7, gen=_special)),
            S(x(7, gen=_special), nan=1.0, posinf=2.0, neginf=-2.0),
            S(x(7, gen=_special), 0.5, None, -1.0),
            S(x(7, gen=_special, dtype="float32"), posinf=1e30),
        ),
    ),
    "lgamma": unary(),
    "digamma": unary(),
    "i0": unary(),
    "negative": unary(),
    "absolute": unary(),
    "logical_not": unary(),
    "bitwise_not": unary(),
}
"""Functions of one tensor: torch.f and Tensor.f (and Tensor.f_ where PyTorch has it) share these samples."""

_NO_GRAD_UNARY = {
    "signbit": chain(unary(), these(S(x(7, gen=_special)))),
    "isinf": chain(unary(), these(S(x(7, gen=_special)))),
    "isposinf": chain(unary(), these(S(x(7, gen=_special)))),
    "isneginf": chain(unary(), these(S(x(7, gen=_special)))),
    "isreal": unary(),
    "positive": unary(),
}
"""Functions of one tensor without an in-place form."""

_SHIFTS = binary(rhs=_between(0, 3))
_MATH_BINARY: dict[str, Callable[[], Iterator[Sample]]] = {
    "atan2": chain(binary(), these(S(x(3), x(3, gen=lambda s, d: np.zeros(3))))),
    "arctan2": binary(FLOATS),
    "hypot": binary(),
    "xlogy": chain(
        binary(rhs=positive),
        these(S(T(np.array([0.0, 0.0, 1.0, 2.0])), T(np.array([0.0, 2, 3, 0])))),
    ),
    "copysign": chain(binary(), these(S(x(5, gen=_special), x(5, gen=_special)))),
    "remainder": chain(
        binary(rhs=_nonzero, scalars=(2, 1.5, -2, True)),
        these(S(x(3, dtype="int64"), 0), S(x(3, dtype="int64"), x(3, dtype="int64", gen=lambda s, d: np.zeros(3)))),
    ),
    "fmod": chain(binary(rhs=_nonzero, scalars=(2, 1.5, -2, True)), these(S(x(3, dtype="int32"), 0))),
    "true_divide": binary(rhs=_nonzero),
    "float_power": binary(gen=positive, scalars=(2, 0.5, -1)),
    "multiply": binary(),
    "subtract": chain(binary(), these(S(x(2, 3), x(3), alpha=2))),
    "divide": chain(binary(rhs=_nonzero), binary(NUMERIC, rhs=positive, rounding_mode="floor")),
    "greater": binary(),
    "greater_equal": binary(),
    "less": binary(),
    "less_equal": binary(),
    "not_equal": binary(),
    "logical_and": binary(),
    "logical_or": binary(),
    "logical_xor": binary(),
    "bitwise_and": binary(),
    "bitwise_or": binary(),
    "bitwise_xor": binary(),
    "bitwise_left_shift": chain(_SHIFTS, these(S(x(3, dtype="int64"), T(np.array([70, -1, 63]))))),
    "bitwise_right_shift": chain(
        _SHIFTS,
        these(
            S(T(np.array([-8, 8, -1])), T(np.array([70, -1, 63]))),
            S(T(np.array([200, 8, 1], np.uint8)), T(np.array([9, 7, 255], np.uint8))),
        ),
    ),
    "ldexp": chain(binary(rhs=_between(-2, 3)), these(S(x(3), x(3, dtype="int64")))),
    "gcd": binary(NUMERIC),
    "lcm": binary(NUMERIC),
    "clamp_min": chain(unary(min=-1), these(S(x(2, 3), x(3)), S(x(2, 3, dtype="int64"), 0.5), S(x(2, 3), 0))),
    "clamp_max": chain(unary(max=1), these(S(x(2, 3), x(3)), S(x(2, 3, dtype="int64"), 0.5), S(x(2, 3), 0))),
    "lerp": these(
        S(x(2, 3), x(2, 3), 0.3),
        S(x(2, 3), x(3), x(2, 1)),
        S(x(2, 3), x(2, 3), 2),
        S(x(2, 3), end=x(2, 3), weight=0.7),
        S(x(2, 3), x(2, 3, dtype="float32"), 0.5),
        S(x(2, 3), x(2, 3), x(3, dtype="float32")),
        S(x(3), x(2, 3), 0.5),
    ),
    "addcmul": these(
        S(x(2, 3), x(2, 3), x(3)),
        S(x(2, 3), x(3), x(2, 1), value=0.5),
        S(x(3), x(3, dtype="int64"), x(3), value=2),
        S(x(3, dtype="int64"), x(3, dtype="int64"), x(3, dtype="int64"), value=2),
        S(x(3, dtype="int64"), x(3, dtype="int64"), x(3, dtype="int64"), value=0.5),
        S(x(3), x(2, 3), x(3)),
    ),
    "addcdiv": these(
        S(x(2, 3), x(2, 3), x(3, gen=_nonzero)),
        S(x(2, 3), x(3), x(2, 1, gen=_nonzero), value=0.5),
        S(x(3, dtype="int64"), x(3), x(3, dtype="int64", gen=positive)),
        S(x(3), x(3, dtype="int64"), x(3, dtype="int64", gen=positive)),
    ),
}
"""Functions of two (or three) tensors with an in-place form: torch.f, Tensor.f and Tensor.f_."""

_NO_GRAD_BINARY = {
    "isclose": chain(
        binary(scalars=()),
        these(
            S(x(5, gen=_special), x(5, gen=_special)),
            S(x(5, gen=_special), x(5, gen=_special), equal_nan=True),
            S(x(3), x(3), rtol=0.5, atol=0.1),
            S(x(3), 1.0),
        ),
    ),
    "logaddexp": binary(),
    "logaddexp2": binary(),
    "fmax": chain(binary(), these(S(x(5, gen=_special), T(np.array([1.0, np.nan, 0.0, 2.0, np.nan]))))),
    "fmin": chain(binary(), these(S(x(5, gen=_special), T(np.array([1.0, np.nan, 0.0, 2.0, np.nan]))))),
}
"""Functions of two tensors without an in-place form (gradients compared where they have one)."""

_NOT_DIFFERENTIABLE = {
    "floor_divide": binary(rhs=_nonzero),
    "heaviside": chain(binary(scalars=()), these(S(x(5, gen=_special), x(5, gen=_special)))),
}
"""PyTorch records these with a node that refuses backward: values only."""

_IN_PLACE_OF_EXISTING = {
    **{n: these(S(x(2, 3)), S(x(3, 2, view="T")), S(x(3, dtype="int64"))) for n in ("exp", "sin", "cos", "tanh")},
    **{n: these(S(x(2, 3)), S(x(3, 2, view="T")), S(x(3, dtype="int64"))) for n in ("sigmoid", "relu", "neg", "abs")},
    **{n: these(S(x(2, 3, gen=positive)), S(x(3, dtype="int64", gen=positive))) for n in ("log", "sqrt", "log1p")},
    **{n: these(S(x(2, 3, gen=positive)), S(x(3, dtype="int64", gen=positive))) for n in ("log2", "log10")},
    "clip": these(S(x(2, 3), -1, 1), S(x(3, dtype="int64"), min=0)),
    **{n: binary(scalars=(1, 0.5), mixed=True) for n in ("eq", "ne", "lt", "le", "gt", "ge")},
}
"""The in-place forms of the ops that were there before (Tensor.exp_, Tensor.lt_, ...)."""

def _without_bool(sample: Sample) -> bool:
    """torch 2.13's backward of atan2 and logaddexp2 fails when the other operand is a bool tensor."""
    return "bool" not in repr(sample)


def _one_dtype(sample: Sample) -> bool:
    """torch 2.13's backward of addcdiv (and lerp, addcmul) with an integer tensor among float64 ones fails, and
    ldexp's gives self a zero gradient when the exponent is an integer 0-d tensor."""
    return len({a.array.dtype for a in sample.args if isinstance(a, T)}) == 1


def _in_place_entry(name: str, samples: Callable[[], Iterator[Sample]]) -> OpEntry:
    return OpEntry(f"Tensor.{name}_", method(f"{name}_"), samples, inplace=True, grad=False)


def _dunder(name: str, f: Callable[..., Any], samples: Callable[[], Iterator[Sample]], **options: Any) -> OpEntry:
    return OpEntry(f"Tensor.{name}", op(f), samples, grad=False, **options)


def _reflected(f: Callable[..., Any]) -> Callable[..., Any]:
    return op(lambda a, b: f(b, a))


_SCALAR_LEFT = these(*(S(x(2, 3, dtype=d, gen=_nonzero), s) for d in NUMERIC for s in (2, 3)))

TABLE += [
    *(e for n, s in _MATH_UNARY.items() for e in every(n, s, grad=n != "sgn")),  # torch's sgn grad: a ZeroTensor
    *(_in_place_entry(n, s) for n, s in _MATH_UNARY.items() if n not in ("logit", "nan_to_num", "round")),
    _in_place_entry("logit", these(S(x(2, 3, gen=_between(0.05, 0.95))), S(x(3), eps=0.2))),
    _in_place_entry("nan_to_num", these(S(x(7, gen=_special)), S(x(7, gen=_special), nan=1.0, posinf=2.0))),
    _in_place_entry("round", these(S(x(2, 3)), S(x(2, 3), decimals=1), S(x(3, dtype="int64")))),
    *(e for n, s in _NO_GRAD_UNARY.items() for e in every(n, s)),
    *(
        e
        for n, s in _MATH_BINARY.items()
        for e in every(n, s, grad_if=_one_dtype if n in ("lerp", "addcmul", "addcdiv", "ldexp") else _without_bool)
    ),
    *(
        _in_place_entry(n, lambda n=n: (s for s in _MATH_BINARY[n]() if s.args and isinstance(s.args[0], T)))
        for n in _MATH_BINARY
        if n not in ("lerp", "addcmul", "addcdiv", "float_power", "clamp_min", "clamp_max")
    ),
    *(_in_place_entry(n, _MATH_BINARY[n]) for n in ("lerp", "addcmul", "addcdiv", "clamp_min", "clamp_max")),
    _in_place_entry(
        "float_power",
        these(S(x(2, 3, gen=positive), 2), S(x(2, 3, gen=positive), x(3)), S(x(3, dtype="float32", gen=positive), 2)),
    ),
    *(e for n, s in _NO_GRAD_BINARY.items() for e in every(n, s, grad_if=_without_bool)),
    *(e for n, s in _NOT_DIFFERENTIABLE.items() for e in every(n, s, grad=False)),
    *(_in_place_entry(n, s) for n, s in _NOT_DIFFERENTIABLE.items()),
    *(_in_place_entry(n, s) for n, s in _IN_PLACE_OF_EXISTING.items()),
    *every("neg", unary(), tensor_method=False),
    *(e for n in ("lt", "le", "gt", "ge") for e in every(n, binary(), tensor_method=False)),
    _dunder("__xor__", operator.xor, binary()),
    _dunder("__lshift__", operator.lshift, _SHIFTS),
    _dunder("__rshift__", operator.rshift, _SHIFTS),
    _dunder("__mod__", operator.mod, binary(rhs=_nonzero)),
    _dunder("__floordiv__", operator.floordiv, binary(rhs=_nonzero)),
    *(
        _dunder(n, _reflected(f), _SCALAR_LEFT)
        for n, f in [
            ("__rand__", operator.and_),
            ("__ror__", operator.or_),
            ("__rxor__", operator.xor),
            ("__rlshift__", operator.lshift),
            ("__rrshift__", operator.rshift),
            ("__rmod__", operator.mod),
            ("__rfloordiv__", operator.floordiv),
        ]
    ),
    *(
        _dunder(n, f, binary(scalars=(2,), mixed=False, rhs=_between(1, 3)), inplace=True)
        for n, f in [
            ("__iand__", operator.iand),
            ("__ior__", operator.ior),
            ("__ixor__", operator.ixor),
            ("__ilshift__", operator.ilshift),
            ("__irshift__", operator.irshift),
            ("__imod__", operator.imod),
            ("__ifloordiv__", operator.ifloordiv),
            ("__ipow__", operator.ipow),
        ]
    ),
    OpEntry(  # torch 2.13 has no derivative of remainder(number, tensor)
        "torch.remainder", fn("remainder"), these(S(5, x(3, gen=_nonzero)), S(-2.5, x(3, gen=_nonzero))), grad=False
    ),
    OpEntry("torch.xlogy", fn("xlogy"), these(S(2.0, x(3, gen=positive)), S(0, x(3, gen=positive)))),
    OpEntry(
        "Tensor.polygamma",
        method("polygamma"),
        these(S(x(2, 3, gen=positive), 1), S(x(3, gen=positive), 2), S(x(3), 0), S(x(3), n=3), S(x(3), -1)),
    ),
    OpEntry("torch.polygamma", fn("polygamma"), these(S(1, x(2, 3, gen=positive)), S(n=2, input=x(3, gen=positive)))),
    _in_place_entry("polygamma", these(S(x(2, 3, gen=positive), 1), S(x(3, dtype="int64"), 1))),
    # out=: the result written into the given tensor (resized, in its dtype), refused where autograd is involved
    *(
        OpEntry(f"torch.{n}", fn(n), these(*samples), grad=False)
        for n, samples in [
            ("exp", [S(x(3), out=x(3)), S(x(3), out=x(0)), S(x(3), out=x(3, dtype="int64")), S(x(2, 3), out=x(2, 3))]),
            ("tan", [S(x(3), out=x(3, dtype="float32")), S(x(3, dtype="int64"), out=x(3))]),
            ("atan2", [S(x(3), x(3), out=x(3)), S(x(2, 3), x(3), out=x(1))]),
            ("sort", [S(x(2, 3), out=(x(0), T(np.zeros(0, np.int64))))]),
            ("add", [S(x(3), x(3), out=x(3)), S(x(3), 2, alpha=2, out=x(3, dtype="float32"))]),
            ("mul", [S(x(3), x(3), out=x(3, dtype="int32"))]),
            ("div", [S(x(3), x(3, gen=positive), out=x(3))]),
            ("sub", [S(x(3), x(3), out=x(0))]),
            ("clamp_min", [S(x(3), 0.5, out=x(3))]),
            ("matmul", [S(x(2, 3), x(3, 4), out=x(2, 4)), S(x(3), x(3), out=x(0))]),
            ("mm", [S(x(2, 3), x(3, 4), out=x(0))]),
            ("pow", [S(x(3), 2, out=x(3)), S(2, x(3), out=x(3))]),
            ("cat", [S([x(2), x(3)], out=x(5)), S([x(2, 3), x(2, 3)], 1, out=x(0))]),
            ("stack", [S([x(2), x(2)], out=x(2, 2)), S([x(2), x(2)], dim=1, out=x(1))]),
            ("where", [S(T(np.array([True, False, True])), x(3), x(3), out=x(3))]),
        ]
    ),
    *(
        OpEntry(f"torch.{n}", fn(n), these(*samples))
        for n, samples in [
            ("exp", [S(x(3), out=x(3, grad=False)), S(x(3, grad=False), out=x(3))]),
            ("add", [S(x(3), x(3, grad=False), out=x(3, grad=False))]),
        ]
    ),
]


# ----- more reductions, shapes and linear algebra ------------------------------------------------------------
def linalg(name: str) -> Callable[..., Any]:
    return lambda lib, *a, **k: getattr(lib.linalg, name)(*a, **k)


def _spd(shape: tuple[int, ...], dtype: str) -> np.ndarray:
    """Symmetric positive-definite matrices (a batch when shape has more than 2 dims)."""
    a = make(shape, "float64", -1, 1)
    return (a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(dtype)


def _lower_cholesky(shape: tuple[int, ...], dtype: str) -> np.ndarray:
    return np.linalg.cholesky(_spd(shape, dtype))


def _upper_cholesky(shape: tuple[int, ...], dtype: str) -> np.ndarray:
    return _lower_cholesky(shape, dtype).T.copy()


def _well_conditioned(shape: tuple[int, ...], dtype: str) -> np.ndarray:
    return (make(shape, "float64", -1, 1) + 3 * np.eye(shape[-1], M=shape[-2]).T).astype(dtype)


def _sign_fixed(vectors: Any, *others: Any) -> tuple[Any, ...]:
    """Eigen- and singular vectors are unique up to sign, which LAPACK's drivers choose: each column of
    `vectors` (and the matching row of each of `others`) turned so that its largest entry is positive."""
    top = vectors.gather(-2, vectors.abs().argmax(-2, keepdim=True))
    sign = top / top.abs()
    return (vectors * sign, *(o * sign.mT for o in others))


def _eigh(lib: Any, a: Any, **k: Any) -> Any:
    values, vectors = lib.linalg.eigh(a, **k)
    return values, *_sign_fixed(vectors)


def _svd(result: Any) -> Any:
    u, s, v = result
    fixed_u, fixed_vh = _sign_fixed(u, v.mT)
    return fixed_u, s, fixed_vh


def _ties(shape: tuple[int, ...], dtype: str) -> np.ndarray:
    return _rng.integers(0, 3, shape).astype(dtype)


def _with_nan(shape: tuple[int, ...], dtype: str) -> np.ndarray:
    a = _distinct(shape, dtype)
    if dtype in FLOATS and a.size:
        a.reshape(-1)[:: 3] = np.nan
    return a


def _inplace_view(name: str, *args: Any) -> Callable[..., Any]:
    """name_(*args) on a copy that stays in the graph (a leaf refuses in-place changes), returned."""
    def call(lib: Any, t: Any) -> Any:
        out = t * 1
        getattr(out, name)(*args)
        return out
    return call


_ORDER_DIMS = [S(x(2, 3, 4, gen=_distinct), 1), S(x(2, 3, 4, gen=_distinct), -1, keepdim=True),
               S(x(5, gen=_distinct), 0), S(x(gen=_distinct), 0), S(x(2, 0), 1), S(x(2, 3), 2)]

TABLE += [
    *every("prod", chain(reduction(tuples=False, dtype=None), these(S(x(2, 3), 1, dtype=D("float64")),
                                                                    S(T(np.array([[0.0, 2, 3], [0, 0, 1]])), 1),
                                                                    S(T(np.array([0.0, 2, 3])))))),
    *every("cumprod", these(S(x(2, 3), 1), S(x(4), 0), S(x(), 0), S(T(np.array([2.0, 0, 3, 0, 5])), 0),
                            S(x(2, 3, dtype="int32"), 0), S(x(2, 3), 0, dtype=D("float64")), S(x(2, 3), 2))),
    OpEntry("Tensor.cumprod_", method("cumprod_"), these(S(x(2, 3), 1), S(x(3, dtype="int64"), 0)), inplace=True,
            grad=False),
    *every("cummax", these(S(x(2, 5, gen=_distinct), 1), S(x(4, gen=_distinct), 0), S(x(), 0), S(x(0), 0),
                           S(T(np.array([1.0, np.nan, 3.0, 0.0])), 0), S(x(2, 3), 2))),
    *every("cummin", these(S(x(2, 5, gen=_distinct), 1), S(x(4, gen=_distinct), -1), S(x(), 0))),
    *every("logcumsumexp", these(S(x(2, 3), 1), S(x(4), 0), S(x(), 0), S(T(np.array([-np.inf, 0.0, 1.0])), 0),
                                 S(x(3, dtype="int64"), 0))),
    *every("median", chain(these(S(x(2, 3, 4, gen=_distinct)), S(x(5, gen=_with_nan)), S(x(0))), these(*_ORDER_DIMS),
                           these(S(x(2, 5, gen=_with_nan), 1)))),
    *every("nanmedian", these(S(x(2, 3, 4, gen=_distinct)), S(x(6, gen=_with_nan)), S(x(2, 5, gen=_with_nan), 1),
                              S(T(np.array([np.nan, np.nan])), 0), *_ORDER_DIMS[:4])),
    *every("kthvalue", these(S(x(2, 3, 4, gen=_distinct), 2), S(x(2, 3, 4, gen=_distinct), 1, 0, True),
                             S(x(5, gen=_distinct), 5), S(x(5), 6), S(x(5), 0), S(x(gen=_distinct), 1))),
    *every("mode", these(S(x(2, 7, gen=_ties)), S(x(2, 7, gen=_ties), 0), S(x(3, 6, gen=_ties), 1, True),
                         S(x(gen=_ties)), S(x(6, gen=_ties), 0)), grad=True),
    *every("quantile", these(S(x(2, 5, gen=_distinct), 0.3), S(x(2, 5, gen=_distinct), 0.3, 1),
                             S(x(2, 5, gen=_distinct), x(3, gen=lambda s, d: np.array([0.0, 0.5, 1.0])), 1, True),
                             S(x(7, gen=_distinct), 0.4, interpolation="lower"),
                             S(x(7, gen=_distinct), 0.4, interpolation="higher"),
                             S(x(7, gen=_distinct), 0.4, interpolation="nearest"),
                             S(x(7, gen=_distinct), 0.45, interpolation="midpoint"),
                             S(x(2, 5, gen=_distinct), 0.5, keepdim=True), S(x(6, gen=_with_nan), 0.5),
                             S(x(gen=_distinct), 0.5), S(x(4), 1.5), S(x(0), 0.5), S(x(4), 0.5, interpolation="bad"))),
    *every("nanquantile", these(S(x(6, gen=_with_nan), 0.5), S(x(2, 5, gen=_with_nan), 0.25, 1),
                                S(T(np.array([np.nan, np.nan])), 0.5))),
    *every("nansum", chain(reduction(tuples=False), these(S(x(6, gen=_with_nan)), S(x(2, 5, gen=_with_nan), 1)))),
    *every("nanmean", chain(these(S(x(6, gen=_with_nan)), S(x(2, 5, gen=_with_nan), 1, True), S(x(2, 3)), S(x(0)),
                                  S(x(2, 3, dtype="int64"))))),
    *every("count_nonzero", these(S(x(2, 3, gen=_ties)), S(x(2, 3, gen=_ties), 1), S(x(2, 3, gen=_ties), (0, 1)),
                                  S(x()), S(x(0)))),
    *every("aminmax", these(S(x(2, 3)), S(x(2, 3), dim=1), S(x(2, 3), dim=0, keepdim=True), S(x()), S(x(0)),
                            S(x(2, 3), keepdim=True))),
    OpEntry("torch.std_mean", fn("std_mean"), these(S(x(2, 3)), S(x(2, 3), 1), S(x(2, 3), 1, keepdim=True),
                                                    S(x(2, 3), (0, 1), correction=0), S(x(2, 3), 1, False))),
    OpEntry("torch.var_mean", fn("var_mean"), these(S(x(2, 3)), S(x(2, 3), 1), S(x(2, 3), 0, keepdim=True),
                                                    S(x(2, 3), correction=2))),
    *every("unique", these(S(x(8, gen=_ties)), S(x(2, 4, gen=_ties), return_inverse=True, return_counts=True),
                           S(x(3, 2, gen=_ties), dim=0, return_inverse=True), S(x(gen=_ties)), S(x(0))), grad=False),
    *every("unique_consecutive", these(S(x(8, gen=_ties)), S(x(8, gen=_ties), return_inverse=True,
                                                             return_counts=True),
                                       S(x(4, 2, gen=_ties), dim=0, return_counts=True), S(x(0))), grad=False),
    *every("nonzero", these(S(x(2, 3, gen=_ties)), S(x(2, 3, gen=_ties), as_tuple=True), S(x(gen=_ties)), S(x(0)))),
    *every("argwhere", these(S(x(2, 3, gen=_ties)), S(x(5, gen=_ties)))),
    *every("masked_select", these(S(x(2, 3), _mask(2, 3)), S(x(2, 3), _mask(3)), S(x(3), _mask(2, 3)),
                                  S(x(2, 3), x(2, 3, dtype="int64")))),
    *every("take", these(S(x(2, 3), _idx(0, 5, -1, 5)), S(x(2, 3), T(np.array([[1, 2], [3, 4]]))),
                         S(x(2, 3), _idx(6)), S(x(), _idx(0)))),
    *every("take_along_dim", these(S(x(2, 3), T(np.array([[0, 2], [1, 1]])), 1), S(x(2, 3), _idx(0, 5)),
                                   S(x(2, 3), T(np.array([[2], [0]])), 1), S(x(2, 3), T(np.array([[1, 0, 1]])), 0))),
    *every("narrow", these(S(x(3, 4), 1, 1, 2), S(x(3, 4), 0, -2, 2), S(x(3, 4), -1, 0, 0), S(x(3, 4), 1, 3, 2),
                           S(x(3), 0, 1, 1))),
    *every("select", these(S(x(3, 4), 1, 2), S(x(3, 4), 0, -1), S(x(3, 4), 1, 4), S(x(3), 0, 1))),
    *[e for n in ("movedim", "moveaxis") for e in every(n, these(
        S(x(2, 3, 4), 0, 2), S(x(2, 3, 4), (0, 1), (2, 0)), S(x(2, 3, 4), -1, 0), S(x(2, 3), (0, 1), (0,)),
        S(x(), 0, 0)))],
    *[e for n in ("swapaxes", "swapdims") for e in every(n, these(S(x(2, 3, 4), 0, 2), S(x(2, 3), -1, 0),
                                                                   S(x(2, 3), 0, 2)))],
    *every("unflatten", these(S(x(2, 6), 1, (2, 3)), S(x(2, 6), -1, (3, -1)), S(x(6), 0, (2, 2)))),
    OpEntry("Tensor.unfold", method("unfold"), these(S(x(2, 7), 1, 3, 2), S(x(5), 0, 2, 1), S(x(2, 3), 0, 2, 1),
                                                     S(x(4), 0, 5, 1), S(x(4), 0, 2, 0), S(x(), 0, 1, 1))),
    *every("tile", these(S(x(2, 3), (2,)), S(x(2, 3), (2, 1, 2)), S(x(), (3,)), S(x(3), (2, 2)))),
    *every("repeat_interleave", these(S(x(2, 3), 2), S(x(2, 3), 2, dim=1), S(x(2, 3), _idx(1, 0), dim=0),
                                      S(x(3), _idx(1, 2, 3)), S(x(3), _idx(1, 2)), S(x(), 3)), tensor_method=True),
    OpEntry("torch.repeat_interleave", fn("repeat_interleave"), these(S(_idx(2, 0, 1)))),
    *every("ravel", these(S(x(2, 3)), S(x()), S(x(4, 3, view="T")))),
    *every("tensor_split", these(S(x(7, 2), 3), S(x(7, 2), [1, 4]), S(x(2, 7), (2, 9), 1), S(x(5), 0), S(x(4), 6),
                                 S(x(6), [-2, 2]), S(x(6), _idx(1, 3))), ),
    *every("hsplit", these(S(x(2, 6), 3), S(x(6), [2, 3]), S(x(2, 6), 4))),
    *every("vsplit", these(S(x(4, 3), 2), S(x(4, 3), [1]), S(x(4), 2))),
    *every("dsplit", these(S(x(2, 2, 4), 2), S(x(2, 4), 2))),
    *every("rot90", these(S(x(2, 3)), S(x(2, 3), 2), S(x(2, 3), 3), S(x(2, 3), -1), S(x(2, 3), 0),
                          S(x(2, 3, 4), 1, (1, 2)), S(x(3)), S(x(2, 3), 1, (0, 0)))),
    *every("fliplr", these(S(x(2, 3)), S(x(3)))),
    *every("flipud", these(S(x(2, 3)), S(x(3)), S(x()))),
    *every("diag", these(S(x(3)), S(x(3), 1), S(x(3), -2), S(x(3, 4)), S(x(3, 4), 2), S(x(3, 4), -1),
                         S(x(2, 2, 2)))),
    *every("diag_embed", these(S(x(2, 3)), S(x(2, 3), 1), S(x(2, 3), -1, 0, 2), S(x(3), 0, 1, 0))),
    *every("diagflat", these(S(x(2, 2)), S(x(3), 1), S(x(), -1))),
    *every("diagonal", these(S(x(3, 4)), S(x(3, 4), 1), S(x(3, 4), -2), S(x(2, 3, 4), 0, 1, 2), S(x(2, 3, 4), 1, -1,
                                                                                                    0),
                             S(x(3, 4), 5), S(x(3, 4), 0, 0, 0))),
    *every("trace", these(S(x(3, 4)), S(x(3, 3, dtype="int32")), S(x(3)))),
    OpEntry("torch.tril_indices", fn("tril_indices"), these(S(3, 3), S(3, 4, 1), S(4, 3, -1), S(0, 3))),
    OpEntry("torch.triu_indices", fn("triu_indices"), these(S(3, 3), S(3, 4, 1), S(4, 3, -1), S(3, 0))),
    *[e for n in ("outer", "ger") for e in every(n, these(S(x(3), x(4)), S(x(3, dtype="int64"), x(2)),
                                                           S(x(2, 3), x(3))))],
    *every("inner", these(S(x(3), x(3)), S(x(2, 3), x(4, 3)), S(x(2, 3), x()), S(x(2, 3), x(4)))),
    *every("dot", these(S(x(3), x(3)), S(x(3, dtype="int64"), x(3, dtype="int64")), S(x(3), x(4)), S(x(2, 3), x(3)),
                        S(x(3, dtype="float32"), x(3)))),
    *every("vdot", these(S(x(3), x(3)), S(x(3), x(4)))),
    *every("mv", these(S(x(2, 3), x(3)), S(x(2, 3), x(2)), S(x(3), x(3)))),
    *every("addmm", these(S(x(2, 4), x(2, 3), x(3, 4)), S(x(4), x(2, 3), x(3, 4), beta=0.5, alpha=2),
                          S(x(2, 4), x(2, 3), x(3, 4), beta=0), S(x(3, 4), x(2, 3), x(3, 4)))),
    *every("addmv", these(S(x(2), x(2, 3), x(3)), S(x(), x(2, 3), x(3), beta=2, alpha=0.5))),
    *every("addr", these(S(x(2, 3), x(2), x(3)), S(x(3), x(2), x(3), alpha=2))),
    *every("baddbmm", these(S(x(2, 2, 4), x(2, 2, 3), x(2, 3, 4)), S(x(4), x(2, 2, 3), x(2, 3, 4), beta=0.5))),
    *every("addbmm", these(S(x(2, 4), x(2, 2, 3), x(2, 3, 4)), S(x(2, 4), x(2, 2, 3), x(2, 3, 4), alpha=3))),
    *[OpEntry(f"Tensor.{n}", method(n), these(s), inplace=True, grad=False) for n, s in (
        ("addmm_", S(x(2, 4), x(2, 3), x(3, 4))), ("addmv_", S(x(2), x(2, 3), x(3))), ("addr_", S(x(2, 3), x(2), x(3))),
        ("baddbmm_", S(x(2, 2, 4), x(2, 2, 3), x(2, 3, 4))), ("addbmm_", S(x(2, 4), x(2, 2, 3), x(2, 3, 4))))],
    *every("kron", these(S(x(2, 3), x(2, 2)), S(x(3), x(2)), S(x(2, 1, 2), x(3, 2)), S(x(2), x()))),
    *every("cross", these(S(x(2, 3), x(2, 3)), S(x(3, 2), x(3, 2), 0), S(x(2, 3), x(1, 3), dim=1),
                          S(x(2, 4), x(2, 4), 1))),
    OpEntry("torch.tensordot", fn("tensordot"), these(S(x(2, 3, 4), x(3, 4, 5)), S(x(2, 3), x(3, 2), 1),
                                                      S(x(2, 3, 4), x(4, 2), ([0, 2], [1, 0])), S(x(2, 3), x(2, 3), 0),
                                                      S(x(2, 3), x(4, 3), ([1], [0])))),
    OpEntry("torch.cdist", fn("cdist"), these(S(x(3, 2), x(4, 2)), S(x(2, 3, 2), x(2, 4, 2), 1.0),
                                              S(x(3, 2), x(4, 2), 3.0), S(x(3), x(4, 3)), S(x(3, 2), x(4, 3)))),
    *every("diff", these(S(x(2, 5)), S(x(2, 5), 2, 0), S(x(5), 1, 0, x(2), x(1)), S(x(5), 1, -1, x()),
                         S(x(5, dtype="bool")), S(x()))),
    *[e for n in ("index_add", "index_copy") for e in every(n, these(
        S(x(3, 4), 0, _idx(0, 2), x(2, 4)), S(x(3, 4), 1, _idx(3, 1, 0), x(3, 3)), S(x(3, 4), 0, _idx(0, 0), x(2, 4)),
        S(x(3, 4), 0, _idx(0), x(2, 4)), S(x(3, 4), 0, _idx(5), x(1, 4))), grad_if=lambda s, n=n: n == "index_add"
        or "_idx(0, 0)" not in repr(s))],
    *every("index_add", these(S(x(3, 4), 0, _idx(1), x(1, 4), alpha=2))),
    *every("index_fill", these(S(x(3, 4), 1, _idx(0, 2), -1.0), S(x(3, 4), 0, _idx(1), x()), S(x(3), 0, _idx(4), 0))),
    *every("index_put", these(S(x(3, 4), (_idx(0, 2),), x(2, 4)), S(x(3, 4), (_idx(0, 0), _idx(1, 1)), x(2), True),
                              S(x(3, 4), (_idx(0, 2), _idx(1, 3)), x()), S(x(3, 4), (_mask(3, 4),), x()),
                              S(x(3, 4), (_idx(0),), x(3)))),
    *every("masked_scatter", these(S(x(2, 3), _mask(2, 3), x(6)), S(x(2, 3), _mask(3), x(2, 4)),
                                   S(x(2, 3), T(np.ones((2, 3), bool)), x(2)))),
    *[e for r in ("sum", "prod", "mean", "amax", "amin") for e in every("scatter_reduce", these(
        S(x(3, 4, gen=_distinct), 0, T(np.array([[0, 1, 0, 2], [0, 0, 2, 2]])), x(2, 4, gen=_distinct), r),
        S(x(3, 4, gen=_distinct), 1, T(np.array([[0, 1], [3, 3], [1, 1]])), x(3, 2, gen=_distinct), r,
          include_self=False)))],
    *every("scatter_reduce", these(S(x(3, 4), 0, T(np.zeros((1, 4), np.int64)), x(1, 4), "mode"),
                                   S(T(np.array([1.0, 0.0, 2.0])), 0, _idx(0, 1, 1, 2),
                                     T(np.array([0.0, 3.0, 0.0, 0.0])), "prod"))),
    *[OpEntry(f"Tensor.{n}", method(n), these(s), inplace=True, grad=False) for n, s in (
        ("index_add_", S(x(3, 4), 0, _idx(0, 2), x(2, 4))), ("index_copy_", S(x(3, 4), 0, _idx(0, 2), x(2, 4))),
        ("index_fill_", S(x(3, 4), 1, _idx(0, 2), 2.0)), ("index_put_", S(x(3, 4), (_idx(0, 2),), x(4))),
        ("masked_scatter_", S(x(2, 3), _mask(2, 3), x(6))),
        ("scatter_reduce_", S(x(3, 4), 0, T(np.array([[0, 1, 0, 2]])), x(1, 4), "amax")))],
    OpEntry("torch.index_put_", fn("index_put_"), these(S(x(3, 4), (_idx(0, 2),), x(4))), inplace=True, grad=False),
    *every("bincount", these(S(_idx(0, 1, 1, 3)), S(_idx(0, 1, 1, 3), x(4)), S(_idx(0, 1), None, 5),
                             S(_idx(0, 1, 1), x(3, dtype="int64")), S(_idx(-1, 1)), S(x(2, 2, dtype="int64")),
                             S(x(3))), grad=False),
    OpEntry("torch.bucketize", fn("bucketize"), these(S(x(2, 3), x(4, gen=lambda s, d: np.array([-1.0, 0, 1, 2]))),
                                                      S(x(5), T(np.array([-1.0, 0, 1])), right=True, out_int32=True),
                                                      S(0.5, T(np.array([0.0, 1.0]))))),
    OpEntry("torch.searchsorted", fn("searchsorted"), these(
        S(T(np.array([-1.0, 0, 1, 2])), x(2, 3)), S(T(np.array([[0.0, 1, 2], [1, 2, 3]])), x(2, 4), right=True),
        S(T(np.array([0.0, 1, 2])), x(3), side="right"), S(T(np.array([2.0, 0, 1])), x(3), sorter=_idx(1, 2, 0)),
        S(T(np.array([0.0, 1])), 0.5), S(T(np.array([[0.0, 1]])), x(2, 3)))),
    OpEntry("torch.cartesian_prod", fn("cartesian_prod"), these(S(x(2), x(3)), S(x(2), x(2), x(2)), S(x(3)),
                                                                S(x(2, 2), x(2)))),
    OpEntry("torch.meshgrid", fn("meshgrid"), these(S(x(2), x(3), indexing="ij"), S(x(2), x(3), indexing="xy"),
                                                    S([x(2), x(3), x(4)], indexing="ij"), S(x(2), x(), indexing="ij"))),
    *every("broadcast_to", these(S(x(3), (2, 3)), S(x(2, 1), (2, 4)), S(x(2, 1), (-1, 3)), S(x(2), (3,)))),
    OpEntry("torch.broadcast_tensors", fn("broadcast_tensors"), these(S(x(2, 1), x(3)), S(x(), x(2, 2)),
                                                                      S(x(2), x(3)))),
    OpEntry("torch.broadcast_shapes", fn("broadcast_shapes"), these(S((2, 1), (3,)), S((2,), 1), S((2,), (3,)))),
    *[OpEntry(f"torch.atleast_{k}d", fn(f"atleast_{k}d"), these(S(x()), S(x(3)), S(x(2, 3)), S(x(2, 3, 4)),
                                                               S(x(), x(2)), S([x(), x(2, 2)])))
      for k in (1, 2, 3)],
    OpEntry("torch.block_diag", fn("block_diag"), these(S(x(2, 3), x(1, 2)), S(x(), x(3), x(2, 2)),
                                                        S(x(2, 2, dtype="int64"), x(2)), S(x(2, 2, 2)))),
    *[OpEntry(f"Tensor.{n}", _inplace_view(n, *a), these(S(s))) for n, a, s in (
        ("t_", (), x(2, 3)), ("transpose_", (0, 1), x(2, 3)), ("swapaxes_", (0, 2), x(2, 3, 4)),
        ("swapdims_", (1, 0), x(2, 3)), ("unsqueeze_", (1,), x(2, 3)), ("squeeze_", (), x(2, 1, 3)),
        ("squeeze_", (1,), x(2, 1, 3)))],
    OpEntry("Tensor.clone", method("clone"), these(S(x(2, 3)), S(x(4, 3, view="T")), S(x(2, 3, dtype="int64")))),
    # linear algebra
    *every("det", these(S(x(3, 3)), S(x(2, 3, 3)), S(x(2, 3)), S(x(3, 3, dtype="int64")))),
    *every("logdet", these(S(x(3, 3, gen=_spd)), S(x(2, 3, 3, gen=_spd)))),
    *every("slogdet", these(S(x(3, 3)), S(x(2, 3, 3, gen=_well_conditioned)))),
    *every("inverse", these(S(x(3, 3, gen=_well_conditioned)), S(x(2, 3, 3, gen=_well_conditioned)), S(x(2, 3)),
                            S(T(np.zeros((2, 2)))))),
    *every("pinverse", these(S(x(3, 2, gen=_well_conditioned)), S(x(2, 4)))),
    *every("matrix_power", these(S(x(3, 3), 3), S(x(2, 3, 3), 2), S(x(3, 3), 0), S(x(3, 3, gen=_well_conditioned), -2),
                                 S(x(2, 3), 2))),
    *every("cholesky", these(S(x(3, 3, gen=_spd)), S(x(2, 3, 3, gen=_spd), True))),
    *every("qr", these(S(x(4, 3, gen=_well_conditioned)), S(x(3, 3, gen=_well_conditioned)))),
    OpEntry("torch.svd", with_lib(lambda lib, a: _svd(lib.svd(a))), these(S(x(4, 3, gen=_well_conditioned)),
                                               S(x(3, 4, gen=lambda s, d: _well_conditioned(s[::-1], d).T.copy())))),
    OpEntry("Tensor.svd", op(lambda a: _svd(a.svd())), these(S(x(4, 3, gen=_well_conditioned)))),
    OpEntry("torch.linalg.det", linalg("det"), these(S(x(3, 3)), S(x(2, 2, 2)), S(x(0, 0)), S(x(2, 3)))),
    OpEntry("torch.linalg.slogdet", linalg("slogdet"), these(S(x(3, 3)), S(x(2, 2, 2, gen=_well_conditioned)))),
    OpEntry("torch.linalg.inv", linalg("inv"), these(S(x(3, 3, gen=_well_conditioned)), S(x(2, 2, 2, gen=_spd)),
                                                     S(T(np.zeros((2, 2)))), S(x(3)))),
    OpEntry("torch.linalg.solve", linalg("solve"), these(
        S(x(3, 3, gen=_well_conditioned), x(3, 2)), S(x(3, 3, gen=_well_conditioned), x(3)),
        S(x(2, 3, 3, gen=_well_conditioned), x(3, 1)), S(x(3, 3, gen=_well_conditioned), x(2, 3), left=False),
        S(x(3, 3, gen=_well_conditioned), x(4, 2)), S(T(np.zeros((2, 2))), x(2)))),
    OpEntry("torch.linalg.cholesky", linalg("cholesky"), these(S(x(3, 3, gen=_spd)),
                                                               S(x(2, 3, 3, gen=_spd), upper=True), S(T(-np.eye(2))))),
    OpEntry("torch.linalg.eigh", with_lib(_eigh), these(S(x(3, 3, gen=_spd)), S(x(2, 3, 3, gen=_spd), UPLO="U")),
            grad_if=lambda s: True),
    OpEntry("torch.linalg.eigvalsh", linalg("eigvalsh"), these(S(x(3, 3, gen=_spd)), S(x(2, 3, 3, gen=_spd)))),
    OpEntry("torch.linalg.svd", with_lib(lambda lib, a, **k: _svd(lib.linalg.svd(a, **k)[:2] + (
        lib.linalg.svd(a, **k)[2].mT,))), these(S(x(4, 3, gen=_well_conditioned), full_matrices=False),
                                                S(x(2, 3, 4, gen=_well_conditioned), full_matrices=False))),
    OpEntry("torch.linalg.svd", with_lib(lambda lib, a: (lib.linalg.svd(a).S, lib.linalg.svd(a).U.shape,
                                                         lib.linalg.svd(a).Vh.shape)),
            these(S(x(4, 3, gen=_well_conditioned)), S(x(2, 3)))),
    OpEntry("torch.linalg.svdvals", linalg("svdvals"), these(S(x(4, 3)), S(x(2, 3, 5)))),
    OpEntry("torch.linalg.qr", linalg("qr"), these(S(x(4, 3, gen=_well_conditioned)), S(x(2, 3, 3)),
                                                   S(x(4, 3), mode="r"), S(x(4, 3), mode="complete"),
                                                   S(x(3, 3), mode="bad")),
            grad_if=lambda s: s.kwargs.get("mode") not in ("complete", "r")),
    OpEntry("torch.linalg.matrix_power", linalg("matrix_power"), these(S(x(3, 3), 4), S(x(3, 3, gen=_spd), -1))),
    OpEntry("torch.linalg.pinv", linalg("pinv"), these(S(x(4, 3, gen=_well_conditioned)), S(x(2, 3, 4)))),
    # singular values cut by atol: the gradient goes through our SVD, not PyTorch's pinv formula (docs/pytorch.md)
    OpEntry("torch.linalg.pinv", linalg("pinv"), these(S(x(3, 3), atol=0.5)), grad=False),
    OpEntry("torch.linalg.matrix_rank", linalg("matrix_rank"), these(S(x(4, 3)), S(T(np.ones((3, 3)))),
                                                                     S(x(2, 3, 3), atol=1.0))),
    OpEntry("Tensor.fill_diagonal_", method("fill_diagonal_"), these(S(x(3, 3), 2.0), S(x(5, 2), -1.0, True),
                                                                     S(x(2, 2, 2), 0), S(x(2, 3, 4), 1), S(x(3), 1)),
            inplace=True, grad=False),
    OpEntry("torch.chain_matmul", fn("chain_matmul"), these(S(x(2, 3), x(3, 4), x(4, 2)), S(x(2, 3)),
                                                            S(x(2, 3), x(3))), grad_if=lambda s: len(s.args) > 1),
    OpEntry("torch.linalg.multi_dot", linalg("multi_dot"), these(S([x(3), x(3, 4), x(4)]), S([x(2, 3), x(3, 2)]),
                                                                 S([x(2, 3)]), S([x(2, 3), x(2, 3, 3)]))),
    OpEntry("torch.linalg.vecdot", linalg("vecdot"), these(S(x(2, 3), x(3)), S(x(2, 3), x(2, 3), dim=0),
                                                           S(x(3), x(3, dtype="float32")))),
    OpEntry("torch.linalg.matmul", linalg("matmul"), these(S(x(2, 3), x(3, 4)), S(x(3), x(3, 2)))),
    OpEntry("torch.linalg.cross", linalg("cross"), these(S(x(2, 3), x(2, 3)), S(x(3, 2), x(3, 2), dim=0),
                                                         S(x(2, 3), x(3)))),
    OpEntry("torch.linalg.vector_norm", linalg("vector_norm"), these(
        S(x(2, 3)), S(x(2, 3), 1), S(x(2, 3), float("inf"), 1), S(x(2, 3), float("-inf")), S(x(2, 3), 0),
        S(x(2, 3), 3, (0, 1), True), S(x(2, 3, dtype="int64")), S(T(np.zeros(3))))),
    OpEntry("torch.linalg.matrix_norm", linalg("matrix_norm"), these(
        S(x(3, 4)), S(x(3, 4), "nuc"), S(x(3, 4), 2), S(x(3, 4), -2), S(x(3, 4), 1), S(x(3, 4), -1),
        S(x(3, 4), float("inf")), S(x(3, 4), float("-inf")), S(x(2, 3, 4), "fro", (0, 2), True), S(x(3)))),
    OpEntry("torch.linalg.norm", linalg("norm"), these(
        S(x(2, 3)), S(x(3), 1), S(x(2, 3), "fro"), S(x(2, 3), 1), S(x(2, 3, 4), None, (1, 2)), S(x(2, 3, 4), 2, 0),
        S(x(2, 3, 4), 1))),
    # more names of the same families
    OpEntry("Tensor.mH", prop("mH"), these(S(x(2, 3)), S(x(2, 3, 4)), S(x(3)))),
    *every("adjoint", these(S(x(2, 3)), S(x(2, 3, 4)))),
    OpEntry("Tensor.ndimension", method("ndimension"), these(S(x(2, 3)), S(x()))),
    *every("is_same_size", these(S(x(2, 3), x(2, 3)), S(x(2, 3), x(3, 2)))),
    *every("msort", these(S(x(4, 3, gen=_distinct)), S(x(5, gen=_distinct)), S(x()))),
    *every("narrow_copy", these(S(x(3, 4), 1, 1, 2), S(x(3, 4), 0, 2, 2))),
    *every("split_with_sizes", these(S(x(5, 2), [2, 3]), S(x(2, 5), [1, 4], 1), S(x(5), [2, 2]))),
    *every("unsafe_split", these(S(x(5, 2), 2), S(x(2, 5), 3, 1))),
    *every("unsafe_chunk", these(S(x(5, 2), 2), S(x(2, 5), 3, 1))),
    OpEntry("Tensor.sum_to_size", method("sum_to_size"), these(S(x(2, 3), 1, 3), S(x(2, 3, 4), (3, 1)),
                                                               S(x(2, 3), 2, 3), S(x(2, 3), 3), S(x(2, 3), (1,)))),
    *every("put", these(S(x(2, 3), _idx(0, 5), x(2)), S(x(2, 3), _idx(1, 1), x(2), True), S(x(2, 3), _idx(6), x(1)),
                        S(x(2, 3), _idx(-1), x(1)), S(x(2, 3), _idx(0, 1), x(3))),
           ),
    OpEntry("Tensor.put_", method("put_"), these(S(x(2, 3), _idx(0, 5), x(2))), inplace=True, grad=False),
    OpEntry("Tensor.cumsum_", method("cumsum_"), these(S(x(2, 3), 1), S(x(3, dtype="int64"), 0)), inplace=True,
            grad=False),
    *every("select_scatter", these(S(x(3, 4), x(4), 0, 1), S(x(3, 4), x(3), 1, -1), S(x(3, 4), x(3), 0, 1))),
    *every("slice_scatter", these(S(x(4, 3), x(2, 3), 0, 1, 3), S(x(4, 3), x(4, 2), 1, None, None, 2),
                                  S(x(4, 3), x(4, 3)), S(x(4, 3), x(3, 3), 0, 1))),
    *every("diagonal_scatter", these(S(x(3, 4), x(3)), S(x(3, 4), x(3), 1), S(x(2, 3, 4), x(3, 2), 0, 0, 2),
                                     S(x(3, 4), x(4)))),
    *every("dist", these(S(x(2, 3), x(2, 3)), S(x(2, 3), x(3), 1), S(x(2, 3), x(2, 3), float("inf")),
                         S(x(2, 3), x(2, 3), 0), S(x(3), x(3), 3.5)),
           grad_if=lambda s: len(s.args) < 3 or s.args[2] != 0),  # torch 2.13's backward of p=0 fails
    *every("renorm", these(S(x(3, 4), 2, 0, 1.0), S(x(3, 4), 1, 1, 2.0), S(x(2, 3, 4), 2, -1, 0.5),
                           S(x(3, 4), 0, 0, 1.0), S(x(3, 4), 2, 0, -1.0))),
    *every("cov", these(S(x(3, 5)), S(x(5)), S(x(3, 5), correction=0), S(x(2, 2, 2)), S(x(3, 1)))),
    *every("corrcoef", these(S(x(3, 5)), S(x(2, 4)))),
    *every("cholesky_solve", these(S(x(3, 2), x(3, 3, gen=_lower_cholesky)),
                                   S(x(3, 2), x(3, 3, gen=_upper_cholesky), True))),
    *every("cholesky_inverse", these(S(x(3, 3, gen=_lower_cholesky)),
                                     S(x(3, 3, gen=_upper_cholesky), True))),
    *every("index_reduce", these(*(S(x(3, 4, gen=_distinct), 0, _idx(0, 2, 0), x(3, 4, gen=_distinct), r)
                                   for r in ("prod", "mean", "amax", "amin")),
                                 S(x(3, 4, gen=_distinct), 1, _idx(3, 1), x(3, 2, gen=_distinct), "amax",
                                   include_self=False),
                                 S(x(3, 4), 0, _idx(0), x(1, 4), "sum"))),
    OpEntry("Tensor.index_reduce_", method("index_reduce_"), these(S(x(3, 4), 0, _idx(0, 2), x(2, 4), "amax")),
            inplace=True, grad=False),
    *every("matrix_exp", these(S(x(3, 3)), S(x(2, 2, 2)), S(x(3, 3, gen=lambda s, d: 4 * make(s, d))), S(x(2, 3)))),
    *[OpEntry(f"torch.{n}", fn(n), these(S(x(3, 4)), S(x(3, 4), dim=0), S(x(3, 4), dx=0.5),
                                         S(x(3, 4), x(4, gen=_distinct)), S(x(3, 4), x(3, 4)), S(x(1)), S(x(0))))
      for n in ("trapezoid", "trapz", "cumulative_trapezoid")],
    OpEntry("torch.linalg.inv_ex", linalg("inv_ex"), these(S(x(3, 3, gen=_well_conditioned)))),
    OpEntry("torch.linalg.cholesky_ex", linalg("cholesky_ex"), these(S(x(3, 3, gen=_spd)),
                                                                     S(x(2, 3, 3, gen=_spd), upper=True))),
    OpEntry("torch.linalg.solve_triangular", linalg("solve_triangular"), these(
        S(x(3, 3, gen=_well_conditioned), x(3, 2), upper=True), S(x(3, 3, gen=_well_conditioned), x(3, 2), upper=False),
        S(x(3, 3), x(2, 3), upper=True, left=False), S(x(3, 3), x(3, 2), upper=False, unitriangular=True))),
    OpEntry("torch.linalg.lstsq", linalg("lstsq"), these(S(x(4, 3, gen=_well_conditioned), x(4, 2)),
                                                         S(x(2, 4, 3, gen=_well_conditioned), x(2, 4, 1)))),
    OpEntry("torch.linalg.matrix_exp", linalg("matrix_exp"), these(S(x(3, 3)), S(x(2, 4, 4)))),
    OpEntry("torch.linalg.diagonal", linalg("diagonal"), these(S(x(3, 4)), S(x(2, 3, 4), offset=1),
                                                               S(x(2, 3, 4), dim1=0, dim2=2))),
]


_TENSOR_IN_PLACE = {e.name: e.samples for e in TABLE if e.inplace and e.name.startswith("Tensor.")}
TABLE += [  # torch.f_(t, ...): the in-place forms as functions, with Tensor.f_'s samples
    OpEntry(f"torch.{n}_", fn(f"{n}_"), _TENSOR_IN_PLACE[f"Tensor.{n}_"], inplace=True, grad=False)
    for n in (
        "abs neg negative exp exp2 expm1 log log2 log10 log1p sin cos tan sinh cosh tanh sigmoid relu asin acos atan "
        "asinh acosh atanh arcsin arccos arctan arcsinh arccosh arctanh ceil floor round trunc fix frac erf erfc "
        "sqrt rsqrt reciprocal square sinc logit deg2rad rad2deg nan_to_num xlogy clamp clip clamp_min clamp_max "
        "i0 gcd lcm ldexp"
    ).split()
]

TABLE += [
    OpEntry(
        "F.dropout1d",
        functional("dropout1d"),
        these(S(x(2, 3, 4), 0.0), S(x(2, 3, 4), 1.0), S(x(3, 4), 0.5, training=False), S(x(2, 3, 4, 4), 0.5)),
        grad=False,
    ),
    OpEntry(
        "F.dropout3d",
        functional("dropout3d"),
        these(S(x(2, 3, 2, 2, 2), 0.0), S(x(2, 3, 2, 2, 2), 1.0), S(x(3, 2, 2, 2), 0.5, training=False),
              S(x(2, 3, 2, 2), 1.5)),
        grad=False,
    ),
    OpEntry("nn.Dropout1d", module("Dropout1d", 0.0), these(S(x(2, 3, 4)), S(x(3, 4)))),
    OpEntry("nn.Dropout3d", module("Dropout3d", 0.0), these(S(x(2, 3, 2, 2, 2)), S(x(3, 2, 2, 2)))),
]

def _as_dtype(value: Any, dtype: str) -> Any:
    """A sample's float tensors in another dtype (rounded for integers, > 0 for bool); the rest unchanged."""
    if isinstance(value, T):
        a = value.array
        if a.dtype.kind != "f":
            return value
        converted = (
            a > 0
            if dtype == "bool"
            else np.abs(a).round().astype(dtype)
            if dtype == "uint8"
            else (a.astype(dtype) if dtype in FLOATS else a.round().astype(dtype))
        )
        return T(converted, value.view, value.grad)
    if isinstance(value, list):
        return [_as_dtype(v, dtype) for v in value]
    if isinstance(value, tuple):
        return tuple(_as_dtype(v, dtype) for v in value)
    return value


def in_every_dtype(entry: OpEntry) -> Iterator[Sample]:
    """The entry's samples, then each again with its float tensors in every other dtype (each sample once):
    the dtype sweep, so that a sample written for floats also checks bool, uint8, int32 and int64."""
    seen: set[str] = set()
    for sample in entry.samples():
        for dtype in (None, *DTYPES):
            variant = (
                sample
                if dtype is None
                else Sample(_as_dtype(sample.args, dtype), {k: _as_dtype(v, dtype) for k, v in sample.kwargs.items()})
            )
            key = repr(variant)
            if key not in seen:
                seen.add(key)
                yield variant


TABLE += [  # grid sampling (the spatial transformer's two functions)
    OpEntry(
        "F.affine_grid",
        functional("affine_grid"),
        these(
            S(x(2, 2, 3), [2, 3, 4, 5], align_corners=False),
            S(x(1, 2, 3), [1, 1, 3, 1], align_corners=True),
            S(x(1, 2, 3), (1, 2, 2, 2), False),
            S(x(1, 3, 3), [1, 1, 2, 2], align_corners=False),
            S(x(1, 2, 3), [1, 1, 0, 2], align_corners=False),
        ),
    ),
    OpEntry(
        "F.grid_sample",
        functional("grid_sample"),
        these(
            S(x(2, 3, 4, 5), x(2, 3, 2, 2, gen=lambda s, d: make(s, d, -1.5, 1.5)), align_corners=False),
            S(x(1, 2, 4, 4), x(1, 2, 3, 2), mode="nearest", padding_mode="border", align_corners=True),
            S(x(1, 2, 3, 5), x(1, 3, 3, 2), "bilinear", "reflection", True),
            S(x(1, 2, 3, 5), x(1, 3, 3, 2), "bilinear", "reflection", False),
            S(x(1, 2, 4, 3), x(1, 2, 3, 2), "bicubic", "border", False),
            S(x(0, 2, 3, 3), x(0, 2, 2, 2), align_corners=False),
            S(x(2, 3, 4), x(2, 3, 3, 2), align_corners=False),
            S(x(1, 1, 2, 2), x(1, 1, 1, 2), mode="area", align_corners=False),
        ),
    ),
    # log-probabilities or not, PyTorch's gradient is that of the logits under log_softmax: compared as it is
    OpEntry(
        "F.ctc_loss",
        functional("ctc_loss"),
        these(
            S(x(6, 2, 4), T(np.array([[1, 2, 2], [3, 1, 0]])), [6, 5], [3, 2]),
            S(x(6, 2, 4), T(np.array([1, 2, 0])), [6, 6], [2, 1], blank=3, reduction="sum"),
            S(x(5, 4), T(np.array([1, 1])), T(np.array(5)), T(np.array(2)), reduction="none"),
            S(x(3, 1, 3), T(np.array([[1, 1, 1]])), [3], [3], zero_infinity=True),
            S(x(6, 2, 4), T(np.array([[1, 2]] * 2)), [7, 6], [2, 2]),
        ),
    ),
    OpEntry(
        "nn.CTCLoss",
        module("CTCLoss", blank=1, reduction="none"),
        these(S(x(6, 2, 4), T(np.array([[0, 2, 2], [3, 3, 0]])), [6, 6], [3, 2])),
    ),
    OpEntry(
        "F.gumbel_softmax",
        seeded(functional("gumbel_softmax")),
        these(S(x(3, 5)), S(x(2, 3, 4), tau=0.5, hard=True), S(x(4, 3), hard=True, dim=0), S(x(0, 3))),
    ),
    # bytes are resampled as interpolate's (its entry marks where they differ): these compare in float64
    OpEntry("F.upsample", with_lib(lambda lib, t, **k: lib.nn.functional.upsample(t.double(), **k)),
            these(S(x(1, 2, 3, 3), scale_factor=2, mode="bilinear"), S(x(1, 2, 3), size=5))),
    OpEntry("F.upsample_nearest", functional("upsample_nearest"), these(S(x(1, 2, 3), 5), S(x(1, 1, 2, 2), None, 2))),
    OpEntry("F.upsample_bilinear", with_lib(lambda lib, t, *a: lib.nn.functional.upsample_bilinear(t.double(), *a)),
            these(S(x(1, 2, 3, 3), (4, 5)))),
    OpEntry("F.max_pool2d_with_indices", functional("max_pool2d_with_indices"),
            these(S(x(2, 3, 5, 6), 2), S(x(3, 5, 5), 3, 2, 1, ceil_mode=True))),
    # refused (NotImplementedError) until max_pool1d / adaptive max pools take return_indices=True
    OpEntry("F.max_pool1d_with_indices", functional("max_pool1d_with_indices"), these(S(x(2, 3, 7), 2))),
    OpEntry("F.adaptive_max_pool1d_with_indices", functional("adaptive_max_pool1d_with_indices"),
            these(S(x(2, 3, 7), 3))),
    OpEntry("F.adaptive_max_pool2d_with_indices", functional("adaptive_max_pool2d_with_indices"),
            these(S(x(2, 3, 5, 5), (2, 3)))),
    OpEntry(
        "F.conv_transpose1d",
        functional("conv_transpose1d"),
        these(
            S(x(2, 4, 5), x(4, 3, 3)),
            S(x(2, 4, 5), x(4, 3, 2), x(6), 2, 1, 1, 2),
            S(x(4, 5), x(4, 2, 3), dilation=2),
            S(x(2, 3, 5), x(4, 3, 3)),
            S(x(2, 4, 5), x(4, 3, 3), output_padding=1),
        ),
    ),
    OpEntry("nn.ConvTranspose1d", module("ConvTranspose1d", 4, 6, 3, stride=2, groups=2, dtype=D("float64")),
            these(S(x(2, 4, 5)), S(x(4, 5)))),
    OpEntry("F.lp_pool1d", functional("lp_pool1d"), these(S(x(2, 3, 8), 2, 3), S(x(3, 8), 3, 2, 1))),
    OpEntry("F.lp_pool2d", functional("lp_pool2d"),
            these(S(x(2, 3, 6, 6), 2, 3), S(x(3, 5, 6), 3, (2, 3), 2, ceil_mode=True), S(x(1, 2, 4, 4), 1, 2))),
    OpEntry("nn.LPPool1d", module("LPPool1d", 2, 3, 2), these(S(x(2, 3, 8)))),
    OpEntry("nn.LPPool2d", module("LPPool2d", 2, 2), these(S(x(2, 3, 4, 6)))),
    OpEntry(
        "F.max_unpool1d",
        with_lib(lambda lib, t: lib.nn.functional.max_unpool1d(*(r.squeeze(-2) for r in lib.nn.functional.max_pool2d(
            t.unsqueeze(-2), (1, 2), return_indices=True)), 2)),
        these(S(x(2, 3, 8)), S(x(3, 8))),
    ),
    OpEntry(
        "nn.MaxUnpool1d",
        with_lib(lambda lib, t: lib.nn.MaxUnpool1d(2)(*(r.squeeze(-2) for r in lib.nn.functional.max_pool2d(
            t.unsqueeze(-2), (1, 2), return_indices=True)))),
        these(S(x(2, 3, 8))),
    ),
    # the 3-D family
    OpEntry(
        "F.conv3d",
        functional("conv3d"),
        these(
            S(x(2, 3, 4, 4, 4), x(4, 3, 2, 2, 2)),
            S(x(1, 4, 5, 4, 5), x(2, 2, 3, 1, 2), x(2), (2, 1, 1), (1, 0, 1), (1, 1, 2), 2),
            S(x(2, 4, 4, 4), x(3, 2, 2, 2, 2), padding="same"),
            S(x(1, 2, 2, 4, 4), x(3, 2, 3, 3, 3)),
            S(x(1, 3, 4, 4, 4), x(3, 2, 2, 2, 2)),
        ),
    ),
    OpEntry("nn.Conv3d", module("Conv3d", 2, 3, 2, padding=1, dtype=D("float64")), these(S(x(1, 2, 3, 4, 3)))),
    OpEntry(
        "F.conv_transpose3d",
        functional("conv_transpose3d"),
        these(
            S(x(2, 2, 3, 3, 3), x(2, 3, 2, 2, 2)),
            S(x(1, 4, 2, 3, 2), x(4, 1, 2, 2, 3), x(2), (2, 1, 2), (1, 0, 1), (1, 0, 0), 2, (2, 1, 1)),
            S(x(2, 3, 3, 3), x(2, 3, 2, 2, 2)),
            S(x(1, 3, 3, 3, 3), x(2, 3, 2, 2, 2)),
        ),
    ),
    OpEntry("nn.ConvTranspose3d", module("ConvTranspose3d", 2, 3, 2, stride=2, dtype=D("float64")),
            these(S(x(1, 2, 2, 3, 2)))),
    OpEntry(
        "F.max_pool3d",
        functional("max_pool3d"),
        these(S(x(2, 3, 5, 4, 4), 2), S(x(3, 5, 6, 5), (3, 2, 2), (2, 1, 2), 1, ceil_mode=True), S(x(2, 4, 4), 2),
              S(x(1, 2, 4, 4, 5), 2, return_indices=True)),
    ),
    OpEntry(
        "F.avg_pool3d",
        functional("avg_pool3d"),
        these(
            S(x(2, 3, 5, 4, 4), 2),
            S(x(3, 5, 6, 5), 3, 2, 1, count_include_pad=False),
            S(x(1, 2, 5, 5, 5), 2, ceil_mode=True, divisor_override=3),
        ),
    ),
    OpEntry("F.adaptive_avg_pool3d", functional("adaptive_avg_pool3d"),
            these(S(x(2, 3, 5, 4, 6), (2, 3, None)), S(x(3, 4, 4, 4), 2), S(x(4, 4, 4), 2))),
    OpEntry("nn.MaxPool3d", module("MaxPool3d", 2, 1), these(S(x(1, 2, 3, 3, 3)))),
    OpEntry("nn.AvgPool3d", module("AvgPool3d", 2, 1, 1), these(S(x(1, 2, 3, 3, 3)))),
    OpEntry("nn.AdaptiveAvgPool3d", module("AdaptiveAvgPool3d", (1, 2, 3)), these(S(x(1, 2, 3, 4, 5)))),
    OpEntry("F.lp_pool3d", functional("lp_pool3d"), these(S(x(2, 3, 4, 4, 4), 2, 2), S(x(3, 4, 5, 4), 3, 3, 1))),
    OpEntry("nn.LPPool3d", module("LPPool3d", 2, (2, 1, 2)), these(S(x(1, 2, 3, 3, 4)))),
    OpEntry("F.adaptive_max_pool3d", functional("adaptive_max_pool3d"),
            these(S(x(2, 3, 5, 4, 6), (2, 3, None)), S(x(3, 4, 4, 4), 2), S(x(4, 4, 4), 2))),
    OpEntry("F.adaptive_max_pool3d_with_indices", functional("adaptive_max_pool3d_with_indices"),
            these(S(x(2, 3, 5, 4, 6), 2))),  # refused (NotImplementedError) until return_indices is supported
    OpEntry("nn.AdaptiveMaxPool3d", module("AdaptiveMaxPool3d", (1, 2, 3)), these(S(x(1, 2, 3, 4, 5)))),
    OpEntry(
        "F.max_unpool3d",
        with_lib(lambda lib, t: lib.nn.functional.max_unpool3d(*lib.nn.functional.max_pool3d(t, 2, return_indices=True),
                                                               2)),
        these(S(x(2, 3, 4, 4, 6)), S(x(3, 4, 2, 4))),
    ),
    OpEntry(
        "nn.MaxUnpool3d",
        with_lib(lambda lib, t: lib.nn.MaxUnpool3d(2)(*lib.nn.functional.max_pool3d(t, 2, return_indices=True),
                                                      output_size=[5, 4, 6])),
        these(S(x(1, 2, 5, 4, 6))),
    ),
    OpEntry("nn.BatchNorm3d", module("BatchNorm3d", 2, dtype=D("float64")), these(S(x(2, 2, 3, 2, 2)))),
    OpEntry("nn.InstanceNorm3d", module("InstanceNorm3d", 2, affine=True, dtype=D("float64")),
            these(S(x(2, 2, 3, 2, 2)), S(x(2, 3, 2, 2)))),
]


NOT_OPS = {
    # what is no op: modules, types, switches, I/O, seeds and graph state
    "torch.autograd",
    "torch.linalg",
    "torch.data",
    "torch.nn",
    "torch.optim",
    "torch.utils",
    "torch.Context",
    "torch.Op",
    "torch.GradcheckError",
    "torch.CheckpointError",
    "torch.dtype",
    "torch.device",
    "torch.accelerator",
    "torch.autocast", "torch.bfloat16",  # mixed precision's names: tests/core/test_amp_names_torch.py
    "torch.get_default_device",
    "torch.set_default_device",
    "torch.get_default_dtype",  # tests/core/test_default_dtype_torch.py
    "torch.result_type",  # dtype questions: tests/core/test_default_dtype_torch.py
    "torch.promote_types",
    "torch.can_cast",
    "torch.set_default_dtype",
    "torch.set_printoptions",  # tests/core/test_printing_torch.py
    # program-level switches and dtype facts: tests/core/test_default_dtype_torch.py
    "torch.compile", "torch.use_deterministic_algorithms", "torch.are_deterministic_algorithms_enabled",
    "torch.set_float32_matmul_precision", "torch.get_float32_matmul_precision", "torch.set_num_threads",
    "torch.get_num_threads", "torch.finfo", "torch.iinfo", "torch.is_complex", "torch.is_floating_point",
    "torch.is_nonzero", "Tensor.is_complex", "Tensor.is_nonzero",
    "torch.enable_grad",
    "torch.no_grad",
    "torch.inference_mode",
    "torch.is_grad_enabled",
    "torch.set_grad_enabled",
    "torch.manual_seed",
    "torch.save",
    "torch.load",
    "torch.gradcheck",
    "torch.numerical_grad",
    "torch.numerical_jacobian",
    "torch.keep_freed_memory",
    "torch.unbroadcast",
    "torch.Size",
    *(
        f"torch.{d}"
        for d in (
            "bool",
            "double",
            "float",
            "float16",
            "float32",
            "float64",
            "half",
            "int",
            "int8",
            "int16",
            "int32",
            "int64",
            "long",
            "short",
            "uint8",
        )
    ),
    "Tensor.backward",
    # memory layout: tests/core/test_lecture_ops_torch.py compares it with torch's
    "Tensor.stride",
    "Tensor.storage",
    "Tensor.storage_offset",
    "Tensor.is_contiguous",
    "Tensor.data_ptr",
    "Tensor.grad",
    "Tensor.grad_fn",
    "Tensor.register_post_accumulate_grad_hook",
    "Tensor.retain_grad",
    "Tensor.requires_grad_",
    "Tensor.data",
    "Tensor.device",
    "Tensor.is_cuda",
    "Tensor.is_cpu",
    "Tensor.is_ipu",
    "Tensor.is_maia",
    "Tensor.is_meta",
    "Tensor.is_mkldnn",
    "Tensor.is_mps",
    "Tensor.is_mtia",
    "Tensor.is_nested",
    "Tensor.is_quantized",
    "Tensor.is_sparse",
    "Tensor.is_sparse_csr",
    "Tensor.is_vulkan",
    "Tensor.is_xla",
    "Tensor.is_xpu",
    "Tensor.cpu",
    "Tensor.cuda",
    "Tensor.detach_",
    "Tensor.register_hook",
    "Tensor.retains_grad",
    *(
        f"nn.{n}"
        for n in (
            "Module",
            "ModuleList",
            "ModuleDict",
            "ParameterList",
            "ParameterDict",
            "RNNBase",
            "RNNCellBase",
            "Parameter",
            "Buffer",
            "Sequential",
            "functional",
            "init",
            "parallel",
            "utils",
        )
    ),
    "torch.random",
    "torch.distributed",
    "torch.serialization",
}
"""Public names that are no op on tensor values: the checklist test accepts them without an entry."""

NOT_IN_PYTORCH = {
    "Tensor.array": "the NumPy array behind the tensor (tinygrad_adam's storage; PyTorch has none)",
    "Tensor.astype": "NumPy's name for Tensor.to(dtype), kept for NumPy readers",
    "Tensor.pad": "constant padding with NumPy's pad_width (PyTorch's is F.pad)",
    "Tensor.leaky_relu": "F.leaky_relu as a method, used by the layers",
    "F.flatten": "torch.flatten in nn.functional, beside the other layer functions",
}
"""Public names PyTorch lacks, and why they exist."""

# PyTorch's argument parser: a float or a bool where its schema says int, anything but True/False where it
# says bool, a number where it says Tensor, all TypeError; a NumPy int or a 0-d integer tensor is an int
TABLE += [
    OpEntry(name, call, these(*samples))
    for name, call, samples in [
        ("Tensor.tril", method("tril"), [S(x(3, 3), 1.0), S(x(3, 3), True), S(x(3, 3), diagonal=np.float64(1)),
                                         S(x(3, 3), np.int64(1)), S(x(3, 3), T(np.array(-1)))]),
        ("torch.triu", fn("triu"), [S(x(3, 3), diagonal=1.0), S(x(3, 3), False)]),
        ("Tensor.cumsum", method("cumsum"), [S(x(2, 3), 1.0), S(x(2, 3), dim=True), S(x(2, 3), np.int32(1))]),
        ("torch.cumprod", fn("cumprod"), [S(x(2, 3), True)]),
        ("Tensor.sum", method("sum"), [S(x(2, 3), 0, 1.0), S(x(2, 3), 0, keepdim=1), S(x(2, 3), 1.0),
                                       S(x(2, 3), True), S(x(2, 3), (0, 1.0))]),
        ("Tensor.mean", method("mean"), [S(x(2, 3), 0, 1), S(x(2, 3), 0, np.bool_(True))]),
        ("torch.argmax", fn("argmax"), [S(x(2, 3), 1, 1.0), S(x(2, 3), True)]),
        ("Tensor.max", method("max"), [S(x(2, 3), 0, 1), S(x(2, 3), 1.0)]),
        ("Tensor.std", method("std"), [S(x(2, 3), 0, True, 1.0), S(x(2, 3), 0, unbiased=1)]),
        ("torch.var", fn("var"), [S(x(2, 3), 0, keepdim=1.0)]),
        ("Tensor.logsumexp", method("logsumexp"), [S(x(2, 3), 0, 1)]),
        ("Tensor.nansum", method("nansum"), [S(x(2, 3), 0, 1.0)]),
        ("Tensor.topk", method("topk"), [S(x(2, 3), 2.0), S(x(2, 3), True), S(x(2, 3), 2, largest=1),
                                         S(x(2, 3), 2, sorted=1.0)]),
        ("Tensor.sort", method("sort"), [S(x(2, 3), 0, 1), S(x(2, 3), descending=1.0), S(x(2, 3), True)]),
        ("torch.argsort", fn("argsort"), [S(x(2, 3), dim=True, descending=True)]),
        ("Tensor.select", method("select"), [S(x(2, 3), 0, 1.0), S(x(2, 3), True, 0)]),
        ("Tensor.chunk", method("chunk"), [S(x(4, 3), True), S(x(4, 3), 2.0), S(x(4, 3), 2, 1.0)]),
        ("Tensor.unsafe_chunk", method("unsafe_chunk"), [S(x(4, 3), True)]),
        ("Tensor.split", method("split"), [S(x(4, 3), 2.0), S(x(4, 3), True), S(x(4, 3), [1.0, 3]),
                                           S(x(4, 3), 2, True)]),
        ("Tensor.split_with_sizes", method("split_with_sizes"), [S(x(4, 3), [1, 3], True)]),
        ("Tensor.rot90", method("rot90"), [S(x(2, 3), 1.0), S(x(2, 3), True)]),
        ("Tensor.movedim", method("movedim"), [S(x(2, 3), 1.0, 0), S(x(2, 3), True, 0)]),
        ("Tensor.unflatten", method("unflatten"), [S(x(2, 6), 1.0, (2, 3)), S(x(2, 6), 1, (2.0, 3))]),
        ("Tensor.mode", method("mode"), [S(x(2, 3), 1.0), S(x(2, 3), 0, 1)]),
        ("Tensor.scatter_add", method("scatter_add"), [S(x(2, 3), True, _idx([[0, 1, 0]]), x(1, 3))]),
        ("Tensor.diagonal_scatter", method("diagonal_scatter"), [S(x(3, 3), x(2), True)]),
        ("Tensor.multinomial", with_lib(lambda lib, *a, **k: a[0].multinomial(*a[1:], **k)),
         [S(x(4, gen=_prob), True), S(x(4, gen=_prob), 2, replacement=1.0)]),
        ("Tensor.histogram", method("histogram"), [S(x(6), True), S(x(6), 2.0), S(x(6), 3, density=1.0)]),
        ("Tensor.to", method("to"), [S(x(2), D("float32"), copy=1.0), S(x(2), D("float32"), non_blocking=1)]),
        ("torch.triu_indices", fn("triu_indices"), [S(3, True), S(3, 3.0), S(3, 3, offset=1.0)]),
        ("torch.bucketize", fn("bucketize"), [S(x(4), T(np.array([0.0, 1.0])), right=1.0)]),
        ("torch.linalg.cholesky", linalg("cholesky"), [S(T(np.eye(2)), upper=1)]),
        ("F.pixel_shuffle", functional("pixel_shuffle"), [S(x(1, 4, 2, 2), 2.0), S(x(1, 4, 2, 2), True)]),
        ("F.pixel_unshuffle", functional("pixel_unshuffle"), [S(x(1, 1, 4, 4), True)]),
        ("F.max_pool2d", functional("max_pool2d"), [S(x(1, 2, 4, 4), True), S(x(1, 2, 4, 4), 2.0),
                                                    S(x(1, 2, 4, 4), (True, 2))]),
        ("F.avg_pool1d", functional("avg_pool1d"), [S(x(1, 2, 4), 2, count_include_pad=1)]),
        ("F.triplet_margin_loss", functional("triplet_margin_loss"), [S(x(2, 3), x(2, 3), x(2, 3), swap=1.0)]),
        ("Tensor.reshape", method("reshape"), [S(x(1, 3), 3, True), S(x(1, 3), (True, 3))]),
        # a number where a Tensor is expected
        ("Tensor.mm", method("mm"), [S(x(2, 3), 1)]),
        ("torch.mv", fn("mv"), [S(x(2, 3), True)]),
        ("Tensor.addmm", method("addmm"), [S(x(2, 2), 1, x(3, 2))]),
        ("Tensor.addr", method("addr"), [S(x(2, 3), 1.0, x(3))]),
        ("Tensor.addcdiv", method("addcdiv"), [S(x(2), 1, x(2))]),
        ("Tensor.equal", method("equal"), [S(x(2), True)]),
        ("torch.allclose", fn("allclose"), [S(x(2), 1)]),
        ("Tensor.view_as", method("view_as"), [S(x(2), 1.0)]),
        ("Tensor.type_as", method("type_as"), [S(x(2), 1.0)]),
        ("torch.outer", fn("outer"), [S(x(2), 1.0)]),
        ("torch.cross", fn("cross"), [S(x(3), 1)]),
        ("torch.linalg.vecdot", linalg("vecdot"), [S(x(3), 1.0)]),
        ("torch.dist", fn("dist"), [S(x(3), 1.0)]),
        ("torch.cdist", fn("cdist"), [S(x(2, 3), 2.0)]),
        ("torch.diff", fn("diff"), [S(x(3), 1, 0, 1), S(x(3), 1.0)]),
        ("F.embedding", functional("embedding"), [S(_idx(0, 1), 2.0)]),
        ("F.prelu", functional("prelu"), [S(x(2, 3), 1)]),
        ("F.conv_transpose1d", functional("conv_transpose1d"), [S(x(1, 2, 3), 1)]),
        ("F.kl_div", functional("kl_div"), [S(x(2, 3), 0.5)]),
        ("F.soft_margin_loss", functional("soft_margin_loss"), [S(x(2, 3), 1)]),
        ("torch.linalg.matrix_power", linalg("matrix_power"), [S(x(3, 3), True), S(x(3, 3), 2.0)]),
        ("torch.linspace", fn("linspace"), [S(0, 1, 3.0), S(0, 1, steps=True)]),
        ("torch.pow", fn("pow"), [S(2.5, -2.5), S(2, True), S(2, x(3))]),
        # out=: a factory's dtype must be out's; some ops want out in the result's dtype exactly; some have none
        ("torch.linspace", fn("linspace"), [S(0, 1, 3, dtype=D("float64"), out=T(np.empty(0, np.float32)))]),
        ("torch.zeros", fn("zeros"), [S(3, dtype=D("float32"), out=T(np.empty(0, np.float64))),
                                      S(3, dtype=D("float64"), out=T(np.empty(0, np.float64)))]),
        ("torch.mm", fn("mm"), [S(x(2, 3, grad=False), x(3, 2, grad=False), out=T(np.empty(0, np.float32))),
                                S(x(2, 3, grad=False), x(3, 2, grad=False), out=T(np.empty(0, np.float64)))]),
        ("torch.argmax", fn("argmax"), [S(x(2, 3, grad=False), 1, out=T(np.empty(0, np.int32)))]),
        ("torch.sort", fn("sort"), [S(x(2, 3, grad=False), 1, out=(T(np.empty(0)), T(np.empty(0, np.int32)))),
                                    S(x(2, 3, grad=False), 1,
                                      out=(T(np.empty(0, np.float32)), T(np.empty(0, np.int64))))]),
        ("torch.max", fn("max"), [S(x(2, 3, grad=False), x(2, 3, grad=False), out=T(np.empty(0, np.float32)))]),
        ("torch.squeeze", fn("squeeze"), [S(x(2, 1, grad=False), 1, out=T(np.empty(0)))]),
        ("torch.isnan", fn("isnan"), [S(x(2, grad=False), out=T(np.empty(0, bool)))]),
        ("torch.ravel", fn("ravel"), [S(x(2, 3, grad=False), out=T(np.empty(0)))]),
        # hardswish's gradient: PyTorch's (scalar kernel's) 0 at -3, 1 at 3 and at NaN
        ("F.hardswish", functional("hardswish"), [S(T(np.array(v))) for v in (np.nan, -3.0, 3.0, -1.5)]),
        ("Tensor.logsumexp", method("logsumexp"), [S(x(), dim=()), S(x(2, 3), dim=())]),
        ("torch.where", fn("where"), [S(T(np.array([1, 0, 2], np.uint8)), 1, 0),
                                      S(T(np.array([1, 0, 2], np.int32)), 1, 0)]),
        ("F.max_pool2d", functional("max_pool2d"), [S(x(1, 2, 4, 4), 2, ceil_mode=1.0)]),
        ("F.avg_pool2d", functional("avg_pool2d"), [S(x(1, 2, 4, 4), 2, ceil_mode=1),
                                                    S(x(1, 2, 4, 4), 2, count_include_pad=0.0)]),
        ("F.max_pool3d", functional("max_pool3d"), [S(x(1, 1, 2, 2, 2), 2, ceil_mode=1)]),
        ("F.group_norm", functional("group_norm"), [S(x(2, 4, 3), True), S(x(2, 4, 3), 2.0)]),
        ("F.pad", functional("pad"), [S(x(2, 3), (1.0, 1)), S(x(2, 3), (True, 1))]),
        ("F.grid_sample", functional("grid_sample"), [S(x(1, 1, 3, 3), x(1, 2, 2, 2), align_corners=1.0)]),
        ("F.cosine_similarity", functional("cosine_similarity"), [S(x(2, 3), 1.0)]),
        ("F.pairwise_distance", functional("pairwise_distance"), [S(x(2, 3), True), S(x(2, 3), x(2, 3), keepdim=1)]),
        ("Tensor.norm", method("norm"), [S(x(2, 3), 2, 0, 1.0)]),
        ("torch.maximum", fn("maximum"), [S(x(3), 1)]),
        ("Tensor.minimum", method("minimum"), [S(x(3), 1.0)]),
        ("Tensor.roll", method("roll"), [S(x(2, 3), 1.0), S(x(2, 3), 1, True), S(x(2, 3), (1,), (0,))]),
        ("torch.polygamma", fn("polygamma"), [S(1.0, x(3))]),
        ("torch.aminmax", fn("aminmax"), [S(x(2, 3), dim=0, keepdim=1.0), S(x(2, 3), dim=1.0)]),
        ("Tensor.unique", method("unique"), [S(x(5), return_counts=1.0), S(x(5), sorted=1)]),
        ("torch.diag", fn("diag"), [S(x(3, 3), True)]),
        ("torch.kron", fn("kron"), [S(x(2), 1.0)]),
        ("torch.linalg.svd", linalg("svd"), [S(x(3, 2), full_matrices=1.0)]),
        ("torch.remainder", fn("remainder"), [S(2, True), S(2, x(3, grad=False))]),
        ("torch.xlogy", fn("xlogy"), [S(2.0, 1), S(2.0, x(3))]),
        ("torch.unique_consecutive", fn("unique_consecutive"), [S(x(4), return_inverse=1.0)]),
        ("torch.put", fn("put"), [S(x(4), _idx(0), True)]),
        ("Tensor.expand_as", method("expand_as"), [S(x(1), 1.0)]),
        ("Tensor.reshape_as", method("reshape_as"), [S(x(1), True)]),
        ("torch.round", fn("round"), [S(x(3), decimals=True), S(x(3), decimals=1.0)]),
        ("Tensor.scatter_reduce", method("scatter_reduce"), [S(x(2, 3), 0, _idx([[0, 1, 0]]), x(1, 3), "sum",
                                                               include_self=1.0)]),
        ("torch.median", fn("median"), [S(x(2, 3), 0, 1.0)]),
        ("torch.kthvalue", fn("kthvalue"), [S(x(2, 3), 1, 0, 1)]),
        ("F.dropout", functional("dropout"), [S(x(2, 3), 0.5, 0.0), S(x(2, 3), 0.5, 1, True)]),
        ("F.alpha_dropout", functional("alpha_dropout"), [S(x(2, 3), 0.5, 1.0)]),
        ("F.poisson_nll_loss", functional("poisson_nll_loss"), [S(x(2, 3), x(2, 3), 1.0)]),
        ("torch.linalg.solve", linalg("solve"), [S(T(np.eye(2)), x(2, 2), left=1.0), S(T(np.eye(2)), 1.0)]),
        ("torch.linalg.lstsq", linalg("lstsq"), [S(x(3, 2), 1.0)]),
        ("Tensor.masked_scatter", method("masked_scatter"), [S(x(3), _mask(3), 1.0)]),
        ("torch.cholesky_inverse", fn("cholesky_inverse"), [S(T(np.eye(2)), 1.0)]),
        ("torch.nonzero", fn("nonzero"), [S(x(3), as_tuple=1.0)]),
        ("Tensor.diagflat", method("diagflat"), [S(x(3), True)]),
        ("torch.diagonal", fn("diagonal"), [S(x(3, 3), 1.0)]),
        ("torch.bincount", fn("bincount"), [S(_idx(0, 1), 1.0), S(_idx(0, 1), minlength=True)]),
        ("torch.index_put", fn("index_put"), [S(x(3), (_idx(0),), 1.0)]),
        ("Tensor.histc", method("histc"), [S(x(4), True)]),
        ("Tensor.fill_diagonal_", method("fill_diagonal_"), [S(x(3, 3, grad=False), 1.0, 1.0)]),
        ("torch.isin", fn("isin"), [S(x(3), x(2), invert=1.0)]),
        ("torch.isinf", fn("isinf"), [S(x(3, grad=False), out=T(np.empty(0, bool)))]),
        ("torch.isclose", fn("isclose"), [S(x(3, grad=False), x(3, grad=False), out=T(np.empty(0, bool)))]),
        ("F.kl_div", functional("kl_div"), [S(x(2, 3), x(2, 3), log_target=1.0)]),
        ("F.rrelu", functional("rrelu"), [S(x(2, 3), training=0.0)]),
        ("F.channel_shuffle", functional("channel_shuffle"), [S(x(1, 4, 2), True)]),
        ("torch.index_add", fn("index_add"), [S(x(3), 0, 1, x(1))]),
        ("torch.linalg.solve_triangular", linalg("solve_triangular"), [S(T(np.eye(2)), x(2, 2), upper=1.0)]),
        ("F.cosine_embedding_loss", functional("cosine_embedding_loss"), [S(x(2, 3), x(2, 3), 1.0)]),
        ("torch.positive", fn("positive"), [S(x(3, grad=False), out=T(np.empty(0)))]),
    ]
]
TABLE += [
    OpEntry("torch.tensordot", fn("tensordot"), these(S(x(2, 3), 1.0)), differs="a number for a tensor: TypeError, "
            "where PyTorch's Python code fails on b.dim() (AttributeError)", differs_if=lambda sample: True),
]
