"""The core: the engine (graph and backward), the Tensor and its ops, dtypes, devices, random numbers."""

import warnings

# PyTorch computes inf and nan silently; NumPy warns once per line. The floating-point warnings raised in this
# package's lines, and in NumPy's Python reductions (np.sum, np.prod, ...) that it calls, are dropped: a filter
# costs nothing until a warning is raised, unlike np.errstate around every op. The user's own NumPy lines keep
# their warnings (but not those of np.sum-style reductions: docs/pytorch.md).
for _module in (r"tinygrad_adam\.", r"numpy\._core\.(fromnumeric|_methods)$"):
    warnings.filterwarnings("ignore", r"(overflow|divide by zero|invalid value|underflow) encountered in",
                            RuntimeWarning, _module)
