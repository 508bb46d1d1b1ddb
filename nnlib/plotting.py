r"""Pictures for the book: the network diagram, loss curves, decision boundaries.

* :func:`draw_network` -- Figure 1 of the book (section 1), for any layer list,
  optionally with edges drawn by weight, a chain-rule path highlighted, or
  values written on its nodes and edges.
* :func:`draw_computation_graph` -- the network as the chain of elementary steps
  (:math:`\Sigma \to z \to g \to h`, then the loss) that backpropagation walks back
  (section 3).
* :func:`plot_loss` -- the cost :math:`J` of the training set after each epoch
  of a training run (section 3).
* :func:`plot_decision_boundary` -- what a trained two-input network predicts
  over the plane.
* :func:`plot_activations` -- thresholding functions g and their derivatives g'
  side by side (section 2: why the threshold must be smooth).

matplotlib is imported inside the functions, so ``import nnlib`` stays light.
Every function draws on the ``ax`` it is given (or on a new figure) and returns
that Axes; nothing here is random and nothing is printed.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np

from ._checks import as_sizes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

Array = np.ndarray
Point = tuple[float, float]

__all__ = [
    "draw_computation_graph",
    "draw_network",
    "plot_activations",
    "plot_decision_boundary",
    "plot_loss",
]

# Colours (matplotlib's default cycle) shared by the figures.
_EDGE = "0.55"
_POSITIVE = "tab:blue"
_NEGATIVE = "tab:red"
_HIGHLIGHT = "tab:orange"
_LAYER_FILL = {"input": "#e8eef7", "hidden": "#eaf4e4", "output": "#fbeee0"}

# Geometry of the network diagram, in data units (1 unit is drawn as 1 inch).
_LAYER_GAP = 2.2
_NODE_GAP = 0.95
_RADIUS = 0.3
_TEXT_LINE = 0.16  # height of one line of 9-point value text
_VALUE_BOX = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "0.8", "lw": 0.5}


# --- layout shared by the network figures ------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """Where the nodes of a layered diagram go, in data units (1 unit is 1 inch).

    Layer ``k`` is the column at ``layer_x[k]``; its drawn nodes are centred on
    ``y = 0``, node 1 on top, ``node_gap`` apart. ``shown[k]`` lists the 1-based
    node numbers drawn, with ``None`` where a wide layer is elided.
    """

    sizes: tuple[int, ...]
    shown: tuple[tuple[int | None, ...], ...]
    layer_x: tuple[float, ...]
    node_gap: float
    centre: Mapping[tuple[int, int], tuple[float, float]]
    gaps: tuple[tuple[float, float], ...]

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
    head = max_nodes - 2
    return [*range(1, head + 1), None, n]


def _layout(
    sizes: tuple[int, ...],
    max_nodes: int,
    node_gap: float = _NODE_GAP,
    layer_x: Sequence[float] | None = None,
) -> _Layout:
    """Node centres for layer widths ``sizes``: layer k at ``layer_x[k]`` (default ``k * gap``)."""
    shown = tuple(tuple(_shown_nodes(n, max_nodes)) for n in sizes)
    xs = tuple(layer_x) if layer_x is not None else tuple(k * _LAYER_GAP for k in range(len(sizes)))
    centre: dict[tuple[int, int], tuple[float, float]] = {}
    gaps: list[tuple[float, float]] = []
    for k, nodes in enumerate(shown):
        top = (len(nodes) - 1) / 2 * node_gap
        for row, i in enumerate(nodes):
            xy = (xs[k], top - row * node_gap)
            if i is None:
                gaps.append(xy)
            else:
                centre[(k, i)] = xy
    return _Layout(sizes, shown, xs, node_gap, centre, tuple(gaps))


def _text_gap(texts: Iterable[str]) -> tuple[float, float]:
    """Extra node spacing and extra room under the lowest nodes for value texts."""
    lines = max((t.count("\n") + 1 for t in texts), default=0)
    if not lines:
        return 0.0, 0.0
    return 0.12 + _TEXT_LINE * lines, 0.06 + _TEXT_LINE * lines


def _trim(start: Point, end: Point, r_start: float, r_end: float) -> tuple[Point, Point]:
    """The segment from ``start`` to ``end`` without the parts inside the two circles."""
    (x0, y0), (x1, y1) = start, end
    d = float(np.hypot(x1 - x0, y1 - y0))
    ux, uy = (x1 - x0) / d, (y1 - y0) / d
    return (x0 + ux * r_start, y0 + uy * r_start), (x1 - ux * r_end, y1 - uy * r_end)


def _edge_text_fraction(ys_from: Sequence[float], ys_to: Sequence[float]) -> float:
    """Where along an edge (from the target end) to put its text, between 25 % and 40 %.

    Edges into one layer all cross the same vertical line at a given fraction, so
    the fraction is chosen to keep the labels' heights there as far apart as possible.
    """
    best, best_gap = 0.35, -1.0
    for t in np.linspace(0.25, 0.40, 16):
        ys = np.sort([(1 - t) * b + t * a for a in ys_from for b in ys_to])
        gap = float(np.min(np.diff(ys))) if ys.size > 1 else np.inf
        if gap > best_gap + 1e-9:
            best, best_gap = float(t), gap
    return best


def _value_text(ax: Axes, xy: Point, text: str, gid: str, **kwargs: Any) -> None:
    """Small type in a white box: a value under a node or on an edge."""
    options = {"ha": "center", "va": "center", "fontsize": 9, "zorder": 6, "linespacing": 1.15}
    ax.text(*xy, text, bbox=_VALUE_BOX, gid=gid, **{**options, **kwargs})


def _finish(ax: Axes, extent: tuple[float, float, float, float], title: str | None) -> Axes:
    """Fix the limits to ``extent`` = (left, right, bottom, top), equal aspect, no axes."""
    left, right, bottom, top = extent
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def _new_axes(extent: tuple[float, float, float, float], title: str | None) -> Axes:
    """A figure whose size in inches is the extent in data units."""
    import matplotlib.pyplot as plt

    left, right, bottom, top = extent
    _, ax = plt.subplots(figsize=(right - left, top - bottom + (0.4 if title else 0.0)))
    return ax


def _is_int(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, numbers.Integral)


# --- Figure 1: the network: validation ----------------------------------------------


def _check_max_nodes(max_nodes: object) -> int:
    if not _is_int(max_nodes) or max_nodes < 3:
        raise ValueError(f"max_nodes must be an integer >= 3, got {max_nodes!r}")
    return int(max_nodes)


def _check_weights(weights: Mapping[int, Any], sizes: tuple[int, ...]) -> dict[int, Array]:
    if not isinstance(weights, Mapping):
        raise TypeError(
            f"weights must be a mapping k -> W^(k) (like net.W), got {type(weights).__name__}"
        )
    out = {}
    for k, W in weights.items():
        if not _is_int(k) or not 1 <= k < len(sizes):
            raise ValueError(
                f"weights has key {k!r}; expected layer numbers k = 1 .. {len(sizes) - 1}"
            )
        expected = (sizes[k], sizes[k - 1])
        arr = np.asarray(W, dtype=np.float64)
        if arr.shape != expected:
            raise ValueError(
                f"weights[{k}] has shape {arr.shape}; W^({k}) must have shape "
                f"(n_{k}, n_{k - 1}) = {expected}"
            )
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"weights[{k}] contains NaN or infinite values")
        out[int(k)] = arr
    return out


def _check_highlight(
    highlight: Mapping[str, Iterable[tuple[int, ...]]], sizes: tuple[int, ...]
) -> tuple[set[tuple[int, int, int]], set[tuple[int, int]]]:
    if not isinstance(highlight, Mapping):
        raise TypeError(
            'highlight must be a mapping like {"edges": [(k, i, j)], "nodes": [(k, i)]}, '
            f"got {type(highlight).__name__}"
        )
    unknown = set(highlight) - {"edges", "nodes"}
    if unknown:
        raise ValueError(
            f"highlight has unknown keys {sorted(map(str, unknown))}; expected 'edges' and/or 'nodes'"
        )
    edges, nodes = set(), set()
    for k, i, j in (tuple(e) for e in highlight.get("edges", ())):
        if not 1 <= k < len(sizes) or not 1 <= i <= sizes[k] or not 1 <= j <= sizes[k - 1]:
            raise ValueError(
                f"highlighted edge (k={k}, i={i}, j={j}) is not in the network {list(sizes)}; "
                "expected 1 <= k <= L+1, 1 <= i <= n_k, 1 <= j <= n_{k-1} (edge W^(k)_ij)"
            )
        edges.add((int(k), int(i), int(j)))
    for k, i in (tuple(v) for v in highlight.get("nodes", ())):
        if not 0 <= k < len(sizes) or not 1 <= i <= sizes[k]:
            raise ValueError(
                f"highlighted node (k={k}, i={i}) is not in the network {list(sizes)}; "
                "expected 0 <= k <= L+1 and 1 <= i <= n_k"
            )
        nodes.add((int(k), int(i)))
    return edges, nodes


def _check_node_text(
    node_text: Mapping[tuple[int, int], str], sizes: tuple[int, ...]
) -> dict[tuple[int, int], str]:
    """Validate ``{(k, i): text}``: layer ``0 <= k <= L+1``, node ``1 <= i <= n_k``."""
    if not isinstance(node_text, Mapping):
        raise TypeError(
            f"node_text must be a mapping (k, i) -> str, got {type(node_text).__name__}"
        )
    out = {}
    for key, text in node_text.items():
        ok = isinstance(key, tuple) and len(key) == 2 and all(map(_is_int, key))
        if not ok or not 0 <= key[0] < len(sizes) or not 1 <= key[1] <= sizes[key[0]]:
            raise ValueError(
                f"node_text has key {key!r}, which is not a node of the network {list(sizes)}; "
                f"expected (k, i) with 0 <= k <= L+1 = {len(sizes) - 1} and 1 <= i <= n_k"
            )
        out[(int(key[0]), int(key[1]))] = _check_text(text, f"node_text[{key!r}]")
    return out


def _check_edge_text(
    edge_text: Mapping[tuple[int, int, int], str], sizes: tuple[int, ...]
) -> dict[tuple[int, int, int], str]:
    """Validate ``{(k, i, j): text}`` for the edge carrying :math:`W^{(k)}_{ij}`."""
    if not isinstance(edge_text, Mapping):
        raise TypeError(
            f"edge_text must be a mapping (k, i, j) -> str, got {type(edge_text).__name__}"
        )
    out = {}
    for key, text in edge_text.items():
        ok = isinstance(key, tuple) and len(key) == 3 and all(map(_is_int, key))
        if (
            not ok
            or not 1 <= key[0] < len(sizes)
            or not 1 <= key[1] <= sizes[key[0]]
            or not 1 <= key[2] <= sizes[key[0] - 1]
        ):
            raise ValueError(
                f"edge_text has key {key!r}, which is not an edge of the network {list(sizes)}; "
                f"expected (k, i, j) with 1 <= k <= L+1 = {len(sizes) - 1}, 1 <= i <= n_k, "
                "1 <= j <= n_{k-1} (edge W^(k)_ij)"
            )
        out[(int(key[0]), int(key[1]), int(key[2]))] = _check_text(text, f"edge_text[{key!r}]")
    return out


def _check_text(text: object, name: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, got {type(text).__name__}")
    return text


def _check_hidden_labels(
    hidden_labels: Mapping[tuple[int, int], str], layout: _Layout
) -> dict[tuple[int, int], str]:
    for k, i in hidden_labels:
        if (k, i) not in layout.centre or not 1 <= k < layout.n_layers - 1:
            raise ValueError(
                f"hidden_labels names node (k={k}, i={i}), which is not a hidden node of "
                f"{list(layout.sizes)}; expected 1 <= k <= L and 1 <= i <= n_k"
            )
    return dict(hidden_labels)


def _check_drawn(
    layout: _Layout, what: str, keys: Iterable[tuple[int, ...]], max_nodes: int
) -> None:
    """Refuse text for a node (or an edge ending at a node) hidden by ``max_nodes``."""
    for key in keys:
        ends = [(key[0], key[1])] if len(key) == 2 else [(key[0], key[1]), (key[0] - 1, key[2])]
        for k, i in ends:
            if (k, i) not in layout.centre:
                raise ValueError(
                    f"{what} has key {key!r}, but node {i} of layer {k} is elided (the layer "
                    f"has {layout.sizes[k]} nodes, max_nodes={max_nodes}); "
                    "raise max_nodes to show it"
                )


# --- Figure 1: the network: drawing -----------------------------------------------


def _sub(i: int) -> str:
    return str(i) if i < 10 else f"{{{i}}}"


def _node_label(k: int, i: int, sizes: tuple[int, ...], output_label: str | None) -> str:
    """Mathtext for node ``i`` of layer ``k``: ``$x_1$``, ``$h^{(1)}_2$``, ``$h^{(2)}_1$``."""
    if k == 0:
        return f"$x_{_sub(i)}$"
    if k == len(sizes) - 1 and sizes[-1] == 1 and output_label is not None:
        return output_label
    return f"$h^{{({k})}}_{_sub(i)}$"


def _caption(k: int, n_layers: int) -> str:
    if k == 0:
        return "input layer\n$k = 0$"
    if k == n_layers - 1:
        return f"output layer\n$k = L+1 = {k}$"
    return f"hidden layer\n$k = {k}$"


def _edge_style(
    key: tuple[int, int, int],
    W: Mapping[int, Array],
    w_max: float,
    hot: set[tuple[int, int, int]],
    lw: float,
) -> dict[str, Any]:
    """Colour, width, transparency and layer of the edge carrying W^(k)_ij."""
    k, i, j = key
    style = {"color": _EDGE, "linewidth": lw, "alpha": 1.0, "zorder": 1}
    if k in W:
        w = W[k][i - 1, j - 1]
        style["color"] = _POSITIVE if w >= 0 else _NEGATIVE
        style["linewidth"] = 0.3 + 4.7 * abs(w) / w_max if w_max > 0 else 0.3
    if key in hot:
        style.update(color=_HIGHLIGHT, linewidth=max(style["linewidth"], 3.0), zorder=2)
    elif hot:
        style["alpha"] = 0.35
    return style


def _draw_edges(
    ax: Axes, layout: _Layout, W: Mapping[int, Array], hot: set[tuple[int, int, int]]
) -> None:
    """One line per drawn edge, node j of layer k-1 to node i of layer k (gid ``edge k i j``)."""
    from matplotlib.lines import Line2D

    sizes = layout.sizes
    n_edges = sum(sizes[k - 1] * sizes[k] for k in range(1, len(sizes)))
    plain_lw = 1.0 if n_edges <= 40 else 0.6
    w_max = max((float(np.max(np.abs(v))) for v in W.values()), default=0.0)
    for k in range(1, layout.n_layers):
        for i in layout.drawn(k):
            for j in layout.drawn(k - 1):
                start, end = _trim(
                    layout.centre[(k - 1, j)], layout.centre[(k, i)], _RADIUS, _RADIUS
                )
                line = Line2D(
                    [start[0], end[0]],
                    [start[1], end[1]],
                    solid_capstyle="round",
                    gid=f"edge {k} {i} {j}",
                    **_edge_style((k, i, j), W, w_max, hot, plain_lw),
                )
                ax.add_line(line)


def _draw_nodes(
    ax: Axes, layout: _Layout, hot: set[tuple[int, int]], output_label: str | None
) -> None:
    """Circles labelled in the paper's notation (gid ``node k i``), and ⋮ for elided nodes."""
    from matplotlib.patches import Circle

    last = layout.n_layers - 1
    for (k, i), (x, y) in layout.centre.items():
        kind = "input" if k == 0 else "output" if k == last else "hidden"
        lit = (k, i) in hot
        circle = Circle(
            (x, y),
            _RADIUS,
            facecolor="#ffe2b8" if lit else _LAYER_FILL[kind],
            edgecolor=_HIGHLIGHT if lit else "0.2",
            linewidth=2.5 if lit else 1.2,
            zorder=3,
            gid=f"node {k} {i}",
        )
        ax.add_patch(circle)
        label = _node_label(k, i, layout.sizes, output_label)
        ax.text(x, y, label, ha="center", va="center", fontsize=13, zorder=4)
    for x, y in layout.gaps:
        ax.text(x, y, r"$\vdots$", ha="center", va="center", fontsize=16, zorder=4)


