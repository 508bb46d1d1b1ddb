r"""The training step of :func:`nnlib.train`: the same equations, computed in place.

:meth:`Network.forward <nnlib.network.Network.forward>` and
:meth:`Network.backward <nnlib.network.Network.backward>` are the book's
reference implementation.  They read like the equations and return fresh
dicts of fresh arrays, which is what a reader wants to inspect, but a training
loop pays for every one of those allocations and temporaries.  A
:class:`Workspace` evaluates exactly the same equations for one step of
gradient descent on a batch of ``n`` rows,

.. math::
    z^{(k)} &= h^{(k-1)} W^{(k)\top} \;(+\, b^{(k)}), \qquad h^{(k)} = g(z^{(k)})
        && \text{(eqs. forward-z, forward-h)} \\
    \delta^{(L+1)} &= \frac{\partial \text{Loss}}{\partial g(z)} \odot g'(z)
        && \text{(eq. dloss-dz)} \\
    \frac{\partial J}{\partial W^{(k)}} &= \tfrac1n\, \delta^{(k)\top} h^{(k-1)}
        && \text{(eq. dloss-dw)} \\
    \delta^{(k-1)} &= \big(\delta^{(k)} W^{(k)}\big) \odot g'(z^{(k-1)})
        && \text{(eq. dloss-dz-hidden)} \\
    W^{(k)} &\leftarrow W^{(k)} - \eta\, \frac{\partial J}{\partial W^{(k)}}
        && \text{(eq. sgd-update)}

(:math:`\delta^{(k)}` is ``dz[k]``, one row per sample), with changes in *how*
and none in *what*:

1. **Arrays are allocated once** per network and batch size, then overwritten
   with ``out=`` and in-place operators (``np.dot(a, b, out=c)`` is
   ``c = a @ b`` written into ``c``; for tiny arrays it also costs less per
   call than ``np.matmul``).  A step allocates almost nothing, and
   the workspaces are cached, so a call of ``train`` on a batch of the same size
   reuses them.
2. **g' is read from the cached h** where the activation allows it: each
   :class:`~nnlib.activations.Activation` brings its in-place forms
   ``g_into`` and ``dg_into``, the latter built on
   :attr:`~nnlib.activations.Activation.dg_from_h` (the sigmoid's
   :math:`g'(z) = h(1-h)`, tanh's :math:`1-h^2`, ReLU's :math:`[h > 0]`).  No
   exponential is evaluated a second time.
3. **The loss computes the output delta and the cost together**
   (:meth:`Loss.output_kernel <nnlib.losses.Loss.output_kernel>`), in its
   simplified form where it has one (:math:`g(z) - y` for the logistic loss of a
   sigmoid), and J comes from the forward pass the step does anyway.
4. **η/n is folded into** :math:`\delta^{(L+1)}`.  Every :math:`\delta^{(k)}` is
   linear in :math:`\delta^{(L+1)}`, so each product
   :math:`\delta^{(k)\top} h^{(k-1)}` then comes out as
   :math:`\eta\,\partial J/\partial W^{(k)}` and the update is one subtraction.
   (L2 becomes the equivalent "weight decay" :math:`W \leftarrow (1-\eta\lambda)W`.)
5. **Each layer is updated as soon as the recursion is done with it.**
   :math:`\delta^{(k-1)}` needs the old :math:`W^{(k)}`, so it is computed first;
   then :math:`W^{(k)}` moves while it is still in cache.
6. :math:`\delta^{(1)}` is **not computed**: no weight needs
   :math:`(W^{(1)})^\top\delta^{(1)}` (the plain pass skips it too).

The result equals ``net.step(net.backward(net.forward(x), y), lr)`` up to
floating-point rounding: ``tests/test_fast_path.py`` holds :func:`nnlib.train`
to :func:`nnlib.train_plain`, the plain loop, to 1e-12 relative in float64 (the
weights and the whole history), for every registered activation and loss; and a
float32 network stays float32 throughout.

The in-place sigmoid evaluates :math:`1/(1+e^{-z})`, whose :math:`e^{-z}`
overflows to ``inf`` for very negative ``z`` and correctly gives 0; the caller
(:func:`nnlib.train`) runs the step under ``np.errstate`` so that no overflow
warning is printed.

:meth:`Workspace.forward` over the whole training set is also how
:func:`nnlib.train` measures the cost J at the end of each epoch when it is asked
to (``exact_cost=True``).
"""

