r"""Chapter 3's computation graph: :func:`draw_computation_graph`.

Each node of the network is split into its elementary steps,
:math:`\Sigma \to z \to g \to h`, so that every partial derivative of sections
3.1 to 3.5 is one arrow read backwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from .. import _checks
from ._shared import (
    HIGHLIGHT,
    LABEL,
    LAYER_FILL,
    LIT_FILL,
    NODE,
    Point,
    caption,
    edge_text_fraction,
    finish,
    layout,
    new_axes,
    sub,
    text_gap,
    trim,
    value_text,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["draw_computation_graph"]

# Geometry of the computation graph, in inches.  A layer of the network takes
# W_GAP + 3 * CHAIN_STEP across; the nodes of one layer are NODE_GAP apart.
# [2, 2, 2, 1] would be 10.5 inches wide in one row: the book's page would show it
# at 65 %, its smallest glyphs (the subscripts of TEXT = 11 pt, drawn at 7.7 pt)
# 6.9 CSS px tall; it is drawn in two rows of at most MAX_ROW inches instead.
VAR_R = 0.26  # x, z, h, y: values
OP_R = 0.15  # Sigma and g: operations
CHAIN_STEP = 0.56  # Sigma -> z -> g -> h
W_GAP = 1.1  # h of layer k-1 -> Sigma of layer k (the weighted arrows)
NODE_GAP = 1.3
LOSS_GAP = 0.3  # h of the output -> the loss box
LOSS_W, LOSS_H = 0.95, 0.7
TEXT = LABEL  # values and weight names: a size larger than the diagrams' SMALL
W_LABEL_AT = (0.36, 0.46)  # where W^(k)_ij sits on its arrow, measured back from the sum
CHAIN = ("sum", "z", "g", "h")
STUB = 0.45  # length of an arrow whose source is left out (start=("sum", k))
# The widest row, in inches: the page shrinks a wider figure to 6.88 inches, and
# at 8 inches the smallest glyph (a subscript of TEXT, 0.7 * 11 pt) is still
# 0.7 * 11 * 100 / 72 * 6.88 / 8 = 9.2 CSS px.  A wider graph wraps into rows.
MAX_ROW = 8.0
CAPTION_ROOM = 1.05  # under a row: three lines of captions

GraphKey = tuple  # ("sum" | "z" | "g" | "h", k, i), ("h", 0, j) = ("x", j), ("loss",), ("y",)


@dataclass(frozen=True)
class _Graph:
    """The nodes of the computation graph and its edges, each edge keyed by name."""

    sizes: tuple[int, ...]
    nodes: tuple[GraphKey, ...]
    edges: Mapping[GraphKey, tuple[GraphKey, GraphKey]]
    start: tuple[str, int] = ("h", 0)

    @property
    def first(self) -> int:
        """The lowest layer whose nodes are drawn."""
        return self.start[1]

    def drawn(self, key: GraphKey) -> bool:
        """True for a node the figure draws: nothing left of ``start`` is drawn."""
        if len(key) < 3:
            return True  # the loss and the label
        kind, k = key[0], key[1]
        if self.start[0] == "h":
            return k > self.first or (k == self.first and kind == "h")
        return k >= self.first

    def stub(self, edge: GraphKey) -> bool:
        """True for a weight arrow drawn only as its head: its source is left out."""
        a, b = self.edges[edge]
        return not self.drawn(a) and self.drawn(b)

    def shown(self, edge: GraphKey) -> bool:
        """True for an arrow drawn whole, or as a stub (a weight into the first sums)."""
        a, b = self.edges[edge]
        return (self.drawn(a) and self.drawn(b)) or (edge[0] == "W" and self.drawn(b))

    def left_out(self, key: GraphKey, name: str) -> ValueError:
        """The error for a key of the graph that ``start`` leaves out of the figure."""
        kind, k = self.start
        where = f"the values h of layer {k}" if kind == "h" else f"the sums of layer {k}"
        return ValueError(
            f"{name} has key {key!r}, which is left out of the figure: it starts at {where} "
            f"(start={self.start!r}); pass a start further left to draw it"
        )

    def help(self, edges: bool) -> str:
        """The valid keys, in words, for error messages."""
        text = (
            f"expected ('sum' | 'z' | 'g' | 'h', k, i) with 1 <= k <= L+1 = {len(self.sizes) - 1}"
            " and 1 <= i <= n_k, ('h', 0, j) or ('x', j) for input j, ('loss',) or ('y',)"
        )
        if edges:
            text += (
                "; or an edge: ('W', k, i, j) from h^(k-1)_j to the sum of node i of layer k, "
                "or a pair (from_key, to_key) of nodes joined by an arrow"
            )
        return text

    def node(self, key: object, name: str) -> GraphKey:
        """``key`` as a node of the graph (``("x", j)`` is ``("h", 0, j)``), or a clear error."""
        norm = _normal(key)
        if norm not in self.nodes:
            raise ValueError(
                f"{name} has key {key!r}, which is not a node of the computation graph "
                f"of {list(self.sizes)}; {self.help(edges=False)}"
            )
        if not self.drawn(norm):
            raise self.left_out(key, name)
        return norm

    def weight(self, key: object, name: str) -> GraphKey:
        """``key`` as a weight arrow ``("W", k, i, j)`` whose label is drawn, or a clear error.

        ``(k, i, j)`` is accepted for ``("W", k, i, j)``, as in ``draw_network``.
        """
        norm = _normal(("W", *key) if isinstance(key, tuple) and len(key) == 3 else key)
        if norm not in self.edges or norm[0] != "W":
            raise ValueError(
                f"{name} has key {key!r}, which is not a weight arrow of the computation graph "
                f"of {list(self.sizes)}; expected ('W', k, i, j) (or (k, i, j)) with "
                f"1 <= k <= L+1 = {len(self.sizes) - 1}, 1 <= i <= n_k, 1 <= j <= n_(k-1)"
            )
        if not self.shown(norm) or self.stub(norm):
            raise self.left_out(key, name)
        return norm

    def part(self, key: object) -> tuple[bool, GraphKey]:
        """``(is_node, key)`` for a node or an edge of the graph, or a clear error."""
        norm = _normal(key)
        if norm in self.nodes:
            return True, self.node(norm, "highlight")
        named = [e for e, ends in self.edges.items() if ends == norm]  # ("W", k, i, j) by its ends
        if norm not in self.edges and not named:
            raise ValueError(
                f"highlight has {key!r}, which is not a node or an edge of the computation "
                f"graph of {list(self.sizes)}; {self.help(edges=True)}"
            )
        edge = norm if norm in self.edges else named[0]
        if not self.shown(edge):
            raise self.left_out(key, "highlight")
        return False, edge


def _start(start: object, sizes: tuple[int, ...]) -> tuple[str, int]:
    """``start`` as ``("h", k)`` with ``0 <= k <= L`` or ``("sum", k)`` with ``1 <= k <= L+1``."""
    last = len(sizes) - 1
    expected = (
        f"expected ('h', k) with 0 <= k <= L = {last - 1} (begin at the values of layer k; "
        f"('h', 0) is the whole graph) or ('sum', k) with 1 <= k <= L+1 = {last} "
        "(begin at the sums of layer k)"
    )
    if isinstance(start, list):
        start = tuple(start)
    if not isinstance(start, tuple):
        raise TypeError(f"start must be a pair (kind, k), got {type(start).__name__}; {expected}")
    if len(start) != 2 or not _checks.is_int(start[1]):
        raise ValueError(f"start is {start!r}; {expected}")
    kind = _checks.one_of(start[0], "start kind", ("h", "sum"))
    k = int(start[1])
    lo, hi = (0, last - 1) if kind == "h" else (1, last)
    if not lo <= k <= hi:
        raise ValueError(f"start is {start!r}, which is not a column of {list(sizes)}; {expected}")
    return kind, k


def _graph(sizes: tuple[int, ...], start: tuple[str, int] = ("h", 0)) -> _Graph:
    """Every node of the chain Sigma -> z -> g -> h per neuron, and every arrow."""
    last = len(sizes) - 1
    nodes: list[GraphKey] = [("h", 0, j) for j in range(1, sizes[0] + 1)]
    edges: dict[GraphKey, tuple[GraphKey, GraphKey]] = {}
    for k in range(1, last + 1):
        for i in range(1, sizes[k] + 1):
            chain = [(kind, k, i) for kind in CHAIN]
            nodes += chain
            for j in range(1, sizes[k - 1] + 1):
                edges[("W", k, i, j)] = (("h", k - 1, j), ("sum", k, i))
            edges.update({(a, b): (a, b) for a, b in pairwise(chain)})
    nodes += [("loss",), ("y",)]
    for i in range(1, sizes[-1] + 1):
        edges[(("h", last, i), ("loss",))] = (("h", last, i), ("loss",))
    edges[(("y",), ("loss",))] = (("y",), ("loss",))
    return _Graph(sizes, tuple(nodes), edges, start)


def _normal(key: object) -> object:
    """``("x", j)`` is ``("h", 0, j)``; integer-like indices become ``int``."""
    if not isinstance(key, tuple) or not key:
        return key
    if key[0] == "x" and len(key) == 2:
        key = ("h", 0, key[1])
    if isinstance(key[0], str) and all(map(_checks.is_int, key[1:])):
        return (key[0], *map(int, key[1:]))
    if len(key) == 2:  # a pair of node keys
        return (_normal(key[0]), _normal(key[1]))
    return key


def _highlight(highlight: object, graph: _Graph) -> tuple[set[GraphKey], set[GraphKey]]:
    """Split ``highlight`` into (node keys, edge keys), each checked against ``graph``."""
    if isinstance(highlight, (str, bytes, Mapping)) or not isinstance(highlight, Iterable):
        raise TypeError(
            "highlight must be a set of node and edge keys like "
            f"{{('z', 1, 1), ('W', 2, 1, 1)}}, got {type(highlight).__name__}"
        )
    parts = [graph.part(key) for key in highlight]
    return {key for is_node, key in parts if is_node}, {
        key for is_node, key in parts if not is_node
    }


def _label_width(labels: Iterable[str]) -> float:
    """A generous estimate, in inches, of the widest of ``labels`` written at TEXT points.

    A weight's name ``$W^{(k)}_{ij}$`` counts as five characters.
    """
    lines = [line for label in labels for line in label.split("\n")]
    chars = [len(line.replace("$W^{(", "").replace(")}_{", "").replace("}$", "")) for line in lines]
    return max(chars, default=0) * 0.56 * TEXT / 72


def _positions(
    graph: _Graph, node_gap: float, wide: Mapping[int, float] | None = None
) -> dict[GraphKey, Point]:
    """Centres in one row: one column per input, four per neuron (Sigma, z, g, h), the loss.

    ``wide[k]`` is the width of the widest label on the arrows into layer ``k``:
    the gap before that layer grows to hold it between the nodes.
    """
    sizes, last = graph.sizes, len(graph.sizes) - 1
    layer_x = [0.0]
    for k in range(1, last + 1):
        room = (wide or {}).get(k, 0.0) + 2 * (VAR_R + OP_R)
        layer_x.append(layer_x[-1] + max(W_GAP, room) + 3 * CHAIN_STEP)
    lay = layout(sizes, max(sizes), node_gap=node_gap, layer_x=layer_x)
    pos: dict[GraphKey, Point] = {}
    for (k, i), (x, y) in lay.centre.items():
        pos[("h", k, i)] = (x, y)
        if k:
            for back, kind in enumerate(("g", "z", "sum"), start=1):
                pos[(kind, k, i)] = (x - back * CHAIN_STEP, y)
    y_out = float(np.mean([lay.centre[(last, i)][1] for i in range(1, sizes[-1] + 1)]))
    x_loss = layer_x[-1] + VAR_R + LOSS_GAP + LOSS_W / 2
    pos[("loss",)] = (x_loss, y_out)
    pos[("y",)] = (x_loss, y_out - max(1.1, lay.half_height + 0.45))
    return pos


def _layer(key: GraphKey, last: int) -> int:
    """The layer a node belongs to; the loss and the label go with the output layer."""
    return key[1] if len(key) == 3 else last


@dataclass(frozen=True)
class _Rows:
    """Where the graph is drawn when one row would be too wide for the page.

    ``pos`` holds every node's centre after wrapping; ``rows`` the layers of
    each row; ``ghost`` the repeated ``h`` nodes that begin a row after the
    first (the values the row above ends with), with their centres.
    """

    pos: Mapping[GraphKey, Point]
    rows: tuple[tuple[int, ...], ...]
    ghost: Mapping[GraphKey, Point]

    def source(self, edge: tuple[GraphKey, GraphKey]) -> Point:
        """Where an arrow starts: at the repeated node when its source ends the row above."""
        a, b = edge
        return self.ghost[a] if a in self.ghost and b[1] == a[1] + 1 else self.pos[a]


def _wrap(graph: _Graph, pos: dict[GraphKey, Point], left: float, row_step: float) -> _Rows:
    """Break the graph into rows no wider than MAX_ROW inches, after a layer's h column.

    A row after the first begins with the ``h`` nodes of the layer the row
    above ends with, drawn again (dashed) at the left edge.
    """
    last = len(graph.sizes) - 1
    right = pos[("loss",)][0] + LOSS_W / 2 + 0.15
    layers = list(range(graph.first, last + 1))
    rows: list[list[int]] = [[]]
    row_left = left
    for k in layers:
        end = right if k == last else pos[("h", k, 1)][0] + VAR_R + 0.19
        if rows[-1] and end - row_left > MAX_ROW:
            rows.append([])
            row_left = pos[("h", k - 1, 1)][0] - VAR_R - 0.19
        rows[-1].append(k)
    shift = {}
    ghost: dict[GraphKey, Point] = {}
    for r, row in enumerate(rows):
        if r == 0:
            dx = 0.0
        else:
            m = row[0] - 1
            dx = pos[("h", m, 1)][0] - (left + 0.19 + VAR_R)
            for i in range(1, graph.sizes[m] + 1):
                x, y = pos[("h", m, i)]
                ghost[("h", m, i)] = (x - dx, y - r * row_step)
        for k in row:
            shift[k] = (dx, r * row_step)
    moved = {}
    for key, (x, y) in pos.items():
        dx, dy = shift.get(_layer(key, last), (0.0, 0.0))
        moved[key] = (x - dx, y - dy)
    return _Rows(moved, tuple(map(tuple, rows)), ghost)


def _reach(key: GraphKey, direction: Point) -> float:
    """Distance from a node's centre to its outline along the unit vector ``direction``."""
    if key == ("loss",):
        ux, uy = abs(direction[0]), abs(direction[1])
        return min(LOSS_W / 2 / ux if ux else np.inf, LOSS_H / 2 / uy if uy else np.inf)
    return OP_R if key[0] in ("sum", "g") else VAR_R


