"""The live stepper (nnlib.stepper.live) in a real JupyterLab, driven in headless Chromium.

Like ``tests/test_lab.py``, through the same harness (``tests/lab_harness.py``):
``jupyter lab`` starts on a free local port with a random token in a temporary folder,
Chromium opens a notebook there, runs the cell that makes the live stepper, presses
*Next*, *Next*, *Previous* and *Back to the start*, and waits each time for the counter,
the highlighted node of the drawing and the value written on it to become those of that
step, as nnlib computes them.  The notebook is a copy of chapter 3.6 when the chapter
has a cell calling ``live(`` from ``nnlib.stepper``, and otherwise a one-cell notebook
that does the same.  Nothing leaves the machine.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lab_harness import Lab, notebook_page, run_cell, running_lab

from nnlib.stepper import shown, stepper

pytestmark = [pytest.mark.browser, pytest.mark.lab]

REPO_ROOT = Path(__file__).resolve().parents[1]
CHAPTER = REPO_ROOT / "book" / "03_6_backprop_algorithm.ipynb"
CELL = "from nnlib.stepper import live\n\nview = live()  # needs a running kernel\nview"


def _live_cell(nb: Any) -> int | None:
    """Index of the chapter's code cell calling ``live(`` from ``nnlib.stepper``, or None."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "nnlib.stepper" in cell.source and "live(" in cell.source:
            return index
    return None


def _notebook(folder: Path) -> tuple[str, int]:
    """The chapter if it has the live stepper's cell, else a notebook of that one cell."""
    import nbformat  # with JupyterLab (imported here, so that collecting needs neither)

    nb = nbformat.read(CHAPTER, as_version=4)
    index = _live_cell(nb)
    if index is None:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(CELL)]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        index = 0
    nbformat.write(nb, folder / CHAPTER.name)
    return CHAPTER.name, index


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with running_lab(tmp_path_factory.mktemp("stepper-lab"), _notebook) as running:
        yield running


#: The live stepper's counter, highlighted element and the value written last.
STATE_JS = """
() => {
  const root = document.querySelector('.nnlib-stepper-live');
  if (!root) return null;
  const hot = root.querySelector('.nnlib-stepper-figure .nns-hot');
  const now = root.querySelector('.nnlib-stepper-figure .nns-now');
  return {
    counter: root.querySelector('.nnlib-stepper-counter').textContent.trim(),
    hot: hot ? hot.id : null,
    now: now ? now.textContent : null,
  };
}
"""


def _wait_for(page: Any, counter: str, hot: str | None, now: str | None) -> None:
    """Wait until the counter, the highlight and the value written are those given.

    The three are separate widgets, updated one after the other by the kernel.
    """
    want = {"counter": counter, "hot": hot, "now": now}
    try:
        page.wait_for_function(
            "([js, want]) => JSON.stringify(eval(js)()) === JSON.stringify(want)",
            arg=[STATE_JS, want],
            timeout=30_000,
        )
    except Exception:  # report what the stepper shows instead of a bare timeout
        assert page.evaluate(STATE_JS) == want
        raise


def test_live_stepper_advances_when_next_is_pressed(lab: Lab, browser: Any) -> None:
    made = stepper()
    root, first, second = made.element_id, made.steps[0], made.steps[1]
    started = time.monotonic()
    with notebook_page(browser, lab) as (page, page_errors):
        source = run_cell(page, lab.cell)
        assert "live(" in source, f"cell {lab.cell} of {lab.notebook} is not the live stepper's"
        page.locator(".nnlib-stepper-live").wait_for()
        _wait_for(page, "step 0 of 37", None, None)
        buttons = page.locator(".nnlib-stepper-live button")

        def press(name: str) -> None:
            buttons.filter(has_text=name).click()

        z = f"z={shown(first.value)}".replace("-", "\u2212")
        h = f"h={shown(second.value)}".replace("-", "\u2212")
        press("Next")
        _wait_for(page, "step 1 of 37", f"{root}-node-1-1", z)
        press("Next")
        _wait_for(page, "step 2 of 37", f"{root}-node-1-1", h)
        press("Previous")
        _wait_for(page, "step 1 of 37", f"{root}-node-1-1", z)
        press("Back to the start")
        _wait_for(page, "step 0 of 37", None, None)
    print(f"\nJupyterLab stepper test: {time.monotonic() - started:.1f} s in the browser")
    assert not page_errors, page_errors
