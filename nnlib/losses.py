r"""Loss functions Loss(g(z), y) and their derivatives dLoss/dg(z).

Section 3 of the book measures a prediction :math:`h(\bar x; W) = g(z)` against
its label ``y`` with :math:`\text{Loss}(g(z), y)` and averages it into the cost
:math:`J = \frac1n \sum_t \text{Loss}(h(\bar x^{(t)}), y^{(t)})` (eq. ``cost``).
The first step of backpropagation (eq. ``dloss-dz``, section 3.1) multiplies
:math:`\partial \text{Loss}/\partial g(z)` -- the ``grad`` of each loss here --
by :math:`g'(z)`.

With several output nodes the loss of one sample is the sum over its nodes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .activations import sigmoid

Array = np.ndarray


@dataclass(frozen=True)
class Loss:
    r"""A loss with its derivative with respect to the prediction ``a = g(z)``.

    Attributes
    ----------
    name : str
        The name used by ``Network(loss=name)``.
    value : callable
        ``value(a, y)``: elementwise :math:`\text{Loss}(a, y)`.
    grad : callable
        ``grad(a, y)``: elementwise :math:`\partial \text{Loss}(a, y)/\partial a`.
    check_labels : callable
        Raises ``ValueError`` for labels outside the loss's domain.
    outputs : tuple of str or None
        The output activations whose values lie in the loss's domain (the
        logistic loss needs :math:`0 < g(z) < 1`); ``None`` allows any.
    fused : dict
        For an output activation named in it, ``(value_z, dz)``: the loss and
        :math:`\partial\text{Loss}/\partial z` written directly in ``z``.  The
        product of eq. ``dloss-dz`` can then be evaluated without forming
        ``g(z)`` first, which stays exact when ``g(z)`` rounds to 0 or 1.
    """

    name: str
    value: Callable[[Array, Array], Array]
    grad: Callable[[Array, Array], Array]
    check_labels: Callable[[Array], None]
    outputs: tuple[str, ...] | None = None
    fused: dict[str, tuple[Callable[[Array, Array], Array], Callable[[Array, Array], Array]]] = (
        field(default_factory=dict)
    )

    def __repr__(self) -> str:
        return f"Loss({self.name!r})"


# --- squared error -----------------------------------------------------------------


def squared(a: Array, y: Array) -> Array:
    r"""Squared error :math:`\text{Loss}(a, y) = \tfrac12 (a - y)^2`."""
    d = a - y
    return 0.5 * d * d


def squared_grad(a: Array, y: Array) -> Array:
    r""":math:`\partial\text{Loss}/\partial a = a - y` for the squared error."""
    return a - y


def _any_real(y: Array) -> None:
    """Squared error accepts any finite label (finiteness is checked elsewhere)."""


# --- logistic (binary cross-entropy) -----------------------------------------------


def _clip01(a: Array) -> Array:
    """Keep ``a`` strictly inside (0, 1) so that both logarithms stay finite."""
    info = np.finfo(a.dtype if np.asarray(a).dtype.kind == "f" else np.float64)
    return np.clip(a, info.tiny, 1.0 - info.epsneg)


def logistic(a: Array, y: Array) -> Array:
    r"""Binary cross-entropy :math:`-y\log a - (1-y)\log(1-a)`, ``y`` in [0, 1].

    ``a`` is clipped to the open interval (0, 1) first, so a prediction that
    rounded to exactly 0 or 1 costs a large finite amount instead of ``inf``.
    """
    a = _clip01(np.asarray(a))
    return -(y * np.log(a) + (1.0 - y) * np.log1p(-a))


def logistic_grad(a: Array, y: Array) -> Array:
    r""":math:`\partial\text{Loss}/\partial a = (a - y) / (a(1-a))` (``a`` clipped as above)."""
    a = _clip01(np.asarray(a))
    return (a - y) / (a * (1.0 - a))


def logistic_of_sigmoid_z(z: Array, y: Array) -> Array:
    r"""Logistic loss of ``g(z) = sigmoid(z)`` written in ``z``: :math:`\log(1+e^z) - yz`.

    Exact for any finite ``z`` (``np.logaddexp`` never overflows).
    """
    with np.errstate(under="ignore"):
        return np.logaddexp(0.0, z) - y * z


def logistic_of_sigmoid_dz(z: Array, y: Array) -> Array:
    r"""Eq. ``dloss-dz`` for sigmoid + logistic: :math:`\frac{g(z)-y}{g(z)(1-g(z))}\,g(z)(1-g(z)) = g(z) - y`."""
    return sigmoid(z) - y


def _labels_in_unit_interval(y: Array) -> None:
    bad = (y < 0) | (y > 1)
    if np.any(bad):
        raise ValueError(
            f"logistic loss needs labels y in {{0, 1}} (or probabilities in [0, 1]); "
            f"got {np.asarray(y)[bad].ravel()[0].item()!r}"
        )


# --- hinge -------------------------------------------------------------------------


def hinge(a: Array, y: Array) -> Array:
    r"""Hinge loss :math:`\max(0, 1 - y a)` with labels ``y`` in {-1, +1}."""
    return np.maximum(0.0, 1.0 - y * a)


def hinge_grad(a: Array, y: Array) -> Array:
    r""":math:`\partial\text{Loss}/\partial a = -y` where :math:`ya < 1`, else 0 (0 at the kink)."""
    return np.where(y * a < 1.0, -y, 0.0).astype(np.result_type(a, y))


def _labels_plus_minus_one(y: Array) -> None:
    bad = (y != 1) & (y != -1)
    if np.any(bad):
        raise ValueError(
            f"hinge loss needs labels y in {{-1, +1}}; got {np.asarray(y)[bad].ravel()[0].item()!r}"
        )


LOSSES: dict[str, Loss] = {
    l.name: l
    for l in (
        Loss("squared", squared, squared_grad, _any_real),
        Loss(
            "logistic",
            logistic,
            logistic_grad,
            _labels_in_unit_interval,
            ("sigmoid",),
            {"sigmoid": (logistic_of_sigmoid_z, logistic_of_sigmoid_dz)},
        ),
        Loss("hinge", hinge, hinge_grad, _labels_plus_minus_one),
    )
}
"""Every loss by name: squared, logistic, hinge."""


def get_loss(loss: str | Loss) -> Loss:
    """Look a loss up by name (or pass a :class:`Loss` through).

    Raises
    ------
    ValueError
        For an unknown name; the message lists the known ones.
    """
    if isinstance(loss, Loss):
        return loss
    if not isinstance(loss, str):
        raise TypeError(
            f"loss must be a name such as 'logistic' or a Loss, got {type(loss).__name__}"
        )
    try:
        return LOSSES[loss]
    except KeyError:
        known = ", ".join(repr(k) for k in LOSSES)
        raise ValueError(f"unknown loss {loss!r}; expected one of {known}") from None
