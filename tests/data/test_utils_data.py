"""tinygrad_adam.utils.data: datasets, samplers, collation, DataLoader and DistributedSampler (no torch needed)."""

import sys
import types
from collections import namedtuple

import numpy as np
import pytest

import tinygrad_adam as torch  # the way a PyTorch program imports it
from tinygrad_adam import Tensor
from tinygrad_adam.utils.data import (
    BatchSampler,
    ConcatDataset,
    DataLoader,
    Dataset,
    DistributedSampler,
    IterableDataset,
    RandomSampler,
    SequentialSampler,
    Subset,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
    default_collate,
    random_split,
)


def _pairs(n=100, seed=0):
    """The seed program's dataset: (1x28x28 float32 array in [0, 1], int label) pairs."""
    rng = np.random.default_rng(seed)
    return [(rng.random((1, 28, 28), dtype=np.float32), int(rng.integers(10))) for _ in range(n)]


class _NoItems(TensorDataset):
    def __getitem__(self, index):
        raise AssertionError("the vectorised path must not fetch items one by one")


# ---------------------------------------------------------------- names and collation


def test_torch_style_attribute_access():
    import tinygrad_adam.utils.data as data

    assert torch.utils.data.DataLoader is data.DataLoader is DataLoader
    assert torch.utils.data.distributed.DistributedSampler is DistributedSampler


def test_default_collate_array_int_pairs():
    items = _pairs(5)
    images, labels = default_collate(items)
    assert isinstance(images, Tensor) and images.shape == (5, 1, 28, 28) and images.dtype == np.float32
    assert isinstance(labels, Tensor) and labels.dtype == np.int64
    np.testing.assert_array_equal(images.detach().numpy()[3], items[3][0])
    assert labels.tolist() == [y for _, y in items]


def test_default_collate_rules():
    assert default_collate([1.5, 2.0]).dtype == np.float64
    assert default_collate([True, False]).dtype == np.bool_
    assert default_collate([np.int32(1), np.int32(2)]).dtype == np.int32  # NumPy scalars keep their dtype
    assert default_collate(["a", "b"]) == ["a", "b"]
    out = default_collate([{"x": np.zeros(2, np.float32), "y": 1}, {"x": np.ones(2, np.float32), "y": 2}])
    assert out["x"].shape == (2, 2) and out["y"].tolist() == [1, 2]
    Point = namedtuple("Point", "x y")
    p = default_collate([Point(1, 2.0), Point(3, 4.0)])
    assert isinstance(p, Point) and p.x.tolist() == [1, 3] and p.y.dtype == np.float64
    assert isinstance(default_collate([(1, 2), (3, 4)]), list)  # tuples collate into a list, as in PyTorch
    t = default_collate([Tensor(np.ones(3, np.float32)), Tensor(np.zeros(3, np.float32))])
    assert t.shape == (2, 3) and t.detach().numpy()[0].tolist() == [1, 1, 1]
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([np.zeros(2), np.zeros(3)])
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([(1, 2), (3,)])


# ---------------------------------------------------------------- DataLoader


def test_seed_program_loader_shapes_and_len():
    dataset = _pairs(150)
    loader = torch.utils.data.DataLoader(dataset=dataset, batch_size=64, shuffle=True)
    batches = list(loader)
    assert len(loader) == len(batches) == 3 and len(loader.dataset) == 150
    for images, labels in batches[:2]:
        assert images.shape == (64, 1, 28, 28) and images.dtype == np.float32
        assert labels.shape == (64,) and labels.dtype == np.int64
    assert batches[2][0].shape == (22, 1, 28, 28)
    seen = np.concatenate([x.detach().numpy() for x, _ in batches])
    assert sorted(map(bytes, seen)) == sorted(bytes(x) for x, _ in dataset)  # each sample once


