"""Input validation shared by nnlib's public functions.

Every check raises a ``ValueError`` or ``TypeError`` whose message names what
was wrong and what was expected, so a reader never has to decode a NumPy
broadcasting error from deep inside the library.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np

K = TypeVar("K")


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


def finite_table(value: object, name: str, n_columns: int | None = None) -> np.ndarray:
    """Return ``value`` as a float64 array of shape ``(n, n_features)``, n >= 1, all finite.

    With ``n_columns`` the table must have exactly that many columns.
    """
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be an array of numbers, got {type(value).__name__}: {exc}"
        ) from None
    columns = "n_features" if n_columns is None else str(n_columns)
    if arr.ndim != 2 or arr.shape[0] == 0 or (n_columns is not None and arr.shape[1] != n_columns):
        raise ValueError(
            f"{name} must be a 2-D array of shape (n, {columns}) with n >= 1, got shape {arr.shape}"
        )
    if not _all_finite(arr):
        raise ValueError(f"{name} contains NaN or infinite values; every entry must be finite")
    return arr


# --- arguments of the figures (plotting) and of the explorer ------------------------


def is_int(value: object) -> bool:
    """True for an integer that is not a bool (``True`` is not a layer number)."""
    return not isinstance(value, bool) and isinstance(value, numbers.Integral)


def instance(value: K, kind: type, name: str, what: str) -> K:
    """Check that ``value`` is a ``kind``; ``what`` is how the message names it.

    Examples
    --------
    >>> instance(3, int, "n", "int")
    3
    """
    if not isinstance(value, kind):
        raise TypeError(f"{name} must be an {what}, got {type(value).__name__}")
    return value


def text(value: object, name: str) -> str:
    """Check that ``value`` is a ``str`` (a label or a value to write on a figure)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    return value


def mapping(value: object, name: str, example: str) -> Mapping[Any, Any]:
    """Check that ``value`` is a mapping; ``example`` shows the expected form in the message."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping {example}, got {type(value).__name__}")
    return value


def texts(
    value: object, name: str, example: str, key: Callable[[object], K]
) -> dict[K, str]:
    """A mapping ``key -> str`` with every key checked (and normalised) by ``key``."""
    return {
        key(k): text(v, f"{name}[{k!r}]") for k, v in mapping(value, name, example).items()
    }


def _layer_range(lo: int, hi: int, n_layers: int) -> str:
    """``"0 <= k <= L+1 = 2"``: the layers ``lo .. hi`` in the paper's terms."""
    top = {n_layers - 1: "L+1", n_layers - 2: "L"}.get(hi)
    return f"{lo} <= k <= {top} = {hi}" if top else f"{lo} <= k <= {hi}"


def network_node(
    key: object,
    sizes: Sequence[int],
    name: str,
    layers: tuple[int, int] | None = None,
    what: str = "a node",
) -> tuple[int, int]:
    """Check that ``key`` is ``(k, i)``: node ``1 <= i <= n_k`` of a layer ``k`` in ``layers``.

    ``layers`` is ``(first, last)``, by default every layer ``0 .. L+1``; ``what``
    names the kind of node in the message (``"a hidden node"``).
    """
    lo, hi = layers if layers is not None else (0, len(sizes) - 1)
    key = tuple(key) if isinstance(key, list) else key
    if not (
        isinstance(key, tuple)
        and len(key) == 2
        and all(map(is_int, key))
        and lo <= key[0] <= hi
        and 1 <= key[1] <= sizes[key[0]]
    ):
        raise ValueError(
            f"{name} has key {key!r}, which is not {what} of the network {list(sizes)}; "
            f"expected (k, i) with {_layer_range(lo, hi, len(sizes))} and 1 <= i <= n_k"
        )
    return int(key[0]), int(key[1])


def network_edge(key: object, sizes: Sequence[int], name: str) -> tuple[int, int, int]:
    """Check that ``key`` is ``(k, i, j)``, the edge carrying :math:`W^{(k)}_{ij}`."""
    key = tuple(key) if isinstance(key, list) else key
    if not (
        isinstance(key, tuple)
        and len(key) == 3
        and all(map(is_int, key))
        and 1 <= key[0] < len(sizes)
        and 1 <= key[1] <= sizes[key[0]]
        and 1 <= key[2] <= sizes[key[0] - 1]
    ):
        raise ValueError(
            f"{name} has key {key!r}, which is not an edge of the network {list(sizes)}; "
            f"expected (k, i, j) with {_layer_range(1, len(sizes) - 1, len(sizes))}, "
            "1 <= i <= n_k, 1 <= j <= n_{k-1} (edge W^(k)_ij)"
        )
    return int(key[0]), int(key[1]), int(key[2])


def finite_array(value: object, name: str, shape: tuple[int, ...], shape_text: str) -> np.ndarray:
    """Return ``value`` as a finite float64 array of exactly ``shape`` (named ``shape_text``)."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}") from None
    if arr.shape != shape:
        raise ValueError(f"{name} has shape {arr.shape}; expected {shape_text} = {shape}")
    if not _all_finite(arr):
        raise ValueError(f"{name} contains NaN or infinite values; every entry must be finite")
    return arr


def curve(value: object, name: str, expected: str) -> np.ndarray:
    """One number per epoch as a 1-D float array with at least one entry (NaN allowed).

    ``expected`` says what the caller may pass, for the messages.
    """
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be {expected}, got {type(value).__name__}"
        ) from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a 1-D sequence of one cost per epoch, got shape {arr.shape}")
    return arr


def number_pair(value: object, name: str) -> tuple[float, float]:
    """Two finite numbers ``low < high`` (an interval to draw)."""
    try:
        lo, hi = (float(v) for v in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be two numbers (low, high), got {value!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"{name} must be two finite numbers low < high, got {value!r}")
    return lo, hi
