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
``sympy.Function`` from names that this module writes itself.
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import sympy
from sympy import Derivative, Dummy, Function, ImmutableMatrix, Subs, Symbol
from sympy.core.function import AppliedUndef, UndefinedFunction
from sympy.matrices import MatrixBase
from sympy.printing.latex import LatexPrinter

from . import _checks
from .network import Gradients, LayerNumbering, Layers, Network

Expr = sympy.Expr

__all__ = [
    "ACTIVATION_EXPRESSIONS",
    "KINK_DERIVATIVES",
    "LOSS_EXPRESSIONS",
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
    "eta",
    "g",
    "g_out",
    "h_symbol",
    "latex",
    "sgd_sign_demo",
    "sympy_gradients",
    "to_numpy",
    "weight_symbol",
    "x_symbol",
    "z_symbol",
]

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


class _Indeterminates:
    """Write expressions as polynomials in symbols and fresh indeterminates.

    Each value of an undefined function (``g(a)``, ``Loss(a, y)``) and each
    derivative of one at a point becomes a :class:`sympy.Dummy`, the same one
    exactly when function, derivative orders and expanded arguments agree.
    Floats become the exact rationals they hold.  Anything else that is not
    arithmetic or a known function (a ``Lambda``, a ``Sum``, a derivative SymPy
    left in another shape) is kept as an opaque block equal only to itself.  See
    the module docstring for why this makes comparisons sound.

    ``definition(symbol)`` gives what a display symbol stands for (``None`` for a
    symbol that stands for itself); such symbols are replaced by their meaning
    as they are met, which unfolds a formula without rebuilding it in SymPy.
    """

    def __init__(self, definition: Callable[[Symbol], sympy.Basic | None] = lambda s: None) -> None:
        self._definition = definition
        self._table: dict[tuple, Dummy] = {}
        self._memo: dict[sympy.Basic, sympy.Basic] = {}

    def _fresh(self, key: tuple) -> Dummy:
        if key not in self._table:
            self._table[key] = Dummy(f"a{len(self._table)}")
        return self._table[key]

    def _point(self, args: Sequence[sympy.Basic]) -> tuple:
        return tuple(sympy.expand(self(a)) for a in args)

    def __call__(self, expr: sympy.Basic) -> sympy.Basic:
        """The polynomial form of ``expr``."""
        if expr in self._memo:
            return self._memo[expr]
        if isinstance(expr, sympy.Float):
            out = sympy.Rational(expr)  # the exact value of the float: arithmetic stays exact
        elif not expr.args:
            meaning = self._definition(expr) if isinstance(expr, Symbol) else None
            out = expr if meaning is None else self(meaning)
        elif isinstance(expr, (Derivative, Subs)):
            slot = _slot_derivative(expr)
            if slot is None:
                out = self._fresh(("opaque", expr))
            else:
                func, orders, point = slot
                out = self._fresh((func, orders, self._point(point)))
        elif isinstance(expr, AppliedUndef):
            out = self._fresh((expr.func, (0,) * len(expr.args), self._point(expr.args)))
        elif isinstance(expr, (sympy.Add, sympy.Mul, sympy.Pow, sympy.Function)):
            # arithmetic, or a known function such as exp: none of them binds a variable
            out = expr.func(*(self(a) for a in expr.args))
        else:
            out = self._fresh(("opaque", expr))  # anything else (Lambda, Sum, ...) stays whole
        self._memo[expr] = out
        return out

    def identical(self, a: sympy.Basic, b: sympy.Basic) -> bool:
        """True only if ``a - b`` expands to the zero polynomial (an exact identity)."""
        return sympy.expand(self(a) - self(b)) == 0


# -- the network -------------------------------------------------------------------------


@dataclass(frozen=True)
class Proof:
    """One checked claim: the formula of ``equation`` is the derivative with respect to ``wrt``."""

    equation: str
    wrt: sympy.Basic
    proven: bool


@dataclass
class ProofReport:
    """Everything :meth:`SymbolicNetwork.check_all` checked, one :class:`Proof` per claim."""

    sizes: tuple[int, ...]
    proofs: list[Proof]

    @property
    def all_proven(self) -> bool:
        """True when every claim was proven."""
        return all(p.proven for p in self.proofs)

    @property
    def failures(self) -> list[Proof]:
        """The claims that were not proven (empty when all hold)."""
        return [p for p in self.proofs if not p.proven]

    def __len__(self) -> int:
        return len(self.proofs)

    def __str__(self) -> str:
        counts: dict[str, list[int]] = {}
        for p in self.proofs:
            done, total = counts.setdefault(p.equation, [0, 0])
            counts[p.equation] = [done + p.proven, total + 1]
        lines = [f"network {list(self.sizes)}:"]
        lines += [f"  {eq:<32} {done:>3}/{total:<3} proven" for eq, (done, total) in counts.items()]
        return "\n".join(lines)


def certify(label: str, claims: ProofReport | Iterable[object], *, refuted: Iterable[object] = ()) -> None:
    """Declare that the labelled book equation ``label`` is proven, and check that it is.

    A page proves its equation ``(label)`` by calling ``certify(label, claims)``
    in a cell tagged ``nbval-check-output``.  ``claims`` are the results of the
    proof engine (``net.proves(...)``, ``net.equal(...)``, or a
    :class:`ProofReport`), one per index the equation covers; ``refuted`` are the
    results for plausible wrong versions, each of which must be ``False``.

    Prints one line, ``eq. <label>: proven (N of N claims...)``, which the book's
    tests look for in the stored output of that cell (and nbval re-creates on
    every run).  Nothing is printed unless every check passed.

    Raises
    ------
    AssertionError
        If there is no claim, a claim is not exactly ``True``, or a wrong version
        was not refuted (is not exactly ``False``).
    ValueError
        If ``label`` is not a book equation label (lowercase words joined by ``-``).
    """
    if not isinstance(label, str) or not label or not all(
        part.isalnum() and part == part.lower() for part in label.split("-")
    ):
        raise ValueError(f"label must name a book equation such as 'dloss-dz', got {label!r}")
    if isinstance(claims, ProofReport):
        results = [p.proven for p in claims.proofs]
    else:
        results = list(claims)
    if not results:
        raise AssertionError(f"eq. {label}: certify() needs at least one proof result, got none")
    bad = [i for i, r in enumerate(results) if not (isinstance(r, (bool, np.bool_)) and bool(r))]
    if bad:
        raise AssertionError(
            f"eq. {label} is NOT proven: claims {bad} of {len(results)} are not True "
            f"(got {[results[i] for i in bad][:3]!r})"
        )
    wrong = list(refuted)
    caught = [i for i, r in enumerate(wrong) if not (isinstance(r, (bool, np.bool_)) and not bool(r))]
    if caught:
        raise AssertionError(
            f"eq. {label}: wrong versions {caught} were not refuted (each must prove False)"
        )
    extra = f"; {len(wrong)} wrong version{'s' * (len(wrong) != 1)} refuted" if wrong else ""
    print(f"eq. {label}: proven ({len(results)} of {len(results)} claims{extra})")


