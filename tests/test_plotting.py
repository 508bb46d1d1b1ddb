"""Tests for nnlib.plotting: network diagrams, computation graphs, cost curves, boundaries."""

from __future__ import annotations

import functools
import io
from itertools import pairwise
from unittest import mock

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.collections import PathCollection
from matplotlib.colors import to_rgba
from matplotlib.mathtext import MathTextParser
from PIL import Image

from nnlib.datasets import two_moons, xor
from nnlib.plotting import (
    draw_computation_graph,
    draw_network,
    plot_activations,
    plot_cost,
    plot_decision_boundary,
)
from nnlib.plotting.curves import J_LABEL, RUNNING_LABEL
from nnlib.plotting.graph import MAX_ROW, STUB, W_LABEL_AT


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def nodes(ax):
    return {p.get_gid(): p for p in ax.patches if (p.get_gid() or "").startswith("node ")}


def edges(ax):
    return {ln.get_gid(): ln for ln in ax.lines if (ln.get_gid() or "").startswith("edge ")}


def texts(ax):
    return [t.get_text() for t in ax.texts]


def pixels(fig):
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


# --- draw_network: Figure 1 --------------------------------------------------------


def test_figure_1_has_seven_nodes_and_ten_edges():
    ax = draw_network([4, 2, 1])
    assert len(nodes(ax)) == 7
    assert len(edges(ax)) == 4 * 2 + 2 * 1
    # Every node of one layer is joined to every node of the next.
    expected = {f"edge 1 {i} {j}" for i in (1, 2) for j in (1, 2, 3, 4)}
    expected |= {"edge 2 1 1", "edge 2 1 2"}
    assert set(edges(ax)) == expected


def test_figure_1_labels_use_the_papers_notation():
    labels = texts(draw_network([4, 2, 1]))
    for label in ("$x_1$", "$x_2$", "$x_3$", "$x_4$", "$h^{(1)}_1$", "$h^{(1)}_2$", "$h^{(2)}_1$"):
        assert label in labels
    assert "$g(z)$" not in labels  # the output is labelled like the hidden nodes
    assert r"$h(\bar{x}; W)$" in labels
    captions = " ".join(labels)
    assert "input layer" in captions and "hidden layer" in captions
    assert "output layer" in captions and "L+1" in captions


def test_layers_go_left_to_right_and_nodes_top_to_bottom():
    circles = nodes(draw_network([4, 2, 1]))
    x = {k: circles[f"node {k} 1"].center[0] for k in range(3)}
    assert x[0] < x[1] < x[2]
    ys = [circles[f"node 0 {i}"].center[1] for i in range(1, 5)]
    assert ys == sorted(ys, reverse=True)


def test_edges_join_the_right_nodes():
    ax = draw_network([4, 2, 1])
    circles, lines = nodes(ax), edges(ax)
    # W^(1)_{21}: from x_1 (layer 0, node 1) to h^(1)_2 (layer 1, node 2).
    (x0, x1), (y0, y1) = lines["edge 1 2 1"].get_data()
    start, end = circles["node 0 1"].center, circles["node 1 2"].center
    r = circles["node 0 1"].radius
    assert np.hypot(x0 - start[0], y0 - start[1]) == pytest.approx(r)
    assert np.hypot(x1 - end[0], y1 - end[1]) == pytest.approx(r)


def test_output_label_names_the_layer_and_can_be_overridden():
    assert "$h^{(3)}_1$" in texts(draw_network([2, 3, 3, 1]))
    labels = texts(draw_network([4, 2, 1], output_label="$g(z)$"))
    assert "$g(z)$" in labels and "$h^{(2)}_1$" not in labels


def test_deeper_network_counts_and_hidden_labels():
    ax = draw_network([2, 3, 3, 1])
    assert len(nodes(ax)) == 2 + 3 + 3 + 1
    assert len(edges(ax)) == 2 * 3 + 3 * 3 + 3 * 1
    labels = texts(ax)
    assert "$h^{(2)}_3$" in labels
    assert any("L+1 = 3" in t for t in labels)
    assert sum("hidden layer" in t for t in labels) == 2


def test_several_outputs_are_labelled_as_a_layer():
    ax = draw_network([3, 5, 5, 5, 2])
    assert len(nodes(ax)) == 3 + 5 + 5 + 5 + 2
    assert len(edges(ax)) == 15 + 25 + 25 + 10
    labels = texts(ax)
    assert "$h^{(4)}_1$" in labels and "$h^{(4)}_2$" in labels
    assert r"$h(\bar{x}; W)$" not in labels


def test_wide_layer_is_elided():
    ax = draw_network([3, 20, 1], max_nodes=6)
    circles = nodes(ax)
    layer1 = sorted(int(g.split()[2]) for g in circles if g.startswith("node 1 "))
    assert layer1 == [1, 2, 3, 4, 20]
    assert r"$\vdots$" in texts(ax)
    assert "$h^{(1)}_{20}$" in texts(ax)
    assert len(edges(ax)) == 3 * 5 + 5 * 1


def test_weights_set_edge_width_and_colour():
    W = {1: np.array([[4.0, -2.0, 0.1, 0.0], [0.0, 0.5, -1.0, 3.0]]), 2: np.array([[1.0, -4.0]])}
    plain = edges(draw_network([4, 2, 1]))
    assert len({ln.get_linewidth() for ln in plain.values()}) == 1
    lines = edges(draw_network([4, 2, 1], weights=W))
    width = {g: ln.get_linewidth() for g, ln in lines.items()}
    assert width["edge 1 1 1"] > width["edge 1 2 3"] > width["edge 1 1 3"]
    assert width["edge 1 1 1"] == pytest.approx(width["edge 2 1 2"])  # both |W| = 4, the largest
    positive, negative = (
        to_rgba(lines["edge 1 1 1"].get_color()),
        to_rgba(lines["edge 1 1 2"].get_color()),
    )
    assert positive != negative
    assert to_rgba(lines["edge 2 1 2"].get_color()) == negative


def test_weights_accept_only_matching_shapes():
    with pytest.raises(ValueError, match=r"weights\[1\] has shape \(4, 2\).*\(2, 4\)"):
        draw_network([4, 2, 1], weights={1: np.zeros((4, 2))})
    with pytest.raises(ValueError, match=r"expected layer numbers k = 1 \.\. 2"):
        draw_network([4, 2, 1], weights={3: np.zeros((1, 1))})
    with pytest.raises(TypeError, match="mapping"):
        draw_network([4, 2, 1], weights=[np.zeros((2, 4))])


