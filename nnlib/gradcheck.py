r"""Gradient checking by central differences (the book's numeric proof of every step).

For each weight the derivative of J is estimated as

.. math:: \frac{\partial J}{\partial W} \approx \frac{J(W + \varepsilon) - J(W - \varepsilon)}{2\varepsilon}

(error :math:`O(\varepsilon^2)`), and compared with backpropagation through the
relative error :math:`|a - n| / \max(|a|, |n|)` (eq. ``relative-error``).  In
float64 a correct gradient of a smooth network gives about 1e-7 or less; a wrong
factor anywhere gives something near 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _checks
from .network import Gradients, Layers, Network

Array = np.ndarray


def relative_error(analytic: Array, numeric: Array, floor: float = 1e-4) -> Array:
    r"""Elementwise :math:`|a-n| / \max(|a|, |n|, \text{floor})` (eq. ``relative-error``).

    The ``floor`` keeps entries where both gradients are (nearly) zero from
    dividing round-off by round-off: below it the error is absolute/floor.
    """
    a, n = np.asarray(analytic, dtype=float), np.asarray(numeric, dtype=float)
    return np.abs(a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)), floor)


@dataclass
class GradCheck:
    """The outcome of :func:`gradcheck`.

    Attributes
    ----------
    analytic, numeric : Layers
        ``[k]`` holds dJ/dW^(k) from backpropagation and from central differences.
    errors : dict
        The largest relative error in each layer's weights, ``errors[k]``
        (and ``errors[("b", k)]`` for biases).
    """

    analytic: Layers
    numeric: Layers
    errors: dict

    @property
    def max_error(self) -> float:
        """The largest relative error over every parameter."""
        return max(self.errors.values())

    def ok(self, tol: float = 1e-6) -> bool:
        """True when every relative error is at most ``tol``."""
        return self.max_error <= tol


def numeric_gradient(net: Network, X: object, Y: object, param: Array, eps: float) -> Array:
    """Central differences of ``net.loss(X, Y)`` with respect to every entry of ``param``.

    ``param`` must be one of the network's own arrays (it is perturbed in place
    and restored).
    """
    grad = np.zeros(param.shape, dtype=np.float64)
    for idx in np.ndindex(param.shape):  # nudges go into param itself, whatever its layout
        old = param[idx]
        param[idx] = old + eps
        up = net.loss(X, Y)
        param[idx] = old - eps
        down = net.loss(X, Y)
        param[idx] = old
        grad[idx] = (up - down) / (2 * eps)
    return grad


def gradcheck(
    net: Network,
    X: object,
    Y: object,
    eps: float = 1e-5,
    floor: float = 1e-4,
    grads: Gradients | None = None,
) -> GradCheck:
    r"""Compare backpropagation with central differences for every weight (and bias).

    Parameters
    ----------
    net : Network
        A float64 network (float32 is too coarse for differences).
    X, Y : array_like
        The data J is measured on.
    eps : float
        The step :math:`\varepsilon` of the central difference.
    floor : float
        The relative error's floor (see :func:`relative_error`).
    grads : Gradients, optional
        The analytic gradients to check; by default ``net.backward(net.forward(X), Y)``.
        Passing your own lets you test a hand-written backward pass.

    Returns
    -------
    GradCheck
    """
    eps = _checks.positive_number(eps, "eps")
    if net.dtype != np.float64:
        raise ValueError(f"gradcheck needs a float64 network, got {net.dtype}")
    if grads is None:
        grads = net.gradients(X, Y)
    analytic, numeric, errors = Layers("dW"), Layers("dW"), {}
    if net.b is not None and grads.db is None:
        raise ValueError("the network has biases, so grads must carry db (bias gradients) too")
    for kind, k, param in net.parameters():
        a = grads.dW[k] if kind == "W" else grads.db[k]
        n = numeric_gradient(net, X, Y, param, eps)
        key = k if kind == "W" else ("b", k)
        if kind == "W":
            analytic[k], numeric[k] = a, n
        errors[key] = float(np.max(relative_error(a, n, floor)))
    return GradCheck(analytic=analytic, numeric=numeric, errors=errors)
