r"""The computation graph's model and geometry, for :func:`nnlib.plotting.draw_computation_graph`.

Which nodes and arrows the graph of a network has (:class:`_Graph`), where each is
placed, and how a graph too wide for the page is wrapped into rows.  The drawing
itself is in :mod:`nnlib.plotting.graph`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from .. import _checks
from ._shared import (
    LABEL,
    Point,
    layout,
)

if TYPE_CHECKING:
    pass

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
