r"""The explorer of section 3.6: train a small network live and watch what changes.

Section 3.6 of the book puts the whole algorithm together: forward pass,
backward pass, and the update

.. math:: W^{(k)}_{ij} \leftarrow W^{(k)}_{ij} - \eta\,
          \frac{\partial \text{Loss}}{\partial W^{(k)}_{ij}}
          \qquad \text{(eq. sgd-update, sign corrected)}

The explorer lets a reader turn the knobs of that algorithm -- the learning rate
:math:`\eta`, the number of hidden layers :math:`L`, their width, the activation
:math:`g`, the data set, the number of epochs, the batch size (1 is the paper's
per-sample update) and the seed -- and see the cost curve and the decision
boundary that result.

The module has three layers, so that the computation can be tested and reused
without a display:

* :func:`run` -- pure computation: :class:`Settings` in, :class:`Result` out
  (a freshly seeded :class:`~nnlib.Network`, trained with :func:`~nnlib.train`).
* :class:`ExplorerFigure` (and :func:`draw`), :func:`status_text` and
  :func:`status_colour` -- the picture with its two panels and the one-line
  summary, made from a :class:`Result` only.  The figure is built once and
  redrawn in place, so that a retrain answers quickly.
* :class:`Explorer` and :func:`explore` -- ipywidgets controls wired to
  :func:`run`, for a notebook with a live kernel.

The book's HTML pages, which have no kernel, show the same figures and status
lines precomputed over a grid of settings: see :mod:`nnlib.explorer_static`.

ipywidgets and matplotlib are imported only by the functions that need them:
``import nnlib.widgets`` and :func:`run` work without either.

Examples
--------
>>> result = run(Settings(dataset="xor", hidden_layers=1, width=4, epochs=100))
>>> result.net.L, result.accuracy
(1, 1.0)
"""

from __future__ import annotations

import functools
import html
import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _checks, datasets, plotting
from .activations import ACTIVATIONS
from .network import Network
from .training import History, train

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Array = np.ndarray

__all__ = [
    "ACTIVATION_NAMES",
    "BATCH_SIZES",
    "DATASETS",
    "LIMITS",
    "MAX_UPDATES",
    "N_SAMPLES",
    "Explorer",
    "ExplorerFigure",
    "Result",
    "Settings",
    "draw",
    "explore",
    "load_dataset",
    "max_epochs",
    "network",
    "run",
    "status_colour",
    "status_html",
    "status_text",
]

#: Samples in every data set of the explorer; small, so that a retrain is quick.
N_SAMPLES = 200

#: The data are always drawn with this seed: the explorer's own ``seed`` changes
#: the initial weights and the order of the samples, never the data.
DATA_SEED = 0

#: Data set key -> label shown in the dropdown.  The keys name the generators of
#: :mod:`nnlib.datasets`.
DATASETS: dict[str, str] = {"xor": "XOR", "two_moons": "two moons", "spirals": "spirals"}

#: The thresholding functions g the explorer offers: every activation of the
#: registry :data:`nnlib.activations.ACTIVATIONS`, in its order.
ACTIVATION_NAMES: tuple[str, ...] = tuple(ACTIVATIONS)

#: Batch size -> label shown in the dropdown.  ``N_SAMPLES`` is one full batch.
BATCH_SIZES: dict[int, str] = {
    1: "1 (the paper's SGD)",
    10: "10",
    50: "50",
    N_SAMPLES: f"{N_SAMPLES} (full batch)",
}

#: The ranges of the explorer's sliders: ``(min, max)``.  The epochs slider
#: also respects :data:`MAX_UPDATES` (see :func:`max_epochs`).
LIMITS: dict[str, tuple[float, float]] = {
    "lr": (1e-3, 1e2),
    "hidden_layers": (0, 4),
    "width": (1, 16),
    "epochs": (10, 200),
    "seed": (0, 9),
}

#: The most weight updates one retrain of the explorer may take, so that it
#: answers within a second or two: per-sample SGD makes ``N_SAMPLES`` updates
#: per epoch, a full batch only one.
MAX_UPDATES = 20_000

