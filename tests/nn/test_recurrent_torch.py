"""RNN, LSTM, GRU, their cells and packed sequences against PyTorch, in float64: outputs, final states,
the gradient of the input, the initial state and every parameter, and state_dicts loaded both ways."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam as tg  # noqa: E402
from tinygrad_adam import nn  # noqa: E402
from tinygrad_adam.nn.ops.recurrent import recurrent_layer  # noqa: E402
from tinygrad_adam.nn.utils import rnn as rnn_utils  # noqa: E402

RNG = np.random.default_rng(0)
CLASSES = {"RNN": (nn.RNN, torch.nn.RNN), "LSTM": (nn.LSTM, torch.nn.LSTM), "GRU": (nn.GRU, torch.nn.GRU)}
CELLS = {"RNNCell": (nn.RNNCell, torch.nn.RNNCell), "LSTMCell": (nn.LSTMCell, torch.nn.LSTMCell),
         "GRUCell": (nn.GRUCell, torch.nn.GRUCell)}


def _pair(shape: tuple[int, ...]) -> tuple[tg.Tensor, torch.Tensor]:
    array = RNG.standard_normal(shape)
    return tg.tensor(array, requires_grad=True), torch.tensor(array, requires_grad=True)


def _twins(ours_cls: type, torch_cls: type, *args: object, **kwargs: object) -> tuple[nn.Module, torch.nn.Module]:
    """The torch module (float64) and ours with torch's initial weights loaded."""
    reference = torch_cls(*args, **kwargs).double()
    ours = ours_cls(*args, **kwargs, dtype=np.float64)
    ours.load_state_dict({k: v.detach().numpy() for k, v in reference.state_dict().items()})
    return ours, reference


def _close(ours: tg.Tensor, reference: torch.Tensor, what: str) -> None:
    np.testing.assert_allclose(np.asarray(ours.array if isinstance(ours, tg.Tensor) else ours),
                               reference.detach().numpy(), rtol=1e-9, atol=1e-10, err_msg=what)


def _compare_grads(ours: nn.Module, reference: torch.nn.Module) -> None:
    theirs = dict(reference.named_parameters())
    names = [name for name, _ in ours.named_parameters()]
    assert names == list(theirs)
    for name, p in ours.named_parameters():
        _close(p.grad, theirs[name].grad, f"gradient of {name}")


