"""Tests of the package nnlib.symbolic: the paper's formulas against SymPy's own derivatives.

Every backward equation of sections 3.1-3.6 is proven for every weight, bias and
node of many architectures; deliberately wrong formulas (mutants) must fail the
proof; the concretized, lambdified gradients must equal ``nnlib.Network.backward``
to 1e-12; and the module must never turn text into expressions.
"""

from __future__ import annotations

import ast
import itertools
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib import ACTIVATIONS, LOSSES, symbolic
from nnlib.symbolic import (
    ACTIVATION_EXPRESSIONS,
    KINK_DERIVATIVES,
    LOSS_EXPRESSIONS,
    Loss,
    Partial,
    SymbolicNetwork,
    concretize,
    eta,
    g,
    g_out,
    h_symbol,
    latex,
    sgd_sign_demo,
    sympy_gradients,
    to_numpy,
)

RTOL = 1e-12


def expected_claims(sizes: list[int], bias: bool = False, descent: bool = False) -> int:
    """How many claims check_all must make: one per formula and weight, bias or node."""
    L = len(sizes) - 2
    weights = sum(a * b for a, b in itertools.pairwise(sizes))
    hidden = sum(sizes[1:-1])
    return (
        1  # 3.1, the output node
        + sizes[L]  # 3.2, the output weights
        + weights  # 3.3, every weight
        + (sizes[L] if L >= 1 else 0)  # 3.4, the last hidden layer
        + 2 * hidden  # 3.5 and its matrix form, every hidden node
        + (sum(sizes[1:]) if bias else 0)  # every bias
        + int(descent)
    )


def assert_all_proven(sizes: list[int], bias: bool = False, descent: bool = False) -> None:
    report = SymbolicNetwork(sizes, bias).check_all(descent=descent)
    assert report.all_proven, f"{sizes}: not proven: {report.failures}"
    assert len(report) == expected_claims(sizes, bias, descent)


# -- every formula, every weight and node, many architectures ------------------------------

SMALL = [[*widths, 1] for L in (0, 1, 2, 3) for widths in itertools.product((1, 2), repeat=L + 1)]
"""Every architecture with L = 0..3 hidden layers and widths 1..2 (30 networks)."""

WIDTH_3 = [
    [*(3 if p in (q, q + 1) else 2 for p in range(L + 1)), 1]
    for L in (0, 1, 2, 3)
    for q in range(max(L, 1))
]
"""For each depth L = 0..3, each pair of adjacent layers below the output 3 x 3 once, 2 elsewhere.

[3, 1], [3, 3, 1], [3, 3, 2, 1], [2, 3, 3, 1], [3, 3, 2, 2, 1], [2, 3, 3, 2, 1],
[2, 2, 3, 3, 1]: every formula meets three-way indices and sums of three terms
at every position in the network -- eq. ``dloss-dw-output`` over 3 inputs or 3
last hidden nodes, eq. ``dloss-dw`` with a 3 x 3 weight matrix in every layer
but the output, eq. ``dloss-dz-last-hidden`` with 3 nodes at every depth, eq.
``dloss-dz-hidden`` summing over 3 nodes of layer k+1 with 3 nodes in layer k,
for k = 1 and 2.
"""


@pytest.mark.parametrize("sizes", SMALL + WIDTH_3, ids=str)
def test_every_formula_is_sympys_derivative_for_every_small_network(sizes):
    """L = 0..3 with every combination of widths 1..2, and the 7 networks of ``WIDTH_3``.

    All 120 combinations of widths 1..3 took most of this file's run time; the
    benchmark proves deeper networks, up to L = 5.
    """
    assert_all_proven(sizes)


def test_the_sweep_covers_every_depth_and_width():
    assert len(SMALL) == 30
    assert WIDTH_3 == [
        [3, 1],
        [3, 3, 1],
        [3, 3, 2, 1],
        [2, 3, 3, 1],
        [3, 3, 2, 2, 1],
        [2, 3, 3, 2, 1],
        [2, 2, 3, 3, 1],
    ]


@pytest.mark.parametrize("sizes", [[4, 3, 3, 1], [2, 4, 1], [5, 1], [1, 4, 2, 1]], ids=str)
def test_every_formula_holds_for_wider_networks(sizes):
    assert_all_proven(sizes)


@pytest.mark.parametrize("sizes", [[2, 1], [2, 2, 1], [3, 2, 2, 1]], ids=str)
def test_biases_change_no_derivation(sizes):
    """dLoss/db^(k)_i = dLoss/dz^(k)_i, and every other formula holds unchanged."""
    assert_all_proven(sizes, bias=True, descent=True)
    net = SymbolicNetwork(sizes, bias=True)
    for k in net.layers:
        for i in range(1, sizes[k] + 1):
            assert net.dloss_db(k, i) == net.dz_sym[k][i - 1]


def test_the_corrected_update_is_proven_to_descend():
    assert_all_proven([2, 2, 1], descent=True)


def test_output_node_formula_is_exactly_what_sympy_writes():
    """Eq. dloss-dz is literally SymPy's chain rule for Loss(g(z), y)."""
    net = SymbolicNetwork([3, 2, 1])
    assert sympy.diff(Loss(g(net.z_out), net.y), net.z_out) == net.dloss_dz()


def test_formulas_are_written_in_the_papers_symbols():
    net = SymbolicNetwork([3, 2, 2, 1])
    assert net.dloss_dW_output(2) == net.dz_sym[3][0] * net.h_sym[2][1]
    assert net.dloss_dW(1, 2, 3) == net.dz_sym[1][1] * net.x[2]
    g_prime = sympy.Derivative(g(net.z_sym[2][0]), net.z_sym[2][0])
    assert net.dloss_dz_last_hidden(1) == net.dz_sym[3][0] * net.W[3][0, 0] * g_prime
    expected = sum(net.dz_sym[2][i] * net.W[2][i, 1] for i in range(2)) * sympy.Derivative(
        g(net.z_sym[1][1]), net.z_sym[1][1]
    )
    assert sympy.expand(net.dloss_dz_hidden(1, 2) - expected) == 0


