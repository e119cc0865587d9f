"""PyTorch's CPU random streams: `Generator`, the default generator, and the samplers that read it.

PyTorch's CPU generator is the 32-bit Mersenne Twister seeded with `init_genrand`, which is
NumPy's `MT19937` with legacy seeding. Every sampler below draws raw words from it with
`random_raw` (vectorized) and applies PyTorch's own transform (aten's DistributionsHelper.h,
TransformationHelper.h, native/cpu/DistributionTemplates.h, randperm, multinomial), so that after
the same `manual_seed` the numbers are PyTorch's:

- `rand`/`uniform_`: float32 from the low 24 bits of one word, float64 from the low 53 bits
  of a 64-bit draw (two words, the first one high);
- `randn`/`normal_` with 16 or more elements: 16 uniforms at a time through Box-Muller (the
  last, partial block recomputed from 16 fresh uniforms), float32 with the Cephes log/sincos
  approximations PyTorch's AVX2 kernel uses, float64 with libm's; fewer than 16 elements: the
  scalar Box-Muller on two 64-bit draws, whose second value is kept for the next call;
- `randint`/`random_`: a word (a 64-bit draw for ranges of 2**28 or more) modulo the range;
- `randperm`: PyTorch's forward Fisher-Yates swaps; `multinomial`: its exponential-race
  (argmax/top-k of p/q) or, with replacement, its cumulative-distribution search.

The samplers return NumPy arrays; the Tensor functions that use them are in creation.py
and core/random_ops.py. A `numpy.random.Generator` is accepted wherever a `Generator` is: its
raw 64-bit words (low 32 bits) feed the same transforms, reproducible but not PyTorch's numbers.
"""

from __future__ import annotations

import contextlib
import math
import os
import struct
from collections.abc import Iterator
from typing import Any

import numpy as np

from . import dtypes

__all__ = [
    "Generator", "default_generator", "fork_rng", "get_rng_state", "initial_seed", "manual_seed", "seed",
    "set_rng_state",
]

_N = 624  # MT19937 state words
_DEFAULT_SEED = 67280421310721  # PyTorch's default_rng_seed_val: the seed of a new Generator()
_STATE_SIZE, _LEGACY_STATE_SIZE = 5056, 5048  # sizeof(CPUGeneratorImplState) and of its legacy_pod
_U64 = np.uint64


def _device(value: Any) -> Any:
    from .device import device

    return device(value)


def _check_seed(seed: Any) -> int:
    if isinstance(seed, np.integer):
        raise TypeError("an integer is required")
    if type(seed) is not int:  # Generator.manual_seed, as PyTorch's C function (torch.manual_seed takes int(seed))
        raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
    if not -(2**63) <= seed < 2**64:
        raise RuntimeError("Overflow when unpacking long long")
    return seed % 2**64


