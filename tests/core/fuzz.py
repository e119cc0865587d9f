"""Random variations of the op table's samples: the cases of the differential fuzzer (experiments/fuzz_ops.py,
and its short seeded run in test_fuzz_torch.py).

A case is one entry of optable.TABLE and one of its samples, changed at random: tensors get other dtypes,
shapes (0-dim, empty, size-1 and dropped or added leading dims: broadcast pairs), NaN and infinities,
non-contiguous views; Python numbers become others (ints, floats, bools, NaN), which moves dims out of range
and keepdim both ways; a torch.* function may get an out= tensor. Indexing has its own cases: random index
tuples of ints, slices (negative and zero steps too), None, Ellipsis, bool masks and integer arrays, read
and written. Each case is drawn from default_rng((seed, number)) alone, so one number replays it.

Nothing here imports torch.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from optable import DTYPES, TABLE, OpEntry, Sample, T

FLOAT_SPECIALS = (np.nan, np.inf, -np.inf, 0.0, -0.0)
INT_LIMITS = {"uint8": (0, 255), "int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


@dataclass
class Case:
    number: int
    entry: OpEntry
    sample: Sample
    how: str  # what was changed, for the report


def _values(rng: np.random.Generator, shape: tuple[int, ...], dtype: str, like: np.ndarray | None) -> np.ndarray:
    """New values of shape and dtype, in the range of `like`'s values where it has any (so that a domain such as
    log's positive numbers, or an index array's valid positions, mostly survives)."""
    low, high = -3.0, 3.0
    if like is not None and like.size and like.dtype.kind in "biuf":
        finite = like[np.isfinite(like)] if like.dtype.kind == "f" else like
        if finite.size:
            low, high = float(finite.min()), float(finite.max())
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if dtype in INT_LIMITS:
        lo, hi = INT_LIMITS[dtype]
        a, b = max(int(np.floor(low)), lo), min(int(np.ceil(high)), hi)
        return rng.integers(min(a, b), max(a, b) + 1, shape).astype(dtype)
    return rng.uniform(low, high if high > low else low + 1, shape).astype(dtype)


def _with_specials(rng: np.random.Generator, a: np.ndarray) -> np.ndarray:
    a = np.array(a)
    if a.dtype.kind == "f" and a.size:
        where = rng.random(a.shape) < 0.3
        a[where] = rng.choice(FLOAT_SPECIALS, int(where.sum()))
    elif a.dtype.kind in "iu" and a.size and rng.random() < 0.5:
        lo, hi = INT_LIMITS[str(a.dtype)]
        a.flat[rng.integers(a.size)] = rng.choice([lo, hi])
    return a


def _as(a: np.ndarray, dtype: str) -> np.ndarray:
    if dtype == "bool":
        return a != 0
    if a.dtype.kind == "f" and dtype != "float32" and dtype != "float64":
        a = np.nan_to_num(a.round(), nan=0.0, posinf=1.0, neginf=-1.0)
        return (np.abs(a) if dtype == "uint8" else a).astype(dtype)
    return a.astype(dtype)


def _new_shape(rng: np.random.Generator, shape: tuple[int, ...]) -> tuple[tuple[int, ...], str]:
    kind = rng.choice(["zero-dim", "empty", "size-1", "drop-leading", "add-leading", "grow"])
    if kind == "zero-dim" or not shape and kind in ("empty", "size-1", "drop-leading", "grow"):
        return (), "0-dim"
    if kind == "add-leading":
        return (*(1,) * int(rng.integers(1, 3)), *shape), "leading 1s"
    axis = int(rng.integers(len(shape)))
    if kind == "drop-leading":
        return shape[axis + 1 :] if axis < len(shape) - 1 else shape[1:], "leading dims dropped"
    size = {"empty": 0, "size-1": 1, "grow": shape[axis] + int(rng.integers(1, 3))}[kind]
    return (*shape[:axis], size, *shape[axis + 1 :]), f"dim {axis} -> {size}"


def _tensor(rng: np.random.Generator, t: T, notes: list[str]) -> T:
    a = t.array
    dtype, shape = str(a.dtype), a.shape
    if rng.random() < 0.35:
        dtype = str(rng.choice(DTYPES))
        notes.append(f"dtype {a.dtype}->{dtype}")
    if rng.random() < 0.25:
        shape, note = _new_shape(rng, shape)
        notes.append(note)
    b = np.asarray(_as(a, dtype) if shape == a.shape else _values(rng, shape, dtype, a))
    if rng.random() < 0.1:
        b = _with_specials(rng, b)
        notes.append("specials")
    view = t.view if shape == a.shape else None
    if view is None and b.ndim >= 2 and rng.random() < 0.1:
        if rng.random() < 0.5:
            return T(np.ascontiguousarray(b.swapaxes(0, 1)), "T", t.grad)
        return T(np.repeat(b, 2, axis=0), "step", t.grad)
    return T(b, view, t.grad)


def _number(rng: np.random.Generator, v: Any, notes: list[str]) -> Any:
    if isinstance(v, bool):
        new: Any = rng.choice([not v, int(v), float(v)]).item()
    elif isinstance(v, int):
        new = [v - 1, v + 1, -v, 0, int(rng.integers(-4, 5)), float(v), True, 1000][int(rng.integers(8))]
    else:
        whole = round(v) if math.isfinite(v) else 2
        new = [0.0, -0.0, 1.0, -1.5, 2.5, math.nan, math.inf, -math.inf, whole, True][int(rng.integers(10))]
    notes.append(f"{v!r}->{new!r}")
    return new


def _mutated(rng: np.random.Generator, value: Any, notes: list[str], numbers: bool) -> Any:
    if isinstance(value, T):
        return _tensor(rng, value, notes)
    if numbers and isinstance(value, bool | int | float) and rng.random() < 0.3:
        return _number(rng, value, notes)
    if isinstance(value, list | tuple) and not isinstance(value, str):
        return type(value)(_mutated(rng, v, notes, numbers) for v in value)
    return value


def _scalar_operand(rng: np.random.Generator, args: tuple[Any, ...], notes: list[str]) -> tuple[Any, ...]:
    """A tensor operand (not the first) replaced by a Python number of a random kind: scalar promotion."""
    spots = [i for i, a in enumerate(args) if i and isinstance(a, T)]
    if not spots:
        return args
    i = int(rng.choice(spots))
    number = [True, 3, -2, 0.5, -2.5, float("nan")][int(rng.integers(6))]
    notes.append(f"arg {i} -> {number!r}")
    return (*args[:i], number, *args[i + 1 :])


def _out(rng: np.random.Generator, sample: Sample, notes: list[str]) -> dict[str, Any]:
    first = next((a for a in sample.args if isinstance(a, T)), None)
    shape = first.array.shape if first is not None and rng.random() < 0.6 else (0,) if rng.random() < 0.5 else (1,)
    dtype = str(rng.choice(DTYPES)) if rng.random() < 0.4 else (str(first.array.dtype) if first else "float32")
    notes.append(f"out={dtype}{list(shape)}")
    return {"out": T(_values(rng, shape, dtype, None), grad=False)}


def vary(rng: np.random.Generator, entry: OpEntry, sample: Sample, numbers: bool = True) -> tuple[Sample, str]:
    """A random variation of one sample of entry (sometimes the sample itself); `numbers`: Python numbers
    change too (dims, flags and options: Python argument types), and a tensor operand becomes one."""
    notes: list[str] = []
    if rng.random() < 0.15:
        return sample, "as in the table"
    args = tuple(_mutated(rng, a, notes, numbers) for a in sample.args)
    kwargs = {k: _mutated(rng, v, notes, numbers) for k, v in sample.kwargs.items()}
    if numbers and rng.random() < 0.15:
        args = _scalar_operand(rng, args, notes)
    if entry.name.startswith("torch.") and "out" not in kwargs and not entry.inplace and rng.random() < 0.08:
        kwargs.update(_out(rng, sample, notes))
    return Sample(args, kwargs), ", ".join(notes) or "unchanged"


# ----- indexing -----------------------------------------------------------------------------------------------
def _slice(rng: np.random.Generator) -> slice:
    def end() -> int | None:
        return None if rng.random() < 0.4 else int(rng.integers(-5, 6))

    step = [None, None, 1, 2, 3, -1, 0][int(rng.integers(7))]
    return slice(end(), end(), step)


def _index_part(rng: np.random.Generator, size: int, rest: tuple[int, ...]) -> Any:
    kind = int(rng.integers(10))
    if kind <= 2:
        return int(rng.integers(-size - 1, size + 1)) if rng.random() < 0.9 else int(rng.integers(-size, size or 1))
    if kind <= 4:
        return _slice(rng)
    if kind == 5:
        return None if rng.random() < 0.7 else Ellipsis
    if kind == 6:  # bool mask over this dim (and sometimes the next ones)
        shape = (size, *rest[: int(rng.integers(0, len(rest) + 1))]) if rng.random() < 0.85 else (size + 1,)
        return T(rng.random(shape) < 0.5)
    if kind == 7:
        return [int(i) for i in rng.integers(-size, max(size, 1), int(rng.integers(0, 4)))]
    if kind == 8:
        shape = [(), (2,), (2, 2), (0,)][int(rng.integers(4))]
        dtype = ["int64", "int64", "int32", "uint8"][int(rng.integers(4))]
        high = max(size, 1) + (1 if rng.random() < 0.1 else 0)
        low = 0 if dtype == "uint8" else -size
        return T(rng.integers(low, high, shape).astype(dtype))
    return bool(rng.random() < 0.5)


def random_index(rng: np.random.Generator, shape: tuple[int, ...]) -> Any:
    dims = list(shape)
    parts: list[Any] = []
    count = int(rng.integers(0, len(shape) + 2))
    for k in range(count):
        size = dims[k] if k < len(dims) else 1
        parts.append(_index_part(rng, size, tuple(dims[k + 1 :])))
    if len(parts) == 1 and rng.random() < 0.6:
        return parts[0]
    return tuple(parts)


def _random_tensor(rng: np.random.Generator) -> T:
    shape = tuple(int(s) for s in rng.integers(0, 5, int(rng.integers(0, 4))))
    if rng.random() < 0.7:
        shape = tuple(max(s, 1) for s in shape)
    dtype = "float64" if rng.random() < 0.5 else str(rng.choice(DTYPES))
    return T(_values(rng, shape, dtype, None))


def _setitem_value(rng: np.random.Generator, like: T) -> Any:
    kind = int(rng.integers(4))
    if kind == 0:
        return [1.5, -2, True, float("nan")][int(rng.integers(4))]
    if kind == 1:
        return T(_values(rng, (), str(rng.choice(DTYPES)), None))
    shape = like.array.shape[-int(rng.integers(0, like.array.ndim + 1)) :] if like.array.ndim else ()
    if kind == 3 and shape:
        shape = (1, *shape[1:])
    dtype = str(like.array.dtype) if rng.random() < 0.7 else str(rng.choice(DTYPES))
    return T(_values(rng, shape, dtype, None))


def indexing_case(rng: np.random.Generator, getitem: OpEntry, setitem: OpEntry) -> tuple[OpEntry, Sample, str]:
    t = _random_tensor(rng)
    index = random_index(rng, t.array.shape)
    if rng.random() < 0.5:
        return getitem, Sample((t, index)), f"t{list(t.array.shape)}[{index!r}]"
    return setitem, Sample((t, index, _setitem_value(rng, t))), f"t{list(t.array.shape)}[{index!r}] = value"


# ----- the cases -------------------------------------------------------------------------------------------------
def entries(pattern: str | None = None) -> list[OpEntry]:
    """The table's entries whose name matches pattern (a regular expression searched in the name)."""
    return [e for e in TABLE if pattern is None or re.search(pattern, e.name)]


_SAMPLES: dict[int, list[Sample]] = {}


def _samples(entry: OpEntry) -> list[Sample]:
    if id(entry) not in _SAMPLES:
        _SAMPLES[id(entry)] = list(entry.samples())
    return _SAMPLES[id(entry)]


def case(seed: int, number: int, pool: list[OpEntry], indexing: float = 0.1, numbers: bool = True) -> Case:
    """Case `number` of the run `seed`: one of pool's entries (or, with probability `indexing`, an indexing
    case when pool holds Tensor.__getitem__/__setitem__) and a variation of one of its samples."""
    rng = np.random.default_rng((seed, number))
    getitem = next((e for e in pool if e.name == "Tensor.__getitem__" and e.grad), None)
    setitem = next((e for e in pool if e.name == "Tensor.__setitem__" and e.grad), None)
    if getitem and setitem and rng.random() < indexing:
        entry, sample, how = indexing_case(rng, getitem, setitem)
        return Case(number, entry, sample, how)
    entry = pool[int(rng.integers(len(pool)))]
    samples = _samples(entry)
    sample, how = vary(rng, entry, samples[int(rng.integers(len(samples)))], numbers)
    return Case(number, entry, sample, how)