@pytest.mark.parametrize("kind, options", [
    (kind, options) for kind in ("RNN", "LSTM", "GRU")
    for options in ({}, {"num_layers": 2, "bidirectional": True}, {"batch_first": True, "bias": False})
] + [("RNN", {"num_layers": 2, "nonlinearity": "relu"})])
@pytest.mark.parametrize("with_state", [False, True])
def test_layer_matches_torch(kind: str, options: dict, with_state: bool) -> None:
    ours, reference = _twins(*CLASSES[kind], 3, 4, **options)
    layers = options.get("num_layers", 1) * (2 if options.get("bidirectional") else 1)
    steps, batch = 5, 2
    x, tx = _pair((batch, steps, 3) if options.get("batch_first") else (steps, batch, 3))
    args, targs = [x], [tx]
    if with_state:
        h, th = _pair((layers, batch, 4))
        if kind == "LSTM":
            c, tc = _pair((layers, batch, 4))
            args.append((h, c))
            targs.append((th, tc))
        else:
            args.append(h)
            targs.append(th)
    out, state = ours(*args)
    tout, tstate = reference(*targs)
    _close(out, tout, "output")
    states, tstates = (state, tstate) if kind == "LSTM" else ((state,), (tstate,))
    for s, ts in zip(states, tstates, strict=True):
        _close(s, ts, "final state")
    weights = [RNG.standard_normal(tuple(t.shape)) for t in (tout, *tstates)]
    loss = sum((t * tg.tensor(w)).sum() for t, w in zip((out, *states), weights, strict=True))
    tloss = sum((t * torch.tensor(w)).sum() for t, w in zip((tout, *tstates), weights, strict=True))
    loss.backward()
    tloss.backward()
    _close(x.grad, tx.grad, "input gradient")
    if with_state:
        for ours_state, torch_state in zip(args[1] if kind == "LSTM" else args[1:],
                                           targs[1] if kind == "LSTM" else targs[1:], strict=True):
            _close(ours_state.grad, torch_state.grad, "initial state gradient")
    _compare_grads(ours, reference)


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_state_dict_loads_into_torch(kind: str) -> None:
    ours = CLASSES[kind][0](3, 4, num_layers=2, bidirectional=True, dtype=np.float64)
    reference = CLASSES[kind][1](3, 4, num_layers=2, bidirectional=True).double()
    assert list(ours.state_dict()) == list(reference.state_dict())
    reference.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    x = RNG.standard_normal((4, 2, 3))
    out, _ = ours(tg.tensor(x))
    tout, _ = reference(torch.tensor(x))
    _close(out, tout, "output after loading our state_dict into torch")


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_initialisation_is_uniform_within_one_over_sqrt_hidden(kind: str) -> None:
    tg.manual_seed(0)  # unseeded, a 16-value bias lies inside 0.2 in 0.8**16 = 2.8% of the runs
    model = CLASSES[kind][0](3, 16)
    for name, p in model.named_parameters():
        assert np.abs(p.array).max() <= 0.25, name
        assert np.abs(p.array).max() > 0.2, name  # spread over the whole interval, not near 0


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_packed_sequence_matches_torch(kind: str, bidirectional: bool) -> None:
    ours, reference = _twins(*CLASSES[kind], 3, 4, num_layers=2, bidirectional=bidirectional, batch_first=True)
    lengths = [3, 5, 1, 4]
    x, tx = _pair((4, 5, 3))
    packed = rnn_utils.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    tpacked = torch.nn.utils.rnn.pack_padded_sequence(tx, torch.tensor(lengths), batch_first=True,
                                                      enforce_sorted=False)
    _close(packed.data, tpacked.data, "packed data")
    _close(packed.batch_sizes, tpacked.batch_sizes, "batch sizes")
    out, state = ours(packed)
    tout, tstate = reference(tpacked)
    assert isinstance(out, rnn_utils.PackedSequence)
    padded, out_lengths = rnn_utils.pad_packed_sequence(out, batch_first=True, padding_value=-1.0)
    tpadded, tlengths = torch.nn.utils.rnn.pad_packed_sequence(tout, batch_first=True, padding_value=-1.0)
    _close(padded, tpadded, "padded output")
    assert out_lengths.tolist() == tlengths.tolist() == lengths
    h = state[0] if kind == "LSTM" else state
    th = tstate[0] if kind == "LSTM" else tstate
    _close(h, th, "final hidden state (per sequence, at its own end)")
    w, wh = RNG.standard_normal(tuple(tpadded.shape)), RNG.standard_normal(tuple(th.shape))
    ((padded * tg.tensor(w)).sum() + (h * tg.tensor(wh)).sum()).backward()
    ((tpadded * torch.tensor(w)).sum() + (th * torch.tensor(wh)).sum()).backward()
    _close(x.grad, tx.grad, "input gradient")
    _compare_grads(ours, reference)


def test_pad_sequence_and_pack_sequence_match_torch() -> None:
    seqs = [RNG.standard_normal((n, 2)) for n in (2, 4, 3)]
    for batch_first in (False, True):
        for side in ("right", "left"):
            ours = rnn_utils.pad_sequence([tg.tensor(s) for s in seqs], batch_first, 7.0, side)
            theirs = torch.nn.utils.rnn.pad_sequence([torch.tensor(s) for s in seqs], batch_first, 7.0, side)
            _close(ours, theirs, f"pad_sequence batch_first={batch_first} side={side}")
    packed = rnn_utils.pack_sequence([tg.tensor(s) for s in seqs], enforce_sorted=False)
    tpacked = torch.nn.utils.rnn.pack_sequence([torch.tensor(s) for s in seqs], enforce_sorted=False)
    _close(packed.data, tpacked.data, "pack_sequence data")
    _close(packed.sorted_indices, tpacked.sorted_indices, "sorted indices")
    with pytest.raises(RuntimeError, match="sorted in decreasing order"):
        rnn_utils.pack_sequence([tg.tensor(s) for s in seqs])
    padded, _ = rnn_utils.pad_packed_sequence(packed, total_length=6)
    assert padded.shape == (6, 3, 2)


