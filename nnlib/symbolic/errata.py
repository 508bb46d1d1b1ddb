r"""The erratum of section 3.6: the update's sign, proven and shown in numbers.

The paper prints the SGD update as :math:`W \leftarrow W + \eta\,\partial\text{Loss}/\partial W`.
:class:`UpdateMixin` gives :class:`~nnlib.symbolic.SymbolicNetwork` the update
with either sign and the proof that only ``-`` descends (the first-order change
of the loss is :math:`\pm\|\nabla\text{Loss}\|^2`); :func:`sgd_sign_demo`
shows the same on numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sympy
from sympy import Symbol

from .. import _checks
from .notation import Expr, Partial, eta

if TYPE_CHECKING:
    from ..network import Network


class UpdateMixin:
    """Eq. ``sgd-update`` (section 3.6) and its erratum, for :class:`~nnlib.symbolic.SymbolicNetwork`.

    Uses the host's ``layers``, ``W``, ``dW_sym``, ``b``, ``db_sym``,
    ``loss_expr`` and ``equal``.
    """

    def gradient_symbols(self) -> dict[Symbol, Partial]:
        r"""Each parameter mapped to its :class:`Partial` symbol :math:`\partial\text{Loss}/\partial w`."""
        out: dict[Symbol, Partial] = {}
        for k in self.layers:
            out.update(zip(self.W[k], self.dW_sym[k], strict=True))
            if self.b is not None and self.db_sym is not None:
                out.update(zip(self.b[k], self.db_sym[k], strict=True))
        return out

    def sgd_update(self, sign: int = -1) -> dict[Symbol, Expr]:
        r"""Eq. ``sgd-update`` (section 3.6): :math:`w \leftarrow w + \text{sign}\cdot\eta\,\partial\text{Loss}/\partial w`.

        ``sign=-1`` is gradient descent; ``sign=+1`` is the update as printed in
        the paper, an erratum (it climbs the loss, see :meth:`update_first_order_change`).
        Returns the new value of every weight (and bias), written with
        :class:`Partial` symbols.
        """
        if sign not in (-1, 1):
            raise ValueError(
                f"sign must be -1 (gradient descent) or +1 (the paper's misprint), got {sign!r}"
            )
        return {w: w + sign * eta * d for w, d in self.gradient_symbols().items()}

    def first_order_change(self, update: Mapping[Symbol, Expr]) -> Expr:
        r"""SymPy's :math:`\frac{d}{d\eta}\,\text{Loss}(\text{update})\big|_{\eta=0}`.

        ``update`` maps parameters to their new values, expressions in
        :data:`eta` (e.g. :meth:`sgd_update`); parameters not in it stay put.
        Every parameter in :meth:`loss_expr` is replaced by its new value, SymPy
        differentiates in :math:`\eta` and sets :math:`\eta = 0`: how fast the
        loss changes as the step starts.

        The step direction is computed at the *current* weights, so it does not
        change with :math:`\eta`: its :class:`Partial` symbols stay symbols while
        SymPy differentiates (:meth:`equal` unfolds them afterwards).
        """
        stepped = self.loss_expr().xreplace(dict(update))
        return sympy.diff(stepped, eta).xreplace({eta: 0})

    def squared_gradient_norm(self) -> Expr:
        r""":math:`\|\nabla\text{Loss}\|^2 = \sum_w (\partial\text{Loss}/\partial w)^2` over every weight (and bias)."""
        return sympy.Add(*(d**2 for d in self.gradient_symbols().values()))

    def update_first_order_change(self, sign: int = -1) -> Expr:
        r"""The first-order change of the loss under eq. ``sgd-update`` with ``sign``.

        .. math:: \frac{d}{d\eta}\,\text{Loss}\big(W + \text{sign}\cdot\eta\,\nabla\text{Loss}\big)\Big|_{\eta=0}
                  = \text{sign}\cdot\|\nabla\text{Loss}\|^2

        computed by SymPy (:meth:`first_order_change` of :meth:`sgd_update`).
        ``net.equal(net.update_first_order_change(s), s * net.squared_gradient_norm())``
        is True for both signs: with the paper's ``+`` the loss rises (the change
        is a sum of squares, :math:`\ge 0`), with ``-`` it falls.
        """
        return self.first_order_change(self.sgd_update(sign))

    def proves_descent(self, update: Mapping[Symbol, Expr]) -> bool:
        r"""Whether ``update`` lowers the loss to first order, for every g and Loss.

        True exactly when :meth:`first_order_change` equals
        :math:`-\|\nabla\text{Loss}\|^2`, minus a sum of squares, which is
        :math:`\le 0` (and :math:`< 0` away from stationary points).  True for
        ``sgd_update(-1)``; False for the paper's ``sgd_update(+1)``.
        """
        return self.equal(self.first_order_change(update), -self.squared_gradient_norm())


# -- the erratum of section 3.6, in numbers ----------------------------------------------


@dataclass(frozen=True)
class UpdateDemo:
    """The loss of one sample before and after one SGD step with each sign (section 3.6)."""

    before: float
    paper_plus: float
    corrected_minus: float

    def __str__(self) -> str:
        return (
            f"loss before the step:             {self.before:.6f}\n"
            f"after W <- W + lr*dLoss/dW (paper): {self.paper_plus:.6f}\n"
            f"after W <- W - lr*dLoss/dW:         {self.corrected_minus:.6f}"
        )


def sgd_sign_demo(net: Network, x: object, y: object, lr: float = 0.1) -> UpdateDemo:
    r"""One step of eq. ``sgd-update`` on one sample, with the paper's ``+`` and with ``-``.

    Uses ``net``'s own gradients (``nnlib.Network.backward``); ``net`` is left
    unchanged.  For a small enough ``lr`` the ``+`` step raises the loss and the
    ``-`` step lowers it, by about :math:`\eta\,\|\nabla\text{Loss}\|^2` either way
    (:meth:`SymbolicNetwork.update_first_order_change`).
    """
    lr = _checks.positive_number(lr, "lr")
    before = net.cost(x, y)
    grads = net.backward(net.forward(x), y)
    saved_W, saved_b = dict(net.W), None if net.b is None else dict(net.b)
    losses = []
    try:
        for sign in (1.0, -1.0):
            for k in saved_W:
                net.W[k] = saved_W[k] + sign * lr * grads.dW[k]
                if saved_b is not None and net.b is not None and grads.db is not None:
                    net.b[k] = saved_b[k] + sign * lr * grads.db[k]
            losses.append(net.cost(x, y))
    finally:  # leave the network as it was
        net.W.update(saved_W)
        if saved_b is not None and net.b is not None:
            net.b.update(saved_b)
    return UpdateDemo(before=before, paper_plus=losses[0], corrected_minus=losses[1])
