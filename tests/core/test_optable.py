"""The op table is the checklist of the public surface: every public name has an entry, or is named as no op."""

from __future__ import annotations

import numpy as np
from optable import NOT_IN_PYTORCH, NOT_OPS, TABLE

import tinygrad_adam as tg
from tinygrad_adam.core.tensor import Tensor
from tinygrad_adam.nn import functional as F

_OBJECT = set(dir(object)) | {
    "__slots__",
    "__weakref__",
    "__module__",
    "__array_ufunc__",
    "__dict__",
    "__annotations__",
}


def public_names() -> set[str]:
    names = {f"torch.{n}" for n in tg.__all__}
    names |= {f"Tensor.{n}" for n in dir(Tensor) if (not n.startswith("_") or n.startswith("__") and n not in _OBJECT)
              and n != "__slotnames__"}  # copyreg's cache, set on the class once a Tensor is pickled
    names |= {f"Tensor.{n}" for n in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__format__")}
    names |= {f"F.{n}" for n in F.__all__}
    names |= {f"nn.{n}" for n in tg.nn.__all__}
    return names


def test_every_public_name_has_an_entry_or_is_no_op() -> None:
    covered = {e.name for e in TABLE} | NOT_OPS | set(NOT_IN_PYTORCH)
    missing = sorted(public_names() - covered)
    assert not missing, f"public names without an entry in tests/core/optable.py: {missing}"


def test_the_lists_name_only_what_exists() -> None:
    stale = sorted((NOT_OPS | set(NOT_IN_PYTORCH)) - public_names())
    assert not stale, f"NOT_OPS / NOT_IN_PYTORCH name what is not public (any more): {stale}"


def test_every_entry_has_samples_and_a_known_kind() -> None:
    for entry in TABLE:
        assert entry.name.split(".")[0] in ("torch", "Tensor", "F", "nn"), entry.name
        assert next(iter(entry.samples()), None) is not None, entry.name


def test_an_entrys_values_depend_on_its_name_alone() -> None:
    """Each entry draws from its own stream (seeded by its name): the same values at every call, whatever
    other entries draw before it, and other values under another name."""
    from optable import OpEntry, fn, unary

    first = [s.args[0].array for s in OpEntry("torch.abs", fn("abs"), unary()).samples()]
    list(OpEntry("torch.exp", fn("exp"), unary()).samples())
    again = [s.args[0].array for s in OpEntry("torch.abs", fn("abs"), unary()).samples()]
    other = [s.args[0].array for s in OpEntry("torch.sin", fn("sin"), unary()).samples()]
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other, strict=True))