def test_highlight_marks_a_chain_rule_path():
    path = {"edges": [(2, 1, 2), (1, 2, 3)], "nodes": [(1, 2), (2, 1)]}
    ax = draw_network([4, 2, 1], highlight=path)
    lines, circles = edges(ax), nodes(ax)
    hot = lines["edge 2 1 2"]
    cold = lines["edge 2 1 1"]
    assert hot.get_linewidth() > cold.get_linewidth()
    assert to_rgba(hot.get_color()) != to_rgba(cold.get_color())
    assert to_rgba(lines["edge 1 2 3"].get_color()) == to_rgba(hot.get_color())
    assert hot.get_zorder() > cold.get_zorder()
    assert circles["node 1 2"].get_linewidth() > circles["node 1 1"].get_linewidth()
    assert circles["node 1 2"].get_facecolor() != circles["node 1 1"].get_facecolor()


@pytest.mark.parametrize(
    ("highlight", "error", "words"),
    [
        (
            {"edges": [(3, 1, 1)]},
            ValueError,
            r"highlight\['edges'\] has key \(3, 1, 1\), which is not an edge of the network",
        ),
        ({"edges": [(1, 3, 1)]}, ValueError, "not an edge of the network"),
        ({"edges": [[1, 1, 5]]}, ValueError, r"\(1, 1, 5\).*1 <= j <= n_\{k-1\}"),
        (
            {"nodes": [(1, 3)]},
            ValueError,
            r"highlight\['nodes'\] has key \(1, 3\), which is not a node",
        ),
        ({"paths": []}, ValueError, "unknown keys"),
        ([(1, 1, 1)], TypeError, "highlight must be a mapping"),
    ],
)
def test_highlight_bad_input(highlight, error, words):
    with pytest.raises(error, match=words):
        draw_network([4, 2, 1], highlight=highlight)


def test_student_names_and_hidden_meanings():
    names = ("Cumulative GPA", "IQ score", "BMI", "Average hours of sleep")
    meanings = {(1, 1): "innate intelligence", (1, 2): "physical health"}
    ax = draw_network([4, 2, 1], input_labels=names, hidden_labels=meanings, title="Figure 1")
    labels = texts(ax)
    assert all(name in labels for name in names)
    assert "innate intelligence" in labels and "physical health" in labels
    assert ax.get_title() == "Figure 1"
    with pytest.raises(ValueError, match="n_0 = 4"):
        draw_network([4, 2, 1], input_labels=names[:3])
    with pytest.raises(ValueError, match="not a hidden node"):
        draw_network([4, 2, 1], hidden_labels={(2, 1): "output"})


def test_draws_on_a_given_axes():
    _, (left, right) = plt.subplots(1, 2)
    assert draw_network([2, 2, 1], ax=right) is right
    assert len(nodes(right)) == 5 and not nodes(left)


@pytest.mark.parametrize(
    ("sizes", "error"), [([4], ValueError), ([4, 0, 1], ValueError), ([4, 2.5, 1], TypeError)]
)
def test_bad_sizes(sizes, error):
    with pytest.raises(error, match=r"layer|sizes"):
        draw_network(sizes)


def test_drawing_is_deterministic():
    first = pixels(draw_network([4, 2, 1]).figure)
    second = pixels(draw_network([4, 2, 1]).figure)
    np.testing.assert_array_equal(first, second)


def test_nothing_is_printed(capsys):
    draw_network([4, 2, 1])
    plot_cost([1.0, 0.5])
    X, y = xor()
    plot_decision_boundary(lambda G: G[:, 0], X, y, resolution=10)
    assert capsys.readouterr() == ("", "")


# --- plot_cost --------------------------------------------------------------------


