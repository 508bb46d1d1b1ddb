"""The live widgets of chapter 3.6 in a real JupyterLab, driven in headless Chromium.

One ``jupyter lab`` is started on a free local port with a random token, in a temporary
folder that holds a copy of ``book/03_6_backprop_algorithm.ipynb`` (a copy, so that
nothing the tests do can reach the chapter), and the chapter is opened once in Chromium.
In its kernel:

* the cell that calls ``explore()`` is run, a new learning rate is typed into the
  slider's readout, as a reader can, and the status line must become the one
  :mod:`nnlib` computes for that learning rate;
* the cell that calls the live stepper's ``live()`` is run, and Next, Previous and Back
  to the start must move the counter, the highlighted node and the value written on the
  drawing as the kernel-free stepper does.

A chapter without either cell fails. Both take about half a minute together and are part
of ``make test``; ``make test-lab`` runs them alone. Like the other browser tests they
skip, with the reason, where no Chromium is installed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from lab_harness import Lab, notebook_page, run_cell, running_lab

from nnlib.stepper import shown, stepper

pytestmark = [pytest.mark.browser, pytest.mark.lab]

REPO_ROOT = Path(__file__).resolve().parents[1]
#: ``BOOK_LAB_NOTEBOOK`` names another notebook to open instead of the chapter.
CHAPTER = Path(
    os.environ.get("BOOK_LAB_NOTEBOOK") or REPO_ROOT / "book" / "03_6_backprop_algorithm.ipynb"
)
#: The learning rate typed into the slider, and what the test waits for.
NEW_LR = 100.0


def _explorer_cell(nb: Any) -> int | None:
    """Index of the code cell that calls ``explore(`` from ``nnlib.explorer``, or None."""
    for index, cell in enumerate(nb.cells):
        source = cell.source
        from_explorer = "nnlib.explorer" in source or "from nnlib import explorer" in source
        if cell.cell_type == "code" and from_explorer and "explore(" in source:
            return index
    return None


def _live_cell(nb: Any) -> int | None:
    """Index of the chapter's code cell calling ``live(`` from ``nnlib.stepper``, or None."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "nnlib.stepper" in cell.source and "live(" in cell.source:
            return index
    return None


def _notebook(folder: Path) -> tuple[str, dict[str, int]]:
    """Copy the chapter into ``folder``; return its name and its two live cells' indices."""
    nb = nbformat.read(CHAPTER, as_version=4)
    cells = {"explorer": _explorer_cell(nb), "stepper": _live_cell(nb)}
    if missing := [name for name, index in cells.items() if index is None]:
        pytest.fail(f"{CHAPTER.name} has no live {' or '.join(missing)} cell", pytrace=False)
    nbformat.write(nb, folder / CHAPTER.name)
    return CHAPTER.name, cells


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with running_lab(tmp_path_factory.mktemp("lab"), _notebook) as running:
        yield running


@pytest.fixture(scope="module")
def chapter(lab: Lab, browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """The chapter open in JupyterLab (one page, one kernel), and the page's errors."""
    with notebook_page(browser, lab) as opened:
        yield opened


def test_live_explorer_retrains_when_the_slider_moves(
    lab: Lab, chapter: tuple[Any, list[str]]
) -> None:
    from nnlib.explorer import run, status_text

    page, page_errors = chapter
    started = time.monotonic()
    cell = lab.cells["explorer"]
    source = run_cell(page, cell)
    assert "explore(" in source, f"cell {cell} of {lab.notebook} is not the explorer's"

    status = page.locator(".nnlib-explorer-status")
    status.wait_for()
    page.wait_for_function(
        "() => document.querySelector('.nnlib-explorer-status').textContent.includes('J =')"
    )
    before = status.inner_text()
    image = page.locator(".jp-OutputArea .widget-image")
    image.wait_for()
    before_src = image.get_attribute("src")

    # Type the new learning rate into the slider's readout, as a reader can.
    slider = page.locator(".widget-slider", has_text="learning rate")
    readout = slider.locator(".widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(f"{NEW_LR:g}")
    page.keyboard.press("Enter")
    expected = status_text(run(lr=NEW_LR))
    page.wait_for_function(
        "(text) => document.querySelector('.nnlib-explorer-status').textContent === text",
        arg=expected,
    )
    after = status.inner_text()
    page.wait_for_function(
        "(old) => document.querySelector('.jp-OutputArea .widget-image').src !== old",
        arg=before_src,
    )
    elapsed = time.monotonic() - started
    print(f"\nJupyterLab explorer test on {lab.notebook}: {elapsed:.1f} s in the browser")
    assert after != before
    assert "\u03b7 = 100" in after
    assert not page_errors, page_errors


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


def test_live_stepper_advances_when_next_is_pressed(
    lab: Lab, chapter: tuple[Any, list[str]]
) -> None:
    made = stepper()
    root, first, second = made.element_id, made.steps[0], made.steps[1]
    page, page_errors = chapter
    started = time.monotonic()
    cell = lab.cells["stepper"]
    source = run_cell(page, cell)
    assert "live(" in source, f"cell {cell} of {lab.notebook} is not the live stepper's"
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
