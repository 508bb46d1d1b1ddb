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
* :func:`draw` and :func:`status_text` -- a matplotlib figure with the two
  panels, and the one-line summary, both made from a :class:`Result` only.
* :class:`Explorer` and :func:`explore` -- ipywidgets controls wired to
  :func:`run`, for a notebook with a live kernel.

ipywidgets and matplotlib are imported only by the functions that need them:
``import nnlib.widgets`` and :func:`run` work without either.

Examples
--------
>>> result = run(Settings(dataset="xor", hidden_layers=1, width=4, epochs=100))
>>> result.net.L, result.accuracy
(1, 1.0)
"""

from __future__ import annotations

import base64
import functools
import html
import io
import math
import numbers
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _checks, datasets
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
    "Result",
    "Settings",
    "draw",
    "explore",
    "load_dataset",
    "max_epochs",
    "run",
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

#: The thresholding functions g the explorer offers (see :mod:`nnlib.activations`).
ACTIVATION_NAMES: tuple[str, ...] = ("sigmoid", "tanh", "relu")

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


# --- settings and validation -------------------------------------------------------


def _non_negative_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= 0, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {value}")
    return int(value)


def _choice(value: object, name: str, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(
            f"unknown {name} {value!r}; expected one of " + ", ".join(repr(a) for a in allowed)
        )
    return value


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
            "hidden_layers": _non_negative_int(self.hidden_layers, "hidden_layers"),
            "width": _checks.positive_int(self.width, "width"),
            "activation": _choice(self.activation, "activation", ACTIVATION_NAMES),
            "dataset": _choice(self.dataset, "dataset", tuple(DATASETS)),
            "epochs": _checks.positive_int(self.epochs, "epochs"),
            "batch_size": _checks.positive_int(self.batch_size, "batch_size"),
            "seed": _non_negative_int(self.seed, "seed"),
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
        The cost J per epoch, and whether training diverged (``history.message`` says why).
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
    def final_loss(self) -> float | None:
        """J of the last completed epoch (None if not even one epoch completed)."""
        return self.history.loss[-1] if self.history.loss else None

    @property
    def loss_rose(self) -> bool:
        """True when J ended higher than after the first epoch: a sign that η overshoots."""
        loss = self.history.loss
        return len(loss) > 1 and loss[-1] > loss[0]


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
    return _dataset(_choice(name, "dataset", tuple(DATASETS)))


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


def run(settings: Settings | None = None, **changes: Any) -> Result:
    r"""Train a fresh network with the explorer's settings (section 3.6).

    Builds ``Network(settings.sizes, activation, loss="logistic", bias=True,
    seed=seed, output_activation="sigmoid")`` and trains it with
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
    net = Network(
        settings.sizes,
        activation=settings.activation,
        loss="logistic",
        bias=True,
        seed=settings.seed,
        output_activation="sigmoid",
    )
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


# --- what is shown: a figure and a line of text ---------------------------------


def status_text(result: Result) -> str:
    r"""One line summing up a run: the final cost J and the training accuracy.

    A divergent run says so, with :attr:`History.message` (why, in which epoch,
    and that the learning rate :math:`\eta` is probably too large), instead of
    showing NaN.  A run whose J ended above its first epoch's value gets a
    warning that :math:`\eta` overshoots.

    Parameters
    ----------
    result : Result

    Returns
    -------
    str
        Plain text (no markup).
    """
    h = result.history
    if h.diverged:
        message = h.message or "training diverged"
        return f"{message[0].upper()}{message[1:]}. No final J or accuracy to show."
    loss = result.final_loss
    assert loss is not None and result.accuracy is not None  # a finished run has both
    right = round(result.accuracy * len(result.y))
    text = (
        f"J = {loss:.4g} after {len(h)} epochs; training accuracy "
        f"{100 * result.accuracy:.1f}% ({right} of {len(result.y)} samples)."
    )
    if result.loss_rose:
        text += (
            f" J rose from {h.loss[0]:.3g} after the first epoch: the learning rate "
            f"\u03b7 = {result.settings.lr:.3g} is probably too large (each step overshoots)."
        )
    return text


