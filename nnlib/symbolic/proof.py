r"""The proof engine: exact comparison of two expressions for every g and Loss.

:meth:`SymbolicNetwork.proves <nnlib.symbolic.SymbolicNetwork.proves>` and
:meth:`~nnlib.symbolic.SymbolicNetwork.equal` rest on :class:`_Indeterminates`;
:func:`certify` is how a book page declares a labelled equation proven.

Why a ``True`` of this engine can be trusted is told in the package docstring
of :mod:`nnlib.symbolic`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy
from sympy import Derivative, Dummy, Subs, Symbol
from sympy.core.function import AppliedUndef

from .notation import _slot_derivative


class _Indeterminates:
    """Write expressions as polynomials in symbols and fresh indeterminates.

    Each value of an undefined function (``g(a)``, ``Loss(a, y)``) and each
    derivative of one at a point becomes a :class:`sympy.Dummy`, the same one
    exactly when function, derivative orders and expanded arguments agree.
    Floats become the exact rationals they hold.  Anything else that is not
    arithmetic or a known function (a ``Lambda``, a ``Sum``, a derivative SymPy
    left in another shape) is kept as an opaque block equal only to itself.  See
    the docstring of :mod:`nnlib.symbolic` for why this makes comparisons sound.

    ``definition(symbol)`` gives what a display symbol stands for (``None`` for a
    symbol that stands for itself); such symbols are replaced by their meaning
    as they are met, which unfolds a formula without rebuilding it in SymPy.
    """

    def __init__(self, definition: Callable[[Symbol], sympy.Basic | None] = lambda s: None) -> None:
        self._definition = definition
        self._table: dict[tuple, Dummy] = {}
        self._memo: dict[sympy.Basic, sympy.Basic] = {}

    def _fresh(self, key: tuple) -> Dummy:
        if key not in self._table:
            self._table[key] = Dummy(f"a{len(self._table)}")
        return self._table[key]

    def _point(self, args: Sequence[sympy.Basic]) -> tuple:
        return tuple(sympy.expand(self(a)) for a in args)

    def __call__(self, expr: sympy.Basic) -> sympy.Basic:
        """The polynomial form of ``expr``."""
        if expr in self._memo:
            return self._memo[expr]
        if isinstance(expr, sympy.Float):
            out = sympy.Rational(expr)  # the exact value of the float: arithmetic stays exact
        elif not expr.args:
            meaning = self._definition(expr) if isinstance(expr, Symbol) else None
            out = expr if meaning is None else self(meaning)
        elif isinstance(expr, (Derivative, Subs)):
            slot = _slot_derivative(expr)
            if slot is None:
                out = self._fresh(("opaque", expr))
            else:
                func, orders, point = slot
                out = self._fresh((func, orders, self._point(point)))
        elif isinstance(expr, AppliedUndef):
            out = self._fresh((expr.func, (0,) * len(expr.args), self._point(expr.args)))
        elif isinstance(expr, (sympy.Add, sympy.Mul, sympy.Pow, sympy.Function)):
            # arithmetic, or a known function such as exp: none of them binds a variable
            out = expr.func(*(self(a) for a in expr.args))
        else:
            out = self._fresh(("opaque", expr))  # anything else (Lambda, Sum, ...) stays whole
        self._memo[expr] = out
        return out

    def identical(self, a: sympy.Basic, b: sympy.Basic) -> bool:
        """True only if ``a - b`` expands to the zero polynomial (an exact identity)."""
        return sympy.expand(self(a) - self(b)) == 0


@dataclass(frozen=True)
class Proof:
    """One checked claim: the formula of ``equation`` is the derivative with respect to ``wrt``."""

    equation: str
    wrt: sympy.Basic
    proven: bool


@dataclass
class ProofReport:
    """Everything :meth:`SymbolicNetwork.check_all` checked, one :class:`Proof` per claim."""

    sizes: tuple[int, ...]
    proofs: list[Proof]

    @property
    def all_proven(self) -> bool:
        """True when every claim was proven."""
        return all(p.proven for p in self.proofs)

    @property
    def failures(self) -> list[Proof]:
        """The claims that were not proven (empty when all hold)."""
        return [p for p in self.proofs if not p.proven]

    def __len__(self) -> int:
        return len(self.proofs)

    def __str__(self) -> str:
        counts: dict[str, list[int]] = {}
        for p in self.proofs:
            done, total = counts.setdefault(p.equation, [0, 0])
            counts[p.equation] = [done + p.proven, total + 1]
        lines = [f"network {list(self.sizes)}:"]
        lines += [f"  {eq:<32} {done:>3}/{total:<3} proven" for eq, (done, total) in counts.items()]
        return "\n".join(lines)


def certify(
    label: str, claims: ProofReport | Iterable[object], *, refuted: Iterable[object] = ()
) -> None:
    """Declare that the labelled book equation ``label`` is proven, and check that it is.

    A page proves its equation ``(label)`` by calling ``certify(label, claims)``
    in a cell tagged ``nbval-check-output``.  ``claims`` are the results of the
    proof engine (``net.proves(...)``, ``net.equal(...)``, or a
    :class:`ProofReport`), one per index the equation covers; ``refuted`` are the
    results for plausible wrong versions, each of which must be ``False``.

    Prints one line, ``eq. <label>: proven (N claims, M wrong forms refuted)``, which the book's
    tests look for in the stored output of that cell (and nbval re-creates on
    every run).  Nothing is printed unless every check passed.

    Raises
    ------
    AssertionError
        If there is no claim, a claim is not exactly ``True``, or a wrong version
        was not refuted (is not exactly ``False``).
    ValueError
        If ``label`` is not a book equation label (lowercase words joined by ``-``).
    """
    if (
        not isinstance(label, str)
        or not label
        or not all(part.isalnum() and part == part.lower() for part in label.split("-"))
    ):
        raise ValueError(f"label must name a book equation such as 'dloss-dz', got {label!r}")
    if isinstance(claims, ProofReport):
        results = [p.proven for p in claims.proofs]
    else:
        results = list(claims)
    if not results:
        raise AssertionError(f"eq. {label}: certify() needs at least one proof result, got none")
    bad = [i for i, r in enumerate(results) if not (isinstance(r, (bool, np.bool_)) and bool(r))]
    if bad:
        raise AssertionError(
            f"eq. {label} is NOT proven: claims {bad} of {len(results)} are not True "
            f"(got {[results[i] for i in bad][:3]!r})"
        )
    wrong = list(refuted)
    caught = [
        i for i, r in enumerate(wrong) if not (isinstance(r, (bool, np.bool_)) and not bool(r))
    ]
    if caught:
        raise AssertionError(
            f"eq. {label}: wrong versions {caught} were not refuted (each must prove False)"
        )
    claims = f"{len(results)} claim{'s' * (len(results) != 1)}"
    extra = f", {len(wrong)} wrong form{'s' * (len(wrong) != 1)} refuted" if wrong else ""
    print(f"eq. {label}: proven ({claims}{extra})")
