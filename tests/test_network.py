"""Unit tests for nnlib.network: shapes, the paper's indices, forward and backward passes."""

import inspect
import math

import numpy as np
import pytest
from bad_input import INF, NAN, X3, Y1, raises_exactly, small_net

from nnlib import (
    ACTIVATIONS,
    LOSSES,
    Forward,
    Gradients,
    Layers,
    Network,
    gradcheck,
    train,
    train_plain,
)
from nnlib.activations import sigmoid, tanh, tanh_prime

ARCHS = [[3, 1], [4, 2, 1], [2, 3, 3], [5, 4, 3, 2, 1], [1, 6, 6, 6, 6, 3]]


def _data(sizes, batch=5, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(batch, sizes[0])), rng.normal(size=(batch, sizes[-1]))


# -- shapes and the paper's layer numbers -----------------------------------------------


@pytest.mark.parametrize("sizes", ARCHS)
def test_weight_shapes_follow_the_paper(sizes):
    net = Network(sizes, seed=0)
    assert net.L == len(sizes) - 2
    assert list(net.layers) == list(range(1, net.L + 2))
    assert sorted(net.W) == list(range(1, net.L + 2))
    for k in range(1, net.L + 2):
        assert net.W[k].shape == (sizes[k], sizes[k - 1])
        assert net.W[k].dtype == np.float64
    assert net.sizes == tuple(sizes)


def test_figure_one_network():
    net = Network([4, 2, 1], activation="sigmoid", loss="logistic", seed=0)
    assert (net.L, net.W[1].shape, net.W[2].shape) == (1, (2, 4), (1, 2))
    assert net.b is None
    assert repr(net) == "Network([4, 2, 1], activation='sigmoid', loss='logistic', bias=False)"


def test_numpy_integer_layer_sizes_are_accepted():
    net = Network((np.int64(3), np.int32(2), 1), seed=0)
    assert net.sizes == (3, 2, 1)
    assert all(type(n) is int for n in net.sizes)


def test_missing_layer_raises_key_error_naming_the_layers_that_exist():
    net = Network([4, 2, 1], seed=0)
    with pytest.raises(KeyError, match=r"W\[0\] does not exist; layers available: 1 \.\. 2"):
        net.W[0]
    with pytest.raises(KeyError, match=r"W\[3\] does not exist; layers available: 1 \.\. 2"):
        net.W[3]
    fw = net.forward(np.ones(4))
    with pytest.raises(KeyError, match=r"z\[0\] does not exist; layers available: 1 \.\. 2"):
        fw.z[0]
    with pytest.raises(KeyError, match=r"h\[3\] does not exist; layers available: 0 \.\. 2"):
        fw.h[3]
    grads = net.backward(fw, 1.0)
    with pytest.raises(KeyError, match=r"dW\[0\] does not exist"):
        grads.dW[0]
    with pytest.raises(KeyError, match=r"dz\[0\] does not exist"):
        grads.dz[0]


def test_empty_layers_say_so():
    with pytest.raises(KeyError, match=r"b\[1\] does not exist; layers available: none"):
        Layers("b")[1]


def test_initial_weights_are_scaled_by_fan_in():
    net = Network([400, 300, 1], seed=0)
    assert np.std(net.W[1]) == pytest.approx(1 / math.sqrt(400), rel=0.05)
    assert abs(np.mean(net.W[1])) < 0.01
    assert np.all(net.W[1] != 0)


# -- seeding ------------------------------------------------------------------------------


def test_same_seed_same_weights():
    a, b = Network([3, 5, 2], seed=7), Network([3, 5, 2], seed=7)
    for k in a.layers:
        np.testing.assert_array_equal(a.W[k], b.W[k])


def test_different_seeds_different_weights():
    a, b = Network([3, 5, 2], seed=7), Network([3, 5, 2], seed=8)
    for k in a.layers:
        assert not np.allclose(a.W[k], b.W[k])


def test_no_seed_draws_fresh_weights():
    a, b = Network([3, 5, 2]), Network([3, 5, 2])
    assert not np.allclose(a.W[1], b.W[1])


# -- forward pass -------------------------------------------------------------------------


def _hand_net(activation="identity", bias=False, output_activation=None):
    r"""The [2, 2, 1] network of the hand computations below.

    W^(1) = [[0.5, -1.0], [2.0, 0.25]]   (W^(1)_12 = -1: input 2 -> hidden 1)
    W^(2) = [[1.5, -2.0]]
    """
    net = Network(
        [2, 2, 1],
        activation=activation,
        loss="squared",
        bias=bias,
        seed=0,
        output_activation=output_activation,
    )
    net.W[1] = np.array([[0.5, -1.0], [2.0, 0.25]])
    net.W[2] = np.array([[1.5, -2.0]])
    return net


def test_forward_by_hand_identity():
    net = _hand_net("identity")
    fw = net.forward([1.0, 2.0])
    # z^(1)_1 = 0.5*1 + (-1)*2 = -1.5,  z^(1)_2 = 2*1 + 0.25*2 = 2.5
    np.testing.assert_array_equal(fw.z[1], [-1.5, 2.5])
    np.testing.assert_array_equal(fw.h[1], [-1.5, 2.5])
    # z^(2)_1 = 1.5*(-1.5) + (-2)*2.5 = -7.25
    np.testing.assert_array_equal(fw.z[2], [-7.25])
    np.testing.assert_array_equal(fw.output, [-7.25])
    np.testing.assert_array_equal(fw.h[0], [1.0, 2.0])


