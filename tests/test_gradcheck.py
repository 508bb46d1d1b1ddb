"""Unit tests for nnlib.gradcheck: it passes correct gradients and catches wrong ones."""

import re

import numpy as np
import pytest
from bad_input import INF, NAN, X3, Y1, raises_exactly, small_net

from nnlib import (
    ACTIVATIONS,
    LOSSES,
    Activation,
    GradCheck,
    Gradients,
    Layers,
    Loss,
    Network,
    gradcheck,
    relative_error,
)
from nnlib.activations import sigmoid, sigmoid_prime, tanh, tanh_prime
from nnlib.gradcheck import format_error
from nnlib.losses import squared, squared_grad


def _data(sizes, loss="squared", batch=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(batch, sizes[0]))
    shape = (batch, sizes[-1])
    if loss == "logistic":
        Y = rng.integers(0, 2, size=shape).astype(float)
    elif loss == "hinge":
        Y = rng.choice([-1.0, 1.0], size=shape)
    else:
        Y = rng.normal(size=shape)
    return X, Y


# -- relative error ----------------------------------------------------------------------


def test_relative_error_definition():
    assert relative_error(1.0, 1.1) == pytest.approx(0.1 / 1.1, rel=1e-14)
    assert relative_error(-2.0, 2.0) == 2.0
    assert relative_error(0.0, 0.0) == 0.0
    assert relative_error(3.0, 2.0) == relative_error(2.0, 3.0)
    # below the floor the error is absolute / floor
    assert relative_error(1e-9, 2e-9) == pytest.approx(1e-9 / 1e-4, rel=1e-12)
    assert relative_error(1e-9, 2e-9, floor=1e-12) == pytest.approx(0.5, rel=1e-12)
    np.testing.assert_allclose(relative_error(np.array([1.0, 4.0]), np.array([2.0, 4.0])), [0.5, 0])


# -- a correct network passes ---------------------------------------------------------------

CASES = [
    dict(sizes=[4, 2, 1], activation="sigmoid", loss="logistic"),
    dict(sizes=[3, 5, 4, 2], activation="tanh", loss="squared", bias=True),
    dict(sizes=[2, 3, 1], activation="identity", loss="squared", l2=0.1),
    dict(sizes=[3, 4, 3], activation="tanh", loss="hinge", output_activation="identity"),
    dict(sizes=[5, 1], activation="sigmoid", loss="squared", bias=True),
    dict(sizes=[3, 6, 6, 2], activation="relu", loss="squared", bias=True),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['sizes']}-{c['activation']}-{c['loss']}")
def test_correct_network_passes(case):
    case = dict(case)
    sizes = case.pop("sizes")
    net = Network(sizes, seed=0, **case)
    if net.b is not None:
        rng = np.random.default_rng(1)
        for k in net.layers:
            net.b[k][...] = rng.normal(scale=0.5, size=net.b[k].shape)
    X, Y = _data(sizes, case["loss"])
    result = gradcheck(net, X, Y)
    assert isinstance(result, GradCheck)
    assert result.max_error <= 1e-6
    assert result.ok()
    assert result.ok(tol=1e-6)


@pytest.mark.parametrize("loss", list(LOSSES))
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_every_registered_activation_and_loss_passes(activation, loss):
    allowed = LOSSES[loss].outputs
    output = activation if allowed is None or activation in allowed else allowed[0]
    if not ACTIVATIONS[output].smooth:
        output = "identity"  # a kinked output would make the hinge (and all) checks flaky
    net = Network(
        [3, 4, 3, 2], activation=activation, loss=loss, output_activation=output, bias=True, seed=0
    )
    X, Y = _data([3, 4, 3, 2], loss, batch=6)
    act = ACTIVATIONS[activation]
    fw = net.forward(X)
    for k in range(1, net.L + 1):  # stay clear of the kinks, where no derivative exists
        for kink in act.kinks:
            assert np.min(np.abs(fw.z[k] - kink)) > 1e-4
    if loss == "hinge":
        assert np.min(np.abs(Y * net.predict(X) - 1.0)) > 1e-4
    result = gradcheck(net, X, Y)
    assert result.max_error <= 1e-6, result.errors


