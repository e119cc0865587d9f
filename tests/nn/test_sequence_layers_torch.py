"""Embedding, LayerNorm, GroupNorm, GELU, SiLU, MultiheadAttention, scaled_dot_product_attention, the
containers and the sequence ops (tril, triu, masked_fill, one_hot) against PyTorch, in float64."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam as tg  # noqa: E402
import tinygrad_adam.nn.functional as F  # noqa: E402
from tinygrad_adam import nn  # noqa: E402

RNG = np.random.default_rng(1)


def _pair(shape: tuple[int, ...], grad: bool = True) -> tuple[tg.Tensor, torch.Tensor]:
    array = RNG.standard_normal(shape)
    return tg.tensor(array, requires_grad=grad), torch.tensor(array, requires_grad=grad)


def _close(ours: object, reference: torch.Tensor, what: str = "") -> None:
    array = ours.array if isinstance(ours, tg.Tensor) else np.asarray(ours)
    expected = reference.detach().numpy()
    assert array.shape == expected.shape, what
    np.testing.assert_allclose(array, expected, rtol=1e-9, atol=1e-11, err_msg=what)


def _twins(ours_cls: type, torch_cls: type, *args: object, **kwargs: object) -> tuple[nn.Module, torch.nn.Module]:
    reference = torch_cls(*args, **kwargs).double()
    ours = ours_cls(*args, **kwargs, dtype=np.float64)
    assert list(ours.state_dict()) == list(reference.state_dict())
    ours.load_state_dict({k: v.detach().numpy() for k, v in reference.state_dict().items()})
    return ours, reference


def _backward_both(out: tg.Tensor, tout: torch.Tensor) -> None:
    w = RNG.standard_normal(tuple(tout.shape))
    (out * tg.tensor(w)).sum().backward()
    (tout * torch.tensor(w)).sum().backward()


def _compare_grads(ours: nn.Module, reference: torch.nn.Module) -> None:
    theirs = dict(reference.named_parameters())
    for name, p in ours.named_parameters():
        _close(p.grad, theirs[name].grad, f"gradient of {name}")


# ----- Embedding --------------------------------------------------------------------------------
@pytest.mark.parametrize("options", [{}, {"padding_idx": 2}, {"padding_idx": -1, "scale_grad_by_freq": True}])
def test_embedding_matches_torch(options: dict) -> None:
    ours, reference = _twins(nn.Embedding, torch.nn.Embedding, 6, 3, **options)
    indices = np.array([[0, 2, 5, 2], [1, 1, 5, 3]])
    out, tout = ours(tg.tensor(indices)), reference(torch.tensor(indices))
    _close(out, tout)
    _backward_both(out, tout)
    _compare_grads(ours, reference)
    assert repr(ours) == repr(reference)


def test_embedding_init_from_pretrained_and_refusals() -> None:
    table = nn.Embedding(10, 4, padding_idx=3)
    assert np.all(table.weight.array[3] == 0) and table.weight.array.std() > 0.5
    weights = RNG.standard_normal((4, 2))
    frozen = nn.Embedding.from_pretrained(tg.tensor(weights))
    assert not frozen.weight.requires_grad
    _close(frozen(tg.tensor([3, 0])), torch.nn.Embedding.from_pretrained(torch.tensor(weights))(torch.tensor([3, 0])))
    assert nn.Embedding.from_pretrained(tg.tensor(weights), freeze=False).weight.requires_grad
    with pytest.raises(NotImplementedError, match="sparse"):
        nn.Embedding(4, 2, sparse=True)
    with pytest.raises(IndexError, match="index out of range"):
        table(tg.tensor([10]))
    with pytest.raises(RuntimeError, match="Long, Int"):
        table(tg.tensor([1.0]))
    _close(F.embedding(tg.tensor([1, 2]), tg.tensor(weights), padding_idx=1),
           torch.nn.functional.embedding(torch.tensor([1, 2]), torch.tensor(weights), padding_idx=1))


# ----- normalisation ---------------------------------------------------------------------------
@pytest.mark.parametrize("shape, normalized", [((4, 5), 5), ((2, 3, 4, 5), (4, 5))])
@pytest.mark.parametrize("options", [{}, {"elementwise_affine": False}, {"bias": False, "eps": 1e-3}])
def test_layer_norm_matches_torch(shape: tuple, normalized: object, options: dict) -> None:
    ours, reference = _twins(nn.LayerNorm, torch.nn.LayerNorm, normalized, **options)
    for p, tp in zip(ours.parameters(), reference.parameters(), strict=True):  # not just ones and zeros
        values = RNG.standard_normal(p.shape)
        p.array[...] = values
        tp.data = torch.tensor(values)
    x, tx = _pair(shape)
    out, tout = ours(x), reference(tx)
    _close(out, tout)
    _backward_both(out, tout)
    _close(x.grad, tx.grad, "input gradient")
    _compare_grads(ours, reference)
    assert repr(ours) == repr(reference)


def test_layer_norm_float32_rows_of_the_gpt_lecture() -> None:
    """float32, 2048 rows of 64 (the lecture model's LayerNorm): values and all gradients within float32 rounding."""
    values = RNG.standard_normal((32, 64, 64)).astype(np.float32) * 3 + 1
    weight, bias = (RNG.standard_normal(64).astype(np.float32) for _ in range(2))
    grad = RNG.standard_normal(values.shape).astype(np.float32)
    ours = [tg.tensor(a, requires_grad=True) for a in (values, weight, bias)]
    theirs = [torch.tensor(a, requires_grad=True) for a in (values, weight, bias)]
    out = F.layer_norm(ours[0], (64,), ours[1], ours[2])
    tout = torch.nn.functional.layer_norm(theirs[0], (64,), theirs[1], theirs[2])
    out.backward(tg.tensor(grad))
    tout.backward(torch.tensor(grad))
    assert out.dtype == tg.float32
    np.testing.assert_allclose(out.detach().numpy(), tout.detach().numpy(), rtol=1e-5, atol=1e-5)
    for a, ta in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy(), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("affine", ["weight", "bias"])
def test_layer_norm_with_only_a_weight_or_only_a_bias(affine: str) -> None:
    x, tx = _pair((4, 6))
    p, tp = _pair((6,))
    options, toptions = {affine: p}, {affine: tp}
    out, tout = F.layer_norm(x, (6,), **options), torch.nn.functional.layer_norm(tx, (6,), **toptions)
    _close(out, tout)
    _backward_both(out, tout)
    _close(x.grad, tx.grad, "input gradient")
    _close(p.grad, tp.grad, f"{affine} gradient")


def test_layer_norm_output_changed_in_place_keeps_the_gradient() -> None:
    """Without weight and bias the output holds the normalised input that backward reads; changing the output in
    place (as PyTorch allows) leaves the input gradient PyTorch's."""
    x, tx = _pair((3, 5))
    out, tout = F.layer_norm(x, (5,)), torch.nn.functional.layer_norm(tx, (5,))
    out.mul_(2)
    tout.mul_(2)
    scale = RNG.standard_normal((3, 5))
    (out * tg.tensor(scale)).sum().backward()
    (tout * torch.tensor(scale)).sum().backward()
    _close(x.grad, tx.grad, "input gradient")


@pytest.mark.parametrize("shape", [(2, 6), (3, 6, 4), (2, 6, 3, 2)])
def test_group_norm_matches_torch(shape: tuple) -> None:
    ours, reference = _twins(nn.GroupNorm, torch.nn.GroupNorm, 3, 6)
    values = RNG.standard_normal((2, 6))
    ours.weight.array[...], ours.bias.array[...] = values
    reference.weight.data, reference.bias.data = torch.tensor(values[0]), torch.tensor(values[1])
    x, tx = _pair(shape)
    out, tout = ours(x), reference(tx)
    _close(out, tout)
    _backward_both(out, tout)
    _close(x.grad, tx.grad, "input gradient")
    _compare_grads(ours, reference)
    assert repr(ours) == repr(reference)
    with pytest.raises(ValueError, match="divisible"):
        nn.GroupNorm(4, 6)


def test_norm_gradchecks() -> None:
    x = tg.tensor(RNG.standard_normal((3, 2, 4)), requires_grad=True)
    w = tg.tensor(RNG.standard_normal((2, 4)), requires_grad=True)
    b = tg.tensor(RNG.standard_normal((2, 4)), requires_grad=True)
    assert tg.gradcheck(lambda x, w, b: F.layer_norm(x, (2, 4), w, b), x, w, b)
    g, gb = (tg.tensor(RNG.standard_normal(2), requires_grad=True) for _ in range(2))
    assert tg.gradcheck(lambda x, g, gb: F.group_norm(x, 1, g, gb), x, g, gb)


# ----- activations ------------------------------------------------------------------------------
@pytest.mark.parametrize("ours_cls, torch_cls, args", [
    (nn.GELU, torch.nn.GELU, ()), (nn.GELU, torch.nn.GELU, ("tanh",)), (nn.SiLU, torch.nn.SiLU, ()),
    (nn.Tanh, torch.nn.Tanh, ()), (nn.Softmax, torch.nn.Softmax, (1,)),
])
def test_activations_match_torch(ours_cls: type, torch_cls: type, args: tuple) -> None:
    x, tx = _pair((4, 7))
    out, tout = ours_cls(*args)(x), torch_cls(*args)(tx)
    _close(out, tout)
    _backward_both(out, tout)
    _close(x.grad, tx.grad, "input gradient")
    assert repr(ours_cls(*args)) == repr(torch_cls(*args))


@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_gradcheck_and_float32(approximate: str) -> None:
    x = tg.tensor(RNG.standard_normal((3, 4)), requires_grad=True)
    assert tg.gradcheck(lambda x: F.gelu(x, approximate=approximate), x)
    assert F.gelu(tg.randn(3), approximate=approximate).dtype == tg.float32
    with pytest.raises(RuntimeError, match="none or tanh"):
        F.gelu(x, approximate="sigmoid")


# ----- attention --------------------------------------------------------------------------------
@pytest.mark.parametrize("mask", ["none", "bool", "float", "causal"])
def test_scaled_dot_product_attention_matches_torch(mask: str) -> None:
    (q, tq), (k, tk), (v, tv) = _pair((2, 3, 4, 5)), _pair((2, 3, 6, 5)), _pair((2, 3, 6, 2))
    kwargs, tkwargs = {}, {}
    if mask == "bool":
        m = RNG.random((4, 6)) > 0.3
        m[:, 0] = True
        kwargs, tkwargs = {"attn_mask": tg.tensor(m)}, {"attn_mask": torch.tensor(m)}
    elif mask == "float":
        m = RNG.standard_normal((3, 4, 6))
        kwargs, tkwargs = {"attn_mask": tg.tensor(m)}, {"attn_mask": torch.tensor(m)}
    elif mask == "causal":
        kwargs = tkwargs = {"is_causal": True}
    out = F.scaled_dot_product_attention(q, k, v, scale=0.3, **kwargs)
    tout = torch.nn.functional.scaled_dot_product_attention(tq, tk, tv, scale=0.3, **tkwargs)
    _close(out, tout)
    _backward_both(out, tout)
    for ours, theirs in ((q, tq), (k, tk), (v, tv)):
        _close(ours.grad, theirs.grad, "gradient")


def test_scaled_dot_product_attention_gradcheck() -> None:
    q, k, v = (tg.tensor(RNG.standard_normal((2, 3, 2)), requires_grad=True) for _ in range(3))
    assert tg.gradcheck(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True), q, k, v)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("masks", ["none", "bool", "float"])
