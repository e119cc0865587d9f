"""nn.Transformer and its parts, and nn.EmbeddingBag, against PyTorch: state_dicts load both ways, print(model)
and the construction warnings read the same, evaluation outputs and float64 gradients agree."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_adam as tg

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
SRC = RNG.standard_normal((5, 2, 8))
TGT = RNG.standard_normal((4, 2, 8))
PADDING = np.array([[False] * 5, [False, False, False, True, True]])


def _batch_first(a: np.ndarray) -> np.ndarray:
    return a.transpose(1, 0, 2).copy()


def _built(make: Callable[[Any], Any], lib: Any) -> tuple[Any, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = make(lib)
    return model, [str(w.message) for w in caught if "nested" in str(w.message)]


def _pair(make: Callable[[Any], Any]) -> tuple[Any, Any]:
    """The same model in both libraries, torch's weights loaded into ours (keys in the same order)."""
    torch.manual_seed(0)
    theirs, their_warnings = _built(make, torch)
    ours, our_warnings = _built(make, tg)
    assert our_warnings == their_warnings
    assert repr(ours) == repr(theirs)
    state = theirs.state_dict()
    assert list(ours.state_dict()) == list(state)
    ours.load_state_dict({k: tg.tensor(v.detach().numpy()) for k, v in state.items()})
    return ours, theirs


MODELS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], tuple], Callable[[Any], dict]]] = {
    "encoder layer": (lambda lib: lib.nn.TransformerEncoderLayer(8, 2, 16, dtype=lib.float64),
                      lambda lib: (lib.tensor(SRC),), lambda lib: {}),
    "encoder layer gelu norm_first": (
        lambda lib: lib.nn.TransformerEncoderLayer(8, 2, 16, activation="gelu", norm_first=True, dtype=lib.float64),
        lambda lib: (lib.tensor(SRC),), lambda lib: {"src_key_padding_mask": lib.tensor(PADDING)}),
    "encoder causal": (
        lambda lib: lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(8, 2, 16, dtype=lib.float64), 2),
        lambda lib: (lib.tensor(SRC),),
        lambda lib: {"mask": lib.nn.Transformer.generate_square_subsequent_mask(5, dtype=lib.float64)}),
    "encoder batch_first padded (nested in torch)": (
        lambda lib: lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True,
                                                                             dtype=lib.float64), 2,
                                              lib.nn.LayerNorm(8, dtype=lib.float64)),
        lambda lib: (lib.tensor(_batch_first(SRC)),), lambda lib: {"src_key_padding_mask": lib.tensor(PADDING)}),
    "decoder layer": (
        lambda lib: lib.nn.TransformerDecoderLayer(8, 2, 16, activation=lib.sigmoid, dtype=lib.float64),
        lambda lib: (lib.tensor(TGT), lib.tensor(SRC)),
        lambda lib: {"tgt_mask": lib.nn.Transformer.generate_square_subsequent_mask(4, dtype=lib.float64),
                     "memory_key_padding_mask": lib.tensor(PADDING)}),
    "transformer": (
        lambda lib: lib.nn.Transformer(8, 2, 2, 2, 16, dtype=lib.float64),
        lambda lib: (lib.tensor(SRC), lib.tensor(TGT)),
        lambda lib: {"tgt_mask": lib.nn.Transformer.generate_square_subsequent_mask(4, dtype=lib.float64),
                     "src_key_padding_mask": lib.tensor(PADDING)}),
    "transformer batch_first norm_first": (
        lambda lib: lib.nn.Transformer(8, 2, 1, 1, 16, batch_first=True, norm_first=True, dtype=lib.float64),
        lambda lib: (lib.tensor(_batch_first(SRC)), lib.tensor(_batch_first(TGT))), lambda lib: {}),
}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_evaluation_outputs_equal_torch(name: str) -> None:
    make, inputs, options = MODELS[name]
    ours, theirs = _pair(make)
    ours.eval()
    theirs.eval()
    with torch.no_grad():
        expected = theirs(*inputs(torch), **options(torch)).numpy()
    with tg.no_grad():
        got = ours(*inputs(tg), **options(tg)).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("name", ["encoder layer", "decoder layer", "transformer"])