class SymbolicNetwork(LayerNumbering):
    r"""The network ``sizes = [n_0, ..., n_{L+1}]`` of :class:`nnlib.Network`, in SymPy.

    Forward propagation (section 2, eqs. ``forward-z`` and ``forward-h``) is
    written out symbolically:

    .. math:: z^{(k)}_i = \sum_j W^{(k)}_{ij} h^{(k-1)}_j, \qquad h^{(k)}_i = g(z^{(k)}_i),
              \qquad h^{(0)}_j = x_j, \qquad z = z^{(L+1)}_1.

    Parameters
    ----------
    sizes : sequence of int
        Nodes per layer, input first; the paper has one output node, so
        ``sizes[-1]`` must be 1.
    bias : bool
        Add :math:`b^{(k)}_i` to every :math:`z^{(k)}_i`, as ``nnlib.Network(bias=True)`` does.
    output_g : bool
        Give the output layer its own undefined threshold ``g_out`` (nnlib's
        ``output_activation``); by default every layer uses ``g``, as in the paper.

    Attributes
    ----------
    sizes, L : as in :class:`nnlib.Network`
    x : ImmutableMatrix
        The inputs :math:`x_j`, a column of ``n_0`` symbols.
    y : Symbol
        The label.
    W : Layers
        ``W[k]`` is :math:`W^{(k)}`, shape ``(n_k, n_{k-1})``; ``W[k][i-1, j-1]`` is
        the symbol :math:`W^{(k)}_{ij}`.
    b : Layers or None
        ``b[k]`` is the column of bias symbols :math:`b^{(k)}_i` (with ``bias=True``).
    z, h : Layers
        ``z[k]``, ``h[k]``: columns of the *expressions* for :math:`z^{(k)}_i` and
        :math:`h^{(k)}_i` in the inputs and weights (``h[0]`` is ``x``).
    z_sym, h_sym : Layers
        The same quantities as plain *symbols* for display; the output node
        ``z_sym[L+1][0]`` is the paper's :math:`z`, also ``z_out``.
    dz_sym, dW_sym, db_sym : Layers
        :class:`Partial` symbols :math:`\partial\text{Loss}/\partial z^{(k)}_i`,
        :math:`\partial\text{Loss}/\partial W^{(k)}_{ij}`, :math:`\partial\text{Loss}/\partial b^{(k)}_i`:
        earlier results, as the backward formulas reuse them.

    Examples
    --------
    >>> net = SymbolicNetwork([2, 1, 1])
    >>> net.z[1][0]
    W^{(1)}_{11}*x_{1} + W^{(1)}_{12}*x_{2}
    >>> net.proves(net.dloss_dW(1, 1, 2), net.W[1][0, 1])
    True
    """

    def __init__(self, sizes: Sequence[int], bias: bool = False, *, output_g: bool = False) -> None:
        self.sizes = _checks.as_sizes(sizes)
        if self.sizes[-1] != 1:
            raise ValueError(
                f"the paper's network has a single output node z = z^(L+1)_1, but sizes "
                f"{list(self.sizes)} ends with {self.sizes[-1]}; expected sizes[-1] == 1"
            )
        self.bias = bool(bias)
        self.output_g = bool(output_g)
        self.g = g
        self.g_out = g_out if self.output_g else g
        self.Loss = Loss
        self.y = Symbol("y", real=True)
        self.x = ImmutableMatrix([x_symbol(j) for j in range(1, self.sizes[0] + 1)])

        self._make_symbols()
        self.z, self.h = self._forward()
        self._parameters = frozenset(self.parameters())

        # what each display symbol stands for, one level deep (see unfold)
        self._definitions: dict[Symbol, Callable[[], Expr]] = {}
        for k in self.layers:
            for i in range(1, self.sizes[k] + 1):
                self._define(self.z_sym[k][i - 1], self._z_expr, k, i)
                self._define(self.dz_sym[k][i - 1], self._dz_formula, k, i)
                if k <= self.L:
                    self._define(self.h_sym[k][i - 1], self._h_expr, k, i)
                if self.db_sym is not None:
                    self._define(self.db_sym[k][i - 1], self.dloss_db, k, i)
                for j in range(1, self.sizes[k - 1] + 1):
                    self._define(self.dW_sym[k][i - 1, j - 1], self.dloss_dW, k, i, j)
        self._indeterminates = _Indeterminates(self._definition)
        self._unfolded: dict[Symbol, Expr] = {}  # display symbol -> its full expression
        self._raw: dict[Symbol, Expr] = {}  # wrt -> SymPy's derivative (nodes as free symbols)
        self._frees: dict[Dummy, Expr] = {}  # free symbol standing for a node -> the node

    @classmethod
    def from_network(cls, net: Network) -> SymbolicNetwork:
        """The symbolic twin of an ``nnlib.Network``: same sizes and bias (``g_out`` if needed)."""
        if not isinstance(net, Network):
            raise TypeError(f"net must be an nnlib.Network, got {type(net).__name__}")
        return cls(net.sizes, net.bias, output_g=net.output_activation.name != net.activation.name)

    def _make_symbols(self) -> None:
        """Create W, b and the display symbols z_sym, h_sym, dz_sym, dW_sym, db_sym."""
        top = self.L + 1
        self.W, self.dW_sym = Layers("W"), Layers("dW_sym")
        self.b: Layers | None = Layers("b") if self.bias else None
        self.db_sym: Layers | None = Layers("db_sym") if self.bias else None
        self.z_sym, self.dz_sym = Layers("z_sym"), Layers("dz_sym")
        self.h_sym = Layers("h_sym", {0: self.x})
        for k in self.layers:
            n, m = self.sizes[k], self.sizes[k - 1]
            self.W[k] = ImmutableMatrix(n, m, lambda r, c, k=k: weight_symbol(k, r + 1, c + 1))
            self.dW_sym[k] = self.W[k].applyfunc(Partial.of)
            if self.b is not None and self.db_sym is not None:
                self.b[k] = ImmutableMatrix([bias_symbol(k, i) for i in range(1, n + 1)])
                self.db_sym[k] = self.b[k].applyfunc(Partial.of)
            if k == top:  # the paper's z = z^(L+1)_1
                self.z_sym[k] = ImmutableMatrix([Symbol("z", real=True)])
            else:
                self.z_sym[k] = ImmutableMatrix([z_symbol(k, i) for i in range(1, n + 1)])
                self.h_sym[k] = ImmutableMatrix([h_symbol(k, i) for i in range(1, n + 1)])
            self.dz_sym[k] = self.z_sym[k].applyfunc(Partial.of)
        self.z_out: Symbol = self.z_sym[top][0]

    def _define(self, symbol: Symbol, meaning: Callable[..., Expr], *args: int) -> None:
        self._definitions[symbol] = functools.partial(meaning, *args)

    # -- shape and bookkeeping ----------------------------------------------------------

    def __repr__(self) -> str:
        extra = ", output_g=True" if self.output_g else ""
        return f"SymbolicNetwork({list(self.sizes)}, bias={self.bias}{extra})"

    def parameters(self) -> Iterator[Symbol]:
        """Every weight symbol (and bias symbol), layer by layer, row by row."""
        for k in self.layers:
            yield from self.W[k]
            if self.b is not None:
                yield from self.b[k]

    def nodes(self) -> Iterator[Symbol]:
        """Every node symbol :math:`z^{(k)}_i`, k = 1 .. L+1 (the last one is ``z``)."""
        for k in self.layers:
            yield from self.z_sym[k]

    def _layer(self, k: int, lo: int, hi: int, what: str) -> int:
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not lo <= k <= hi:
            raise ValueError(f"{what} needs a layer k with {lo} <= k <= {hi}, got {k!r}")
        return int(k)

    def _node(self, k: int, i: int, name: str = "i") -> int:
        n = self.sizes[k]
        if isinstance(i, bool) or not isinstance(i, numbers.Integral) or not 1 <= i <= n:
            raise ValueError(
                f"layer {k} has nodes 1 .. {n} (the paper counts from 1), got {name} = {i!r}"
            )
        return int(i)

    # -- forward propagation (section 2) ------------------------------------------------

    def _forward(
        self, replace: Mapping[tuple[int, int], Symbol] | None = None
    ) -> tuple[Layers, Layers]:
        r"""Eqs. ``forward-z`` and ``forward-h`` as expressions, layer by layer.

        ``replace`` maps ``(k, i)`` to a free symbol that takes the place of
        :math:`z^{(k)}_i` in every layer above k; that is how the derivative of
        the loss with respect to a node is taken (:meth:`sympy_derivative`).
        """
        replace = replace or {}
        z, h = Layers("z"), Layers("h", {0: self.x})
        for k in self.layers:
            zk = self.W[k] * h[k - 1]
            if self.b is not None:
                zk = zk + self.b[k]
            zk = ImmutableMatrix([replace.get((k, i + 1), zk[i]) for i in range(self.sizes[k])])
            gk = self.g_out if k == self.L + 1 else self.g
            z[k], h[k] = zk, zk.applyfunc(gk)
        return z, h

    def _z_expr(self, k: int, i: int) -> Expr:
        return self.z[k][i - 1]

    def _h_expr(self, k: int, i: int) -> Expr:
        return self.h[k][i - 1]

    def loss_expr(self) -> Expr:
        r"""Eq. ``cost`` for one sample: :math:`\text{Loss}(g(z), y)` with z written out in x and W.

        This is the function whose derivatives SymPy takes on its own
        (``sympy.diff(net.loss_expr(), w)``), with no knowledge of backpropagation.
        """
        return self.Loss(self.h[self.L + 1][0], self.y)

    # -- the paper's closed forms (section 3) -------------------------------------------

    def _g_prime(self, k: int, i: int) -> Expr:
        r""":math:`\partial g(z^{(k)}_i) / \partial z^{(k)}_i` written with the node's symbol."""
        zk = self.z_sym[k][i - 1]
        gk = self.g_out if k == self.L + 1 else self.g
        return Derivative(gk(zk), zk)

    def dloss_dz(self) -> Expr:
        r"""Eq. ``dloss-dz`` (section 3.1): the derivative with respect to the output node.

        .. math:: \frac{\partial \text{Loss}}{\partial z}
                  = \frac{\partial \text{Loss}(g(z), y)}{\partial g(z)} \cdot \frac{\partial g(z)}{\partial z}

        Returns
        -------
        sympy.Expr
            ``Derivative(Loss(g(z), y), g(z)) * Derivative(g(z), z)`` in the symbol :math:`z`.
        """
        z = self.z_out
        return Derivative(self.Loss(self.g_out(z), self.y), self.g_out(z)) * self._g_prime(
            self.L + 1, 1
        )

    def dloss_dW_output(self, j: int) -> Expr:
        r"""Eq. ``dloss-dw-output`` (section 3.2): an output weight.

        .. math:: \frac{\partial \text{Loss}}{\partial W^{(L+1)}_{1j}}
                  = \frac{\partial \text{Loss}}{\partial z} \cdot h^{(L)}_j

        reusing :math:`\partial\text{Loss}/\partial z` (a :class:`Partial` symbol);
        :math:`h^{(0)}_j = x_j` when there is no hidden layer.
        """
        top = self.L + 1
        j = self._node(top - 1, j, "j")
        return self.dz_sym[top][0] * self.h_sym[top - 1][j - 1]

    def dloss_dW(self, k: int, i: int, j: int) -> Expr:
        r"""Eq. ``dloss-dw`` (section 3.3): any weight.

        .. math:: \frac{\partial \text{Loss}}{\partial W^{(k)}_{ij}}
                  = \frac{\partial \text{Loss}}{\partial z^{(k)}_i} \cdot h^{(k-1)}_j

        with :math:`h^{(0)}_j = x_j` in the first layer (k = 1).  For k = L+1 this
        is eq. ``dloss-dw-output``.
        """
        k = self._layer(k, 1, self.L + 1, "dloss_dW")
        i, j = self._node(k, i, "i"), self._node(k - 1, j, "j")
        return self.dz_sym[k][i - 1] * self.h_sym[k - 1][j - 1]

    def dloss_db(self, k: int, i: int) -> Expr:
        r"""A bias is a weight on a constant node: :math:`\partial\text{Loss}/\partial b^{(k)}_i = \partial\text{Loss}/\partial z^{(k)}_i`.

        Eq. ``dloss-dw`` with :math:`h^{(k-1)}_j` replaced by the constant 1 the
        bias multiplies; nothing else in the derivation changes.
        """
        if self.b is None:
            raise ValueError(
                "this network has no biases; build it with SymbolicNetwork(sizes, bias=True)"
            )
        k = self._layer(k, 1, self.L + 1, "dloss_db")
        return self.dz_sym[k][self._node(k, i) - 1]

    def dloss_dz_last_hidden(self, i: int) -> Expr:
        r"""Eq. ``dloss-dz-last-hidden`` (section 3.4): a node of the last hidden layer.

        .. math:: \frac{\partial \text{Loss}}{\partial z^{(L)}_i}
                  = \frac{\partial \text{Loss}}{\partial z} \cdot W^{(L+1)}_{1i} \cdot
                    \frac{\partial g(z^{(L)}_i)}{\partial z^{(L)}_i}
        """
        if self.L < 1:
            raise ValueError(f"network {list(self.sizes)} has no hidden layer (L = 0)")
        i = self._node(self.L, i)
        top = self.L + 1
        return self.dz_sym[top][0] * self.W[top][0, i - 1] * self._g_prime(self.L, i)

    def dloss_dz_hidden(self, k: int, j: int) -> Expr:
        r"""Eq. ``dloss-dz-hidden`` (section 3.5): any hidden node, by recursion over layer k+1.

        .. math:: \frac{\partial \text{Loss}}{\partial z^{(k)}_j}
                  = \sum_i \frac{\partial \text{Loss}}{\partial z^{(k+1)}_i} \cdot
                    W^{(k+1)}_{ij} \cdot \frac{\partial g(z^{(k)}_j)}{\partial z^{(k)}_j}

        The paper writes :math:`W_{ij}` here; the weight is the one of layer k+1,
        :math:`W^{(k+1)}_{ij}` (see the errata).
        """
        k = self._layer(k, 1, self.L, "dloss_dz_hidden")
        j = self._node(k, j, "j")
        return sympy.Add(
            *(
                self.dz_sym[k + 1][i - 1] * self.W[k + 1][i - 1, j - 1] * self._g_prime(k, j)
                for i in range(1, self.sizes[k + 1] + 1)
            )
        )

    def _dz_formula(self, k: int, i: int) -> Expr:
        """The paper's formula for node ``i`` of layer ``k`` (3.1 at the output, 3.5 below)."""
        return self.dloss_dz() if k == self.L + 1 else self.dloss_dz_hidden(k, i)

    def backward(self) -> Gradients:
        r"""Eq. ``sgd-update``'s gradients (section 3.6): the whole backward pass.

        For k = L+1, L, ..., 1 alternate eq. ``dloss-dw`` and eq. ``dloss-dz-hidden``
        (starting from eq. ``dloss-dz``); each entry reuses the results of layer k+1
        as :class:`Partial` symbols, exactly as the algorithm reuses numbers.

        Returns
        -------
        nnlib.Gradients
            ``dz[k]`` (a column), ``dW[k]`` (shape of ``W[k]``) and, with biases,
            ``db[k]``, keyed by layer as in ``nnlib.Network.backward``.
        """
        dz, dW = Layers("dz"), Layers("dW")
        db = Layers("db") if self.b is not None else None
        for k in reversed(self.layers):
            n, m = self.sizes[k], self.sizes[k - 1]
            dz[k] = ImmutableMatrix([self._dz_formula(k, i) for i in range(1, n + 1)])
            dW[k] = ImmutableMatrix(n, m, lambda r, c, k=k: self.dloss_dW(k, r + 1, c + 1))
            if db is not None:
                db[k] = ImmutableMatrix([self.dloss_db(k, i) for i in range(1, n + 1)])
        return Gradients(dz=dz, dW=dW, db=db)

    def delta_matrix(self, k: int) -> ImmutableMatrix:
        r"""Eq. ``dloss-dz-hidden`` in matrix form: :math:`\delta^{(k)} = (W^{(k+1)})^\top \delta^{(k+1)} \odot g'(z^{(k)})`.

        :math:`\delta^{(k)}` is the column of :math:`\partial\text{Loss}/\partial z^{(k)}_i`;
        for k = L+1 it is the 1x1 column of eq. ``dloss-dz``.
        """
        k = self._layer(k, 1, self.L + 1, "delta_matrix")
        if k == self.L + 1:
            return ImmutableMatrix([self.dloss_dz()])
        g_prime = ImmutableMatrix([self._g_prime(k, j) for j in range(1, self.sizes[k] + 1)])
        return ImmutableMatrix((self.W[k + 1].T * self.dz_sym[k + 1]).multiply_elementwise(g_prime))

    def dW_matrix(self, k: int) -> ImmutableMatrix:
        r"""Eq. ``dloss-dw`` in matrix form: :math:`\partial\text{Loss}/\partial W^{(k)} = \delta^{(k)} (h^{(k-1)})^\top`."""
        k = self._layer(k, 1, self.L + 1, "dW_matrix")
        return ImmutableMatrix(self.dz_sym[k] * self.h_sym[k - 1].T)

    # -- between display symbols and expressions ----------------------------------------

    def _definition(self, symbol: Symbol) -> Expr | None:
        """What a display symbol stands for, one level deep (``None`` for other symbols)."""
        if symbol in self._frees:
            return self._frees[symbol]
        define = self._definitions.get(symbol)
        return None if define is None else define()

    def _full(self, symbol: Symbol) -> Expr:
        """What a display symbol stands for, written out in x, W, (b) and y; cached."""
        if symbol not in self._unfolded:
            self._unfolded[symbol] = self.unfold(self._definitions[symbol]())
        return self._unfolded[symbol]

    def unfold(self, expr: Expr | MatrixBase) -> Expr | MatrixBase:
        r"""Replace every display symbol by what it stands for.

        :math:`z^{(k)}_i` and :math:`h^{(k)}_i` become their forward expressions
        (eqs. ``forward-z``, ``forward-h``) and each :class:`Partial` symbol the
        paper's formula for it, itself unfolded -- so the result is written in the
        inputs, weights (biases) and label only.  Derivatives taken at a symbol,
        such as :math:`g'(z)`, become derivatives at the expression.
        """
        if isinstance(expr, MatrixBase):
            return expr.applyfunc(self.unfold)
        expr = _as_basic(expr)
        rule = {s: self._full(s) for s in expr.free_symbols if s in self._definitions}
        return expr.subs(rule) if rule else expr

    def fold(self, expr: Expr | MatrixBase) -> Expr | MatrixBase:
        r"""Write the forward values in ``expr`` as the symbols :math:`z^{(k)}_i`, :math:`h^{(k)}_i`, :math:`z`.

        The inverse of the forward part of :meth:`unfold`: it makes SymPy's own
        derivatives short enough to read, e.g.
        ``net.fold(sympy.diff(net.loss_expr(), w))``.
        """
        if isinstance(expr, MatrixBase):
            return expr.applyfunc(self.fold)
        rule: dict[sympy.Basic, Symbol] = {}
        for k in self.layers:
            for i in range(self.sizes[k]):
                rule[self.z[k][i]] = self.z_sym[k][i]
                if k != self.L + 1:
                    rule[self.h[k][i]] = self.h_sym[k][i]
        return _as_basic(expr).xreplace(rule)

    # -- SymPy's own derivatives and the proofs -----------------------------------------

    def _node_position(self, node: Symbol) -> tuple[int, int] | None:
        for k in self.layers:
            for i, s in enumerate(self.z_sym[k], start=1):
                if s == node:
                    return k, i
        return None

    def _raw_derivative(self, wrt: Symbol) -> Expr:
        """SymPy's derivative; for a node still in the free symbol that stands for it."""
        if wrt in self._raw:
            return self._raw[wrt]
        if wrt in self._parameters:
            out = sympy.diff(self.loss_expr(), wrt)
        else:
            where = self._node_position(wrt) if isinstance(wrt, Symbol) else None
            if where is None:
                raise ValueError(
                    f"cannot differentiate with respect to {wrt!r}; expected a weight W[k][i-1, j-1], "
                    f"a bias b[k][i-1] or a node z_sym[k][i-1] of {self!r}"
                )
            free = Dummy(f"zeta_{where[0]}{where[1]}", real=True)
            self._frees[free] = self.z[where[0]][where[1] - 1]
            _, h = self._forward({where: free})
            out = sympy.diff(self.Loss(h[self.L + 1][0], self.y), free)
        self._raw[wrt] = out
        return out

    def sympy_derivative(self, wrt: Symbol) -> Expr:
        r"""SymPy's own derivative of :meth:`loss_expr` with respect to a weight, bias or node.

        For a weight or bias ``w`` this is ``sympy.diff(net.loss_expr(), w)``.  For a
        node :math:`z^{(k)}_i` (a symbol from ``z_sym``) the layers above k are
        rebuilt with a free symbol in the place of :math:`z^{(k)}_i`, SymPy
        differentiates with respect to that symbol, and the node's expression is
        put back: exactly the meaning of :math:`\partial\text{Loss}/\partial z^{(k)}_i`
        (every other node of layer k held fixed).
        """
        raw = self._raw_derivative(wrt)
        free = raw.free_symbols & set(self._frees)
        return raw.subs({s: self._frees[s] for s in free}) if free else raw

    def equal(self, a: Expr, b: Expr) -> bool:
        """Whether ``a`` and ``b`` are the same function of x, W, (b), y for every g and Loss.

        Both are unfolded (display and :class:`Partial` symbols replaced by what
        they stand for), written as polynomials in fresh indeterminates for the
        values of g, Loss and their derivatives, and subtracted; ``True``
        exactly when the difference expands to 0.  Exact and sound: a ``True`` is
        never wrong (see the module docstring).
        """
        if isinstance(a, MatrixBase) or isinstance(b, MatrixBase):
            if not (isinstance(a, MatrixBase) and isinstance(b, MatrixBase)) or a.shape != b.shape:
                return False
            return all(self.equal(u, v) for u, v in zip(a, b, strict=True))
        return self._indeterminates.identical(_as_basic(a), _as_basic(b))

    def as_polynomial(self, expr: Expr) -> Expr:
        """``expr`` as the proofs see it: unfolded, every value of g, Loss and
        their derivatives a fresh symbol, multiplied out.

        The number of terms of ``net.as_polynomial(net.sympy_derivative(w))`` is
        the number of paths from ``w`` to the output.
        """
        return sympy.expand(self._indeterminates(_as_basic(expr)))

    def proves(self, formula: Expr, wrt: Symbol) -> bool:
        r"""Whether ``formula`` is :math:`\partial\text{Loss}/\partial` ``wrt``.

        Parameters
        ----------
        formula : sympy.Expr
            A claimed derivative, e.g. ``net.dloss_dW(1, 2, 1)``, possibly written
            with display symbols and :class:`Partial` symbols (it is unfolded first).
        wrt : Symbol
            A weight ``net.W[k][i-1, j-1]``, a bias ``net.b[k][i-1]`` or a node
            ``net.z_sym[k][i-1]`` (``net.z_out`` for the output node).

        Returns
        -------
        bool
            ``net.equal(formula, net.sympy_derivative(wrt))``: True exactly when
            the formula equals SymPy's own derivative for every g and Loss.
        """
        return self.equal(formula, self._raw_derivative(wrt))

    def check_all(self, descent: bool = True) -> ProofReport:
        """Prove every formula of sections 3.1-3.6 for every weight, bias and node.

        Parameters
        ----------
        descent : bool
            Also prove that the corrected update of eq. ``sgd-update`` lowers the
            loss to first order (:meth:`proves_descent`); the slowest check, so it
            can be switched off for big networks.
        """
        top, proofs = self.L + 1, []

        def add(equation: str, formula: Expr, wrt: Symbol) -> None:
            proofs.append(Proof(equation, wrt, self.proves(formula, wrt)))

        add("dloss-dz (3.1)", self.dloss_dz(), self.z_out)
        for j in range(1, self.sizes[self.L] + 1):
            add("dloss-dw-output (3.2)", self.dloss_dW_output(j), self.W[top][0, j - 1])
        for k in self.layers:
            for i in range(1, self.sizes[k] + 1):
                for j in range(1, self.sizes[k - 1] + 1):
                    add("dloss-dw (3.3)", self.dloss_dW(k, i, j), self.W[k][i - 1, j - 1])
        if self.L >= 1:
            for i in range(1, self.sizes[self.L] + 1):
                add(
                    "dloss-dz-last-hidden (3.4)",
                    self.dloss_dz_last_hidden(i),
                    self.z_sym[self.L][i - 1],
                )
        for k in range(1, self.L + 1):
            delta = self.delta_matrix(k)
            for j in range(1, self.sizes[k] + 1):
                add("dloss-dz-hidden (3.5)", self.dloss_dz_hidden(k, j), self.z_sym[k][j - 1])
                add("delta matrix form (3.5)", delta[j - 1], self.z_sym[k][j - 1])
        if self.b is not None:
            for k in self.layers:
                for i in range(1, self.sizes[k] + 1):
                    add("dloss-db (bias)", self.dloss_db(k, i), self.b[k][i - 1])
        if descent:
            proofs.append(
                Proof("sgd-update (3.6), minus sign", eta, self.proves_descent(self.sgd_update(-1)))
            )
        return ProofReport(self.sizes, proofs)

    # -- the update of section 3.6 and its erratum --------------------------------------

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
    r"""SymPy's LaTeX printer, with :math:`g'(a)` for the derivative of a one-argument g."""

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