def test_multihead_attention_matches_torch(batch_first: bool, masks: str) -> None:
    ours, reference = _twins(nn.MultiheadAttention, torch.nn.MultiheadAttention, 8, 2, batch_first=batch_first)
    ours.in_proj_bias.array[...] = RNG.standard_normal(24)  # torch's init sets them to zero
    reference.in_proj_bias.data = torch.tensor(ours.in_proj_bias.array.copy())
    x, tx = _pair((2, 5, 8) if batch_first else (5, 2, 8))
    kwargs, tkwargs = {}, {}
    if masks == "bool":
        causal = ~np.tri(5, 5, dtype=bool)
        padding = np.zeros((2, 5), dtype=bool)
        padding[1, 3:] = True
        kwargs = {"attn_mask": tg.tensor(causal), "key_padding_mask": tg.tensor(padding)}
        tkwargs = {"attn_mask": torch.tensor(causal), "key_padding_mask": torch.tensor(padding)}
    elif masks == "float":
        m = RNG.standard_normal((4, 5, 5))
        kwargs, tkwargs = {"attn_mask": tg.tensor(m)}, {"attn_mask": torch.tensor(m)}
    out, weights = ours(x, x, x, **kwargs)
    tout, tweights = reference(tx, tx, tx, **tkwargs)
    _close(out, tout, "output")
    _close(weights, tweights, "averaged attention weights")
    _backward_both(out, tout)
    _close(x.grad, tx.grad, "input gradient")
    _compare_grads(ours, reference)
    per_head = ours(x, x, x, average_attn_weights=False, **kwargs)[1]
    _close(per_head, reference(tx, tx, tx, average_attn_weights=False, **tkwargs)[1], "per-head weights")
    assert ours(x, x, x, need_weights=False)[1] is None


