"""LBFGS against torch.optim.LBFGS, float64: the parameters, the closure calls and the whole state
(func_evals, n_iter, d, t, history, H_diag, prev_flat_grad, prev_loss, al) after several steps, with and
without the strong-Wolfe line search, and a torch state dict loaded into ours that goes on the same."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam as tg  # noqa: E402

RNG = np.random.default_rng(0)
X, Y = RNG.normal(size=(8, 3)), RNG.normal(size=(8, 2))
INIT = [RNG.normal(size=(3, 2)), RNG.normal(size=(2,)), np.array(0.5)]

CASES = [
    {},
    {"line_search_fn": "strong_wolfe"},
    {"lr": 0.5, "max_iter": 4, "history_size": 3},
    {"max_iter": 7, "history_size": 2, "line_search_fn": "strong_wolfe"},
    {"lr": 0.3, "max_iter": 10, "max_eval": 6, "tolerance_change": 1e-5, "tolerance_grad": 1e-3},
    {"max_iter": 6, "max_eval": 9, "line_search_fn": "strong_wolfe"},
]


def _setup(lib: object, **hyper: object) -> tuple[list, object, object]:
    params = [lib.tensor(a.copy(), dtype=lib.float64, requires_grad=True) for a in INIT]
    optimizer = lib.optim.LBFGS(params, **hyper)
    x, y = lib.tensor(X), lib.tensor(Y)
    calls = []

    def closure() -> object:
        optimizer.zero_grad()
        w, b, c = params
        loss = ((x @ w + b - y) ** 2).sum() + 0.1 * (w ** 4).sum() + 3 * (c - 0.3) ** 2 + lib.exp(c)
        loss.backward()
        calls.append(1)
        return loss

    closure.calls = calls
    return params, optimizer, closure


def _value(value: object) -> object:
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, tg.Tensor | torch.Tensor):
        return value.detach().numpy()
    return value


def _assert_same_state(ours: dict, theirs: dict) -> None:
    assert sorted(ours) == sorted(theirs)
    for key in theirs:
        a, b = _value(ours[key]), _value(theirs[key])
        if isinstance(b, list):
            assert len(a) == len(b), key
            for u, v in zip(a, b, strict=True):
                assert (u is None) == (v is None), key
                if v is not None:
                    np.testing.assert_allclose(u, v, rtol=1e-9, atol=1e-12, err_msg=key)
        else:
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, err_msg=key)


@pytest.mark.parametrize("hyper", CASES, ids=[str(i) for i in range(len(CASES))])
def test_steps_match_torch(hyper: dict) -> None:
    ours, opt, closure = _setup(tg, **hyper)
    theirs, topt, tclosure = _setup(torch, **hyper)
    for _ in range(3):
        loss, tloss = opt.step(closure), topt.step(tclosure)
        assert float(loss) == pytest.approx(float(tloss.detach()), rel=1e-12)
        assert len(closure.calls) == len(tclosure.calls)
    for p, q in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-12, atol=1e-12)
    _assert_same_state(opt.state_dict()["state"][0], topt.state_dict()["state"][0])
    assert repr(opt.state_dict()["param_groups"]) == repr(topt.state_dict()["param_groups"])
    assert repr(opt) == repr(topt)


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_torch_state_loads_into_ours_and_continues_the_same(line_search_fn: str | None) -> None:
    hyper = {"max_iter": 3, "history_size": 4, "line_search_fn": line_search_fn}
    ours, opt, closure = _setup(tg, **hyper)
    theirs, topt, tclosure = _setup(torch, **hyper)
    for _ in range(2):
        topt.step(tclosure)
    for p, q in zip(ours, theirs, strict=True):
        p.array[...] = q.detach().numpy()

    def convert(value: object) -> object:
        if isinstance(value, list):
            return [convert(v) for v in value]
        return tg.tensor(value.numpy()) if isinstance(value, torch.Tensor) else value

    saved = topt.state_dict()
    opt.load_state_dict({"state": {k: {n: convert(v) for n, v in s.items()} for k, s in saved["state"].items()},
                         "param_groups": saved["param_groups"]})
    for _ in range(2):
        opt.step(closure)
        topt.step(tclosure)
    for p, q in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-12, atol=1e-12)
    _assert_same_state(opt.state_dict()["state"][0], topt.state_dict()["state"][0])


def test_optimal_start_and_errors_as_torch() -> None:
    params, opt, _ = _setup(tg)
    params[0].grad = None
    assert float(opt.step(lambda: tg.tensor(1.0))) == 1.0  # no gradients: optimal, nothing moves
    assert opt.state_dict()["state"][0] == {"func_evals": 1, "n_iter": 0}
    np.testing.assert_array_equal(params[0].detach().numpy(), INIT[0])
    _, bad, closure = _setup(tg, line_search_fn="backtracking")
    with pytest.raises(RuntimeError, match="only 'strong_wolfe'"):
        bad.step(closure)
    with pytest.raises(ValueError, match="parameter groups"):
        tg.optim.LBFGS([{"params": [params[0]]}, {"params": [params[1]]}])
