r"""A fully connected network with the paper's indices: forward and backward passes.

Layers are numbered as in the book: 0 is the input, 1 .. L are hidden, L+1 is
the output.  ``net.W[k]`` is :math:`W^{(k)}` with shape ``(n_k, n_{k-1})``, so
``net.W[k][i-1, j-1]`` is :math:`W^{(k)}_{ij}`, the weight of the edge from node
``j`` of layer ``k-1`` to node ``i`` of layer ``k``.

Forward pass (section 2, eqs. ``forward-z`` and ``forward-h``):

.. math:: z^{(k)}_i = \sum_j W^{(k)}_{ij} h^{(k-1)}_j, \qquad h^{(k)}_i = g(z^{(k)}_i),
          \qquad h^{(0)} = x.

Backward pass (section 3):

.. math::
    \frac{\partial \text{Loss}}{\partial z} &= \frac{\partial \text{Loss}}{\partial g(z)}\, g'(z)
        && \text{(3.1, eq. dloss-dz)} \\
    \frac{\partial \text{Loss}}{\partial W^{(k)}_{ij}} &=
        \frac{\partial \text{Loss}}{\partial z^{(k)}_i}\, h^{(k-1)}_j
        && \text{(3.3, eq. dloss-dw)} \\
    \frac{\partial \text{Loss}}{\partial z^{(k)}_j} &=
        \sum_i \frac{\partial \text{Loss}}{\partial z^{(k+1)}_i}\, W^{(k+1)}_{ij}\, g'(z^{(k)}_j)
        && \text{(3.5, eq. dloss-dz-hidden)}

Every quantity is computed for a whole batch at once: one row per sample.

:meth:`Network.forward` and :meth:`Network.backward` hold only these equations,
on 2-D arrays; the one wrapper :func:`~nnlib.layers.one_sample_or_batch` checks their
input and lets them take a single sample of shape ``(n_0,)`` too.  That scaffolding
(the layer-numbered containers and the wrapper) lives in :mod:`nnlib.layers`.  They are the book's
reference implementation: plain, and returning fresh arrays to inspect.
:func:`nnlib.train_plain` loops over them; :func:`nnlib.train` evaluates the same
equations in place through :mod:`nnlib.fast`, and the tests hold the two equal.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from . import _checks
from .activations import Activation, get_activation
from .layers import Forward, Gradients, LayerNumbering, Layers, one_sample_or_batch
from .losses import Loss, get_loss

__all__ = ["Forward", "Gradients", "Layers", "Network"]

Array = np.ndarray


class Network(LayerNumbering):
    r"""A fully connected network ``sizes = [n_0, n_1, ..., n_{L+1}]`` (section 2).

    Parameters
    ----------
    sizes : sequence of int
        Nodes per layer, input first.  ``[4, 2, 1]`` is the paper's Figure 1.
    activation : str or Activation
        The thresholding function g of every layer (see :mod:`nnlib.activations`).
    loss : str or Loss
        ``"squared"``, ``"logistic"`` or ``"hinge"`` (see :mod:`nnlib.losses`).
    bias : bool
        Add a bias :math:`b^{(k)}` to every layer: :math:`z^{(k)} = W^{(k)} h^{(k-1)} + b^{(k)}`.
        The paper has none; a bias is a weight on a constant node, so every
        derivation holds unchanged (:math:`\partial\text{Loss}/\partial b^{(k)}_i =
        \partial\text{Loss}/\partial z^{(k)}_i`).
    seed : int or None
        Seeds the initial weights, drawn from :math:`N(0, 1/n_{k-1})`.
    output_activation : str, Activation or None
        g of the output layer when it should differ from the hidden layers'
        (e.g. ``"identity"`` for regression); defaults to ``activation``.
    l2 : float
        Strength :math:`\lambda` of the L2 penalty :math:`\frac\lambda2\sum_k\|W^{(k)}\|^2`
        added to J (biases are not penalised).
    dtype : numpy dtype
        ``np.float64`` (default) or ``np.float32``.

    Examples
    --------
    >>> net = Network([4, 2, 1], activation="sigmoid", loss="logistic", seed=0)
    >>> net.L, net.W[1].shape, net.W[2].shape
    (1, (2, 4), (1, 2))
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | Activation = "sigmoid",
        loss: str | Loss = "squared",
        bias: bool = False,
        seed: int | None = None,
        *,
        output_activation: str | Activation | None = None,
        l2: float = 0.0,
        dtype: type | np.dtype = np.float64,
    ) -> None:
        self.sizes = _checks.as_sizes(sizes)
        self.activation = get_activation(activation)
        self.output_activation = (
            self.activation if output_activation is None else get_activation(output_activation)
        )
        self.loss_fn = get_loss(loss)
        self.loss_fn.check_output(self.output_activation)
        self.bias = bool(bias)
        self.l2 = _checks.non_negative_number(l2, "l2")
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype must be float32 or float64, got {self.dtype}")
        rng = np.random.default_rng(seed)
        self.W = Layers("W")
        self.b: Layers | None = Layers("b") if self.bias else None
        for k in range(1, len(self.sizes)):
            n_in, n_out = self.sizes[k - 1], self.sizes[k]
            w = rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in))
            self.W[k] = w.astype(self.dtype)
            if self.b is not None:
                self.b[k] = np.zeros(n_out, dtype=self.dtype)

    # -- shape of the network --------------------------------------------------------

    def g(self, k: int) -> Activation:
        """The activation of layer ``k`` (the output layer may have its own)."""
        return self.output_activation if k == self.L + 1 else self.activation

    def parameters(self) -> Iterator[tuple[str, int, Array]]:
        """Yield ``("W", k, W[k])`` and, with biases, ``("b", k, b[k])`` for every layer."""
        for k in self.layers:
            yield "W", k, self.W[k]
            if self.b is not None:
                yield "b", k, self.b[k]

    def copy(self) -> Network:
        """An independent copy (same weights, same settings)."""
        new = object.__new__(Network)
        new.__dict__.update(self.__dict__)
        new.W = Layers("W", {k: w.copy() for k, w in self.W.items()})
        new.b = None if self.b is None else Layers("b", {k: b.copy() for k, b in self.b.items()})
        return new

    def __repr__(self) -> str:
        return (
            f"Network({list(self.sizes)}, activation={self.activation.name!r}, "
            f"loss={self.loss_fn.name!r}, bias={self.bias})"
        )

    # -- forward pass (section 2) ----------------------------------------------------

    @one_sample_or_batch
    def forward(self, X: Array) -> Forward:
        """Run forward propagation (section 2) and keep every intermediate value.

        Implements eq. ``forward-z`` :math:`z^{(k)} = W^{(k)} h^{(k-1)}` (plus
        :math:`b^{(k)}`) and eq. ``forward-h`` :math:`h^{(k)} = g(z^{(k)})` for
        k = 1 .. L+1, with :math:`h^{(0)} = x`.

        Parameters
        ----------
        X : array_like
            One sample, shape ``(n_0,)``, or a batch, shape ``(batch, n_0)``.

        Returns
        -------
        Forward
            ``z[k]`` and ``h[k]``; 1-D arrays for one sample, one row per sample otherwise.
        """
        z, h = Layers("z"), Layers("h", {0: X})
        for k in self.layers:
            z[k] = h[k - 1] @ self.W[k].T  # eq. forward-z, one row per sample
            if self.b is not None:
                z[k] += self.b[k]
            h[k] = self.g(k).g(z[k])  # eq. forward-h
        return Forward(z, h)

    def predict(self, X: object) -> Array:
        r"""The network's output :math:`h(\bar x; W) = g(z)` for ``X``."""
        return self.forward(X).output

    def accuracy(self, X: object, Y: object, threshold: float = 0.5) -> float:
        r"""The fraction of samples whose prediction :math:`g(z)` is on the label's side of ``threshold``.

        A prediction counts as class 1 when :math:`g(z) > \text{threshold}`, and so
        does a label.  The default 1/2 suits a sigmoid output with labels in
        {0, 1}; use ``threshold=0`` for labels in {-1, +1} (tanh or hinge).
        With several output nodes every node must be right.
        """
        fw = self.forward(X).rows()
        Y2 = self.as_labels(Y, fw.h[0].shape[0])
        right = (fw.output > threshold) == (Y2 > threshold)
        return float(np.mean(np.all(right, axis=1)))

    # -- cost (section 3) ------------------------------------------------------------

    def as_labels(self, Y: object, n_rows: int) -> Array:
        """``Y`` checked against ``n_rows`` samples and the loss's label domain, as 2-D rows."""
        Y2 = _checks.as_labels(Y, n_rows, self.sizes[-1], self.dtype)
        self.loss_fn.check_labels(Y2)
        return Y2

    def penalty(self) -> float:
        r"""The L2 term :math:`\frac\lambda2\sum_k \|W^{(k)}\|^2` (0 without ``l2``)."""
        if not self.l2:
            return 0.0
        return 0.5 * self.l2 * float(sum(np.vdot(w, w) for w in self.W.values()))

    def cost(self, data: object, Y: object) -> float:
        r"""The cost J on ``(X, Y)``: the mean of Loss over the rows, plus the L2 term.

        Implements eq. ``cost`` :math:`J = \frac1n\sum_t \text{Loss}(h(\bar x^{(t)}), y^{(t)})`
        (plus :math:`\frac\lambda2\sum_k\|W^{(k)}\|^2` when ``l2 > 0``).  The
        paper's Loss is one sample's; J averages it over the samples given.

        Parameters
        ----------
        data : array_like or Forward
            The inputs ``X`` (one sample ``(n_0,)`` or a batch ``(n, n_0)``), or a
            :class:`Forward` already computed from them (saves a forward pass).
        Y : array_like
            Their labels.
        """
        fw = (data if isinstance(data, Forward) else self.forward(data)).rows()
        return self._cost_of_rows(fw, self.as_labels(Y, fw.h[0].shape[0]))

    def _cost_of_rows(self, fw: Forward, Y2: Array) -> float:
        """J of a forward pass with one row per sample, against labels already checked.

        What :meth:`cost` computes once it has validated ``Y`` (with
        :meth:`as_labels`); for loops that evaluate J many times on the same data.
        """
        top = self.L + 1
        losses = self.loss_fn.sample_losses(self.output_activation, fw.z[top], fw.h[top], Y2)
        return float(np.mean(losses)) + self.penalty()

    # -- backward pass (section 3) ---------------------------------------------------

    def output_delta(self, z_out: Array, h_out: Array, Y: Array) -> Array:
        r"""Eq. ``dloss-dz`` (section 3.1): :math:`\partial\text{Loss}/\partial z =
        \partial\text{Loss}/\partial g(z)\cdot g'(z)`, one row per sample.

        The loss computes it (:meth:`nnlib.losses.Loss.output_delta`): for the
        logistic loss on a sigmoid output in its simplified form
        :math:`g(z) - y`, which stays exact when :math:`g(z)` rounds to 0 or 1.
        """
        return self.loss_fn.output_delta(self.output_activation, z_out, h_out, Y)

    @one_sample_or_batch
    def backward(self, fw: Forward, Y: Array) -> Gradients:
        r"""Backpropagation (section 3.6): every dLoss/dz^(k) and dJ/dW^(k).

        Starts at the output with eq. ``dloss-dz`` (3.1); then for k = L+1, L, ..., 1
        computes :math:`\partial J/\partial W^{(k)}` by eq. ``dloss-dw`` (3.3) and
        :math:`\partial\text{Loss}/\partial z^{(k-1)}` by the recursion eq.
        ``dloss-dz-hidden`` (3.5).  Over a batch, ``dW[k]`` is the mean of the
        per-sample gradients, which is :math:`\partial J / \partial W^{(k)}`.

        Parameters
        ----------
        fw : Forward
            The result of :meth:`forward` on the inputs.
        Y : array_like
            Labels: a scalar or shape ``(batch,)`` for one output node, ``(batch, n_{L+1})`` otherwise.

        Returns
        -------
        Gradients
        """
        z, h, top, n = fw.z, fw.h, self.L + 1, len(Y)
        dz, dW, db = Layers("dz"), Layers("dW"), Layers("db")
        dz[top] = self.output_delta(z[top], h[top], Y)  # eq. dloss-dz
        for k in range(top, 0, -1):  # k = L+1, L, ..., 1
            dW[k] = dz[k].T @ h[k - 1] / n  # eq. dloss-dw, the mean over the rows
            if self.l2:
                dW[k] += self.l2 * self.W[k]  # the L2 term of J
            if self.b is not None:
                db[k] = dz[k].mean(axis=0)  # a bias is a weight on a constant 1
            if k > 1:  # eq. dloss-dz-hidden: sum over the nodes i of layer k
                dz[k - 1] = (dz[k] @ self.W[k]) * self.activation.dg(z[k - 1])
        return Gradients(dz, dW, db if self.b is not None else None)

    def gradients(self, X: object, Y: object) -> Gradients:
        """``backward(forward(X), Y)`` in one call."""
        return self.backward(self.forward(X), Y)

    def step(self, grads: Gradients, lr: float) -> None:
        r"""Gradient descent: :math:`W^{(k)} \leftarrow W^{(k)} - \eta\, \partial J/\partial W^{(k)}`.

        The minus sign corrects the paper's section 3.6, which adds the
        gradient (see the book's errata).
        """
        lr = _checks.positive_number(lr, "lr")
        for k in self.layers:
            self.W[k] -= lr * grads.dW[k]
            if self.b is not None and grads.db is not None:
                self.b[k] -= lr * grads.db[k]
