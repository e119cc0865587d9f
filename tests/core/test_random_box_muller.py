"""The float32 Box-Muller kernel against avx_mathfun.h's log256_ps and sincos256_ps written operation by operation,
for every one of the 2**24 uniforms a word can give: the kernel folds exact steps together and works in place,
and must give the same bits.

The reference below is the plain transcription: each float32 operation of the C code one NumPy float32
operation, each fused multiply-add (GCC contracts them in PyTorch's build) computed in float64 from the exact
product and rounded to float32.
"""

import math

import numpy as np

import tinygrad_adam as torch
from tinygrad_adam.core import random as R

f = np.float32
LOG_P = [f(c) for c in (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
                        -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1)]
SINCOF = [f(-1.9515295891e-4), f(8.3321608736e-3), f(-1.6666654611e-1)]
COSCOF = [f(2.443315711809948e-005), f(-1.388731625493765e-003), f(4.166664568298827e-002)]
DP = [f(-0.78515625), f(-2.4187564849853515625e-4), f(-3.77489497744594108e-8)]
ONE, HALF = f(1.0), f(0.5)


def fma(a, b, c):
    return np.add(np.multiply(a, b, dtype=np.float64), c, dtype=np.float64, out=np.empty(np.shape(a), f),
                  casting="unsafe")


def log256_ps(x):
    bits = x.view(np.int32)
    e = ((bits >> 23) - 127).astype(f) + ONE
    x = ((bits & ~0x7F800000) | np.int32(0x3F000000)).view(f)
    small = x < f(0.707106781186547524)
    tmp = x * small
    x = x - ONE
    e = e - small
    x = x + tmp
    z = x * x
    y = np.full_like(x, LOG_P[0])
    for c in LOG_P[1:]:
        y = fma(y, x, c)
    y = fma(y * x, z, e * f(-2.12194440e-4))
    y = y - z * HALF
    return fma(e, f(0.693359375), x + y)


def sincos256_ps(x):
    j = ((x * f(1.27323954473516)).astype(np.int32) + 1) & ~1
    y = j.astype(f)
    sin_sign = (j & 4) << 29
    cos_sign = (~(j - 2) & 4) << 29
    first_poly = (j & 2) == 0
    for dp in DP:
        x = fma(y, dp, x)
    z = x * x
    yc = fma(fma(np.full_like(x, COSCOF[0]), z, COSCOF[1]), z, COSCOF[2])
    yc = fma(yc * z, z, -(z * HALF)) + ONE
    ys = fma(fma(np.full_like(x, SINCOF[0]), z, SINCOF[1]), z, SINCOF[2])
    ys = fma(ys * z, x, x)
    sin = np.where(first_poly, ys, yc)
    cos = np.where(first_poly, yc, ys)
    sin.view(np.int32)[...] ^= sin_sign
    cos.view(np.int32)[...] ^= cos_sign
    return cos, sin


def test_every_uniform_gives_the_reference_radius_and_angle():
    piece = 1 << 21
    kernel = R._BoxMuller32(piece // 8)
    for start in range(0, 1 << 24, piece):
        words = np.arange(start, start + piece, dtype=f)
        u = words * f(2.0**-24)
        radius = words.copy()
        kernel._radius(radius)
        np.testing.assert_array_equal(radius.view(np.int32), np.sqrt(f(-2.0) * log256_ps(ONE - u)).view(np.int32))
        for ours, want in zip(kernel._cos_sin(words.copy()), sincos256_ps(f(2.0 * math.pi) * u), strict=True):
            np.testing.assert_array_equal(ours.view(np.int32), want.view(np.int32))


def test_pieces_and_the_last_block_assemble_as_pytorchs_loop_does():
    n = 16 * R._ROWS + 16 * 3 + 5  # two pieces, then a partial block: the last 16 numbers from 16 fresh words
    full = n - n % 16
    words = torch.Generator().manual_seed(7)._raw32(n + 16)  # the full blocks' words, 5 unused ones, the fresh 16
    words = np.concatenate([words[:full], words[n:]])
    u = ((words & np.uint64(0xFFFFFF)).astype(f) * f(2.0**-24)).reshape(-1, 16)
    cos, sin = sincos256_ps(f(2.0 * math.pi) * np.ascontiguousarray(u[:, 8:]))
    radius = np.sqrt(f(-2.0) * log256_ps(ONE - np.ascontiguousarray(u[:, :8])))
    values = np.concatenate([radius * cos, radius * sin], axis=1).reshape(-1)
    values = np.concatenate([values[:n - 16], values[-16:]])
    for mean, std in ((0.0, 1.0), (-0.0, 1.0), (0.5, 2.5)):
        ours = torch.zeros(n).normal_(mean, std, generator=torch.Generator().manual_seed(7)).numpy()
        want = values + f(mean) if std == 1 else fma(values, f(std), f(mean))
        np.testing.assert_array_equal(ours.view(np.int32), want.view(np.int32))
