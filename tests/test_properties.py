"""Property tests (hypothesis) over random architectures, activations, losses and batches.

1. backpropagation agrees with central differences (nnlib.gradcheck);
2. the batch gradient is the mean of the per-sample gradients;
3. one small gradient-descent step lowers J;
4. the forward pass of a batch equals the forward pass of each row;
5. train (the in-place fast path) takes the steps of train_plain (the plain loop).

Activations and losses are drawn from the registries: a new one is tested here at once.
"""

from dataclasses import dataclass

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nnlib import ACTIVATIONS, LOSSES, Network, gradcheck, train, train_plain

SMOOTH = [name for name, act in ACTIVATIONS.items() if act.smooth]
KINK_MARGIN = 1e-3  # hinge: keep every y*a at least this far from its kink at 1

SETTINGS = dict(deadline=None, derandomize=True, database=None)


@dataclass
class Problem:
    net: Network
    X: np.ndarray
    Y: np.ndarray

    def __repr__(self) -> str:  # what hypothesis prints for a failing example
        net = self.net
        return (
            f"Problem({net!r}, output_activation={net.output_activation.name!r}, "
            f"l2={net.l2}, batch={len(self.X)})"
        )


@st.composite
def problems(draw, activations=SMOOTH):
    n_hidden = draw(st.integers(0, 4), label="L")
    sizes = (
        [draw(st.integers(1, 6), label="n_0")]
        + [draw(st.integers(1, 6)) for _ in range(n_hidden)]
        + [draw(st.integers(1, 3), label="n_out")]
    )
    activation = draw(st.sampled_from(activations), label="activation")
    loss = draw(st.sampled_from(list(LOSSES)), label="loss")
    allowed = LOSSES[loss].outputs  # e.g. the logistic loss needs 0 < g(z) < 1
    choices = [a for a in activations if allowed is None or a in allowed] or list(allowed)
    output = draw(st.sampled_from(choices), label="output_activation")
    bias = draw(st.booleans(), label="bias")
    l2 = draw(st.sampled_from([0.0, 0.05]), label="l2")
    batch = draw(st.integers(1, 5), label="batch")
    seed = draw(st.integers(0, 2**32 - 1), label="seed")

    net = Network(
        sizes,
        activation=activation,
        loss=loss,
        bias=bias,
        seed=seed,
        output_activation=output,
        l2=l2,
    )
    rng = np.random.default_rng(seed)
    if bias:
        for k in net.layers:
            net.b[k][...] = rng.normal(scale=0.5, size=net.b[k].shape)
    X = rng.normal(size=(batch, sizes[0]))
    shape = (batch, sizes[-1])
    if loss == "squared":
        Y = rng.normal(size=shape)
    elif loss == "logistic":
        Y = rng.integers(0, 2, size=shape).astype(float)
    else:
        Y = rng.choice([-1.0, 1.0], size=shape)
        margin = np.abs(Y * net.predict(X) - 1.0)
        assume(np.all(margin > KINK_MARGIN))
    return Problem(net, X, Y)


def _grad_arrays(net, grads):
    out = [grads.dW[k] for k in net.layers]
    if grads.db is not None:
        out += [grads.db[k] for k in net.layers]
    return out


@settings(max_examples=150, **SETTINGS)
@given(problems())
def test_backprop_agrees_with_central_differences(p):
    # Round-off in J(W + eps) - J(W - eps) is about ulp(J) / eps, so the floor below
    # which an entry counts as "near zero" grows with J; above it the error is relative.
    J = p.net.cost(p.X, p.Y)
    result = gradcheck(p.net, p.X, p.Y, eps=1e-5, floor=1e-4 * max(1.0, J))
    assert result.max_error <= 1e-6, result.errors
    keys = set(p.net.layers)
    if p.net.bias:
        keys |= {("b", k) for k in p.net.layers}
    assert set(result.errors) == keys


