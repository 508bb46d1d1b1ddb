r"""SymPy's own derivatives of a network's loss, taken once per architecture.

:class:`DerivativeMixin` gives :class:`~nnlib.symbolic.SymbolicNetwork` its
:meth:`~DerivativeMixin.sympy_derivative`: ``sympy.diff`` of the loss with
respect to a weight, a bias or a node, the independent side of every proof.
Taking these derivatives is most of the time a proof takes, and they depend on
nothing but the architecture (the sizes, the biases, whether the output layer
has its own ``g_out``): every symbol is named by its place in the network, so two
networks of one architecture have one loss, the same SymPy expression.  Each
derivative is therefore taken once per architecture and kept in a
:class:`_Derivatives` store that all networks of that architecture share
(:func:`clear_derivatives` empties the stores).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

import sympy
from sympy import Dummy, Symbol

from .notation import Expr

#: How many architectures keep their derivatives (the least recently built is dropped first).
_STORES_KEPT = 32


@dataclass
class _Derivatives:
    """SymPy's derivatives of one architecture's loss, filled as they are asked for.

    Attributes
    ----------
    raw : dict
        ``wrt -> sympy.diff(...)``; for a node, still in the free symbol that
        stands for it.
    final : dict
        ``wrt -> sympy_derivative(wrt)``: for a node, with the node's expression
        put back for its free symbol.
    frees : dict
        Each free symbol that stands for a node -> that node's expression.
    """

    raw: dict[Symbol, Expr] = field(default_factory=dict)
    final: dict[Symbol, Expr] = field(default_factory=dict)
    frees: dict[Dummy, Expr] = field(default_factory=dict)


_STORES: OrderedDict[tuple, _Derivatives] = OrderedDict()


def _store(architecture: tuple) -> _Derivatives:
    """The shared store of ``architecture`` (sizes, bias, output_g), made on first use."""
    if architecture in _STORES:
        _STORES.move_to_end(architecture)
    else:
        _STORES[architecture] = _Derivatives()
        while len(_STORES) > _STORES_KEPT:
            _STORES.popitem(last=False)
    return _STORES[architecture]


def clear_derivatives() -> None:
    """Forget every stored derivative: the next ones are taken by SymPy again."""
    _STORES.clear()


class DerivativeMixin:
    """SymPy's own derivatives of the loss, for :class:`~nnlib.symbolic.SymbolicNetwork`.

    Uses the host's ``sizes``, ``bias``, ``output_g``, ``L``, ``z``, ``h``,
    ``z_sym``, ``h_sym``, ``y``, ``Loss``, ``loss_expr``, ``_forward`` and
    ``_parameters``; the host calls :meth:`_share_derivatives` once it has its sizes.
    """

    _derivative_store: _Derivatives

    def _share_derivatives(self) -> None:
        """Take the store of this network's architecture (kept for the network's lifetime)."""
        self._derivative_store = _store((tuple(self.sizes), self.bias, self.output_g))

    def _node_position(self, node: Symbol) -> tuple[str, int, int] | None:
        """``("z", k, i)`` for the symbol :math:`z^{(k)}_i`, ``("h", k, i)`` for a hidden
        :math:`h^{(k)}_i` (1 <= k <= L), ``None`` for anything else."""
        for kind, symbols, top in (("z", self.z_sym, self.L + 1), ("h", self.h_sym, self.L)):
            for k in range(1, top + 1):
                for i, s in enumerate(symbols[k], start=1):
                    if s == node:
                        return kind, k, i
        return None

    def _free_node(self, symbol: Symbol) -> Expr | None:
        """The node a free symbol of :meth:`_raw_derivative` stands for (``None`` for others)."""
        return self._derivative_store.frees.get(symbol)

    def _raw_derivative(self, wrt: Symbol) -> Expr:
        """SymPy's derivative; for a node still in the free symbol that stands for it."""
        store = self._derivative_store
        if wrt in store.raw:
            return store.raw[wrt]
        if wrt in self._parameters:
            out = sympy.diff(self.loss_expr(), wrt)
        else:
            where = self._node_position(wrt) if isinstance(wrt, Symbol) else None
            if where is None:
                raise ValueError(
                    f"cannot differentiate with respect to {wrt!r}; expected a weight W[k][i-1, j-1], "
                    f"a bias b[k][i-1], a node z_sym[k][i-1] (1 <= k <= L+1) or a hidden "
                    f"node h_sym[k][i-1] (1 <= k <= L) of {self!r}"
                )
            kind, k, i = where
            free = Dummy(f"free_{kind}{k}_{i}", real=True)
            store.frees[free] = (self.z if kind == "z" else self.h)[k][i - 1]
            _, h = self._forward({where: free})
            out = sympy.diff(self.Loss(h[self.L + 1][0], self.y), free)
        store.raw[wrt] = out
        return out

    def sympy_derivative(self, wrt: Symbol) -> Expr:
        r"""SymPy's own derivative of :meth:`loss_expr` with respect to a weight, bias or node.

        For a weight or bias ``w`` this is ``sympy.diff(net.loss_expr(), w)``.

        For a node -- a pre-activation :math:`z^{(k)}_i` (a symbol from ``z_sym``,
        1 <= k <= L+1) or a hidden activation :math:`h^{(k)}_i` (from ``h_sym``,
        1 <= k <= L) -- the layers above k are rebuilt with a free symbol in the
        place of that node, SymPy differentiates the loss with respect to that
        symbol, and the node's expression is put back.  That is exactly the
        meaning of :math:`\partial\text{Loss}/\partial z^{(k)}_i` and
        :math:`\partial\text{Loss}/\partial h^{(k)}_i`: the network above the node
        seen as a function of the node, every other node of layer k held fixed.
        For :math:`h^{(k)}_i` this is the derivative *before* the threshold, so
        it has no factor :math:`g'(z^{(k)}_i)`; e.g. for the last hidden layer
        :math:`\partial\text{Loss}/\partial h^{(L)}_i = \partial\text{Loss}/\partial z \cdot W^{(L+1)}_{1i}`,
        the form that the errata of section 3.4 discusses.

        Each derivative is taken once per architecture: networks with the same
        sizes, biases and output threshold share them (see :mod:`nnlib.symbolic.derivatives`).

        Raises
        ------
        ValueError
            For anything else, e.g. ``net.y``, an input ``x_j`` (:math:`h^{(0)}_j`)
            or a symbol of another network.
        """
        store = self._derivative_store
        if wrt not in store.final:
            raw = self._raw_derivative(wrt)
            free = raw.free_symbols & set(store.frees)
            store.final[wrt] = raw.subs({s: store.frees[s] for s in free}) if free else raw
        return store.final[wrt]

    def _has_derivative(self, wrt: Symbol) -> bool:
        """Whether :meth:`sympy_derivative` of ``wrt`` is already in the store."""
        return wrt in self._derivative_store.final
