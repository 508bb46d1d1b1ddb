"""Every bad input gets a ValueError or TypeError that names the problem and what was expected.

Each case also checks the exception's type exactly: a NumPy ``IndexError``, a broadcasting
``ValueError`` subclass or a ``UFuncTypeError`` leaking from deep inside would fail it.
"""

import numpy as np
import pytest

from nnlib import (
    ACTIVATIONS,
    LOSSES,
    Network,
    get_activation,
    get_loss,
    gradcheck,
    train,
    train_plain,
)

NAN, INF = float("nan"), float("inf")


def _raises(exc_type, match, func, *args, **kwargs):
    with pytest.raises(exc_type, match=match) as info:
        func(*args, **kwargs)
    assert type(info.value) is exc_type, f"{type(info.value).__name__}: {info.value}"
    return info.value


def _net(sizes=(3, 2, 1), **kwargs):
    return Network(list(sizes), seed=0, **kwargs)


X3 = np.arange(12.0).reshape(4, 3) / 10  # 4 samples, 3 features
Y1 = np.array([0.0, 1.0, 1.0, 0.0])


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
    _raises(exc, match, Network, sizes)


# -- activation, loss and network settings -------------------------------------------------


def test_unknown_activation_name():
    _raises(
        ValueError,
        r"unknown activation 'softmax'; expected one of 'sigmoid', 'tanh'",
        Network,
        [3, 1],
        activation="softmax",
    )
    _raises(
        ValueError,
        r"unknown activation 'linear'; expected one of",
        Network,
        [3, 1],
        output_activation="linear",
    )
    _raises(ValueError, r"unknown activation 'softmax'", get_activation, "softmax")


def test_activation_of_the_wrong_type():
    _raises(
        TypeError,
        r"activation must be a name such as 'sigmoid' or an Activation, got int",
        Network,
        [3, 1],
        activation=3,
    )


def test_unknown_loss_name():
    _raises(
        ValueError,
        r"unknown loss 'mse'; expected one of 'squared', 'logistic', 'hinge'",
        Network,
        [3, 1],
        loss="mse",
    )
    _raises(ValueError, r"unknown loss 'cross_entropy'", get_loss, "cross_entropy")