def test_errors_are_keyed_by_layer_number():
    net = Network([3, 4, 4, 2], activation="tanh", seed=0)
    X, Y = _data([3, 4, 4, 2])
    result = gradcheck(net, X, Y)
    assert set(result.errors) == {1, 2, 3}
    assert result.max_error == max(result.errors.values())
    grads = net.gradients(X, Y)
    for k in net.layers:
        np.testing.assert_array_equal(result.analytic[k], grads.dW[k])
        assert result.numeric[k].shape == net.W[k].shape
        np.testing.assert_allclose(result.numeric[k], grads.dW[k], rtol=1e-6, atol=1e-10)


def test_bias_errors_are_keyed_b_k():
    net = Network([3, 4, 2], activation="tanh", bias=True, seed=0)
    X, Y = _data([3, 4, 2])
    result = gradcheck(net, X, Y)
    assert set(result.errors) == {1, 2, ("b", 1), ("b", 2)}
    assert all(e <= 1e-6 for e in result.errors.values())


def test_ok_compares_the_largest_error_with_the_tolerance():
    net = Network([3, 4, 1], activation="tanh", seed=0)
    X, Y = _data([3, 4, 1])
    result = gradcheck(net, X, Y)
    for tol in (1e-3, 1e-6, 1e-9, 1e-12, 1e-15):
        assert result.ok(tol) == (result.max_error <= tol)
    assert not result.ok(tol=0.0) or result.max_error == 0.0


def test_gradcheck_leaves_the_weights_exactly_as_they_were():
    net = Network([3, 4, 2], activation="sigmoid", bias=True, seed=0)
    before = net.copy()
    X, Y = _data([3, 4, 2])
    gradcheck(net, X, Y)
    for k in net.layers:
        np.testing.assert_array_equal(net.W[k], before.W[k])
        np.testing.assert_array_equal(net.b[k], before.b[k])


def test_gradcheck_works_on_weights_set_by_hand_in_any_memory_layout():
    # A reader may type W^(k) transposed and assign its .T, or a Fortran-ordered array.
    net = Network([3, 4, 2], activation="tanh", seed=0)
    X, Y = _data([3, 4, 2])
    net.W[1] = np.asfortranarray(net.W[1])
    net.W[2] = np.ascontiguousarray(net.W[2].T).T
    result = gradcheck(net, X, Y)
    assert result.max_error <= 1e-6, result.errors


def test_single_sample():
    net = Network([3, 4, 1], activation="sigmoid", loss="logistic", seed=0)
    assert gradcheck(net, [0.5, -1.0, 2.0], 1.0).max_error <= 1e-6


def test_float32_network_is_refused():
    net = Network([3, 2, 1], dtype=np.float32, seed=0)
    X, Y = _data([3, 2, 1])
    with pytest.raises(ValueError, match="gradcheck needs a float64 network, got float32") as info:
        gradcheck(net, X, Y)
    assert type(info.value) is ValueError


@pytest.mark.parametrize("eps", [0.0, -1e-5, float("nan")])
def test_bad_eps_is_refused(eps):
    net = Network([3, 2, 1], seed=0)
    X, Y = _data([3, 2, 1])
    with pytest.raises(ValueError, match="eps must be a finite number > 0"):
        gradcheck(net, X, Y, eps=eps)


# -- a wrong derivative is caught -------------------------------------------------------------

WRONG_SIGMOIDS = {
    # 10% too large
    "scaled": lambda z: 1.1 * sigmoid_prime(z),
    # g' evaluated at h = g(z) instead of at z
    "wrong argument": lambda z: sigmoid_prime(sigmoid(z)),
    # g'(z) = g(z): the 1 - g(z) factor forgotten
    "missing factor": lambda z: sigmoid(z),
}


