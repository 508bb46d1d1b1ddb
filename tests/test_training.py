"""Unit tests for nnlib.training: SGD, minibatches, seeding, L2, the history and divergence.

``train`` and ``train_plain`` take the same settings and return the same History; most
tests run both.
"""

import math
import warnings

import numpy as np
import pytest
from bad_input import INF, NAN, X3, Y1, raises_exactly, small_net

from nnlib import History, Network, train, train_plain

TRAINERS = pytest.mark.parametrize("trainer", [train, train_plain], ids=["train", "train_plain"])


def _xor(copies=3, seed=0):
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    X = np.vstack([corners] * copies)
    X = X + np.random.default_rng(seed).normal(scale=0.05, size=X.shape)
    Y = np.array([0.0, 1.0, 1.0, 0.0] * copies)
    return X, Y


def _xor_net(seed=0):
    return Network([2, 4, 1], activation="sigmoid", loss="logistic", bias=True, seed=seed)


def _weights(net):
    return {k: w.copy() for k, w in net.W.items()}


# -- learning ---------------------------------------------------------------------------


def test_sgd_learns_xor():
    X, Y = _xor()
    net = _xor_net()
    J0 = net.cost(X, Y)
    history = train(net, X, Y, lr=0.5, epochs=300, batch_size=1, seed=0)
    assert isinstance(history, History)
    assert not history.diverged and history.message is None
    assert history.running_cost[-1] < 0.05 * history.running_cost[0]
    assert net.cost(X, Y) < 0.05 * J0
    np.testing.assert_array_equal((net.predict(X)[:, 0] > 0.5).astype(float), Y)


def test_minibatch_training_lowers_j():
    X, Y = _xor()
    net = _xor_net(seed=2)
    J0 = net.cost(X, Y)
    history = train(net, X, Y, lr=1.0, epochs=100, batch_size=4, seed=0)
    assert net.cost(X, Y) < J0
    assert history.running_cost[-1] < history.running_cost[0]


def test_history_has_one_entry_per_epoch_and_records_the_settings():
    X, Y = _xor()
    history = train(_xor_net(), X, Y, lr=0.1, epochs=7, batch_size=5, seed=0)
    assert len(history) == len(history.running_cost) == 7
    assert all(math.isfinite(j) for j in history.running_cost)
    assert (history.lr, history.batch_size, history.epochs) == (0.1, 5, 7)


def test_train_changes_the_network_in_place_but_not_the_data():
    X, Y = _xor()
    X0, Y0 = X.copy(), Y.copy()
    net = _xor_net()
    before = _weights(net)
    train(net, X, Y, lr=0.5, epochs=2)
    assert any(not np.array_equal(before[k], net.W[k]) for k in net.layers)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)


# -- which samples each epoch visits ------------------------------------------------------
#
# A linear network [n, 1] on one-hot inputs X = I_n with squared loss: sample t touches
# only the weight W[1][0, t], and one step of size lr on it alone multiplies the distance
# W_t - y_t by (1 - lr).  On a batch of m samples that contains t, the gradient is averaged,
# so the factor is (1 - lr / m).  The weights thus record how often, and in batches of
# which size, every sample was visited, whatever the order.


def _one_hot_problem(n=7):
    net = Network([n, 1], activation="identity", loss="squared", seed=0)
    X = np.eye(n)
    Y = np.linspace(-1.0, 1.0, n)
    return net, X, Y


def _factors(w0, w1, y):
    return (w1 - y) / (w0 - y)


@pytest.mark.parametrize("epochs", [1, 3])
def test_batch_size_one_visits_every_sample_once_per_epoch(epochs):
    net, X, Y = _one_hot_problem()
    w0 = net.W[1][0].copy()
    J0 = net.cost(X, Y)
    history = train(net, X, Y, lr=0.5, epochs=epochs, batch_size=1, seed=4)
    np.testing.assert_allclose(_factors(w0, net.W[1][0], Y), 0.5**epochs, rtol=1e-12)
    # every sample's loss was measured just before its own step, i.e. at its start value
    assert history.running_cost[0] == pytest.approx(J0, rel=1e-14)
    if epochs == 3:
        assert history.running_cost[1] == pytest.approx(J0 / 4, rel=1e-12)


