"""Time what a user calls to train: nnlib, its readable loop, NumPy's matrix products alone and PyTorch.

Prints two tables and (a full run, or any run with ``--save``) writes them to
``benchmarks/results/train_step.json`` and ``train_step.md``, with the machine it
was measured on; asserts nothing about time.  Every number is the median of several
repetitions, measured side by side in rounds (one repetition of each contender per
round, in rotating order), with one BLAS thread.  Run from the repository root:

    python benchmarks/bench_train_step.py                     # the full tables
    python benchmarks/bench_train_step.py --quick             # fewer repetitions, no large float64
    python benchmarks/bench_train_step.py --baseline e88b682  # also time nnlib as of that commit

1. **Full-batch steps** (tiny, medium, large): one call ``train(net, X, Y, lr=...,
   epochs=1, batch_size=len(X))`` is one step of gradient descent; the table also
   gives the step alone (what one more epoch adds to a call) and the call with the
   exact J recorded (``exact_cost=True``).
2. **Minibatch epochs** (the medium shape, 4,096 samples, batches of 64 and 256):
   one call ``train(..., epochs=1, batch_size=b)``, shuffled as by default.

Each is compared with the time NumPy alone takes for the same matrix products at
the same shapes (the share of that time is the "% of GEMM rate"), with PyTorch CPU
when it is installed (the same steps, autograd, one thread), and with ``--baseline``
with the library as it was at an earlier commit (``git archive`` of its ``nnlib/``,
imported under another name).  All contenders compute the same thing: sigmoid on
every layer, no biases, the squared-error loss summed over output nodes and averaged
over the batch, and plain SGD ``W -= lr * dJ/dW``.  See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import importlib
import io
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from nnlib import Network, train, train_plain

try:
    import torch
except ImportError:  # PyTorch is optional: its columns are then left out
    torch = None

LR = 0.05
RESULTS = Path(__file__).resolve().parent / "results"
#: How many more epochs the longer of the two timed calls runs, per shape (see ``step_times``).
EXTRA_EPOCHS = {"tiny": 10, "medium": 5, "large": 2}
SHAPES = {
    "tiny": ([4, 8, 8, 1], 1),
    "medium": ([784, 256, 256, 10], 256),
    "large": ([1024, 1024, 1024, 1024, 10], 512),
}
#: Minibatch epochs: the medium shape on this many samples, in batches of these sizes.
EPOCH_SAMPLES = 4096
EPOCH_BATCHES = (64, 256)

#: nnlib as of an earlier commit (``--baseline``), or None.
baseline: ModuleType | None = None
baseline_rev: str | None = None


def load_baseline(rev: str) -> ModuleType:
    """Import ``nnlib/`` as it was at git revision ``rev``, as the package ``nnlib_baseline``."""
    root = Path(__file__).resolve().parents[1]
    try:
        tar = subprocess.run(
            ["git", "archive", rev, "nnlib"], cwd=root, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise SystemExit(f"--baseline {rev}: git archive failed: {e}") from e
    where = Path(tempfile.mkdtemp(prefix="nnlib-baseline-"))
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        archive.extractall(where, filter="data")
    (where / "nnlib").rename(where / "nnlib_baseline")
    sys.path.insert(0, str(where))
    return importlib.import_module("nnlib_baseline")


def baseline_call(net: Network, X: np.ndarray, Y: np.ndarray, **settings) -> Callable[[], object]:
    """The same ``train`` call in the baseline library, on a network with the same weights."""
    old = baseline.Network(
        list(net.sizes), activation="sigmoid", loss="squared", seed=0, dtype=net.dtype
    )
    for k in net.layers:
        old.W[k][...] = net.W[k]
    return lambda: baseline.train(old, X, Y, lr=LR, **settings)


# --- the contenders ---------------------------------------------------------------------


def make_problem(sizes: list[int], n: int, dtype: type) -> tuple[Network, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1)
    net = Network(sizes, activation="sigmoid", loss="squared", seed=0, dtype=dtype)
    X = rng.normal(size=(n, sizes[0])).astype(dtype)
    Y = rng.random(size=(n, sizes[-1])).astype(dtype)
    return net, X, Y


def nnlib_step(
    net: Network, X: np.ndarray, Y: np.ndarray, epochs: int = 1, exact_cost: bool = False
) -> Callable[[], object]:
    """The public training call on one full batch, for ``epochs`` epochs."""
    n = len(X)
    return lambda: train(net, X, Y, lr=LR, epochs=epochs, batch_size=n, exact_cost=exact_cost)


def plain_step(net: Network, X: np.ndarray, Y: np.ndarray, epochs: int = 1) -> Callable[[], object]:
    """The book's readable loop, ``train_plain``, on one full batch, for ``epochs`` epochs.

    Each epoch is ``net.step(net.backward(net.forward(X), Y), lr)``.
    """
    n = len(X)
    return lambda: train_plain(net, X, Y, lr=LR, epochs=epochs, batch_size=n)


def _torch_sgd(Ws: list, xb, yb) -> float:
    """One step in PyTorch: raw tensors, autograd, manual SGD update."""
    h = xb
    for W in Ws:
        h = torch.sigmoid(h @ W.T)
    J = 0.5 * ((h - yb) ** 2).sum(dim=1).mean()
    J.backward()
    with torch.no_grad():
        for W in Ws:
            W.add_(W.grad, alpha=-LR)
            W.grad = None
    return J.item()


def torch_step(net: Network, X: np.ndarray, Y: np.ndarray) -> Callable[[], float]:
    """The same full-batch step in PyTorch."""
    Ws = [torch.from_numpy(net.W[k].copy()).requires_grad_() for k in net.layers]
    Xt, Yt = torch.from_numpy(X.copy()), torch.from_numpy(Y.copy())
    return lambda: _torch_sgd(Ws, Xt, Yt)


def torch_epoch(net: Network, X: np.ndarray, Y: np.ndarray, batch: int) -> Callable[[], None]:
    """One epoch of shuffled minibatch steps in PyTorch (a new order every call)."""
    Ws = [torch.from_numpy(net.W[k].copy()).requires_grad_() for k in net.layers]
    Xt, Yt = torch.from_numpy(X.copy()), torch.from_numpy(Y.copy())
    gen = torch.Generator().manual_seed(0)

    def epoch() -> None:
        order = torch.randperm(len(Xt), generator=gen)
        for start in range(0, len(Xt), batch):
            idx = order[start : start + batch]
            _torch_sgd(Ws, Xt[idx], Yt[idx])

    return epoch


def naive_weights(net: Network) -> list[list[list[float]]]:
    """The weights as nested Python lists: ``Ws[k-1][i-1][j-1]`` is W^(k)_ij."""
    return [net.W[k].astype(float).tolist() for k in net.layers]


def _sigmoid(s: float) -> float:
    if s >= 0:
        return 1.0 / (1.0 + math.exp(-s))
    e = math.exp(s)
    return e / (1.0 + e)


def naive_grads(Ws: list, x: list[float], y: list[float], grads: list) -> float:
    """Add one sample's dLoss/dW to ``grads``, one weight at a time (the paper's scalar equations).

    Forward: z_i = sum_j W_ij h_j, h_i = g(z_i).  Backward: dLoss/dz = (h - y) g'(z);
    dLoss/dW_ij = dLoss/dz_i h_j; dLoss/dz^(k-1)_j = sum_i dLoss/dz^(k)_i W_ij g'(z^(k-1)_j).
    """
    hs = [x]
    for W in Ws:
        prev, out = hs[-1], []
        for row in W:
            s = 0.0
            for j in range(len(prev)):
                s += row[j] * prev[j]
            out.append(_sigmoid(s))
        hs.append(out)
    top = hs[-1]
    loss = 0.0
    dz = []
    for i in range(len(top)):
        loss += 0.5 * (top[i] - y[i]) ** 2
        dz.append((top[i] - y[i]) * top[i] * (1.0 - top[i]))
    for k in range(len(Ws) - 1, -1, -1):
        W, G, prev = Ws[k], grads[k], hs[k]
        back = [0.0] * len(prev)
        for i in range(len(W)):
            for j in range(len(prev)):
                G[i][j] += dz[i] * prev[j]
                back[j] += dz[i] * W[i][j]
        if k > 0:
            dz = [back[j] * prev[j] * (1.0 - prev[j]) for j in range(len(prev))]
    return loss


def naive_update(Ws: list, grads: list, lr: float, n: int) -> None:
    """W_ij -= lr * (mean gradient)_ij, one weight at a time."""
    for W, G in zip(Ws, grads, strict=True):
        for i in range(len(W)):
            row, grow = W[i], G[i]
            for j in range(len(row)):
                row[j] -= lr * grow[j] / n


def naive_step(net: Network, X: np.ndarray, Y: np.ndarray, samples: int) -> Callable[[], None]:
    """A naive step over the first ``samples`` rows; the batch's mean uses len(X)."""
    Ws, Xl, Yl, n = naive_weights(net), X.astype(float).tolist(), Y.astype(float).tolist(), len(X)

    def step() -> None:
        grads = [[[0.0] * len(row) for row in W] for W in Ws]
        for t in range(samples):
            naive_grads(Ws, Xl[t], Yl[t], grads)
        naive_update(Ws, grads, LR, n)

    step.weights = Ws
    return step


