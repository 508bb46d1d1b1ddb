"""The live explorer of chapter 3.6 in a real JupyterLab, driven in headless Chromium.

The test starts ``jupyter lab`` on a free local port with a random token, in a temporary
folder that holds a copy of ``book/03_6_backprop_algorithm.ipynb`` (a copy, so that
nothing the test does can reach the chapter), opens it in Chromium, runs the cell that
calls ``explore()``, types a new learning rate into the slider's readout, as a reader
can, and waits for the status line to become the one :mod:`nnlib` computes for that
learning rate.  A chapter without that cell fails the test.

It takes about 20 seconds and is part of ``make test``; ``make test-lab`` runs it alone.
Like the other browser tests it skips, with the reason, where no Chromium is installed.
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


def _notebook(folder: Path) -> tuple[str, int]:
    """Copy the chapter into ``folder``; return its name and the explorer cell's index."""
    nb = nbformat.read(CHAPTER, as_version=4)
    index = _explorer_cell(nb)
    if index is None:
        pytest.fail(f"{CHAPTER.name} has no cell that calls explore() from nnlib.explorer")
    nbformat.write(nb, folder / CHAPTER.name)
    return CHAPTER.name, index


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with running_lab(tmp_path_factory.mktemp("lab"), _notebook) as running:
        yield running


def test_live_explorer_retrains_when_the_slider_moves(lab: Lab, browser: Any) -> None:
    from nnlib.explorer import run, status_text

    started = time.monotonic()
    with notebook_page(browser, lab) as (page, page_errors):
        source = run_cell(page, lab.cell)
        assert "explore(" in source, f"cell {lab.cell} of {lab.label} is not the explorer's"

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
    print(f"\nJupyterLab test on {lab.label}: {elapsed:.1f} s in the browser")
    assert after != before
    assert "\u03b7 = 100" in after
    assert not page_errors, page_errors