class Generator:
    """torch.Generator for the CPU: a Mersenne Twister with PyTorch's seeding, state and streams."""

    def __init__(self, device: Any = "cpu") -> None:
        self._device = _device(device)
        self._engine = np.random.MT19937()
        self.manual_seed(_DEFAULT_SEED)

    @property
    def device(self) -> Any:
        return self._device

    def manual_seed(self, seed: int) -> Generator:
        """Seed with `seed` (any integer in [-2**63, 2**64)), as PyTorch does; returns this generator."""
        self._seed = _check_seed(seed)
        self._engine._legacy_seeding(self._seed & 0xFFFFFFFF)
        self._fresh = True  # seeded, nothing drawn: PyTorch's state then reads next = 0
        self.next_double_normal_sample: float | None = None
        self.next_float_normal_sample: float | None = None
        return self

    def seed(self) -> int:
        """Seed with a non-deterministic 63-bit number and return it."""
        value = int.from_bytes(os.urandom(8), "little") >> 1
        self.manual_seed(value)
        return value

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self) -> Any:
        """The state as a uint8 Tensor in PyTorch's byte layout (CPUGeneratorImplState, 5056 bytes)."""
        from .tensor import Tensor

        return Tensor(np.frombuffer(self._state_bytes(), dtype=np.uint8).copy())

    def set_state(self, new_state: Any) -> Generator:
        """Restore a state from `get_state` (this library's or PyTorch's: the layout is the same)."""
        data = np.asarray(new_state.numpy() if hasattr(new_state, "numpy") else new_state)
        if data.dtype != np.uint8:
            raise TypeError(f"expected a torch.ByteTensor, but got {data.dtype}")
        self._load_state_bytes(data.tobytes())
        return self

    def __repr__(self) -> str:
        return f"<tinygrad_adam.Generator object at {id(self):#x}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """As IPython shows torch.Generator (a C++ class without a repr of its own)."""
        printer.text(f"<tinygrad_adam.Generator at {id(self):#x}>")

    def __getstate__(self) -> dict[str, Any]:
        return {"device": str(self._device), "state": self._state_bytes()}

    def __setstate__(self, saved: dict[str, Any]) -> None:
        self._device = _device(saved["device"])
        self._engine = np.random.MT19937()
        self._load_state_bytes(saved["state"])

    def _state_bytes(self) -> bytes:
        state = self._engine.state["state"]
        pos = int(state["pos"])
        if pos >= _N:
            left, nxt = 1, 0 if self._fresh else _N
        else:
            left, nxt = _N + 1 - pos, pos
        double = self.next_double_normal_sample
        single = self.next_float_normal_sample
        return b"".join([
            struct.pack("<QiiQ", self._seed, left, 1, nxt),
            np.asarray(state["key"], dtype="<u8").tobytes(),
            struct.pack("<dddi4x", 0.0, 0.0 if double is None else double, 0.0, double is not None),
            struct.pack("<f?3x", 0.0 if single is None else single, single is not None),
        ])

    def _load_state_bytes(self, raw: bytes) -> None:
        if len(raw) not in (_STATE_SIZE, _LEGACY_STATE_SIZE):
            raise RuntimeError(
                f"Expected either a CPUGeneratorImplStateLegacy of size {_LEGACY_STATE_SIZE} or a "
                f"CPUGeneratorImplState of size {_STATE_SIZE} but found the input RNG state size to be {len(raw)}"
            )
        seed, left, seeded, nxt = struct.unpack_from("<QiiQ", raw, 0)
        if not (seeded and 0 < left <= _N and nxt <= _N):
            raise RuntimeError("The input RNG state is invalid: the Mersenne Twister state is corrupted")
        key = np.frombuffer(raw, dtype="<u8", count=_N, offset=24).astype(np.uint32)
        _, normal_y, _, normal_valid = struct.unpack_from("<dddi", raw, 24 + 8 * _N)
        self._seed = seed
        self._engine.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": _N if left == 1 else nxt}}
        self._fresh = left == 1 and nxt == 0
        self.next_double_normal_sample = normal_y if normal_valid else None
        self.next_float_normal_sample = None
        if len(raw) == _STATE_SIZE:
            single, valid = struct.unpack_from("<f?", raw, _LEGACY_STATE_SIZE)
            self.next_float_normal_sample = single if valid else None

    def _raw32(self, n: int) -> np.ndarray:
        """The next n 32-bit words (as uint64)."""
        if n > 0:
            self._fresh = False
        return self._engine.random_raw(n)

    def _raw64(self, n: int) -> np.ndarray:
        """The next n 64-bit draws: PyTorch's random64() joins two words, the first one high."""
        words = self._raw32(2 * n)
        return (words[0::2] << _U64(32)) | words[1::2]


class _NumpyStream:
    """A numpy.random.Generator seen as a word stream, so that the same transforms apply to it."""

    def __init__(self, generator: np.random.Generator) -> None:
        self._bits = generator.bit_generator
        self.next_double_normal_sample: float | None = None
        self.next_float_normal_sample: float | None = None

    def _raw32(self, n: int) -> np.ndarray:
        return self._bits.random_raw(n) & _U64(0xFFFFFFFF)

    def _raw64(self, n: int) -> np.ndarray:
        words = self._raw32(2 * n)
        return (words[0::2] << _U64(32)) | words[1::2]


default_generator = Generator()
default_generator.seed()  # as in PyTorch, the default generator starts from a non-deterministic seed

Stream = Generator | _NumpyStream


def stream(generator: Any = None) -> Stream:
    """The generator to draw from: `generator`, the default generator when None, or a NumPy Generator's words."""
    if generator is None:
        return default_generator
    if isinstance(generator, Generator):
        return generator
    if isinstance(generator, np.random.Generator):
        return _NumpyStream(generator)
    raise TypeError(
        f"generator must be a tinygrad_adam.Generator, a numpy.random.Generator or None, got {type(generator).__name__}"
    )


