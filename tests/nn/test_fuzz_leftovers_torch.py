"""Leftovers of experiments/fuzz_nn.py, each pinned against PyTorch: empty inputs to the normalisation layers,
error types of the losses' shape checks, empty transposed convolutions, adaptive pools' output sizes, and more."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam as tg  # noqa: E402


def _flat(x: Any) -> list:
    if isinstance(x, (tuple, list)):
        return [y for z in x for y in _flat(z)]
    return [None if x is None else x.detach().numpy()]


def run(fn: Callable[[Any], Any], lib: Any) -> Any:
    """fn(lib) as a flat list of NumPy arrays, or the type of the exception it raised."""
    try:
        return _flat(fn(lib))
    except Exception as e:  # noqa: BLE001 -- the types are compared
        return type(e)


def assert_same(fn: Callable[[Any], Any], rtol: float = 1e-9) -> Any:
    """fn(tg) and fn(torch) give the same arrays (shapes, dtypes, values), or both raise the same exception
    type, which is returned."""
    ours, theirs = run(fn, tg), run(fn, torch)
    if isinstance(theirs, type) or isinstance(ours, type):
        assert ours is theirs, f"ours {ours}, torch {theirs}"
        return theirs
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            assert a.shape == b.shape and a.dtype == b.dtype, (a.shape, b.shape, a.dtype, b.dtype)
            np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol)
    return None


def forward_backward(layer: Callable[[Any], Any], *shapes: tuple, train: bool = True) -> Callable[[Any], Any]:
    """fn(lib): the layer in float64 on random inputs of these shapes, its output, the inputs' gradients and
    the parameters' gradients after backward of a weighted sum."""
    def fn(lib: Any) -> list:
        lib.manual_seed(0)
        m = layer(lib).double()
        m.train(train)
        rng = np.random.default_rng(0)
        xs = [lib.tensor(rng.standard_normal(s), requires_grad=True) for s in shapes]
        out = m(*xs)
        outs = [o for o in (out if isinstance(out, tuple) else (out,)) if o.requires_grad]
        sum((o * lib.tensor(rng.standard_normal(tuple(o.shape)))).sum() for o in outs).backward()
        return [out, [x.grad for x in xs], [p.grad for p in m.parameters()], list(m.buffers())]
    return fn


@pytest.mark.parametrize(("name", "shape", "train", "kwargs"), [
    ("BatchNorm1d", (3, 2, 0), True, {}), ("BatchNorm1d", (0, 4), False, {}), ("BatchNorm1d", (0, 4), True, {}),
    ("BatchNorm1d", (2, 0), False, {}), ("BatchNorm1d", (1, 0), True, {}), ("BatchNorm2d", (0, 4, 2, 2), True, {}),
    ("InstanceNorm1d", (0, 4, 3), True, {"affine": True}), ("InstanceNorm1d", (0, 4, 3), True, {}),
    ("InstanceNorm1d", (2, 4, 0), True, {"affine": True}),
])
def test_empty_input_to_batch_and_instance_norm_as_torch(name: str, shape: tuple, train: bool, kwargs: dict) -> None:
    """An empty input is x·weight[0] + bias[0] in PyTorch, before any check of the channels: the parameters
    get zero gradients (not None), a wrong channel count passes, an empty instance batch with affine=True is
    an IndexError."""
    expected = assert_same(forward_backward(lambda lib: getattr(lib.nn, name)(4, **kwargs), shape, train=train))
    assert expected is (IndexError if name.startswith("Instance") and kwargs and shape[0] == 0 else
                        ValueError if shape == (1, 0) else None)


@pytest.mark.parametrize("kwargs", [{"eps": 0.0, "training": True}, {"eps": -1.0}, {"eps": 0.0}])
def test_batch_norm_refuses_a_non_positive_eps_as_torch(kwargs: dict) -> None:
    expected = assert_same(lambda lib: lib.nn.functional.batch_norm(
        lib.ones(2, 3), lib.zeros(3), lib.ones(3), **kwargs))
    assert expected is (None if kwargs == {"eps": 0.0} else ValueError)