@pytest.mark.parametrize("kind", ["RNNCell", "LSTMCell", "GRUCell"])
@pytest.mark.parametrize("batched", [True, False])
def test_cell_matches_torch(kind: str, batched: bool) -> None:
    ours, reference = _twins(*CELLS[kind], 3, 4)
    x, tx = _pair((2, 3) if batched else (3,))
    h, th = _pair((2, 4) if batched else (4,))
    c, tc = _pair((2, 4) if batched else (4,))
    state, tstate = ((h, c), (th, tc)) if kind == "LSTMCell" else (h, th)
    out = ours(x, state)
    tout = reference(tx, tstate)
    outs, touts = (out, tout) if kind == "LSTMCell" else ((out,), (tout,))
    for o, to in zip(outs, touts, strict=True):
        _close(o, to, "cell output")
    sum((o * (i + 1)).sum() for i, o in enumerate(outs)).backward()
    sum((o * (i + 1)).sum() for i, o in enumerate(touts)).backward()
    _close(x.grad, tx.grad, "input gradient")
    _close(h.grad, th.grad, "hidden state gradient")
    _compare_grads(ours, reference)
    no_state, tno_state = ours(x), reference(tx)  # the state defaults to zeros
    if kind == "LSTMCell":
        no_state, tno_state = no_state[1], tno_state[1]
    _close(no_state, tno_state, "output from a zero state")


@pytest.mark.parametrize("mode", ["RNN_TANH", "RNN_RELU", "LSTM", "GRU"])
@pytest.mark.parametrize("reverse", [False, True])
def test_fused_layer_gradcheck(mode: str, reverse: bool) -> None:
    gates = {"LSTM": 4, "GRU": 3}.get(mode, 1)
    hidden = 3
    x = tg.tensor(RNG.standard_normal((4, 3, 2)), requires_grad=True)
    h0 = tg.tensor(RNG.standard_normal((3, hidden)), requires_grad=True)
    c0 = tg.tensor(RNG.standard_normal((3, hidden)), requires_grad=True) if mode == "LSTM" else None
    params = [tg.tensor(RNG.standard_normal(s) * 0.5, requires_grad=True)
              for s in ((gates * hidden, 2), (gates * hidden, hidden), (gates * hidden,), (gates * hidden,))]
    batch_sizes = np.array([3, 3, 2, 1])  # a packed batch: the shorter sequences stop early

    def fn(x: tg.Tensor, h0: tg.Tensor, *rest: tg.Tensor) -> tg.Tensor:
        c = rest[0] if mode == "LSTM" else None
        weights = rest[1:] if mode == "LSTM" else rest
        return recurrent_layer(mode, x, h0, c, *weights, reverse=reverse, batch_sizes=batch_sizes)

    inputs = (x, h0, *([c0] if c0 is not None else []), *params)
    assert tg.gradcheck(fn, *inputs)


def test_refusals_and_errors() -> None:
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        nn.GRU(3, 4, dropout=0.5)
    with pytest.raises(RuntimeError, match="input_size. Expected 3, got 2"):
        nn.LSTM(3, 4)(tg.randn(5, 2, 2))
    with pytest.raises(RuntimeError, match="Expected hidden size"):
        nn.GRU(3, 4)(tg.randn(5, 2, 3), tg.zeros(2, 2, 4))
    assert repr(nn.LSTM(3, 4, num_layers=2, batch_first=True)) == \
        repr(torch.nn.LSTM(3, 4, num_layers=2, batch_first=True))


def test_dropout_between_layers_only_in_training() -> None:
    model = nn.LSTM(3, 4, num_layers=2, dropout=0.5)
    x = tg.randn(6, 2, 3)
    model.eval()
    first, second = model(x)[0].detach().numpy(), model(x)[0].detach().numpy()
    np.testing.assert_array_equal(first, second)
    model.train()
    assert not np.allclose(model(x)[0].detach().numpy(), first)


