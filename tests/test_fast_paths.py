"""Guards for the fast paths of the fused ops: each asserts the property that makes a path fast
(what it allocates, what it calls), not a timing. docs/performance.md has the timings."""

from __future__ import annotations

import tracemalloc

import numpy as np

from tinygrad_adam.engine import Context
from tinygrad_adam.nn.fused.layout import pad_batch_last
from tinygrad_adam.nn.fused.pooling import MaxPool2dFunction


def _peak_bytes(run: object) -> int:
    tracemalloc.start()
    try:
        run()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_max_pool_backward_makes_byte_masks_not_float_temporaries() -> None:
    x = pad_batch_last(np.random.default_rng(0).standard_normal((32, 8, 24, 24)).astype(np.float32))
    ctx = Context(MaxPool2dFunction, (), True)
    out = MaxPool2dFunction.forward(ctx, x, (2, 2), (2, 2), (0, 0))
    grad = np.ones_like(out)
    grad_x: list[np.ndarray] = []
    peak = _peak_bytes(lambda: grad_x.append(MaxPool2dFunction.backward(ctx, grad)))
    # the input gradient, two byte masks per output and NumPy's fixed-size casting buffers (about
    # 2 + 1.9 bytes per output here); float temporaries per window position (the gradient not yet
    # routed, as before) make it 9 bytes per output
    assert peak <= x.nbytes + 5 * out.size, (peak, x.nbytes, out.size)
    assert grad_x[0].sum() == out.size  # one element per window took the gradient
