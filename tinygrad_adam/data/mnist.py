"""MNIST (and any dataset in MNIST's IDX layout): find the files locally, or download and verify them.

Lookup order for `load_mnist(root=None)`:
  1. ``$TINYGRAD_ADAM_DATA/mnist`` if the environment variable is set;
  2. ``datasets/mnist`` in the repository, when the package runs from a source checkout, or when the running
     script belongs to one (``python examples/mnist.py`` in a checkout, with the package installed by pip);
  3. ``$XDG_CACHE_HOME/tinygrad_adam/mnist`` (or ``~/.cache/...``) when installed without the repository.
If none holds the files, they are downloaded into (2), or (3) without a checkout. An explicit `root` is the
only folder looked at (and downloaded into). Downloads are checked against the SHA-256 of the decompressed
files; local files are not hashed on load (that would be slow) but their IDX headers and lengths always are.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
from tqdm import tqdm

from .._platform.atomic import atomic_write
from .idx import GZIP_MAGIC, IDXError, read_idx

__all__ = [
    "DatasetNotFoundError",
    "DownloadError",
    "download_mnist",
    "load_mnist",
    "MIRRORS",
    "SHA256",
    "FILES",
    "FASHION_MNIST_GZ_MD5",
    "FASHION_MNIST_MIRRORS",
]

DATA_ENV = "TINYGRAD_ADAM_DATA"
MIRROR_ENV = "TINYGRAD_ADAM_MNIST_MIRROR"

# split -> (images file, labels file), without the .gz suffix
FILES: dict[str, tuple[str, str]] = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
ALL_FILES = [name for pair in FILES.values() for name in pair]

# SHA-256 of the decompressed files (gzip wrappers differ between mirrors and local copies)
SHA256: dict[str, str | None] = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

# Fashion-MNIST uses MNIST's four file names. Its published checksums are MD5s of the .gz files as served (not
# of their content): these are torchvision's FashionMNIST.resources (torchvision/datasets/mnist.py), the same
# as the table in zalandoresearch/fashion-mnist's README. MD5 is weak against an attacker; it guards against
# truncated and corrupted downloads, which is what the content SHA-256 above does for MNIST.
FASHION_MNIST_GZ_MD5: dict[str, str] = {
    "train-images-idx3-ubyte": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    "train-labels-idx1-ubyte": "25c81989df183df01b3e8a0aad5dffbe",
    "t10k-images-idx3-ubyte": "bef4ecab320f06d8554ea6380940ec79",
    "t10k-labels-idx1-ubyte": "bb300cfdad3c16e7a12a480ee83cd310",
}
FASHION_MNIST_MIRRORS: list[str] = [
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
]

# tried in order; each serves <mirror><name>.gz
MIRRORS: list[str] = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
]

_CHUNK = 1 << 16


class DatasetNotFoundError(FileNotFoundError):
    """The dataset files are not on disk and could not be downloaded."""


class DownloadError(OSError):
    """Every mirror failed (unreachable, HTTP error, short read or checksum mismatch)."""


def _repo_root() -> Path | None:
    """The source checkout this package runs from; else the one the running script belongs to (an installed
    package running examples/mnist.py of a checkout); None when neither is a checkout."""
    roots = [Path(__file__).resolve().parents[2]]
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.suffix == ".py" and script.is_file():
        roots.append(script.resolve().parents[1])
    return next((root for root in roots if (root / "pyproject.toml").is_file() and (root / "datasets").is_dir()), None)


def _cache_dir() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "tinygrad_adam" / "mnist"


def _candidates() -> tuple[list[Path], Path]:
    """Folders searched when no root is given, and the folder a download goes to."""
    searched: list[Path] = []
    if os.environ.get(DATA_ENV):
        searched.append(Path(os.environ[DATA_ENV]) / "mnist")
    repo = _repo_root()
    target = repo / "datasets" / "mnist" if repo is not None else _cache_dir()
    searched.append(target)
    return searched, target


def _find(folder: Path, name: str) -> Path | None:
    """The uncompressed file if present, else the .gz one, else None."""
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def _mirrors(mirrors: Sequence[str] | None) -> list[str]:
    if mirrors is not None:
        return list(mirrors)
    env = os.environ.get(MIRROR_ENV, "").replace(",", " ").split()
    return env or list(MIRRORS)


def _content_sha256(path: Path) -> str:
    """SHA-256 of the file's content, decompressed first if it is gzip."""
    with open(path, "rb") as raw:
        compressed = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        f = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
        digest = hashlib.sha256()
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fetch(url: str, dest: Path, sha256: str | None, timeout: float, progress: bool, gz_md5: str | None = None) -> None:
    """Download url to dest atomically; raise (leaving no file behind) on any failure or bad checksum.

    `sha256` is of the decompressed content, `gz_md5` of the bytes as downloaded; None skips that check.
    """
    request = urllib.request.Request(url, headers={"User-Agent": "tinygrad_adam (python urllib)"})
    with atomic_write(dest) as tmp, urllib.request.urlopen(request, timeout=timeout) as response:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        received, md5 = 0, hashlib.md5(usedforsecurity=False)
        bar = tqdm(total=total, desc=dest.name, unit="B", unit_scale=True, unit_divisor=1024, disable=not progress)
        with bar:
            for chunk in iter(lambda: response.read(_CHUNK), b""):
                tmp.write(chunk)
                md5.update(chunk)
                received += len(chunk)
                bar.update(len(chunk))
        if total is not None and received != total:
            raise DownloadError(f"connection dropped: received {received} of {total} bytes")
        tmp.flush()
        if gz_md5 is not None and md5.hexdigest() != gz_md5.lower():
            raise DownloadError(f"MD5 mismatch: expected {gz_md5.lower()}, got {md5.hexdigest()}")
        if sha256 is not None:
            try:
                actual = _content_sha256(Path(tmp.name))
            except (EOFError, OSError) as e:
                raise DownloadError(f"corrupt download ({e})") from e
            if actual != sha256.lower():
                raise DownloadError(f"SHA-256 mismatch: expected {sha256.lower()}, got {actual}")


