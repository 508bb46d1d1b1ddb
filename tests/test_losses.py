"""Unit tests for nnlib.losses: Loss(a, y), dLoss/da, label domains and the fused path."""

import math
import warnings

import numpy as np
import pytest
from bad_input import raises_exactly

from nnlib import ACTIVATIONS, LOSSES, Loss, Network, get_loss
from nnlib.activations import sigmoid, sigmoid_prime
from nnlib.losses import Simplified, logistic_of_sigmoid_dz, logistic_of_sigmoid_z

LN2 = math.log(2.0)

# name -> (a, y, Loss(a, y), dLoss/da), worked out by hand.
KNOWN = {
    # 1/2 (a - y)^2 and a - y
    "squared": (
        [3.0, -1.0, 0.5, 2.0],
        [1.0, -1.0, 0.0, -2.0],
        [2.0, 0.0, 0.125, 8.0],
        [2.0, 0.0, 0.5, 4.0],
    ),
    # -y log a - (1-y) log(1-a) and (a - y) / (a (1 - a))
    "logistic": (
        [0.5, 0.5, 0.8, 0.8, 0.8],
        [1.0, 0.0, 1.0, 0.0, 0.3],
        [
            LN2,
            LN2,
            -math.log(0.8),
            -math.log(0.2),
            -(0.3 * math.log(0.8) + 0.7 * math.log(0.2)),
        ],
        [-2.0, 2.0, -1.25, 5.0, 3.125],
    ),
    # max(0, 1 - y a) and -y where y a < 1, else 0
    "hinge": (
        [0.5, 2.0, -0.5, 1.0, -3.0],
        [1.0, 1.0, -1.0, -1.0, -1.0],
        [0.5, 0.0, 0.5, 2.0, 0.0],
        [-1.0, 0.0, 1.0, 1.0, 0.0],
    ),
}


def test_every_registered_loss_has_hand_worked_values():
    assert set(KNOWN) == set(LOSSES), "add hand-worked Loss and dLoss/da values to KNOWN"


def test_registry_holds_every_loss_by_name():
    assert {"squared", "logistic", "hinge"} <= set(LOSSES)
    for name, loss in LOSSES.items():
        assert get_loss(name) is loss
        assert loss.name == name
        assert repr(loss) == f"Loss({name!r})"


def test_only_logistic_restricts_the_output_activation():
    assert LOSSES["logistic"].outputs == ("sigmoid",)
    assert LOSSES["squared"].outputs is None
    assert LOSSES["hinge"].outputs is None


# Every (loss, output activation) pair of the registries, allowed or not.
PAIRS = [(loss, act) for loss in LOSSES for act in ACTIVATIONS]
ALLOWED = [
    (loss, act) for loss, act in PAIRS if LOSSES[loss].outputs is None or act in LOSSES[loss].outputs
]


@pytest.mark.parametrize(("loss", "act"), PAIRS)
def test_check_output_accepts_the_allowed_activations_and_names_the_rest(loss, act):
    if (loss, act) in ALLOWED:
        assert LOSSES[loss].check_output(ACTIVATIONS[act]) is None
    else:
        with pytest.raises(ValueError, match=rf"the {loss} loss needs .*'{act}'; expected"):
            LOSSES[loss].check_output(ACTIVATIONS[act])


def _labels(loss, shape, rng):
    if loss == "logistic":
        return rng.integers(0, 2, size=shape).astype(float)
    if loss == "hinge":
        return rng.choice([-1.0, 1.0], size=shape)
    return rng.normal(size=shape)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("loss", "act"), ALLOWED)
def test_output_delta_sample_losses_and_the_in_place_kernel_agree(loss, act, dtype):
    rng = np.random.default_rng(0)
    L, g = LOSSES[loss], ACTIVATIONS[act]
    z = rng.normal(scale=2.0, size=(5, 3)).astype(dtype)
    y = _labels(loss, (5, 3), rng).astype(dtype)
    h = g.g(z)
    # eq. dloss-dz: dLoss/dg(z) * g'(z), simplified or not
    delta = L.output_delta(g, z, h, y)
    np.testing.assert_allclose(delta, L.grad(h, y) * g.dg(z), rtol=1e-6, atol=1e-7)
    losses = L.sample_losses(g, z, h, y)
    assert losses.shape == (5,)
    np.testing.assert_allclose(losses, L.value(h, y).sum(axis=1), rtol=1e-5)
    # the fast path's in-place kernel: the same delta and the sum of the same losses
    out, tmp = np.full_like(z, np.nan), np.empty_like(z)
    total = L.output_kernel(g)(z, h, y, out, tmp)
    assert isinstance(total, float) and out.dtype == dtype
    rtol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(out, delta, rtol=rtol, atol=rtol * 1e-3)
    assert total == pytest.approx(float(losses.sum()), rel=rtol)


