"""The notebooks are stored as they come out of one complete run, top to bottom.

``make test`` builds the HTML book from the notebooks' stored outputs (``BOOK_EXECUTE=off``)
and runs every notebook once, under nbval, which compares the checked outputs with the
stored ones. For the pages to show what the code computes, every other stored output must
come from that same kind of run: a fresh kernel, each cell once, in order, no errors.
That is what these tests hold every notebook of ``book/`` to. Cells tagged
``skip-execution`` (the live widgets, which the build does not run) carry no outputs.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
NOTEBOOKS = sorted(BOOK.glob("*.ipynb"))


def _code_cells(notebook: Path) -> list[nbformat.NotebookNode]:
    cells = nbformat.read(notebook, as_version=4).cells
    return [cell for cell in cells if cell.cell_type == "code"]


def _skipped(cell: nbformat.NotebookNode) -> bool:
    return "skip-execution" in cell.metadata.get("tags", [])


def test_there_are_notebooks() -> None:
    assert len(NOTEBOOKS) >= 10, f"found only {[n.name for n in NOTEBOOKS]} in book/"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_cells_were_run_once_each_in_order(notebook: Path) -> None:
    """Execution counts 1, 2, ..., n down the page: one fresh kernel, each cell once."""
    run = [cell.execution_count for cell in _code_cells(notebook) if not _skipped(cell)]
    assert run == list(range(1, len(run) + 1)), (
        f"{notebook.name}: execution counts {run}; re-run it from the top in a fresh kernel "
        "(see the README) and store the result"
    )
    for cell in _code_cells(notebook):
        counts = {o.get("execution_count") for o in cell.outputs if "execution_count" in o}
        assert counts <= {cell.execution_count}, (
            f"{notebook.name}: a cell numbered {cell.execution_count} stores results "
            f"numbered {sorted(counts)}"
        )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_no_stored_errors_and_nothing_stored_for_skipped_cells(notebook: Path) -> None:
    for index, cell in enumerate(_code_cells(notebook)):
        errors = [o.get("ename") for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"{notebook.name}, code cell {index}: stored error {errors}"
        if _skipped(cell):
            assert cell.execution_count is None and not cell.outputs, (
                f"{notebook.name}, code cell {index} is tagged skip-execution but stores "
                "the outputs of a run"
            )
