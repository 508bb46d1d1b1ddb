r"""Loss functions Loss(g(z), y): each one a single object that owns its output delta.

Section 3 of the book measures a prediction :math:`h(\bar x; W) = g(z)` against
its label ``y`` with :math:`\text{Loss}(g(z), y)` and averages it into the cost
:math:`J = \frac1n \sum_t \text{Loss}(h(\bar x^{(t)}), y^{(t)})` (eq. ``cost``).
The first step of backpropagation (eq. ``dloss-dz``, section 3.1) multiplies
:math:`\partial \text{Loss}/\partial g(z)` -- the ``grad`` of each loss here --
by :math:`g'(z)`.

A :class:`Loss` carries its value and ``grad``, its label check, the output
activations it accepts (:meth:`Loss.check_output`), its SymPy form, and the
methods every part of ``nnlib`` asks for the output layer:
:meth:`Loss.sample_losses` (the summands of J), :meth:`Loss.output_delta`
(:math:`\partial\text{Loss}/\partial z`) and :meth:`Loss.output_kernel` (both at
once, in place, for the training step of :mod:`nnlib.fast`).  Where the product
of eq. ``dloss-dz`` simplifies for one output activation -- the logistic loss of a
sigmoid gives :math:`g(z) - y` -- the loss holds that simplified form
(:class:`Simplified`) and uses it.

With several output nodes the loss of one sample is the sum over its nodes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .activations import ACTIVATIONS, Activation, Expr, _sympy, sigmoid

Array = np.ndarray

#: ``value_and_grad_into(a, y, out)``: write dLoss/da into ``out``, return the sum of Loss.
ValueAndGradInto = Callable[[Array, Array, Array], float]
#: ``kernel(z, h, y, out, tmp)``: write dLoss/dz into ``out``, return the sum of Loss.
OutputKernel = Callable[[Array, Array, Array, Array, Array], float]


@dataclass(frozen=True)
class Simplified:
    r"""A loss of one output activation written directly in ``z``.

    The product :math:`\partial\text{Loss}/\partial g(z)\cdot g'(z)` of eq.
    ``dloss-dz`` can cancel to something simpler; evaluating that simpler form
    stays exact when :math:`g(z)` rounds to 0 or 1.

    Attributes
    ----------
    value : callable
        ``value(z, y)``: :math:`\text{Loss}(g(z), y)`, elementwise.
    dz : callable
        ``dz(z, y)``: :math:`\partial\text{Loss}/\partial z`, elementwise.
    kernel : callable or None
        The in-place form ``kernel(z, h, y, out, tmp) -> float`` (see
        :meth:`Loss.output_kernel`); derived from ``value`` and ``dz`` if ``None``.
    """

    value: Callable[[Array, Array], Array]
    dz: Callable[[Array, Array], Array]
    kernel: OutputKernel | None = None


@dataclass(frozen=True, eq=False)
class Loss:
    r"""A loss, complete: value, derivative, label domain, allowed outputs, output delta.

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
        The names of the output activations whose values lie in the loss's
        domain (the logistic loss needs :math:`0 < g(z) < 1`); ``None`` allows any.
    domain : str
        The predictions the loss is defined for, in words (for error messages).
    simplified : mapping
        ``{activation: Simplified}``: for these output activations (the objects
        of :data:`~nnlib.activations.ACTIVATIONS`, not just their names) the
        output delta is evaluated in its simplified form.
    value_and_grad_into : callable or None
        In-place form ``(a, y, out) -> float``: writes dLoss/da into ``out`` and
        returns the sum of Loss; derived from ``value`` and ``grad`` if ``None``.
    sympy_value : callable or None
        ``sympy_value(a, y)``: :math:`\text{Loss}(a, y)` as a SymPy expression.
    sympy_grad : callable or None
        ``sympy_grad(a, y)``: :math:`\partial\text{Loss}/\partial a` in SymPy,
        given only where SymPy's own derivative would differ from ``grad`` (at a kink).
    smooth : bool
        False when the loss has a kink (the hinge at :math:`ya = 1`), where ``grad``
        returns the subgradient 0.
    """

    name: str
    value: Callable[[Array, Array], Array]
    grad: Callable[[Array, Array], Array]
    check_labels: Callable[[Array], None]
    outputs: tuple[str, ...] | None = None
    domain: str = "any real prediction"
    simplified: Mapping[Activation, Simplified] = field(default_factory=dict)
    value_and_grad_into: ValueAndGradInto | None = None
    sympy_value: Callable[[Expr, Expr], Expr] | None = None
    sympy_grad: Callable[[Expr, Expr], Expr] | None = None
    smooth: bool = True

    def __post_init__(self) -> None:
        if self.value_and_grad_into is None:
            value, grad = self.value, self.grad

            def value_and_grad_into(a: Array, y: Array, out: Array) -> float:
                out[...] = grad(a, y)
                return float(np.sum(value(a, y)))

            object.__setattr__(self, "value_and_grad_into", value_and_grad_into)

    def __repr__(self) -> str:
        return f"Loss({self.name!r})"

    def check_output(self, activation: Activation) -> None:
        """Raise a ``ValueError`` unless ``activation`` may compute this loss's predictions.

        The one place that states which output activations a loss accepts
        (``Network`` and ``nnlib.symbolic.concretize`` both ask here).
        """
        if self.outputs is not None and activation.name not in self.outputs:
            raise ValueError(
                f"the {self.name} loss needs {self.domain}, but the output activation is "
                f"{activation.name!r}; expected output_activation in {self.outputs}"
            )

    def sample_losses(self, activation: Activation, z: Array, h: Array, y: Array) -> Array:
        r""":math:`\text{Loss}(g(z), y)` of every row (summed over output nodes), the summands of J.

        ``z`` and ``h = g(z)`` are the output layer's, one row per sample.
        """
        simple = self.simplified.get(activation)
        per_node = simple.value(z, y) if simple else self.value(h, y)
        return per_node.sum(axis=1)

    def output_delta(self, activation: Activation, z: Array, h: Array, y: Array) -> Array:
        r"""Eq. ``dloss-dz`` (section 3.1): :math:`\partial\text{Loss}/\partial z =
        \partial\text{Loss}/\partial g(z)\cdot g'(z)` for the output activation ``activation``.

        Uses the simplified form where this loss has one for ``activation``
        (the logistic loss of a sigmoid: :math:`g(z) - y`).
        """
        simple = self.simplified.get(activation)
        if simple:
            return simple.dz(z, y)
        return self.grad(h, y) * activation.dg(z)

    def output_kernel(self, activation: Activation) -> OutputKernel:
        r"""The in-place output step of the training loop, for output activation ``activation``.

        Returns ``kernel(z, h, y, out, tmp) -> float``, which writes
        :math:`\partial\text{Loss}/\partial z` (eq. ``dloss-dz``, as
        :meth:`output_delta`) into ``out`` and returns the sum of
        :math:`\text{Loss}` over every row and node (``n J`` without the L2
        term); ``tmp`` is scratch space of the same shape.
        """
        simple = self.simplified.get(activation)
        if simple is not None:
            if simple.kernel is not None:
                return simple.kernel

            def simplified_kernel(z: Array, h: Array, y: Array, out: Array, tmp: Array) -> float:
                out[...] = simple.dz(z, y)
                return float(np.sum(simple.value(z, y)))

            return simplified_kernel
        value_and_grad_into, dg_into = self.value_and_grad_into, activation.dg_into

        def kernel(z: Array, h: Array, y: Array, out: Array, tmp: Array) -> float:
            total = value_and_grad_into(h, y, out)  # dLoss/dg(z) ...
            dg_into(z, h, tmp)
            np.multiply(out, tmp, out=out)  # ... times g'(z)
            return total

        return kernel


# --- squared error -----------------------------------------------------------------


def squared(a: Array, y: Array) -> Array:
    r"""Squared error :math:`\text{Loss}(a, y) = \tfrac12 (a - y)^2`."""
    d = a - y
    return 0.5 * d * d


def squared_grad(a: Array, y: Array) -> Array:
    r""":math:`\partial\text{Loss}/\partial a = a - y` for the squared error."""
    return a - y


def _squared_value_and_grad_into(a: Array, y: Array, out: Array) -> float:
    np.subtract(a, y, out=out)  # dLoss/da = a - y, and Loss = (a - y)^2 / 2
    return 0.5 * float(np.vdot(out, out))


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


def _logistic_of_sigmoid_kernel(z: Array, h: Array, y: Array, out: Array, tmp: Array) -> float:
    """In place: the sum of :math:`\\log(1+e^z) - yz` returned, :math:`g(z) - y` into ``out``."""
    np.logaddexp(0.0, z, out=out)  # exact for any z
    np.multiply(y, z, out=tmp)
    out -= tmp
    total = float(out.sum())
    np.subtract(h, y, out=out)
    return total


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


# --- the registry ------------------------------------------------------------------

LOSSES: dict[str, Loss] = {
    l.name: l
    for l in (
        Loss(
            "squared",
            squared,
            squared_grad,
            _any_real,
            value_and_grad_into=_squared_value_and_grad_into,
            sympy_value=lambda a, y: (a - y) ** 2 / 2,
        ),
        Loss(
            "logistic",
            logistic,
            logistic_grad,
            _labels_in_unit_interval,
            outputs=("sigmoid",),
            domain="predictions g(z) strictly between 0 and 1",
            simplified={
                ACTIVATIONS["sigmoid"]: Simplified(
                    logistic_of_sigmoid_z, logistic_of_sigmoid_dz, _logistic_of_sigmoid_kernel
                )
            },
            sympy_value=lambda a, y: -y * _sympy().log(a) - (1 - y) * _sympy().log(1 - a),
        ),
        Loss(
            "hinge",
            hinge,
            hinge_grad,
            _labels_plus_minus_one,
            sympy_value=lambda a, y: _sympy().Max(0, 1 - y * a),
            sympy_grad=lambda a, y: -y * _sympy().Heaviside(1 - y * a, 0),
            smooth=False,
        ),
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