def test_forward_by_hand_relu_and_sigmoid():
    fw = _hand_net("relu").forward([1.0, 2.0])
    np.testing.assert_array_equal(fw.h[1], [0.0, 2.5])  # relu(-1.5) = 0
    np.testing.assert_array_equal(fw.z[2], [-5.0])  # 1.5*0 - 2*2.5

    fw = _hand_net("sigmoid").forward([1.0, 2.0])
    h1 = [1 / (1 + math.exp(1.5)), 1 / (1 + math.exp(-2.5))]
    np.testing.assert_allclose(fw.h[1], h1, rtol=1e-15)
    z2 = 1.5 * h1[0] - 2.0 * h1[1]
    assert fw.z[2][0] == pytest.approx(z2, rel=1e-15)
    assert fw.h[2][0] == pytest.approx(1 / (1 + math.exp(-z2)), rel=1e-15)


def test_forward_by_hand_batch():
    fw = _hand_net("identity").forward([[1.0, 2.0], [0.0, -1.0]])
    # second row: z^(1) = [0 + 1, 0 - 0.25] = [1, -0.25]; z^(2) = 1.5 + 0.5 = 2
    np.testing.assert_array_equal(fw.z[1], [[-1.5, 2.5], [1.0, -0.25]])
    np.testing.assert_array_equal(fw.z[2], [[-7.25], [2.0]])


def test_weight_index_convention():
    # W[k][i-1, j-1] is W^(k)_ij, the edge from node j of layer k-1 to node i of layer k:
    # nudging x_2 by d moves z^(1)_1 by W^(1)_12 * d and z^(1)_2 by W^(1)_22 * d.
    net = _hand_net("identity")
    d = 0.5
    dz1 = net.forward([1.0, 2.0 + d]).z[1] - net.forward([1.0, 2.0]).z[1]
    np.testing.assert_allclose(dz1, [net.W[1][0, 1] * d, net.W[1][1, 1] * d])
    np.testing.assert_allclose(dz1, [-0.5, 0.125])


@pytest.mark.parametrize("sizes", ARCHS)
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_forward_matches_the_paper_equations(sizes, activation):
    net = Network(sizes, activation=activation, seed=1)
    X, _ = _data(sizes)
    fw = net.forward(X)
    assert isinstance(fw, Forward) and not fw.single
    np.testing.assert_array_equal(fw.h[0], X)
    assert sorted(fw.z) == list(range(1, net.L + 2))
    assert sorted(fw.h) == list(range(0, net.L + 2))
    for k in net.layers:
        np.testing.assert_allclose(fw.z[k], fw.h[k - 1] @ net.W[k].T, rtol=1e-14, atol=1e-15)
        np.testing.assert_array_equal(fw.h[k], net.activation.g(fw.z[k]))
        assert fw.z[k].shape == (5, sizes[k])


@pytest.mark.parametrize("sizes", ARCHS)
def test_one_sample_and_a_batch_agree(sizes):
    net = Network(sizes, activation="tanh", bias=True, seed=2)
    for k in net.layers:
        net.b[k][...] = np.linspace(-1, 1, sizes[k])
    X, _ = _data(sizes, batch=4)
    batch = net.forward(X)
    for i, x in enumerate(X):
        one = net.forward(x)
        assert one.single
        np.testing.assert_array_equal(one.h[0], x)
        for k in net.layers:
            assert one.z[k].shape == (sizes[k],) and one.h[k].shape == (sizes[k],)
            np.testing.assert_allclose(one.z[k], batch.z[k][i], rtol=1e-13, atol=1e-14)
            np.testing.assert_allclose(one.h[k], batch.h[k][i], rtol=1e-13, atol=1e-14)
        np.testing.assert_allclose(net.predict(x), batch.output[i], rtol=1e-13, atol=1e-14)


def test_a_list_input_works_like_an_array():
    net = Network([3, 2, 1], seed=0)
    np.testing.assert_array_equal(
        net.predict([[1, 2, 3]]), net.predict(np.array([[1.0, 2.0, 3.0]]))
    )


def test_forward_does_not_modify_its_input():
    net = Network([3, 2, 1], bias=True, seed=0)
    X = np.arange(6.0).reshape(2, 3)
    before = X.copy()
    net.forward(X)
    net.gradients(X, [0.0, 1.0])
    np.testing.assert_array_equal(X, before)


def test_output_activation_differs_from_hidden():
    net = Network([2, 3, 1], activation="tanh", output_activation="identity", seed=0)
    assert net.g(1).name == "tanh" and net.g(2).name == "identity"
    fw = net.forward([[0.3, -0.7]])
    np.testing.assert_array_equal(fw.h[1], tanh(fw.z[1]))
    np.testing.assert_array_equal(fw.h[2], fw.z[2])


