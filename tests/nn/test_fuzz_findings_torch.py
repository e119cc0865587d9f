"""What experiments/fuzz_nn.py found, each pinned against PyTorch: print(module) of the recurrent layers,
Embedding and convolutions, and Conv2d's padding modes; and a short seeded run of the fuzzer itself."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam as tg  # noqa: E402

REPRS = [
    ("RNN", (1, 2), {"nonlinearity": "relu", "bidirectional": True}),
    ("RNNCell", (2, 1), {"bias": False, "nonlinearity": "relu"}),
    ("Embedding", (5, 1), {"norm_type": 1.0}),
    ("Conv1d", (2, 1, 1), {"padding": "valid", "bias": False}),
    ("Conv2d", (1, 2, 3), {"padding": "same", "padding_mode": "reflect"}),
    ("Conv2d", (2, 4, (3, 2)), {"groups": 2, "padding": 1, "padding_mode": "circular", "dilation": 2}),
]


@pytest.mark.parametrize(("name", "args", "kwargs"), REPRS)
def test_print_module_as_torch(name: str, args: tuple, kwargs: dict) -> None:
    assert str(getattr(tg.nn, name)(*args, **kwargs)) == str(getattr(torch.nn, name)(*args, **kwargs))


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
@pytest.mark.parametrize("padding", [1, (2, 1), "same"])
def test_conv2d_padding_modes_match_torch(mode: str, padding: object) -> None:
    x = np.random.default_rng(0).standard_normal((2, 2, 5, 6))
    torch.manual_seed(0)
    reference = torch.nn.Conv2d(2, 3, (3, 2), padding=padding, padding_mode=mode, dilation=(1, 2)).double()
    tg.manual_seed(0)
    ours = tg.nn.Conv2d(2, 3, (3, 2), padding=padding, padding_mode=mode, dilation=(1, 2)).double()
    tx, ox = torch.tensor(x, requires_grad=True), tg.tensor(x, requires_grad=True)
    out, expected = ours(ox), reference(tx)
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    out.sum().backward()
    expected.sum().backward()
    np.testing.assert_allclose(ox.grad.numpy(), tx.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.weight.grad.numpy(), reference.weight.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("need_weights", [False, True])
def test_attention_to_a_fully_padded_row_as_torch(need_weights: bool) -> None:
    """PyTorch's MultiheadAttention attends through scaled_dot_product_attention when no weights are asked
    (as inside every Transformer layer): a query whose keys are all padding gets 0 there, NaN otherwise."""
    rng = np.random.default_rng(1)
    x, mask = rng.standard_normal((1, 2, 4)), np.array([[True], [False]])
    results = []
    for lib in (torch, tg):
        lib.manual_seed(0)
        attention = lib.nn.MultiheadAttention(4, 2).double()
        inp = lib.tensor(x, requires_grad=True)
        out, _ = attention(inp, inp, inp, key_padding_mask=lib.tensor(mask), need_weights=need_weights)
        out[:, 1].sum().backward()
        results.append((out.detach().numpy(), inp.grad.numpy(), attention.in_proj_weight.grad.numpy()))
    for expected, got in zip(*results, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12, equal_nan=True)


def test_cosine_similarity_gradient_below_eps_as_torch() -> None:
    """PyTorch clamps the norms to eps in place under no_grad: the value uses eps, the gradient the norm's."""
    rng = np.random.default_rng(2)
    x1, x2 = rng.standard_normal((3, 4)) * np.array([[0.05], [0.02], [1.0]]), rng.standard_normal((1, 4))
    grads = []
    for lib in (torch, tg):
        a, b = lib.tensor(x1, requires_grad=True), lib.tensor(x2, requires_grad=True)
        out = lib.nn.CosineSimilarity(dim=1, eps=0.1)(a, b)
        (out * lib.tensor(np.array([1.0, 2.0, 3.0]))).sum().backward()
        grads.append((out.detach().numpy(), a.grad.numpy(), b.grad.numpy()))
    for expected, got in zip(*grads, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


POOLS = [
    ("MaxPool1d", (3,), {"stride": 2, "padding": 1, "ceil_mode": True, "return_indices": True}, (2, 3, 8)),
    ("MaxPool1d", (2,), {"stride": 3, "ceil_mode": True}, (3, 7)),
    ("MaxPool1d", (2,), {"return_indices": True}, (2, 2, 5)),
    ("AvgPool1d", (3,), {"stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": False}, (2, 3, 8)),
    ("AvgPool1d", (2,), {"stride": 3, "ceil_mode": True}, (3, 7)),
    ("AdaptiveMaxPool1d", (3,), {"return_indices": True}, (2, 3, 7)),
    ("AdaptiveMaxPool2d", ((2, 3),), {"return_indices": True}, (2, 1, 5, 7)),
    ("AdaptiveMaxPool2d", ((3, None),), {"return_indices": True}, (2, 4, 5)),
]


@pytest.mark.parametrize(("name", "args", "kwargs", "shape"), POOLS)
def test_pool_options_as_torch(name: str, args: tuple, kwargs: dict, shape: tuple) -> None:
    """ceil_mode and return_indices of the 1-D pools, return_indices of the adaptive max pools (were
    NotImplementedError): values, indices and float64 input gradients."""
    x = np.random.default_rng(3).standard_normal(shape)
    results = []
    for lib in (torch, tg):
        inp = lib.tensor(x, requires_grad=True)
        out = getattr(lib.nn, name)(*args, **kwargs)(inp)
        values = out[0] if kwargs.get("return_indices") else out
        (values * lib.tensor(np.arange(values.numel(), dtype=np.float64).reshape(values.shape))).sum().backward()
        results.append([o.detach().numpy() for o in (out if isinstance(out, tuple) else (out,))] + [inp.grad.numpy()])
    for expected, got in zip(*results, strict=True):
        assert got.dtype == expected.dtype
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("proj_size", [-1, 2, 3])
def test_lstm_refuses_an_invalid_proj_size_as_torch(proj_size: int) -> None:
    """A proj_size PyTorch refuses is its ValueError here too, not the NotImplementedError of a valid one."""
    with pytest.raises(ValueError) as expected:
        torch.nn.LSTM(1, 2, proj_size=proj_size)
    with pytest.raises(ValueError, match=str(expected.value)):
        tg.nn.LSTM(1, 2, proj_size=proj_size)


@pytest.mark.parametrize(("shape", "out_features"), [((1, 6), 0), ((2, 0, 6), 3), ((2, 3, 0), 4)])
def test_linear_with_a_zero_size_backpropagates_as_torch(shape: tuple, out_features: int) -> None:
    grads = []
    for lib in (torch, tg):
        lib.manual_seed(0)
        layer = lib.nn.Linear(shape[-1], out_features).double()
        x = lib.tensor(np.ones(shape), requires_grad=True)
        layer(x).sum().backward()
        grads.append((x.grad.numpy(), layer.weight.grad.numpy(), layer.bias.grad.numpy()))
    for expected, got in zip(*grads, strict=True):
        np.testing.assert_array_equal(got, expected)


def test_upsample_with_a_zero_scale_factor_prints_as_torch() -> None:
    assert str(tg.nn.Upsample(scale_factor=0.0)) == str(torch.nn.Upsample(scale_factor=0.0))


@pytest.mark.filterwarnings("ignore:dropout")
@pytest.mark.parametrize(("name", "shape"), [("Dropout1d", (3, 4, 5)), ("Dropout1d", (4, 5)), ("Dropout2d", (3, 4, 5)),
                                             ("Dropout2d", (2, 3, 4, 5)), ("Dropout3d", (3, 2, 2, 2)),
                                             ("Dropout3d", (2, 3, 2, 2, 2)), ("Dropout3d", (4, 3, 2))])
def test_channel_dropout_masks_as_torch(name: str, shape: tuple) -> None:
    """The same channels dropped after the same seed; a 3-D input to Dropout2d is (N, C, L) as in PyTorch."""
    x = np.random.default_rng(4).standard_normal(shape)
    outs = []
    for lib in (torch, tg):
        lib.manual_seed(5)
        outs.append(getattr(lib.nn, name)(0.5)(lib.tensor(x)).numpy())
    np.testing.assert_array_equal(outs[1], outs[0])


@pytest.mark.filterwarnings("ignore:enable_nested_tensor")
@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("kind", ["Encoder", "Decoder"])
def test_batch_first_transformer_layer_in_training_as_torch(kind: str, norm_first: bool) -> None:
    """The dropout after a batch_first attention draws its mask over (L, N, E), as PyTorch's on its
    transposed view: the same training outputs and gradients after the same seed."""
    x = np.random.default_rng(6).standard_normal((3, 4, 6))
    results = []
    for lib in (torch, tg):
        lib.manual_seed(1)
        layer = getattr(lib.nn, f"Transformer{kind}Layer")(6, 2, 8, dropout=0.3, batch_first=True,
                                                           norm_first=norm_first).double()
        inp = lib.tensor(x, requires_grad=True)
        out = layer(inp) if kind == "Encoder" else layer(inp, inp * 0.5)
        out.sum().backward()
        results.append((out.detach().numpy(), inp.grad.numpy(), layer.linear1.weight.grad.numpy()))
    for expected, got in zip(*results, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize(("name", "kwargs", "shape"), [
    ("Upsample", {"size": 0}, (1, 1, 2, 3)), ("Upsample", {"scale_factor": -2.0, "mode": "bilinear"}, (1, 1, 2, 3)),
    ("UpsamplingNearest2d", {"size": 5}, (2, 1, 1, 0)), ("Upsample", {"size": 4, "mode": "linear"}, (1, 2, 0)),
])
def test_interpolate_refuses_an_empty_size_as_torch(name: str, kwargs: dict, shape: tuple) -> None:
    with pytest.raises(RuntimeError) as expected:
        getattr(torch.nn, name)(**kwargs)(torch.zeros(shape))
    with pytest.raises(RuntimeError, match=str(expected.value).replace("(", r"\(").replace(")", r"\)")):
        getattr(tg.nn, name)(**kwargs)(tg.zeros(shape))


def test_upsample_with_a_zero_scale_factor_refuses_as_torch() -> None:
    with pytest.raises(ValueError, match="either size or scale_factor should be defined"):
        torch.nn.Upsample(scale_factor=0)(torch.zeros(1, 1, 2, 2))
    with pytest.raises(ValueError, match="either size or scale_factor should be defined"):
        tg.nn.Upsample(scale_factor=0)(tg.zeros(1, 1, 2, 2))


def test_adaptive_max_pool_indices_of_an_empty_batch_as_torch() -> None:
    out, indices = tg.nn.AdaptiveMaxPool2d((2, None), return_indices=True)(tg.zeros(0, 2, 5, 8))
    expected = torch.nn.AdaptiveMaxPool2d((2, None), return_indices=True)(torch.zeros(0, 2, 5, 8))
    assert out.shape == expected[0].shape and indices.shape == expected[1].shape


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0])
@pytest.mark.parametrize("bag", [False, True])
def test_embedding_max_norm_renormalises_rows_as_torch(norm_type: float, bag: bool) -> None:
    """The rows a lookup picks are scaled in place to max_norm (were NotImplementedError): the same weights
    after the lookup, the same outputs and weight gradients."""
    indices = np.array([[0, 3, 3], [5, 1, 0]])
    results = []
    for lib in (torch, tg):
        lib.manual_seed(0)
        layer = (lib.nn.EmbeddingBag(6, 4, max_norm=1.5, norm_type=norm_type, mode="sum") if bag
                 else lib.nn.Embedding(6, 4, max_norm=1.5, norm_type=norm_type)).double()
        out = layer(lib.tensor(indices))
        (out * lib.tensor(np.arange(out.numel(), dtype=np.float64).reshape(out.shape))).sum().backward()
        results.append((layer.weight.detach().numpy(), out.detach().numpy(), layer.weight.grad.numpy()))
    for expected, got in zip(*results, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("bias_kv", "zero_attn"), [(True, False), (False, True), (True, True)])