@pytest.mark.parametrize("loss", ["nll_loss", "cross_entropy"])
@pytest.mark.parametrize(("shape", "target", "classes"), [
    ((3, 2, 3, 3), (3, 2, 3), None), ((1, 4), (1, 1), None), ((1, 1, 2), (1,), 2), ((3,), (1,), 2), ((3,), (2,), None),
    ((2, 3), (3,), None), ((2, 3, 4, 5), (2, 4), None), ((2, 3, 4, 5, 6), (2, 4, 5, 7), None), ((2, 0), (2,), 2),
    ((2, 3), (2, 3), None), ((), (), None), ((3,), (), None), ((2, 3, 4), (2, 4), 3),
])
@pytest.mark.parametrize("float_target", [False, True])
def test_class_target_shapes_refused_as_torch(loss: str, shape: tuple, target: tuple, classes: int | None,
                                              float_target: bool) -> None:
    """The shape checks in PyTorch's order, with its exception types: ValueError for a batch size that does
    not match, RuntimeError for the rest (a target of the input's shape is taken for class probabilities; a
    float target of another shape is refused after the shape checks)."""
    dtype = "float64" if float_target else "int64"

    def fn(lib: Any) -> Any:
        x = lib.tensor(np.linspace(-1, 1, int(np.prod(shape))).reshape(shape), requires_grad=True)
        weight = None if classes is None else lib.ones(classes, dtype=lib.float64)
        out = getattr(lib.nn.functional, loss)(x, lib.zeros(target, dtype=getattr(lib, dtype)), weight=weight)
        out.backward()
        return out, x.grad
    expected = assert_same(fn)
    assert expected is not None or shape in ((3,), (2, 3, 4)) or float_target and shape == target


@pytest.mark.parametrize(("name", "hidden"), [("GRUCell", ()), ("RNNCell", (1, 1, 3)), ("LSTMCell", ())])
def test_cell_refuses_a_hidden_state_of_the_wrong_rank_as_torch(name: str, hidden: tuple) -> None:
    def fn(lib: Any) -> Any:
        h = lib.zeros(hidden)
        return getattr(lib.nn, name)(2, 3)(lib.zeros(1, 2), (h, h) if name == "LSTMCell" else h)
    assert assert_same(fn) is ValueError


@pytest.mark.parametrize("name", ["RNNCell", "GRUCell", "LSTMCell"])
@pytest.mark.parametrize(("batch", "hidden"), [(3, (3,)), (2, (3,)), (1, (1,)), (2, (2, 4)), (2, (3, 3)), (2, (2, 3)),
                                               (0, (3,)), (None, (3,)), (None, (2,))])
def test_cell_hidden_state_checks_as_torch(name: str, batch: int | None, hidden: tuple) -> None:
    """PyTorch's checks of a hidden state, in order: the batch size, then the hidden size (a 1-D state with a
    batched input is its IndexError)."""
    def fn(lib: Any) -> Any:
        lib.manual_seed(0)
        m = getattr(lib.nn, name)(4, 3).double()
        x = lib.ones(4 if batch is None else (batch, 4), dtype=lib.float64)
        h = lib.full(hidden, 0.5, dtype=lib.float64)
        return m(x, (h, h) if name == "LSTMCell" else h)
    expected = assert_same(fn)
    assert expected is (None if (batch, hidden) in ((2, (2, 3)), (None, (3,))) else
                        IndexError if (batch, hidden) in ((3, (3,)), (1, (1,))) else RuntimeError)


@pytest.mark.parametrize("p", [float("nan"), 0.0, 0.5, 1.5, 3.0, -1.0])
@pytest.mark.parametrize("shape", [(3, 3), (3, 1)])
def test_p_norm_values_and_gradients_as_torch(p: float, shape: tuple) -> None:
    """PyTorch's norm_backward: 0 where an entry or the norm is 0 (was NaN for p < 2), no gradient for p = 0
    (None, was 0); a norm over one element is |x| even for a NaN p."""
    values = np.array([[1.0, -2.0, 0.0], [0.0, 0.0, 0.0], [0.5, 0.0, 3.0]])[:, :shape[1]]

    def fn(lib: Any) -> Any:
        x = lib.tensor(values, requires_grad=True)
        out = x.norm(p, -1)
        (out * lib.tensor(np.array([1.0, 2.0, 3.0]))).sum().backward()
        return out, x.grad
    assert_same(fn)


