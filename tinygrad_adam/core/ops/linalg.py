"""Linear algebra: the matrix product."""

from __future__ import annotations

import numpy as np

from ..engine import Context, Op


class MatMul(Op):
    """np.matmul semantics: 1-D operands are promoted and the added axis removed again."""

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError("matmul needs operands with at least one dimension")
        ctx.save_for_backward(a, b)
        return a @ b

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        a, b = ctx.saved_tensors
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        g2 = grad
        if a.ndim == 1:
            g2 = np.expand_dims(g2, -2 if b.ndim > 1 else 0)
        if b.ndim == 1:
            g2 = np.expand_dims(g2, -1)
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_a = g2 @ np.swapaxes(b2, -1, -2)
            if a.ndim == 1:
                grad_a = grad_a[..., 0, :]
        if ctx.needs_input_grad[1]:
            grad_b = np.swapaxes(a2, -1, -2) @ g2
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