def test_backward_is_keyed_and_shaped_like_nnlib():
    net, num = SymbolicNetwork([3, 2, 2, 1], bias=True), nnlib.Network([3, 2, 2, 1], bias=True)
    grads = net.backward()
    for k in net.layers:
        assert grads.dW[k].shape == num.W[k].shape
        assert grads.dz[k].shape == (net.sizes[k], 1)
        assert grads.db[k].shape == (net.sizes[k], 1)
        assert grads.dW[k] == net.dW_matrix(k)
        assert net.equal(grads.dz[k], net.delta_matrix(k))
        assert net.equal(grads.dW[k], net.W[k].applyfunc(net.sympy_derivative))
        assert net.equal(grads.dz[k], net.z_sym[k].applyfunc(net.sympy_derivative))
    assert grads.dz[3][0] == net.dloss_dz()


# -- mutants: wrong formulas must not be proven ---------------------------------------------


@pytest.fixture(scope="module")
def square() -> SymbolicNetwork:
    """Square hidden layers, so that transposed indices make sense."""
    return SymbolicNetwork([3, 3, 3, 1])


def g_prime(net: SymbolicNetwork, k: int, j: int) -> sympy.Expr:
    node = net.z_sym[k][j - 1]
    return sympy.Derivative(g(node), node)


def test_mutant_without_g_prime_fails(square):
    net = square
    z = net.z_out
    assert not net.proves(sympy.Derivative(Loss(g(z), net.y), g(z)), z)  # 3.1
    for i in range(1, 4):  # 3.4
        assert not net.proves(net.dz_sym[3][0] * net.W[3][0, i - 1], net.z_sym[2][i - 1])
    for k, j in itertools.product((1, 2), range(1, 4)):  # 3.5
        mutant = sum(net.dz_sym[k + 1][i] * net.W[k + 1][i, j - 1] for i in range(net.sizes[k + 1]))
        assert not net.proves(mutant, net.z_sym[k][j - 1])


def test_mutant_with_transposed_weight_index_fails(square):
    net = square
    for j in range(1, 4):  # 3.5 with W_ji for W_ij
        mutant = sum(net.dz_sym[2][i] * net.W[2][j - 1, i] for i in range(3)) * g_prime(net, 1, j)
        assert not net.proves(mutant, net.z_sym[1][j - 1])
    for k in (1, 2):  # 3.3 with the indices of dz and h swapped
        for i, j in itertools.permutations(range(1, 4), 2):
            mutant = net.dz_sym[k][j - 1] * net.h_sym[k - 1][i - 1]
            assert not net.proves(mutant, net.W[k][i - 1, j - 1])


def test_mutant_with_the_wrong_layers_weight_fails(square):
    """3.5 as printed (W_ij without a layer) read as the layer-k weights."""
    net = square
    for j in range(1, 4):
        mutant = sum(net.dz_sym[2][i] * net.W[1][i, j - 1] for i in range(3)) * g_prime(net, 1, j)
        assert not net.proves(mutant, net.z_sym[1][j - 1])


def test_mutant_with_the_wrong_layers_h_fails(square):
    net = square
    for k, i, j in itertools.product((1, 2), range(1, 4), range(1, 4)):  # h^(k) for h^(k-1)
        assert not net.proves(net.dz_sym[k][i - 1] * net.h_sym[k][j - 1], net.W[k][i - 1, j - 1])
    for j in range(1, 4):  # 3.2 with h^(L-1)
        assert not net.proves(net.dz_sym[3][0] * net.h_sym[1][j - 1], net.W[3][0, j - 1])
    for i, j in itertools.product(range(1, 4), range(1, 4)):  # 3.3 at k = 2 with x for h^(1)
        assert not net.proves(net.dz_sym[2][i - 1] * net.x[j - 1], net.W[2][i - 1, j - 1])


def test_mutant_with_g_prime_at_the_wrong_node_fails(square):
    net = square
    for j in range(1, 4):
        wrong = j % 3 + 1
        mutant = sum(net.dz_sym[2][i] * net.W[2][i, j - 1] for i in range(3)) * g_prime(
            net, 1, wrong
        )
        assert not net.proves(mutant, net.z_sym[1][j - 1])


def test_mutants_of_sign_and_scale_fail(square):
    net = square
    w = net.W[1][0, 1]
    assert net.proves(net.dloss_dW(1, 1, 2), w)
    assert not net.proves(-net.dloss_dW(1, 1, 2), w)
    assert not net.proves(2 * net.dloss_dW(1, 1, 2), w)
    assert not net.proves(net.dloss_dW(1, 1, 2), net.W[1][1, 0])  # right formula, other weight
    assert not net.proves(net.sympy_derivative(net.W[1][0, 0]), w)


def test_the_papers_plus_sign_in_the_update_is_not_descent():
    net = SymbolicNetwork([2, 2, 1])
    assert net.proves_descent(net.sgd_update(-1))
    assert not net.proves_descent(net.sgd_update(+1))
    by_hand = {w: w + eta * d for w, d in net.gradient_symbols().items()}  # as printed in 3.6
    assert not net.proves_descent(by_hand)
    corrected = {w: w - eta * d for w, d in net.gradient_symbols().items()}
    assert net.proves_descent(corrected)


