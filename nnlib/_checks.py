"""Input validation shared by nnlib's public functions.

Every check raises a ``ValueError`` or ``TypeError`` whose message names what
was wrong and what was expected, so a reader never has to decode a NumPy
broadcasting error from deep inside the library.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np


def _all_finite(arr: np.ndarray) -> bool:
    """True when no entry is NaN or infinite (``count_nonzero`` is a cheaper reduction than ``all``)."""
    return np.count_nonzero(np.isfinite(arr)) == arr.size


def as_sizes(sizes: Sequence[int]) -> tuple[int, ...]:
    """Validate a layer list ``[n_0, n_1, ..., n_{L+1}]`` and return it as a tuple."""
    if isinstance(sizes, np.ndarray) and sizes.ndim == 1:
        sizes = sizes.tolist()
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(
            f"sizes must be a list of layer widths such as [4, 2, 1], got {type(sizes).__name__}"
        )
    if len(sizes) < 2:
        raise ValueError(
            f"sizes needs at least two layers (input and output), got {list(sizes)!r}"
        )
    out = []
    for k, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(
                f"layer {k} has size {n!r} ({type(n).__name__}); every layer size must be an integer >= 1"
            )
        if n < 1:
            raise ValueError(f"layer {k} has size {n}; every layer size must be an integer >= 1")
        out.append(int(n))
    return tuple(out)


def as_inputs(X: object, n_inputs: int, dtype: np.dtype) -> tuple[np.ndarray, bool]:
    """Return ``X`` as a 2-D float array ``(batch, n_0)`` and whether it was one sample.

    Raises a clear error for the wrong number of features or non-finite entries.
    """
    try:
        raw = np.asarray(X)
        if raw.dtype.kind == "c":
            raise TypeError("X must hold real numbers; got complex values")
        arr = raw.astype(dtype, copy=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"X must be an array of numbers, got {type(X).__name__}: {exc}") from None
    single = arr.ndim == 1
    if single:
        arr = arr[np.newaxis, :]
    if arr.ndim != 2:
        raise ValueError(
            f"X must have shape (n_0,) for one sample or (batch, n_0) for a batch, "
            f"got an array with {arr.ndim} dimensions, shape {arr.shape}"
        )
    if arr.shape[1] != n_inputs:
        raise ValueError(
            f"X has {arr.shape[1]} features per sample, but the input layer expects "
            f"n_0 = {n_inputs}"
        )
    if arr.shape[0] == 0:
        raise ValueError("X holds no samples; expected at least one row")
    if not _all_finite(arr):
        raise ValueError("X contains NaN or infinite values; every input must be finite")
    return arr, single


def as_labels(Y: object, n_rows: int, n_outputs: int, dtype: np.dtype) -> np.ndarray:
    """Return labels as a 2-D array ``(batch, n_{L+1})`` matching ``n_rows`` input rows."""
    try:
        arr = np.asarray(Y, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"Y must be an array of numbers, got {type(Y).__name__}: {exc}") from None
    if arr.ndim == 0:
        arr = arr.reshape(1, 1)
    elif arr.ndim == 1:
        if n_outputs == 1:
            arr = arr[:, np.newaxis]
        elif n_rows == 1 and arr.shape[0] == n_outputs:
            arr = arr[np.newaxis, :]
        else:
            raise ValueError(
                f"Y has shape {arr.shape}; with {n_outputs} output nodes expected shape "
                f"({n_rows}, {n_outputs})"
            )
    if arr.ndim != 2 or arr.shape[1] != n_outputs:
        raise ValueError(
            f"Y has shape {arr.shape}; expected one label per output node, shape "
            f"({n_rows}, {n_outputs})"
        )
    if arr.shape[0] != n_rows:
        raise ValueError(
            f"Y has {arr.shape[0]} rows of labels but X has {n_rows} samples; "
            "expected one label row per input row"
        )
    if not _all_finite(arr):
        raise ValueError("Y contains NaN or infinite values; every label must be finite")
    return arr


def positive_number(value: object, name: str) -> float:
    """Check that ``value`` is a finite real number > 0 (a learning rate, a step)."""
    if type(value) is not float:  # a plain float skips the slower abstract-type checks
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a positive number, got {value!r}")
        value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return value


def non_negative_number(value: object, name: str) -> float:
    """Check that ``value`` is a finite real number >= 0 (a regularisation strength)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number >= 0, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return value


def positive_int(value: object, name: str) -> int:
    """Check that ``value`` is an integer >= 1 (epochs, batch size)."""
    if type(value) is not int and (isinstance(value, bool) or not isinstance(value, numbers.Integral)):
        raise TypeError(f"{name} must be an integer >= 1, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value}")
    return int(value)


def non_negative_int(value: object, name: str) -> int:
    """Check that ``value`` is an integer >= 0 (a seed, a number of hidden layers)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= 0, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be an integer >= 0, got {value}")
    return int(value)


def one_of(value: object, name: str, allowed: Sequence[str]) -> str:
    """Check that ``value`` is one of the names in ``allowed`` (a data set, an activation)."""
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(
            f"unknown {name} {value!r}; expected one of " + ", ".join(repr(a) for a in allowed)
        )
    return value


# --- generic checks for keyword settings and data tables (datasets, widgets) -------


def int_at_least(value: object, name: str, minimum: int, why: str | None = None) -> int:
    """Check that ``value`` is an integer >= ``minimum``; ``why`` says why in the message.

    Examples
    --------
    >>> int_at_least(4, "n", 4, "XOR needs all four corners of the square")
    4
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        reason = f" ({why})" if why else ""
        raise ValueError(f"{name} must be an integer >= {minimum}{reason}, got {value}")
    return int(value)


def finite_table(value: object, name: str) -> np.ndarray:
    """Return ``value`` as a float64 array of shape ``(n, n_features)``, n >= 1, all finite."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be an array of numbers, got {type(value).__name__}: {exc}"
        ) from None
    if arr.ndim != 2 or arr.shape[0] == 0:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n, n_features) with n >= 1, got shape {arr.shape}"
        )
    if not _all_finite(arr):
        raise ValueError(f"{name} contains NaN or infinite values; every entry must be finite")
    return arr