def test_float32_network_computes_in_float32():
    net = Network([3, 4, 2], dtype=np.float32, seed=0)
    X, Y = _data([3, 4, 2])
    fw = net.forward(X)
    grads = net.backward(fw, Y)
    for k in net.layers:
        assert net.W[k].dtype == np.float32
        assert fw.z[k].dtype == np.float32 and fw.h[k].dtype == np.float32
        assert grads.dW[k].dtype == np.float32
    # the float32 weights are the float64 ones rounded
    ref = Network([3, 4, 2], seed=0)
    np.testing.assert_allclose(net.W[1], ref.W[1], rtol=1e-7)


# -- bias ---------------------------------------------------------------------------------


def test_bias_shapes_and_initial_zeros():
    net = Network([3, 4, 2], bias=True, seed=0)
    assert sorted(net.b) == [1, 2]
    for k in net.layers:
        assert net.b[k].shape == (net.sizes[k],)
        np.testing.assert_array_equal(net.b[k], 0.0)
    assert Network([3, 4, 2], seed=0).b is None


def test_bias_by_hand():
    net = _hand_net("identity", bias=True)
    net.b[1] = np.array([0.1, -0.2])
    net.b[2] = np.array([0.3])
    fw = net.forward([1.0, 2.0])
    np.testing.assert_allclose(fw.z[1], [-1.4, 2.3], rtol=1e-15)
    # 1.5*(-1.4) - 2*2.3 + 0.3 = -6.4
    np.testing.assert_allclose(fw.z[2], [-6.4], rtol=1e-15)
    grads = net.backward(fw, 1.0)
    # dLoss/dz = a - y = -7.4; db^(2) = -7.4; dz^(1) = -7.4 * [1.5, -2]
    np.testing.assert_allclose(grads.db[2], [-7.4], rtol=1e-14)
    np.testing.assert_allclose(grads.db[1], [-11.1, 14.8], rtol=1e-14)


def test_zero_bias_changes_nothing():
    plain, biased = Network([3, 4, 2], seed=5), Network([3, 4, 2], bias=True, seed=5)
    X, Y = _data([3, 4, 2])
    np.testing.assert_array_equal(plain.predict(X), biased.predict(X))
    assert plain.cost(X, Y) == biased.cost(X, Y)
    g0, g1 = plain.gradients(X, Y), biased.gradients(X, Y)
    assert g0.db is None
    for k in plain.layers:
        np.testing.assert_array_equal(g0.dW[k], g1.dW[k])
        np.testing.assert_allclose(g1.db[k], g1.dz[k].mean(axis=0), rtol=1e-15)


# -- cost J ---------------------------------------------------------------------------------


def test_loss_squared_is_the_mean_over_rows_plus_l2():
    net = Network([3, 2, 2], activation="sigmoid", loss="squared", l2=0.3, seed=4)
    X, Y = _data([3, 2, 2], batch=6)
    a = net.predict(X)
    per_sample = 0.5 * np.sum((a - Y) ** 2, axis=1)  # summed over output nodes
    penalty = 0.15 * sum(np.sum(w**2) for w in net.W.values())
    assert net.penalty() == pytest.approx(penalty, rel=1e-14)
    assert net.cost(X, Y) == pytest.approx(per_sample.mean() + penalty, rel=1e-14)
    assert net.cost(net.forward(X), Y) == net.cost(X, Y)


def test_loss_logistic_and_hinge_by_formula():
    X, _ = _data([3, 2, 1], batch=6)
    net = Network(
        [3, 2, 1], activation="tanh", loss="logistic", output_activation="sigmoid", seed=4
    )
    Y = np.array([0, 1, 1, 0, 1, 0.0])
    a = net.predict(X)[:, 0]
    expected = np.mean(-Y * np.log(a) - (1 - Y) * np.log(1 - a))
    assert net.cost(X, Y) == pytest.approx(expected, rel=1e-13)

    net = Network([3, 2, 1], activation="tanh", loss="hinge", output_activation="identity", seed=4)
    Y = np.array([1, -1, 1, -1, 1, -1.0])
    a = net.predict(X)[:, 0]
    assert net.cost(X, Y) == pytest.approx(np.mean(np.maximum(0, 1 - Y * a)), rel=1e-14)


def test_l2_does_not_penalise_biases():
    net = Network([3, 2, 1], bias=True, l2=0.5, seed=0)
    before = net.penalty()
    net.b[1][...] = 100.0
    assert net.penalty() == before > 0
    assert Network([3, 2, 1], seed=0).penalty() == 0.0


def test_single_sample_loss_is_loss_of_that_sample():
    net = Network([2, 3, 1], activation="tanh", loss="squared", seed=0)
    x, y = np.array([0.2, -0.4]), 0.7
    assert net.cost(x, y) == pytest.approx(0.5 * (net.predict(x)[0] - y) ** 2, rel=1e-14)


# -- backward pass ------------------------------------------------------------------------