def test_attention_with_added_keys_as_torch(bias_kv: bool, zero_attn: bool) -> None:
    """add_bias_kv and add_zero_attn (were NotImplementedError): PyTorch's parameters (bias_k, bias_v after
    the same init stream), outputs, weights and gradients, with both masks."""
    rng = np.random.default_rng(7)
    q, kv = rng.standard_normal((3, 2, 4)), rng.standard_normal((5, 2, 4))
    attn_mask, padding = rng.random((3, 5)) < 0.3, np.array([[False] * 4 + [True], [False] * 5])
    results = []
    for lib in (torch, tg):
        lib.manual_seed(0)
        attention = lib.nn.MultiheadAttention(4, 2, add_bias_kv=bias_kv, add_zero_attn=zero_attn).double()
        query = lib.tensor(q, requires_grad=True)
        out, weights = attention(query, lib.tensor(kv), lib.tensor(kv), attn_mask=lib.tensor(attn_mask),
                                 key_padding_mask=lib.tensor(padding))
        (out.sum() + weights.sum()).backward()
        results.append([out.detach().numpy(), weights.detach().numpy(), query.grad.numpy()]
                       + [p.grad.numpy() for p in attention.parameters()])
        results[-1].append(list(attention.state_dict()))
    assert results[0].pop() == results[1].pop()
    for expected, got in zip(*results, strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize(("groups", "channels", "shape"), [(3, 3, (1, 3)), (2, 2, (1, 2, 1)), (-2, 4, (1, 4, 2))])
def test_group_norm_refuses_as_torch(groups: int, channels: int, shape: tuple) -> None:
    """One value per group, or a non-positive number of groups: PyTorch's errors."""
    with pytest.raises((ValueError, RuntimeError)) as expected:
        torch.nn.GroupNorm(groups, channels)(torch.zeros(shape))
    with pytest.raises(expected.type, match=str(expected.value).replace("[", r"\[").replace("]", r"\]")):
        tg.nn.GroupNorm(groups, channels)(tg.zeros(shape))


@pytest.mark.parametrize(("q", "k", "padding", "mask"), [
    ((3, 2, 4), (5, 4), None, None), ((3, 4), (5, 2, 4), None, None), ((3, 4), (5, 4), (1, 5), None),
    ((3, 2, 4), (5, 2, 4), (2,), None), ((3, 2, 4), (5, 2, 4), None, (5,)), ((3, 4), (5, 4), None, (3, 3, 5)),
    ((3, 2, 4), (5, 2, 4), None, (3, 4)), ((3, 2, 4), (5, 2, 4), None, (3, 3, 5)),
])
def test_attention_refuses_mismatched_ranks_and_masks_as_torch(q: tuple, k: tuple, padding: tuple | None,
                                                                mask: tuple | None) -> None:
    """PyTorch's shape checks of MultiheadAttention's inputs and masks, with its exception types and words."""
    errors = []
    for lib in (torch, tg):
        lib.manual_seed(0)
        attention = lib.nn.MultiheadAttention(4, 2)
        kwargs = {"key_padding_mask": None if padding is None else lib.zeros(padding, dtype=lib.bool),
                  "attn_mask": None if mask is None else lib.zeros(mask, dtype=lib.bool)}
        with pytest.raises((AssertionError, RuntimeError)) as error:
            attention(lib.zeros(q), lib.zeros(k), lib.zeros(k), **kwargs)
        errors.append(error)
    assert errors[1].type is errors[0].type
    assert str(errors[1].value) == str(errors[0].value)
