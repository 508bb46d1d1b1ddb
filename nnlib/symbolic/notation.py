r"""The paper's notation in SymPy: its symbols, its generic functions, its LaTeX.

The inputs :math:`x_j`, weights :math:`W^{(k)}_{ij}`, biases :math:`b^{(k)}_i`
and the display symbols :math:`z^{(k)}_i`, :math:`h^{(k)}_i` are SymPy symbols
named as in the paper; the threshold ``g`` and the loss ``Loss`` are undefined
functions; :class:`Partial` stands for an earlier result
:math:`\partial\text{Loss}/\partial v`; :func:`latex` prints all of them as the
paper writes them.

Nothing here turns text into expressions (SymPy's ``sympify`` would ``eval``
it): symbols and functions are built with ``sympy.Symbol`` and
``sympy.Function`` from names that this package writes itself.
"""

from __future__ import annotations

import numbers

import sympy
from sympy import Derivative, Function, Subs, Symbol
from sympy.core.function import AppliedUndef, UndefinedFunction
from sympy.printing.latex import LatexPrinter

Expr = sympy.Expr

# -- the generic functions of the paper ------------------------------------------------

g = Function("g")
"""The thresholding function g of every layer, left undefined (section 2)."""

g_out = Function("g_out")
"""The output layer's own threshold, used only with ``SymbolicNetwork(..., output_g=True)``."""

Loss = Function("Loss")
r"""The loss :math:`\text{Loss}(g(z), y)` of section 3, left undefined."""

eta = Symbol("eta", positive=True)
r"""The learning rate :math:`\eta > 0` of the SGD update (section 3.6)."""


# -- symbols in the paper's notation ----------------------------------------------------


def _subscript(*indices: int) -> str:
    """``12`` for one-digit indices; ``1,12`` as soon as one index has two digits."""
    sep = "," if any(i > 9 for i in indices) else ""
    return sep.join(str(i) for i in indices)


def x_symbol(j: int) -> Symbol:
    """The input :math:`x_j` (node ``j`` of layer 0)."""
    return Symbol(f"x_{{{j}}}", real=True)


def weight_symbol(k: int, i: int, j: int) -> Symbol:
    """The weight :math:`W^{(k)}_{ij}` of the edge from node ``j`` of layer k-1 to node ``i`` of layer k."""
    return Symbol(f"W^{{({k})}}_{{{_subscript(i, j)}}}", real=True)


def bias_symbol(k: int, i: int) -> Symbol:
    """The bias :math:`b^{(k)}_i` of node ``i`` of layer ``k`` (not in the paper)."""
    return Symbol(f"b^{{({k})}}_{{{i}}}", real=True)


def z_symbol(k: int, i: int) -> Symbol:
    """A plain symbol :math:`z^{(k)}_i` for display (the expression is ``net.z[k]``)."""
    return Symbol(f"z^{{({k})}}_{{{i}}}", real=True)


def h_symbol(k: int, i: int) -> Symbol:
    """A plain symbol :math:`h^{(k)}_i` for display (the expression is ``net.h[k]``)."""
    return Symbol(f"h^{{({k})}}_{{{i}}}", real=True)


class Partial(Symbol):
    r"""A symbol that stands for an earlier result :math:`\partial\text{Loss}/\partial v`.

    Backpropagation reuses derivatives it has already computed: section 3.2
    writes :math:`\partial\text{Loss}/\partial W^{(L+1)}_{1j}` with the
    :math:`\partial\text{Loss}/\partial z` of section 3.1 as one factor.  In a
    formula such a derivative appears as this symbol, named
    ``dLoss/d<v>`` and printed in LaTeX as
    :math:`\frac{\partial \operatorname{Loss}}{\partial v}`;
    :meth:`SymbolicNetwork.unfold` replaces it by what it stands for.
    """

    PREFIX = "dLoss/d"

    @classmethod
    def of(cls, variable: Symbol) -> Partial:
        r"""The symbol for :math:`\partial\text{Loss}/\partial` ``variable``."""
        return cls(cls.PREFIX + variable.name, real=True)

    @property
    def variable(self) -> Symbol:
        """The symbol this derivative is taken with respect to."""
        return Symbol(self.name[len(self.PREFIX) :], real=True)

    def _latex(self, printer: LatexPrinter) -> str:
        return (
            rf"\frac{{\partial \operatorname{{Loss}}}}{{\partial {printer._print(self.variable)}}}"
        )


# -- recognising derivatives of the generic functions ------------------------------------