def test_backward_by_hand_identity():
    net = _hand_net("identity")
    grads = net.backward(net.forward([1.0, 2.0]), 1.0)
    assert isinstance(grads, Gradients)
    # dLoss/dz^(2) = a - y = -7.25 - 1 = -8.25
    np.testing.assert_allclose(grads.dz[2], [-8.25])
    # dLoss/dW^(2)_1j = dLoss/dz * h^(1)_j = -8.25 * [-1.5, 2.5]
    np.testing.assert_allclose(grads.dW[2], [[12.375, -20.625]])
    # dLoss/dz^(1)_j = dLoss/dz * W^(2)_1j * g'(z^(1)_j) = -8.25 * [1.5, -2] * 1
    np.testing.assert_allclose(grads.dz[1], [-12.375, 16.5])
    # dLoss/dW^(1)_ij = dLoss/dz^(1)_i * x_j
    np.testing.assert_allclose(grads.dW[1], [[-12.375, -24.75], [16.5, 33.0]])


def test_backward_by_hand_relu():
    net = _hand_net("relu", output_activation="identity")
    grads = net.backward(net.forward([1.0, 2.0]), 1.0)
    # z^(2) = -5, dz^(2) = -5 - 1 = -6; g'(z^(1)) = relu'([-1.5, 2.5]) = [0, 1]
    np.testing.assert_allclose(grads.dz[2], [-6.0])
    np.testing.assert_allclose(grads.dW[2], [[0.0, -15.0]])
    np.testing.assert_allclose(grads.dz[1], [0.0, 12.0])
    np.testing.assert_allclose(grads.dW[1], [[0.0, 0.0], [12.0, 24.0]])


@pytest.mark.parametrize("sizes", ARCHS)
@pytest.mark.parametrize("bias", [False, True])
def test_backward_shapes(sizes, bias):
    net = Network(sizes, activation="tanh", bias=bias, seed=0)
    X, Y = _data(sizes, batch=3)
    grads = net.backward(net.forward(X), Y)
    assert sorted(grads.dW) == sorted(grads.dz) == list(net.layers)
    for k in net.layers:
        assert grads.dW[k].shape == net.W[k].shape
        assert grads.dz[k].shape == (3, sizes[k])
        if bias:
            assert grads.db[k].shape == net.b[k].shape
    if not bias:
        assert grads.db is None
    one = net.backward(net.forward(X[0]), Y[0])
    for k in net.layers:
        assert one.dz[k].shape == (sizes[k],)
        assert one.dW[k].shape == net.W[k].shape


@pytest.mark.parametrize("sizes", ARCHS)
def test_backward_follows_the_paper_recursion(sizes):
    net = Network(sizes, activation="tanh", output_activation="identity", seed=3)
    X, Y = _data(sizes, batch=4)
    fw = net.forward(X)
    grads = net.backward(fw, Y)
    top = net.L + 1
    # 3.1: dLoss/dz = dLoss/dg(z) * g'(z); squared loss and identity output: a - y
    np.testing.assert_allclose(grads.dz[top], fw.h[top] - Y, rtol=1e-14)
    for k in net.layers:
        # 3.3: dLoss/dW^(k)_ij = dLoss/dz^(k)_i h^(k-1)_j, averaged over the rows
        np.testing.assert_allclose(grads.dW[k], grads.dz[k].T @ fw.h[k - 1] / 4, rtol=1e-13)
        if k > 1:
            # 3.5: dLoss/dz^(k-1)_j = sum_i dLoss/dz^(k)_i W^(k)_ij g'(z^(k-1)_j)
            expected = (grads.dz[k] @ net.W[k]) * tanh_prime(fw.z[k - 1])
            np.testing.assert_allclose(grads.dz[k - 1], expected, rtol=1e-13, atol=1e-16)


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("loss", list(LOSSES))
def test_backward_follows_the_paper_recursion_for_every_activation_and_loss(activation, loss):
    outputs = LOSSES[loss].outputs
    out_act = activation if outputs is None or activation in outputs else outputs[0]
    net = Network(
        [3, 4, 3, 2], activation=activation, loss=loss, output_activation=out_act, bias=True, seed=3
    )
    rng = np.random.default_rng(0)
    for k in net.layers:
        net.b[k][...] = rng.normal(scale=0.3, size=net.b[k].shape)
    X = rng.normal(size=(5, 3))
    Y = {"logistic": rng.integers(0, 2, size=(5, 2)), "hinge": rng.choice([-1, 1], size=(5, 2))}
    Y = np.asarray(Y.get(loss, rng.normal(size=(5, 2))), dtype=float)
    fw = net.forward(X)
    grads = net.backward(fw, Y)
    g, g_out = ACTIVATIONS[activation], ACTIVATIONS[out_act]
    top = net.L + 1
    # 3.1: dLoss/dz = dLoss/dg(z) g'(z), whatever form the loss evaluates it in
    expected = LOSSES[loss].grad(fw.h[top], Y) * g_out.dg(fw.z[top])
    np.testing.assert_allclose(grads.dz[top], expected, rtol=1e-9, atol=1e-12)
    for k in net.layers:
        np.testing.assert_allclose(grads.dW[k], grads.dz[k].T @ fw.h[k - 1] / 5, rtol=1e-13)
        np.testing.assert_allclose(grads.db[k], grads.dz[k].mean(axis=0), rtol=1e-13)
        if k > 1:
            expected = (grads.dz[k] @ net.W[k]) * g.dg(fw.z[k - 1])
            np.testing.assert_allclose(grads.dz[k - 1], expected, rtol=1e-13, atol=1e-16)
    assert np.isfinite(net.cost(fw, Y))


