r"""Activation (thresholding) functions g: each one is a single, complete object.

Section 2 of the book applies a thresholding function g to every node,
:math:`h^{(k)}_i = g(z^{(k)}_i)` (eq. ``forward-h``), and every backward
equation of section 3 contains the factor :math:`\partial g(z)/\partial z = g'(z)`.

An :class:`Activation` carries everything any part of ``nnlib`` needs to know
about its g:

* ``g`` and ``dg`` (:math:`g'`), evaluated at ``z``, for
  :class:`~nnlib.network.Network`;
* ``dg_from_h``: :math:`g'` written through the output :math:`h = g(z)` where
  that is possible (the sigmoid's :math:`g'(z) = h(1-h)`), so that the backward
  pass can reuse the forward pass's ``h``;
* ``g_into`` and ``dg_into``: the same two functions writing into an array that
  already exists, for the training step of :mod:`nnlib.fast`; when a definition
  leaves them out they are derived from ``g``, ``dg_from_h`` and ``dg``;
* ``sympy_g``: g as a SymPy expression, for :mod:`nnlib.symbolic` (and
  ``sympy_dg`` where SymPy's own derivative disagrees with ``dg`` at a kink);
* ``kinks``: the points where g has no derivative.

Adding an activation is one entry in :data:`ACTIVATIONS`; the tests run every
part of ``nnlib`` over that registry.  SymPy is imported only when a SymPy form
is asked for: this module needs NumPy alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

Array = np.ndarray
Expr = Any  # a SymPy expression (SymPy is imported lazily)

#: ``g_into(z, out)``: write :math:`g(z)` into ``out``.
GInto = Callable[[Array, Array], None]
#: ``dg_into(z, h, out)``: write :math:`g'(z)` into ``out``; ``h`` is :math:`g(z)`.
DgInto = Callable[[Array, Array, Array], None]

# A 0-d array of the array's dtype: for tiny arrays NumPy handles it faster than
# the Python float 1.0 (and float32 stays float32 either way).
_ONE = {np.dtype(t): np.ones((), dtype=t) for t in (np.float16, np.float32, np.float64)}


def _sympy() -> ModuleType:
    """SymPy, imported on first use (only the SymPy forms need it)."""
    import sympy

    return sympy


@dataclass(frozen=True, eq=False)
class Activation:
    r"""A thresholding function ``g``, complete: values, derivatives, in-place and SymPy forms.

    Attributes
    ----------
    name : str
        The name used by ``Network(activation=name)``.
    g : callable
        :math:`g(z)`, elementwise; returns a new array.
    dg : callable
        :math:`g'(z) = \partial g(z) / \partial z`, elementwise; 0 at a kink.
    dg_from_h : callable or None
        :math:`g'` expressed through :math:`h = g(z)` when ``h`` determines it
        (sigmoid, tanh, softplus, identity, ReLU); ``None`` otherwise (the step).
    g_into : callable
        ``g_into(z, out)`` writes :math:`g(z)` into ``out`` (same shape and dtype).
        Derived from ``g`` when not given.
    dg_into : callable
        ``dg_into(z, h, out)`` writes :math:`g'(z)` into ``out``, reading it from
        ``h = g(z)`` when it can.  Derived from ``dg_from_h`` (or else ``dg``)
        when not given.
    sympy_g : callable or None
        ``sympy_g(t)``: :math:`g(t)` as a SymPy expression; ``None`` if g has none.
    sympy_dg : callable or None
        ``sympy_dg(t)``: :math:`g'(t)` in SymPy, given only where SymPy's own
        derivative of ``sympy_g`` would differ from ``dg`` (the value at a kink).
    kinks : tuple of float
        The points where g is not differentiable (``dg`` returns 0 there).

    Two activations are the same only if they are the same object, so a user's
    own ``Activation("sigmoid", ...)`` never borrows the built-in's shortcuts.
    """

    name: str
    g: Callable[[Array], Array]
    dg: Callable[[Array], Array]
    dg_from_h: Callable[[Array], Array] | None = None
    g_into: GInto | None = None
    dg_into: DgInto | None = None
    sympy_g: Callable[[Expr], Expr] | None = None
    sympy_dg: Callable[[Expr], Expr] | None = None
    kinks: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if self.g_into is None:
            object.__setattr__(self, "g_into", _derived_g_into(self.g))
        if self.dg_into is None:
            object.__setattr__(self, "dg_into", _derived_dg_into(self.dg, self.dg_from_h))

    @property
    def smooth(self) -> bool:
        """True when g is differentiable everywhere (no kinks)."""
        return not self.kinks

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


def _derived_g_into(g: Callable[[Array], Array]) -> GInto:
    def g_into(z: Array, out: Array) -> None:
        out[...] = g(z)

    return g_into


def _derived_dg_into(
    dg: Callable[[Array], Array], dg_from_h: Callable[[Array], Array] | None
) -> DgInto:
    if dg_from_h is not None:

        def dg_into(z: Array, h: Array, out: Array) -> None:
            out[...] = dg_from_h(h)

    else:

        def dg_into(z: Array, h: Array, out: Array) -> None:
            out[...] = dg(z)

    return dg_into


def _float_dtype(z: Array) -> np.dtype:
    return z.dtype if z.dtype.kind == "f" else np.dtype(float)


# --- sigmoid -------------------------------------------------------------------------------


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


def _sigmoid_into(z: Array, out: Array) -> None:
    """:math:`1/(1+e^{-z})` in place: e^{-z} overflows to inf for very negative z (giving 0)."""
    np.negative(z, out=out)
    np.exp(out, out=out)
    np.add(out, _ONE[out.dtype], out=out)
    np.reciprocal(out, out=out)


def _sigmoid_dg_into(z: Array, h: Array, out: Array) -> None:
    """:math:`g' = h(1-h)`."""
    np.subtract(_ONE[out.dtype], h, out=out)
    np.multiply(out, h, out=out)


# --- tanh ----------------------------------------------------------------------------------


def tanh(z: Array) -> Array:
    r"""Hyperbolic tangent :math:`g(z) = \tanh z`."""
    return np.tanh(z)


def tanh_prime(z: Array) -> Array:
    r""":math:`g'(z) = 1 - \tanh^2 z`."""
    t = np.tanh(z)
    return 1.0 - t * t


def _tanh_into(z: Array, out: Array) -> None:
    np.tanh(z, out=out)


def _tanh_dg_into(z: Array, h: Array, out: Array) -> None:
    """:math:`g' = 1 - h^2`."""
    np.multiply(h, h, out=out)
    np.subtract(_ONE[out.dtype], out, out=out)


# --- softplus ------------------------------------------------------------------------------


def softplus(z: Array) -> Array:
    r"""Softplus :math:`g(z) = \log(1 + e^z)`, a smooth ReLU, exact for any finite ``z``.

    ``np.logaddexp(0, z)`` never overflows: ``softplus(1e4)`` is 1e4 and
    ``softplus(-1e4)`` is 0, with no warning.
    """
    z = np.asarray(z)
    with np.errstate(under="ignore"):
        return np.logaddexp(0.0, z, dtype=_float_dtype(z))


def softplus_prime(z: Array) -> Array:
    r""":math:`g'(z) = 1/(1+e^{-z})`: the derivative of softplus is the sigmoid."""
    return sigmoid(z)


def softplus_prime_from_h(h: Array) -> Array:
    r""":math:`g' = 1 - e^{-h}` for :math:`h = \log(1+e^z)` (via ``expm1``, exact for tiny h)."""
    return -np.expm1(-h)


def _softplus_into(z: Array, out: Array) -> None:
    np.logaddexp(0.0, z, out=out)


def _softplus_dg_into(z: Array, h: Array, out: Array) -> None:
    """:math:`g' = 1 - e^{-h}`."""
    np.negative(h, out=out)
    np.expm1(out, out=out)
    np.negative(out, out=out)


# --- ReLU ----------------------------------------------------------------------------------


def relu(z: Array) -> Array:
    r"""Rectified linear unit :math:`g(z) = \max(0, z)`."""
    return np.maximum(z, 0.0)


def relu_prime(z: Array) -> Array:
    """:math:`g'(z) = 1` for ``z > 0`` and ``0`` otherwise (the kink at 0 gets 0)."""
    z = np.asarray(z)
    return (z > 0).astype(_float_dtype(z))


def _relu_into(z: Array, out: Array) -> None:
    np.maximum(z, 0, out=out)


def _relu_dg_into(z: Array, h: Array, out: Array) -> None:
    """:math:`g' = [h > 0]`."""
    np.greater(h, 0, out=out)


# --- identity ------------------------------------------------------------------------------


def identity(z: Array) -> Array:
    """:math:`g(z) = z`: no threshold at all (section 2 shows why that is not enough)."""
    z = np.asarray(z)
    return z.astype(_float_dtype(z), copy=True)


def identity_prime(z: Array) -> Array:
    """:math:`g'(z) = 1`."""
    z = np.asarray(z)
    return np.ones_like(z, dtype=_float_dtype(z))


def _identity_into(z: Array, out: Array) -> None:
    np.copyto(out, z)


def _identity_dg_into(z: Array, h: Array, out: Array) -> None:
    out.fill(1)


# --- step ----------------------------------------------------------------------------------


def step(z: Array) -> Array:
    """Hard threshold :math:`g(z) = 1` if ``z > 0`` else ``0``.

    The threshold the word "thresholding" first suggests.  Its derivative is
    zero wherever it exists, so no gradient reaches the weights: the book's
    reason for smooth thresholds (section 2).
    """
    z = np.asarray(z)
    return (z > 0).astype(_float_dtype(z))


def step_prime(z: Array) -> Array:
    r""":math:`g'(z) = 0` for every ``z \ne 0`` (undefined at 0; 0 is returned)."""
    z = np.asarray(z)
    return np.zeros_like(z, dtype=_float_dtype(z))


# --- the registry --------------------------------------------------------------------------

ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            "sigmoid",
            sigmoid,
            sigmoid_prime,
            dg_from_h=lambda h: h * (1.0 - h),
            g_into=_sigmoid_into,
            dg_into=_sigmoid_dg_into,
            sympy_g=lambda t: 1 / (1 + _sympy().exp(-t)),
        ),
        Activation(
            "tanh",
            tanh,
            tanh_prime,
            dg_from_h=lambda h: 1.0 - h * h,
            g_into=_tanh_into,
            dg_into=_tanh_dg_into,
            sympy_g=lambda t: _sympy().tanh(t),
        ),
        Activation(
            "relu",
            relu,
            relu_prime,
            dg_from_h=lambda h: (h > 0).astype(h.dtype),
            g_into=_relu_into,
            dg_into=_relu_dg_into,
            sympy_g=lambda t: _sympy().Max(t, 0),
            sympy_dg=lambda t: _sympy().Heaviside(t, 0),
            kinks=(0.0,),
        ),
        Activation(
            "identity",
            identity,
            identity_prime,
            dg_from_h=lambda h: np.ones_like(h),
            g_into=_identity_into,
            dg_into=_identity_dg_into,
            sympy_g=lambda t: t,
        ),
        Activation(
            "step",
            step,
            step_prime,
            sympy_g=lambda t: _sympy().Heaviside(t, 0),
            sympy_dg=lambda t: _sympy().Integer(0),
            kinks=(0.0,),
        ),
        Activation(
            "softplus",
            softplus,
            softplus_prime,
            dg_from_h=softplus_prime_from_h,
            g_into=_softplus_into,
            dg_into=_softplus_dg_into,
            sympy_g=lambda t: _sympy().log(1 + _sympy().exp(t)),
        ),
    )
}
"""Every activation by name: sigmoid, tanh, relu, identity, step, softplus."""


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
