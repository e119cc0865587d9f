"""torchvision.datasets.MNIST and FashionMNIST, read with the project's IDX reader and verified download.

`root` is searched in torchvision's layout first (``root/MNIST/raw/``, ``root/FashionMNIST/raw/``), then as
a folder holding the four files itself; files may be gzipped or not. ``download=True`` fetches missing files
into ``root/<ClassName>/raw/`` with tinygrad_adam.data.mnist's atomic, checksum-verified download.

Without a transform an image is a uint8 H x W NumPy array (torchvision gives a PIL image; this project does
not depend on PIL), so ``transforms.ToTensor()`` turns it into a 1 x H x W Tensor of the default dtype in
[0, 1]. When the transform has the batch protocol (Compose of ToTensor and Normalize does), DataLoader's
batches are transformed in one NumPy call per transform (``__getbatch__``) rather than one Python call per
image.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..data import mnist as _mnist
from ..utils.data import Dataset, default_collate
from .transforms import is_batchable

__all__ = ["FashionMNIST", "MNIST"]


class MNIST(Dataset[tuple[Any, Any]]):
    """MNIST's 60,000 training or 10,000 test images (28 x 28 uint8) and their labels 0-9."""

    # None: the project's MNIST mirrors ($TINYGRAD_ADAM_MNIST_MIRROR, else data.mnist.MIRRORS)
    mirrors: list[str] | None = None
    # base name -> SHA-256 of the decompressed file, and -> MD5 of the .gz file; see data/mnist.py
    sha256: dict[str, str | None] = _mnist.SHA256
    gz_md5: dict[str, str] | None = None
    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
               "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"]

    def __init__(self, root: str | os.PathLike[str], train: bool = True, transform: Callable[[Any], Any] | None = None,
                 target_transform: Callable[[Any], Any] | None = None, download: bool = False) -> None:
        self.root = os.fspath(root)
        self.train = train
        self.transform = transform
        self.target_transform = target_transform
        split = "train" if train else "test"
        folder = self._find_folder(split)
        if folder is None and download:
            folder = _mnist.download_mnist(self.raw_folder, files=_mnist.FILES[split], mirrors=self.mirrors,
                                           checksums=self.sha256, gz_md5=self.gz_md5)
        if folder is None:
            names = " and ".join(f"{n}[.gz]" for n in _mnist.FILES[split])
            raise _mnist.DatasetNotFoundError(
                f"{type(self).__name__} {split} set not found: looked for {names} in {self.raw_folder} and "
                f"{self.root}. You can use download=True to download it"
            )
        images, labels = _mnist._load_folder(Path(folder), split)
        self.data = Tensor(images)
        self.targets = Tensor(labels.astype(np.int64))
        self._images, self._labels = self.data.array, self.targets.array

    @property
    def raw_folder(self) -> str:
        return os.path.join(self.root, type(self).__name__, "raw")

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.classes)}

    def _find_folder(self, split: str) -> Path | None:
        for folder in (Path(self.raw_folder), Path(self.root)):
            if all(_mnist._find(folder, name) is not None for name in _mnist.FILES[split]):
                return folder
        return None

    def __len__(self) -> int:
        return len(self._images)

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        img, target = self._images[index], int(self._labels[index])
        if self.transform is not None:
            img = self.transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __getbatch__(self, indices: Sequence[int]) -> Any:
        """``default_collate([self[i] for i in indices])``, transformed in one call when the transform allows."""
        if self.target_transform is not None or not (self.transform is None or is_batchable(self.transform)):
            return default_collate([self[i] for i in indices])
        index = np.asarray(indices, dtype=np.intp)
        images = self._images[index]
        return [images if self.transform is None else self.transform.batch(images), self._labels[index]]

    def __repr__(self) -> str:
        lines = [f"Dataset {type(self).__name__}", f"    Number of datapoints: {len(self)}",
                 f"    Root location: {self.root}", f"    Split: {'Train' if self.train else 'Test'}"]
        if self.transform is not None:
            lines.append(f"    StandardTransform\nTransform: {self.transform!r}")
        return "\n".join(lines)


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: MNIST's layout and file names, 10 clothing classes."""

    mirrors = _mnist.FASHION_MNIST_MIRRORS
    sha256 = {name: None for name in _mnist.ALL_FILES}  # only MD5s of the .gz files are published
    gz_md5 = _mnist.FASHION_MNIST_GZ_MD5
    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
               "Ankle boot"]
