"""Variable-length sequences for the recurrent layers, with PyTorch's names (torch.nn.utils.rnn).

A PackedSequence holds the steps of a batch of sequences, time-major, without padding: `data` has one row
per (time step, sequence still running), and `batch_sizes[t]` says how many sequences run at step t. The
sequences are sorted by decreasing length; `sorted_indices` maps back to the caller's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from ...core.tensor import Tensor
from ...core.toplevel import concatenate, stack


class PackedSequence(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None = None
    unsorted_indices: Tensor | None = None


def _lengths_array(lengths: Any) -> np.ndarray:
    array = np.asarray(lengths.array if isinstance(lengths, Tensor) else lengths).astype(np.int64).reshape(-1)
    if array.size and array.min() <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' "
                           f"that is <= 0 (lengths {array.tolist()})")
    return array


def packed_positions(batch_sizes: np.ndarray) -> np.ndarray:
    """For each row of a packed `data`, its flat position t * B + b in the padded (T, B) time-major layout."""
    batch = int(batch_sizes[0])
    return np.concatenate([t * batch + np.arange(n) for t, n in enumerate(batch_sizes)])


def packed_to_padded(data: Tensor, batch_sizes: np.ndarray) -> Tensor:
    """Packed rows (N, *) to a zero-padded time-major (T, B, *) tensor (differentiable)."""
    steps, batch = len(batch_sizes), int(batch_sizes[0])
    source = np.full(steps * batch, data.shape[0], dtype=np.int64)  # the appended zero row, by default
    source[packed_positions(batch_sizes)] = np.arange(data.shape[0])
    zero_row = Tensor._make(np.zeros((1,) + data.shape[1:], dtype=data.array.dtype), False)
    return concatenate([data, zero_row])[source].reshape((steps, batch) + data.shape[1:])


def padded_to_packed(padded: Tensor, batch_sizes: np.ndarray) -> Tensor:
    """The inverse of packed_to_padded: the running steps of a time-major (T, B, *) tensor, packed."""
    flat = padded.reshape((padded.shape[0] * padded.shape[1],) + padded.shape[2:])
    return flat[packed_positions(batch_sizes)]


def invert_permutation(permutation: np.ndarray) -> np.ndarray:
    inverse = np.empty_like(permutation)
    inverse[permutation] = np.arange(permutation.size)
    return inverse


def pack_padded_sequence(input: Tensor, lengths: Any, batch_first: bool = False,
                         enforce_sorted: bool = True) -> PackedSequence:
    """Pack a padded batch (T, B, *) (or (B, T, *) with batch_first) of sequences of the given lengths."""
    lengths_array = _lengths_array(lengths)
    x = input.transpose(0, 1) if batch_first else input
    if enforce_sorted:
        if np.any(np.diff(lengths_array) > 0):
            raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. "
                               "You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to "
                               "sidestep this requirement if you do not need ONNX exportability.")
        sorted_indices = None
    else:
        sorted_indices = np.argsort(-lengths_array, kind="stable")
        lengths_array = lengths_array[sorted_indices]
        x = x[:, sorted_indices]
    if lengths_array.size != x.shape[1]:
        raise RuntimeError(f"pack_padded_sequence: {lengths_array.size} lengths for a batch of {x.shape[1]}")
    if lengths_array[0] > x.shape[0]:
        raise RuntimeError(f"pack_padded_sequence: a length of {lengths_array[0]} in a sequence of only "
                           f"{x.shape[0]} steps")
    batch_sizes = (lengths_array[None, :] > np.arange(lengths_array[0])[:, None]).sum(axis=1).astype(np.int64)
    data = padded_to_packed(x[:int(lengths_array[0])], batch_sizes)
    if sorted_indices is None:
        return PackedSequence(data, Tensor(batch_sizes))
    return PackedSequence(data, Tensor(batch_sizes), Tensor(sorted_indices),
                          Tensor(invert_permutation(sorted_indices)))


def pad_packed_sequence(sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0,
                        total_length: int | None = None) -> tuple[Tensor, Tensor]:
    """The padded batch (T, B, *) (or (B, T, *)) and the int64 lengths, in the order before packing."""
    batch_sizes = np.asarray(sequence.batch_sizes.array)
    steps = len(batch_sizes)
    if total_length is not None:
        if total_length < steps:
            raise ValueError(f"Expected total_length to be at least the length of the longest sequence in input, "
                             f"but got total_length={total_length} and max sequence length being {steps}")
    padded = packed_to_padded(sequence.data, batch_sizes)
    if padding_value != 0:
        filled = np.ones(padded.shape[:2], dtype=bool)
        filled.reshape(-1)[packed_positions(batch_sizes)] = False
        padded = padded.masked_fill(filled.reshape(filled.shape + (1,) * (padded.ndim - 2)), padding_value)
    if total_length is not None and total_length > steps:
        widths = [(0, total_length - steps)] + [(0, 0)] * (padded.ndim - 1)
        padded = padded.pad(widths, value=padding_value)
    lengths = (batch_sizes[None, :] > np.arange(int(batch_sizes[0]))[:, None]).sum(axis=1).astype(np.int64)
    if sequence.unsorted_indices is not None:
        order = np.asarray(sequence.unsorted_indices.array)
        padded, lengths = padded[:, order], lengths[order]
    return (padded.transpose(0, 1) if batch_first else padded), Tensor(lengths)


def pad_sequence(sequences: Sequence[Tensor], batch_first: bool = False, padding_value: float = 0.0,
                 padding_side: str = "right") -> Tensor:
    """Stack sequences of shapes (L_i, *) into (max L, B, *) (or (B, max L, *)), padded with padding_value."""
    if padding_side not in ("left", "right"):
        raise ValueError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    longest = max(s.shape[0] for s in sequences)
    padded = []
    for s in sequences:
        extra = longest - s.shape[0]
        side = (0, extra) if padding_side == "right" else (extra, 0)
        padded.append(s.pad([side] + [(0, 0)] * (s.ndim - 1), value=padding_value) if extra else s)
    return stack(padded, dim=0 if batch_first else 1)


def pack_sequence(sequences: Sequence[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """pack_padded_sequence of pad_sequence(sequences), with their lengths."""
    lengths = [s.shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)
