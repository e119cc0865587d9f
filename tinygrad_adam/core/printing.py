"""Tensor's repr in PyTorch's format, `tensor([1.5000, 2.0000], requires_grad=True)`, and torch.set_printoptions.

PyTorch's rules, character for character: one width for every element (the widest of the values shown),
4 decimals unless all values are whole numbers ("1.") or their range asks for scientific notation, as many
elements a line as fit in 80 columns after the indent, and past 1000 elements only the first and last 3
along each dim around "...".
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from .dtypes import get_default_dtype, to_numpy_dtype
from .graph_nodes import node_name

if TYPE_CHECKING:
    from .tensor import Tensor


@dataclasses.dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


OPTIONS = _PrintOptions()
_PROFILES = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80), "full": (4, math.inf, 3, 80)}


def set_printoptions(precision: int | None = None, threshold: float | None = None, edgeitems: int | None = None,
                     linewidth: int | None = None, profile: str | None = None, sci_mode: bool | None = None) -> None:
    """torch.set_printoptions: a profile ("default", "short", "full") and then each option given; sci_mode
    None lets the values decide."""
    if profile in _PROFILES:
        OPTIONS.precision, OPTIONS.threshold, OPTIONS.edgeitems, OPTIONS.linewidth = _PROFILES[profile]
    for name, value in (("precision", precision), ("threshold", threshold), ("edgeitems", edgeitems),
                        ("linewidth", linewidth)):
        if value is not None:
            setattr(OPTIONS, name, value)
    OPTIONS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    return dataclasses.asdict(OPTIONS)


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


class _Formatter:
    """One width and notation for all the elements shown, chosen from the nonzero finite ones."""

    def __init__(self, shown: np.ndarray):
        self.floating = shown.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.width = True, False, 1
        if not self.floating:
            self.width = max((len(str(v)) for v in shown.reshape(-1).tolist()), default=1)
            return
        flat = shown.reshape(-1)
        values = flat[np.isfinite(flat) & (flat != 0)]
        if values.size == 0:
            return
        magnitudes = np.abs(values.astype(np.float64))
        smallest, largest = magnitudes.min(), magnitudes.max()
        self.int_mode = bool(np.all(values == np.ceil(values)))
        self.sci_mode = bool(largest / smallest > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4) \
            if OPTIONS.sci_mode is None else OPTIONS.sci_mode
        p = OPTIONS.precision
        if self.sci_mode:
            widths = [len(f"{v:.{p}e}") for v in values.tolist()]
        elif self.int_mode:
            widths = [len(f"{v:.0f}") + 1 for v in values.tolist()]  # "3." marks a float
        else:
            widths = [len(f"{v:.{p}f}") for v in values.tolist()]
        self.width = max(self.width, *widths)

    def format(self, value: Any) -> str:
        if not self.floating:
            text = f"{value}"
        elif self.sci_mode:
            text = f"{value:{self.width}.{OPTIONS.precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{OPTIONS.precision}f}"
        return " " * (self.width - len(text)) + text


def _summarized(array: np.ndarray) -> np.ndarray:
    """The elements a summarized repr shows: the first and last `edgeitems` along every dim."""
    edge = OPTIONS.edgeitems
    if array.ndim == 0:
        return array
    if array.ndim == 1:
        return np.concatenate((array[:edge], array[-edge:])) if array.shape[0] > 2 * edge else array
    if not edge:
        return np.empty((0,) * array.ndim, array.dtype)
    n = array.shape[0]
    rows = [*range(edge), *range(n - edge, n)] if n > 2 * edge else range(n)
    return np.stack([_summarized(array[i]) for i in rows])


def _vector(array: np.ndarray, indent: int, summarize: bool, formatter: _Formatter) -> str:
    edge = OPTIONS.edgeitems
    per_line = max(1, math.floor((OPTIONS.linewidth - indent) / (formatter.width + 2)))
    values = array.tolist()
    if summarize and not edge:
        texts = ["..."]
    elif summarize and len(values) > 2 * edge:
        texts = [*map(formatter.format, values[:edge]), " ...", *map(formatter.format, values[-edge:])]
    else:
        texts = [formatter.format(v) for v in values]
    lines = [", ".join(texts[i:i + per_line]) for i in range(0, len(texts), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested(array: np.ndarray, indent: int, summarize: bool, formatter: _Formatter) -> str:
    if array.ndim == 0:
        return formatter.format(array.item())
    if array.ndim == 1:
        return _vector(array, indent, summarize, formatter)
    edge, n = OPTIONS.edgeitems, array.shape[0]
    if summarize and n > 2 * edge:
        slices = [*(_nested(array[i], indent + 1, summarize, formatter) for i in range(edge)), "...",
                  *(_nested(array[i], indent + 1, summarize, formatter) for i in range(n - edge, n))]
    else:
        slices = [_nested(array[i], indent + 1, summarize, formatter) for i in range(n)]
    return "[" + ("," + "\n" * (array.ndim - 1) + " " * (indent + 1)).join(slices) + "]"


def format_array(array: np.ndarray, indent: int) -> str:
    """The elements of a non-empty array as PyTorch prints them after a prefix `indent` characters long."""
    summarize = array.size > OPTIONS.threshold
    return _nested(array, indent, summarize, _Formatter(_summarized(array) if summarize else array))


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """`, dtype=...`, `, requires_grad=True`, ... on the last line while it stays within the line width."""
    last_line = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line + len(suffix) + 2 > OPTIONS.linewidth:
            text += ",\n" + " " * indent + suffix
            last_line = indent + len(suffix)
        else:
            text += ", " + suffix
            last_line += len(suffix) + 2
    return text + ")"


def format_tensor(t: Tensor) -> str:
    array, prefix = t.array, "tensor("
    default = to_numpy_dtype(get_default_dtype())
    suffixes = []
    if array.size == 0:
        if array.ndim != 1:
            suffixes.append(f"size={tuple(array.shape)}")
        if array.dtype != default:
            suffixes.append(f"dtype={t.dtype!r}")
        body = "[]"
    else:
        if not OPTIONS.edgeitems:
            suffixes.append(f"size={tuple(array.shape)}")
        if array.dtype not in (default, np.int64, np.bool_):
            suffixes.append(f"dtype={t.dtype!r}")
        body = format_array(array, len(prefix))
    if t._ctx is not None:
        suffixes.append(f"grad_fn=<{node_name(t._ctx)}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, len(prefix))