def manual_seed(seed: int) -> Generator:
    """Seed the default generator (PyTorch's torch.manual_seed); returns it."""
    return default_generator.manual_seed(int(seed))


def seed() -> int:
    """Seed the default generator non-deterministically and return the seed."""
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state() -> Any:
    """The default generator's state (a uint8 Tensor in PyTorch's layout)."""
    return default_generator.get_state()


def set_rng_state(new_state: Any) -> None:
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices: Any = None, enabled: bool = True, _caller: str = "fork_rng", _devices_kw: str = "devices",
             device_type: Any = None) -> Iterator[None]:
    """Restore the default generator's state on exit (the CPU is the only device here)."""
    if not enabled:
        yield
        return
    saved = default_generator._state_bytes()
    try:
        yield
    finally:
        default_generator._load_state_bytes(saved)


# ---------------------------------------------------------------------------------------------- samplers

_FLOAT_DIGITS = {np.dtype(np.float16): 11, np.dtype(np.float32): 24, np.dtype(np.float64): 53}


def _float_kind(dtype: Any) -> np.dtype:
    """A sampler's dtype: the default dtype when None, as torch.rand's."""
    dtype = dtypes.default_float if dtype is None else np.dtype(dtype)
    if dtype.kind != "f":
        raise NotImplementedError(f"\"check_uniform_bounds\" not implemented for '{dtype}'")
    return dtype