def test_plot_cost_from_a_list():
    costs = [0.9, 0.6, 0.4, 0.35, 0.3]
    ax = plot_cost(costs, label="lr = 0.5")
    assert len(ax.lines) == 1
    x, y = ax.lines[0].get_data()
    np.testing.assert_array_equal(x, [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(y, costs)
    assert ax.get_xlabel() == "epoch"
    assert ax.get_ylabel() == "cost"  # a plain list says nothing more about itself
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["lr = 0.5"]


class FakeHistory:
    """What plot_cost reads from train's History: running_cost, cost, initial_cost."""

    def __init__(self, cost=(), initial_cost=None, running_cost=None):
        self.cost = list(cost)
        self.initial_cost = initial_cost
        self.running_cost = (
            list(running_cost) if running_cost is not None else [c + 0.05 for c in cost]
        )


def test_plot_cost_draws_the_exact_J_from_epoch_0():
    history = FakeHistory(cost=[0.6, 0.4, 0.3], initial_cost=0.7, running_cost=[0.65, 0.5, 0.35])
    ax = plot_cost(history)
    assert len(ax.lines) == 1  # the running mean only when asked
    x, y = ax.lines[0].get_data()
    np.testing.assert_array_equal(x, [0, 1, 2, 3])
    np.testing.assert_array_equal(y, [0.7, 0.6, 0.4, 0.3])
    assert ax.get_xlabel() == "epoch"
    assert ax.get_ylabel() == J_LABEL == "$J$ (whole training set)"
    assert ax.get_legend() is None


def test_plot_cost_without_an_exact_cost_draws_the_running_mean_never_called_J():
    history = FakeHistory(running_cost=[0.65, 0.5, 0.35])
    ax = plot_cost(history, label="batch 10")
    (line,) = ax.lines
    x, y = line.get_data()
    np.testing.assert_array_equal(x, [1, 2, 3])
    np.testing.assert_array_equal(y, [0.65, 0.5, 0.35])
    assert ax.get_ylabel() == RUNNING_LABEL == "running mean of minibatch costs"
    assert "J" not in ax.get_ylabel()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["batch 10"]


def test_plot_cost_running_mean_next_to_J_when_asked():
    history = FakeHistory(cost=[0.6, 0.4, 0.3], initial_cost=0.7, running_cost=[0.65, 0.5, 0.35])
    ax = plot_cost(history, running=True)
    (_, jy), (rx, ry) = (line.get_data() for line in ax.lines)
    np.testing.assert_array_equal(jy, [0.7, 0.6, 0.4, 0.3])
    np.testing.assert_array_equal(rx, [1, 2, 3])
    np.testing.assert_array_equal(ry, [0.65, 0.5, 0.35])
    assert ax.lines[1].get_linestyle() == "--"
    assert ax.get_ylabel() == "cost"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [J_LABEL, RUNNING_LABEL]
    ax = plot_cost(history, running=True, label="lr = 0.5")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[1] == f"lr = 0.5: {RUNNING_LABEL}"


def test_plot_cost_without_an_initial_cost_starts_at_epoch_1():
    x, _ = plot_cost(FakeHistory(cost=[0.5, 0.4])).lines[0].get_data()
    np.testing.assert_array_equal(x, [1, 2])


def test_plot_cost_compares_runs_on_shared_axes():
    history = FakeHistory(cost=np.linspace(1.0, 0.1, 50), initial_cost=1.2)
    ax = plot_cost(history, label="lr = 0.5", logy=True)
    assert ax.get_yscale() == "log"
    assert len(ax.lines[0].get_ydata()) == 51
    assert plot_cost(np.full(30, 0.2), ax=ax, label="lr = 0.1") is ax
    assert len(ax.lines) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["lr = 0.5", "lr = 0.1"]


@pytest.mark.parametrize(
    ("costs", "kwargs", "error", "words"),
    [
        ([], {}, ValueError, "one cost per epoch"),
        ([[1.0, 2.0]], {}, ValueError, "1-D"),
        (["low", "high"], {}, TypeError, "a History from train or a sequence"),
        ([1.0, 0.0], {"logy": True}, ValueError, "> 0"),
        (FakeHistory(cost=[]), {}, ValueError, "no epoch to draw"),
        (
            FakeHistory(cost=[1.0], running_cost=[0.0]),
            {"logy": True, "running": True},
            ValueError,
            "> 0",
        ),
        (
            [0.5, 0.4],
            {"running": True},
            ValueError,
            r"running=True also draws history\.running_cost",
        ),
    ],
)
def test_plot_cost_bad_input(costs, kwargs, error, words):
    with pytest.raises(error, match=words):
        plot_cost(costs, **kwargs)


# --- plot_decision_boundary --------------------------------------------------------


def sigmoid_of_x2(G):
    return 1.0 / (1.0 + np.exp(-4.0 * G[:, 1]))


def test_decision_boundary_with_a_callable():
    X, y = two_moons(n=60, seed=1)
    ax = plot_decision_boundary(sigmoid_of_x2, X, y, resolution=50)
    assert len(ax.collections) >= 3  # shading, boundary line, and one scatter per class
    scatters = [c for c in ax.collections if type(c) is PathCollection]
    assert len(scatters) == 2
    plotted = np.vstack([c.get_offsets() for c in scatters])
    assert plotted.shape == (60, 2)
    assert sorted(map(tuple, plotted)) == sorted(map(tuple, X))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["$y = 0$", "$y = 1$"]
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"
    (x_lo, x_hi), (y_lo, y_hi) = ax.get_xlim(), ax.get_ylim()
    assert x_lo < X[:, 0].min() and x_hi > X[:, 0].max()
    assert y_lo < X[:, 1].min() and y_hi > X[:, 1].max()


def test_decision_boundary_with_predict_and_column_output():
    calls = []

    class Model:
        def predict(self, G):
            calls.append(G.shape)
            return sigmoid_of_x2(G)[:, np.newaxis]  # shape (m, 1)

    X, y = xor(n=8, noise=0.05)
    _, ax = plt.subplots()
    assert plot_decision_boundary(Model(), X, y, ax=ax, resolution=30) is ax
    assert calls == [(900, 2)]


def test_decision_boundary_without_threshold_draws_no_line():
    X, y = xor()
    with_line = plot_decision_boundary(sigmoid_of_x2, X, y, resolution=20)
    without = plot_decision_boundary(sigmoid_of_x2, X, y, resolution=20, threshold=None)
    assert len(without.collections) == len(with_line.collections) - 1


def test_decision_boundary_of_a_constant_model():
    X, y = xor()
    ax = plot_decision_boundary(lambda G: np.full(len(G), 0.5), X, y, resolution=10)
    assert len([c for c in ax.collections if type(c) is PathCollection]) == 2


def test_decision_boundary_plus_minus_labels_and_threshold_zero():
    X, y = xor()
    ax = plot_decision_boundary(lambda G: np.tanh(G[:, 0] - 0.5), X, 2 * y - 1, threshold=0.0)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["$y = -1$", "$y = 1$"]


@pytest.mark.parametrize(
    ("X", "y", "model", "error", "words"),
    [
        (np.zeros((5, 3)), np.zeros(5), sigmoid_of_x2, ValueError, r"shape \(n, 2\)"),
        (np.zeros(5), np.zeros(5), sigmoid_of_x2, ValueError, r"shape \(n, 2\)"),
        (np.zeros((5, 2)), np.zeros(4), sigmoid_of_x2, ValueError, "4 labels but X has 5 rows"),
        ([[0.0, np.nan]], [0.0], sigmoid_of_x2, ValueError, "finite"),
        (np.eye(2), [0, 1], lambda G: np.zeros((len(G), 2)), ValueError, "one score per point"),
        (np.eye(2), [0, 1], "not a model", TypeError, "model must be"),
    ],
)
def test_decision_boundary_bad_input(X, y, model, error, words):
    with pytest.raises(error, match=words):
        plot_decision_boundary(model, X, y, resolution=10)


def test_decision_boundary_bad_resolution():
    X, y = xor()
    with pytest.raises(ValueError, match="resolution"):
        plot_decision_boundary(sigmoid_of_x2, X, y, resolution=1)
    with pytest.raises(TypeError, match="resolution"):
        plot_decision_boundary(sigmoid_of_x2, X, y, resolution=2.5)


def test_pictures_of_a_trained_network():
    from nnlib import Network, train

    X, y = xor()
    net = Network([2, 3, 1], activation="sigmoid", loss="logistic", bias=True, seed=1)
    history = train(net, X, y, lr=1.0, epochs=40, batch_size=1, seed=0, exact_cost=True)
    ax = plot_cost(history)
    x, J = ax.lines[0].get_data()
    np.testing.assert_array_equal(x, np.arange(41))  # epoch 0 is J before training
    assert J[0] == pytest.approx(history.initial_cost)
    np.testing.assert_allclose(J[1:], history.cost)
    assert J[-1] == pytest.approx(net.cost(X, y))  # the real J of the trained weights
    assert ax.get_ylabel() == J_LABEL
    # Without exact_cost, train records only the running mean, and the plot says so.
    quick = train(Network([2, 3, 1], seed=1), X, y, lr=1.0, epochs=40)
    ax = plot_cost(quick)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), quick.running_cost)
    assert ax.get_ylabel() == RUNNING_LABEL
    assert len(edges(draw_network([2, 3, 1], weights=net.W))) == 2 * 3 + 3 * 1
    ax = plot_decision_boundary(net, X, y, resolution=20)
    assert len([c for c in ax.collections if type(c) is PathCollection]) == 2