def test_backward_reads_as_the_algorithm():
    # Chapter 3.6 includes this method's source: it must be the bare equations,
    # each step labelled with the book equation it implements.
    source = inspect.getsource(Network.backward)
    body = source.split('"""')[-1]
    for label in ("eq. dloss-dz", "eq. dloss-dw", "eq. dloss-dz-hidden"):
        assert f"# {label}" in body
    order = [body.index(f"# eq. {label}") for label in ("dloss-dz\n", "dloss-dw", "dloss-dz-hidden")]
    assert order == sorted(order)
    assert "single" not in body and "_checks" not in body  # one-sample handling is the wrapper's
    forward = inspect.getsource(Network.forward).split('"""')[-1]
    assert "single" not in forward and "# eq. forward-z" in forward and "# eq. forward-h" in forward


def test_forward_and_backward_accept_rows_for_one_sample_via_one_wrapper():
    net = Network([3, 2, 1], activation="tanh", seed=0)
    one = net.forward([0.1, 0.2, 0.3])
    assert one.single and one.rows().z[1].shape == (1, 2)
    assert net.forward([[0.1, 0.2, 0.3]]).rows().z[1].shape == (1, 2)
    grads = net.backward(one, 0.5)
    assert grads.dz[1].shape == (2,) and grads.dW[1].shape == (2, 3)
    # the wrapper keeps the docstrings Sphinx shows
    assert "eq. ``forward-z``" in Network.forward.__doc__
    assert "eq. ``dloss-dw``" in Network.backward.__doc__


def test_single_sample_gradient_equals_batch_of_one():
    net = Network([3, 4, 2], activation="sigmoid", bias=True, seed=0)
    x, y = np.array([0.1, -0.3, 0.8]), np.array([0.5, -0.5])
    one = net.gradients(x, y)
    batch = net.gradients(x[None], y[None])
    for k in net.layers:
        np.testing.assert_allclose(one.dW[k], batch.dW[k], rtol=1e-15)
        np.testing.assert_allclose(one.dz[k], batch.dz[k][0], rtol=1e-15)
        np.testing.assert_allclose(one.db[k], batch.db[k], rtol=1e-15)


def test_gradients_is_backward_of_forward():
    net = Network([3, 4, 1], activation="tanh", loss="hinge", seed=0)
    X, _ = _data([3, 4, 1], batch=6)
    Y = np.array([1, -1, 1, 1, -1, -1.0])
    a, b = net.gradients(X, Y), net.backward(net.forward(X), Y)
    for k in net.layers:
        np.testing.assert_array_equal(a.dW[k], b.dW[k])
        np.testing.assert_array_equal(a.dz[k], b.dz[k])


def test_l2_adds_lambda_w_to_the_gradient():
    X, Y = _data([3, 4, 2], batch=6)
    plain = Network([3, 4, 2], seed=1)
    reg = Network([3, 4, 2], l2=0.25, seed=1)
    g0, g1 = plain.gradients(X, Y), reg.gradients(X, Y)
    for k in plain.layers:
        np.testing.assert_allclose(g1.dW[k] - g0.dW[k], 0.25 * reg.W[k], rtol=1e-12, atol=1e-15)


# -- multi-output networks ------------------------------------------------------------------


def test_multi_output_squared_sums_over_output_nodes():
    net = Network([2, 2], activation="identity", loss="squared", seed=0)
    net.W[1] = np.eye(2)
    X = np.array([[1.0, 2.0], [3.0, -1.0]])
    Y = np.array([[0.0, 0.0], [1.0, 1.0]])
    # row 1: 0.5*(1 + 4) = 2.5; row 2: 0.5*(4 + 4) = 4; J = 3.25
    assert net.cost(X, Y) == 3.25
    grads = net.gradients(X, Y)
    np.testing.assert_array_equal(grads.dz[1], X - Y)
    np.testing.assert_allclose(grads.dW[1], (X - Y).T @ X / 2)


@pytest.mark.parametrize("loss", ["squared", "logistic", "hinge"])
def test_multi_output_shapes_and_labels(loss):
    net = Network(
        [3, 5, 3],
        activation="tanh",
        loss=loss,
        output_activation="sigmoid" if loss == "logistic" else "tanh",
        seed=0,
    )
    X, _ = _data([3, 5, 3], batch=4)
    Y = {"squared": np.zeros((4, 3)), "logistic": np.eye(4, 3), "hinge": 2 * np.eye(4, 3) - 1}[loss]
    fw = net.forward(X)
    assert fw.output.shape == (4, 3)
    grads = net.backward(fw, Y)
    assert grads.dz[2].shape == (4, 3)
    # one sample: a 1-D label row of length n_{L+1} is accepted
    one = net.gradients(X[0], Y[0])
    assert one.dz[2].shape == (3,)
    assert math.isfinite(net.cost(X[0], Y[0]))


def test_multi_output_logistic_delta_is_g_minus_y():
    net = Network([2, 3, 2], activation="sigmoid", loss="logistic", seed=0)
    X = np.array([[0.5, -1.0], [2.0, 0.1], [0.0, 0.0]])
    Y = np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
    fw = net.forward(X)
    np.testing.assert_allclose(net.backward(fw, Y).dz[2], sigmoid(fw.z[2]) - Y, rtol=1e-15)


