r"""One run of the explorer: :func:`run` trains a fresh network for a :class:`Settings`.

Pure computation: nothing is drawn or printed, nothing needs matplotlib or
ipywidgets, and the same settings always give the same :class:`Result`.

Examples
--------
>>> result = run(Settings(dataset="xor", hidden_layers=1, width=4, epochs=100))
>>> result.net.L, result.accuracy
(1, 1.0)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from .. import _checks, datasets
from ..network import Network
from ..training import History, train
from .settings import DATA_SEED, DATASETS, N_SAMPLES, Settings, as_settings

Array = np.ndarray

__all__ = ["Result", "load_dataset", "network", "run"]


@dataclass(frozen=True, eq=False)
class Result:
    """What one run of the explorer produced (see :func:`run`).

    Attributes
    ----------
    settings : Settings
        The settings that were run.
    net : Network
        The trained network; ``net.L == settings.hidden_layers``.
    history : History
        From ``train(..., exact_cost=True)``: the cost J of the whole training
        set before training (``history.initial_cost``) and at the end of each
        epoch (``history.cost``), the running mean of minibatch costs
        (``history.running_cost``), and whether training diverged.
    accuracy : float or None
        Fraction of the training samples on the right side of the 0.5 threshold
        of the output :math:`g(z)`; None when training diverged.
    X, y : ndarray
        The (standardised) inputs and the 0/1 labels the network was trained on.
    """

    settings: Settings
    net: Network
    history: History
    accuracy: float | None
    X: Array
    y: Array

    @property
    def diverged(self) -> bool:
        """True when training stopped because a cost became non-finite or exploded."""
        return self.history.diverged

    @property
    def diverged_at(self) -> int | None:
        """The epoch in which training diverged (1 is the first), or None."""
        return len(self.history) + 1 if self.diverged else None

    @property
    def final_cost(self) -> float | None:
        """J of the whole training set after the last completed epoch (None if none completed)."""
        return self.history.cost[-1] if self.history.cost else None

    @property
    def cost_rose(self) -> bool:
        """True when J ended higher than before training: η overshoots."""
        final = self.final_cost
        return final is not None and final > self.history.initial_cost


@functools.cache
def _dataset(name: str) -> tuple[Array, Array]:
    if name == "xor":
        ds = datasets.xor(n=N_SAMPLES, seed=DATA_SEED, noise=0.1)
    elif name == "two_moons":
        ds = datasets.two_moons(n=N_SAMPLES, seed=DATA_SEED)
    else:
        ds = datasets.spirals(n=N_SAMPLES, seed=DATA_SEED)
    X, _, _ = datasets.standardize(ds.X)
    y = ds.y.copy()
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def load_dataset(name: str) -> tuple[Array, Array]:
    """The inputs and labels the explorer trains on for data set ``name``.

    :data:`N_SAMPLES` samples drawn with seed :data:`DATA_SEED` from
    :mod:`nnlib.datasets` (XOR jittered by noise 0.1), each column standardised
    with :func:`nnlib.datasets.standardize`.  The arrays are read-only and
    shared between calls.

    Parameters
    ----------
    name : str
        One of the keys of :data:`DATASETS`.

    Returns
    -------
    X : ndarray, shape (N_SAMPLES, 2)
    y : ndarray, shape (N_SAMPLES,), values 0 and 1
    """
    return _dataset(_checks.one_of(name, "dataset", tuple(DATASETS)))


def network(settings: Settings) -> Network:
    """The untrained network the explorer builds for ``settings`` (what :func:`run` trains).

    ``Network(settings.sizes, activation=settings.activation, loss="logistic",
    bias=True, seed=settings.seed, output_activation="sigmoid")``: 2 inputs,
    ``settings.hidden_layers`` layers of ``settings.width`` nodes with g =
    ``settings.activation``, one sigmoid output, the logistic loss, biases, and
    weights drawn with ``settings.seed``.
    """
    settings = as_settings(settings)
    return Network(
        settings.sizes,
        activation=settings.activation,
        loss="logistic",
        bias=True,
        seed=settings.seed,
        output_activation="sigmoid",
    )


def run(settings: Settings | None = None, **changes: Any) -> Result:
    r"""Train a fresh network with the explorer's settings (section 3.6).

    Builds the network of :func:`network` and trains it with
    :func:`nnlib.train` on the data set, by the update of eq. ``sgd-update``
    with learning rate :math:`\eta` = ``settings.lr``, recording the exact
    cost J of the whole training set before training and after every epoch
    (``exact_cost=True``): that is the J the explorer shows.  Nothing is drawn
    and nothing is printed; the same settings always give the same result.

    Parameters
    ----------
    settings : Settings, optional
        What to run; the defaults of :class:`Settings` if omitted.
    **changes
        Fields to change, e.g. ``run(lr=0.1, hidden_layers=3)``.

    Returns
    -------
    Result
        The trained network, its history and its training accuracy.  A
        divergent run (too large an η) is reported in ``result.history``
        (``diverged`` and ``message``), without NumPy warnings.

    Raises
    ------
    ValueError, TypeError
        For a setting out of its domain (``lr <= 0``, an unknown data set or
        activation, ``hidden_layers < 0``, ...), naming what was expected.
    """
    settings = Settings() if settings is None else as_settings(settings)
    if changes:
        names = [f.name for f in fields(Settings)]
        unknown = sorted(set(changes) - set(names))
        if unknown:
            raise ValueError(
                f"unknown setting(s) {', '.join(unknown)}; expected some of " + ", ".join(names)
            )
        settings = replace(settings, **changes)
    X, y = load_dataset(settings.dataset)
    net = network(settings)
    history = train(
        net,
        X,
        y,
        lr=settings.lr,
        epochs=settings.epochs,
        batch_size=settings.batch_size,
        seed=settings.seed,
        exact_cost=True,
    )
    accuracy = None
    if not history.diverged:
        with np.errstate(all="ignore"):
            accuracy = net.accuracy(X, y)
    return Result(settings=settings, net=net, history=history, accuracy=accuracy, X=X, y=y)
