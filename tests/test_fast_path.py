"""The in-place training step (nnlib.fast, used by train) equals the plain loop.

The reference is the book's own loop, ``nnlib.train_plain``: for every minibatch
``net.step(net.backward(net.forward(xb), yb), lr)``, on the same batches in the same
order, and ``net.cost(X, Y)`` after every epoch.  Every activation and loss of the
registries goes through both.  No test here measures time.
"""

from __future__ import annotations

import gc
import tracemalloc
import warnings
import weakref

import numpy as np
import pytest

from nnlib import ACTIVATIONS, LOSSES, Activation, Network, fast, train, train_plain

RTOL = 1e-12


def data(sizes, n, loss, seed=1, dtype=np.float64):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, sizes[0]))
    Y = (rng.random((n, sizes[-1])) > 0.5).astype(float)
    if loss == "hinge":
        Y = 2 * Y - 1
    elif loss == "squared":
        Y = rng.normal(size=(n, sizes[-1]))
    return X.astype(dtype), Y.astype(dtype)


def assert_same_history(history, expected, rtol=RTOL):
    np.testing.assert_allclose(history.running_cost, expected.running_cost, rtol=rtol)
    np.testing.assert_allclose(history.cost, expected.cost, rtol=rtol)
    assert history.exact_cost == expected.exact_cost
    if expected.initial_cost is None:
        assert history.initial_cost is None
    else:
        assert history.initial_cost == pytest.approx(expected.initial_cost, rel=rtol)
    assert (history.diverged, history.message) == (expected.diverged, expected.message)
    assert len(history) == len(expected)


def assert_same_weights(a: Network, b: Network, rtol=RTOL):
    for kind, k, w in a.parameters():
        ref = b.W[k] if kind == "W" else b.b[k]
        scale = max(float(np.max(np.abs(ref))), 1e-300)
        err = float(np.max(np.abs(w - ref))) / scale
        assert err <= rtol, f"{kind}[{k}] differs from the plain recursion by {err:.3g} (relative)"


SHAPES = [[4, 2, 1], [3, 5, 4, 2], [3, 6, 2], [5, 7, 7, 3], [2, 3, 3, 3, 2], [3, 4, 1]]


def _cases():
    """Every activation of the registry with every loss, in turn hidden and output."""
    cases = []
    for i, (act, loss) in enumerate((a, l) for a in ACTIVATIONS for l in LOSSES):
        allowed = LOSSES[loss].outputs
        out_act = act if allowed is None or act in allowed else allowed[0]
        bias, l2 = i % 2 == 0, (0.0, 0.01, 0.1)[i % 3]
        cases.append((SHAPES[i % len(SHAPES)], act, out_act, loss, bias, l2))
    # and with an output activation other than the hidden one, where the loss allows it
    cases += [
        (SHAPES[i % 3], "tanh", out, "squared", True, 0.0) for i, out in enumerate(ACTIVATIONS)
    ]
    return cases


CASES = _cases()


def test_the_cases_cover_every_activation_and_loss():
    assert {c[1] for c in CASES} == {c[2] for c in CASES} == set(ACTIVATIONS)
    assert {c[3] for c in CASES} == set(LOSSES)


@pytest.mark.parametrize("sizes, act, out_act, loss, bias, l2", CASES)
@pytest.mark.parametrize("batch_size, shuffle", [(1, True), (4, True), (7, False), (100, True)])
@pytest.mark.parametrize("exact_cost", [False, True])
def test_weights_and_history_equal_the_plain_recursion(
    sizes, act, out_act, loss, bias, l2, batch_size, shuffle, exact_cost
):
    # 23 samples: batches of 4 and 7 leave a last, partial batch
    X, Y = data(sizes, 23, loss)
    net = Network(
        sizes, activation=act, loss=loss, bias=bias, seed=3, output_activation=out_act, l2=l2
    )
    ref = net.copy()
    settings = dict(lr=0.1, epochs=4, batch_size=batch_size, seed=5, shuffle=shuffle)
    history = train(net, X, Y, exact_cost=exact_cost, **settings)
    expected = train_plain(ref, X, Y, exact_cost=exact_cost, **settings)
    assert len(history.cost) == (4 if exact_cost else 0)
    assert_same_weights(net, ref)
    assert_same_history(history, expected)
    assert not history.diverged and history.message is None
    assert len(history) == 4