def test_plot_activations_draws_g_above_g_prime() -> None:
    axes = plot_activations(("step", "sigmoid"))
    assert len(axes) == 4
    z_top, g_sig = axes[1].lines[0].get_data()
    _, dg_sig = axes[3].lines[0].get_data()
    _, dg_step = axes[2].lines[0].get_data()
    assert np.allclose(g_sig, 1 / (1 + np.exp(-z_top)))
    assert np.isclose(dg_sig.max(), 0.25, atol=1e-4)  # sigmoid' peaks at 1/4
    assert np.all(dg_step == 0)  # the step passes no gradient
    assert [ax.get_title() for ax in axes[:2]] == ["step", "sigmoid"]


def test_plot_activations_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="unknown activation"):
        plot_activations(("softsign",))
    with pytest.raises(ValueError, match="z_range"):
        plot_activations(("tanh",), z_range=(1.0, -1.0))


# --- draw_network: values on nodes and edges ---------------------------------------


def gid_texts(ax, prefix):
    return {t.get_gid(): t for t in ax.texts if (t.get_gid() or "").startswith(prefix)}


def test_node_and_edge_text_are_drawn_with_gids():
    node_text = {(0, 1): "x=1.0", (1, 2): "z=2.50\nh=0.92", (3, 1): "δ=\u22120.062"}
    edge_text = {(1, 2, 1): "1.5", (3, 1, 2): "\u22121.5"}
    ax = draw_network([2, 2, 2, 1], node_text=node_text, edge_text=edge_text)
    on_nodes, on_edges = gid_texts(ax, "node-text "), gid_texts(ax, "edge-text ")
    assert {g: t.get_text() for g, t in on_nodes.items()} == {
        "node-text 0 1": "x=1.0",
        "node-text 1 2": "z=2.50\nh=0.92",
        "node-text 3 1": "δ=\u22120.062",
    }
    assert {g: t.get_text() for g, t in on_edges.items()} == {
        "edge-text 1 2 1": "1.5",
        "edge-text 3 1 2": "\u22121.5",
    }
    assert all(t.get_bbox_patch() is not None for t in [*on_nodes.values(), *on_edges.values()])


def test_node_text_sits_below_its_node_and_clear_of_it():
    ax = draw_network([2, 2, 1], node_text={(1, 1): "z=\u22121.50\nh=0.18"})
    circle, text = nodes(ax)["node 1 1"], gid_texts(ax, "node-text ")["node-text 1 1"]
    x, y = text.get_position()
    assert x == pytest.approx(circle.center[0])
    assert y < circle.center[1] - circle.radius  # top of the text is under the circle
    assert text.get_va() == "top"
    # The text's box does not reach the node below it.
    fig = ax.figure
    fig.canvas.draw()
    box = text.get_window_extent().transformed(ax.transData.inverted())
    below = nodes(ax)["node 1 2"]
    assert box.y0 > below.center[1] + below.radius


def test_edge_text_lies_on_its_edge_nearer_the_target():
    ax = draw_network([2, 2, 2, 1], edge_text={(2, 1, 2): "\u22120.5"})
    circles = nodes(ax)
    start, end = circles["node 1 2"].center, circles["node 2 1"].center
    x, y = gid_texts(ax, "edge-text ")["edge-text 2 1 2"].get_position()
    t = (x - end[0]) / (start[0] - end[0])
    assert 0.25 <= t <= 0.4  # measured from the target end
    assert y == pytest.approx(end[1] + t * (start[1] - end[1]))  # on the line


def test_edge_texts_into_one_layer_do_not_share_a_height():
    edge_text = {(2, i, j): f"{i}{j}" for i in (1, 2, 3) for j in (1, 2, 3)}
    ax = draw_network([2, 3, 3, 1], edge_text=edge_text)
    heights = sorted(t.get_position()[1] for t in gid_texts(ax, "edge-text ").values())
    assert min(np.diff(heights)) > 0.2  # inches: more than a line of 9-point type


def test_node_text_spreads_the_nodes():
    plain = nodes(draw_network([2, 2, 1]))
    spread = nodes(draw_network([2, 2, 1], node_text={(1, 1): "a\nb"}))
    gap = plain["node 1 1"].center[1] - plain["node 1 2"].center[1]
    assert spread["node 1 1"].center[1] - spread["node 1 2"].center[1] > gap


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        (
            {"node_text": {(3, 1): "x"}},
            ValueError,
            r"node_text has key \(3, 1\).*0 <= k <= L\+1 = 2",
        ),
        ({"node_text": {(1, 3): "x"}}, ValueError, r"node_text has key \(1, 3\)"),
        ({"node_text": {(1, 0): "x"}}, ValueError, "1 <= i <= n_k"),
        ({"node_text": {1: "x"}}, ValueError, "node_text has key 1"),
        ({"node_text": {(1, 1): 0.5}}, TypeError, r"node_text\[\(1, 1\)\] must be a str"),
        ({"node_text": ["x"]}, TypeError, "node_text must be a mapping"),
        (
            {"edge_text": {(0, 1, 1): "w"}},
            ValueError,
            r"edge_text has key \(0, 1, 1\).*1 <= k <= L\+1",
        ),
        ({"edge_text": {(1, 1, 5): "w"}}, ValueError, r"1 <= j <= n_\{k-1\}"),
        ({"edge_text": {(2, 2, 1): "w"}}, ValueError, "not an edge of the network"),
        ({"edge_text": {(1, 1): "w"}}, ValueError, r"edge_text has key \(1, 1\)"),
        ({"edge_text": {(1, 1, 1): None}}, TypeError, "must be a str"),
        ({"edge_text": "w"}, TypeError, "edge_text must be a mapping"),
    ],
)
def test_node_and_edge_text_bad_keys(kwargs, error, words):
    with pytest.raises(error, match=words):
        draw_network([4, 2, 1], **kwargs)


def test_text_on_an_elided_node_is_refused():
    with pytest.raises(ValueError, match=r"elided.*max_nodes"):
        draw_network([3, 20, 1], max_nodes=6, node_text={(1, 10): "z=0"})
    with pytest.raises(ValueError, match="elided"):
        draw_network([3, 20, 1], max_nodes=6, edge_text={(2, 1, 10): "w"})
    ax = draw_network([3, 20, 1], max_nodes=6, node_text={(1, 20): "z=0"})
    assert "node-text 1 20" in gid_texts(ax, "node-text ")


def test_worked_example_with_every_value():
    from nnlib.worked_example import worked_example

    ex = worked_example()
    net, fw = ex.net, ex.net.forward(ex.x)
    node_text = {
        (k, i): f"z={fw.z[k][i - 1]:.2f}\nh={fw.h[k][i - 1]:.2f}"
        for k in range(1, 4)
        for i in range(1, net.sizes[k] + 1)
    }
    edge_text = {
        (k, i, j): f"{net.W[k][i - 1, j - 1]:.1f}"
        for k in range(1, 4)
        for i in range(1, net.sizes[k] + 1)
        for j in range(1, net.sizes[k - 1] + 1)
    }
    ax = draw_network(net.sizes, node_text=node_text, edge_text=edge_text)
    assert len(gid_texts(ax, "node-text ")) == 5
    assert gid_texts(ax, "edge-text ")["edge-text 1 2 1"].get_text() == "1.5"  # W^(1)_21


