"""RNN, LSTM, GRU and their one-step cells, with PyTorch's arguments, weight names, layout and initialisation.

Layer l, direction d has weight_ih_l{l}{sfx} (G·H, input), weight_hh_l{l}{sfx} (G·H, H), bias_ih_l{l}{sfx},
bias_hh_l{l}{sfx}, with sfx "" or "_reverse" and G = 1, 4 (rows i, f, g, o) or 3 (rows r, z, n); every
parameter starts U(-1/√H, 1/√H). Each layer and direction is one fused op (fused/recurrent.py).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from ...core.creation import empty
from ...core.graph_nodes import name_node
from ...core.tensor import Tensor
from ...core.toplevel import concatenate, stack
from .. import functional as F
from .. import init
from .._checks import check_device, float_dtype, to_tensor
from ..module import Module, Parameter
from ..ops.recurrent import GATES, recurrent_layer
from ..utils.rnn import PackedSequence, packed_to_padded, padded_to_packed
from .arguments import changed_options


def _reset_uniform(module: Module, hidden_size: int) -> None:
    bound = 1.0 / math.sqrt(hidden_size) if hidden_size > 0 else 0.0
    for weight in module.parameters():
        init.uniform_(weight, -bound, bound)


CELL_NODES = {"RNN_TANH": "TanhBackward0", "RNN_RELU": "ReluBackward0", "GRU": "AddBackward0", "LSTM": "MulBackward0"}
"""The node PyTorch's cells end in: the new h is tanh(...), relu(...), n + z * (h - n), o * tanh(c)."""


def _zeros(shape: tuple[int, ...], like: Tensor) -> Tensor:
    return Tensor._make(np.zeros(shape, dtype=like.array.dtype), False)