# -- copy and step --------------------------------------------------------------------------


def test_copy_is_independent():
    net = Network([3, 4, 2], activation="tanh", loss="hinge", bias=True, l2=0.1, seed=0)
    c = net.copy()
    assert isinstance(c, Network)
    assert (c.sizes, c.activation, c.loss_fn, c.bias, c.l2, c.dtype) == (
        net.sizes,
        net.activation,
        net.loss_fn,
        net.bias,
        net.l2,
        net.dtype,
    )
    W_before = {k: w.copy() for k, w in net.W.items()}
    b_before = {k: b.copy() for k, b in net.b.items()}
    for k in c.layers:
        np.testing.assert_array_equal(c.W[k], net.W[k])
        assert c.W[k] is not net.W[k] and c.b[k] is not net.b[k]
        c.W[k] += 1.0
        c.b[k] -= 1.0
    c.W[1] = np.zeros_like(c.W[1])
    for k in net.layers:
        np.testing.assert_array_equal(net.W[k], W_before[k])
        np.testing.assert_array_equal(net.b[k], b_before[k])
    # and the other way round
    net.W[2][...] = 7.0
    assert not np.any(c.W[2] == 7.0)


def test_step_subtracts_the_gradient():
    net = Network([3, 4, 1], activation="sigmoid", bias=True, seed=0)
    for k in net.layers:
        net.b[k][...] = 0.1
    X, Y = _data([3, 4, 1], batch=8)
    grads = net.gradients(X, Y)
    before = net.copy()
    J0 = net.cost(X, Y)
    net.step(grads, lr=0.01)
    for k in net.layers:
        np.testing.assert_allclose(net.W[k], before.W[k] - 0.01 * grads.dW[k], rtol=1e-15)
        np.testing.assert_allclose(net.b[k], before.b[k] - 0.01 * grads.db[k], rtol=1e-15)
    assert net.cost(X, Y) < J0
    # the paper's sign (adding the gradient) makes J rise: the erratum of section 3.6
    for k in before.layers:
        before.W[k] += 0.01 * grads.dW[k]
        before.b[k] += 0.01 * grads.db[k]
    assert before.cost(X, Y) > J0


def test_parameters_yields_the_networks_own_arrays():
    net = Network([3, 4, 2], bias=True, seed=0)
    params = list(net.parameters())
    assert [(kind, k) for kind, k, _ in params] == [("W", 1), ("b", 1), ("W", 2), ("b", 2)]
    for kind, k, arr in params:
        assert arr is (net.W[k] if kind == "W" else net.b[k])


def test_accuracy_counts_samples_on_the_labels_side_of_the_threshold() -> None:
    net = Network([1, 1], activation="identity", seed=0)
    net.W[1][:] = 1.0  # g(z) = x
    X = np.array([[0.9], [0.2], [0.7], [0.4]])
    assert net.accuracy(X, [1, 0, 0, 0]) == 0.75  # the third sample is wrong
    assert net.accuracy(X, [1, -1, 1, -1], threshold=0.5) == 1.0
    assert net.accuracy(X - 0.5, [1, -1, 1, -1], threshold=0.0) == 1.0
    two = Network([1, 2], activation="identity", seed=0)
    two.W[1][:] = [[1.0], [-1.0]]  # outputs (x, -x)
    # every node must be right: the second row fails on node 2
    assert two.accuracy([[1.0], [1.0]], [[1, 0], [1, 1]]) == 0.5
    with pytest.raises(ValueError, match="rows of labels"):
        net.accuracy(X, [1, 0])


# -- bad input: layer sizes, settings, inputs X and labels Y --------------------




# -- layer sizes ---------------------------------------------------------------------------


BAD_SIZES = [
    ([2, 0, 1], ValueError, r"layer 1 has size 0; every layer size must be an integer >= 1"),
    ([2, -3, 1], ValueError, r"layer 1 has size -3; every layer size must be an integer >= 1"),
    ([0, 1], ValueError, r"layer 0 has size 0; every layer size must be an integer >= 1"),
    ([2, 1, 0], ValueError, r"layer 2 has size 0"),
    (
        [2, 2.5, 1],
        TypeError,
        r"layer 1 has size 2\.5 \(float\); every layer size must be an integer >= 1",
    ),
    (
        [2, "3", 1],
        TypeError,
        r"layer 1 has size '3' \(str\); every layer size must be an integer",
    ),
    (
        [2, True, 1],
        TypeError,
        r"layer 1 has size True \(bool\); every layer size must be an integer",
    ),
    ([2.0, 1], TypeError, r"layer 0 has size 2\.0 \(float\)"),
    ([2, None, 1], TypeError, r"layer 1 has size None"),
    ([3], ValueError, r"sizes needs at least two layers \(input and output\), got \[3\]"),
    ([], ValueError, r"sizes needs at least two layers \(input and output\), got \[\]"),
    ("31", TypeError, r"sizes must be a list of layer widths such as \[4, 2, 1\], got str"),
    (3, TypeError, r"sizes must be a list of layer widths such as \[4, 2, 1\], got int"),
    (None, TypeError, r"sizes must be a list of layer widths"),
]


