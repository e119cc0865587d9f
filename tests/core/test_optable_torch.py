"""The differential runner: every sample of every entry of optable.TABLE on tinygrad_adam and on torch.

Compared: the return type (Tensor, tuple, named tuple, torch.Size, Python number, string), dtypes, shapes,
values, the in-place target, float64 gradients, and errors: where PyTorch raises we raise an exception of
the same built-in type, and no message of ours speaks NumPy's or Python's internal words. A NotImplementedError
of ours where PyTorch runs is a clear refusal and passes (docs/pytorch.md lists them).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest
from optable import TABLE, D, OpEntry, Sample, T, in_every_dtype

import tinygrad_adam as tg

torch = pytest.importorskip("torch")

NUMPY_WORDS = (
    "ufunc",
    "ndarray",
    "numpy",
    "gufunc",
    "operand",
    "NoneType",
    "axis ",
    "zero-size array",
    "object of type",
    "has no attribute",
    "unsupported operand",
    "object is not",
    "argument of type",
)


class Mismatch(AssertionError):
    pass


def _view(t: Any, view: str | None) -> Any:
    if view == "T":
        return t.transpose(0, 1)
    if view == "step":
        return t[::2]
    return t


def _build(lib: Any, value: Any, leaves: list[Any], with_grad: bool) -> Any:
    if isinstance(value, T):
        needs = with_grad and value.grad and value.array.dtype == np.float64
        base = lib.tensor(value.array.copy(), requires_grad=needs)
        if needs:
            leaves.append(base)
        return _view(base, value.view)
    if isinstance(value, D):
        return getattr(lib, value.name)
    if isinstance(value, list):
        return [_build(lib, v, leaves, with_grad) for v in value]
    if isinstance(value, tuple):
        return tuple(_build(lib, v, leaves, with_grad) for v in value)
    return value


def _run(lib: Any, entry: OpEntry, sample: Sample, with_grad: bool) -> tuple[Any, BaseException | None, list, list]:
    leaves: list[Any] = []
    args = _build(lib, sample.args, leaves, with_grad)
    kwargs = {
        k: getattr(lib, v) if k == "dtype" and isinstance(v, str) else _build(lib, v, leaves, with_grad)
        for k, v in sample.kwargs.items()
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return entry.call(lib, *args, **kwargs), None, list(args), leaves
        except Exception as e:  # noqa: BLE001 - every exception is compared with PyTorch's
            return None, e, list(args), leaves


def _builtin_type(e: BaseException) -> type:
    return next(c for c in type(e).__mro__ if c.__module__ == "builtins")


def _compare(ours: Any, theirs: Any, entry: OpEntry, where: str = "result") -> None:
    if isinstance(theirs, torch.Tensor):
        if not isinstance(ours, tg.Tensor):
            raise Mismatch(f"{where}: torch gives a Tensor, we give {type(ours).__name__}")
        if str(ours.dtype) != str(theirs.dtype):
            raise Mismatch(f"{where}: dtype {ours.dtype}, torch {theirs.dtype}")
        if tuple(ours.shape) != tuple(theirs.shape):
            raise Mismatch(f"{where}: shape {tuple(ours.shape)}, torch {tuple(theirs.shape)}")
        if entry.values:
            _same_values(np.asarray(ours.array), theirs.detach().numpy(), entry, where)
        return
    if isinstance(theirs, torch.Size):
        if repr(ours) != repr(theirs) or not isinstance(ours, tuple):
            raise Mismatch(f"{where}: {ours!r}, torch {theirs!r}")
        return
    if isinstance(theirs, torch.dtype):
        if repr(ours) != repr(theirs):
            raise Mismatch(f"{where}: {ours!r}, torch {theirs!r}")
        return
    if isinstance(theirs, tuple | list):
        if type(ours) is not type(theirs) and not (isinstance(theirs, tuple) and isinstance(ours, tuple)):
            raise Mismatch(f"{where}: torch gives {type(theirs).__name__}, we give {type(ours).__name__}")
        if len(ours) != len(theirs):
            raise Mismatch(f"{where}: {len(ours)} items, torch {len(theirs)}")
        if type(theirs).__module__ == "torch.return_types":
            for name in type(theirs).__match_args__:
                if not hasattr(ours, name):
                    raise Mismatch(f"{where}: no field {name!r}")
        for i, (o, t) in enumerate(zip(ours, theirs, strict=True)):
            _compare(o, t, entry, f"{where}[{i}]")
        return
    if isinstance(theirs, np.ndarray):
        if not isinstance(ours, np.ndarray) or ours.dtype != theirs.dtype:
            raise Mismatch(f"{where}: {type(ours).__name__} {getattr(ours, 'dtype', '')}, torch ndarray {theirs.dtype}")
        _same_values(ours, theirs, entry, where)
        return
    if type(ours) is not type(theirs):
        raise Mismatch(f"{where}: {type(ours).__name__} {ours!r}, torch {type(theirs).__name__} {theirs!r}")
    if isinstance(theirs, float):
        if not (
            math.isclose(ours, theirs, rel_tol=entry.rtol, abs_tol=1e-6) or math.isnan(ours) and math.isnan(theirs)
        ):
            raise Mismatch(f"{where}: {ours!r}, torch {theirs!r}")
    elif isinstance(theirs, bool | int | str | type(None)) and entry.values and ours != theirs:
        raise Mismatch(f"{where}: {ours!r}, torch {theirs!r}")


def _same_values(ours: np.ndarray, theirs: np.ndarray, entry: OpEntry, where: str) -> None:
    if theirs.dtype.kind in "fc":
        atol = 1e-6 if theirs.dtype == np.float64 else 1e-5
        rtol = entry.rtol if theirs.dtype == np.float64 else max(entry.rtol, 1e-4)
        ok = np.allclose(ours, theirs, rtol=rtol, atol=atol, equal_nan=True)
    else:
        ok = np.array_equal(ours, theirs)
    if not ok:
        raise Mismatch(f"{where}: values differ:\n{ours}\ntorch:\n{theirs}")


def _check_error(ours: BaseException | None, theirs: BaseException | None, types: bool = True) -> None:
    if ours is not None and any(w in str(ours) and w not in str(theirs or "") for w in NUMPY_WORDS):
        raise Mismatch(f"our message speaks NumPy's or Python's words: {type(ours).__name__}: {ours}")
    if theirs is None:
        if ours is not None and not isinstance(ours, NotImplementedError):
            raise Mismatch(f"we raise {type(ours).__name__}: {ours}; torch runs")
        return
    if ours is None:
        raise Mismatch(f"torch raises {type(theirs).__name__}: {str(theirs).splitlines()[0][:200]}; we do not")
    if not types:
        return
    expected = _builtin_type(theirs)
    if not isinstance(ours, expected):
        raise Mismatch(
            f"we raise {type(ours).__name__}: {ours}; torch raises {expected.__name__}: "
            f"{str(theirs).splitlines()[0][:200]}"
        )


def _outputs(result: Any) -> list[Any]:
    if isinstance(result, tuple | list):
        return [o for r in result for o in _outputs(r)]
    return [result]


def _check_grad(out_ours: Any, out_theirs: Any, leaves_ours: list, leaves_theirs: list) -> None:
    pairs = [
        (o, t)
        for o, t in zip(_outputs(out_ours), _outputs(out_theirs), strict=False)
        if isinstance(t, torch.Tensor) and t.requires_grad and t.dtype == torch.float64
    ]
    if not pairs:
        return
    loss_t, loss_o = 0, 0
    for o, t in pairs:
        if not (isinstance(o, tg.Tensor) and o.requires_grad):
            raise Mismatch("torch's output requires grad, ours does not")
        w = np.linspace(0.5, 1.5, t.numel()).reshape(tuple(t.shape))
        loss_t = loss_t + (t * torch.tensor(w)).sum()
        loss_o = loss_o + (o * tg.tensor(w)).sum()
    loss_t.backward()
    try:
        loss_o.backward()
    except Exception as e:  # noqa: BLE001
        raise Mismatch(f"backward raises {type(e).__name__}: {e}") from e
    for i, (lo, lt) in enumerate(zip(leaves_ours, leaves_theirs, strict=True)):
        if lt.grad is None:
            if lo.grad is not None and np.any(lo.grad.array):
                raise Mismatch(f"input {i} gets a gradient, torch gives none")
            continue
        if lo.grad is None:
            if lt.grad.numel() == 0:  # an empty input's empty gradient
                continue
            raise Mismatch(f"input {i} gets no gradient, torch gives one")
        ok = np.allclose(lo.grad.array, lt.grad.numpy(), rtol=1e-6, atol=1e-8, equal_nan=True)
        if not ok:
            raise Mismatch(f"gradient of input {i} differs:\n{lo.grad.array}\ntorch:\n{lt.grad.numpy()}")


def check_sample(entry: OpEntry, sample: Sample, error_types: bool = True) -> None:
    """Raises Mismatch where we disagree with torch on the sample (error_types=False: where both raise, any
    exception types will do)."""
    with_grad = entry.grad
    out_t, exc_t, args_t, leaves_t = _run(torch, entry, sample, with_grad)
    out_o, exc_o, args_o, leaves_o = _run(tg, entry, sample, with_grad)
    _check_error(exc_o, exc_t, error_types)
    if exc_t is not None or exc_o is not None:
        return
    _compare(out_o, out_t, entry)
    if entry.inplace:
        if (out_t is args_t[0]) != (out_o is args_o[0]):
            raise Mismatch("in place: torch returns the modified tensor itself, we do not (or the reverse)")
        _compare(args_o[0], args_t[0], entry, "the tensor modified in place")
    if with_grad and leaves_t and entry.grad_if(sample):
        _check_grad(out_o, out_t, leaves_o, leaves_t)


def _ids(entries: list[OpEntry]) -> list[str]:
    seen: dict[str, int] = {}
    ids = []
    for e in entries:
        seen[e.name] = seen.get(e.name, 0) + 1
        ids.append(e.name if seen[e.name] == 1 else f"{e.name}#{seen[e.name]}")
    return ids


@pytest.mark.parametrize("entry", TABLE, ids=_ids(TABLE))
def test_agrees_with_torch(entry: OpEntry) -> None:
    torch.manual_seed(0)
    failures, known = [], 0
    for sample in in_every_dtype(entry):
        try:
            check_sample(entry, sample)
        except Mismatch as m:
            if entry.differs_if(sample):
                known += 1
            else:
                failures.append(f"{entry.name}{sample!r}: {m}")
    assert not failures, f"{len(failures)} disagreements:\n" + "\n".join(failures)
    assert known or not entry.differs, f"{entry.name} agrees now where it was marked to differ: remove the mark"