class RNNBase(Module):
    """What RNN, LSTM and GRU share: the parameters of every layer and direction, and the layer loop."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device: Any = None, dtype: Any = None):
        super().__init__()
        name = type(self).__name__
        check_device(device, name)
        if not isinstance(dropout, int | float) or isinstance(dropout, bool) or not 0 <= dropout <= 1:
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an "
                             "element being zeroed")
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                          f"expects num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                          stacklevel=3)
        for size_name, size in (("input_size", input_size), ("hidden_size", hidden_size)):
            if not isinstance(size, int):
                raise TypeError(f"{size_name} should be of type int, got: {type(size).__name__}")
            if size <= 0:
                raise ValueError(f"{size_name} must be greater than zero")
        if not isinstance(num_layers, int) or num_layers <= 0:
            raise ValueError("num_layers must be greater than zero" if isinstance(num_layers, int)
                             else f"num_layers should be of type int, got: {type(num_layers).__name__}")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        self.mode, self.input_size, self.hidden_size, self.num_layers = mode, input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout = bias, batch_first, float(dropout)
        self.bidirectional, self.proj_size = bidirectional, proj_size
        dtype = float_dtype(dtype)
        gate_size = GATES[mode] * hidden_size
        state_size = proj_size or hidden_size  # h's size: the projection's when there is one (LSTM only)
        directions = 2 if bidirectional else 1
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else state_size * directions
            for direction in range(directions):
                sfx = f"_l{layer}" + ("_reverse" if direction else "")
                setattr(self, "weight_ih" + sfx, Parameter(empty((gate_size, layer_input), dtype=dtype)))
                setattr(self, "weight_hh" + sfx, Parameter(empty((gate_size, state_size), dtype=dtype)))
                if bias:
                    setattr(self, "bias_ih" + sfx, Parameter(empty(gate_size, dtype=dtype)))
                    setattr(self, "bias_hh" + sfx, Parameter(empty(gate_size, dtype=dtype)))
                if proj_size:
                    setattr(self, "weight_hr" + sfx, Parameter(empty((proj_size, hidden_size), dtype=dtype)))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        _reset_uniform(self, self.hidden_size)

    def flatten_parameters(self) -> None:
        """PyTorch packs the weights into one buffer for cuDNN; here they are separate arrays already: a no-op."""

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """The parameters of each layer and direction: [[weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0
        (, weight_hr_l0)], ...]."""
        directions = 2 if self.bidirectional else 1
        return [[w for w in self._weights(layer, d) if w is not None]
                for layer in range(self.num_layers) for d in range(directions)]

    def _weights(self, layer: int, direction: int) -> tuple[Tensor | None, ...]:
        sfx = f"_l{layer}" + ("_reverse" if direction else "")
        return (getattr(self, "weight_ih" + sfx), getattr(self, "weight_hh" + sfx),
                getattr(self, "bias_ih" + sfx, None), getattr(self, "bias_hh" + sfx, None),
                getattr(self, "weight_hr" + sfx, None))

    def _check_state(self, state: Tensor, expected: tuple[int, ...], what: str) -> None:
        if tuple(state.shape) != expected:
            raise RuntimeError(f"Expected {what} size {expected}, got {list(state.shape)}")

    def forward(self, input: Any, hx: Any = None) -> tuple[Any, Any]:
        lstm = self.mode == "LSTM"
        packed = isinstance(input, PackedSequence)
        batch_sizes: np.ndarray | None = None
        if packed:
            batch_sizes = np.asarray(input.batch_sizes.array, dtype=np.int64)
            x = packed_to_padded(input.data, batch_sizes)
            unbatched = False
        else:
            x = to_tensor(input)
            if x.ndim not in (2, 3):
                raise ValueError(f"{type(self).__name__}: Expected input to be 2D or 3D, got {x.ndim}D instead")
            unbatched = x.ndim == 2
            x = x.unsqueeze(1) if unbatched else x.transpose(0, 1) if self.batch_first else x
        batch = x.shape[1]
        directions = 2 if self.bidirectional else 1
        state_shape = (self.num_layers * directions, batch, self.proj_size or self.hidden_size)
        cell_shape = (self.num_layers * directions, batch, self.hidden_size)
        if hx is not None:
            h0, c0 = (hx[0], hx[1]) if lstm else (hx, None)
        weight = self._weights(0, 0)[0]  # PyTorch's order: hx unpacked, then the dtype, then the sizes
        if x.dtype != weight.dtype:
            raise ValueError(f"RNN input dtype ({x.dtype}) does not match weight dtype ({weight.dtype}). Convert "
                             f"input: input.to({weight.dtype}), or convert model: model.to({x.dtype})")
        if x.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {x.shape[-1]}")
        if hx is None:
            h0, c0 = _zeros(state_shape, x), (_zeros(cell_shape, x) if lstm else None)
        else:
            if unbatched:
                h0, c0 = h0.unsqueeze(1), (c0.unsqueeze(1) if lstm else None)
            self._check_state(h0, state_shape, "hidden")
            if lstm:
                self._check_state(c0, cell_shape, "cell")
            if packed and input.sorted_indices is not None:
                order = np.asarray(input.sorted_indices.array)
                h0, c0 = h0[:, order], (c0[:, order] if lstm else None)
        steps = x.shape[0]
        if steps == 0:
            raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
        final_h, final_c = [], []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                k = layer * directions + direction
                out = recurrent_layer(self.mode, x, h0[k], c0[k] if lstm else None, *self._weights(layer, direction),
                                      reverse=bool(direction), batch_sizes=batch_sizes)
                outputs.append(out[:steps, :, :self.proj_size] if self.proj_size else out[:steps])
                final_h.append(out[steps, :, :self.proj_size] if self.proj_size else out[steps])
                if lstm:
                    final_c.append(out[steps + 1])
            x = outputs[0] if directions == 1 else concatenate(outputs, dim=2)
            if self.dropout and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
        if directions == 1:  # PyTorch's CPU kernels: oneDNN's layer for a float32 LSTM, else the steps stacked
            name_node(x, "MkldnnRnnLayerBackward0" if lstm and x.dtype == np.float32 and not self.proj_size
                      else "StackBackward0")
        h_n = stack(final_h)
        c_n = stack(final_c) if lstm else None
        if packed:
            if input.unsorted_indices is not None:
                order = np.asarray(input.unsorted_indices.array)
                h_n, c_n = h_n[:, order], (c_n[:, order] if lstm else None)
            output: Any = PackedSequence(padded_to_packed(x, batch_sizes), input.batch_sizes, input.sorted_indices,
                                         input.unsorted_indices)
        elif unbatched:
            output = x.squeeze(1)
            h_n, c_n = h_n.squeeze(1), (c_n.squeeze(1) if lstm else None)
        else:
            output = x.transpose(0, 1) if self.batch_first else x
            if self.batch_first and not lstm:
                name_node(output, "TransposeBackward1")
        return output, ((h_n, c_n) if lstm else h_n)

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}" + changed_options(
            self, proj_size=0, num_layers=1, bias=True, batch_first=False, dropout=0, bidirectional=False)


class RNN(RNNBase):
    """Elman RNN: h' = tanh(W_ih x + b_ih + W_hh h + b_hh) (or relu), per layer and direction."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device: Any = None, dtype: Any = None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size, hidden_size, num_layers,
                         bias, batch_first, dropout, bidirectional, 0, device, dtype)