def _draw_labels(
    ax: Axes,
    layout: _Layout,
    input_labels: Sequence[str] | None,
    hidden_labels: Mapping[tuple[int, int], str],
) -> None:
    """Names: input features left of layer 0, meanings above hidden nodes."""
    for j, text in enumerate(input_labels or (), start=1):
        if (0, j) in layout.centre:
            x, y = layout.centre[(0, j)]
            ax.text(x - _RADIUS - 0.12, y, text, ha="right", va="center", fontsize=10)
    for (k, i), text in hidden_labels.items():
        x, y = layout.centre[(k, i)]
        ax.text(
            x,
            y + _RADIUS + 0.06,
            text,
            ha="center",
            va="bottom",
            fontsize=9,
            style="italic",
            zorder=5,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )


def _draw_values(
    ax: Axes,
    layout: _Layout,
    node_text: Mapping[tuple[int, int], str],
    edge_text: Mapping[tuple[int, int, int], str],
) -> None:
    """Values under nodes (gid ``node-text k i``) and on edges (gid ``edge-text k i j``)."""
    for (k, i), text in node_text.items():
        x, y = layout.centre[(k, i)]
        _value_text(ax, (x, y - _RADIUS - 0.07), text, f"node-text {k} {i}", va="top")
    fraction = {
        k: _edge_text_fraction(
            [layout.centre[(k - 1, j)][1] for j in layout.drawn(k - 1)],
            [layout.centre[(k, i)][1] for i in layout.drawn(k)],
        )
        for k in {key[0] for key in edge_text}
    }
    for (k, i, j), text in edge_text.items():
        (x0, y0), (x1, y1), t = layout.centre[(k - 1, j)], layout.centre[(k, i)], fraction[k]
        xy = (x1 + t * (x0 - x1), y1 + t * (y0 - y1))
        _value_text(ax, xy, text, f"edge-text {k} {i} {j}", zorder=5)