def latex(expr: object, **settings: object) -> str:
    r"""LaTeX of ``expr`` in the paper's notation.

    Symbols print as :math:`W^{(k)}_{ij}`, :math:`z^{(k)}_i`, :math:`h^{(k)}_i`,
    :math:`x_j`; :class:`Partial` symbols as
    :math:`\frac{\partial\operatorname{Loss}}{\partial z^{(k)}_i}`; derivatives of
    g as :math:`g'(\cdot)`.  ``settings`` are passed to SymPy's LaTeX printer.

    Examples
    --------
    >>> print(latex(SymbolicNetwork([2, 1]).dloss_dz()))
    \frac{\partial}{\partial g{\left(z \right)}} \operatorname{Loss}{\left(g{\left(z \right)},y \right)} g'{\left(z \right)}
    """
    return _PaperLatexPrinter(settings).doprint(expr)


# -- concrete activations and losses ------------------------------------------------------

ACTIVATION_EXPRESSIONS: dict[str, Callable[[Expr], Expr]] = {
    "sigmoid": lambda t: 1 / (1 + sympy.exp(-t)),
    "tanh": sympy.tanh,
    "identity": lambda t: t,
    "relu": lambda t: sympy.Max(t, 0),
    "step": lambda t: sympy.Heaviside(t, 0),
}
"""nnlib's activations g(t) as SymPy expressions (:mod:`nnlib.activations`)."""

