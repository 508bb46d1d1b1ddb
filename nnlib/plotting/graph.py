r"""Chapter 3's computation graph: :func:`draw_computation_graph`.

Each node of the network is split into its elementary steps,
:math:`\Sigma \to z \to g \to h`, so that every partial derivative of sections
3.1 to 3.5 is one arrow read backwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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
    new_axes,
    sub,
    text_gap,
    trim,
    value_text,
)
from .graph_layout import (
    CAPTION_ROOM,
    LOSS_H,
    LOSS_W,
    MAX_ROW,
    NODE_GAP,
    STUB,
    TEXT,
    VAR_R,
    W_LABEL_AT,
    GraphKey,
    _Graph,
    _graph,
    _highlight,
    _label_width,
    _layer,
    _positions,
    _reach,
    _Rows,
    _start,
    _wrap,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["draw_computation_graph"]

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
