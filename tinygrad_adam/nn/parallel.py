"""DistributedDataParallel: the same model on every rank, trained on each rank's share of the batch.

    dist.init_process_group("mpi")
    model = nn.parallel.DistributedDataParallel(build_model())   # rank 0's weights on every rank
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    loss = F.cross_entropy(model(x_local), y_local)               # x_local: this rank's batch_size / N rows
    loss.backward()                                               # grads now averaged over every rank
    optimizer.step()                                              # identical step on every rank

The gradients are averaged over ranks, as in PyTorch: with a global batch of B examples split
into equal shares of B / N and a loss that is a mean over the local share, the average is the
gradient of the mean loss over all B examples, the one a single process computes with batch B.

During backward each parameter's post-accumulate-grad hook marks it ready; when every parameter
of a bucket (up to `bucket_cap_mb` of same-dtype gradients, in reverse definition order, as
gradients arrive) is ready, the bucket is copied into one flat array, averaged with a single
allreduce and copied back into the `.grad` arrays. The MNIST CNN fits in one bucket: one
allreduce per step. Every parameter that requires grad must receive a gradient in every
backward; one that does not leaves its bucket unreduced, and the next forward raises.

state_dict keys carry the `module.` prefix, as PyTorch's DDP does; `load_state_dict` accepts
keys with or without it. To write checkpoints that load into the plain model on any number of
ranks, save `ddp.module.state_dict()`.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np

from .. import distributed as dist
from ..core.tensor import Tensor
from .module import IncompatibleKeys, Module, Parameter


def _grad_array(p: Parameter) -> np.ndarray:
    return p.grad.array if isinstance(p.grad, Tensor) else p.grad


def _broadcast_arrays(arrays: list[np.ndarray], src: int = 0) -> None:
    """Overwrite every array with rank `src`'s values: one broadcast per dtype."""
    for dtype in sorted({a.dtype for a in arrays}, key=str):
        group = [a for a in arrays if a.dtype == dtype]
        flat = np.concatenate([a.ravel() for a in group])
        dist.broadcast(flat, src)
        offset = 0
        for a in group:
            np.copyto(a, flat[offset:offset + a.size].reshape(a.shape))
            offset += a.size


class _Bucket:
    def __init__(self, named: list[tuple[str, Parameter]]):
        self.named = named
        self.flat = np.empty(sum(p.numel() for _, p in named), dtype=named[0][1].dtype)
        self.ready: set[int] = set()

    def reduce(self) -> None:
        offset = 0
        for _, p in self.named:
            self.flat[offset:offset + p.numel()] = _grad_array(p).ravel()
            offset += p.numel()
        dist.all_reduce(self.flat, dist.ReduceOp.AVG)
        offset = 0
        for _, p in self.named:
            np.copyto(_grad_array(p), self.flat[offset:offset + p.numel()].reshape(p.shape))
            offset += p.numel()


class _Reducer:
    """The buckets and the hook that reduces each one when its last gradient arrives."""

    def __init__(self, named_params: list[tuple[str, Parameter]], bucket_cap_bytes: int):
        self.buckets: list[_Bucket] = []
        for dtype in dict.fromkeys(p.dtype for _, p in named_params):
            current: list[tuple[str, Parameter]] = []
            current_bytes = 0
            for name, p in reversed([(n, p) for n, p in named_params if p.dtype == dtype]):
                if current and current_bytes + p.array.nbytes > bucket_cap_bytes:
                    self.buckets.append(_Bucket(current))
                    current, current_bytes = [], 0
                current.append((name, p))
                current_bytes += p.array.nbytes
            if current:
                self.buckets.append(_Bucket(current))
        self.bucket_of = {id(p): b for b in self.buckets for _, p in b.named}
        self.sync = True

    def grad_ready(self, p: Parameter) -> None:
        if not self.sync:
            return
        bucket = self.bucket_of[id(p)]
        bucket.ready.add(id(p))
        if len(bucket.ready) == len(bucket.named):
            bucket.ready.clear()
            bucket.reduce()

    def check_finished(self) -> None:
        unfinished = [name for b in self.buckets if b.ready for name, p in b.named if id(p) not in b.ready]
        if unfinished:
            for b in self.buckets:
                b.ready.clear()
            raise RuntimeError(
                "DistributedDataParallel: the previous backward did not give a gradient to "
                f"{', '.join(unfinished)}, so their bucket was never averaged across ranks. Every parameter "
                "that requires grad must be used in the loss; set requires_grad=False on the others.")


