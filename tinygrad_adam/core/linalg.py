"""torch.linalg: norms, determinants, inverses, solves and the decompositions (cholesky, qr, eigh, svd).

Each function checks its input as PyTorch does and applies one op of core/ops/linalg.py (forward beside its
gradient) or composes Tensor methods. A decomposition with several outputs is one op whose output packs them
along a last axis; the pieces are slices of it, so their gradients meet in that one node.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import checks, ops
from .graph_nodes import name_node
from .out import with_out
from .tensor import Tensor, _return_type, _tensors

SlogdetResult = _return_type("slogdet", "sign", "logabsdet")
LinalgSlogdetResult = _return_type("linalg_slogdet", "sign", "logabsdet")
QrResult, LinalgQrResult = _return_type("qr", "Q", "R"), _return_type("linalg_qr", "Q", "R")
TorchSvdResult, SvdResult = _return_type("svd", "U", "S", "V"), _return_type("linalg_svd", "U", "S", "Vh")
EighResult = _return_type("linalg_eigh", "eigenvalues", "eigenvectors")
LstsqResult = _return_type("linalg_lstsq", "solution", "residuals", "rank", "singular_values")
InvExResult, CholeskyExResult = _return_type("linalg_inv_ex", "inverse", "info"), _return_type("linalg_cholesky_ex",
                                                                                                "L", "info")


def _matrices(name: str, a: Any, square: bool = True) -> Tensor:
    """A float tensor of at least 2 dims (square ones where `square`), or PyTorch's error."""
    if not isinstance(a, Tensor):
        raise TypeError(f"linalg.{name}(): argument 'A' (position 1) must be Tensor, not {type(a).__name__}")
    if a.ndim < 2:
        raise RuntimeError(f"linalg.{name}: The input tensor A must have at least 2 dimensions.")
    if a.array.dtype.kind != "f":
        raise RuntimeError(f"linalg.{name}: Expected a floating point or complex tensor as input. Got "
                           f"{checks.scalar_type_name(a.array.dtype)}")
    if square and a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"linalg.{name}: A must be batches of square matrices, but they are {a.shape[-2]} by "
                           f"{a.shape[-1]} matrices")
    return a


def _failed(name: str, error: Exception) -> RuntimeError:
    reason = "the input is not positive-definite" if name == "cholesky" else "the input matrix is singular"
    return RuntimeError(f"linalg.{name}: The factorization could not be completed because {reason} ({error}).")


@with_out
def vector_norm(input: Tensor, ord: Any = 2, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
                dtype: Any = None) -> Tensor:
    """The ord-norm of the entries over `dim` (all of them when None): 2, 1, inf, -inf, 0 or any number."""
    if input.array.dtype.kind != "f" and dtype is None:
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                           f"{checks.scalar_type_name(input.array.dtype)}")
    if ord == float("-inf") or ord == float("inf"):
        y = input if dtype is None else input.astype(dtype)
        axes = checks.dims(dim, y.ndim) or ()
        checks.nonempty_reduction("linalg.vector_norm", y.array.shape, axes or None)
        out = y._infinity_norm(axes, keepdim, ord > 0)
    else:
        out = input.norm(ord, dim, keepdim, dtype)
    return name_node(out, "LinalgVectorNormBackward0")


@with_out
def matrix_norm(input: Tensor, ord: Any = "fro", dim: Any = (-2, -1), keepdim: bool = False, *,  # noqa: A002
                dtype: Any = None) -> Tensor:
    """'fro', 'nuc', 1, -1, 2, -2, inf or -inf norm of the matrices in the dims `dim`."""
    input = _matrices("matrix_norm", input if dtype is None else input.astype(dtype), square=False)
    rows, cols = (checks.dim(d, input.ndim) for d in dim)
    if ord == "fro":
        return vector_norm(input, 2, (rows, cols), keepdim)
    if ord in ("nuc", 2, -2):
        values = svdvals(input.movedim((rows, cols), (-2, -1)))
        out = values.sum(-1) if ord == "nuc" else values.amax(-1) if ord == 2 else values.amin(-1)
        return out.unsqueeze(min(rows, cols)).unsqueeze(max(rows, cols)) if keepdim else out
    if ord not in (1, -1, float("inf"), float("-inf")):
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    summed, other = (rows, cols) if ord in (1, -1) else (cols, rows)
    sums = input.abs().sum(summed, keepdim=True)
    out = sums.amax(other, keepdim=True) if ord > 0 else sums.amin(other, keepdim=True)
    return out if keepdim else out.squeeze((rows, cols))