def _label(key: GraphKey, sizes: tuple[int, ...]) -> str:
    """Mathtext for a node: ``$x_1$``, ``$\\Sigma$``, ``$z^{(1)}_2$``, ``$g$``, ``Loss``."""
    if key == ("loss",):
        if sizes[-1] == 1:
            return "$\\mathrm{Loss}$\n$(g(z),\\, y)$"
        return f"$\\mathrm{{Loss}}$\n$(h^{{({len(sizes) - 1})}},\\, y)$"
    if key == ("y",):
        return "$y$"
    kind, k, i = key
    if kind == "h" and k == 0:
        return f"$x_{sub(i)}$"
    return {"sum": r"$\Sigma$", "g": "$g$"}.get(kind, f"${kind}^{{({k})}}_{sub(i)}$")


def _w_label(k: int, i: int, j: int) -> str:
    ij = f"{i}{j}" if i < 10 and j < 10 else f"{i},{j}"
    return f"$W^{{({k})}}_{{{ij}}}$"


def _fill(key: GraphKey, last: int) -> str:
    if key == ("y",) or (key[0] == "h" and key[1] == 0):
        return LAYER_FILL["input"]
    if key[0] in ("sum", "g"):
        return "white"
    return LAYER_FILL["output" if key == ("loss",) or key[1] == last else "hidden"]


