"""What a layer pays for looking its nn.functional function up at each call (as PyTorch's layers do).

    PYTHONPATH=. OPENBLAS_NUM_THREADS=1 python experiments/functional_lookup.py

times, alternated in one process (40 rounds of 2,000 calls, process CPU time), each layer's forward
against the same layer whose forward calls a function bound when its class was made (the code before the
lookup), on a tiny (1, 2, 2, 2) input, so the per-call overhead is what shows; and the lookup on its own
(`getattr(F, layer.functional)`, `layer.function`) against plain attribute reads, in ns. Prints medians and
minima in µs per call (docs/performance.md).
"""

from __future__ import annotations

import json
import statistics
import time
import timeit
from collections.abc import Callable
from typing import Any

import numpy as np

import tinygrad_adam as tg
from tinygrad_adam import nn
from tinygrad_adam.nn import functional as F


def bound_forward(function: Callable[..., Any]) -> Callable[..., Any]:
    def forward(self: Any, *inputs: Any, **named_inputs: Any) -> Any:
        return function(*inputs, **named_inputs, **self._arguments())
    return forward


class BoundReLU(nn.ReLU):
    forward = bound_forward(F.relu)


class BoundMSELoss(nn.MSELoss):
    forward = bound_forward(F.mse_loss)


class BoundMaxPool2d(nn.MaxPool2d):
    def forward(self, input: Any) -> Any:
        return F.max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                            self.return_indices)


def main() -> None:
    x = tg.tensor(np.arange(8.0, dtype=np.float32).reshape(1, 2, 2, 2))
    y = tg.tensor(np.ones((1, 2, 2, 2), np.float32))
    pairs = {"ReLU": (BoundReLU(), nn.ReLU(), (x,)), "MSELoss": (BoundMSELoss(), nn.MSELoss(), (x, y)),
             "MaxPool2d": (BoundMaxPool2d(2), nn.MaxPool2d(2), (x,))}
    result: dict[str, Any] = {}
    for name, (bound, looked_up, args) in pairs.items():
        times: dict[str, list[float]] = {"bound": [], "looked up": []}
        for _ in range(40):
            for label, layer in (("bound", bound), ("looked up", looked_up)):
                timer = timeit.Timer(lambda layer=layer, args=args: layer(*args), timer=time.process_time)
                times[label].append(timer.timeit(2000) / 2e-3)
        result[name] = {f"{stat.__name__} {label}": round(stat(t), 2) for stat in (statistics.median, min)
                        for label, t in times.items()}
    relu, pool = nn.ReLU(), nn.MaxPool2d(2)
    for label, read in (("getattr(F, layer.functional)", lambda: getattr(F, relu.functional)),
                        ("an instance attribute", lambda: relu.training), ("layer.function", lambda: pool.function),
                        ("F.max_pool2d", lambda: F.max_pool2d)):
        result[f"ns: {label}"] = round(min(timeit.Timer(read, timer=time.process_time).repeat(5, 10**6)) * 1e3, 1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