@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
def test_packed_sequence_with_initial_state_and_unbatched_input(kind: str) -> None:
    ours, reference = _twins(*CLASSES[kind], 3, 4, num_layers=2)
    lengths = [2, 4, 3]
    x, tx = _pair((4, 3, 3))
    h, th = _pair((2, 3, 4))
    c, tc = _pair((2, 3, 4))
    state, tstate = ((h, c), (th, tc)) if kind == "LSTM" else (h, th)
    packed = rnn_utils.pack_padded_sequence(x, lengths, enforce_sorted=False)
    tpacked = torch.nn.utils.rnn.pack_padded_sequence(tx, lengths, enforce_sorted=False)
    out, final = ours(packed, state)
    tout, tfinal = reference(tpacked, tstate)
    _close(out.data, tout.data, "packed output")
    final_h, tfinal_h = (final[0], tfinal[0]) if kind == "LSTM" else (final, tfinal)
    _close(final_h, tfinal_h, "final hidden state, in the caller's order")
    (out.data.sum() + (final_h * 2).sum()).backward()
    (tout.data.sum() + (tfinal_h * 2).sum()).backward()
    _close(h.grad, th.grad, "initial state gradient")
    single, tsingle = _pair((5, 3))
    one_state = (h[:, 0].detach(), c[:, 0].detach()) if kind == "LSTM" else h[:, 0].detach()
    tone_state = (th[:, 0].detach(), tc[:, 0].detach()) if kind == "LSTM" else th[:, 0].detach()
    out, final = ours(single, one_state)
    tout, tfinal = reference(tsingle, tone_state)
    _close(out, tout, "unbatched output")
    _close(final[0] if kind == "LSTM" else final, tfinal[0] if kind == "LSTM" else tfinal, "unbatched state")


def test_flatten_parameters_and_all_weights_as_in_torch() -> None:
    ours, reference = _twins(nn.GRU, torch.nn.GRU, 2, 3, num_layers=2, bidirectional=True)
    ours.flatten_parameters()
    assert [[tuple(w.shape) for w in group] for group in ours.all_weights] == \
        [[tuple(w.shape) for w in group] for group in reference.all_weights]
    assert ours.all_weights[1][0] is ours.weight_ih_l0_reverse



def _tensors(value: object) -> list:
    """The tensors of a layer's result: output, (h_n, c_n) or h_n, flattened."""
    if isinstance(value, tuple):
        return [t for part in value for t in _tensors(part)]
    return [value]


GRAD_FN_OPTIONS = [{}, {"num_layers": 2}, {"bidirectional": True}, {"batch_first": True}, {"nonlinearity": "relu"},
                   {"unbatched": True}]


@pytest.mark.parametrize("kind, options", [
    (kind, options) for kind in [*CLASSES, *CELLS] for options in GRAD_FN_OPTIONS
    if not ("nonlinearity" in options and kind not in ("RNN", "RNNCell"))
    and not (kind in CELLS and set(options) - {"unbatched"})])
def test_output_grad_fn_names_as_torch(kind: str, options: dict) -> None:
    """print(lstm_out) shows grad_fn=<MkldnnRnnLayerBackward0> in PyTorch's sequence models tutorial."""
    options = dict(options)
    unbatched = options.pop("unbatched", False)
    cell = kind in CELLS
    ours, reference = _twins(*(CELLS if cell else CLASSES)[kind], 3, 4, **options)
    shape = ((3,) if unbatched else (2, 3)) if cell else ((5, 3) if unbatched else (5, 2, 3))
    x, tx = _pair(shape)
    for dtype in ("float64", "float32"):  # PyTorch's oneDNN LSTM runs float32 only
        ours_result = ours.to(getattr(tg, dtype))(x.to(getattr(tg, dtype)))
        torch_result = reference.to(getattr(torch, dtype))(tx.to(getattr(torch, dtype)))
        assert [t.grad_fn.name() for t in _tensors(ours_result)] == [t.grad_fn.name() for t in _tensors(torch_result)]


@pytest.mark.parametrize("kind", ["LSTMCell", "LSTM"])
def test_float32_lstm_of_hidden_size_one_matches_torch(kind: str) -> None:
    """Each LSTM gate is then a float32 column 16 bytes apart, which NumPy 2.4's in-place np.negative got
    wrong (found by experiments/fuzz_nn.py): every row of the batch after the first differed."""
    array = RNG.standard_normal((3, 4) if kind in CELLS else (2, 3, 4)).astype(np.float32)
    torch.manual_seed(0)
    reference = CELLS[kind][1](4, 1) if kind in CELLS else torch.nn.LSTM(4, 1)
    tg.manual_seed(0)
    ours = CELLS[kind][0](4, 1) if kind in CELLS else nn.LSTM(4, 1)
    out, expected = ours(tg.tensor(array))[0], reference(torch.tensor(array))[0]
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), rtol=1e-5, atol=1e-6)
