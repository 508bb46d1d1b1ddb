"""What the kernel-free stepper costs: bytes added to its page, and the time a step change takes.

Two tables:

* **page weight**: the bytes :func:`nnlib.stepper.stepper`'s HTML block adds to a page
  (the worked example by default), split into the drawing (inline SVG), the steps (JSON),
  the script, the style and the rest (controls, text); and how long making it takes in
  Python (as the book's build does, once).
* **step change in Chromium**: the stepper is written into a page of its own that loads
  MathJax 3 from the local copy the book serves (``django-static-mathjax``), opened over a
  local HTTP server in headless Chromium with every other request aborted; every step
  change (Next through all steps, then Previous back to the start, ``--rounds`` times)
  is timed from the click to the equations typeset, and to the next painted frame.  The
  page typesets every step's equations once, in the background after it has loaded, and
  a step change then swaps typeset nodes; the table gives how long after the start of
  loading that was done ("ready"), and times the step changes after it.  The same is
  measured on the page without MathJax (script only, LaTeX shown as text).  Median and
  largest, in milliseconds.

Nothing is asserted about time.  Run it with ``python benchmarks/bench_stepper.py``
(``--rounds 1`` for a quick run; ``--chromium PATH`` for another browser binary).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import importlib.resources
import os
import re
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from nnlib.stepper import stepper

#: Click Next or Previous and time it: to the equations typeset, and to the next frame.
STEP_JS = """
async ([root, which]) => {
  const r = document.getElementById(root);
  const t0 = performance.now();
  r.querySelector(which).click();
  await r.nnsRendered;
  const typeset = performance.now() - t0;
  await new Promise(resolve => requestAnimationFrame(() => resolve()));
  return [typeset, performance.now() - t0];
}
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log."""


def page_weight() -> tuple[list[tuple[str, int]], float, Any]:
    """The stepper's bytes by part, and the seconds it took to make."""
    started = time.perf_counter()
    made = stepper()
    seconds = time.perf_counter() - started
    block = made.html().encode()
    text = block.decode()
    parts = {
        "drawing (inline SVG)": sum(
            len(m.encode()) for m in re.findall(r"<svg.*?</svg>", text, re.S)
        ),
        "steps (JSON)": sum(
            len(m.encode())
            for m in re.findall(r'<script type="application/json".*?</script>', text, re.S)
        ),
        "script": sum(len(m.encode()) for m in re.findall(r"<script>.*?</script>", text, re.S)),
        "style": sum(len(m.encode()) for m in re.findall(r"<style>.*?</style>", text, re.S)),
    }
    rows = [*parts.items(), ("controls and text", len(block) - sum(parts.values()))]
    rows.append(("total added to the page", len(block)))
    return rows, seconds, made


def step_times(
    made: Any, chromium: str, rounds: int
) -> tuple[dict[str, list[list[float]]], dict[str, float]]:
    """Timings of every step change, on the page with MathJax and on the page without."""
    from playwright.sync_api import sync_playwright

    es5 = Path(os.fspath(importlib.resources.files("mathjax"))) / "static" / "mathjax" / "es5"
    folder = Path(tempfile.mkdtemp(prefix="bench-stepper-"))
    try:
        (folder / "_static").mkdir()
        (folder / "_static" / "mathjax").symlink_to(es5, target_is_directory=True)
        (folder / "mathjax.html").write_text(
            made.page(mathjax="_static/mathjax/tex-chtml.js"), encoding="utf-8"
        )
        (folder / "plain.html").write_text(made.page(), encoding="utf-8")
        handler = functools.partial(_Quiet, directory=str(folder))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{httpd.server_address[1]}/"
        results: dict[str, list[list[float]]] = {}
        prepare_s: dict[str, float] = {}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
                )
                for name in ("mathjax", "plain"):
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    context.route(lambda u: not u.startswith(origin), lambda r: r.abort())
                    page = context.new_page()
                    started = time.perf_counter()
                    page.goto(f"{origin}{name}.html", wait_until="load")
                    root = made.element_id
                    page.evaluate("(root) => document.getElementById(root).nnsPrepared", root)
                    prepare_s[name] = time.perf_counter() - started
                    page.evaluate("(root) => document.getElementById(root).nnsShow(0)", root)
                    page.evaluate("(root) => document.getElementById(root).nnsRendered", root)
                    timings = []
                    for _ in range(rounds):
                        for which in [".nns-next"] * len(made) + [".nns-prev"] * len(made):
                            timings.append(page.evaluate(STEP_JS, [root, which]))
                    results[name] = timings
                    context.close()
                browser.close()
        finally:
            httpd.shutdown()
            httpd.server_close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return results, prepare_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="walks forward and back (default 3)")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()

    rows, seconds, made = page_weight()
    print(
        f"Kernel-free stepper of the worked example: {len(made)} steps, made in {seconds:.2f} s\n"
    )
    print("| part | bytes |")
    print("|---|---:|")
    for name, size in rows:
        print(f"| {name} | {size:,} |")

    results, prepare_s = step_times(made, args.chromium, args.rounds)
    print(f"\nStep changes in headless Chromium ({args.rounds} x {2 * len(made)} per page):\n")
    print("| page | ready after load | to typeset: median | max | to next frame: median | max |")
    print("|---|---:|---:|---:|---:|---:|")
    labels = {
        "mathjax": "with MathJax 3 (as in the book)",
        "plain": "without MathJax (script only)",
    }
    for name, timings in results.items():
        typeset = [t[0] for t in timings]
        frame = [t[1] for t in timings]
        print(
            f"| {labels[name]} | {prepare_s[name]:.1f} s "
            f"| {statistics.median(typeset):.1f} ms | {max(typeset):.1f} ms "
            f"| {statistics.median(frame):.1f} ms | {max(frame):.1f} ms |"
        )


if __name__ == "__main__":
    main()
