r"""The explorer's picture: the cost curve and the decision boundary of a run.

:class:`ExplorerFigure` draws a :class:`~nnlib.explorer.Result` (what
:func:`~nnlib.explorer.run` returned) on a figure that is built once and
redrawn in place, so that a retrain answers quickly; :func:`draw` is the
one-off form.  The live explorer and the precomputed page draw through it, so
they show the same pictures.  matplotlib is imported only when a figure is made.
"""

from __future__ import annotations

import functools
import io
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _checks
from ..plotting import plane_grid, plot_cost, scatter_classes
from ..plotting._shared import legend_above
from .runs import Result, load_dataset
from .settings import DATASETS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Array = np.ndarray

__all__ = [
    "BOUNDARY_RESOLUTION",
    "CMAP",
    "DPI",
    "FIGSIZE",
    "OUTPUT_DECIMALS",
    "SHADING_LEVELS",
    "ExplorerFigure",
    "draw",
]

#: Size of the explorer's figure in inches, and its resolution: 768 x 320 pixels.
#: The book's page shows it at most 690 px wide; at that scale the smallest text
#: (10 pt, the legend and the tick labels) is still 10 CSS px tall.
FIGSIZE = (9.6, 4.0)
DPI = 80
#: Grid points along each axis of the decision-boundary shading.
BOUNDARY_RESOLUTION = 80
#: The shading's colour steps: the network output in steps of 0.05, the same
#: colours for every run, so that two pictures can be compared.
SHADING_LEVELS = np.linspace(0.0, 1.0, 21)
#: The shading and the boundary use the network output rounded to this many
#: decimals.  The digits beyond depend on the processor's arithmetic: a network
#: whose output is 0.5 everywhere (every hidden unit dead) computes 0.5 on one
#: machine and 0.49999999999999994 on another, which would fall on either side
#: of the shading level 0.5 and draw a boundary through rounding noise.
OUTPUT_DECIMALS = 6
#: Colour map of the shading and of the samples (low output blue, high red).
CMAP = "RdBu_r"


@functools.cache
def _plane(dataset: str) -> tuple[Array, tuple[float, float, float, float]]:
    """The points where the shading is evaluated, and the panel's limits, for a data set."""
    X, _ = load_dataset(dataset)
    G1, G2 = plane_grid(X, BOUNDARY_RESOLUTION)
    points = np.column_stack([G1.ravel(), G2.ravel()])
    points.setflags(write=False)
    return points, (float(G1[0, 0]), float(G1[0, -1]), float(G2[0, 0]), float(G2[-1, 0]))


class ExplorerFigure:
    r"""The explorer's picture: the cost curve and the decision boundary (section 3.6).

    Left, the cost J of the whole training set before training and at the end
    of each epoch (:func:`nnlib.plotting.plot_cost`, which labels its axis
    for exactly that); right, the trained network's output :math:`g(z)` over
    the plane in steps of 0.05 (the output rounded to :data:`OUTPUT_DECIMALS`
    decimals), its 0.5 contour (the decision boundary) and the samples.
    After a divergent run each panel says so instead.

    The figure is built once; :meth:`show` redraws only what a new result
    changes (the cost panel, the shading, the boundary, the titles) over a
    saved background, which makes a redraw several times faster than drawing
    a new figure.  The live explorer and the precomputed one of the HTML book
    (:mod:`nnlib.explorer.static`) draw through this class, so they show the
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
        self._samples = scatter_classes(ax, np.empty((0, 2)), np.empty(0), CMAP, classes=(0, 1))
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        # Above the axes, so the legend never hides a data point.
        self._legend = legend_above(ax, ncol=2)
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
        _checks.instance(result, Result, "result", "nnlib.explorer.Result")
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
            plot_cost(h, ax=ax)
            ax.relim()
            ax.autoscale_view()
        else:
            ax.set_axis_off()
        ax.set_title(
            f"cost per epoch (\u03b7 = {s.lr:.3g}, batch {min(s.batch_size, len(result.y))})",
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
        output = np.round(output, OUTPUT_DECIMALS)  # the same picture on every processor
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
