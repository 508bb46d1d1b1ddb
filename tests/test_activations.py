"""Unit tests for nnlib.activations: g and g' of every thresholding function."""

import math
import warnings

import numpy as np
import pytest
from bad_input import raises_exactly

from nnlib import ACTIVATIONS, Activation, Network, get_activation
from nnlib.activations import sigmoid, sigmoid_prime, softplus, softplus_prime

# Every test below runs over the registry: a new activation must pass all of them.
NAMES = list(ACTIVATIONS)
SMOOTH = [name for name, act in ACTIVATIONS.items() if act.smooth]
KINKED = [name for name, act in ACTIVATIONS.items() if not act.smooth]
FROM_H = [name for name, act in ACTIVATIONS.items() if act.dg_from_h is not None]

LN3, LN2 = math.log(3.0), math.log(2.0)

# name -> (z, g(z), g'(z)), worked out by hand:
#   sigmoid(ln 3) = 1 / (1 + 1/3) = 3/4, sigmoid'(ln 3) = 3/4 * 1/4 = 3/16
#   tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 3/5, tanh'(ln 2) = 1 - 9/25 = 16/25
#   softplus(ln 3) = ln(1 + 3) = 2 ln 2, softplus(-ln 3) = ln(4/3), softplus' = sigmoid
KNOWN = {
    "sigmoid": ([0.0, LN3, -LN3], [0.5, 0.75, 0.25], [0.25, 0.1875, 0.1875]),
    "tanh": ([0.0, LN2, -LN2], [0.0, 0.6, -0.6], [1.0, 0.64, 0.64]),
    "relu": ([-2.0, -0.5, 0.0, 0.5, 3.0], [0.0, 0.0, 0.0, 0.5, 3.0], [0.0, 0.0, 0.0, 1.0, 1.0]),
    "identity": ([-2.0, 0.0, 3.5], [-2.0, 0.0, 3.5], [1.0, 1.0, 1.0]),
    "step": ([-2.0, 0.0, 1e-9, 3.0], [0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]),
    "softplus": ([0.0, LN3, -LN3], [LN2, 2 * LN2, math.log(4 / 3)], [0.5, 0.75, 0.25]),
}


def test_every_registered_activation_has_hand_worked_values():
    assert set(KNOWN) == set(ACTIVATIONS), "add hand-worked g and g' values to KNOWN"


def test_registry_holds_every_activation_by_name():
    assert {"sigmoid", "tanh", "relu", "identity", "step", "softplus"} <= set(ACTIVATIONS)
    for name in NAMES:
        act = get_activation(name)
        assert act is ACTIVATIONS[name]
        assert act.name == name
        assert repr(act) == f"Activation({name!r})"


def test_get_activation_passes_an_activation_through():
    custom = Activation("mine", np.sin, np.cos)
    assert get_activation(custom) is custom
    assert custom.dg_from_h is None


@pytest.mark.parametrize("name", NAMES)
def test_values_and_derivatives_at_known_points(name):
    z, g, dg = (np.array(v) for v in KNOWN[name])
    act = ACTIVATIONS[name]
    np.testing.assert_allclose(act.g(z), g, rtol=1e-15, atol=1e-16)
    np.testing.assert_allclose(act.dg(z), dg, rtol=1e-15, atol=1e-16)


@pytest.mark.parametrize("name", NAMES)
def test_shape_and_float_dtype_are_kept(name):
    act = ACTIVATIONS[name]
    for dtype in (np.float32, np.float64):
        z = np.linspace(-3, 3, 12, dtype=dtype).reshape(3, 4)
        for out in (act.g(z), act.dg(z)):
            assert out.shape == (3, 4)
            assert out.dtype == dtype


@pytest.mark.parametrize("name", NAMES)
def test_integer_input_gives_the_same_values_as_float_input(name):
    act = ACTIVATIONS[name]
    z = np.array([-2, 0, 3])
    assert act.dg(z).dtype.kind == "f"
    np.testing.assert_array_equal(act.g(z), act.g(z.astype(float)))
    np.testing.assert_array_equal(act.dg(z), act.dg(z.astype(float)))


@pytest.mark.parametrize("name", NAMES)
def test_g_does_not_modify_or_alias_its_input(name):
    act = ACTIVATIONS[name]
    z = np.array([-1.5, 0.25, 2.0])
    before = z.copy()
    out = act.g(z)
    out[...] = 99.0
    np.testing.assert_array_equal(z, before)