def _draw_output_arrow(ax: Axes, xy: Point) -> None:
    r"""The prediction :math:`h(\bar x; W)` leaving the single output node."""
    x, y = xy
    ax.annotate(
        "",
        xy=(x + _RADIUS + 0.45, y),
        xytext=(x + _RADIUS, y),
        arrowprops={"arrowstyle": "-|>", "color": "0.2", "linewidth": 1.2},
    )
    ax.text(x + _RADIUS + 0.52, y, r"$h(\bar{x}; W)$", ha="left", va="center", fontsize=11)


def _draw_legend(ax: Axes) -> None:
    """What the colours and widths of weighted edges mean."""
    from matplotlib.lines import Line2D

    ax.legend(
        handles=[
            Line2D([], [], color=_POSITIVE, linewidth=3, label="$W > 0$"),
            Line2D([], [], color=_NEGATIVE, linewidth=3, label="$W < 0$"),
        ],
        loc="upper right",
        frameon=False,
        fontsize=9,
        title="width: $|W|$",
        title_fontsize=9,
    )


def _draw_captions(ax: Axes, layout: _Layout, y: float) -> None:
    """'input layer k = 0', 'hidden layer k = 1', ... under each column, top at ``y``."""
    for k in range(layout.n_layers):
        text = _caption(k, layout.n_layers)
        ax.text(layout.layer_x[k], y, text, ha="center", va="top", fontsize=10, color="0.25")


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
        Where to draw; a new figure sized to the network is made if omitted.
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

    Examples
    --------
    >>> ax = draw_network([4, 2, 1])  # doctest: +SKIP
    >>> ax = draw_network([2, 2, 1], node_text={(1, 1): "z=0.50"},
    ...                   edge_text={(2, 1, 1): "1.5"})  # doctest: +SKIP
    """
    sizes = as_sizes(sizes)
    max_nodes = _check_max_nodes(max_nodes)
    if input_labels is not None and len(input_labels) != sizes[0]:
        raise ValueError(
            f"input_labels has {len(input_labels)} entries; the input layer has n_0 = {sizes[0]}"
        )
    W = _check_weights(weights, sizes) if weights is not None else {}
    hot_edges, hot_nodes = _check_highlight(highlight or {}, sizes)
    n_text = _check_node_text(node_text, sizes) if node_text is not None else {}
    e_text = _check_edge_text(edge_text, sizes) if edge_text is not None else {}

    extra_gap, below = _text_gap(n_text.values())
    layout = _layout(sizes, max_nodes, node_gap=_NODE_GAP + extra_gap)
    labels = _check_hidden_labels(hidden_labels or {}, layout)
    _check_drawn(layout, "node_text", n_text, max_nodes)
    _check_drawn(layout, "edge_text", e_text, max_nodes)

    half = layout.half_height + _RADIUS
    bottom = -half - below  # lowest ink of the nodes and their values
    extent = (
        -(1.9 if input_labels is not None else 0.6),
        layout.layer_x[-1] + (2.1 if sizes[-1] == 1 else 0.9),
        bottom - 0.7,
        half + (0.45 if labels else 0.15),
    )
    ax = ax if ax is not None else _new_axes(extent, title)
    _draw_edges(ax, layout, W, hot_edges)
    _draw_nodes(ax, layout, hot_nodes, output_label)
    _draw_labels(ax, layout, input_labels, labels)
    _draw_values(ax, layout, n_text, e_text)
    if sizes[-1] == 1:
        _draw_output_arrow(ax, layout.centre[(len(sizes) - 1, 1)])
    if W:
        _draw_legend(ax)
    _draw_captions(ax, layout, bottom - 0.15)
    return _finish(ax, extent, title)


# --- chapter 3: the computation graph ----------------------------------------------

# Geometry of the computation graph, in inches.
_VAR_R = 0.25  # x, z, h, y: values
_OP_R = 0.145  # Sigma and g: operations
_CHAIN_STEP = 0.6  # Sigma -> z -> g -> h
_W_GAP = 1.5  # h of layer k-1 -> Sigma of layer k (the weighted edges)
_LOSS_W, _LOSS_H = 0.9, 0.62
_CHAIN = ("sum", "z", "g", "h")

GraphKey = tuple  # ("sum" | "z" | "g" | "h", k, i), ("h", 0, j) = ("x", j), ("loss",), ("y",)


@dataclass(frozen=True)
class _Graph:
    """The nodes of the computation graph and its edges, each edge keyed by name."""

    sizes: tuple[int, ...]
    nodes: tuple[GraphKey, ...]
    edges: Mapping[GraphKey, tuple[GraphKey, GraphKey]]

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


def _graph(sizes: tuple[int, ...]) -> _Graph:
    """Every node of the chain Sigma -> z -> g -> h per neuron, and every arrow."""
    last = len(sizes) - 1
    nodes: list[GraphKey] = [("h", 0, j) for j in range(1, sizes[0] + 1)]
    edges: dict[GraphKey, tuple[GraphKey, GraphKey]] = {}
    for k in range(1, last + 1):
        for i in range(1, sizes[k] + 1):
            chain = [(kind, k, i) for kind in _CHAIN]
            nodes += chain
            for j in range(1, sizes[k - 1] + 1):
                edges[("W", k, i, j)] = (("h", k - 1, j), ("sum", k, i))
            edges.update({(a, b): (a, b) for a, b in pairwise(chain)})
    nodes += [("loss",), ("y",)]
    for i in range(1, sizes[-1] + 1):
        edges[(("h", last, i), ("loss",))] = (("h", last, i), ("loss",))
    edges[(("y",), ("loss",))] = (("y",), ("loss",))
    return _Graph(sizes, tuple(nodes), edges)


def _graph_key(key: object) -> object:
    """``("x", j)`` is ``("h", 0, j)``; integer-like indices become ``int``."""
    if not isinstance(key, tuple) or not key:
        return key
    if key[0] == "x" and len(key) == 2:
        key = ("h", 0, key[1])
    if isinstance(key[0], str) and all(map(_is_int, key[1:])):
        return (key[0], *map(int, key[1:]))
    if len(key) == 2:  # a pair of node keys
        return (_graph_key(key[0]), _graph_key(key[1]))
    return key


def _check_graph_text(node_text: object, graph: _Graph) -> dict[GraphKey, str]:
    if not isinstance(node_text, Mapping):
        raise TypeError(
            "node_text must be a mapping like {('z', 1, 1): 'z=0.5', ('loss',): '0.31'}, "
            f"got {type(node_text).__name__}"
        )
    out = {}
    for key, text in node_text.items():
        norm = _graph_key(key)
        if norm not in graph.nodes:
            raise ValueError(
                f"node_text has key {key!r}, which is not a node of the computation graph "
                f"of {list(graph.sizes)}; {graph.help(edges=False)}"
            )
        out[norm] = _check_text(text, f"node_text[{key!r}]")
    return out


def _check_graph_highlight(highlight: object, graph: _Graph) -> tuple[set[GraphKey], set[GraphKey]]:
    """Split ``highlight`` into (node keys, edge keys), each checked against ``graph``."""
    if isinstance(highlight, (str, bytes, Mapping)) or not isinstance(highlight, Iterable):
        raise TypeError(
            "highlight must be a set of node and edge keys like "
            "{('z', 1, 1), ('W', 2, 1, 1)}, "
            f"got {type(highlight).__name__}"
        )
    nodes, edges = set(), set()
    for key in highlight:
        norm = _graph_key(key)
        if norm in graph.nodes:
            nodes.add(norm)
            continue
        if norm in graph.edges:
            edges.add(norm)
            continue
        weight = [e for e, ends in graph.edges.items() if ends == norm]
        if not weight:
            raise ValueError(
                f"highlight has {key!r}, which is not a node or an edge of the computation "
                f"graph of {list(graph.sizes)}; {graph.help(edges=True)}"
            )
        edges.add(weight[0])
    return nodes, edges


def _graph_positions(graph: _Graph, node_gap: float) -> dict[GraphKey, Point]:
    """Centres: one column per input, four per neuron (Sigma, z, g, h), then the loss."""
    sizes, last = graph.sizes, len(graph.sizes) - 1
    layer_x = [0.0]
    for _ in range(last):
        layer_x.append(layer_x[-1] + _W_GAP + 3 * _CHAIN_STEP)
    layout = _layout(sizes, max(sizes), node_gap=node_gap, layer_x=layer_x)
    pos: dict[GraphKey, Point] = {}
    for (k, i), (x, y) in layout.centre.items():
        pos[("h", k, i)] = (x, y)
        if k:
            for back, kind in enumerate(("g", "z", "sum"), start=1):
                pos[(kind, k, i)] = (x - back * _CHAIN_STEP, y)
    y_out = float(np.mean([layout.centre[(last, i)][1] for i in range(1, sizes[-1] + 1)]))
    x_loss = layer_x[-1] + _VAR_R + 0.4 + _LOSS_W / 2
    pos[("loss",)] = (x_loss, y_out)
    pos[("y",)] = (x_loss, y_out - max(1.0, layout.half_height + 0.4))
    return pos


def _reach(key: GraphKey, direction: Point) -> float:
    """Distance from a node's centre to its outline along the unit vector ``direction``."""
    if key == ("loss",):
        ux, uy = abs(direction[0]), abs(direction[1])
        return min(_LOSS_W / 2 / ux if ux else np.inf, _LOSS_H / 2 / uy if uy else np.inf)
    return _OP_R if key[0] in ("sum", "g") else _VAR_R