@pytest.mark.parametrize("steps", [1, 5, 20])
def test_k_full_batch_steps_equal_k_plain_steps(steps):
    sizes = [6, 16, 16, 4]
    X, Y = data(sizes, 32, "squared")
    net = Network(sizes, activation="sigmoid", loss="squared", seed=0)
    ref = net.copy()
    for _ in range(steps):
        train(net, X, Y, lr=0.5, epochs=1, batch_size=len(X))
        ref.step(ref.backward(ref.forward(X), Y), 0.5)
    assert_same_weights(net, ref)


def test_one_sample_given_as_a_vector():
    net = Network([4, 2, 1], activation="sigmoid", loss="logistic", seed=0)
    ref = net.copy()
    x, y = np.array([0.5, -1.0, 2.0, 0.1]), 1.0
    history = train(net, x, y, lr=0.5, epochs=3)
    for _ in range(3):
        ref.step(ref.backward(ref.forward(x), y), 0.5)
    assert_same_weights(net, ref)
    assert len(history.running_cost) == 3


def test_non_contiguous_and_integer_inputs():
    X = np.asfortranarray(np.arange(40, dtype=float).reshape(10, 4) / 40)
    Y = np.arange(10) % 2
    net = Network(
        [4, 3, 1], activation="tanh", output_activation="sigmoid", loss="logistic", seed=1
    )
    ref = net.copy()
    train(net, X, Y, lr=0.2, epochs=2, batch_size=3, seed=9)
    train_plain(
        ref,
        np.ascontiguousarray(X),
        Y.astype(float)[:, None],
        lr=0.2,
        epochs=2,
        batch_size=3,
        seed=9,
    )
    assert_same_weights(net, ref)


def test_a_users_own_activation_uses_its_own_g_and_dg():
    softplus = Activation(
        "sigmoid",  # the same name as a built-in must not pick the built-in kernel
        lambda z: np.logaddexp(0.0, z),
        lambda z: 1.0 / (1.0 + np.exp(-z)),
    )
    sizes = [3, 5, 2]
    X, Y = data(sizes, 12, "squared")
    net = Network(sizes, activation=softplus, output_activation="identity", seed=2)
    ref = net.copy()
    history = train(net, X, Y, lr=0.1, epochs=3, batch_size=5, seed=1)
    expected = train_plain(ref, X, Y, lr=0.1, epochs=3, batch_size=5, seed=1)
    assert_same_weights(net, ref)
    assert_same_history(history, expected)


