r"""The book's network in SymPy: every backpropagation step, derived and proven.

:class:`SymbolicNetwork` is the network of :class:`nnlib.Network` written with
SymPy symbols named as in the paper: inputs :math:`x_j`, weights
:math:`W^{(k)}_{ij}`, label :math:`y`, pre-activations :math:`z^{(k)}_i` and
activations :math:`h^{(k)}_i`.  The threshold ``g`` and the loss ``Loss`` are
*undefined* functions, so every derivative comes out in the paper's general form,
valid for any activation and any loss.

Each backward equation of section 3 is a method that returns the paper's closed
form, and :meth:`SymbolicNetwork.proves` checks it against SymPy's own
derivative of the full loss::

    net = SymbolicNetwork([4, 2, 1])
    W = net.W[1][0, 2]                              # the symbol W^(1)_13
    net.proves(net.dloss_dW(1, 1, 3), W)            # True: eq. dloss-dw holds
    net.check_all().all_proven                      # every formula, weight and node

The package, one module per concern:

* :mod:`~nnlib.symbolic.notation`: the paper's symbols, the generic ``g`` and
  ``Loss``, :class:`Partial` and the paper-style :func:`latex`;
* :mod:`~nnlib.symbolic.proof`: the proof engine (how it works is told below),
  :class:`Claim` (what ``proves``/``equal``/:func:`same` return: both sides and
  the verdict), :class:`Proof`, :class:`ProofReport` and :func:`certify`;
* :mod:`~nnlib.symbolic.network`: :class:`SymbolicNetwork`, its forward pass,
  the closed forms of section 3 and the proofs;
* :mod:`~nnlib.symbolic.derivatives`: SymPy's own derivatives of the loss
  (``sympy_derivative``), taken once per architecture;
* :mod:`~nnlib.symbolic.concrete`: nnlib's activations and losses in SymPy,
  :func:`concretize`, :func:`to_numpy`, :func:`sympy_gradients`;
* :mod:`~nnlib.symbolic.errata`: the sign of the update of section 3.6.

How a proof works (and why a ``True`` can be trusted)
-----------------------------------------------------
Both sides are first written out completely in the inputs, weights and label
(:meth:`SymbolicNetwork.unfold`).  Each of them is then a sum of products of
input, weight and label symbols and of *building blocks*: values of ``g`` or
``Loss`` at some argument, and values of their derivatives at some argument
(SymPy writes those as ``Derivative(...)`` or ``Subs(...)``).  Every building
block is replaced by its own fresh symbol -- two blocks get the same symbol only
when they are the same derivative of the same function at the same (expanded)
argument -- and the difference of the two sides is expanded into a polynomial.

The formula is proven when that polynomial is exactly 0.  This cannot give a
false positive: every rewriting on the way (writing a derivative at a point as
a value, expanding products, collecting equal terms) is an identity, and a
polynomial that is identically 0 in independent indeterminates stays 0 whatever
values are put in for them, in particular the true values of ``g``, ``g'``,
``Loss`` and its derivative at those arguments.  So a ``True`` means the two
sides are the same function for *every* ``g``, *every* ``Loss`` and every
input, weight and label.  The comparison is exact (integer arithmetic, no
floating point, no random points); anything it does not recognise becomes an
opaque block that can only equal itself, which at worst turns a true identity
into a ``False``, never the other way round.

Nothing here turns text into expressions (SymPy's ``sympify`` would ``eval``
it): symbols and functions are built with ``sympy.Symbol`` and
``sympy.Function`` from names that this package writes itself.
"""

from __future__ import annotations

from .concrete import (
    ACTIVATION_EXPRESSIONS,
    KINK_DERIVATIVES,
    LOSS_EXPRESSIONS,
    NumericFunction,
    concretize,
    sympy_gradients,
    to_numpy,
)
from .errata import UpdateDemo, sgd_sign_demo
from .network import SymbolicNetwork
from .notation import (
    Loss,
    Partial,
    bias_symbol,
    derivative_latex,
    eta,
    g,
    g_out,
    h_symbol,
    latex,
    weight_symbol,
    x_symbol,
    z_symbol,
)
from .proof import Claim, Proof, ProofReport, certify, same

__all__ = [
    "ACTIVATION_EXPRESSIONS",
    "KINK_DERIVATIVES",
    "LOSS_EXPRESSIONS",
    "Claim",
    "Loss",
    "NumericFunction",
    "Partial",
    "Proof",
    "ProofReport",
    "SymbolicNetwork",
    "UpdateDemo",
    "bias_symbol",
    "certify",
    "concretize",
    "derivative_latex",
    "eta",
    "g",
    "g_out",
    "h_symbol",
    "latex",
    "same",
    "sgd_sign_demo",
    "sympy_gradients",
    "to_numpy",
    "weight_symbol",
    "x_symbol",
    "z_symbol",
]
