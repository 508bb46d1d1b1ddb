r"""Gradient checking by central differences (the book's numeric proof of every step).

For each weight the derivative of J is estimated as

.. math:: \frac{\partial J}{\partial W} \approx \frac{J(W + \varepsilon) - J(W - \varepsilon)}{2\varepsilon}

(error :math:`O(\varepsilon^2)`), and compared with backpropagation through the
relative error :math:`|a - n| / \max(|a|, |n|)` (eq. ``relative-error``).  In
float64 a correct gradient of a smooth network gives about 1e-7 or less; a wrong
factor anywhere gives something near 1.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from . import _checks
from .network import Gradients, Layers, Network

Array = np.ndarray


def relative_error(analytic: Array, numeric: Array, floor: float = 1e-4) -> Array:
    r"""Elementwise :math:`|a-n| / \max(|a|, |n|, \text{floor})` (eq. ``relative-error``).

    The ``floor`` keeps entries where both gradients are (nearly) zero from
    dividing round-off by round-off: below it the error is absolute/floor.
    """
    a, n = np.asarray(analytic, dtype=float), np.asarray(numeric, dtype=float)
    return np.abs(a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)), floor)


@dataclass
class GradCheck:
    """The outcome of :func:`gradcheck`.

    Attributes
    ----------
    analytic, numeric : Layers
        ``[k]`` holds dJ/dW^(k) from backpropagation and from central differences.
    errors : dict
        The largest relative error in each layer's weights, ``errors[k]``
        (and ``errors[("b", k)]`` for biases).
    """

    analytic: Layers
    numeric: Layers
    errors: dict

    @property
    def max_error(self) -> float:
        """The largest relative error over every parameter."""
        return max(self.errors.values())

    def ok(self, tol: float = 1e-6) -> bool:
        """True when every relative error is at most ``tol``."""
        return self.max_error <= tol


def numeric_gradient(net: Network, X: object, Y: object, param: Array, eps: float) -> Array:
    """Central differences of ``net.cost(X, Y)`` with respect to every entry of ``param``.

    ``param`` must be one of the network's own arrays (it is perturbed in place
    and restored).  ``X`` and ``Y`` are checked once: every evaluation of J
    reuses the checked arrays, since a nudge of a weight cannot make the data
    invalid.
    """
    X2, _ = _checks.as_inputs(X, net.sizes[0], net.dtype)
    Y2 = net.as_labels(Y, X2.shape[0])

    def J() -> float:
        return net._cost_of_rows(net.forward(X2), Y2)  # net.cost(X, Y), checks done

    grad = np.zeros(param.shape, dtype=np.float64)
    for idx in np.ndindex(param.shape):  # nudges go into param itself, whatever its layout
        old = param[idx]
        param[idx] = old + eps
        up = J()
        param[idx] = old - eps
        down = J()
        param[idx] = old
        grad[idx] = (up - down) / (2 * eps)
    return grad


def node_gradient(
    net: Network, x: object, y: object, k: int, *, wrt: str = "z", eps: float = 1e-5
) -> Array:
    r"""Central differences of one sample's Loss with respect to every node of layer ``k``.

    Estimates :math:`\partial\text{Loss}/\partial z^{(k)}_i` (``wrt="z"``, the
    :math:`\delta^{(k)}_i` of eqs. ``dloss-dz-last-hidden`` and ``dloss-dz-hidden``)
    or :math:`\partial\text{Loss}/\partial h^{(k)}_i` (``wrt="h"``) for every
    ``i``: the node is nudged by :math:`\pm\varepsilon` and the forward pass is
    run from layer ``k`` up to the loss, with the network's own weights, biases,
    thresholds and loss.  Backpropagation does not enter, so this checks it.

    Parameters
    ----------
    net : Network
        A float64 network.
    x : array_like
        One input, shape ``(n_0,)``.
    y : array_like
        Its label.
    k : int
        The layer: 1 .. L+1 for ``wrt="z"``, 1 .. L for ``wrt="h"`` (the output's
        :math:`h^{(L+1)} = g(z)` is the prediction itself).
    wrt : {"z", "h"}
        Which value of the nodes is nudged.
    eps : float
        The step :math:`\varepsilon`.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_k,)``.
    """
    eps = _checks.positive_number(eps, "eps")
    if net.dtype != np.float64:
        raise ValueError(f"node_gradient needs a float64 network, got {net.dtype}")
    if wrt not in ("z", "h"):
        raise ValueError(f"wrt must be 'z' or 'h', got {wrt!r}")
    top = net.L + 1 if wrt == "z" else net.L
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= k <= top:
        raise ValueError(f"k must be a layer 1 .. {top} for wrt={wrt!r}, got {k!r}")
    fw = net.forward(x)
    if fw.z[k].ndim != 1:
        raise ValueError(f"x must be one sample of shape ({net.sizes[0]},), got a batch")
    Y = net.as_labels(y, 1)[0]

    def loss_from(value: Array) -> float:
        h = net.g(k).g(value) if wrt == "z" else value
        for m in range(k + 1, net.L + 2):
            z = net.W[m] @ h
            if net.b is not None:
                z = z + net.b[m]
            h = net.g(m).g(z)
        return float(net.loss_fn.value(h, Y).sum())

    start = fw.z[k] if wrt == "z" else fw.h[k]
    grad = np.empty(start.shape)
    for i in range(start.size):
        up, down = start.copy(), start.copy()
        up[i] += eps
        down[i] -= eps
        grad[i] = (loss_from(up) - loss_from(down)) / (2 * eps)
    return grad


def error_bound(err: float) -> float:
    """The smallest power of ten at or above ``err`` (5.6e-09 gives 1e-08).

    The book prints errors this way, so that a stored output stays the same when
    round-off moves the error within its decade.
    """
    return float(10.0 ** np.ceil(np.log10(max(float(err), 1e-300))))


def gradcheck(
    net: Network,
    X: object,
    Y: object,
    eps: float = 1e-5,
    floor: float = 1e-4,
    grads: Gradients | None = None,
) -> GradCheck:
    r"""Compare backpropagation with central differences for every weight (and bias).

    Parameters
    ----------
    net : Network
        A float64 network (float32 is too coarse for differences).
    X, Y : array_like
        The data J is measured on.
    eps : float
        The step :math:`\varepsilon` of the central difference.
    floor : float
        The relative error's floor (see :func:`relative_error`).
    grads : Gradients, optional
        The analytic gradients to check; by default ``net.backward(net.forward(X), Y)``.
        Passing your own lets you test a hand-written backward pass.

    Returns
    -------
    GradCheck
    """
    eps = _checks.positive_number(eps, "eps")
    if net.dtype != np.float64:
        raise ValueError(f"gradcheck needs a float64 network, got {net.dtype}")
    if grads is None:
        grads = net.gradients(X, Y)
    analytic, numeric, errors = Layers("dW"), Layers("dW"), {}
    if net.b is not None and grads.db is None:
        raise ValueError("the network has biases, so grads must carry db (bias gradients) too")
    for kind, k, param in net.parameters():
        a = grads.dW[k] if kind == "W" else grads.db[k]
        n = numeric_gradient(net, X, Y, param, eps)
        key = k if kind == "W" else ("b", k)
        if kind == "W":
            analytic[k], numeric[k] = a, n
        errors[key] = float(np.max(relative_error(a, n, floor)))
    return GradCheck(analytic=analytic, numeric=numeric, errors=errors)


# -- one helper for the chapters' comparison: backward vs SymPy vs central differences --

#: Errors below this print as ``<1e-12``: round-off of two exact formulas in float64
#: moves between decades from one machine to the next; above it the decade is stable.
DISPLAY_FLOOR = 1e-12

#: What :func:`compare_backprop` can compare, in the order a layer's rows are printed.
QUANTITIES = ("delta", "dW", "db")
_QUANTITY_NAMES = {"delta": "delta = dLoss/dz", "dW": "dJ/dW", "db": "dJ/db"}


def format_error(err: float | None) -> str:
    """A relative error as the decade it lies in: ``<1e-08`` for 5.6e-09.

    The printed power of ten is strictly above ``err``; anything below
    :data:`DISPLAY_FLOOR` prints as ``<1e-12`` and a comparison that was not
    made (``None``) as ``-``.  Stored notebook outputs stay the same when
    round-off moves an error within its decade.
    """
    if err is None:
        return "-"
    err = float(err)
    if not np.isfinite(err):
        return str(err)
    if err < DISPLAY_FLOOR:
        return f"<{DISPLAY_FLOOR:.0e}"
    return f"<1e{int(np.floor(np.log10(err))) + 1:03d}"


@dataclass(frozen=True)
class ComparisonRow:
    """One row of a :class:`BackpropComparison`: one quantity of one layer.

    ``vs_sympy`` and ``vs_central`` are the largest relative errors
    (eq. ``relative-error``) of ``Network.backward``'s values against SymPy's and
    against central differences; ``vs_sympy`` is ``None`` when SymPy was not used.
    """

    layer: int
    quantity: str  # "delta", "dW" or "db"
    vs_sympy: float | None
    vs_central: float


@dataclass(frozen=True)
class BackpropComparison:
    """The outcome of :func:`compare_backprop`; ``print`` it for the table.

    Attributes
    ----------
    title : str
        The network and data compared (first line of the table).
    rows : tuple of ComparisonRow
        One per layer and quantity, output layer first (the order of the backward pass).
    tol_sympy, tol_central : float
        The bounds the errors were held to.
    """

    title: str
    rows: tuple[ComparisonRow, ...]
    tol_sympy: float
    tol_central: float

    @property
    def worst_sympy(self) -> float | None:
        """The largest error against SymPy over every row (``None`` without SymPy)."""
        errs = [r.vs_sympy for r in self.rows if r.vs_sympy is not None]
        return max(errs) if errs else None

    @property
    def worst_central(self) -> float:
        """The largest error against central differences over every row."""
        return max(r.vs_central for r in self.rows)

    @property
    def worst(self) -> float:
        """The largest error of either comparison."""
        return max(self.worst_central, self.worst_sympy or 0.0)

    @property
    def ok(self) -> bool:
        """True when every error is within its bound."""
        sympy_ok = self.worst_sympy is None or self.worst_sympy <= self.tol_sympy
        return sympy_ok and self.worst_central <= self.tol_central

    def line(self) -> str:
        """The verdict in one line, e.g. ``backward vs SymPy <1e-12, vs central differences <1e-08``."""
        parts = []
        if self.worst_sympy is not None:
            parts.append(f"vs SymPy {format_error(self.worst_sympy)}")
        parts.append(f"vs central differences {format_error(self.worst_central)}")
        return "backward " + ", ".join(parts)

    def __str__(self) -> str:
        header = f"{'layer':>5}  {'gradient':<17} {'vs SymPy':<9} vs central differences"
        lines = [self.title, header]
        for r in self.rows:
            lines.append(
                f"{r.layer:>5}  {_QUANTITY_NAMES[r.quantity]:<17} "
                f"{format_error(r.vs_sympy):<9} {format_error(r.vs_central)}"
            )
        bounds = f"{self.tol_sympy:.0e}" if self.worst_sympy is not None else "-"
        verdict = "within" if self.ok else "ABOVE"
        lines.append(
            f"{'worst relative error':<24} {format_error(self.worst_sympy):<9} "
            f"{format_error(self.worst_central)}  ({verdict} {bounds} and {self.tol_central:.0e})"
        )
        return "\n".join(lines)

    def _repr_pretty_(self, p: object, cycle: bool) -> None:  # IPython shows the table
        p.text(str(self))  # type: ignore[attr-defined]


def _kinked(activation: object) -> bool:
    """True for an activation with a kink (its ``sympy_dg`` gives nnlib's value there)."""
    return getattr(activation, "sympy_dg", None) is not None


def compare_backprop(
    net: Network,
    X: object,
    Y: object,
    *,
    symbolic: bool = True,
    grads: Gradients | None = None,
    layers: object = None,
    quantities: tuple[str, ...] | list[str] = QUANTITIES,
    eps: float = 1e-5,
    floor: float = 1e-4,
    tol_sympy: float = 1e-12,
    tol_central: float = 1e-7,
    kink_margin: float = 1e-3,
    check: bool = True,
) -> BackpropComparison:
    r"""``Network.backward`` against SymPy's derivatives and central differences, per layer.

    For every layer ``k`` (output first) and each of ``quantities``:

    * ``"delta"``: :math:`\delta^{(k)}_i = \partial\text{Loss}/\partial z^{(k)}_i` of
      every sample (eqs. ``dloss-dz``, ``dloss-dz-last-hidden``, ``dloss-dz-hidden``),
      against SymPy's derivative and against :func:`node_gradient`;
    * ``"dW"``: :math:`\partial J/\partial W^{(k)}` (eq. ``dloss-dw``), the mean over
      the rows of ``X``, against the mean of SymPy's per-sample derivatives and
      against :func:`numeric_gradient` of J;
    * ``"db"``: :math:`\partial J/\partial b^{(k)}` likewise (networks with biases only).

    SymPy's values come from :func:`nnlib.symbolic.sympy_gradients`: the
    network's loss written out in SymPy with nnlib's activation and loss
    (``concretize``), differentiated by SymPy, lambdified and evaluated at the
    network's weights -- no line of ``Network.backward`` enters.  Each entry is
    compared by the relative error of eq. ``relative-error`` and the largest
    per row is kept.

    Parameters
    ----------
    net : Network
        A float64 network; with ``symbolic=True`` one output node and an
        activation and loss with a SymPy form.
    X, Y : array_like
        One sample ``(n_0,)`` and its label, or a batch ``(B, n_0)`` and ``(B,)``.
    symbolic : bool
        Compare with SymPy too (else only with central differences).
    grads : Gradients, optional
        The gradients to check (default ``net.backward(net.forward(X), Y)``): pass
        the result of a backward pass written by hand to check it.  ``"delta"`` rows
        need ``grads.dz``.
    layers : iterable of int, optional
        The layers to compare (default all, ``1 .. L+1``).
    quantities : sequence of {"delta", "dW", "db"}
        What to compare in each layer; ``"db"`` is skipped on a network without biases.
    eps : float
        The step of the central differences.
    floor : float
        The floor of the relative error (eq. ``relative-error``).
    tol_sympy, tol_central : float
        The bounds: SymPy and nnlib evaluate exact formulas, so they differ by
        round-off only (``1e-12``); central differences have an error of order
        :math:`\varepsilon^2` plus round-off over :math:`\varepsilon`, and a
        correct gradient gives about ``1e-7`` or less (eq. ``relative-error``).
    kink_margin : float
        With an activation that has a kink (ReLU, step), refuse a sample whose
        :math:`|z^{(k)}_i|` comes closer than this to the kink: a central
        difference across the kink measures nothing.
    check : bool
        Raise when an error is above its bound (the default); ``False`` only
        returns the result.

    Returns
    -------
    BackpropComparison
        ``print`` it for one table; ``.worst_sympy``, ``.worst_central``, ``.worst``,
        ``.ok`` and ``.line()`` for the verdict.

    Raises
    ------
    AssertionError
        With ``check=True``, when an error is above ``tol_sympy`` or ``tol_central``;
        the message holds the table.
    ValueError
        For a float32 network, an unknown quantity or layer, ``grads`` without
        ``dz`` for ``"delta"``, a sample too close to a kink, or ``symbolic=True``
        on a network SymPy cannot mirror (more than one output node).

    Examples
    --------
    >>> from nnlib import Network
    >>> net = Network([2, 2, 1], "tanh", "squared", seed=0)
    >>> result = compare_backprop(net, [0.5, -1.0], 1.0, symbolic=False)
    >>> result.ok
    True
    """
    eps = _checks.positive_number(eps, "eps")
    if net.dtype != np.float64:
        raise ValueError(f"compare_backprop needs a float64 network, got {net.dtype}")
    unknown = [q for q in quantities if q not in QUANTITIES]
    if isinstance(quantities, str) or unknown or not quantities:
        raise ValueError(
            f"quantities must be a non-empty sequence of {QUANTITIES}, got {quantities!r}"
        )
    wanted = [q for q in QUANTITIES if q in quantities and (q != "db" or net.b is not None)]
    if not wanted:
        raise ValueError("the network has no biases, so 'db' alone leaves nothing to compare")
    chosen = list(net.layers) if layers is None else list(layers)  # type: ignore[call-overload]
    bad = [k for k in chosen if isinstance(k, bool) or k not in net.layers]
    if bad or not chosen:
        raise ValueError(f"layers must be layer numbers 1 .. {net.L + 1}, got {layers!r}")
    if symbolic and net.sizes[-1] != 1:
        raise ValueError(
            f"SymPy mirrors the paper's single output node; network {list(net.sizes)} has "
            f"{net.sizes[-1]} outputs: pass symbolic=False"
        )

    fw = net.forward(X)
    rows_X = np.asarray(fw.h[0], dtype=np.float64).reshape(-1, net.sizes[0])
    n = rows_X.shape[0]
    rows_Y = net.as_labels(Y, n)
    if grads is None:
        grads = net.backward(fw, Y)
    if "delta" in wanted and grads.dz is None:
        raise ValueError("grads has no dz, so 'delta' cannot be compared; leave it out")
    if "db" in wanted and grads.db is None:
        raise ValueError("the network has biases, so grads must carry db (bias gradients) too")
    kinks = [
        k for k in net.layers if _kinked(net.g(k)) and float(np.min(np.abs(fw.z[k]))) < kink_margin
    ]
    if kinks:
        raise ValueError(
            f"|z| is within {kink_margin:g} of the kink of {net.g(kinks[0]).name} in layer "
            f"{kinks[0]}: central differences across a kink are meaningless; take another sample"
        )

    theirs: list[Gradients] = []
    if symbolic:
        from .symbolic import sympy_gradients  # SymPy is loaded only when asked for

        theirs = [sympy_gradients(net, rows_X[t], rows_Y[t, 0]) for t in range(n)]

    def worst(a: object, b: object) -> float:
        return float(np.max(relative_error(np.asarray(a), np.asarray(b), floor)))

    rows = []
    for k in sorted(chosen, reverse=True):
        for q in wanted:
            if q == "delta":
                ours = np.asarray(grads.dz[k], dtype=np.float64).reshape(n, -1)
                central = np.array(
                    [node_gradient(net, rows_X[t], rows_Y[t], k, eps=eps) for t in range(n)]
                )
                sym = np.array([s.dz[k] for s in theirs]) if theirs else None
            else:
                ours = np.asarray(grads.dW[k] if q == "dW" else grads.db[k], dtype=np.float64)
                param = net.W[k] if q == "dW" else net.b[k]  # type: ignore[index]
                central = numeric_gradient(net, X, Y, param, eps)
                sym = (
                    np.mean([s.dW[k] if q == "dW" else s.db[k] for s in theirs], axis=0)
                    if theirs
                    else None
                )
            rows.append(
                ComparisonRow(
                    layer=k,
                    quantity=q,
                    vs_sympy=None if sym is None else worst(ours, sym),
                    vs_central=worst(ours, central),
                )
            )

    g_name = net.activation.name
    if net.output_activation.name != g_name:
        g_name += f"/{net.output_activation.name}"
    extras = (", biases" if net.b is not None else "") + (f", l2={net.l2:g}" if net.l2 else "")
    samples = f"{n} sample{'s' * (n != 1)}"
    title = f"{list(net.sizes)}, {g_name} + {net.loss_fn.name}{extras}, {samples}"
    if len(title) <= 79 - len("Network.backward on "):
        title = "Network.backward on " + title
    result = BackpropComparison(title, tuple(rows), float(tol_sympy), float(tol_central))
    if check and not result.ok:
        raise AssertionError(f"backward disagrees beyond the bounds:\n{result}")
    return result