@pytest.mark.parametrize("p", [float("nan"), 0.0, 3.0])
def test_pairwise_distance_odd_p_as_torch(p: float) -> None:
    """A NaN p over a last dim of one element gives |x1 - x2 + eps| (was NaN); p = 0 gives no gradient."""
    assert_same(forward_backward(lambda lib: lib.nn.PairwiseDistance(p=p, eps=0.1, keepdim=True), (3, 1, 1), (1, 1)))


@pytest.mark.parametrize(("shape", "target"), [((), (1,)), ((1, 1), (1, 2)), ((2, 2), (2,)), ((2, 2), ()),
                                               ((2, 1), (2, 2)), ((2, 2), (3,))])
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_soft_margin_loss_target_broadcasts_to_the_input_only_as_torch(shape: tuple, target: tuple,
                                                                       reduction: str) -> None:
    def fn(lib: Any) -> Any:
        x = lib.tensor(np.linspace(-1, 1, int(np.prod(shape))).reshape(shape), requires_grad=True)
        out = lib.nn.SoftMarginLoss(reduction=reduction)(x, -lib.ones(target, dtype=lib.float64))
        out.sum().backward()
        return out, x.grad
    assert assert_same(fn) is (None if target in ((2,), ()) else RuntimeError)


@pytest.mark.parametrize(("shape", "dim", "sizes", "refused"), [
    ((4, 0), 0, (-1, 4), False), ((0, 4), 0, (-1, 4), False), ((0, 4), 0, (-1, 0), True), ((4, 0), 1, (0, -1), True),
    ((4, 0), 1, (2, -1), False), ((4, 6), 1, (-1, 4), True), ((4, 6), 1, (-1, -1), True), ((4, 6), 1, (-2, 3), True),
    ((4, 6), -1, (3, -1), False),
])
def test_unflatten_infers_minus_one_from_the_dim_as_torch(shape: tuple, dim: int, sizes: tuple, refused: bool) -> None:
    """-1 is the dim's size over the other sizes (was the whole tensor's, so (4, 0) could not unflatten dim 0 to
    (-1, 4)); an empty dim with a 0 among the sizes is ambiguous, as in PyTorch."""
    def fn(lib: Any) -> Any:
        x = lib.zeros(shape, requires_grad=True)
        out = lib.nn.Unflatten(dim, sizes)(x)
        out.sum().backward()
        return out, x.grad
    assert assert_same(fn) is (RuntimeError if refused else None)


@pytest.mark.parametrize("mode", ["max", "mean"])
@pytest.mark.parametrize(("indices", "offsets"), [([], [0]), ([], [0, 0]), ([], []), ([1, 2], [0, 2]),
                                                  ([[], []], None)])
def test_embedding_bag_with_no_index_as_torch(mode: str, indices: list, offsets: list | None) -> None:
    """Bags that are all empty give zeros and zero gradients in max mode too (was amax's IndexError); a 2-D
    input with no column is PyTorch's RuntimeError."""
    def fn(lib: Any) -> Any:
        lib.manual_seed(0)
        m = lib.nn.EmbeddingBag(5, 3, mode=mode).double()
        index = lib.tensor(np.array(indices, dtype=np.int64).reshape(2, 0) if offsets is None else
                           np.array(indices, dtype=np.int64))
        out = m(index, None if offsets is None else lib.tensor(offsets, dtype=lib.int64))
        (out * 2).sum().backward()
        return out, m.weight.grad
    assert assert_same(fn) is (RuntimeError if offsets is None else None)