@pytest.mark.parametrize(
    ("sizes", "bias"), [([2, 1], False), ([2, 2, 1], False), ([2, 2, 1], True)]
)
def test_first_order_change_of_the_update_is_plus_or_minus_the_squared_gradient(sizes, bias):
    net = SymbolicNetwork(sizes, bias)
    norm = net.squared_gradient_norm()
    assert net.equal(net.update_first_order_change(+1), norm)
    assert net.equal(net.update_first_order_change(-1), -norm)
    assert not net.equal(net.update_first_order_change(+1), -norm)


# -- derivatives with respect to an activation h^(k)_i --------------------------------------


def dloss_dh(net: SymbolicNetwork, k: int, i: int) -> sympy.Expr:
    """dLoss/dh^(k)_i written by hand: the sum over layer k+1 of dLoss/dz^(k+1)_j W^(k+1)_ji."""
    return sympy.Add(
        *(net.dz_sym[k + 1][j] * net.W[k + 1][j, i - 1] for j in range(net.sizes[k + 1]))
    )


H_NETWORKS = [
    ([2, 3, 1], False),
    ([1, 2, 3, 1], False),
    ([2, 3, 2, 2, 1], False),
    ([2, 2, 1], True),
]


@pytest.mark.parametrize(("sizes", "bias"), H_NETWORKS, ids=str)
def test_dloss_dh_last_hidden_is_dloss_dz_times_the_output_weight(sizes, bias):
    """The form of section 3.4 without g' is dLoss/dh^(L)_i, for every i; with g' it is not."""
    net = SymbolicNetwork(sizes, bias)
    L, top = net.L, net.L + 1
    for i in range(1, sizes[L] + 1):
        h, z = net.h_sym[L][i - 1], net.z_sym[L][i - 1]
        without_g_prime = net.dz_sym[top][0] * net.W[top][0, i - 1]
        assert net.proves(without_g_prime, h)
        assert net.proves(dloss_dh(net, L, i), h)  # the same, as a sum over the one output
        assert not net.proves(without_g_prime * g_prime(net, L, i), h)
        assert not net.proves(net.dloss_dz_last_hidden(i), h)
        # ... and the other way round: with respect to z^(L)_i only the form with g' holds
        assert net.proves(net.dloss_dz_last_hidden(i), z)
        assert not net.proves(without_g_prime, z)
        for other in range(1, sizes[L] + 1):  # right formula, other node
            if other != i:
                assert not net.proves(without_g_prime, net.h_sym[L][other - 1])


@pytest.mark.parametrize(("sizes", "bias"), H_NETWORKS, ids=str)
def test_dloss_dh_hidden_is_the_sum_over_layer_k_plus_1(sizes, bias):
    """For k < L, dLoss/dh^(k)_i = sum_j dLoss/dz^(k+1)_j W^(k+1)_ji; not with g', not transposed."""
    net = SymbolicNetwork(sizes, bias)
    for k in range(1, net.L + 1):
        for i in range(1, sizes[k] + 1):
            h = net.h_sym[k][i - 1]
            assert net.proves(dloss_dh(net, k, i), h)
            assert not net.proves(dloss_dh(net, k, i) * g_prime(net, k, i), h)
            assert not net.proves(net.dz_sym[k][i - 1], h)  # dLoss/dz^(k)_i is another thing
            # the chain rule through the threshold: dLoss/dz^(k)_i = dLoss/dh^(k)_i g'(z^(k)_i)
            z = net.z_sym[k][i - 1]
            assert net.proves(net.sympy_derivative(h) * g_prime(net, k, i), z)


def test_dloss_dh_mutants_fail(square):
    net = square
    for i in range(1, 4):
        h = net.h_sym[1][i - 1]
        transposed = sum(net.dz_sym[2][j] * net.W[2][i - 1, j] for j in range(3))
        assert not net.proves(transposed, h)
        wrong_layer = sum(net.dz_sym[2][j] * net.W[1][j, i - 1] for j in range(3))
        assert not net.proves(wrong_layer, h)
        one_term = net.dz_sym[2][i - 1] * net.W[2][i - 1, i - 1]
        assert not net.proves(one_term, h)
        assert not net.proves(dloss_dh(square, 2, i), h)  # the next layer's formula


def test_sympy_derivative_of_an_activation_is_written_in_weights_and_inputs():
    net = SymbolicNetwork([2, 2, 2, 1], bias=True)
    base = {*net.x, *net.parameters(), net.y}
    for k, i in itertools.product((1, 2), (1, 2)):
        d = net.sympy_derivative(net.h_sym[k][i - 1])
        assert d.free_symbols <= base
        assert net.proves(d, net.h_sym[k][i - 1])
    last = net.fold(net.sympy_derivative(net.h_sym[2][0]))
    assert net.W[3][0, 0] in last.free_symbols and net.z_out in last.free_symbols


def test_only_hidden_activations_are_nodes_to_differentiate_by():
    net = SymbolicNetwork([2, 2, 1])
    for bad in (net.x[0], net.h_sym[0][1], h_symbol(2, 1), net.y):  # h^(0) is x; z has no h_sym
        with pytest.raises(ValueError, match=r"h_sym\[k\]\[i-1\] \(1 <= k <= L\)"):
            net.proves(net.dloss_dz(), bad)


# -- the comparison itself -----------------------------------------------------------------


def test_equal_sees_through_sympys_dummy_variables():
    net = SymbolicNetwork([2, 2, 1])
    w = net.W[1][1, 0]
    a, b = sympy.diff(net.loss_expr(), w), net.sympy_derivative(w)
    assert net.equal(a, b)
    assert net.equal(a, net.unfold(net.dloss_dW(1, 2, 1)))