@pytest.mark.parametrize("kind", list(WRONG_SIGMOIDS))
def test_a_wrong_activation_derivative_is_caught(kind):
    broken = Activation("sigmoid", g=sigmoid, dg=WRONG_SIGMOIDS[kind])
    net = Network([3, 4, 1], activation=broken, loss="squared", seed=0)
    X, Y = _data([3, 4, 1])
    result = gradcheck(net, X, Y)
    assert result.max_error > 1e-3
    assert not result.ok()
    # the numeric side is unaffected: it still agrees with a correct network's backprop
    good = Network([3, 4, 1], activation="sigmoid", loss="squared", seed=0)
    for k in good.layers:
        np.testing.assert_allclose(
            result.numeric[k], good.gradients(X, Y).dW[k], rtol=1e-6, atol=1e-10
        )


def test_a_wrong_hidden_derivative_shows_up_below_the_output_layer_only():
    # dg is used at the hidden layers only (the output layer keeps the true sigmoid),
    # so W^(2)'s gradient is right and W^(1)'s is wrong: the error is located by layer.
    broken = Activation("tanh", g=tanh, dg=lambda z: 1.0 - tanh(z))  # square forgotten
    net = Network([3, 4, 1], activation=broken, loss="squared", output_activation="sigmoid", seed=0)
    X, Y = _data([3, 4, 1])
    result = gradcheck(net, X, Y)
    assert result.errors[2] <= 1e-6
    assert result.errors[1] > 1e-3
    assert not result.ok()
    # with the right derivative it passes
    fixed = Network(
        [3, 4, 1],
        activation=Activation("tanh", tanh, tanh_prime),
        loss="squared",
        output_activation="sigmoid",
        seed=0,
    )
    assert gradcheck(fixed, X, Y).ok()


@pytest.mark.parametrize("factor", [1.05, 2.0, -1.0])
def test_a_wrong_loss_gradient_is_caught(factor):
    broken = Loss("squared", squared, lambda a, y: factor * squared_grad(a, y), lambda y: None)
    net = Network([3, 4, 2], activation="tanh", loss=broken, seed=0)
    X, Y = _data([3, 4, 2])
    result = gradcheck(net, X, Y)
    assert all(e > 1e-3 for e in result.errors.values())
    assert not result.ok()


def test_a_wrong_logistic_gradient_is_caught_when_not_fused():
    # a hand-written logistic loss without the fused sigmoid path: its grad is used
    def bad_grad(a, y):
        return (a - y) / a  # the (1 - a) factor forgotten

    def value(a, y):
        return -(y * np.log(a) + (1 - y) * np.log(1 - a))

    broken = Loss("my-logistic", value, bad_grad, lambda y: None)
    net = Network([3, 4, 1], activation="sigmoid", loss=broken, seed=0)
    X, Y = _data([3, 4, 1], loss="logistic")
    assert not gradcheck(net, X, Y).ok()


def test_hand_made_wrong_grads_are_reported_in_their_layer():
    net = Network([3, 4, 2], activation="tanh", bias=True, seed=0)
    X, Y = _data([3, 4, 2])
    grads = net.gradients(X, Y)
    assert gradcheck(net, X, Y, grads=grads).ok()
    grads.dW[1][2, 1] *= 1.01
    result = gradcheck(net, X, Y, grads=grads)
    assert result.errors[1] > 1e-3
    assert result.errors[2] <= 1e-6
    assert result.errors[("b", 1)] <= 1e-6 and result.errors[("b", 2)] <= 1e-6
    assert not result.ok()
    grads.dW[1][2, 1] /= 1.01
    grads.db[2][0] += 0.1
    result = gradcheck(net, X, Y, grads=grads)
    assert result.errors[("b", 2)] > 1e-3
    assert result.errors[1] <= 1e-6