def test_multihead_attention_cross_and_kdim_and_unbatched() -> None:
    ours, reference = _twins(nn.MultiheadAttention, torch.nn.MultiheadAttention, 6, 3, kdim=4, vdim=5)
    (q, tq), (k, tk), (v, tv) = _pair((3, 2, 6)), _pair((4, 2, 4)), _pair((4, 2, 5))
    out, _ = ours(q, k, v)
    tout, _ = reference(tq, tk, tv)
    _close(out, tout)
    _backward_both(out, tout)
    _compare_grads(ours, reference)
    ours, reference = _twins(nn.MultiheadAttention, torch.nn.MultiheadAttention, 6, 2)
    (q, tq), (k, tk) = _pair((3, 6)), _pair((4, 6))
    out, weights = ours(q, k, k)
    tout, tweights = reference(tq, tk, tk)
    _close(out, tout, "unbatched output")
    _close(weights, tweights, "unbatched weights")


# ----- containers -------------------------------------------------------------------------------
def test_containers_have_torch_keys() -> None:
    ours = nn.ModuleDict({"embed": nn.Embedding(3, 2), "head": nn.Linear(2, 3)})
    theirs = torch.nn.ModuleDict({"embed": torch.nn.Embedding(3, 2), "head": torch.nn.Linear(2, 3)})
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert list(ours.keys()) == ["embed", "head"] and "head" in ours and len(ours) == 2
    del ours["embed"]
    assert list(ours.state_dict()) == ["head.weight", "head.bias"]
    with pytest.raises(KeyError, match="already exists"):
        ours["training"] = nn.Linear(1, 1)
    plist = nn.ParameterList([tg.randn(2), nn.Parameter(tg.randn(3).array)])
    assert list(plist.state_dict()) == ["0", "1"] and plist[0].requires_grad and len(plist) == 2
    pdict = nn.ParameterDict({"a": tg.randn(2)})
    pdict["b"] = tg.randn(1)
    assert list(pdict.state_dict()) == ["a", "b"] and isinstance(pdict["a"], nn.Parameter)
    assert [n for n, _ in nn.Sequential(nn.Linear(2, 2), nn.Tanh()).named_parameters()] == ["0.weight", "0.bias"]