# --- draw_computation_graph: chapter 3 ---------------------------------------------


def graph_nodes(ax):
    return {p.get_gid()[5:]: p for p in ax.patches if (p.get_gid() or "").startswith("node ")}


def graph_edges(ax):
    return {p.get_gid()[5:]: p for p in ax.patches if (p.get_gid() or "").startswith("edge ")}


def centre_of(patch):
    if hasattr(patch, "center"):
        return np.asarray(patch.center)
    return np.array([patch.get_x() + patch.get_width() / 2, patch.get_y() + patch.get_height() / 2])


def test_computation_graph_has_every_elementary_step():
    ax = draw_computation_graph((2, 2, 1))
    chain = [
        f"{kind} {k} {i}"
        for k, n in ((1, 2), (2, 1))
        for i in range(1, n + 1)
        for kind in ("sum", "z", "g", "h")
    ]
    assert set(graph_nodes(ax)) == {"h 0 1", "h 0 2", *chain, "loss", "y"}
    weights = {
        f"W {k} {i} {j}"
        for k, n, m in ((1, 2, 2), (2, 1, 2))
        for i in range(1, n + 1)
        for j in range(1, m + 1)
    }
    steps = {
        f"{a} {k} {i} -> {b} {k} {i}"
        for k, n in ((1, 2), (2, 1))
        for i in range(1, n + 1)
        for a, b in (("sum", "z"), ("z", "g"), ("g", "h"))
    }
    assert set(graph_edges(ax)) == weights | steps | {"h 2 1 -> loss", "y -> loss"}


def test_computation_graph_labels_use_the_papers_notation():
    ax = draw_computation_graph((2, 2, 1))
    labels = texts(ax)
    for label in (
        "$x_1$",
        "$x_2$",
        "$z^{(1)}_2$",
        "$h^{(1)}_1$",
        "$z^{(2)}_1$",
        "$h^{(2)}_1$",
        "$y$",
    ):
        assert label in labels
    assert labels.count(r"$\Sigma$") == 3 and labels.count("$g$") == 3
    assert any("Loss" in t and "g(z)" in t for t in labels)
    weight = gid_texts(ax, "edge-label ")
    assert len(weight) == 6
    assert weight["edge-label W 1 2 1"].get_text() == "$W^{(1)}_{21}$"
    assert any("L+1 = 2" in t and "g(z) = h^{(2)}_1" in t for t in labels)


def test_computation_graph_runs_left_to_right():
    centres = {
        key: centre_of(p) for key, p in graph_nodes(draw_computation_graph((2, 3, 1))).items()
    }
    x = {key: c[0] for key, c in centres.items()}
    for k, n in ((1, 3), (2, 1)):
        for i in range(1, n + 1):
            assert x[f"h {k - 1} 1"] < x[f"sum {k} {i}"] < x[f"z {k} {i}"] < x[f"g {k} {i}"]
            assert x[f"g {k} {i}"] < x[f"h {k} {i}"]
            assert centres[f"sum {k} {i}"][1] == pytest.approx(centres[f"h {k} {i}"][1])
    assert x["loss"] > x["h 2 1"] and x["y"] == pytest.approx(x["loss"])
    assert centres["y"][1] < centres["loss"][1]


def test_weighted_arrow_joins_h_of_the_layer_before_to_the_sum():
    ax = draw_computation_graph((2, 2, 1))
    nodes_, arrow = graph_nodes(ax), graph_edges(ax)["W 1 2 1"]  # W^(1)_21: x_1 -> node 2
    start, end = (np.asarray(p) for p in arrow._posA_posB)
    source, target = nodes_["h 0 1"], nodes_["sum 1 2"]
    assert np.hypot(*(start - centre_of(source))) == pytest.approx(source.radius)
    assert np.hypot(*(end - centre_of(target))) == pytest.approx(target.radius)
    label = gid_texts(ax, "edge-label ")["edge-label W 1 2 1"].get_position()
    t = (label[0] - centre_of(target)[0]) / (centre_of(source)[0] - centre_of(target)[0])
    lo, hi = W_LABEL_AT  # near the sum, clear of it
    assert lo <= t <= hi


def test_computation_graph_values():
    node_text = {
        ("x", 1): "1.0",
        ("z", 1, 1): "z=\u22121.50",
        ("g", 1, 1): "g'=0.15",
        ("h", 2, 1): "h=0.60",
        ("loss",): "Loss=0.51",
        ("y",): "y=1",
    }
    ax = draw_computation_graph((2, 2, 1), node_text=node_text)
    shown = {g: t.get_text() for g, t in gid_texts(ax, "node-text ").items()}
    assert shown == {
        "node-text h 0 1": "1.0",
        "node-text z 1 1": "z=\u22121.50",
        "node-text g 1 1": "g'=0.15",
        "node-text h 2 1": "h=0.60",
        "node-text loss": "Loss=0.51",
        "node-text y": "y=1",
    }
    nodes_, placed = graph_nodes(ax), gid_texts(ax, "node-text ")
    for key in ("z 1 1", "h 2 1", "y"):  # values below their node
        assert placed[f"node-text {key}"].get_position()[1] < centre_of(nodes_[key])[1]
    for key in ("g 1 1", "loss"):  # operations and the loss: above
        assert placed[f"node-text {key}"].get_position()[1] > centre_of(nodes_[key])[1]


