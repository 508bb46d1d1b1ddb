r"""The explorer of section 3.6: train a small network and watch what changes.

Section 3.6 of the book puts the whole algorithm together: forward pass,
backward pass, and the update

.. math:: W^{(k)}_{ij} \leftarrow W^{(k)}_{ij} - \eta\,
          \frac{\partial \text{Loss}}{\partial W^{(k)}_{ij}}
          \qquad \text{(eq. sgd-update, sign corrected)}

The explorer lets a reader turn the knobs of that algorithm and see the cost
curve and the decision boundary that result.  Each part has a module of its own:

* :mod:`~nnlib.explorer.settings` -- :class:`Settings` (one position of the
  knobs, checked when made), the sliders' :data:`LIMITS`, :func:`max_epochs`.
* :mod:`~nnlib.explorer.runs` -- the model of a run: :func:`run` (settings in,
  :class:`Result` out, a freshly seeded network trained with
  ``train(..., exact_cost=True)``), :func:`load_dataset`, :func:`network`.
* :mod:`~nnlib.explorer.status` -- :func:`status_text`, the one-line summary
  (the exact J of the whole training set and the accuracy).
* :mod:`~nnlib.explorer.figure` -- :class:`ExplorerFigure` and :func:`draw`,
  the picture of a :class:`Result`.
* :mod:`~nnlib.explorer.live` -- :class:`Explorer` and :func:`explore`, the
  ipywidgets controls for a notebook with a live kernel.
* :mod:`~nnlib.explorer.static` -- :func:`static_explorer`, the same pictures
  and status lines precomputed over a grid, as one block of HTML for the
  book's kernel-free pages.

``import nnlib.explorer`` and :func:`run` need neither matplotlib nor
ipywidgets; the figure and the live controls import them when made.

Examples
--------
>>> from nnlib import explorer
>>> result = explorer.run(dataset="xor", hidden_layers=1, width=4, epochs=100)
>>> result.net.L, result.accuracy
(1, 1.0)
"""

from .figure import BOUNDARY_RESOLUTION, CMAP, DPI, FIGSIZE, SHADING_LEVELS, ExplorerFigure, draw
from .live import Explorer, explore
from .runs import Result, load_dataset, network, run
from .settings import (
    ACTIVATION_NAMES,
    BATCH_SIZES,
    DATA_SEED,
    DATASETS,
    LIMITS,
    MAX_UPDATES,
    N_SAMPLES,
    Settings,
    max_epochs,
)
from .static import (
    BASE,
    COLOURS,
    HIDDEN_LAYERS,
    LEARNING_RATES,
    STALLED,
    Frame,
    StaticExplorer,
    frame,
    static_explorer,
)
from .status import DIVERGED_COLOUR, ROSE_COLOUR, status_colour, status_html, status_text

__all__ = [
    "ACTIVATION_NAMES",
    "BASE",
    "BATCH_SIZES",
    "BOUNDARY_RESOLUTION",
    "CMAP",
    "COLOURS",
    "DATASETS",
    "DATA_SEED",
    "DIVERGED_COLOUR",
    "DPI",
    "FIGSIZE",
    "HIDDEN_LAYERS",
    "LEARNING_RATES",
    "LIMITS",
    "MAX_UPDATES",
    "N_SAMPLES",
    "ROSE_COLOUR",
    "SHADING_LEVELS",
    "STALLED",
    "Explorer",
    "ExplorerFigure",
    "Frame",
    "Result",
    "Settings",
    "StaticExplorer",
    "draw",
    "explore",
    "frame",
    "load_dataset",
    "max_epochs",
    "network",
    "run",
    "static_explorer",
    "status_colour",
    "status_html",
    "status_text",
]