#: Size of the explorer's figure in inches, and its resolution: 768 x 320 pixels.
FIGSIZE = (9.6, 4.0)
DPI = 80
#: Grid points along each axis of the decision-boundary shading.
BOUNDARY_RESOLUTION = 80
#: The shading's colour steps: the network output in steps of 0.05, the same
#: colours for every run, so that two pictures can be compared.
SHADING_LEVELS = np.linspace(0.0, 1.0, 21)
#: Colour map of the shading and of the samples (low output blue, high red).
CMAP = "RdBu_r"
#: Colour of the status line: a run that diverged, a run whose J went up.
DIVERGED_COLOUR = "#b00"
ROSE_COLOUR = "#a60"


# --- settings and validation -------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    r"""One position of the explorer's controls (section 3.6).

    Every field is checked when the settings are made; a bad value raises a
    ``ValueError`` (or ``TypeError``) naming the field and what was expected.

    Attributes
    ----------
    lr : float, default 1.0
        The learning rate :math:`\eta > 0` of eq. ``sgd-update``.
    hidden_layers : int, default 2
        The number of hidden layers :math:`L \ge 0`; 0 is a single threshold
        unit on the inputs (a linear decision boundary).
    width : int, default 8
        Nodes in each hidden layer (>= 1); unused when ``hidden_layers`` is 0.
    activation : str, default "tanh"
        The hidden layers' g: one of :data:`ACTIVATION_NAMES`.  The output node is
        always a sigmoid, trained with the logistic loss.
    dataset : str, default "two_moons"
        One of the keys of :data:`DATASETS`: ``"xor"``, ``"two_moons"``, ``"spirals"``.
    epochs : int, default 100
        Passes over the :data:`N_SAMPLES` samples (>= 1).
    batch_size : int, default N_SAMPLES
        Samples per update (>= 1): 1 is the paper's per-sample stochastic
        gradient descent, :data:`N_SAMPLES` (or more) one full batch.
    seed : int, default 0
        Seeds the initial weights and the order in which samples are visited (>= 0).
    """

    lr: float = 1.0
    hidden_layers: int = 2
    width: int = 8
    activation: str = "tanh"
    dataset: str = "two_moons"
    epochs: int = 100
    batch_size: int = N_SAMPLES
    seed: int = 0

    def __post_init__(self) -> None:
        checked = {
            "lr": _checks.positive_number(self.lr, "lr"),
            "hidden_layers": _checks.non_negative_int(self.hidden_layers, "hidden_layers"),
            "width": _checks.positive_int(self.width, "width"),
            "activation": _checks.one_of(self.activation, "activation", ACTIVATION_NAMES),
            "dataset": _checks.one_of(self.dataset, "dataset", tuple(DATASETS)),
            "epochs": _checks.positive_int(self.epochs, "epochs"),
            "batch_size": _checks.positive_int(self.batch_size, "batch_size"),
            "seed": _checks.non_negative_int(self.seed, "seed"),
        }
        for name, value in checked.items():  # store plain Python numbers
            object.__setattr__(self, name, value)

    @property
    def sizes(self) -> list[int]:
        """The layer list ``[n_0, n_1, ..., n_{L+1}]``: 2 inputs, L hidden layers, 1 output."""
        return [2, *[self.width] * self.hidden_layers, 1]


@dataclass(frozen=True, eq=False)
class Result:
    """What one run of the explorer produced (see :func:`run`).

    Attributes
    ----------
    settings : Settings
        The settings that were run.
    net : Network
        The trained network; ``net.L == settings.hidden_layers``.
    history : History
        The cost J of the whole training set before training
        (``history.initial_cost``) and at the end of each epoch
        (``history.cost``), and whether training diverged.
    accuracy : float or None
        Fraction of the training samples on the right side of the 0.5 threshold
        of the output :math:`g(z)`; None when training diverged.
    X, y : ndarray
        The (standardised) inputs and the 0/1 labels the network was trained on.
    """

    settings: Settings
    net: Network
    history: History
    accuracy: float | None
    X: Array
    y: Array

    @property
    def diverged(self) -> bool:
        """True when training stopped because J became non-finite or exploded."""
        return self.history.diverged

    @property
    def diverged_at(self) -> int | None:
        """The epoch in which training diverged (1 is the first), or None."""
        return len(self.history.cost) + 1 if self.diverged else None

    @property
    def final_cost(self) -> float | None:
        """J of the training set after the last completed epoch (None if none completed)."""
        return self.history.cost[-1] if self.history.cost else None

    @property
    def cost_rose(self) -> bool:
        """True when J ended higher than before training: η overshoots."""
        final = self.final_cost
        return final is not None and final > self.history.initial_cost


# --- the pure computation ----------------------------------------------------------


@functools.cache
def _dataset(name: str) -> tuple[Array, Array]:
    if name == "xor":
        ds = datasets.xor(n=N_SAMPLES, seed=DATA_SEED, noise=0.1)
    elif name == "two_moons":
        ds = datasets.two_moons(n=N_SAMPLES, seed=DATA_SEED)
    else:
        ds = datasets.spirals(n=N_SAMPLES, seed=DATA_SEED)
    X, _, _ = datasets.standardize(ds.X)
    y = ds.y.copy()
    X.setflags(write=False)
    y.setflags(write=False)
    return X, y


def load_dataset(name: str) -> tuple[Array, Array]:
    """The inputs and labels the explorer trains on for data set ``name``.

    :data:`N_SAMPLES` samples drawn with seed :data:`DATA_SEED` from
    :mod:`nnlib.datasets` (XOR jittered by noise 0.1), each column standardised
    with :func:`nnlib.datasets.standardize`.  The arrays are read-only and
    shared between calls.

    Parameters
    ----------
    name : str
        One of the keys of :data:`DATASETS`.

    Returns
    -------
    X : ndarray, shape (N_SAMPLES, 2)
    y : ndarray, shape (N_SAMPLES,), values 0 and 1
    """
    return _dataset(_checks.one_of(name, "dataset", tuple(DATASETS)))


def max_epochs(batch_size: int) -> int:
    """The epochs slider's maximum for a batch size: at most :data:`MAX_UPDATES` updates.

    Parameters
    ----------
    batch_size : int
        Samples per update (>= 1).

    Returns
    -------
    int
        ``LIMITS["epochs"][1]``, or fewer (a multiple of 10) when each epoch
        makes many updates: 100 for the paper's per-sample SGD on
        :data:`N_SAMPLES` = 200 samples.

    Examples
    --------
    >>> max_epochs(1), max_epochs(N_SAMPLES)
    (100, 200)
    """
    batch_size = _checks.positive_int(batch_size, "batch_size")
    updates_per_epoch = -(-N_SAMPLES // batch_size)
    cap = MAX_UPDATES // updates_per_epoch // 10 * 10
    return int(min(LIMITS["epochs"][1], max(cap, LIMITS["epochs"][0])))


def network(settings: Settings) -> Network:
    """The untrained network the explorer builds for ``settings`` (what :func:`run` trains).

    ``Network(settings.sizes, activation=settings.activation, loss="logistic",
    bias=True, seed=settings.seed, output_activation="sigmoid")``: 2 inputs,
    ``settings.hidden_layers`` layers of ``settings.width`` nodes with g =
    ``settings.activation``, one sigmoid output, the logistic loss, biases, and
    weights drawn with ``settings.seed``.
    """
    if not isinstance(settings, Settings):
        raise TypeError(
            f"settings must be an nnlib.widgets.Settings, got {type(settings).__name__}"
        )
    return Network(
        settings.sizes,
        activation=settings.activation,
        loss="logistic",
        bias=True,
        seed=settings.seed,
        output_activation="sigmoid",
    )


def run(settings: Settings | None = None, **changes: Any) -> Result:
    r"""Train a fresh network with the explorer's settings (section 3.6).

    Builds the network of :func:`network` and trains it with
    :func:`nnlib.train` on the data set, by the update of eq. ``sgd-update``
    with learning rate :math:`\eta` = ``settings.lr``.  Nothing is drawn and
    nothing is printed; the same settings always give the same result.

    Parameters
    ----------
    settings : Settings, optional
        What to run; the defaults of :class:`Settings` if omitted.
    **changes
        Fields to change, e.g. ``run(lr=0.1, hidden_layers=3)``.

    Returns
    -------
    Result
        The trained network, its history and its training accuracy.  A
        divergent run (too large an η) is reported in ``result.history``
        (``diverged`` and ``message``), without NumPy warnings.

    Raises
    ------
    ValueError, TypeError
        For a setting out of its domain (``lr <= 0``, an unknown data set or
        activation, ``hidden_layers < 0``, ...), naming what was expected.
    """
    if settings is None:
        settings = Settings()
    elif not isinstance(settings, Settings):
        raise TypeError(
            f"settings must be an nnlib.widgets.Settings, got {type(settings).__name__}"
        )
    if changes:
        unknown = sorted(set(changes) - {f.name for f in fields(Settings)})
        if unknown:
            raise ValueError(
                f"unknown setting(s) {', '.join(unknown)}; expected some of "
                + ", ".join(f.name for f in fields(Settings))
            )
        settings = replace(settings, **changes)
    X, y = load_dataset(settings.dataset)
    net = network(settings)
    history = train(
        net,
        X,
        y,
        lr=settings.lr,
        epochs=settings.epochs,
        batch_size=settings.batch_size,
        seed=settings.seed,
    )
    accuracy = None
    if not history.diverged:
        with np.errstate(all="ignore"):
            accuracy = net.accuracy(X, y)
    return Result(settings=settings, net=net, history=history, accuracy=accuracy, X=X, y=y)


# --- what is shown: a line of text and a figure --------------------------------------


def status_text(result: Result) -> str:
    r"""One line summing up a run: the final cost J and the training accuracy.

    A divergent run says **diverged at epoch N** instead of showing NaN.  A
    run whose J ended above its value before training gets a warning that the
    learning rate :math:`\eta` overshoots.

    Parameters
    ----------
    result : Result

    Returns
    -------
    str
        Plain text (no markup).
    """
    s, h = result.settings, result.history
    if result.diverged:
        return (
            f"Diverged at epoch {result.diverged_at}: the cost J blew up, so the learning "
            f"rate \u03b7 = {s.lr:.3g} is too large here. No final J or accuracy to show."
        )
    cost = result.final_cost
    assert cost is not None and result.accuracy is not None  # a finished run has both
    right = round(result.accuracy * len(result.y))
    text = (
        f"J = {cost:.4g} on the training set after {len(h.cost)} epochs; training accuracy "
        f"{100 * result.accuracy:.1f}% ({right} of {len(result.y)} samples)."
    )
    if result.cost_rose:
        text += (
            f" J rose from {h.initial_cost:.3g} before training: the learning rate "
            f"\u03b7 = {s.lr:.3g} is probably too large (each step overshoots)."
        )
    return text


def status_colour(result: Result) -> str:
    """The CSS colour of the status line: red after divergence, amber when J rose."""
    if result.diverged:
        return DIVERGED_COLOUR
    return ROSE_COLOUR if result.cost_rose else "inherit"


@functools.cache
def _plane(dataset: str) -> tuple[Array, tuple[float, float, float, float]]:
    """The points where the shading is evaluated, and the panel's limits, for a data set."""
    X, _ = load_dataset(dataset)
    G1, G2 = plotting.plane_grid(X, BOUNDARY_RESOLUTION)
    points = np.column_stack([G1.ravel(), G2.ravel()])
    points.setflags(write=False)
    return points, (float(G1[0, 0]), float(G1[0, -1]), float(G2[0, 0]), float(G2[-1, 0]))


