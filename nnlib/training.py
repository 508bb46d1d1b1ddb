r"""Stochastic gradient descent (section 3.6), with minibatches and divergence detection.

The paper's algorithm picks one random sample :math:`\bar x^{(t)}`, backpropagates
its loss and moves every weight against the gradient:

.. math:: W^{(k)}_{ij} \leftarrow W^{(k)}_{ij} - \eta\,
          \frac{\partial \text{Loss}(h(\bar x^{(t)}), y^{(t)})}{\partial W^{(k)}_{ij}}
          \qquad \text{(eq. sgd-update, sign corrected; see the errata)}

``batch_size=1`` is exactly that; a larger batch averages the gradient over
``batch_size`` samples first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from . import _checks, fast
from .network import Network

#: J may grow by at most this factor over its first value before training is
#: declared divergent (besides becoming NaN or infinite).
EXPLOSION_FACTOR = 1e6


@dataclass
class History:
    """What :func:`train` did.

    Attributes
    ----------
    loss : list of float
        One value per completed epoch: the mean of the minibatch costs J that
        the epoch's forward passes computed (weights move during the epoch, so
        this is the running training cost, as SGD sees it).
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

    def __len__(self) -> int:
        return len(self.loss)


def train(
    net: Network,
    X: object,
    Y: object,
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

    The step is the one ``net.step(net.backward(net.forward(xb), yb), lr)``
    takes, computed in place by :class:`nnlib.fast.Workspace` (preallocated
    arrays, :math:`g'` read from the cached :math:`h`, the cost taken from the
    forward pass the step already does); see :mod:`nnlib.fast` for how, and
    ``tests/test_fast_path.py`` for the proof that the two agree.  The data are
    validated once, before the first step.

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
        The loss per epoch, and whether and why training stopped early.  A
        divergent run stops at the first non-finite or exploding J and says so
        in ``history.message``; NumPy's overflow warnings are silenced while it
        does (the weights are left as they were when it stopped).
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be an nnlib.Network, got {type(net).__name__}")
    lr = _checks.positive_number(lr, "lr")
    epochs = _checks.positive_int(epochs, "epochs")
    batch_size = _checks.positive_int(batch_size, "batch_size")
    # Validate the data once, up front; the steps below trust it.
    X2, _ = _checks.as_inputs(X, net.sizes[0], net.dtype)
    n = X2.shape[0]
    Y2 = _checks.as_labels(Y, n, net.sizes[-1], net.dtype)
    net.loss_fn.check_labels(Y2)
    history = History(lr=lr, batch_size=batch_size, epochs=epochs)
    size = min(batch_size, n)
    # One batch that holds all the data has the same mean gradient in any row
    # order, so shuffling it would change nothing but the rounding.
    shuffle = shuffle and size < n
    rng = np.random.default_rng(seed) if shuffle else None
    full = fast.workspace(net, size)
    last = fast.workspace(net, n % size) if n % size else full
    first: float | None = None
    with np.errstate(all="ignore"):
        for epoch in range(1, epochs + 1):
            order = rng.permutation(n) if rng is not None else None
            total = 0.0
            for start in range(0, n, size):
                stop = min(start + size, n)
                ws = full if stop - start == size else last
                if size == n:
                    xb, yb = X2, Y2
                elif order is None:
                    xb, yb = X2[start:stop], Y2[start:stop]
                else:
                    xb, yb = ws.gather(X2, Y2, order[start:stop])
                J = ws.forward(xb, yb)  # forward pass and its cost J
                if first is None:
                    first = J
                if not math.isfinite(J) or J > EXPLOSION_FACTOR * (abs(first) + 1.0):
                    history.diverged = True
                    history.message = (
                        f"training diverged in epoch {epoch}: J = {J:.3g} "
                        f"(it started at {first:.3g}); "
                        f"the learning rate lr = {lr:g} is probably too large"
                    )
                    return history
                total += J * (stop - start)
                ws.backward_step(lr)  # backward pass and update
            history.loss.append(total / n)
    return history