def download_mnist(
    root: str | os.PathLike[str] | None = None,
    *,
    files: Iterable[str] | None = None,
    mirrors: Sequence[str] | None = None,
    checksums: Mapping[str, str | None] | None = None,
    progress: bool = True,
    timeout: float = 30.0,
    force: bool = False,
    gz_md5: Mapping[str, str] | None = None,
) -> Path:
    """Download the MNIST files missing from `root` and return the folder.

    `files` are base names from FILES (default: all four). Mirrors come from `mirrors`, else the
    TINYGRAD_ADAM_MNIST_MIRROR environment variable (comma or space separated), else MIRRORS; each is tried
    in order. `checksums` maps base name -> SHA-256 of the decompressed file (None skips the check);
    default: the official MNIST ones. `gz_md5` maps base name -> MD5 of the .gz file as served, checked as
    well (FASHION_MNIST_GZ_MD5 for Fashion-MNIST, with checksums={name: None}). Raises DownloadError if a
    file cannot be fetched from any mirror.
    """
    folder = Path(root) if root is not None else _candidates()[1]
    names = list(files) if files is not None else ALL_FILES
    sums = SHA256 if checksums is None else checksums
    for name in names:
        if name not in sums:
            raise ValueError(f"no checksum for {name!r}; pass checksums={{{name!r}: None}} to skip verification")
    urls = _mirrors(mirrors)
    if not urls:
        raise DownloadError("no mirrors configured")
    created = [parent for parent in (*reversed(folder.parents), folder) if not parent.exists()]
    try:
        _download_files(folder, names, urls, sums, timeout, progress, gz_md5, force)
    except BaseException:
        for parent in reversed(created):  # a failed download leaves no folder it made behind, as no file
            try:
                parent.rmdir()
            except OSError:  # not empty: it holds files that were downloaded whole, or that someone else put there
                break
        raise
    return folder


