r"""Activation (thresholding) functions g and their derivatives g'.

Section 2 of the book applies a thresholding function g to every node,
:math:`h^{(k)}_i = g(z^{(k)}_i)` (eq. ``forward-h``), and every backward
equation of section 3 contains the factor :math:`\partial g(z)/\partial z = g'(z)`.
Each :class:`Activation` bundles ``g``, ``g'`` and, where it exists, ``g'``
written in terms of the output ``h = g(z)``: for the sigmoid
:math:`g'(z) = h(1-h)`, which lets the backward pass reuse the forward pass's
``h`` instead of evaluating exponentials again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    r"""A thresholding function ``g`` with its derivative.

    Attributes
    ----------
    name : str
        The name used by ``Network(activation=name)``.
    g : callable
        :math:`g(z)`, elementwise.
    dg : callable
        :math:`g'(z) = \partial g(z) / \partial z`, elementwise.
    dg_from_h : callable or None
        :math:`g'` expressed through :math:`h = g(z)` when that is possible
        (sigmoid, tanh, identity, ReLU); ``None`` otherwise.
    """

    name: str
    g: Callable[[Array], Array]
    dg: Callable[[Array], Array]
    dg_from_h: Callable[[Array], Array] | None = None

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


def sigmoid(z: Array) -> Array:
    """Logistic sigmoid :math:`g(z) = 1/(1+e^{-z})`, stable for any finite ``z``.

    Evaluates :math:`e^{-|z|}`, which never overflows, and picks the algebraically
    equal form for each sign of ``z``; ``sigmoid(±1e4)`` gives 1 and 0 with no warning.
    """
    z = np.asarray(z)
    with np.errstate(under="ignore"):  # e^{-|z|} rounding to 0 is the right answer
        e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z: Array) -> Array:
    r""":math:`g'(z) = g(z)\,(1 - g(z))` for the sigmoid."""
    s = sigmoid(z)
    with np.errstate(under="ignore"):
        return s * (1.0 - s)


def tanh(z: Array) -> Array:
    r"""Hyperbolic tangent :math:`g(z) = \tanh z`."""
    return np.tanh(z)


def tanh_prime(z: Array) -> Array:
    r""":math:`g'(z) = 1 - \tanh^2 z`."""
    t = np.tanh(z)
    return 1.0 - t * t


def relu(z: Array) -> Array:
    r"""Rectified linear unit :math:`g(z) = \max(0, z)`."""
    return np.maximum(z, 0.0)


def relu_prime(z: Array) -> Array:
    """:math:`g'(z) = 1` for ``z > 0`` and ``0`` otherwise (the kink at 0 gets 0)."""
    z = np.asarray(z)
    return (z > 0).astype(z.dtype if z.dtype.kind == "f" else float)


def identity(z: Array) -> Array:
    """:math:`g(z) = z`: no threshold at all (section 2 shows why that is not enough)."""
    z = np.asarray(z)
    return z.astype(z.dtype if z.dtype.kind == "f" else float, copy=True)


def identity_prime(z: Array) -> Array:
    """:math:`g'(z) = 1`."""
    z = np.asarray(z)
    return np.ones_like(z, dtype=z.dtype if z.dtype.kind == "f" else float)


def step(z: Array) -> Array:
    """Hard threshold :math:`g(z) = 1` if ``z > 0`` else ``0``.

    The threshold the word "thresholding" first suggests.  Its derivative is
    zero wherever it exists, so no gradient reaches the weights: the book's
    reason for smooth thresholds (section 2).
    """
    z = np.asarray(z)
    return (z > 0).astype(z.dtype if z.dtype.kind == "f" else float)


def step_prime(z: Array) -> Array:
    r""":math:`g'(z) = 0` for every ``z \ne 0`` (undefined at 0; 0 is returned)."""
    z = np.asarray(z)
    return np.zeros_like(z, dtype=z.dtype if z.dtype.kind == "f" else float)


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("sigmoid", sigmoid, sigmoid_prime, lambda h: h * (1.0 - h)),
        Activation("tanh", tanh, tanh_prime, lambda h: 1.0 - h * h),
        Activation("relu", relu, relu_prime, lambda h: (h > 0).astype(h.dtype)),
        Activation("identity", identity, identity_prime, lambda h: np.ones_like(h)),
        Activation("step", step, step_prime, None),
    )
}
"""Every activation by name: sigmoid, tanh, relu, identity, step."""


def get_activation(activation: str | Activation) -> Activation:
    """Look an activation up by name (or pass an :class:`Activation` through).

    Raises
    ------
    ValueError
        For an unknown name; the message lists the known ones.
    """
    if isinstance(activation, Activation):
        return activation
    if not isinstance(activation, str):
        raise TypeError(
            f"activation must be a name such as 'sigmoid' or an Activation, got "
            f"{type(activation).__name__}"
        )
    try:
        return ACTIVATIONS[activation]
    except KeyError:
        known = ", ".join(repr(k) for k in ACTIVATIONS)
        raise ValueError(f"unknown activation {activation!r}; expected one of {known}") from None
