r"""The running example of chapter 3: one small network and one training pair.

Every chapter of the backpropagation part (sections 3 to 3.6) computes its
quantity on this same network, so a reader can follow one set of numbers from the
forward pass (chapter 3) through every :math:`\delta^{(k)}_i` and every
:math:`\partial\text{Loss}/\partial W^{(k)}_{ij}` to the update of section 3.6.

The network has sizes ``[2, 2, 2, 1]``: two inputs, two hidden layers of two
nodes (so that the recursion of section 3.5 has a hidden layer to act on), one
output; sigmoid thresholds, the logistic loss, no biases (as in the paper).  Its
weights are short decimals so that the numbers on the figures can be checked by
hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network

Array = np.ndarray

#: Sizes of the worked example: n_0 = 2 inputs, L = 2 hidden layers of 2, one output.
SIZES = (2, 2, 2, 1)

#: W^(k) of the worked example, rows i, columns j (so WEIGHTS[k][i-1][j-1] is W^(k)_ij).
WEIGHTS = {
    1: ((0.5, -1.0), (1.5, 0.5)),
    2: ((1.0, -0.5), (-1.0, 2.0)),
    3: ((2.0, -1.5),),
}

#: The single training pair (x, y) of the worked example.
X = (1.0, 2.0)
Y = 1.0


@dataclass(frozen=True)
class WorkedExample:
    """The network of the running example with its one training pair.

    Attributes
    ----------
    net : Network
        A fresh copy each call (training it does not change the next call's).
    x : numpy.ndarray
        The input :math:`\\bar x`, shape ``(2,)``.
    y : float
        The label :math:`y`.
    """

    net: Network
    x: Array
    y: float


def worked_example() -> WorkedExample:
    """The running example of chapter 3 (sizes ``[2, 2, 2, 1]``, sigmoid, logistic loss).

    Examples
    --------
    >>> ex = worked_example()
    >>> ex.net.sizes, ex.x.tolist(), ex.y
    ((2, 2, 2, 1), [1.0, 2.0], 1.0)
    """
    net = Network(list(SIZES), activation="sigmoid", loss="logistic", seed=0)
    for k, rows in WEIGHTS.items():
        net.W[k][...] = np.array(rows, dtype=net.dtype)
    return WorkedExample(net=net, x=np.array(X, dtype=net.dtype), y=Y)