def _graph_label(key: GraphKey, sizes: tuple[int, ...]) -> str:
    """Mathtext for a node: ``$x_1$``, ``$\\Sigma$``, ``$z^{(1)}_2$``, ``$g$``, ``Loss``."""
    if key == ("loss",):
        if sizes[-1] == 1:
            return "$\\mathrm{Loss}$\n$(g(z),\\, y)$"
        return f"$\\mathrm{{Loss}}$\n$(h^{{({len(sizes) - 1})}},\\, y)$"
    if key == ("y",):
        return "$y$"
    kind, k, i = key
    if kind == "h" and k == 0:
        return f"$x_{_sub(i)}$"
    return {"sum": r"$\Sigma$", "g": "$g$"}.get(kind, f"${kind}^{{({k})}}_{_sub(i)}$")


def _w_label(k: int, i: int, j: int) -> str:
    sub = f"{i}{j}" if i < 10 and j < 10 else f"{i},{j}"
    return f"$W^{{({k})}}_{{{sub}}}$"


def _graph_fill(key: GraphKey, last: int) -> str:
    if key == ("y",) or (key[0] == "h" and key[1] == 0):
        return _LAYER_FILL["input"]
    if key[0] in ("sum", "g"):
        return "white"
    return _LAYER_FILL["output" if key == ("loss",) or key[1] == last else "hidden"]


