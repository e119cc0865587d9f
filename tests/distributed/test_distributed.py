"""tinygrad_adam.distributed and nn.parallel.DistributedDataParallel.

In-process tests use the one-process group that needs no MPI (mpi4py hidden from import), so the
test process never initialises MPI. The jobs in mpi_jobs.py run under a real `mpiexec -n 2`; they
skip only when mpi4py is not importable, and a hung job fails its test through a timeout.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest
from support.mpi import HAS_MPI4PY, JOB_TIMEOUT, JOBS, ROOT, job_env, mpiexec, needs_mpi, run_job  # noqa: F401

import tinygrad_adam as tg
import tinygrad_adam.distributed as dist
from tinygrad_adam import nn
from tinygrad_adam.nn import functional as F


def two_ranks(*job: str, module_mpi4py: bool = True) -> list[str]:
    launch = [sys.executable, "-m", "mpi4py"] if module_mpi4py else [sys.executable]
    return [mpiexec(), "-n", "2", *launch, str(JOBS), *job]


# ----- the jobs under mpiexec -----------------------------------------------------------------------------------------
@needs_mpi
def test_each_rank_takes_its_share_of_the_cores() -> None:
    result, _ = run_job(two_ranks("threads"))
    assert result.returncode == 0, result.stderr
    lines = sorted(re.findall(r"rank \d: cores \d+ blas \[\d+\] passes \d+", result.stdout))
    cores = int(lines[0].split()[3])
    share = max(1, cores // 2)
    assert lines == [f"rank {r}: cores {cores} blas [{share}] passes {min(4, share)}" for r in (0, 1)]


@needs_mpi
def test_two_ranks_train_the_same_parameters_as_one_process(tmp_path: Path) -> None:
    steps = 3
    single, _ = run_job([sys.executable, str(JOBS), "train", str(tmp_path / "one"), str(steps)])
    assert single.returncode == 0, single.stderr  # one process: no mpiexec needed
    double, _ = run_job(two_ranks("train", str(tmp_path / "two"), str(steps)))
    assert double.returncode == 0, double.stderr
    one = np.load(tmp_path / "one.rank0.npz")
    rank0, rank1 = np.load(tmp_path / "two.rank0.npz"), np.load(tmp_path / "two.rank1.npz")
    assert int(one["world"]) == 1 and int(rank0["world"]) == 2 and int(rank1["world"]) == 2
    names = [k for k in one.files if "." in k]
    assert names == ["features.0.weight", "features.0.bias", "head.weight", "head.bias"]
    for name in names:
        np.testing.assert_array_equal(rank0[name], rank1[name], err_msg=name)  # bitwise the same on both ranks
        np.testing.assert_allclose(rank0[name], one[name], rtol=1e-5, atol=1e-6, err_msg=name)
    # rank 0's buffer reached rank 1 at construction; one allreduce per step (one bucket)
    np.testing.assert_array_equal(rank1["marker_after_init"], [1.0, 1.0])
    assert int(rank0["allreduce_calls"]) == steps and int(rank1["allreduce_calls"]) == steps


@needs_mpi
@pytest.mark.parametrize("module_mpi4py", [False, True], ids=["excepthook", "python-m-mpi4py"])
def test_a_rank_that_raises_ends_the_job_promptly(module_mpi4py: bool) -> None:
    result, seconds = run_job(two_ranks("raise", module_mpi4py=module_mpi4py))
    assert result.returncode != 0
    assert "FileNotFoundError: rank 1 cannot find its data" in result.stderr
    assert "rank 0 got past" not in result.stdout
    assert seconds < 20


@needs_mpi
def test_sys_exit_on_one_rank_ends_the_job_under_python_m_mpi4py() -> None:
    result, seconds = run_job(two_ranks("exit"))
    assert result.returncode != 0
    assert "rank 1: MNIST files not found" in result.stderr
    assert seconds < 20


@needs_mpi
def test_a_killed_rank_ends_the_job_promptly() -> None:
    result, seconds = run_job(two_ranks("kill"))
    assert result.returncode != 0
    assert "rank 0 got past" not in result.stdout
    assert seconds < 20


@needs_mpi
@pytest.mark.parametrize("variable", ["PMI_SIZE", "OMPI_COMM_WORLD_SIZE"])
def test_a_launcher_that_claims_more_ranks_than_mpi_sees_is_refused(variable: str) -> None:
    result, _ = run_job([sys.executable, str(JOBS), "init"], **{variable: "2"})
    assert result.returncode != 0
    assert f"launcher started 2 processes ({variable}=2) but MPI sees a world of 1" in result.stderr
    assert "rank 0 of 1" not in result.stdout


@needs_mpi
def test_one_process_with_mpi4py_needs_no_mpiexec() -> None:
    result, _ = run_job([sys.executable, str(JOBS), "init"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "rank 0 of 1"


# ----- the one-process group, in this process -------------------------------------------------------------------------
@pytest.fixture
def no_mpi(monkeypatch: pytest.MonkeyPatch):
    """A world of one without MPI: mpi4py hidden from import, no launcher variables."""
    monkeypatch.setitem(sys.modules, "mpi4py", None)
    for name in dist.LAUNCHER_SIZE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    yield
    if dist.is_initialized():
        dist.destroy_process_group()


def test_one_process_group_without_mpi4py(no_mpi) -> None:
    assert not dist.is_initialized()
    with pytest.raises(RuntimeError, match="has not been initialized"):
        dist.get_rank()
    excepthook = sys.excepthook
    dist.init_process_group("mpi")
    assert dist.is_initialized() and sys.excepthook is excepthook  # nothing to abort in a world of one
    assert (dist.get_rank(), dist.get_world_size(), dist.get_backend()) == (0, 1, "mpi")
    t = tg.Tensor([1.0, 2.0, 3.0])
    dist.all_reduce(t)
    dist.all_reduce(t, op=dist.ReduceOp.AVG)
    dist.broadcast(t, src=0)
    assert dist.all_reduce(t, async_op=True).wait()
    dist.barrier()
    np.testing.assert_array_equal(t.detach().numpy(), [1.0, 2.0, 3.0])
    gathered = [None]
    dist.all_gather_object(gathered, {"loss": 0.5})
    assert gathered == [{"loss": 0.5}]
    with pytest.raises(RuntimeError, match="twice"):
        dist.init_process_group("mpi")
    dist.destroy_process_group()
    assert not dist.is_initialized()


def test_a_launcher_without_mpi4py_is_refused(no_mpi, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMI_SIZE", "4")
    with pytest.raises(RuntimeError, match=r"PMI_SIZE=4 says a launcher started 4 processes, but mpi4py is not"):
        dist.init_process_group()
    assert not dist.is_initialized()


def test_init_process_group_rejects_what_mpi_cannot_do(no_mpi) -> None:
    with pytest.raises(ValueError, match="backend 'nccl' is not supported"):
        dist.init_process_group("nccl")
    with pytest.raises(ValueError, match="init_method"):
        dist.init_process_group("mpi", init_method="tcp://10.0.0.1:23456")
    with pytest.raises(ValueError, match="world_size=2, rank=-1 were asked for but the launcher gave world size 1"):
        dist.init_process_group("mpi", world_size=2)
    assert not dist.is_initialized()
    dist.init_process_group()
    with pytest.raises(ValueError, match="src=1 is not a rank"):
        dist.broadcast(tg.Tensor([1.0]), src=1)
    with pytest.raises(TypeError, match="ReduceOp.AVG needs a floating-point tensor"):
        dist.all_reduce(np.ones(2, dtype=np.int64), op=dist.ReduceOp.AVG)


# ----- DistributedDataParallel in a world of one ----------------------------------------------------------------------
def make_model() -> nn.Module:
    tg.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))


def loss_of(model: nn.Module, rows: slice = slice(None)) -> tg.Tensor:
    x = np.random.default_rng(1).normal(size=(6, 4)).astype(np.float32)
    return F.cross_entropy(model(tg.Tensor(x[rows])), np.array([0, 1, 2, 0, 1, 2])[rows])


def test_ddp_needs_a_process_group() -> None:
    assert not dist.is_initialized()
    with pytest.raises(RuntimeError, match="call init_process_group"):
        nn.parallel.DistributedDataParallel(make_model())


def test_ddp_in_a_world_of_one_gives_the_plain_gradients(no_mpi, monkeypatch: pytest.MonkeyPatch) -> None:
    dist.init_process_group()
    plain, wrapped = make_model(), make_model()
    ddp = nn.parallel.DistributedDataParallel(wrapped, bucket_cap_mb=100 / 2**20)  # 100-byte buckets
    calls = []
    real = dist.all_reduce
    monkeypatch.setattr(dist, "all_reduce", lambda t, *a, **k: (calls.append(t.size), real(t, *a, **k)))
    loss_of(plain).backward()
    loss_of(ddp).backward()
    for (name, p), q in zip(plain.named_parameters(), ddp.module.parameters(), strict=True):
        np.testing.assert_array_equal(p.grad, q.grad, err_msg=name)
    # 100-byte buckets hold one parameter each here: four allreduces, each as its last gradient arrives
    assert sorted(calls) == [3, 8, 24, 32]
    assert ddp.module is wrapped and [n for n, _ in ddp.named_parameters()][0] == "module.0.weight"


def test_ddp_no_sync_accumulates_without_allreduce(no_mpi, monkeypatch: pytest.MonkeyPatch) -> None:
    dist.init_process_group()
    ddp = nn.parallel.DistributedDataParallel(make_model())
    calls = []
    monkeypatch.setattr(dist, "all_reduce", lambda t, *a, **k: calls.append(t.size))
    with ddp.no_sync():
        loss_of(ddp, slice(0, 3)).backward()
    assert calls == []
    loss_of(ddp, slice(3, 6)).backward()
    assert calls == [sum(p.numel() for p in ddp.parameters())]  # one flat allreduce of everything


def test_ddp_refuses_a_parameter_left_without_gradient(no_mpi) -> None:
    dist.init_process_group()
    model = make_model()
    ddp = nn.parallel.DistributedDataParallel(model)
    x = tg.Tensor(np.ones((2, 4), np.float32))
    F.cross_entropy(model[0](x)[:, :3], np.array([0, 1])).backward()  # the last Linear gets no gradient
    with pytest.raises(RuntimeError, match=r"did not give a gradient to 2\.bias, 2\.weight, so"):
        ddp(x)
    ddp(x)  # the error is raised once; the next step starts clean


def test_ddp_state_dict_keeps_the_module_prefix_and_loads_either_form(no_mpi) -> None:
    dist.init_process_group()
    source, target = make_model(), nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    ddp = nn.parallel.DistributedDataParallel(target)
    assert list(nn.parallel.DistributedDataParallel(source).state_dict())[:2] == ["module.0.weight", "module.0.bias"]
    ddp.load_state_dict(source.state_dict())  # the plain model's keys
    np.testing.assert_array_equal(target[0].weight.detach().numpy(), source[0].weight.detach().numpy())
    target[0].weight.detach().numpy()[...] = 0
    ddp.load_state_dict({f"module.{k}": v for k, v in source.state_dict().items()})  # DDP's own keys
    np.testing.assert_array_equal(target[0].weight.detach().numpy(), source[0].weight.detach().numpy())
    with pytest.raises(RuntimeError, match='Missing key'):
        ddp.load_state_dict({"0.weight": source[0].weight.detach().numpy()})


def test_ddp_rejects_options_it_cannot_honour(no_mpi) -> None:
    dist.init_process_group()
    with pytest.raises(ValueError, match="find_unused_parameters"):
        nn.parallel.DistributedDataParallel(make_model(), find_unused_parameters=True)
    with pytest.raises(ValueError, match="device_ids"):
        nn.parallel.DistributedDataParallel(make_model(), device_ids=[0])


# ----- the engine hook DDP is built on --------------------------------------------------------------------------------
def test_post_accumulate_grad_hook_sees_the_accumulated_gradient() -> None:
    w = tg.Tensor([1.0, 2.0], requires_grad=True)
    seen = []
    handle = w.register_post_accumulate_grad_hook(lambda t: seen.append(np.array(t.grad)))
    (w * w).sum().backward()  # w is used twice: one call, with the summed gradient
    (w * 3).sum().backward()
    np.testing.assert_array_equal(seen[0], [2.0, 4.0])
    np.testing.assert_array_equal(seen[1], [5.0, 7.0])
    handle.remove()
    (w * 1).sum().backward()
    assert len(seen) == 2
    with pytest.raises(RuntimeError, match="leaf"):
        (w * 2).register_post_accumulate_grad_hook(print)