def test_tensor_dataset_is_batched_by_indexing_not_item_by_item():
    X = np.arange(60, dtype=np.float32).reshape(30, 2)
    y = np.arange(30, dtype=np.int64)
    fast = DataLoader(_NoItems(X, y), batch_size=8, shuffle=True, generator=np.random.default_rng(1))
    slow = DataLoader(TensorDataset(X, y), batch_size=8, shuffle=True, generator=np.random.default_rng(1),
                      collate_fn=lambda batch: default_collate(batch))  # a custom collate_fn: item by item
    for (xa, ya), (xb, yb) in zip(fast, slow, strict=True):
        assert xa.dtype == xb.dtype and ya.dtype == yb.dtype
        np.testing.assert_array_equal(xa.detach().numpy(), xb.detach().numpy())
        np.testing.assert_array_equal(ya.detach().numpy(), yb.detach().numpy())


def test_tensor_dataset_of_tensors_and_subset_keep_the_fast_path():
    ds = _NoItems(Tensor(np.arange(10, dtype=np.float32)), np.arange(10) * 2)
    sub = Subset(ds, [9, 7, 5, 3, 1])
    (x, y), = list(DataLoader(sub, batch_size=5))
    assert x.tolist() == [9, 7, 5, 3, 1] and y.tolist() == [18, 14, 10, 6, 2]
    assert Subset(TensorDataset(np.arange(10)), [4, 2])[1][0] == 2


def test_generator_and_manual_seed_reproduce_the_order():
    ds = TensorDataset(np.arange(50))

    def order(loader):
        return np.concatenate([b[0].detach().numpy() for b in loader])

    g = torch.Generator().manual_seed(4)
    torch.randint(0, 2**63 - 1, (1,), generator=g)  # the loader's base seed: PyTorch's int64 random_() draw
    np.testing.assert_array_equal(order(DataLoader(ds, 7, shuffle=True, generator=torch.Generator().manual_seed(4))),
                                  torch.randperm(50, generator=g).numpy())
    torch.manual_seed(11)
    a = order(DataLoader(ds, 7, shuffle=True))
    torch.manual_seed(11)
    b = order(DataLoader(ds, 7, shuffle=True))
    np.testing.assert_array_equal(a, b)
    assert sorted(a.tolist()) == list(range(50)) and a.tolist() != list(range(50))


def test_worker_and_memory_options_behave_as_zero_workers():
    ds = TensorDataset(np.arange(20, dtype=np.float32))
    plain = [b[0].detach().numpy() for b in DataLoader(ds, 6, shuffle=True, generator=np.random.default_rng(0))]
    called = []
    loader = DataLoader(ds, 6, shuffle=True, generator=np.random.default_rng(0), num_workers=4, pin_memory=True,
                        persistent_workers=True, prefetch_factor=3, timeout=5, worker_init_fn=called.append)
    other = [b[0].detach().numpy() for b in loader]
    assert len(plain) == len(other) == 4 and called == []
    for a, b in zip(plain, other, strict=True):
        np.testing.assert_array_equal(a, b)
    assert torch.utils.data.get_worker_info() is None


def test_dataloader_option_errors():
    ds = TensorDataset(np.arange(10))
    with pytest.raises(ValueError, match="mutually exclusive with shuffle"):
        DataLoader(ds, sampler=SequentialSampler(ds), shuffle=True)
    with pytest.raises(ValueError, match="batch_sampler option is mutually exclusive"):
        DataLoader(ds, batch_size=4, batch_sampler=BatchSampler(SequentialSampler(ds), 2, False))
    with pytest.raises(ValueError, match="persistent_workers option needs num_workers > 0"):
        DataLoader(ds, persistent_workers=True)
    with pytest.raises(ValueError, match="num_workers option should be non-negative"):
        DataLoader(ds, num_workers=-1)
    with pytest.raises(ValueError, match="prefetch_factor"):
        DataLoader(ds, prefetch_factor=2)
    with pytest.raises(ValueError, match="timeout"):
        DataLoader(ds, timeout=-1)
    loader = DataLoader(ds, batch_size=3)
    with pytest.raises(ValueError, match="batch_size attribute should not be set"):
        loader.batch_size = 4


