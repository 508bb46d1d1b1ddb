r"""The network of section 2 in SymPy, the paper's closed forms of section 3, and the proofs."""

from __future__ import annotations

import functools
import numbers
from collections.abc import Callable, Iterator, Mapping, Sequence

import sympy
from sympy import Derivative, ImmutableMatrix, Subs, Symbol
from sympy.matrices import MatrixBase

from .. import _checks
from ..network import Gradients, LayerNumbering, Layers, Network
from .derivatives import DerivativeMixin
from .errata import UpdateMixin
from .notation import (
    Expr,
    Loss,
    Partial,
    _as_basic,
    bias_symbol,
    eta,
    g,
    g_out,
    h_symbol,
    weight_symbol,
    x_symbol,
    z_symbol,
)
from .proof import Claim, Later, Proof, ProofReport, _Indeterminates, _same_expression


class SymbolicNetwork(DerivativeMixin, UpdateMixin, LayerNumbering):
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
        ``z_sym[L+1][0]`` is the paper's :math:`z`, also ``z_out``.  A node
        ``z_sym[k][i-1]`` (1 <= k <= L+1) or a hidden ``h_sym[k][i-1]``
        (1 <= k <= L) can be the ``wrt`` of :meth:`proves`.
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
        self._base_symbols = frozenset({*self.x, *self._parameters, self.y})

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
        self._share_derivatives()  # SymPy's derivatives, one store per architecture

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
        self, replace: Mapping[tuple[str, int, int], Symbol] | None = None
    ) -> tuple[Layers, Layers]:
        r"""Eqs. ``forward-z`` and ``forward-h`` as expressions, layer by layer.

        ``replace`` maps ``("z", k, i)`` (or ``("h", k, i)``) to a free symbol
        that takes the place of :math:`z^{(k)}_i` (or :math:`h^{(k)}_i`) in every
        layer above k; that is how the derivative of the loss with respect to a
        node is taken (:meth:`sympy_derivative`).
        """
        replace = replace or {}
        z, h = Layers("z"), Layers("h", {0: self.x})
        for k in self.layers:
            zk = self.W[k] * h[k - 1]
            if self.b is not None:
                zk = zk + self.b[k]
            n = self.sizes[k]
            zk = ImmutableMatrix([replace.get(("z", k, i + 1), zk[i]) for i in range(n)])
            gk = self.g_out if k == self.L + 1 else self.g
            hk = zk.applyfunc(gk)
            z[k] = zk
            h[k] = ImmutableMatrix([replace.get(("h", k, i + 1), hk[i]) for i in range(n)])
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
        r"""Eq. ``dloss-dz-hidden`` (section 3.5): node ``j`` of hidden layer ``k``, from the layer above.

        The book writes the recursion with the upper layer numbered k, as
        ``Network.backward``'s loop runs,

        .. math:: \delta^{(k-1)}_j = \sum_i \delta^{(k)}_i\, W^{(k)}_{ij}\, g'(z^{(k-1)}_j);

        this method is indexed by the hidden layer itself (the book's k-1), so it
        returns :math:`\sum_i \delta^{(k+1)}_i W^{(k+1)}_{ij}\, g'(z^{(k)}_j)` for
        ``k`` = 1 .. L.  The paper writes :math:`W_{ij}` here; the weight is the one of
        the layer above (see the errata).
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
        r"""The column :math:`\delta^{(k)}` of :math:`\partial\text{Loss}/\partial z^{(k)}_i`.

        For k = L+1 it is the 1x1 column of eq. ``dloss-dz``; below, eq.
        ``dloss-dz-hidden`` in matrix form, which the book writes with the upper layer
        numbered k as :math:`\delta^{(k-1)} = (W^{(k)\top} \delta^{(k)}) \odot g'(z^{(k-1)})`
        (here: the layer above ``k`` is k+1).
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
        node = self._free_node(symbol)
        if node is not None:
            return node
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
        folded = _as_basic(expr).xreplace(rule)
        # g'(z^(k)_i) is Subs(Derivative(g(xi), xi), xi, z^(k)_i), whose dummy xi makes the
        # order of printed factors depend on Python's hash seed; at a symbol it is the
        # plain Derivative(g(z^(k)_i), z^(k)_i), which sorts by name.
        return folded.replace(
            lambda e: isinstance(e, Subs) and all(isinstance(p, Symbol) for p in e.point),
            lambda e: e.doit(),
        )

    # -- SymPy's own derivatives and the proofs -----------------------------------------

    def equal(self, a: Expr | MatrixBase, b: Expr | MatrixBase) -> Claim:
        """Whether ``a`` and ``b`` are the same function of x, W, (b), y for every g and Loss.

        Both are unfolded (display and :class:`Partial` symbols replaced by what
        they stand for), written as polynomials in fresh indeterminates for the
        values of g, Loss and their derivatives, and subtracted; true exactly
        when the difference expands to 0.  Exact and sound: a true claim is never
        wrong (see the docstring of :mod:`nnlib.symbolic`).  Matrices are equal
        when they have one shape and every entry is.

        Returns
        -------
        Claim
            Truthy exactly when they are equal (it prints ``True``/``False``),
            with ``.lhs = a`` and ``.rhs = b``.
        """
        return Claim(self._equal(a, b), a, b)

    def _equal(self, a: Expr | MatrixBase, b: Expr | MatrixBase) -> bool:
        if isinstance(a, MatrixBase) or isinstance(b, MatrixBase):
            if not (isinstance(a, MatrixBase) and isinstance(b, MatrixBase)) or a.shape != b.shape:
                return False
            return all(self._equal(u, v) for u, v in zip(a, b, strict=True))
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
            A weight ``net.W[k][i-1, j-1]``, a bias ``net.b[k][i-1]``, a node
            ``net.z_sym[k][i-1]`` (``net.z_out`` for the output node) or a hidden
            node ``net.h_sym[k][i-1]`` with 1 <= k <= L (the derivative with
            respect to the activation :math:`h^{(k)}_i`, see :meth:`sympy_derivative`).

        Returns
        -------
        Claim
            Truthy exactly when the formula equals SymPy's own derivative for
            every g and Loss (as ``net.equal(formula, net.sympy_derivative(wrt))``);
            ``.lhs`` is the formula and ``.rhs`` SymPy's derivative.  It is
            :attr:`~Claim.trivial` (and :func:`certify` refuses it) when the
            formula *is* SymPy's derivative.
        """
        raw = self._raw_derivative(wrt)
        trivial = formula is raw or formula == raw or self._is_sympys(formula, wrt)
        key = f"dLoss/d{wrt} of {self!r}"
        rhs = Later(functools.partial(self.sympy_derivative, wrt))  # put together when read
        return Claim(self._equal(formula, raw), formula, rhs, rhs_key=key, trivial=trivial)

    def _is_sympys(self, formula: object, wrt: Symbol) -> bool:
        """Whether ``formula`` is structurally :meth:`sympy_derivative` of ``wrt``.

        That derivative is written in x, W, (b) and y only, so a formula with any
        other free symbol (a display or :class:`Partial` symbol, as the paper's
        formulas have) cannot be it, and the derivative need not be put together.
        """
        if (
            not self._has_derivative(wrt)
            and isinstance(formula, sympy.Basic)
            and not formula.free_symbols <= self._base_symbols
        ):
            return False
        return _same_expression(formula, self.sympy_derivative(wrt))

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
