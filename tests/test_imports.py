"""Importing nnlib stays light: each module loads only what it needs to be imported.

The heavy libraries (SymPy, matplotlib, ipywidgets) are imported by the functions
that use them, when they are called.  Each case runs in a fresh interpreter, so
nothing an earlier test imported can hide a slip.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("sympy", "matplotlib", "ipywidgets")

#: What a statement may not load: every heavy library but the one it is about.
CASES = {
    "import nnlib": HEAVY,
    "import nnlib.plotting": HEAVY,
    "import nnlib.datasets": HEAVY,
    "import nnlib.explorer": HEAVY,
    "import nnlib.stepper": HEAVY,
    "import nnlib.gradcheck": HEAVY,
    "import nnlib.worked_example": HEAVY,
    # the explorer's model of a run trains without drawing anything
    "from nnlib import explorer\nr = explorer.run(epochs=10)\nassert r.net.L == 2": (
        "matplotlib",
        "ipywidgets",
    ),
}


def loaded_after(code: str, libraries: tuple[str, ...]) -> list[str]:
    """The ``libraries`` found in ``sys.modules`` after running ``code`` in a new Python."""
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {libraries!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize(("code", "forbidden"), list(CASES.items()), ids=list(CASES))
def test_import_does_not_load_heavy_libraries(code, forbidden):
    loaded = loaded_after(code, forbidden)
    assert loaded == [], f"{code!r} loaded {', '.join(loaded)}"


def test_import_nnlib_leaves_the_presentation_packages_unimported():
    code = "import nnlib\nassert not hasattr(nnlib, 'explorer'), 'import nnlib imported the explorer'"
    assert loaded_after(code, ()) == []


def test_the_probe_sees_a_loaded_library():
    """The check can fail: a statement that imports SymPy is caught."""
    assert loaded_after("import nnlib.symbolic", HEAVY) == ["sympy"]
