"""How quickly the explorer of section 3.6 answers, and what its kernel-free version costs.

Three measurements, printed as tables:

* **live explorer**: the time from a control change to the updated figure, as a reader
  with a kernel waits for it -- ``explorer.lr.value = ...`` on an
  :class:`nnlib.explorer.Explorer`, which retrains (``run``), redraws the figure
  (:class:`~nnlib.explorer.ExplorerFigure`), encodes it as PNG and hands it to the image
  widget.  The learning rate alternates between two values so that every change
  retrains.  Median and spread of ``--repeat`` changes (at least 5), wall-clock and CPU
  time, with NumPy's BLAS held to one thread (one core).  Besides the whole change, the
  table splits one change into training, drawing and PNG encoding, and shows what the
  drawing would cost on a fresh figure each time (how the explorer drew before it kept
  its figure).  Rows: the defaults; the largest network the sliders allow (L = 4 layers
  of 16) with a full batch and 200 epochs; and the same network with the paper's
  per-sample updates (100 epochs, the most updates a retrain may take).
* **kernel-free explorer**: the bytes the precomputed explorer adds to the page
  (:func:`nnlib.explorer.static_explorer`'s HTML), its pictures and their sizes, and,
  when a Chromium binary is found (``--chromium``), the time from each control change
  to the decoded new picture and to the next painted frame, for every setting of the grid.
* **build**: the time the build spends precomputing that grid (one call of
  ``static_explorer()``, as the chapter's cell makes it).

Nothing is asserted about time.  Run it with ``python benchmarks/bench_explorer.py``
(``--quick`` for fewer repeats and no grid timing).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import replace

import matplotlib

matplotlib.use("Agg")

from threadpoolctl import threadpool_limits

from nnlib import explorer as nnx
from nnlib.explorer import Explorer, ExplorerFigure, Settings, run

CASES = {
    "defaults": Settings(),
    "largest, full batch": Settings(hidden_layers=4, width=16, epochs=200),
    "largest, per sample": Settings(
        hidden_layers=4, width=16, batch_size=1, epochs=nnx.max_epochs(1)
    ),
}


def _times(action: Callable[[int], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of ``action(i)`` for i = 0 .. repeat-1 (after one warm-up)."""
    action(-1)
    wall, cpu = [], []
    for i in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        action(i)
        wall.append(1e3 * (time.perf_counter() - w))
        cpu.append(1e3 * (time.process_time() - c))
    return wall, cpu


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values):8.1f}"


def live(repeat: int) -> None:
    """The live explorer: a control change to the updated figure, and its parts."""
    header = (
        f"{'settings':<22}{'change wall':>12}{'change cpu':>11}{'min-max wall':>16}"
        f"{'train':>9}{'draw':>9}{'png':>9}{'draw, new fig':>15}"
    )
    print(f"Live explorer: control change -> new figure, ms (median of {repeat}; one thread)")
    print(header)
    print("-" * len(header))
    for name, settings in CASES.items():
        explorer = Explorer(settings)
        rates = (settings.lr, settings.lr / 2)

        def change(i: int, explorer: Explorer = explorer, rates: tuple = rates) -> None:
            explorer.lr.value = rates[i % 2]

        wall, cpu = _times(change, repeat)
        result = run(settings)
        train_wall, _ = _times(lambda i, s=settings: run(s), repeat)
        figure = ExplorerFigure()
        figure.show(run(settings, lr=rates[1]))
        draw_wall, _ = _times(lambda i, f=figure, r=result: f.show(r), repeat)
        png_wall, _ = _times(lambda i, f=figure: f.png(), repeat)
        fresh_wall, _ = _times(lambda i, r=result: ExplorerFigure().show(r), repeat)
        print(
            f"{name:<22}{_ms(wall):>12}{_ms(cpu):>11}"
            f"{f'{min(wall):.0f}-{max(wall):.0f}':>16}"
            f"{_ms(train_wall):>9}{_ms(draw_wall):>9}{_ms(png_wall):>9}{_ms(fresh_wall):>15}"
        )
    print(
        "  change = explorer.lr.value = ...: train + draw + png + widget update;"
        " draw, new fig = the same drawing on a fresh ExplorerFigure\n"
    )