@pytest.mark.parametrize(("name", "shape", "output_size"), [
    ("ConvTranspose2d", (2, 2, 2, 4, 4), [4, 2]), ("ConvTranspose2d", (2, 2, 4, 4), [2, 2, 9, 9]),
    ("ConvTranspose2d", (2, 4, 4), [2, 9, 9]), ("ConvTranspose2d", (2, 2, 4, 4), [9]),
    ("ConvTranspose1d", (2, 2, 4), [2, 2, 8]), ("ConvTranspose3d", (1, 2, 2, 2, 2), [5, 4, 5]),
])
def test_transposed_output_size_as_torch(name: str, shape: tuple, output_size: list) -> None:
    """output_size is read as PyTorch's _output_padding reads it, before any check of the input (a 5-D input
    to ConvTranspose2d is its ValueError about the size)."""
    assert_same(forward_backward(lambda lib: _OutputSize(lib, name, output_size), shape))


class _OutputSize:
    def __init__(self, lib: Any, name: str, output_size: list) -> None:
        self.layer = getattr(lib.nn, name)(2, 3, 2, stride=2)
        self.output_size = output_size

    def double(self) -> _OutputSize:
        self.layer.double()
        return self

    def train(self, mode: bool) -> None:
        self.layer.train(mode)

    def parameters(self) -> Any:
        return self.layer.parameters()

    def buffers(self) -> Any:
        return self.layer.buffers()

    def __call__(self, x: Any) -> Any:
        return self.layer(x, output_size=self.output_size)


@pytest.mark.parametrize(("function", "x", "weight"), [
    ("conv_transpose2d", (1, 2, 2, 3), (2, 0, 1, 1)), ("conv_transpose1d", (1, 2, 3), (2, 0, 1)),
    ("conv_transpose3d", (1, 2, 2, 3, 3), (2, 0, 1, 1, 1)), ("conv_transpose2d", (1, 0, 2, 3), (0, 2, 1, 1)),
    ("conv2d", (1, 2, 2, 3), (0, 2, 1, 1)), ("conv1d", (1, 2, 3), (0, 2, 1)),
    ("conv3d", (1, 2, 2, 3, 3), (0, 2, 1, 1, 1)),
    ("conv2d", (1, 2, 2, 3), (2, 2, 0, 1)), ("conv_transpose2d", (1, 2, 2, 3), (2, 2, 0, 1)),
    ("conv3d", (1, 2, 3, 3, 3), (2, 2, 0, 1, 1)),
])
def test_convolution_refuses_an_empty_weight_as_torch(function: str, x: tuple, weight: tuple) -> None:
    """No output channel, no input channel for a transposed convolution, or a kernel size of 0: PyTorch's
    RuntimeError (ours computed an empty result or failed in NumPy)."""
    assert assert_same(lambda lib: getattr(lib.nn.functional, function)(lib.ones(x), lib.ones(weight))) \
        is RuntimeError


@pytest.mark.parametrize("step_sizes", [-1.0, [1e-6, 50.0]])
def test_rprop_keeps_step_sizes_as_given_as_torch(step_sizes: Any) -> None:
    """PyTorch stores etas and step_sizes as given and unpacks step_sizes in step(): a number is refused there
    (TypeError), not in the constructor, and a list stays a list in param_groups."""
    def fn(lib: Any) -> Any:
        p = lib.tensor([1.0, -2.0], requires_grad=True)
        opt = lib.optim.Rprop([p], step_sizes=step_sizes, etas=[0.5, 1.2])
        assert opt.param_groups[0]["step_sizes"] == step_sizes and opt.param_groups[0]["etas"] == [0.5, 1.2]
        (p * p).sum().backward()
        opt.step()
        return p
    assert assert_same(fn) is (TypeError if step_sizes == -1.0 else None)


@pytest.mark.parametrize(("sizes", "shapes"), [((3, 1, 0), ((4, 3), (4, 1))), ((3, 2, 2), ((0, 3), (0, 2))),
                                               ((0, 2, 2), ((4, 0), (4, 2)))])
def test_bilinear_with_an_empty_size_as_torch(sizes: tuple, shapes: tuple) -> None:
    """out_features = 0 gives an empty (N, 0) result (was a reshape error)."""
    assert_same(forward_backward(lambda lib: lib.nn.Bilinear(*sizes), *shapes))