# ----- ops --------------------------------------------------------------------------------------
@pytest.mark.parametrize("diagonal", [-1, 0, 2])
def test_tril_triu_match_torch(diagonal: int) -> None:
    for name in ("tril", "triu"):
        x, tx = _pair((2, 3, 4))
        out, tout = getattr(tg, name)(x, diagonal), getattr(torch, name)(tx, diagonal)
        _close(out, tout, name)
        _backward_both(out, tout)
        _close(x.grad, tx.grad, f"{name} gradient")
    assert tg.gradcheck(lambda x: tg.tril(x, diagonal), tg.tensor(RNG.standard_normal((3, 3)),
                                                                          requires_grad=True))


def test_masked_fill_and_one_hot_match_torch() -> None:
    x, tx = _pair((3, 4))
    mask = RNG.random((1, 4)) > 0.5
    out, tout = tg.masked_fill(x, tg.tensor(mask), float("-inf")), tx.masked_fill(torch.tensor(mask), -np.inf)
    _close(out, tout)
    ((out.exp()) * 2).sum().backward()
    ((tout.exp()) * 2).sum().backward()
    _close(x.grad, tx.grad, "masked_fill gradient")
    with pytest.raises(RuntimeError, match="boolean"):
        tg.masked_fill(x, tg.tensor([1.0]), 0.0)
    idx = np.array([[0, 3], [2, 1]])
    one = F.one_hot(tg.tensor(idx))
    assert one.dtype == tg.int64
    np.testing.assert_array_equal(one.detach().numpy(), torch.nn.functional.one_hot(torch.tensor(idx)).detach().numpy())
    assert F.one_hot(tg.tensor([1]), 5).shape == (1, 5)
    with pytest.raises(RuntimeError, match="smaller than num_classes"):
        F.one_hot(tg.tensor([5]), 3)