def static(time_grid: bool, chromium: str | None) -> None:
    """The kernel-free explorer: bytes it adds to the page, the build's precompute time,
    and (given a Chromium binary) how fast it switches pictures in the browser."""
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    explorer = nnx.static_explorer()
    wall, cpu = time.perf_counter() - start_wall, time.process_time() - start_cpu
    page = explorer.html()
    pngs = [len(f.png) for f in explorer.frames]
    print("Kernel-free explorer (the chapter's grid)")
    print(
        f"  grid: {len(explorer.learning_rates)} learning rates x "
        f"{len(explorer.hidden_layers)} hidden-layer counts = {len(explorer.frames)} settings"
    )
    print(
        f"  adds {len(page.encode())} bytes to the page ({len(page.encode()) / 1e6:.2f} MB); "
        f"each picture a {nnx.COLOURS}-colour PNG of {statistics.mean(pngs) / 1e3:.1f}"
        f" kB on average ({min(pngs) / 1e3:.1f}-{max(pngs) / 1e3:.1f} kB), base64 in the page"
    )
    if time_grid:
        print(
            f"  build: precomputing the grid took {wall:.1f} s wall, {cpu:.1f} s CPU "
            f"({1e3 * wall / len(explorer.frames):.0f} ms per setting: train, draw, encode)"
        )
    if chromium:
        in_chromium(explorer, chromium)
    # The same grid at a lower level: how much of it is training.
    if time_grid:
        start = time.perf_counter()
        for lr in explorer.learning_rates:
            for L in explorer.hidden_layers:
                run(replace(explorer.base, lr=lr, hidden_layers=L))
        print(f"         of which training alone: {time.perf_counter() - start:.1f} s wall")


#: Set one control as an input event would, and time it: to the decoded picture, and to
#: the next frame the browser paints.
SWITCH_JS = """
async ([name, value]) => {
  const root = document.querySelector('.nnlib-explorer');
  const input = root.querySelector(`input[name=${name}]`);
  const img = root.querySelector('img');
  const t0 = performance.now();
  input.value = String(value);
  input.dispatchEvent(new Event('input', {bubbles: true}));
  await img.decode();
  const decoded = performance.now() - t0;
  await new Promise(resolve => requestAnimationFrame(() => resolve()));
  return [decoded, performance.now() - t0];
}
"""


def in_chromium(explorer: nnx.StaticExplorer, chromium: str) -> None:
    """Time every first visit of a setting in headless Chromium: to the decoded picture
    and to the next painted frame."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_content(f"<!DOCTYPE html><html lang='en'><body>{explorer.html()}</body></html>")
        timings = []
        for position, _ in enumerate(explorer.hidden_layers):
            timings.append(page.evaluate(SWITCH_JS, ["layers", position]))
            for lr_index in range(len(explorer.learning_rates)):
                timings.append(page.evaluate(SWITCH_JS, ["lr", lr_index]))
        browser.close()
    decoded = sorted(t[0] for t in timings)
    painted = sorted(t[1] for t in timings)
    print(
        f"  in Chromium, {len(timings)} control changes: to the decoded picture median "
        f"{statistics.median(decoded):.1f} ms, max {decoded[-1]:.1f} ms; to the next painted "
        f"frame median {statistics.median(painted):.1f} ms, max {painted[-1]:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="changes timed per row (>= 5)")
    parser.add_argument("--quick", action="store_true", help="5 repeats, no grid timing")
    parser.add_argument(
        "--chromium",
        default=shutil.which("chromium") or shutil.which("chromium-browser"),
        help="Chromium binary for the in-browser timing (skipped when there is none)",
    )
    args = parser.parse_args()
    repeat = 5 if args.quick else max(args.repeat, 5)
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, matplotlib {matplotlib.__version__}, "
        f"load average {os.getloadavg()[0]:.1f}\n"
    )
    with threadpool_limits(limits=1):
        live(repeat)
        static(time_grid=not args.quick, chromium=args.chromium)


if __name__ == "__main__":
    main()