def test_equal_keeps_different_functions_and_arguments_apart():
    net = SymbolicNetwork([2, 1])
    x1, x2 = net.x
    w11, w12 = net.W[1]
    assert not net.equal(g(w11 * x1), g_out(w11 * x1))
    assert not net.equal(g(w11 * x1), sympy.Derivative(g(w11), w11).subs(w11, w11 * x1))
    assert not net.equal(g(w11 * x1 + w12 * x2), g(w11 * x1 + w12 * x1))
    assert net.equal(g(w11 * (x1 + x2)), g(w11 * x1 + w11 * x2))  # arguments are expanded


def test_equal_is_exact_with_floats():
    w = SymbolicNetwork([1, 1]).W[1][0, 0]
    net = SymbolicNetwork([1, 1])
    assert net.equal(sympy.Float(0.5) * w, w / 2)
    assert not net.equal(sympy.Float(0.1) * w, w / 10)  # 0.1 is not 1/10 in binary


def test_unfold_and_fold_are_inverse_on_forward_values():
    net = SymbolicNetwork([2, 2, 1])
    base = {*net.x, *net.parameters(), net.y}
    assert net.unfold(net.dz_sym[1][0]).free_symbols <= base
    assert net.unfold(net.h_sym[1][1]) == net.h[1][1]
    assert net.fold(net.h[1][1]) == net.h_sym[1][1]
    assert net.fold(net.z[2][0]) == net.z_out
    folded = net.fold(net.sympy_derivative(net.W[1][0, 0]))
    assert net.z_sym[1][0] in folded.free_symbols and net.z_out in folded.free_symbols


def test_sympy_derivative_of_a_node_is_written_in_weights_and_inputs():
    net = SymbolicNetwork([2, 2, 1])
    d = net.sympy_derivative(net.z_sym[1][1])
    assert d.free_symbols <= {*net.x, *net.parameters(), net.y}
    assert net.proves(d, net.z_sym[1][1])


# -- numbers: concretized SymPy against nnlib ----------------------------------------------

# Every activation and loss of the registries: the smooth ones here, those with a kink below.
ACTIVATION_LOSS = [
    (activation, loss)
    for activation, act in ACTIVATIONS.items()
    if act.smooth
    for loss, fn in LOSSES.items()
    if fn.smooth
]
KINKED_ACTIVATION_LOSS = [
    (activation, loss)
    for activation, act in ACTIVATIONS.items()
    for loss, fn in LOSSES.items()
    if not (act.smooth and fn.smooth)
]


def output_for(activation, loss):
    """The output activation: the hidden one, unless the loss does not accept it."""
    allowed = LOSSES[loss].outputs  # e.g. the logistic loss needs g(z) in (0, 1)
    return None if allowed is None or activation in allowed else allowed[0]


def make_case(sizes, activation, loss, bias, seed):
    """A network with random weights (and biases), a random input and a label for the loss."""
    rng = np.random.default_rng(seed)
    output = output_for(activation, loss)
    net = nnlib.Network(sizes, activation, loss, bias=bias, seed=seed, output_activation=output)
    if bias:
        for k in net.layers:
            net.b[k] = rng.normal(size=net.b[k].shape)
    x = rng.normal(size=sizes[0])
    y = float(rng.integers(0, 2)) if loss == "logistic" else float(rng.normal())
    if loss == "hinge":
        y = float(rng.choice([-1.0, 1.0]))
    return net, x, y


def assert_same_gradients(got, ref, bias):
    for k in ref.dW:
        np.testing.assert_allclose(got.dW[k], ref.dW[k], rtol=RTOL, atol=1e-15)
        np.testing.assert_allclose(got.dz[k], ref.dz[k], rtol=RTOL, atol=1e-15)
        if bias:
            np.testing.assert_allclose(got.db[k], ref.db[k], rtol=RTOL, atol=1e-15)


@pytest.mark.parametrize(("bias", "method"), [(False, "diff"), (True, "diff"), (True, "backprop")])
@pytest.mark.parametrize(("activation", "loss"), ACTIVATION_LOSS)
def test_lambdified_gradients_equal_nnlib(activation, loss, bias, method):
    """ "diff": SymPy's own derivatives; "backprop": the paper's formulas, unfolded."""
    for seed in range(3):
        net, x, y = make_case([3, 2, 1], activation, loss, bias, seed)
        ref = net.backward(net.forward(x), y)
        assert_same_gradients(sympy_gradients(net, x, y, method), ref, bias)


@pytest.mark.parametrize(("activation", "loss"), [("sigmoid", "logistic"), ("tanh", "squared")])
def test_lambdified_gradients_equal_nnlib_two_hidden_layers_with_bias(activation, loss):
    net, x, y = make_case([2, 3, 2, 1], activation, loss, True, 7)
    ref = net.backward(net.forward(x), y)
    assert_same_gradients(sympy_gradients(net, x, y), ref, True)


@pytest.mark.parametrize(("activation", "loss"), KINKED_ACTIVATION_LOSS)
def test_lambdified_gradients_equal_nnlib_for_kinked_functions(activation, loss):
    """Away from the kinks (random points), ReLU and hinge agree as well."""
    for seed in range(3):
        net, x, y = make_case([3, 3, 1], activation, loss, False, seed)
        ref = net.backward(net.forward(x), y)
        assert_same_gradients(sympy_gradients(net, x, y), ref, False)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10**6), pair=st.sampled_from(ACTIVATION_LOSS), bias=st.booleans())
def test_property_nnlib_agrees_with_the_symbolic_module(seed, pair, bias):
    net, x, y = make_case([3, 2, 1], *pair, bias, seed)  # compiled once, in the test above
    assert_same_gradients(sympy_gradients(net, x, y), net.backward(net.forward(x), y), bias)


