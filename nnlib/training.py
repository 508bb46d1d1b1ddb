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

    Attributes
    ----------
    cost : list of float
        The cost J of the whole training set (eq. ``cost``, the number
        ``net.loss(X, Y)`` gives, L2 term included) with the weights at the end
        of each completed epoch: ``cost[e]`` is J after epoch ``e + 1``.
    initial_cost : float or None
        J of the whole training set before the first step.
    loss : list of float
        The running training cost: for each completed epoch, the mean over its
        samples of the J of the minibatch each sample was in, measured by that
        minibatch's forward pass just before its step.  The weights move during
        the epoch, so this is not the J of any one set of weights (with one full
        batch it is J at the start of the epoch).  Plot ``cost`` to show J.
    diverged : bool
        True if training stopped because J became NaN/infinite or exploded.
    message : str or None
        Why training stopped early, in words; None when it ran to the end.
    lr, batch_size, epochs : numbers
        The settings used.
    """

    lr: float
    batch_size: int
    epochs: int
    loss: list[float] = field(default_factory=list)
    diverged: bool = False
    message: str | None = None
    cost: list[float] = field(default_factory=list)
    initial_cost: float | None = None

    def __len__(self) -> int:
        """The number of completed epochs."""
        return len(self.cost)

    def diverges(self, J: float, epoch: int) -> bool:
        """Whether ``J`` is NaN, infinite or exploded; if so, record why training stops."""
        if self.initial_cost is None:
            self.initial_cost = J
        if math.isfinite(J) and J <= EXPLOSION_FACTOR * (abs(self.initial_cost) + 1.0):
            return False
        self.diverged = True
        self.message = (
            f"training diverged in epoch {epoch}: J = {J:.3g} "
            f"(it started at {self.initial_cost:.3g}); "
            f"the learning rate lr = {self.lr:g} is probably too large"
        )
        return True

    def end_epoch(self, loss: float, cost: float) -> None:
        """Record a completed epoch: its running training cost and J at its end."""
        self.loss.append(loss)
        self.cost.append(cost)


def _start(
    net: Network, X: object, Y: object, lr: object, epochs: object, batch_size: object
) -> tuple[Array, Array, History]:
    """Check every setting and the data once, before any step; return 2-D data and a History."""
    if not isinstance(net, Network):
        raise TypeError(f"net must be an nnlib.Network, got {type(net).__name__}")
    lr = _checks.positive_number(lr, "lr")
    epochs = _checks.positive_int(epochs, "epochs")
    batch_size = _checks.positive_int(batch_size, "batch_size")
    X2, _ = _checks.as_inputs(X, net.sizes[0], net.dtype)
    Y2 = net.as_labels(Y, X2.shape[0])
    return X2, Y2, History(lr=lr, batch_size=batch_size, epochs=epochs)


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
) -> History:
    r"""Train ``net`` by (minibatch) SGD, written as plainly as the book teaches it.

    For every minibatch: the forward pass (section 2), its cost J, the backward
    pass (section 3.6) and the update :math:`W^{(k)} \leftarrow W^{(k)} - \eta\,
    \partial J/\partial W^{(k)}` (eq. ``sgd-update``).  After every epoch, J of
    the whole training set.  :func:`train` takes exactly these steps, faster;
    the settings, the result and the errors are the same (see :func:`train`).
    """
    X, Y, history = _start(net, X, Y, lr, epochs, batch_size)
    n, size = len(X), min(batch_size, len(X))
    rng = _order(seed, shuffle, size, n)
    with np.errstate(all="ignore"):  # a divergent run is reported, not warned about
        history.initial_cost = net.loss(X, Y)  # J before the first step
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
            J = net.loss(X, Y)  # J of the whole training set, at the end of the epoch
            if history.diverges(J, epoch):
                return history
            history.end_epoch(loss=running / n, cost=J)
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
    validated once, before the first step.  J of the whole training set at the
    end of each epoch costs one more forward pass over the data (none with one
    full batch: the next step's forward pass is that J).

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

    Returns
    -------
    History
        ``cost`` (J of the whole training set after each epoch),
        ``initial_cost``, ``loss`` (the running mean of minibatch costs), and
        whether and why training stopped early.  A divergent run stops at the
        first non-finite or exploding J and says so in ``history.message``;
        NumPy's overflow warnings are silenced while it does (the weights are
        left as they were when it stopped).
    """
    X2, Y2, history = _start(net, X, Y, lr, epochs, batch_size)
    n, size = len(X2), min(batch_size, len(X2))
    rng = _order(seed, shuffle, size, n)
    full = fast.workspace(net, size)
    last = fast.workspace(net, n % size) if n % size else full
    every = full if size == n else fast.workspace(net, n)  # all the data: for J
    with np.errstate(all="ignore"):
        J_all = every.forward(X2, Y2)  # J before the first step
        history.initial_cost = J_all
        if history.diverges(J_all, epoch=1):
            return history
        for epoch in range(1, epochs + 1):
            if size == n:  # one full batch: its forward pass is the J just measured
                running = J_all
                full.backward_step(lr)  # backward pass and update
            else:
                running = 0.0
                for rows in minibatches(n, size, rng):
                    if isinstance(rows, slice):  # the given order: a view of the data
                        xb, yb = X2[rows], Y2[rows]
                        ws = full if len(xb) == size else last
                    else:  # a shuffled batch, gathered into the workspace
                        ws = full if len(rows) == size else last
                        xb, yb = ws.gather(X2, Y2, rows)
                    J = ws.forward(xb, yb)  # forward pass and its cost J
                    if history.diverges(J, epoch):
                        return history
                    running += J * len(xb)
                    ws.backward_step(lr)  # backward pass and update
                running /= n
            J_all = every.forward(X2, Y2)  # J of the whole training set
            if history.diverges(J_all, epoch):
                return history
            history.end_epoch(loss=running, cost=J_all)
    return history