@pytest.mark.parametrize(
    ("sizes", "exc", "match"), BAD_SIZES, ids=[repr(case[0]) for case in BAD_SIZES]
)
def test_bad_layer_sizes(sizes, exc, match):
    raises_exactly(exc, match, Network, sizes)



@pytest.mark.parametrize(
    ("activation", "output_activation", "named"),
    [
        ("tanh", None, "tanh"),
        ("sigmoid", "tanh", "tanh"),
        ("sigmoid", "identity", "identity"),
        ("relu", None, "relu"),
        ("sigmoid", "step", "step"),
        ("sigmoid", "softplus", "softplus"),
    ],
)
def test_logistic_loss_needs_a_sigmoid_output(activation, output_activation, named):
    err = raises_exactly(
        ValueError,
        r"the logistic loss needs predictions g\(z\) strictly between 0 and 1, "
        rf"but the output activation is '{named}'; expected output_activation in \('sigmoid',\)",
        Network,
        [3, 2, 1],
        activation=activation,
        loss="logistic",
        output_activation=output_activation,
    )
    assert "sigmoid" in str(err)


@pytest.mark.parametrize("loss", list(LOSSES))
@pytest.mark.parametrize("output", list(ACTIVATIONS))
def test_every_output_activation_a_loss_refuses_is_refused_by_network_with_its_reason(loss, output):
    allowed = LOSSES[loss].outputs
    if allowed is None or output in allowed:
        assert Network([3, 1], loss=loss, output_activation=output).output_activation.name == output
    else:
        raises_exactly(
            ValueError,
            rf"the {loss} loss needs .+, but the output activation is '{output}'; expected "
            rf"output_activation in \({', '.join(repr(a) for a in allowed)},\)",
            Network,
            [3, 1],
            loss=loss,
            output_activation=output,
        )


def test_logistic_loss_with_tanh_hidden_and_sigmoid_output_is_fine():
    net = Network([3, 2, 1], activation="tanh", loss="logistic", output_activation="sigmoid")
    assert net.output_activation.name == "sigmoid"


@pytest.mark.parametrize(
    ("l2", "exc", "match"),
    [
        (-0.1, ValueError, r"l2 must be a finite number >= 0, got -0\.1"),
        (NAN, ValueError, r"l2 must be a finite number >= 0, got nan"),
        (INF, ValueError, r"l2 must be a finite number >= 0, got inf"),
        ("0.1", TypeError, r"l2 must be a number >= 0, got '0\.1'"),
        (None, TypeError, r"l2 must be a number >= 0, got None"),
    ],
)
def test_bad_l2(l2, exc, match):
    raises_exactly(exc, match, Network, [3, 1], l2=l2)


@pytest.mark.parametrize("dtype", [np.int32, np.float16, np.complex128, bool])
def test_bad_dtype(dtype):
    raises_exactly(TypeError, r"dtype must be float32 or float64, got", Network, [3, 1], dtype=dtype)



# -- inputs X --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "X",
    [np.ones((4, 2)), np.ones((4, 4)), np.ones(2), np.ones(5), np.ones((1, 1))],
    ids=["batch-2", "batch-4", "one-2", "one-5", "batch-1"],
)
def test_wrong_number_of_features_says_the_expected_count(X):
    net = small_net()
    got = X.shape[-1]
    match = rf"X has {got} features per sample, but the input layer expects n_0 = 3"
    raises_exactly(ValueError, match, net.forward, X)
    raises_exactly(ValueError, match, net.predict, X)
    raises_exactly(ValueError, match, net.cost, X, np.zeros(len(np.atleast_2d(X))))
    raises_exactly(ValueError, match, net.gradients, X, np.zeros(len(np.atleast_2d(X))))
    raises_exactly(ValueError, match, train, net, X, np.zeros(len(np.atleast_2d(X))), lr=0.1)
    raises_exactly(ValueError, match, train_plain, net, X, np.zeros(len(np.atleast_2d(X))), lr=0.1)
    raises_exactly(ValueError, match, gradcheck, net, X, np.zeros(len(np.atleast_2d(X))))


@pytest.mark.parametrize("bad", [NAN, INF, -INF])
def test_non_finite_input(bad):
    net = small_net()
    X = X3.copy()
    X[2, 1] = bad
    match = r"X contains NaN or infinite values; every input must be finite"
    raises_exactly(ValueError, match, net.forward, X)
    raises_exactly(ValueError, match, net.forward, X[2])
    raises_exactly(ValueError, match, net.cost, X, Y1)
    raises_exactly(ValueError, match, train, net, X, Y1, lr=0.1)
    raises_exactly(ValueError, match, train_plain, net, X, Y1, lr=0.1)
    raises_exactly(ValueError, match, gradcheck, net, X, Y1)


@pytest.mark.parametrize(
    ("X", "match"),
    [
        (
            np.ones((2, 2, 3)),
            r"X must have shape \(n_0,\) for one sample or \(batch, n_0\) for a batch, "
            r"got an array with 3 dimensions, shape \(2, 2, 3\)",
        ),
        (1.5, r"X must have shape \(n_0,\) .* got an array with 0 dimensions"),
        (np.ones((0, 3)), r"X holds no samples; expected at least one row"),
    ],
    ids=["3-D", "scalar", "empty"],
)
def test_badly_shaped_input(X, match):
    raises_exactly(ValueError, match, small_net().forward, X)