def test_loss_of_the_wrong_type():
    _raises(
        TypeError,
        r"loss must be a name such as 'logistic' or a Loss, got NoneType",
        Network,
        [3, 1],
        loss=None,
    )


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
    err = _raises(
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
        _raises(
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
    _raises(exc, match, Network, [3, 1], l2=l2)


@pytest.mark.parametrize("dtype", [np.int32, np.float16, np.complex128, bool])
def test_bad_dtype(dtype):
    _raises(TypeError, r"dtype must be float32 or float64, got", Network, [3, 1], dtype=dtype)


# -- inputs X --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "X",
    [np.ones((4, 2)), np.ones((4, 4)), np.ones(2), np.ones(5), np.ones((1, 1))],
    ids=["batch-2", "batch-4", "one-2", "one-5", "batch-1"],
)
def test_wrong_number_of_features_says_the_expected_count(X):
    net = _net()
    got = X.shape[-1]
    match = rf"X has {got} features per sample, but the input layer expects n_0 = 3"
    _raises(ValueError, match, net.forward, X)
    _raises(ValueError, match, net.predict, X)
    _raises(ValueError, match, net.cost, X, np.zeros(len(np.atleast_2d(X))))
    _raises(ValueError, match, net.gradients, X, np.zeros(len(np.atleast_2d(X))))
    _raises(ValueError, match, train, net, X, np.zeros(len(np.atleast_2d(X))), lr=0.1)
    _raises(ValueError, match, train_plain, net, X, np.zeros(len(np.atleast_2d(X))), lr=0.1)
    _raises(ValueError, match, gradcheck, net, X, np.zeros(len(np.atleast_2d(X))))


@pytest.mark.parametrize("bad", [NAN, INF, -INF])
def test_non_finite_input(bad):
    net = _net()
    X = X3.copy()
    X[2, 1] = bad
    match = r"X contains NaN or infinite values; every input must be finite"
    _raises(ValueError, match, net.forward, X)
    _raises(ValueError, match, net.forward, X[2])
    _raises(ValueError, match, net.cost, X, Y1)
    _raises(ValueError, match, train, net, X, Y1, lr=0.1)
    _raises(ValueError, match, train_plain, net, X, Y1, lr=0.1)
    _raises(ValueError, match, gradcheck, net, X, Y1)


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
    _raises(ValueError, match, _net().forward, X)


@pytest.mark.parametrize(
    "X",
    [[["a", "b", "c"]], [[1.0, 2.0, 3.0], [1.0, 2.0]], {"x": 1}],
    ids=["text", "ragged", "dict"],
)
def test_input_that_is_not_numbers(X):
    _raises(TypeError, r"X must be an array of numbers, got", _net().forward, X)


# -- labels Y ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [2.0, -1.0, 1.5])
def test_logistic_labels_outside_zero_one(bad):
    net = _net(activation="sigmoid", loss="logistic")
    Y = Y1.copy()
    Y[1] = bad
    # the offending value is named (NumPy 2 may print it as np.float64(...))
    match = (
        r"logistic loss needs labels y in \{0, 1\} \(or probabilities in \[0, 1\]\); got \S*"
        + str(bad)
    )
    _raises(ValueError, match, net.cost, X3, Y)
    _raises(ValueError, match, net.gradients, X3, Y)
    _raises(ValueError, match, net.backward, net.forward(X3), Y)
    _raises(ValueError, match, train, net, X3, Y, lr=0.1)
    _raises(ValueError, match, train_plain, net, X3, Y, lr=0.1)
    _raises(ValueError, match, gradcheck, net, X3, Y)


@pytest.mark.parametrize("bad", [0.0, 0.5, 2.0])
def test_hinge_labels_not_plus_minus_one(bad):
    net = _net(activation="tanh", loss="hinge")
    Y = np.array([1.0, -1.0, bad, 1.0])
    match = r"hinge loss needs labels y in \{-1, \+1\}; got \S*" + str(bad)
    _raises(ValueError, match, net.cost, X3, Y)
    _raises(ValueError, match, net.gradients, X3, Y)
    _raises(ValueError, match, train, net, X3, Y, lr=0.1)
    _raises(ValueError, match, train_plain, net, X3, Y, lr=0.1)


def test_hinge_with_zero_one_labels_says_what_was_expected():
    net = _net(activation="tanh", loss="hinge")
    _raises(ValueError, r"hinge loss needs labels y in \{-1, \+1\}; got \S*0\.0", net.cost, X3, Y1)


@pytest.mark.parametrize("n_labels", [3, 5, 1])
def test_label_rows_must_match_input_rows(n_labels):
    net = _net()
    Y = np.zeros(n_labels)
    match = rf"Y has {n_labels} rows of labels but X has 4 samples; expected one label row per input row"
    _raises(ValueError, match, net.cost, X3, Y)
    _raises(ValueError, match, net.gradients, X3, Y)
    _raises(ValueError, match, net.backward, net.forward(X3), Y)
    _raises(ValueError, match, train, net, X3, Y, lr=0.1)
    _raises(ValueError, match, train_plain, net, X3, Y, lr=0.1)
    _raises(ValueError, match, gradcheck, net, X3, Y)


def test_label_rows_for_one_sample():
    net = _net()
    _raises(ValueError, r"Y has 2 rows of labels but X has 1 samples", net.cost, X3[0], [0.0, 1.0])


def test_labels_with_the_wrong_number_of_outputs():
    net = _net((3, 4, 2))
    _raises(
        ValueError,
        r"Y has shape \(4, 3\); expected one label per output node, shape \(4, 2\)",
        net.cost,
        X3,
        np.zeros((4, 3)),
    )
    _raises(
        ValueError,
        r"Y has shape \(4,\); with 2 output nodes expected shape \(4, 2\)",
        net.cost,
        X3,
        np.zeros(4),
    )
    for trainer in (train, train_plain):
        _raises(
            ValueError,
            r"Y has shape \(4, 1\); expected one label per output node, shape \(4, 2\)",
            trainer,
            net,
            X3,
            np.zeros((4, 1)),
            lr=0.1,
        )
    _raises(
        ValueError,
        r"Y has shape \(2, 2, 2\); expected one label per output node",
        net.cost,
        X3,
        np.zeros((2, 2, 2)),
    )


def test_labels_as_one_row_for_a_single_output_net():
    # 4 labels as a (1, 4) row instead of a column
    _raises(
        ValueError,
        r"Y has shape \(1, 4\); expected one label per output node, shape \(4, 1\)",
        _net().cost,
        X3,
        Y1[None, :],
    )


@pytest.mark.parametrize("bad", [NAN, INF, -INF])
def test_non_finite_labels(bad):
    net = _net()
    Y = Y1.copy()
    Y[0] = bad
    match = r"Y contains NaN or infinite values; every label must be finite"
    _raises(ValueError, match, net.cost, X3, Y)
    _raises(ValueError, match, train, net, X3, Y, lr=0.1)
    _raises(ValueError, match, train_plain, net, X3, Y, lr=0.1)


def test_labels_that_are_not_numbers():
    _raises(
        TypeError, r"Y must be an array of numbers, got list", _net().cost, X3, ["a", "b", "c", "d"]
    )


# -- training settings ------------------------------------------------------------------------


@pytest.mark.parametrize("lr", [0, 0.0, -1, -0.5, NAN, INF, -INF])
def test_learning_rate_must_be_finite_and_positive(lr):
    net = _net()
    match = r"lr must be a finite number > 0, got"
    err = _raises(ValueError, match, train, net, X3, Y1, lr=lr)
    assert repr(float(lr)) in str(err)
    _raises(ValueError, match, train_plain, net, X3, Y1, lr=lr)
    _raises(ValueError, match, net.step, net.gradients(X3, Y1), lr)


@pytest.mark.parametrize("lr", ["0.1", None, True, [0.1], 1j])
def test_learning_rate_must_be_a_number(lr):
    net = _net()
    _raises(TypeError, r"lr must be a positive number, got", train, net, X3, Y1, lr=lr)
    _raises(TypeError, r"lr must be a positive number, got", train_plain, net, X3, Y1, lr=lr)


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
    _raises(exc, match, train, _net(), X3, Y1, lr=0.1, **{name: value})
    _raises(exc, match, train_plain, _net(), X3, Y1, lr=0.1, **{name: value})


def test_train_needs_a_network():
    _raises(TypeError, r"net must be an nnlib\.Network, got dict", train, {}, X3, Y1, lr=0.1)
    _raises(TypeError, r"net must be an nnlib\.Network, got dict", train_plain, {}, X3, Y1, lr=0.1)


@pytest.mark.parametrize("trainer", [train, train_plain])
def test_training_settings_are_keyword_only(trainer):
    # train(net, X, y, 30, 10, 3) could mean epochs=30, batch_size=10, seed=3 or
    # lr=30, epochs=10, batch_size=3: it is refused.
    _raises(
        TypeError,
        r"takes 3 positional arguments but 6 were given",
        trainer,
        _net(),
        X3,
        Y1,
        30,
        10,
        3,
    )
    _raises(TypeError, r"net must be an nnlib\.Network, got dict", train_plain, {}, X3, Y1, lr=0.1)


def test_a_refused_call_leaves_the_network_untouched():
    net = _net(activation="sigmoid", loss="logistic")
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


# -- gradcheck settings -------------------------------------------------------------------


def test_gradcheck_refuses_float32():
    net = _net(dtype=np.float32)
    _raises(ValueError, r"gradcheck needs a float64 network, got float32", gradcheck, net, X3, Y1)


@pytest.mark.parametrize("eps", [0.0, -1e-6, NAN, INF])
def test_gradcheck_refuses_bad_eps(eps):
    _raises(ValueError, r"eps must be a finite number > 0", gradcheck, _net(), X3, Y1, eps=eps)