@pytest.mark.parametrize("loss", list(LOSSES))
def test_sympy_form_computes_the_loss_and_its_derivative_the_gradient(loss):
    sympy = pytest.importorskip("sympy")
    L = LOSSES[loss]
    a, y = sympy.symbols("a y", real=True)
    assert L.sympy_value is not None, f"{loss} has no SymPy form"
    expr = L.sympy_value(a, y)
    deriv = L.sympy_grad(a, y) if L.sympy_grad is not None else sympy.diff(expr, a)
    value = sympy.lambdify((a, y), expr, modules="numpy")
    grad = sympy.lambdify((a, y), deriv, modules="numpy")
    points, labels, _, _ = (np.array(v) for v in KNOWN[loss])
    for p, t in zip(points, labels, strict=True):
        assert float(value(p, t)) == pytest.approx(float(L.value(p, t)), rel=1e-13, abs=1e-15)
        assert float(grad(p, t)) == pytest.approx(float(L.grad(p, t)), rel=1e-13, abs=1e-15)


@pytest.mark.parametrize("name", list(KNOWN))
def test_values_and_gradients_at_known_points(name):
    a, y, value, grad = (np.array(v) for v in KNOWN[name])
    loss = LOSSES[name]
    np.testing.assert_allclose(loss.value(a, y), value, rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(loss.grad(a, y), grad, rtol=1e-14, atol=1e-15)


def test_hinge_gradient_at_the_kink_is_zero():
    # y a = 1 exactly: the documented choice of subgradient is 0.
    assert LOSSES["hinge"].grad(np.array([1.0, -1.0]), np.array([1.0, -1.0])).tolist() == [0, 0]


def _central(loss, a, y, eps=1e-6):
    return (loss.value(a + eps, y) - loss.value(a - eps, y)) / (2 * eps)


def test_squared_gradient_matches_central_difference():
    rng = np.random.default_rng(0)
    a, y = rng.normal(size=50) * 3, rng.normal(size=50) * 3
    loss = LOSSES["squared"]
    np.testing.assert_allclose(loss.grad(a, y), _central(loss, a, y), rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize("label", [0.0, 1.0, 0.3])
def test_logistic_gradient_matches_central_difference(label):
    a = np.linspace(0.01, 0.99, 50)
    y = np.full_like(a, label)
    loss = LOSSES["logistic"]
    np.testing.assert_allclose(loss.grad(a, y), _central(loss, a, y, eps=1e-7), rtol=1e-6)


def test_hinge_gradient_matches_central_difference_away_from_the_kink():
    rng = np.random.default_rng(1)
    a = rng.uniform(-3, 3, size=200)
    y = rng.choice([-1.0, 1.0], size=200)
    keep = np.abs(y * a - 1.0) > 1e-3
    a, y = a[keep], y[keep]
    loss = LOSSES["hinge"]
    np.testing.assert_allclose(loss.grad(a, y), _central(loss, a, y), rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_logistic_is_finite_when_prediction_is_exactly_zero_or_one(dtype):
    loss = LOSSES["logistic"]
    a = np.array([0.0, 1.0, 0.0, 1.0], dtype=dtype)
    y = np.array([1.0, 0.0, 0.0, 1.0], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            value, grad = loss.value(a, y), loss.grad(a, y)
    assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad))
    # confidently wrong costs a lot, confidently right costs (almost) nothing
    assert value[0] > 30 and value[1] > 15
    assert value[2] < 1e-6 and value[3] < 1e-6
    # the gradient pushes away from the wrong answer
    assert grad[0] < 0 < grad[1]


def test_logistic_accepts_integer_predictions():
    value = LOSSES["logistic"].value(np.array([0, 1]), np.array([1, 0]))
    assert value.dtype.kind == "f" and np.all(np.isfinite(value)) and np.all(value > 30)


def test_fused_logistic_of_sigmoid_matches_the_two_step_formula_where_both_are_accurate():
    z = np.linspace(-15.0, 15.0, 61)
    loss = LOSSES["logistic"]
    for label in (0.0, 1.0, 0.25):
        y = np.full_like(z, label)
        a = sigmoid(z)
        np.testing.assert_allclose(
            logistic_of_sigmoid_z(z, y), loss.value(a, y), rtol=1e-9, atol=1e-14
        )
        np.testing.assert_allclose(
            logistic_of_sigmoid_dz(z, y), loss.grad(a, y) * sigmoid_prime(z), rtol=1e-8, atol=1e-12
        )
    simple = loss.simplified[ACTIVATIONS["sigmoid"]]
    assert (simple.value, simple.dz) == (logistic_of_sigmoid_z, logistic_of_sigmoid_dz)


def test_the_simplified_form_is_kept_for_the_built_in_sigmoid_object_only():
    from nnlib import Activation

    mine = Activation("sigmoid", sigmoid, sigmoid_prime)  # same name, not the same object
    loss = LOSSES["logistic"]
    assert loss.simplified.get(mine) is None
    loss.check_output(mine)  # its name says its values lie in (0, 1): accepted
    z = np.array([[50.0], [-3.0]])
    y = np.array([[0.0], [1.0]])
    # the unsimplified product, (a - y) / (a (1 - a)) * a (1 - a) with a clipped below 1
    np.testing.assert_allclose(
        loss.output_delta(mine, z, sigmoid(z), y),
        loss.grad(sigmoid(z), y) * sigmoid_prime(z),
        rtol=1e-15,
    )


def test_a_users_simplified_form_is_used_in_place_too():
    # a squared loss that knows its identity-output delta is a - y, written in z
    identity = ACTIVATIONS["identity"]
    base = LOSSES["squared"]
    calls = []

    def dz(z, y):
        calls.append("dz")
        return z - y

    mine = Loss(
        "my-squared",
        base.value,
        base.grad,
        lambda y: None,
        simplified={identity: Simplified(lambda z, y: 0.5 * (z - y) ** 2, dz)},
    )
    z, y = np.array([[1.0, 2.0]]), np.array([[0.5, 0.0]])
    out = np.empty_like(z)
    total = mine.output_kernel(identity)(z, z.copy(), y, out, np.empty_like(z))
    np.testing.assert_array_equal(out, [[0.5, 2.0]])
    assert total == 0.125 + 2.0 and calls == ["dz"]


def test_fused_logistic_of_sigmoid_at_extreme_z():
    z = np.array([50.0, -50.0, 50.0, -50.0, 800.0, -800.0])
    y = np.array([0.0, 1.0, 1.0, 0.0, 0.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            value = logistic_of_sigmoid_z(z, y)
            dz = logistic_of_sigmoid_dz(z, y)
    # log(1 + e^z) - y z: wrong by |z| costs |z|; right costs e^(-|z|) (to within round-off
    # of J: log(1 + e^50) - 50 cancels to 0, an absolute error of 2e-22)
    np.testing.assert_allclose(
        value, [50, 50, math.exp(-50), math.exp(-50), 800, 800], rtol=1e-14, atol=1e-20
    )
    np.testing.assert_allclose(dz, [1, -1, 0, math.exp(-50), 1, -1], rtol=1e-14, atol=1e-300)


def _one_weight_logistic_net(w=1.0):
    net = Network([1, 1], activation="sigmoid", loss="logistic", seed=0)
    net.W[1] = np.array([[w]])
    return net


def test_network_sigmoid_logistic_gives_g_minus_y_at_z_plus_minus_50():
    net = _one_weight_logistic_net()
    X = np.array([[50.0], [-50.0], [50.0], [-50.0], [0.0]])
    Y = np.array([0.0, 1.0, 1.0, 0.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fw = net.forward(X)
        grads = net.backward(fw, Y)
        J = net.cost(X, Y)
    z = fw.z[1][:, 0]
    np.testing.assert_array_equal(z, [50.0, -50.0, 50.0, -50.0, 0.0])
    dz = grads.dz[1][:, 0]
    np.testing.assert_allclose(dz, sigmoid(z) - Y, rtol=1e-15, atol=0)
    # sigmoid(50) rounds to 1.0, so the unfused product (g - y) / (g (1-g)) * g (1-g)
    # would give 0 for the first sample; the fused path keeps the exact value 1.
    assert dz[0] == 1.0 and dz[1] == -1.0
    assert math.isfinite(J)
    assert J == pytest.approx((50 + 50 + 2 * math.exp(-50) + math.log(2)) / 5, rel=1e-14)
    # dJ/dW = mean of dz * x
    assert grads.dW[1][0, 0] == pytest.approx(np.mean(dz * X[:, 0]), rel=1e-14)


def test_network_sigmoid_logistic_single_sample_at_large_z():
    net = _one_weight_logistic_net(w=50.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        J = net.cost([1.0], 0.0)
        grads = net.gradients([1.0], 0.0)
    assert J == pytest.approx(50.0, rel=1e-14)
    assert grads.dz[1].shape == (1,)
    assert grads.dz[1][0] == 1.0
    assert grads.dW[1][0, 0] == 1.0


def test_network_fused_delta_holds_behind_a_hidden_layer():
    net = Network(
        [3, 4, 2], activation="tanh", loss="logistic", output_activation="sigmoid", seed=3
    )
    net.W[1] *= 20.0
    net.W[2] *= 80.0  # saturate the output: |z| of order tens
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 3))
    Y = rng.integers(0, 2, size=(6, 2)).astype(float)
    fw = net.forward(X)
    assert np.max(np.abs(fw.z[2])) > 40
    grads = net.backward(fw, Y)
    np.testing.assert_allclose(grads.dz[2], sigmoid(fw.z[2]) - Y, rtol=1e-15, atol=0)
    assert math.isfinite(net.cost(X, Y))


@pytest.mark.parametrize("y", [[0.0, 1.0, 0.25, 1.0], [1, 0, 1, 0]])
def test_logistic_labels_in_the_unit_interval_are_accepted(y):
    assert LOSSES["logistic"].check_labels(np.array(y, dtype=float)) is None


@pytest.mark.parametrize("bad", [2.0, -0.5, 1.0001])
def test_logistic_labels_outside_the_unit_interval_are_rejected(bad):
    y = np.array([0.0, 1.0, bad])
    with pytest.raises(ValueError, match=r"logistic loss needs labels y in \{0, 1\}") as info:
        LOSSES["logistic"].check_labels(y)
    assert repr(bad) in str(info.value) or str(bad) in str(info.value)


def test_hinge_labels_plus_minus_one_are_accepted():
    assert LOSSES["hinge"].check_labels(np.array([-1.0, 1.0, 1.0])) is None


@pytest.mark.parametrize("bad", [0.0, 0.5, 2.0, -2.0])
def test_hinge_labels_other_than_plus_minus_one_are_rejected(bad):
    y = np.array([1.0, -1.0, bad])
    with pytest.raises(ValueError, match=r"hinge loss needs labels y in \{-1, \+1\}; got") as info:
        LOSSES["hinge"].check_labels(y)
    assert str(bad) in str(info.value)


def test_squared_accepts_any_finite_label():
    assert LOSSES["squared"].check_labels(np.array([-1e6, 0.0, 0.5, 3.0, 1e6])) is None


def test_get_loss_passes_a_loss_through():
    custom = Loss("mine", LOSSES["squared"].value, LOSSES["squared"].grad, lambda y: None)
    assert get_loss(custom) is custom
    assert custom.simplified == {} and custom.outputs is None


def test_get_loss_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown loss 'mse'; expected one of") as info:
        get_loss("mse")
    for name in LOSSES:
        assert repr(name) in str(info.value)


@pytest.mark.parametrize("bad", [None, 0, math.log])
def test_get_loss_rejects_non_names(bad):
    with pytest.raises(TypeError, match="loss must be a name such as 'logistic'") as info:
        get_loss(bad)
    assert type(info.value) is TypeError


# -- bad input: names and types -------------------------------------------------


def test_unknown_loss_name():
    raises_exactly(
        ValueError,
        r"unknown loss 'mse'; expected one of 'squared', 'logistic', 'hinge'",
        Network,
        [3, 1],
        loss="mse",
    )
    raises_exactly(ValueError, r"unknown loss 'cross_entropy'", get_loss, "cross_entropy")


def test_loss_of_the_wrong_type():
    raises_exactly(
        TypeError,
        r"loss must be a name such as 'logistic' or a Loss, got NoneType",
        Network,
        [3, 1],
        loss=None,
    )
