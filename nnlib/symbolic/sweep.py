r"""The *order* of backpropagation, checked: every step reads only what is already there.

Chapter 3.6 proves that each derivative the backward sweep computes is the
right one (eq. ``backprop-algorithm``).  That proof would also pass if the steps
ran in an order in which they could not run: a :math:`\delta` used before it is
computed, or a weight read after the update has moved it.  This module proves
the order too.

A *sweep* is a list of :class:`Step`\ s; each names what it writes and what it
reads.  :func:`check_order` holds a sweep to two rules:

1. **computed before read**: a step reads only the inputs of the pass (the
   sample, the label, the weights) and values that an earlier step wrote;
2. **read before moved**: once a step has moved a weight (an update writes it),
   no later step reads that weight except another update of the same weight.
   Equivalently, a weight may change only after every quantity that reads it has
   been computed.

Two kinds of sweep are recorded, not written by hand:

* :func:`symbolic_sweep` runs the paper's formulas of sections 2-3.6 (the
  forward pass, eqs. ``dloss-dz``, ``dloss-dw``, ``dloss-dz-hidden`` and
  ``sgd-update``) on a :class:`~nnlib.symbolic.SymbolicNetwork`, entry by entry,
  in a chosen order; each step reads exactly the free symbols of its formula.
* :func:`trace_fast_step` runs one real training step of :mod:`nnlib.fast`
  (``Workspace.forward`` then ``Workspace.backward_step``) on arrays that record
  every NumPy operation writing into a named array and which named arrays its
  operands came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from .. import _checks
from ..network import Network
from .network import SymbolicNetwork
from .notation import eta

__all__ = [
    "ORDERS",
    "OrderCheck",
    "Step",
    "Sweep",
    "check_order",
    "merged",
    "symbolic_sweep",
    "trace_fast_step",
]


@dataclass(frozen=True)
class Step:
    """One step of a sweep: it writes ``writes`` from the values named in ``reads``."""

    writes: str
    reads: frozenset[str]


@dataclass(frozen=True)
class OrderCheck:
    """The outcome of :func:`check_order`.

    Attributes
    ----------
    name : str
        What was checked (first words of the printed line).
    steps, reads : int
        How many steps the sweep has and how many reads they make in all.
    violations : tuple of str
        Every read that breaks a rule, in the order of the sweep; empty when the
        order is valid.
    """

    name: str
    steps: int
    reads: int
    violations: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when no read breaks a rule."""
        return not self.violations

    def line(self) -> str:
        """The verdict: one line when valid, the first bad read on a second line otherwise."""
        if self.ok:
            return f"{self.name}: valid order ({self.steps} steps, {self.reads} reads)"
        n = len(self.violations)
        return (
            f"{self.name}: INVALID order, {n} bad read{'s' * (n != 1)}; the first:\n"
            f"  {self.violations[0]}"
        )

    def __str__(self) -> str:
        return self.line()


@dataclass(frozen=True)
class Sweep:
    """A recorded sweep: its steps in order, what exists before them, which of it may move.

    Attributes
    ----------
    name : str
        What ran (printed in the verdict of :meth:`check`).
    steps : tuple of Step
    inputs : frozenset of str
        The sample, the label (the learning rate) and every weight.
    weights : frozenset of str
        The names an update may move.
    net : Network or None
        For :func:`trace_fast_step`: the copy of the network after the traced step.
    """

    name: str
    steps: tuple[Step, ...]
    inputs: frozenset[str]
    weights: frozenset[str]
    net: Network | None = None

    def check(self) -> OrderCheck:
        """:func:`check_order` on this sweep."""
        return check_order(self.steps, self.inputs, self.weights, self.name)


def merged(steps: Sequence[Step]) -> list[Step]:
    """Consecutive steps that write the same name, shown as one (for printing a sweep)."""
    out: list[Step] = []
    for step in steps:
        if out and out[-1].writes == step.writes:
            reads = (out[-1].reads | step.reads) - {step.writes}
            out[-1] = Step(step.writes, reads | (out[-1].reads & {step.writes}))
        else:
            out.append(step)
    return out


