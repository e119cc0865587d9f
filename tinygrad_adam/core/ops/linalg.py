"""Linear algebra: the matrix product, einsum, and the decompositions of torch.linalg (det, inv, solve,
cholesky, eigh, svd, qr), each with its gradient."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..._platform.products import matmul
from ..engine import Context, Op


def rows_matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a (..., K) @ b (K, N) as one 2-D product over all rows: NumPy's batched matmul would call BLAS once per
    leading index (2x slower)."""
    rows = math.prod(a.shape[:-1])  # not -1: a reshape cannot infer it when a size is 0
    return matmul(a.reshape(rows, a.shape[-1]), b).reshape(*a.shape[:-1], b.shape[-1])


class MatMul(Op):
    """np.matmul semantics: 1-D operands are promoted and the added axis removed again."""

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError("matmul needs operands with at least one dimension")
        ctx.save_for_backward(a, b)
        if a.ndim > 2 and b.ndim == 2:
            return rows_matmul(a, b)
        return matmul(a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        a, b = ctx.saved_tensors
        if a.ndim > 2 and b.ndim == 2:  # b's gradient as one product over all rows, not a stack to be summed
            rows = math.prod(a.shape[:-1])
            grad_2d = grad.reshape(rows, grad.shape[-1])
            return (rows_matmul(grad, b.T) if ctx.needs_input_grad[0] else None,
                    matmul(a.reshape(rows, a.shape[-1]).T, grad_2d) if ctx.needs_input_grad[1] else None)
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        g2 = grad
        if a.ndim == 1:
            g2 = np.expand_dims(g2, -2 if b.ndim > 1 else 0)
        if b.ndim == 1:
            g2 = np.expand_dims(g2, -1)
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_a = matmul(g2, np.swapaxes(b2, -1, -2))
            if a.ndim == 1:
                grad_a = grad_a[..., 0, :]
        if ctx.needs_input_grad[1]:
            grad_b = matmul(np.swapaxes(a2, -1, -2), g2)
            if b.ndim == 1:
                grad_b = grad_b[..., 0]
        return grad_a, grad_b


class Bmm(MatMul):
    """A batch of matrix products (b, n, m) @ (b, m, p); the shapes are checked by Tensor.bmm."""

    node_name = "BmmBackward0"


def _explicit(equation: str, shapes: list[tuple[int, ...]]) -> tuple[list[str], str]:
    """The operands' and the output's subscripts of an einsum equation, with '...' spelled out as letters."""
    equation = equation.replace(" ", "")
    inputs, arrow, output = equation.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(f"einsum(): {len(terms)} operands in the equation but {len(shapes)} were given")
    spare = [c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" if c not in equation]
    ellipsis_rank = max((len(s) - len(t.replace("...", "")) for t, s in zip(terms, shapes, strict=True)
                         if "..." in t), default=0)
    broadcast = "".join(spare[:ellipsis_rank])
    spelled = [t.replace("...", broadcast[ellipsis_rank - (len(s) - len(t.replace("...", ""))):])
               for t, s in zip(terms, shapes, strict=True)]
    if not arrow:  # implicit output: the letters used once, in alphabetical order, after the broadcast dims
        letters = "".join(spelled)
        output = broadcast + "".join(sorted(c for c in set(letters) if letters.count(c) == 1 and c not in broadcast))
    else:
        output = output.replace("...", broadcast)
    return spelled, output


class Einsum(Op):
    """np.einsum; an operand's gradient is the einsum of the output's gradient with the other operands.

    Letters that only that operand has are broadcast back, and a repeated letter (a diagonal, 'ii->i')
    puts the gradient on that diagonal.
    """

    node_name = "ViewBackward0"  # what PyTorch shows: einsum ends in a view of a bmm or a sum

    @staticmethod
    def forward(ctx: Context, *operands: np.ndarray, equation: str) -> np.ndarray:
        ctx.save_for_backward(*operands)
        ctx.equation = equation
        return np.asarray(np.einsum(equation, *operands, optimize=len(operands) > 2))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> list[np.ndarray | None]:
        operands = ctx.saved_tensors
        terms, output = _explicit(ctx.equation, [a.shape for a in operands])
        grads: list[np.ndarray | None] = []
        for i, (term, x) in enumerate(zip(terms, operands, strict=True)):
            if not ctx.needs_input_grad[i]:
                grads.append(None)
                continue
            others = [(t, a) for j, (t, a) in enumerate(zip(terms, operands, strict=True)) if j != i]
            available = output + "".join(t for t, _ in others)
            letters = "".join(dict.fromkeys(term))  # each letter once, in order
            reachable = "".join(c for c in letters if c in available)
            spec = ",".join([output, *(t for t, _ in others)]) + "->" + reachable
            g = np.einsum(spec, grad, *(a for _, a in others), optimize=len(others) > 1)
            sizes = {c: n for c, n in zip(term, x.shape, strict=True)}
            g = g.reshape([g.shape[reachable.index(c)] if c in reachable else 1 for c in letters])
            stretched = tuple(k for k, c in enumerate(letters) if sizes[c] == 1 and g.shape[k] != 1)
            g = g.sum(axis=stretched, keepdims=True) if stretched else g  # a size-1 dim that einsum broadcast
            g = np.broadcast_to(g, [sizes[c] for c in letters])
            if letters != term:  # repeated letters: the gradient lives on their diagonal
                full = np.zeros(x.shape, dtype=grad.dtype)
                np.einsum(f"{term}->{letters}", full)[...] = g
                g = full
            grads.append(g)
        return grads


def _mT(a: np.ndarray) -> np.ndarray:  # noqa: N802 - PyTorch's name for the matrix transpose
    return np.swapaxes(a, -1, -2)


class Det(Op):
    """det(A); its gradient is det(A) inv(A)^T (refused clearly for a singular A)."""

    node_name = "LinalgDetBackward0"
    saves_output = True

    @staticmethod
    def forward(ctx: Context, a: np.ndarray) -> np.ndarray:
        out = np.linalg.det(a)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        a, out = ctx.saved_tensors
        return (grad * out)[..., None, None] * _mT(_inverse(a, "det"))


def _inverse(a: np.ndarray, op: str) -> np.ndarray:
    try:
        return np.linalg.inv(a)
    except np.linalg.LinAlgError:
        raise RuntimeError(f"linalg.{op}: the gradient at a singular matrix is not supported here") from None


class LogAbsDet(Op):
    """log|det(A)| (slogdet's second output); its gradient is inv(A)^T."""

    node_name = "LinalgSlogdetBackward0"

    @staticmethod
    def forward(ctx: Context, a: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a)
        return np.linalg.slogdet(a)[1]

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (a,) = ctx.saved_tensors
        return grad[..., None, None] * _mT(_inverse(a, "slogdet"))


class _FromOutput(Op):
    """A function of one matrix whose gradient needs only its output: `compute` is the forward."""

    saves_output = True
    compute = staticmethod(np.linalg.inv)

    @classmethod
    def forward(cls, ctx: Context, a: np.ndarray) -> np.ndarray:
        out = cls.compute(a)
        ctx.save_for_backward(out)
        return out


class Inv(_FromOutput):
    node_name = "LinalgInvExBackward0"

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return -_mT(out) @ grad @ _mT(out)


class Solve(Op):
    """X with A X = B (B a batch of matrices; the caller makes a vector a column)."""

    node_name = "LinalgSolveExBackward0"
    saves_output = True

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = np.linalg.solve(a, b)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, out = ctx.saved_tensors
        grad_b = np.linalg.solve(_mT(a), grad)
        return -grad_b @ _mT(out), grad_b


class Cholesky(_FromOutput):
    """L lower triangular with L L^T = A; the gradient is symmetric, as PyTorch's."""

    node_name = "LinalgCholeskyExBackward0"
    compute = staticmethod(np.linalg.cholesky)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (low,) = ctx.saved_tensors
        phi = np.tril(_mT(low) @ grad)
        phi[..., np.arange(low.shape[-1]), np.arange(low.shape[-1])] /= 2
        inv = np.linalg.inv(low)
        g = _mT(inv) @ phi @ inv
        return (g + _mT(g)) / 2


def _off_diagonal_inverse(d: np.ndarray) -> np.ndarray:
    """1 / d with 0 on the diagonal (d[..., i, j] = lambda_j - lambda_i of eigh or svd)."""
    n = d.shape[-1]
    with np.errstate(divide="ignore"):
        f = 1 / np.where(np.eye(n, dtype=bool), 1, d)
    f[..., np.arange(n), np.arange(n)] = 0
    return f


class Eigh(Op):
    """The eigenvalues and eigenvectors of a symmetric matrix (its lower triangle), packed as [V | w]: the
    columns of V then w as one last column, which Tensor.linalg slices apart."""

    node_name = "LinalgEighBackward0"

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, upper: bool = False) -> np.ndarray:
        w, v = np.linalg.eigh(a, UPLO="U" if upper else "L")
        ctx.save_for_backward(w, v)
        return np.concatenate([v, w[..., None]], axis=-1)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        w, v = ctx.saved_tensors
        grad_v, grad_w = grad[..., :-1], grad[..., -1]
        projected = _mT(v) @ grad_v
        inner = _off_diagonal_inverse(w[..., None, :] - w[..., :, None]) * (projected - _mT(projected)) / 2
        inner[..., np.arange(w.shape[-1]), np.arange(w.shape[-1])] += grad_w
        return v @ inner @ _mT(v)


def svd(a: np.ndarray, **options: bool) -> Any:
    """np.linalg.svd, which LAPACK may never finish on NaN or inf, kept from them as PyTorch is: NaN is
    refused, and a matrix holding an infinity gets NaN factors."""
    if np.isnan(a).any():
        raise RuntimeError("linalg.svd: The algorithm failed to converge because the input matrix contained "
                           "non-finite values.")
    infinite = np.isinf(a).any(axis=(-2, -1))
    if not infinite.any():
        return np.linalg.svd(a, **options)
    out = np.linalg.svd(np.where(infinite[..., None, None], 0.0, a).astype(a.dtype), **options)
    for part in out if isinstance(out, tuple) else (out,):
        part[infinite] = np.nan
    return out


class Svd(Op):
    """The reduced SVD A = U diag(S) Vh, packed as U, S and Vh flattened along one last axis (k = min(m, n)).
    Its gradient is Townsend's (real case); PyTorch's full_matrices=True is the caller's (the extra vectors get
    no gradient)."""

    node_name = "LinalgSvdBackward0"

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, full_matrices: bool = False) -> np.ndarray:
        u, s, vh = svd(a, full_matrices=full_matrices)
        ctx.save_for_backward(u, s, vh)
        lead = a.shape[:-2]
        return np.concatenate([u.reshape(lead + (-1,)), s, vh.reshape(lead + (-1,))], axis=-1)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        u, s, vh = ctx.saved_tensors
        k = s.shape[-1]
        split = [u.shape[-1] * u.shape[-2], u.shape[-1] * u.shape[-2] + k]
        gu, gs, gvh = np.split(grad, split, axis=-1)
        gu, gvh = gu.reshape(u.shape)[..., :k], gvh.reshape(vh.shape)[..., :k, :]
        u, vh = u[..., :k], vh[..., :k, :]
        v, gv = _mT(vh), _mT(gvh)
        f = _off_diagonal_inverse(s[..., None, :] ** 2 - s[..., :, None] ** 2)
        ut_gu, vt_gv = _mT(u) @ gu, _mT(v) @ gv
        middle = (f * (ut_gu - _mT(ut_gu))) * s[..., None, :] + (f * (vt_gv - _mT(vt_gv))) * s[..., :, None]
        middle[..., np.arange(k), np.arange(k)] += gs
        out = u @ middle @ vh
        with np.errstate(divide="ignore", invalid="ignore"):
            inv_s = np.where(s == 0, 0, 1 / s)
        m, n = u.shape[-2], v.shape[-2]
        if m > k:
            out = out + (gu - u @ ut_gu) * inv_s[..., None, :] @ vh
        if n > k:
            out = out + (u * inv_s[..., None, :]) @ _mT(gv - v @ vt_gv)
        return out


class Qr(Op):
    """The QR decomposition, packed as Q and R flattened along one last axis; the gradient for reduced Q, R
    with m >= n."""

    node_name = "LinalgQrBackward0"

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, mode: str = "reduced") -> np.ndarray:
        q, r = np.linalg.qr(a, mode=mode)
        ctx.save_for_backward(q, r)
        lead = a.shape[:-2]
        return np.concatenate([q.reshape(lead + (-1,)), r.reshape(lead + (-1,))], axis=-1)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        q, r = ctx.saved_tensors
        m, n = q.shape[-2], r.shape[-1]
        if m < n or q.shape[-1] != n:
            raise NotImplementedError("linalg.qr: the gradient is computed for mode='reduced' with m >= n only")
        gq, gr = grad[..., :m * n].reshape(q.shape), grad[..., m * n:].reshape(r.shape)
        prod = r @ _mT(gr) - _mT(gq) @ q
        low = np.tril(prod, -1)
        sym = low + _mT(low) + prod * np.eye(n, dtype=prod.dtype)
        return _mT(np.linalg.solve(r, _mT(gq + q @ sym)))