LOSS_EXPRESSIONS: dict[str, Callable[[Expr, Expr], Expr]] = {
    "squared": lambda a, y: (a - y) ** 2 / 2,
    "logistic": lambda a, y: -y * sympy.log(a) - (1 - y) * sympy.log(1 - a),
    "hinge": lambda a, y: sympy.Max(0, 1 - y * a),
}
"""nnlib's losses Loss(a, y) as SymPy expressions (:mod:`nnlib.losses`)."""

KINK_DERIVATIVES: dict[str, Callable[..., Expr]] = {
    "relu": lambda t: sympy.Heaviside(t, 0),
    "step": lambda t: sympy.Integer(0),
    "hinge": lambda a, y: -y * sympy.Heaviside(1 - y * a, 0),
}
"""First derivatives of the functions with a kink, with nnlib's value 0 at the kink.

SymPy would give the derivative of ``Max`` the value 1/2 there; everywhere else
these are SymPy's own derivatives.  The derivatives of the smooth functions are
always left to SymPy (``sympy.diff`` of the expressions above).
"""


def _lookup(table: Mapping[str, object], name: object, what: str) -> str:
    if not isinstance(name, str) or name not in table:
        known = ", ".join(repr(k) for k in table)
        raise ValueError(f"unknown {what} {name!r}; expected one of {known}")
    return name


