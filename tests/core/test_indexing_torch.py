"""t[index] and t[index] = value against torch where NumPy's reading of an index is not PyTorch's (found by
experiments/fuzz_ops.py): ints select before the advanced indices, a bool is an index of its own, index_put wants
the value in the tensor's dtype, a value's leading size-1 dims are dropped, Python ints wrap around."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg

torch = pytest.importorskip("torch")

A = np.arange(24.0).reshape(2, 3, 4)
INDICES = [
    (0, slice(None), [0, 2]),  # NumPy: (2, 3); PyTorch: (3, 2)
    (slice(None), 1, [1, 2, 0]),
    ([0, 1], 0, [1, 2]),
    (0, True, slice(None), [1]),
    (None, -1, slice(None, -3), True),
    ("t0", slice(None), [0, 2]),  # a 0-dim integer tensor selects as an int does
    (1, False, [0]),
]


def _pair(index: tuple) -> tuple[tuple, tuple]:
    ours = tuple(tg.tensor(0) if i == "t0" else i for i in index)
    theirs = tuple(torch.tensor(0) if i == "t0" else i for i in index)
    return ours, theirs


@pytest.mark.parametrize("index", INDICES, ids=repr)
def test_getitem_and_setitem_read_the_index_as_torch(index: tuple) -> None:
    io, it = _pair(index)
    xo, xt = tg.tensor(A, requires_grad=True), torch.tensor(A, requires_grad=True)
    ro, rt = xo[io], xt[it]
    assert tuple(ro.shape) == tuple(rt.shape)
    np.testing.assert_array_equal(ro.detach().numpy(), rt.detach().numpy())
    w = np.linspace(0.5, 1.5, rt.numel()).reshape(tuple(rt.shape))
    (ro * tg.tensor(w)).sum().backward()
    (rt * torch.tensor(w)).sum().backward()
    np.testing.assert_array_equal(xo.grad.numpy(), xt.grad.numpy())
    vo, vt = tg.tensor(-w, requires_grad=True), torch.tensor(-w, requires_grad=True)
    co, ct = xo.detach().clone().requires_grad_(), xt.detach().clone().requires_grad_()
    so, st = co * 1, ct * 1
    so[io], st[it] = vo, vt
    np.testing.assert_array_equal(so.detach().numpy(), st.detach().numpy())
    so.sum().backward()
    st.sum().backward()
    np.testing.assert_array_equal(vo.grad.numpy(), vt.grad.numpy())
    np.testing.assert_array_equal(co.grad.numpy(), ct.grad.numpy())


SETS = [
    ([0, 1], np.ones(4, np.int64)),  # index_put: the dtypes must match
    ([0, 1], np.array(1)),
    ((slice(None), [0]), np.ones(1, np.float32)),
    (np.array([True, False, True]), np.ones(4, np.float32)),
    (np.array([True, False, True]), np.array(2, np.int64)),  # one mask, one value: masked_fill converts
    ((1, np.array([True, False, True, True])), np.array([3], np.int32)),
    (True, np.array(7, np.int64)),  # a lone bool: a copy
    ((True,), np.array(7, np.int64)),  # in a tuple: index_put
    (0, np.ones(4, np.int64)),  # basic: a copy converts
    (torch.tensor(1), np.ones(4, np.int64)),
    (0, np.ones((1, 1, 4))),  # the value's leading size-1 dims are dropped
    ((0, 0, 0), np.array([5.0])),
    ([0], np.ones((1, 1, 4))),
]


@pytest.mark.parametrize(("index", "value"), SETS, ids=lambda v: repr(v).replace("\n", ""))
def test_setitem_dtypes_and_value_shapes_as_torch(index: object, value: np.ndarray) -> None:
    def run(lib: object, idx: object) -> object:
        t = lib.tensor(A[0].copy() if not isinstance(idx, bool) else A[0, 0].copy())
        try:
            t[idx] = lib.tensor(value)
        except Exception as e:  # noqa: BLE001 - the type is compared with torch's
            return type(e)
        return t.numpy()

    def to_ours(i: object) -> object:
        if isinstance(i, torch.Tensor | np.ndarray):
            return tg.tensor(np.asarray(i))
        return i

    ours_index = tuple(map(to_ours, index)) if isinstance(index, tuple) else to_ours(index)
    theirs_index = (tuple(torch.tensor(i) if isinstance(i, np.ndarray) else i for i in index)
                    if isinstance(index, tuple) else torch.tensor(index) if isinstance(index, np.ndarray) else index)
    ours, theirs = run(tg, ours_index), run(torch, theirs_index)
    if isinstance(theirs, type):
        builtin = next(c for c in theirs.__mro__ if c.__module__ == "builtins")
        assert isinstance(ours, type) and issubclass(ours, builtin), (ours, theirs)
    else:
        np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("dtype", ["uint8", "int32", "int64"])
@pytest.mark.parametrize("index", [1, [1]])
@pytest.mark.parametrize("value", [-2, -255, -256, 255, 256, 2**31, -(2**31) - 1, 2**40])
def test_python_int_into_an_integer_tensor_as_torch(dtype: str, index: object, value: int) -> None:
    """uint8 takes -255..-1 wrapped around; an int out of the dtype's range otherwise is refused."""
    ours, theirs = tg.zeros(3, dtype=getattr(tg, dtype)), torch.zeros(3, dtype=getattr(torch, dtype))
    try:
        theirs[index] = value
    except RuntimeError:
        with pytest.raises(RuntimeError):
            ours[index] = value
        return
    ours[index] = value
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("index", [(-1, "mask0"), ("mask0", 0), (slice(None), "mask0"), (Ellipsis, Ellipsis),
                                   (Ellipsis, 0, Ellipsis), (0, Ellipsis, None, Ellipsis)], ids=repr)
def test_empty_masks_and_second_ellipses_as_torch(index: tuple) -> None:
    """A mask must have the shape of the dims it indexes (an empty one too); a second Ellipsis takes no dims."""
    def run(lib: object) -> object:
        idx = tuple(lib.tensor(np.zeros(0, bool)) if i == "mask0" else i for i in index)
        try:
            return lib.tensor(A)[idx].numpy()
        except IndexError:
            return IndexError

    ours, theirs = run(tg), run(torch)
    if theirs is IndexError:
        assert ours is IndexError
    else:
        np.testing.assert_array_equal(ours, theirs)
