"""Pictures of the playground: surfaces, contours with search paths, value-versus-step curves.

matplotlib is an optional extra (``pip install -e ".[plot]"`` in a checkout), imported only inside these
functions. They build figures with `matplotlib.figure.Figure` rather than pyplot, so they need no
display and touch no global state; each returns its Figure (Jupyter shows it), or draws into an
`ax` you pass. `save_figure` writes a PNG.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..extras import MissingDependencyError, install_hint

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .objectives import Objective

#: Colours of the labelled paths and curves, in order (the same label gets the same colour in every plot).
PATH_COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
               "#bcbd22", "#17becf", "#000000", "#ffd700"]


def _figure(figsize: tuple[float, float] = (6.0, 5.0)) -> Figure:
    try:
        from matplotlib.figure import Figure
    except ImportError as e:
        raise MissingDependencyError(f"plotting needs matplotlib, which is not installed: "
                                     f"{install_hint('plot')}") from e
    return Figure(figsize=figsize, layout="tight")


def subplots(nrows: int = 1, ncols: int = 1, figsize: tuple[float, float] = (6.0, 5.0),
             **subplot_kw: Any) -> tuple[Figure, Any]:
    """Like pyplot.subplots, without pyplot: a Figure and its Axes (an array of them if more than one)."""
    fig = _figure(figsize)
    axes = fig.subplots(nrows, ncols, subplot_kw=subplot_kw or None)
    return fig, axes


def _axes(ax: Axes | None, figsize: tuple[float, float] = (6.0, 5.0), **kwargs: Any) -> Axes:
    return ax if ax is not None else _figure(figsize).add_subplot(**kwargs)


def grid(objective: Objective, bounds: Any = None, resolution: int = 100) -> tuple[np.ndarray, ...]:
    """X, Y, Z = grid(objective): a resolution × resolution mesh over the bounds and the values on it."""
    low_high = np.asarray(objective.bounds if bounds is None else bounds, dtype=np.float64)
    xs = np.linspace(low_high[0, 0], low_high[0, 1], resolution)
    ys = np.linspace(low_high[1, 0], low_high[1, 1], resolution)
    X, Y = np.meshgrid(xs, ys)  # noqa: N806 - the usual names for a mesh
    return X, Y, objective.value(np.stack([X, Y]))


def plot_surface(objective: Objective, *, bounds: Any = None, resolution: int = 60, cmap: str = "jet",
                 ax: Axes | None = None, title: str | None = None) -> Figure:
    """The function as a 3-D surface over its plotting bounds."""
    ax = _axes(ax, projection="3d")
    X, Y, Z = grid(objective, bounds, resolution)  # noqa: N806
    ax.plot_surface(X, Y, Z, cmap=cmap, linewidth=0, antialiased=False)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title if title is not None else f"{objective.name}: {objective.formula}")
    return ax.figure


def _levels(Z: np.ndarray, levels: int, log_scale: bool | None) -> tuple[np.ndarray, bool]:  # noqa: N803
    low, high = float(np.min(Z)), float(np.max(Z))
    if log_scale is None:
        log_scale = high - low > 100 * (float(np.median(Z)) - low + 1e-12)
    if log_scale:
        span = high - low
        return low + np.geomspace(span * 1e-6, span, levels), True
    return np.linspace(low, high, levels), False


def plot_contour(objective: Objective, *, paths: np.ndarray | Mapping[str, np.ndarray] | None = None,
                 bounds: Any = None, levels: int = 50, resolution: int = 200, log_scale: bool | None = None,
                 cmap: str = "jet", alpha: float = 1.0, show_minima: bool = True, ax: Axes | None = None,
                 title: str | None = None) -> Figure:
    """Filled contours of a 2-D objective, optionally with search paths drawn on top.

    One path (an (n, 2) array) is drawn as white dots joined by a line, as in the Adam tutorial; a
    dict {label: path} draws each in its own colour with a legend. Levels are spaced
    logarithmically above the minimum when the values span orders of magnitude (log_scale=None).
    """
    if objective.dim != 2:
        raise ValueError(f"plot_contour: {objective.name} is {objective.dim}-D, contours need a 2-D objective")
    labelled = isinstance(paths, Mapping)
    ax = _axes(ax, figsize=(8.5, 6.0) if labelled else (6.0, 5.0))
    X, Y, Z = grid(objective, bounds, resolution)  # noqa: N806
    level_values, _ = _levels(Z, levels, log_scale)
    ax.contourf(X, Y, Z, levels=level_values, cmap=cmap, alpha=alpha, extend="both")
    if show_minima:
        box = np.asarray(objective.bounds if bounds is None else bounds)
        inside = [m for m in np.atleast_2d(objective.minima) if np.all((m >= box[:, 0]) & (m <= box[:, 1]))]
        if inside:
            ax.plot(*np.array(inside).T, "*", color="yellow", markersize=12, markeredgecolor="k", label="minimum")
    if paths is not None:
        if isinstance(paths, Mapping):
            for i, (label, path) in enumerate(paths.items()):
                path = np.asarray(path)
                ax.plot(path[:, 0], path[:, 1], ".-", color=PATH_COLORS[i % len(PATH_COLORS)], markersize=3,
                        linewidth=1, label=label)
            ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small")
        else:
            path = np.asarray(paths)
            ax.plot(path[:, 0], path[:, 1], ".-", color="w")
    ax.set_xlim(X.min(), X.max())
    ax.set_ylim(Y.min(), Y.max())
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title if title is not None else f"{objective.name}: {objective.formula}")
    return ax.figure


def plot_function_1d(objective: Objective, *, path: np.ndarray | None = None, bounds: Any = None,
                     resolution: int = 400, ax: Axes | None = None, title: str | None = None) -> Figure:
    """A 1-D objective as a curve, with the search path as dots (colour = step) and the minimum marked."""
    ax = _axes(ax, figsize=(7.0, 4.5))
    low_high = np.asarray(objective.bounds if bounds is None else bounds, dtype=np.float64).reshape(-1)
    xs = np.linspace(low_high[0], low_high[1], resolution)
    ax.plot(xs, objective.value(xs), color="k", linewidth=1.5, label=f"f(x) = {objective.formula}")
    if path is not None:
        path = np.asarray(path, dtype=np.float64).reshape(-1)
        points = ax.scatter(path, objective.value(path), c=np.arange(len(path)), cmap="viridis", s=18, zorder=3,
                            label="path (colour = step)")
        ax.figure.colorbar(points, ax=ax, label="step")
    minima = np.asarray(objective.minima, dtype=np.float64).reshape(-1)
    ax.plot(minima, [objective.min_value] * len(minima), "*", color="red", markersize=14, zorder=4,
            label="minimum")
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.legend(loc="best", fontsize="small")
    ax.set_title(title if title is not None else objective.name)
    return ax.figure


def plot_values(values: Mapping[str, np.ndarray], *, min_value: float = 0.0, log: bool = True,
                ax: Axes | None = None, title: str | None = None) -> Figure:
    """Value-versus-step curves, one per label; with log=True the gap f − min_value on a log axis."""
    ax = _axes(ax, figsize=(7.0, 4.5))
    for i, (label, curve) in enumerate(values.items()):
        curve = np.asarray(curve, dtype=np.float64)
        y = np.maximum(curve - min_value, 1e-16) if log else curve
        ax.plot(np.arange(len(curve)), y, label=label, linewidth=1.2, color=PATH_COLORS[i % len(PATH_COLORS)])
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("f(x) − f(x*)" if log else "f(x)")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="best", fontsize="small", ncol=2)
    if title is not None:
        ax.set_title(title)
    return ax.figure


def save_figure(fig: Figure, path: str | os.PathLike[str], dpi: int = 90) -> Path:
    """Write `fig` as a PNG (creating the folder); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi)
    return path
