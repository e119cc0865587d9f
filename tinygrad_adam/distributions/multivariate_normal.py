"""torch.distributions.MultivariateNormal: given a covariance, a precision or a lower Cholesky factor."""

from __future__ import annotations

import math
from typing import Any

from ..core import linalg
from ..core.creation import eye
from ..core.tensor import Size, Tensor
from ..core.toplevel import broadcast_shapes, cholesky_inverse
from . import constraints
from .distribution import Distribution
from .utils import _SCALAR, _standard_normal, lazy_property

__all__ = ["MultivariateNormal"]


def _batch_mv(bmat: Tensor, bvec: Tensor) -> Tensor:
    """Matrix-vector products over broadcast batch dimensions."""
    return (bmat @ bvec.unsqueeze(-1)).squeeze(-1)


def _batch_mahalanobis(bL: Tensor, bx: Tensor) -> Tensor:
    """xᵀ (L Lᵀ)⁻¹ x for each vector x of bx, L of bL broadcast over bx's batch: one triangular solve with
    the vectors that share a factor as the columns of its right-hand side (no copy of L per vector)."""
    n, batch = bx.size(-1), tuple(bx.shape[:-1])
    factor_dims = bL.dim() - 2
    outer = len(batch) - factor_dims
    split = batch[:outer]
    for factor_size, size in zip(bL.shape[:-2], batch[outer:], strict=True):
        split += (size // factor_size, factor_size)
    x = bx.reshape(split + (n,))
    repeats = list(range(outer + 0, outer + 2 * factor_dims, 2))
    factors = list(range(outer + 1, outer + 2 * factor_dims, 2))
    x = x.permute(list(range(outer)) + repeats + factors + [outer + 2 * factor_dims])
    flat_L = bL.reshape(-1, n, n)
    columns = x.reshape(-1, flat_L.size(0), n).permute(1, 2, 0)
    squared = linalg.solve_triangular(flat_L, columns, upper=False).pow(2).sum(-2).t()
    squared = squared.reshape(tuple(x.shape[:-1]))
    back = list(range(outer))
    for i in range(factor_dims):
        back += [outer + i, outer + factor_dims + i]
    return squared.permute(back).reshape(batch)


def _precision_to_scale_tril(P: Tensor) -> Tensor:
    """The lower Cholesky factor of P⁻¹ without inverting P: from the Cholesky factor of P with rows and
    columns reversed."""
    Lf = linalg.cholesky(P.flip((-2, -1)))
    L_inv = Lf.flip((-2, -1)).transpose(-2, -1)
    return linalg.solve_triangular(L_inv, eye(P.shape[-1], dtype=P.dtype), upper=False)


class MultivariateNormal(Distribution):
    """N(loc, Σ) with exactly one of covariance_matrix Σ, precision_matrix Σ⁻¹ or scale_tril L (Σ = L Lᵀ).

    Everything is computed from L; a covariance or a precision matrix is factored once (Cholesky).
    """

    arg_constraints = {"loc": constraints.real_vector, "covariance_matrix": constraints.positive_definite,
                       "precision_matrix": constraints.positive_definite, "scale_tril": constraints.lower_cholesky}
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, loc: Tensor, covariance_matrix: Tensor | None = None, precision_matrix: Tensor | None = None,
                 scale_tril: Tensor | None = None, validate_args: bool | None = None) -> None:
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        given = {name: matrix for name, matrix in (("covariance_matrix", covariance_matrix),
                                                     ("precision_matrix", precision_matrix),
                                                     ("scale_tril", scale_tril)) if matrix is not None}
        if len(given) != 1:
            raise ValueError("Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.")
        (name, matrix), = given.items()
        if matrix.dim() < 2:
            what = "scale_tril matrix" if name == "scale_tril" else name
            raise ValueError(f"{what} must be at least two-dimensional, with optional leading batch dimensions")
        batch_shape = broadcast_shapes(matrix.shape[:-2], loc.shape[:-1])
        setattr(self, name, matrix.expand(batch_shape + (-1, -1)))
        self.loc = loc.expand(batch_shape + (-1,))
        super().__init__(batch_shape, self.loc.shape[-1:], validate_args=validate_args)
        if name == "scale_tril":
            self._unbroadcasted_scale_tril = matrix
        elif name == "covariance_matrix":
            self._unbroadcasted_scale_tril = linalg.cholesky(matrix)
        else:
            self._unbroadcasted_scale_tril = _precision_to_scale_tril(matrix)

    def expand(self, batch_shape: Any, _instance: Any = None) -> MultivariateNormal:
        new = self._get_checked_instance(MultivariateNormal, _instance)
        batch_shape = Size(batch_shape)
        matrix_shape = batch_shape + self.event_shape + self.event_shape
        new.loc = self.loc.expand(batch_shape + self.event_shape)
        new._unbroadcasted_scale_tril = self._unbroadcasted_scale_tril
        for name in ("covariance_matrix", "scale_tril", "precision_matrix"):
            if name in self.__dict__:
                setattr(new, name, self.__dict__[name].expand(matrix_shape))
        return self._expanded(new, batch_shape, self.event_shape)

    def _matrix_shape(self) -> Size:
        return self._batch_shape + self._event_shape + self._event_shape

    @lazy_property
    def scale_tril(self) -> Tensor:
        return self._unbroadcasted_scale_tril.expand(self._matrix_shape())

    @lazy_property
    def covariance_matrix(self) -> Tensor:
        L = self._unbroadcasted_scale_tril
        return (L @ L.mT).expand(self._matrix_shape())

    @lazy_property
    def precision_matrix(self) -> Tensor:
        return cholesky_inverse(self._unbroadcasted_scale_tril).expand(self._matrix_shape())

    @property
    def mean(self) -> Tensor:
        return self.loc

    mode = mean

    @property
    def variance(self) -> Tensor:
        return self._unbroadcasted_scale_tril.pow(2).sum(-1).expand(self._batch_shape + self._event_shape)

    def rsample(self, sample_shape: Any = _SCALAR) -> Tensor:
        eps = _standard_normal(self._extended_shape(sample_shape), self.loc.dtype, self.loc.device)
        return self.loc + _batch_mv(self._unbroadcasted_scale_tril, eps)

    def _half_log_det(self) -> Tensor:
        return self._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        M = _batch_mahalanobis(self._unbroadcasted_scale_tril, value - self.loc)
        return -0.5 * (self._event_shape[0] * math.log(2 * math.pi) + M) - self._half_log_det()

    def entropy(self) -> Tensor:
        H = 0.5 * self._event_shape[0] * (1.0 + math.log(2 * math.pi)) + self._half_log_det()
        return H.expand(self._batch_shape) if len(self._batch_shape) else H