@pytest.mark.parametrize("name", SMOOTH)
def test_derivative_matches_central_difference_smooth(name):
    act = ACTIVATIONS[name]
    z = np.linspace(-6.0, 6.0, 49)
    eps = 1e-6
    numeric = (act.g(z + eps) - act.g(z - eps)) / (2 * eps)
    np.testing.assert_allclose(act.dg(z), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", KINKED)
def test_derivative_matches_central_difference_away_from_the_kink(name):
    act = ACTIVATIONS[name]
    z = np.linspace(-6.0, 6.0, 48)  # an even count: 0 is not on the grid
    for kink in ACTIVATIONS[name].kinks:
        z = z[np.abs(z - kink) > 1e-3]
    eps = 1e-6
    numeric = (act.g(z + eps) - act.g(z - eps)) / (2 * eps)
    np.testing.assert_allclose(act.dg(z), numeric, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", KINKED)
def test_derivatives_at_the_kink_are_zero(name):
    act = ACTIVATIONS[name]
    np.testing.assert_array_equal(act.dg(np.array(act.kinks)), 0.0)


def test_smooth_and_kinked_activations():
    assert {"sigmoid", "tanh", "identity", "softplus"} <= set(SMOOTH)
    assert ACTIVATIONS["relu"].kinks == ACTIVATIONS["step"].kinks == (0.0,)
    assert not ACTIVATIONS["relu"].smooth


@pytest.mark.parametrize("name", FROM_H)
def test_dg_from_h_of_g_equals_dg(name):
    act = ACTIVATIONS[name]
    assert act.dg_from_h is not None
    z = np.concatenate([np.linspace(-8.0, 8.0, 65), [-40.0, 40.0, 0.0]])
    np.testing.assert_allclose(act.dg_from_h(act.g(z)), act.dg(z), rtol=1e-12, atol=1e-15)


def test_step_has_no_dg_from_h():
    # h = step(z) does not determine z, so g' cannot be written in terms of h.
    assert ACTIVATIONS["step"].dg_from_h is None
    assert {"sigmoid", "tanh", "relu", "identity", "softplus"} <= set(FROM_H)


# -- the in-place forms (used by the training step of nnlib.fast) ----------------------------

Z_GRID = np.concatenate([np.linspace(-8.0, 8.0, 33), [-40.0, 40.0, -1e-9, 1e-9, 0.0]])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", NAMES)
def test_in_place_forms_equal_g_and_dg(name, dtype):
    act = ACTIVATIONS[name]
    z = Z_GRID.astype(dtype).reshape(2, -1)  # a batch of two rows
    h = np.full_like(z, np.nan)
    with np.errstate(over="ignore"):  # the in-place sigmoid's e^(-z) may overflow (to 0: right)
        act.g_into(z, h)
    assert h.dtype == dtype
    rtol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(h, act.g(z), rtol=rtol, atol=1e-15 if dtype == np.float64 else 1e-7)
    dg = np.full_like(z, np.nan)
    act.dg_into(z, h, dg)
    assert dg.dtype == dtype
    np.testing.assert_allclose(dg, act.dg(z), rtol=rtol, atol=1e-15 if dtype == np.float64 else 1e-7)


def test_in_place_forms_are_derived_for_a_users_activation():
    # No in-place forms given: they are built from g and dg_from_h (or dg).
    cube = Activation("cube", lambda z: z**3, lambda z: 3 * z**2, lambda h: 3 * np.cbrt(h) ** 2)
    sine = Activation("sine", np.sin, np.cos)
    z = np.linspace(-2.0, 2.0, 9)
    for act in (cube, sine):
        h, dg = np.empty_like(z), np.empty_like(z)
        act.g_into(z, h)
        act.dg_into(z, h, dg)
        np.testing.assert_allclose(h, act.g(z), rtol=1e-15)
        np.testing.assert_allclose(dg, act.dg(z), rtol=1e-12, atol=1e-15)
    assert cube.sympy_g is None and cube.smooth


def test_activations_are_equal_only_to_themselves():
    # a user's own "sigmoid" is not the built-in one (it gets no built-in shortcut)
    mine = Activation("sigmoid", sigmoid, sigmoid_prime)
    assert mine != ACTIVATIONS["sigmoid"] and ACTIVATIONS["sigmoid"] == ACTIVATIONS["sigmoid"]
    assert len({mine, ACTIVATIONS["sigmoid"]}) == 2


# -- the SymPy forms (used by nnlib.symbolic) ---------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_sympy_form_computes_g_and_its_derivative_computes_dg(name):
    sympy = pytest.importorskip("sympy")
    act = ACTIVATIONS[name]
    t = sympy.Symbol("t", real=True)
    assert act.sympy_g is not None, f"{name} has no SymPy form"
    expr = act.sympy_g(t)
    deriv = act.sympy_dg(t) if act.sympy_dg is not None else sympy.diff(expr, t)
    z = np.array([-3.0, -0.5, 0.25, 2.0, *act.kinks])
    g = sympy.lambdify(t, expr, modules="numpy")
    dg = sympy.lambdify(t, deriv, modules="numpy")
    values = np.array([float(g(v)) for v in z])
    slopes = np.array([float(dg(v)) for v in z])
    np.testing.assert_allclose(values, act.g(z), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(slopes, act.dg(z), rtol=1e-13, atol=1e-15)


# -- softplus -----------------------------------------------------------------------------


def test_softplus_at_extreme_z_is_exact_with_no_floating_point_error():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            s = softplus(EXTREME)
            ds = softplus_prime(EXTREME)
            from_h = ACTIVATIONS["softplus"].dg_from_h(s)
    # log(1 + e^z) is z for large z and e^z (here 0) for very negative z
    np.testing.assert_array_equal(s[-3:], EXTREME[-3:])
    assert s[0] == 0.0 and s[1] == 0.0
    assert s[4] == pytest.approx(LN2, rel=1e-15)
    np.testing.assert_allclose(ds, sigmoid(EXTREME), rtol=1e-15)
    np.testing.assert_allclose(from_h, ds, rtol=1e-12, atol=0)


def test_softplus_keeps_tiny_values_accurate():
    # log(1 + e^z) for z = -30: 1 + e^-30 rounds badly; logaddexp does not
    assert softplus(np.array(-30.0)) == pytest.approx(math.exp(-30.0), rel=1e-14)
    h = softplus(np.array(-30.0))
    assert ACTIVATIONS["softplus"].dg_from_h(h) == pytest.approx(sigmoid(np.array(-30.0)), rel=1e-13)


def test_sigmoid_symmetry_and_range():
    z = np.linspace(-50.0, 50.0, 201)
    s = sigmoid(z)
    np.testing.assert_allclose(sigmoid(-z), 1.0 - s, atol=1e-15)
    assert np.all((s >= 0.0) & (s <= 1.0))
    assert np.all(np.diff(s) >= 0.0)


def test_sigmoid_keeps_small_values_accurate():
    # 1 - 1/(1 + e^z) would lose every digit here; the stable form keeps them.
    for z in (30.0, 100.0, 700.0):
        expected = math.exp(-z) / (1.0 + math.exp(-z))
        assert sigmoid(np.array(-z)) == pytest.approx(expected, rel=1e-14)


EXTREME = np.array([-1e4, -1000.0, -745.0, -50.0, 0.0, 50.0, 745.0, 1000.0, 1e4])


def test_sigmoid_at_extreme_z_is_finite_with_no_overflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            s = sigmoid(EXTREME)
            ds = sigmoid_prime(EXTREME)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(ds))
    assert s[0] == 0.0 and s[-1] == 1.0
    assert s[4] == 0.5
    assert ds[0] == 0.0 and ds[-1] == 0.0


def test_sigmoid_at_extreme_z_raises_no_floating_point_error_at_all():
    # Stricter than NumPy's defaults: every floating-point error raises, underflow too.
    # e^(-|z|) underflows to 0 for |z| > ~745; that is exact to the last bit and
    # should not trip np.errstate(all="raise") in a reader's debugging session.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            s = sigmoid(EXTREME)
            ds = sigmoid_prime(EXTREME)
    assert s[0] == 0.0 and s[-1] == 1.0
    assert ds[0] == 0.0 and ds[-1] == 0.0


def test_tanh_at_extreme_z_is_finite_with_no_warning():
    act = ACTIVATIONS["tanh"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            t, dt = act.g(EXTREME), act.dg(EXTREME)
    assert t[0] == -1.0 and t[-1] == 1.0
    assert dt[0] == 0.0 and dt[-1] == 0.0


def test_get_activation_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown activation 'softmax'; expected one of") as info:
        get_activation("softmax")
    for name in NAMES:
        assert repr(name) in str(info.value)


def test_get_activation_is_case_sensitive():
    with pytest.raises(ValueError, match="unknown activation 'Sigmoid'"):
        get_activation("Sigmoid")


@pytest.mark.parametrize("bad", [None, 3, np.tanh, ["sigmoid"]])
def test_get_activation_rejects_non_names(bad):
    with pytest.raises(TypeError, match="activation must be a name such as 'sigmoid'") as info:
        get_activation(bad)
    assert type(info.value) is TypeError


# -- bad input: names and types -------------------------------------------------


def test_unknown_activation_name():
    raises_exactly(
        ValueError,
        r"unknown activation 'softmax'; expected one of 'sigmoid', 'tanh'",
        Network,
        [3, 1],
        activation="softmax",
    )
    raises_exactly(
        ValueError,
        r"unknown activation 'linear'; expected one of",
        Network,
        [3, 1],
        output_activation="linear",
    )
    raises_exactly(ValueError, r"unknown activation 'softmax'", get_activation, "softmax")


def test_activation_of_the_wrong_type():
    raises_exactly(
        TypeError,
        r"activation must be a name such as 'sigmoid' or an Activation, got int",
        Network,
        [3, 1],
        activation=3,
    )