def test_computation_graph_highlight_traces_a_path():
    path = {
        ("W", 2, 1, 1),
        ("z", 2, 1),
        (("z", 2, 1), ("g", 2, 1)),
        (("h", 2, 1), ("loss",)),
        (("x", 1), ("sum", 1, 1)),
    }
    ax = draw_computation_graph((2, 2, 1), highlight=path)
    arrows, nodes_ = graph_edges(ax), graph_nodes(ax)
    hot = [arrows[g] for g in ("W 2 1 1", "z 2 1 -> g 2 1", "h 2 1 -> loss", "W 1 1 1")]
    cold = arrows["W 2 1 2"]
    for arrow in hot:
        assert arrow.get_linewidth() > cold.get_linewidth()
        assert to_rgba(arrow.get_edgecolor())[:3] != to_rgba(cold.get_edgecolor())[:3]
    assert nodes_["z 2 1"].get_linewidth() > nodes_["z 1 1"].get_linewidth()


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        (
            {"node_text": {("z", 3, 1): "v"}},
            ValueError,
            r"node_text has key \('z', 3, 1\).*L\+1 = 2",
        ),
        ({"node_text": {("z", 1, 3): "v"}}, ValueError, "not a node of the computation graph"),
        ({"node_text": {("q", 1, 1): "v"}}, ValueError, "'sum' | 'z' | 'g' | 'h'"),
        ({"node_text": {("h", 0, 3): "v"}}, ValueError, "input j"),
        ({"node_text": {("W", 1, 1, 1): "v"}}, ValueError, "not a node"),
        ({"node_text": {("z", 1, 1): 0.5}}, TypeError, "must be a str"),
        ({"node_text": [("z", 1, 1)]}, TypeError, "node_text must be a mapping"),
        ({"highlight": {("W", 1, 3, 1)}}, ValueError, r"highlight has \('W', 1, 3, 1\)"),
        ({"highlight": {(("z", 1, 1), ("h", 1, 1))}}, ValueError, "pair"),
        ({"highlight": "z"}, TypeError, "highlight must be a set"),
        ({"highlight": {"edges": []}}, TypeError, "highlight must be a set"),
    ],
)
def test_computation_graph_bad_keys(kwargs, error, words):
    with pytest.raises(error, match=words):
        draw_computation_graph((2, 2, 1), **kwargs)


def test_computation_graph_several_outputs_and_bad_sizes():
    ax = draw_computation_graph([2, 3, 2])
    assert {"h 2 1 -> loss", "h 2 2 -> loss"} <= set(graph_edges(ax))
    assert any("Loss" in t and "h^{(2)}" in t for t in texts(ax))
    with pytest.raises(ValueError, match="layer"):
        draw_computation_graph([2, 0, 1])
    _, given = plt.subplots()
    assert draw_computation_graph(ax=given, title="chain rule") is given
    assert given.get_title() == "chain rule"


# --- draw_computation_graph: part of the graph, text on the weight arrows -----------


def test_start_at_the_values_of_a_layer_draws_only_what_follows():
    whole = draw_computation_graph([2, 2, 2, 1])
    ax = draw_computation_graph([2, 2, 2, 1], start=("h", 2))
    output = {f"{kind} 3 1" for kind in ("sum", "z", "g", "h")}
    assert set(graph_nodes(ax)) == {"h 2 1", "h 2 2", *output, "loss", "y"}
    assert set(graph_edges(ax)) == {
        "W 3 1 1",
        "W 3 1 2",
        "sum 3 1 -> z 3 1",
        "z 3 1 -> g 3 1",
        "g 3 1 -> h 3 1",
        "h 3 1 -> loss",
        "y -> loss",
    }  # nothing feeds the first column
    assert set(gid_texts(ax, "edge-label ")) == {"edge-label W 3 1 1", "edge-label W 3 1 2"}
    captions = [t for t in texts(ax) if "layer" in t]
    assert captions[0].startswith("hidden layer") and "k = 2" in captions[0]
    assert len(captions) == 2
    wider = draw_computation_graph([2, 2, 2, 1], start=("h", 1))
    assert ax.figure.get_figwidth() < wider.figure.get_figwidth() - 2.5
    assert len(graph_nodes(whole)) > len(graph_nodes(ax))
    left = min(centre_of(p)[0] - p.radius for p in graph_nodes(ax).values() if hasattr(p, "radius"))
    assert ax.get_xlim()[0] < left  # the first column is inside the figure


def test_start_at_the_sums_of_a_layer_draws_stubs_into_them():
    ax = draw_computation_graph(
        [2, 2, 2, 1], start=("sum", 2), highlight={("W", 2, 1, 1), ("z", 2, 1)}
    )
    assert {"sum 2 1", "z 2 2", "h 3 1"} <= set(graph_nodes(ax))
    assert not {"h 1 1", "h 1 2", "h 0 1"} & set(graph_nodes(ax))
    arrows, nodes_ = graph_edges(ax), graph_nodes(ax)
    stub = arrows["W 2 1 2"]
    start, end = (np.asarray(p) for p in stub._posA_posB)
    assert np.hypot(*(end - start)) == pytest.approx(STUB)
    assert np.hypot(*(end - centre_of(nodes_["sum 2 1"]))) == pytest.approx(nodes_["sum 2 1"].radius)
    assert start[0] > ax.get_xlim()[0]
    assert arrows["W 2 1 1"].get_linewidth() > stub.get_linewidth()  # highlighted stub
    assert set(gid_texts(ax, "edge-label ")) == {"edge-label W 3 1 1", "edge-label W 3 1 2"}


def test_edge_text_goes_under_the_weights_name_or_after_it():
    ax = draw_computation_graph(
        (2, 2, 1),
        edge_text={("W", 2, 1, 1): "∂Loss/∂W = -0.258", (2, 1, 2): "= +2.0"},
    )
    labels = {g: t.get_text() for g, t in gid_texts(ax, "edge-label ").items()}
    assert labels["edge-label W 2 1 1"] == "$W^{(2)}_{11}$\n∂Loss/∂W = -0.258"
    assert labels["edge-label W 2 1 2"] == "$W^{(2)}_{12}$ = +2.0"
    assert labels["edge-label W 1 1 1"] == "$W^{(1)}_{11}$"


def test_edge_text_without_weight_names():
    ax = draw_computation_graph(
        (2, 2, 1), edge_text={("W", 1, 2, 1): "-0.062"}, weight_names=False
    )
    labels = {g: t.get_text() for g, t in gid_texts(ax, "edge-label ").items()}
    assert labels == {"edge-label W 1 2 1": "-0.062"}
    assert not gid_texts(draw_computation_graph((2, 2, 1), weight_names=False), "edge-label ")


def test_a_wide_edge_text_widens_its_gap_and_clears_the_nodes():
    text = {(2, 1, j): "∂Loss/∂W = -0.258" for j in (1, 2)}
    plain = draw_computation_graph((2, 2, 1), start=("h", 1))
    ax = draw_computation_graph((2, 2, 1), start=("h", 1), edge_text=text)
    assert ax.figure.get_figwidth() > plain.figure.get_figwidth()
    renderer = ax.figure.canvas.get_renderer()
    nodes_ = graph_nodes(ax)
    for j in (1, 2):
        box = gid_texts(ax, "edge-label ")[f"edge-label W 2 1 {j}"].get_window_extent(renderer)
        for key in ("h 1 1", "h 1 2", "sum 2 1"):
            assert not box.overlaps(nodes_[key].get_window_extent(renderer)), (j, key)