def test_minibatches_visit_every_sample_once_and_average_over_the_batch():
    net, X, Y = _one_hot_problem(n=7)
    w0 = net.W[1][0].copy()
    train(net, X, Y, lr=0.6, epochs=1, batch_size=3, seed=1)
    # 7 = 3 + 3 + 1: six samples stepped in batches of three, one alone
    f = np.sort(_factors(w0, net.W[1][0], Y))
    np.testing.assert_allclose(f, [0.4] + [0.8] * 6, rtol=1e-12)


def test_batch_larger_than_the_data_is_one_full_batch():
    net, X, Y = _one_hot_problem(n=5)
    w0 = net.W[1][0].copy()
    train(net, X, Y, lr=0.5, epochs=2, batch_size=100, seed=0)
    np.testing.assert_allclose(_factors(w0, net.W[1][0], Y), (1 - 0.5 / 5) ** 2, rtol=1e-12)


def test_full_batch_history_is_j_at_the_start_of_each_epoch():
    X, Y = _xor()
    net = _xor_net()
    ref = net.copy()
    history = train(net, X, Y, lr=0.5, epochs=3, batch_size=len(X), seed=0)
    for epoch in range(3):
        assert history.running_cost[epoch] == pytest.approx(ref.cost(X, Y), rel=1e-12)
        ref.step(ref.gradients(X, Y), 0.5)
    for k in net.layers:
        np.testing.assert_allclose(net.W[k], ref.W[k], rtol=1e-12, atol=1e-15)


# -- seeding and order ----------------------------------------------------------------


def test_same_seed_same_history_and_weights():
    X, Y = _xor()
    a, b = _xor_net(), _xor_net()
    ha = train(a, X, Y, lr=0.5, epochs=20, batch_size=2, seed=11)
    hb = train(b, X, Y, lr=0.5, epochs=20, batch_size=2, seed=11)
    assert ha.running_cost == hb.running_cost
    for k in a.layers:
        np.testing.assert_array_equal(a.W[k], b.W[k])
        np.testing.assert_array_equal(a.b[k], b.b[k])


def test_different_seeds_visit_samples_in_different_orders():
    X, Y = _xor()
    a, b = _xor_net(), _xor_net()
    ha = train(a, X, Y, lr=0.5, epochs=20, seed=11)
    hb = train(b, X, Y, lr=0.5, epochs=20, seed=12)
    assert ha.running_cost != hb.running_cost
    assert not np.allclose(a.W[1], b.W[1])


def test_shuffle_false_follows_the_given_order_whatever_the_seed():
    X, Y = _xor()
    a, b, ref = _xor_net(), _xor_net(), _xor_net()
    ha = train(a, X, Y, lr=0.5, epochs=3, seed=0, shuffle=False)
    hb = train(b, X, Y, lr=0.5, epochs=3, seed=99, shuffle=False)
    assert ha.running_cost == hb.running_cost
    losses = []
    for _ in range(3):  # sample by sample, in the given order
        total = 0.0
        for x, y in zip(X, Y, strict=True):
            total += ref.cost(x, y)
            ref.step(ref.gradients(x, y), 0.5)
        losses.append(total / len(X))
    np.testing.assert_allclose(ha.running_cost, losses, rtol=1e-12)
    for k in a.layers:
        np.testing.assert_array_equal(a.W[k], b.W[k])
        np.testing.assert_allclose(a.W[k], ref.W[k], rtol=1e-12, atol=1e-15)


REFERENCE_CASES = [
    dict(sizes=[2, 4, 1], activation="sigmoid", loss="logistic", bias=True),
    dict(sizes=[2, 3, 3, 2], activation="tanh", loss="squared", l2=0.01),
    dict(
        sizes=[2, 5, 1],
        activation="relu",
        loss="squared",
        output_activation="identity",
        bias=True,
        l2=0.02,
    ),
    dict(sizes=[2, 4, 1], activation="tanh", loss="hinge", output_activation="identity"),
    dict(sizes=[2, 3, 2], activation="identity", loss="squared", bias=True),
    dict(
        sizes=[2, 3, 1], activation="step", loss="squared", output_activation="sigmoid", bias=True
    ),
    dict(sizes=[2, 1], activation="sigmoid", loss="squared"),
]


def _labels(loss, n, n_out, rng):
    if loss == "logistic":
        return rng.integers(0, 2, size=(n, n_out)).astype(float)
    if loss == "hinge":
        return rng.choice([-1.0, 1.0], size=(n, n_out))
    return rng.normal(size=(n, n_out))