@with_out
def norm(input: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
         dtype: Any = None) -> Tensor:
    """vector_norm for a vector or one dim, matrix_norm for a matrix or two dims (2 / 'fro' by default)."""
    dims = (dim,) if isinstance(dim, int) else None if dim is None else tuple(dim)
    if dims is None and ord is not None:
        if input.ndim not in (1, 2):
            raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got "
                               f"{input.ndim}D.")
        dims = tuple(range(input.ndim))
    if dims is not None and len(dims) == 2:
        return matrix_norm(input, "fro" if ord is None else ord, dims, keepdim, dtype=dtype)
    return vector_norm(input, 2 if ord is None else ord, dims, keepdim, dtype=dtype)


@with_out
def det(A: Tensor) -> Tensor:
    return ops.Det.apply(_matrices("det", A))


@with_out
def slogdet(A: Tensor) -> Any:
    """(sign, log|det|): the second differentiable, the first not."""
    A = _matrices("slogdet", A)
    logabsdet = ops.LogAbsDet.apply(A)
    sign = Tensor._make(np.linalg.slogdet(A.array)[0].astype(A.array.dtype), False)
    return LinalgSlogdetResult(logabsdet * 0 + sign, logabsdet)  # the sign has gradient 0, as in PyTorch


@with_out
def inv(A: Tensor) -> Tensor:
    try:
        return ops.Inv.apply(_matrices("inv", A))
    except np.linalg.LinAlgError as e:
        raise _failed("inv", e) from None


@with_out
def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """X with A X = B (X A = B when left=False); B a batch of matrices, or of vectors."""
    _tensors("linalg_solve", B=B)
    checks.boolean("linalg_solve", "left", left)
    A = _matrices("solve", A)
    if B.array.dtype != A.array.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found "
                           f"{checks.scalar_type_name(A.array.dtype)} and {checks.scalar_type_name(B.array.dtype)}")
    if not left:
        return solve(A.mT, B.mT).mT
    vector = B.ndim == 1 or B.ndim == A.ndim - 1 and B.shape == A.shape[:-1]
    rhs = B.unsqueeze(-1) if vector else B
    if rhs.shape[-2] != A.shape[-1]:
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation AX = B ({A.shape[-2]}x"
                           f"{A.shape[-1]} and {rhs.shape[-2]}x{rhs.shape[-1]})")
    batch = checks.broadcast_shapes(A.shape[:-2], rhs.shape[:-2])
    try:
        out = ops.Solve.apply(A.expand(batch + A.shape[-2:]), rhs.expand(batch + rhs.shape[-2:]))
    except np.linalg.LinAlgError as e:
        raise _failed("solve", e) from None
    return name_node(out.squeeze(-1), "LinalgSolveExBackward0") if vector else out


@with_out
def cholesky(input: Tensor, *, upper: bool = False) -> Tensor:
    """L lower triangular with A = L L^T (or U = L^T with upper=True), for symmetric positive-definite A."""
    checks.boolean("linalg_cholesky", "upper", upper)
    try:
        low = ops.Cholesky.apply(_matrices("cholesky", input))
    except np.linalg.LinAlgError as e:
        raise _failed("cholesky", e) from None
    return low.mT if upper else low


