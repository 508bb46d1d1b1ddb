"""What the figures of :mod:`nnlib.plotting` share: colours, type sizes, the layered layout.

The network diagram and the computation graph are drawn in data units of one
inch: :func:`new_axes` makes a figure whose axes fill it, so a length of 1 is
1 inch of the saved picture, and the layout can reserve room for text of a
known size.

Type sizes follow one rule: the book shows a figure at most 690 CSS px wide
(its content column at a 1280 x 900 window) and at 100 dpi, so a figure ``w``
inches wide is shrunk by ``min(1, 6.9 / w)``; every glyph must still be at least
9 CSS px there (``tests/test_plotting.py`` measures the smallest glyph drawn).
Mathtext draws sub- and superscripts at 70 % of the text's size, so a size
``s`` with scripts has its smallest glyph at ``0.7 * s``: :data:`SMALL` = 10 pt
plain text is 13.9 px at 100 dpi, but ``$b^{(1)}_1$`` written at 10 pt has
7 pt scripts, 9.7 px; text with scripts is written at :data:`SCRIPTED`.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes

Array = np.ndarray
Point = tuple[float, float]

# Colours (matplotlib's default cycle) shared by the figures.
EDGE = "0.55"
POSITIVE = "tab:blue"
NEGATIVE = "tab:red"
HIGHLIGHT = "tab:orange"
LIT_FILL = "#ffe2b8"
LAYER_FILL = {"input": "#e8eef7", "hidden": "#eaf4e4", "output": "#fbeee0"}

#: Type sizes in points.  SMALL is the smallest text of any figure (values on
#: nodes and edges, legends); LABEL names things (captions, weights, features).
SMALL = 10.0
LABEL = 11.0
NODE = 13.0
#: Values and axis labels with sub- or superscripts ($b^{(1)}_1$, $g'(z)$): their
#: scripts are drawn at 70 %, 8.75 pt, 9.7 CSS px on a figure the page shrinks to 80 %.
SCRIPTED = 12.5

#: Geometry of the layered diagrams, in inches.
LAYER_GAP = 2.2
NODE_GAP = 0.95
RADIUS = 0.3
TEXT_LINE = 0.18  # height of one line of SMALL value text (10 pt x 1.15 line spacing + pad)
VALUE_BOX = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "0.8", "lw": 0.5}


@dataclass(frozen=True)
class Layout:
    """Where the nodes of a layered diagram go, in inches.

    Layer ``k`` is the column at ``layer_x[k]``; its drawn nodes are centred on
    ``y = 0``, node 1 on top, ``node_gap`` apart. ``shown[k]`` lists the 1-based
    node numbers drawn, with ``None`` where a wide layer is elided.
    """

    sizes: tuple[int, ...]
    shown: tuple[tuple[int | None, ...], ...]
    layer_x: tuple[float, ...]
    node_gap: float
    centre: Mapping[tuple[int, int], Point]
    gaps: tuple[Point, ...]

    @property
    def n_layers(self) -> int:
        """Number of layers, ``L + 2``."""
        return len(self.sizes)

    @property
    def half_height(self) -> float:
        """Distance from ``y = 0`` to the centre of the highest node."""
        return (max(len(nodes) for nodes in self.shown) - 1) / 2 * self.node_gap

    def drawn(self, k: int) -> list[int]:
        """The 1-based numbers of the nodes of layer ``k`` that are drawn."""
        return [i for i in self.shown[k] if i is not None]


def _shown_nodes(n: int, max_nodes: int) -> list[int | None]:
    """1-based node numbers to draw for a layer of ``n`` nodes; ``None`` is a gap."""
    if n <= max_nodes:
        return list(range(1, n + 1))
    return [*range(1, max_nodes - 1), None, n]


def layout(
    sizes: tuple[int, ...],
    max_nodes: int,
    node_gap: float = NODE_GAP,
    layer_x: Sequence[float] | None = None,
) -> Layout:
    """Node centres for layer widths ``sizes``: layer k at ``layer_x[k]`` (default ``k * gap``)."""
    shown = tuple(tuple(_shown_nodes(n, max_nodes)) for n in sizes)
    xs = tuple(layer_x) if layer_x is not None else tuple(k * LAYER_GAP for k in range(len(sizes)))
    centre: dict[tuple[int, int], Point] = {}
    gaps: list[Point] = []
    for k, nodes in enumerate(shown):
        top = (len(nodes) - 1) / 2 * node_gap
        for row, i in enumerate(nodes):
            xy = (xs[k], top - row * node_gap)
            if i is None:
                gaps.append(xy)
            else:
                centre[(k, i)] = xy
    return Layout(sizes, shown, xs, node_gap, centre, tuple(gaps))


def text_gap(texts: Iterable[str]) -> tuple[float, float]:
    """Extra node spacing and extra room under the lowest nodes for value texts."""
    lines = max((t.count("\n") + 1 for t in texts), default=0)
    if not lines:
        return 0.0, 0.0
    return 0.12 + TEXT_LINE * lines, 0.06 + TEXT_LINE * lines


def trim(start: Point, end: Point, r_start: float, r_end: float) -> tuple[Point, Point]:
    """The segment from ``start`` to ``end`` without the parts inside the two circles."""
    (x0, y0), (x1, y1) = start, end
    d = float(np.hypot(x1 - x0, y1 - y0))
    ux, uy = (x1 - x0) / d, (y1 - y0) / d
    return (x0 + ux * r_start, y0 + uy * r_start), (x1 - ux * r_end, y1 - uy * r_end)


def edge_text_fraction(
    ys_from: Sequence[float], ys_to: Sequence[float], within: tuple[float, float] = (0.25, 0.40)
) -> float:
    """Where along an edge (from the target end) to put its text, within 25 % to 40 %.

    Edges into one layer all cross the same vertical line at a given fraction, so
    the fraction is chosen to keep the labels' heights there as far apart as possible.
    """
    best, best_gap = within[0], -1.0
    for t in np.linspace(*within, 16):
        ys = np.sort([(1 - t) * b + t * a for a in ys_from for b in ys_to])
        gap = float(np.min(np.diff(ys))) if ys.size > 1 else np.inf
        if gap > best_gap + 1e-9:
            best, best_gap = float(t), gap
    return best


def value_text(ax: Axes, xy: Point, text: str, gid: str, **kwargs: Any) -> None:
    """Small type in a white box: a value under a node or on an edge."""
    options = {"ha": "center", "va": "center", "fontsize": SMALL, "zorder": 6, "linespacing": 1.15}
    ax.text(*xy, text, bbox=VALUE_BOX, gid=gid, **{**options, **kwargs})


def sub(i: int) -> str:
    """A mathtext subscript: ``2`` or ``{12}``."""
    return str(i) if i < 10 else f"{{{i}}}"


def caption(k: int, n_layers: int) -> str:
    """'input layer k = 0', 'hidden layer k = 1', 'output layer k = L+1 = 2'."""
    if k == 0:
        return "input layer\n$k = 0$"
    if k == n_layers - 1:
        return f"output layer\n$k = L+1 = {k}$"
    return f"hidden layer\n$k = {k}$"


def new_axes(extent: tuple[float, float, float, float], title: str | None) -> Axes:
    """A figure as large in inches as ``extent`` in data units, its axes filling it."""
    import matplotlib.pyplot as plt

    left, right, bottom, top = extent
    height = top - bottom
    title_room = 0.45 if title else 0.0
    fig = plt.figure(figsize=(right - left, height + title_room))
    return fig.add_axes((0.0, 0.0, 1.0, height / (height + title_room)))


def finish(ax: Axes, extent: tuple[float, float, float, float], title: str | None) -> Axes:
    """Fix the limits to ``extent`` = (left, right, bottom, top), equal aspect, no axes."""
    left, right, bottom, top = extent
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def scatter_classes(
    ax: Axes, X: Array, y: Array, cmap: str = "RdBu_r", classes: Sequence[Any] | None = None
) -> list[Any]:
    """The samples as one scatter per class: colour from ``cmap``, a marker each, a legend label.

    ``classes`` fixes the classes (and their order) to draw, e.g. ``(0, 1)`` for
    a figure that is redrawn with new data; by default the values found in
    ``y``.  Returns the scatters (``PathCollection``), labelled ``$y = c$``.
    Shared by :func:`plot_decision_boundary` and the explorer's figure.
    """
    import matplotlib as mpl

    values = list(np.unique(y)) if classes is None else list(classes)
    colours = mpl.colormaps[cmap](np.linspace(0.05, 0.95, max(len(values), 2)))
    markers = ["o", "s", "^", "D", "v", "P", "X"]
    scatters = []
    for c, (value, colour) in enumerate(zip(values, colours, strict=False)):
        pts = X[y == value] if len(y) else np.empty((0, 2))
        shown = f"{value:g}" if isinstance(value, numbers.Real) else str(value)
        scatters.append(
            ax.scatter(
                pts[:, 0],
                pts[:, 1],
                color=colour,
                marker=markers[c % len(markers)],
                edgecolors="k",
                linewidths=0.6,
                s=28,
                label=f"$y = {shown}$",
                zorder=3,
            )
        )
    return scatters


def legend_above(ax: Axes, ncol: int) -> Any:
    """The legend above the axes, in one row, where it never hides a data point."""
    return ax.legend(
        loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=ncol, frameon=False, fontsize=SMALL
    )
