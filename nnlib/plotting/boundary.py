r"""What a two-input model predicts over the plane: :func:`plot_decision_boundary`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _checks
from ._shared import Array, legend_above, scatter_classes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plane_grid", "plot_decision_boundary"]


def _predictor(model: Any) -> Callable[[Array], Any]:
    """How to ask ``model`` for one score per row of an (m, 2) array."""
    if hasattr(model, "predict"):
        return model.predict
    if callable(model):
        return model
    raise TypeError(
        f"model must be a callable X -> scores or have a predict(X) method, got {type(model).__name__}"
    )


def plane_grid(X: Array, resolution: int) -> tuple[Array, Array]:
    """The ``resolution`` x ``resolution`` grid over the plane of ``X`` (two columns), padded.

    Returns the meshgrid ``(G1, G2)`` that :func:`plot_decision_boundary` shades; the
    explorer of :mod:`nnlib.explorer` evaluates its networks on the same points.
    """
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.1 * np.maximum(hi - lo, 1e-9) + 0.1
    g1 = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    g2 = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    return np.meshgrid(g1, g2)


def _scores(predict: Callable[[Array], Any], grid: Array) -> Array:
    """The model's scores on the grid points, one per point, or a clear error."""
    scores = np.asarray(predict(grid), dtype=np.float64)
    m = grid.shape[0]
    if scores.size != m or scores.ndim > 2 or (scores.ndim == 2 and scores.shape[1] != 1):
        raise ValueError(
            f"the model returned shape {scores.shape} for {m} points; "
            f"expected one score per point, shape ({m},) or ({m}, 1)"
        )
    return scores


def plot_decision_boundary(
    model: Any,
    X: Any,
    y: Any,
    ax: Axes | None = None,
    resolution: int = 200,
    threshold: float | None = 0.5,
    feature_names: Sequence[str] | None = None,
    cmap: str = "RdBu_r",
) -> Axes:
    r"""Shade what a two-input model predicts over the plane, with the data on top.

    Serves the book's experiments on XOR, two moons and spirals: the shading is
    the network's output :math:`h(\bar x; W)` on a grid covering the data, the
    black contour is where it crosses ``threshold``, and the points are the
    samples coloured by their label.

    Parameters
    ----------
    model : callable or object with ``predict``
        ``model(G)`` or ``model.predict(G)`` maps an (m, 2) array to m scores,
        shape (m,) or (m, 1); a trained ``Network`` works as it is.
    X : array_like, shape (n, 2)
        The samples.
    y : array_like, shape (n,)
        Their labels (0/1 or -1/+1, or any two or more classes).
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    resolution : int, default 200
        Grid points along each axis (>= 2).
    threshold : float or None, default 0.5
        Level of the boundary line: 0.5 for a sigmoid output, 0 for tanh or the
        hinge loss; ``None`` draws no line.
    feature_names : sequence of two str, optional
        Axis labels; default :math:`x_1` and :math:`x_2`.
    cmap : str, default "RdBu_r"
        Colormap of the shading (low scores blue, high scores red).

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    X = _checks.finite_table(X, "X", n_columns=2)
    y = np.asarray(y).ravel()
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y has {y.shape[0]} labels but X has {X.shape[0]} rows")
    resolution = _checks.int_at_least(resolution, "resolution", 2)
    predict = _predictor(model)
    names = feature_names if feature_names is not None else ("$x_1$", "$x_2$")
    if len(names) != 2:
        raise ValueError(f"feature_names needs two names, got {len(names)}")

    G1, G2 = plane_grid(X, resolution)
    S = _scores(predict, np.column_stack([G1.ravel(), G2.ravel()])).reshape(G1.shape)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 4.0))
    finite = S[np.isfinite(S)]
    if finite.size and finite.max() > finite.min():
        filled = ax.contourf(G1, G2, S, levels=20, cmap=cmap, alpha=0.6)
        ax.figure.colorbar(filled, ax=ax, label=r"model output $h(\bar{x}; W)$")
        if threshold is not None and finite.min() < threshold < finite.max():
            ax.contour(G1, G2, S, levels=[threshold], colors="k", linewidths=1.5)
    else:
        ax.set_facecolor("0.9")
    scatters = scatter_classes(ax, X, y, cmap)
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    ax.set_xlim(G1[0, 0], G1[0, -1])
    ax.set_ylim(G2[0, 0], G2[-1, 0])
    legend_above(ax, ncol=len(scatters))
    return ax
