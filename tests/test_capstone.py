"""nnlib.capstone: the reader's own backpropagation is checked, and every usual slip is caught.

A correct solution (the one chapter 4 hides) passes; each planted slip below is
a mistake a student makes, and the check must stop at the function and layer
where it first shows.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.capstone import (
    BackpropMismatch,
    CapstoneReport,
    check_backprop,
    default_architectures,
)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def forward(W, X):
    Z, H = {}, {0: X}
    for k in range(1, len(W) + 1):
        Z[k] = H[k - 1] @ W[k].T
        H[k] = sigmoid(Z[k])
    return Z, H


def make_backward(
    *,
    no_g_prime=False,
    no_mean=False,
    flipped=False,
    transposed_W=False,
    z_for_h=False,
    output_times_g_prime=False,
):
    """The right backward pass, or one with a single planted slip."""

    def backward(W, Z, H, Y):
        top, B = len(W), len(Y)
        D = {top: H[top] - Y}
        if output_times_g_prime:  # the logistic-sigmoid delta has no extra g'
            D[top] = D[top] * H[top] * (1 - H[top])
        dW = {}
        for k in range(top, 0, -1):
            below = Z[k - 1] if (z_for_h and k > 1) else H[k - 1]
            dW[k] = below.T @ D[k] if flipped else D[k].T @ below
            if not no_mean:
                dW[k] = dW[k] / B
            if k > 1:
                square = W[k].shape[0] == W[k].shape[1]
                back = D[k] @ (W[k].T if transposed_W == "square" and square else W[k])
                if transposed_W is True:
                    back = D[k] @ W[k].T
                D[k - 1] = back if no_g_prime else back * H[k - 1] * (1 - H[k - 1])
        return dW

    return backward


def update(W, dW, lr):
    for k in W:
        W[k] = W[k] - lr * dW[k]


def update_plus(W, dW, lr):  # the paper's sign
    for k in W:
        W[k] = W[k] + lr * dW[k]


def update_no_lr(W, dW, lr):
    return {k: W[k] - dW[k] for k in W}


def test_a_correct_solution_passes_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    report = check_backprop(forward, make_backward(), update)
    assert isinstance(report, CapstoneReport)
    assert [len(s) - 2 for s in report.networks] == [0, 1, 2, 3]
    assert report.vs_nnlib < 1e-10 and report.vs_numeric < 1e-6
    verdict = capsys.readouterr().out.strip().splitlines()
    assert (
        verdict[0] == "correct: forward, backward and update agree on 4 networks (L = 0, 1, 2, 3)"
    )
    assert verdict[1].startswith("worst relative error: <= ") and len(verdict) == 2
    assert all(len(line) <= 79 for line in verdict)


def test_an_update_that_returns_new_weights_passes_too() -> None:
    def update_returning(W, dW, lr):
        return {k: W[k] - lr * dW[k] for k in W}

    check_backprop(forward, make_backward(), update_returning, verbose=False)


@pytest.mark.parametrize(
    ("slip", "layer"),
    [
        ({"no_g_prime": True}, "below-top"),  # missing g' in the recursion
        ({"output_times_g_prime": True}, "top"),  # g' applied twice at the output
        ({"no_mean": True}, "top"),  # the sum over the batch, not the mean
        ({"z_for_h": True}, "top"),  # z^(k-1) where h^(k-1) belongs
    ],
)
def test_a_wrong_backward_is_caught_at_its_first_wrong_layer(slip: dict, layer: str) -> None:
    sizes = (3, 4, 2, 1)  # no square matrix: values, not shapes, must catch these
    with pytest.raises(BackpropMismatch) as info:
        check_backprop(forward, make_backward(**slip), update, architectures=[sizes], verbose=False)
    err = info.value
    assert err.part == "backward"
    assert err.layer == (3 if layer == "top" else 2)
    assert err.sizes == sizes
    assert f"dW[{err.layer}]" in str(err)


def test_the_sum_instead_of_the_mean_is_named() -> None:
    with pytest.raises(BackpropMismatch, match="sum over the batch, not the mean"):
        check_backprop(forward, make_backward(no_mean=True), update, verbose=False)


def test_factors_in_the_wrong_order_fail_on_their_shape() -> None:
    with pytest.raises(BackpropMismatch, match="transposed shape") as info:
        check_backprop(
            forward,
            make_backward(flipped=True),
            update,
            architectures=[(3, 4, 2, 1)],
            verbose=False,
        )
    assert info.value.layer == 3


def test_a_transposed_square_matrix_is_caught_by_its_values() -> None:
    # W^(2) is 3 x 3: W^(2)^T fits, and only the values can tell
    with pytest.raises(BackpropMismatch) as info:
        check_backprop(
            forward,
            make_backward(transposed_W="square"),
            update,
            architectures=[(2, 3, 3, 1)],
            verbose=False,
        )
    assert info.value.part == "backward" and info.value.layer == 1


def test_a_shape_error_inside_the_readers_code_names_the_function() -> None:
    with pytest.raises(BackpropMismatch, match="backward raised ValueError") as info:
        check_backprop(
            forward,
            make_backward(transposed_W=True),
            update,
            architectures=[(3, 4, 2, 1)],
            verbose=False,
        )
    assert isinstance(info.value.__cause__, ValueError)


def test_a_wrong_forward_is_caught_before_backward() -> None:
    def forward_linear_output(W, X):
        Z, H = forward(W, X)
        top = len(W)
        H[top] = Z[top]  # forgot g at the output
        return Z, H

    with pytest.raises(BackpropMismatch, match=r"forward: H\[2\]") as info:
        check_backprop(
            forward_linear_output, make_backward(), update, architectures=[(3, 4, 1)], verbose=False
        )
    assert info.value.part == "forward" and info.value.layer == 2


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (update_plus, "adds the gradient"),
        (update_no_lr, "without the learning rate"),
    ],
)
def test_a_wrong_update_is_caught(wrong, message: str) -> None:
    with pytest.raises(BackpropMismatch, match=message) as info:
        check_backprop(forward, make_backward(), wrong, verbose=False)
    assert info.value.part == "update" and info.value.layer == 1


def test_a_backward_that_moves_the_weights_is_caught() -> None:
    right = make_backward()

    def backward_and_step(W, Z, H, Y):
        dW = right(W, Z, H, Y)
        update(W, dW, 0.1)
        return dW

    with pytest.raises(BackpropMismatch, match="only update may change the weights"):
        check_backprop(forward, backward_and_step, update, verbose=False)


def test_gradients_that_agree_with_nnlib_are_also_held_to_central_differences(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # if nnlib itself were wrong, the independent central differences still catch it
    import nnlib.capstone as capstone

    monkeypatch.setattr(capstone, "numeric_gradient", lambda net, X, Y, p, eps: 2 * p)
    with pytest.raises(BackpropMismatch, match="not with central differences"):
        check_backprop(forward, make_backward(), update, verbose=False)


def test_default_architectures_have_depths_0_to_3_and_are_seeded() -> None:
    nets = default_architectures(3)
    assert [len(s) - 2 for s in nets] == [0, 1, 2, 3]
    assert all(s[-1] == 1 and all(n >= 1 for n in s) for s in nets)
    assert nets == default_architectures(3) != default_architectures(4)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"forward": 3}, TypeError, "forward must be a function"),
        ({"batch": 1}, ValueError, "batch must be an integer >= 2"),
        ({"tol": 0}, ValueError, "tol"),
        ({"lr": -1.0}, ValueError, "lr"),
        ({"seed": -1}, ValueError, "seed"),
        ({"architectures": []}, ValueError, "at least one network"),
        ({"architectures": "3-4-1"}, TypeError, "list of layer lists"),
        ({"architectures": [[3]]}, ValueError, "at least two layers"),
    ],
)
def test_bad_arguments_are_named(kwargs: dict, error: type, message: str) -> None:
    args = {"forward": forward, "backward": make_backward(), "update": update}
    args.update({k: kwargs.pop(k) for k in list(kwargs) if k in args})
    with pytest.raises(error, match=message):
        check_backprop(args["forward"], args["backward"], args["update"], **kwargs)


def test_results_that_are_not_dicts_by_layer_are_named() -> None:
    def forward_one_value(W, X):
        return forward(W, X)[1]

    with pytest.raises(TypeError, match="must return the pair"):
        check_backprop(forward_one_value, make_backward(), update, verbose=False)

    def backward_list(W, Z, H, Y):
        dW = make_backward()(W, Z, H, Y)
        return [dW[k] for k in sorted(dW)]  # 0-based: layer 1 lands at index 0

    with pytest.raises((TypeError, BackpropMismatch)):
        check_backprop(forward, backward_list, update, verbose=False)