def test_a_graph_too_wide_for_the_page_wraps_into_rows():
    """[2, 2, 2, 1] in one row is 10.5 inches: the page would draw its subscripts at 7 px."""
    ax = draw_computation_graph([2, 2, 2, 1], highlight={("W", 3, 1, 1), ("h", 2, 1)})
    assert ax.figure.get_figwidth() <= MAX_ROW
    nodes_, arrows = graph_nodes(ax), graph_edges(ax)
    copies = {p.get_gid(): p for p in ax.patches if (p.get_gid() or "").startswith("copy ")}
    assert set(copies) == {"copy h 2 1", "copy h 2 2"}  # layer 2's values begin row 2
    assert all(p.get_linestyle() == "--" for p in copies.values())
    row_2 = centre_of(nodes_["sum 3 1"])[1]
    assert row_2 < min(centre_of(nodes_[f"h 2 {i}"])[1] for i in (1, 2)) - 1.5
    start, _ = (np.asarray(p) for p in arrows["W 3 1 2"]._posA_posB)
    copy = centre_of(copies["copy h 2 2"])
    assert np.hypot(*(start - copy)) == pytest.approx(copies["copy h 2 2"].radius)
    assert copy[0] < centre_of(nodes_["sum 3 1"])[0] < centre_of(nodes_["h 2 2"])[0]
    assert copies["copy h 2 1"].get_linewidth() > copies["copy h 2 2"].get_linewidth()
    assert any("from the" in t for t in texts(ax))
    narrow = draw_computation_graph([2, 2, 1])  # fits in one row: nothing repeated
    assert not [p for p in narrow.patches if (p.get_gid() or "").startswith("copy ")]


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"start": "h"}, TypeError, r"start must be a pair \(kind, k\)"),
        ({"start": ("h",)}, ValueError, r"expected \('h', k\) with 0 <= k <= L = 1"),
        ({"start": ("z", 1)}, ValueError, "unknown start kind 'z'; expected one of 'h', 'sum'"),
        ({"start": ("h", 2)}, ValueError, "not a column of"),
        ({"start": ("sum", 0)}, ValueError, r"\('sum', k\) with 1 <= k <= L\+1 = 2"),
        ({"start": ("h", 1.5)}, ValueError, "start is"),
        (
            {"start": ("h", 1), "node_text": {("z", 1, 1): "v"}},
            ValueError,
            r"node_text has key \('z', 1, 1\), which is left out of the figure: it starts at "
            r"the values h of layer 1",
        ),
        ({"start": ("h", 1), "highlight": {("W", 1, 1, 1)}}, ValueError, "left out"),
        ({"start": ("sum", 2), "highlight": {("h", 1, 1)}}, ValueError, "the sums of layer 2"),
        ({"start": ("sum", 2), "edge_text": {(2, 1, 1): "v"}}, ValueError, "left out"),
        ({"edge_text": {("W", 3, 1, 1): "v"}}, ValueError, "not a weight arrow"),
        ({"edge_text": {("z", 1, 1): "v"}}, ValueError, r"expected \('W', k, i, j\)"),
        ({"edge_text": {(2, 1, 1): 0.5}}, TypeError, "must be a str"),
        ({"edge_text": ["v"]}, TypeError, "edge_text must be a mapping"),
        ({"weight_names": "no"}, TypeError, r"weight_names must be an instance of bool \(True or False\), got str"),
    ],
)
def test_start_and_edge_text_bad_input(kwargs, error, words):
    with pytest.raises(error, match=words):
        draw_computation_graph((2, 2, 1), **kwargs)


# --- legible on the page: every text at least 9 CSS px tall --------------------------

#: The book's content column at a 1280 x 900 window, in CSS px.  Jupyter Book shows
#: a PNG at 100 % up to this width and shrinks a wider one to it (measured in
#: Chromium on the built chapters: every wider figure is drawn 688 px wide).
COLUMN_PX = 688
MIN_TEXT_PX = 9.0


def smallest_glyph_points(s: str, prop, ismath) -> float:
    """The size in points of the smallest glyph matplotlib draws for the string ``s``.

    Plain text is drawn at its font size.  Mathtext (``ismath``) is laid out by
    matplotlib's own parser, as Agg lays it out: its sub- and superscripts are
    drawn at 70 % of the font size (``matplotlib._mathtext.SHRINK_FACTOR``),
    a script's script at 49 %; the parser lists every glyph with its size.
    """
    if not ismath:
        return prop.get_size_in_points()
    return _smallest_mathtext_glyph(s, prop.copy())


@functools.cache
def _smallest_mathtext_glyph(s: str, prop) -> float:
    """:func:`smallest_glyph_points` of mathtext, remembered: a figure saved with
    ``bbox_inches="tight"`` is drawn twice, and the figures repeat many labels
    (``prop`` compares and hashes by value; it is a copy, so it never changes).
    """
    glyphs = MathTextParser("path").parse(s, 72, prop).glyphs
    return min((size for _, size, *_ in glyphs), default=prop.get_size_in_points())


