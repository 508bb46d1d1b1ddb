r"""Small data sets made on the fly from a seed (no downloads).

* :func:`student` -- the example of section 1 of the book: will a student get an
  A, from GPA, IQ, BMI and hours of sleep (the four inputs of Figure 1)?
* :func:`xor`, :func:`two_moons`, :func:`spirals` -- two-feature problems that
  no single linear threshold can separate, for decision-boundary pictures.

Every generator takes a ``seed`` and draws from ``np.random.default_rng(seed)``:
the same seed gives the same arrays, always. Labels are 0/1;
:func:`as_plus_minus` turns them into the -1/+1 labels the hinge loss expects.
Every generator returns a :class:`Dataset`, which unpacks as ``X, y = ds``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from . import _checks

Array = np.ndarray

__all__ = [
    "STUDENT_FEATURES",
    "Dataset",
    "as_plus_minus",
    "spirals",
    "standardize",
    "student",
    "student_factors",
    "student_score",
    "two_moons",
    "xor",
]


@dataclass(frozen=True, eq=False)
class Dataset:
    """A small labelled data set.

    Attributes
    ----------
    X : ndarray of float64, shape (n, n_features)
        One sample per row; column ``j - 1`` is the paper's input :math:`x_j`.
    y : ndarray of float64, shape (n,)
        The label of each row, 0 or 1.
    feature_names : tuple of str
        The name of each column of ``X``.
    target_name : str
        What the label means.
    description : str
        How the data were generated.

    Examples
    --------
    >>> X, y = student(n=10)
    >>> X.shape, y.shape
    ((10, 4), (10,))
    """

    X: Array
    y: Array
    feature_names: tuple[str, ...]
    target_name: str
    description: str

    def __iter__(self) -> Iterator[Array]:
        """Yield ``X`` then ``y``, so that ``X, y = dataset`` works."""
        yield self.X
        yield self.y

    def __len__(self) -> int:
        """The number of samples ``n``."""
        return int(self.X.shape[0])

    def __repr__(self) -> str:
        return (
            f"Dataset(n={len(self)}, feature_names={self.feature_names!r}, "
            f"target_name={self.target_name!r})"
        )


# --- the student example of section 1 ----------------------------------------------

STUDENT_FEATURES = ("Cumulative GPA", "IQ score", "BMI", "Average hours of sleep")
"""The four inputs :math:`x_1, \\dots, x_4` of Figure 1, in order."""

_RHO = 0.8  # correlation of each feature with its latent factor
# Reference centre and spread used to standardise each feature inside the rule.
_GPA_MEAN, _GPA_SD = 3.0, 0.5
_IQ_MEAN, _IQ_SD = 100.0, 15.0
_BMI_MEAN, _BMI_SD = 25.0, 4.0
_SLEEP_MEAN, _SLEEP_SD = 7.0, 1.2
# Weights of the two factors in the score, and the threshold the score must exceed.
_W_INTELLIGENCE, _W_HEALTH, _THRESHOLD = 0.6, 0.4, 0.0

_STUDENT_RULE = """\
Hidden rule (all quantities in the units of the columns of X):
  intelligence = ((GPA - 3.0) / 0.5 + (IQ - 100) / 15) / 2
  health       = ((sleep - 7.0) / 1.2 - (BMI - 25) / 4) / 2
  score        = 0.6 * intelligence + 0.4 * health + noise * e,  e ~ N(0, 1)
  y            = 1 ("gets an A") if score > 0, else 0.
How the features are drawn: two independent standard-normal latent factors,
a = innate intelligence and b = physical health, and u_j = 0.8 * factor +
0.6 * e_j with fresh N(0, 1) noise e_j for each feature:
  GPA   = clip(3.0 + 0.5 * u_1, 0, 4)    with u_1 from a
  IQ    = clip(100 + 15 * u_2, 40, 160)  with u_2 from a
  BMI   = clip(25 - 4 * u_3, 15, 45)     with u_3 from b (lower BMI = healthier)
  sleep = clip(7.0 + 1.2 * u_4, 4, 10)   with u_4 from b
