"""Checkpoints between PyTorch and tinygrad_adam through .pth files, both ways (skipped without torch)."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam import Tensor, nn, optim

torch = pytest.importorskip("torch")


def _torch_cnn() -> torch.nn.Module:
    tnn = torch.nn
    return tnn.Sequential(tnn.Conv2d(1, 32, 5), tnn.ReLU(), tnn.MaxPool2d(2), tnn.Conv2d(32, 64, 5), tnn.ReLU(),
                          tnn.MaxPool2d(2), tnn.Flatten(), tnn.Linear(1024, 10))


def _our_cnn() -> nn.Module:
    return nn.Sequential(nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 5), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1024, 10))


def _batches(n: int, dtype=np.float64) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(0)
    return [(rng.standard_normal((8, 1, 28, 28)).astype(dtype), rng.integers(0, 10, 8)) for _ in range(n)]


def _torch_steps(model, opt, batches) -> None:
    for x, y in batches:
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(torch.from_numpy(x)), torch.from_numpy(y)).backward()
        opt.step()


def _our_steps(model, opt, batches) -> None:
    for x, y in batches:
        opt.zero_grad()
        nn.functional.cross_entropy(model(Tensor(x)), y).backward()
        opt.step()


def _bits(value) -> tuple:
    array = value.detach().numpy() if hasattr(value, "numpy") else np.asarray(value)
    return str(array.dtype), array.shape, array.tobytes()


def test_torch_saved_cnn_and_adam_load_equal_in_every_bit(tmp_path):
    torch.manual_seed(0)
    model = _torch_cnn()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    _torch_steps(model, opt, _batches(3, np.float32))
    torch.save(model.state_dict(), tmp_path / "model.pth")
    torch.save(opt.state_dict(), tmp_path / "adam.pth")

    state = tg.load(tmp_path / "model.pth")
    assert list(state) == list(model.state_dict())
    for key, value in model.state_dict().items():
        assert isinstance(state[key], Tensor)
        assert _bits(state[key]) == _bits(value.detach().numpy()), key
    adam = tg.load(tmp_path / "adam.pth")
    reference = opt.state_dict()
    assert adam["param_groups"] == reference["param_groups"]
    assert sorted(adam["state"]) == sorted(reference["state"]) == list(range(6))
    for index, entries in reference["state"].items():
        assert sorted(adam["state"][index]) == sorted(entries) == ["exp_avg", "exp_avg_sq", "step"]
        for name, value in entries.items():
            assert _bits(adam["state"][index][name]) == _bits(value.detach().numpy()), (index, name)
    assert adam["state"][0]["step"].item() == 3.0


def test_our_pth_loads_in_torch_weights_only_equal_in_every_bit(tmp_path):
    model = _our_cnn()
    opt = optim.Adam(model.parameters(), lr=1e-3, betas=(0.8, 0.99))
    _our_steps(model, opt, _batches(2, np.float32))
    tg.save(model.state_dict(), tmp_path / "model.pth")
    tg.save(opt.state_dict(), tmp_path / "adam.pt")

    theirs = torch.load(tmp_path / "model.pth", weights_only=True)
    ours = model.state_dict()
    assert list(theirs) == list(ours)
    for key, value in ours.items():
        assert _bits(theirs[key].detach().numpy()) == _bits(value), key
    torch_model = _torch_cnn()
    torch_model.load_state_dict(theirs)
    assert _bits(torch_model[0].weight.detach().numpy()) == _bits(ours["0.weight"])

    adam = torch.load(tmp_path / "adam.pt", weights_only=True)
    reference = opt.state_dict()
    assert adam["param_groups"] == reference["param_groups"]
    for index, entries in reference["state"].items():
        assert adam["state"][index]["step"] == entries["step"] == 2
        for name in ("exp_avg", "exp_avg_sq"):
            assert _bits(adam["state"][index][name].detach().numpy()) == _bits(entries[name]), (index, name)
    torch.optim.Adam(torch_model.parameters()).load_state_dict(adam)  # torch accepts it as it is


def _their_params(model) -> list[np.ndarray]:
    return [p.detach().numpy().copy() for p in model.parameters()]


def _our_params(model) -> list[np.ndarray]:
    return [p.detach().numpy().copy() for p in model.parameters()]


def test_training_moves_from_torch_to_tinygrad_adam_and_continues(tmp_path):
    """float64: after the move both frameworks take 3 more steps from equal state and agree to rounding."""
    torch.manual_seed(1)
    batches = _batches(6)
    theirs = _torch_cnn().double()
    their_opt = torch.optim.Adam(theirs.parameters(), lr=1e-3)
    _torch_steps(theirs, their_opt, batches[:3])
    torch.save({"model": theirs.state_dict(), "optimizer": their_opt.state_dict(), "epoch": 1}, tmp_path / "ck.pth")

    checkpoint = tg.load(tmp_path / "ck.pth")
    ours = _our_cnn().double()
    ours.load_state_dict(checkpoint["model"])
    our_opt = optim.Adam(ours.parameters(), lr=1e-3)
    our_opt.load_state_dict(checkpoint["optimizer"])
    assert all(_bits(a) == _bits(b) for a, b in zip(_our_params(ours), _their_params(theirs), strict=True))
    assert our_opt.state_dict()["state"][0]["step"] == 3

    _torch_steps(theirs, their_opt, batches[3:])
    _our_steps(ours, our_opt, batches[3:])
    for a, b in zip(_our_params(ours), _their_params(theirs), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    assert not np.allclose(_our_params(ours)[0], checkpoint["model"]["0.weight"].detach().numpy())  # they did train


def test_training_moves_from_tinygrad_adam_to_torch_and_continues(tmp_path):
    tg.manual_seed(2)
    batches = _batches(6)
    ours = _our_cnn().double()
    our_opt = optim.Adam(ours.parameters(), lr=1e-3, amsgrad=True)
    _our_steps(ours, our_opt, batches[:3])
    tg.save({"model": ours.state_dict(), "optimizer": our_opt.state_dict()}, tmp_path / "ck.pth")

    checkpoint = torch.load(tmp_path / "ck.pth", weights_only=True)
    theirs = _torch_cnn().double()
    theirs.load_state_dict(checkpoint["model"])
    their_opt = torch.optim.Adam(theirs.parameters(), lr=1e-3, amsgrad=True)
    their_opt.load_state_dict(checkpoint["optimizer"])
    assert all(_bits(a) == _bits(b) for a, b in zip(_our_params(ours), _their_params(theirs), strict=True))

    _our_steps(ours, our_opt, batches[3:])
    _torch_steps(theirs, their_opt, batches[3:])
    for a, b in zip(_our_params(ours), _their_params(theirs), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    assert their_opt.state_dict()["state"][0]["step"].item() == 6.0


def test_torch_mmap_load_of_our_file(tmp_path):
    """torch.load(mmap=True) needs every storage 64-byte aligned in the file, as torch.save writes them."""
    tg.save({"w": np.arange(100, dtype=np.float32), "b": np.ones(3)}, tmp_path / "m.pth")
    loaded = torch.load(tmp_path / "m.pth", weights_only=True, mmap=True)
    assert loaded["w"].tolist() == list(range(100))
    assert loaded["b"].dtype == torch.float64


def test_torch_parameters_and_tensor_views(tmp_path):
    base = torch.arange(12, dtype=torch.float32)
    torch.save({"view": base[2:11:3], "t": base.reshape(3, 4).t(), "p": torch.nn.Parameter(torch.ones(2))},
               tmp_path / "v.pth")
    loaded = tg.load(tmp_path / "v.pth")
    assert loaded["view"].detach().numpy().tolist() == [2.0, 5.0, 8.0]
    assert loaded["t"].detach().numpy().tolist() == base.reshape(3, 4).t().tolist()
    assert loaded["p"].requires_grad and loaded["p"].detach().numpy().tolist() == [1.0, 1.0]
    torch.save({"w": torch.ones(2, dtype=torch.bfloat16)}, tmp_path / "bf16.pth")
    with pytest.raises(tg.CheckpointError, match=r"bf16\.pth: .*BFloat16Storage are not supported"):
        tg.load(tmp_path / "bf16.pth")


def test_file_objects_move_both_ways():
    import io

    ours = tg.nn.Linear(3, 2)
    buffer = io.BytesIO()
    tg.save(ours.state_dict(), buffer)
    buffer.seek(0)
    theirs = torch.load(buffer, weights_only=True)
    assert np.array_equal(theirs["weight"].numpy(), ours.weight.detach().numpy())
    back = io.BytesIO()
    torch.save(torch.nn.Linear(3, 2).state_dict(), back)
    back.seek(0)
    assert [tuple(v.shape) for v in tg.load(back).values()] == [(2, 3), (2,)]
