r"""Figure 1 of the book: the network diagram, :func:`draw_network`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _checks
from ._shared import (
    EDGE,
    HIGHLIGHT,
    LABEL,
    LAYER_FILL,
    LIT_FILL,
    NEGATIVE,
    NODE,
    NODE_GAP,
    POSITIVE,
    RADIUS,
    SCRIPTED,
    SMALL,
    Array,
    Layout,
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

__all__ = ["draw_network"]


# --- validation, once, at the boundary ----------------------------------------------


def _weights(weights: object, sizes: tuple[int, ...]) -> dict[int, Array]:
    """``{k: W^(k)}`` with every key a layer ``1 .. L+1`` and every matrix ``(n_k, n_{k-1})``."""
    out = {}
    for k, W in _checks.mapping(weights, "weights", "k -> W^(k) (like net.W)").items():
        if not _checks.is_int(k) or not 1 <= k < len(sizes):
            raise ValueError(
                f"weights has key {k!r}; expected layer numbers k = 1 .. {len(sizes) - 1}"
            )
        shape = (sizes[k], sizes[k - 1])
        out[int(k)] = _checks.finite_array(W, f"weights[{k}]", shape, f"(n_{k}, n_{k - 1})")
    return out


def _highlight(
    highlight: object, sizes: tuple[int, ...]
) -> tuple[set[tuple[int, int, int]], set[tuple[int, int]]]:
    """``{"edges": [(k, i, j)], "nodes": [(k, i)]}`` as two sets of checked keys."""
    example = '{"edges": [(k, i, j)], "nodes": [(k, i)]}'
    highlight = _checks.mapping(highlight, "highlight", f"like {example}")
    unknown = set(highlight) - {"edges", "nodes"}
    if unknown:
        raise ValueError(
            f"highlight has unknown keys {sorted(map(str, unknown))}; expected 'edges' and/or 'nodes'"
        )
    edges = {
        _checks.network_edge(e, sizes, "highlight['edges']") for e in highlight.get("edges", ())
    }
    nodes = {
        _checks.network_node(v, sizes, "highlight['nodes']") for v in highlight.get("nodes", ())
    }
    return edges, nodes


def _drawn(lay: Layout, what: str, keys: Iterable[tuple[int, ...]], max_nodes: int) -> None:
    """Refuse text for a node (or an edge ending at a node) hidden by ``max_nodes``."""
    for key in keys:
        ends = [(key[0], key[1])] if len(key) == 2 else [(key[0], key[1]), (key[0] - 1, key[2])]
        for k, i in ends:
            if (k, i) not in lay.centre:
                raise ValueError(
                    f"{what} has key {key!r}, but node {i} of layer {k} is elided (the layer "
                    f"has {lay.sizes[k]} nodes, max_nodes={max_nodes}); raise max_nodes to show it"
                )


# --- drawing ------------------------------------------------------------------------


def _node_label(k: int, i: int, sizes: tuple[int, ...], output_label: str | None) -> str:
    """Mathtext for node ``i`` of layer ``k``: ``$x_1$``, ``$h^{(1)}_2$``, ``$h^{(2)}_1$``."""
    if k == 0:
        return f"$x_{sub(i)}$"
    if k == len(sizes) - 1 and sizes[-1] == 1 and output_label is not None:
        return output_label
    return f"$h^{{({k})}}_{sub(i)}$"


def _edge_style(
    key: tuple[int, int, int],
    W: Mapping[int, Array],
    w_max: float,
    hot: set[tuple[int, int, int]],
    lw: float,
) -> dict[str, Any]:
    """Colour, width, transparency and layer of the edge carrying W^(k)_ij."""
    k, i, j = key
    style = {"color": EDGE, "linewidth": lw, "alpha": 1.0, "zorder": 1}
    if k in W:
        w = W[k][i - 1, j - 1]
        style["color"] = POSITIVE if w >= 0 else NEGATIVE
        style["linewidth"] = 0.3 + 4.7 * abs(w) / w_max if w_max > 0 else 0.3
    if key in hot:
        style.update(color=HIGHLIGHT, linewidth=max(style["linewidth"], 3.0), zorder=2)
    elif hot:
        style["alpha"] = 0.35
    return style


def _draw_edges(
    ax: Axes, lay: Layout, W: Mapping[int, Array], hot: set[tuple[int, int, int]]
) -> None:
    """One line per drawn edge, node j of layer k-1 to node i of layer k (gid ``edge k i j``)."""
    from matplotlib.lines import Line2D

    sizes = lay.sizes
    n_edges = sum(sizes[k - 1] * sizes[k] for k in range(1, len(sizes)))
    plain_lw = 1.0 if n_edges <= 40 else 0.6
    w_max = max((float(np.max(np.abs(v))) for v in W.values()), default=0.0)
    for k in range(1, lay.n_layers):
        for i in lay.drawn(k):
            for j in lay.drawn(k - 1):
                start, end = trim(lay.centre[(k - 1, j)], lay.centre[(k, i)], RADIUS, RADIUS)
                line = Line2D(
                    [start[0], end[0]],
                    [start[1], end[1]],
                    solid_capstyle="round",
                    gid=f"edge {k} {i} {j}",
                    **_edge_style((k, i, j), W, w_max, hot, plain_lw),
                )
                ax.add_line(line)


def _draw_nodes(ax: Axes, lay: Layout, hot: set[tuple[int, int]], output_label: str | None) -> None:
    """Circles labelled in the paper's notation (gid ``node k i``), and ⋮ for elided nodes."""
    from matplotlib.patches import Circle

    last = lay.n_layers - 1
    for (k, i), (x, y) in lay.centre.items():
        kind = "input" if k == 0 else "output" if k == last else "hidden"
        lit = (k, i) in hot
        circle = Circle(
            (x, y),
            RADIUS,
            facecolor=LIT_FILL if lit else LAYER_FILL[kind],
            edgecolor=HIGHLIGHT if lit else "0.2",
            linewidth=2.5 if lit else 1.2,
            zorder=3,
            gid=f"node {k} {i}",
        )
        ax.add_patch(circle)
        label = _node_label(k, i, lay.sizes, output_label)
        ax.text(x, y, label, ha="center", va="center", fontsize=NODE, zorder=4)
    for x, y in lay.gaps:
        ax.text(x, y, r"$\vdots$", ha="center", va="center", fontsize=16, zorder=4)