@with_out
def eigh(input: Tensor, UPLO: str = "L") -> Any:  # noqa: N803 - PyTorch's name
    """(eigenvalues ascending, eigenvectors as columns) of a symmetric matrix, read from its UPLO triangle."""
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    if isinstance(input, Tensor) and input.array.dtype.kind != "f":
        raise checks.not_implemented_for("linalg_eigh_cpu", input.array.dtype)
    packed = ops.Eigh.apply(_matrices("eigh", input), upper=UPLO == "U")
    values, vectors = packed[..., -1], packed[..., :-1]
    return EighResult(name_node(values, "LinalgEighBackward0"), name_node(vectors, "LinalgEighBackward0"))


@with_out
def eigvalsh(input: Tensor, UPLO: str = "L") -> Tensor:  # noqa: N803
    return eigh(input, UPLO).eigenvalues


def _no_driver(name: str, driver: str | None) -> None:
    if driver is not None:
        raise RuntimeError(f"torch.linalg.{name}: keyword argument `driver=` is only supported on CUDA inputs with "
                           "cuSOLVER backend.")


@with_out
def svd(A: Tensor, full_matrices: bool = True, *, driver: str | None = None) -> Any:
    """(U, S, Vh) with A = U diag(S) Vh, S descending."""
    checks.boolean("linalg_svd", "full_matrices", full_matrices)
    _no_driver("svd", driver)
    A = _matrices("svd", A, square=False)
    m, n = A.shape[-2:]
    k = min(m, n)
    u_cols, v_rows = (m, n) if full_matrices else (k, k)
    packed = ops.Svd.apply(A, full_matrices=bool(full_matrices))
    lead = A.shape[:-2]
    u = packed[..., :m * u_cols].reshape(lead + (m, u_cols))
    s = packed[..., m * u_cols:m * u_cols + k]
    vh = packed[..., m * u_cols + k:].reshape(lead + (v_rows, n))
    return SvdResult(*(name_node(t, "LinalgSvdBackward0") for t in (u, s, vh)))


@with_out
def svdvals(A: Tensor, *, driver: str | None = None) -> Tensor:
    _no_driver("svdvals", driver)
    return svd(A, full_matrices=False).S


@with_out
def qr(A: Tensor, mode: str = "reduced") -> Any:
    """(Q, R) with A = Q R, Q orthonormal columns, R upper triangular ('reduced', 'complete' or 'r')."""
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', "
                           "or 'complete'")
    A = _matrices("qr", A, square=False)
    m, n = A.shape[-2:]
    k = m if mode == "complete" else min(m, n)
    packed = ops.Qr.apply(A, mode="complete" if mode == "complete" else "reduced")
    q = packed[..., :m * k].reshape(A.shape[:-2] + (m, k))
    r = packed[..., m * k:].reshape(A.shape[:-2] + (k, n))
    if mode == "r":
        q = packed.reshape(-1)[:0]
    return LinalgQrResult(name_node(q, "LinalgQrBackward0"), name_node(r, "LinalgQrBackward0"))


@with_out
def matrix_power(input: Tensor, n: int) -> Tensor:
    """A @ A @ ... (n times; inv(A) for negative n; the identity for 0), by repeated squaring."""
    n = checks.integer("linalg_matrix_power", "n", n)
    if input.ndim < 2 or input.shape[-1] != input.shape[-2]:
        rows, cols = input.shape[-2] if input.ndim > 1 else 1, input.shape[-1] if input.ndim else 1
        raise RuntimeError(f"linalg.matrix_power: A must be batches of square matrices, but they are {rows} by {cols} "
                           "matrices")
    if n == 0:
        eye = Tensor._make(np.broadcast_to(np.eye(input.shape[-1], dtype=input.array.dtype), input.shape).copy(), False)
        return input * 0 + eye if input.array.dtype.kind == "f" else eye  # gradient 0, as in PyTorch
    base, out = (inv(input), None) if n < 0 else (input, None)
    power = abs(n)
    while power:
        if power & 1:
            out = base if out is None else out @ base
        power >>= 1
        if power:
            base = base @ base
    return out