def _concrete_names(
    activation: str, loss: str, output_activation: str | None
) -> dict[UndefinedFunction, str]:
    """Which nnlib function stands in for each generic one."""
    out_name = activation if output_activation is None else output_activation
    names = {
        g: _lookup(ACTIVATION_EXPRESSIONS, activation, "activation"),
        g_out: _lookup(ACTIVATION_EXPRESSIONS, out_name, "output activation"),
        Loss: _lookup(LOSS_EXPRESSIONS, loss, "loss"),
    }
    if loss == "logistic" and out_name != "sigmoid":
        raise ValueError(
            f"the logistic loss needs predictions g(z) strictly between 0 and 1, but the output "
            f"activation is {out_name!r}; expected output_activation='sigmoid'"
        )
    return names


def _body(name: str) -> Callable[..., Expr]:
    return (
        ACTIVATION_EXPRESSIONS[name] if name in ACTIVATION_EXPRESSIONS else LOSS_EXPRESSIONS[name]
    )


def _concrete_derivative(name: str, orders: tuple[int, ...], point: tuple) -> Expr:
    """The derivative of nnlib's function ``name`` in its slots, evaluated at ``point``."""
    if name in KINK_DERIVATIVES and orders[0] == 1 and not any(orders[1:]):
        return KINK_DERIVATIVES[name](*point)
    slots = [Dummy(f"s{p}", real=True) for p in range(len(orders))]
    expr = _body(name)(*slots)
    for slot, order in zip(slots, orders, strict=True):
        if order:
            expr = sympy.diff(expr, slot, order)
    return expr.xreplace(dict(zip(slots, point, strict=True)))