@pytest.mark.parametrize("shape", [(2, 0, 5), (0, 2, 5), (5, 0), (0, 5), (2, 5, 0)])
def test_adaptive_pool1d_with_an_empty_dim_as_torch(shape: tuple) -> None:
    """adaptive_max_pool1d refuses an empty channel dim as PyTorch (adaptive_avg_pool1d's forward does not)."""
    assert_same(forward_backward(lambda lib: lib.nn.AdaptiveMaxPool1d(3), shape))
    assert_same(lambda lib: lib.nn.AdaptiveAvgPool1d(3)(lib.zeros(shape)))


@pytest.mark.parametrize("shape", [(0, 6, 4), (2, 6, 4), (6, 4)])
def test_fold_of_an_empty_batch_as_torch(shape: tuple) -> None:
    """An empty batch folds to an empty (0, C, H, W) (was a reshape error)."""
    assert_same(forward_backward(lambda lib: lib.nn.Fold((3, 5), (3, 2)), shape))


@pytest.mark.parametrize(("shape", "kwargs"), [
    ((2, 2, 5, 2), {"scale_factor": float("nan"), "mode": "bilinear", "align_corners": True}),
    ((2, 2, 5, 2), {"scale_factor": float("inf")}),
    ((2, 2, 5, 2), {"scale_factor": float("nan"), "recompute_scale_factor": True}),
    ((2, 2, 1, 4, 2), {"scale_factor": (1, 1.5), "mode": "bicubic", "align_corners": True}),
    ((2, 2, 4), {"size": (3, 3), "mode": "bicubic"}), ((2, 2, 4), {"size": (3, 3), "mode": "bogus"}),
    ((2, 2, 4), {"size": 3, "mode": "bicubic"}), ((2, 2, 4), {"scale_factor": 2.0, "mode": "trilinear"}),
])
def test_interpolate_checks_sizes_before_the_mode_as_torch(shape: tuple, kwargs: dict) -> None:
    """A size or scale_factor of the wrong length is ValueError before any rank or mode check; a NaN or infinite
    scale is the RuntimeError of PyTorch's kernel (ValueError/OverflowError of math.floor when recomputed)."""
    assert assert_same(lambda lib: lib.nn.functional.interpolate(lib.ones(shape), **kwargs)) is not None


@pytest.mark.parametrize(("shape", "mask"), [((3, 3, 4), (2, 3)), ((3, 3, 4), (3, 2)), ((3, 3, 4), (3, 3)),
                                             ((3, 4), (2,))])
def test_attention_refuses_a_key_padding_mask_of_the_wrong_size_as_torch(shape: tuple, mask: tuple) -> None:
    """A key_padding_mask whose batch or length does not fit is PyTorch's AssertionError (was a reshape error)."""
    def fn(lib: Any) -> Any:
        lib.manual_seed(0)
        m = lib.nn.MultiheadAttention(4, 2).double()
        x = lib.ones(shape, dtype=lib.float64)
        return m(x, x, x, key_padding_mask=lib.zeros(mask, dtype=lib.bool))[0]
    assert assert_same(fn) is (None if mask == (3, 3) else AssertionError)


@pytest.mark.parametrize(("name", "output_size", "shape"), [
    ("AdaptiveMaxPool2d", (5, 4), (5, 6)), ("AdaptiveAvgPool2d", (None, 4), (5, 6)),
    ("AdaptiveAvgPool2d", (None, 4), (1, 5, 6)), ("AdaptiveMaxPool2d", None, (1, 5, 6)),
    ("AdaptiveAvgPool2d", [3, None], (1, 5, 6)), ("AdaptiveAvgPool3d", None, (2, 5, 5, 5)),
    ("AdaptiveAvgPool3d", (None, 2, None), (1, 2, 5, 6)), ("AdaptiveMaxPool3d", (2, None, 1), (1, 2, 5, 6, 3)),
    ("AdaptiveMaxPool1d", (3, 4), (1, 2, 5)), ("AdaptiveAvgPool1d", (3,), (1, 2, 5)),
    ("AdaptiveAvgPool2d", (3, 4, 5), (1, 2, 5, 5)), ("AdaptiveAvgPool3d", (2, 2), (1, 2, 3, 3, 3)),
])
def test_adaptive_pool_output_size_forms_as_torch(name: str, output_size: Any, shape: tuple) -> None:
    """output_size goes through PyTorch's _list_with_default first: None entries from the input's trailing dims,
    ValueError for an input of too few dims, TypeError for None itself; a sequence of the wrong length is
    RuntimeError."""
    assert_same(forward_backward(lambda lib: getattr(lib.nn, name)(output_size), shape))