def test_batch_sampler_and_no_batching():
    ds = TensorDataset(np.arange(10) * 10)
    loader = DataLoader(ds, batch_sampler=BatchSampler(SequentialSampler(ds), 4, drop_last=True))
    assert [b[0].tolist() for b in loader] == [[0, 10, 20, 30], [40, 50, 60, 70]] and len(loader) == 2
    single = list(DataLoader(ds, batch_size=None))
    assert len(single) == 10 and isinstance(single[3], list) and single[3][0].shape == () and single[3][0].item() == 30
    with pytest.raises(ValueError, match="drop_last"):
        DataLoader(ds, batch_size=None, drop_last=True)


def test_map_dataset_subclass_and_iterable_dataset():
    class Squares(Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return {"i": i, "sq": float(i * i)}

    (first, second) = list(DataLoader(Squares(), batch_size=3))
    assert first["i"].tolist() == [0, 1, 2] and first["sq"].dtype == np.float64 and second["sq"].tolist() == [9, 16]

    class Stream(IterableDataset):
        def __iter__(self):
            return iter(range(7))

        def __len__(self):
            return 7

    assert [b.tolist() for b in DataLoader(Stream(), batch_size=3)] == [[0, 1, 2], [3, 4, 5], [6]]
    assert len(DataLoader(Stream(), batch_size=3, drop_last=True)) == 2
    with pytest.raises(ValueError, match="IterableDataset"):
        DataLoader(Stream(), shuffle=True)
    assert len(ConcatDataset([Squares(), Squares()])) == 10 and (Squares() + Squares())[7]["i"] == 2


# ---------------------------------------------------------------- datasets, random_split, samplers


def test_tensor_dataset_checks():
    with pytest.raises(ValueError, match="Size mismatch"):
        TensorDataset(np.zeros((3, 2)), np.zeros(4))
    with pytest.raises(TypeError, match="Tensors or NumPy arrays"):
        TensorDataset([1, 2, 3])
    ds = TensorDataset(np.zeros((3, 2)), Tensor(np.arange(3)))
    assert len(ds) == 3 and ds[2][1].item() == 2


@pytest.mark.parametrize("n, fractions, expected", [
    (10, [0.3, 0.3, 0.4], [3, 3, 4]), (11, [0.3, 0.3, 0.4], [4, 3, 4]), (5, [0.5, 0.5], [3, 2]),
])
def test_random_split_fractions(n, fractions, expected):
    parts = random_split(range(n), fractions, generator=np.random.default_rng(0))
    assert [len(p) for p in parts] == expected
    together = sorted(i for p in parts for i in p.indices)
    assert together == list(range(n))


def test_random_split_counts_generator_and_errors():
    a = random_split(range(20), [5, 15], generator=np.random.default_rng(3))
    b = random_split(range(20), [5, 15], generator=np.random.default_rng(3))
    assert a[0].indices == b[0].indices and isinstance(a[0], Subset)
    c = random_split(range(20), [5, 15], generator=torch.Generator().manual_seed(3))
    assert c[0].indices == torch.randperm(20, generator=torch.Generator().manual_seed(3))[:5].tolist()
    assert [a[0][i] for i in range(5)] == a[0].indices
    with pytest.raises(ValueError, match="Sum of input lengths"):
        random_split(range(20), [5, 10])
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        random_split(range(2), [0.9, 0.1])


def test_samplers():
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3]
    s = RandomSampler(range(10), generator=np.random.default_rng(0))
    assert sorted(s) == list(range(10)) and len(s) == 10
    r = list(RandomSampler(range(3), replacement=True, num_samples=50, generator=np.random.default_rng(0)))
    assert len(r) == 50 and set(r) == {0, 1, 2}
    over = list(RandomSampler(range(4), num_samples=10, generator=np.random.default_rng(0)))
    assert sorted(over[:4]) == sorted(over[4:8]) == [0, 1, 2, 3] and len(over) == 10
    assert sorted(SubsetRandomSampler([5, 7, 9], generator=np.random.default_rng(0))) == [5, 7, 9]
    w = list(WeightedRandomSampler([0, 0, 1.0], 6, generator=np.random.default_rng(0)))
    assert w == [2] * 6
    bs = BatchSampler(range(10), 3, drop_last=False)
    assert list(bs) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]] and len(bs) == 4
    assert len(BatchSampler(range(10), 3, drop_last=True)) == 3
    with pytest.raises(ValueError, match="batch_size should be a positive integer value"):
        BatchSampler(range(10), 0, False)
    with pytest.raises(ValueError, match="drop_last should be a boolean"):
        BatchSampler(range(10), 2, 1)
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        list(RandomSampler(range(3), generator=42))