def test_a_hand_written_backward_pass_is_checked():
    # The paper's algorithm written out for a [3, 4, 1] sigmoid network with squared loss,
    # once correctly and once with the classic slip of dropping g'(z) at the hidden layer.
    net = Network([3, 4, 1], activation="sigmoid", loss="squared", seed=0)
    X, Y = _data([3, 4, 1])
    fw = net.forward(X)

    def backward(with_hidden_gprime):
        dz2 = (fw.h[2] - Y) * sigmoid_prime(fw.z[2])
        dz1 = dz2 @ net.W[2]
        if with_hidden_gprime:
            dz1 = dz1 * sigmoid_prime(fw.z[1])
        n = len(X)
        return Gradients(
            dz=Layers("dz", {1: dz1, 2: dz2}),
            dW=Layers("dW", {1: dz1.T @ fw.h[0] / n, 2: dz2.T @ fw.h[1] / n}),
        )

    right = gradcheck(net, X, Y, grads=backward(True))
    assert right.ok() and right.max_error <= 1e-6
    wrong = gradcheck(net, X, Y, grads=backward(False))
    assert wrong.errors[2] <= 1e-6
    assert wrong.errors[1] > 1e-3
    assert not wrong.ok()


# -- node_gradient: dLoss/dz^(k) and dLoss/dh^(k) by central differences ----------------


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize(("activation", "loss"), [("sigmoid", "logistic"), ("tanh", "squared")])
def test_node_gradient_agrees_with_backpropagation_at_every_layer(activation, loss, bias):
    from nnlib.gradcheck import node_gradient

    net = Network([3, 4, 3, 2, 1], activation=activation, loss=loss, bias=bias, seed=5)
    if bias:
        for k in net.layers:
            net.b[k][...] = np.random.default_rng(k).normal(size=net.b[k].shape)
    x, y = np.array([0.3, -1.2, 0.8]), 1.0
    fw = net.forward(x)
    dz = net.backward(fw, y).dz
    for k in net.layers:  # dLoss/dz^(k) is delta^(k)
        assert np.max(relative_error(dz[k], node_gradient(net, x, y, k, eps=1e-4))) < 1e-7
    for k in range(1, net.L + 1):  # dLoss/dh^(k) = sum_i delta^(k+1)_i W^(k+1)_ij, without g'
        by_h = node_gradient(net, x, y, k, wrt="h", eps=1e-4)
        assert np.max(relative_error(dz[k + 1] @ net.W[k + 1], by_h)) < 1e-7
        assert np.max(relative_error(dz[k], by_h)) > 1e-3  # the g' factor tells them apart


def test_node_gradient_rejects_what_it_cannot_differentiate():
    from nnlib.gradcheck import node_gradient

    net = Network([2, 2, 1], seed=0)
    x = np.array([1.0, 2.0])
    with pytest.raises(ValueError, match="wrt"):
        node_gradient(net, x, 1.0, 1, wrt="W")
    for k in (0, 3, True, 1.0):
        with pytest.raises(ValueError, match="layer"):
            node_gradient(net, x, 1.0, k)
    with pytest.raises(ValueError, match=r"layer 1 \.\. 1"):
        node_gradient(net, x, 1.0, 2, wrt="h")  # h of the output is the prediction
    with pytest.raises(ValueError, match="one sample"):
        node_gradient(net, np.ones((3, 2)), np.ones(3), 1)
    with pytest.raises(ValueError, match="float64"):
        node_gradient(Network([2, 2, 1], seed=0, dtype=np.float32), x, 1.0, 1)


def test_error_bound_is_the_power_of_ten_at_or_above():
    from nnlib.gradcheck import error_bound

    assert error_bound(5.6e-9) == pytest.approx(1e-8)
    assert error_bound(1e-8) == pytest.approx(1e-8)
    assert error_bound(0.0) == pytest.approx(1e-300)
    assert error_bound(0.3) == 1.0