def concretize(
    expr: Expr | MatrixBase,
    activation: str = "sigmoid",
    loss: str = "squared",
    *,
    output_activation: str | None = None,
) -> Expr | MatrixBase:
    r"""Replace the generic g and Loss (and their derivatives) by nnlib's functions.

    ``g`` becomes ``activation`` (:data:`ACTIVATION_EXPRESSIONS`), ``g_out``
    becomes ``output_activation`` (default: ``activation``) and ``Loss`` becomes
    ``loss`` (:data:`LOSS_EXPRESSIONS`), e.g. sigmoid :math:`1/(1+e^{-z})` and
    squared :math:`\tfrac12(a-y)^2`.  Each derivative of a generic function at a
    point becomes SymPy's derivative of the concrete one at that point
    (:data:`KINK_DERIVATIVES` for ReLU, step and hinge).

    ``expr`` may still hold display symbols (they are left alone); to get a
    function of the inputs and weights only, unfold it first
    (:meth:`SymbolicNetwork.unfold`, which :func:`to_numpy` does).

    Raises
    ------
    ValueError
        For an unknown name, or the logistic loss without a sigmoid output
        (as ``nnlib.Network`` does).
    """
    names = _concrete_names(activation, loss, output_activation)
    memo: dict[sympy.Basic, sympy.Basic] = {}

    def rewrite(e: sympy.Basic) -> sympy.Basic:
        if not e.args:
            return e
        if e in memo:
            return memo[e]
        slot = _slot_derivative(e) if isinstance(e, (Derivative, Subs)) else None
        if slot is not None and slot[0] in names:
            func, orders, point = slot
            out = _concrete_derivative(names[func], orders, tuple(rewrite(p) for p in point))
        elif isinstance(e, (Derivative, Subs)):
            out = e  # not a plain slot derivative: substitute Lambdas and let SymPy evaluate
            for func, name in names.items():
                slots = [Dummy(f"s{p}", real=True) for p in range(2 if func == Loss else 1)]
                out = out.replace(func, sympy.Lambda(tuple(slots), _body(name)(*slots)))
            out = out.doit()
        elif isinstance(e, AppliedUndef) and e.func in names:
            out = _body(names[e.func])(*(rewrite(a) for a in e.args))
        else:
            out = e.func(*(rewrite(a) for a in e.args))
        memo[e] = out
        return out

    if isinstance(expr, MatrixBase):
        return expr.applyfunc(rewrite)
    return rewrite(_as_basic(expr))


