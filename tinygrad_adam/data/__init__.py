"""Datasets and data loading: IDX files, MNIST, scikit-learn's digits; DataLoader is tinygrad_adam.utils.data's."""

from .digits import load_digits_split
from .idx import IDXError, read_idx, write_idx
from .loader import DataLoader, TensorDataset, normalize_images
from .mnist import DatasetNotFoundError, DownloadError, download_mnist, load_mnist

__all__ = [
    "read_idx",
    "write_idx",
    "IDXError",
    "load_mnist",
    "download_mnist",
    "DatasetNotFoundError",
    "DownloadError",
    "load_digits_split",
    "DataLoader",
    "TensorDataset",
    "normalize_images",
]