@with_out
def pinv(input: Tensor, rcond: Any = None, hermitian: bool = False, *, atol: Any = None,  # noqa: A002
         rtol: Any = None) -> Tensor:
    """The Moore-Penrose pseudo-inverse from the SVD, singular values <= max(atol, rtol * largest) dropped
    (PyTorch's older pinv(input, rcond) is rtol=rcond, atol=0)."""
    if rcond is not None:
        atol, rtol = 0.0, rcond
    input = _matrices("pinv", input, square=False)
    u, s, vh = svd(input, full_matrices=False)
    cutoff = _cutoff(input, s.array, atol, rtol)
    keep = s.array > cutoff
    one = Tensor._make(np.ones((), input.array.dtype), False)
    inverted = one / s._keep_where(keep, one)
    scaled = inverted._keep_where(keep, Tensor._make(np.zeros((), input.array.dtype), False))
    return name_node((vh.mT * scaled.unsqueeze(-2)) @ u.mT, "LinalgPinvBackward0")


def _cutoff(a: Tensor, s: np.ndarray, atol: Any, rtol: Any) -> np.ndarray:
    atol = 0.0 if atol is None else np.asarray(atol.array if isinstance(atol, Tensor) else atol)
    if rtol is None:
        rtol = 0.0 if np.any(atol) else max(a.shape[-2:]) * np.finfo(a.array.dtype).eps
    rtol = np.asarray(rtol.array if isinstance(rtol, Tensor) else rtol)
    largest = s.max(axis=-1, keepdims=True, initial=0.0)
    return np.maximum(np.asarray(atol)[..., None] if np.ndim(atol) else atol, rtol * largest)


@with_out
def matrix_rank(input: Tensor, tol: Any = None, hermitian: bool = False, *, atol: Any = None,  # noqa: A002
                rtol: Any = None) -> Tensor:
    """The number of singular values above max(atol, rtol * largest), as int64 (PyTorch's older
    matrix_rank(input, tol) is atol=tol, rtol=0)."""
    if tol is not None:
        atol, rtol = tol, 0.0
    input = _matrices("matrix_rank", input, square=False)
    s = ops.svd(input.array, compute_uv=False)
    return Tensor._make(np.sum(s > _cutoff(input, s, atol, rtol), axis=-1).astype(np.int64), False)


@with_out
def multi_dot(tensors: Any) -> Tensor:
    """The product of the matrices in order (the first may be a vector, and the last), as torch.linalg.multi_dot."""
    tensors = list(tensors)
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    for i, t in enumerate(tensors):
        if t.ndim != 2 and not (t.ndim == 1 and i in (0, len(tensors) - 1)):
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t.ndim}D")
    out = tensors[0]
    for t in tensors[1:]:
        out = out @ t
    return out


@with_out
def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """Sums of products along `dim` (the two broadcast together)."""
    _tensors("linalg_vecdot", x=x, y=y)
    names = [checks.scalar_type_name(t.array.dtype) for t in (x, y)]
    problems = {f"Expected a floating point or complex tensor as input. Got {names[0]}": x.array.dtype.kind != "f",
                f"Expected x and y to have the same dtype, but found x of type {names[0]} and y of type {names[1]} "
                "instead": x.array.dtype != y.array.dtype}
    for message, found in problems.items():
        if found:
            raise RuntimeError(f"linalg.vecdot: {message}")
    return (x * y).sum(dim)