# -- numbers: SymPy's values next to nnlib's ---------------------------------------------


class NumericFunction:
    """A lambdified expression of a :class:`SymbolicNetwork`, called with arrays.

    Call it as ``f(x, W, y, b=None)``: ``x`` of shape ``(n_0,)``, ``W`` a mapping
    ``k -> array (n_k, n_{k-1})`` (``nnlib.Network.W`` works as is), ``y`` a number
    and, for a network with biases, ``b`` a mapping ``k -> array (n_k,)``.
    """

    def __init__(self, net: SymbolicNetwork, func: Callable[..., object]) -> None:
        self.net = net
        self._func = func

    def arguments(
        self, x: object, W: Mapping[int, object], y: object, b: Mapping[int, object] | None = None
    ) -> list[float]:
        """Flatten ``x, W, b, y`` in the order of the lambdified function's arguments."""
        net = self.net
        x_arr = _checks.as_inputs(x, net.sizes[0], np.dtype(np.float64))[0]
        if x_arr.shape[0] != 1:
            raise ValueError(
                f"x must be one sample of shape ({net.sizes[0]},), got {x_arr.shape[0]} rows"
            )
        values = list(x_arr[0])
        for k in net.layers:
            values += list(_layer_array(W, k, net.W[k].shape, "W").ravel())
            if net.b is not None:
                if b is None:
                    raise ValueError(
                        "this network has biases; pass b, a mapping k -> array of shape (n_k,)"
                    )
                values += list(_layer_array(b, k, (net.sizes[k],), "b"))
        y_arr = np.asarray(y, dtype=np.float64)
        if y_arr.size != 1 or not np.isfinite(y_arr).all():
            raise ValueError(f"y must be one finite number, got {y!r}")
        return [*values, float(y_arr.ravel()[0])]

    def __call__(
        self, x: object, W: Mapping[int, object], y: object, b: Mapping[int, object] | None = None
    ) -> object:
        """Evaluate at one sample; matrices come back as float arrays."""
        out = self._func(*self.arguments(x, W, y, b))
        if isinstance(out, list):
            return [np.asarray(o, dtype=np.float64) for o in out]
        return np.asarray(out, dtype=np.float64)[()]


def _layer_array(
    values: Mapping[int, object], k: int, shape: tuple[int, ...], name: str
) -> np.ndarray:
    try:
        arr = np.asarray(values[k], dtype=np.float64)
    except KeyError:
        raise ValueError(f"{name}[{k}] is missing; expected an array of shape {shape}") from None
    if arr.shape != tuple(shape):
        raise ValueError(f"{name}[{k}] has shape {arr.shape}; expected {tuple(shape)}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name}[{k}] contains NaN or infinite values")
    return arr


def _arguments(net: SymbolicNetwork) -> list[Symbol]:
    args = list(net.x)
    for k in net.layers:
        args += list(net.W[k])
        if net.b is not None:
            args += list(net.b[k])
    return [*args, net.y]