def _draw_graph_nodes(
    ax: Axes, graph: _Graph, pos: Mapping[GraphKey, Point], hot: set[GraphKey]
) -> None:
    """Circles for values and operations, a box for the loss (gid ``node <key>``)."""
    from matplotlib.patches import Circle, FancyBboxPatch

    last = len(graph.sizes) - 1
    for key in graph.nodes:
        (x, y), lit = pos[key], key in hot
        style = {
            "facecolor": "#ffe2b8" if lit else _graph_fill(key, last),
            "edgecolor": _HIGHLIGHT if lit else "0.2",
            "linewidth": 2.5 if lit else 1.1,
            "zorder": 3,
            "gid": f"node {_key_name(key)}",
        }
        if key == ("loss",):
            corner = (x - _LOSS_W / 2, y - _LOSS_H / 2)
            patch = FancyBboxPatch(corner, _LOSS_W, _LOSS_H, boxstyle="round,pad=0.02", **style)
        else:
            patch = Circle((x, y), _reach(key, (1.0, 0.0)), **style)
        ax.add_patch(patch)
        label = _graph_label(key, graph.sizes)
        size = 12.5 if key[0] in ("sum", "g") else 11.5
        ax.text(x, y, label, ha="center", va="center", fontsize=size, zorder=4, linespacing=1.4)