def _name(key: GraphKey) -> str:
    """``("z", 1, 2)`` -> ``"z 1 2"``, the form used in gids."""
    return " ".join(map(str, key))


def _draw_nodes(ax: Axes, graph: _Graph, rows: _Rows, hot: set[GraphKey]) -> None:
    """Circles for values and operations, a box for the loss (gid ``node <key>``).

    A node repeated at the start of a row is dashed (gid ``copy <key>``).
    """
    from matplotlib.patches import Circle, FancyBboxPatch

    last, pos = len(graph.sizes) - 1, rows.pos
    for key, (x, y) in rows.ghost.items():
        lit = key in hot
        ax.add_patch(
            Circle(
                (x, y),
                VAR_R,
                facecolor=LIT_FILL if lit else _fill(key, last),
                edgecolor=HIGHLIGHT if lit else "0.2",
                linewidth=2.5 if lit else 1.1,
                linestyle="--",
                zorder=3,
                gid=f"copy {_name(key)}",
            )
        )
        label = _label(key, graph.sizes)
        ax.text(x, y, label, ha="center", va="center", fontsize=NODE - 0.5, zorder=4)
    for key in filter(graph.drawn, graph.nodes):
        (x, y), lit = pos[key], key in hot
        style = {
            "facecolor": LIT_FILL if lit else _fill(key, last),
            "edgecolor": HIGHLIGHT if lit else "0.2",
            "linewidth": 2.5 if lit else 1.1,
            "zorder": 3,
            "gid": f"node {_name(key)}",
        }
        if key == ("loss",):
            corner = (x - LOSS_W / 2, y - LOSS_H / 2)
            patch = FancyBboxPatch(corner, LOSS_W, LOSS_H, boxstyle="round,pad=0.02", **style)
        else:
            patch = Circle((x, y), _reach(key, (1.0, 0.0)), **style)
        ax.add_patch(patch)
        size = NODE if key[0] in ("sum", "g") else NODE - 0.5
        label = _label(key, graph.sizes)
        ax.text(x, y, label, ha="center", va="center", fontsize=size, zorder=4, linespacing=1.4)


