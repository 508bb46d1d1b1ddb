r"""The scaffolding of :class:`nnlib.Network`: layer-numbered containers and the batch wrapper.

Nothing here is an equation of the book; it is what lets
:meth:`Network.forward <nnlib.network.Network.forward>` and
:meth:`Network.backward <nnlib.network.Network.backward>` be the bare equations:

* :class:`Layers`, a dict keyed by the paper's layer numbers (0 is the input,
  L+1 the output) that explains a missing layer;
* :class:`Forward` and :class:`Gradients`, what the two passes return;
* :func:`one_sample_or_batch`, which checks a pass's input and lets a method
  written for a batch (one row per sample) take a single sample too;
* :class:`LayerNumbering`, the layer count shared by the numeric and the
  symbolic network.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from . import _checks

if TYPE_CHECKING:
    from .network import Network

Array = np.ndarray


class Layers(dict):
    """A dict keyed by the paper's layer numbers that explains a missing layer.

    ``fw.z[0]`` or ``net.W[0]`` would otherwise raise a bare ``KeyError: 0``.
    """

    def __init__(self, symbol: str, items: Mapping[int, Array] | None = None) -> None:
        super().__init__(items or {})
        self.symbol = symbol

    def __missing__(self, k: object) -> Array:
        have = sorted(self)
        span = f"{have[0]} .. {have[-1]}" if have else "none"
        raise KeyError(f"{self.symbol}[{k!r}] does not exist; layers available: {span}")

    def first_rows(self) -> Layers:
        """Row 0 of every layer: the 1-D arrays of a single sample."""
        return Layers(self.symbol, {k: v[0] for k, v in self.items()})

    def as_rows(self) -> Layers:
        """Every 1-D array as a batch of one row (views, nothing is copied)."""
        return Layers(self.symbol, {k: v[np.newaxis] for k, v in self.items()})


@dataclass
class Forward:
    """Everything the forward pass computed (section 2).

    Attributes
    ----------
    z : Layers
        ``z[k]`` is :math:`z^{(k)}` for k = 1 .. L+1, one row per sample.
    h : Layers
        ``h[k]`` is :math:`h^{(k)} = g(z^{(k)})` for k = 1 .. L+1 and ``h[0]`` is the input ``x``.
    single : bool
        True when the input was one sample of shape ``(n_0,)``; arrays are then 1-D.
    """

    z: Layers
    h: Layers
    single: bool = False

    @property
    def output(self) -> Array:
        r"""The prediction :math:`h(\bar x; W) = g(z)`, i.e. ``h[L+1]``."""
        return self.h[max(self.h)]

    def rows(self) -> Forward:
        """The same values with one row per sample (2-D views for a single sample)."""
        return Forward(self.z.as_rows(), self.h.as_rows()) if self.single else self

    def one_sample(self) -> Forward:
        """The values of the first (only) sample as 1-D arrays."""
        return Forward(self.z.first_rows(), self.h.first_rows(), single=True)


@dataclass
class Gradients:
    r"""Everything the backward pass computed (section 3).

    Attributes
    ----------
    dz : Layers
        ``dz[k]`` is :math:`\partial\text{Loss}/\partial z^{(k)}` for each sample (one row per sample).
    dW : Layers
        ``dW[k]`` is :math:`\partial J/\partial W^{(k)}`, the mean over the batch (plus the L2 term).
    db : Layers or None
        ``db[k]`` is :math:`\partial J/\partial b^{(k)}` when the network has biases.
    """

    dz: Layers
    dW: Layers
    db: Layers | None = None

    def one_sample(self) -> Gradients:
        """``dz`` of the first (only) sample as 1-D arrays (``dW`` and ``db`` are unchanged)."""
        return Gradients(self.dz.first_rows(), self.dW, self.db)


Result = TypeVar("Result", Forward, Gradients)


def one_sample_or_batch(
    method: Callable[..., Result],
) -> Callable[..., Result]:
    """Let a method written for a batch (one row per sample) take one sample too.

    :meth:`Network.forward` and :meth:`Network.backward` hold only the equations,
    on 2-D arrays.  This wrapper checks and converts what they are given: the
    inputs ``X`` (shape ``(n_0,)`` or ``(batch, n_0)``) or a :class:`Forward`,
    and the labels ``Y`` if there are any; and for a single sample it returns
    1-D arrays again.
    """

    @functools.wraps(method)
    def wrapper(self: Network, data: object, *labels: object) -> Result:
        if isinstance(data, Forward):
            rows, single = data.rows(), data.single
            n = rows.h[0].shape[0]
        else:
            rows, single = _checks.as_inputs(data, self.sizes[0], self.dtype)
            n = rows.shape[0]
        if labels:
            (Y,) = labels
            result = method(self, rows, self.as_labels(Y, n))
        else:
            result = method(self, rows)
        return result.one_sample() if single else result

    return wrapper


class LayerNumbering:
    """The paper's layer numbers for anything with ``sizes = (n_0, ..., n_{L+1})``.

    Shared by :class:`Network` and ``nnlib.symbolic.SymbolicNetwork``, so both
    count layers the same way.
    """

    sizes: tuple[int, ...]

    @property
    def L(self) -> int:
        """The number of hidden layers (the output layer is L+1)."""
        return len(self.sizes) - 2

    @property
    def layers(self) -> range:
        """The layer numbers that carry weights: 1 .. L+1."""
        return range(1, self.L + 2)