@pytest.mark.parametrize("ours_cls, torch_cls, args, shape", [
    (nn.Embedding, torch.nn.Embedding, (7, 3), None), (nn.LayerNorm, torch.nn.LayerNorm, (4,), (2, 4)),
    (nn.GroupNorm, torch.nn.GroupNorm, (2, 4), (3, 4, 2)),
    (nn.MultiheadAttention, torch.nn.MultiheadAttention, (4, 2), (3, 2, 4)),
])
def test_our_state_dict_loads_into_torch(ours_cls: type, torch_cls: type, args: tuple, shape: tuple | None) -> None:
    ours = ours_cls(*args, dtype=np.float64)
    for p in ours.parameters():  # away from the default values, so that loading them shows
        p.array[...] = RNG.standard_normal(p.shape)
    reference = torch_cls(*args).double()
    reference.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    if shape is None:
        x, tx = tg.tensor([[1, 6], [0, 2]]), torch.tensor([[1, 6], [0, 2]])
    else:
        x, tx = _pair(shape, grad=False)
    args_ours, args_torch = ((x, x, x), (tx, tx, tx)) if ours_cls is nn.MultiheadAttention else ((x,), (tx,))
    out, tout = ours(*args_ours), reference(*args_torch)
    if ours_cls is nn.MultiheadAttention:
        out, tout = out[0], tout[0]
    _close(out, tout, "output after loading our state_dict into torch")


def test_gradchecks_of_embedding_masked_fill_and_attention() -> None:
    table = tg.tensor(RNG.standard_normal((5, 3)), requires_grad=True)
    indices = tg.tensor([[0, 4, 4], [2, 1, 0]])
    assert tg.gradcheck(lambda w: F.embedding(indices, w), table)  # padding_idx: no gradient by design
    mask = tg.tensor(RNG.random((2, 3)) > 0.5)
    x = tg.tensor(RNG.standard_normal((2, 3)), requires_grad=True)
    assert tg.gradcheck(lambda x: tg.masked_fill(x, mask, -2.0) * x, x)
    attention = nn.MultiheadAttention(4, 2, dtype=np.float64)
    q = tg.tensor(RNG.standard_normal((3, 1, 4)), requires_grad=True)
    padding = tg.tensor(np.array([[False, False, True]]))
    assert tg.gradcheck(lambda q: attention(q, q, q, key_padding_mask=padding)[0], q)


def test_attention_dropout_keeps_the_expectation() -> None:
    tg.manual_seed(0)
    q, k, v = (tg.tensor(RNG.standard_normal((1, 2, 3))) for _ in range(3))
    exact = F.scaled_dot_product_attention(q, k, v).detach().numpy()
    draws = np.stack([F.scaled_dot_product_attention(q, k, v, dropout_p=0.5).detach().numpy() for _ in range(4000)])
    assert not np.allclose(draws[0], exact)  # dropped weights change single outputs
    standard_error = draws.std(axis=0) / np.sqrt(len(draws))
    assert np.all(np.abs(draws.mean(axis=0) - exact) < 5 * standard_error)  # and keep their mean (1/(1-p) scaling)


def test_attention_row_masked_out_entirely_is_zero_as_in_torch() -> None:
    """PyTorch's safe softmax: a query that may attend to no key gets zeros (and zero gradients), not NaN."""
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s) for s in ((2, 3, 4), (2, 5, 4), (2, 5, 2))]
    mask = np.ones((3, 5), bool)
    mask[1] = False
    ours = [tg.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = tg.nn.functional.scaled_dot_product_attention(*ours, attn_mask=tg.tensor(mask))
    ref = torch.nn.functional.scaled_dot_product_attention(*theirs, attn_mask=torch.tensor(mask))
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), atol=1e-12)
    assert not np.isnan(out.detach().numpy()).any()
    out.sum().backward()
    ref.sum().backward()
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), atol=1e-12)