def test_no_hidden_layer_and_l2():
    net, x, y = make_case([4, 1], "sigmoid", "squared", False, 3)
    net.l2 = 0.1
    assert_same_gradients(sympy_gradients(net, x, y), net.backward(net.forward(x), y), False)


def test_to_numpy_of_one_formula_and_of_the_loss():
    sym = SymbolicNetwork([3, 2, 1], bias=True)
    net, x, y = make_case([3, 2, 1], "tanh", "squared", True, 5)
    ref = net.backward(net.forward(x), y)
    dW = to_numpy(sym.dloss_dW(1, 2, 3), sym, "tanh", "squared")
    np.testing.assert_allclose(dW(x, net.W, y, net.b), ref.dW[1][1, 2], rtol=RTOL)
    loss = to_numpy(sym.loss_expr(), sym, "tanh", "squared")
    np.testing.assert_allclose(loss(x, net.W, y, net.b), net.cost(x, y), rtol=RTOL)


def test_the_symbolic_tables_are_views_of_the_registries():
    assert list(ACTIVATION_EXPRESSIONS) == list(ACTIVATIONS)  # every activation has a SymPy form
    assert list(LOSS_EXPRESSIONS) == list(LOSSES)
    t, a, y = sympy.symbols("t a y", real=True)
    for name, act in ACTIVATIONS.items():
        assert ACTIVATION_EXPRESSIONS[name](t) == act.sympy_g(t)
        if act.sympy_dg is not None:
            assert KINK_DERIVATIVES[name](t) == act.sympy_dg(t)
    for name, fn in LOSSES.items():
        assert LOSS_EXPRESSIONS[name](a, y) == fn.sympy_value(a, y)
        if fn.sympy_grad is not None:
            assert KINK_DERIVATIVES[name](a, y) == fn.sympy_grad(a, y)
    assert set(KINK_DERIVATIVES) == {n for n, act in ACTIVATIONS.items() if act.sympy_dg} | {
        n for n, fn in LOSSES.items() if fn.sympy_grad
    }
    with pytest.raises(KeyError):
        ACTIVATION_EXPRESSIONS["softsign"]


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("loss", list(LOSSES))
def test_concretize_knows_every_registered_pair_and_the_rule_for_outputs(activation, loss):
    net = SymbolicNetwork([1, 1])
    z, y = net.z_out, net.y
    if output_for(activation, loss) is not None:  # e.g. logistic of tanh: refused, with the reason
        with pytest.raises(ValueError, match=rf"the {loss} loss needs .*'{activation}'"):
            concretize(net.dloss_dz(), activation, loss)
        return
    got = concretize(net.dloss_dz(), activation, loss)
    gz = ACTIVATIONS[activation].sympy_g(z)
    a = sympy.Symbol("a", real=True)
    dloss = LOSSES[loss].sympy_grad or (
        lambda a_, y_: sympy.diff(LOSSES[loss].sympy_value(a, y_), a)
    )
    dg = ACTIVATIONS[activation].sympy_dg or (
        lambda t: sympy.diff(ACTIVATIONS[activation].sympy_g(t), t)
    )
    expected = dloss(a, y).subs(a, gz) * dg(z)  # eq. dloss-dz with nnlib's own g and Loss
    assert sympy.simplify(got - expected) == 0


def test_concretize_gives_the_closed_forms():
    net = SymbolicNetwork([1, 1])
    z, y = net.z_out, net.y
    sigmoid = 1 / (1 + sympy.exp(-z))
    squared = concretize(net.dloss_dz(), "sigmoid", "squared")
    assert sympy.simplify(squared - (sigmoid - y) * sympy.diff(sigmoid, z)) == 0
    logistic = concretize(net.dloss_dz(), "sigmoid", "logistic")
    assert sympy.simplify(logistic - (sigmoid - y)) == 0  # the famous g(z) - y
    assert concretize(net.dloss_dz(), "identity", "squared") == z - y
    softplus = concretize(net.dloss_dz(), "softplus", "squared")  # g' of softplus is the sigmoid
    assert sympy.simplify(softplus - (sympy.log(1 + sympy.exp(z)) - y) * sigmoid) == 0


def test_sgd_sign_demo_shows_the_erratum_and_leaves_the_network_alone():
    net, x, y = make_case([2, 2, 1], "sigmoid", "squared", True, 11)
    W = {k: w.copy() for k, w in net.W.items()}
    demo = sgd_sign_demo(net, x, y, lr=0.1)
    assert demo.paper_plus > demo.before > demo.corrected_minus
    assert all(np.array_equal(net.W[k], W[k]) for k in W)
    assert "paper" in str(demo)


# -- LaTeX ----------------------------------------------------------------------------------


def test_symbols_print_in_the_papers_notation():
    net = SymbolicNetwork([3, 2, 1], bias=True)
    for printer in (latex, sympy.latex):
        assert printer(net.W[1][0, 1]) == "W^{(1)}_{12}"
        assert printer(net.z_sym[1][1]) == "z^{(1)}_{2}"
        assert printer(net.h_sym[1][0]) == "h^{(1)}_{1}"
        assert printer(net.x[2]) == "x_{3}"
        assert printer(net.b[2][0]) == "b^{(2)}_{1}"
        assert printer(net.z_out) == "z"
        assert (
            printer(net.dz_sym[1][0])
            == r"\frac{\partial \operatorname{Loss}}{\partial z^{(1)}_{1}}"
        )
        assert printer(net.dz_sym[2][0]) == r"\frac{\partial \operatorname{Loss}}{\partial z}"
    wide = SymbolicNetwork([12, 11, 1])
    assert latex(wide.W[1][10, 11]) == "W^{(1)}_{11,12}"


