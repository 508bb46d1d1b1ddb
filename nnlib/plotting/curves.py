r"""Curves over epochs and over :math:`z`: :func:`plot_cost` and :func:`plot_activations`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _checks
from ._shared import HIGHLIGHT, POSITIVE, SCRIPTED, SMALL, Array

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["J_LABEL", "RUNNING_LABEL", "plot_activations", "plot_cost"]

#: What a curve of ``history.cost`` is: J of the whole training set after each epoch.
J_LABEL = "$J$ (whole training set)"
#: What a curve of ``history.running_cost`` is: never J of any one set of weights.
RUNNING_LABEL = "running mean of minibatch costs"

_EXPECTED = "a History from train or a sequence of one cost per epoch"


def _curves(history_or_costs: object, running: bool) -> list[tuple[Array, Array, str, str]]:
    """``(epochs, values, what they are, line style)`` for each curve to draw."""
    if not hasattr(history_or_costs, "running_cost"):
        if running:
            raise ValueError(
                "running=True also draws history.running_cost; pass the History from train, "
                f"not a {type(history_or_costs).__name__}"
            )
        costs = _checks.curve(history_or_costs, "the costs", _EXPECTED)
        return [(np.arange(1, costs.size + 1), costs, "cost", "-")]
    h: Any = history_or_costs
    means = None
    if h.running_cost:
        means = _checks.curve(h.running_cost, "history.running_cost", "a list of numbers")
    if not h.cost:
        if means is None:
            raise ValueError("history.cost and history.running_cost are empty: no epoch to draw")
        return [(np.arange(1, means.size + 1), means, RUNNING_LABEL, "-")]
    costs = _checks.curve(h.cost, "history.cost", "a list of numbers")
    epochs = np.arange(1, costs.size + 1)
    if h.initial_cost is not None:  # epoch 0: J before the first step
        epochs, costs = np.arange(0, costs.size + 1), np.concatenate([[h.initial_cost], costs])
    curves = [(epochs, costs, J_LABEL, "-")]
    if running and means is not None:
        curves.append((np.arange(1, means.size + 1), means, RUNNING_LABEL, "--"))
    return curves


def plot_cost(
    history_or_costs: Any,
    ax: Axes | None = None,
    label: str | None = None,
    logy: bool = False,
    running: bool = False,
) -> Axes:
    r"""Plot the cost of a training run per epoch, labelled for exactly what it is.

    Serves section 3 of the book (the cost :math:`J`, eq. ``cost``, and
    stochastic gradient descent) and the learning-rate experiments of section
    3.6.  For a ``History`` from ``train(..., exact_cost=True)`` the curve is
    ``history.cost``, the real :math:`J` of the whole training set with the
    weights at the end of each epoch, starting at epoch 0 with
    ``history.initial_cost``; its axis says ":math:`J` (whole training set)".
    Without ``exact_cost`` the history holds only ``history.running_cost``,
    the mean of the minibatch costs met during each epoch while the weights
    moved, which is not :math:`J` for any one set of weights; it is drawn
    labelled "running mean of minibatch costs".  Call it several times on the
    same ``ax`` with different ``label`` values to compare runs.

    Parameters
    ----------
    history_or_costs : History or sequence of float
        A ``History`` (anything with ``running_cost``, ``cost`` and
        ``initial_cost``), or one cost per epoch, drawn as given at epochs
        1, 2, ... (the axis then just says "cost").
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    label : str, optional
        Legend entry for this run (a legend is drawn when given).
    logy : bool, default False
        Use a logarithmic cost axis; every finite cost must then be > 0.
    running : bool, default False
        Also draw ``history.running_cost`` (dashed, epochs 1, 2, ...) next to
        ``history.cost``.  Needs a ``History``.

    Returns
    -------
    matplotlib Axes
        With one new line (two with ``running=True`` and an exact cost); the
        first is ``history.cost`` when there is one.

    Raises
    ------
    TypeError
        Neither a History nor a sequence of numbers.
    ValueError
        No epochs, a non-1-D sequence, ``logy`` with a cost <= 0, or
        ``running=True`` without a ``History``.
    """
    import matplotlib.pyplot as plt

    curves = _curves(history_or_costs, running)
    for _, values, _, _ in curves:
        if logy and np.any(values[np.isfinite(values)] <= 0):
            raise ValueError("logy=True needs every cost to be > 0; some are <= 0")

    if ax is None:
        _, ax = plt.subplots(figsize=(5.0, 3.2))
    both = len(curves) > 1
    for x, y, what, style in curves:
        name = (what if label is None else f"{label}: {what}") if both else label
        marker = "o" if y.size <= 20 else None
        ax.plot(x, y, style, label=name, marker=marker, markersize=4)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("cost" if both else curves[0][2])
    if both:  # long entries: under the axes, where they hide no point
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), frameon=False, fontsize=SMALL)
    elif label is not None:
        ax.legend(fontsize=SMALL)
    ax.grid(True, alpha=0.3)
    return ax


def plot_activations(
    names: Sequence[str] = ("step", "sigmoid", "tanh", "relu"),
    z_range: tuple[float, float] = (-4.0, 4.0),
    axes: Sequence[Axes] | None = None,
) -> Sequence[Axes]:
    r"""Draw each activation :math:`g` (top row) above its derivative :math:`g'` (bottom row).

    Serves section 2 of the book: the hard step's derivative is zero wherever
    it exists, so no gradient flows through it (eq. ``dloss-dz`` multiplies by
    :math:`g'`), while smooth thresholds have a useful slope.

    Parameters
    ----------
    names : sequence of str
        Activation names from :data:`nnlib.activations.ACTIVATIONS`.
    z_range : (float, float)
        The interval of :math:`z` to draw.
    axes : sequence of Axes, optional
        ``2 * len(names)`` axes to draw on (row by row); a new figure otherwise.

    Returns
    -------
    sequence of matplotlib Axes
        The axes, ``g`` plots first, then the ``g'`` plots.
    """
    import matplotlib.pyplot as plt

    from ..activations import get_activation

    acts = [get_activation(name) for name in names]
    if not acts:
        raise ValueError("plot_activations needs at least one activation name")
    lo, hi = _checks.number_pair(z_range, "z_range")
    if axes is None:
        fig, grid = plt.subplots(
            2, len(acts), figsize=(2.4 * len(acts), 3.6), sharex=True, squeeze=False
        )
        fig.subplots_adjust(hspace=0.15, wspace=0.35)
        axes = list(grid[0]) + list(grid[1])
    elif len(axes) != 2 * len(acts):
        raise ValueError(
            f"axes must hold {2 * len(acts)} Axes (two per activation), got {len(axes)}"
        )
    z = np.linspace(lo, hi, 801)
    for col, act in enumerate(acts):
        top, bottom = axes[col], axes[len(acts) + col]
        g, dg = act.g(z), act.dg(z)
        if act.name == "step":  # draw the jump as a jump, not a steep line
            g = np.where(np.isclose(z, 0.0, atol=(hi - lo) / 800), np.nan, g)
        top.plot(z, g, color=POSITIVE)
        bottom.plot(z, dg, color=HIGHLIGHT)
        top.set_title(act.name)
        for ax in (top, bottom):
            ax.axhline(0.0, color="0.8", lw=0.8, zorder=0)
            ax.axvline(0.0, color="0.8", lw=0.8, zorder=0)
            ax.grid(True, alpha=0.3)
        bottom.set_xlabel("$z$")
    axes[0].set_ylabel("$g(z)$", fontsize=SCRIPTED)  # the prime is drawn at 70 %
    axes[len(acts)].set_ylabel("$g'(z)$", fontsize=SCRIPTED)
    return axes