def _draw_labels(
    ax: Axes,
    lay: Layout,
    input_labels: Sequence[str] | None,
    hidden_labels: Mapping[tuple[int, int], str],
) -> None:
    """Names: input features left of layer 0, meanings above hidden nodes."""
    for j, text in enumerate(input_labels or (), start=1):
        if (0, j) in lay.centre:
            x, y = lay.centre[(0, j)]
            ax.text(x - RADIUS - 0.12, y, text, ha="right", va="center", fontsize=LABEL)
    for (k, i), text in hidden_labels.items():
        x, y = lay.centre[(k, i)]
        ax.text(
            x,
            y + RADIUS + 0.06,
            text,
            ha="center",
            va="bottom",
            fontsize=SMALL,
            style="italic",
            zorder=5,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )


def _draw_values(
    ax: Axes,
    lay: Layout,
    node_text: Mapping[tuple[int, int], str],
    edge_text: Mapping[tuple[int, int, int], str],
) -> None:
    """Values under nodes (gid ``node-text k i``) and on edges (gid ``edge-text k i j``)."""
    for (k, i), text in node_text.items():
        x, y = lay.centre[(k, i)]
        size = SCRIPTED if "$" in text else SMALL
        value_text(ax, (x, y - RADIUS - 0.07), text, f"node-text {k} {i}", va="top", fontsize=size)
    fraction = {
        k: edge_text_fraction(
            [lay.centre[(k - 1, j)][1] for j in lay.drawn(k - 1)],
            [lay.centre[(k, i)][1] for i in lay.drawn(k)],
        )
        for k in {key[0] for key in edge_text}
    }
    for (k, i, j), text in edge_text.items():
        (x0, y0), (x1, y1), t = lay.centre[(k - 1, j)], lay.centre[(k, i)], fraction[k]
        xy = (x1 + t * (x0 - x1), y1 + t * (y0 - y1))
        size = SCRIPTED if "$" in text else SMALL  # scripts are drawn at 70 %
        value_text(ax, xy, text, f"edge-text {k} {i} {j}", zorder=5, fontsize=size)


