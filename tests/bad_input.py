"""What every bad-input test checks: the exact exception type and a message naming the problem.

A NumPy ``IndexError``, a broadcasting ``ValueError`` subclass or a ``UFuncTypeError``
leaking from deep inside would fail :func:`raises_exactly`: each module's tests use it
in their "bad input" section.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from nnlib import Network

NAN, INF = float("nan"), float("inf")
X3 = np.arange(12.0).reshape(4, 3) / 10  # 4 samples, 3 features
Y1 = np.array([0.0, 1.0, 1.0, 0.0])  # their labels, for one output node


def small_net(sizes: tuple[int, ...] = (3, 2, 1), **kwargs) -> Network:
    """A seeded network that fits ``X3`` and ``Y1``."""
    return Network(list(sizes), seed=0, **kwargs)


def raises_exactly(
    exc_type: type[Exception], match: str, func: Callable[..., object], *args, **kwargs
) -> Exception:
    """Call ``func``; it must raise exactly ``exc_type`` with a message matching ``match``."""
    with pytest.raises(exc_type, match=match) as info:
        func(*args, **kwargs)
    assert type(info.value) is exc_type, f"{type(info.value).__name__}: {info.value}"
    return info.value