def check_naive_matches(sizes: list[int]) -> None:
    """The naive loop, train_plain and train take the same step (a correctness check, not a timing one)."""
    net, X, Y = make_problem(sizes, 3, np.float64)
    fast = net.copy()
    step = naive_step(net, X, Y, samples=len(X))
    step()
    train_plain(net, X, Y, lr=LR, epochs=1, batch_size=len(X))
    train(fast, X, Y, lr=LR, epochs=1, batch_size=len(X))
    for k, W in zip(net.layers, step.weights, strict=True):
        np.testing.assert_allclose(np.array(W), net.W[k], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(fast.W[k], net.W[k], rtol=1e-12, atol=1e-14)


# --- GEMM reference -----------------------------------------------------------------------


def step_gemms(sizes: list[int], n: int, dtype: type) -> tuple[Callable, Callable, float, float]:
    """Only the matrix products a step performs, with preallocated outputs, and their flops.

    Returns ``(forward, backward, forward_flops, backward_flops)``.  Forward:
    z^(k) = h^(k-1) W^(k)T for every layer.  Backward: dW^(k) = dz^(k)T h^(k-1) for every
    layer and dz^(k) W^(k) for k >= 2 (the product for k = 1 is not needed).
    """
    rng = np.random.default_rng(2)
    top = len(sizes) - 1

    def arrays(shape: tuple[int, int]) -> np.ndarray:
        return rng.random(shape).astype(dtype)

    layers = range(1, top + 1)
    h = [arrays((n, s)) for s in sizes]  # inputs of the products: never overwritten
    dz = [None] + [arrays((n, sizes[k])) for k in layers]
    W = [None] + [arrays((sizes[k], sizes[k - 1])) for k in layers]
    z = [None] + [np.empty((n, sizes[k]), dtype) for k in layers]  # outputs
    dW = [None] + [np.empty_like(W[k]) for k in layers]
    back = [np.empty((n, s), dtype) for s in sizes]
    fwd_flops = sum(2 * n * sizes[k] * sizes[k - 1] for k in layers)
    bwd_flops = fwd_flops + sum(2 * n * sizes[k] * sizes[k - 1] for k in layers if k > 1)

    def forward() -> None:
        for k in layers:
            np.dot(h[k - 1], W[k].T, out=z[k])

    def backward() -> None:
        for k in reversed(layers):
            np.dot(dz[k].T, h[k - 1], out=dW[k])
            if k > 1:
                np.dot(dz[k], W[k], out=back[k - 1])

    return forward, backward, fwd_flops, bwd_flops


def epoch_gemms(sizes: list[int], n: int, batch: int, dtype: type) -> Callable[[], None]:
    """The matrix products of one epoch of ``n`` samples in batches of ``batch`` rows."""
    full = step_gemms(sizes, batch, dtype)
    rest = step_gemms(sizes, n % batch, dtype) if n % batch else None

    def epoch() -> None:
        for _ in range(n // batch):
            full[0]()
            full[1]()
        if rest is not None:
            rest[0]()
            rest[1]()

    return epoch


def square_gemm_rate(dtype: type, reps: int) -> float:
    """GFLOP/s of a representative (512 x 1024) @ (1024 x 1024) product."""
    rng = np.random.default_rng(3)
    A = rng.random((512, 1024)).astype(dtype)
    B = rng.random((1024, 1024)).astype(dtype)
    C = np.empty((512, 1024), dtype)
    t = statistics.median(timed(lambda: np.matmul(A, B, out=C), reps, 1))
    return 2 * 512 * 1024 * 1024 / t / 1e9


# --- timing -------------------------------------------------------------------------------


def timed(fn: Callable[[], object], reps: int, inner: int) -> list[float]:
    """``reps`` timings of ``inner`` consecutive calls, each divided by ``inner``."""
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        out.append((time.perf_counter() - t0) / inner)
    return out


def side_by_side(
    contenders: dict[str, Callable[[], object]], reps: int, inner: int, slow: set[str] = frozenset()
) -> dict:
    """Per-round times of each contender, timed in interleaved rounds.

    Each round times every contender once (in a rotating order), so that a
    burst of load on a shared machine hits all of them alike; ratios are then
    taken round by round.  The contenders named in ``slow`` (several epochs
    per call) are called a tenth as often per round.
    """
    for fn in contenders.values():  # warm up: caches, workspaces, allocator
        for _ in range(max(2, min(inner, 50))):
            fn()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for r in range(reps):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            times[name] += timed(
                contenders[name], 1, max(1, inner // 10) if name in slow else inner
            )
    return times


def ratio(times: dict[str, list[float]], a: str, b: str) -> float:
    """The median over rounds of time(a) / time(b)."""
    return statistics.median(x / y for x, y in zip(times[a], times[b], strict=True))


def step_times(times: dict[str, list[float]], name: str, extra: int) -> list[float]:
    """Per round, the time one more epoch adds: (time of 1 + extra epochs - time of 1) / extra."""
    one, more = times[f"{name} 1 epoch"], times[f"{name} {1 + extra} epochs"]
    return [(b - a) / extra for a, b in zip(one, more, strict=True)]


def memory_growth(net: Network, X: np.ndarray, Y: np.ndarray, steps: int = 100) -> tuple[int, int]:
    """Bytes allocated and not freed over ``steps`` training calls, and the peak during them.

    Measured with tracemalloc (NumPy reports its array memory to it) after a
    few steps, so that one-time allocations (the cached workspace) are not counted.
    """
    step = nnlib_step(net, X, Y)
    for _ in range(3):
        step()
    tracemalloc.start()
    for _ in range(5):
        step()
    gc.collect()
    start = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    for _ in range(steps):
        step()
    gc.collect()
    end, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return end - start, peak - start


# --- report -------------------------------------------------------------------------------


@dataclass
class Row:
    """One full-batch shape and dtype."""

    shape: str
    dtype: str
    nnlib: float  # the step alone: what one more epoch adds to a call
    call: float  # one call of train, one epoch, as a user makes it
    call_exact: float  # the same call with exact_cost=True
    plain: float
    naive: float | None = None
    naive_note: str = ""
    torch: float | None = None
    vs_torch: float | None = None  # the call / PyTorch's step
    gemm: float | None = None
    gemm_rate: float | None = None
    of_gemm: float | None = None  # GEMM time / the call
    step_of_gemm: float | None = None  # GEMM time / the step alone
    vs_baseline: float | None = None  # the call now / the same call in the baseline
    split: tuple[float, float, float, float, float, float] | None = None
    growth: int | None = None
    peak: int | None = None
    stays: bool | None = None


@dataclass
class EpochRow:
    """One epoch of minibatch steps on the medium shape."""

    batch: int
    dtype: str
    call: float
    call_exact: float
    gemm: float
    of_gemm: float
    torch: float | None = None
    vs_torch: float | None = None
    vs_baseline: float | None = None


def fmt_time(t: float | None) -> str:
    if t is None:
        return "—"
    if t < 1e-3:
        return f"{t * 1e6:.1f} µs"
    if t < 1.0:
        return f"{t * 1e3:.2f} ms"
    return f"{t:.2f} s"


def fmt_ratio(x: float) -> str:
    return f"{x:.2f}x" if x < 10 else f"{x:.0f}x"


def fmt_bytes(b: int | None) -> str:
    if b is None:
        return "—"
    return f"{b} B" if abs(b) < 10_000 else f"{b / 1024:.0f} KiB"


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (or what the platform module knows)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def load_average() -> str:
    """The 1, 5 and 15-minute load averages, or "unknown"."""
    try:
        return "/".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def blas_libraries() -> list[str]:
    return [
        f"{i['internal_api']} {i.get('version')} ({i.get('architecture', '?')} kernels)"
        for i in threadpool_info()
        if i["user_api"] == "blas"
    ]


def machine(load: str) -> list[str]:
    blas = blas_libraries()
    lines = [
        f"CPU: {cpu_model()}, {os.cpu_count()} cores; 1 BLAS thread; "
        f"load average {load} at the start (other processes share the cores)",
        f"Python {platform.python_version()}, NumPy {np.__version__} with {', '.join(blas) or '?'}",
        "OPENBLAS_CORETYPE="
        + os.environ.get("OPENBLAS_CORETYPE", "(unset)")
        + ", OPENBLAS_L2_SIZE="
        + os.environ.get("OPENBLAS_L2_SIZE", "(unset)"),
    ]
    if baseline is not None:
        lines.append(f"Baseline: nnlib as of commit {baseline_rev} (the 'vs before' columns)")
    if torch is not None:
        lines.append(
            f"PyTorch {torch.__version__} (CPU capability {torch.backends.cpu.get_cpu_capability()},"
            f" {torch.get_num_threads()} thread)"
        )
    else:
        lines.append("PyTorch not installed: its columns are left out")
    return lines


def run(quick: bool, only: list[str], save: bool, epochs: bool) -> None:
    if torch is not None:
        torch.set_num_threads(1)
    load = load_average()
    header = machine(load)
    rates = {}
    for dt in (np.float64, np.float32):
        rates[np.dtype(dt).name] = square_gemm_rate(dt, 5 if quick else 15)
        header.append(
            f"NumPy GEMM (512x1024)@(1024x1024), {np.dtype(dt).name}: "
            f"{rates[np.dtype(dt).name]:.1f} GFLOP/s"
        )
    print("\n".join(header))
    check_naive_matches([3, 4, 2])
    rows = []
    for name in only:
        sizes, n = SHAPES[name]
        for dt in (np.float64, np.float32):
            if quick and name == "large" and dt == np.float64:
                continue
            rows.append(measure(name, sizes, n, dt, quick))
            print(f"  measured {name} {np.dtype(dt).name}", file=sys.stderr)
    epoch_rows = []
    if epochs:
        for dt in (np.float64, np.float32):
            for batch in EPOCH_BATCHES:
                epoch_rows.append(measure_epoch(batch, dt, quick))
                print(f"  measured epochs of batch {batch} {np.dtype(dt).name}", file=sys.stderr)
    table = table_lines(rows, epoch_rows)
    print()
    print("\n".join(table))
    if save:
        save_results(rows, epoch_rows, table, header, rates, quick, load)


def measure(name: str, sizes: list[int], n: int, dt: type, quick: bool) -> Row:
    reps = {"tiny": 15, "medium": 25, "large": 7}[name]
    inner = {"tiny": 200, "medium": 2, "large": 1}[name]
    if quick:
        reps, inner = {"tiny": (7, 100), "medium": (7, 1), "large": (5, 1)}[name]
    extra = EXTRA_EPOCHS[name]
    net, X, Y = make_problem(sizes, n, dt)
    more = f"{1 + extra} epochs"
    contenders: dict[str, Callable[[], object]] = {
        "nnlib 1 epoch": nnlib_step(net, X, Y),
        f"nnlib {more}": nnlib_step(net, X, Y, 1 + extra),
        "nnlib exact": nnlib_step(net.copy(), X, Y, exact_cost=True),
    }
    if baseline is not None:
        contenders["baseline"] = baseline_call(net, X, Y, epochs=1, batch_size=n)
    plain_net = net.copy()
    contenders["plain 1 epoch"] = plain_step(plain_net, X, Y)
    contenders[f"plain {more}"] = plain_step(plain_net, X, Y, 1 + extra)
    if torch is not None:
        contenders["torch"] = torch_step(net, X, Y)
    if name != "tiny":
        contenders["gemm forward"], contenders["gemm backward"], ff, fb = step_gemms(sizes, n, dt)
    times = side_by_side(contenders, reps, inner, slow={f"nnlib {more}", f"plain {more}"})
    times["nnlib"] = step_times(times, "nnlib", extra)
    times["plain"] = step_times(times, "plain", extra)
    if name != "tiny":
        times["gemm"] = [
            f + b for f, b in zip(times["gemm forward"], times["gemm backward"], strict=True)
        ]
    t = {name: statistics.median(ts) for name, ts in times.items()}
    row = Row(name, np.dtype(dt).name, t["nnlib"], t["nnlib 1 epoch"], t["nnlib exact"], t["plain"])
    if torch is not None:
        row.torch, row.vs_torch = t["torch"], ratio(times, "nnlib 1 epoch", "torch")
    if baseline is not None:
        row.vs_baseline = ratio(times, "nnlib 1 epoch", "baseline")
    if name != "tiny":
        row.gemm, row.gemm_rate = t["gemm"], (ff + fb) / t["gemm"] / 1e9
        row.of_gemm = ratio(times, "gemm", "nnlib 1 epoch")
        row.step_of_gemm = ratio(times, "gemm", "nnlib")
        rest = [s - g for s, g in zip(times["nnlib"], times["gemm"], strict=True)]
        row.split = (
            t["gemm forward"],
            t["gemm backward"],
            ff / 1e9,
            fb / 1e9,
            statistics.median(rest),
            statistics.median(r / s for r, s in zip(rest, times["nnlib"], strict=True)),
        )
    if dt == np.float64 and name in ("tiny", "medium"):
        samples = n if name == "tiny" else (2 if quick else 8)
        naive = naive_step(net.copy(), X, Y, samples)
        tn = statistics.median(timed(naive, 5, 200 if name == "tiny" else 1))
        if samples < n:
            update = naive_step(net.copy(), X, Y, 0)  # the per-weight update alone
            tu = statistics.median(timed(update, 5, 1))
            row.naive = (tn - tu) * n / samples + tu
            row.naive_note = f"extrapolated from {samples} of {n} samples"
        else:
            row.naive = tn
    if not (quick and name == "large"):
        row.growth, row.peak = memory_growth(net, X, Y, 100)
    train(net, X, Y, lr=LR, epochs=1, batch_size=n)
    row.stays = all(w.dtype == dt for w in net.W.values())
    return row


def measure_epoch(batch: int, dt: type, quick: bool) -> EpochRow:
    """One epoch of shuffled minibatches of the medium shape, side by side."""
    sizes = SHAPES["medium"][0]
    net, X, Y = make_problem(sizes, EPOCH_SAMPLES, dt)
    settings = dict(epochs=1, batch_size=batch, seed=0)
    contenders: dict[str, Callable[[], object]] = {
        "nnlib": lambda: train(net, X, Y, lr=LR, **settings),
        "nnlib exact": lambda: train(net, X, Y, lr=LR, exact_cost=True, **settings),
        "gemm": epoch_gemms(sizes, EPOCH_SAMPLES, batch, dt),
    }
    if torch is not None:
        contenders["torch"] = torch_epoch(net, X, Y, batch)
    if baseline is not None:
        contenders["baseline"] = baseline_call(net, X, Y, **settings)
    times = side_by_side(contenders, 5 if quick else 11, 1)
    t = {name: statistics.median(ts) for name, ts in times.items()}
    row = EpochRow(
        batch,
        np.dtype(dt).name,
        t["nnlib"],
        t["nnlib exact"],
        t["gemm"],
        ratio(times, "gemm", "nnlib"),
    )
    if torch is not None:
        row.torch, row.vs_torch = t["torch"], ratio(times, "nnlib", "torch")
    if baseline is not None:
        row.vs_baseline = ratio(times, "nnlib", "baseline")
    return row


def fmt_share(x: float | None) -> str:
    """A share of the GEMM-only rate; never above 100 % (the difference is noise)."""
    if x is None:
        return "—"
    return f"{100 * x:.0f}%" if x <= 1.0 else "≈100% (within noise)"


COLUMNS = [
    "shape",
    "dtype",
    "train call, 1 epoch",
    "% of GEMM rate (call)",
    "call / PyTorch step",
    "call now / before",
    "the step alone",
    "% of GEMM rate (step)",
    "call with exact_cost=True",
    "train_plain, per epoch",
    "naive per-weight loop",
    "naive / step",
    "PyTorch step",
    "GEMMs alone",
    "memory growth over 100 calls (peak)",
    "dtype kept",
]

EPOCH_COLUMNS = [
    "batch",
    "dtype",
    "train call, 1 epoch",
    "% of GEMM rate",
    "call / PyTorch epoch",
    "call now / before",
    "call with exact_cost=True",
    "PyTorch epoch",
    "GEMMs alone",
]

NOTE = (
    "Times are medians; ratios are medians of the ratios within each round. "
    "'train call, 1 epoch' is what a user calls: train(net, X, Y, lr=..., epochs=1, "
    "batch_size=...) with validation, the steps and the history (the running cost, which "
    "the steps' own forward passes measure). 'the step alone' is what one more full-batch "
    "epoch adds to such a call. 'call with exact_cost=True' also records the exact J of the "
    "whole training set before and after the epoch. 'train_plain, per epoch' is what one "
    "more epoch adds to the readable loop (Network.forward/backward/step). '% of GEMM rate' "
    "is the time NumPy alone takes for the same matrix products at the same shapes (forward "
    "and backward) divided by nnlib's time; a share that comes out above 100% is printed "
    "as within noise. 'call now / before' is this library against the --baseline commit. "
    "PyTorch: the same steps with autograd, one thread. The naive loop uses Python floats "
    "(float64) only."
)


def cells(r: Row) -> list[str]:
    sizes, n = SHAPES[r.shape]
    naive = fmt_time(r.naive) + (f" ({r.naive_note})" if r.naive_note else "")
    return [
        f"{r.shape} {'-'.join(map(str, sizes))}, batch {n}",
        r.dtype,
        fmt_time(r.call),
        fmt_share(r.of_gemm),
        f"{r.vs_torch:.2f}x" if r.vs_torch else "—",
        f"{r.vs_baseline:.2f}x" if r.vs_baseline else "—",
        fmt_time(r.nnlib),
        fmt_share(r.step_of_gemm),
        fmt_time(r.call_exact),
        fmt_time(r.plain),
        naive,
        fmt_ratio(r.naive / r.nnlib) if r.naive else "—",
        fmt_time(r.torch),
        f"{fmt_time(r.gemm)} ({r.gemm_rate:.1f} GFLOP/s)" if r.gemm else "—",
        f"{fmt_bytes(r.growth)} ({fmt_bytes(r.peak)})" if r.growth is not None else "—",
        "yes" if r.stays else "no",
    ]


def epoch_cells(r: EpochRow) -> list[str]:
    return [
        f"medium, {EPOCH_SAMPLES} samples, batch {r.batch}",
        r.dtype,
        fmt_time(r.call),
        fmt_share(r.of_gemm),
        f"{r.vs_torch:.2f}x" if r.vs_torch else "—",
        f"{r.vs_baseline:.2f}x" if r.vs_baseline else "—",
        fmt_time(r.call_exact),
        fmt_time(r.torch),
        fmt_time(r.gemm),
    ]


def split_lines(rows: list[Row]) -> list[str]:
    out = []
    for r in rows:
        if r.split:
            tf, tb, ff, fb, rest, share = r.split
            rest_text = (
                f"{fmt_time(rest)} ({100 * share:.0f}% of the step)"
                if rest > 0
                else "within measurement noise of zero"
            )
            out.append(
                f"{r.shape} {r.dtype}: forward GEMMs {fmt_time(tf)} ({ff:.2f} GFLOP), "
                f"backward GEMMs {fmt_time(tb)} ({fb:.2f} GFLOP, {tb / tf:.2f}x forward), "
                f"everything else {rest_text}"
            )
    return out


def markdown(columns: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    return lines + ["| " + " | ".join(r) + " |" for r in rows]


def table_lines(rows: list[Row], epoch_rows: list[EpochRow]) -> list[str]:
    """The two tables in Markdown, then the GEMM split and the note."""
    lines = ["Full-batch steps:", "", *markdown(COLUMNS, [cells(r) for r in rows])]
    if epoch_rows:
        lines += ["", "Minibatch epochs:", ""]
        lines += markdown(EPOCH_COLUMNS, [epoch_cells(r) for r in epoch_rows])
    return [*lines, "", *split_lines(rows), "", NOTE]


def save_results(
    rows: list[Row],
    epoch_rows: list[EpochRow],
    table: list[str],
    header: list[str],
    rates: dict,
    quick: bool,
    load: str,
) -> None:
    """Write the table and every number, with the machine, to benchmarks/results/."""
    RESULTS.mkdir(exist_ok=True)
    blas = blas_libraries()
    data = {
        "benchmark": "training calls (benchmarks/bench_train_step.py)",
        "baseline": baseline_rev,
        "date": datetime.date.today().isoformat(),
        "quick": quick,
        "machine": {
            "cpu": cpu_model(),
            "cores": os.cpu_count(),
            "load_average": {"start": load, "end": load_average()},
            "blas_threads": 1,
            "python": platform.python_version(),
            "numpy": np.__version__,
            "blas": blas,
            "torch": None if torch is None else torch.__version__,
            "env": {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")},
            "gemm_gflops": {k: round(v, 1) for k, v in rates.items()},
        },
        "units": "seconds (times), bytes (memory)",
        "columns": COLUMNS,
        "note": NOTE,
        "rows": [
            {
                "shape": r.shape,
                "sizes": SHAPES[r.shape][0],
                "batch": SHAPES[r.shape][1],
                "dtype": r.dtype,
                "nnlib_step": r.nnlib,
                "train_call_1_epoch": r.call,
                "train_call_1_epoch_exact_cost": r.call_exact,
                "call_share_of_gemm_rate": r.of_gemm,
                "call_over_torch": r.vs_torch,
                "call_over_baseline": r.vs_baseline,
                "train_plain_per_epoch": r.plain,
                "naive_step": r.naive,
                "naive_note": r.naive_note or None,
                "torch_step": r.torch,
                "gemm_time": r.gemm,
                "gemm_gflops": r.gemm_rate,
                "step_share_of_gemm_rate": r.step_of_gemm,
                "split": None
                if r.split is None
                else dict(
                    zip(
                        (
                            "gemm_forward",
                            "gemm_backward",
                            "gflop_forward",
                            "gflop_backward",
                            "rest",
                            "rest_share",
                        ),
                        r.split,
                        strict=True,
                    )
                ),
                "memory_growth_100_calls": r.growth,
                "memory_peak_100_calls": r.peak,
                "dtype_kept": r.stays,
                "table": dict(zip(COLUMNS, cells(r), strict=True)),
            }
            for r in rows
        ],
        "epoch_columns": EPOCH_COLUMNS,
        "epoch_rows": [
            {
                "sizes": SHAPES["medium"][0],
                "samples": EPOCH_SAMPLES,
                "batch": r.batch,
                "dtype": r.dtype,
                "train_call_1_epoch": r.call,
                "train_call_1_epoch_exact_cost": r.call_exact,
                "gemm_time": r.gemm,
                "call_share_of_gemm_rate": r.of_gemm,
                "torch_epoch": r.torch,
                "call_over_torch": r.vs_torch,
                "call_over_baseline": r.vs_baseline,
                "table": dict(zip(EPOCH_COLUMNS, epoch_cells(r), strict=True)),
            }
            for r in epoch_rows
        ],
    }
    (RESULTS / "train_step.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    md = [
        "# Training calls: measured",
        "",
        "Written by `benchmarks/bench_train_step.py`"
        + (" `--quick`" if quick else "")
        + f" on {data['date']}; see `benchmarks/README.md` for what each column measures.",
        "",
        *(f"- {line}" for line in header),
        "",
        *table,
        "",
    ]
    (RESULTS / "train_step.md").write_text("\n".join(md))
    print(f"\nwrote {RESULTS.name}/train_step.json and train_step.md", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, no large float64")
    parser.add_argument(
        "--shapes", default="tiny,medium,large", help="comma-separated subset of tiny,medium,large"
    )
    parser.add_argument(
        "--baseline", metavar="REV", help="also time nnlib as of this git commit, side by side"
    )
    parser.add_argument(
        "--no-epochs", action="store_true", help="leave out the minibatch-epoch table"
    )
    saving = parser.add_mutually_exclusive_group()
    saving.add_argument(
        "--save", action="store_true", help="write benchmarks/results/ after a --quick run too"
    )
    saving.add_argument(
        "--no-save", action="store_true", help="print only; leave benchmarks/results/ alone"
    )
    args = parser.parse_args()
    only = [s for s in args.shapes.split(",") if s]
    unknown = set(only) - set(SHAPES)
    if unknown:
        parser.error(f"unknown shapes {sorted(unknown)}; expected some of {list(SHAPES)}")
    global baseline, baseline_rev
    if args.baseline:
        baseline, baseline_rev = load_baseline(args.baseline), args.baseline
    with threadpool_limits(1):
        save = args.save or not (args.quick or args.no_save)
        run(args.quick, only, save=save, epochs=not args.no_epochs)


if __name__ == "__main__":
    main()
