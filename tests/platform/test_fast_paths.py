"""Guards for the fast paths of the fused ops: each asserts the property that makes a path fast
(what it allocates, what it calls), not a timing. docs/performance.md has the timings."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from tinygrad_adam import Tensor, gradcheck, nn, no_grad
from tinygrad_adam._platform import threads as _threads
from tinygrad_adam.core.engine import Context
from tinygrad_adam.nn import functional as F
from tinygrad_adam.nn.ops import conv
from tinygrad_adam.nn.ops.layout import pad_batch_last
from tinygrad_adam.nn.ops.pooling import MaxPool2dOp


def _peak_bytes(run: object) -> int:
    tracemalloc.start()
    try:
        run()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_max_pool_backward_makes_byte_masks_not_float_temporaries() -> None:
    x = pad_batch_last(np.random.default_rng(0).standard_normal((32, 8, 24, 24)).astype(np.float32))
    ctx = Context(MaxPool2dOp, (), True)
    out = MaxPool2dOp.forward(ctx, x, (2, 2), (2, 2), (0, 0))
    grad = np.ones_like(out)
    grad_x: list[np.ndarray] = []
    peak = _peak_bytes(lambda: grad_x.append(MaxPool2dOp.backward(ctx, grad)))
    # the input gradient, two byte masks per output and NumPy's fixed-size casting buffers (about
    # 2 + 1.9 bytes per output here); float temporaries per window position (the gradient not yet
    # routed, as before) make it 9 bytes per output
    assert peak <= x.nbytes + 5 * out.size, (peak, x.nbytes, out.size)
    assert grad_x[0].sum() == out.size  # one element per window took the gradient


def test_conv_column_matrix_is_blocked_by_output_rows_only_when_it_outgrows_the_cache() -> None:
    k_plus_bias, ow = 32 * 5 * 5 + 1, 8  # the MNIST CNN's second convolution
    fits = conv.COLUMN_BLOCK_BYTES // (k_plus_bias * ow * 8 * 4)  # the largest batch whose columns fit
    assert conv.row_blocks(8, k_plus_bias * ow * fits * 4) == [(0, 8)]  # one GEMM
    blocks = conv.row_blocks(8, k_plus_bias * ow * 256 * 4)  # batch 256: 52 MB of columns
    assert len(blocks) > 1 and blocks[0][0] == 0 and blocks[-1][1] == 8
    assert all(a[1] == b[0] for a, b in zip(blocks, blocks[1:], strict=False))
    row = k_plus_bias * ow * 256 * 4
    sizes = [(last - first) * row for first, last in blocks]
    assert all(size <= max(2 * conv.COLUMN_BLOCK_BYTES, row) for size in sizes)  # each near the budget
    assert all(a + b > conv.COLUMN_BLOCK_BYTES for a, b in zip(sizes, sizes[1:], strict=False))  # none needless


@pytest.mark.parametrize(("stride", "padding", "dilation"), [(1, 0, 1), (2, 1, 1), ((2, 1), 2, (2, 1))])
def test_conv_in_row_blocks_matches_one_block(monkeypatch: pytest.MonkeyPatch, stride: object, padding: object,
                                              dilation: object) -> None:
    rng = np.random.default_rng(5)
    layer = nn.Conv2d(3, 4, 3, stride=stride, padding=padding, dilation=dilation)
    x = rng.standard_normal((5, 3, 13, 11)).astype(np.float32)
    results = []
    for budget in (conv.COLUMN_BLOCK_BYTES, 1):  # 1 byte: one block per output row
        t = Tensor(x, requires_grad=True)
        out = layer(t)
        out.backward(np.cos(np.arange(out.array.size, dtype=np.float32)).reshape(out.shape))
        results.append([out.array.copy(), t.grad.array, layer.weight.grad.array, layer.bias.grad.array])
        layer.zero_grad()
        monkeypatch.setattr(conv, "COLUMN_BLOCK_BYTES", budget)
    assert len(conv.row_blocks(out.shape[2], 1)) == out.shape[2] > 1
    for one, blocked in zip(*results, strict=True):
        np.testing.assert_allclose(blocked, one, rtol=1e-5, atol=1e-5)


def test_conv_in_row_blocks_passes_gradcheck(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conv, "COLUMN_BLOCK_BYTES", 1)  # one block per output row
    rng = np.random.default_rng(6)
    x = Tensor(rng.standard_normal((2, 2, 7, 6)), requires_grad=True)
    w = Tensor(rng.standard_normal((3, 2, 3, 2)), requires_grad=True)
    b = Tensor(rng.standard_normal(3), requires_grad=True)
    r = rng.standard_normal(F.conv2d(x, w, b, stride=(2, 1), padding=1).shape)
    assert gradcheck(lambda *t: (F.conv2d(*t, stride=(2, 1), padding=1) * r).sum(), x, w, b)


def test_conv_without_grad_holds_one_column_block_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conv, "COLUMN_BLOCK_BYTES", 1 << 16)
    layer = nn.Conv2d(8, 4, 3)
    x = Tensor(np.random.default_rng(7).standard_normal((64, 8, 18, 18)).astype(np.float32))
    column_bytes = (8 * 9 + 1) * 16 * 16 * 64 * 4  # the whole column matrix: 4.8 MB in 16 blocks
    with no_grad():
        peak = _peak_bytes(lambda: layer(x))
    assert peak < column_bytes / 2, (peak, column_bytes)  # input copy, output and two blocks
    recorded = _peak_bytes(lambda: layer(Tensor(x.array, requires_grad=True)))
    assert recorded > column_bytes  # with a graph every block is kept for backward


def _run_with_threads(monkeypatch: pytest.MonkeyPatch, threads: int, run: object) -> tuple[list[np.ndarray], int]:
    """run() with the memory-bound passes split over `threads` threads; its arrays and the handovers made."""
    handed: list[object] = []
    submit = _threads._submit

    def counting_submit(task: object) -> object:
        handed.append(task)
        return submit(task)  # type: ignore[arg-type]

    monkeypatch.setattr(_threads, "THREADS", threads)
    monkeypatch.setattr(_threads, "MIN_BYTES", 1)
    monkeypatch.setattr(_threads, "_submit", counting_submit)
    return run(), len(handed)  # type: ignore[operator]


@pytest.mark.parametrize("layers", ["conv-relu-maxpool", "padded-strided-conv-overlapping-maxpool"])
def test_threaded_passes_are_taken_and_bit_identical_to_one_thread(monkeypatch: pytest.MonkeyPatch,
                                                                   layers: str) -> None:
    rng = np.random.default_rng(8)
    if layers == "conv-relu-maxpool":
        net = nn.Sequential(nn.Conv2d(3, 6, 3), nn.ReLU(), nn.MaxPool2d(2))
    else:
        net = nn.Sequential(nn.Conv2d(3, 6, 3, stride=2, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2, padding=1))
    x = np.maximum(rng.standard_normal((5, 3, 14, 13)), 0).astype(np.float32)  # ties at 0 for max-pool

    def run() -> list[np.ndarray]:
        net.zero_grad()
        t = Tensor(x, requires_grad=True)
        out = net(t)
        out.backward(np.sin(np.arange(out.array.size, dtype=np.float32)).reshape(out.shape))
        return [out.array.copy(), t.grad.array] + [p.grad.array for p in net.parameters()]

    one, handed_one = _run_with_threads(monkeypatch, 1, run)
    split, handed = _run_with_threads(monkeypatch, 3, run)
    assert handed_one == 0
    # im2col, conv forward; ReLU forward; max-pool forward; max-pool backward; ReLU backward; col2im:
    # two handovers each (three threads, the caller runs the first part)
    assert handed >= 2 * 6, handed
    for a, b in zip(one, split, strict=True):
        assert np.array_equal(a, b)


def test_relu_split_over_threads_keeps_values_and_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    x = np.random.default_rng(9).standard_normal((4, 6, 5, 7)).astype(np.float32).transpose(3, 0, 1, 2)
    t = Tensor(x, requires_grad=True)

    def run() -> tuple[np.ndarray, np.ndarray]:
        out = F.relu(t)
        out.backward(np.ones_like(x))
        return out.array, t.grad.array

    (out, grad), handed = _run_with_threads(monkeypatch, 2, run)
    assert handed == 2  # forward and backward each split once
    np.testing.assert_array_equal(out, np.maximum(x, 0))
    np.testing.assert_array_equal(grad, (x > 0).astype(np.float32))
    assert out.strides == x.strides  # the layout of the input is kept (batch last stays batch last)


def test_passes_stay_on_one_thread_while_openblas_workers_spin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TINYGRAD_ADAM_THREADS", raising=False)
    monkeypatch.delenv("OPENBLAS_THREAD_TIMEOUT", raising=False)
    assert not _threads.blas_workers_sleep() and _threads._default_threads() == 1
    monkeypatch.setenv("OPENBLAS_THREAD_TIMEOUT", "4")
    assert _threads.blas_workers_sleep() and _threads._default_threads() >= 1
    monkeypatch.setenv("TINYGRAD_ADAM_THREADS", "3")
    assert _threads._default_threads() == 3
    monkeypatch.setenv("TINYGRAD_ADAM_THREADS", "two")
    with pytest.raises(ValueError, match="TINYGRAD_ADAM_THREADS"):
        _threads._default_threads()
    assert _threads.chunks(10, 1) == [(0, 10)]  # a small pass is not handed over


def test_split_pass_does_not_wait_for_a_worker_that_never_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    # a worker woken late (or not at all) must not hold up the pass: the caller takes every part left
    never_started: list[object] = []
    monkeypatch.setattr(_threads, "THREADS", 2)
    monkeypatch.setattr(_threads, "_submit", never_started.append)
    seen: list[tuple[int, int]] = []
    _threads.run_split(lambda lo, hi: seen.append((lo, hi)), 100, _threads.MIN_BYTES)
    assert len(never_started) == 1 and len(seen) == 2  # both parts, by the caller
    assert sorted(seen) == seen and seen[0][0] == 0 and seen[-1][1] == 100
    assert all(a[1] == b[0] for a, b in zip(seen, seen[1:], strict=False))  # every index once, in order


def test_an_error_in_any_part_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_threads, "THREADS", 2)

    def fail_late(lo: int, hi: int) -> None:
        if hi == 100:
            raise ValueError("last part")

    with pytest.raises(ValueError, match="last part"):
        _threads.run_split(fail_late, 100, _threads.MIN_BYTES)

    ran: list[int] = []

    def fail_first(lo: int, hi: int) -> None:
        ran.append(lo)
        if lo == 0:
            raise KeyboardInterrupt  # e.g. Ctrl-C: the caller's remaining parts are not started

    monkeypatch.setattr(_threads, "_submit", lambda task: None)  # the worker never starts
    with pytest.raises(KeyboardInterrupt):
        _threads.run_split(fail_first, 100, _threads.MIN_BYTES)
    assert ran == [0]


def test_relu_forward_compares_against_an_array_of_zeros_not_a_scalar(monkeypatch: pytest.MonkeyPatch) -> None:
    # NumPy's maximum skips its SIMD loop when one operand is a broadcast scalar (docs/performance.md)
    from tinygrad_adam.core import ops

    seen: list[object] = []
    real_maximum = np.maximum

    def recording_maximum(a: object, b: object, *args: object, **kwargs: object) -> object:
        seen.append(b)
        return real_maximum(a, b, *args, **kwargs)

    monkeypatch.setattr(ops.np, "maximum", recording_maximum)
    x = np.random.default_rng(10).standard_normal((3, 8, 60, 60)).astype(np.float32)
    batch_last = np.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
    for array in (x, batch_last):
        seen.clear()
        out = F.relu(Tensor(array)).array
        np.testing.assert_array_equal(out, real_maximum(array, 0))
        assert seen and all(isinstance(b, np.ndarray) and b.ndim == 1 and b.strides[0] != 0 for b in seen)
        assert len(seen) == 2 and sum(b.size for b in seen) == array.size  # one pass over the input, in blocks


def test_mnist_cnn_products_are_cut_into_pieces_blas_runs_on_one_core(matmul_calls: list) -> None:
    from tinygrad_adam._platform import products as _products

    net = nn.Sequential(nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 5))
    x = Tensor(np.random.default_rng(10).standard_normal((64, 1, 28, 28)).astype(np.float32))
    net(x).sum().backward()
    stacked = [(a, b) for a, b in matmul_calls if len(a) == 3]  # the spectral convolution's products per frequency
    long = [(a, b) for a, b in matmul_calls if a[0] == 26]  # the first convolution's weight gradient
    assert stacked and all(a[-2] * a[-1] * b[-1] <= _products.SMALL_PRODUCT for a, b in stacked)
    assert len(long) > 1 and all(a[0] * a[1] * b[1] <= _products.SMALL_PRODUCT for a, b in long)
    assert sum(a[1] for a, _ in long) == 24 * 24 * 64  # the blocks cover the inner dimension once
