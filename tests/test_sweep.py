"""The order of the backward sweep (nnlib.symbolic.sweep): valid orders pass, wrong ones are refused."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib import Network, fast
from nnlib.symbolic.sweep import ORDERS, Step, check_order, merged, symbolic_sweep, trace_fast_step


@pytest.mark.parametrize("sizes", [[2, 1], [2, 2, 1], [2, 2, 2, 1], [3, 2, 3, 2, 1]])
@pytest.mark.parametrize("order", ["book", "fast"])
def test_valid_orders_pass(sizes, order):
    result = symbolic_sweep(sizes, order).check()
    assert result.ok, result.violations
    assert "valid order" in result.line()


def test_update_too_early_reads_a_moved_weight():
    result = symbolic_sweep([2, 2, 2, 1], "update too early").check()
    assert not result.ok
    # delta^(2)_1 is the first quantity that reads a weight of layer 3 after it moved
    assert result.violations[0].startswith("step 15 (delta^(2)_1) reads W^(3)_11 after step 13")
    assert all("after step" in v for v in result.violations)


def test_upwards_reads_deltas_before_they_exist():
    result = symbolic_sweep([2, 2, 2, 1], "upwards").check()
    assert not result.ok
    assert "reads delta^(2)_1 before any step computes it" in result.violations[0]


def test_a_network_without_hidden_layer_cannot_update_too_early():
    # nothing reads W^(1) after its gradient: every order of the updates is valid
    assert symbolic_sweep([2, 1], "update too early").check().ok


def test_every_step_reads_its_formula():
    sweep = symbolic_sweep([2, 2, 1], "book")
    steps = {s.writes: s.reads for s in sweep.steps if not s.writes.startswith("W")}
    assert steps["delta^(1)_2"] == {"delta^(out)", "W^(2)_12", "z^(1)_2"}
    assert steps["dLoss/dW^(1)_21"] == {"delta^(1)_2", "x_1"}
    updates = [s for s in sweep.steps if s.writes == "W^(1)_21"]
    assert [u.reads for u in updates] == [{"W^(1)_21", "dLoss/dW^(1)_21", "eta"}]


@pytest.mark.parametrize("bias,l2", [(False, 0.0), (True, 0.0), (False, 0.1)])
def test_the_fast_step_runs_in_a_valid_order(bias, l2):
    net = Network(
        [3, 4, 2, 1],
        activation="tanh",
        output_activation="sigmoid",
        loss="logistic",
        bias=bias,
        l2=l2,
        seed=1,
    )
    X = np.random.default_rng(0).normal(size=(5, 3))
    Y = np.array([0.0, 1.0, 1.0, 0.0, 1.0])
    before = {k: w.copy() for k, w in net.W.items()}
    sweep = trace_fast_step(net, X, Y, lr=0.5)
    assert sweep.check().ok, sweep.check().violations
    # the traced step is the real step: same weights as the plain backward pass and update
    expected = net.copy()
    expected.step(expected.gradients(X, Y), 0.5)
    for k in net.layers:
        np.testing.assert_allclose(sweep.net.W[k], expected.W[k], rtol=1e-12)
        np.testing.assert_array_equal(net.W[k], before[k])  # the caller's net did not move
    written = [s.writes for s in merged(sweep.steps)]
    # layer k moves right after delta^(k-1) is done with it, before layer k-1's gradient
    assert written.index("W^(3)") > max(i for i, w in enumerate(written) if w == "delta^(2)")
    assert written.index("W^(3)") < written.index("dW^(2)")


def test_a_fast_step_that_updates_too_early_is_refused(monkeypatch):
    def too_early(self, lr):  # backward_step with the update moved before the recursion
        h, z, dz, tmp = self.h, self.z, self.dz, self.tmp
        dz[self.top] *= lr / self.n
        for W, _b, dW, _db, dz_k, j in self._backward_layers:
            np.dot(dz_k.T, h[j], out=dW)
            W -= dW
            if j > 0:
                np.dot(dz_k, W, out=dz[j])
                self.dg_into[j](z[j], h[j], tmp[j])
                np.multiply(dz[j], tmp[j], out=dz[j])

    monkeypatch.setattr(fast.Workspace, "backward_step", too_early)
    net = Network([2, 2, 2, 1], seed=0)
    result = trace_fast_step(net, [1.0, 2.0], 1.0, lr=0.5).check()
    assert not result.ok
    assert "reads W^(3) after step" in result.violations[0]


def test_check_order_bad_input():
    with pytest.raises(TypeError, match="sequence of"):
        check_order(Step("a", frozenset()), {"x"}, set())
    with pytest.raises(ValueError, match="every weight must be an input"):
        check_order([], {"x"}, {"W"})
    with pytest.raises(ValueError, match="order must be one of"):
        symbolic_sweep([2, 1], "sideways")
    with pytest.raises(TypeError, match=r"nnlib\.Network"):
        trace_fast_step("net", [1.0], 1.0, lr=0.1)
    assert set(ORDERS) == {"book", "fast", "update too early", "upwards"}