def _draw_edges(ax: Axes, graph: _Graph, rows: _Rows, hot: set[GraphKey]) -> None:
    """An arrow per edge, gid ``edge W k i j`` (a weight) or ``edge <from> -> <to>``."""
    from matplotlib.patches import FancyArrowPatch

    for name, (a, b) in graph.edges.items():
        if not graph.shown(name):
            continue
        (x0, y0), (x1, y1) = rows.source((a, b)), rows.pos[b]
        d = float(np.hypot(x1 - x0, y1 - y0))
        u = ((x1 - x0) / d, (y1 - y0) / d)
        start, end = trim((x0, y0), (x1, y1), _reach(a, u), _reach(b, u))
        if graph.stub(name):  # only the last STUB inches: the source is not drawn
            start = (end[0] - STUB * u[0], end[1] - STUB * u[1])
        lit = name in hot
        gid = _name(name) if name[0] == "W" else f"{_name(a)} -> {_name(b)}"
        arrow = FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=11,
            shrinkA=0,
            shrinkB=0,
            color=HIGHLIGHT if lit else "0.35",
            linewidth=2.6 if lit else 1.0,
            alpha=0.35 if hot and not lit else 1.0,
            zorder=2 if lit else 1,
            gid=f"edge {gid}",
        )
        ax.add_patch(arrow)