class ExplorerFigure:
    r"""The explorer's picture: the cost curve and the decision boundary (section 3.6).

    Left, the cost J of the whole training set before training and at the end
    of each epoch (:func:`nnlib.plotting.plot_loss`, which labels its axis
    for exactly that); right, the trained network's output :math:`g(z)` over
    the plane in steps of 0.05, its 0.5 contour (the decision boundary) and
    the samples.  After a divergent run each panel says so instead.

    The figure is built once; :meth:`show` redraws only what a new result
    changes (the cost panel, the shading, the boundary, the titles) over a
    saved background, which makes a redraw several times faster than drawing
    a new figure.  The live explorer and the precomputed one of the HTML book
    (:mod:`nnlib.explorer_static`) draw through this class, so they show the
    same pictures.

    Attributes
    ----------
    figure : matplotlib Figure
        The figure (``FIGSIZE`` at ``DPI``: 768 x 320 pixels), on an Agg canvas;
        it is not managed by pyplot, so nothing needs closing.
    """

    def __init__(self) -> None:
        import matplotlib as mpl
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.colors import BoundaryNorm
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=FIGSIZE, dpi=DPI)
        self._canvas = FigureCanvasAgg(self.figure)
        self._ax_cost, self._ax_plane = self.figure.subplots(1, 2, width_ratios=[1.0, 1.25])
        # Fixed margins: a layout engine would redo the layout on every draw.
        self.figure.subplots_adjust(left=0.07, right=0.99, bottom=0.13, top=0.82, wspace=0.22)
        cmap = mpl.colormaps[CMAP]
        ax = self._ax_plane
        self._shading = ax.imshow(
            np.full((2, 2), 0.5),
            cmap=cmap,
            norm=BoundaryNorm(SHADING_LEVELS, cmap.N),
            alpha=0.6,
            origin="lower",
            aspect="auto",
            interpolation="bilinear",
            interpolation_stage="data",
        )
        self._colorbar = self.figure.colorbar(
            self._shading, ax=ax, label=r"network output $h(\bar{x}; W)$", ticks=SHADING_LEVELS[::4]
        )
        colours = cmap(np.linspace(0.05, 0.95, 2))
        self._samples = [
            ax.scatter(
                np.empty(0),
                np.empty(0),
                color=colour,
                marker=marker,
                edgecolors="k",
                linewidths=0.6,
                s=28,
                label=f"$y = {label}$",
                zorder=3,
            )
            for label, colour, marker in zip((0, 1), colours, ("o", "s"), strict=True)
        ]
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        # Above the axes, so the legend never hides a data point.
        self._legend = ax.legend(
            loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, fontsize=9
        )
        self._boundary: Any = None  # the 0.5 contour, made anew for each result
        self._messages = [
            a.text(
                0.5,
                0.5,
                "",
                transform=a.transAxes,
                ha="center",
                va="center",
                fontsize=11,
                color="tab:red",
                visible=False,
            )
            for a in (self._ax_cost, self._ax_plane)
        ]
        self._background: Any = None
        self._background_key: tuple[str, bool] | None = None
        self.result: Result | None = None

    def show(self, result: Result) -> ExplorerFigure:
        """Draw ``result`` (what :func:`run` returned); return ``self``."""
        if not isinstance(result, Result):
            raise TypeError(f"result must be an nnlib.widgets.Result, got {type(result).__name__}")
        self.result = result
        self._show_cost(result)
        self._show_plane(result)
        self._render((result.settings.dataset, result.diverged))
        return self

    def rgb(self) -> Array:
        """The pixels of the figure as last shown: an array (320, 768, 3) of uint8."""
        return np.array(self._canvas.buffer_rgba())[..., :3]

    def png(self, colours: int | None = None, compress_level: int = 1) -> bytes:
        """The figure as last shown, as PNG bytes.

        Parameters
        ----------
        colours : int, optional
            Reduce the picture to this many colours (a palette PNG, about a
            fifth of the size; 32 is indistinguishable to the eye).  All of
            them, by default.
        compress_level : int, default 1
            zlib's level, 0 to 9: 1 is fast, 9 small.
        """
        from PIL import Image

        image = Image.fromarray(self.rgb())
        if colours is not None:
            colours = _checks.positive_int(colours, "colours")
            image = image.quantize(
                min(colours, 256), method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
            )
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", compress_level=compress_level)
        return buffer.getvalue()

    # --- the parts ---------------------------------------------------------------

    def _show_cost(self, result: Result) -> None:
        ax, s, h = self._ax_cost, result.settings, result.history
        for artist in [*ax.lines, *ax.collections]:
            artist.remove()
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        if h.cost:
            ax.set_axis_on()
            ax.set_prop_cycle(None)  # the same colour for every run's curve
            plotting.plot_cost(h, ax=ax)
            ax.relim()
            ax.autoscale_view()
        else:
            ax.set_axis_off()
        ax.set_title(
            f"cost J per epoch (\u03b7 = {s.lr:.3g}, batch {min(s.batch_size, len(result.y))})",
            y=1.0,  # a fixed place: placing it automatically measures every tick label
        )
        message = self._messages[0]
        message.set_visible(result.diverged)
        message.set_text(
            f"training diverged at epoch {result.diverged_at}" if result.diverged else ""
        )

    def _show_plane(self, result: Result) -> None:
        s, ax = result.settings, self._ax_plane
        if self._boundary is not None:
            self._boundary.remove()
            self._boundary = None
        shown = not result.diverged
        for artist in (self._shading, *self._samples):
            artist.set_visible(shown)
        message = self._messages[1]
        message.set_visible(not shown)
        message.set_text(
            f"training diverged at epoch {result.diverged_at}:\n\u03b7 = {s.lr:.3g} is too large"
            if not shown
            else ""
        )
        ax.set_title(
            f"{DATASETS[s.dataset]}: L = {result.net.L} hidden layers, g = {s.activation}",
            y=1.0,  # a fixed place: automatic placement would misplace it over the background
            pad=22,
        )
        if not shown:
            return
        points, (x0, x1, y0, y1) = _plane(s.dataset)
        with np.errstate(all="ignore"):
            output = result.net.predict(points).reshape(BOUNDARY_RESOLUTION, BOUNDARY_RESOLUTION)
        dx, dy = (x1 - x0) / (BOUNDARY_RESOLUTION - 1), (y1 - y0) / (BOUNDARY_RESOLUTION - 1)
        self._shading.set_data(output)
        self._shading.set_extent((x0 - dx / 2, x1 + dx / 2, y0 - dy / 2, y1 + dy / 2))
        if output.min() < 0.5 < output.max():
            grid = points.reshape(BOUNDARY_RESOLUTION, BOUNDARY_RESOLUTION, 2)
            self._boundary = ax.contour(
                grid[..., 0], grid[..., 1], output, levels=[0.5], colors="k", linewidths=1.5
            )
        for label, artist in enumerate(self._samples):
            artist.set_offsets(result.X[result.y == label])

    def _dynamic(self) -> list[Any]:
        """What changes from one result to the next, in drawing order."""
        ax = self._ax_plane
        parts = [self._ax_cost, self._shading]
        if self._boundary is not None:
            parts.append(self._boundary)
        if ax.axison:  # the frame goes over the shading, as in a full draw
            parts += ax.spines.values()
        parts += [*self._samples, ax.title, self._messages[1]]
        return parts

    def _render(self, key: tuple[str, bool]) -> None:
        """Draw the dynamic parts over the background saved for ``key``.

        The background (everything but :meth:`_dynamic`) depends only on the
        data set, which fixes the axes' limits, and on whether the run diverged,
        which hides the axes; it is drawn once for each such key in a row.
        """
        if key == self._background_key:
            self._canvas.restore_region(self._background)
        else:
            self._draw_background(key)
        for part in self._dynamic():
            if part.get_visible():
                self.figure.draw_artist(part)

    def _draw_background(self, key: tuple[str, bool]) -> None:
        """Draw and keep everything but the dynamic parts, for ``key``."""
        dataset, diverged = key
        _, (x0, x1, y0, y1) = _plane(dataset)
        ax = self._ax_plane
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        if diverged:
            ax.set_axis_off()
        else:
            ax.set_axis_on()
        self._colorbar.ax.set_visible(not diverged)
        self._legend.set_visible(not diverged)
        dynamic = self._dynamic()
        visible = [part.get_visible() for part in dynamic]
        for part in dynamic:
            part.set_visible(False)
        self._canvas.draw()
        self._background = self._canvas.copy_from_bbox(self.figure.bbox)
        for part, was_visible in zip(dynamic, visible, strict=True):
            part.set_visible(was_visible)
        self._background_key = key


