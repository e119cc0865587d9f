"""2-D convolution by the convolution theorem, with every Fourier transform a matrix product.

For a stride-1 convolution of a small image, multiplying in the frequency domain takes fewer
multiplications than im2col: each output channel at each frequency is a sum over input channels
of one product, instead of a sum over input channels and kernel positions. The transforms are
the discrete Fourier transform (DFT) of the whole padded image, written as real matrices, so that
all the work is a handful of large BLAS calls and there are no column matrices to copy:

    spectrum  = pixels @ x                 the DFT of every (channel, sample) image
    mixed[f]  = blocks[f] @ spectrum[f]    at each frequency f, every output channel from every input
    y         = output @ mixed             back to the output pixels (inverse DFT, cropped)

A complex number is kept as two real rows (real part, imaginary part), so multiplying by the
conjugate of a + ib is multiplying by the real 2x2 block [[a, b], [-b, a]], and every step is a
real GEMM. The backward pass multiplies by the transposes of the same matrices: the gradients
are the exact adjoints of the forward arithmetic, not a second approximation.

Why it is exact: the padded image is P = Hp·Wp pixels, and a correlation with a kernel that fits
in it is a circular correlation that never wraps around for the oH·oW valid outputs. The DFT
turns circular correlation into a product per frequency: ŷ(f) = conj(ŵ(f)) · x̂(f), with ŵ the
DFT of the kernel padded to Hp x Wp. Because x and y are real, their DFTs take conjugate values
at (u, v) and (-u, -v), so one frequency of each pair (F of them, about P/2) determines everything.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from ..._platform.products import stacked_matmul
from ...core.engine import Context, Op
from .._checks import Sides

MAX_PIXELS = 1024
"""Larger padded images are left to im2col: the DFT matrices grow as the square of the pixel count."""
SAMPLE_BLOCK_BYTES = 16 << 20
"""Without a graph, a batch whose output spectrum would be larger than this goes through in blocks of samples."""


class Transforms(NamedTuple):
    """The real DFT matrices of one geometry, for F frequencies: one of each pair of complex conjugates."""

    pixels: np.ndarray  # (F·2, P): the DFT of an Hp x Wp image as (real, imaginary) rows
    kernel: np.ndarray  # (F·2·2, kH·kW): the 2x2 block [[a, b], [-b, a]] of a kernel's DFT a + ib
    output: np.ndarray  # (oH·oW, F·2): the inverse DFT, valid output pixels only


def frequencies(hp: int, wp: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows u, columns v and weights of one frequency of each conjugate pair (u, v), (-u, -v) of an Hp x Wp DFT.

    The DFT of a real image takes conjugate values at (u, v) and (-u mod Hp, -v mod Wp), so one of
    each pair is enough: the half v <= Wp/2, and in the columns v = 0 and v = Wp/2, which are their
    own partners, the half u <= Hp/2. The inverse counts each kept frequency twice (weight 2),
    except the frequencies that are their own partners (weight 1).
    """
    u, v = np.meshgrid(np.arange(hp), np.arange(wp // 2 + 1), indexing="ij")
    own_column = 2 * v % wp == 0
    keep = ~own_column | (2 * u <= hp)
    weight = np.where(own_column & (2 * u % hp == 0), 1.0, 2.0)
    return u[keep], v[keep], weight[keep]


@lru_cache(maxsize=16)
def transforms(hp: int, wp: int, kh: int, kw: int, dtype: np.dtype) -> Transforms:
    """The matrices for an Hp x Wp padded image and a kH x kW kernel, in `dtype`, read-only and cached."""
    u, v, weight = (a.reshape(-1, 1, 1) for a in frequencies(hp, wp))
    i, j = np.arange(hp).reshape(1, hp, 1), np.arange(wp).reshape(1, 1, wp)  # pixel row and column
    angle = 2 * np.pi * (u * i / hp + v * j / wp)  # (F, Hp, Wp), float64
    re, im = np.cos(angle), -np.sin(angle)  # e^{-i·angle}
    pixels = np.stack([re, im], axis=1)  # (F, 2, Hp, Wp)
    blocks = np.stack([re, im, -im, re], axis=1)[:, :, :kh, :kw]  # (F, 4, kH, kW)
    oh, ow = hp - kh + 1, wp - kw + 1
    inverse = (pixels * (weight / (hp * wp)).reshape(-1, 1, 1, 1))[:, :, :oh, :ow]  # (F, 2, oH, oW)
    made = Transforms(*(np.ascontiguousarray(m, dtype=dtype) for m in (
        pixels.reshape(-1, hp * wp), blocks.reshape(-1, kh * kw), inverse.reshape(-1, oh * ow).T)))
    for matrix in made:
        matrix.flags.writeable = False
    return made


def is_cheaper(batch: int, channels: int, out_channels: int, padded_hw: tuple[int, int],
               kernel: tuple[int, int]) -> bool:
    """True when the spectral forward takes fewer multiplications than im2col's GEMM for this geometry."""
    (hp, wp), (kh, kw) = padded_hw, kernel
    pixels, out_pixels = hp * wp, (hp - kh + 1) * (wp - kw + 1)
    if pixels > MAX_PIXELS:
        return False
    # frequencies() keeps one of each conjugate pair: (P + s) / 2, s the frequencies that are their own partner
    own_partners = (2 - hp % 2) * (2 - wp % 2)
    reals = pixels + own_partners  # two real numbers per frequency
    per_sample = reals * (pixels * channels + 2 * out_channels * channels + out_pixels * out_channels)
    spectral = batch * per_sample + 2 * reals * kh * kw * out_channels * channels  # + the kernel's transform
    return spectral < batch * out_channels * channels * kh * kw * out_pixels


class SpectralConv2dOp(Op):
    """conv2d(x, weight[, bias]) with stride 1 and dilation 1, multiplied in the frequency domain.

    `padding` is (top, bottom, left, right). The arrays it makes are laid out batch last (layout.py).
    """

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, weight: np.ndarray, *bias: np.ndarray, padding: Sides) -> np.ndarray:
        n, c, h, w = x.shape
        o, _, kh, kw = weight.shape
        top, bottom, left, right = padding
        hp, wp = h + top + bottom, w + left + right
        oh, ow = hp - kh + 1, wp - kw + 1
        dtype = np.result_type(x, weight)
        t = transforms(hp, wp, kh, kw, dtype)
        # (F, 2, 2, O, C) -> (F, 2·O, 2·C): at each frequency, the real 2x2 blocks of every (o, c)
        blocks = (t.kernel @ weight.reshape(o * c, kh * kw).T).reshape(-1, 2, 2, o, c).transpose(0, 1, 3, 2, 4)
        blocks = blocks.reshape(-1, 2 * o, 2 * c)
        out = np.empty((o, oh, ow, n), dtype=dtype)
        # without a graph nothing is kept, so a large batch goes through in blocks of samples
        samples = max(1, n if ctx.recording else SAMPLE_BLOCK_BYTES // (blocks.shape[0] * 2 * o * out.itemsize))
        for first in range(0, max(n, 1), samples):  # once for an empty batch
            part = x[first:first + samples]
            m = len(part)
            image = np.zeros((hp, wp, c, m), dtype=dtype)  # pixel-major: one GEMM transforms every image
            image[top:top + h, left:left + w] = part.transpose(2, 3, 1, 0)
            spectrum = (t.pixels @ image.reshape(hp * wp, c * m)).reshape(-1, 2 * c, m)  # (F, 2C, N)
            mixed = stacked_matmul(blocks, spectrum)  # (F, 2O, N)
            pixels_out = (t.output @ mixed.reshape(-1, o * m)).reshape(oh, ow, o, m).transpose(2, 0, 1, 3)
            if bias:
                np.add(pixels_out, bias[0].reshape(o, 1, 1, 1), out=out[..., first:first + m])
            else:
                np.copyto(out[..., first:first + m], pixels_out)
        ctx.save_for_backward(spectrum, blocks)
        ctx.shapes = (x.shape, weight.shape, (hp, wp))
        ctx.padding, ctx.transforms = padding, t
        ctx.has_bias = bool(bias)
        return out.transpose(3, 0, 1, 2)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[Any, ...]:
        spectrum, blocks = ctx.saved_tensors
        (n, c, h, w), (o, _, kh, kw), (hp, wp) = ctx.shapes
        (top, _, left, _), t = ctx.padding, ctx.transforms
        oh, ow = grad.shape[2:]
        pixels_grad = np.empty((oh, ow, o, n), dtype=spectrum.dtype)
        np.copyto(pixels_grad, grad.transpose(2, 3, 1, 0))
        mixed_grad = (t.output.T @ pixels_grad.reshape(oh * ow, o * n)).reshape(-1, 2 * o, n)  # (F, 2O, N)
        grad_x = grad_w = grad_b = None
        if ctx.needs_input_grad[0]:
            spectrum_grad = stacked_matmul(blocks.transpose(0, 2, 1), mixed_grad)  # (F, 2C, N)
            image_grad = (t.pixels.T @ spectrum_grad.reshape(-1, c * n)).reshape(hp, wp, c, n)
            grad_x = np.empty((c, h, w, n), dtype=spectrum.dtype)
            np.copyto(grad_x, image_grad[top:top + h, left:left + w].transpose(2, 0, 1, 3))
            grad_x = grad_x.transpose(3, 0, 1, 2)
        if ctx.needs_input_grad[1]:
            blocks_grad = stacked_matmul(mixed_grad, np.ascontiguousarray(spectrum.transpose(0, 2, 1)))  # (F, 2O, 2C)
            blocks_grad = blocks_grad.reshape(-1, 2, o, 2, c).transpose(0, 1, 3, 2, 4).reshape(-1, o * c)
            grad_w = (blocks_grad.T @ t.kernel).reshape(o, c, kh, kw)
        if ctx.has_bias and ctx.needs_input_grad[2]:
            grad_b = pixels_grad.sum(axis=(0, 1, 3))
        return (grad_x, grad_w, grad_b) if ctx.has_bias else (grad_x, grad_w)