def _draw_output_arrow(ax: Axes, xy: Point) -> None:
    r"""The prediction :math:`h(\bar x; W)` leaving the single output node."""
    x, y = xy
    ax.annotate(
        "",
        xy=(x + RADIUS + 0.45, y),
        xytext=(x + RADIUS, y),
        arrowprops={"arrowstyle": "-|>", "color": "0.2", "linewidth": 1.2},
    )
    ax.text(x + RADIUS + 0.52, y, r"$h(\bar{x}; W)$", ha="left", va="center", fontsize=LABEL)


def _draw_legend(ax: Axes) -> None:
    """What the colours and widths of weighted edges mean."""
    from matplotlib.lines import Line2D

    ax.legend(
        handles=[
            Line2D([], [], color=POSITIVE, linewidth=3, label="$W > 0$"),
            Line2D([], [], color=NEGATIVE, linewidth=3, label="$W < 0$"),
        ],
        loc="upper right",
        frameon=False,
        fontsize=SMALL,
        title="width: $|W|$",
        title_fontsize=SMALL,
    )


def _draw_captions(ax: Axes, lay: Layout, y: float) -> None:
    """'input layer k = 0', 'hidden layer k = 1', ... under each column, top at ``y``."""
    for k in range(lay.n_layers):
        text = caption(k, lay.n_layers)
        ax.text(lay.layer_x[k], y, text, ha="center", va="top", fontsize=LABEL, color="0.25")