@settings(max_examples=200, **SETTINGS)
@given(problems())
def test_batch_gradient_is_the_mean_of_per_sample_gradients(p):
    net, X, Y = p.net, p.X, p.Y
    batch = _grad_arrays(net, net.gradients(X, Y))
    singles = [_grad_arrays(net, net.gradients(x, y)) for x, y in zip(X, Y, strict=True)]
    for i, whole in enumerate(batch):
        per_sample = np.array([s[i] for s in singles])
        scale = float(np.max(np.abs(per_sample), initial=0.0))
        np.testing.assert_allclose(whole, per_sample.mean(axis=0), rtol=1e-12, atol=1e-14 * scale)
    # dLoss/dz of every sample is the same row in the batch
    full = net.gradients(X, Y)
    for t, (x, y) in enumerate(zip(X, Y, strict=True)):
        one = net.gradients(x, y)
        for k in net.layers:
            np.testing.assert_allclose(one.dz[k], full.dz[k][t], rtol=1e-12, atol=1e-15)


@settings(max_examples=200, **SETTINGS)
@given(problems())
def test_one_small_sgd_step_lowers_j(p):
    net, X, Y = p.net, p.X, p.Y
    J0 = net.cost(X, Y)
    grads = net.gradients(X, Y)
    sq_norm = sum(float(np.sum(g * g)) for g in _grad_arrays(net, grads))
    lr = 1e-3 / (1.0 + sq_norm)
    # first-order decrease lr * ||grad||^2 must stand clear of round-off in J
    assume(lr * sq_norm > 1e-12 * (1.0 + abs(J0)))
    before = net.predict(X)
    net.step(grads, lr)
    if net.loss_fn.name == "hinge":
        # the step is far too small to carry any y*a across the kink, but make sure
        after = net.predict(X)
        assume(np.all(np.sign(1 - Y * before) == np.sign(1 - Y * after)))
    J1 = net.cost(X, Y)
    assert J1 < J0
    # and by about the predicted amount, lr * ||grad||^2
    assert J0 - J1 > 0.5 * lr * sq_norm


@settings(max_examples=200, **SETTINGS)
@given(problems())
def test_forward_of_a_batch_equals_forward_row_by_row(p):
    net, X = p.net, p.X
    batch = net.forward(X)
    np.testing.assert_array_equal(batch.h[0], X)
    for t, x in enumerate(X):
        one = net.forward(x)
        for k in net.layers:
            assert one.z[k].shape == (net.sizes[k],)
            scale = 1.0 + float(np.max(np.abs(batch.z[k])))
            np.testing.assert_allclose(one.z[k], batch.z[k][t], rtol=1e-13, atol=1e-14 * scale)
            np.testing.assert_allclose(one.h[k], batch.h[k][t], rtol=1e-13, atol=1e-14 * scale)
    # and the cost of the batch is the mean of the single-sample costs
    J = net.cost(X, p.Y)
    singles = [net.cost(x, y) for x, y in zip(X, p.Y, strict=True)]
    np.testing.assert_allclose(J, np.mean(singles), rtol=1e-12, atol=1e-15)


@settings(max_examples=100, **SETTINGS)
@given(
    problems(activations=list(ACTIVATIONS)),
    st.integers(1, 6),
    st.booleans(),
    st.sampled_from([np.float64, np.float32]),
)
def test_train_takes_the_steps_of_the_plain_loop(p, batch_size, shuffle, dtype):
    fast = p.net
    if dtype == np.float32:
        fast = Network(
            list(fast.sizes),
            activation=fast.activation,
            loss=fast.loss_fn,
            bias=fast.bias,
            output_activation=fast.output_activation,
            l2=fast.l2,
            dtype=np.float32,
        )
        for kind, k, arr in p.net.parameters():
            (fast.W if kind == "W" else fast.b)[k][...] = arr
    plain = fast.copy()
    settings_ = dict(
        lr=0.05, epochs=3, batch_size=batch_size, seed=1, shuffle=shuffle, exact_cost=True
    )
    h_fast = train(fast, p.X, p.Y, **settings_)
    h_plain = train_plain(plain, p.X, p.Y, **settings_)
    rtol, atol = (1e-10, 1e-12) if dtype == np.float64 else (2e-4, 1e-5)
    assert (h_fast.diverged, len(h_fast)) == (h_plain.diverged, len(h_plain))
    np.testing.assert_allclose(h_fast.cost, h_plain.cost, rtol=rtol, atol=atol)
    np.testing.assert_allclose(h_fast.running_cost, h_plain.running_cost, rtol=rtol, atol=atol)
    for (_, _, a), (_, _, b) in zip(fast.parameters(), plain.parameters(), strict=True):
        assert a.dtype == b.dtype == dtype
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)