def test_saturated_sigmoids_give_no_warning_and_the_same_step():
    net = Network([2, 3, 1], activation="sigmoid", loss="logistic", seed=0)
    net.W[1][:] = [[900.0, 0.0], [-900.0, 0.0], [1.0, 1.0]]  # z of +-900: e^{-z} overflows
    ref = net.copy()
    X, Y = np.array([[1.0, 0.5], [-1.0, 0.2]]), np.array([1.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        train(net, X, Y, lr=0.5, epochs=2, batch_size=2)
        train_plain(ref, X, Y, lr=0.5, epochs=2, batch_size=2)
    assert_same_weights(net, ref)


# --- float32 ------------------------------------------------------------------------------


@pytest.mark.parametrize("act", list(ACTIVATIONS))
@pytest.mark.parametrize("loss", list(LOSSES))
def test_float32_stays_float32(act, loss):
    sizes = [5, 8, 8, 3]
    X, Y = data(sizes, 20, loss)  # float64 data: converted once, up front
    out_act = "sigmoid" if loss == "logistic" else "identity"
    net = Network(
        sizes,
        activation=act,
        output_activation=out_act,
        loss=loss,
        bias=True,
        l2=0.01,
        seed=0,
        dtype=np.float32,
    )
    ref = net.copy()
    history = train(net, X, Y, lr=0.1, epochs=3, batch_size=6, seed=0, exact_cost=True)
    for _, _, p in net.parameters():
        assert p.dtype == np.float32
    for ws in fast._WORKSPACES[net].values():
        for arrays in (ws.z, ws.h, ws.dz, ws.tmp, ws.dW, ws.db):
            assert all(a.dtype == np.float32 for a in arrays if a is not None)
    assert all(isinstance(v, float) and np.isfinite(v) for v in history.running_cost + history.cost)
    expected = train_plain(ref, X, Y, lr=0.1, epochs=3, batch_size=6, seed=0, exact_cost=True)
    assert_same_weights(net, ref, rtol=1e-5)
    np.testing.assert_allclose(history.cost, expected.cost, rtol=1e-5)


# --- divergence ---------------------------------------------------------------------------


@pytest.mark.parametrize("batch_size", [1, 4, 64])
@pytest.mark.parametrize("exact_cost", [False, True])
def test_divergence_is_reported_without_warnings(batch_size, exact_cost):
    sizes = [2, 16, 1]
    X, Y = data(sizes, 64, "squared", seed=4)
    X *= 50.0
    net = Network(sizes, activation="relu", output_activation="identity", loss="squared", seed=0)
    ref = net.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning would fail the test
        settings = dict(lr=5.0, epochs=50, batch_size=batch_size, seed=0, exact_cost=exact_cost)
        history = train(net, X, Y, **settings)
        expected = train_plain(ref, X, Y, **settings)
    assert history.diverged
    assert history.message.startswith("training diverged in epoch ")
    assert "the learning rate lr = 5 is probably too large" in history.message
    assert len(history.running_cost) == len(history) < 50
    assert len(history.cost) == (len(history) if exact_cost else 0)
    assert all(np.isfinite(history.running_cost)) and all(np.isfinite(history.cost))
    # the same epochs, the same message, and the weights of the same last step
    assert_same_history(history, expected, rtol=1e-9)
    assert f"in epoch {len(history) + 1}:" in history.message
    assert_same_weights(net, ref, rtol=1e-9)


def test_a_nan_loss_stops_training_at_once():
    net = Network([2, 3, 1], activation="sigmoid", loss="squared", seed=0)
    net.W[1][0, 0] = np.nan  # every prediction becomes NaN
    before = {k: w.copy() for k, w in net.W.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = train(net, np.ones((4, 2)), np.zeros(4), lr=0.1, epochs=3, batch_size=2)
    assert history.diverged and history.running_cost == history.cost == []
    assert history.initial_cost is None  # not asked for; the first minibatch's cost was NaN
    assert "training diverged in epoch 1" in history.message
    for k, w in net.W.items():
        np.testing.assert_array_equal(w, before[k])  # no update was applied


# --- validation happens once, before any step -------------------------------------------


@pytest.mark.parametrize(
    "X, Y, match",
    [
        (np.ones((5, 3)), np.ones(5), "features per sample"),
        (np.array([[1.0, np.nan, 0.0, 0.0]] * 5), np.ones(5), "NaN or infinite"),
        (np.ones((5, 4)), np.ones(4), "rows of labels"),
        (np.ones((5, 4)), np.array([0, 1, 2, 0, 1]), "logistic loss needs labels"),
    ],
)
def test_bad_data_is_rejected_before_any_step(X, Y, match):
    net = Network([4, 2, 1], activation="sigmoid", loss="logistic", seed=0)
    before = {k: w.copy() for k, w in net.W.items()}
    with pytest.raises(ValueError, match=match):
        train(net, X, Y, lr=0.1, epochs=2, batch_size=2)
    for k, w in net.W.items():
        np.testing.assert_array_equal(w, before[k])


# --- the workspace cache --------------------------------------------------------------------


def test_workspaces_are_reused_per_batch_size_and_rebuilt_when_the_network_changes():
    sizes = [3, 4, 2]
    X, Y = data(sizes, 10, "squared")
    net = Network(sizes, seed=0)
    train(net, X, Y, lr=0.1, batch_size=4)  # batches of 4, 4 and 2
    cache = fast._WORKSPACES[net]
    assert sorted(cache) == [2, 4]
    train(net, X, Y, lr=0.1, batch_size=4, exact_cost=True)  # and all 10 rows for J
    assert sorted(cache) == [2, 4, 10]
    ws = cache[4]
    train(net, X, Y, lr=0.1, batch_size=4)
    assert fast._WORKSPACES[net][4] is ws
    net.activation = net.output_activation = ACTIVATIONS["tanh"]
    ref = net.copy()
    train(net, X, Y, lr=0.1, batch_size=4, seed=3)
    assert fast._WORKSPACES[net][4] is not ws
    train_plain(ref, X, Y, lr=0.1, epochs=1, batch_size=4, seed=3)
    assert_same_weights(net, ref)


def test_replaced_weight_arrays_are_used():
    sizes = [3, 4, 1]
    X, Y = data(sizes, 8, "squared")
    net = Network(sizes, seed=0)
    train(net, X, Y, lr=0.1, batch_size=8)
    net.W[1] = np.zeros((4, 3))
    ref = net.copy()
    train(net, X, Y, lr=0.1, batch_size=8)
    train_plain(ref, X, Y, lr=0.1, epochs=1, batch_size=8)
    assert_same_weights(net, ref)


def test_weights_in_any_memory_layout():
    # A reader may assign W^(k) as a Fortran-ordered array or as the .T of its transpose.
    sizes = [3, 4, 2]
    X, Y = data(sizes, 9, "squared")
    net = Network(sizes, activation="tanh", bias=True, seed=0)
    net.W[1] = np.asfortranarray(net.W[1])
    net.W[2] = np.ascontiguousarray(net.W[2].T).T
    ref = net.copy()
    train(net, X, Y, lr=0.1, epochs=2, batch_size=4, seed=2)
    train_plain(ref, X, Y, lr=0.1, epochs=2, batch_size=4, seed=2)
    assert_same_weights(net, ref)


@pytest.mark.parametrize(
    "replace, match",
    [
        (lambda net: net.W.__setitem__(1, np.zeros((4, 3))), r"net.W\[1\] must be a float32 array"),
        (lambda net: net.W.__setitem__(2, np.zeros((2, 4), np.float32)), r"shape \(1, 4\)"),
        (lambda net: net.b.__setitem__(1, [0.0] * 4), r"net.b\[1\] must be .* got a list"),
    ],
)
def test_weights_replaced_with_the_wrong_shape_or_dtype_are_named(replace, match):
    net = Network([3, 4, 1], bias=True, seed=0, dtype=np.float32)
    replace(net)
    with pytest.raises(ValueError, match=match):
        train(net, np.ones((4, 3)), np.ones(4), lr=0.1, batch_size=2)


def test_the_cache_does_not_keep_a_network_alive():
    net = Network([3, 4, 1], seed=0)
    train(net, np.ones((4, 3)), np.ones(4), lr=0.1, batch_size=4)
    alive = weakref.ref(net)
    del net
    gc.collect()
    assert alive() is None


def test_copies_train_independently():
    sizes = [3, 4, 1]
    X, Y = data(sizes, 8, "squared")
    a = Network(sizes, seed=0)
    train(a, X, Y, lr=0.1, batch_size=8)
    b = a.copy()
    train(b, X, Y, lr=0.1, batch_size=8)
    assert not np.array_equal(a.W[1], b.W[1])
    c = a.copy()
    c.step(c.backward(c.forward(X), Y), 0.1)
    np.testing.assert_allclose(b.W[1], c.W[1], rtol=RTOL)


def test_no_memory_growth_over_100_steps():
    sizes = [20, 32, 32, 5]
    X, Y = data(sizes, 64, "squared")
    net = Network(sizes, activation="sigmoid", loss="squared", seed=0)
    for _ in range(3):
        train(net, X, Y, lr=0.01, batch_size=64)
    gc.collect()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        for _ in range(100):
            train(net, X, Y, lr=0.01, batch_size=64)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    one_batch_of_activations = 64 * 32 * 8
    assert grown < one_batch_of_activations, f"{grown} bytes still allocated after 100 steps"
