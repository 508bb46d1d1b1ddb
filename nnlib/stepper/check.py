r"""The checks of a sweep: nnlib's values, SymPy's formulas, and the order.

:func:`check` holds a list of :class:`~nnlib.stepper.Step` against three
independent things:

* **nnlib**: each step's value is the entry of ``net.forward``,
  ``net.backward`` or ``net.step`` (on a copy) that its kind and indices name,
  and the number it shows is that value printed;
* **SymPy**: the formula of the step in :mod:`nnlib.symbolic` (the paper's
  closed form, e.g. ``SymbolicNetwork.dloss_dz_hidden(k, j)``), unfolded into
  the inputs, weights and label, made concrete with the network's g and Loss
  and evaluated at the network's weights, equals the value to the printed
  precision;
* **the order** (:func:`~nnlib.stepper.steps.sweep_order`): no step reads a value
  computed by itself or a later step, and no weight changes before every step
  that reads its old value has run.

SymPy is imported only here (``pip install nnlib[symbolic]``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..network import Network
from .printing import shown, tolerance
from .steps import Step, _check, sweep_order


@dataclass(frozen=True)
class StepCheck:
    """What :func:`check` found.

    Attributes
    ----------
    n_steps : int
        How many steps were checked.
    nnlib : list of str
        Steps whose value or printed number is not nnlib's.
    sympy : list of str or None
        Steps whose value differs from their SymPy formula by more than half a
        unit of the printed last digit (None when SymPy was not asked).
    order : list of str
        What is wrong with the order (:func:`~nnlib.stepper.steps.sweep_order`).
    worst_sympy : float
        The largest absolute difference between a value and its SymPy formula.
    """

    n_steps: int
    nnlib: list[str]
    sympy: list[str] | None
    order: list[str]
    worst_sympy: float

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return not (self.nnlib or self.sympy or self.order)

    def __str__(self) -> str:
        if not self.ok:
            return "\n".join(
                [f"{self.n_steps} steps; problems:"]
                + [f"  nnlib: {p}" for p in self.nnlib]
                + [f"  SymPy: {p}" for p in self.sympy or ()]
                + [f"  order: {p}" for p in self.order]
            )
        first = f"{self.n_steps} steps: every number shown is nnlib's forward/backward/step value"
        if self.sympy is not None:
            close = "1e-12" if self.worst_sympy < 1e-12 else f"{self.worst_sympy:.0e}"
            first += f"\n  and its SymPy formula's at these weights (within {close})"
        return f"{first};\n  every step reads only earlier steps, and no weight moves before its last reader"


def reference(step: Step, net: Network, x: np.ndarray, y: float, lr: float) -> float:
    """nnlib's value for ``step``: the entry of forward, backward or step its kind names."""
    return _references(net, x, y, lr)[(step.kind, step.k, step.i, step.j)]


def _references(net: Network, x: np.ndarray, y: float, lr: float) -> dict[tuple, float]:
    fw = net.forward(x)
    grads = net.backward(fw, y)
    after = net.copy()
    after.step(grads, lr)
    top = net.L + 1
    out: dict[tuple, float] = {
        ("loss", top, 1, None): net.cost(fw, y),
        ("new-loss", top, 1, None): after.cost(after.forward(x), y),
        ("output-delta", top, 1, None): float(grads.dz[top][0]),
    }
    for k in net.layers:
        for i in range(1, net.sizes[k] + 1):
            out["forward-z", k, i, None] = float(fw.z[k][i - 1])
            out["forward-h", k, i, None] = float(fw.h[k][i - 1])
            if k < top:
                out["hidden-delta", k, i, None] = float(grads.dz[k][i - 1])
            for j in range(1, net.sizes[k - 1] + 1):
                out["weight-gradient", k, i, j] = float(grads.dW[k][i - 1, j - 1])
                out["update", k, i, j] = float(after.W[k][i - 1, j - 1])
    return out


def formula(step: Step, sym: object, lr: float) -> object:
    """The SymPy expression of ``step`` in ``sym`` (a :class:`~nnlib.symbolic.SymbolicNetwork`).

    The paper's closed forms, each reading earlier results as symbols:
    eq. ``forward-z``/``forward-h`` (``sym.z``, ``sym.h``), the loss
    (``sym.loss_expr()``), eq. ``dloss-dz`` (``sym.dloss_dz()``), eq.
    ``dloss-dw-output``/``dloss-dw`` (``sym.dloss_dW``), eq. ``dloss-dz-hidden``
    (``sym.dloss_dz_hidden``) and eq. ``sgd-update`` (``sym.sgd_update()``, with
    :math:`\\eta` = ``lr``).  The loss after the update is the loss's formula
    again (``sym.loss_expr()``), to be evaluated at the updated weights
    (:func:`sympy_values` does).
    """
    return _formula(step.kind, step.k, step.i, step.j, sym, lr)