def _cast(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """values in dtype; float16 by way of float32, as c10::Half converts a double."""
    if dtype == np.float16 and values.dtype == np.float64:
        values = values.astype(np.float32)
    return values.astype(dtype, copy=False)


def _unit(gen: Stream, n: int, dtype: np.dtype) -> np.ndarray:
    """n uniforms in [0, 1): PyTorch's uniform_real_distribution for float32 (24 bits) or float64 (53 bits)."""
    wide = dtype == np.float64
    bits = gen._raw64(n) if wide else gen._raw32(n)
    np.bitwise_and(bits, _U64((1 << 53) - 1 if wide else (1 << 24) - 1), out=bits)
    values = bits.astype(dtype)
    np.multiply(values, dtype.type(2.0**-53 if wide else 2.0**-24), out=values)
    return values


def uniform(shape: tuple[int, ...], low: float = 0.0, high: float = 1.0, dtype: Any = None,
            generator: Any = None) -> np.ndarray:
    """U(low, high) as in PyTorch's uniform_: x * (high - low) + low in the working precision, high mapped to low."""
    dtype = _float_kind(dtype)
    work = np.dtype(np.float64) if dtype == np.float64 else np.dtype(np.float32)
    n = math.prod(shape)
    x = _unit(stream(generator), n, work)
    lo, hi = work.type(low), work.type(high)
    if lo != 0 or hi != 1:
        x = _fma(x, hi - lo, lo)
    values = x.astype(dtype, copy=False)
    if dtype != work or lo != 0 or hi != 1:  # [0, 1) in the working precision never reaches 1
        values[values == dtype.type(high)] = dtype.type(low)
    return values.reshape(shape)


# PyTorch's AVX2 Box-Muller (NormalFill16<float>) uses avx_mathfun.h's log256_ps and sincos256_ps:
# Cephes polynomials evaluated in float32, reproduced here to the bit, including the multiply-adds that
# GCC contracts into fused ones in PyTorch's build (-ffp-contract=fast); tests/core/test_random_box_muller.py
# checks every possible input against an operation-by-operation transcription.
_f = np.float32
_LOG_P = [_f(c) for c in (7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
                          -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1)]
_LOG_Q1, _LOG_Q2, _SQRTHF = _f(-2.12194440e-4), _f(0.693359375), _f(0.707106781186547524)
_DP = [_f(-0.78515625), _f(-2.4187564849853515625e-4), _f(-3.77489497744594108e-8)]
_SINCOF = [_f(-1.9515295891e-4), _f(8.3321608736e-3), _f(-1.6666654611e-1)]
_COSCOF = [_f(2.443315711809948e-005), _f(-1.388731625493765e-003), _f(4.166664568298827e-002)]
_FOPI, _HALF, _ONE = _f(1.27323954473516), _f(0.5), _f(1.0)
_TWO_PI_WORD = _f(2.0 * math.pi) * _f(2.0**-24)
_DP3_WIDE = np.float64(_DP[2])
_TRIG_WIDE = np.array([_SINCOF, _COSCOF], np.float64).T.reshape(3, 2, 1)  # c0, c1, c2 of the sine and cosine
_SIGN = np.int32(-(2**31))


def _fma(a: Any, b: Any, c: Any) -> np.ndarray:
    """a * b + c rounded once, in a's precision: float32 through float64 (whose product of two floats is exact),
    float64 through long double (a correct fused result except within 2**-11 of a rounding tie)."""
    a = np.asarray(a)
    wide = np.float64 if a.dtype == np.float32 else np.longdouble
    return np.add(np.multiply(a, b, dtype=wide), c, dtype=wide, out=np.empty(a.shape, a.dtype), casting="unsafe")


def _runs(a: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """A contiguous array as runs of 8 numbers (one item each), in `shape`."""
    return a.reshape(-1).view(np.dtype(f"V{8 * a.itemsize}")).reshape(shape)


class _BoxMuller:
    """NormalFill16 for pieces of up to `rows` blocks of 16 numbers, in buffers reused for each piece.

    A block's first 8 uniforms give radii sqrt(-2 log(1 - u)) and its last 8 angles 2 pi u; the radius halves
    and the angle halves of a piece are gathered into one contiguous run each first (strided passes are slow).
    """

    dtype: type
    words_per_number: int

    def __init__(self, rows: int) -> None:
        self.values = np.empty(16 * rows, self.dtype)
        self.halves = np.empty(16 * rows, self.dtype)

    def __call__(self, words: np.ndarray, mean: float, std: float, out: np.ndarray) -> None:
        """Fill out (contiguous, a multiple of 16 numbers) from its words."""
        rows = len(out) // 16
        values = self.values[:16 * rows]
        self._uniforms(words, values)
        halves = self.halves[:16 * rows].reshape(2, 8 * rows)
        np.copyto(_runs(halves, (2, rows)), _runs(values, (rows, 2)).T)
        radius, angle = halves
        self._radius(radius)
        cos, sin = self._cos_sin(angle)
        np.multiply(radius, sin, out=angle)
        np.multiply(radius, cos, out=radius)
        if std == 1:  # fma(n, 1, mean) is n + mean, rounded once
            np.add(halves, self.dtype(mean), out=halves)
        else:
            halves[...] = _fma(halves, self.dtype(std), self.dtype(mean))
        np.copyto(_runs(out, (rows, 2)), _runs(halves, (2, rows)).T)

    def _uniforms(self, words: np.ndarray, values: np.ndarray) -> None:
        raise NotImplementedError

    def _radius(self, u: np.ndarray) -> None:
        raise NotImplementedError

    def _cos_sin(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError


class _BoxMuller64(_BoxMuller):
    """NormalFill16<double>: 53-bit uniforms from two words each, libm's log, sin and cos."""

    dtype, words_per_number = np.float64, 2

    def __init__(self, rows: int) -> None:
        super().__init__(rows)
        self.bits = np.empty(16 * rows, np.uint64)
        self.cos = np.empty(8 * rows, np.float64)

    def _uniforms(self, words: np.ndarray, values: np.ndarray) -> None:
        bits = self.bits[:len(values)]
        np.left_shift(words[0::2], _U64(32), out=bits)
        np.bitwise_or(bits, words[1::2], out=bits)
        np.bitwise_and(bits, _U64((1 << 53) - 1), out=bits)
        np.copyto(values, bits, casting="same_kind")
        np.multiply(values, 2.0**-53, out=values)

    def _radius(self, u: np.ndarray) -> None:
        np.subtract(1.0, u, out=u)
        np.log(u, out=u)
        np.multiply(u, -2.0, out=u)
        np.sqrt(u, out=u)

    def _cos_sin(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        np.multiply(u, 2.0 * math.pi, out=u)
        cos = np.cos(u, out=self.cos[:len(u)])
        return cos, np.sin(u, out=u)


class _BoxMuller32(_BoxMuller):
    """NormalFill<float>'s AVX2 kernel: 24-bit uniforms, log256_ps and sincos256_ps from avx_mathfun.h.

    Each float32 operation of theirs is one NumPy pass here, in place. A fused multiply-add whose product is not
    exact in float32 is a float64 multiply and add (the product of two floats is exact) rounded to float32; one
    whose product is exact is a float32 multiply and add.
    """

    dtype, words_per_number = np.float32, 1

    def __init__(self, rows: int) -> None:
        super().__init__(rows)
        m = rows * 8
        self.f = [np.empty(m, np.float32) for _ in range(4)]
        self.i = [np.empty(m, np.int32) for _ in range(2)]
        self.poly = np.empty((2, m), np.float32)
        self.t = np.empty((2, m), np.float64)
        self.operands = np.empty((3, m), np.float64)

    def _uniforms(self, words: np.ndarray, values: np.ndarray) -> None:
        """The words' low 24 bits, as floats: the uniforms are these times 2**-24."""
        np.bitwise_and(words, _U64(0xFFFFFF), out=words)
        np.copyto(values, words, casting="same_kind")

    @staticmethod
    def _round(wide: np.ndarray, narrow: np.ndarray) -> None:
        """wide rounded to float32, into narrow and back into wide."""
        np.copyto(narrow, wide, casting="same_kind")
        np.copyto(wide, narrow)

    def _radius(self, w: np.ndarray) -> None:
        """w (24-bit words as floats) -> sqrt(-2 log256_ps(1 - w * 2**-24)), in place."""
        m = len(w)
        x, e, y, z = (f[:m] for f in self.f)
        k, v = (i[:m] for i in self.i)
        (x64, z64), t = self.operands[:2, :m], self.t[0, :m]
        np.subtract(_f(1 << 24), w, out=x)
        np.multiply(x, _f(2.0**-24), out=x)  # 1 - u, exact
        # x = 2**k * (1 + r) with 1 + r in [sqrt(1/2), sqrt(2)): k and r are log256_ps's e and x once it has
        # taken 1 from e and doubled the mantissa where that is below sqrt(1/2)
        bits = x.view(np.int32)
        np.subtract(bits, _SQRTHF.view(np.int32), out=k)
        np.right_shift(k, 23, out=k)
        np.left_shift(k, 23, out=v)
        np.subtract(bits, v, out=v)
        np.subtract(v.view(np.float32), _ONE, out=x)  # r, exact
        np.copyto(e, k)
        np.copyto(x64, x)
        np.multiply(x64, float(_LOG_P[0]), out=t)
        np.add(t, float(_LOG_P[1]), out=t)
        for c in _LOG_P[2:]:
            self._round(t, y)
            np.multiply(t, x64, out=t)
            np.add(t, float(c), out=t)
        np.copyto(y, t, casting="same_kind")
        np.multiply(y, x, out=y)
        np.multiply(x, x, out=z)
        np.copyto(t, y)
        np.copyto(z64, z)
        np.multiply(t, z64, out=t)  # fma(y * x, z, e * q1)
        np.multiply(e, _LOG_Q1, out=y)
        np.copyto(z64, y)
        np.add(t, z64, out=t)
        np.copyto(y, t, casting="same_kind")
        np.multiply(z, _HALF, out=z)
        np.subtract(y, z, out=y)
        np.add(x, y, out=y)
        np.multiply(e, _LOG_Q2, out=e)  # exact
        np.add(e, y, out=y)
        np.multiply(y, _f(-2.0), out=y)
        np.sqrt(y, out=w)

    def _cos_sin(self, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """w (24-bit words as floats) -> (cos, sin) of 2 pi w * 2**-24 by sincos256_ps, in self.poly."""
        m = len(w)
        x, jf, z = (f[:m] for f in self.f[:3])
        j, d = (i[:m] for i in self.i)
        poly, t = self.poly[:, :m], self.t[:, :m]  # rows: sine, cosine polynomial
        operands = self.operands[:, :m]  # x, z, -z / 2 in float64
        x64, z64, half_z = operands
        np.multiply(w, _TWO_PI_WORD, out=x)  # 2 pi u rounded once: the power of 2 is exact
        np.multiply(x, _FOPI, out=jf)
        np.copyto(j, jf, casting="unsafe")  # truncation
        np.add(j, 1, out=j)
        np.bitwise_and(j, ~1, out=j)
        np.copyto(jf, j)
        for dp in _DP[:2]:  # j * dp is exact for these two
            np.multiply(jf, dp, out=z)
            np.add(z, x, out=x)
        np.copyto(half_z, jf)  # fma(j, dp3, x)
        np.multiply(half_z, _DP3_WIDE, out=half_z)
        np.copyto(x64, x)
        np.add(half_z, x64, out=half_z)
        np.copyto(x, half_z, casting="same_kind")
        np.copyto(x64, x)
        np.multiply(x, x, out=z)
        np.copyto(z64, z)
        np.multiply(z64, -0.5, out=half_z)
        # both polynomials at once: fma(fma(c0, z, c1), z, c2), then fma(p * z, x, x) and fma(p * z, z, -z/2) + 1
        np.multiply(z64, _TRIG_WIDE[0], out=t)
        np.add(t, _TRIG_WIDE[1], out=t)
        self._round(t, poly)
        np.multiply(t, z64, out=t)
        np.add(t, _TRIG_WIDE[2], out=t)
        np.copyto(poly, t, casting="same_kind")
        np.multiply(poly, z, out=poly)
        np.copyto(t, poly)
        np.multiply(t, operands[:2], out=t)
        np.add(t, operands[::2], out=t)
        np.copyto(poly, t, casting="same_kind")
        ys, yc = poly
        np.add(yc, _ONE, out=yc)
        # the polynomials swap where j & 2, and the signs flip where j & 4 (sine) or (j + 2) & 4 (cosine)
        s_bits, c_bits, mask = ys.view(np.int32), yc.view(np.int32), jf.view(np.int32)
        np.left_shift(j, 30, out=mask)
        np.right_shift(mask, 31, out=mask)
        np.bitwise_xor(s_bits, c_bits, out=d)
        np.bitwise_and(d, mask, out=d)
        np.bitwise_xor(s_bits, d, out=s_bits)
        np.bitwise_xor(c_bits, d, out=c_bits)
        np.left_shift(j, 29, out=mask)
        np.bitwise_and(mask, _SIGN, out=mask)
        np.bitwise_xor(s_bits, mask, out=s_bits)
        np.add(j, 2, out=j)
        np.left_shift(j, 29, out=mask)
        np.bitwise_and(mask, _SIGN, out=mask)
        np.bitwise_xor(c_bits, mask, out=c_bits)
        return yc, ys


def _normal_scalar(gen: Stream, n: int) -> np.ndarray:
    """PyTorch's normal_distribution<double>: Box-Muller on two 64-bit draws, the sine kept for the next call."""
    out = np.empty(n, dtype=np.float64)
    for i in range(n):
        cached = gen.next_double_normal_sample
        if cached is not None:
            out[i], gen.next_double_normal_sample = cached, None
            continue
        u1, u2 = _unit(gen, 2, np.dtype(np.float64))
        radius = math.sqrt(-2.0 * math.log1p(-float(u2)))
        theta = 2.0 * math.pi * float(u1)
        gen.next_double_normal_sample = radius * math.sin(theta)
        out[i] = radius * math.cos(theta)
    return out


_ROWS = 2048  # blocks of 16 per piece of normals: few calls per number, temporaries that stay in the caches


def normal(shape: tuple[int, ...], mean: float = 0.0, std: float = 1.0, dtype: Any = None,
           generator: Any = None) -> np.ndarray:
    """N(mean, std²) as PyTorch's normal_ fills a contiguous tensor of `shape`."""
    dtype = _float_kind(dtype)
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    gen, n = stream(generator), math.prod(shape)
    if n < 16:
        return _cast(_fma(_normal_scalar(gen, n), std, mean), dtype).reshape(shape)
    full = n - n % 16
    kernel = (_BoxMuller64 if dtype == np.float64 else _BoxMuller32)(min(_ROWS, full // 16))
    words = kernel.words_per_number
    out = np.empty(n, dtype=kernel.dtype)
    for start in range(0, full, 16 * _ROWS):
        stop = min(start + 16 * _ROWS, full)
        kernel(gen._raw32(words * (stop - start)), mean, std, out[start:stop])
    if dtype != np.float16:  # float16 is filled block by block: the words past the last block are not drawn
        gen._raw32(words * (n - full))
    if n % 16:  # the last, partial block from 16 fresh uniforms
        kernel(gen._raw32(words * 16), mean, std, out[n - 16:])
    return out.astype(dtype, copy=False).reshape(shape)


def _modulo_draw(gen: Stream, n: int, modulus: int, wide: bool) -> np.ndarray:
    """Draws (words, or 64-bit draws when wide) modulo `modulus`, as draw - draw // modulus * modulus: NumPy
    vectorizes the division by a scalar, not the remainder."""
    if wide or modulus > 0xFFFFFFFF:
        draws, divisor = (gen._raw64(n) if wide else gen._raw32(n)), _U64(modulus)
    else:
        draws, divisor = gen._raw32(n).astype(np.uint32), np.uint32(modulus)
    return draws - draws // divisor * divisor


_C_NAMES = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short", "int32": "int"}


def randint(shape: tuple[int, ...], low: int, high: int, dtype: Any = np.int64, generator: Any = None) -> np.ndarray:
    """Integers in [low, high): PyTorch's random_(from, to), one word per value, two when the range is ≥ 2**28."""
    span = int(high) - int(low)
    if span <= 0:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    dtype = np.dtype(dtype)
    top = 1 if dtype == np.bool_ else int(np.iinfo(dtype).max) if dtype.kind in "iu" else None
    if top is not None and int(high) - 1 > top:
        raise RuntimeError(f"to - 1 is out of bounds for {_C_NAMES.get(dtype.name, dtype.name)}")
    if span >= 2**64:  # from = -2**63 and no `to`: PyTorch's full 64-bit range
        return stream(generator)._raw64(math.prod(shape)).view(np.int64).astype(dtype).reshape(shape)
    # PyTorch's open-source builds take a 64-bit draw for ranges of 2**28 or more, whatever the dtype
    draws = _modulo_draw(stream(generator), math.prod(shape), span, span >= 2**28)
    return (draws.astype(np.int64) + int(low)).astype(dtype, copy=False).reshape(shape)


def random_full(shape: tuple[int, ...], dtype: Any = np.int64, generator: Any = None) -> np.ndarray:
    """random_() without bounds: [0, max] of an integer dtype, [0, 2**mantissa] of a float one."""
    dtype = np.dtype(dtype)
    gen, n = stream(generator), math.prod(shape)
    if dtype == np.bool_:
        return (gen._raw32(n) & _U64(1)).astype(bool).reshape(shape)
    if dtype.kind == "f":
        digits = _FLOAT_DIGITS[dtype]
        draws = _modulo_draw(gen, n, (1 << digits) + 1, dtype == np.float64)
    else:
        draws = _modulo_draw(gen, n, int(np.iinfo(dtype).max) + 1, dtype == np.int64)
    return draws.astype(dtype).reshape(shape)


def randperm(n: int, dtype: Any = np.int64, generator: Any = None) -> np.ndarray:
    """PyTorch's randperm on the CPU: swap r[i] with r[i + random() % (n - i)] for i = 0 .. n-2."""
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    gen = stream(generator)
    if n >= 0xFFFFFFFF // 20:  # PyTorch's "inside-out" shuffle with 64-bit draws, for n beyond any dataset here
        perm = list(range(n))
        for i, z in enumerate((gen._raw64(n) % (np.arange(n, dtype=np.uint64) + _U64(1))).tolist()):
            perm[i], perm[z] = perm[z], i
        return np.array(perm, dtype=np.int64).astype(dtype, copy=False)
    if n <= 1:
        return np.arange(n, dtype=dtype)
    targets = gen._raw32(n - 1) % np.arange(n, 1, -1, dtype=np.uint64)
    return _swap_forward(targets.astype(np.int64) + np.arange(n - 1)).astype(dtype, copy=False)


def _swap_forward(targets: np.ndarray) -> np.ndarray:
    """range(n) after swapping positions i and targets[i] (>= i) for i = 0, 1, ..., without a loop per swap.

    Step i fixes position i for good. Let v[i] be the value at position i just before step i: the value
    that the last earlier step k with targets[k] == i moved there (v[k]), or i itself. Position i ends
    with v[i] when targets[i] == i, else with the value at targets[i]: v[k] for the last earlier step k
    with the same target, or targets[i] itself. The chains v[i] = v[k] = ... are resolved by pointer jumping.
    """
    n = len(targets) + 1
    index = np.arange(n)
    target = np.append(targets, n - 1)
    bits = n.bit_length()
    keys = np.sort((target << bits) | index)  # grouped by target, steps in order within a group
    order, grouped = keys & ((1 << bits) - 1), keys >> bits
    previous = np.empty(n, np.int64)  # the previous step with the same target, or -1
    previous[order[0]] = -1
    previous[order[1:]] = np.where(grouped[1:] == grouped[:-1], order[:-1], -1)
    last = np.full(n, -1)  # the last step whose target is t
    np.maximum.at(last, target, index)
    feeder = np.where(last == index, previous, last)  # the last step before i that targets i
    pointer = np.where(feeder >= 0, feeder, index)
    while True:
        jumped = pointer[pointer]
        if np.array_equal(jumped, pointer):
            break
        pointer = jumped
    value = pointer  # v[i]
    moved = np.where(previous >= 0, value[previous], target)
    return np.where(target == index, value, moved)


def exponential(shape: tuple[int, ...], lambd: float = 1.0, dtype: Any = None,
                generator: Any = None) -> np.ndarray:
    """Exp(lambd) as PyTorch's CPU exponential_: -1/lambd * log1p(-u) in float64 from 53-bit uniforms."""
    dtype = _float_kind(dtype)
    if not (lambd > 0 and math.isfinite(lambd)):
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    u = _unit(stream(generator), math.prod(shape), np.dtype(np.float64))
    return _cast((-1.0 / lambd) * np.log1p(-u), dtype).reshape(shape)


def bernoulli(p: float | np.ndarray, shape: tuple[int, ...] | None = None, generator: Any = None) -> np.ndarray:
    """Booleans with P(True) = p: a 53-bit uniform < p for a Python float or a float64 p, 24-bit for other p."""
    gen = stream(generator)
    if not isinstance(p, np.ndarray):
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
        shape = () if shape is None else shape
        return (_unit(gen, math.prod(shape), np.dtype(np.float64)) < p).reshape(shape)
    probs = p if shape is None else np.broadcast_to(p, shape)
    if probs.size and not ((probs >= 0).all() and (probs <= 1).all()):
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.")
    work = np.dtype(np.float64) if probs.dtype == np.float64 else np.dtype(np.float32)
    return (_unit(gen, probs.size, work) < probs.astype(work).reshape(-1)).reshape(probs.shape)


def multinomial(probs: np.ndarray, num_samples: int, replacement: bool = False, generator: Any = None) -> np.ndarray:
    """Indices drawn from the rows of `probs` (1-d or 2-d, unnormalized weights), as PyTorch's CPU multinomial."""
    if probs.ndim not in (1, 2):
        raise RuntimeError(f"prob_dist must be 1 or 2 dim, got {probs.ndim}")
    if probs.dtype.kind != "f":
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: {probs.dtype}")
    n_categories = probs.shape[-1]
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > n_categories:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    rows = probs.reshape(-1, n_categories)
    gen = stream(generator)
    if not replacement or num_samples == 1:
        if not (np.isfinite(rows).all() and (rows >= 0).all()):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if (rows.sum(axis=1) == 0).any():
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        # the exponential race: argmax / top-k of p / q with q ~ Exp(1)
        q = exponential(rows.shape, 1.0, rows.dtype, gen)
        ratio = rows / q
        order = np.argsort(-ratio, axis=1, kind="stable")[:, :num_samples]
    else:
        if (rows < 0).any():
            raise RuntimeError("invalid multinomial distribution (encountering probability entry < 0)")
        if not np.isfinite(rows).all():
            raise RuntimeError("invalid multinomial distribution (encountering probability entry = infinity or NaN)")
        cumulative = np.cumsum(rows, axis=1, dtype=rows.dtype)
        total = cumulative[:, -1:]
        if (total <= 0).any():
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        cumulative = (cumulative / total).astype(np.float64)
        cumulative[:, -1] = 1.0
        u = _unit(gen, rows.shape[0] * num_samples, np.dtype(np.float64)).reshape(rows.shape[0], num_samples)
        order = np.stack([np.searchsorted(c, s, side="left") for c, s in zip(cumulative, u, strict=True)])
    return order.astype(np.int64).reshape(probs.shape[:-1] + (num_samples,))
