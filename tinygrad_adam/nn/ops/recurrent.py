"""One layer and one direction of an RNN, LSTM or GRU over a whole sequence, as a single op.

The input projection of every time step is one GEMM before the loop; each step is one GEMM for all
gates (h @ W_hhᵀ) and a few elementwise NumPy calls; backward through time runs the same loop in reverse
and ends with one GEMM per weight gradient. PyTorch's equations and gate order (W_ih rows: i, f, g, o for
LSTM; r, z, n for GRU):

    RNN:  h' = act(W_ih x + b_ih + W_hh h + b_hh)
    LSTM: i, f, g, o = σ, σ, tanh, σ of (W_ih x + b_ih + W_hh h + b_hh);  c' = f c + i g;  h' = o tanh(c')
          (with proj_size P: h' = W_hr (o tanh(c')), h of size P, c of size H)
    GRU:  r, z = σ(W_ir x + b_ir + W_hr h + b_hr), σ(W_iz x + b_iz + W_hz h + b_hz)
          n = tanh(W_in x + b_in + r (W_hn h + b_hn));  h' = (1 - z) n + z h

The op's output is one array (T + 1, B, H): the hidden state after each step, then the final one (T + 2 for
an LSTM: then the final cell state). With a projection the hidden states fill the first P columns (the rest
are 0). With `batch_sizes` (a packed sequence, batch sorted by decreasing
length) step t updates only the first batch_sizes[t] rows; the others keep their state and output 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._platform.products import small_products_on_one_thread
from ..._platform.sums import sum_leading_axes
from ...core.engine import Context, Op
from ...core.tensor import Tensor
from .._checks import check_dtypes

GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _sigmoid(a: np.ndarray) -> np.ndarray:
    """a = 1 / (1 + e^-a) in place (where e^-a overflows to inf, 0: the limit). NumPy's exp is vectorised:
    these four calls beat SciPy's expit (docs/performance.md). Not np.negative(a, out=a): NumPy 2.4 negates a
    strided view in place wrongly (a float32 column 16 bytes apart: an LSTM gate of hidden_size 1)."""
    np.multiply(a, -1, out=a)
    with np.errstate(over="ignore"):
        np.exp(a, out=a)
    a += 1
    return np.reciprocal(a, out=a)


class RecurrentLayerOp(Op):
    """recurrent_layer(x (T, B, I), h0 (B, H or P)[, c0], w_ih, w_hh[, b_ih, b_hh][, w_hr]) -> (T + 1 or 2, B, H)."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, h0: np.ndarray, *rest: np.ndarray, mode: str, has_bias: bool,
                reverse: bool, batch_sizes: np.ndarray | None) -> np.ndarray:
        lstm, gru = mode == "LSTM", mode == "GRU"
        c0, rest = (rest[0], rest[1:]) if lstm else (None, rest)
        w_ih, w_hh = rest[0], rest[1]
        b_ih, b_hh = (rest[2], rest[3]) if has_bias else (None, None)
        w_hr = rest[4 if has_bias else 2] if len(rest) > (4 if has_bias else 2) else None
        steps, batch = x.shape[0], x.shape[1]
        hidden, state = w_hh.shape[0] // GATES[mode], w_hh.shape[1]  # state: the size of h (P or H)
        xp = (x.reshape(steps * batch, x.shape[2]) @ w_ih.T).reshape(steps, batch, w_ih.shape[0])
        if has_bias:
            xp += b_ih if gru else b_ih + b_hh  # GRU keeps b_hn inside r · (W_hn h + b_hn)
        alloc = np.empty if batch_sizes is None else np.zeros  # a packed batch leaves rows unwritten: they stay 0
        out = (alloc if w_hr is None else np.zeros)((steps + (2 if lstm else 1), batch, hidden), dtype=x.dtype)
        h_prev = alloc((steps, batch, state), dtype=x.dtype)  # the state each step started from
        unprojected = None if w_hr is None else alloc((steps, batch, hidden), dtype=x.dtype)  # o tanh(c')
        gates = alloc(xp.shape, dtype=x.dtype) if lstm or gru else None  # the gates' activations
        c_prev = alloc((steps, batch, hidden), dtype=x.dtype) if lstm else None
        tanh_c = alloc((steps, batch, hidden), dtype=x.dtype) if lstm else None
        hp_n = alloc(h_prev.shape, dtype=x.dtype) if gru else None  # W_hn h + b_hn, needed for dr
        scratch = np.empty((batch, hidden), dtype=x.dtype) if lstm else None
        h = h0.copy()
        c = c0.copy() if lstm else None
        with small_products_on_one_thread(batch * w_hh.size):  # h @ W_hhᵀ at each step
            for t in (range(steps - 1, -1, -1) if reverse else range(steps)):
                n = batch if batch_sizes is None else int(batch_sizes[t])
                h_t = h[:n]
                h_prev[t, :n] = h_t
                hp = h_t @ w_hh.T
                if gru:
                    if has_bias:
                        hp += b_hh
                    act = gates[t, :n]  # r, z, n computed in place
                    rz, new = act[:, :2 * hidden], act[:, 2 * hidden:]
                    _sigmoid(np.add(xp[t, :n, :2 * hidden], hp[:, :2 * hidden], out=rz))
                    np.multiply(act[:, :hidden], hp[:, 2 * hidden:], out=new)
                    new += xp[t, :n, 2 * hidden:]
                    np.tanh(new, out=new)
                    hp_n[t, :n] = hp[:, 2 * hidden:]
                    h_new = h_t - new
                    h_new *= act[:, hidden:2 * hidden]
                    h_new += new
                elif lstm:
                    act = gates[t, :n]  # the pre-activations, then in place their activations
                    np.add(xp[t, :n], hp, out=act)
                    i, f, g, o = (act[:, k * hidden:(k + 1) * hidden] for k in range(4))
                    _sigmoid(act[:, :2 * hidden])
                    np.tanh(g, out=g)
                    _sigmoid(o)
                    c_t = c[:n]
                    c_prev[t, :n] = c_t
                    c_t *= f
                    c_t += np.multiply(i, g, out=scratch[:n])
                    np.tanh(c_t, out=tanh_c[t, :n])
                    if w_hr is None:
                        h_new = np.multiply(o, tanh_c[t, :n], out=out[t, :n])
                    else:
                        h_new = np.multiply(o, tanh_c[t, :n], out=unprojected[t, :n]) @ w_hr.T
                        out[t, :n, :state] = h_new
                else:
                    pre = xp[t, :n] + hp
                    h_new = np.tanh(pre) if mode == "RNN_TANH" else np.maximum(pre, 0)
                h[:n] = h_new
                if not lstm:
                    out[t, :n] = h_new
        out[steps, :, :state] = h
        if lstm:
            out[steps + 1] = c
        ctx.save_for_backward(x, w_ih, w_hh, h_prev, out, gates, c_prev, tanh_c, hp_n, w_hr, unprojected)
        ctx.mode, ctx.has_bias, ctx.reverse, ctx.batch_sizes = mode, has_bias, reverse, batch_sizes
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[Any, ...]:
        x, w_ih, w_hh, h_prev, out, gates, c_prev, tanh_c, hp_n, w_hr, unprojected = ctx.saved_tensors
        mode, batch_sizes = ctx.mode, ctx.batch_sizes
        lstm, gru = mode == "LSTM", mode == "GRU"
        steps, batch = x.shape[0], x.shape[1]
        hidden, state = w_hh.shape[0] // GATES[mode], w_hh.shape[1]
        dy = grad[:steps, :, :state]
        dh = grad[steps, :, :state].copy()
        dc = grad[steps + 1].copy() if lstm else None
        alloc = np.empty if batch_sizes is None else np.zeros  # a packed batch leaves rows unwritten: they stay 0
        dh_all = None if w_hr is None else alloc((steps, batch, state), dtype=grad.dtype)  # for W_hr's gradient
        dxp = alloc((steps, batch, w_hh.shape[0]), dtype=grad.dtype)  # d(pre-activations), input side
        dhp = alloc(dxp.shape, dtype=grad.dtype) if gru else dxp  # the hidden side: differs only in the GRU's n gate
        if gru:  # what does not depend on the incoming gradient, for all steps at once
            r, z, new = gates[..., :hidden], gates[..., hidden:2 * hidden], gates[..., 2 * hidden:]
            from_h = (1 - z) * (1 - new * new)  # d(n's pre-activation) / dh'
            from_new = hp_n * r * (1 - r)  # d(r's pre-activation) / d(n's pre-activation)
            from_z = (h_prev - new) * z * (1 - z)  # d(z's pre-activation) / dh'
        if lstm:  # the activations' slopes for all steps at once: σ' = σ(1 - σ), tanh' = 1 - tanh²
            slopes = 1 - gates
            slopes *= gates
            g_all, g_slope = gates[..., 2 * hidden:3 * hidden], slopes[..., 2 * hidden:3 * hidden]
            np.subtract(1, np.multiply(g_all, g_all, out=g_slope), out=g_slope)
            d_tanh_c = tanh_c * tanh_c  # dc from dh: o (1 - tanh(c)²)
            np.subtract(1, d_tanh_c, out=d_tanh_c)
            d_tanh_c *= gates[..., 3 * hidden:]
            scratch = np.empty((batch, hidden), dtype=grad.dtype)
        with small_products_on_one_thread(batch * w_hh.size):  # d @ W_hh at each step
            for t in (range(steps) if ctx.reverse else range(steps - 1, -1, -1)):
                n = batch if batch_sizes is None else int(batch_sizes[t])
                dh_t = dh[:n]
                dh_t += dy[t, :n]
                if gru:
                    d = dxp[t, :n]
                    d_new = np.multiply(dh_t, from_h[t, :n], out=d[:, 2 * hidden:])
                    np.multiply(d_new, from_new[t, :n], out=d[:, :hidden])
                    np.multiply(dh_t, from_z[t, :n], out=d[:, hidden:2 * hidden])
                    dhp[t, :n, :2 * hidden] = d[:, :2 * hidden]
                    np.multiply(d_new, gates[t, :n, :hidden], out=dhp[t, :n, 2 * hidden:])
                    dh_t *= gates[t, :n, hidden:2 * hidden]
                    dh_t += dhp[t, :n] @ w_hh
                elif lstm:
                    act = gates[t, :n]
                    dc_t = dc[:n]
                    dm = dh_t  # the gradient of o tanh(c'): of h' itself, or through the projection
                    if w_hr is not None:
                        dh_all[t, :n] = dh_t
                        dm = dh_t @ w_hr
                    dc_t += np.multiply(dm, d_tanh_c[t, :n], out=scratch[:n])
                    d = dxp[t, :n]
                    np.multiply(dc_t, act[:, 2 * hidden:3 * hidden], out=d[:, :hidden])
                    np.multiply(dc_t, c_prev[t, :n], out=d[:, hidden:2 * hidden])
                    np.multiply(dc_t, act[:, :hidden], out=d[:, 2 * hidden:3 * hidden])
                    np.multiply(dm, tanh_c[t, :n], out=d[:, 3 * hidden:])
                    d *= slopes[t, :n]
                    dc_t *= act[:, hidden:2 * hidden]
                    np.matmul(d, w_hh, out=dh_t)
                else:
                    h_t = out[t, :n]
                    dxp[t, :n] = dh_t * (1 - h_t * h_t) if mode == "RNN_TANH" else dh_t * (h_t > 0)
                    np.matmul(dxp[t, :n], w_hh, out=dh_t)
        needs = ctx.needs_input_grad
        flat_dxp, flat_dhp = dxp.reshape(steps * batch, dxp.shape[2]), dhp.reshape(steps * batch, dhp.shape[2])
        dx = (flat_dxp @ w_ih).reshape(x.shape) if needs[0] else None
        grads: list[Any] = [dx, dh, *([dc] if lstm else [])]
        k = len(grads)
        grads.append(flat_dxp.T @ x.reshape(steps * batch, x.shape[2]) if needs[k] else None)
        grads.append(flat_dhp.T @ h_prev.reshape(steps * batch, state) if needs[k + 1] else None)
        if ctx.has_bias:
            db_ih = sum_leading_axes(flat_dxp)
            db_hh = sum_leading_axes(flat_dhp) if gru else db_ih.copy()
            grads += [db_ih if needs[k + 2] else None, db_hh if needs[k + 3] else None]
        if w_hr is not None:
            grads.append(dh_all.reshape(steps * batch, state).T @ unprojected.reshape(steps * batch, hidden)
                         if needs[len(grads)] else None)
        return tuple(grads)


def recurrent_layer(mode: str, x: Tensor, h0: Tensor, c0: Tensor | None, w_ih: Tensor, w_hh: Tensor,
                    b_ih: Tensor | None, b_hh: Tensor | None, w_hr: Tensor | None = None, reverse: bool = False,
                    batch_sizes: np.ndarray | None = None) -> Tensor:
    """RecurrentLayerOp on time-major x (T, B, I), after checking dtypes; see the module docstring."""
    check_dtypes(mode, x, h0, c0, w_ih, w_hh, b_ih, b_hh, w_hr)
    state = (h0,) if c0 is None else (h0, c0)
    biases = () if b_ih is None else (b_ih, b_hh)
    projection = () if w_hr is None else (w_hr,)
    return RecurrentLayerOp.apply(x, *state, w_ih, w_hh, *biases, *projection, mode=mode,
                                  has_bias=b_ih is not None, reverse=reverse, batch_sizes=batch_sizes)