@pytest.mark.parametrize("batch_size", [1, 3, 4, 50])
@pytest.mark.parametrize(
    "case", REFERENCE_CASES, ids=lambda c: f"{c['sizes']}-{c['activation']}-{c['loss']}"
)
def test_training_takes_the_steps_of_forward_backward_and_step(case, batch_size):
    """train(shuffle=False) is net.step(net.backward(net.forward(xb), yb), lr) batch by batch."""
    case = dict(case)
    sizes = case.pop("sizes")
    rng = np.random.default_rng(5)
    X = rng.normal(size=(10, sizes[0]))
    Y = _labels(case["loss"], 10, sizes[-1], rng)
    net = Network(sizes, seed=3, **case)
    if net.b is not None:
        for k in net.layers:
            net.b[k][...] = rng.normal(scale=0.3, size=net.b[k].shape)
    ref = net.copy()
    history = train(net, X, Y, lr=0.1, epochs=3, batch_size=batch_size, shuffle=False)
    expected = train_plain(ref, X, Y, lr=0.1, epochs=3, batch_size=batch_size, shuffle=False)
    assert not history.diverged and len(history) == 3
    np.testing.assert_allclose(history.running_cost, expected.running_cost, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(history.cost, expected.cost, rtol=1e-12, atol=1e-15)
    for k in net.layers:
        np.testing.assert_allclose(net.W[k], ref.W[k], rtol=1e-12, atol=1e-14)
        if net.b is not None:
            np.testing.assert_allclose(net.b[k], ref.b[k], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("batch_size", [1, 3, 50])
def test_the_plain_loop_is_forward_backward_and_step_batch_by_batch(batch_size):
    """train_plain(shuffle=False) is net.step(net.backward(net.forward(xb), yb), lr), batch by batch."""
    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(10, 2)), rng.normal(size=(10, 2))
    net = Network([2, 3, 2], activation="tanh", loss="squared", bias=True, seed=3)
    ref = net.copy()
    history = train_plain(
        net, X, Y, lr=0.1, epochs=3, batch_size=batch_size, shuffle=False, exact_cost=True
    )
    assert history.initial_cost == ref.cost(X, Y)
    expected, costs = [], []
    for _ in range(3):
        total = 0.0
        for start in range(0, 10, batch_size):
            xb, yb = X[start : start + batch_size], Y[start : start + batch_size]
            fw = ref.forward(xb)
            total += ref.cost(fw, yb) * len(xb)
            ref.step(ref.backward(fw, yb), 0.1)
        expected.append(total / 10)
        costs.append(ref.cost(X, Y))
    assert history.running_cost == expected and history.cost == costs
    for k in net.layers:
        np.testing.assert_array_equal(net.W[k], ref.W[k])


def test_float32_training_stays_float32_and_follows_the_reference():
    X, Y = _xor()
    net = Network([2, 4, 1], activation="tanh", loss="squared", bias=True, dtype=np.float32, seed=0)
    ref = net.copy()
    history = train(net, X, Y, lr=0.2, epochs=2, batch_size=4, shuffle=False)
    for k in net.layers:
        assert net.W[k].dtype == np.float32 and net.b[k].dtype == np.float32
    train_plain(ref, X, Y, lr=0.2, epochs=2, batch_size=4, shuffle=False)
    for k in net.layers:
        np.testing.assert_allclose(net.W[k], ref.W[k], rtol=1e-5, atol=1e-6)
    assert all(isinstance(j, float) for j in history.running_cost)


def test_training_uses_weights_assigned_by_hand_between_runs():
    X, Y = _xor()
    net = _xor_net()
    train(net, X, Y, lr=0.5, epochs=2)
    net.W[1] = np.zeros_like(net.W[1])
    net.W[2] = np.zeros_like(net.W[2])
    net.b[1][...] = 0.0
    net.b[2][...] = 0.0
    # all-zero weights and biases: the hidden units stay identical to one another
    train(net, X, Y, lr=0.5, epochs=3)
    assert np.allclose(net.W[1], net.W[1][0])
    assert np.allclose(net.W[2], net.W[2][0, 0])
    assert not np.allclose(net.W[2], 0.0)


def test_training_a_copy_leaves_the_original_alone():
    X, Y = _xor()
    net = _xor_net()
    train(net, X, Y, lr=0.5, epochs=1)
    before = _weights(net)
    c = net.copy()
    train(c, X, Y, lr=0.5, epochs=5)
    for k in net.layers:
        np.testing.assert_array_equal(net.W[k], before[k])
        assert not np.array_equal(c.W[k], before[k])


def test_shuffled_order_differs_from_the_given_order():
    X, Y = _xor()
    a, b = _xor_net(), _xor_net()
    train(a, X, Y, lr=0.5, epochs=3, seed=0, shuffle=True)
    train(b, X, Y, lr=0.5, epochs=3, seed=0, shuffle=False)
    assert not np.allclose(a.W[1], b.W[1])


def test_a_single_sample_can_be_trained_on():
    net = Network([2, 3, 1], activation="tanh", loss="squared", seed=0)
    J0 = net.cost([0.5, -0.5], 0.3)
    history = train(net, [0.5, -0.5], 0.3, lr=0.1, epochs=5)
    assert len(history) == 5
    assert net.cost([0.5, -0.5], 0.3) < J0


# -- L2 -------------------------------------------------------------------------------------


def test_l2_shrinks_the_weights():
    X, Y = _xor()
    plain = Network([2, 4, 1], activation="sigmoid", loss="logistic", seed=0)
    reg = Network([2, 4, 1], activation="sigmoid", loss="logistic", l2=0.05, seed=0)
    train(plain, X, Y, lr=0.5, epochs=100, seed=0)
    train(reg, X, Y, lr=0.5, epochs=100, seed=0)
    norm = lambda net: sum(np.sum(w**2) for w in net.W.values())  # noqa: E731
    assert norm(reg) < 0.8 * norm(plain)


def test_l2_alone_decays_the_weights_geometrically():
    # Labels equal to the current predictions of a linear net: the data gradient is zero,
    # so each full-batch step is W <- (1 - lr*l2) W.
    net = Network([3, 2], activation="identity", loss="squared", l2=0.1, seed=0)
    X = np.zeros((4, 3))
    Y = np.zeros((4, 2))
    w0 = net.W[1].copy()
    train(net, X, Y, lr=0.5, epochs=3, batch_size=4)
    np.testing.assert_allclose(net.W[1], w0 * (1 - 0.05) ** 3, rtol=1e-14)


# -- divergence ---------------------------------------------------------------------------


@pytest.mark.parametrize("lr", [10.0, 1e3, 1e300])
@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_huge_learning_rate_stops_early_and_says_why_without_warnings(lr, activation):
    X, Y = _xor()
    net = Network(
        [2, 8, 1], activation=activation, loss="squared", output_activation="identity", seed=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = train(net, X, Y, lr=lr, epochs=100, batch_size=1, seed=0)
    assert history.diverged is True
    assert len(history) < 100
    assert all(math.isfinite(j) for j in history.running_cost)
    assert "learning rate" in history.message
    assert f"lr = {lr:g}" in history.message
    assert "diverged" in history.message


def test_huge_learning_rate_with_logistic_loss_is_reported_too():
    X, Y = _xor()
    net = _xor_net()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = train(net, X, Y, lr=1e300, epochs=50, seed=0)
    assert history.diverged and "learning rate" in history.message
    assert len(history) < 50


def test_divergence_silences_numpy_only_inside_train():
    X, Y = _xor()
    net = Network([2, 8, 1], activation="relu", output_activation="identity", seed=0)
    train(net, X, Y, lr=1e300, epochs=5)
    # the error state the caller had is restored afterwards
    with np.errstate(over="warn"):
        with pytest.warns(RuntimeWarning):
            np.exp(np.array([1000.0]))


def test_a_sensible_run_is_not_reported_as_divergent():
    X, Y = _xor()
    history = train(_xor_net(), X, Y, lr=0.5, epochs=30)
    assert history.diverged is False and history.message is None
    assert len(history) == 30


# -- the history: the real cost J, and the running mean ------------------------------------


@TRAINERS
@pytest.mark.parametrize("batch_size, shuffle", [(1, True), (5, True), (5, False), (100, True)])
def test_history_cost_is_j_of_the_whole_set_at_the_end_of_each_epoch(trainer, batch_size, shuffle):
    X, Y = _xor()
    net = Network([2, 4, 1], activation="tanh", loss="squared", l2=0.01, bias=True, seed=1)
    start = net.copy()
    history = trainer(
        net, X, Y, lr=0.3, epochs=4, batch_size=batch_size, seed=7, shuffle=shuffle, exact_cost=True
    )
    assert history.exact_cost
    assert history.initial_cost == pytest.approx(start.cost(X, Y), rel=1e-12)
    assert len(history.cost) == len(history.running_cost) == len(history) == 4
    assert history.cost[-1] == pytest.approx(net.cost(X, Y), rel=1e-12)
    # epoch e ends where a run of e epochs (same seed, same sample order) ends
    for e in range(1, 4):
        shorter = start.copy()
        trainer(shorter, X, Y, lr=0.3, epochs=e, batch_size=batch_size, seed=7, shuffle=shuffle)
        assert history.cost[e - 1] == pytest.approx(shorter.cost(X, Y), rel=1e-12)


@TRAINERS
def test_history_running_cost_is_the_running_mean_and_differs_from_the_cost(trainer):
    net, X, Y = _one_hot_problem(n=4)
    J0 = net.cost(X, Y)
    history = trainer(net, X, Y, lr=0.5, epochs=1, batch_size=1, seed=0, exact_cost=True)
    # each sample's loss was measured before its own step, at its start value; its own step
    # then halves its distance to the label, so J at the end of the epoch is J0 / 4
    assert history.running_cost[0] == pytest.approx(J0, rel=1e-14)
    assert history.cost[0] == pytest.approx(J0 / 4, rel=1e-12)
    assert history.initial_cost == pytest.approx(J0, rel=1e-14)


@TRAINERS
def test_full_batch_running_cost_is_the_cost_of_the_epoch_before(trainer):
    X, Y = _xor()
    history = trainer(_xor_net(), X, Y, lr=0.5, epochs=5, batch_size=len(X), exact_cost=True)
    assert history.running_cost == [history.initial_cost, *history.cost[:-1]]


@TRAINERS
@pytest.mark.parametrize("batch_size", [1, 3, 100])
def test_by_default_only_the_running_cost_is_recorded(trainer, batch_size):
    X, Y = _xor()
    net = _xor_net()
    exact = net.copy()
    history = trainer(net, X, Y, lr=0.5, epochs=4, batch_size=batch_size, seed=2)
    assert not history.exact_cost and history.cost == [] and history.initial_cost is None
    assert len(history) == len(history.running_cost) == 4
    # asking for J changes nothing else: the same steps, the same running cost
    with_j = trainer(exact, X, Y, lr=0.5, epochs=4, batch_size=batch_size, seed=2, exact_cost=True)
    assert with_j.running_cost == history.running_cost and len(with_j.cost) == 4
    for k in net.layers:
        np.testing.assert_array_equal(net.W[k], exact.W[k])


@TRAINERS
@pytest.mark.parametrize("bad", [1, 0, "yes", None])
def test_exact_cost_must_be_a_bool(trainer, bad):
    X, Y = _xor()
    with pytest.raises(TypeError, match=r"exact_cost must be True or False, got"):
        trainer(_xor_net(), X, Y, lr=0.5, exact_cost=bad)


def test_train_and_train_plain_give_the_same_history_fields():
    X, Y = _xor()
    a, b = _xor_net(), _xor_net()
    ha = train(a, X, Y, lr=0.5, epochs=6, batch_size=5, seed=3, exact_cost=True)
    hb = train_plain(b, X, Y, lr=0.5, epochs=6, batch_size=5, seed=3, exact_cost=True)
    fields = ("lr", "batch_size", "epochs", "exact_cost", "diverged", "message")
    assert [getattr(ha, f) for f in fields] == [getattr(hb, f) for f in fields]
    np.testing.assert_allclose(ha.cost, hb.cost, rtol=1e-12)
    np.testing.assert_allclose(ha.running_cost, hb.running_cost, rtol=1e-12)


# -- settings are keyword-only ---------------------------------------------------------------


@TRAINERS
def test_settings_cannot_be_passed_by_position(trainer):
    X, Y = _xor()
    net = _xor_net()
    before = _weights(net)
    with pytest.raises(TypeError, match="positional argument"):
        trainer(net, X, Y, 30, 10, 3)
    with pytest.raises(TypeError, match="positional argument"):
        trainer(net, X, Y, 0.5)
    with pytest.raises(TypeError, match="lr"):
        trainer(net, X, Y)
    for k in net.layers:
        np.testing.assert_array_equal(net.W[k], before[k])


@TRAINERS
def test_divergence_is_caught_at_the_end_of_an_epoch_too(trainer):
    # one full-batch step that throws J far up: caught by J of the whole set, same epoch
    net = Network([1, 1], activation="identity", loss="squared", seed=0)
    net.W[1][...] = 1.0
    X, Y = np.array([[1e3]]), np.array([0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = trainer(net, X, Y, lr=10.0, epochs=3, batch_size=1, exact_cost=True)
    assert history.diverged and len(history) == 0
    assert history.message.startswith("training diverged in epoch 1: the cost reached ")
    assert history.initial_cost == pytest.approx(0.5e6)


# -- bad input: training settings -----------------------------------------------


# -- training settings ------------------------------------------------------------------------


@pytest.mark.parametrize("lr", [0, 0.0, -1, -0.5, NAN, INF, -INF])
def test_learning_rate_must_be_finite_and_positive(lr):
    net = small_net()
    match = r"lr must be a finite number > 0, got"
    err = raises_exactly(ValueError, match, train, net, X3, Y1, lr=lr)
    assert repr(float(lr)) in str(err)
    raises_exactly(ValueError, match, train_plain, net, X3, Y1, lr=lr)
    raises_exactly(ValueError, match, net.step, net.gradients(X3, Y1), lr)


@pytest.mark.parametrize("lr", ["0.1", None, True, [0.1], 1j])
def test_learning_rate_must_be_a_number(lr):
    net = small_net()
    raises_exactly(TypeError, r"lr must be a positive number, got", train, net, X3, Y1, lr=lr)
    raises_exactly(TypeError, r"lr must be a positive number, got", train_plain, net, X3, Y1, lr=lr)


@pytest.mark.parametrize(
    ("name", "value", "exc", "match"),
    [
        ("epochs", 0, ValueError, r"epochs must be an integer >= 1, got 0"),
        ("epochs", -3, ValueError, r"epochs must be an integer >= 1, got -3"),
        ("epochs", 2.5, TypeError, r"epochs must be an integer >= 1, got 2\.5"),
        ("epochs", 10.0, TypeError, r"epochs must be an integer >= 1, got 10\.0"),
        ("epochs", True, TypeError, r"epochs must be an integer >= 1, got True"),
        ("epochs", None, TypeError, r"epochs must be an integer >= 1, got None"),
        ("batch_size", 0, ValueError, r"batch_size must be an integer >= 1, got 0"),
        ("batch_size", -1, ValueError, r"batch_size must be an integer >= 1, got -1"),
        ("batch_size", 1.5, TypeError, r"batch_size must be an integer >= 1, got 1\.5"),
        ("batch_size", "8", TypeError, r"batch_size must be an integer >= 1, got '8'"),
    ],
)
def test_bad_epochs_and_batch_size(name, value, exc, match):
    raises_exactly(exc, match, train, small_net(), X3, Y1, lr=0.1, **{name: value})
    raises_exactly(exc, match, train_plain, small_net(), X3, Y1, lr=0.1, **{name: value})


def test_train_needs_a_network():
    raises_exactly(TypeError, r"net must be an nnlib\.Network, got dict", train, {}, X3, Y1, lr=0.1)
    raises_exactly(TypeError, r"net must be an nnlib\.Network, got dict", train_plain, {}, X3, Y1, lr=0.1)


@pytest.mark.parametrize("trainer", [train, train_plain])
def test_training_settings_are_keyword_only(trainer):
    # train(net, X, y, 30, 10, 3) could mean epochs=30, batch_size=10, seed=3 or
    # lr=30, epochs=10, batch_size=3: it is refused.
    raises_exactly(
        TypeError,
        r"takes 3 positional arguments but 6 were given",
        trainer,
        small_net(),
        X3,
        Y1,
        30,
        10,
        3,
    )
    raises_exactly(TypeError, r"net must be an nnlib\.Network, got dict", train_plain, {}, X3, Y1, lr=0.1)


def test_a_refused_call_leaves_the_network_untouched():
    net = small_net(activation="sigmoid", loss="logistic")
    before = {k: w.copy() for k, w in net.W.items()}
    bad_calls = [
        dict(X=X3, Y=2 * Y1, lr=0.1),
        dict(X=X3, Y=Y1[:3], lr=0.1),
        dict(X=X3[:, :2], Y=Y1, lr=0.1),
        dict(X=X3, Y=Y1, lr=-0.1),
        dict(X=X3, Y=Y1, lr=0.1, epochs=0),
    ]
    for kwargs in bad_calls:
        for trainer in (train, train_plain):
            with pytest.raises((ValueError, TypeError)):
                trainer(net, **kwargs)
    for k in net.layers:
        np.testing.assert_array_equal(net.W[k], before[k])