def check_order(
    steps: Sequence[Step],
    inputs: Iterable[str],
    weights: Iterable[str],
    name: str = "sweep",
) -> OrderCheck:
    """Hold a sweep to the two rules of this module (computed before read, read before moved).

    Parameters
    ----------
    steps : sequence of Step
        The sweep, in the order it runs.
    inputs : iterable of str
        What exists before the first step (sample, label, weights, learning rate).
    weights : iterable of str
        The names among ``inputs`` that an update may move.
    name : str
        The name printed in the verdict.

    Returns
    -------
    OrderCheck
    """
    if isinstance(steps, Step) or not all(isinstance(s, Step) for s in steps):
        raise TypeError("steps must be a sequence of nnlib.symbolic.sweep.Step")
    have = set(inputs)
    weights = set(weights)
    if not weights <= have:
        raise ValueError(f"every weight must be an input; not inputs: {sorted(weights - have)}")
    moved: dict[str, int] = {}  # weight -> the step that first moved it
    violations: list[str] = []
    reads = 0
    for n, step in enumerate(steps, start=1):
        for r in sorted(step.reads):
            reads += 1
            if r not in have:
                violations.append(f"step {n} ({step.writes}) reads {r} before any step computes it")
            elif r in moved and step.writes != r:
                violations.append(
                    f"step {n} ({step.writes}) reads {r} after step {moved[r]} moved it"
                )
        if step.writes in weights and step.writes not in moved:
            moved[step.writes] = n
        have.add(step.writes)
    return OrderCheck(name, len(steps), reads, tuple(violations))


# -- the paper's formulas, run symbolically in a chosen order --------------------------------

#: The orders :func:`symbolic_sweep` knows, with what each does in the loop k = L+1, ..., 1.
ORDERS = {
    "book": "all gradients and deltas first, every weight moved at the end",
    "fast": "per layer: dLoss/dW^(k), then delta^(k-1), then move W^(k) (nnlib.fast)",
    "update too early": "per layer: dLoss/dW^(k), then move W^(k), then delta^(k-1)",
    "upwards": "per layer, k = 1, ..., L+1: delta^(k) and dLoss/dW^(k), output last",
}


def _name(symbol: sympy.Symbol) -> str:
    r"""A plain-text name: ``W^(2)_11``, ``z^(1)_2``, ``delta^(1)_2``, ``dW^(1)_21``."""
    text = symbol.name.replace("{", "").replace("}", "")
    if text.startswith("dLoss/dW"):
        return "dLoss/" + text[len("dLoss/d") :].replace("W", "dW", 1)
    if text.startswith("dLoss/dz"):
        rest = text[len("dLoss/dz") :]
        return "delta" + (rest or "^(out)")
    return text