def _download_files(folder: Path, names: list[str], urls: list[str], sums: Mapping[str, str | None], timeout: float,
                    progress: bool, gz_md5: Mapping[str, str] | None, force: bool) -> None:
    for name in names:
        if not force and _find(folder, name) is not None:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        failures = []
        for mirror in urls:
            url = f"{mirror.rstrip('/')}/{name}.gz"
            try:
                _fetch(url, folder / f"{name}.gz", sums[name], timeout, progress, (gz_md5 or {}).get(name))
                break
            except (OSError, http.client.HTTPException) as e:  # URLError, HTTPError, timeouts are OSErrors
                reason = e.reason if type(e) is urllib.error.URLError else e
                failures.append(f"{url}: {reason}")
                if progress:
                    tqdm.write(f"download failed, {failures[-1]}", file=sys.stderr)
        else:
            raise DownloadError(f"could not download {name}.gz into {folder}:\n  " + "\n  ".join(failures))


def _not_found(split: str, searched: list[Path], why: str) -> DatasetNotFoundError:
    images, labels = FILES[split]
    folders = "\n".join(f"  - {folder}" for folder in searched)
    return DatasetNotFoundError(
        f"MNIST {split} set not found: looked for {images}[.gz] and {labels}[.gz] in\n{folders}\n"
        f"{why}\n"
        f"To use MNIST offline, put the four files {', '.join(n + '.gz' for n in ALL_FILES)} "
        f"(gzipped or not) in one folder and pass it as --data-dir <folder> (root=<folder> in Python), or set "
        f"{DATA_ENV}=<dir> with the files in <dir>/mnist. To train without MNIST, use --dataset digits "
        f"(scikit-learn's bundled 8x8 digits; runs fully offline)."
    )


def _load_folder(folder: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    image_file, label_file = (_find(folder, name) or folder / name for name in FILES[split])
    images, labels = read_idx(image_file), read_idx(label_file)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise IDXError(f"{image_file}: expected uint8 images of shape (N, H, W), got {images.dtype} {images.shape}")
    if labels.ndim != 1 or labels.dtype != np.uint8:
        raise IDXError(f"{label_file}: expected uint8 labels of shape (N,), got {labels.dtype} {labels.shape}")
    if len(images) != len(labels):
        raise IDXError(f"{image_file} holds {len(images)} images but {label_file} holds {len(labels)} labels")
    return images, labels


def load_mnist(
    split: str = "train",
    root: str | os.PathLike[str] | None = None,
    download: bool = True,
    progress: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Load MNIST's "train" or "test" split as (images uint8 (N, 28, 28), labels uint8 (N,)).

    `root` is a folder holding the IDX files (gzipped or not); any dataset in MNIST's layout, such as
    Fashion-MNIST, loads from there too (no checksums are enforced for local files). Without `root` the
    folders in the module docstring are searched. Missing files are downloaded if `download` is True.
    Raises DatasetNotFoundError if the files are neither on disk nor downloadable.
    """
    if split not in FILES:
        raise ValueError(f"split must be one of {sorted(FILES)}, got {split!r}")
    if root is not None:
        searched, target = [Path(root)], Path(root)
    else:
        searched, target = _candidates()
    for folder in searched:
        if all(_find(folder, name) is not None for name in FILES[split]):
            return _load_folder(folder, split)
    if not download:
        raise _not_found(split, searched, "download=False, so nothing was downloaded.")
    try:
        download_mnist(target, files=FILES[split], progress=progress)
    except OSError as e:
        raise _not_found(split, searched, f"Downloading into {target} failed: {e}") from e
    return _load_folder(target, split)
