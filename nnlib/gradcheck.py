r"""Gradient checking by central differences (the book's numeric proof of every step).

For each weight the derivative of J is estimated as

.. math:: \frac{\partial J}{\partial W} \approx \frac{J(W + \varepsilon) - J(W - \varepsilon)}{2\varepsilon}

(error :math:`O(\varepsilon^2)`), and compared with backpropagation through the
relative error :math:`|a - n| / \max(|a|, |n|)` (eq. ``relative-error``).  In
float64 a correct gradient of a smooth network gives about 1e-7 or less; a wrong
factor anywhere gives something near 1.
"""

from __future__ import annotations

import numbers
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


def node_gradient(
    net: Network, x: object, y: object, k: int, *, wrt: str = "z", eps: float = 1e-5
) -> Array:
    r"""Central differences of one sample's Loss with respect to every node of layer ``k``.

    Estimates :math:`\partial\text{Loss}/\partial z^{(k)}_i` (``wrt="z"``, the
    :math:`\delta^{(k)}_i` of eqs. ``dloss-dz-last-hidden`` and ``dloss-dz-hidden``)
    or :math:`\partial\text{Loss}/\partial h^{(k)}_i` (``wrt="h"``) for every
    ``i``: the node is nudged by :math:`\pm\varepsilon` and the forward pass is
    run from layer ``k`` up to the loss, with the network's own weights, biases,
    thresholds and loss.  Backpropagation does not enter, so this checks it.

    Parameters
    ----------
    net : Network
        A float64 network.
    x : array_like
        One input, shape ``(n_0,)``.
    y : array_like
        Its label.
    k : int
        The layer: 1 .. L+1 for ``wrt="z"``, 1 .. L for ``wrt="h"`` (the output's
        :math:`h^{(L+1)} = g(z)` is the prediction itself).
    wrt : {"z", "h"}
        Which value of the nodes is nudged.
    eps : float
        The step :math:`\varepsilon`.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_k,)``.
    """
    eps = _checks.positive_number(eps, "eps")
    if net.dtype != np.float64:
        raise ValueError(f"node_gradient needs a float64 network, got {net.dtype}")
    if wrt not in ("z", "h"):
        raise ValueError(f"wrt must be 'z' or 'h', got {wrt!r}")
    top = net.L + 1 if wrt == "z" else net.L
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= k <= top:
        raise ValueError(f"k must be a layer 1 .. {top} for wrt={wrt!r}, got {k!r}")
    fw = net.forward(x)
    if fw.z[k].ndim != 1:
        raise ValueError(f"x must be one sample of shape ({net.sizes[0]},), got a batch")
    Y = net.as_labels(y, 1)[0]

    def loss_from(value: Array) -> float:
        h = net.g(k).g(value) if wrt == "z" else value
        for m in range(k + 1, net.L + 2):
            z = net.W[m] @ h
            if net.b is not None:
                z = z + net.b[m]
            h = net.g(m).g(z)
        return float(net.loss_fn.value(h, Y).sum())

    start = fw.z[k] if wrt == "z" else fw.h[k]
    grad = np.empty(start.shape)
    for i in range(start.size):
        up, down = start.copy(), start.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (loss_from(up) - loss_from(down)) / (2 * eps)
    return grad


def error_bound(err: float) -> float:
    """The smallest power of ten at or above ``err`` (5.6e-09 gives 1e-08).

    The book prints errors this way, so that a stored output stays the same when
    round-off moves the error within its decade.
    """
    return float(10.0 ** np.ceil(np.log10(max(float(err), 1e-300))))


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
