r"""The explorer of section 3.6 without a kernel: precomputed, in one block of HTML.

A page of the built book has no Python behind it, so the live
:class:`~nnlib.explorer.Explorer` cannot retrain there.  This module runs the
explorer ahead of time over a grid of settings -- learning rates
:math:`\eta` from too small to too large, times 0 to 4 hidden layers -- and
packs what the live explorer would show for each of them (the same
:class:`~nnlib.explorer.ExplorerFigure` picture and the same
:func:`~nnlib.explorer.status_text` line) into one self-contained block of
HTML: two range controls, the picture, the status line, the data, and a
script of a dozen lines that swaps them.  It needs no server, no network and
no library in the browser, so it works from ``file://`` as well as over HTTP.

Each picture is a 32-colour palette PNG (about 11 kB) embedded as base64;
the default grid of 10 x 5 settings adds about 0.8 MB to the page.

Examples
--------
In a notebook cell, the last line displays the explorer (as HTML)::

    from nnlib import explorer
    explorer.static_explorer()
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .. import _checks
from .figure import DPI, FIGSIZE, ExplorerFigure
from .runs import Result, run
from .settings import DATASETS, LIMITS, Settings, as_settings
from .status import status_colour, status_text

__all__ = [
    "BASE",
    "COLOURS",
    "HIDDEN_LAYERS",
    "LEARNING_RATES",
    "STALLED",
    "Frame",
    "StaticExplorer",
    "frame",
    "static_explorer",
]

#: The grid's learning rates: 10^-3 to 10^1.5 in steps of half a decade, all of
#: them positions of the live explorer's slider.  With :data:`BASE` the
#: smallest learn almost nothing in the epochs given, and at the largest every
#: network with a hidden layer ends above its starting J or diverges.
#:
#: The grid stops half a decade below the slider's top, 10^2.  At eta = 100 the
#: network without hidden layers oscillates from one full-batch step to the next,
#: and where it ends after 100 epochs depends on the last bits of the arithmetic
#: (J between 0.42 and 1.24 under different BLAS kernels): a stored picture of it
#: would be wrong on most machines.  Every setting of this grid ends the same when
#: its initial weights are nudged by a relative 1e-14 (tests/test_explorer_static.py).
LEARNING_RATES: tuple[float, ...] = tuple(10.0 ** (k / 2) for k in range(-6, 4))

#: The grid's numbers of hidden layers: every position of the live slider.
HIDDEN_LAYERS: tuple[int, ...] = tuple(
    range(int(LIMITS["hidden_layers"][0]), int(LIMITS["hidden_layers"][1]) + 1)
)

#: What the grid does not vary: the live explorer's defaults, with ReLU hidden
#: layers (tanh saturates instead of diverging at large η).
BASE = Settings(activation="relu")

#: Colours of each embedded picture (a palette PNG).
COLOURS = 32

#: A run whose J fell by less than this fraction of its starting value has
#: learned almost nothing: its learning rate is too small for the epochs given.
STALLED = 0.05

#: The script that makes the controls work; ``root`` is the explorer's element.
_SCRIPT = """(function (root) {
  var data = JSON.parse(root.querySelector(".nnx-data").textContent);
  var inputs = root.querySelectorAll("input[type=range]");
  var img = root.querySelector("img"), status = root.querySelector(".nnx-status");
  function show() {
    var index = 0;
    inputs.forEach(function (input, axis) {
      var labels = data.axes[axis].labels, i = Number(input.value);
      index = index * labels.length + i;
      input.setAttribute("aria-valuetext", labels[i]);
      input.nextElementSibling.textContent = labels[i];
    });
    img.src = "data:image/png;base64," + data.frames[index][0];
    img.alt = data.frames[index][1];
    status.textContent = data.frames[index][2];
    status.style.color = data.frames[index][3];
  }
  inputs.forEach(function (input) { input.addEventListener("input", show); });
})(document.getElementById("%s"));"""

_STYLE = (
    "<style>#{id} .nnx-controls{{display:flex;flex-wrap:wrap;gap:0.4em 2em;margin:0.5em 0}}"
    "#{id} label{{display:flex;align-items:center;gap:0.5em}}"
    "#{id} input{{width:14em}}#{id} output{{min-width:3.5em;font-weight:bold}}"
    "#{id} img{{max-width:100%;height:auto}}#{id} .nnx-status{{margin:0.3em 0}}</style>"
)


@dataclass(frozen=True)
class Frame:
    """What the explorer shows for one setting of the grid.

    Attributes
    ----------
    settings : Settings
        The settings that were run.
    png : bytes
        The picture (:class:`~nnlib.explorer.ExplorerFigure`), a :data:`COLOURS`-colour PNG.
    status : str
        The status line (:func:`~nnlib.explorer.status_text`).
    colour : str
        Its CSS colour (:func:`~nnlib.explorer.status_colour`).
    diverged : bool
        Whether training diverged.
    accuracy : float or None
        The training accuracy (None after divergence).
    initial_cost, final_cost : float, float or None
        J of the training set before training and after the last epoch (None
        after divergence).
    """

    settings: Settings
    png: bytes
    status: str
    colour: str
    diverged: bool
    accuracy: float | None
    initial_cost: float
    final_cost: float | None

    @property
    def outcome(self) -> str:
        """``"diverged"``; ``"rose"`` (J ended above its start); ``"stalled"`` (J fell
        by less than :data:`STALLED` of its start); or ``"learned"``."""
        if self.diverged or self.final_cost is None:
            return "diverged"
        if self.final_cost > self.initial_cost:
            return "rose"
        return "stalled" if self.final_cost > (1 - STALLED) * self.initial_cost else "learned"

    @property
    def alt(self) -> str:
        """A text alternative of the picture, naming the settings."""
        s = self.settings
        return (
            f"Cost J of the whole training set per epoch and decision boundary after training with "
            f"\u03b7 = {s.lr:.3g} and L = {s.hidden_layers} hidden layers"
        )


def frame(settings: Settings, figure: ExplorerFigure | None = None) -> Frame:
    """Run the explorer on ``settings`` and keep what it shows.

    Parameters
    ----------
    settings : Settings
        One setting of the explorer.
    figure : ExplorerFigure, optional
        Where to draw; reusing one across a grid is faster.  The pixels do not
        depend on it.

    Returns
    -------
    Frame
    """
    result: Result = run(as_settings(settings))
    figure = figure if figure is not None else ExplorerFigure()
    png = figure.show(result).png(colours=COLOURS, compress_level=9)
    return Frame(
        settings=settings,
        png=png,
        status=status_text(result),
        colour=status_colour(result),
        diverged=result.diverged,
        accuracy=result.accuracy,
        initial_cost=float(result.history.initial_cost),
        final_cost=result.final_cost,
    )


def _label(lr: float) -> str:
    return f"{lr:.3g}"


@dataclass(frozen=True)
class StaticExplorer:
    r"""The explorer precomputed over a grid of learning rates and hidden-layer counts.

    Displayed in a notebook (or a page of the built book) it is a block of
    HTML with a control for :math:`\eta`, one for :math:`L`, the picture and
    the status line.  Make one with :func:`static_explorer`.

    Attributes
    ----------
    base : Settings
        The settings the grid shares; its ``lr`` and ``hidden_layers`` are the
        controls' starting position.
    learning_rates : tuple of float
        The positions of the learning-rate control, increasing.
    hidden_layers : tuple of int
        The positions of the hidden-layers control, increasing.
    frames : tuple of Frame
        One per setting: ``frames[i * len(hidden_layers) + j]`` is
        ``learning_rates[i]`` with ``hidden_layers[j]``.
    """

    base: Settings
    learning_rates: tuple[float, ...]
    hidden_layers: tuple[int, ...]
    frames: tuple[Frame, ...]

    def frame(self, lr: float, hidden_layers: int) -> Frame:
        """The frame of one grid point (``lr`` must be one of :attr:`learning_rates`)."""
        if lr not in self.learning_rates:
            raise ValueError(
                f"lr {lr!r} is not on the grid; expected one of "
                + ", ".join(_label(v) for v in self.learning_rates)
            )
        if hidden_layers not in self.hidden_layers:
            raise ValueError(
                f"hidden_layers {hidden_layers!r} is not on the grid; expected one of "
                f"{list(self.hidden_layers)}"
            )
        i, j = self.learning_rates.index(lr), self.hidden_layers.index(hidden_layers)
        return self.frames[i * len(self.hidden_layers) + j]

    @property
    def element_id(self) -> str:
        """The HTML id of the explorer: a hash of its content, so the page is reproducible."""
        digest = hashlib.sha256()
        for f in self.frames:
            digest.update(f.png)
            digest.update(f.status.encode())
        return "nnlib-explorer-" + digest.hexdigest()[:12]

    def html(self) -> str:
        """The self-contained HTML block: controls, picture, status line, data and script."""
        root = self.element_id
        start = self.frame(self.base.lr, self.base.hidden_layers)
        data = {
            "axes": [
                {"name": "lr", "labels": [_label(v) for v in self.learning_rates]},
                {"name": "hidden_layers", "labels": [str(v) for v in self.hidden_layers]},
            ],
            "frames": [
                [base64.b64encode(f.png).decode("ascii"), f.alt, f.status, f.colour]
                for f in self.frames
            ],
        }
        payload = json.dumps(data, separators=(",", ":")).replace("<", "\\u003c")
        width, height = (round(v * DPI) for v in FIGSIZE)
        lr_start = self.learning_rates.index(self.base.lr)
        layers_start = self.hidden_layers.index(self.base.hidden_layers)
        s = self.base
        caption = (
            f"Precomputed: {DATASETS[s.dataset]}, hidden layers of {s.width} nodes with "
            f"g = {s.activation}, {s.epochs} epochs, batch size {s.batch_size}, seed {s.seed}."
        )
        parts = "".join(
            [
                f'<div class="nnlib-explorer" id="{root}">',
                _STYLE.format(id=root),
                '<div class="nnx-controls">',
                _control("learning rate \u03b7", len(self.learning_rates), lr_start, "lr"),
                f"<output>{_label(self.base.lr)}</output></label>",
                _control("hidden layers L", len(self.hidden_layers), layers_start, "layers"),
                f"<output>{self.base.hidden_layers}</output></label>",
                "</div>",
                f'<p class="nnx-status" aria-live="polite" style="color:{start.colour}">'
                f"{html.escape(start.status)}</p>",
                f'<img width="{width}" height="{height}" alt="{html.escape(start.alt)}" '
                f'src="data:image/png;base64,{base64.b64encode(start.png).decode("ascii")}">',
                f'<p class="nnx-caption"><small>{html.escape(caption)}</small></p>',
                f'<script type="application/json" class="nnx-data">{payload}</script>',
                f"<script>{_SCRIPT % root}</script>",
                "</div>",
            ]
        )
        # ASCII only (eta as a character reference): right whatever the page's encoding.
        return parts.encode("ascii", "xmlcharrefreplace").decode("ascii")

    def _repr_html_(self) -> str:
        return self.html()

    @property
    def diverged(self) -> list[Frame]:
        """The frames whose training diverged."""
        return [f for f in self.frames if f.diverged]

    def summary(self) -> str:
        """For each L, the learning rates at which training fails, and how.

        Three ways: J fell by less than :data:`STALLED` of its starting value
        in the epochs given (too small a step, or a stuck network); J ended
        above its starting value (each step overshoots); training diverged.
        """
        s = self.base
        lines = [
            f"{len(self.frames)} settings precomputed: {len(self.learning_rates)} learning rates "
            f"x {len(self.hidden_layers)} hidden-layer counts (g = {s.activation}, "
            f"{DATASETS[s.dataset]}, {s.epochs} epochs, batch size {s.batch_size})",
            f"J fell by less than {100 * STALLED:.0f}% / J rose / diverged, at these \u03b7:",
        ]
        for L in self.hidden_layers:
            row = [self.frame(lr, L) for lr in self.learning_rates]
            groups = [
                ", ".join(_label(f.settings.lr) for f in row if f.outcome == outcome) or "-"
                for outcome in ("stalled", "rose", "diverged")
            ]
            lines.append(f"L = {L}: " + " / ".join(groups))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"StaticExplorer({len(self.learning_rates)} learning rates x "
            f"{len(self.hidden_layers)} hidden-layer counts, base={self.base!r})"
        )


def _control(label: str, n: int, value: int, name: str) -> str:
    return (
        f'<label>{html.escape(label)} <input type="range" name="{name}" min="0" '
        f'max="{n - 1}" step="1" value="{value}">'
    )


def static_explorer(
    base: Settings = BASE,
    learning_rates: Sequence[float] = LEARNING_RATES,
    hidden_layers: Sequence[int] = HIDDEN_LAYERS,
) -> StaticExplorer:
    r"""Run the explorer over a grid and return it, ready to display as HTML.

    Every combination of ``learning_rates`` and ``hidden_layers`` is trained
    with :func:`nnlib.explorer.run` (the other settings from ``base``) and drawn
    with :class:`~nnlib.explorer.ExplorerFigure`: the same picture and status
    line as the live explorer.  The same arguments always give the same bytes.

    Parameters
    ----------
    base : Settings, default BASE
        The settings the grid shares; ``base.lr`` and ``base.hidden_layers``
        must be on the grid (they are where the controls start).
    learning_rates : sequence of float, default LEARNING_RATES
        At least two, increasing.
    hidden_layers : sequence of int, default HIDDEN_LAYERS
        At least two, increasing.

    Returns
    -------
    StaticExplorer
    """
    base = as_settings(base, "base")
    rates = tuple(_checks.positive_number(v, "each learning rate") for v in learning_rates)
    layers = tuple(_checks.non_negative_int(v, "each hidden-layer count") for v in hidden_layers)
    for name, values in (("learning_rates", rates), ("hidden_layers", layers)):
        if len(values) < 2 or any(a >= b for a, b in itertools.pairwise(values)):
            raise ValueError(f"{name} must hold at least two increasing values, got {values}")
    if base.lr not in rates or base.hidden_layers not in layers:
        raise ValueError(
            f"the starting point lr={base.lr:g}, hidden_layers={base.hidden_layers} "
            "must be on the grid"
        )
    figure = ExplorerFigure()
    frames = tuple(
        frame(replace(base, lr=lr, hidden_layers=L), figure) for lr in rates for L in layers
    )
    return StaticExplorer(base=base, learning_rates=rates, hidden_layers=layers, frames=frames)
