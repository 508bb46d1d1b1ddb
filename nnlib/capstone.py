r"""Check a reader's own backpropagation: forward, backward and update in plain NumPy.

The capstone of chapter 4 asks the reader to write three functions for a
network of any depth, with the sigmoid :math:`g` in every layer and the
logistic loss, in the batch (row) form of chapter 4:

``forward(W, X) -> (Z, H)``
    ``W[k]`` is :math:`W^{(k)}` for k = 1 .. L+1 (a dict keyed by the book's
    layer numbers), ``X`` has one row per sample.  Returns the dicts ``Z[k]``,
    ``H[k]`` (k = 1 .. L+1, shape ``(B, n_k)``) of eq. ``forward-matrix``.
``backward(W, Z, H, Y) -> dW``
    ``H[0]`` is ``X``; ``Y`` has shape ``(B, n_{L+1})``.  Returns ``dW[k]``
    :math:`= \partial J/\partial W^{(k)}` of the mean cost J (eq. ``cost``) for
    k = 1 .. L+1, each shaped like ``W[k]`` (eqs. ``delta-matrix``, ``dw-matrix``).
``update(W, dW, lr) -> W`` (or ``None`` after changing ``W`` in place)
    One step of gradient descent, :math:`W^{(k)} \leftarrow W^{(k)} - \eta\,
    \partial J/\partial W^{(k)}` (eq. ``sgd-update``).

:func:`check_backprop` runs them on a few networks of different depths and
compares every result with :class:`nnlib.Network` and every gradient also with
central differences of J (which use no backpropagation at all).  It prints one
verdict, or raises :class:`BackpropMismatch` naming the first function and the
first layer that is wrong, in the order backpropagation computes them (forward
from layer 1, backward from layer L+1 down).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import _checks
from .gradcheck import error_bound, numeric_gradient, relative_error
from .network import Network

__all__ = ["BackpropMismatch", "CapstoneReport", "check_backprop", "default_architectures"]

Array = np.ndarray


class BackpropMismatch(AssertionError):
    """A reader's function disagrees with ``nnlib`` (and with central differences).

    Attributes
    ----------
    part : str
        ``"forward"``, ``"backward"`` or ``"update"``: the function that is wrong.
    layer : int or None
        The book's number of the first wrong layer (None when no layer is to blame).
    sizes : tuple of int
        The network it was found on.
    """

    def __init__(self, message: str, *, part: str, layer: int | None, sizes: tuple[int, ...]):
        super().__init__(message)
        self.part, self.layer, self.sizes = part, layer, sizes


@dataclass
class CapstoneReport:
    """What :func:`check_backprop` compared, when everything agreed.

    Attributes
    ----------
    networks : list of tuple of int
        The layer sizes of every network checked.
    vs_nnlib : float
        Worst relative error (eq. ``relative-error``) of the reader's values and
        gradients against ``nnlib``'s.
    vs_numeric : float
        Worst relative error of the reader's gradients against central differences of J.
    """

    networks: list[tuple[int, ...]] = field(default_factory=list)
    vs_nnlib: float = 0.0
    vs_numeric: float = 0.0

    def __str__(self) -> str:
        depths = sorted({len(s) - 2 for s in self.networks})
        return (
            f"correct: forward, backward and update agree on {len(self.networks)} networks "
            f"(L = {', '.join(map(str, depths))})\n"
            f"worst relative error: <= {_bound(self.vs_nnlib)} vs nnlib, "
            f"<= {_bound(self.vs_numeric)} vs central differences"
        )


def _bound(err: float) -> str:
    """``err`` as the power of ten at or above it (stable when round-off moves it)."""
    return f"{error_bound(max(err, 1e-16)):.0e}"


def default_architectures(seed: int = 0) -> list[tuple[int, ...]]:
    """Four random layer lists, one each with L = 0, 1, 2 and 3 hidden layers.

    Widths are drawn from 1 .. 5 (the input from 2 .. 5), one output node, so
    that no two neighbouring layers are certain to have the same width: a
    product written in the wrong order then fails on its shape or its values.
    """
    rng = np.random.default_rng(seed)
    out = []
    for L in range(4):
        hidden = [int(n) for n in rng.integers(2, 6, size=L)]
        out.append((int(rng.integers(2, 6)), *hidden, 1))
    return out


def _layer_of(obj: object, k: int, what: str) -> Array:
    """``obj[k]`` as an array, or a TypeError that says what was expected."""
    try:
        value = obj[k]  # type: ignore[index]
    except (KeyError, IndexError, TypeError):
        raise TypeError(
            f"{what} must be a dict keyed by the book's layer numbers (here {what}[{k}] is "
            f"missing); got {type(obj).__name__}"
        ) from None
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{what}[{k}] must be an array of numbers, got {type(value).__name__}"
        ) from None


def _worst(a: Array, b: Array) -> float:
    return float(np.max(relative_error(a, b))) if a.size else 0.0


def _hint(mine: Array, ref: Array, batch: int, part: str) -> str:
    """A guess at the slip, from how ``mine`` relates to the right answer ``ref``."""
    if mine.shape != ref.shape:
        if mine.shape == ref.shape[::-1]:
            return " It has the transposed shape: the factors are in the wrong order."
        return ""
    if part == "backward":
        guesses = [
            (-ref, "the sign is flipped"),
            (batch * ref, "it is the sum over the batch, not the mean (divide by B)"),
            (ref / batch, "it is divided by B twice"),
        ]
        if ref.shape[0] == ref.shape[1]:
            guesses.append((ref.T, "it is the transpose: the factors are in the wrong order"))
        for value, why in guesses:
            if np.allclose(mine, value, rtol=1e-6, atol=1e-12):
                return f" It looks as if {why}."
    return ""


def _compare(
    part: str,
    name: str,
    k: int,
    mine: Array,
    ref: Array,
    sizes: tuple[int, ...],
    tol: float,
    batch: int,
    hint: str = "",
) -> float:
    if mine.shape != ref.shape:
        raise BackpropMismatch(
            f"{part}: {name} has shape {mine.shape} but should have shape {ref.shape} on the "
            f"network {list(sizes)}.{_hint(mine, ref, batch, part)}{hint}",
            part=part,
            layer=k,
            sizes=sizes,
        )
    err = _worst(mine, ref)
    if not err <= tol:  # also catches NaN
        raise BackpropMismatch(
            f"{part}: {name} is wrong on the network {list(sizes)} (worst relative error "
            f"{err:.1e} against nnlib, tolerance {tol:.0e}).{_hint(mine, ref, batch, part)}{hint}",
            part=part,
            layer=k,
            sizes=sizes,
        )
    return err


def _backward_hint(k: int, top: int) -> str:
    if k == top:
        return (
            f" The output layer is the first to go wrong: check the output delta "
            f"Delta^({top}) = H^({top}) - Y and the product (1/B) Delta^({top})^T H^({top - 1})."
        )
    above = f"Layer {top} above it is" if k + 1 == top else f"Layers {k + 1} .. {top} above it are"
    return (
        f" {above} right, so look at how Delta^({k}) is formed "
        f"from Delta^({k + 1}) (with W^({k + 1}) and g'(Z^({k}))), or at the product "
        f"(1/B) Delta^({k})^T H^({k - 1})."
    )


def _call(part: str, fn: Callable, sizes: tuple[int, ...], *args: object) -> object:
    """``fn(*args)``; an exception inside the reader's code is reported with where it happened."""
    try:
        return fn(*args)
    except Exception as exc:
        raise BackpropMismatch(
            f"{part} raised {type(exc).__name__} on the network {list(sizes)}: {exc} "
            f"(the arrays have one row per sample: H[k] is (B, n_k), W[k] is (n_k, n_(k-1)))",
            part=part,
            layer=None,
            sizes=sizes,
        ) from exc