# -- compare_backprop: the chapters' one-line comparison --------------------------------


def _batch(n_in, batch, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(batch, n_in)), rng.integers(0, 2, size=batch).astype(float)


def test_compare_backprop_passes_a_correct_network_and_prints_one_table():
    from nnlib.gradcheck import compare_backprop

    net = Network([2, 3, 2, 1], activation="sigmoid", loss="logistic", seed=1)
    X, Y = _batch(2, 3)
    result = compare_backprop(net, X, Y)
    assert result.ok and result.worst <= 1e-7 and result.worst_sympy <= 1e-12
    assert [(r.layer, r.quantity) for r in result.rows] == [
        (k, q) for k in (3, 2, 1) for q in ("delta", "dW")
    ]
    text = str(result)
    lines = text.splitlines()
    assert lines[0] == "Network.backward on [2, 3, 2, 1], sigmoid + logistic, 3 samples"
    assert len(lines) == 2 + 6 + 1 and all(len(line) <= 79 for line in lines)
    assert lines[-1].startswith("worst relative error") and "within 1e-12 and 1e-07" in lines[-1]
    # every printed error is a decade bucket, never a raw float that round-off can move
    assert all(
        re.fullmatch(r"<1e-\d\d", tok)
        for line in lines[2:]
        for tok in line.split()
        if tok.startswith("<")
    )
    assert result.line() == (
        f"backward vs SymPy <1e-12, vs central differences {format_error(result.worst_central)}"
    )


def test_compare_backprop_on_one_sample_with_biases_and_two_thresholds():
    from nnlib.gradcheck import compare_backprop

    net = Network(
        [3, 2, 1],
        activation="tanh",
        output_activation="sigmoid",
        loss="logistic",
        bias=True,
        l2=0.05,
        seed=2,
    )
    for k in net.layers:
        net.b[k][:] = np.random.default_rng(k).normal(size=net.sizes[k])
    result = compare_backprop(net, [0.4, -0.3, 1.1], 1.0)
    assert result.ok
    assert {r.quantity for r in result.rows} == {"delta", "dW", "db"}
    assert "tanh/sigmoid + logistic, biases, l2=0.05, 1 sample" in result.title


def test_compare_backprop_flags_a_broken_backward(monkeypatch):
    """A slip in Network.backward (g' dropped below the output) is caught, in its layers."""
    from nnlib.gradcheck import compare_backprop
    from nnlib.network import Network as Net

    net = Network([2, 3, 2, 1], activation="tanh", loss="squared", seed=3)
    X, Y = _batch(2, 4, seed=3)
    right = Net.backward

    def broken(self, fw, Y):
        grads = right(self, fw, Y)
        top = self.L + 1
        dz, dW = Layers("dz", {top: grads.dz[top]}), Layers("dW", {top: grads.dW[top]})
        rows_h = {
            k: np.asarray(fw.h[k]).reshape(len(grads.dz[top].reshape(-1, 1)), -1)
            for k in range(top)
        }
        d = np.asarray(grads.dz[top]).reshape(-1, 1)
        for k in range(top, 1, -1):
            d = d @ self.W[k]  # the slip: no "* g'(z^(k-1))"
            dz[k - 1] = d.reshape(np.shape(grads.dz[k - 1]))
            dW[k - 1] = d.T @ rows_h[k - 2] / len(d)
        return Gradients(dz, dW, None)

    monkeypatch.setattr(Net, "backward", broken)
    with pytest.raises(AssertionError, match="disagrees") as caught:
        compare_backprop(net, X, Y)
    assert "ABOVE" in str(caught.value)
    result = compare_backprop(net, X, Y, check=False)
    assert not result.ok
    by_layer = {(r.layer, r.quantity): r for r in result.rows}
    assert by_layer[3, "dW"].vs_sympy <= 1e-12 and by_layer[3, "dW"].vs_central <= 1e-7
    for k in (1, 2):
        assert by_layer[k, "delta"].vs_sympy > 1e-3 and by_layer[k, "delta"].vs_central > 1e-3
        assert by_layer[k, "dW"].vs_sympy > 1e-3 and by_layer[k, "dW"].vs_central > 1e-3
    monkeypatch.undo()
    assert compare_backprop(net, X, Y).ok