def to_numpy(
    expr: Expr | MatrixBase | Sequence[Expr | MatrixBase],
    net: SymbolicNetwork,
    activation: str = "sigmoid",
    loss: str = "squared",
    *,
    output_activation: str | None = None,
) -> NumericFunction:
    """A NumPy function ``f(x, W, y, b=None)`` of a formula of ``net``, via ``sympy.lambdify``.

    The formula (or a list of formulas/matrices) is unfolded, concretized with
    nnlib's ``activation`` and ``loss`` (:func:`concretize`) and lambdified, so a
    notebook can put SymPy's value next to ``nnlib.Network.backward`` at the same
    weights.

    Examples
    --------
    >>> import nnlib
    >>> sym = SymbolicNetwork([2, 1])
    >>> f = to_numpy(sym.dloss_dW(1, 1, 2), sym, "sigmoid", "squared")
    >>> num = nnlib.Network([2, 1], "sigmoid", "squared", seed=0)
    >>> x, y = [0.5, -1.0], 1.0
    >>> grads = num.backward(num.forward(x), y)
    >>> bool(abs(f(x, num.W, y) - grads.dW[1][0, 1]) < 1e-15)
    True
    """
    out_name = activation if output_activation is None else output_activation
    if out_name != activation and not net.output_g:
        raise ValueError(
            f"output_activation {out_name!r} differs from activation {activation!r}, but {net!r} "
            "uses one g for every layer; build it with SymbolicNetwork(..., output_g=True)"
        )
    many = isinstance(expr, (list, tuple))
    items = list(expr) if many else [expr]  # type: ignore[arg-type]
    concrete = [
        concretize(net.unfold(e), activation, loss, output_activation=output_activation)
        for e in items
    ]
    func = sympy.lambdify(
        _arguments(net), concrete if many else concrete[0], modules="numpy", cse=True
    )
    return NumericFunction(net, func)


@functools.lru_cache(maxsize=64)
def _compiled_gradients(
    sizes: tuple[int, ...],
    bias: bool,
    activation: str,
    output_activation: str,
    loss: str,
    method: str,
) -> NumericFunction:
    """Lambdified dz[k], dW[k] (and db[k]) of one architecture, built once and cached."""
    net = SymbolicNetwork(sizes, bias, output_g=output_activation != activation)
    if method == "backprop":
        grads = net.backward()
        items = [net.unfold(grads.dz[k]) for k in net.layers] + [
            net.unfold(grads.dW[k]) for k in net.layers
        ]
        if grads.db is not None:
            items += [net.unfold(grads.db[k]) for k in net.layers]
    else:
        items = [net.z_sym[k].applyfunc(net.sympy_derivative) for k in net.layers]
        items += [net.W[k].applyfunc(net.sympy_derivative) for k in net.layers]
        if net.b is not None:
            items += [net.b[k].applyfunc(net.sympy_derivative) for k in net.layers]
    return to_numpy(items, net, activation, loss, output_activation=output_activation)


def sympy_gradients(net: Network, x: object, y: object, method: str = "diff") -> Gradients:
    r"""SymPy's gradients for one sample, shaped like ``net.backward(net.forward(x), y)``.

    Builds the :class:`SymbolicNetwork` of ``net`` (same sizes, bias, activations
    and loss), takes every derivative symbolically, concretizes and lambdifies it
    (cached per architecture) and evaluates it at ``net``'s current weights.

    Parameters
    ----------
    net : nnlib.Network
        A single-output network whose activations and loss have SymPy forms
        (:data:`ACTIVATION_EXPRESSIONS`, :data:`LOSS_EXPRESSIONS`).
    x : array_like, shape (n_0,)
        One sample.
    y : float
        Its label.
    method : {"diff", "backprop"}
        ``"diff"``: SymPy's own derivatives of the loss (independent of the
        paper's formulas); ``"backprop"``: the paper's formulas, unfolded.

    Returns
    -------
    nnlib.Gradients
        ``dz[k]`` vectors of shape ``(n_k,)``, ``dW[k]`` of shape ``(n_k, n_{k-1})``
        and ``db[k]``; with ``net.l2`` the term :math:`\lambda W^{(k)}` is added to
        ``dW[k]`` as nnlib does.
    """
    if not isinstance(net, Network):
        raise TypeError(f"net must be an nnlib.Network, got {type(net).__name__}")
    if method not in ("diff", "backprop"):
        raise ValueError(f"method must be 'diff' or 'backprop', got {method!r}")
    net.loss_fn.check_labels(np.asarray(y, dtype=np.float64).reshape(-1))
    compiled = _compiled_gradients(
        tuple(net.sizes),
        net.bias,
        net.activation.name,
        net.output_activation.name,
        net.loss_fn.name,
        method,
    )
    arrays = compiled(x, net.W, y, net.b)
    layers = list(compiled.net.layers)
    n = len(layers)
    dz = Layers("dz", {k: a.reshape(-1) for k, a in zip(layers, arrays[:n], strict=True)})
    dW = Layers(
        "dW", {k: a.reshape(net.W[k].shape) for k, a in zip(layers, arrays[n : 2 * n], strict=True)}
    )
    if net.l2:
        for k in layers:
            dW[k] = dW[k] + net.l2 * np.asarray(net.W[k], dtype=np.float64)
    db = (
        Layers("db", {k: a.reshape(-1) for k, a in zip(layers, arrays[2 * n :], strict=True)})
        if net.bias
        else None
    )
    return Gradients(dz=dz, dW=dW, db=db)


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
    before = net.loss(x, y)
    grads = net.backward(net.forward(x), y)
    saved_W, saved_b = dict(net.W), None if net.b is None else dict(net.b)
    losses = []
    try:
        for sign in (1.0, -1.0):
            for k in saved_W:
                net.W[k] = saved_W[k] + sign * lr * grads.dW[k]
                if saved_b is not None and net.b is not None and grads.db is not None:
                    net.b[k] = saved_b[k] + sign * lr * grads.db[k]
            losses.append(net.loss(x, y))
    finally:  # leave the network as it was
        net.W.update(saved_W)
        if saved_b is not None and net.b is not None:
            net.b.update(saved_b)
    return UpdateDemo(before=before, paper_plus=losses[0], corrected_minus=losses[1])