def _hook(reducer_ref: weakref.ref[_Reducer]) -> Any:
    def hook(p: Parameter) -> None:
        reducer = reducer_ref()
        if reducer is not None:
            reducer.grad_ready(p)
    return hook


def _remove_handles(handles: list[Any]) -> None:
    for handle in handles:
        handle.remove()


class DistributedDataParallel(Module):
    """Wrap `module` so that backward leaves every rank with the gradient averaged over all ranks.

    Construction broadcasts rank 0's parameters and buffers (after checking that every rank has
    the same parameter names and shapes). With `broadcast_buffers`, each forward in training mode
    also broadcasts rank 0's buffers (BatchNorm's running statistics); evaluation forwards make no
    collective call, so ranks may evaluate different numbers of batches (prefer `ddp.module` there).
    Only CPU modules and the default process group: `device_ids`, `output_device` and
    `process_group` must be None, and `find_unused_parameters` False.
    """

    def __init__(self, module: Module, device_ids: Any = None, output_device: Any = None, dim: int = 0,
                 broadcast_buffers: bool = True, init_sync: bool = True, process_group: Any = None,
                 bucket_cap_mb: float | None = None, find_unused_parameters: bool = False, **kwargs: Any):
        super().__init__()
        if not isinstance(module, Module):
            raise TypeError(f"DistributedDataParallel: expected a Module, got a {type(module).__name__}")
        if device_ids is not None or output_device is not None or process_group is not None:
            raise ValueError("DistributedDataParallel: CPU modules and the default process group only; leave "
                             "device_ids, output_device and process_group as None")
        if find_unused_parameters:
            raise ValueError("DistributedDataParallel: find_unused_parameters=True is not supported; every "
                             "parameter that requires grad must receive a gradient in each backward")
        if not dist.is_initialized():
            raise RuntimeError("DistributedDataParallel: " + dist._NOT_INITIALIZED)
        self.module = module
        self.broadcast_buffers = broadcast_buffers
        self.require_backward_grad_sync = True
        named = [(n, p) for n, p in module.named_parameters() if p.requires_grad]
        if init_sync and dist.get_world_size() > 1:
            self._check_same_parameters_on_every_rank()
            _broadcast_arrays([p.array for p in module.parameters()] + [b.array for b in module.buffers()])
        cap = 25 * 2**20 if bucket_cap_mb is None else int(bucket_cap_mb * 2**20)
        self._reducer = _Reducer(named, cap)
        handles = [p.register_post_accumulate_grad_hook(_hook(weakref.ref(self._reducer))) for _, p in named]
        weakref.finalize(self, _remove_handles, handles)

    def _check_same_parameters_on_every_rank(self) -> None:
        mine = [(n, tuple(p.shape), str(p.dtype)) for n, p in self.module.named_parameters()]
        mine += [(n, tuple(b.shape), str(b.dtype)) for n, b in self.module.named_buffers()]
        every: list[Any] = [None] * dist.get_world_size()
        dist.all_gather_object(every, mine)
        for rank, theirs in enumerate(every):
            if theirs != every[0]:
                diff = next((f"{a} vs {b}" for a, b in zip(every[0], theirs, strict=False) if a != b),
                            f"{len(every[0])} vs {len(theirs)} tensors")
                raise RuntimeError(f"DistributedDataParallel: rank {rank}'s model differs from rank 0's "
                                   f"(rank 0 vs rank {rank}: {diff})")

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        self._reducer.check_finished()
        self._reducer.sync = self.require_backward_grad_sync
        if self.broadcast_buffers and self.training and dist.get_world_size() > 1:
            buffers = [b.array for b in self.module.buffers()]
            if buffers:
                _broadcast_arrays(buffers)
        return self.module(*inputs, **kwargs)

    @contextmanager
    def no_sync(self) -> Iterator[None]:
        """Accumulate gradients locally for the forward/backward passes inside; the first pass after syncs."""
        previous = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = previous

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Load DDP's own keys ("module.0.weight") or the plain model's ("0.weight")."""
        if state_dict and not any(key.startswith("module.") for key in state_dict):
            state_dict = {f"module.{key}": value for key, value in state_dict.items()}
        return super().load_state_dict(state_dict, strict)