so GPA and IQ are correlated (about 0.64), BMI and sleep are negatively
correlated (about -0.64), and the two pairs are independent of each other."""


def student(n: int = 200, seed: int = 0, noise: float = 0.25) -> Dataset:
    r"""The student example of section 1: will a student get an A?

    Serves section 1 of the book (Figure 1 and the "innate intelligence" /
    "physical health" story). The four columns are, in the paper's order,
    :math:`x_1` "Cumulative GPA" (0 to 4), :math:`x_2` "IQ score" (about
    100 ± 15), :math:`x_3` "BMI" (mostly 17 to 33) and :math:`x_4` "Average hours
    of sleep" (4 to 10). The label is 1 when the student "gets an A".

    The data follow a hidden rule with two latent factors, the two hidden units
    the paper imagines. In the units of ``X``:

    .. math::

        \text{intelligence} &= \tfrac12\left(\frac{\text{GPA} - 3}{0.5}
            + \frac{\text{IQ} - 100}{15}\right) \\
        \text{health} &= \tfrac12\left(\frac{\text{sleep} - 7}{1.2}
            - \frac{\text{BMI} - 25}{4}\right) \\
        y &= 1 \iff 0.6\,\text{intelligence} + 0.4\,\text{health}
            + \text{noise}\cdot\varepsilon > 0,
            \quad \varepsilon \sim \mathcal N(0, 1).

    GPA and IQ are drawn from a shared "innate intelligence" factor, BMI and
    sleep from a shared "physical health" factor (lower BMI and more sleep count
    as healthier), so each pair is correlated (about ±0.64) and the two pairs
    are independent. Classes come out roughly balanced. With ``noise=0`` the rule
    holds exactly for every row; the default noise leaves about one label in
    eight on the "wrong" side of it.

    Columns are in their natural units, so they are easy to read; standardise
    them with :func:`standardize` before training, since IQ is on a scale some
    fifty times larger than GPA.

    Parameters
    ----------
    n : int, default 200
        Number of students, at least 1.
    seed : int, default 0
        Seed of ``np.random.default_rng``; the same seed gives the same data.
    noise : float, default 0.25
        Standard deviation of the noise added to the score before thresholding
        (>= 0). The score itself has standard deviation of about 0.65.

    Returns
    -------
    Dataset
        ``X`` of shape (n, 4), ``y`` of shape (n,) with values 0 and 1; the rule
        is repeated in ``description``.

    Examples
    --------
    >>> ds = student(n=5, seed=1)
    >>> ds.feature_names[0], ds.target_name
    ('Cumulative GPA', 'gets an A')
    """
    n = _checks.positive_int(n, "n")
    seed = _checks.non_negative_int(seed, "seed")
    noise = _checks.non_negative_number(noise, "noise")
    rng = np.random.default_rng(seed)

    intelligence_factor = rng.standard_normal(n)
    health_factor = rng.standard_normal(n)
    e = rng.standard_normal((n, 4))
    mix = np.sqrt(1.0 - _RHO**2)
    u = np.column_stack(
        [
            _RHO * intelligence_factor + mix * e[:, 0],
            _RHO * intelligence_factor + mix * e[:, 1],
            _RHO * health_factor + mix * e[:, 2],
            _RHO * health_factor + mix * e[:, 3],
        ]
    )
    gpa = np.clip(_GPA_MEAN + _GPA_SD * u[:, 0], 0.0, 4.0)
    iq = np.clip(_IQ_MEAN + _IQ_SD * u[:, 1], 40.0, 160.0)
    bmi = np.clip(_BMI_MEAN - _BMI_SD * u[:, 2], 15.0, 45.0)
    sleep = np.clip(_SLEEP_MEAN + _SLEEP_SD * u[:, 3], 4.0, 10.0)
    X = np.column_stack([gpa, iq, bmi, sleep])

    score = student_score(X) + noise * rng.standard_normal(n)
    y = (score > _THRESHOLD).astype(np.float64)
    return Dataset(
        X=X,
        y=y,
        feature_names=STUDENT_FEATURES,
        target_name="gets an A",
        description=f"Synthetic students (section 1), n={n}, seed={seed}, noise={noise}.\n"
        + _STUDENT_RULE,
    )


def student_factors(X: object) -> tuple[Array, Array]:
    """The two hidden factors of :func:`student`, computed from its features.

    Serves section 1 of the book: these are the "innate intelligence" and
    "physical health" that the paper hopes the hidden units :math:`h_1, h_2`
    discover, so a chapter can compare them with what a trained network learned.

    Parameters
    ----------
    X : array_like, shape (n, 4)
        Columns GPA, IQ, BMI, sleep in the raw units of :func:`student`.

    Returns
    -------
    intelligence, health : ndarray of shape (n,)
        ``((GPA - 3)/0.5 + (IQ - 100)/15)/2`` and ``((sleep - 7)/1.2 - (BMI - 25)/4)/2``.
    """
    X = _checks.finite_table(X, "X")
    if X.shape[1] != 4:
        raise ValueError(
            f"X must have the 4 columns of student() (GPA, IQ, BMI, sleep), got {X.shape[1]}"
        )
    gpa, iq, bmi, sleep = X.T
    intelligence = ((gpa - _GPA_MEAN) / _GPA_SD + (iq - _IQ_MEAN) / _IQ_SD) / 2
    health = ((sleep - _SLEEP_MEAN) / _SLEEP_SD - (bmi - _BMI_MEAN) / _BMI_SD) / 2
    return intelligence, health


def student_score(X: object) -> Array:
    """The noise-free score of the hidden rule of :func:`student`.

    ``0.6 * intelligence + 0.4 * health`` (see :func:`student_factors`); a
    student with ``noise=0`` gets an A exactly when this is > 0.

    Parameters
    ----------
    X : array_like, shape (n, 4)
        Columns GPA, IQ, BMI, sleep in the raw units of :func:`student`.

    Returns
    -------
    ndarray of shape (n,)
    """
    intelligence, health = student_factors(X)
    return _W_INTELLIGENCE * intelligence + _W_HEALTH * health


# --- two-feature problems ----------------------------------------------------------


def xor(n: int = 4, seed: int = 0, noise: float = 0.0) -> Dataset:
    """Exclusive or: the label is 1 when exactly one input is 1.

    Serves the book's decision-boundary figures: the classic problem that one
    linear threshold cannot solve and one hidden layer can.

    Row ``t`` (0-based) sits at corner ``t mod 4`` of the unit square, in the
    order (0, 0), (0, 1), (1, 0), (1, 1), with labels 0, 1, 1, 0; then Gaussian
    noise of standard deviation ``noise`` is added to both coordinates. The
    label belongs to the corner, not to the jittered point. With ``n=4`` and
    ``noise=0`` this is exactly the truth table.

    Parameters
    ----------
    n : int, default 4
        Number of samples, at least 4 so that every corner appears.
    seed : int, default 0
        Seed of ``np.random.default_rng`` (only the noise is random).
    noise : float, default 0.0
        Standard deviation of the jitter (>= 0).

    Returns
    -------
    Dataset
        ``X`` of shape (n, 2), ``y`` of shape (n,) with values 0 and 1.

    Examples
    --------
    >>> X, y = xor()
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0.0, 1.0, 1.0, 0.0])
    """
    n = _checks.int_at_least(n, "n", 4, "XOR needs all four corners of the square")
    seed = _checks.non_negative_int(seed, "seed")
    noise = _checks.non_negative_number(noise, "noise")
    rng = np.random.default_rng(seed)

    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    which = np.arange(n) % 4
    X = corners[which] + noise * rng.standard_normal((n, 2))
    y = np.logical_xor(corners[which, 0], corners[which, 1]).astype(np.float64)
    return Dataset(
        X=X,
        y=y,
        feature_names=("x_1", "x_2"),
        target_name="x_1 XOR x_2",
        description=(
            f"XOR, n={n}, seed={seed}, noise={noise}: row t is corner t mod 4 of "
            "(0,0), (0,1), (1,0), (1,1) plus N(0, noise^2) jitter; y = x_1 XOR x_2 "
            "of the corner."
        ),
    )


def _plane_shuffled(
    X: Array, y: Array, rng: np.random.Generator, target_name: str, description: str
) -> Dataset:
    """A two-feature data set with its rows in a random order (two moons, spirals)."""
    order = rng.permutation(len(y))
    return Dataset(
        X=X[order],
        y=y[order],
        feature_names=("x_1", "x_2"),
        target_name=target_name,
        description=description,
    )


def two_moons(n: int = 200, seed: int = 0, noise: float = 0.1) -> Dataset:
    r"""Two interleaving half circles, one per class.

    Serves the book's decision-boundary figures. Class 0 lies on the upper half
    circle :math:`(\cos t, \sin t)`, class 1 on the lower one
    :math:`(1 - \cos t, \tfrac12 - \sin t)`, with :math:`t` evenly spaced in
    :math:`[0, \pi]`; both are shifted by :math:`(-\tfrac12, -\tfrac14)` so the
    data are centred near the origin (which helps a network without biases),
    jittered by Gaussian noise, and the rows shuffled.

    Parameters
    ----------
    n : int, default 200
        Number of samples, at least 2; class 0 gets ``n // 2`` of them.
    seed : int, default 0
        Seed of ``np.random.default_rng``.
    noise : float, default 0.1
        Standard deviation of the jitter (>= 0); the moons have radius 1.

    Returns
    -------
    Dataset
        ``X`` of shape (n, 2), ``y`` of shape (n,) with values 0 and 1.
    """
    n = _checks.int_at_least(n, "n", 2, "one sample per class or more")
    seed = _checks.non_negative_int(seed, "seed")
    noise = _checks.non_negative_number(noise, "noise")
    rng = np.random.default_rng(seed)

    n0 = n // 2
    n1 = n - n0
    t0 = np.linspace(0.0, np.pi, n0)
    t1 = np.linspace(0.0, np.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.vstack([upper, lower]) - np.array([0.5, 0.25])
    y = np.concatenate([np.zeros(n0), np.ones(n1)])
    return _plane_shuffled(
        X + noise * rng.standard_normal((n, 2)),
        y,
        rng,
        target_name="moon",
        description=(
            f"Two moons, n={n}, seed={seed}, noise={noise}: class 0 on (cos t, sin t), "
            "class 1 on (1 - cos t, 1/2 - sin t), t in [0, pi], shifted by (-1/2, -1/4), "
            "plus N(0, noise^2) jitter; rows shuffled."
        ),
    )


def spirals(n: int = 200, seed: int = 0, noise: float = 0.05, turns: float = 1.5) -> Dataset:
    r"""Two interleaved spiral arms, one per class.

    Serves the book's decision-boundary figures: a problem that needs more
    hidden units (or layers) than the others. Arm ``c`` (``c`` = 0 or 1) is

    .. math::

        r(\cos(2\pi\,\text{turns}\; s + \pi c),\ \sin(2\pi\,\text{turns}\; s + \pi c)),
        \qquad r = 0.1 + 0.9\,s,

    with :math:`s` evenly spaced in :math:`[0, 1]`, so arm 1 is arm 0 turned by
    half a revolution. Points are jittered by Gaussian noise and the rows
    shuffled.

    Parameters
    ----------
    n : int, default 200
        Number of samples, at least 2; class 0 gets ``n // 2`` of them.
    seed : int, default 0
        Seed of ``np.random.default_rng``.
    noise : float, default 0.05
        Standard deviation of the jitter (>= 0); the spirals have radius 1.
    turns : float, default 1.5
        How many revolutions each arm makes (> 0). More turns, harder problem.

    Returns
    -------
    Dataset
        ``X`` of shape (n, 2), ``y`` of shape (n,) with values 0 and 1.
    """
    n = _checks.int_at_least(n, "n", 2, "one sample per class or more")
    seed = _checks.non_negative_int(seed, "seed")
    noise = _checks.non_negative_number(noise, "noise")
    turns = _checks.positive_number(turns, "turns")
    rng = np.random.default_rng(seed)

    arms = []
    for c, m in enumerate([n // 2, n - n // 2]):
        s = np.linspace(0.0, 1.0, m)
        r = 0.1 + 0.9 * s
        angle = 2.0 * np.pi * turns * s + np.pi * c
        arms.append(np.column_stack([r * np.cos(angle), r * np.sin(angle)]))
    return _plane_shuffled(
        np.vstack(arms) + noise * rng.standard_normal((n, 2)),
        np.concatenate([np.zeros(n // 2), np.ones(n - n // 2)]),
        rng,
        target_name="arm",
        description=(
            f"Two spirals, n={n}, seed={seed}, noise={noise}, turns={turns}: arm c is "
            "r (cos(2 pi turns s + pi c), sin(2 pi turns s + pi c)), r = 0.1 + 0.9 s, "
            "s in [0, 1], plus N(0, noise^2) jitter; rows shuffled."
        ),
    )


# --- helpers -----------------------------------------------------------------------


def standardize(
    X: object, mean: object | None = None, std: object | None = None
) -> tuple[Array, Array, Array]:
    """Centre each column at 0 and scale it to standard deviation 1.

    Serves every training example of the book: inputs on very different scales
    (an IQ near 100 next to a GPA near 3) make gradient descent slow, because
    one learning rate must suit every weight.

    Parameters
    ----------
    X : array_like, shape (n, n_features)
        The data, one sample per row.
    mean, std : array_like of shape (n_features,), optional
        Statistics to use instead of those of ``X``, e.g. the training set's
        when standardising a test set. Give both or neither.

    Returns
    -------
    X_std : ndarray, shape (n, n_features)
        ``(X - mean) / std``.
    mean, std : ndarray, shape (n_features,)
        The statistics used. A constant column has ``std`` set to 1, so it maps
        to 0 instead of NaN.

    Examples
    --------
    >>> Z, mean, std = standardize([[1.0, 10.0], [3.0, 30.0]])
    >>> Z.tolist(), mean.tolist(), std.tolist()
    ([[-1.0, -1.0], [1.0, 1.0]], [2.0, 20.0], [1.0, 10.0])
    """
    X = _checks.finite_table(X, "X")
    if (mean is None) != (std is None):
        raise ValueError("give both mean and std, or neither (to use the statistics of X)")
    if mean is None:
        mean = X.mean(axis=0)
        std = X.std(axis=0)
        std = np.where(std > 0, std, 1.0)
    else:
        mean = _checks.finite_table(np.reshape(mean, (1, -1)), "mean")[0]
        std = _checks.finite_table(np.reshape(std, (1, -1)), "std")[0]
        for name, stat in (("mean", mean), ("std", std)):
            if stat.shape[0] != X.shape[1]:
                raise ValueError(
                    f"{name} has {stat.shape[0]} entries but X has {X.shape[1]} columns; "
                    "expected one per column"
                )
        if np.any(std <= 0):
            raise ValueError("std must be > 0 in every column")
    return (X - mean) / std, mean, std


def as_plus_minus(y: object) -> Array:
    """Turn 0/1 labels into the -1/+1 labels of the hinge loss.

    Serves section 3 of the book, where the hinge loss
    :math:`\\max(0, 1 - y\\,g(z))` needs :math:`y \\in \\{-1, +1\\}`.

    Parameters
    ----------
    y : array_like of 0s and 1s

    Returns
    -------
    ndarray of float64, same shape as ``y``
        ``2 * y - 1``.

    Examples
    --------
    >>> as_plus_minus([0, 1, 1]).tolist()
    [-1.0, 1.0, 1.0]
    """
    try:
        arr = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"y must be an array of 0/1 labels, got {type(y).__name__}: {exc}"
        ) from None
    bad = (arr != 0) & (arr != 1)
    if np.any(bad):
        raise ValueError(f"y must contain only the labels 0 and 1, found {arr[bad].ravel()[0]!r}")
    return 2.0 * arr - 1.0