from __future__ import annotations

import weakref

import numpy as np

from .network import Network

Array = np.ndarray


# --- the workspace ---------------------------------------------------------------------


def _signature(net: Network) -> tuple:
    """What a workspace's buffers and kernels depend on (besides the batch size)."""
    return (net.sizes, net.dtype, net.bias, net.activation, net.output_activation, net.loss_fn)


def _checked(p: object, name: str, k: int, shape: tuple[int, ...], dtype: np.dtype) -> Array:
    if not isinstance(p, np.ndarray) or p.shape != shape or p.dtype != dtype:
        got = (
            f"{p.dtype} array of shape {p.shape}" if isinstance(p, np.ndarray) else type(p).__name__
        )
        raise ValueError(
            f"net.{name}[{k}] must be a {dtype} array of shape {shape} (the network's layer "
            f"sizes and dtype), got a {got}"
        )
    return p


class Workspace:
    """Buffers and kernels for training steps of one network on batches of ``n`` rows.

    ``z[k]``, ``h[k]`` and ``dz[k]`` hold :math:`z^{(k)}`, :math:`h^{(k)}` and
    :math:`\\delta^{(k)}` of the current batch (``h[0]`` is the batch itself);
    ``dW[k]`` and ``db[k]`` receive the scaled gradients.  Use :func:`workspace`
    to get one (it caches them); then, per step, :meth:`forward` and
    :meth:`backward_step`.
    """

    def __init__(self, net: Network, n: int) -> None:
        self.n = n
        self.signature = _signature(net)
        dt, sizes, top = net.dtype, net.sizes, net.L + 1
        self.top = top

        def rows(k: int) -> Array:
            return np.empty((n, sizes[k]), dtype=dt)

        none = [None]  # index 0: layer 0 has no weights
        self.W = self.b = none * (top + 1)  # set by bind()
        self.x, self.y = rows(0), rows(top)  # a shuffled batch is gathered here
        self.z = none + [rows(k) for k in range(1, top + 1)]
        self.h: list = [self.x] + [rows(k) for k in range(1, top + 1)]
        self.dz = none + [rows(k) for k in range(1, top + 1)]
        self.tmp = none + [rows(k) for k in range(1, top + 1)]
        self.dW = none + [np.empty((sizes[k], sizes[k - 1]), dtype=dt) for k in range(1, top + 1)]
        self.db = none + [np.empty(sizes[k], dtype=dt) for k in range(1, top + 1)]
        # the activations' and the loss's own in-place forms
        self.g_into = none + [net.g(k).g_into for k in range(1, top + 1)]
        self.dg_into = none + [net.g(k).dg_into for k in range(1, top + 1)]
        self.output_kernel = net.loss_fn.output_kernel(net.output_activation)
        self.bind(net)

    def bind(self, net: Network) -> None:
        """Point the workspace at ``net``'s current weight arrays and ``l2``.

        Checks that each array still has its layer's shape and the network's
        dtype (a reader may have assigned ``net.W[k]`` by hand).  The workspace
        keeps no reference to ``net`` itself, so the cache never keeps a network
        alive.
        """
        sizes, dt, top = net.sizes, net.dtype, self.top
        self.l2 = net.l2
        for k in range(1, top + 1):
            if net.W[k] is not self.W[k] or (net.b is not None and net.b[k] is not self.b[k]):
                break
        else:
            return  # the same arrays as last time: already checked
        self.W, self.b = [None], [None]
        for k in range(1, top + 1):
            self.W.append(_checked(net.W[k], "W", k, (sizes[k], sizes[k - 1]), dt))
            self.b.append(None if net.b is None else _checked(net.b[k], "b", k, (sizes[k],), dt))
        # What each step walks through, one tuple per layer, so that the loops in
        # forward() and backward_step() only unpack (a tiny network's step is
        # mostly Python overhead).
        self._forward_layers = [
            (self.W[k], self.b[k], self.z[k], self.h[k], self.g_into[k]) for k in range(1, top + 1)
        ]
        self._backward_layers = [
            (self.W[k], self.b[k], self.dW[k], self.db[k], self.dz[k], k - 1)
            for k in range(top, 0, -1)
        ]

    def gather(self, X: Array, Y: Array, idx: Array) -> tuple[Array, Array]:
        """Copy rows ``idx`` of ``X`` and ``Y`` into the workspace's batch arrays."""
        X.take(idx, axis=0, out=self.x)  # the method: np.take adds a Python layer per call
        Y.take(idx, axis=0, out=self.y)
        return self.x, self.y

    def forward(self, x: Array, y: Array) -> float:
        """Forward pass on the batch ``x`` and its cost J against ``y`` (eq. ``cost``).

        Also leaves :math:`\\delta^{(L+1)}` (eq. ``dloss-dz``) in ``dz[L+1]``,
        ready for :meth:`backward_step`.  ``x`` and ``y`` are 2-D arrays of the
        network's dtype with ``n`` rows (already validated).
        """
        self.h[0] = h_in = x
        for W, b, z, h, g_into in self._forward_layers:  # k = 1 .. L+1
            np.dot(h_in, W.T, out=z)  # eq. forward-z, one row per sample
            if b is not None:
                z += b
            g_into(z, h)  # eq. forward-h
            h_in = h
        return self._cost_and_output_delta(y)

    def _cost_and_output_delta(self, y: Array) -> float:
        top = self.top
        # eq. dloss-dz into dz[L+1], and the sum of the rows' losses, as the loss computes them
        J = self.output_kernel(self.z[top], self.h[top], y, self.dz[top], self.tmp[top]) / self.n
        if self.l2:
            J += 0.5 * self.l2 * float(sum(np.vdot(w, w) for w in self.W[1:]))
        return J

    def backward_step(self, lr: float) -> None:
        """Backpropagate from ``dz[L+1]`` and update every layer (eqs. 3.3, 3.5, sgd-update).

        Call after :meth:`forward`.  Layer k's weights move right after
        :math:`\\delta^{(k-1)} = (\\delta^{(k)} W^{(k)}) \\odot g'(z^{(k-1)})`
        has used them.
        """
        h, z, dz, tmp, dg_into = self.h, self.z, self.dz, self.tmp, self.dg_into
        dz[self.top] *= lr / self.n  # now every dz[k] and dW[k] carries the factor lr/n
        decay = 1.0 - lr * self.l2
        for W, b, dW, db, dz_k, j in self._backward_layers:  # k = L+1 .. 1, and j = k - 1
            np.dot(dz_k.T, h[j], out=dW)  # eq. dloss-dw: lr * dJ/dW^(k)
            if j > 0:  # eq. dloss-dz-hidden, with the old W^(k)
                np.dot(dz_k, W, out=dz[j])
                dg_into[j](z[j], h[j], tmp[j])  # g'(z^(j)), read from h^(j) where possible
                np.multiply(dz[j], tmp[j], out=dz[j])
            if decay != 1.0:
                W *= decay
            W -= dW  # eq. sgd-update
            if b is not None:
                np.add.reduce(dz_k, axis=0, out=db)  # dLoss/db^(k) = dLoss/dz^(k), summed
                b -= db


_WORKSPACES: weakref.WeakKeyDictionary[Network, dict[int, Workspace]] = weakref.WeakKeyDictionary()


def workspace(net: Network, n: int) -> Workspace:
    """The cached :class:`Workspace` of ``net`` for batches of ``n`` rows.

    One is kept per network and batch size for as long as the network lives
    (a training run with a last, smaller batch uses two).  It is rebuilt if the
    network's layer sizes, dtype, bias, activations or loss have changed.
    """
    per_net = _WORKSPACES.get(net)
    if per_net is None:
        per_net = _WORKSPACES[net] = {}
    ws = per_net.get(n)
    if ws is None or ws.signature != _signature(net):
        ws = per_net[n] = Workspace(net, n)
    else:
        ws.bind(net)
    return ws
