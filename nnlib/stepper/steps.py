r"""One forward and backward sweep, cut into the single operations the book derives.

:func:`steps` runs ``net.forward``, ``net.backward`` and ``net.step`` on one
training pair and lists, in the order the algorithm of section 3.6 takes them,
every number they produce, each as a :class:`Step`: what it is, the equation of
the book that gives it, that equation with this step's numbers put in, and the
earlier steps whose values it reads.  The values are nnlib's own; nothing here
computes them a second way.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .. import _checks
from ..network import Network
from .printing import (
    _d,
    _dw,
    _h,
    _loss_forms,
    _plain,
    _tex,
    _txt,
    _w,
    _where,
    _z,
    shown,
)

#: The kinds of step, in the order a sweep meets them.
KINDS = (
    "forward-z",
    "forward-h",
    "loss",
    "output-delta",
    "weight-gradient",
    "hidden-delta",
    "update",
    "new-loss",
)

#: The book's page (without ``.html``) and section that derive each equation label.
CHAPTERS: dict[str, tuple[str, str]] = {
    "forward-z": ("02_forward_propagation", "2"),
    "forward-h": ("02_forward_propagation", "2"),
    "cost": ("03_backpropagation", "3"),
    "loss-squared": ("03_backpropagation", "3"),
    "loss-logistic": ("03_backpropagation", "3"),
    "loss-hinge": ("03_backpropagation", "3"),
    "dloss-dz": ("03_1_output_node", "3.1"),
    "dloss-dw-output": ("03_2_output_weights", "3.2"),
    "dloss-dw": ("03_3_any_weight", "3.3"),
    "dloss-dz-hidden": ("03_5_any_hidden_node", "3.5"),
    "sgd-update": ("03_6_backprop_algorithm", "3.6"),
}

#: Limits that keep a sweep readable on one drawing (and the page small).
MAX_NODES = 8
MAX_LAYERS = 6


@dataclass(frozen=True)
class Step:
    r"""One operation of the sweep: what it computes, by which equation, with which numbers.

    Attributes
    ----------
    id : int
        Its number, 1 for the first step (the list of :func:`steps` is in id order).
    kind : str
        One of :data:`KINDS`: ``"forward-z"``, ``"forward-h"``, ``"loss"``,
        ``"output-delta"``, ``"weight-gradient"``, ``"hidden-delta"``,
        ``"update"``, ``"new-loss"``.
    k : int
        The layer (the paper's numbering; the output layer L+1 for the two losses).
    i : int
        The node (1-based) of a node step; the row of the weight
        :math:`W^{(k)}_{ij}` of a weight step; 1 for the losses.
    j : int or None
        The column of :math:`W^{(k)}_{ij}` (the node of layer k-1) of a weight
        step; None otherwise.
    label : str
        The label of the book's equation it applies, e.g. ``"dloss-dz-hidden"``.
    chapter : str
        The page deriving that equation, without ``.html`` (see :data:`CHAPTERS`).
    section : str
        The paper's section of that chapter, e.g. ``"3.5"``.
    symbol : str
        LaTeX of the quantity computed, e.g. ``\delta^{(2)}_{1}``.
    equation : str
        LaTeX of the equation in symbols, e.g.
        ``\delta^{(2)}_{1} = \delta^{(3)}_{1} W^{(3)}_{11} g'(z^{(2)}_{1})``.
    numbers : str
        LaTeX of the same equation with this step's numbers, ending ``= value``.
    text : str
        ``numbers`` as plain text, for a screen reader.
    value : float
        The value, as nnlib computed it.
    shown : str
        ``value`` as printed (:data:`DIGITS` significant digits).
    reads : tuple of int
        The ids of the earlier steps whose values it uses.
    weights : tuple of (k, i, j)
        The weights :math:`W^{(k)}_{ij}` it reads (their values before the update).
    sentence : str
        What happens, in words.
    target : str
        What it computes on the drawing: ``"node k i"`` or ``"edge k i j"``
        (the gids of :func:`nnlib.plotting.draw_network`).
    """

    id: int
    kind: str
    k: int
    i: int
    j: int | None
    label: str
    chapter: str
    section: str
    symbol: str
    equation: str
    numbers: str
    text: str
    value: float
    shown: str
    reads: tuple[int, ...]
    weights: tuple[tuple[int, int, int], ...]
    sentence: str
    target: str

    @property
    def backward(self) -> bool:
        """True for the steps of the backward pass (a delta or a weight's gradient)."""
        return self.kind in ("output-delta", "weight-gradient", "hidden-delta")


# -- validation --------------------------------------------------------------------------


def _check(
    net: object, x: object, y: object, lr: object
) -> tuple[Network, np.ndarray, float, float]:
    if not isinstance(net, Network):
        raise TypeError(f"net must be an nnlib.Network, got {type(net).__name__}")
    if net.sizes[-1] != 1:
        raise ValueError(
            f"the stepper follows the paper's network with one output node; net.sizes "
            f"{list(net.sizes)} ends with {net.sizes[-1]}, expected 1"
        )
    if net.bias:
        raise ValueError(
            "the stepper follows the paper's network, which has no biases; "
            "build the network with bias=False"
        )
    if net.l2:
        raise ValueError(
            f"the stepper steps through Loss without an L2 penalty; net.l2 is {net.l2!r}, "
            "expected 0"
        )
    if max(net.sizes) > MAX_NODES or len(net.sizes) > MAX_LAYERS:
        raise ValueError(
            f"the stepper draws every node: at most {MAX_NODES} nodes per layer and "
            f"{MAX_LAYERS} layers (input and output included); got sizes {list(net.sizes)}"
        )
    if net.output_activation is not net.activation:
        raise ValueError(
            "the stepper writes one g for every layer, as the paper does; net has the "
            f"output activation {net.output_activation.name!r} and hidden activation "
            f"{net.activation.name!r}"
        )
    rows, single = _checks.as_inputs(x, net.sizes[0], net.dtype)
    if not single:
        raise ValueError(
            f"x must be one sample of shape ({net.sizes[0]},); got an array of {rows.shape[0]} rows"
        )
    if not isinstance(y, numbers.Real) or isinstance(y, bool):
        if not isinstance(y, np.ndarray | list | tuple) or np.size(y) != 1:
            raise TypeError(f"y must be one number (the label), got {y!r}")
    label = float(net.as_labels(y, 1)[0, 0])
    rate = _checks.positive_number(lr, "lr")
    return net, rows[0], label, rate


# -- the sweep -------------------------------------------------------------------------


class _Builder:
    """Collects the steps in order and remembers which step made which value."""

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.made: dict[tuple, int] = {}

    def add(self, key: tuple, **fields: object) -> Step:
        page, section = CHAPTERS[str(fields["label"])]
        value = float(fields["value"])  # type: ignore[arg-type]
        step = Step(
            id=len(self.steps) + 1,
            chapter=page,
            section=section,
            shown=shown(value),
            **fields,  # type: ignore[arg-type]
        )
        self.steps.append(step)
        self.made[key] = step.id
        return step

    def id(self, key: tuple) -> int:
        return self.made[key]


def steps(net: Network, x: object, y: object, lr: float = 0.5) -> list[Step]:
    r"""Every operation of one forward and backward sweep and one update, in order.

    The sweep of section 3.6 on one training pair :math:`(\bar x, y)`:

    1. forward, layer by layer and node by node: :math:`z^{(k)}_i` (eq.
       ``forward-z``) and :math:`h^{(k)}_i = g(z^{(k)}_i)` (eq. ``forward-h``);
       then the loss (eq. ``loss-<name>``);
    2. backward: :math:`\delta^{(L+1)}_1` (eq. ``dloss-dz``), the output weights'
       gradients (eq. ``dloss-dw-output``), then for each hidden layer from the
       top its :math:`\delta`\ s by the recursion (eq. ``dloss-dz-hidden``) and
       its weights' gradients (eq. ``dloss-dw``), exactly the order of
       :meth:`nnlib.Network.backward`;
    3. the update of every weight (eq. ``sgd-update``) with learning rate
       ``lr``, and the loss after it.

    Every value is read from ``net.forward(x)``, ``net.backward(fw, y)`` and,
    for the update, from ``net.step`` applied to a copy of ``net`` (``net``
    itself is not changed).

    Parameters
    ----------
    net : Network
        The paper's network: one output node, no biases, no L2 penalty, one
        activation for every layer, at most :data:`MAX_NODES` nodes per layer
        and :data:`MAX_LAYERS` layers.
    x : array_like
        One input, shape ``(n_0,)``.
    y : float
        Its label (in the loss's domain).
    lr : float, default 0.5
        The learning rate :math:`\eta` of the update.

    Returns
    -------
    list of Step
        In the order of the sweep; ``steps[n].id == n + 1``.

    Raises
    ------
    TypeError, ValueError
        For a network the stepper cannot draw or write out (see above), an
        input of the wrong shape, a label outside the loss's domain, or a
        learning rate that is not a positive number.

    Examples
    --------
    >>> from nnlib.worked_example import worked_example
    >>> ex = worked_example()
    >>> sweep = steps(ex.net, ex.x, ex.y, lr=0.5)
    >>> len(sweep), sweep[0].equation
    (37, 'z^{(1)}_{1} = W^{(1)}_{11} x_{1} + W^{(1)}_{12} x_{2}')
    """
    net, x, y, lr = _check(net, x, y, lr)
    fw = net.forward(x)
    grads = net.backward(fw, y)
    after = net.copy()
    after.step(grads, lr)
    fw_after = after.forward(x)
    g = net.activation
    sizes, top = net.sizes, net.L + 1
    b = _Builder()

    # 1. forward
    for k in net.layers:
        for i in range(1, sizes[k] + 1):
            js = range(1, sizes[k - 1] + 1)
            terms = " + ".join(f"{_w(k, i, j)[0]} {_h(k - 1, j)[0]}" for j in js)
            nums = " + ".join(
                f"{_tex(net.W[k][i - 1, j - 1])} \\times {_tex(fw.h[k - 1][j - 1])}" for j in js
            )
            txt = " + ".join(
                f"{_txt(net.W[k][i - 1, j - 1])} \u00d7 {_txt(fw.h[k - 1][j - 1])}" for j in js
            )
            z, zt = _z(k, i)
            value = fw.z[k][i - 1]
            b.add(
                ("z", k, i),
                kind="forward-z",
                k=k,
                i=i,
                j=None,
                label="forward-z",
                symbol=z,
                equation=f"{z} = {terms}",
                numbers=f"{z} = {nums} = {shown(value)}",
                text=f"{zt} = {txt} = {_plain(value)}",
                value=value,
                reads=tuple(b.id(("h", k - 1, j)) for j in js) if k > 1 else (),
                weights=tuple((k, i, j) for j in js),
                sentence=(
                    f"Forward: {_where(k, i)} adds up its inputs, each times the weight of "
                    f"its edge, into z (eq. forward-z)."
                ),
                target=f"node {k} {i}",
            )
            h, ht = _h(k, i)
            value = fw.h[k][i - 1]
            b.add(
                ("h", k, i),
                kind="forward-h",
                k=k,
                i=i,
                j=None,
                label="forward-h",
                symbol=h,
                equation=f"{h} = g\\bigl({z}\\bigr)",
                numbers=f"{h} = g({shown(fw.z[k][i - 1])}) = {shown(value)}",
                text=f"{ht} = g({_plain(fw.z[k][i - 1])}) = {_plain(value)}",
                value=value,
                reads=(b.id(("z", k, i)),),
                weights=(),
                sentence=(
                    f"Forward: {_where(k, i)} applies the threshold g ({g.name}) to z "
                    f"(eq. forward-h)."
                ),
                target=f"node {k} {i}",
            )
    a = float(fw.h[top][0])
    eq, num, txt = _loss_forms(net.loss_fn.name, a, y, prime=False)
    loss = net.cost(fw, y)
    label = f"loss-{net.loss_fn.name}"
    b.add(
        ("loss",),
        kind="loss",
        k=top,
        i=1,
        j=None,
        label=label if label in CHAPTERS else "cost",
        symbol="\\text{Loss}",
        equation=f"\\text{{Loss}} = {eq}",
        numbers=f"\\text{{Loss}} = {num} = {shown(loss)}",
        text=f"Loss = {txt} = {_plain(loss)}",
        value=loss,
        reads=(b.id(("h", top, 1)),),
        weights=(),
        sentence=(
            f"Loss: the prediction g(z) = {_plain(a)} is compared with the label "
            f"y = {_plain(y)} by the {net.loss_fn.name} loss."
        ),
        target=f"node {top} 1",
    )

    # 2. backward, in the order of Network.backward
    delta = float(grads.dz[top][0])
    d, dt = _d(top, 1)
    simple = net.loss_fn.simplified.get(net.output_activation)
    if simple is not None:
        nums = f"g(z) - y = {shown(a)} - {_tex(y)}"
        txt = f"g(z) \u2212 y = {_plain(a)} \u2212 {_txt(y)}"
        why = " (for a sigmoid output with the logistic loss it simplifies to g(z) \u2212 y)"
    else:
        dl = float(net.loss_fn.grad(np.array([a]), np.array([y]))[0])
        dg = float(g.dg(np.array([fw.z[top][0]]))[0])
        nums = f"{_tex(dl)} \\times {_tex(dg)}"
        txt = f"{_txt(dl)} \u00d7 {_txt(dg)}"
        why = ""
    b.add(
        ("d", top, 1),
        kind="output-delta",
        k=top,
        i=1,
        j=None,
        label="dloss-dz",
        symbol=d,
        equation=f"{d} = \\frac{{\\partial \\text{{Loss}}}}{{\\partial g(z)}}\\, g'(z)",
        numbers=f"{d} = {nums} = {shown(delta)}",
        text=f"{dt} = {txt} = {_plain(delta)}",
        value=delta,
        reads=(b.id(("z", top, 1)), b.id(("h", top, 1))),
        weights=(),
        sentence=(
            "Backward starts at the output: \u03b4 = \u2202Loss/\u2202z of the output node "
            f"(eq. dloss-dz){why}."
        ),
        target=f"node {top} 1",
    )
    for k in range(top, 0, -1):
        for i in range(1, sizes[k] + 1):
            for j in range(1, sizes[k - 1] + 1):
                dw, dwt = _dw(k, i, j)
                value = grads.dW[k][i - 1, j - 1]
                h, ht = _h(k - 1, j)
                dk, _dkt = _d(k, i)
                hv = fw.h[k - 1][j - 1]
                b.add(
                    ("dW", k, i, j),
                    kind="weight-gradient",
                    k=k,
                    i=i,
                    j=j,
                    label="dloss-dw-output" if k == top else "dloss-dw",
                    symbol=dw,
                    equation=f"{dw} = {dk}\\, {h}",
                    numbers=(
                        f"{dw} = {_tex(grads.dz[k][i - 1])} \\times {_tex(hv)} = {shown(value)}"
                    ),
                    text=f"{dwt} = {_txt(grads.dz[k][i - 1])} \u00d7 {_txt(hv)} = {_plain(value)}",
                    value=value,
                    reads=(b.id(("d", k, i)),) + ((b.id(("h", k - 1, j)),) if k > 1 else ()),
                    weights=(),
                    sentence=(
                        f"Backward: the gradient of the weight W^({k})_{i}{j} is the \u03b4 of "
                        f"the node it feeds times the value it carries, "
                        f"{'x' if k == 1 else 'h'} (eq. "
                        f"{'dloss-dw-output' if k == top else 'dloss-dw'})."
                    ),
                    target=f"edge {k} {i} {j}",
                )
        if k == 1:
            break
        below = k - 1
        for j in range(1, sizes[below] + 1):
            ii = range(1, sizes[k] + 1)
            dj, djt = _d(below, j)
            z, zt = _z(below, j)
            dg = float(g.dg(np.array([fw.z[below][j - 1]]))[0])
            inner = " + ".join(f"{_d(k, i)[0]} {_w(k, i, j)[0]}" for i in ii)
            nums = " + ".join(
                f"{_tex(grads.dz[k][i - 1])} \\times {_tex(net.W[k][i - 1, j - 1])}" for i in ii
            )
            txt = " + ".join(
                f"{_txt(grads.dz[k][i - 1])} \u00d7 {_txt(net.W[k][i - 1, j - 1])}" for i in ii
            )
            if len(ii) > 1:
                inner, nums, txt = f"\\bigl({inner}\\bigr)", f"\\bigl({nums}\\bigr)", f"({txt})"
            value = grads.dz[below][j - 1]
            b.add(
                ("d", below, j),
                kind="hidden-delta",
                k=below,
                i=j,
                j=None,
                label="dloss-dz-hidden",
                symbol=dj,
                equation=f"{dj} = {inner}\\, g'\\bigl({z}\\bigr)",
                numbers=f"{dj} = {nums} \\times {_tex(dg)} = {shown(value)}",
                text=f"{djt} = {txt} \u00d7 {_txt(dg)} = {_plain(value)}",
                value=value,
                reads=(*tuple(b.id(("d", k, i)) for i in ii), b.id(("z", below, j))),
                weights=tuple((k, i, j) for i in ii),
                sentence=(
                    f"Backward: the \u03b4 of {_where(below, j)} reuses the \u03b4s of layer {k} "
                    f"along its edges, times g'(z) of the node (eq. dloss-dz-hidden)."
                ),
                target=f"node {below} {j}",
            )

    # 3. the update, then the loss it leads to
    for k in net.layers:
        for i in range(1, sizes[k] + 1):
            for j in range(1, sizes[k - 1] + 1):
                w, wt = _w(k, i, j)
                dw, dwt = _dw(k, i, j)
                old, grad = net.W[k][i - 1, j - 1], grads.dW[k][i - 1, j - 1]
                value = after.W[k][i - 1, j - 1]
                b.add(
                    ("W", k, i, j),
                    kind="update",
                    k=k,
                    i=i,
                    j=j,
                    label="sgd-update",
                    symbol=w,
                    equation=f"{w} \\leftarrow {w} - \\eta\\, {dw}",
                    numbers=(
                        f"{w} \\leftarrow {shown(old)} - {shown(lr)} \\times {_tex(grad)} "
                        f"= {shown(value)}"
                    ),
                    text=(
                        f"{wt} \u2190 {_plain(old)} \u2212 {_plain(lr)} \u00d7 {_txt(grad)} "
                        f"= {_plain(value)}"
                    ),
                    value=value,
                    reads=(b.id(("dW", k, i, j)),),
                    weights=((k, i, j),),
                    sentence=(
                        f"Update: W^({k})_{i}{j} takes a step of size \u03b7 = {_plain(lr)} "
                        "against its gradient (eq. sgd-update)."
                    ),
                    target=f"edge {k} {i} {j}",
                )
    a2 = float(fw_after.h[top][0])
    eq, num, txt = _loss_forms(net.loss_fn.name, a2, y, prime=True)
    new = after.cost(fw_after, y)
    change = "lower than" if new < loss else "not lower than"
    b.add(
        ("loss'",),
        kind="new-loss",
        k=top,
        i=1,
        j=None,
        label=label if label in CHAPTERS else "cost",
        symbol="\\text{Loss}'",
        equation=f"\\text{{Loss}}' = {eq}",
        numbers=f"\\text{{Loss}}' = {num} = {shown(new)}",
        text=f"Loss\u2032 = {txt} = {_plain(new)}",
        value=new,
        reads=(
            b.id(("loss",)),
            *tuple(
                b.id(("W", k, i, j))
                for k in net.layers
                for i in range(1, sizes[k] + 1)
                for j in range(1, sizes[k - 1] + 1)
            ),
        ),
        weights=(),
        sentence=(
            f"After the update: a forward pass with the new weights predicts "
            f"g(z\u2032) = {_plain(a2)}; the loss is {_plain(new)}, {change} "
            f"{_plain(loss)} before."
        ),
        target=f"node {top} 1",
    )
    return b.steps


def sweep_order(sequence: Sequence[Step]) -> list[str]:
    """What is wrong with the order of ``sequence`` (an empty list when nothing is).

    A valid sweep numbers its steps 1, 2, ... in order; no step reads a value
    computed by itself or a later step; and no weight is updated before every
    step that reads its old value has run.
    """
    problems: list[str] = []
    updated: dict[tuple[int, int, int], int] = {}
    for n, step in enumerate(sequence, start=1):
        if step.id != n:
            problems.append(f"step at position {n} has id {step.id}")
        late = [r for r in step.reads if r >= step.id]
        if late:
            problems.append(f"step {step.id} ({step.kind}) reads step(s) {late}, not before it")
        for w in step.weights:
            if w in updated and step.kind != "update":
                problems.append(
                    f"step {step.id} ({step.kind}) reads W^({w[0]})_{w[1]}{w[2]} after step "
                    f"{updated[w]} updated it"
                )
        if step.kind == "update" and step.j is not None:
            updated[(step.k, step.i, step.j)] = step.id
    return problems