def _formula(kind: str, k: int, i: int, j: int | None, sym: object, lr: float) -> object:
    import sympy

    from ..symbolic import eta

    top = sym.L + 1  # type: ignore[attr-defined]
    if kind == "forward-z":
        return sym.z[k][i - 1]  # type: ignore[attr-defined]
    if kind == "forward-h":
        return sym.h[k][i - 1]  # type: ignore[attr-defined]
    if kind in ("loss", "new-loss"):
        return sym.loss_expr()  # type: ignore[attr-defined]
    if kind == "output-delta":
        return sym.dloss_dz()  # type: ignore[attr-defined]
    if kind == "weight-gradient":
        if k == top:
            return sym.dloss_dW_output(j)  # type: ignore[attr-defined]
        return sym.dloss_dW(k, i, j)  # type: ignore[attr-defined]
    if kind == "hidden-delta":
        return sym.dloss_dz_hidden(k, i)  # type: ignore[attr-defined]
    if kind == "update":
        w = sym.W[k][i - 1, j - 1]  # type: ignore[attr-defined]
        return sym.sgd_update()[w].xreplace({eta: sympy.Float(lr)})  # type: ignore[attr-defined]
    raise ValueError(f"unknown kind of step {kind!r}")


@functools.lru_cache(maxsize=16)
def _compiled(
    names: tuple[tuple[str, int, int, int | None], ...],
    sizes: tuple[int, ...],
    activation: str,
    loss: str,
    lr: float,
) -> object:
    """The lambdified formulas of a sweep's steps (built once per network shape and lr)."""
    from ..symbolic import SymbolicNetwork, to_numpy

    sym = SymbolicNetwork(sizes)
    return to_numpy([_formula(*name, sym, lr) for name in names], sym, activation, loss)


def sympy_values(
    sequence: Sequence[Step], net: Network, x: object, y: float, lr: float
) -> list[float]:
    """Each step's SymPy formula (:func:`formula`) evaluated at ``net``'s weights, ``x`` and ``y``.

    The loss after the update is the loss's formula evaluated at the weights
    that the update steps' formulas give.
    """
    names = tuple((s.kind, s.k, s.i, s.j) for s in sequence)
    f = _compiled(names, tuple(net.sizes), net.activation.name, net.loss_fn.name, float(lr))
    values = [float(v) for v in f(x, net.W, y)]  # type: ignore[operator]
    if any(s.kind == "new-loss" for s in sequence):
        moved = {k: np.array(w, dtype=float) for k, w in net.W.items()}
        for s, v in zip(sequence, values, strict=True):
            if s.kind == "update" and s.j is not None:
                moved[s.k][s.i - 1, s.j - 1] = v
        again = [float(v) for v in f(x, moved, y)]  # type: ignore[operator]
        values = [
            a if s.kind == "new-loss" else v
            for s, v, a in zip(sequence, values, again, strict=True)
        ]
    return values


def check(
    sequence: Sequence[Step],
    net: Network,
    x: object,
    y: object,
    lr: float = 0.5,
    *,
    symbolic: bool = True,
) -> StepCheck:
    r"""Check a sweep against nnlib, against SymPy and for its order.

    Parameters
    ----------
    sequence : sequence of Step
        Usually ``steps(net, x, y, lr)``.
    net, x, y, lr
        What the steps were made from (``net`` is not changed).
    symbolic : bool, default True
        Also evaluate each step's SymPy formula (needs SymPy).

    Returns
    -------
    StepCheck
        ``ok`` is True when every check passed; ``str()`` says what was checked
        or what failed.
    """
    net, x_arr, label, rate = _check(net, x, y, lr)
    refs = _references(net, x_arr, label, rate)
    bad_nnlib: list[str] = []
    for s in sequence:
        key = (s.kind, s.k, s.i, s.j)
        if key not in refs:
            bad_nnlib.append(f"step {s.id}: nnlib has no {s.kind} at k={s.k}, i={s.i}, j={s.j}")
            continue
        ref = refs[key]
        if s.value != ref:
            bad_nnlib.append(f"step {s.id} ({s.kind}): value {s.value!r}, nnlib's is {ref!r}")
        if s.shown != shown(ref) or not s.numbers.endswith(f"= {shown(ref)}"):
            bad_nnlib.append(
                f"step {s.id} ({s.kind}): shows {s.shown!r}, nnlib's value prints {shown(ref)!r}"
            )
    bad_sympy: list[str] | None = None
    worst = 0.0
    if symbolic:
        bad_sympy = []
        for s, v in zip(sequence, sympy_values(sequence, net, x_arr, label, rate), strict=True):
            worst = max(worst, abs(v - s.value))
            if not abs(v - s.value) <= tolerance(s.value) + 1e-12:
                bad_sympy.append(f"step {s.id} ({s.kind}): shows {s.shown}, SymPy gives {v!r}")
    return StepCheck(
        n_steps=len(sequence),
        nnlib=bad_nnlib,
        sympy=bad_sympy,
        order=sweep_order(sequence),
        worst_sympy=worst,
    )