def draw_network(
    sizes: Sequence[int],
    ax: Axes | None = None,
    input_labels: Sequence[str] | None = None,
    hidden_labels: Mapping[tuple[int, int], str] | None = None,
    output_label: str | None = None,
    highlight: Mapping[str, Iterable[tuple[int, ...]]] | None = None,
    weights: Mapping[int, Any] | None = None,
    title: str | None = None,
    max_nodes: int = 8,
    node_text: Mapping[tuple[int, int], str] | None = None,
    edge_text: Mapping[tuple[int, int, int], str] | None = None,
) -> Axes:
    r"""Draw a fully connected network in the paper's notation.

    Figure 1 of the book (section 1) is ``draw_network([4, 2, 1])``: inputs
    :math:`x_1 \dots x_4` in layer 0, hidden nodes :math:`h^{(1)}_1, h^{(1)}_2`
    in layer 1 and the output :math:`h^{(2)}_1 = g(z)` in layer :math:`L+1 = 2`,
    every node joined to every node of the next layer. Later chapters pass
    ``weights`` to show what a trained network learned, ``highlight`` to trace
    the path a chain-rule step follows (sections 3.2 to 3.5), and ``node_text``
    and ``edge_text`` to write the worked example's numbers on the figure.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths ``[n_0, n_1, ..., n_{L+1}]``, as for ``Network``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure sized to the network (one inch per unit of
        the layout) is made if omitted.
    input_labels : sequence of str, optional
        Text drawn left of each input node, e.g. the student feature names.
    hidden_labels : mapping (k, i) -> str, optional
        Text drawn above hidden node ``i`` of layer ``k`` (1-based ``i``), e.g.
        ``{(1, 1): "innate intelligence"}``.
    output_label : str, optional
        Text inside the single output node. By default it is labelled like the
        hidden nodes, with its layer number: the output of ``[4, 2, 1]`` is
        ``"$h^{(2)}_1$"`` (:math:`h^{(L+1)}_1`, the paper's :math:`g(z)`).
    highlight : mapping, optional
        ``{"edges": [(k, i, j), ...], "nodes": [(k, i), ...]}`` with the paper's
        1-based indices: edge ``(k, i, j)`` carries :math:`W^{(k)}_{ij}`, from
        node ``j`` of layer ``k-1`` to node ``i`` of layer ``k``. Highlighted
        edges and nodes are drawn thick and orange; other edges are dimmed.
    weights : mapping k -> array of shape (n_k, n_{k-1}), optional
        Weights such as ``net.W``. Each edge's width grows with
        :math:`|W^{(k)}_{ij}|` (scaled by the largest weight in the network);
        blue edges are positive, red negative.
    title : str, optional
        Title above the diagram.
    max_nodes : int, default 8
        A layer wider than this shows its first ``max_nodes - 2`` nodes, a
        vertical ellipsis and its last node.
    node_text : mapping (k, i) -> str, optional
        Values to write under node ``i`` of layer ``k`` (paper's indices: layer 0
        is the input, ``L+1`` the output), e.g. ``{(1, 2): "z=-1.50\nh=0.18"}``
        or ``{(2, 1): "δ=-0.062"}``: small type in a white box below the circle.
        The nodes are spaced further apart to make room.
    edge_text : mapping (k, i, j) -> str, optional
        Text on the edge carrying :math:`W^{(k)}_{ij}` (from node ``j`` of layer
        ``k-1`` to node ``i`` of layer ``k``), e.g. the weight or its gradient,
        in a white box 25 to 40 % of the way back from the target node (chosen
        per layer so that the labels of the edges into one layer stay apart).

    Returns
    -------
    matplotlib Axes
        Node circles carry the gid ``"node k i"`` and edge lines ``"edge k i j"``,
        so they can be found again (``artist.get_gid()``); the texts of
        ``node_text`` and ``edge_text`` carry ``"node-text k i"`` and
        ``"edge-text k i j"``.

    Raises
    ------
    ValueError
        A key of ``highlight``, ``weights``, ``node_text``, ``edge_text`` or
        ``hidden_labels`` that names no node or edge of the network (or text for
        a node elided by ``max_nodes``).
    TypeError
        An argument that is not a mapping, or a text that is not a ``str``.

    Examples
    --------
    >>> ax = draw_network([4, 2, 1])  # doctest: +SKIP
    >>> ax = draw_network([2, 2, 1], node_text={(1, 1): "z=0.50"},
    ...                   edge_text={(2, 1, 1): "1.5"})  # doctest: +SKIP
    """
    sizes = _checks.as_sizes(sizes)
    max_nodes = _checks.int_at_least(max_nodes, "max_nodes", 3)
    if input_labels is not None and len(input_labels) != sizes[0]:
        raise ValueError(
            f"input_labels has {len(input_labels)} entries; the input layer has n_0 = {sizes[0]}"
        )
    W = _weights(weights, sizes) if weights is not None else {}
    hot_edges, hot_nodes = _highlight(highlight, sizes) if highlight is not None else (set(), set())
    n_text = _checks.texts(
        node_text or {},
        "node_text",
        "(k, i) -> str",
        lambda key: _checks.network_node(key, sizes, "node_text"),
    )
    e_text = _checks.texts(
        edge_text or {},
        "edge_text",
        "(k, i, j) -> str",
        lambda key: _checks.network_edge(key, sizes, "edge_text"),
    )
    labels = _checks.texts(
        hidden_labels or {},
        "hidden_labels",
        "(k, i) -> str",
        lambda key: _checks.network_node(
            key, sizes, "hidden_labels", layers=(1, len(sizes) - 2), what="a hidden node"
        ),
    )

    extra_gap, below = text_gap(n_text.values())
    lay = layout(sizes, max_nodes, node_gap=NODE_GAP + extra_gap)
    _drawn(lay, "node_text", n_text, max_nodes)
    _drawn(lay, "edge_text", e_text, max_nodes)
    _drawn(lay, "hidden_labels", labels, max_nodes)

    half = lay.half_height + RADIUS
    bottom = -half - below  # lowest ink of the nodes and their values
    extent = (
        -(1.9 if input_labels is not None else 0.6),
        lay.layer_x[-1] + (2.1 if sizes[-1] == 1 else 0.9),
        bottom - 0.75,
        half + (0.45 if labels else 0.15),
    )
    ax = ax if ax is not None else new_axes(extent, title)
    _draw_edges(ax, lay, W, hot_edges)
    _draw_nodes(ax, lay, hot_nodes, output_label)
    _draw_labels(ax, lay, input_labels, labels)
    _draw_values(ax, lay, n_text, e_text)
    if sizes[-1] == 1:
        _draw_output_arrow(ax, lay.centre[(len(sizes) - 1, 1)])
    if W:
        _draw_legend(ax)
    _draw_captions(ax, lay, bottom - 0.15)
    return finish(ax, extent, title)
