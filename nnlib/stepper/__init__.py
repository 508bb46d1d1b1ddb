r"""Backpropagation one operation at a time: the steps, a page that walks them, a live view.

Section 3.6 puts the algorithm together; this package cuts one sweep of it
into the single operations the book derives, in the order the algorithm takes
them, each with the equation it uses and that equation with its numbers::

    from nnlib.stepper import steps
    from nnlib.worked_example import worked_example

    ex = worked_example()
    sweep = steps(ex.net, ex.x, ex.y, lr=0.5)    # a list of Step records
    sweep[14].numbers     # '\delta^{(2)}_{1} = (-0.5988) \times 2 \times 0.2452 = -0.2936'
    sweep[14].reads       # (12, 5): the output's delta and z^(2)_1, computed before

Any small network of the paper's kind works (one output node, no biases;
see :func:`steps`), so a reader can step through their own.

The modules, one concern each:

* :mod:`~nnlib.stepper.steps`: :class:`Step` and :func:`steps`, the values
  read from ``Network.forward``, ``Network.backward`` and ``Network.step``;
* :mod:`~nnlib.stepper.check`: :func:`check`, which holds every step against
  nnlib, against its SymPy formula (:mod:`nnlib.symbolic`) and checks that the
  order is a valid sweep;
* :mod:`~nnlib.stepper.drawing`: the network as one SVG
  (:func:`nnlib.plotting.draw_network`) with an id on every node, edge and value;
* :mod:`~nnlib.stepper.static`: :func:`stepper`, the kernel-free page (its
  HTML carries the steps as JSON and a short script; no network, no CDN);
* :mod:`~nnlib.stepper.live`: :func:`live`, the same steps with ipywidgets.

In a notebook, the last line of a cell shows the stepper::

    from nnlib import stepper
    stepper.stepper()          # kernel-free (also in the built book)
    stepper.live()             # with a kernel: ipywidgets buttons
"""

from __future__ import annotations

from .check import StepCheck, check
from .live import LiveStepper, live
from .printing import shown
from .static import Stepper, stepper
from .steps import CHAPTERS, KINDS, Step, steps, sweep_order

__all__ = [
    "CHAPTERS",
    "KINDS",
    "LiveStepper",
    "Step",
    "StepCheck",
    "Stepper",
    "check",
    "live",
    "shown",
    "stepper",
    "steps",
    "sweep_order",
]
