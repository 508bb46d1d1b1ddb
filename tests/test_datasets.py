"""Tests for nnlib.datasets: shapes, seeds, labels and the student example's hidden rule."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.datasets import (
    STUDENT_FEATURES,
    Dataset,
    as_plus_minus,
    spirals,
    standardize,
    student,
    student_factors,
    student_score,
    two_moons,
    xor,
)

GENERATORS = [student, xor, two_moons, spirals]


def _n_features(make) -> int:
    return 4 if make is student else 2


# --- common contract ---------------------------------------------------------------


@pytest.mark.parametrize("make", GENERATORS)
def test_shapes_dtypes_and_labels(make):
    ds = make(n=40, seed=3)
    assert isinstance(ds, Dataset)
    assert ds.X.shape == (40, _n_features(make))
    assert ds.y.shape == (40,)
    assert ds.X.dtype == np.float64
    assert ds.y.dtype == np.float64
    assert set(np.unique(ds.y)) <= {0.0, 1.0}
    assert np.all(np.isfinite(ds.X))
    assert len(ds.feature_names) == ds.X.shape[1]
    assert all(isinstance(name, str) for name in ds.feature_names)
    assert ds.target_name and ds.description
    assert len(ds) == 40


@pytest.mark.parametrize("make", GENERATORS)
def test_unpacks_as_X_y(make):
    ds = make(n=8)
    X, y = ds
    assert X is ds.X
    assert y is ds.y


@pytest.mark.parametrize("make", GENERATORS)
def test_same_seed_same_data_other_seed_other_data(make):
    noisy = {} if make is not xor else {"noise": 0.1}
    a, b, c = make(n=50, seed=7, **noisy), make(n=50, seed=7, **noisy), make(n=50, seed=8, **noisy)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)


@pytest.mark.parametrize("make", GENERATORS)
def test_dataset_is_frozen(make):
    ds = make(n=8)
    with pytest.raises(AttributeError):
        ds.X = np.zeros((8, 2))


def test_repr_is_short():
    text = repr(student(n=500))
    assert text.startswith("Dataset(n=500")
    assert len(text) < 200


@pytest.mark.parametrize("make", [student, two_moons, spirals])
def test_classes_roughly_balanced(make):
    for seed in range(3):
        y = make(n=400, seed=seed).y
        assert 0.4 <= y.mean() <= 0.6, (make.__name__, seed, y.mean())


# --- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"n": 0}, ValueError, r"n must be an integer >= [124]"),
        ({"n": -5}, ValueError, r"n must be an integer >= [124]"),
        ({"n": 2.5}, TypeError, "n must be an integer"),
        ({"n": True}, TypeError, "n must be an integer"),
        ({"n": "10"}, TypeError, "n must be an integer"),
        ({"seed": -1}, ValueError, "seed must be an integer >= 0"),
        ({"seed": 1.5}, TypeError, "seed must be an integer"),
        ({"seed": None}, TypeError, "seed must be an integer"),
        ({"noise": -0.1}, ValueError, "noise must be a finite number >= 0"),
        ({"noise": float("nan")}, ValueError, "noise must be a finite number >= 0"),
        ({"noise": float("inf")}, ValueError, "noise must be a finite number >= 0"),
        ({"noise": "a lot"}, TypeError, "noise must be a number"),
    ],
)
def test_bad_arguments_raise_clear_errors(make, kwargs, error, words):
    with pytest.raises(error, match=words):
        make(**kwargs)


def test_xor_needs_four_corners():
    with pytest.raises(ValueError, match=r"n must be an integer >= 4 \(XOR needs all four corners"):
        xor(n=3)


@pytest.mark.parametrize("make", [two_moons, spirals])
def test_two_class_sets_need_two_samples(make):
    with pytest.raises(ValueError, match=r">= 2 \(one sample per class"):
        make(n=1)
    assert make(n=2).y.tolist() in ([0.0, 1.0], [1.0, 0.0])


@pytest.mark.parametrize(
    ("turns", "error"), [(0, ValueError), (-1.0, ValueError), ("x", TypeError)]
)
def test_spirals_bad_turns(turns, error):
    with pytest.raises(error, match="turns must be"):
        spirals(turns=turns)


# --- the student example (section 1) ----------------------------------------------


def test_student_columns_are_the_papers_features_in_order():
    ds = student(n=10)
    assert ds.feature_names == STUDENT_FEATURES
    assert ds.feature_names == ("Cumulative GPA", "IQ score", "BMI", "Average hours of sleep")
    assert ds.target_name == "gets an A"


def test_student_features_in_plausible_units():
    X = student(n=2000, seed=1).X
    gpa, iq, bmi, sleep = X.T
    assert gpa.min() >= 0 and gpa.max() <= 4
    assert 2.8 < gpa.mean() < 3.2
    assert 97 < iq.mean() < 103 and 13 < iq.std() < 17
    assert 15 <= bmi.min() and bmi.max() <= 45 and 23 < bmi.mean() < 27
    assert sleep.min() >= 4 and sleep.max() <= 10 and 6.7 < sleep.mean() < 7.3


def test_student_features_share_two_latent_factors():
    C = np.corrcoef(student(n=3000, seed=2).X.T)
    gpa, iq, bmi, sleep = range(4)
    # GPA and IQ move together; BMI and sleep move against each other.
    assert C[gpa, iq] > 0.5
    assert C[bmi, sleep] < -0.5
    # Across the two groups there is (almost) no correlation.
    for a in (gpa, iq):
        for b in (bmi, sleep):
            assert abs(C[a, b]) < 0.1
            assert abs(C[gpa, iq]) > 4 * abs(C[a, b])


def test_student_rule_holds_exactly_without_noise():
    X, y = student(n=1000, seed=4, noise=0.0)
    np.testing.assert_array_equal(y, (student_score(X) > 0).astype(float))
    intelligence, health = student_factors(X)
    np.testing.assert_allclose(student_score(X), 0.6 * intelligence + 0.4 * health)


def test_student_factors_follow_the_documented_formula():
    X = np.array([[3.0, 100.0, 25.0, 7.0], [3.5, 115.0, 21.0, 8.2]])
    intelligence, health = student_factors(X)
    np.testing.assert_allclose(intelligence, [0.0, 1.0])
    np.testing.assert_allclose(health, [0.0, 1.0])


def test_student_noise_flips_a_minority_of_labels():
    X, y = student(n=4000, seed=5)  # default noise
    agree = np.mean(y == (student_score(X) > 0))
    assert 0.8 < agree < 0.97
    assert np.mean(student(n=4000, seed=5, noise=5.0).y == (student_score(X) > 0)) < 0.7


def test_student_label_depends_on_both_factors():
    X, y = student(n=4000, seed=6)
    intelligence, health = student_factors(X)
    assert np.corrcoef(intelligence, y)[0, 1] > 0.4
    assert np.corrcoef(health, y)[0, 1] > 0.25
    # Among students of similar intelligence, the healthier half does better.
    middle = np.abs(intelligence) < 0.3
    healthy = health > 0
    assert y[middle & healthy].mean() > y[middle & ~healthy].mean() + 0.3


def test_student_linear_fit_recovers_signs_of_the_rule():
    # A least-squares fit of y on the standardised features: GPA, IQ and sleep
    # push towards an A, BMI away from it, and the intelligence pair weighs more.
    X, y = student(n=4000, seed=7)
    Z, _, _ = standardize(X)
    coef, *_ = np.linalg.lstsq(np.column_stack([Z, np.ones(len(y))]), y, rcond=None)
    gpa, iq, bmi, sleep, _ = coef
    assert gpa > 0 and iq > 0 and sleep > 0 and bmi < 0
    assert gpa + iq > sleep - bmi


def test_student_description_states_the_rule():
    text = student(n=3, seed=0, noise=0.25).description
    for piece in ("0.6 * intelligence + 0.4 * health", "(GPA - 3.0) / 0.5", "(BMI - 25) / 4"):
        assert piece in text
    assert "n=3" in text and "noise=0.25" in text


def test_student_factors_rejects_wrong_columns():
    with pytest.raises(ValueError, match="4 columns"):
        student_factors(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="NaN or infinite"):
        student_score([[np.nan, 100.0, 25.0, 7.0]])


# --- XOR, moons, spirals -----------------------------------------------------------


def test_xor_four_corners_is_the_truth_table():
    X, y = xor(n=4, noise=0.0)
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])


def test_xor_noise_jitters_points_but_keeps_corner_labels():
    X, y = xor(n=400, seed=1, noise=0.1)
    corners = np.round(X)
    assert np.mean(np.abs(X - corners)) > 0.01
    np.testing.assert_array_equal(y, np.isin(np.arange(400) % 4, [1, 2]))
    assert y.mean() == 0.5


def test_two_moons_geometry_without_noise():
    X, y = two_moons(n=101, noise=0.0)
    upper, lower = X[y == 0] + [0.5, 0.25], X[y == 1] + [0.5, 0.25]
    assert len(upper) == 50 and len(lower) == 51
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert abs(X.mean(axis=0)).max() < 0.1  # centred near the origin


def test_spirals_arms_are_half_a_turn_apart():
    X, y = spirals(n=200, noise=0.0, turns=1.0)
    arm0 = X[y == 0]
    arm1 = X[y == 1]

    # Arm 1 is arm 0 rotated by pi, i.e. its points are the negatives of arm 0's.
    def by_position(P):
        return P[np.lexsort(np.round(P, 9).T)]

    np.testing.assert_allclose(by_position(arm1), by_position(-arm0), atol=1e-12)
    radius = np.hypot(*X.T)
    assert radius.min() == pytest.approx(0.1) and radius.max() == pytest.approx(1.0)


# --- helpers -----------------------------------------------------------------------


def test_standardize_gives_zero_mean_unit_std():
    X = student(n=500, seed=8).X
    Z, mean, std = standardize(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.std(axis=0), 1.0)
    np.testing.assert_allclose(Z * std + mean, X)


def test_standardize_reuses_given_statistics():
    train, test = student(n=300, seed=9).X, student(n=50, seed=10).X
    _, mean, std = standardize(train)
    Z, mean2, std2 = standardize(test, mean, std)
    np.testing.assert_allclose(Z, (test - mean) / std)
    np.testing.assert_array_equal(mean2, mean)
    np.testing.assert_array_equal(std2, std)


def test_standardize_constant_column_maps_to_zero():
    Z, _, std = standardize([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    assert std[1] == 1.0
    np.testing.assert_array_equal(Z[:, 1], 0.0)


@pytest.mark.parametrize(
    ("args", "error", "words"),
    [
        (([1.0, 2.0],), ValueError, "2-D array"),
        ((np.zeros((0, 3)),), ValueError, "2-D array"),
        (([[1.0, np.inf]],), ValueError, "NaN or infinite"),
        (([["a", "b"]],), TypeError, "array of numbers"),
        (([[1.0, 2.0]], [0.0, 0.0]), ValueError, "both mean and std"),
        (([[1.0, 2.0]], [0.0], [1.0]), ValueError, "mean has 1 entries but X has 2 columns"),
        (([[1.0, 2.0]], [0.0, 0.0], [1.0, 0.0]), ValueError, "std must be > 0"),
    ],
)
def test_standardize_bad_input(args, error, words):
    with pytest.raises(error, match=words):
        standardize(*args)


def test_as_plus_minus():
    np.testing.assert_array_equal(as_plus_minus([0, 1, 1, 0]), [-1.0, 1.0, 1.0, -1.0])
    y = student(n=20).y
    pm = as_plus_minus(y)
    assert pm.shape == y.shape and set(np.unique(pm)) <= {-1.0, 1.0}
    np.testing.assert_array_equal((pm + 1) / 2, y)


@pytest.mark.parametrize(
    ("y", "error"), [([0, 2], ValueError), ([-1, 1], ValueError), (["x"], TypeError)]
)
def test_as_plus_minus_rejects_other_labels(y, error):
    with pytest.raises(error, match=r"0/1 labels|labels 0 and 1"):
        as_plus_minus(y)


def test_student_is_learnable_by_the_network_of_figure_1():
    # The 4-2-1 sigmoid network without biases, trained by the paper's SGD,
    # gets close to the best possible accuracy (about 0.88 with the default noise).
    from nnlib import Network, train

    X, y = student(n=300, seed=0)
    Z, mean, std = standardize(X)
    net = Network([4, 2, 1], activation="sigmoid", loss="logistic", seed=0)
    history = train(net, Z, y, lr=0.5, epochs=30, batch_size=1, seed=0)
    assert history.running_cost[-1] < history.running_cost[0]
    X_test, y_test = student(n=1000, seed=99)
    predicted = net.predict(standardize(X_test, mean, std)[0]).ravel() > 0.5
    assert np.mean(predicted == y_test) > 0.8


# --- the shared validators the generators use (nnlib._checks) ----------------------


def test_int_at_least_names_the_bound_and_the_reason():
    from nnlib import _checks

    assert _checks.int_at_least(np.int64(5), "n", 4) == 5
    assert type(_checks.int_at_least(np.int64(5), "n", 4)) is int
    with pytest.raises(ValueError, match=r"^n must be an integer >= 4 \(four corners\), got 3$"):
        _checks.int_at_least(3, "n", 4, "four corners")
    with pytest.raises(ValueError, match=r"^width must be an integer >= 2, got 1$"):
        _checks.int_at_least(1, "width", 2)
    for bad in (2.0, True, "4", None):
        with pytest.raises(TypeError, match="n must be an integer >= 4"):
            _checks.int_at_least(bad, "n", 4)


def test_finite_table_returns_float64_rows():
    from nnlib import _checks

    arr = _checks.finite_table([[1, 2], [3, 4]], "X")
    assert arr.dtype == np.float64 and arr.shape == (2, 2)
    with pytest.raises(ValueError, match="mean must be a 2-D array"):
        _checks.finite_table([1.0, 2.0], "mean")
    with pytest.raises(ValueError, match="NaN or infinite"):
        _checks.finite_table([[np.nan]], "X")
    with pytest.raises(TypeError, match="X must be an array of numbers"):
        _checks.finite_table([["a"]], "X")