def _key_name(key: GraphKey) -> str:
    """``("z", 1, 2)`` -> ``"z 1 2"``, the form used in gids."""
    return " ".join(map(str, key))


def _draw_graph_edges(
    ax: Axes, graph: _Graph, pos: Mapping[GraphKey, Point], hot: set[GraphKey]
) -> None:
    """An arrow per edge, gid ``edge W k i j`` (a weight) or ``edge <from> -> <to>``."""
    from matplotlib.patches import FancyArrowPatch

    for name, (a, b) in graph.edges.items():
        (x0, y0), (x1, y1) = pos[a], pos[b]
        d = float(np.hypot(x1 - x0, y1 - y0))
        u = ((x1 - x0) / d, (y1 - y0) / d)
        start, end = _trim(pos[a], pos[b], _reach(a, u), _reach(b, u))
        lit = name in hot
        gid = _key_name(name) if name[0] == "W" else f"{_key_name(a)} -> {_key_name(b)}"
        arrow = FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=10,
            shrinkA=0,
            shrinkB=0,
            color=_HIGHLIGHT if lit else "0.35",
            linewidth=2.6 if lit else 1.0,
            alpha=0.35 if hot and not lit else 1.0,
            zorder=2 if lit else 1,
            gid=f"edge {gid}",
        )
        ax.add_patch(arrow)


def _draw_weight_labels(ax: Axes, graph: _Graph, pos: Mapping[GraphKey, Point]) -> None:
    """$W^{(k)}_{ij}$ on each weighted arrow, near its sum (gid ``edge-label W k i j``)."""
    for k in range(1, len(graph.sizes)):
        sources = [pos[("h", k - 1, j)] for j in range(1, graph.sizes[k - 1] + 1)]
        targets = [pos[("sum", k, i)] for i in range(1, graph.sizes[k] + 1)]
        t = _edge_text_fraction([y for _, y in sources], [y for _, y in targets])
        for i, (x1, y1) in enumerate(targets, start=1):
            for j, (x0, y0) in enumerate(sources, start=1):
                xy = (x1 + t * (x0 - x1), y1 + t * (y0 - y1))
                gid = f"edge-label W {k} {i} {j}"
                _value_text(ax, xy, _w_label(k, i, j), gid, zorder=5, fontsize=10)


def _draw_graph_text(
    ax: Axes, graph: _Graph, pos: Mapping[GraphKey, Point], node_text: Mapping[GraphKey, str]
) -> None:
    """Values under x, z, h and y; above Sigma, g and the loss (so neighbours never touch)."""
    for key, text in node_text.items():
        (x, y), gid = pos[key], f"node-text {_key_name(key)}"
        reach = _reach(key, (0.0, 1.0)) + 0.07
        if _text_above(key):
            _value_text(ax, (x, y + reach), text, gid, va="bottom")
        else:
            _value_text(ax, (x, y - reach), text, gid, va="top")


def _text_above(key: GraphKey) -> bool:
    """Where a node's value goes: above operations and the loss, below values."""
    return key == ("loss",) or key[0] in ("sum", "g")


def _draw_graph_captions(ax: Axes, graph: _Graph, pos: Mapping[GraphKey, Point], y: float) -> None:
    """Layer names under each group of columns, and what z and g(z) mean at the output."""
    last = len(graph.sizes) - 1
    for k in range(last + 1):
        xs = [pos[("h", k, 1)][0]] if k == 0 else [pos[("sum", k, 1)][0], pos[("h", k, 1)][0]]
        text = _caption(k, last + 1)
        if k == last and graph.sizes[-1] == 1:
            text += f"\n$z = z^{{({k})}}_1,\\ g(z) = h^{{({k})}}_1$"
        ax.text(float(np.mean(xs)), y, text, ha="center", va="top", fontsize=10, color="0.25")


def draw_computation_graph(
    sizes: Sequence[int] = (2, 2, 1),
    ax: Axes | None = None,
    node_text: Mapping[GraphKey, str] | None = None,
    highlight: Iterable[GraphKey] | None = None,
    title: str | None = None,
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
        node is drawn (no elision), so keep it small.
    ax : matplotlib Axes, optional
        Where to draw; a new figure sized to the graph is made if omitted.
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
        A key of ``node_text`` or ``highlight`` that is not in the graph; the
        message lists the valid keys.

    Examples
    --------
    >>> ax = draw_computation_graph((2, 2, 1), highlight={("W", 2, 1, 1)})  # doctest: +SKIP
    """
    sizes = as_sizes(sizes)
    graph = _graph(sizes)
    texts = _check_graph_text(node_text, graph) if node_text is not None else {}
    hot_nodes, hot_edges = _check_graph_highlight(highlight, graph) if highlight else (set(), set())

    above = {key: t for key, t in texts.items() if _text_above(key)}
    gap_above, _ = _text_gap(above.values())
    gap_below, below = _text_gap(t for key, t in texts.items() if key not in above)
    pos = _graph_positions(graph, node_gap=_NODE_GAP + 0.3 + max(gap_above, gap_below))
    tops = [y + _reach(key, (0.0, 1.0)) for key, (_, y) in pos.items()]
    tops += [pos[key][1] + _reach(key, (0.0, 1.0)) + _text_gap([t])[1] for key, t in above.items()]
    bottom = min(y for _, y in pos.values()) - _VAR_R - below
    extent = (-0.5, pos[("loss",)][0] + _LOSS_W / 2 + 0.15, bottom - 0.95, max(tops) + 0.15)
    ax = ax if ax is not None else _new_axes(extent, title)
    _draw_graph_edges(ax, graph, pos, hot_edges)
    _draw_weight_labels(ax, graph, pos)
    _draw_graph_nodes(ax, graph, pos, hot_nodes)
    _draw_graph_text(ax, graph, pos, texts)
    _draw_graph_captions(ax, graph, pos, bottom - 0.12)
    return _finish(ax, extent, title)


# --- loss curves -------------------------------------------------------------------

_J_LABEL = "cost $J$ (training set, end of epoch)"
_RUNNING_LABEL = "running mean of minibatch costs during the epoch"


def _as_curve(values: object, what: str) -> Array:
    """One finite-or-not float per epoch, as a 1-D array; clear errors otherwise."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            "plot_loss needs a sequence of numbers or a History with a .cost attribute, "
            f"got {what} of type {type(values).__name__}"
        ) from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(
            f"plot_loss needs a 1-D sequence of one cost per epoch, got {what} of shape {arr.shape}"
        )
    return arr


