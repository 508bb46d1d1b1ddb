r"""How the stepper prints a step: numbers to the digits shown, symbols in LaTeX and in text.

Each step of :func:`nnlib.stepper.steps` carries its equation twice, in LaTeX (for
MathJax) and as plain text (for a screen reader and the live view); these are the
pieces both are made of.
"""

from __future__ import annotations

import math

#: Significant digits of every number a step shows.
DIGITS = 4


# -- numbers as printed -------------------------------------------------------------------


def shown(value: float, digits: int = DIGITS) -> str:
    """``value`` with ``digits`` significant digits, trailing zeros dropped, no exponent.

    Examples
    --------
    >>> shown(0.010372), shown(-1.5), shown(2.0), shown(123.456)
    ('0.01037', '-1.5', '2', '123.5')
    """
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def tolerance(value: float, digits: int = DIGITS) -> float:
    """Half a unit in the last place :func:`shown` prints for ``value``."""
    value = abs(float(value))
    if value == 0:
        return 0.0
    decimals = max(0, digits - 1 - math.floor(math.log10(value)))
    return 0.5 * 10.0**-decimals


def _tex(value: float) -> str:
    """A number as a factor: negative ones in parentheses."""
    s = shown(value)
    return f"({s})" if s.startswith("-") else s


def _txt(value: float) -> str:
    s = shown(value).replace("-", "\u2212")
    return f"({s})" if s.startswith("\u2212") else s


def _plain(value: float) -> str:
    return shown(value).replace("-", "\u2212")


# -- symbols ---------------------------------------------------------------------------


def _z(k: int, i: int) -> tuple[str, str]:
    return f"z^{{({k})}}_{{{i}}}", f"z^({k})_{i}"


def _h(k: int, i: int) -> tuple[str, str]:
    if k == 0:
        return f"x_{{{i}}}", f"x_{i}"
    return f"h^{{({k})}}_{{{i}}}", f"h^({k})_{i}"


def _d(k: int, i: int) -> tuple[str, str]:
    return f"\\delta^{{({k})}}_{{{i}}}", f"\u03b4^({k})_{i}"


def _w(k: int, i: int, j: int) -> tuple[str, str]:
    return f"W^{{({k})}}_{{{i}{j}}}", f"W^({k})_{i}{j}"


def _dw(k: int, i: int, j: int) -> tuple[str, str]:
    w, wt = _w(k, i, j)
    return f"\\frac{{\\partial \\text{{Loss}}}}{{\\partial {w}}}", f"\u2202Loss/\u2202{wt}"


def _where(k: int, i: int) -> str:
    return f"node {i} of layer {k}"


def _loss_forms(name: str, a: float, y: float, prime: bool) -> tuple[str, str, str]:
    """The loss of prediction ``a`` and label ``y``: equation, numbers (LaTeX) and numbers as text."""
    g = "g(z')" if prime else "g(z)"
    if name == "logistic":
        eq = f"-y \\log {g} - (1 - y) \\log\\bigl(1 - {g}\\bigr)"
        num = f"-{_tex(y)} \\log {shown(a)} - (1 - {_tex(y)}) \\log(1 - {shown(a)})"
        txt = (
            f"\u2212{_txt(y)} log {_plain(a)} \u2212 (1 \u2212 {_txt(y)}) log(1 \u2212 {_plain(a)})"
        )
    elif name == "squared":
        eq = f"\\tfrac12 \\bigl({g} - y\\bigr)^2"
        num = f"\\tfrac12 ({shown(a)} - {_tex(y)})^2"
        txt = f"\u00bd ({_plain(a)} \u2212 {_txt(y)})\u00b2"
    elif name == "hinge":
        eq = f"\\max\\bigl(0,\\ 1 - y\\, {g}\\bigr)"
        num = f"\\max(0,\\ 1 - {_tex(y)} \\times {_tex(a)})"
        txt = f"max(0, 1 \u2212 {_txt(y)} \u00d7 {_txt(a)})"
    else:  # a loss registered later: name it, and give the numbers it is evaluated at
        eq = f"\\text{{Loss}}\\bigl({g}, y\\bigr)"
        num = f"\\text{{Loss}}({shown(a)}, {_tex(y)})"
        txt = f"Loss({_plain(a)}, {_plain(y)})"
    return eq, num, txt
