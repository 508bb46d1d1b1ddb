r"""From the generic g and Loss to nnlib's functions, and from SymPy to NumPy numbers.

The SymPy forms of nnlib's activations and losses live on the objects of the
registries (``Activation.sympy_g``, ``Loss.sympy_value``, ...); the three
tables at the top (:data:`ACTIVATION_EXPRESSIONS`, :data:`LOSS_EXPRESSIONS`,
:data:`KINK_DERIVATIVES`) are views of them by name.  :func:`concretize` puts
them in place of ``g`` and ``Loss``, :func:`to_numpy` lambdifies a formula and :func:`sympy_gradients`
gives SymPy's gradients shaped like ``nnlib.Network.backward``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence

import numpy as np
import sympy
from sympy import Derivative, Dummy, Subs, Symbol
from sympy.core.function import AppliedUndef, UndefinedFunction
from sympy.matrices import MatrixBase

from .. import _checks
from ..activations import ACTIVATIONS
from ..losses import LOSSES
from ..network import Gradients, Layers, Network
from .network import SymbolicNetwork
from .notation import Expr, Loss, _as_basic, _slot_derivative, g, g_out

# -- concrete activations and losses ------------------------------------------------------


class _SympyForms(Mapping):
    """A read-only, live view of one SymPy form of every registered activation or loss.

    The forms live on the objects of :data:`nnlib.ACTIVATIONS` and
    :data:`nnlib.LOSSES` (``Activation.sympy_g``, ``Loss.sympy_value``, ...); a
    name whose object has no such form is not in the view.
    """

    def __init__(self, *sources: tuple[Mapping[str, object], str], what: str) -> None:
        self._sources = sources
        self._what = what

    def _items(self) -> Iterator[tuple[str, Callable[..., Expr]]]:
        for registry, attribute in self._sources:
            for name, item in registry.items():
                form = getattr(item, attribute)
                if form is not None:
                    yield name, form

    def __getitem__(self, name: object) -> Callable[..., Expr]:
        for key, form in self._items():
            if key == name:
                return form
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items())

    def __len__(self) -> int:
        return sum(1 for _ in self._items())

    def __repr__(self) -> str:
        return f"<{self._what}: {', '.join(self)}>"


ACTIVATION_EXPRESSIONS: Mapping[str, Callable[[Expr], Expr]] = _SympyForms(
    (ACTIVATIONS, "sympy_g"), what="the SymPy form of every registered activation"
)
"""nnlib's activations g(t) as SymPy expressions: ``Activation.sympy_g`` of :data:`nnlib.ACTIVATIONS`."""

LOSS_EXPRESSIONS: Mapping[str, Callable[[Expr, Expr], Expr]] = _SympyForms(
    (LOSSES, "sympy_value"), what="the SymPy form of every registered loss"
)
"""nnlib's losses Loss(a, y) as SymPy expressions: ``Loss.sympy_value`` of :data:`nnlib.LOSSES`."""

KINK_DERIVATIVES: Mapping[str, Callable[..., Expr]] = _SympyForms(
    (ACTIVATIONS, "sympy_dg"),
    (LOSSES, "sympy_grad"),
    what="the first derivatives of the registered functions with a kink",
)
"""First derivatives of the functions with a kink, with nnlib's value 0 at the kink.

SymPy would give the derivative of ``Max`` the value 1/2 there; everywhere else
these are SymPy's own derivatives.  The derivatives of the smooth functions are
always left to SymPy (``sympy.diff`` of the expressions above).  Read from
``Activation.sympy_dg`` and ``Loss.sympy_grad``.
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
    LOSSES[loss].check_output(ACTIVATIONS[out_name])  # e.g. the logistic loss needs a sigmoid
    return names


def _body(name: str) -> Callable[..., Expr]:
    return (
        ACTIVATION_EXPRESSIONS[name] if name in ACTIVATION_EXPRESSIONS else LOSS_EXPRESSIONS[name]
    )


def _concrete_derivative(name: str, orders: tuple[int, ...], point: tuple) -> Expr:
    """The derivative of nnlib's function ``name`` in its slots, evaluated at ``point``."""
    if name in KINK_DERIVATIVES and orders[0] == 1 and not any(orders[1:]):
        return KINK_DERIVATIVES[name](*point)
    slots, expr = _derivative_in_slots(_body(name), orders)
    return expr.xreplace(dict(zip(slots, point, strict=True)))


@functools.lru_cache(maxsize=256)
def _derivative_in_slots(
    body: Callable[..., Expr], orders: tuple[int, ...]
) -> tuple[tuple[Dummy, ...], Expr]:
    """SymPy's derivative of ``body`` in its slots, at free slot symbols; taken once per form."""
    slots = tuple(Dummy(f"s{p}", real=True) for p in range(len(orders)))
    expr = body(*slots)
    for slot, order in zip(slots, orders, strict=True):
        if order:
            expr = sympy.diff(expr, slot, order)
    return slots, expr


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
    rewrite = _rewriter(names)
    if isinstance(expr, MatrixBase):
        return expr.applyfunc(rewrite)
    return rewrite(_as_basic(expr))


def _rewriter(
    names: Mapping[UndefinedFunction, str], rename: Mapping[Symbol, Symbol] | None = None
) -> Callable[[sympy.Basic], sympy.Basic]:
    """The rewriting of :func:`concretize`, with one memo for every expression it is given.

    ``rename`` also replaces symbols (the arguments of :func:`to_numpy`) in the same
    pass, so that no expression is rebuilt twice (rebuilding a ``Max`` is costly).
    """
    rename = rename or {}
    memo: dict[sympy.Basic, sympy.Basic] = {}

    def rewrite(e: sympy.Basic) -> sympy.Basic:
        if not e.args:
            return rename.get(e, e)
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
            if rename:
                out = out.xreplace(dict(rename))
        elif isinstance(e, AppliedUndef) and e.func in names:
            out = _body(names[e.func])(*(rewrite(a) for a in e.args))
        else:
            out = e.func(*(rewrite(a) for a in e.args))
        memo[e] = out
        return out

    return rewrite


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
    unfolded = [net.unfold(e) for e in items]
    arguments = _arguments(net)
    plain = _plain_names(arguments, unfolded)
    names = _concrete_names(activation, loss, output_activation)
    rewrite = _rewriter(names, dict(zip(arguments, plain, strict=True)))
    concrete = [e.applyfunc(rewrite) if isinstance(e, MatrixBase) else rewrite(e) for e in unfolded]
    func = sympy.lambdify(plain, concrete if many else concrete[0], modules="numpy", cse=True)
    return NumericFunction(net, func)


def _plain_names(arguments: list[Symbol], exprs: list[Expr | MatrixBase]) -> list[Symbol]:
    """Symbols ``a_0, a_1, ...`` (Python names) to stand for ``arguments`` in ``lambdify``.

    Names such as ``W^{(1)}_{11}`` are not Python identifiers; ``lambdify`` would
    rename them itself, one argument at a time, each time rebuilding every
    expression.  :func:`to_numpy` renames them while it concretizes instead.  The
    new names avoid every free symbol of the expressions.
    """
    taken = {s.name for e in exprs for s in e.free_symbols}
    prefix = "a_"
    while any(name.startswith(prefix) for name in taken):
        prefix = "_" + prefix
    return [Symbol(f"{prefix}{n}", real=True) for n in range(len(arguments))]


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
