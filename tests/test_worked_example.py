"""The running example of chapter 3 is the network the chapters describe."""

import numpy as np

from nnlib import Network
from nnlib.worked_example import SIZES, WEIGHTS, worked_example


def test_worked_example_has_the_documented_weights_and_pair() -> None:
    ex = worked_example()
    assert isinstance(ex.net, Network)
    assert ex.net.sizes == SIZES
    assert (ex.net.activation.name, ex.net.loss_fn.name, ex.net.bias) == ("sigmoid", "logistic", False)
    for k, rows in WEIGHTS.items():
        np.testing.assert_array_equal(ex.net.W[k], np.array(rows))
    assert ex.x.tolist() == [1.0, 2.0] and ex.y == 1.0


def test_each_call_gives_an_independent_network() -> None:
    a, b = worked_example(), worked_example()
    a.net.W[1][0, 0] = 99.0
    assert b.net.W[1][0, 0] == 0.5