def test_formulas_print_like_the_paper():
    net = SymbolicNetwork([2, 2, 1])
    assert latex(net.dloss_dz()) == (
        r"\frac{\partial}{\partial g{\left(z \right)}} "
        r"\operatorname{Loss}{\left(g{\left(z \right)},y \right)} g'{\left(z \right)}"
    )
    assert latex(net.dloss_dW_output(2)) == (
        r"\frac{\partial \operatorname{Loss}}{\partial z} h^{(1)}_{2}"
    )
    assert latex(net.dloss_dz_last_hidden(2)) == (
        r"\frac{\partial \operatorname{Loss}}{\partial z} W^{(2)}_{12} g'{\left(z^{(1)}_{2} \right)}"
    )
    folded = latex(net.fold(net.sympy_derivative(net.W[1][0, 0])))
    assert r"g'{\left(z^{(1)}_{1} \right)}" in folded and "Subs" not in folded


# -- safety: no parsing of text, no SymPy on `import nnlib` ---------------------------------

FORBIDDEN = {"sympify", "_sympify", "parse_expr", "S", "eval", "exec", "parse_latex"}


SOURCES = sorted(Path(symbolic.__file__).parent.glob("*.py"))


def test_the_package_has_its_modules():
    names = {p.stem for p in SOURCES}
    assert names == {
        "__init__",
        "notation",
        "proof",
        "network",
        "derivatives",
        "concrete",
        "errata",
        "sweep",
    }


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_package_source_never_parses_text(source):
    tree = ast.parse(source.read_text())
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    names |= {
        a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for a in node.names
    }
    assert not names & FORBIDDEN


def test_public_api_runs_without_sympify_of_text(monkeypatch):
    """sympify(str) goes through parse_expr; make that raise and run everything."""
    import sympy.parsing.sympy_parser as parser

    def refuse(*args, **kwargs):
        raise AssertionError(f"text was parsed: {args[:1]!r}")

    monkeypatch.setattr(parser, "parse_expr", refuse)
    with pytest.raises(AssertionError, match="text was parsed"):
        sympy.sympify("x + 1")  # the trap is armed
    symbolic.concrete._compiled_gradients.cache_clear()
    symbolic.derivatives.clear_derivatives()  # SymPy differentiates again, under the trap
    sym = SymbolicNetwork([2, 2, 1], bias=True)
    assert sym.check_all().all_proven
    latex(sym.backward().dz[1])
    sym.fold(sym.sympy_derivative(sym.z_sym[1][0]))
    concretize(sym.unfold(sym.dloss_dz()), "tanh", "squared")
    to_numpy(sym.dloss_dW(1, 1, 1), sym, "sigmoid", "logistic")
    net, x, y = make_case([2, 2, 1], "tanh", "logistic", True, 0)
    sympy_gradients(net, x, y, "backprop")
    sgd_sign_demo(net, x, y)


# -- clear errors ---------------------------------------------------------------------------


def test_bad_input_gives_clear_errors():
    with pytest.raises(ValueError, match="single output node"):
        SymbolicNetwork([2, 2])
    net = SymbolicNetwork([2, 2, 1])
    with pytest.raises(ValueError, match=r"layer 1 has nodes 1 \.\. 2"):
        net.dloss_dW(1, 3, 1)
    with pytest.raises(ValueError, match="1 <= k <= 1"):
        net.dloss_dz_hidden(2, 1)
    with pytest.raises(ValueError, match="no hidden layer"):
        SymbolicNetwork([2, 1]).dloss_dz_last_hidden(1)
    with pytest.raises(ValueError, match="no biases"):
        net.dloss_db(1, 1)
    with pytest.raises(ValueError, match="cannot differentiate"):
        net.proves(net.dloss_dz(), net.y)
    with pytest.raises(ValueError, match="unknown activation 'softsign'"):
        concretize(net.dloss_dz(), "softsign")
    with pytest.raises(ValueError, match="logistic loss needs"):
        concretize(net.dloss_dz(), "tanh", "logistic")
    with pytest.raises(ValueError, match="output_g=True"):
        to_numpy(net.dloss_dz(), net, "tanh", "logistic", output_activation="sigmoid")
    with pytest.raises(ValueError, match="sign must be"):
        net.sgd_update(0)
    with pytest.raises(TypeError, match="SymPy expression"):
        net.unfold("x + 1")
    f = to_numpy(net.dloss_dW(1, 1, 1), net)
    with pytest.raises(ValueError, match=r"W\[1\] has shape \(3, 2\); expected \(2, 2\)"):
        f([1.0, 2.0], {1: np.zeros((3, 2)), 2: np.zeros((1, 2))}, 0.0)
    with pytest.raises(ValueError, match=r"W\[2\] is missing"):
        f([1.0, 2.0], {1: np.zeros((2, 2))}, 0.0)


def test_partial_symbols_know_their_variable():
    net = SymbolicNetwork([2, 2, 1])
    d = net.dW_sym[1][1, 0]
    assert isinstance(d, Partial) and d.variable == net.W[1][1, 0]
    assert net.gradient_symbols()[net.W[1][1, 0]] == d


def test_from_network_mirrors_nnlib():
    num = nnlib.Network([3, 2, 1], "tanh", "logistic", bias=True, output_activation="sigmoid")
    sym = SymbolicNetwork.from_network(num)
    assert sym.sizes == num.sizes and sym.bias and sym.output_g
    assert sym.L == num.L and list(sym.layers) == list(num.layers)
    assert sym.loss_expr().has(g_out)