def _check_one(
    forward: Callable,
    backward: Callable,
    update: Callable,
    sizes: tuple[int, ...],
    seed: int,
    batch: int,
    lr: float,
    tol: float,
    eps: float,
) -> tuple[float, float]:
    net = Network(list(sizes), activation="sigmoid", loss="logistic", seed=seed)
    rng = np.random.default_rng(seed + 1)
    X = rng.normal(size=(batch, sizes[0]))
    Y = (rng.random((batch, sizes[-1])) > 0.5).astype(float)
    top = len(sizes) - 1
    layers = range(1, top + 1)
    W = {k: net.W[k].copy() for k in layers}
    fw = net.forward(X)
    grads = net.backward(fw, Y)
    vs_nnlib, vs_numeric = 0.0, 0.0

    def untouched(after: str) -> None:
        for k in layers:
            if not np.array_equal(W[k], net.W[k]):
                raise BackpropMismatch(
                    f"{after} changed W[{k}]; only update may change the weights",
                    part=after,
                    layer=k,
                    sizes=sizes,
                )

    out = _call("forward", forward, sizes, W, X.copy())
    if not isinstance(out, tuple) or len(out) != 2:
        raise TypeError(f"forward(W, X) must return the pair (Z, H), got {type(out).__name__}")
    Z, H = out
    untouched("forward")
    for k in layers:  # forward: layer 1 first
        for name, mine, ref in (("Z", Z, fw.z[k]), ("H", H, fw.h[k])):
            vs_nnlib = max(
                vs_nnlib,
                _compare(
                    "forward", f"{name}[{k}]", k, _layer_of(mine, k, name), ref, sizes, tol, batch
                ),
            )

    dW = _call("backward", backward, sizes, W, Z, H, Y.copy())
    untouched("backward")
    for k in reversed(layers):  # backward: the output layer first
        mine = _layer_of(dW, k, "dW")
        hint = _backward_hint(k, top)
        vs_nnlib = max(
            vs_nnlib,
            _compare(
                "backward", f"dW[{k}] (dJ/dW^({k}))", k, mine, grads.dW[k], sizes, tol, batch, hint
            ),
        )
        numeric = numeric_gradient(net, X, Y, net.W[k], eps)
        err = _worst(mine, numeric)
        if not err <= tol:
            raise BackpropMismatch(
                f"backward: dW[{k}] agrees with nnlib but not with central differences "
                f"(worst relative error {err:.1e}) on the network {list(sizes)}",
                part="backward",
                layer=k,
                sizes=sizes,
            )
        vs_numeric = max(vs_numeric, err)

    given = {k: grads.dW[k].copy() for k in layers}
    returned = _call("update", update, sizes, W, given, lr)
    new = W if returned is None else returned
    for k in layers:
        expected = net.W[k] - lr * grads.dW[k]
        mine = _layer_of(new, k, "the updated W")
        hint = ""
        if mine.shape == expected.shape:
            if np.allclose(mine, net.W[k] + lr * grads.dW[k], rtol=1e-12, atol=1e-15):
                hint = " It adds the gradient: gradient descent subtracts it (eq. sgd-update)."
            elif np.allclose(mine, net.W[k] - grads.dW[k], rtol=1e-12, atol=1e-15):
                hint = " It subtracts the gradient without the learning rate."
        vs_nnlib = max(
            vs_nnlib,
            _compare(
                "update", f"W[{k}] after the step", k, mine, expected, sizes, tol, batch, hint
            ),
        )
    return vs_nnlib, vs_numeric