def test_training_gradients_equal_torch(name: str) -> None:
    make, inputs, options = MODELS[name]
    ours, theirs = _pair(lambda lib: _without_dropout(make(lib)))
    out_t = theirs(*inputs(torch), **options(torch))
    out_o = ours(*inputs(tg), **options(tg))
    weights = np.linspace(0.5, 1.5, out_t.numel()).reshape(tuple(out_t.shape))
    (out_t * torch.tensor(weights)).sum().backward()
    (out_o * tg.tensor(weights)).sum().backward()
    their_grads = dict(theirs.named_parameters())
    for key, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), their_grads[key].grad.numpy(), rtol=1e-7, atol=1e-10,
                                   err_msg=key)


def _without_dropout(model: Any) -> Any:
    for m in model.modules():
        if type(m).__name__ == "Dropout":
            m.p = 0.0
        if type(m).__name__ == "MultiheadAttention":
            m.dropout = 0.0
    return model


def test_square_subsequent_mask_and_refusals() -> None:
    np.testing.assert_array_equal(tg.nn.Transformer.generate_square_subsequent_mask(4).numpy(),
                                  torch.nn.Transformer.generate_square_subsequent_mask(4).numpy())
    for lib in (torch, tg):
        with pytest.raises(RuntimeError, match="activation should be relu/gelu"):
            lib.nn.TransformerEncoderLayer(8, 2, activation="tanh")
        model = lib.nn.Transformer(8, 2, 1, 1, 16)
        with pytest.raises(RuntimeError, match="the feature number of src and tgt must be equal to d_model"):
            model(lib.zeros(3, 2, 6), lib.zeros(3, 2, 6))
        with pytest.raises(RuntimeError, match="the batch number of src and tgt must be equal"):
            model(lib.zeros(3, 2, 8), lib.zeros(3, 1, 8))


WEIGHT = RNG.standard_normal((10, 3))
INDICES = np.array([1, 2, 4, 5, 4, 3, 2, 9])
OFFSETS = np.array([0, 4, 4, 6])

BAGS: dict[str, Callable[[Any, Any, Any], Any]] = {
    **{f"{mode} 1d": lambda lib, w, s, mode=mode: lib.nn.functional.embedding_bag(
        lib.tensor(INDICES), w, lib.tensor(OFFSETS), mode=mode) for mode in ("sum", "mean", "max")},
    **{f"{mode} 2d padding_idx": lambda lib, w, s, mode=mode: lib.nn.functional.embedding_bag(
        lib.tensor(INDICES.reshape(2, 4)), w, mode=mode, padding_idx=4) for mode in ("sum", "mean", "max")},
    "mean include_last_offset": lambda lib, w, s: lib.nn.functional.embedding_bag(
        lib.tensor(INDICES), w, lib.tensor(np.array([0, 3, 8])), include_last_offset=True),
    "sum per_sample_weights": lambda lib, w, s: lib.nn.functional.embedding_bag(
        lib.tensor(INDICES), w, lib.tensor(OFFSETS), mode="sum", per_sample_weights=s),
    "module max": lambda lib, w, s: lib.nn.EmbeddingBag.from_pretrained(w, freeze=False, mode="max")(
        lib.tensor(INDICES), lib.tensor(OFFSETS)) * w.sum(),
}


@pytest.mark.parametrize("name", sorted(BAGS))
def test_embedding_bag_equals_torch(name: str) -> None:
    results = []
    for lib in (torch, tg):
        w = lib.tensor(WEIGHT, requires_grad=True)
        s = lib.tensor(np.linspace(0.5, 2, INDICES.size), requires_grad=True)
        out = BAGS[name](lib, w, s)
        (out * lib.tensor(np.linspace(1, 2, out.numel()).reshape(tuple(out.shape)))).sum().backward()
        results.append((out.detach().numpy(), w.grad.numpy(), None if s.grad is None else s.grad.numpy(),
                        type(out.grad_fn).__name__))
    (value_t, grad_t, s_t, node_t), (value_o, grad_o, s_o, node_o) = results
    np.testing.assert_allclose(value_o, value_t, rtol=1e-12)
    np.testing.assert_allclose(grad_o, grad_t, rtol=1e-12)
    assert (s_o is None) == (s_t is None)
    if s_t is not None:
        np.testing.assert_allclose(s_o, s_t, rtol=1e-12)
    assert node_o == node_t