def test_compare_backprop_checks_hand_made_gradients_and_chosen_rows():
    from nnlib.gradcheck import compare_backprop

    net = Network([2, 2, 1], activation="sigmoid", loss="squared", seed=4)
    X, Y = _batch(2, 2, seed=4)
    grads = net.gradients(X, Y)
    grads.dW[1][0, 1] *= 1.001
    only = compare_backprop(net, X, Y, grads=grads, layers=[2], quantities=("dW",))
    assert [(r.layer, r.quantity) for r in only.rows] == [(2, "dW")] and only.ok
    with pytest.raises(AssertionError):
        compare_backprop(net, X, Y, grads=grads, quantities=("dW",), symbolic=False)
    no_sympy = compare_backprop(net, X, Y, symbolic=False)
    assert no_sympy.worst_sympy is None and "SymPy" not in no_sympy.line()
    assert all(r.vs_sympy is None for r in no_sympy.rows) and " - " in str(no_sympy)


def test_compare_backprop_refuses_what_it_cannot_compare():
    from nnlib.gradcheck import compare_backprop

    net = Network([2, 2, 1], seed=0)
    with pytest.raises(ValueError, match="float64"):
        compare_backprop(Network([2, 2, 1], dtype=np.float32), [1.0, 2.0], 0.0)
    with pytest.raises(ValueError, match="quantities"):
        compare_backprop(net, [1.0, 2.0], 0.0, quantities=("dz",))
    with pytest.raises(ValueError, match="no biases"):
        compare_backprop(net, [1.0, 2.0], 0.0, quantities=("db",))
    with pytest.raises(ValueError, match="layers must be"):
        compare_backprop(net, [1.0, 2.0], 0.0, layers=[0])
    with pytest.raises(ValueError, match="symbolic=False"):
        compare_backprop(Network([2, 2, 2], seed=0), [1.0, 2.0], [0.0, 1.0])
    relu = Network([2, 2, 1], activation="relu", seed=0)
    relu.W[1][:] = [[1.0, -1.0], [0.5, 0.5]]
    with pytest.raises(ValueError, match="kink"):
        compare_backprop(relu, [1.0, 1.0], 0.0)  # z^(1)_1 = 0 exactly
    grads = net.gradients([1.0, 2.0], 0.0)
    with pytest.raises(ValueError, match="no dz"):
        compare_backprop(net, [1.0, 2.0], 0.0, grads=Gradients(None, grads.dW, None))


def test_format_error_prints_the_decade_above():
    assert format_error(5.6e-9) == "<1e-08"
    assert format_error(1e-8) == "<1e-07"
    assert format_error(0.25) == "<1e000"
    assert format_error(3e-13) == format_error(0.0) == "<1e-12"
    assert format_error(None) == "-"


# -- bad input: gradcheck settings ----------------------------------------------


# -- gradcheck settings -------------------------------------------------------------------


def test_gradcheck_refuses_float32():
    net = small_net(dtype=np.float32)
    raises_exactly(ValueError, r"gradcheck needs a float64 network, got float32", gradcheck, net, X3, Y1)


@pytest.mark.parametrize("eps", [0.0, -1e-6, NAN, INF])
def test_gradcheck_refuses_bad_eps(eps):
    raises_exactly(ValueError, r"eps must be a finite number > 0", gradcheck, small_net(), X3, Y1, eps=eps)
