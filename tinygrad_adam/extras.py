"""The optional extras in one place: what each needs, and the one line that says how to get it.

    from tinygrad_adam.extras import require
    if args.plot:
        require("plot", "--plot")      # before any training: MissingDependencyError, one line

The names are pyproject.toml's `[project.optional-dependencies]`. From a checkout, an extra is
installed with `pip install -e ".[plot]"`; outside one, the packages are named as well.
"""

from __future__ import annotations

import importlib.util
import shutil

__all__ = ["EXTRAS", "MissingDependencyError", "install_hint", "require", "require_program"]

#: extra -> the importable modules it provides (what `require` looks for).
EXTRAS: dict[str, tuple[str, ...]] = {
    "plot": ("matplotlib",),
    "viz": ("graphviz",),
    "distributed": ("mpi4py",),
    "notebooks": ("jupyterlab", "ipywidgets", "matplotlib", "graphviz"),
}

#: extra -> the package names on the package index, where they differ from the modules.
_PACKAGES: dict[str, tuple[str, ...]] = {"distributed": ("mpi4py", "mpich")}

#: program -> how to install it (it comes from the system, not from pip).
PROGRAMS: dict[str, str] = {
    "dot": "Graphviz's `dot` program: apt-get install graphviz (Debian/Ubuntu), brew install graphviz (macOS)",
}


class MissingDependencyError(ImportError):
    """An optional package or program that a requested feature needs is not installed."""


def install_hint(extra: str) -> str:
    """`pip install -e ".[extra]"` from a checkout, and the packages themselves otherwise."""
    packages = " ".join(_PACKAGES.get(extra, EXTRAS[extra]))
    return f'pip install -e ".[{extra}]" in a checkout of tinygrad_adam, or pip install {packages}'


def require(extra: str, needed_for: str) -> None:
    """Raise MissingDependencyError, naming the install command, if a module of `extra` cannot be imported.

    Looks the modules up without importing them, so the check costs nothing when they are there.
    """
    missing = [module for module in EXTRAS[extra] if importlib.util.find_spec(module) is None]
    if missing:
        raise MissingDependencyError(f"{needed_for} needs {', '.join(missing)}, which is not installed: "
                                     f"{install_hint(extra)}")


def require_program(program: str, needed_for: str) -> None:
    """Raise MissingDependencyError, saying how to install it, if `program` is not on PATH."""
    if shutil.which(program) is None:
        raise MissingDependencyError(f"{needed_for} needs {PROGRAMS[program]}")