@with_out
def matmul(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    return input @ other


def _info(a: Tensor) -> Tensor:
    return Tensor._make(np.zeros(a.shape[:-2], np.int32), False)


@with_out
def inv_ex(A: Tensor, *, check_errors: bool = False) -> Any:
    """(inv(A), info): info 0 (a singular matrix raises here, as with check_errors=True)."""
    return InvExResult(inv(A), _info(A))


@with_out
def cholesky_ex(input: Tensor, *, upper: bool = False, check_errors: bool = False) -> Any:
    """(L, info): info 0 (a matrix that is not positive-definite raises here, as with check_errors=True)."""
    return CholeskyExResult(cholesky(input, upper=upper), _info(input))


@with_out
def solve_triangular(input: Tensor, B: Tensor, *, upper: bool, left: bool = True,
                     unitriangular: bool = False) -> Tensor:
    """X with A X = B (X A = B when left=False), reading only A's upper or lower triangle (1s on its diagonal
    when unitriangular)."""
    _tensors("linalg_solve_triangular", B=B)
    for name, flag in (("upper", upper), ("left", left), ("unitriangular", unitriangular)):
        checks.boolean("linalg_solve_triangular", name, flag)
    if isinstance(input, Tensor) and input.array.dtype.kind != "f":
        raise checks.not_implemented_for("triangular_solve_cpu", input.array.dtype)
    input = _matrices("solve_triangular", input)
    triangle = input.triu() if upper else input.tril()
    if unitriangular:
        triangle = triangle.tril(-1) if not upper else triangle.triu(1)
        triangle = triangle + Tensor._make(np.eye(input.shape[-1], dtype=input.array.dtype), False)
    if B.array.dtype != input.array.dtype:  # B is taken in A's dtype (linalg.solve wants them equal)
        B = B.astype(input.array.dtype)
    return name_node(solve(triangle, B, left=left), "LinalgSolveTriangularBackward0")


@with_out
def lstsq(input: Tensor, b: Tensor, rcond: float | None = None, *, driver: str | None = None) -> Any:
    """The least-squares solution of A X = B (through the pseudo-inverse), with PyTorch's default CPU driver's
    other outputs: the rank, and empty residuals and singular values."""
    _tensors("linalg_lstsq", b=b)
    input = _matrices("lstsq", input, square=False)
    vector = b.ndim == input.ndim - 1
    rhs = b.unsqueeze(-1) if vector else b
    if rhs.shape[-2] != input.shape[-2]:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-2)")
    solution = pinv(input, rtol=rcond) @ rhs
    empty = solution.reshape(-1)[:0]
    return LstsqResult(solution.squeeze(-1) if vector else solution, empty, matrix_rank(input, rtol=rcond), empty)


@with_out
def matrix_exp(input: Tensor) -> Tensor:
    """exp(A) = I + A + A^2/2! + ...: Taylor's series of A / 2^s to 18 terms, squared s times."""
    if input.ndim < 2 or input.shape[-1] != input.shape[-2]:
        rows, cols = input.shape[-2] if input.ndim > 1 else 1, input.shape[-1] if input.ndim else 1
        raise RuntimeError(f"linalg.matrix_exp: A must be batches of square matrices, but they are {rows} by {cols} "
                           "matrices")
    if input.array.dtype.kind != "f":
        raise checks.not_implemented_for("linalg_matrix_exp_cpu", input.array.dtype)
    size = float(np.abs(input.array).sum(-1).max(initial=0.0))
    squarings = max(0, int(np.ceil(np.log2(size / 0.5)))) if size > 0.5 else 0
    scaled = input / float(2 ** squarings)
    eye = Tensor._make(np.eye(input.shape[-1], dtype=input.array.dtype), False)
    out = eye
    for k in range(18, 0, -1):
        out = eye + (scaled @ out) / float(k)
    for _ in range(squarings):
        out = out @ out
    return name_node(out, "LinalgMatrixExpBackward0")


def diagonal(A: Tensor, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    return A.diagonal(offset, dim1, dim2)


@with_out
def cross(input: Tensor, other: Tensor, *, dim: int = -1) -> Tensor:  # noqa: A002
    _tensors("linalg_cross", input=input, other=other)
    return input.cross(other, dim)


__all__ = ["vector_norm", "matrix_norm", "norm", "det", "slogdet", "inv", "solve", "cholesky", "eigh", "eigvalsh",
           "svd", "svdvals", "qr", "matrix_power", "pinv", "matrix_rank", "cross", "multi_dot", "vecdot", "matmul",
           "inv_ex", "cholesky_ex", "solve_triangular", "lstsq", "matrix_exp", "diagonal"]