def check_backprop(
    forward: Callable,
    backward: Callable,
    update: Callable,
    *,
    architectures: Sequence[Sequence[int]] | None = None,
    seed: int = 0,
    batch: int = 5,
    lr: float = 0.1,
    tol: float = 1e-6,
    eps: float = 1e-5,
    verbose: bool = True,
) -> CapstoneReport:
    r"""Check a reader's forward, backward and update against ``nnlib`` and central differences.

    On every network of ``architectures`` (sigmoid layers, logistic loss, no
    biases, weights drawn as :class:`nnlib.Network` draws them), with a random
    batch: ``forward`` must give ``nnlib``'s :math:`Z^{(k)}, H^{(k)}` (eq.
    ``forward-matrix``); ``backward`` must give :math:`\partial J/\partial
    W^{(k)}` equal to ``nnlib``'s and to central differences of J (eqs.
    ``delta-matrix``, ``dw-matrix``); ``update`` must subtract the learning rate times
    the gradient (eq. ``sgd-update``); and neither ``forward`` nor ``backward``
    may change the weights.  Each comparison uses the relative error of eq.
    ``relative-error`` (with its floor) and must be at most ``tol``.

    Parameters
    ----------
    forward, backward, update : callable
        The reader's functions; see the module docstring for their contracts.
    architectures : sequence of layer lists, optional
        The networks to try; by default :func:`default_architectures` of ``seed``
        (L = 0, 1, 2 and 3 hidden layers).
    seed : int
        Seeds the architectures, the weights and the data.
    batch : int
        Samples per batch (at least 2, so that a sum is told from a mean).
    lr : float
        The learning rate the update is tried with.
    tol : float
        The largest relative error accepted.
    eps : float
        The step of the central differences.
    verbose : bool
        Print the one-line verdict.

    Returns
    -------
    CapstoneReport

    Raises
    ------
    BackpropMismatch
        At the first function and layer that disagree, with what was expected.
    TypeError, ValueError
        For arguments that are not what is described above.
    """
    for name, fn in (("forward", forward), ("backward", backward), ("update", update)):
        if not callable(fn):
            raise TypeError(f"{name} must be a function, got {type(fn).__name__}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    if isinstance(batch, bool) or not isinstance(batch, numbers.Integral) or batch < 2:
        raise ValueError(
            f"batch must be an integer >= 2 (a sum must differ from a mean), got {batch!r}"
        )
    lr = _checks.positive_number(lr, "lr")
    tol = _checks.positive_number(tol, "tol")
    eps = _checks.positive_number(eps, "eps")
    if architectures is None:
        nets = default_architectures(seed)
    else:
        if isinstance(architectures, (str, bytes, Mapping)) or not isinstance(
            architectures, Sequence
        ):
            raise TypeError("architectures must be a list of layer lists such as [[3, 4, 1]]")
        nets = [_checks.as_sizes(s) for s in architectures]
        if not nets:
            raise ValueError("architectures must name at least one network")
    report = CapstoneReport()
    for n, sizes in enumerate(nets):
        a, b = _check_one(forward, backward, update, sizes, seed + n, batch, lr, tol, eps)
        report.networks.append(tuple(sizes))
        report.vs_nnlib = max(report.vs_nnlib, a)
        report.vs_numeric = max(report.vs_numeric, b)
    if verbose:
        print(report)
    return report
