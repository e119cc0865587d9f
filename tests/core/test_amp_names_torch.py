"""The names nanoGPT's train.py touches on a CPU, as PyTorch's CPU build answers them: torch.bfloat16 in its dtype
table, torch.cuda.amp.GradScaler(enabled=False), torch.backends.cuda.matmul.allow_tf32, a disabled autocast."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam as tg  # noqa: E402


def test_bfloat16_can_be_named_but_not_used() -> None:
    assert repr(tg.bfloat16) == repr(torch.bfloat16) and tg.bfloat16.is_floating_point
    table = {"float32": tg.float32, "bfloat16": tg.bfloat16, "float16": tg.float16}
    assert table["float32"] is tg.float32
    with pytest.raises(TypeError, match="bfloat16"):
        tg.zeros(2, dtype=tg.bfloat16)


def test_a_disabled_grad_scaler_passes_through_as_in_torch() -> None:
    with pytest.warns(FutureWarning) as ours_warned:
        deprecated = tg.cuda.amp.GradScaler(enabled=False)
    with pytest.warns(FutureWarning) as torch_warned:
        torch.cuda.amp.GradScaler(enabled=False)
    assert str(ours_warned[0].message) == str(torch_warned[0].message)
    assert ours_warned[0].filename == torch_warned[0].filename == __file__
    for ours, theirs in ((deprecated, torch.amp.GradScaler("cuda", enabled=False)),
                         (tg.amp.GradScaler("cuda", enabled=False), torch.amp.GradScaler("cuda", enabled=False))):
        assert ours.is_enabled() == theirs.is_enabled() is False
        model = tg.nn.Linear(2, 1)
        optimizer = tg.optim.SGD(model.parameters(), lr=0.5)
        loss = model(tg.ones(1, 2)).sum()
        assert ours.scale(loss) is loss
        ours.scale(loss).backward()
        before = model.bias.detach().clone()
        ours.unscale_(optimizer)
        ours.step(optimizer)
        ours.update()
        assert float(model.bias) == pytest.approx(float(before) - 0.5)
    with pytest.warns(UserWarning):
        assert not tg.amp.GradScaler("cuda", enabled=True).is_enabled()


def test_cpu_backend_switches_and_autocast() -> None:
    tg.backends.cuda.matmul.allow_tf32 = True
    tg.backends.cudnn.allow_tf32 = True
    assert tg.cuda.is_bf16_supported() is False and tg.cuda.is_available() == torch.cuda.is_available()
    with tg.autocast("cpu", enabled=False), tg.amp.autocast(device_type="cpu", dtype=tg.bfloat16, enabled=False):
        assert tg.ones(2).sum().item() == 2
    with pytest.raises(NotImplementedError, match="mixed precision"), tg.autocast("cpu", dtype=tg.bfloat16):
        pass
