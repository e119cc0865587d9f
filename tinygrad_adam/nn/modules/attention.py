"""MultiheadAttention with PyTorch's arguments, parameter names (in_proj_weight, in_proj_bias, out_proj) and
initialisation (xavier_uniform_ on the input projection, zero biases).

Each head attends with softmax(q kᵀ / √head_dim + mask) v; the heads' outputs are joined and projected by
out_proj. Masks: attn_mask (L, S) or (N·num_heads, L, S), key_padding_mask (N, S); a boolean mask marks the
positions that may NOT be attended (True = masked), a float mask is added to the scores.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...core.creation import empty
from ...core.tensor import Tensor
from ...core.toplevel import concatenate
from .. import functional as F
from .. import init
from .._checks import check_device, float_dtype, to_tensor
from ..module import Module, Parameter
from .linear import NonDynamicallyQuantizableLinear


class MultiheadAttention(Module):
    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True,
                 add_bias_kv: bool = False, add_zero_attn: bool = False, kdim: int | None = None,
                 vdim: int | None = None, batch_first: bool = False, device: Any = None, dtype: Any = None):
        super().__init__()
        check_device(device, "MultiheadAttention")
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} and "
                             f"num_heads={num_heads} instead")
        if embed_dim % num_heads:
            raise AssertionError("embed_dim must be divisible by num_heads")
        self.embed_dim, self.num_heads, self.dropout, self.batch_first = embed_dim, num_heads, dropout, batch_first
        self.kdim = embed_dim if kdim is None else kdim
        self.vdim = embed_dim if vdim is None else vdim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.head_dim = embed_dim // num_heads
        dtype = float_dtype(dtype)
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(empty((3 * embed_dim, embed_dim), dtype=dtype))
            self.q_proj_weight = self.k_proj_weight = self.v_proj_weight = None
        else:
            self.q_proj_weight = Parameter(empty((embed_dim, embed_dim), dtype=dtype))
            self.k_proj_weight = Parameter(empty((embed_dim, self.kdim), dtype=dtype))
            self.v_proj_weight = Parameter(empty((embed_dim, self.vdim), dtype=dtype))
            self.in_proj_weight = None
        self.in_proj_bias = Parameter(empty(3 * embed_dim, dtype=dtype)) if bias else None
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, dtype=dtype)
        if add_bias_kv:  # one more key and value, learned, at the end of every sequence
            self.bias_k = Parameter(empty((1, 1, embed_dim), dtype=dtype))
            self.bias_v = Parameter(empty((1, 1, embed_dim), dtype=dtype))
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn  # one more key and value of zeros, after those
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        for weight in (self.in_proj_weight, self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
            if weight is not None:
                init.xavier_uniform_(weight)
        for bias in (self.in_proj_bias, self.out_proj.bias):
            if bias is not None:
                init.constant_(bias, 0.0)
        for bias in (self.bias_k, self.bias_v):
            if bias is not None:
                init.xavier_normal_(bias)

    def _projections(self, query: Tensor, key: Tensor, value: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        e = self.embed_dim
        b = self.in_proj_bias
        biases = (None, None, None) if b is None else (b[:e], b[e:2 * e], b[2 * e:])
        if self._qkv_same_embed_dim and query is key and key is value:  # self-attention: one GEMM for q, k, v
            qkv = F.linear(query, self.in_proj_weight, b)
            return qkv[..., :e], qkv[..., e:2 * e], qkv[..., 2 * e:]
        if self._qkv_same_embed_dim:
            w = self.in_proj_weight
            weights = (w[:e], w[e:2 * e], w[2 * e:])
        else:
            weights = (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight)
            for what, x, w in zip(("query", "key", "value"), (query, key, value), weights, strict=True):
                if tuple(w.shape) != (e, x.shape[-1]):  # PyTorch's _in_projection
                    raise AssertionError(f"expecting {what} weights shape of {(e, x.shape[-1])}, but got {w.shape}")
        return tuple(F.linear(x, w, bb)  # type: ignore[return-value]
                     for x, w, bb in zip((query, key, value), weights, biases, strict=True))

    def forward(self, query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None = None,
                need_weights: bool = True, attn_mask: Tensor | None = None, average_attn_weights: bool = True,
                is_causal: bool = False) -> tuple[Tensor, Tensor | None]:
        q_in, k_in, v_in = to_tensor(query), to_tensor(key), to_tensor(value)
        if is_causal and attn_mask is None:
            raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the Transformer "
                               "module method `generate_square_subsequent_mask` to create this mask.")
        batched = q_in.ndim == 3
        _shape_check(q_in, k_in, v_in, key_padding_mask, attn_mask, self.num_heads)
        if k_in.shape[:-1] != v_in.shape[:-1]:
            raise AssertionError(f"key shape {k_in.shape} does not match value shape {v_in.shape}")
        same = query is key and key is value

        def batch_major(x: Tensor) -> Tensor:
            return x.unsqueeze(0) if not batched else x if self.batch_first else x.transpose(0, 1)

        q_in = batch_major(q_in)
        k_in = q_in if same else batch_major(k_in)
        v_in = q_in if same else batch_major(v_in)
        n, tgt_len, src_len = q_in.shape[0], q_in.shape[1], k_in.shape[1]
        if q_in.shape[-1] != self.embed_dim:
            raise AssertionError(f"was expecting embedding dimension of {self.embed_dim}, but got {q_in.shape[-1]}")
        q, k, v = self._projections(q_in, k_in, v_in)
        if self.bias_k is not None:
            k = concatenate([k, self.bias_k.expand(n, 1, self.embed_dim)], dim=1)
            v = concatenate([v, self.bias_v.expand(n, 1, self.embed_dim)], dim=1)

        def heads(x: Tensor) -> Tensor:
            return x.reshape(n, x.shape[1], self.num_heads, self.head_dim).transpose(1, 2)

        q, k, v = heads(q), heads(k), heads(v)
        if self.add_zero_attn:
            zeros = Tensor._make(np.zeros((n, self.num_heads, 1, self.head_dim), dtype=k.array.dtype), False)
            k, v = concatenate([k, zeros], dim=2), concatenate([v, zeros], dim=2)
        extra = k.shape[2] - src_len  # the added keys: never masked
        scores = (q @ k.transpose(-2, -1)) * (1 / math.sqrt(self.head_dim))
        if attn_mask is not None:
            expected = (tgt_len, src_len) if to_tensor(attn_mask).ndim == 2 else \
                (n * self.num_heads, tgt_len, src_len)
            if tuple(to_tensor(attn_mask).shape) != expected:
                raise RuntimeError(f"The shape of the {len(expected)}D attn_mask is {to_tensor(attn_mask).shape}, but "
                                   f"should be {expected}.")
            mask = F._additive_mask(attn_mask, scores, true_means_keep=False)
            if mask.ndim == 3:
                mask = mask.reshape(n, self.num_heads, tgt_len, src_len)
            scores = scores + (F.pad(mask, (0, extra)) if extra else mask)
        if key_padding_mask is not None:
            if tuple(to_tensor(key_padding_mask).shape) != ((n, src_len) if batched else (src_len,)):
                raise AssertionError(f"expecting key_padding_mask shape of {(n, src_len)}, but got "
                                     f"{to_tensor(key_padding_mask).shape}")  # after attn_mask's, as PyTorch
            padding = F._additive_mask(key_padding_mask, scores, true_means_keep=False).reshape(n, 1, 1, src_len)
            scores = scores + (F.pad(padding, (0, extra)) if extra else padding)
        # without weights PyTorch attends through scaled_dot_product_attention: a row with nothing to attend gives 0
        weights = scores.softmax(-1) if need_weights else F._safe_softmax(scores)
        if self.dropout > 0 and self.training:
            weights = F.dropout(weights, self.dropout, True)
        out = (weights @ v).transpose(1, 2).reshape(n, tgt_len, self.embed_dim)
        out = self.out_proj(out)
        out = out.squeeze(0) if not batched else out if self.batch_first else out.transpose(0, 1)
        if not need_weights:
            return out, None
        if average_attn_weights:
            weights = weights.mean(1)
        return out, (weights if batched else weights.squeeze(0))


def _shape_check(query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Any, attn_mask: Any,
                 num_heads: int) -> None:
    """PyTorch's _mha_shape_check: the ranks of query, key, value and the masks agree (AssertionError)."""
    kind = {3: "batched (3-D)", 2: "unbatched (2-D)"}.get(query.ndim)
    if kind is None:
        raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received {query.ndim}-D query "
                             "tensor")
    if key.ndim != query.ndim or value.ndim != query.ndim:
        raise AssertionError(f"For {kind} `query`, expected `key` and `value` to be {query.ndim}-D but found "
                             f"{key.ndim}-D and {value.ndim}-D tensors respectively")
    if key_padding_mask is not None and to_tensor(key_padding_mask).ndim != query.ndim - 1:
        raise AssertionError(f"For {kind} `query`, expected `key_padding_mask` to be `None` or {query.ndim - 1}-D "
                             f"but found {to_tensor(key_padding_mask).ndim}-D tensor instead")
    if attn_mask is not None:
        mask = to_tensor(attn_mask)
        if mask.ndim not in (2, 3):
            raise AssertionError(f"For {kind} `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
                                 f"{mask.ndim}-D tensor instead")
        if query.ndim == 2 and mask.ndim == 3 and tuple(mask.shape) != (num_heads, query.shape[0], key.shape[0]):
            raise AssertionError(f"Expected `attn_mask` shape to be {(num_heads, query.shape[0], key.shape[0])} but "
                                 f"got {mask.shape}")
