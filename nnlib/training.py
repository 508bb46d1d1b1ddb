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

from dataclasses import dataclass, field

import numpy as np

from . import _checks
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
        samples at random); ``False`` keeps the given order.

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
    fw_all = net.forward(X)  # validates X once
    X2 = fw_all.h[0] if not fw_all.single else fw_all.h[0][None]
    _, _, Y2 = net._rows(fw_all, Y)  # validates Y once
    n = X2.shape[0]
    rng = np.random.default_rng(seed)
    history = History(lr=lr, batch_size=batch_size, epochs=epochs)
    first: float | None = None
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for epoch in range(1, epochs + 1):
            order = rng.permutation(n) if shuffle else np.arange(n)
            total = 0.0
            for start in range(0, n, batch_size):
                idx = order[start : start + batch_size]
                xb, yb = X2[idx], Y2[idx]
                fw = net.forward(xb)
                J = net.cost(fw, yb)
                if first is None:
                    first = J
                if not np.isfinite(J) or J > EXPLOSION_FACTOR * (abs(first) + 1.0):
                    history.diverged = True
                    history.message = (
                        f"training diverged in epoch {epoch}: J = {J:.3g} "
                        f"(it started at {first:.3g}); "
                        f"the learning rate lr = {lr:g} is probably too large"
                    )
                    return history
                total += J * len(idx)
                net.step(net.backward(fw, yb), lr)
            history.loss.append(total / n)
    return history