class LSTM(RNNBase):
    """Long short-term memory; forward(input, (h_0, c_0)) returns (output, (h_n, c_n))."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, proj_size: int = 0,
                 device: Any = None, dtype: Any = None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device, dtype)


class GRU(RNNBase):
    """Gated recurrent unit; forward(input, h_0) returns (output, h_n)."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device: Any = None, dtype: Any = None):
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         0, device, dtype)


class RNNCellBase(Module):
    """One time step: weight_ih (G·H, input), weight_hh (G·H, H), bias_ih, bias_hh, all U(-1/√H, 1/√H)."""

    mode = "RNN_TANH"  # the recurrence a subclass computes (RNNCell sets RNN_RELU for nonlinearity="relu")

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int, device: Any = None,
                 dtype: Any = None):
        super().__init__()
        check_device(device, type(self).__name__)
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        dtype = float_dtype(dtype)
        gate_size = num_chunks * hidden_size
        self.weight_ih = Parameter(empty((gate_size, input_size), dtype=dtype))
        self.weight_hh = Parameter(empty((gate_size, hidden_size), dtype=dtype))
        self.bias_ih = Parameter(empty(gate_size, dtype=dtype)) if bias else None
        self.bias_hh = Parameter(empty(gate_size, dtype=dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        _reset_uniform(self, self.hidden_size)

    def _step(self, input: Any, hx: Any) -> tuple[Tensor, Tensor | None, bool]:
        """The new (h, c) after one step, and whether the input was unbatched."""
        lstm = self.mode == "LSTM"
        x = to_tensor(input)
        if x.ndim not in (1, 2):
            raise ValueError(f"{type(self).__name__}: Expected input to be 1D or 2D, got {x.ndim}D instead")
        for j, state in enumerate(() if hx is None else hx if lstm else (hx,)):
            if to_tensor(state).ndim not in (1, 2):
                raise ValueError(f"{type(self).__name__}: Expected {f'hx[{j}]' if lstm else 'hidden'} to be 1D or "
                                 f"2D, got {to_tensor(state).ndim}D instead")
        unbatched = x.ndim == 1
        if unbatched:
            x = x.unsqueeze(0)
        if x.shape[1] != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {x.shape[1]} expected {self.input_size}")
        shape = (x.shape[0], self.hidden_size)
        if hx is None:
            h, c = _zeros(shape, x), (_zeros(shape, x) if lstm else None)
        else:
            h, c = (hx[0], hx[1]) if lstm else (hx, None)
            if unbatched:
                h, c = h.unsqueeze(0), (c.unsqueeze(0) if lstm else None)
            for label, state in enumerate((h, c) if lstm else (h,)):  # PyTorch's checks, in its order
                if state.shape[0] != shape[0]:
                    raise RuntimeError(f"Input batch size {shape[0]} doesn't match hidden{label} batch size "
                                       f"{state.shape[0]}")
                if state.ndim < 2:
                    raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
                if state.shape[1] != shape[1]:
                    raise RuntimeError(f"hidden{label} has inconsistent hidden_size: got {state.shape[1]}, "
                                       f"expected {shape[1]}")
                if state.ndim > 2:  # PyTorch does not check this (its kernels broadcast, or crash)
                    raise RuntimeError(f"hidden{label}: expected a state of shape {list(shape)}, got "
                                       f"{list(state.shape)}")
        out = recurrent_layer(self.mode, x.unsqueeze(0), h, c, self.weight_ih, self.weight_hh, self.bias_ih,
                              self.bias_hh)
        h, c = name_node(out[1], CELL_NODES[self.mode]), (name_node(out[2], "AddBackward0") if lstm else None)
        return h, c, unbatched

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        """The new hidden state (RNNCell, GRUCell; LSTMCell returns (h, c))."""
        h, _, unbatched = self._step(input, hx)
        return h.squeeze(0) if unbatched else h

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            text += f", nonlinearity={self.nonlinearity}"
        return text


class RNNCell(RNNCellBase):
    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device: Any = None, dtype: Any = None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity}")
        self.nonlinearity = nonlinearity
        self.mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)


class GRUCell(RNNCellBase):
    mode = "GRU"

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None):
        super().__init__(input_size, hidden_size, bias, GATES[self.mode], device, dtype)


class LSTMCell(RNNCellBase):
    mode = "LSTM"

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None):
        super().__init__(input_size, hidden_size, bias, GATES[self.mode], device, dtype)

    def forward(self, input: Tensor, hx: tuple[Tensor, Tensor] | None = None) -> tuple[Tensor, Tensor]:
        h, c, unbatched = self._step(input, hx)
        return (h.squeeze(0), c.squeeze(0)) if unbatched else (h, c)