def symbolic_sweep(sizes: Sequence[int], order: str = "book") -> Sweep:
    r"""One forward and backward pass and an update of every weight, as formulas, in ``order``.

    The steps, each reading the free symbols of its formula:

    * forward (eqs. ``forward-z``, ``forward-h``), k = 1, ..., L+1:
      :math:`z^{(k)}_i = \sum_j W^{(k)}_{ij} h^{(k-1)}_j` and :math:`h^{(k)}_i = g(z^{(k)}_i)`;
    * the output node's :math:`\delta`, eq. ``dloss-dz``;
    * eq. ``dloss-dw`` for every weight and eq. ``dloss-dz-hidden`` for every node
      of layers :math:`L, \dots, 1`, as :class:`SymbolicNetwork` writes them
      (each reusing the :math:`\delta`'s above it as symbols);
    * the update of eq. ``sgd-update``, :math:`W^{(k)}_{ij} \leftarrow W^{(k)}_{ij} - \eta\,
      \partial\text{Loss}/\partial W^{(k)}_{ij}`, which reads the weight and its
      gradient and writes the weight.

    Parameters
    ----------
    sizes : sequence of int
        The network, ``[n_0, ..., n_{L+1}]`` with ``n_{L+1} = 1``.
    order : str
        One of :data:`ORDERS`: ``"book"`` and ``"fast"`` are valid orders,
        ``"update too early"`` and ``"upwards"`` are not.

    Returns
    -------
    Sweep
        Named ``order``; its inputs are the sample, the label, :math:`\eta` and
        every weight, and its weights every :math:`W^{(k)}_{ij}`.
    """
    if order not in ORDERS:
        raise ValueError(f"order must be one of {sorted(ORDERS)}, got {order!r}")
    net = SymbolicNetwork(sizes)
    top = net.L + 1

    def step(target: sympy.Symbol, formula: sympy.Expr) -> Step:
        return Step(_name(target), frozenset(_name(s) for s in _as_expr(formula).free_symbols))

    steps: list[Step] = []
    for k in net.layers:  # forward
        for i in range(net.sizes[k]):
            steps.append(step(net.z_sym[k][i], (net.W[k][i, :] * net.h_sym[k - 1])[0]))
            if k < top:
                steps.append(step(net.h_sym[k][i], net.g(net.z_sym[k][i])))

    def delta(k: int) -> list[Step]:
        if k == top:
            return [step(net.dz_sym[top][0], net.dloss_dz())]
        return [
            step(net.dz_sym[k][j - 1], net.dloss_dz_hidden(k, j))
            for j in range(1, net.sizes[k] + 1)
        ]

    def gradient(k: int) -> list[Step]:
        return [
            step(net.dW_sym[k][i - 1, j - 1], net.dloss_dW(k, i, j))
            for i in range(1, net.sizes[k] + 1)
            for j in range(1, net.sizes[k - 1] + 1)
        ]

    def update(k: int) -> list[Step]:
        return [step(w, w - eta * d) for w, d in zip(net.W[k], net.dW_sym[k], strict=True)]

    if order == "upwards":
        for k in net.layers:
            steps += delta(k) + gradient(k)
        for k in net.layers:
            steps += update(k)
    else:
        steps += delta(top)
        for k in reversed(net.layers):
            below = delta(k - 1) if k > 1 else []
            if order == "book":
                steps += gradient(k) + below
            elif order == "fast":
                steps += gradient(k) + below + update(k)
            else:  # update too early
                steps += gradient(k) + update(k) + below
        if order == "book":
            for k in reversed(net.layers):
                steps += update(k)
    weights = {_name(w) for k in net.layers for w in net.W[k]}
    inputs = {_name(x) for x in net.x} | {_name(net.y), _name(eta)} | weights
    return Sweep(order, tuple(steps), frozenset(inputs), frozenset(weights))


def _as_expr(formula: Any) -> sympy.Basic:
    """A step's formula as a SymPy expression (a plain number becomes a constant; no parsing)."""
    if isinstance(formula, sympy.Basic):
        return formula
    if isinstance(formula, (int, float)) and not isinstance(formula, bool):
        return sympy.Integer(formula) if isinstance(formula, int) else sympy.Float(formula)
    raise TypeError(f"a step's formula must be a SymPy expression or a number, got {formula!r}")


# -- nnlib.fast's real training step, traced ------------------------------------------------


