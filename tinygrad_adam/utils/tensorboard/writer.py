"""SummaryWriter with PyTorch's methods, writing real TensorBoard event files through tensorboardX.

    from tinygrad_adam.utils.tensorboard import SummaryWriter
    writer = SummaryWriter()                     # runs/<date>_<host>, as PyTorch
    writer.add_scalar("loss/train", loss.item(), step)
    writer.close()                               # then: tensorboard --logdir runs

Tensors are handed over as NumPy arrays; everything else (event files, protobufs, PNG encoding) is
tensorboardX's. Install with `pip install -e ".[tensorboard]"`.
"""

from __future__ import annotations

import os
from typing import Any

from ...core.tensor import Tensor

_INSTALL = 'SummaryWriter needs the optional extra "tensorboard": pip install -e ".[tensorboard]"'


def _numpy(value: Any) -> Any:
    return value.numpy() if isinstance(value, Tensor) else value


def _scalar(value: Any) -> Any:
    return value.item() if isinstance(value, Tensor) else value


class SummaryWriter:
    """Writes scalars, histograms and images for TensorBoard into `log_dir` (default runs/<date>_<host><comment>)."""

    def __init__(self, log_dir: str | None = None, comment: str = "", purge_step: int | None = None,
                 max_queue: int = 10, flush_secs: int = 120, filename_suffix: str = ""):
        try:
            import tensorboardX
        except ImportError:
            raise ModuleNotFoundError(_INSTALL) from None
        self._writer = tensorboardX.SummaryWriter(logdir=log_dir, comment=comment, purge_step=purge_step,
                                                  max_queue=max_queue, flush_secs=flush_secs,
                                                  filename_suffix=filename_suffix)
        self._make_writer = lambda folder: tensorboardX.SummaryWriter(logdir=folder, max_queue=max_queue,
                                                                      flush_secs=flush_secs,
                                                                      filename_suffix=filename_suffix)
        self._run_writers: dict[str, Any] = {}  # add_scalars' runs, by folder

    @property
    def log_dir(self) -> str:
        return self._writer.logdir

    def get_logdir(self) -> str:
        return self._writer.logdir

    def add_scalar(self, tag: str, scalar_value: Any, global_step: int | None = None, walltime: float | None = None,
                   new_style: bool = False, double_precision: bool = False) -> None:
        """One value of the curve `tag` (new_style and double_precision are accepted and do not matter here)."""
        self._writer.add_scalar(tag, _scalar(scalar_value), global_step, walltime)

    def add_scalars(self, main_tag: str, tag_scalar_dict: dict[str, Any], global_step: int | None = None,
                    walltime: float | None = None) -> None:
        """Several curves in one chart: each goes to its own run folder log_dir/<main_tag>_<tag>, as in PyTorch."""
        for tag, value in tag_scalar_dict.items():
            folder = os.path.join(self.log_dir, main_tag.replace("/", "_") + "_" + tag)
            if folder not in self._run_writers:
                self._run_writers[folder] = self._make_writer(folder)
            self._run_writers[folder].add_scalar(main_tag, _scalar(value), global_step, walltime)

    def add_histogram(self, tag: str, values: Any, global_step: int | None = None, bins: Any = "tensorflow",
                      walltime: float | None = None, max_bins: int | None = None) -> None:
        self._writer.add_histogram(tag, _numpy(values), global_step, bins, walltime, max_bins)

    def add_image(self, tag: str, img_tensor: Any, global_step: int | None = None, walltime: float | None = None,
                  dataformats: str = "CHW") -> None:
        """An image: floats in [0, 1] or uint8 in [0, 255], laid out as `dataformats` says (CHW, HWC, HW)."""
        self._writer.add_image(tag, _numpy(img_tensor), global_step, walltime, dataformats)

    def add_text(self, tag: str, text_string: str, global_step: int | None = None,
                 walltime: float | None = None) -> None:
        self._writer.add_text(tag, text_string, global_step, walltime)

    def add_graph(self, model: Any, input_to_model: Any = None, verbose: bool = False,
                  use_strict_trace: bool = True) -> None:
        raise NotImplementedError("SummaryWriter.add_graph is not supported: tinygrad_adam has no TorchScript "
                                  "tracer (draw the graph with tinygrad_adam.viz instead)")

    def flush(self) -> None:
        for writer in (self._writer, *self._run_writers.values()):
            writer.flush()

    def close(self) -> None:
        for writer in (self._writer, *self._run_writers.values()):
            writer.close()

    def __enter__(self) -> SummaryWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