# What must not depend on the hash seed, computed in one fresh interpreter per seed (each
# after making some Dummies, which shifts SymPy's counters): the folded LaTeX of a derivative
# (nbval compares it) and the fingerprints of three claims (the book's truth test compares them).
SEEDED_SCRIPT = """\
import sys
import sympy
from nnlib.symbolic import SymbolicNetwork, latex, same
junk = [sympy.Dummy() for _ in range(int(sys.argv[1]))]
s = SymbolicNetwork([2, 2, 2, 1])
w = s.W[1][0, 0]
d = s.fold(sympy.diff(s.loss_expr(), w))
assert s.proves(d, w)
print(latex(d))
n = SymbolicNetwork([2, 2, 1])
w = n.W[1][0, 0]
print(n.proves(n.dloss_dW(1, 1, 1), w).fingerprint,
      n.equal(n.sympy_derivative(w), n.sympy_derivative(n.z_sym[1][0])).fingerprint,
      same(sympy.exp(w) + w, w + sympy.exp(w)).fingerprint)
"""


@pytest.fixture(scope="module")
def seeded_runs() -> list[tuple[str, str]]:
    """(folded LaTeX, fingerprints) printed by ``SEEDED_SCRIPT`` under three hash seeds."""
    import os

    runs = []
    for seed, junk in (("1", "0"), ("4", "7"), ("9", "3")):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", SEEDED_SCRIPT, junk],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        tex, fingerprints = run.stdout.splitlines()
        runs.append((tex, fingerprints))
    return runs


def test_folded_latex_does_not_depend_on_the_hash_seed(seeded_runs) -> None:
    """fold() prints g'(z^(k)_i) factors in one order, whatever PYTHONHASHSEED is (nbval compares it)."""
    outputs = {tex for tex, _ in seeded_runs}
    assert len(outputs) == 1, outputs


def test_certify_prints_its_line_only_for_a_real_proof(capsys: pytest.CaptureFixture[str]) -> None:
    """certify() is what the book's proof cells call: it must bite on anything short of a proof."""
    from nnlib.symbolic import certify

    net = SymbolicNetwork([2, 2, 1])
    right = [net.proves(net.dloss_dW_output(j), net.W[2][0, j - 1]) for j in (1, 2)]
    wrong = net.proves(2 * net.dloss_dz(), net.z_out)
    certify("dloss-dw-output", right, refuted=[wrong])
    assert capsys.readouterr().out == "eq. dloss-dw-output: proven (2 claims, 1 wrong form refuted)\n"
    certify("dloss-dz", net.check_all(descent=False))
    assert capsys.readouterr().out.startswith("eq. dloss-dz: proven (")
    for claims, refuted in (([], []), ([right[0], wrong], []), (right, [right[1]])):
        with pytest.raises(AssertionError):
            certify("dloss-dz", claims, refuted=refuted)
    with pytest.raises(ValueError, match="label"):
        certify("Not a label", right)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("claims", "refuted"),
    [([True], []), ([1], []), (["True"], []), ([np.True_], []), (None, [False]), (None, [[False]])],
)
def test_certify_refuses_bare_bools(claims: list | None, refuted: list) -> None:
    """A bool carries no sides: nothing shows that it could have been False."""
    from nnlib.symbolic import certify

    net = SymbolicNetwork([2, 1])
    real = [net.proves(net.dloss_dz(), net.z_out)]
    with pytest.raises(TypeError, match="not a Claim"):
        certify("dloss-dz", real if claims is None else claims, refuted=refuted)
    with pytest.raises(TypeError, match="a list of Claims"):
        certify("dloss-dz", real[0])


def test_certify_refuses_a_planted_tautology(capsys: pytest.CaptureFixture[str]) -> None:
    """A claim whose two sides are one expression cannot fail, so it proves nothing."""
    from nnlib.symbolic import certify, same

    net = SymbolicNetwork([2, 2, 1])
    w, node = net.W[1][0, 1], net.z_sym[1][0]
    formula = net.dloss_dz_last_hidden(1)
    planted = [
        net.equal(formula, formula),  # the same object
        net.equal(formula, net.dloss_dz_last_hidden(1)),  # built again by the same call
        net.equal(net.delta_matrix(1), net.delta_matrix(1)),  # matrices too
        net.proves(net.sympy_derivative(w), w),  # SymPy's derivative proves itself
        net.proves(net.sympy_derivative(node), node),  # ... also at a node
        same(sympy.exp(w), sympy.exp(w)),
    ]
    honest = net.proves(formula, node)
    assert honest and not honest.trivial
    for claim in planted:
        assert claim and claim.trivial
        with pytest.raises(ValueError, match=r"eq\. dloss-dz-last-hidden: claims \[1\] compare"):
            certify("dloss-dz-last-hidden", [honest, claim])
    assert capsys.readouterr().out == ""
    certify("dloss-dz-last-hidden", [honest])  # the honest claim alone passes
    assert capsys.readouterr().out == "eq. dloss-dz-last-hidden: proven (1 claim)\n"