def test_embedding_bag_module_repr_and_refusals() -> None:
    for make in (lambda nn: nn.EmbeddingBag(10, 3), lambda nn: nn.EmbeddingBag(10, 3, mode="sum", padding_idx=0)):
        assert repr(make(tg.nn)) == repr(make(torch.nn))
        assert list(make(tg.nn).state_dict()) == list(make(torch.nn).state_dict())
    for call, error in [
        (lambda lib, w: lib.nn.functional.embedding_bag(lib.tensor(INDICES), w, lib.tensor(OFFSETS),
                                                        per_sample_weights=lib.ones(8)), NotImplementedError),
        (lambda lib, w: lib.nn.functional.embedding_bag(lib.tensor(INDICES.reshape(2, 4)), w,
                                                        lib.tensor(OFFSETS)), ValueError),
        (lambda lib, w: lib.nn.functional.embedding_bag(lib.tensor(INDICES), w), ValueError),
        (lambda lib, w: lib.nn.functional.embedding_bag(lib.tensor(INDICES), w, lib.tensor(np.array([1, 3]))),
         RuntimeError),
    ]:
        for lib in (torch, tg):
            with pytest.raises(error):
                call(lib, lib.tensor(WEIGHT))


def test_gradcheck_layers_and_bags() -> None:
    tg.manual_seed(0)
    encoder = tg.nn.TransformerEncoderLayer(4, 2, 6, 0.0, dtype=tg.float64)
    decoder = tg.nn.TransformerDecoderLayer(4, 2, 6, 0.0, norm_first=True, dtype=tg.float64)
    src, tgt = (tg.tensor(RNG.standard_normal(shape), requires_grad=True) for shape in ((3, 2, 4), (2, 2, 4)))
    mask = tg.nn.Transformer.generate_square_subsequent_mask(3, dtype=tg.float64)
    assert tg.gradcheck(lambda s: encoder(s, mask), src)
    assert tg.gradcheck(lambda t, s: decoder(t, s), tgt, src)
    weight = tg.tensor(WEIGHT, requires_grad=True)
    scale = tg.tensor(np.linspace(0.5, 2, INDICES.size), requires_grad=True)
    for mode in ("mean", "max"):
        assert tg.gradcheck(lambda w, mode=mode: tg.nn.functional.embedding_bag(
            tg.tensor(INDICES), w, tg.tensor(OFFSETS), mode=mode), weight)
    assert tg.gradcheck(lambda w, s: tg.nn.functional.embedding_bag(
        tg.tensor(INDICES), w, tg.tensor(OFFSETS), mode="sum", per_sample_weights=s), weight, scale)


def test_attention_row_masked_out_entirely_as_torch() -> None:
    """Without weights PyTorch's MultiheadAttention is scaled_dot_product_attention: a row that may attend to
    nothing gives zeros (then out_proj's bias) and zero gradients; with weights it is softmax's NaN."""
    mask = np.array([[True, True, True], [False, True, False], [False, False, False]])
    padding = np.array([[False, False, False], [True, True, True]])
    x = RNG.standard_normal((3, 2, 4))
    ours, theirs = _pair(lambda lib: lib.nn.MultiheadAttention(4, 2, dtype=lib.float64))
    for need_weights in (False, True):
        for masks in ({"attn_mask": mask}, {"key_padding_mask": padding}):
            xo, xt = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
            out_o = ours(xo, xo, xo, need_weights=need_weights, **{k: tg.tensor(v) for k, v in masks.items()})[0]
            out_t = theirs(xt, xt, xt, need_weights=need_weights, **{k: torch.tensor(v) for k, v in masks.items()})[0]
            np.testing.assert_allclose(out_o.detach().numpy(), out_t.detach().numpy(), rtol=1e-10, atol=1e-12)
            if not need_weights:
                out_o.sum().backward()
                out_t.sum().backward()
                np.testing.assert_allclose(xo.grad.numpy(), xt.grad.numpy(), rtol=1e-10, atol=1e-12)