# ---------------------------------------------------------------- DistributedSampler


@pytest.mark.parametrize("n, replicas", [(10, 3), (12, 4), (7, 2), (2, 5)])
def test_distributed_sampler_shares_are_disjoint_padded_and_cover(n, replicas):
    shares = [list(DistributedSampler(range(n), replicas, rank, seed=5)) for rank in range(replicas)]
    per_rank = -(-n // replicas)
    assert all(len(s) == per_rank for s in shares)
    flat = [i for s in shares for i in s]
    assert set(flat) == set(range(n))
    if n % replicas == 0:
        assert sorted(flat) == list(range(n))  # no padding needed: disjoint
    order = torch.randperm(n, generator=torch.Generator().manual_seed(5)).tolist()  # PyTorch's: seed + epoch
    padded = (order * (1 + replicas))[: per_rank * replicas]
    assert shares[1] == padded[1::replicas]


def test_distributed_sampler_drop_last_set_epoch_and_no_shuffle():
    dropped = [list(DistributedSampler(range(10), 3, r, drop_last=True)) for r in range(3)]
    assert all(len(s) == 3 for s in dropped) and len({i for s in dropped for i in s}) == 9
    s = DistributedSampler(range(20), 2, 0, seed=1)
    first = list(s)
    assert list(s) == first
    s.set_epoch(1)
    assert list(s) != first and list(s) == torch.randperm(20, generator=torch.Generator().manual_seed(2))[0::2].tolist()
    assert list(DistributedSampler(range(10), 3, 1, shuffle=False)) == [1, 4, 7, 0]
    with pytest.raises(ValueError, match=r"Invalid rank 3, rank should be in the interval \[0, 2\]"):
        DistributedSampler(range(10), 3, 3)


def test_distributed_sampler_defaults_from_process_group(monkeypatch):
    monkeypatch.delitem(sys.modules, "tinygrad_adam.distributed", raising=False)
    solo = DistributedSampler(range(6))
    assert (solo.num_replicas, solo.rank) == (1, 0)  # no (or no initialised) process group
    fake = types.ModuleType("tinygrad_adam.distributed")
    fake.is_initialized, fake.get_world_size, fake.get_rank = (lambda: True), (lambda: 4), (lambda: 2)
    monkeypatch.setitem(sys.modules, "tinygrad_adam.distributed", fake)
    monkeypatch.setattr(torch, "distributed", fake, raising=False)
    grouped = DistributedSampler(range(6))
    assert (grouped.num_replicas, grouped.rank, len(grouped)) == (4, 2, 2)
    fake.is_initialized = lambda: False
    assert DistributedSampler(range(6)).num_replicas == 1


def test_distributed_sampler_in_a_dataloader():
    ds = TensorDataset(np.arange(16))
    seen = []
    for rank in range(2):
        sampler = DistributedSampler(ds, num_replicas=2, rank=rank, seed=3)
        sampler.set_epoch(2)
        seen += [i for b in DataLoader(ds, batch_size=4, sampler=sampler) for i in b[0].tolist()]
    assert sorted(seen) == list(range(16))
