r"""Pictures for the book: the network diagram, loss curves, decision boundaries.

* :func:`draw_network` -- Figure 1 of the book (section 1), for any layer list,
  optionally with edges drawn by weight or a chain-rule path highlighted.
* :func:`plot_loss` -- the cost :math:`J` per epoch of a training run (section 3).
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
from typing import TYPE_CHECKING, Any

import numpy as np

from ._checks import as_sizes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

Array = np.ndarray

__all__ = ["draw_network", "plot_activations", "plot_decision_boundary", "plot_loss"]

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


# --- Figure 1: the network ---------------------------------------------------------


def _shown_nodes(n: int, max_nodes: int) -> list[int | None]:
    """1-based node numbers to draw for a layer of ``n`` nodes; ``None`` is a gap."""
    if n <= max_nodes:
        return list(range(1, n + 1))
    head = max_nodes - 2
    return [*range(1, head + 1), None, n]


def _node_label(k: int, i: int, n_layers: int, n_out: int, output_label: str | None) -> str:
    """Mathtext for node ``i`` of layer ``k``: ``$x_1$``, ``$h^{(1)}_2$``, ``$g(z)$``."""
    sub = str(i) if i < 10 else f"{{{i}}}"
    if k == 0:
        return f"$x_{sub}$"
    if k == n_layers - 1 and n_out == 1:
        return output_label if output_label is not None else "$g(z)$"
    return f"$h^{{({k})}}_{sub}$"


def _caption(k: int, n_layers: int) -> str:
    if k == 0:
        return "input layer\n$k = 0$"
    if k == n_layers - 1:
        return f"output layer\n$k = L+1 = {k}$"
    return f"hidden layer\n$k = {k}$"


def _check_weights(weights: Mapping[int, Any], sizes: tuple[int, ...]) -> dict[int, Array]:
    if not isinstance(weights, Mapping):
        raise TypeError(
            f"weights must be a mapping k -> W^(k) (like net.W), got {type(weights).__name__}"
        )
    out = {}
    for k, W in weights.items():
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= k < len(sizes):
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


def _is_int(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, numbers.Integral)


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
        if not isinstance(text, str):
            raise TypeError(f"node_text[{key!r}] must be a str, got {type(text).__name__}")
        out[(int(key[0]), int(key[1]))] = text
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
        if not isinstance(text, str):
            raise TypeError(f"edge_text[{key!r}] must be a str, got {type(text).__name__}")
        out[(int(key[0]), int(key[1]), int(key[2]))] = text
    return out


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
    in layer 1 and the output :math:`g(z)` in layer :math:`L+1 = 2`, every node
    joined to every node of the next layer. Later chapters pass ``weights`` to
    show what a trained network learned, and ``highlight`` to trace the path a
    chain-rule step follows (sections 3.2 to 3.5).

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
        Text inside the single output node; default ``"$g(z)$"``.
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
        in a white box about a third of the way back from the target node, so
        the labels of the edges entering one node stay apart.

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
        ``hidden_labels`` that names no node or edge of the network (or one
        elided by ``max_nodes``).

    Examples
    --------
    >>> ax = draw_network([4, 2, 1])  # doctest: +SKIP
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle

    sizes = as_sizes(sizes)
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, numbers.Integral) or max_nodes < 3:
        raise ValueError(f"max_nodes must be an integer >= 3, got {max_nodes!r}")
    if input_labels is not None and len(input_labels) != sizes[0]:
        raise ValueError(
            f"input_labels has {len(input_labels)} entries; the input layer has n_0 = {sizes[0]}"
        )
    W = _check_weights(weights, sizes) if weights is not None else {}
    hi_edges, hi_nodes = _check_highlight(highlight or {}, sizes)
    n_text = _check_node_text(node_text, sizes) if node_text is not None else {}
    e_text = _check_edge_text(edge_text, sizes) if edge_text is not None else {}
    n_layers = len(sizes)
    shown = [_shown_nodes(n, max_nodes) for n in sizes]
    for what, keys in (("node_text", n_text), ("edge_text", e_text)):
        for key in keys:
            k, i = key[0], key[1]
            hidden = [(k, i)] if what == "node_text" else [(k, i), (k - 1, key[2])]
            for kk, ii in hidden:
                if ii not in shown[kk]:
                    raise ValueError(
                        f"{what} has key {key!r}, but node {ii} of layer {kk} is elided "
                        f"(the layer has {sizes[kk]} nodes, max_nodes={max_nodes}); "
                        "raise max_nodes to show it"
                    )
    # Room under each node for its values: the tallest text sets the spacing.
    text_lines = max((t.count("\n") + 1 for t in n_text.values()), default=0)
    node_gap = _NODE_GAP + (0.12 + 0.16 * text_lines if text_lines else 0.0)

    # Node centres: layer k at x = k * gap; node i of a layer counted from the top.
    centre: dict[tuple[int, int], tuple[float, float]] = {}
    gaps: list[tuple[float, float]] = []
    for k, nodes in enumerate(shown):
        top = (len(nodes) - 1) / 2 * node_gap
        for row, i in enumerate(nodes):
            xy = (k * _LAYER_GAP, top - row * node_gap)
            if i is None:
                gaps.append(xy)
            else:
                centre[(k, i)] = xy
    tallest = max(len(nodes) for nodes in shown)
    half_height = (tallest - 1) / 2 * node_gap + _RADIUS
    # Text under the lowest node of a layer must clear the layer captions.
    text_below = 0.06 + 0.16 * text_lines if text_lines else 0.0

    single_output = sizes[-1] == 1
    x_left = -(1.9 if input_labels is not None else 0.6)
    x_right = (n_layers - 1) * _LAYER_GAP + (2.1 if single_output else 0.9)
    y_bottom = -half_height - 0.7 - text_below
    y_top = half_height + (0.45 if hidden_labels else 0.15)
    if ax is None:
        height = y_top - y_bottom + (0.4 if title else 0.0)
        _, ax = plt.subplots(figsize=(x_right - x_left, height))

    w_max = max((float(np.max(np.abs(w))) for w in W.values()), default=0.0)
    n_edges = sum(sizes[k - 1] * sizes[k] for k in range(1, n_layers))
    plain_lw = 1.0 if n_edges <= 40 else 0.6

    # Edges: from node j of layer k-1 to node i of layer k (W^(k)_ij).
    for k in range(1, n_layers):
        for i in (i for i in shown[k] if i is not None):
            for j in (j for j in shown[k - 1] if j is not None):
                (x0, y0), (x1, y1) = centre[(k - 1, j)], centre[(k, i)]
                d = np.hypot(x1 - x0, y1 - y0)
                ux, uy = (x1 - x0) / d * _RADIUS, (y1 - y0) / d * _RADIUS
                color, lw, alpha, z = _EDGE, plain_lw, 1.0, 1
                if k in W:
                    w = W[k][i - 1, j - 1]
                    color = _POSITIVE if w >= 0 else _NEGATIVE
                    lw = 0.3 + 4.7 * abs(w) / w_max if w_max > 0 else 0.3
                if hi_edges:
                    if (k, i, j) in hi_edges:
                        color, lw, z = _HIGHLIGHT, max(lw, 3.0), 2
                    else:
                        alpha = 0.35
                line = Line2D(
                    [x0 + ux, x1 - ux],
                    [y0 + uy, y1 - uy],
                    color=color,
                    linewidth=lw,
                    alpha=alpha,
                    zorder=z,
                    solid_capstyle="round",
                    gid=f"edge {k} {i} {j}",
                )
                ax.add_line(line)

    # Nodes, labelled inside in the paper's notation.
    n_out = sizes[-1]
    for (k, i), (x, y) in centre.items():
        kind = "input" if k == 0 else "output" if k == n_layers - 1 else "hidden"
        hot = (k, i) in hi_nodes
        ax.add_patch(
            Circle(
                (x, y),
                _RADIUS,
                facecolor="#ffe2b8" if hot else _LAYER_FILL[kind],
                edgecolor=_HIGHLIGHT if hot else "0.2",
                linewidth=2.5 if hot else 1.2,
                zorder=3,
                gid=f"node {k} {i}",
            )
        )
        label = _node_label(k, i, n_layers, n_out, output_label)
        ax.text(x, y, label, ha="center", va="center", fontsize=13, zorder=4)
    for x, y in gaps:
        ax.text(x, y, r"$\vdots$", ha="center", va="center", fontsize=16, zorder=4)

    # Values: under a node, and on an edge near its target end.
    box = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "0.8", "lw": 0.5}
    for (k, i), text in n_text.items():
        x, y = centre[(k, i)]
        ax.text(
            x,
            y - _RADIUS - 0.07,
            text,
            ha="center",
            va="top",
            fontsize=9,
            linespacing=1.15,
            zorder=6,
            bbox=box,
            gid=f"node-text {k} {i}",
        )
    fraction = {
        k: _edge_text_fraction(
            [centre[(k - 1, j)][1] for j in shown[k - 1] if j is not None],
            [centre[(k, i)][1] for i in shown[k] if i is not None],
        )
        for k in {key[0] for key in e_text}
    }
    for (k, i, j), text in e_text.items():
        (x0, y0), (x1, y1) = centre[(k - 1, j)], centre[(k, i)]
        t = fraction[k]
        ax.text(
            x1 + t * (x0 - x1),
            y1 + t * (y0 - y1),
            text,
            ha="center",
            va="center",
            fontsize=9,
            zorder=5,
            bbox=box,
            gid=f"edge-text {k} {i} {j}",
        )

    # Optional names: input features on the left, meanings above hidden nodes.
    if input_labels is not None:
        for j, text in enumerate(input_labels, start=1):
            if (0, j) in centre:
                x, y = centre[(0, j)]
                ax.text(x - _RADIUS - 0.12, y, text, ha="right", va="center", fontsize=10)
    for (k, i), text in (hidden_labels or {}).items():
        if (k, i) not in centre or not 1 <= k < n_layers - 1:
            raise ValueError(
                f"hidden_labels names node (k={k}, i={i}), which is not a hidden node of "
                f"{list(sizes)}; expected 1 <= k <= L and 1 <= i <= n_k"
            )
        x, y = centre[(k, i)]
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

    # The prediction leaves the single output node: h(x; W) = g(z).
    if single_output:
        x, y = centre[(n_layers - 1, 1)]
        ax.annotate(
            "",
            xy=(x + _RADIUS + 0.45, y),
            xytext=(x + _RADIUS, y),
            arrowprops={"arrowstyle": "-|>", "color": "0.2", "linewidth": 1.2},
        )
        ax.text(x + _RADIUS + 0.52, y, r"$h(\bar{x}; W)$", ha="left", va="center", fontsize=11)
    if W:
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

    # Layer captions under each column.
    for k in range(n_layers):
        ax.text(
            k * _LAYER_GAP,
            -half_height - 0.15 - text_below,
            _caption(k, n_layers),
            ha="center",
            va="top",
            fontsize=10,
            color="0.25",
        )

    ax.set_xlim(x_left, x_right)
    ax.set_ylim(y_bottom, y_top)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


# --- loss curves -------------------------------------------------------------------


def plot_loss(
    history_or_losses: Any,
    ax: Axes | None = None,
    label: str | None = None,
    logy: bool = False,
) -> Axes:
    r"""Plot the cost :math:`J` after each epoch of training.

    Serves section 3 of the book (stochastic gradient descent) and the
    learning-rate experiments of section 3.6. Call it several times on the same
    ``ax`` with different ``label`` values to compare runs.

    Parameters
    ----------
    history_or_losses : sequence of float, or an object with a ``loss`` attribute
        One cost per epoch, e.g. the history returned by ``train``.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made if omitted.
    label : str, optional
        Legend entry for this curve (a legend is drawn when given).
    logy : bool, default False
        Use a logarithmic cost axis; every cost must then be > 0.

    Returns
    -------
    matplotlib Axes
        With one new line: epochs 1, 2, ... against the cost.
    """
    import matplotlib.pyplot as plt

    values = getattr(history_or_losses, "loss", history_or_losses)
    try:
        losses = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            "plot_loss needs a sequence of numbers or an object with a .loss attribute, "
            f"got {type(history_or_losses).__name__}"
        ) from None
    if losses.ndim != 1 or losses.size == 0:
        raise ValueError(
            f"plot_loss needs a 1-D sequence of one cost per epoch, got shape {losses.shape}"
        )
    if logy and np.any(losses[np.isfinite(losses)] <= 0):
        raise ValueError("logy=True needs every cost to be > 0; some are <= 0")

    if ax is None:
        _, ax = plt.subplots(figsize=(5.0, 3.2))
    epochs = np.arange(1, losses.size + 1)
    ax.plot(epochs, losses, label=label, marker="o" if losses.size <= 20 else None)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("cost $J$")
    if label is not None:
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

    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = 0.1 * np.maximum(hi - lo, 1e-9) + 0.1
    g1 = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    g2 = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    G1, G2 = np.meshgrid(g1, g2)
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
    ax.set_xlim(g1[0], g1[-1])
    ax.set_ylim(g2[0], g2[-1])
    # Above the axes, so the legend never hides a data point.
    ax.legend(
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=len(classes),
        frameon=False,
        fontsize=9,
    )
    return ax
