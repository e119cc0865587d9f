"""L-BFGS (Liu & Nocedal, 1989) with an optional strong-Wolfe line search, as PyTorch implements it
(itself a port of minFunc and Lua torch's optim)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..core.grad_mode import enable_grad
from ..core.tensor import Tensor
from .optimizer import Optimizer, ParamsT, _plain


class LBFGS(Optimizer):
    r"""Quasi-Newton steps from the last `history_size` pairs (s, y) of parameter and gradient changes.

    Each `step(closure)` runs up to `max_iter` iterations on the flattened parameters x::

        g ← ∇f(x)                                         (closure; stop if max|g| ≤ tolerance_grad)
        at the first iteration ever: d ← −g, H ← 1
        else: y ← g − g_prev, s ← t·d                     (old_dirs, old_stps keep y and s)
              if y·s > 1e-10: keep (y, s), ρ ← 1/(y·s), H ← y·s / y·y       (ro, H_diag)
              d ← −H̃·g by the two-loop recursion over the kept pairs (al: its α_i)
        t ← lr (the first iteration ever: min(1, 1/Σ|g|)·lr)
        stop if g·d > −tolerance_change
        x ← x + t·d, with t from a strong-Wolfe line search if line_search_fn="strong_wolfe"
        stop after max_iter iterations or max_eval closure calls, if max|g| ≤ tolerance_grad,
        if max|t·d| ≤ tolerance_change or if |f − f_prev| < tolerance_change

    Without a line search the step is the fixed t and f is re-evaluated after each move but the last.
    Its state lives on the first parameter (one group only): func_evals, n_iter and the last
    iteration's d, t, history, H_diag, prev_flat_grad, prev_loss, so the next step goes on from it.
    """

    def __init__(self, params: ParamsT, lr: float = 1, max_iter: int = 20, max_eval: int | None = None,
                 tolerance_grad: float = 1e-7, tolerance_change: float = 1e-9, history_size: int = 100,
                 line_search_fn: str | None = None):
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        super().__init__(params, {"lr": lr, "max_iter": max_iter, "max_eval": max_eval,
                                  "tolerance_grad": tolerance_grad, "tolerance_change": tolerance_change,
                                  "history_size": history_size, "line_search_fn": line_search_fn})
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")

    @property
    def _params(self) -> list[Tensor]:
        return self.param_groups[0]["params"]

    def _gather_flat_grad(self) -> np.ndarray:
        return np.concatenate([np.zeros(p.array.size, p.dtype) if p.grad is None else p.grad.array.ravel()
                               for p in self._params])

    def _add_grad(self, step_size: float, update: np.ndarray) -> None:
        offset = 0
        for p in self._params:
            p.array += step_size * update[offset:offset + p.array.size].reshape(p.array.shape)
            offset += p.array.size

    def _directional_evaluate(self, closure: Callable[[], Any], t: float,
                              d: np.ndarray) -> tuple[float, np.ndarray]:
        """f and ∇f at x + t·d; the parameters are put back to x (exactly) afterwards."""
        x = [p.array.copy() for p in self._params]
        self._add_grad(t, d)
        loss = float(closure())
        flat_grad = self._gather_flat_grad()
        for p, saved in zip(self._params, x, strict=True):
            p.array[...] = saved
        return loss, flat_grad

    def step(self, closure: Callable[[], Any]) -> Any:  # type: ignore[override]
        """Run up to max_iter iterations; `closure` (required) zeroes the gradients, recomputes the loss,
        calls backward and returns the loss. Returns the loss of the first evaluation."""
        closure = enable_grad()(closure)
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        line_search_fn, history_size = group["line_search_fn"], group["history_size"]

        state = self.state.setdefault(self._params[0], {})
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = closure()
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        opt_cond = np.abs(flat_grad).max() <= tolerance_grad
        if opt_cond:
            return orig_loss

        d, prev_flat_grad = _array(state.get("d")), _array(state.get("prev_flat_grad"))
        old_dirs = [_array(y) for y in state.get("old_dirs", [])]
        old_stps = [_array(s) for s in state.get("old_stps", [])]
        ro, t, H_diag = list(state.get("ro", [])), state.get("t"), state.get("H_diag")
        prev_loss = state.get("prev_loss")

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1

            # the direction
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro, H_diag = [], [], [], 1
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = float(y.dot(s))
                if ys > 1e-10:
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    H_diag = ys / float(y.dot(y))
                if "al" not in state:
                    state["al"] = [None] * history_size
                al = state["al"]
                q = -flat_grad
                for i in range(len(old_dirs) - 1, -1, -1):
                    al[i] = float(old_stps[i].dot(q)) * ro[i]
                    q += -al[i] * old_dirs[i]
                d = r = q * H_diag
                for i in range(len(old_dirs)):
                    be_i = float(old_dirs[i].dot(r)) * ro[i]
                    r += (al[i] - be_i) * old_stps[i]
            prev_flat_grad = flat_grad.copy()
            prev_loss = loss

            # the step length
            t = min(1.0, 1.0 / float(np.abs(flat_grad).sum())) * lr if state["n_iter"] == 1 else lr
            gtd = float(flat_grad.dot(d))
            if gtd > -tolerance_change:
                break

            ls_func_evals = 0
            if line_search_fn is not None:
                if line_search_fn != "strong_wolfe":
                    raise RuntimeError("only 'strong_wolfe' is supported")
                loss, flat_grad, t, ls_func_evals = _strong_wolfe(
                    lambda t_, d_: self._directional_evaluate(closure, t_, d_), t, d, loss, flat_grad, gtd,
                    max_ls=max_eval - current_evals)
                self._add_grad(t, d)
                opt_cond = np.abs(flat_grad).max() <= tolerance_grad
            else:
                self._add_grad(t, d)
                if n_iter != max_iter:  # the last move is not evaluated: the next step's closure does it
                    loss = float(closure())
                    flat_grad = self._gather_flat_grad()
                    opt_cond = np.abs(flat_grad).max() <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals

            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if np.abs(d * t).max() <= tolerance_change or abs(loss - prev_loss) < tolerance_change:
                break

        state.update({"d": _tensor(d), "t": t, "old_dirs": [_tensor(y) for y in old_dirs],
                      "old_stps": [_tensor(s) for s in old_stps], "ro": ro, "H_diag": H_diag,
                      "prev_flat_grad": _tensor(prev_flat_grad), "prev_loss": prev_loss})
        return orig_loss

    def _restored_state(self, index: Any, p: Tensor, group: Mapping[str, Any],
                        saved_state: Mapping[str, Any]) -> dict[str, Any]:
        """LBFGS's state as saved (its entries depend on how far it went): vectors as Tensors in the
        parameters' dtype, PyTorch's 0-d tensors (t, ro, al, H_diag) as Python floats."""
        return {key: _restored(value, p.dtype) for key, value in saved_state.items()}


def _array(value: Any) -> Any:
    return value.array if isinstance(value, Tensor) else value


def _tensor(value: np.ndarray | None) -> Tensor | None:
    return None if value is None else Tensor._make(value, False)


def _restored(value: Any, dtype: np.dtype) -> Any:
    if isinstance(value, list | tuple):
        return [_restored(v, dtype) for v in value]
    value = _plain(value)
    if isinstance(value, np.ndarray):
        return float(value) if value.ndim == 0 else Tensor._make(value.astype(dtype, copy=False), False)
    return value


def _cubic_interpolate(x1: float, f1: float, g1: float, x2: float, f2: float, g2: float,
                       bounds: tuple[float, float] | None = None) -> float:
    """The minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1, g2, clamped to bounds
    (default: between x1 and x2); the middle of the bounds when the cubic has no minimum."""
    xmin_bound, xmax_bound = bounds if bounds is not None else ((x1, x2) if x1 <= x2 else (x2, x1))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if d2_square < 0:
        return (xmin_bound + xmax_bound) / 2.0
    d2 = math.sqrt(d2_square)
    if x1 <= x2:
        min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(min_pos, xmin_bound), xmax_bound)


def _strong_wolfe(obj_func: Callable[[float, np.ndarray], tuple[float, np.ndarray]], t: float, d: np.ndarray,
                  f: float, g: np.ndarray, gtd: float, c1: float = 1e-4, c2: float = 0.9,
                  tolerance_change: float = 1e-9, max_ls: int = 25) -> tuple[float, np.ndarray, float, int]:
    """A step t along d with f(x + t·d) ≤ f + c1·t·g·d and |∇f(x + t·d)·d| ≤ −c2·g·d (or the best point
    found in max_ls evaluations): a bracketing phase, then a zoom by cubic interpolation.
    Returns (f_new, g_new, t, evaluations)."""
    d_norm = np.abs(d).max()
    f_new, g_new = obj_func(t, d)
    ls_func_evals = 1
    gtd_new = float(g_new.dot(d))

    # bracket an interval containing a point satisfying the Wolfe criteria
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    ls_iter = 0
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            break
        if abs(gtd_new) <= -c2 * gtd:
            done = True
            break
        if gtd_new >= 0:
            break
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        t_prev, t = t, _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(min_step, max_step))
        f_prev, g_prev, gtd_prev = f_new, g_new, gtd_new
        f_new, g_new = obj_func(t, d)
        ls_func_evals += 1
        gtd_new = float(g_new.dot(d))
        ls_iter += 1
    if done:
        bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
    elif ls_iter == max_ls:
        bracket, bracket_f, bracket_g = [0, t], [f, f_new], [g, g_new]
    else:
        bracket, bracket_f, bracket_g, bracket_gtd = [t_prev, t], [f_prev, f_new], [g_prev, g_new], [gtd_prev, gtd_new]

    # zoom: shrink the bracket until a point satisfies the criteria
    insuf_progress = False
    low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1])
        # a t too close to an end of the bracket (twice, or on it) moves 10% of the bracket inside
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insuf_progress or t >= max(bracket) or t <= min(bracket):
                t = max(bracket) - eps if abs(t - max(bracket)) < abs(t - min(bracket)) else min(bracket) + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False

        f_new, g_new = obj_func(t, d)
        ls_func_evals += 1
        gtd_new = float(g_new.dot(d))
        ls_iter += 1

        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low_pos]:  # not low enough: the new high end
            bracket[high_pos], bracket_f[high_pos], bracket_g[high_pos] = t, f_new, g_new
            bracket_gtd[high_pos] = gtd_new
            low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0:  # the old low end becomes the high one
                bracket[high_pos], bracket_f[high_pos] = bracket[low_pos], bracket_f[low_pos]
                bracket_g[high_pos], bracket_gtd[high_pos] = bracket_g[low_pos], bracket_gtd[low_pos]
            bracket[low_pos], bracket_f[low_pos], bracket_g[low_pos] = t, f_new, g_new
            bracket_gtd[low_pos] = gtd_new

    return bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], ls_func_evals