@pytest.mark.parametrize(
    "X",
    [[["a", "b", "c"]], [[1.0, 2.0, 3.0], [1.0, 2.0]], {"x": 1}],
    ids=["text", "ragged", "dict"],
)
def test_input_that_is_not_numbers(X):
    raises_exactly(TypeError, r"X must be an array of numbers, got", small_net().forward, X)


# -- labels Y ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [2.0, -1.0, 1.5])
def test_logistic_labels_outside_zero_one(bad):
    net = small_net(activation="sigmoid", loss="logistic")
    Y = Y1.copy()
    Y[1] = bad
    # the offending value is named (NumPy 2 may print it as np.float64(...))
    match = (
        r"logistic loss needs labels y in \{0, 1\} \(or probabilities in \[0, 1\]\); got \S*"
        + str(bad)
    )
    raises_exactly(ValueError, match, net.cost, X3, Y)
    raises_exactly(ValueError, match, net.gradients, X3, Y)
    raises_exactly(ValueError, match, net.backward, net.forward(X3), Y)
    raises_exactly(ValueError, match, train, net, X3, Y, lr=0.1)
    raises_exactly(ValueError, match, train_plain, net, X3, Y, lr=0.1)
    raises_exactly(ValueError, match, gradcheck, net, X3, Y)


@pytest.mark.parametrize("bad", [0.0, 0.5, 2.0])
def test_hinge_labels_not_plus_minus_one(bad):
    net = small_net(activation="tanh", loss="hinge")
    Y = np.array([1.0, -1.0, bad, 1.0])
    match = r"hinge loss needs labels y in \{-1, \+1\}; got \S*" + str(bad)
    raises_exactly(ValueError, match, net.cost, X3, Y)
    raises_exactly(ValueError, match, net.gradients, X3, Y)
    raises_exactly(ValueError, match, train, net, X3, Y, lr=0.1)
    raises_exactly(ValueError, match, train_plain, net, X3, Y, lr=0.1)


def test_hinge_with_zero_one_labels_says_what_was_expected():
    net = small_net(activation="tanh", loss="hinge")
    raises_exactly(ValueError, r"hinge loss needs labels y in \{-1, \+1\}; got \S*0\.0", net.cost, X3, Y1)


@pytest.mark.parametrize("n_labels", [3, 5, 1])
def test_label_rows_must_match_input_rows(n_labels):
    net = small_net()
    Y = np.zeros(n_labels)
    match = rf"Y has {n_labels} rows of labels but X has 4 samples; expected one label row per input row"
    raises_exactly(ValueError, match, net.cost, X3, Y)
    raises_exactly(ValueError, match, net.gradients, X3, Y)
    raises_exactly(ValueError, match, net.backward, net.forward(X3), Y)
    raises_exactly(ValueError, match, train, net, X3, Y, lr=0.1)
    raises_exactly(ValueError, match, train_plain, net, X3, Y, lr=0.1)
    raises_exactly(ValueError, match, gradcheck, net, X3, Y)


def test_label_rows_for_one_sample():
    net = small_net()
    raises_exactly(ValueError, r"Y has 2 rows of labels but X has 1 samples", net.cost, X3[0], [0.0, 1.0])


def test_labels_with_the_wrong_number_of_outputs():
    net = small_net((3, 4, 2))
    raises_exactly(
        ValueError,
        r"Y has shape \(4, 3\); expected one label per output node, shape \(4, 2\)",
        net.cost,
        X3,
        np.zeros((4, 3)),
    )
    raises_exactly(
        ValueError,
        r"Y has shape \(4,\); with 2 output nodes expected shape \(4, 2\)",
        net.cost,
        X3,
        np.zeros(4),
    )
    for trainer in (train, train_plain):
        raises_exactly(
            ValueError,
            r"Y has shape \(4, 1\); expected one label per output node, shape \(4, 2\)",
            trainer,
            net,
            X3,
            np.zeros((4, 1)),
            lr=0.1,
        )
    raises_exactly(
        ValueError,
        r"Y has shape \(2, 2, 2\); expected one label per output node",
        net.cost,
        X3,
        np.zeros((2, 2, 2)),
    )


def test_labels_as_one_row_for_a_single_output_net():
    # 4 labels as a (1, 4) row instead of a column
    raises_exactly(
        ValueError,
        r"Y has shape \(1, 4\); expected one label per output node, shape \(4, 1\)",
        small_net().cost,
        X3,
        Y1[None, :],
    )


@pytest.mark.parametrize("bad", [NAN, INF, -INF])
def test_non_finite_labels(bad):
    net = small_net()
    Y = Y1.copy()
    Y[0] = bad
    match = r"Y contains NaN or infinite values; every label must be finite"
    raises_exactly(ValueError, match, net.cost, X3, Y)
    raises_exactly(ValueError, match, train, net, X3, Y, lr=0.1)
    raises_exactly(ValueError, match, train_plain, net, X3, Y, lr=0.1)


def test_labels_that_are_not_numbers():
    raises_exactly(
        TypeError, r"Y must be an array of numbers, got list", small_net().cost, X3, ["a", "b", "c", "d"]
    )
