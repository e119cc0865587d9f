"""Differential fuzzer: tinygrad_adam's nn layers and optimizers against PyTorch's.

    python experiments/fuzz_nn.py --seed 0 --iterations 500 [--modules Conv,LSTM] [--optim-only|--no-optim]
                                  [--stop] [--verbose]

Each iteration draws one layer with random constructor arguments and input shapes (sometimes invalid ones),
builds it in both libraries after the same manual_seed and checks: the same parameters (the init stream),
buffers, state_dict keys (in order) and shapes, print(module); the outputs in float32 and float64; float64
gradients with respect to the inputs and the parameters; the buffers after the forward (train and eval);
torch's state_dict loaded into ours and ours into torch's; and that an argument or a shape PyTorch refuses
is refused here too (and the other way round). Optimizers (with random hyperparameters, parameter groups and
sometimes an lr scheduler) run a few steps on the same float64 problem, comparing parameters, the learning
rates and state_dict() after each step.

A failure prints its case (module, arguments, shapes) and a one-line reason with its case seed: `--replay SEED`
(with the same --modules, which changes the draw) runs it alone. At the end, failures are counted by kind, then
the options this package refuses with NotImplementedError (known gaps) and the layers it lacks. Exit status 1 if
any case failed. Run from anywhere: the tinygrad_adam imported is this tree's.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
import tinygrad_adam as tg  # noqa: E402  (this tree's, not an installed copy)

LIBS = {"torch": torch, "ours": tg}


# ----- inputs ------------------------------------------------------------------------------------------
@dataclass
class Arr:
    """An input made the same way in both libraries: 'f' float normal, 'i' int64 in [0, high), 'b' bool
    (True with probability `high`), 'c' a constant list (int64), 'p' positive floats."""
    kind: str
    shape: tuple[int, ...] = ()
    high: float = 0
    value: Any = None

    def make(self, rng: np.random.Generator) -> np.ndarray:
        if self.kind == "f":
            return rng.standard_normal(self.shape)
        if self.kind == "p":
            return rng.uniform(0.1, 2.0, self.shape)
        if self.kind == "u":
            return rng.uniform(0.05, 0.95, self.shape)
        if self.kind == "i":
            return rng.integers(0, max(int(self.high), 1), self.shape).astype(np.int64)
        if self.kind == "b":
            return rng.random(self.shape) < self.high
        return np.asarray(self.value, dtype=np.int64)


@dataclass
class Lib:
    """A constructor argument that is itself built in each library (a layer for TransformerEncoder)."""
    build: Callable[[Any], Any]
    text: str

    def __repr__(self) -> str:
        return self.text


@dataclass
class Case:
    name: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    inputs: list = field(default_factory=list)
    call_kwargs: dict = field(default_factory=dict)
    train: bool = True
    grad: bool = True             # compare gradients (off where an op has no gradient in PyTorch either)
    forward: Callable | None = None   # (lib, module, *inputs, **call_kwargs) -> output, instead of module(...)
    tol32: float = 2e-4
    tol64: float = 1e-8           # float64 gradients (PyTorch's hardsigmoid/hardswish backward use float32 1/6)
    state: bool = True            # compare state_dict round trips
    deterministic: bool = True    # outputs comparable (no random draw in the forward)
    module: str = ""              # the class in nn, when the name says more

    def describe(self) -> str:
        shapes = [a.shape if a.kind != "c" else a.value for a in self.inputs]
        kw = {k: (v.shape if isinstance(v, Arr) else v) for k, v in self.call_kwargs.items()}
        return (f"{self.module or self.name}(*{self.args!r}, **{self.kwargs!r}) train={self.train} "
                f"inputs={shapes} call={kw}")


# ----- the layers: each draws one case -------------------------------------------------------------------
def _b(r: random.Random, p: float = 0.5) -> bool:
    return r.random() < p


def _batch(r: random.Random, n: int = 2) -> tuple[int, ...]:
    return tuple(r.randint(1, 3) for _ in range(r.randint(0, n)))


def linear(r):
    i, o = r.randint(1, 6), r.randint(1, 6)
    return Case("Linear", (i, o), {"bias": _b(r, .7)}, [Arr("f", (*_batch(r), i))])


def bilinear(r):
    i1, i2, o = r.randint(1, 4), r.randint(1, 4), r.randint(1, 4)
    b = () if _b(r, .2) else (r.randint(1, 4),)
    return Case("Bilinear", (i1, i2, o), {"bias": _b(r, .7)}, [Arr("f", (*b, i1)), Arr("f", (*b, i2))])


def identity(r):
    return Case("Identity", (r.randint(0, 3),), {"unused": "x"}, [Arr("f", _batch(r, 3))])


def _conv_common(r, nd):
    g = r.choice([1, 1, 2, 3])
    cin, cout = g * r.randint(1, 2), g * r.randint(1, 3)
    k = r.randint(1, 3) if _b(r) else tuple(r.randint(1, 3) for _ in range(nd))
    kw = {"stride": r.choice([1, 1, 2, (1, 2, 1)[:nd] if nd > 1 else 2]),
          "dilation": r.choice([1, 1, 2]), "groups": g, "bias": _b(r, .7)}
    return cin, cout, k, kw


def conv(r, nd):
    cin, cout, k, kw = _conv_common(r, nd)
    kw["padding"] = r.choice([0, 1, 2, "same", "valid", tuple(r.randint(0, 2) for _ in range(nd))])
    if kw["padding"] == "same":
        kw["stride"] = 1
    kw["padding_mode"] = r.choice(["zeros", "zeros", "reflect", "replicate", "circular"])
    size = tuple(r.randint(3, 7) for _ in range(nd))
    batch = () if _b(r, .2) else (r.randint(1, 3),)
    return Case(f"Conv{nd}d", (cin, cout, k), kw, [Arr("f", (*batch, cin, *size))])


def conv_transpose(r, nd):
    cin, cout, k, kw = _conv_common(r, nd)
    kw["padding"] = r.choice([0, 1, tuple(r.randint(0, 1) for _ in range(nd))])
    s = kw["stride"] if isinstance(kw["stride"], int) else min(kw["stride"])
    kw["output_padding"] = r.choice([0, 0, min(s, kw["dilation"]) - 1])
    size = tuple(r.randint(2, 5) for _ in range(nd))
    batch = () if _b(r, .2) else (r.randint(1, 3),)
    case = Case(f"ConvTranspose{nd}d", (cin, cout, k), kw, [Arr("f", (*batch, cin, *size))])
    if _b(r, .2) and batch:
        k_ = (k,) * nd if isinstance(k, int) else k
        st = (kw["stride"],) * nd if isinstance(kw["stride"], int) else kw["stride"]
        pd = (kw["padding"],) * nd if isinstance(kw["padding"], int) else kw["padding"]
        base = [(n - 1) * s_ - 2 * p + kw["dilation"] * (kk - 1) + 1
                for n, s_, p, kk in zip(size, st, pd, k_, strict=True)]
        out = [b + r.randint(0, s_ - 1) for b, s_ in zip(base, st, strict=False)]
        case.forward = lambda lib, m, x: m(x, output_size=out)
    return case


def maxpool(r, nd):
    k = r.randint(1, 3)
    kw = {"stride": r.choice([None, 1, 2, 3]), "padding": r.randint(0, k // 2), "dilation": r.choice([1, 1, 2]),
          "return_indices": _b(r, .3), "ceil_mode": _b(r, .4)}
    size = tuple(r.randint(3, 8) for _ in range(nd))
    batch = () if _b(r, .2) else (r.randint(1, 2),)
    return Case(f"MaxPool{nd}d", (k,), kw, [Arr("f", (*batch, r.randint(1, 3), *size))])


def avgpool(r, nd):
    k = r.randint(1, 3) if _b(r) or nd == 1 else (r.randint(1, 3), r.randint(1, 3))
    kmin = k if isinstance(k, int) else min(k)
    kw = {"stride": r.choice([None, 1, 2, 3]), "padding": r.randint(0, kmin // 2), "ceil_mode": _b(r, .4),
          "count_include_pad": _b(r)}
    if nd == 2 and _b(r, .3):
        kw["divisor_override"] = r.randint(1, 5)
    size = tuple(r.randint(3, 8) for _ in range(nd))
    batch = () if _b(r, .2) else (r.randint(1, 2),)
    return Case(f"AvgPool{nd}d", (k,), kw, [Arr("f", (*batch, r.randint(1, 3), *size))])


def adaptive(r, kind, nd):
    if nd == 1:
        out = r.randint(1, 6)
    else:
        out = r.choice([r.randint(1, 5), (r.randint(1, 5), r.choice([None, r.randint(1, 5)]))])
    kw = {"return_indices": _b(r, .3)} if kind == "Max" else {}
    size = tuple(r.randint(1, 8) for _ in range(nd))
    batch = () if _b(r, .2) else (r.randint(1, 2),)
    return Case(f"Adaptive{kind}Pool{nd}d", (out,), kw, [Arr("f", (*batch, r.randint(1, 3), *size))])


def maxunpool(r):
    k = r.randint(1, 3)
    s = r.choice([None, k, 1])
    size = (r.randint(k, 7), r.randint(k, 7))
    case = Case("MaxUnpool2d", (k, s), {}, [Arr("f", (r.randint(1, 2), r.randint(1, 3), *size))])
    case.forward = lambda lib, m, x: m(*lib.nn.functional.max_pool2d(x, k, s, return_indices=True))
    return case


def batchnorm(r, nd):
    c = r.randint(1, 4)
    kw = {"eps": r.choice([1e-5, 1e-3, 0.1]), "momentum": r.choice([0.1, 0.5, None]), "affine": _b(r, .7),
          "track_running_stats": _b(r, .7)}
    if nd == 1:
        shape = (r.randint(1, 4), c) if _b(r) else (r.randint(1, 3), c, r.randint(1, 4))
    else:
        shape = (r.randint(1, 3), c, r.randint(1, 4), r.randint(1, 4))
    return Case(f"BatchNorm{nd}d", (c,), kw, [Arr("f", shape)], train=_b(r, .6))


def instancenorm(r, nd):
    c = r.randint(1, 4)
    kw = {"eps": r.choice([1e-5, 1e-3]), "momentum": r.choice([0.1, 0.5, None]), "affine": _b(r, .5),
          "track_running_stats": _b(r, .4)}
    size = tuple(r.randint(1, 5) for _ in range(nd))
    batch = () if _b(r, .25) else (r.randint(1, 3),)
    return Case(f"InstanceNorm{nd}d", (c,), kw, [Arr("f", (*batch, c, *size))], train=_b(r, .6))


def layernorm(r):
    shape = tuple(r.randint(1, 4) for _ in range(r.randint(1, 4)))
    k = r.randint(1, len(shape))
    ns = shape[-k:]
    ns_arg = ns[0] if k == 1 and _b(r) else list(ns) if _b(r) else ns
    kw = {"eps": r.choice([1e-5, 1e-2]), "elementwise_affine": _b(r, .7), "bias": _b(r, .7)}
    return Case("LayerNorm", (ns_arg,), kw, [Arr("f", shape)])


def groupnorm(r):
    g = r.randint(1, 3)
    c = g * r.randint(1, 3)
    shape = (r.randint(1, 3), c, *tuple(r.randint(1, 4) for _ in range(r.randint(0, 2))))
    return Case("GroupNorm", (g, c), {"eps": r.choice([1e-5, 1e-2]), "affine": _b(r, .7)}, [Arr("f", shape)])


def rmsnorm(r):
    shape = tuple(r.randint(1, 4) for _ in range(r.randint(1, 4)))
    k = r.randint(1, len(shape))
    ns = shape[-k:]
    kw = {"eps": r.choice([None, 1e-5, 0.1]), "elementwise_affine": _b(r, .7)}
    return Case("RMSNorm", (ns[0] if k == 1 and _b(r) else list(ns),), kw, [Arr("f", shape)])


def lrn(r):
    shape = (r.randint(1, 2), r.randint(1, 5), *tuple(r.randint(1, 4) for _ in range(r.randint(1, 2))))
    return Case("LocalResponseNorm", (r.randint(1, 4),),
                {"alpha": r.choice([1e-4, 0.1]), "beta": r.choice([0.75, 0.5]), "k": r.choice([1.0, 2.0])},
                [Arr("f", shape)])


def dropout(r, name):
    p = r.choice([0.0, 0.3, 0.5, 1.0])
    rank = {"Dropout": r.randint(0, 3), "Dropout1d": r.choice([2, 3]), "Dropout2d": r.choice([3, 4, 4, 5]),
            "Dropout3d": r.choice([4, 5])}[name]
    shape = tuple(r.randint(1, 3) for _ in range(rank))
    case = Case(name, (p,), {"inplace": _b(r, .3)}, [Arr("f", shape)], train=_b(r, .7))  # masks: PyTorch's stream
    if case.kwargs["inplace"]:
        case.forward = lambda lib, m, x: m(x * 1)
    return case


def embedding(r):
    n, d = r.randint(1, 8), r.randint(1, 5)
    kw = {"padding_idx": r.choice([None, None, r.randint(-n, n - 1)]),
          "max_norm": r.choice([None, None, 1.0]), "norm_type": r.choice([2.0, 1.0]),
          "scale_grad_by_freq": _b(r, .3)}
    return Case("Embedding", (n, d), kw, [Arr("i", _batch(r, 3), n)])


def embeddingbag(r):
    n, d = r.randint(1, 8), r.randint(1, 5)
    mode = r.choice(["mean", "sum", "max"])
    kw = {"mode": mode, "padding_idx": r.choice([None, None, r.randint(0, n - 1)]),
          "max_norm": r.choice([None, None, 1.0]), "include_last_offset": False}
    ck = {}
    if _b(r):
        inputs = [Arr("i", (r.randint(1, 3), r.randint(1, 4)), n)]
        shape = inputs[0].shape
    else:
        length = r.randint(1, 8)
        cuts = sorted(r.sample(range(1, length + 1), r.randint(0, min(3, length))))
        kw["include_last_offset"] = _b(r, .3)
        offsets = [0, *cuts] if not kw["include_last_offset"] else [0, *cuts, length]
        offsets = sorted(set(offsets)) if kw["include_last_offset"] else offsets
        inputs = [Arr("i", (length,), n), Arr("c", value=offsets)]
        shape = (length,)
    if mode == "sum" and _b(r, .4):
        ck["per_sample_weights"] = Arr("f", shape)
    return Case("EmbeddingBag", (n, d), kw, inputs, ck)


def recurrent(r, name):
    i, h = r.randint(1, 4), r.randint(1, 4)
    layers = r.randint(1, 3)
    kw = {"num_layers": layers, "bias": _b(r, .7), "batch_first": _b(r), "bidirectional": _b(r),
          "dropout": r.choice([0.0, 0.0, 0.3])}  # dropout masks are PyTorch's stream: train with them too
    if name == "RNN":
        kw["nonlinearity"] = r.choice(["tanh", "relu"])
    if name == "LSTM" and _b(r, .3):
        kw["proj_size"] = r.randint(1, h)
    t, n = r.randint(1, 4), r.randint(1, 3)
    unbatched = _b(r, .2)
    x = (t, i) if unbatched else ((n, t, i) if kw["batch_first"] else (t, n, i))
    inputs = [Arr("f", x)]
    d = 2 if kw["bidirectional"] else 1
    if _b(r, .4):
        hout = kw.get("proj_size", h)
        hs = (d * layers, hout) if unbatched else (d * layers, n, hout)
        if name == "LSTM":
            cs = (d * layers, h) if unbatched else (d * layers, n, h)
            case = Case(name, (i, h), kw, [*inputs, Arr("f", hs), Arr("f", cs)], train=_b(r))
            case.forward = lambda lib, m, x, h0, c0: m(x, (h0, c0))
            return case
        inputs.append(Arr("f", hs))
    return Case(name, (i, h), kw, inputs, train=_b(r))


def cell(r, name):
    i, h = r.randint(1, 4), r.randint(1, 4)
    kw = {"bias": _b(r, .7)}
    if name == "RNNCell":
        kw["nonlinearity"] = r.choice(["tanh", "relu"])
    b = () if _b(r, .2) else (r.randint(1, 3),)
    inputs = [Arr("f", (*b, i))]
    case = Case(name, (i, h), kw, inputs)
    if _b(r, .5):
        if name == "LSTMCell":
            case.inputs += [Arr("f", (*b, h)), Arr("f", (*b, h))]
            case.forward = lambda lib, m, x, h0, c0: m(x, (h0, c0))
        else:
            case.inputs.append(Arr("f", (*b, h)))
    return case


def mha(r):
    heads = r.randint(1, 3)
    e = heads * r.randint(1, 3)
    kw = {"dropout": r.choice([0.0, 0.0, 0.5]), "bias": _b(r, .8), "add_bias_kv": _b(r, .25),
          "add_zero_attn": _b(r, .25),
          "kdim": r.choice([None, None, r.randint(1, 4)]), "vdim": r.choice([None, None, r.randint(1, 4)]),
          "batch_first": _b(r)}
    kd, vd = kw["kdim"] or e, kw["vdim"] or e
    L, S, n = r.randint(1, 4), r.randint(1, 4), r.randint(1, 3)
    unbatched = _b(r, .2)

    def shp(t, d):
        return (t, d) if unbatched else ((n, t, d) if kw["batch_first"] else (t, n, d))
    self_attn = kd == e and vd == e and _b(r, .3)
    inputs = [Arr("f", shp(L, e))] if self_attn else [Arr("f", shp(L, e)), Arr("f", shp(S, kd)), Arr("f", shp(S, vd))]
    if self_attn:
        S = L
    ck: dict[str, Any] = {"need_weights": _b(r, .6), "average_attn_weights": _b(r, .7)}
    if _b(r, .35):
        ck["key_padding_mask"] = Arr("b", (S,) if unbatched else (n, S), 0.3)
    if _b(r, .35):
        ck["attn_mask"] = Arr(r.choice(["b", "f"]), (L, S) if _b(r, .7) or unbatched else (n * heads, L, S), 0.3)
    case = Case("MultiheadAttention", (e, heads), kw, inputs, ck, train=_b(r))
    if self_attn:
        case.forward = lambda lib, m, x, **k: m(x, x, x, **k)
    return case


def _layer_kwargs(r, d):
    return {"dim_feedforward": r.randint(1, 8), "dropout": r.choice([0.0, 0.0, 0.1, 0.5]),
            "activation": r.choice(["relu", "gelu"]),
            "layer_norm_eps": r.choice([1e-5, 1e-3]), "batch_first": _b(r), "norm_first": _b(r), "bias": _b(r, .8)}


def _masks(r, ck, L, n, prefix, causal_ok=True):
    if _b(r, .3):
        ck[f"{prefix}_mask"] = Arr(r.choice(["b", "f"]), (L, L), 0.3)
    if _b(r, .3):
        ck[f"{prefix}_key_padding_mask"] = Arr("b", (n, L), 0.3)


def transformer_layer(r, kind):
    heads = r.randint(1, 2)
    d = heads * r.randint(1, 3)
    kw = _layer_kwargs(r, d)
    L, S, n = r.randint(1, 4), r.randint(1, 4), r.randint(1, 3)

    def shp(t):
        return (n, t, d) if kw["batch_first"] else (t, n, d)
    ck: dict[str, Any] = {}
    if kind == "Encoder":
        _masks(r, ck, L, n, "src")
        return Case("TransformerEncoderLayer", (d, heads), kw, [Arr("f", shp(L))], ck, train=_b(r))
    _masks(r, ck, L, n, "tgt")
    if _b(r, .3):
        ck["memory_key_padding_mask"] = Arr("b", (n, S), 0.3)
    return Case("TransformerDecoderLayer", (d, heads), kw, [Arr("f", shp(L)), Arr("f", shp(S))], ck, train=_b(r))


def transformer_stack(r, kind):
    heads = r.randint(1, 2)
    d = heads * r.randint(1, 3)
    kw = _layer_kwargs(r, d)
    layers = r.randint(1, 3)
    norm = _b(r)
    layer = f"Transformer{kind}Layer"
    text = f"{layer}({d}, {heads}, **{kw})"
    args = (Lib(lambda lib: getattr(lib.nn, layer)(d, heads, **kw), text), layers)
    extra = {"norm": Lib(lambda lib: lib.nn.LayerNorm(d), "LayerNorm(d)")} if norm else {}
    L, S, n = r.randint(1, 4), r.randint(1, 4), r.randint(1, 3)
    shp = (lambda t: (n, t, d)) if kw["batch_first"] else (lambda t: (t, n, d))
    ck: dict[str, Any] = {}
    if kind == "Encoder":
        if _b(r, .3):
            ck["mask"] = Arr(r.choice(["b", "f"]), (L, L), 0.3)
        if _b(r, .3):
            ck["src_key_padding_mask"] = Arr("b", (n, L), 0.3)
        return Case("TransformerEncoder", args, extra, [Arr("f", shp(L))], ck, train=_b(r))
    _masks(r, ck, L, n, "tgt")
    return Case("TransformerDecoder", args, extra, [Arr("f", shp(L)), Arr("f", shp(S))], ck, train=_b(r))


def transformer(r):
    heads = r.randint(1, 2)
    d = heads * r.randint(1, 3)
    kw = _layer_kwargs(r, d)
    kw.update(d_model=d, nhead=heads, num_encoder_layers=r.randint(1, 2), num_decoder_layers=r.randint(1, 2))
    L, S, n = r.randint(1, 4), r.randint(1, 4), r.randint(1, 3)
    shp = (lambda t: (n, t, d)) if kw["batch_first"] else (lambda t: (t, n, d))
    ck: dict[str, Any] = {}
    if _b(r, .3):
        ck["tgt_mask"] = Arr("b", (L, L), 0.3)
    if _b(r, .3):
        ck["src_key_padding_mask"] = Arr("b", (n, S), 0.3)
    return Case("Transformer", (), kw, [Arr("f", shp(S)), Arr("f", shp(L))], ck, train=_b(r))


def upsample(r):
    mode = r.choice(["nearest", "linear", "bilinear", "bicubic", "nearest-exact", "trilinear"])
    nd = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}.get(mode, r.randint(1, 3))
    kw: dict[str, Any] = {"mode": mode}
    if _b(r):
        kw["size"] = r.randint(1, 7) if _b(r) else tuple(r.randint(1, 7) for _ in range(nd))
    else:
        kw["scale_factor"] = r.choice([2, 2.0, 1.5, 0.5, 3]) if _b(r) else tuple(
            r.choice([1, 2, 1.5]) for _ in range(nd))
    if mode in ("linear", "bilinear", "bicubic", "trilinear") and _b(r):
        kw["align_corners"] = _b(r)
    shape = (r.randint(1, 2), r.randint(1, 2), *tuple(r.randint(1, 5) for _ in range(nd)))
    return Case("Upsample", (), kw, [Arr("f", shape)])


def upsampling_alias(r, name):
    kw = {"size": r.randint(1, 6)} if _b(r) else {"scale_factor": r.choice([2, 3])}
    return Case(name, (), kw, [Arr("f", (r.randint(1, 2), r.randint(1, 2), r.randint(1, 4), r.randint(1, 4)))])


def shuffle(r, name):
    f = r.randint(1, 3)
    b = () if _b(r, .2) else (r.randint(1, 2),)
    if name == "PixelShuffle":
        shape = (*b, r.randint(1, 2) * f * f, r.randint(1, 3), r.randint(1, 3))
    elif name == "PixelUnshuffle":
        shape = (*b, r.randint(1, 2), f * r.randint(1, 2), f * r.randint(1, 2))
    else:
        shape = (r.randint(1, 2), f * r.randint(1, 2), r.randint(1, 3), *((r.randint(1, 3),) if _b(r) else ()))
    return Case(name, (f,), {}, [Arr("f", shape)])


def flatten(r):
    shape = tuple(r.randint(1, 3) for _ in range(r.randint(1, 4)))
    nd = len(shape)
    return Case("Flatten", (r.randint(-nd, nd - 1), r.randint(-nd, nd - 1)), {}, [Arr("f", shape)])


def unflatten(r):
    shape = tuple(r.randint(1, 4) for _ in range(r.randint(1, 3)))
    dim = r.randint(-len(shape), len(shape) - 1)
    n = shape[dim]
    divs = [a for a in range(1, n + 1) if n % a == 0]
    a = r.choice(divs)
    sizes = [a, n // a]
    if _b(r, .3):
        sizes[r.randint(0, 1)] = -1
    return Case("Unflatten", (dim, tuple(sizes) if _b(r) else sizes), {}, [Arr("f", shape)])


PADS = {"ZeroPad1d": 1, "ZeroPad2d": 2, "ZeroPad3d": 3, "ConstantPad1d": 1, "ConstantPad2d": 2,
        "ConstantPad3d": 3, "ReflectionPad1d": 1, "ReflectionPad2d": 2, "ReflectionPad3d": 3,
        "ReplicationPad1d": 1, "ReplicationPad2d": 2, "ReplicationPad3d": 3, "CircularPad1d": 1,
        "CircularPad2d": 2, "CircularPad3d": 3}


def padding(r, name):
    nd = PADS[name]
    pad = r.randint(0, 2) if _b(r) else tuple(r.randint(-1 if "Constant" in name or "Zero" in name else 0, 2)
                                               for _ in range(2 * nd))
    args = (pad, r.choice([0.0, 1.5])) if "Constant" in name else (pad,)
    size = tuple(r.randint(2, 4) for _ in range(nd))
    batch = () if _b(r, .3) else (r.randint(1, 2),)
    return Case(name, args, {}, [Arr("f", (*batch, r.randint(1, 2), *size))])


ACTIVATIONS: dict[str, Callable[[random.Random], tuple[tuple, dict]]] = {
    "ReLU": lambda r: ((), {}), "ReLU6": lambda r: ((), {}), "Sigmoid": lambda r: ((), {}),
    "Tanh": lambda r: ((), {}), "SiLU": lambda r: ((), {}), "Mish": lambda r: ((), {}), "SELU": lambda r: ((), {}),
    "Softsign": lambda r: ((), {}), "Tanhshrink": lambda r: ((), {}), "LogSigmoid": lambda r: ((), {}),
    "Hardsigmoid": lambda r: ((), {}), "Hardswish": lambda r: ((), {}),
    "ELU": lambda r: ((), {"alpha": r.choice([1.0, 0.5, 2.0])}),
    "CELU": lambda r: ((), {"alpha": r.choice([1.0, 0.5, 2.0])}),
    "GELU": lambda r: ((), {"approximate": r.choice(["none", "tanh"])}),
    "GLU": lambda r: ((), {"dim": r.choice([-1, 0, 1])}),
    "Hardshrink": lambda r: ((), {"lambd": r.choice([0.5, 0.1, 1.0])}),
    "Softshrink": lambda r: ((), {"lambd": r.choice([0.5, 0.1, 1.0])}),
    "Hardtanh": lambda r: ((), {"min_val": r.choice([-1.0, -0.5]), "max_val": r.choice([1.0, 0.3])}),
    "LeakyReLU": lambda r: ((), {"negative_slope": r.choice([0.01, 0.2, -0.1])}),
    "Softmax": lambda r: ((), {"dim": r.choice([None, -1, 0, 1])}),
    "Softmin": lambda r: ((), {"dim": r.choice([None, -1, 0, 1])}),
    "LogSoftmax": lambda r: ((), {"dim": r.choice([None, -1, 0, 1])}),
    "Softplus": lambda r: ((), {"beta": r.choice([1.0, 2.0, 0.5]), "threshold": r.choice([20.0, 1.0])}),
    "Threshold": lambda r: ((r.choice([0.0, 0.5]), r.choice([-1.0, 2.0])), {}),
    "PReLU": lambda r: ((), {"num_parameters": r.choice([1, 1, 2]), "init": r.choice([0.25, 0.1])}),
    "RReLU": lambda r: ((), {"lower": r.choice([0.125, 0.1]), "upper": r.choice([1 / 3, 0.2])}),
    "Softmax2d": lambda r: ((), {}),
}


def activation(r, name):
    args, kw = ACTIVATIONS[name](r)
    if name == "Softmax2d":
        shape = (r.randint(1, 2), r.randint(1, 3), r.randint(1, 3), r.randint(1, 3))[r.randint(0, 1):]
    elif name == "PReLU" and kw["num_parameters"] > 1:
        shape = (r.randint(1, 2), kw["num_parameters"], r.randint(1, 3))
    else:
        shape = tuple(r.randint(1, 4) for _ in range(r.randint(1, 3)))
    if name == "GLU":
        shape = tuple(2 * s for s in shape)
    case = Case(name, args, kw, [Arr("f", shape)], train=name != "RReLU" or _b(r, .3))
    if name in ("Hardsigmoid", "Hardswish"):
        case.tol64 = 1e-7
    case.deterministic = not (name == "RReLU" and case.train)
    inplace = name in ("ReLU", "ReLU6", "ELU", "CELU", "SELU", "SiLU", "Mish", "Hardtanh", "LeakyReLU",
                       "Threshold", "Hardsigmoid", "Hardswish", "RReLU") and _b(r, .3)
    if inplace:
        case.kwargs["inplace"] = True
        case.forward = lambda lib, m, x: m(x * 1)
    return case


def distance(r, name):
    shape = tuple(r.randint(1, 4) for _ in range(r.randint(1, 3)))
    if name == "CosineSimilarity":
        kw = {"dim": r.randint(-len(shape), len(shape) - 1), "eps": r.choice([1e-8, 0.1])}
    else:
        kw = {"p": r.choice([2.0, 1.0, 3.0, 0.5]), "eps": r.choice([1e-6, 0.1]), "keepdim": _b(r)}
    other = shape if _b(r, .8) else shape[1:] if len(shape) > 1 else (1,)
    return Case(name, (), kw, [Arr("f", shape), Arr("f", other)])


def fold(r, name):
    k = (r.randint(1, 3), r.randint(1, 3))
    kw = {"dilation": r.choice([1, 2]), "padding": r.choice([0, 1]), "stride": r.choice([1, 2])}
    c = r.randint(1, 2)
    if name == "Unfold":
        return Case("Unfold", (k,), kw, [Arr("f", (r.randint(1, 2), c, r.randint(3, 6), r.randint(3, 6)))])
    out = (r.randint(3, 6), r.randint(3, 6))
    blocks = 1
    for i in range(2):
        blocks *= (out[i] + 2 * kw["padding"] - kw["dilation"] * (k[i] - 1) - 1) // kw["stride"] + 1
    return Case("Fold", (out, k), kw, [Arr("f", (r.randint(1, 2), c * k[0] * k[1], max(blocks, 1)))])


def container(r):
    kind = r.choice(["Sequential", "SequentialDict", "ModuleList", "ModuleDict"])
    i = r.randint(1, 4)
    dims = [i] + [r.randint(1, 4) for _ in range(r.randint(1, 3))]

    def build(lib):
        layers = []
        for a, b in zip(dims, dims[1:], strict=False):
            layers += [lib.nn.Linear(a, b), lib.nn.Tanh() if a % 2 else lib.nn.ReLU()]
        if kind == "Sequential":
            return lib.nn.Sequential(*layers)
        names = [f"l{j}" if j % 3 else f"x{j}" for j in range(len(layers))]
        if kind == "SequentialDict":
            from collections import OrderedDict
            return lib.nn.Sequential(OrderedDict(zip(names, layers, strict=False)))
        if kind == "ModuleList":
            return lib.nn.ModuleList(layers)
        return lib.nn.ModuleDict(dict(zip(names, layers, strict=False)))

    def forward(lib, m, x):
        for layer in (m.values() if kind == "ModuleDict" else m):
            x = layer(x)
        return x
    case = Case("container", (Lib(build, f"{kind}{dims}"),), {}, [Arr("f", (*_batch(r), i))], forward=forward,
                module=kind)
    return case


def loss(r, name):
    reduction = r.choice(["mean", "sum", "none"])
    n, c = r.randint(1, 4), r.randint(2, 4)
    shape = (n, *tuple(r.randint(1, 3) for _ in range(r.randint(0, 2))))
    kw: dict[str, Any] = {"reduction": reduction}
    if name in ("MSELoss", "L1Loss"):
        inputs = [Arr("f", shape), Arr("f", shape)]
    elif name == "SmoothL1Loss":
        kw["beta"] = r.choice([1.0, 0.5, 0.0])
        inputs = [Arr("f", shape), Arr("f", shape)]
    elif name == "HuberLoss":
        kw["delta"] = r.choice([1.0, 0.5, 2.0])
        inputs = [Arr("f", shape), Arr("f", shape)]
    elif name == "BCELoss":
        inputs = [Arr("u", shape), Arr("u", shape)]
    elif name == "BCEWithLogitsLoss":
        if _b(r, .3):
            kw["pos_weight"] = Lib(lambda lib, k=shape[-1]: lib.tensor(np.linspace(0.5, 2.0, k, dtype=np.float32)),
                                   "pos_weight")
        inputs = [Arr("f", shape), Arr("u", shape)]
    elif name == "KLDivLoss":
        kw["log_target"] = _b(r)
        kw["reduction"] = r.choice(["mean", "sum", "none", "batchmean"])
        inputs = [Arr("f", shape), Arr("f" if kw["log_target"] else "u", shape)]
    elif name == "SoftMarginLoss":
        inputs = [Arr("f", shape), Arr("c", value=np.sign(np.random.default_rng(n).standard_normal(shape)))]
    elif name == "PoissonNLLLoss":
        kw.update(log_input=_b(r), full=_b(r, .3))
        inputs = [Arr("f" if kw["log_input"] else "p", shape), Arr("p", shape)]
    elif name == "GaussianNLLLoss":
        kw.update(full=_b(r, .3), eps=r.choice([1e-6, 0.1]))
        inputs = [Arr("f", shape), Arr("f", shape), Arr("p", shape)]
    else:  # CrossEntropyLoss, NLLLoss
        extra = tuple(r.randint(1, 3) for _ in range(r.randint(0, 2)))
        if _b(r, .3):
            kw["weight"] = Lib(lambda lib, c=c: lib.tensor(np.linspace(0.5, 1.5, c, dtype=np.float32)), "weight")
        if _b(r, .3):
            kw["ignore_index"] = r.randint(0, c - 1)
        if name == "CrossEntropyLoss" and _b(r, .4):
            kw["label_smoothing"] = r.choice([0.1, 0.3])
        target = Arr("i", (n, *extra), c)
        if name == "CrossEntropyLoss" and _b(r, .25):
            target = Arr("u", (n, c, *extra))
            kw.pop("ignore_index", None)
        unbatched = _b(r, .15) and not extra
        inputs = [Arr("f", (c,) if unbatched else (n, c, *extra)),
                  Arr(target.kind, () if unbatched and target.kind == "i" else (c,) if unbatched else target.shape,
                      target.high)]
    case = Case(name, (), kw, inputs)
    if inputs[1].kind == "c":  # a constant target: float for the loss
        case.forward = lambda lib, m, x, y: m(x, y.to(x.dtype))
    return case


LOSSES = ["MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss", "KLDivLoss",
          "SoftMarginLoss", "PoissonNLLLoss", "GaussianNLLLoss", "CrossEntropyLoss", "NLLLoss"]

SPECS: dict[str, Callable[[random.Random], Case]] = {
    **{n: (lambda n: lambda r, n=n: loss(r, n))(n) for n in LOSSES},
    "Linear": linear, "Bilinear": bilinear, "Identity": identity,
    "Conv1d": lambda r: conv(r, 1), "Conv2d": lambda r: conv(r, 2), "Conv3d": lambda r: conv(r, 3),
    "ConvTranspose1d": lambda r: conv_transpose(r, 1), "ConvTranspose2d": lambda r: conv_transpose(r, 2),
    "ConvTranspose3d": lambda r: conv_transpose(r, 3),
    "MaxPool1d": lambda r: maxpool(r, 1), "MaxPool2d": lambda r: maxpool(r, 2), "MaxPool3d": lambda r: maxpool(r, 3),
    "AvgPool1d": lambda r: avgpool(r, 1), "AvgPool2d": lambda r: avgpool(r, 2), "AvgPool3d": lambda r: avgpool(r, 3),
    "MaxUnpool2d": maxunpool,
    **{f"Adaptive{k}Pool{n}d": (lambda k, n: lambda r, k=k, n=n: adaptive(r, k, n))(k, n)
       for k in ("Avg", "Max") for n in (1, 2, 3)},
    "BatchNorm1d": lambda r: batchnorm(r, 1), "BatchNorm2d": lambda r: batchnorm(r, 2),
    "InstanceNorm1d": lambda r: instancenorm(r, 1), "InstanceNorm2d": lambda r: instancenorm(r, 2),
    "LayerNorm": layernorm, "GroupNorm": groupnorm, "RMSNorm": rmsnorm, "LocalResponseNorm": lrn,
    "Dropout": lambda r: dropout(r, "Dropout"), "Dropout2d": lambda r: dropout(r, "Dropout2d"),
    "Dropout1d": lambda r: dropout(r, "Dropout1d"), "Dropout3d": lambda r: dropout(r, "Dropout3d"),
    "Embedding": embedding, "EmbeddingBag": embeddingbag,
    **{n: (lambda n: lambda r, n=n: recurrent(r, n))(n) for n in ("RNN", "LSTM", "GRU")},
    **{n: (lambda n: lambda r, n=n: cell(r, n))(n) for n in ("RNNCell", "LSTMCell", "GRUCell")},
    "MultiheadAttention": mha,
    "TransformerEncoderLayer": lambda r: transformer_layer(r, "Encoder"),
    "TransformerDecoderLayer": lambda r: transformer_layer(r, "Decoder"),
    "TransformerEncoder": lambda r: transformer_stack(r, "Encoder"),
    "TransformerDecoder": lambda r: transformer_stack(r, "Decoder"),
    "Transformer": transformer,
    "Upsample": upsample, "UpsamplingNearest2d": lambda r: upsampling_alias(r, "UpsamplingNearest2d"),
    "UpsamplingBilinear2d": lambda r: upsampling_alias(r, "UpsamplingBilinear2d"),
    **{n: (lambda n: lambda r, n=n: shuffle(r, n))(n) for n in ("PixelShuffle", "PixelUnshuffle", "ChannelShuffle")},
    "Flatten": flatten, "Unflatten": unflatten,
    **{n: (lambda n: lambda r, n=n: padding(r, n))(n) for n in PADS},
    **{n: (lambda n: lambda r, n=n: activation(r, n))(n) for n in ACTIVATIONS},
    "CosineSimilarity": lambda r: distance(r, "CosineSimilarity"),
    "PairwiseDistance": lambda r: distance(r, "PairwiseDistance"),
    "Fold": lambda r: fold(r, "Fold"), "Unfold": lambda r: fold(r, "Unfold"),
    "container": container,
}


# ----- mutations: sometimes an invalid argument or shape; PyTorch decides which --------------------------
def mutate(r: random.Random, case: Case) -> str:
    if _b(r, .5) and case.inputs:
        arr = r.choice([a for a in case.inputs])
        if arr.kind == "c" or not arr.shape:
            return ""
        shape = list(arr.shape)
        how = r.choice(["drop", "add", "bump", "zero"])
        if how == "drop":
            shape.pop(0)
        elif how == "add":
            shape.insert(0, r.randint(1, 2))
        elif how == "bump":
            j = r.randrange(len(shape))
            shape[j] += r.choice([-1, 1])
        else:
            shape[r.randrange(len(shape))] = 0
        arr.shape = tuple(max(s, 0) for s in shape)
        return f"input shape {how}"
    slots = [("a", j) for j, v in enumerate(case.args) if _intlike(v)] + \
        [("k", k) for k, v in case.kwargs.items() if _intlike(v) or isinstance(v, float)]
    if not slots:
        return ""
    where, key = r.choice(slots)
    old = case.args[key] if where == "a" else case.kwargs[key]
    new = r.choice([0, -1, -2, old + 1 if isinstance(old, int) else 1.5, 0.0]) if not isinstance(old, float) \
        else r.choice([-1.0, 0.0, 2.0, float("nan")])
    if where == "a":
        case.args = tuple(new if j == key else v for j, v in enumerate(case.args))
    else:
        case.kwargs[key] = new
    return f"argument {key}: {old!r} -> {new!r}"


def _intlike(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


# ----- running one case in both ---------------------------------------------------------------------------
class Mismatch(Exception):
    pass


def _np(x: Any) -> Any:
    if x is None or isinstance(x, (int, float, bool, str)):
        return x
    if isinstance(x, (tuple, list)):
        return [_np(y) for y in x]
    if isinstance(x, torch.Tensor):
        return x.detach().numpy()
    return np.asarray(x.detach().numpy()) if hasattr(x, "detach") else x


def _flat(x: Any) -> list:
    if isinstance(x, (tuple, list)):
        return [y for z in x for y in _flat(z)]
    return [x]


def close(a: Any, b: Any, what: str, rtol: float, atol: float | None = None) -> None:
    a, b = _np(a), _np(b)
    if isinstance(a, list) or isinstance(b, list):
        if not (isinstance(a, list) and isinstance(b, list)) or len(a) != len(b):
            raise Mismatch(f"{what}: structure {_struct(a)} vs {_struct(b)}")
        for j, (x, y) in enumerate(zip(a, b, strict=False)):
            close(x, y, f"{what}[{j}]", rtol, atol)
        return
    if (a is None) != (b is None):
        raise Mismatch(f"{what}: {_struct(a)} vs {_struct(b)}")
    if a is None or not isinstance(a, np.ndarray) or not isinstance(b, np.ndarray):
        if not (a is None and b is None) and a != b:
            raise Mismatch(f"{what}: {a!r} vs {b!r}")
        return
    if a.shape != b.shape:
        raise Mismatch(f"{what}: shape {a.shape} vs {b.shape}")
    if a.dtype != b.dtype:
        raise Mismatch(f"{what}: dtype {a.dtype} vs {b.dtype}")
    if a.dtype == bool or a.dtype.kind in "iu":
        if not np.array_equal(a, b):
            raise Mismatch(f"{what}: values differ ({a.ravel()[:6]} vs {b.ravel()[:6]})")
        return
    finite = np.abs(a[np.isfinite(a)])
    scale = max(1.0, float(finite.max()) if finite.size else 1.0)
    atol = rtol * scale if atol is None else atol
    if not np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True):
        diff = np.nanmax(np.abs(a - b)) if a.size else 0
        raise Mismatch(f"{what}: max |diff| {diff:.3g} (torch {a.ravel()[:4]} ours {b.ravel()[:4]})")


def _struct(x: Any) -> str:
    if isinstance(x, list):
        return "(" + ", ".join(_struct(y) for y in x) + ")"
    return "None" if x is None else type(x).__name__


def _arg(lib: Any, v: Any) -> Any:
    return v.build(lib) if isinstance(v, Lib) else v


def construct(lib: Any, case: Case, seed: int) -> Any:
    lib.manual_seed(seed)
    args = [_arg(lib, a) for a in case.args]
    kwargs = {k: _arg(lib, v) for k, v in case.kwargs.items()}
    if case.name == "container":
        return args[0]
    return getattr(lib.nn, case.module or case.name)(*args, **kwargs)


def materialize(lib: Any, arrays: list, dtype: Any, grad: bool) -> list:
    out = []
    for a in arrays:
        if a.dtype.kind == "f":
            out.append(lib.tensor(a.astype(dtype), requires_grad=grad))
        else:
            out.append(lib.tensor(a))
    return out


def call(lib: Any, case: Case, m: Any, inputs: list, kwargs: dict) -> Any:
    if case.forward is not None:
        return case.forward(lib, m, *inputs, **kwargs)
    return m(*inputs, **kwargs)


def attempt(fn: Callable[[], Any]) -> tuple[Any, BaseException | None]:
    try:
        return fn(), None
    except Exception as e:  # noqa: BLE001 -- either library may refuse with any exception
        return None, e


def errtype(e: BaseException) -> str:
    return type(e).__name__


def both(stage: str, ft: Callable[[], Any], fo: Callable[[], Any], strict_type: bool = True) -> tuple[Any, Any]:
    """Run a stage in torch and ours; both must succeed or both refuse (with the same exception type)."""
    t, et = attempt(ft)
    o, eo = attempt(fo)
    if et is None and isinstance(eo, NotImplementedError):
        raise Unsupported(f"{stage}: {str(eo).splitlines()[0][:200]}")
    if et is None and eo is not None:
        raise Mismatch(f"{stage}: torch accepts, ours raises {errtype(eo)}: {str(eo)[:300]}") from eo
    if et is not None and eo is None:
        raise Mismatch(f"{stage}: torch raises {errtype(et)}: {str(et).splitlines()[0][:200]}; ours accepts")
    if et is not None:
        if strict_type and not isinstance(eo, type(et)):
            raise Mismatch(f"{stage}: error types differ: torch {errtype(et)} ({str(et).splitlines()[0][:150]}), "
                           f"ours {errtype(eo)} ({str(eo)[:150]})")
        raise Refused(stage)
    return t, o


class Refused(Exception):
    """Both refused the case: it passed."""


class Unsupported(Exception):
    """Ours refuses what PyTorch does with a NotImplementedError naming the option: a known gap, not a bug."""


def _params(m: Any) -> tuple[list, list]:
    return list(m.named_parameters()), list(m.named_buffers())


def check_module(case: Case, seed: int) -> None:
    tm, et = attempt(lambda: construct(torch, case, seed))
    om, eo = attempt(lambda: construct(tg, case, seed))
    if et is None and eo is not None and not isinstance(eo, NotImplementedError):
        # PyTorch checks some arguments only in forward (a pool's kernel_size): refusing them earlier is fine
        rng = np.random.default_rng(seed)
        xs = materialize(torch, [a.make(rng) for a in case.inputs], np.float32, False)
        if attempt(lambda: call(torch, case, tm, xs, {}))[1] is not None:
            raise Refused("constructor")
    tm, om = both("constructor", lambda: construct(torch, case, seed), lambda: construct(tg, case, seed))
    # (a) the same parameters, buffers, state_dict keys and print(module)
    (tp, tb), (op, ob) = _params(tm), _params(om)
    if [n for n, _ in tp] != [n for n, _ in op]:
        raise Mismatch(f"named_parameters: {[n for n, _ in tp]} vs {[n for n, _ in op]}")
    if [n for n, _ in tb] != [n for n, _ in ob]:
        raise Mismatch(f"named_buffers: {[n for n, _ in tb]} vs {[n for n, _ in ob]}")
    tsd, osd = tm.state_dict(), om.state_dict()
    if list(tsd) != list(osd):
        raise Mismatch(f"state_dict keys: {list(tsd)} vs {list(osd)}")
    for k in tsd:
        close(tsd[k], osd[k], f"init {k}", 1e-6, 1e-7)
    if str(tm) != str(om):
        raise Mismatch(f"print(module):\n{tm}\n--- ours ---\n{om}")
    for m in (tm, om):
        m.train(case.train)
    if getattr(tm, "training", None) != getattr(om, "training", None):
        raise Mismatch("training flag")
    rng = np.random.default_rng(seed)
    arrays = [a.make(rng) for a in case.inputs]
    kwarrays = {k: (v.make(rng) if isinstance(v, Arr) else v) for k, v in case.call_kwargs.items()}

    def run(lib, m, dtype, grad):
        xs = materialize(lib, arrays, dtype, grad)
        kw = {k: (materialize(lib, [v], dtype, grad and k == "per_sample_weights")[0]
                  if isinstance(v, np.ndarray) else v) for k, v in kwarrays.items()}
        out = call(lib, case, m, xs, kw)
        return out, xs, kw
    # (b) float32
    lib_seed = seed + 7
    torch.manual_seed(lib_seed)
    tg.manual_seed(lib_seed)
    try:
        (to, _, _), (oo, _, _) = both("forward float32", lambda: run(torch, tm, np.float32, False),
                                      lambda: run(tg, om, np.float32, False))
    except Mismatch as e:
        if "torch accepts" in str(e) and torch_dtype_dependent(case, seed):
            raise Refused("forward float32") from None
        raise
    if case.deterministic:
        close(to, oo, "float32 output", case.tol32)
    for k, v in tm.state_dict().items():
        close(v, om.state_dict()[k], f"{k} after float32 forward", case.tol32)
    # (b, c) float64 output and gradients
    tm.double()
    om.double()
    torch.manual_seed(lib_seed + 1)
    tg.manual_seed(lib_seed + 1)
    om.load_state_dict({k: tg.tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})
    to, txs, tkw = run(torch, tm, np.float64, case.grad)
    oo, oxs, okw = run(tg, om, np.float64, case.grad)
    if not case.deterministic:
        return
    close(to, oo, "float64 output", 1e-9)
    tf = [t for t in _flat(to) if isinstance(t, torch.Tensor) and t.is_floating_point() and t.requires_grad]
    of = [t for t in _flat(oo) if t is not None and hasattr(t, "requires_grad") and t.dtype == tg.float64
          and t.requires_grad]
    # an empty output has zero gradients; PyTorch's reflection-pad backward then returns uninitialised memory
    if case.grad and tf and not (case.name.startswith("ReflectionPad") and all(t.numel() == 0 for t in tf)):
        if len(tf) != len(of):
            raise Mismatch(f"outputs needing grad: {len(tf)} vs {len(of)}")
        cots = [rng.standard_normal(tuple(t.shape)) for t in tf]
        _, err = attempt(lambda: sum((t * torch.tensor(c)).sum() for t, c in zip(tf, cots, strict=False)).backward())
        if err is not None:   # PyTorch has no gradient here (an empty input to some kernels): nothing to compare
            return
        both("backward", lambda: None,
             lambda: sum((t * tg.tensor(c)).sum() for t, c in zip(of, cots, strict=False)).backward())
        for j, (x, y) in enumerate(zip(txs, oxs, strict=False)):
            if x.requires_grad:
                close(x.grad, y.grad, f"grad input {j}", case.tol64)
        for k in tkw:
            if isinstance(tkw[k], torch.Tensor) and tkw[k].requires_grad:
                close(tkw[k].grad, okw[k].grad, f"grad {k}", case.tol64)
        for (n, p), (_, q) in zip(tm.named_parameters(), om.named_parameters(), strict=False):
            close(p.grad, q.grad, f"grad {n}", case.tol64)
    for k, v in tm.state_dict().items():
        close(v, om.state_dict()[k], f"{k} after float64 forward", 1e-8)
    # (d) torch's state_dict into ours, ours into torch's
    if case.state:
        om2 = construct(tg, case, seed + 1).double()
        om2.load_state_dict({k: tg.tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})
        for k, v in tm.state_dict().items():
            close(v, om2.state_dict()[k], f"loaded {k}", 0, 0)
        tm2 = construct(torch, case, seed + 1).double()
        tm2.load_state_dict({k: torch.tensor(v.numpy()) for k, v in om.state_dict().items()})
        for k, v in om.state_dict().items():
            close(tm2.state_dict()[k], v, f"loaded into torch {k}", 0, 0)


# ----- optimizers and schedulers ------------------------------------------------------------------------
def _betas(r):
    return (r.choice([0.9, 0.5, 0.0]), r.choice([0.999, 0.9, 0.99]))


OPTIMIZERS: dict[str, Callable[[random.Random], dict]] = {
    "SGD": lambda r: {"lr": r.choice([0.1, 0.01]), "momentum": (m := r.choice([0.0, 0.9, 0.5])),
                      "dampening": (d := r.choice([0.0, 0.0, 0.1])),
                      "nesterov": m > 0 and d == 0 and _b(r), "weight_decay": r.choice([0.0, 0.01]),
                      "maximize": _b(r, .2)},
    "Adam": lambda r: {"lr": r.choice([0.1, 0.01]), "betas": _betas(r), "eps": r.choice([1e-8, 1e-3]),
                       "weight_decay": r.choice([0.0, 0.1]), "amsgrad": _b(r, .4), "maximize": _b(r, .2)},
    "AdamW": lambda r: {"lr": r.choice([0.1, 0.01]), "betas": _betas(r), "eps": r.choice([1e-8, 1e-3]),
                        "weight_decay": r.choice([0.0, 0.01, 0.1]), "amsgrad": _b(r, .4), "maximize": _b(r, .2)},
    "RMSprop": lambda r: {"lr": r.choice([0.1, 0.01]), "alpha": r.choice([0.99, 0.9]), "eps": r.choice([1e-8, 1e-3]),
                          "weight_decay": r.choice([0.0, 0.1]), "momentum": r.choice([0.0, 0.9]),
                          "centered": _b(r), "maximize": _b(r, .2)},
    "Adagrad": lambda r: {"lr": r.choice([0.1, 0.01]), "lr_decay": r.choice([0.0, 0.1]),
                          "weight_decay": r.choice([0.0, 0.1]), "initial_accumulator_value": r.choice([0.0, 0.1]),
                          "eps": r.choice([1e-10, 1e-3]), "maximize": _b(r, .2)},
    "Adadelta": lambda r: {"lr": r.choice([1.0, 0.5]), "rho": r.choice([0.9, 0.5]), "eps": r.choice([1e-6, 1e-3]),
                           "weight_decay": r.choice([0.0, 0.1]), "maximize": _b(r, .2)},
    "Adamax": lambda r: {"lr": r.choice([0.002, 0.1]), "betas": _betas(r), "eps": r.choice([1e-8, 1e-3]),
                         "weight_decay": r.choice([0.0, 0.1]), "maximize": _b(r, .2)},
    "NAdam": lambda r: {"lr": r.choice([0.002, 0.1]), "betas": _betas(r), "eps": r.choice([1e-8, 1e-3]),
                        "weight_decay": r.choice([0.0, 0.1]), "momentum_decay": r.choice([0.004, 0.01]),
                        "decoupled_weight_decay": _b(r, .3), "maximize": _b(r, .2)},
    "RAdam": lambda r: {"lr": r.choice([0.001, 0.1]), "betas": _betas(r), "weight_decay": r.choice([0.0, 0.1]),
                        "decoupled_weight_decay": _b(r, .3), "maximize": _b(r, .2)},
    "ASGD": lambda r: {"lr": r.choice([0.01, 0.1]), "lambd": r.choice([1e-4, 1e-2]), "alpha": 0.75,
                       "t0": r.choice([1.0, 1e6]), "weight_decay": r.choice([0.0, 0.1]), "maximize": _b(r, .2)},
    "Rprop": lambda r: {"lr": r.choice([0.01, 0.1]), "etas": (0.5, 1.2), "step_sizes": (1e-6, 50),
                        "maximize": _b(r, .2)},
}

SCHEDULERS: dict[str, Callable[[random.Random, dict], dict]] = {
    "StepLR": lambda r, h: {"step_size": r.randint(1, 3), "gamma": r.choice([0.1, 0.5])},
    "MultiStepLR": lambda r, h: {"milestones": sorted(r.sample(range(1, 8), 2)), "gamma": 0.5},
    "ConstantLR": lambda r, h: {"factor": r.choice([1 / 3, 0.5]), "total_iters": r.randint(1, 5)},
    "LinearLR": lambda r, h: {"start_factor": r.choice([1 / 3, 0.5]), "end_factor": r.choice([1.0, 0.8]),
                              "total_iters": r.randint(1, 5)},
    "ExponentialLR": lambda r, h: {"gamma": r.choice([0.9, 0.5])},
    "PolynomialLR": lambda r, h: {"total_iters": r.randint(1, 6), "power": r.choice([1.0, 2.0, 0.5])},
    "CosineAnnealingLR": lambda r, h: {"T_max": r.randint(1, 6), "eta_min": r.choice([0.0, 0.001])},
    "CosineAnnealingWarmRestarts": lambda r, h: {"T_0": r.randint(1, 4), "T_mult": r.randint(1, 2),
                                                 "eta_min": r.choice([0.0, 0.001])},
    "CyclicLR": lambda r, h: {"base_lr": 0.001, "max_lr": 0.1, "step_size_up": r.randint(1, 4),
                              "mode": r.choice(["triangular", "triangular2", "exp_range"]),
                              "gamma": 0.9, "cycle_momentum": "momentum" in h and h["momentum"] > 0 or
                              ("betas" in h and _b(r))},
    "OneCycleLR": lambda r, h: {"max_lr": 0.1, "total_steps": 12, "pct_start": r.choice([0.3, 0.5]),
                                "anneal_strategy": r.choice(["cos", "linear"]), "three_phase": _b(r),
                                "cycle_momentum": "momentum" in h and h["momentum"] > 0 or ("betas" in h and _b(r))},
    "ReduceLROnPlateau": lambda r, h: {"mode": r.choice(["min", "max"]), "factor": r.choice([0.1, 0.5]),
                                       "patience": r.randint(0, 2), "threshold": r.choice([1e-4, 0.1]),
                                       "threshold_mode": r.choice(["rel", "abs"]), "cooldown": r.randint(0, 1),
                                       "min_lr": r.choice([0.0, 1e-3])},
}


def _opt_state(sd: dict) -> Any:
    state = {k: {n: _np(v) for n, v in s.items()} for k, s in sd["state"].items()}
    groups = [{k: (list(v) if isinstance(v, tuple) else v) for k, v in g.items()} for g in sd["param_groups"]]
    return state, groups


def compare_opt_state(t: dict, o: dict, what: str) -> None:
    (ts, tgp), (os_, ogp) = _opt_state(t), _opt_state(o)
    if sorted(ts) != sorted(os_):
        raise Mismatch(f"{what} state keys {sorted(ts)} vs {sorted(os_)}")
    for k in ts:
        if sorted(ts[k]) != sorted(os_[k]):
            raise Mismatch(f"{what} state[{k}] keys {sorted(ts[k])} vs {sorted(os_[k])}")
        for n in ts[k]:
            a, b = ts[k][n], os_[k][n]
            if isinstance(a, np.ndarray) and a.shape == () and not isinstance(b, np.ndarray):
                b = np.asarray(b, dtype=a.dtype)
            close(a, b, f"{what} state[{k}][{n}]", 1e-9)
    for j, (a, b) in enumerate(zip(tgp, ogp, strict=False)):
        if sorted(a) != sorted(b):
            raise Mismatch(f"{what} param_groups[{j}] keys {sorted(set(a) ^ set(b))} differ")
        for k in a:
            if isinstance(a[k], float) and isinstance(b[k], (int, float)):
                if not math.isclose(a[k], b[k], rel_tol=1e-12, abs_tol=1e-15):
                    raise Mismatch(f"{what} param_groups[{j}][{k}]: {a[k]} vs {b[k]}")
            elif a[k] != b[k] and not (k == "params"):
                raise Mismatch(f"{what} param_groups[{j}][{k}]: {a[k]!r} vs {b[k]!r}")
    if len(tgp) != len(ogp):
        raise Mismatch(f"{what} {len(tgp)} param_groups vs {len(ogp)}")


def draw_optimizer(r: random.Random) -> tuple[str, dict, str | None, dict, bool]:
    name = r.choice(list(OPTIMIZERS))
    hyper = OPTIMIZERS[name](r)
    sched = r.choice([None, None, *SCHEDULERS])
    skw = SCHEDULERS[sched](r, hyper) if sched else {}
    groups = _b(r, .3)
    if _b(r, .1):   # an invalid hyperparameter: both must refuse
        key = r.choice([k for k in hyper if k != "dampening"])  # ours refuses dampening < 0 (PyTorch: no check)
        hyper[key] = {"betas": (1.5, 0.9), "nesterov": True}.get(key, -1.0 if key != "maximize" else hyper[key])
    return name, hyper, sched, skw, groups


def check_optimizer(seed: int, r: random.Random, verbose: bool) -> str:
    name, hyper, sched, skw, groups = draw_optimizer(r)
    desc = f"{name}({hyper}) groups={groups} scheduler={sched}({skw})"
    if verbose:
        print(desc)
    rng = np.random.default_rng(seed)
    shapes = [(3,), (2, 3), (1,)]
    inits = [rng.standard_normal(s) for s in shapes]
    targets = [rng.standard_normal(s) for s in shapes]

    def setup(lib):
        ps = [lib.tensor(a.copy(), requires_grad=True) for a in inits]
        if groups:
            spec = [{"params": ps[:2]}, {"params": ps[2:], "lr": hyper.get("lr", 0.01) * 0.5}]
        else:
            spec = ps
        opt = getattr(lib.optim, name)(spec, **hyper)
        sch = getattr(lib.optim.lr_scheduler, sched)(opt, **skw) if sched else None
        return ps, opt, sch
    if not hasattr(tg.optim, name):
        raise AttributeError(f"optim.{name}")
    try:
        (tps, topt, tsch), (ops, oopt, osch) = both("optimizer constructor", lambda: setup(torch), lambda: setup(tg))
    except Refused:
        return desc
    compare_opt_state(topt.state_dict(), oopt.state_dict(), "initial")
    for step in range(r.randint(2, 8)):
        def one_step(lib: Any, ps: list, opt: Any, step: int = step) -> float:
            opt.zero_grad()
            loss = sum(((p - lib.tensor(t)) ** 2 * 0.5 + lib.sin(p) * 0.3).sum()
                       for p, t in zip(ps, targets, strict=True))
            if step % 3 == 2:   # one parameter without a gradient this step
                loss = loss + 0 * ps[0].sum()
            loss.backward()
            if step % 3 == 2:
                ps[1].grad = None
            opt.step()
            return float(loss.detach().numpy())
        try:   # a hyperparameter that PyTorch checks only in step() (Rprop's step_sizes)
            losses = list(both(f"step {step}", lambda: one_step(torch, tps, topt), lambda: one_step(tg, ops, oopt)))
        except Refused:
            return desc
        for j, (a, b) in enumerate(zip(tps, ops, strict=False)):
            close(a, b, f"step {step} param {j}", 1e-9)
        compare_opt_state(topt.state_dict(), oopt.state_dict(), f"step {step}")
        if sched:
            if sched == "ReduceLROnPlateau":
                tsch.step(losses[0])
                osch.step(losses[1])
            else:
                tsch.step()
                osch.step()
            close(list(tsch.get_last_lr()), list(osch.get_last_lr()), f"step {step} last lr", 1e-12)
            tsd, osd = tsch.state_dict(), osch.state_dict()
            if {k for k in tsd if not k.startswith("_")} != {k for k in osd if not k.startswith("_")}:
                raise Mismatch(f"scheduler state_dict keys differ: {sorted(set(tsd) ^ set(osd))}")
            if {k for k in tsd if k.startswith("_") and k not in osd} - {"_get_lr_called_within_step"}:
                raise Mismatch(f"scheduler state_dict private keys differ: {sorted(set(tsd) ^ set(osd))}")
            for k in tsd:
                if k.startswith("_") or callable(tsd[k]):
                    continue
                a, b = tsd[k], osd[k]
                if isinstance(a, float) or (isinstance(a, list) and a and isinstance(a[0], float)):
                    close(np.asarray(a, dtype=float), np.asarray(b, dtype=float), f"scheduler {k}", 1e-12)
                elif a != b and not (isinstance(a, float) and math.isnan(a)):
                    raise Mismatch(f"scheduler state_dict[{k}]: {a!r} vs {b!r}")
    # torch's state_dict loaded into a fresh optimizer of ours (over torch's current parameters) continues the same
    ps2, opt2, _ = setup(tg)
    for p, q in zip(ps2, tps, strict=True):
        p.array[...] = q.detach().numpy()
    opt2.load_state_dict(_to_ours(topt.state_dict()))
    compare_opt_state(topt.state_dict(), opt2.state_dict(), "loaded")
    for lib, ps, opt in ((torch, tps, topt), (tg, ps2, opt2)):
        opt.zero_grad()
        sum(((p - lib.tensor(t)) ** 2).sum() for p, t in zip(ps, targets, strict=True)).backward()
        opt.step()
    for j, (a, b) in enumerate(zip(tps, ps2, strict=True)):
        close(a, b, f"step after loading torch's state_dict, param {j}", 1e-9)
    return desc


def _to_ours(state_dict: dict) -> dict:
    """A PyTorch optimizer state_dict with its tensors as ours."""
    state = {k: {n: tg.tensor(v.numpy()) if isinstance(v, torch.Tensor) else v for n, v in s.items()}
             for k, s in state_dict["state"].items()}
    return {"state": state, "param_groups": state_dict["param_groups"]}


def torch_bug(case: Case) -> bool:
    """Cases where PyTorch 2.13 itself misbehaves, not compared. A cell given an unbatched input (1-d) with a
    batched hidden state (2-d): PyTorch unsqueezes the state to 3-d and its cell kernels do not check it, so
    LSTMCell(3, 3) with input (3,) and hx (3, 3) segfaults and RNNCell broadcasts to a (3, 3) output; ours
    refuses it (the other combinations PyTorch checks)."""
    return (case.name in ("RNNCell", "LSTMCell", "GRUCell") and len(case.inputs) > 1
            and len(case.inputs[0].shape) == 1 and any(len(a.shape) > 1 for a in case.inputs[1:]))


def torch_dtype_dependent(case: Case, seed: int) -> bool:
    """PyTorch accepts in float32 what it refuses in float64: a transposed convolution whose output has a size of
    0 runs on its oneDNN path in float32 for some shapes (groups > 1, dilation, ..., by a heuristic that also
    reads the thread count) and returns an empty result; its float64 kernel refuses it. Ours refuses it in both
    (docs/pytorch.md). Not compared."""
    if not case.name.startswith("ConvTranspose"):
        return False
    rng = np.random.default_rng(seed)
    arrays = [a.make(rng) for a in case.inputs]
    torch.manual_seed(seed)
    m = construct(torch, case, seed).double()
    return attempt(lambda: call(torch, case, m, materialize(torch, arrays, np.float64, False), {}))[1] is not None



# ----- main ---------------------------------------------------------------------------------------------
def one_module(seed: int, filters: list[str], verbose: bool = False, invalid: float = 0.15) -> tuple[str, str | None]:
    """Draw and check one layer case; returns its description and None, or the reason it failed ("missing",
    "unsupported" for a layer or option this package lacks). `invalid`: how often an argument or a shape is
    mutated (PyTorch then decides whether the case is valid)."""
    r = random.Random(seed)
    names = [n for n in SPECS if not filters or any(f.lower() in n.lower() for f in filters)]
    name = r.choice(names)
    case = SPECS[name](r)
    note = mutate(r, case) if _b(r, invalid) else ""
    if name not in ("container",) and not hasattr(tg.nn, case.module or case.name):
        return f"{name} (missing in tinygrad_adam)", "missing"
    if torch_bug(case):
        return case.describe(), None
    if case.name in ("Hardtanh", "Hardshrink") and any(isinstance(v, float) and math.isnan(v)
                                                       for v in (*case.args, *case.kwargs.values())):
        case.grad = False  # PyTorch's gradient at a NaN bound depends on its SIMD loop (docs/pytorch.md)
    if verbose:
        print(seed, case.describe(), note)
    torch.set_default_dtype(torch.float32)
    try:
        with warnings.catch_warnings():  # both libraries warn alike (deprecated implicit dims, nested tensors)
            warnings.simplefilter("ignore")
            check_module(case, seed)
    except Refused:
        pass
    except Unsupported as e:
        return f"{case.module or case.name}: {e}", "unsupported"
    except Mismatch as e:
        return f"{case.describe()} {note}", str(e)
    except Exception as e:  # noqa: BLE001 -- a crash of the fuzzer's own making shows its traceback
        return f"{case.describe()} {note}", "crash: " + "".join(traceback.format_exception(e)[-3:])
    return case.describe(), None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--iterations", type=int, default=200)
    p.add_argument("--modules", default="", help="comma-separated substrings of layer names (e.g. Conv,LSTM)")
    p.add_argument("--replay", type=int, default=None, help="run the one case of this case seed")
    p.add_argument("--no-optim", action="store_true")
    p.add_argument("--optim-only", action="store_true")
    p.add_argument("--stop", action="store_true", help="stop at the first failure")
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--invalid", type=float, default=0.15, help="fraction of cases with a mutated argument or shape")
    a = p.parse_args(argv)
    filters = [f for f in a.modules.split(",") if f]
    seeds = [a.replay] if a.replay is not None else [a.seed * 1_000_003 + j for j in range(a.iterations)]
    failures: dict[str, list[tuple[int, str, str]]] = {}
    missing: set[str] = set()
    unsupported: dict[str, int] = {}
    torch.set_num_threads(1)
    for s in seeds:
        runs = []
        if not a.optim_only:
            runs.append("module")
        if not a.no_optim and not filters and (a.optim_only or s % 4 == 0):
            runs.append("optim")
        for kind in runs:
            if kind == "module":
                desc, err = one_module(s, filters, a.verbose, a.invalid)
            else:
                r = random.Random(s)
                try:
                    desc, err = check_optimizer(s, r, a.verbose), None
                except Mismatch as e:
                    desc, err = "optimizer", str(e)
                except AttributeError as e:
                    desc, err = "optimizer", f"missing: {e}"
                except Exception as e:  # noqa: BLE001
                    desc, err = "optimizer", "crash: " + "".join(traceback.format_exception(e)[-3:])
            if err == "unsupported":
                key = desc.split(" is not supported")[0]
                unsupported[key] = unsupported.get(key, 0) + 1
                continue
            if err == "missing":
                missing.add(desc)
                continue
            if err and err.startswith("missing:"):
                missing.add(err)
                continue
            if err:
                key = desc.split("(")[0] + ": " + err.split(":")[0]
                failures.setdefault(key, []).append((s, desc, err))
                print(f"FAIL seed={s} {desc}\n    {err}", flush=True)
                if a.stop:
                    return 1
    print(f"\n{len(seeds)} iterations, {sum(len(v) for v in failures.values())} failures in {len(failures)} kinds")
    for key, v in sorted(failures.items(), key=lambda kv: -len(kv[1])):
        print(f"  {len(v):4d}  {key}   (e.g. --replay {v[0][0]})")
    if unsupported:
        print("NotImplementedError where PyTorch computes (known gaps):")
        for key, n in sorted(unsupported.items(), key=lambda kv: -kv[1]):
            print(f"  {n:4d}  {key}")
    if missing:
        print("not in tinygrad_adam (skipped):", ", ".join(sorted(missing)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