def _cost_curve(history_or_costs: object) -> tuple[Array, Array]:
    """Epochs and J: ``(0, 1, ..., E)`` with ``initial_cost`` first for a History."""
    if not hasattr(history_or_costs, "cost"):
        costs = _as_curve(history_or_costs, "the costs")
        return np.arange(1, costs.size + 1), costs
    costs = _as_curve(history_or_costs.cost, "history.cost")
    initial = getattr(history_or_costs, "initial_cost", None)
    if initial is None:
        return np.arange(1, costs.size + 1), costs
    return np.arange(0, costs.size + 1), np.concatenate([[float(initial)], costs])


def plot_loss(
    history_or_costs: Any,
    ax: Axes | None = None,
    label: str | None = None,
    logy: bool = False,
    running: bool = False,
) -> Axes:
    r"""Plot the cost :math:`J` of the training set at the end of each epoch.

    Serves section 3 of the book (the cost :math:`J`, eq. ``cost``, and
    stochastic gradient descent) and the learning-rate experiments of section
    3.6. For a ``History`` from ``train`` the curve is ``history.cost``, the
    real :math:`J` of the whole training set with the weights at the end of
    each epoch, starting at epoch 0 with ``history.initial_cost`` (J before any
    step). Call it several times on the same ``ax`` with different ``label``
    values to compare runs.

    Parameters
    ----------
    history_or_costs : History or sequence of float
        A ``History`` (anything with ``cost``, and optionally ``initial_cost``
        and ``loss``), or one cost per epoch: J after epochs 1, 2, ...
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    label : str, optional
        Legend entry for this run (a legend is drawn when given).
    logy : bool, default False
        Use a logarithmic cost axis; every finite cost must then be > 0.
    running : bool, default False
        Also draw ``history.loss`` (dashed, epochs 1, 2, ...): the running mean
        of the minibatch costs while the weights moved during each epoch, which
        is not J for any one set of weights. Needs a ``History``.

    Returns
    -------
    matplotlib Axes
        With one new line (two with ``running=True``); the J line is first.

    Raises
    ------
    TypeError
        Neither a History nor a sequence of numbers.
    ValueError
        No epochs, a non-1-D sequence, ``logy`` with a cost <= 0, or
        ``running=True`` without a ``history.loss``.
    """
    import matplotlib.pyplot as plt

    epochs, costs = _cost_curve(history_or_costs)
    curves = [(epochs, costs, _J_LABEL, "-")]
    if running:
        if not hasattr(history_or_costs, "loss"):
            raise ValueError(
                "running=True draws history.loss, the running mean of minibatch costs; "
                f"pass the History from train, not a {type(history_or_costs).__name__}"
            )
        means = _as_curve(history_or_costs.loss, "history.loss")
        curves.append((np.arange(1, means.size + 1), means, _RUNNING_LABEL, "--"))
    for _, values, _, _ in curves:
        if logy and np.any(values[np.isfinite(values)] <= 0):
            raise ValueError("logy=True needs every cost to be > 0; some are <= 0")

    if ax is None:
        _, ax = plt.subplots(figsize=(5.0, 3.2))
    for x, y, what, style in curves:
        name = label if not running else what if label is None else f"{label}: {what}"
        marker = "o" if y.size <= 20 else None
        ax.plot(x, y, style, label=name, marker=marker, markersize=4)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("cost $J$" if running else _J_LABEL)
    if running:  # long entries: under the axes, where they hide no point
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), frameon=False, fontsize=9)
    elif label is not None:
        ax.legend()
    ax.grid(True, alpha=0.3)
    return ax


# --- activations -------------------------------------------------------------------


def plot_activations(
    names: Sequence[str] = ("step", "sigmoid", "tanh", "relu"),
    z_range: tuple[float, float] = (-4.0, 4.0),
    axes: Sequence[Axes] | None = None,
) -> Sequence[Axes]:
    r"""Draw each activation :math:`g` (top row) above its derivative :math:`g'` (bottom row).

    Serves section 2 of the book: the hard step's derivative is zero wherever
    it exists, so no gradient flows through it (eq. ``dloss-dz`` multiplies by
    :math:`g'`), while smooth thresholds have a useful slope.

    Parameters
    ----------
    names : sequence of str
        Activation names from :data:`nnlib.activations.ACTIVATIONS`.
    z_range : (float, float)
        The interval of :math:`z` to draw.
    axes : sequence of Axes, optional
        ``2 * len(names)`` axes to draw on (row by row); a new figure otherwise.

    Returns
    -------
    sequence of matplotlib Axes
        The axes, ``g`` plots first, then the ``g'`` plots.
    """
    import matplotlib.pyplot as plt

    from .activations import get_activation

    acts = [get_activation(name) for name in names]
    if not acts:
        raise ValueError("plot_activations needs at least one activation name")
    lo, hi = z_range
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"z_range must be two finite numbers low < high, got {z_range!r}")
    if axes is None:
        fig, grid = plt.subplots(
            2, len(acts), figsize=(2.4 * len(acts), 3.6), sharex=True, squeeze=False
        )
        fig.subplots_adjust(hspace=0.15, wspace=0.35)
        axes = list(grid[0]) + list(grid[1])
    elif len(axes) != 2 * len(acts):
        raise ValueError(
            f"axes must hold {2 * len(acts)} Axes (two per activation), got {len(axes)}"
        )
    z = np.linspace(lo, hi, 801)
    for col, act in enumerate(acts):
        top, bottom = axes[col], axes[len(acts) + col]
        g, dg = act.g(z), act.dg(z)
        if act.name == "step":  # draw the jump as a jump, not a steep line
            g = np.where(np.isclose(z, 0.0, atol=(hi - lo) / 800), np.nan, g)
        top.plot(z, g, color=_POSITIVE)
        bottom.plot(z, dg, color=_HIGHLIGHT)
        top.set_title(act.name)
        for ax in (top, bottom):
            ax.axhline(0.0, color="0.8", lw=0.8, zorder=0)
            ax.axvline(0.0, color="0.8", lw=0.8, zorder=0)
            ax.grid(True, alpha=0.3)
        bottom.set_xlabel("$z$")
    axes[0].set_ylabel("$g(z)$")
    axes[len(acts)].set_ylabel("$g'(z)$")
    return axes