@pytest.mark.parametrize("shape", [(7, 3), (7,), (1, 1, 2, 7, 3)])
def test_avg_pool2d_of_too_few_dims_as_torch(shape: tuple) -> None:
    assert assert_same(lambda lib: lib.nn.functional.avg_pool2d(lib.ones(shape), 2)) is not None


def test_attention_checks_separate_projection_shapes_and_mask_order_as_torch() -> None:
    """With kdim/vdim a key of another width is PyTorch's AssertionError (was a matmul error), and a wrong
    attn_mask is reported before a wrong key_padding_mask."""
    def separate(lib: Any) -> Any:
        lib.manual_seed(0)
        m = lib.nn.MultiheadAttention(9, 3, kdim=4, vdim=3)
        return m(lib.ones(2, 9), lib.ones(3, 3), lib.ones(3, 3))[0]

    def masks(lib: Any) -> Any:
        lib.manual_seed(0)
        m = lib.nn.MultiheadAttention(2, 1, batch_first=True)
        x = lib.ones(1, 0, 2)
        mask = lib.zeros(1, 1, dtype=lib.bool)
        return m(x, x, x, attn_mask=mask, key_padding_mask=mask)[0]
    assert assert_same(separate) is AssertionError
    assert assert_same(masks) is RuntimeError


@pytest.mark.parametrize(("layer", "shape"), [
    (lambda lib: lib.nn.Fold((5, 6), (3, 2), dilation=2, padding=1), (2, 0, 18)),
    (lambda lib: lib.nn.ConvTranspose3d(2, 4, 1), (3, 2, 0, 2, 4)),
    (lambda lib: lib.nn.ConvTranspose1d(2, 4, 1), (2, 0)),
    (lambda lib: lib.nn.ConvTranspose2d(2, 4, 1), (0, 2, 2, 2)),
])
def test_empty_inputs_refused_as_torch(layer: Any, shape: tuple) -> None:
    """An empty non-batch dim is refused by fold and (unless the batch or channels are empty) by the
    transposed convolutions, as in PyTorch."""
    assert_same(forward_backward(layer, shape))


def test_max_unpool2d_of_an_empty_batch_as_torch() -> None:
    def fn(lib: Any) -> Any:
        x = lib.zeros(0, 2, 4, 1, requires_grad=True)
        out = lib.nn.MaxUnpool2d(1, 1)(x, lib.zeros(0, 2, 4, 1, dtype=lib.int64))
        out.sum().backward()
        return out, x.grad
    assert assert_same(fn) is None


@pytest.mark.parametrize(("name", "kernel"), [("Conv1d", -2), ("Conv2d", (2, -1)), ("Conv3d", -1),
                                              ("ConvTranspose3d", -1), ("ConvTranspose2d", -3)])
def test_convolution_with_a_negative_kernel_size_as_torch(name: str, kernel: Any) -> None:
    """PyTorch's RuntimeError from making a weight of a negative size (was our ValueError)."""
    assert assert_same(lambda lib: getattr(lib.nn, name)(3, 3, kernel)) is RuntimeError


@pytest.mark.parametrize("padding", [0.0, 1.5])
def test_pool3d_argument_types_before_lengths_as_torch(padding: float) -> None:
    """A float padding is the argument parser's TypeError even when the kernel size has the wrong length."""
    def fn(lib: Any) -> Any:
        return lib.nn.functional.avg_pool3d(lib.ones(1, 1, 4, 4, 4), (2, 1), 2, padding)
    assert assert_same(fn) is TypeError
