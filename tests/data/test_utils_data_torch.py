"""utils.data against torch.utils.data: lengths, batch structure, shapes and dtypes (skipped without torch)."""

from collections import namedtuple

import numpy as np
import pytest

from tinygrad_adam.utils import data as ours

torch = pytest.importorskip("torch")
theirs = torch.utils.data


def _items(n, seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.random((1, 28, 28), dtype=np.float32), int(rng.integers(10))) for _ in range(n)]


def _describe(batch):
    """Structure, shape and dtype of a collated batch, framework-neutral."""
    if isinstance(batch, dict):
        return {k: _describe(v) for k, v in batch.items()}
    if isinstance(batch, list | tuple):
        return (type(batch).__name__, [_describe(b) for b in batch])
    return (tuple(batch.shape), str(batch.dtype).replace("torch.", ""))


@pytest.mark.parametrize("n, batch_size, drop_last", [(150, 64, False), (150, 64, True), (10, 3, False), (5, 8, False)])
def test_loader_batches_match(n, batch_size, drop_last):
    items = _items(n)
    a = list(ours.DataLoader(items, batch_size=batch_size, drop_last=drop_last))
    b = list(theirs.DataLoader(items, batch_size=batch_size, drop_last=drop_last))
    assert len(a) == len(b) == len(ours.DataLoader(items, batch_size=batch_size, drop_last=drop_last))
    for x, y in zip(a, b, strict=True):
        assert _describe(x) == _describe(y)
        np.testing.assert_array_equal(x[0].detach().numpy(), y[0].detach().numpy())
        np.testing.assert_array_equal(x[1].detach().numpy(), y[1].detach().numpy())


def test_collate_structures_match():
    Point = namedtuple("Point", "x y")
    cases = [
        [{"a": 1, "b": 2.5, "c": np.ones(3, np.float32)}, {"a": 2, "b": 0.5, "c": np.zeros(3, np.float32)}],
        [(1, True), (2, False)],
        [np.int32(3), np.int32(4)],
        [np.arange(4, dtype=np.uint8), np.arange(4, dtype=np.uint8)],
    ]
    for batch in cases:
        assert _describe(ours.default_collate(batch)) == _describe(theirs.default_collate(batch))
    p = ours.default_collate([Point(1, 2.0), Point(3, 4.0)])
    q = theirs.default_collate([Point(1, 2.0), Point(3, 4.0)])
    assert type(p) is Point and [str(v.dtype) for v in p] == [str(v.dtype) for v in q]


@pytest.mark.parametrize("n, lengths", [(10, [0.3, 0.3, 0.4]), (11, [0.3, 0.3, 0.4]), (7, [0.5, 0.5]), (9, [2, 7])])
def test_random_split_lengths_match(n, lengths):
    a = ours.random_split(range(n), lengths)
    b = theirs.random_split(range(n), lengths)
    assert [len(s) for s in a] == [len(s) for s in b]


@pytest.mark.parametrize("n, replicas, drop_last", [(10, 3, False), (10, 3, True), (2, 5, False), (12, 4, False)])
def test_distributed_sampler_without_shuffle_matches(n, replicas, drop_last):
    for rank in range(replicas):
        a = ours.DistributedSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
        b = theirs.DistributedSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
        assert list(a) == list(b) and len(a) == len(b)


def test_batch_sampler_matches():
    for drop_last in (False, True):
        a = ours.BatchSampler(ours.SequentialSampler(range(11)), 4, drop_last)
        b = theirs.BatchSampler(theirs.SequentialSampler(range(11)), 4, drop_last)
        assert list(a) == list(b) and len(a) == len(b)


@pytest.mark.parametrize("options", [{"pin_memory": True}, {"pin_memory": True, "pin_memory_device": "cpu"}, {}])
def test_pin_memory_on_a_cpu_warns_as_torch_when_iteration_starts(options: dict) -> None:
    """minGPT's Trainer asks for pin_memory=True: PyTorch's CPU build warns that it is not used."""
    import warnings

    from tinygrad_adam.utils.data import DataLoader

    caught = {}
    for name, make in (("ours", DataLoader), ("torch", torch.utils.data.DataLoader)):
        loader = make(list(range(4)), batch_size=2, **options)
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            iterator = iter(loader)
        next(iterator)
        caught[name] = [(w.category, str(w.message)) for w in seen]
    assert caught["ours"] == caught["torch"]
    assert len(caught["ours"]) == len(options)