class _Traced(np.ndarray):
    """An array that logs every NumPy operation writing into it, with what the operands came from.

    ``_name`` is set on the named arrays of a workspace (and kept by their
    views); a result computed from traced arrays is unnamed and remembers, in
    ``_sources``, the named arrays it was computed from.
    """

    _name: str | None
    _sources: frozenset[str]
    _log: list[Step] | None

    @classmethod
    def named(cls, array: np.ndarray, name: str, log: list[Step]) -> _Traced:
        out = np.asarray(array).view(cls)
        out._name, out._sources, out._log = name, frozenset({name}), log
        return out

    def __array_finalize__(self, obj: object) -> None:  # views keep the name
        self._name = getattr(obj, "_name", None)
        self._sources = getattr(obj, "_sources", frozenset())
        self._log = getattr(obj, "_log", None)

    @staticmethod
    def _unwrap(value: object, found: list[_Traced]) -> object:
        if isinstance(value, _Traced):
            found.append(value)
            return value.view(np.ndarray)
        if isinstance(value, (list, tuple)):
            return type(value)(_Traced._unwrap(v, found) for v in value)
        return value

    @staticmethod
    def _finish(result: object, operands: list[_Traced], outs: list[_Traced]) -> object:
        log = next((t._log for t in operands + outs if t._log is not None), None)
        sources = frozenset().union(*(t._sources for t in operands))
        for o in outs:
            if o._name is not None and log is not None:
                log.append(Step(o._name, sources))
        if outs or not isinstance(result, np.ndarray):
            return result
        traced = result.view(_Traced)
        traced._name, traced._sources, traced._log = None, sources, log
        return traced

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        operands: list[_Traced] = []
        outs: list[_Traced] = []
        raw_inputs = self._unwrap(inputs, operands)
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = self._unwrap(out, outs)
        result = getattr(ufunc, method)(*raw_inputs, **kwargs)  # type: ignore[misc]
        if out is not None:
            self._finish(result, operands, outs)
            return out[0] if isinstance(out, tuple) and len(out) == 1 else out
        return self._finish(result, operands, outs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        operands: list[_Traced] = []
        outs: list[_Traced] = []
        raw_args = self._unwrap(args, operands)
        kwargs = dict(kwargs)
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = self._unwrap(out, outs)
        result = func(*raw_args, **kwargs)
        self._finish(result, operands, outs)
        return out if out is not None else self._finish_result(result, operands)

    @staticmethod
    def _finish_result(result: object, operands: list[_Traced]) -> object:
        return _Traced._finish(result, operands, [])

    def __setitem__(self, key: Any, value: Any) -> None:
        operands: list[_Traced] = []
        raw = self._unwrap(value, operands)
        self.view(np.ndarray)[key] = raw
        self._finish(None, operands, [self])


def trace_fast_step(net: Network, X: object, Y: object, lr: float) -> Sweep:
    r"""The steps of one training step of :mod:`nnlib.fast`, as it runs them.

    A copy of ``net`` (``net`` itself does not move) takes one step of gradient
    descent on the batch ``X, Y`` with ``Workspace.forward`` and
    ``Workspace.backward_step``, on arrays that record each write into a named
    array (``z^(k)``, ``h^(k)``, ``delta^(k)``, ``dW^(k)``, ``W^(k)``, and
    ``tmp^(k)``, the workspace's scratch array that holds :math:`g'(z^{(k)})`)
    and the named arrays it was computed from.  Layer-sized names: the fast
    path computes a layer at a time.

    Returns
    -------
    Sweep
        Named ``"nnlib.fast"``; its inputs are ``x``, ``y`` and every ``W^(k)``
        (and ``b^(k)``), its weights every ``W^(k)`` (and ``b^(k)``), and ``net``
        the copy after the step, with plain arrays.
    """
    from .. import fast  # the module whose order is traced

    if not isinstance(net, Network):
        raise TypeError(f"net must be an nnlib.Network, got {type(net).__name__}")
    lr = _checks.positive_number(lr, "lr")
    X2 = np.atleast_2d(np.asarray(X, dtype=net.dtype))
    Y2 = net.as_labels(Y, X2.shape[0]).astype(net.dtype)
    log: list[Step] = []
    copy = net.copy()
    weights = set()
    for k in copy.layers:
        copy.W[k] = _Traced.named(copy.W[k], f"W^({k})", log)
        weights.add(f"W^({k})")
        if copy.b is not None:
            copy.b[k] = _Traced.named(copy.b[k], f"b^({k})", log)
            weights.add(f"b^({k})")
    ws = fast.Workspace(copy, X2.shape[0])
    for k in copy.layers:
        for attr, name in (
            ("z", "z"),
            ("h", "h"),
            ("dz", "delta"),
            ("tmp", "tmp"),
            ("dW", "dW"),
            ("db", "db"),
        ):
            arrays = getattr(ws, attr)
            arrays[k] = _Traced.named(arrays[k], f"{name}^({k})", log)
    ws.W = [None] * (copy.L + 2)  # make bind() rebuild its per-layer tuples from the arrays above
    ws.bind(copy)
    x = _Traced.named(X2, "x", log)
    y = _Traced.named(Y2, "y", log)
    with np.errstate(over="ignore"):
        ws.forward(x, y)
        ws.backward_step(lr)
    for k in copy.layers:  # hand back plain arrays
        copy.W[k] = copy.W[k].view(np.ndarray)
        if copy.b is not None:
            copy.b[k] = copy.b[k].view(np.ndarray)
    inputs = frozenset({"x", "y"} | weights)
    return Sweep("nnlib.fast", tuple(log), inputs, frozenset(weights), copy)