def draw(result: Result) -> Figure:
    """The explorer's figure for ``result``, on a new :class:`ExplorerFigure`.

    Parameters
    ----------
    result : Result
        What :func:`run` returned.

    Returns
    -------
    matplotlib Figure
        Not managed by pyplot, so nothing needs closing.
    """
    return ExplorerFigure().show(result).figure


# --- the live explorer -------------------------------------------------------------


def _within_limits(s: Settings) -> Settings:
    """Check that the explorer's controls can show ``s`` (:data:`LIMITS`, :data:`BATCH_SIZES`)."""
    for name, (lo, hi) in LIMITS.items():
        value = getattr(s, name)
        if not lo <= value <= hi:
            raise ValueError(
                f"{name} must be between {lo:g} and {hi:g} in the explorer, got {value:g}"
            )
    if s.batch_size not in BATCH_SIZES:
        raise ValueError(
            f"batch_size must be one of {sorted(BATCH_SIZES)} in the explorer, got {s.batch_size}"
        )
    if s.epochs > max_epochs(s.batch_size):
        raise ValueError(
            f"epochs must be at most {max_epochs(s.batch_size)} with batch_size {s.batch_size} "
            f"in the explorer (at most {MAX_UPDATES} updates per retrain), got {s.epochs}"
        )
    return s


