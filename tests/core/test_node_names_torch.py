"""grad_fn shows PyTorch's node name after each op, loss and layer function: print(loss) ends in the same
`grad_fn=<...>` as in PyTorch. CASES is the checklist; a new op adds its line here."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np
import pytest

import tinygrad_adam as tg
import tinygrad_adam.nn.functional as GF

torch = pytest.importorskip("torch")
TF = torch.nn.functional

RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 5)).astype(np.float32)
Y = RNG.standard_normal((4, 5)).astype(np.float32)
P = RNG.random((4, 5)).astype(np.float32)
T = RNG.integers(0, 4, 4)


def _method(name: str, data: np.ndarray, *others: Any) -> Callable[[ModuleType, Any, Callable[..., Any]], Any]:
    """The case leaf(data).name(*others), an array among others being a leaf too."""
    return lambda lib, F, leaf: getattr(leaf(data), name)(*(leaf(o) if isinstance(o, np.ndarray) else o
                                                            for o in others))


# each case: (lib, F, leaf) -> output; lib is torch or tinygrad_adam, leaf(array) a tensor that requires grad
CASES: dict[str, Callable[[ModuleType, Any, Callable[[np.ndarray], Any]], Any]] = {
    "mse_loss": lambda lib, F, leaf: F.mse_loss(leaf(X), lib.tensor(Y)),
    "l1_loss": lambda lib, F, leaf: F.l1_loss(leaf(X), lib.tensor(Y)),
    "smooth_l1_loss": lambda lib, F, leaf: F.smooth_l1_loss(leaf(X), lib.tensor(Y)),
    "smooth_l1_loss none": lambda lib, F, leaf: F.smooth_l1_loss(leaf(X), lib.tensor(Y), reduction="none"),
    "huber_loss": lambda lib, F, leaf: F.huber_loss(leaf(X), lib.tensor(Y)),
    "cross_entropy": lambda lib, F, leaf: F.cross_entropy(leaf(X), lib.tensor(T)),
    "nll_loss": lambda lib, F, leaf: F.nll_loss(leaf(X), lib.tensor(T)),
    "binary_cross_entropy": lambda lib, F, leaf: F.binary_cross_entropy(leaf(P), lib.tensor(P)),
    "bce_with_logits": lambda lib, F, leaf: F.binary_cross_entropy_with_logits(leaf(X), lib.tensor(P)),
    "kl_div": lambda lib, F, leaf: F.kl_div(leaf(X), lib.tensor(P), reduction="batchmean"),
    "t": lambda lib, F, leaf: leaf(X).t(),
    "T": lambda lib, F, leaf: leaf(X).T,
    "mT": lambda lib, F, leaf: leaf(X).mT,
    "transpose": lambda lib, F, leaf: leaf(X).transpose(0, 1),
    "permute": lambda lib, F, leaf: leaf(X).permute(1, 0),
    "unsqueeze": lambda lib, F, leaf: leaf(X).unsqueeze(0),
    "squeeze()": lambda lib, F, leaf: leaf(X)[None].squeeze(),
    "squeeze(dim)": lambda lib, F, leaf: leaf(X)[None].squeeze(0),
    "view": lambda lib, F, leaf: leaf(X).view(-1),
    "reshape": lambda lib, F, leaf: leaf(X).reshape(5, 4),
    "flatten": lambda lib, F, leaf: leaf(X).flatten(),
    "expand": lambda lib, F, leaf: leaf(X[0]).expand(3, 5),
    "repeat": lambda lib, F, leaf: leaf(X).repeat(2, 1),
    "index int": lambda lib, F, leaf: leaf(X)[0],
    "index tensor": lambda lib, F, leaf: leaf(X)[lib.tensor(T)],
    "slice": lambda lib, F, leaf: leaf(X)[:, 1:3],
    "add": lambda lib, F, leaf: leaf(X) + 1,
    "rsub": lambda lib, F, leaf: 1 - leaf(X),
    "mul": lambda lib, F, leaf: leaf(X) * 2,
    "div": lambda lib, F, leaf: leaf(X) / 2,
    "neg": lambda lib, F, leaf: -leaf(X),
    "pow": lambda lib, F, leaf: leaf(X) ** 2,
    "exp": lambda lib, F, leaf: leaf(X).exp(),
    "log": lambda lib, F, leaf: leaf(P).log(),
    "sqrt": lambda lib, F, leaf: leaf(P).sqrt(),
    "abs": lambda lib, F, leaf: leaf(X).abs(),
    "tanh": lambda lib, F, leaf: leaf(X).tanh(),
    "sigmoid": lambda lib, F, leaf: leaf(X).sigmoid(),
    "clamp": lambda lib, F, leaf: leaf(X).clamp(min=0),
    "sum": lambda lib, F, leaf: leaf(X).sum(),
    "sum dim": lambda lib, F, leaf: leaf(X).sum(1),
    "mean": lambda lib, F, leaf: leaf(X).mean(),
    "mean dim": lambda lib, F, leaf: leaf(X).mean(0),
    "var": lambda lib, F, leaf: leaf(X).var(1),
    "std": lambda lib, F, leaf: leaf(X).std(),
    "max": lambda lib, F, leaf: leaf(X).max(),
    "max dim": lambda lib, F, leaf: leaf(X).max(1).values,
    "logsumexp": lambda lib, F, leaf: leaf(X).logsumexp(1),
    "cumsum": lambda lib, F, leaf: leaf(X).cumsum(1),
    "matmul 2d": lambda lib, F, leaf: leaf(X) @ leaf(Y).T,
    "matmul 1d": lambda lib, F, leaf: leaf(X[0]) @ leaf(Y[0]),
    "matmul mv": lambda lib, F, leaf: leaf(X) @ leaf(Y[0]),
    "cat": lambda lib, F, leaf: lib.cat([leaf(X), leaf(Y)]),
    "stack": lambda lib, F, leaf: lib.stack([leaf(X), leaf(Y)]),
    "where": lambda lib, F, leaf: lib.where(lib.tensor(P > 0.5), leaf(X), leaf(Y)),
    "masked_fill": lambda lib, F, leaf: leaf(X).masked_fill(lib.tensor(P > 0.5), 0.0),
    "tril": lambda lib, F, leaf: leaf(X).tril(),
    "triu": lambda lib, F, leaf: leaf(X).triu(),
    "double": lambda lib, F, leaf: leaf(X).double(),
    "softmax": lambda lib, F, leaf: F.softmax(leaf(X), dim=1),
    "log_softmax": lambda lib, F, leaf: F.log_softmax(leaf(X), dim=1),
    "relu": lambda lib, F, leaf: F.relu(leaf(X)),
    "leaky_relu": lambda lib, F, leaf: F.leaky_relu(leaf(X)),
    "gelu": lambda lib, F, leaf: F.gelu(leaf(X)),
    "silu": lambda lib, F, leaf: F.silu(leaf(X)),
    "elu": lambda lib, F, leaf: F.elu(leaf(X)),
    "softplus": lambda lib, F, leaf: F.softplus(leaf(X)),
    "linear": lambda lib, F, leaf: F.linear(leaf(X), leaf(Y)),
    "linear bias": lambda lib, F, leaf: F.linear(leaf(X), leaf(Y), leaf(Y[:, 0])),
    "embedding": lambda lib, F, leaf: F.embedding(lib.tensor(T), leaf(X)),
    "layer_norm": lambda lib, F, leaf: F.layer_norm(leaf(X), (5,)),
    "pad": lambda lib, F, leaf: F.pad(leaf(X), (1, 1)),
    "normalize": lambda lib, F, leaf: F.normalize(leaf(X)),
    "dropout eval": lambda lib, F, leaf: F.dropout(leaf(X), training=False),
    **{f: _method(f, X) for f in (
        "tan", "sinh", "cosh", "atan", "asinh", "erf", "erfc", "expm1", "exp2", "sinc", "deg2rad", "rad2deg",
        "square", "frac", "ceil", "floor", "round", "trunc", "fix", "sign", "sgn", "nan_to_num", "negative",
        "absolute", "arctan", "arcsinh")},
    **{f: _method(f, P) for f in (
        "asin", "acos", "atanh", "erfinv", "rsqrt", "reciprocal", "logit", "arcsin", "arccos", "arctanh")},
    "acosh": lambda lib, F, leaf: (leaf(P) + 1).acosh(),
    "round decimals": lambda lib, F, leaf: leaf(X).round(decimals=2),
    "logit eps": lambda lib, F, leaf: leaf(P).logit(eps=0.1),
    **{f: _method(f, X, Y) for f in (
        "atan2", "arctan2", "hypot", "logaddexp", "logaddexp2", "remainder", "fmod", "copysign", "fmax", "fmin",
        "clamp_min", "clamp_max", "float_power", "multiply", "subtract", "divide", "true_divide")},
    **{f"{f} scalar": _method(f, X, 0.5) for f in (
        "remainder", "fmod", "copysign", "clamp_min", "clamp_max", "float_power", "xlogy")},
    "xlogy": lambda lib, F, leaf: leaf(X).xlogy(leaf(P)),
    "lerp": lambda lib, F, leaf: leaf(X).lerp(leaf(Y), 0.3),
    "lerp tensor": lambda lib, F, leaf: leaf(X).lerp(leaf(Y), leaf(P)),
    "addcmul": lambda lib, F, leaf: leaf(X).addcmul(leaf(Y), leaf(P), value=2),
    "addcdiv": lambda lib, F, leaf: leaf(X).addcdiv(leaf(Y), leaf(P) + 1),
    "tan_": lambda lib, F, leaf: (leaf(X) * 1).tan_(),
    "sigmoid_": lambda lib, F, leaf: (leaf(X) * 1).sigmoid_(),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_node_name_equals_torch(name: str) -> None:
    theirs = CASES[name](torch, TF, lambda a: torch.tensor(a, requires_grad=True))
    ours = CASES[name](tg, GF, lambda a: tg.tensor(a, requires_grad=True))
    assert type(ours.grad_fn).__name__ == type(theirs.grad_fn).__name__
    if ours.ndim == 0:
        assert repr(ours).split("grad_fn=")[1] == repr(theirs).split("grad_fn=")[1]