def draw(result: Result, fig: Figure | None = None) -> Figure:
    r"""The explorer's two panels: the cost curve and the decision boundary.

    Left, the cost J per epoch (:func:`nnlib.plotting.plot_loss`); right, the
    trained network's output :math:`g(z)` over the plane with its 0.5 contour
    and the samples (:func:`nnlib.plotting.plot_decision_boundary`).  After a
    divergent run each panel says so instead.

    Parameters
    ----------
    result : Result
        What :func:`run` returned.
    fig : matplotlib Figure, optional
        Where to draw (it is cleared first); a new ``Figure`` (not managed by
        pyplot, so nothing needs closing) otherwise.

    Returns
    -------
    matplotlib Figure
    """
    from matplotlib.figure import Figure

    from . import plotting

    if fig is None:
        fig = Figure(figsize=(9.6, 4.0))
    else:
        fig.clear()
    # Fixed margins: a layout engine would double the time it takes to draw.
    ax_loss, ax_boundary = fig.subplots(1, 2, width_ratios=[1.0, 1.25])
    fig.subplots_adjust(left=0.07, right=0.99, bottom=0.13, top=0.82, wspace=0.22)
    s, h = result.settings, result.history
    if h.loss:
        plotting.plot_loss(h, ax=ax_loss)
    ax_loss.set_title(
        f"cost J per epoch (\u03b7 = {s.lr:.3g}, batch {min(s.batch_size, len(result.y))})"
    )
    if result.diverged:
        where = f"in epoch {len(h) + 1}"
        for ax in (ax_loss, ax_boundary):
            ax.text(
                0.5,
                0.5,
                f"training diverged {where}:\n\u03b7 = {s.lr:.3g} is too large",
                transform=ax.transAxes,
                ha="center",
                va="center",
                fontsize=11,
                color="tab:red",
            )
        if not h.loss:
            ax_loss.set_axis_off()
        ax_boundary.set_axis_off()
        return fig
    with np.errstate(all="ignore"):
        plotting.plot_decision_boundary(
            result.net, result.X, result.y, ax=ax_boundary, resolution=80
        )
    ax_boundary.set_title(
        f"{DATASETS[s.dataset]}: L = {result.net.L} hidden layers, g = {s.activation}", pad=22
    )
    return fig


def _png(fig: Figure, dpi: int = 80) -> str:
    """The figure as a base64-encoded PNG, for a notebook ``display_data`` output."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


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


class Explorer:
    r"""Live controls that retrain a network on every change (section 3.6).

    Each control is an ipywidgets widget stored as an attribute of the same
    name as the :class:`Settings` field it sets: ``lr`` (a log-scale slider for
    the learning rate :math:`\eta` of eq. ``sgd-update``), ``hidden_layers``,
    ``width``, ``activation``, ``dataset``, ``epochs``, ``batch_size`` and
    ``seed``.  Any change -- by the reader or by code such as
    ``explorer.lr.value = 0.1`` -- runs :func:`run` on the new settings, stores
    the :class:`Result` in :attr:`result`, writes :func:`status_text` to
    :attr:`status` and replaces the picture in :attr:`output` with a fresh
    :func:`draw`.  The ranges of the sliders are :data:`LIMITS`.

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
    output : ipywidgets.Output
        The figure of the latest run (one PNG ``display_data`` output).
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
        self.output = widgets.Output()
        left = widgets.VBox([self.dataset, self.activation, self.hidden_layers, self.width])
        right = widgets.VBox([self.lr, self.epochs, self.batch_size, self.seed])
        self.widget = widgets.VBox([widgets.HBox([left, right]), self.status, self.output])

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
        """Write the status line and replace the figure with the current result's."""
        result = self.result
        self.width.disabled = self.hidden_layers.value == 0
        text = html.escape(status_text(result))
        colour = "#b00" if result.diverged else "#a60" if result.loss_rose else "inherit"
        self.status.value = f"<span style='color:{colour}'>{text}</span>"
        png = _png(draw(result))
        self.output.outputs = (
            {
                "output_type": "display_data",
                "data": {
                    "image/png": png,
                    "text/plain": "<cost curve and decision boundary of the explorer>",
                },
                "metadata": {},
            },
        )

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