def status_html(result: Result) -> str:
    """The status line as HTML: :func:`status_text` in :func:`status_colour`."""
    return f"<span style='color:{status_colour(result)}'>{html.escape(status_text(result))}</span>"


class Explorer:
    r"""Live controls that retrain a network on every change (section 3.6).

    Each control is an ipywidgets widget stored as an attribute of the same
    name as the :class:`Settings` field it sets: ``lr`` (a log-scale slider for
    the learning rate :math:`\eta` of eq. ``sgd-update``), ``hidden_layers``,
    ``width``, ``activation``, ``dataset``, ``epochs``, ``batch_size`` and
    ``seed``.  Any change -- by the reader or by code such as
    ``explorer.lr.value = 0.1`` -- runs :func:`run` on the new settings, stores
    the :class:`Result` in :attr:`result`, writes :func:`status_text` to
    :attr:`status` and redraws the picture in :attr:`image` with
    :class:`ExplorerFigure`.  The ranges of the sliders are :data:`LIMITS`.

    Parameters
    ----------
    settings : Settings, optional
        Where the controls start; the defaults of :class:`Settings` if omitted.
    **changes
        Fields to change from ``settings``, e.g. ``Explorer(dataset="xor")``.

    Attributes
    ----------
    result : Result
        The latest run.
    status : ipywidgets.HTML
        The summary line of the latest run.
    image : ipywidgets.Image
        The figure of the latest run, as a PNG.
    widget : ipywidgets.VBox
        Controls, status and figure together; what displaying the explorer shows.
    """

    def __init__(self, settings: Settings | None = None, **changes: Any) -> None:
        import ipywidgets as widgets

        s = settings if settings is not None else Settings()
        if not isinstance(s, Settings):
            raise TypeError(f"settings must be an nnlib.widgets.Settings, got {type(s).__name__}")
        s = _within_limits(replace(s, **changes) if changes else s)
        lr_lo, lr_hi = LIMITS["lr"]

        style = {"description_width": "9.5em"}
        layout = widgets.Layout(width="26em")
        common: dict[str, Any] = {"style": style, "layout": layout, "continuous_update": False}
        self.lr = widgets.FloatLogSlider(
            value=s.lr,
            base=10,
            min=math.log10(lr_lo),
            max=math.log10(lr_hi),
            step=0.1,
            readout_format=".3g",
            description="learning rate \u03b7",
            **common,
        )
        self.hidden_layers = widgets.IntSlider(
            value=s.hidden_layers,
            min=LIMITS["hidden_layers"][0],
            max=LIMITS["hidden_layers"][1],
            description="hidden layers L",
            **common,
        )
        self.width = widgets.IntSlider(
            value=s.width,
            min=LIMITS["width"][0],
            max=LIMITS["width"][1],
            description="width of each",
            **common,
        )
        self.epochs = widgets.IntSlider(
            value=s.epochs,
            min=LIMITS["epochs"][0],
            max=max_epochs(s.batch_size),
            step=10,
            description="epochs",
            **common,
        )
        self.seed = widgets.IntSlider(
            value=s.seed,
            min=LIMITS["seed"][0],
            max=LIMITS["seed"][1],
            description="seed",
            **common,
        )
        self.activation = widgets.Dropdown(
            options=list(ACTIVATION_NAMES),
            value=s.activation,
            description="activation g",
            style=style,
            layout=layout,
        )
        self.dataset = widgets.Dropdown(
            options=[(label, key) for key, label in DATASETS.items()],
            value=s.dataset,
            description="data set",
            style=style,
            layout=layout,
        )
        self.batch_size = widgets.Dropdown(
            options=[(label, size) for size, label in BATCH_SIZES.items()],
            value=s.batch_size,
            description="batch size",
            style=style,
            layout=layout,
        )
        self.status = widgets.HTML()
        self.status.add_class("nnlib-explorer-status")
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.figure = ExplorerFigure()
        left = widgets.VBox([self.dataset, self.activation, self.hidden_layers, self.width])
        right = widgets.VBox([self.lr, self.epochs, self.batch_size, self.seed])
        self.widget = widgets.VBox([widgets.HBox([left, right]), self.status, self.image])

        self.result: Result = run(s)
        self._holding = False
        self._show()
        for control in self.controls.values():
            control.observe(self._on_change, names="value")

    @property
    def controls(self) -> dict[str, Any]:
        """The control widgets, keyed by the :class:`Settings` field each one sets."""
        return {f.name: getattr(self, f.name) for f in fields(Settings)}

    @property
    def settings(self) -> Settings:
        """The settings the controls show now."""
        return Settings(**{name: control.value for name, control in self.controls.items()})

    def update(self) -> Result:
        """Retrain with the controls' current settings and redraw; return the new result."""
        self.result = run(self.settings)
        self._show()
        return self.result

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Change several controls at once and retrain only once, at the end.

        Examples
        --------
        >>> with explorer.hold():                      # doctest: +SKIP
        ...     explorer.lr.value = 0.1
        ...     explorer.hidden_layers.value = 3
        """
        held, self._holding = self._holding, True
        try:
            yield
        finally:
            self._holding = held
        if not held:
            self.update()

    def set(self, **values: Any) -> Result:
        """Move several controls, e.g. ``explorer.set(lr=0.1, dataset="xor")``; retrain once.

        Unlike assigning to a slider's ``value`` (which ipywidgets clamps into
        the slider's range), a value outside a control's range raises a
        ``ValueError`` and leaves every control as it was.
        """
        controls = self.controls
        unknown = sorted(set(values) - set(controls))
        if unknown:
            raise ValueError(
                f"unknown control(s) {', '.join(unknown)}; expected some of " + ", ".join(controls)
            )
        target = _within_limits(replace(self.settings, **values))
        # The batch size first: it sets the epochs slider's maximum.
        with self.hold():
            for name in sorted(values, key=lambda name: name != "batch_size"):
                controls[name].value = getattr(target, name)
        return self.result

    def _limit_epochs(self) -> None:
        """Keep the epochs slider within :func:`max_epochs` of the batch size (no retrain)."""
        held, self._holding = self._holding, True
        try:
            self.epochs.max = max_epochs(self.batch_size.value)
        finally:
            self._holding = held

    def _on_change(self, change: dict[str, Any]) -> None:
        if change["owner"] is self.batch_size:
            self._limit_epochs()
        if self._holding:
            return
        try:
            self.update()
        except Exception as exc:  # a callback's error would otherwise vanish into a log
            self.status.value = f"<b style='color:#b00'>Error:</b> {html.escape(str(exc))}"
            raise

    def _show(self) -> None:
        """Write the status line and redraw the figure for the current result."""
        self.width.disabled = self.hidden_layers.value == 0
        self.status.value = status_html(self.result)
        self.image.value = self.figure.show(self.result).png()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"Explorer({self.settings!r})"


def explore(settings: Settings | None = None, **changes: Any) -> Explorer:
    r"""Show the explorer of section 3.6 and return it.

    A convenience for ``display(Explorer(settings, **changes))``.  Keep the
    returned :class:`Explorer` in a name (``explorer = explore()``): as the
    bare last line of a cell its value would be displayed a second time.

    Parameters
    ----------
    settings : Settings, optional
        Where the controls start.
    **changes
        Fields to change, e.g. ``explore(dataset="xor", lr=0.5)``.

    Returns
    -------
    Explorer
    """
    from IPython.display import display

    explorer = Explorer(settings, **changes)
    display(explorer)
    return explorer
