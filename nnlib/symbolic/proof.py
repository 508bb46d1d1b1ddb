r"""The proof engine: exact comparison of two expressions for every g and Loss.

:meth:`SymbolicNetwork.proves <nnlib.symbolic.SymbolicNetwork.proves>` and
:meth:`~nnlib.symbolic.SymbolicNetwork.equal` rest on :class:`_Indeterminates` and
return a :class:`Claim`: the two sides compared and the verdict.  :func:`same` makes
the same kind of claim for two concrete SymPy expressions.  :func:`certify` is how a
book page declares a labelled equation proven; it accepts claims only (a bare
``True`` carries no sides, so nothing shows that it could have been ``False``) and
refuses a claim whose two sides are one expression.

Why a ``True`` of this engine can be trusted is told in the package docstring
of :mod:`nnlib.symbolic`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import sympy
from sympy import Derivative, Dummy, Subs, Symbol
from sympy.core.function import AppliedUndef
from sympy.matrices import MatrixBase

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
        self._expanded: dict[sympy.Basic, sympy.Basic] = {}

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

    def expanded(self, expr: sympy.Basic) -> sympy.Basic:
        """The polynomial form of ``expr``, multiplied out (once per expression)."""
        if expr not in self._expanded:
            self._expanded[expr] = sympy.expand(self(expr))
        return self._expanded[expr]

    def identical(self, a: sympy.Basic, b: sympy.Basic) -> bool:
        """True only if ``a - b`` expands to the zero polynomial (an exact identity).

        Each side is multiplied out once and kept, since one side (SymPy's
        derivative) is usually compared with many formulas; two sides that
        multiply out to one expression are equal, and otherwise their
        difference is expanded as a whole.
        """
        pa, pb = self.expanded(a), self.expanded(b)
        return pa == pb or sympy.expand(pa - pb) == 0


def _canonical(expr: object, memo: dict | None = None) -> str:
    """A text form of ``expr`` that depends on its meaning only, not on SymPy's bookkeeping.

    The arguments of sums and products are sorted as text (not in SymPy's internal
    order), a :class:`sympy.Dummy` is written by its name (not its creation
    counter: bound variables such as the ``xi`` of a ``Subs`` are alike), and a
    matrix is its shape and entries.  Equal for two expressions built the same way
    in any process, whatever ran before.
    """
    memo = {} if memo is None else memo
    if isinstance(expr, MatrixBase):
        rows, cols = expr.shape
        inner = ",".join(_canonical(e, memo) for e in expr)
        return f"Matrix[{rows}x{cols}]({inner})"
    if isinstance(expr, (list, tuple)):
        return "(" + ",".join(_canonical(e, memo) for e in expr) + ")"
    if not isinstance(expr, sympy.Basic):
        return f"{type(expr).__name__}:{expr!r}"
    if expr in memo:
        return memo[expr]
    if isinstance(expr, Symbol):  # Dummy and Partial included: by name
        out = f"{type(expr).__name__}:{expr.name}"
    elif isinstance(expr, sympy.Number):
        out = f"{type(expr).__name__}:{expr}"
    elif not expr.args:
        out = type(expr).__name__
    else:
        parts = [_canonical(a, memo) for a in expr.args]
        if isinstance(expr, (sympy.Add, sympy.Mul)):
            parts.sort()
        name = getattr(expr.func, "__name__", type(expr).__name__)
        out = f"{name}({','.join(parts)})"
    memo[expr] = out
    return out


class Later:
    """A side of a :class:`Claim` that is computed only if it is read: ``make()`` gives it.

    :meth:`SymbolicNetwork.proves` compares a formula with SymPy's derivative as
    SymPy took it; the derivative with its nodes put back, the right side the
    claim shows, costs a substitution that most claims never need.
    """

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], object]) -> None:
        self.make = make


class Claim(int):
    """One comparison made by the proof engine: the two sides and whether they are equal.

    Returned by :meth:`SymbolicNetwork.proves`, :meth:`SymbolicNetwork.equal` and
    :func:`same`.  It is ``1`` (prints ``True``) when the two sides were proven
    equal and ``0`` (prints ``False``) otherwise, so ``assert net.proves(...)``,
    ``all(claims)``, ``sum(claims)`` and ``claims == [True, False]`` work as with
    bools; :func:`certify` also reads its sides.

    Attributes
    ----------
    lhs, rhs : sympy.Basic or sympy.Matrix
        The two sides compared: for ``net.proves(formula, wrt)`` the formula and
        SymPy's own derivative of the loss with respect to ``wrt``.
    holds : bool
        The verdict.
    rhs_key : str or None
        For ``proves``, a name of the right side (the derivative, the variable and
        the network) used in :attr:`fingerprint` instead of the long expression.
    trivial : bool
        True when the two sides are one expression before any simplification (the
        same object, structurally equal, or the formula *is* SymPy's derivative):
        such a claim cannot fail, and :func:`certify` refuses it.
    """

    lhs: object
    rhs_key: str | None
    trivial: bool

    def __new__(
        cls,
        holds: bool,
        lhs: object,
        rhs: object,
        *,
        rhs_key: str | None = None,
        trivial: bool | None = None,
    ) -> Claim:
        self = super().__new__(cls, bool(holds))
        self.lhs, self._rhs, self.rhs_key = lhs, rhs, rhs_key
        self.trivial = _same_expression(lhs, self.rhs) if trivial is None else bool(trivial)
        return self

    @property
    def rhs(self) -> object:
        """The right side (given as :class:`Later`, it is computed on first reading)."""
        if isinstance(self._rhs, Later):
            self._rhs = self._rhs.make()
        return self._rhs

    @property
    def holds(self) -> bool:
        """Whether the two sides were proven equal."""
        return bool(self)

    def __repr__(self) -> str:
        return repr(bool(self))

    __str__ = __repr__

    def __getnewargs_ex__(self) -> tuple[tuple, dict]:  # copy and pickle keep the sides
        return (bool(self), self.lhs, self.rhs), {"rhs_key": self.rhs_key, "trivial": self.trivial}

    @property
    def fingerprint(self) -> str:
        """Eight hex digits naming the pair of sides (in either order), stable across runs.

        Two claims with the same fingerprint compare the same two expressions: the
        book's truth test uses it to find one claim certified under two labels.
        """
        right = self.rhs_key if self.rhs_key is not None else _canonical(self.rhs)
        pair = sorted([_canonical(self.lhs), right])
        return hashlib.sha256("\n=\n".join(pair).encode()).hexdigest()[:8]


def _same_expression(a: object, b: object) -> bool:
    """True when ``a`` and ``b`` are one object or structurally equal (no simplification)."""
    if a is b:
        return True
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def same(lhs: sympy.Basic | MatrixBase, rhs: sympy.Basic | MatrixBase) -> Claim:
    """Whether two concrete SymPy expressions (or matrices) are equal, as a :class:`Claim`.

    For formulas of a :class:`SymbolicNetwork` with the generic ``g`` and ``Loss``
    use ``net.equal`` or ``net.proves``; ``same`` is for expressions in ordinary
    symbols and known functions (a sigmoid, a loss, a product of matrices): the
    difference is expanded and, if that is not 0, simplified; the claim holds when
    the result is exactly 0 (symbolic, no sampling; SymPy's rewritings are
    identities, so a 0 is never wrong).

    Examples
    --------
    >>> t = sympy.Symbol("t")
    >>> s = 1 / (1 + sympy.exp(-t))
    >>> same(sympy.diff(s, t), s * (1 - s))
    True
    """
    if isinstance(lhs, MatrixBase) or isinstance(rhs, MatrixBase):
        if not (isinstance(lhs, MatrixBase) and isinstance(rhs, MatrixBase)):
            raise TypeError("same() compares two matrices or two expressions, not one of each")
        holds = lhs.shape == rhs.shape and all(
            _is_zero(a - b) for a, b in zip(lhs, rhs, strict=True)
        )
        return Claim(holds, lhs, rhs)
    for side, name in ((lhs, "lhs"), (rhs, "rhs")):
        if not isinstance(side, sympy.Basic):
            raise TypeError(f"same() needs SymPy expressions, got {type(side).__name__} for {name}")
    return Claim(_is_zero(lhs - rhs), lhs, rhs)


def _is_zero(diff: sympy.Basic) -> bool:
    return sympy.expand(diff) == 0 or sympy.simplify(diff) == 0


@dataclass(frozen=True)
class Proof:
    """One checked claim: the formula of ``equation`` is the derivative with respect to ``wrt``."""

    equation: str
    wrt: sympy.Basic
    claim: Claim

    @property
    def proven(self) -> bool:
        """Whether the claim holds."""
        return bool(self.claim)


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

    @property
    def claims(self) -> list[Claim]:
        """The :class:`Claim` of every proof, in order."""
        return [p.claim for p in self.proofs]

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


#: The glue name under which :func:`certify` stores the fingerprints of its claims.
FINGERPRINT_GLUE = "certify.{label}"


def _not_a_claim(label: str, where: str, item: object) -> TypeError:
    return TypeError(
        f"eq. {label}: {where} is a {type(item).__name__}, not a Claim; certify counts only "
        "results of the proof engine (net.proves(...), net.equal(...), nnlib.symbolic.same(...) "
        "or a ProofReport), which carry the two sides they compared -- a bare bool does not"
    )


def _record(label: str, fingerprints: list[str]) -> None:
    """Store the fingerprints in the notebook, hidden, as myst-nb's ``glue(display=False)`` does."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython comes with every notebook
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return  # not in a notebook: nothing to store
    prefix = "application/papermill.record/"
    display(
        {prefix + "text/plain": repr(" ".join(fingerprints))},
        raw=True,
        metadata={
            "scrapbook": {"name": FINGERPRINT_GLUE.format(label=label), "mime_prefix": prefix}
        },
    )


def certify(
    label: str, claims: ProofReport | Iterable[Claim], *, refuted: Iterable[object] = ()
) -> None:
    """Declare that the labelled book equation ``label`` is proven, and check that it is.

    A page proves its equation ``(label)`` by calling ``certify(label, claims)``
    in a cell tagged ``nbval-check-output``.  ``claims`` are :class:`Claim` objects
    of the proof engine (``net.proves(...)``, ``net.equal(...)``, :func:`same`, or
    a :class:`ProofReport`), one per index the equation covers; ``refuted`` are
    plausible wrong versions, each a :class:`Claim` that must be false, or a list
    of claims (one wrong version spread over several entries) of which at least
    one must be false.

    A claim must be able to fail: bare bools are refused (they carry no sides),
    and so is a claim whose two sides are the same expression before any
    simplification (the same object, structurally equal, or ``net.proves`` given
    SymPy's own derivative as the formula).

    Prints one line, ``eq. <label>: proven (N claims, M wrong forms refuted)``,
    which the book's tests look for in the stored output of that cell (and nbval
    re-creates on every run); ``N`` counts distinct claims (the same pair of
    sides given twice counts once).  In a notebook it also stores, hidden (a
    myst-nb glue named ``certify.<label>``), the :attr:`Claim.fingerprint` of
    every claim, so that the book's truth test can tell when one claim is
    certified under two labels.  Nothing is printed or stored unless every check
    passed.

    Raises
    ------
    AssertionError
        If there is no claim, a claim does not hold, or a wrong version was not
        refuted.
    TypeError
        If a claim or a wrong version is not a :class:`Claim` (e.g. a bare ``True``).
    ValueError
        If ``label`` is not a book equation label (lowercase words joined by
        ``-``), or a claim compares an expression with itself.
    """
    if (
        not isinstance(label, str)
        or not label
        or not all(part.isalnum() and part == part.lower() for part in label.split("-"))
    ):
        raise ValueError(f"label must name a book equation such as 'dloss-dz', got {label!r}")
    if isinstance(claims, Claim):
        raise TypeError(
            f"eq. {label}: claims must be a list of Claims or a ProofReport, got one Claim"
        )
    results = claims.claims if isinstance(claims, ProofReport) else list(claims)
    if not results:
        raise AssertionError(f"eq. {label}: certify() needs at least one claim, got none")
    for i, r in enumerate(results):
        if not isinstance(r, Claim):
            raise _not_a_claim(label, f"claim {i}", r)
    bad = [i for i, r in enumerate(results) if not r]
    if bad:
        raise AssertionError(
            f"eq. {label} is NOT proven: claims {bad} of {len(results)} do not hold"
        )
    trivial = [i for i, r in enumerate(results) if r.trivial]
    if trivial:
        first = results[trivial[0]]
        raise ValueError(
            f"eq. {label}: claims {trivial} compare an expression with itself (e.g. "
            f"{str(first.lhs)[:60]!r} on both sides), so they cannot fail; compare the "
            "formula with SymPy's derivative (net.proves) or with an expression built another way"
        )
    wrong = list(refuted)
    caught = []
    for i, w in enumerate(wrong):
        parts = list(w) if isinstance(w, (list, tuple)) else [w]
        if not parts:
            raise TypeError(f"eq. {label}: wrong version {i} is an empty list of claims")
        for part in parts:
            if not isinstance(part, Claim):
                raise _not_a_claim(label, f"wrong version {i}", part)
        if all(parts):
            caught.append(i)
    if caught:
        raise AssertionError(
            f"eq. {label}: wrong versions {caught} were not refuted (each must be False)"
        )
    fingerprints = sorted({r.fingerprint for r in results})
    n = len(fingerprints)
    counted = f"{n} claim{'s' * (n != 1)}"
    extra = f", {len(wrong)} wrong form{'s' * (len(wrong) != 1)} refuted" if wrong else ""
    print(f"eq. {label}: proven ({counted}{extra})")
    _record(label, fingerprints)