def test_claims_carry_their_sides_and_behave_like_bools() -> None:
    from nnlib.symbolic import Claim, same

    net = SymbolicNetwork([2, 2, 1])
    w = net.W[2][0, 1]
    right, wrong = net.proves(net.dloss_dW_output(2), w), net.proves(net.dloss_dz(), w)
    assert isinstance(right, Claim) and right.lhs == net.dloss_dW_output(2)
    assert right.rhs == net.sympy_derivative(w) and "W^{(2)}_{12}" in right.rhs_key
    assert right and not wrong and right.holds and not wrong.holds
    assert repr(right) == "True" and f"{wrong}" == "False" and str([right, wrong]) == "[True, False]"
    assert [right, wrong] == [True, False] and sum([right, right, wrong]) == 2
    assert all([right]) and not any([wrong])
    eq = net.equal(net.z_sym[1][0], net.W[1][0, :] * net.x)
    assert eq.holds is False  # z is a scalar, the right side a 1x1 matrix: shapes differ
    eq = net.equal(net.z_sym[1][0], (net.W[1][0, :] * net.x)[0])
    assert eq and eq.lhs == net.z_sym[1][0] and not eq.trivial
    t = sympy.Symbol("t")
    s = 1 / (1 + sympy.exp(-t))
    assert same(sympy.diff(s, t), s * (1 - s)) and not same(sympy.diff(s, t), s)
    assert same(sympy.Matrix([[t, 1]]), sympy.Matrix([[t, 1]]))
    assert not same(sympy.Matrix([[t, 1]]), sympy.Matrix([[t], [1]]))
    with pytest.raises(TypeError, match="two matrices"):
        same(sympy.Matrix([t]), t)
    with pytest.raises(TypeError, match="SymPy expressions"):
        same("t", t)
    report = net.check_all(descent=False)
    assert report.claims and all(isinstance(c, Claim) for c in report.claims)
    assert [bool(c) for c in report.claims] == [p.proven for p in report.proofs]


def test_fingerprints_name_the_pair_of_sides_stably(seeded_runs) -> None:
    """The same claim built again (in any order, in another process) has the same fingerprint."""
    net = SymbolicNetwork([2, 2, 1])
    node = net.z_sym[1][1]
    a = net.proves(net.dloss_dz_last_hidden(2), node)
    again = SymbolicNetwork([2, 2, 1])
    assert again.proves(again.dloss_dz_last_hidden(2), again.z_sym[1][1]).fingerprint == a.fingerprint
    assert net.proves(net.dloss_dz_hidden(1, 2), node).fingerprint == a.fingerprint  # same formula
    other_net = SymbolicNetwork([3, 2, 1])
    b = other_net.proves(other_net.dloss_dz_last_hidden(2), other_net.z_sym[1][1])
    assert b.fingerprint != a.fingerprint  # another network: another right side
    assert net.proves(net.dloss_dz_last_hidden(1), net.z_sym[1][0]).fingerprint != a.fingerprint
    x, y = net.z_sym[1][0], net.z_sym[1][1]
    assert net.equal(x + y, y + x).fingerprint == net.equal(y + x, x + y).fingerprint
    assert len(a.fingerprint) == 8 and int(a.fingerprint, 16) >= 0
    outputs = {fingerprints for _, fingerprints in seeded_runs}  # other processes and seeds
    assert len(outputs) == 1, outputs


def test_certify_counts_a_claim_given_twice_once_and_stores_fingerprints(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from nnlib.symbolic import certify, proof

    stored = []
    monkeypatch.setattr(proof, "_record", lambda label, fps: stored.append((label, fps)))
    net = SymbolicNetwork([2, 2, 1])
    claim = net.proves(net.dloss_dW_output(1), net.W[2][0, 0])
    twin = net.proves(net.dloss_dW(2, 1, 1), net.W[2][0, 0])  # the same formula, built by 3.3
    certify("dloss-dw-output", [claim, twin, claim])
    assert capsys.readouterr().out == "eq. dloss-dw-output: proven (1 claim)\n"
    assert stored == [("dloss-dw-output", [claim.fingerprint])]


def test_certify_stores_fingerprints_as_a_hidden_glue_in_a_kernel(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import IPython
    import IPython.display

    from nnlib.symbolic import certify

    shown = []

    class Kernel:
        kernel = object()

    monkeypatch.setattr(IPython, "get_ipython", lambda: Kernel())
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append((a, k)))
    net = SymbolicNetwork([2, 1])
    claim = net.proves(net.dloss_dz(), net.z_out)
    certify("dloss-dz", [claim])
    ((data,), options) = shown[0]
    prefix = "application/papermill.record/"
    assert data == {prefix + "text/plain": repr(claim.fingerprint)} and options["raw"]
    assert options["metadata"]["scrapbook"] == {"name": "certify.dloss-dz", "mime_prefix": prefix}


def test_derivative_latex_writes_dloss_dv_and_splits_a_long_product() -> None:
    from nnlib.symbolic import derivative_latex

    net = SymbolicNetwork([2, 2, 2, 1])
    node = net.z_sym[1][0]
    long = derivative_latex(node, net.fold(net.sympy_derivative(node)), "SymPy")
    assert long.startswith(r"\begin{aligned} \text{SymPy:}\quad \frac{\partial \operatorname{Loss}}")
    assert long.count(r"&\qquad +") == 1 and r"&\qquad \times" in long  # two paths, then the rest
    short = derivative_latex(net.z_out, net.dloss_dz())
    assert r"\text" not in short and r"\qquad" not in short
    assert short.startswith(r"\begin{aligned} \frac{\partial \operatorname{Loss}}{\partial z} &= ")


def test_latex_prints_the_step_as_h_not_theta() -> None:
    """SymPy's Heaviside prints as H (the book's step); theta is the paper's name for the weights."""
    u, y = sympy.Symbol("u", real=True), sympy.Symbol("y", real=True)
    hinge_slope = sympy.diff(LOSS_EXPRESSIONS["hinge"](u, y), u)  # holds a Heaviside
    assert hinge_slope.has(sympy.Heaviside)
    text = latex(hinge_slope)
    assert r"H\left(" in text and r"\theta" not in text
    assert latex(sympy.Heaviside(u)) == r"H\left(u\right)"
    assert latex(sympy.Heaviside(u, 0)) == r"H\left(u, 0\right)"
    assert latex(sympy.Heaviside(u) ** 2) == r"\left(H\left(u\right)\right)^{2}"