def _edge_label(name: str, text: str | None, names: bool) -> str | None:
    """The weight's name, its ``edge_text`` under it (or after it, from ``=`` on), or either."""
    if text is None:
        return name if names else None
    if not names:
        return text
    return f"{name} {text}" if text.startswith("=") else f"{name}\n{text}"


def _draw_weight_labels(
    ax: Axes,
    graph: _Graph,
    rows: _Rows,
    edge_text: Mapping[GraphKey, str],
    names: bool,
) -> None:
    """$W^{(k)}_{ij}$ and its ``edge_text`` on each weighted arrow, near its sum.

    The text's gid is ``edge-label W k i j``; arrows drawn as stubs carry none.
    """
    start = graph.first + 1  # the arrows into layer `first` are stubs or not drawn
    for k in range(start, len(graph.sizes)):
        sources = [
            rows.source((("h", k - 1, j), ("sum", k, 1))) for j in range(1, graph.sizes[k - 1] + 1)
        ]
        targets = [rows.pos[("sum", k, i)] for i in range(1, graph.sizes[k] + 1)]
        t = edge_text_fraction([y for _, y in sources], [y for _, y in targets], W_LABEL_AT)
        for i, (x1, y1) in enumerate(targets, start=1):
            for j, (x0, y0) in enumerate(sources, start=1):
                label = _edge_label(_w_label(k, i, j), edge_text.get(("W", k, i, j)), names)
                if label is None:
                    continue
                xy = (x1 + t * (x0 - x1), y1 + t * (y0 - y1))
                gid = f"edge-label W {k} {i} {j}"
                value_text(ax, xy, label, gid, zorder=5, fontsize=TEXT)