def _slot_derivative(expr: sympy.Basic) -> tuple[UndefinedFunction, tuple[int, ...], tuple] | None:
    r"""Read ``expr`` as "derivative of an undefined F in its argument slots, at a point".

    Returns ``(F, orders, point)`` where ``orders[p]`` is how many times F is
    differentiated in its ``p``-th argument and ``point`` the arguments it is
    evaluated at; ``None`` when ``expr`` does not have that shape.  SymPy writes
    such a derivative in three ways, all recognised:

    * ``Derivative(g(z), z)`` with a symbol ``z`` (:math:`g'(z)`);
    * ``Derivative(Loss(g(a), y), g(a))``, with respect to a whole argument
      (:math:`\partial\text{Loss}/\partial g(a)` evaluated at ``(g(a), y)``);
    * ``Subs(Derivative(g(xi), xi), xi, a)``, the derivative at an expression ``a``.

    A variable of differentiation must be exactly one argument of F and occur in
    no other argument; otherwise the derivative is not a plain slot derivative
    and ``None`` is returned (the caller then treats ``expr`` as opaque).
    """
    if isinstance(expr, Subs):
        inner = _slot_derivative(expr.expr)
        if inner is None:
            return None
        func, orders, point = inner
        rule = dict(zip(expr.variables, expr.point, strict=True))
        return func, orders, tuple(p.xreplace(rule) for p in point)
    if not (isinstance(expr, Derivative) and isinstance(expr.expr, AppliedUndef)):
        return None
    args = expr.expr.args
    orders = [0] * len(args)
    for variable, count in expr.variable_count:
        slots = [p for p, a in enumerate(args) if a == variable]
        if len(slots) != 1 or not count.is_Integer:
            return None
        if any(a.has(variable) for p, a in enumerate(args) if p != slots[0]):
            return None
        orders[slots[0]] += int(count)
    return expr.expr.func, tuple(orders), args


def _as_basic(expr: object) -> sympy.Basic:
    """Accept SymPy objects and Python numbers (never strings: no parsing happens here)."""
    if isinstance(expr, sympy.Basic):
        return expr
    if isinstance(expr, bool) or not isinstance(expr, (numbers.Integral, numbers.Real)):
        raise TypeError(f"expected a SymPy expression or a number, got {type(expr).__name__}")
    return (
        sympy.Integer(int(expr)) if isinstance(expr, numbers.Integral) else sympy.Float(float(expr))
    )


# -- LaTeX in the paper's notation -------------------------------------------------------


class _PaperLatexPrinter(LatexPrinter):
    r"""SymPy's LaTeX printer, with :math:`g'(a)` for g's derivative and :math:`H` for the step."""

    def _prime(self, expr: sympy.Basic) -> str | None:
        slot = _slot_derivative(expr)
        if slot is None:
            return None
        func, orders, point = slot
        if len(orders) != 1 or orders[0] > 3:
            return None
        name = self._print(func)  # an undefined function prints as its name, e.g. g or g_{out}
        primes = "'" * orders[0]
        return rf"{name}{primes}{{\left({self._print(point[0])} \right)}}"

    def _print_Derivative(self, expr: Derivative) -> str:
        return self._prime(expr) or super()._print_Derivative(expr)

    def _print_Subs(self, expr: Subs) -> str:
        return self._prime(expr) or super()._print_Subs(expr)

    def _print_Heaviside(self, expr: sympy.Heaviside, exp: str | None = None) -> str:
        r"""The unit step as :math:`H(\cdot)`, the book's name (SymPy prints :math:`\theta`).

        The paper writes :math:`\theta` for all the weights (section 3); printing the
        step as :math:`H` keeps the two apart.
        """
        args = ", ".join(self._print(arg) for arg in expr.pargs)
        tex = rf"H\left({args}\right)"
        return rf"\left({tex}\right)^{{{exp}}}" if exp else tex


def latex(expr: object, **settings: object) -> str:
    r"""LaTeX of ``expr`` in the paper's notation.

    Symbols print as :math:`W^{(k)}_{ij}`, :math:`z^{(k)}_i`, :math:`h^{(k)}_i`,
    :math:`x_j`; :class:`Partial` symbols as
    :math:`\frac{\partial\operatorname{Loss}}{\partial z^{(k)}_i}`; derivatives of
    g as :math:`g'(\cdot)`; SymPy's ``Heaviside`` step as :math:`H(\cdot)`.
    ``settings`` are passed to SymPy's LaTeX printer.

    Examples
    --------
    >>> print(latex(SymbolicNetwork([2, 1]).dloss_dz()))
    \frac{\partial}{\partial g{\left(z \right)}} \operatorname{Loss}{\left(g{\left(z \right)},y \right)} g'{\left(z \right)}
    """
    return _PaperLatexPrinter(settings).doprint(expr)


def derivative_latex(wrt: Symbol, expr: object, label: str | None = None) -> str:
    r"""LaTeX of :math:`\partial\text{Loss}/\partial` ``wrt`` ``= expr``, for ``display(Math(...))``.

    An aligned display, preceded by ``label`` (e.g. ``"SymPy"`` or ``"paper"``).  A
    product holding one sum, as SymPy's derivatives of deep weights are, is written a
    summand per line and then the other factors, so that it fits a page.
    """
    factors = sympy.Mul.make_args(_as_basic(expr))
    sums = [f for f in factors if f.is_Add]
    rest = sympy.Mul(*(f for f in factors if not f.is_Add))
    body = latex(expr)
    if len(sums) == 1 and rest != 1:
        terms = [latex(t) for t in sympy.Add.make_args(sums[0])]
        body = (
            r"\Big(" + r" \\ &\qquad + ".join(terms) + r"\Big) \\ "
            rf"&\qquad \times {latex(rest)}"
        )
    lhs = latex(Partial.of(wrt))
    if label:
        lhs = rf"\text{{{label}:}}\quad {lhs}"
    return rf"\begin{{aligned}} {lhs} &= {body} \end{{aligned}}"
