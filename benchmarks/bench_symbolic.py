"""How fast the symbolic proofs run, and why backpropagation reuses earlier derivatives.

For networks from [2, 1, 1] up to five hidden layers this prints one table row:

* ``weights s``: CPU seconds to prove eqs. ``dloss-dw-output`` (3.2) and
  ``dloss-dw`` (3.3) for every weight against SymPy's own derivative, the sum
  of ``diff s`` (SymPy differentiating the loss once per weight: most of the
  time) and ``compare s`` (the exact comparisons);
* ``all s``: CPU seconds for :meth:`SymbolicNetwork.check_all` without the
  update check: every weight and every node (3.1-3.5, matrix form);
* ``naive ops``: the size (``sympy.count_ops``) of SymPy's derivatives of the
  loss with respect to all first-layer weights, summed, as SymPy returns them;
* ``naive ops, folded``: the same with the forward values written as the symbols
  :math:`z^{(k)}_i`, :math:`h^{(k)}_i` (what is left to compute once the forward
  pass is done);
* ``backprop ops``: the size of the backpropagation formulas needed for the same
  gradients -- every :math:`\\partial\\text{Loss}/\\partial z^{(k)}_i` and the
  first-layer :math:`\\partial\\text{Loss}/\\partial W^{(1)}_{ij}` -- each written
  with the earlier derivatives as symbols, as the algorithm reuses them;
* ``paths``: the number of terms of SymPy's derivative for :math:`W^{(1)}_{11}`
  once multiplied out, one per path from that weight to the output.

Nothing is asserted about time.  Run it with ``python benchmarks/bench_symbolic.py``
(``--max-hidden 3`` for a shorter run).
"""

from __future__ import annotations

import argparse
import itertools
import platform
import time

import sympy
from sympy.core.cache import clear_cache

from nnlib.symbolic import SymbolicNetwork

NETWORKS = [
    [2, 1, 1],
    [2, 2, 1],
    [4, 2, 1],
    [4, 3, 3, 1],
    [2, 2, 2, 2, 1],
    [3, 3, 3, 3, 1],
    [2, 2, 2, 2, 2, 1],
    [2, 2, 2, 2, 2, 2, 1],
    [3, 3, 3, 3, 3, 3, 1],
]

COLUMNS = [
    ("network", 22),
    ("L", 2),
    ("weights", 7),
    ("nodes", 5),
    ("diff s", 7),
    ("compare s", 9),
    ("weights s", 9),
    ("all s", 7),
    ("naive ops", 10),
    ("naive ops, folded", 17),
    ("backprop ops", 12),
    ("paths", 6),
]


def prove_weights(sizes: list[int]) -> tuple[float, float]:
    """CPU seconds to prove eqs. 3.2 and 3.3 for every weight of a fresh network.

    Returned in two parts: SymPy's own derivatives of the loss (the reference),
    and the comparisons of the paper's formulas with them.
    """
    clear_cache()
    net = SymbolicNetwork(sizes)
    top = net.L + 1
    start = time.process_time()
    for w in net.parameters():
        net.sympy_derivative(w)  # cached inside net for the proofs below
    diffed = time.process_time()
    proven = [
        net.proves(net.dloss_dW_output(j), net.W[top][0, j - 1]) for j in range(1, sizes[-2] + 1)
    ]
    for k in net.layers:
        for i in range(1, sizes[k] + 1):
            for j in range(1, sizes[k - 1] + 1):
                proven.append(net.proves(net.dloss_dW(k, i, j), net.W[k][i - 1, j - 1]))
    compared = time.process_time()
    if not all(proven):
        raise RuntimeError(f"{sizes}: a weight formula was not proven")
    return diffed - start, compared - diffed


def prove_all(sizes: list[int]) -> float:
    """CPU seconds for check_all (every weight and node) on a fresh network."""
    clear_cache()
    net = SymbolicNetwork(sizes)
    start = time.process_time()
    report = net.check_all(descent=False)
    seconds = time.process_time() - start
    if not report.all_proven:
        raise RuntimeError(f"{sizes}: not proven: {report.failures}")
    return seconds


def sizes_of_expressions(sizes: list[int]) -> tuple[int, int, int, int]:
    """(naive ops, naive ops folded, backprop ops, paths) for the first-layer weights."""
    net = SymbolicNetwork(sizes)
    loss = net.loss_expr()
    first = list(net.W[1])
    naive = [sympy.diff(loss, w) for w in first]
    naive_ops = sum(sympy.count_ops(d) for d in naive)
    folded_ops = sum(sympy.count_ops(net.fold(d)) for d in naive)
    grads = net.backward()
    recursion = [e for k in net.layers for e in grads.dz[k]] + list(grads.dW[1])
    backprop_ops = sum(sympy.count_ops(e) for e in recursion)
    # multiply out SymPy's derivative for W^(1)_11, with g, g', Loss' as plain symbols
    paths = len(sympy.Add.make_args(net.as_polynomial(naive[0])))
    return naive_ops, folded_ops, backprop_ops, paths


def row(values: list[object]) -> str:
    return " | ".join(f"{v!s:>{w}}" for v, (_, w) in zip(values, COLUMNS, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--max-hidden", type=int, default=5, help="largest number of hidden layers L (default 5)"
    )
    args = parser.parse_args()
    print(f"SymPy {sympy.__version__}, Python {platform.python_version()}; times are CPU seconds")
    prove_all([2, 2, 1])  # warm up: SymPy imports parts of itself on first use
    print(row([name for name, _ in COLUMNS]))
    print("-|-".join("-" * w for _, w in COLUMNS))
    for sizes in NETWORKS:
        L = len(sizes) - 2
        if L > args.max_hidden:
            continue
        weights = sum(a * b for a, b in itertools.pairwise(sizes))
        nodes = sum(sizes[1:])
        t_diff, t_compare = prove_weights(sizes)
        t_all = prove_all(sizes)
        naive, folded, backprop, paths = sizes_of_expressions(sizes)
        times = [t_diff, t_compare, t_diff + t_compare, t_all]
        values = [sizes, L, weights, nodes, *(f"{t:.2f}" for t in times)]
        print(row([*values, naive, folded, backprop, paths]), flush=True)


if __name__ == "__main__":
    main()