def _above(key: GraphKey) -> bool:
    """Where a node's value goes: above operations and the loss, below values."""
    return key == ("loss",) or key[0] in ("sum", "g")


def _draw_text(ax: Axes, pos: Mapping[GraphKey, Point], node_text: Mapping[GraphKey, str]) -> None:
    """Values under x, z, h and y; above Sigma, g and the loss (so neighbours never touch)."""
    for key, text in node_text.items():
        (x, y), gid = pos[key], f"node-text {_name(key)}"
        reach = _reach(key, (0.0, 1.0)) + 0.07
        if _above(key):
            value_text(ax, (x, y + reach), text, gid, va="bottom", fontsize=TEXT)
        else:
            value_text(ax, (x, y - reach), text, gid, va="top", fontsize=TEXT)


def _draw_captions(ax: Axes, graph: _Graph, rows: _Rows, bottoms: Sequence[float]) -> None:
    """Layer names under each group of columns, and what z and g(z) mean at the output.

    Each row's captions go under its lowest node or value (``bottoms[r]``);
    a node repeated from the row above says so.
    """
    last, pos = len(graph.sizes) - 1, rows.pos
    style = {"ha": "center", "va": "top", "fontsize": LABEL, "color": "0.25"}
    for r, row in enumerate(rows.rows):
        y = bottoms[r] - 0.12
        for k in row:
            whole = k > 0 and graph.drawn(("sum", k, 1))
            xs = [pos[("sum", k, 1)][0], pos[("h", k, 1)][0]] if whole else [pos[("h", k, 1)][0]]
            text = caption(k, last + 1)
            if k == last and graph.sizes[-1] == 1:
                text += f"\n$z = z^{{({k})}}_1,\\ g(z) = h^{{({k})}}_1$"
            ax.text(float(np.mean(xs)), y, text, **style)
        if r:
            x = rows.ghost[("h", row[0] - 1, 1)][0]
            ax.text(x, y, f"layer {row[0] - 1},\nfrom the\nrow above", **style)


