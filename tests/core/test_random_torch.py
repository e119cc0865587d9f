"""Same seed, same numbers: every random function against PyTorch's CPU generator, value for value."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam as tg  # noqa: E402
from tinygrad_adam.utils.data import (  # noqa: E402
    DataLoader,
    RandomSampler,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
    random_split,
)

SEEDS = [0, 1, 42, 2147483647]
SIZES = [1, 7, 15, 16, 17, 1000]
DTYPES = [(np.float32, torch.float32, tg.float32), (np.float64, torch.float64, tg.float64),
          (np.float16, torch.float16, tg.float16)]
# PyTorch's float32 normal_ for 16+ elements is its AVX2 kernel's (mirrored here); elsewhere its scalar one
AVX2 = torch.backends.cpu.get_cpu_capability() in ("AVX2", "AVX512")
INTEL_MKL = torch.backends.mkl.is_available() and "GenuineIntel" in open("/proc/cpuinfo").read()


def _same(ours, theirs):
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    ours = ours.numpy() if isinstance(ours, tg.Tensor) else np.asarray(ours)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)


def _pair(seed):
    return tg.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dt", DTYPES, ids=["float32", "float64", "float16"])
def test_float_streams(seed, n, dt):
    _, tdt, gdt = dt
    g, t = _pair(seed)
    _same(tg.rand(n, generator=g, dtype=gdt), torch.rand(n, generator=t, dtype=tdt))
    if tdt is torch.float64 or n < 16 or AVX2:
        _same(tg.randn(n, generator=g, dtype=gdt), torch.randn(n, generator=t, dtype=tdt))
        _same(tg.zeros(n, dtype=gdt).normal_(0.5, 2.5, generator=g),
              torch.zeros(n, dtype=tdt).normal_(0.5, 2.5, generator=t))
    _same(tg.zeros(n, dtype=gdt).uniform_(-0.3, 0.45, generator=g),
          torch.zeros(n, dtype=tdt).uniform_(-0.3, 0.45, generator=t))
    _same(tg.zeros(n, dtype=gdt).exponential_(1.5, generator=g),
          torch.zeros(n, dtype=tdt).exponential_(1.5, generator=t))
    _same(tg.rand(2, 3, generator=g), torch.rand(2, 3, generator=t))  # still in step


@pytest.mark.skipif(not AVX2, reason="PyTorch's float32 normal_ is its AVX2 kernel's only on AVX2 machines")
@pytest.mark.parametrize("dt", DTYPES[:2], ids=["float32", "float64"])
def test_large_normal_fills_over_several_pieces(dt):
    # 10**6 numbers: every piece the kernel works in, the partial block at the end, then the streams still in step
    _, tdt, gdt = dt
    g, t = _pair(3)
    _same(tg.randn(10**6 + 9, generator=g, dtype=gdt), torch.randn(10**6 + 9, generator=t, dtype=tdt))
    ours = tg.zeros(300001, dtype=gdt).normal_(-0.25, 0.02, generator=g).numpy()
    theirs = torch.zeros(300001, dtype=tdt).normal_(-0.25, 0.02, generator=t).numpy()
    if tdt is torch.float32:
        _same(ours, theirs)
    else:  # float64's fused n * std + mean goes through long double: within an ulp (docs/pytorch.md)
        np.testing.assert_array_max_ulp(ours, theirs, maxulp=1)
    _same(tg.rand(5, generator=g), torch.rand(5, generator=t))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
def test_integer_streams(seed, n):
    g, t = _pair(seed)
    _same(tg.randint(3, 17, (n,), generator=g), torch.randint(3, 17, (n,), generator=t))
    _same(tg.randint(2**40, size=(n,), generator=g), torch.randint(2**40, size=(n,), generator=t))  # 64-bit draws
    _same(tg.randint(-5, 2**28 - 5, (n,), generator=g), torch.randint(-5, 2**28 - 5, (n,), generator=t))
    _same(tg.randint(0, 2**28 - 1, (n,), generator=g), torch.randint(0, 2**28 - 1, (n,), generator=t))
    _same(tg.randint(-5, 5, (n,), generator=g, dtype=tg.int32), torch.randint(-5, 5, (n,), generator=t,
                                                                             dtype=torch.int32))
    _same(tg.randperm(n, generator=g), torch.randperm(n, generator=t))
    for dtype, tdtype in [(tg.int64, torch.int64), (tg.int32, torch.int32), (tg.uint8, torch.uint8),
                          (tg.float32, torch.float32), (tg.float64, torch.float64), (tg.bool, torch.bool)]:
        _same(tg.zeros(n, dtype=dtype).random_(generator=g),
              torch.zeros(n, dtype=tdtype).random_(generator=t))
    for dtype, tdtype in [(tg.int64, torch.int64), (tg.int32, torch.int32), (tg.float32, torch.float32)]:
        for args in [(7,), (2, 9), (3, None)]:
            _same(tg.zeros(n, dtype=dtype).random_(*args, generator=g),
                  torch.zeros(n, dtype=tdtype).random_(*args, generator=t))
    _same(tg.zeros(n, dtype=tg.int64).random_(-(2**63), None, generator=g),
          torch.zeros(n, dtype=torch.int64).random_(-(2**63), None, generator=t))
    _same(tg.rand(3, generator=g), torch.rand(3, generator=t))


@pytest.mark.parametrize("seed", SEEDS)
def test_default_generator_and_interleaved_calls_stay_in_step(seed):
    tg.manual_seed(seed)
    torch.manual_seed(seed)
    for _ in range(3):  # the scalar normal path's cached sample carries over between calls
        _same(tg.rand(3), torch.rand(3))
        _same(tg.randn(1), torch.randn(1))
        _same(tg.randn(5, dtype=tg.float64), torch.randn(5, dtype=torch.float64))
        _same(tg.randperm(30), torch.randperm(30))
        _same(tg.randn(4, 8), torch.randn(4, 8))
        _same(tg.randint(0, 100, (7,)), torch.randint(0, 100, (7,)))
    _same(tg.get_rng_state(), torch.get_rng_state())  # byte for byte, cached normal included


@pytest.mark.parametrize("seed", SEEDS)
def test_likes_normal_with_tensors_and_bernoulli(seed):
    g, t = _pair(seed)
    x = np.linspace(0.0, 1.0, 23, dtype=np.float32)
    gx, tx = tg.tensor(x), torch.tensor(x)
    _same(tg.rand_like(gx, generator=g), torch.rand_like(tx, generator=t))
    _same(tg.randn_like(gx, generator=g), torch.randn_like(tx, generator=t))
    _same(tg.randint_like(gx, 3, 9, generator=g), torch.randint_like(tx, 3, 9, generator=t))
    std = np.linspace(0.5, 2.0, 23, dtype=np.float32)
    _same(tg.normal(gx, tg.tensor(std), generator=g), torch.normal(tx, torch.tensor(std), generator=t))
    _same(tg.normal(gx, 2.0, generator=g), torch.normal(tx, 2.0, generator=t))
    _same(tg.normal(1.0, tg.tensor(std), generator=g), torch.normal(1.0, torch.tensor(std), generator=t))
    _same(tg.normal(2.0, 3.0, (4, 5), generator=g), torch.normal(2.0, 3.0, (4, 5), generator=t))
    for dtype in [np.float32, np.float64]:  # 24-bit uniforms against float32 p, 53-bit against float64 p
        p = np.linspace(0.0, 1.0, 40).astype(dtype)
        _same(tg.bernoulli(tg.tensor(p), generator=g), torch.bernoulli(torch.tensor(p), generator=t))
    if not INTEL_MKL:  # PyTorch's scalar-p bernoulli_ uses MKL's stream on Intel CPUs
        _same(tg.zeros(50).bernoulli_(0.3, generator=g), torch.zeros(50).bernoulli_(0.3, generator=t))
    _same(tg.rand(2, generator=g), torch.rand(2, generator=t))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", [(27,), (5, 27), (3, 1000)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_multinomial(seed, shape, dtype):
    p = (np.random.default_rng(seed).random(shape) ** 3).astype(dtype)
    g, t = _pair(seed)
    for num, replacement in [(1, True), (1, False), (5, True), (4, False), (17, True)]:
        _same(tg.multinomial(tg.tensor(p), num, replacement, generator=g),
              torch.multinomial(torch.tensor(p), num, replacement, generator=t))
    _same(tg.rand(2, generator=g), torch.rand(2, generator=t))


def test_makemore_idiom_prints_the_lectures_numbers():
    def sample(lib):
        g = lib.Generator().manual_seed(2147483647)
        W = lib.randn((27, 27), generator=g)
        out = []
        for _ in range(20):
            ix = 0
            while True:
                p = W[ix].exp()
                p = p / p.sum()
                ix = lib.multinomial(p, num_samples=1, replacement=True, generator=g).item()
                out.append(ix)
                if ix == 0:
                    break
        return W.numpy() if lib is tg else W.detach().numpy(), out

    ours, theirs = sample(tg), sample(torch)
    np.testing.assert_array_equal(ours[0], theirs[0])
    assert ours[1] == theirs[1]


def test_state_exchanges_with_pytorch():
    torch.manual_seed(3)
    torch.rand(10)
    torch.randn(3)  # a cached normal sample in the state
    g = tg.Generator()
    g.set_state(tg.tensor(torch.get_rng_state().numpy()))
    _same(g.get_state(), torch.get_rng_state())
    _same(tg.randn(5, generator=g), torch.randn(5))
    g = tg.Generator().manual_seed(9)
    tg.rand(700, generator=g)
    tg.randn(1, generator=g)
    t = torch.Generator()
    t.set_state(torch.from_numpy(g.get_state().numpy()))
    _same(tg.randn(3, generator=g), torch.randn(3, generator=t))
    for k in [0, 1, 623, 624, 625, 1300]:
        g, t = _pair(4)
        tg.rand(k, generator=g)
        torch.rand(k, generator=t)
        _same(g.get_state(), t.get_state())


@pytest.mark.parametrize("seed", [0, 7])
def test_default_initialisation_of_layers_is_pytorchs(seed):
    tg.manual_seed(seed)
    torch.manual_seed(seed)
    pairs = [(tg.nn.Linear(3, 4), torch.nn.Linear(3, 4)), (tg.nn.Conv2d(2, 3, 3), torch.nn.Conv2d(2, 3, 3)),
             (tg.nn.Linear(5, 2, bias=False), torch.nn.Linear(5, 2, bias=False))]
    for ours, theirs in pairs:
        for (name, p), (tname, q) in zip(ours.named_parameters(), theirs.named_parameters(), strict=True):
            assert name == tname
            _same(p.detach(), q)
    g, t = _pair(seed)
    a, b = tg.zeros(6, 5), torch.zeros(6, 5)
    _same(tg.nn.init.xavier_normal_(a, generator=g), torch.nn.init.xavier_normal_(b, generator=t))
    _same(tg.nn.init.kaiming_uniform_(a, generator=g), torch.nn.init.kaiming_uniform_(b, generator=t))


def _order(loader):
    return [int(i) for batch in loader for i in batch[0].numpy().ravel()]


@pytest.mark.parametrize("seed", [0, 5])
def test_dataloader_and_samplers_visit_pytorchs_order(seed):
    n = 37
    ours = TensorDataset(tg.arange(n))
    theirs = torch.utils.data.TensorDataset(torch.arange(n))
    tg.manual_seed(seed)
    torch.manual_seed(seed)
    a, b = DataLoader(ours, 5, shuffle=True), torch.utils.data.DataLoader(theirs, 5, shuffle=True)
    for _ in range(2):
        assert _order(a) == _order(b)
    g, t = _pair(seed)
    a = DataLoader(ours, 4, shuffle=True, generator=g)
    b = torch.utils.data.DataLoader(theirs, 4, shuffle=True, generator=t)
    for _ in range(2):
        assert _order(a) == _order(b)
    g, t = _pair(seed)
    assert list(RandomSampler(range(10), replacement=True, num_samples=70, generator=g)) == list(
        torch.utils.data.RandomSampler(range(10), replacement=True, num_samples=70, generator=t))
    assert list(RandomSampler(range(10), num_samples=23, generator=g)) == list(
        torch.utils.data.RandomSampler(range(10), num_samples=23, generator=t))
    assert list(SubsetRandomSampler([5, 7, 9, 11], generator=g)) == list(
        torch.utils.data.SubsetRandomSampler([5, 7, 9, 11], generator=t))
    w = [0.1, 0.5, 0.2, 0.2]
    assert list(WeightedRandomSampler(w, 9, generator=g)) == list(
        torch.utils.data.WeightedRandomSampler(w, 9, generator=t))
    assert list(WeightedRandomSampler(w, 3, replacement=False, generator=g)) == list(
        torch.utils.data.WeightedRandomSampler(w, 3, replacement=False, generator=t))
    parts = random_split(range(20), [0.3, 0.7], generator=g)
    tparts = torch.utils.data.random_split(range(20), [0.3, 0.7], generator=t)
    assert [p.indices for p in parts] == [p.indices for p in tparts]
    tg.manual_seed(seed)
    torch.manual_seed(seed)
    assert [p.indices for p in random_split(range(9), [4, 5])] == [
        p.indices for p in torch.utils.data.random_split(range(9), [4, 5])]
    sampler = tg.utils.data.DistributedSampler(range(11), 3, 1, seed=seed)
    tsampler = torch.utils.data.DistributedSampler(range(11), 3, 1, seed=seed)
    for epoch in range(2):
        sampler.set_epoch(epoch)
        tsampler.set_epoch(epoch)
        assert list(sampler) == list(tsampler)


@pytest.mark.skipif(INTEL_MKL, reason="PyTorch draws CPU dropout masks from MKL's stream on Intel CPUs")
@pytest.mark.parametrize("p", [0.1, 0.25, 0.5])
def test_dropout_masks_are_pytorchs(p):
    tg.manual_seed(1)
    torch.manual_seed(1)
    x, tx = tg.randn(8, 40), torch.randn(8, 40)
    _same(tg.nn.functional.dropout(x, p), torch.nn.functional.dropout(tx, p))
    _same(tg.nn.Dropout(p)(x), torch.nn.Dropout(p)(tx))


def test_factories_write_into_out_as_torch() -> None:
    """torch.rand(2, 2, out=c) (the introyt tensors tutorial): c's dtype, the same numbers, c returned."""
    results = []
    for lib in (tg, torch):
        lib.manual_seed(0)
        out = lib.zeros(2, 3, dtype=lib.float64)
        made = [getattr(lib, name)(2, 3, out=out).numpy().copy() for name in ("rand", "randn", "ones", "zeros")]
        results.append((made, lib.rand(2, out=out) is out, str(out.dtype).split(".")[-1]))
    for a, b in zip(results[0][0], results[1][0], strict=True):
        np.testing.assert_array_equal(a, b)
    assert results[0][1:] == results[1][1:] == (True, "float64")
