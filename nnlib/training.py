r"""Stochastic gradient descent (section 3.6), with minibatches and divergence detection.

The paper's algorithm picks one random sample :math:`\bar x^{(t)}`, backpropagates
its loss and moves every weight against the gradient:

.. math:: W^{(k)}_{ij} \leftarrow W^{(k)}_{ij} - \eta\,
          \frac{\partial \text{Loss}(h(\bar x^{(t)}), y^{(t)})}{\partial W^{(k)}_{ij}}
          \qquad \text{(eq. sgd-update, sign corrected; see the errata)}

``batch_size=1`` is exactly that; a larger batch averages the gradient over
``batch_size`` samples first.

Two functions train, with the same settings and the same :class:`History`:

* :func:`train_plain` is the loop the book teaches, written plainly: for every
  minibatch, :meth:`~nnlib.network.Network.forward`,
  :meth:`~nnlib.network.Network.backward` and
  :meth:`~nnlib.network.Network.step`.  Read it to see what training is.
* :func:`train` takes the same steps in place through :mod:`nnlib.fast`; it is
  what the book runs.  The tests hold its weights and history equal to
  :func:`train_plain`'s.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from . import _checks, fast
from .network import Network

Array = np.ndarray

#: J may grow by at most this factor over the initial cost before training is
#: declared divergent (besides becoming NaN or infinite).
EXPLOSION_FACTOR = 1e6


@dataclass
class History:
    """What :func:`train` (or :func:`train_plain`) did, epoch by epoch.

    Two records of the cost, told apart by their names:

    * ``running_cost`` is free: the steps' own forward passes measure it.
    * ``cost`` is the cost J of eq. ``cost`` of the whole training set, which takes a
      forward pass over all the data after each epoch; :func:`train` records it
      only when asked (``exact_cost=True``).

    Attributes
    ----------
    running_cost : list of float
        For each completed epoch, the mean over its samples of the cost of the
        minibatch each sample was in, measured by that minibatch's forward pass
        just before its step.  The weights move during the epoch, so this is not
        the J of any one set of weights (with one full batch it is J at the
        start of the epoch).
    cost : list of float
        With ``exact_cost=True``: J of the whole training set (the number
        ``net.cost(X, Y)`` gives, L2 term included) with the weights at the end
        of each completed epoch, so ``cost[e]`` is J after epoch ``e + 1``.
        Empty otherwise.
    initial_cost : float or None
        With ``exact_cost=True``: J of the whole training set before the first
        step.  None otherwise.
    exact_cost : bool
        Whether ``cost`` and ``initial_cost`` were recorded.
    diverged : bool
        True if training stopped because a cost became NaN/infinite or exploded.
    message : str or None
        Why training stopped early, in words; None when it ran to the end.
    lr, batch_size, epochs : numbers
        The settings used.
    """

    lr: float
    batch_size: int
    epochs: int
    exact_cost: bool = False
    running_cost: list[float] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    initial_cost: float | None = None
    diverged: bool = False
    message: str | None = None
    _first: float | None = field(default=None, repr=False)  # the first cost met: the yardstick

    def __len__(self) -> int:
        """The number of completed epochs."""
        return len(self.running_cost)

    def diverges(self, J: float, epoch: int) -> bool:
        """Whether the cost ``J`` is NaN, infinite or exploded; if so, record why training stops.

        "Exploded" means more than :data:`EXPLOSION_FACTOR` times the first cost
        this run measured (plus one).
        """
        if self._first is None:
            self._first = J
        if math.isfinite(J) and J <= EXPLOSION_FACTOR * (abs(self._first) + 1.0):
            return False
        self.diverged = True
        self.message = (
            f"training diverged in epoch {epoch}: the cost reached {J:.3g} "
            f"(it started at {self._first:.3g}); "
            f"the learning rate lr = {self.lr:g} is probably too large"
        )
        return True

    def end_epoch(self, running_cost: float, cost: float | None = None) -> None:
        """Record a completed epoch: its running cost and, when exact, J at its end."""
        self.running_cost.append(running_cost)
        if cost is not None:
            self.cost.append(cost)


def _start(
    net: Network,
    X: object,
    Y: object,
    lr: object,
    epochs: object,
    batch_size: object,
    exact_cost: object,
) -> tuple[Array, Array, History]:
    """Check every setting and the data once, before any step; return 2-D data and a History."""
    if not isinstance(net, Network):
        raise TypeError(f"net must be an nnlib.Network, got {type(net).__name__}")
    lr = _checks.positive_number(lr, "lr")
    epochs = _checks.positive_int(epochs, "epochs")
    batch_size = _checks.positive_int(batch_size, "batch_size")
    X2, _ = _checks.as_inputs(X, net.sizes[0], net.dtype)
    Y2 = net.as_labels(Y, X2.shape[0])
    if not isinstance(exact_cost, (bool, np.bool_)):
        raise TypeError(f"exact_cost must be True or False, got {exact_cost!r}")
    history = History(lr=lr, batch_size=batch_size, epochs=epochs, exact_cost=bool(exact_cost))
    return X2, Y2, history


def _order(seed: int | None, shuffle: bool, size: int, n: int) -> np.random.Generator | None:
    """The generator of the sample order, or None to keep the given order.

    A single batch that holds all the data has the same mean gradient in any
    row order, so shuffling it would change nothing but the rounding.
    """
    return np.random.default_rng(seed) if shuffle and size < n else None


def minibatches(n: int, size: int, rng: np.random.Generator | None) -> Iterator[slice | Array]:
    """The rows of each minibatch of one epoch: ``size`` rows each, the last one possibly fewer.

    In a new random order drawn from ``rng``, or in the given order (as slices)
    when ``rng`` is None.
    """
    order = rng.permutation(n) if rng is not None else None
    for start in range(0, n, size):
        yield slice(start, start + size) if order is None else order[start : start + size]


def train_plain(
    net: Network,
    X: object,
    Y: object,
    *,
    lr: float,
    epochs: int = 1,
    batch_size: int = 1,
    seed: int | None = 0,
    shuffle: bool = True,
    exact_cost: bool = False,
) -> History:
    r"""Train ``net`` by (minibatch) SGD, written as plainly as the book teaches it.

    For every minibatch: the forward pass (section 2), its cost J, the backward
    pass (section 3.6) and the update :math:`W^{(k)} \leftarrow W^{(k)} - \eta\,
    \partial J/\partial W^{(k)}` (eq. ``sgd-update``).  With ``exact_cost=True``,
    also J of the whole training set before the first step and after every epoch.
    :func:`train` takes exactly these steps, faster; the settings, the result
    and the errors are the same (see :func:`train`).
    """
    X, Y, history = _start(net, X, Y, lr, epochs, batch_size, exact_cost)
    n, size = len(X), min(batch_size, len(X))
    rng = _order(seed, shuffle, size, n)
    with np.errstate(all="ignore"):  # a divergent run is reported, not warned about
        if history.exact_cost:
            history.initial_cost = net.cost(X, Y)  # J before the first step
            if history.diverges(history.initial_cost, epoch=1):
                return history
        for epoch in range(1, epochs + 1):
            running = 0.0
            for rows in minibatches(n, size, rng):
                fw = net.forward(X[rows])  # forward pass
                J = net.cost(fw, Y[rows])  # J of this minibatch
                if history.diverges(J, epoch):
                    return history
                net.step(net.backward(fw, Y[rows]), lr)  # backward pass and update
                running += J * len(fw.h[0])
            J_all = None
            if history.exact_cost:
                J_all = net.cost(X, Y)  # J of the whole training set, at the end of the epoch
                if history.diverges(J_all, epoch):
                    return history
            history.end_epoch(running / n, J_all)
    return history


def train(
    net: Network,
    X: object,
    Y: object,
    *,
    lr: float,
    epochs: int = 1,
    batch_size: int = 1,
    seed: int | None = 0,
    shuffle: bool = True,
    exact_cost: bool = False,
) -> History:
    r"""Train ``net`` in place by (minibatch) stochastic gradient descent.

    Each step is forward pass (section 2), backward pass (section 3.6) and the
    update :math:`W^{(k)} \leftarrow W^{(k)} - \eta\,\partial J/\partial W^{(k)}`
    (eq. ``sgd-update``, with the paper's sign corrected).  L2 regularisation is
    the network's ``l2`` setting.

    These are the steps of :func:`train_plain`, the readable loop, computed in
    place by :class:`nnlib.fast.Workspace` (preallocated arrays, :math:`g'`
    read from the cached :math:`h`, the cost taken from the forward pass the
    step already does); see :mod:`nnlib.fast` for how, and
    ``tests/test_fast_path.py`` for the proof that the two agree.  The data are
    validated once, before the first step.

    By default a call does the steps' arithmetic and nothing more: the history's
    ``running_cost`` comes from the forward passes the steps make anyway.  The
    exact J of the whole training set after every epoch is an evaluation, not
    training; ``exact_cost=True`` records it, at the price of one forward pass
    over all the data per epoch (with one full batch, each epoch's J is the next
    step's own forward pass, so only the last one costs a pass).

    Every setting after the data is keyword-only, so that no two can be swapped
    by accident: ``train(net, X, Y, lr=0.5, epochs=30, batch_size=10)``.

    Parameters
    ----------
    net : Network
        The network to train; its weights change.
    X, Y : array_like
        Inputs ``(n, n_0)`` and labels ``(n,)`` or ``(n, n_{L+1})``.
    lr : float
        The learning rate :math:`\eta > 0`.
    epochs : int
        Passes over the data (>= 1).
    batch_size : int
        Samples per step; 1 is the paper's per-sample SGD.  Larger than ``n``
        means one full batch.
    seed : int or None
        Seeds the order in which samples are visited.
    shuffle : bool
        Visit the samples in a new random order each epoch (the paper picks
        samples at random); ``False`` keeps the given order.  A single batch
        holding all the samples is not shuffled: its mean gradient is the same
        in any order.
    exact_cost : bool
        Also record J of the whole training set before training
        (``history.initial_cost``) and after every epoch (``history.cost``).

    Returns
    -------
    History
        ``running_cost`` (the running mean of minibatch costs, every epoch),
        ``cost`` and ``initial_cost`` (J of the whole training set, with
        ``exact_cost=True``), and whether and why training stopped early.  A
        divergent run stops at the first non-finite or exploding cost and says
        so in ``history.message``;
        NumPy's overflow warnings are silenced while it does (the weights are
        left as they were when it stopped).
    """
    X2, Y2, history = _start(net, X, Y, lr, epochs, batch_size, exact_cost)
    n, size = len(X2), min(batch_size, len(X2))
    rng = _order(seed, shuffle, size, n)
    full = fast.workspace(net, size)
    last = fast.workspace(net, n % size) if n % size else full
    exact = history.exact_cost
    every = (full if size == n else fast.workspace(net, n)) if exact else None  # for J
    # With one full batch, `every` is the step's own workspace: the forward pass that
    # measures J at the end of an epoch is the next step's forward pass.
    ready = False  # `full` already holds the forward pass of the current weights
    with np.errstate(all="ignore"):
        if exact:
            history.initial_cost = J_all = every.forward(X2, Y2)  # J before the first step
            if history.diverges(J_all, epoch=1):
                return history
            ready = every is full
        for epoch in range(1, epochs + 1):
            running = 0.0
            for rows in minibatches(n, size, rng):
                if ready:  # one full batch whose forward pass is already done
                    ws, J, ready = full, J_all, False
                elif isinstance(rows, slice):  # the given order: a view of the data
                    xb, yb = X2[rows], Y2[rows]
                    ws = full if len(xb) == size else last
                    J = ws.forward(xb, yb)  # forward pass and its cost J
                else:  # a shuffled batch, gathered into the workspace
                    ws = full if len(rows) == size else last
                    J = ws.forward(*ws.gather(X2, Y2, rows))
                if history.diverges(J, epoch):
                    return history
                running += J * ws.n
                ws.backward_step(lr)  # backward pass and update
            J_all = None
            if exact:
                J_all = every.forward(X2, Y2)  # J of the whole training set
                if history.diverges(J_all, epoch):
                    return history
                ready = every is full
            history.end_epoch(running / n, J_all)
    return history