def draw_computation_graph(
    sizes: Sequence[int] = (2, 2, 1),
    ax: Axes | None = None,
    node_text: Mapping[GraphKey, str] | None = None,
    highlight: Iterable[GraphKey] | None = None,
    title: str | None = None,
    *,
    start: tuple[str, int] | None = None,
    edge_text: Mapping[GraphKey, str] | None = None,
    weight_names: bool = True,
) -> Axes:
    r"""Draw the network as the chain of elementary steps that backpropagation walks back.

    The figure of chapter 3: each input :math:`x_j` is a node; each node ``i``
    of layer :math:`k \ge 1` becomes the chain
    :math:`\Sigma \to z^{(k)}_i \to g \to h^{(k)}_i`, the sum receiving one
    arrow labelled :math:`W^{(k)}_{ij}` from every :math:`h^{(k-1)}_j` (eq.
    ``forward-z``: :math:`z^{(k)}_i = \sum_j W^{(k)}_{ij} h^{(k-1)}_j`, and
    :math:`h^{(k)}_i = g(z^{(k)}_i)`). The output :math:`h^{(L+1)}_1 = g(z)` and
    the label :math:`y` feed the loss :math:`\text{Loss}(g(z), y)`. Every
    partial derivative of sections 3.1 to 3.5 is one arrow of this graph read
    backwards.

    Parameters
    ----------
    sizes : sequence of int, default (2, 2, 1)
        Layer widths ``[n_0, n_1, ..., n_{L+1}]``, as for ``Network``. Every
        node is drawn (no elision), so keep it small. A graph wider than
        ``MAX_ROW`` = 8 inches (``[2, 2, 2, 1]`` is 10.5) wraps into rows, each
        row after the first beginning with the ``h`` nodes the row above ends
        with, drawn again dashed: the page never shrinks its subscripts below
        9 CSS px.
    ax : matplotlib Axes, optional
        Where to draw; a new figure sized to the graph (one inch per unit of
        the layout) is made if omitted.
    node_text : mapping key -> str, optional
        Values written under nodes (above the loss box). Keys:
        ``("z", k, i)``, ``("h", k, i)``, ``("sum", k, i)``, ``("g", k, i)``
        for ``1 <= k <= L+1``; ``("h", 0, j)`` or ``("x", j)`` for input ``j``;
        ``("loss",)`` and ``("y",)``. E.g. ``{("z", 1, 1): "z=-1.50",
        ("g", 1, 1): "g'=0.15", ("loss",): "0.51"}``.
    highlight : iterable of keys, optional
        Nodes (keys as for ``node_text``) and edges to draw thick and orange,
        other edges dimmed: ``("W", k, i, j)`` is the arrow carrying
        :math:`W^{(k)}_{ij}` from :math:`h^{(k-1)}_j` to the sum of node ``i``
        of layer ``k``; any other arrow is the pair of its end nodes, e.g.
        ``(("z", 2, 1), ("g", 2, 1))`` or ``(("h", 2, 1), ("loss",))``.
    title : str, optional
        Title above the graph.
    start : ("h", k) or ("sum", k), optional
        Draw only the part of the graph a section is about, from this column
        to the loss; by default the whole graph (``("h", 0)``, the inputs).
        ``("h", k)`` with ``0 <= k <= L`` begins at the values
        :math:`h^{(k)}` of layer ``k`` (drawn without what feeds them), e.g.
        ``("h", L)`` for the output node and the weights into it;
        ``("sum", k)`` with ``1 <= k <= L+1`` begins at the sums of layer
        ``k``, whose incoming weight arrows are drawn as short unlabelled
        stubs. The figure is sized to what is drawn; the layers drawn keep
        their captions. Keys of ``node_text``, ``highlight`` and
        ``edge_text`` must be drawn.
    edge_text : mapping ("W", k, i, j) -> str, optional
        Text for the arrow carrying :math:`W^{(k)}_{ij}` (``(k, i, j)`` is
        accepted as in ``draw_network``), e.g. a gradient
        ``{("W", 2, 1, 1): "∂Loss/∂W = -0.258"}``. It goes on a line under
        the weight's name, or after it on the same line when it starts with
        ``"="`` (``"= +2.0"`` gives :math:`W^{(2)}_{11}` = +2.0).
    weight_names : bool, default True
        Write :math:`W^{(k)}_{ij}` on every weight arrow. With ``False`` only
        the arrows in ``edge_text`` carry a label: their text alone.

    Returns
    -------
    matplotlib Axes
        Node patches carry the gid ``"node <key>"`` (``"node z 1 2"``,
        ``"node loss"``), arrows ``"edge W k i j"`` or ``"edge <from> -> <to>"``
        (``"edge z 1 2 -> g 1 2"``), the weight labels ``"edge-label W k i j"``
        and the ``node_text`` texts ``"node-text <key>"``.

    Raises
    ------
    ValueError
        A key of ``node_text``, ``highlight`` or ``edge_text`` that is not in
        the graph (the message lists the valid keys) or that ``start`` leaves
        out; a ``start`` that is not a column of the graph.
    TypeError
        ``node_text`` or ``edge_text`` that is not a mapping of str,
        ``highlight`` that is not a collection of keys, ``start`` that is not
        a pair, ``weight_names`` that is not a bool.

    Examples
    --------
    >>> ax = draw_computation_graph((2, 2, 1), highlight={("W", 2, 1, 1)})  # doctest: +SKIP
    >>> ax = draw_computation_graph(  # the output node and the weights into it
    ...     (2, 2, 1), start=("h", 1), edge_text={("W", 2, 1, 1): "= 0.5"}
    ... )  # doctest: +SKIP
    """
    sizes = _checks.as_sizes(sizes)
    graph = _graph(sizes, _start(start, sizes) if start is not None else ("h", 0))
    example = "like {('z', 1, 1): 'z=0.5', ('loss',): '0.31'}"
    texts = _checks.texts(
        node_text or {}, "node_text", example, lambda key: graph.node(key, "node_text")
    )
    on_edges = _checks.texts(
        edge_text or {},
        "edge_text",
        "like {('W', 2, 1, 1): '∂Loss/∂W = -0.26'}",
        lambda key: graph.weight(key, "edge_text"),
    )
    names = _checks.instance(weight_names, bool, "weight_names", "instance of bool (True or False)")
    hot_nodes, hot_edges = _highlight(highlight, graph) if highlight is not None else (set(), set())

    above = {key: t for key, t in texts.items() if _above(key)}
    gap_above, _ = text_gap(above.values())
    gap_below, _ = text_gap(t for key, t in texts.items() if key not in above)
    wide = {
        k: _label_width(
            _edge_label(_w_label(*key[1:]), text, names) or ""
            for key, text in on_edges.items()
            if key[1] == k
        )
        for k in {key[1] for key in on_edges}
    }
    pos = _positions(graph, NODE_GAP + max(gap_above, gap_below), wide)
    last = len(sizes) - 1

    def low(key: GraphKey, xy: Point) -> float:
        """The bottom of a node, or of the value written under it."""
        return xy[1] - _reach(key, (0.0, 1.0)) - (text_gap([texts[key]])[1] if key in texts else 0)

    def high(key: GraphKey, xy: Point) -> float:
        """The top of a node, or of the value written above it."""
        return xy[1] + _reach(key, (0.0, 1.0)) + (text_gap([texts[key]])[1] if key in above else 0)

    drawn = [key for key in pos if graph.drawn(key)]
    left = min(pos[key][0] - _reach(key, (1.0, 0.0)) for key in drawn) - 0.19
    if graph.start[0] == "sum":
        left -= STUB
    if pos[("loss",)][0] + LOSS_W / 2 + 0.15 - left > MAX_ROW:
        chain = [key for key in drawn if len(key) == 3]  # a row of layers: no loss, no y
        row_step = max(high(key, pos[key]) for key in chain) - min(
            low(key, pos[key]) for key in chain
        )
        rows = _wrap(graph, pos, left, row_step + CAPTION_ROOM + 0.1)
    else:
        rows = _Rows(pos, (tuple(range(graph.first, last + 1)),), {})
    pos = rows.pos
    row_of = {k: r for r, row in enumerate(rows.rows) for k in row}
    bottoms = [
        min(
            [low(key, pos[key]) for key in drawn if row_of[_layer(key, last)] == r]
            + [y - VAR_R for key, (_, y) in rows.ghost.items() if row_of[key[1] + 1] == r]
        )
        for r in range(len(rows.rows))
    ]
    right = max(
        pos[("loss",)][0] + LOSS_W / 2 + 0.15,
        *(pos[key][0] + _reach(key, (1.0, 0.0)) + 0.19 for key in drawn),
    )
    top = max(high(key, pos[key]) for key in drawn) + 0.15
    extent = (left, right, bottoms[-1] - CAPTION_ROOM, top)
    ax = ax if ax is not None else new_axes(extent, title)
    _draw_edges(ax, graph, rows, hot_edges)
    _draw_weight_labels(ax, graph, rows, on_edges, names)
    _draw_nodes(ax, graph, rows, hot_nodes)
    _draw_text(ax, pos, texts)
    _draw_captions(ax, graph, rows, bottoms)
    return finish(ax, extent, title)