# --- decision boundaries -----------------------------------------------------------


def _predictor(model: Any) -> Callable[[Array], Any]:
    """How to ask ``model`` for one score per row of an (m, 2) array."""
    if hasattr(model, "predict"):
        return model.predict
    if callable(model):
        return model
    raise TypeError(
        f"model must be a callable X -> scores or have a predict(X) method, got {type(model).__name__}"
    )


def plane_grid(X: Array, resolution: int) -> tuple[Array, Array]:
    """The ``resolution`` x ``resolution`` grid over the plane of ``X`` (two columns), padded.

    Returns the meshgrid ``(G1, G2)`` that :func:`plot_decision_boundary` shades; the
    explorer of :mod:`nnlib.widgets` evaluates its networks on the same points.
    """
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.1 * np.maximum(hi - lo, 1e-9) + 0.1
    g1 = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    g2 = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    return np.meshgrid(g1, g2)


def plot_decision_boundary(
    model: Any,
    X: Any,
    y: Any,
    ax: Axes | None = None,
    resolution: int = 200,
    threshold: float | None = 0.5,
    feature_names: Sequence[str] | None = None,
    cmap: str = "RdBu_r",
) -> Axes:
    r"""Shade what a two-input model predicts over the plane, with the data on top.

    Serves the book's experiments on XOR, two moons and spirals: the shading is
    the network's output :math:`h(\bar x; W)` on a grid covering the data, the
    black contour is where it crosses ``threshold``, and the points are the
    samples coloured by their label.

    Parameters
    ----------
    model : callable or object with ``predict``
        ``model(G)`` or ``model.predict(G)`` maps an (m, 2) array to m scores,
        shape (m,) or (m, 1); a trained ``Network`` works as it is.
    X : array_like, shape (n, 2)
        The samples.
    y : array_like, shape (n,)
        Their labels (0/1 or -1/+1, or any two or more classes).
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    resolution : int, default 200
        Grid points along each axis (>= 2).
    threshold : float or None, default 0.5
        Level of the boundary line: 0.5 for a sigmoid output, 0 for tanh or the
        hinge loss; ``None`` draws no line.
    feature_names : sequence of two str, optional
        Axis labels; default :math:`x_1` and :math:`x_2`.
    cmap : str, default "RdBu_r"
        Colormap of the shading (low scores blue, high scores red).

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(
            "plot_decision_boundary draws 2-D inputs: X must have shape (n, 2), "
            f"got shape {X.shape}"
        )
    if X.shape[0] == 0 or not np.all(np.isfinite(X)):
        raise ValueError("X must hold at least one sample and only finite values")
    y = np.asarray(y).ravel()
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y has {y.shape[0]} labels but X has {X.shape[0]} rows")
    if isinstance(resolution, bool) or not isinstance(resolution, numbers.Integral):
        raise TypeError(f"resolution must be an integer >= 2, got {resolution!r}")
    if resolution < 2:
        raise ValueError(f"resolution must be an integer >= 2, got {resolution}")
    predict = _predictor(model)

    G1, G2 = plane_grid(X, resolution)
    grid = np.column_stack([G1.ravel(), G2.ravel()])
    scores = np.asarray(predict(grid), dtype=np.float64)
    if (
        scores.size != grid.shape[0]
        or scores.ndim > 2
        or (scores.ndim == 2 and scores.shape[1] != 1)
    ):
        raise ValueError(
            f"the model returned shape {scores.shape} for {grid.shape[0]} points; "
            f"expected one score per point, shape ({grid.shape[0]},) or ({grid.shape[0]}, 1)"
        )
    S = scores.reshape(G1.shape)

    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 4.0))
    finite = S[np.isfinite(S)]
    if finite.size and finite.max() > finite.min():
        filled = ax.contourf(G1, G2, S, levels=20, cmap=cmap, alpha=0.6)
        ax.figure.colorbar(filled, ax=ax, label=r"model output $h(\bar{x}; W)$")
        if threshold is not None and finite.min() < threshold < finite.max():
            ax.contour(G1, G2, S, levels=[threshold], colors="k", linewidths=1.5)
    else:
        ax.set_facecolor("0.9")

    classes = np.unique(y)
    colors = plt.get_cmap(cmap)(np.linspace(0.05, 0.95, max(len(classes), 2)))
    markers = ["o", "s", "^", "D", "v", "P", "X"]
    for c, (value, color) in enumerate(zip(classes, colors, strict=False)):
        pts = X[y == value]
        shown = f"{value:g}" if isinstance(value, numbers.Real) else str(value)
        ax.scatter(
            pts[:, 0],
            pts[:, 1],
            color=color,
            marker=markers[c % len(markers)],
            edgecolors="k",
            linewidths=0.6,
            s=28,
            label=f"$y = {shown}$",
            zorder=3,
        )
    names = feature_names if feature_names is not None else ("$x_1$", "$x_2$")
    if len(names) != 2:
        raise ValueError(f"feature_names needs two names, got {len(names)}")
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    ax.set_xlim(G1[0, 0], G1[0, -1])
    ax.set_ylim(G2[0, 0], G2[-1, 0])
    # Above the axes, so the legend never hides a data point.
    ax.legend(
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=len(classes),
        frameon=False,
        fontsize=9,
    )
    return ax
