r"""Pictures for the book, one module per family of figure.

* :mod:`~nnlib.plotting.network` -- :func:`draw_network`, Figure 1 of the book
  (section 1), for any layer list, optionally with edges drawn by weight, a
  chain-rule path highlighted, or values written on its nodes and edges.
* :mod:`~nnlib.plotting.graph` -- :func:`draw_computation_graph`, the network as
  the chain of elementary steps (:math:`\Sigma \to z \to g \to h`, then the
  loss) that backpropagation walks back (section 3).
* :mod:`~nnlib.plotting.curves` -- :func:`plot_cost`, the cost of a training
  run per epoch, labelled for what it is (:math:`J` of the whole training set,
  or the running mean of minibatch costs); :func:`plot_activations`, the
  thresholding functions g and their derivatives g' (section 2).
* :mod:`~nnlib.plotting.boundary` -- :func:`plot_decision_boundary`, what a
  trained two-input network predicts over the plane, on :func:`plane_grid`.

They share :mod:`~nnlib.plotting._shared`: colours, type sizes (every text at
least 9 CSS px tall as the book shows it), the layered layout and
:func:`scatter_classes`, the samples drawn one scatter per class.

matplotlib is imported inside the functions, so ``import nnlib.plotting``
stays light.  Every function draws on the ``ax`` it is given (or on a new
figure) and returns that Axes; nothing here is random and nothing is printed.
Arguments are checked once, on entry (:mod:`nnlib._checks`).
"""

from ._shared import scatter_classes
from .boundary import plane_grid, plot_decision_boundary
from .curves import J_LABEL, RUNNING_LABEL, plot_activations, plot_cost
from .graph import draw_computation_graph
from .network import draw_network

__all__ = [
    "J_LABEL",
    "RUNNING_LABEL",
    "draw_computation_graph",
    "draw_network",
    "plane_grid",
    "plot_activations",
    "plot_cost",
    "plot_decision_boundary",
    "scatter_classes",
]