def displayed_text_px(fig) -> tuple[float, str, int]:
    """The smallest glyph of ``fig`` in CSS px as the book's page shows it.

    The figure is saved as a notebook saves it (PNG, ``bbox_inches="tight"``, at
    its dpi); every string the Agg renderer draws is recorded with the size of
    its smallest glyph (:func:`smallest_glyph_points`: a subscript of mathtext
    counts at the size it is drawn).  A glyph of ``s`` points is
    ``s * dpi / 72`` pixels of the PNG, and the page shows the PNG at
    ``min(1, COLUMN_PX / width)`` of its size.  Returns that smallest size, its
    text, and the PNG's width.
    """
    drawn: list[tuple[float, str]] = []
    draw_text = RendererAgg.draw_text

    def spy(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if s.strip():
            drawn.append((smallest_glyph_points(s, prop, ismath), s))
        return draw_text(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    buffer = io.BytesIO()
    with mock.patch.object(RendererAgg, "draw_text", spy):
        fig.savefig(buffer, format="png", bbox_inches="tight", dpi=fig.dpi)
    width = Image.open(buffer).size[0]
    size, text = min(drawn)
    return size * fig.dpi / 72 * min(1.0, COLUMN_PX / width), text, width


def _worked_example_figures():
    """The network and graph figures of chapters 3 to 3.6, with the book's arguments."""
    from nnlib.worked_example import worked_example

    ex = worked_example()
    net, fw = ex.net, ex.net.forward(ex.x)
    node_text = {(0, j): f"x = {v:g}" for j, v in enumerate(ex.x, start=1)}
    values = {("x", j): f"{v:g}" for j, v in enumerate(ex.x, start=1)}
    for k in net.layers:
        for i in range(1, net.sizes[k] + 1):
            node_text[(k, i)] = f"z = {fw.z[k][i - 1]:.3f}\nh = {fw.h[k][i - 1]:.3f}"
            values[("z", k, i)] = f"{fw.z[k][i - 1]:.3f}"
            values[("h", k, i)] = f"{fw.h[k][i - 1]:.3f}"
    values[("y",)], values[("loss",)] = "1", f"{net.cost(ex.x, ex.y):.3f}"
    edge_text = {
        (k, i, j): f"{net.W[k][i - 1, j - 1]:+.3f}"
        for k in net.layers
        for i in range(1, net.sizes[k] + 1)
        for j in range(1, net.sizes[k - 1] + 1)
    }
    deltas = {(k, i): "δ=+0.012" for k in (1, 2) for i in (1, 2)}
    path = [("W", 2, 1, 1), ("W", 3, 1, 1), (("h", 3, 1), ("loss",))]
    for k in (2, 3):
        steps = [("sum", k, 1), ("z", k, 1), ("g", k, 1), ("h", k, 1)]
        path += list(pairwise(steps))
    return {
        "forward values (3)": lambda: draw_network(
            net.sizes,
            weights=net.W,
            node_text=node_text,
            edge_text=edge_text,
            title="worked example: forward values (z before g, h after)",
        ),
        "deltas and gradients (3.3)": lambda: draw_network(
            net.sizes,
            node_text=node_text,
            hidden_labels=deltas,
            edge_text=edge_text,
            highlight={"edges": [(2, 1, 2)], "nodes": [(1, 2), (2, 1)]},
            title=r"worked example: on each edge $\partial$Loss$/\partial W$"
            r" = $\delta$ at its head $\times$ $h$ at its tail",
        ),
        "chain-rule path (3)": lambda: draw_computation_graph(
            [2, 2, 2, 1],
            highlight=path,
            title=r"how $W^{(2)}_{11}$ reaches the loss: one local slope per highlighted arrow",
        ),
        "graph with values (3)": lambda: draw_computation_graph(
            net.sizes, node_text=values, title="worked example: the forward values on the graph"
        ),
        "gradients on the output weights (3.2)": lambda: draw_computation_graph(
            net.sizes,
            start=("h", 2),
            node_text={("z", 3, 1): "∂Loss/∂z\n= -0.599"},
            edge_text={("W", 3, 1, j): "∂Loss/∂W = -0.258" for j in (1, 2)},
            title="worked example: ∂Loss/∂W = ∂Loss/∂z times h, on each edge",
        ),
        "the last two layers (3.3)": lambda: draw_computation_graph(
            net.sizes,
            start=("h", 1),
            node_text={("h", k, i): "h = 0.182" for k in (1, 2) for i in (1, 2)},
            title="worked example: δ at the z nodes, h at the h nodes",
        ),
        "from the sums of layer 2 (3.4)": lambda: draw_computation_graph(
            net.sizes,
            start=("sum", 2),
            node_text={("g", 2, i): "g' = 0.245" for i in (1, 2)},
            edge_text={("W", 3, 1, j): "= +2.0" for j in (1, 2)},
        ),
    }


def _trained_figures():
    from nnlib import Network, train

    X, y = xor()
    net = Network([2, 3, 1], activation="sigmoid", loss="logistic", bias=True, seed=1)
    exact = train(net, X, y, lr=1.0, epochs=40, batch_size=1, exact_cost=True)
    running = train(Network([2, 3, 1], seed=1), X, y, lr=1.0, epochs=40)
    return {
        "Figure 1 (1)": lambda: draw_network([4, 2, 1], title="Figure 1: one hidden layer"),
        "trained weights (1)": lambda: draw_network(
            [4, 2, 1],
            weights={1: np.ones((2, 4)), 2: -np.ones((1, 2))},
            input_labels=["GPA", "IQ", "BMI", "sleep"],
            title="The trained weights (width: size, colour: sign)",
        ),
        "biases as a constant node (4)": lambda: draw_network(
            [3, 2, 1],
            input_labels=["", "", "constant node"],
            node_text={(0, 3): "always 1"},
            edge_text={(1, 1, 3): "$b^{(1)}_1$", (1, 2, 3): "$b^{(1)}_2$"},
            highlight={"edges": [(1, 1, 3), (1, 2, 3)]},
            title="the biases of layer 1 are the weights of a constant node",
        ),
        "J per epoch (3)": lambda: plot_cost(exact, label="batch_size = 1"),
        "J and running mean (1)": lambda: plot_cost(exact, running=True),
        "running mean only": lambda: plot_cost(running),
        "decision boundary (2, 3.6)": lambda: plot_decision_boundary(net, X, y),
        "activations (2)": lambda: plot_activations(("step", "sigmoid", "tanh", "relu"))[0],
    }


FIGURES = {**_worked_example_figures(), **_trained_figures()}


@pytest.mark.parametrize("name", list(FIGURES))
def test_every_text_is_at_least_9_css_px_on_the_page(name):
    ax = FIGURES[name]()
    px, text, width = displayed_text_px(ax.figure)
    assert px >= MIN_TEXT_PX, (
        f"{name}: {text!r} is {px:.1f} CSS px tall on the page (PNG {width} px wide, "
        f"shown at most {COLUMN_PX} px); every text needs >= {MIN_TEXT_PX}"
    )


def test_the_measure_sees_a_figure_shrunk_by_the_column():
    """A figure twice as wide as the column shows its text at half size: the test would fail."""
    fig, ax = plt.subplots(figsize=(2 * COLUMN_PX / 100, 2), dpi=100)
    ax.text(0.5, 0.5, "ten points", fontsize=10)
    ax.axis("off")
    px, text, width = displayed_text_px(fig)
    assert text == "ten points" and width > COLUMN_PX
    assert px == pytest.approx(10 * 100 / 72 * COLUMN_PX / width)
    assert px < MIN_TEXT_PX


def test_the_measure_sees_a_subscript_at_the_size_it_is_drawn():
    """14 pt is 19.4 px, but the subscript of $h_1$ is drawn at 70 %: 13.6 px."""
    fig, ax = plt.subplots(figsize=(4, 2), dpi=100)
    ax.text(0.5, 0.5, "plain", fontsize=20)
    ax.text(0.2, 0.2, "$h_1$", fontsize=14)
    ax.axis("off")
    px, text, _ = displayed_text_px(fig)
    assert text == "$h_1$"
    assert px == pytest.approx(14 * 0.7 * 100 / 72)


def print_smallest_glyphs() -> None:
    """The smallest glyph of every figure, in CSS px on the page (run this module)."""
    for name, draw in FIGURES.items():
        px, text, width = displayed_text_px(draw().figure)
        print(f"{px:5.1f} px  {name}: {text!r} (PNG {width} px wide)")
        plt.close("all")


if __name__ == "__main__":
    print_smallest_glyphs()
