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
SIGNS = np.where(X > 0, 1.0, -1.0).astype(np.float32)
LABELS = np.array([[1, 3, -1, 0, 0], [4, -1, 0, 0, 0], [0, 1, 2, 3, 4], [2, 2, -1, 0, 0]])


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
    "hinge_embedding_loss none": lambda lib, F, leaf: F.hinge_embedding_loss(
        leaf(X), lib.tensor(SIGNS), reduction="none"),
    "soft_margin_loss": lambda lib, F, leaf: F.soft_margin_loss(leaf(X), lib.tensor(SIGNS)),
    "multilabel_soft_margin_loss none": lambda lib, F, leaf: F.multilabel_soft_margin_loss(
        leaf(X), lib.tensor(P), reduction="none"),
    "multi_margin_loss": lambda lib, F, leaf: F.multi_margin_loss(leaf(X), lib.tensor(T)),
    "multilabel_margin_loss": lambda lib, F, leaf: F.multilabel_margin_loss(leaf(X), lib.tensor(LABELS)),
    "triplet_margin_loss none": lambda lib, F, leaf: F.triplet_margin_loss(leaf(X), leaf(Y), leaf(P), reduction="none"),
    "triplet_margin_with_distance_loss": lambda lib, F, leaf: F.triplet_margin_with_distance_loss(
        leaf(X), leaf(Y), leaf(P)),
    "poisson_nll_loss none": lambda lib, F, leaf: F.poisson_nll_loss(leaf(X), lib.tensor(P), reduction="none"),
    "gaussian_nll_loss none": lambda lib, F, leaf: F.gaussian_nll_loss(leaf(X), lib.tensor(Y), leaf(P),
                                                                       reduction="none"),
    "pairwise_distance": lambda lib, F, leaf: F.pairwise_distance(leaf(X), leaf(Y)),
    "pdist": lambda lib, F, leaf: F.pdist(leaf(X)),
    "embedding_bag": lambda lib, F, leaf: F.embedding_bag(lib.tensor(T), leaf(X), lib.tensor(np.array([0, 2]))),
    "mish": lambda lib, F, leaf: F.mish(leaf(X)),
    "selu": lambda lib, F, leaf: F.selu(leaf(X)),
    "celu": lambda lib, F, leaf: F.celu(leaf(X)),
    "softsign": lambda lib, F, leaf: F.softsign(leaf(X)),
    "tanhshrink": lambda lib, F, leaf: F.tanhshrink(leaf(X)),
    "softshrink": lambda lib, F, leaf: F.softshrink(leaf(X)),
    "hardshrink": lambda lib, F, leaf: F.hardshrink(leaf(X)),
    "threshold": lambda lib, F, leaf: F.threshold(leaf(X), 0.1, 2.0),
    "hardsigmoid": lambda lib, F, leaf: F.hardsigmoid(leaf(X)),
    "hardswish": lambda lib, F, leaf: F.hardswish(leaf(X)),
    "glu": lambda lib, F, leaf: F.glu(leaf(X[:, :4])),
    "rrelu": lambda lib, F, leaf: F.rrelu(leaf(X)),
    "rrelu training": lambda lib, F, leaf: F.rrelu(leaf(X), training=True),
    "hardtanh": lambda lib, F, leaf: F.hardtanh(leaf(X)),
    "relu6": lambda lib, F, leaf: F.relu6(leaf(X)),
    **{f"{name} in place": lambda lib, F, leaf, call=call: call(F, leaf(X) * 1) for name, call in [
        ("relu", lambda F, t: F.relu(t, inplace=True)), ("elu", lambda F, t: F.elu(t, inplace=True)),
        ("hardtanh", lambda F, t: F.hardtanh(t, inplace=True)), ("leaky_relu", lambda F, t: F.leaky_relu_(t)),
        ("selu", lambda F, t: F.selu_(t)), ("celu", lambda F, t: F.celu_(t)),
        ("threshold", lambda F, t: F.threshold_(t, 0.0, 1.0)), ("rrelu", lambda F, t: F.rrelu_(t)),
        ("mish", lambda F, t: F.mish(t, inplace=True)), ("hardswish", lambda F, t: F.hardswish(t, inplace=True)),
        ("hardsigmoid", lambda F, t: F.hardsigmoid(t, inplace=True)), ("silu", lambda F, t: F.silu(t, inplace=True)),
    ]},
    "prod": lambda lib, F, leaf: leaf(X).prod(),
    "prod dim": lambda lib, F, leaf: leaf(X).prod(1),
    "cumprod": lambda lib, F, leaf: leaf(X).cumprod(1),
    "cummax": lambda lib, F, leaf: leaf(X).cummax(1).values,
    "cummin": lambda lib, F, leaf: leaf(X).cummin(0).values,
    "logcumsumexp": lambda lib, F, leaf: leaf(X).logcumsumexp(1),
    "median": lambda lib, F, leaf: leaf(X).median(),
    "median dim": lambda lib, F, leaf: leaf(X).median(1).values,
    "nanmedian": lambda lib, F, leaf: leaf(X).nanmedian(),
    "nanmedian dim": lambda lib, F, leaf: leaf(X).nanmedian(1).values,
    "mode": lambda lib, F, leaf: leaf(X).mode(1).values,
    "kthvalue": lambda lib, F, leaf: leaf(X).kthvalue(2, 1).values,
    "nansum": lambda lib, F, leaf: leaf(X).nansum(),
    "aminmax": lambda lib, F, leaf: leaf(X).aminmax().max,
    "std_mean": lambda lib, F, leaf: lib.std_mean(leaf(X))[0],
    "var_mean": lambda lib, F, leaf: lib.var_mean(leaf(X), 1)[1],
    "masked_select": lambda lib, F, leaf: leaf(X).masked_select(lib.tensor(P > 0.5)),
    "take": lambda lib, F, leaf: leaf(X).take(lib.tensor(T)),
    "take_along_dim": lambda lib, F, leaf: leaf(X).take_along_dim(lib.tensor(T)[:, None], 1),
    "narrow": lambda lib, F, leaf: leaf(X).narrow(1, 1, 2),
    "select": lambda lib, F, leaf: leaf(X).select(1, 2),
    "movedim": lambda lib, F, leaf: leaf(X).movedim(0, 1),
    "swapaxes": lambda lib, F, leaf: leaf(X).swapaxes(0, 1),
    "unflatten": lambda lib, F, leaf: leaf(X).unflatten(0, (2, 2)),
    "unfold": lambda lib, F, leaf: leaf(X).unfold(1, 2, 1),
    "tile": lambda lib, F, leaf: leaf(X).tile(2),
    "repeat_interleave": lambda lib, F, leaf: leaf(X).repeat_interleave(2),
    "ravel": lambda lib, F, leaf: leaf(X).ravel(),
    "tensor_split": lambda lib, F, leaf: leaf(X).tensor_split(2, 1)[0],
    "rot90": lambda lib, F, leaf: leaf(X).rot90(),
    "fliplr": lambda lib, F, leaf: leaf(X).fliplr(),
    "diag": lambda lib, F, leaf: leaf(X[0]).diag(),
    "diagonal": lambda lib, F, leaf: leaf(X).diagonal(),
    "diag_embed": lambda lib, F, leaf: leaf(X).diag_embed(),
    "diagflat": lambda lib, F, leaf: leaf(X).diagflat(),
    "trace": lambda lib, F, leaf: leaf(X).trace(),
    "outer": lambda lib, F, leaf: leaf(X[0]).outer(leaf(Y[0])),
    "inner": lambda lib, F, leaf: leaf(X).inner(leaf(Y)),
    "dot": lambda lib, F, leaf: leaf(X[0]).dot(leaf(Y[0])),
    "vdot": lambda lib, F, leaf: leaf(X[0]).vdot(leaf(Y[0])),
    "mv": lambda lib, F, leaf: leaf(X).mv(leaf(Y[0])),
    "kron": lambda lib, F, leaf: leaf(X).kron(leaf(Y)),
    "cross": lambda lib, F, leaf: leaf(X[:, :3]).cross(leaf(Y[:, :3]), dim=1),
    "tensordot": lambda lib, F, leaf: lib.tensordot(leaf(X), leaf(Y), dims=([1], [1])),
    "cdist": lambda lib, F, leaf: lib.cdist(leaf(X), leaf(Y)),
    "diff": lambda lib, F, leaf: leaf(X).diff(),
    "addmm": lambda lib, F, leaf: lib.addmm(leaf(X[:, :4]), leaf(X), leaf(Y.T)),
    "addmv": lambda lib, F, leaf: lib.addmv(leaf(X[:, 0]), leaf(X), leaf(Y[0])),
    "addr": lambda lib, F, leaf: lib.addr(leaf(X), leaf(X[:, 0]), leaf(Y[0])),
    "baddbmm": lambda lib, F, leaf: lib.baddbmm(leaf(X[None, :, :4]), leaf(X[None]), leaf(Y.T[None])),
    "addbmm": lambda lib, F, leaf: lib.addbmm(leaf(X[:, :4]), leaf(X[None]), leaf(Y.T[None])),
    "index_add": lambda lib, F, leaf: leaf(X).index_add(1, lib.tensor([0]), leaf(Y[:, :1])),
    "index_copy": lambda lib, F, leaf: leaf(X).index_copy(1, lib.tensor([0]), leaf(Y[:, :1])),
    "index_fill": lambda lib, F, leaf: leaf(X).index_fill(1, lib.tensor([0]), 2.0),
    "index_put": lambda lib, F, leaf: leaf(X).index_put((lib.tensor([0]),), leaf(Y[1])),
    "masked_scatter": lambda lib, F, leaf: leaf(X).masked_scatter(lib.tensor(P > 0.5), leaf(Y)),
    "scatter_reduce": lambda lib, F, leaf: leaf(X).scatter_reduce(0, lib.tensor(T)[None].expand(2, 4), leaf(Y[:2, :4]),
                                                                  "amax"),
    "broadcast_to": lambda lib, F, leaf: leaf(X).broadcast_to((2, 4, 5)),
    "atleast_3d": lambda lib, F, leaf: lib.atleast_3d(leaf(X)),
    "block_diag": lambda lib, F, leaf: lib.block_diag(leaf(X), leaf(Y)),
    "cartesian_prod": lambda lib, F, leaf: lib.cartesian_prod(leaf(X[0]), leaf(Y[0])),
    "meshgrid": lambda lib, F, leaf: lib.meshgrid(leaf(X[0]), leaf(Y[0]), indexing="ij")[0],
    "t_": lambda lib, F, leaf: (leaf(X) * 1).t_(),
    "transpose_": lambda lib, F, leaf: (leaf(X) * 1).transpose_(0, 1),
    "unsqueeze_": lambda lib, F, leaf: (leaf(X) * 1).unsqueeze_(0),
    "squeeze_()": lambda lib, F, leaf: (leaf(X)[None] * 1).squeeze_(),
    "squeeze_(dim)": lambda lib, F, leaf: (leaf(X)[None] * 1).squeeze_(0),
    "squeeze_(dims)": lambda lib, F, leaf: (leaf(X)[None] * 1).squeeze_((0,)),
    "linalg.det": lambda lib, F, leaf: lib.linalg.det(leaf(X[:, :4])),
    "linalg.slogdet": lambda lib, F, leaf: lib.linalg.slogdet(leaf(X[:, :4])).logabsdet,
    "linalg.inv": lambda lib, F, leaf: lib.linalg.inv(leaf(X[:, :4])),
    "inverse": lambda lib, F, leaf: lib.inverse(leaf(X[:, :4])),
    "linalg.solve": lambda lib, F, leaf: lib.linalg.solve(leaf(X[:, :4]), leaf(Y[:, :2])),
    "linalg.svd": lambda lib, F, leaf: lib.linalg.svd(leaf(X)).S,
    "linalg.svdvals": lambda lib, F, leaf: lib.linalg.svdvals(leaf(X)),
    "linalg.qr": lambda lib, F, leaf: lib.linalg.qr(leaf(X.T)).Q,
    "linalg.cholesky": lambda lib, F, leaf: lib.linalg.cholesky(leaf(X @ X.T + 5 * np.eye(4, dtype=np.float32))),
    "linalg.eigh": lambda lib, F, leaf: lib.linalg.eigh(leaf(X @ X.T)).eigenvalues,
    "linalg.pinv": lambda lib, F, leaf: lib.linalg.pinv(leaf(X)),
    "linalg.cross": lambda lib, F, leaf: lib.linalg.cross(leaf(X[:, :3]), leaf(Y[:, :3])),
    "linalg.vector_norm": lambda lib, F, leaf: lib.linalg.vector_norm(leaf(X)),
    "linalg.matrix_norm": lambda lib, F, leaf: lib.linalg.matrix_norm(leaf(X)),
    "linalg.norm": lambda lib, F, leaf: lib.linalg.norm(leaf(X)),
    "det": lambda lib, F, leaf: lib.det(leaf(X[:, :4])),
    "msort": lambda lib, F, leaf: leaf(X).msort(),
    "narrow_copy": lambda lib, F, leaf: leaf(X).narrow_copy(0, 0, 1),
    "dist": lambda lib, F, leaf: leaf(X).dist(leaf(Y)),
    "renorm": lambda lib, F, leaf: leaf(X).renorm(2, 0, 1.0),
    "put": lambda lib, F, leaf: leaf(X).put(lib.tensor([1]), leaf(Y[0, :1])),
    "select_scatter": lambda lib, F, leaf: leaf(X).select_scatter(leaf(Y[0]), 0, 1),
    "slice_scatter": lambda lib, F, leaf: leaf(X).slice_scatter(leaf(Y[:1]), 0, 1, 2),
    "diagonal_scatter": lambda lib, F, leaf: leaf(X).diagonal_scatter(leaf(Y[0, :4])),
    "index_reduce": lambda lib, F, leaf: leaf(X).index_reduce(0, lib.tensor([0, 1]), leaf(Y[:2]), "amax"),
    "matrix_exp": lambda lib, F, leaf: lib.linalg.matrix_exp(leaf(X[:, :4] / 4)),
    "solve_triangular": lambda lib, F, leaf: lib.linalg.solve_triangular(
        leaf(X[:, :4] + 4 * np.eye(4, dtype=np.float32)), leaf(Y[:, :2]), upper=True),
    "svd": lambda lib, F, leaf: lib.svd(leaf(X))[1],

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
