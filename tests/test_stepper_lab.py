"""The live stepper (nnlib.stepper.live) in a real JupyterLab, driven in headless Chromium.

Like ``tests/test_lab.py``: ``jupyter lab`` starts on a free local port with a random
token in a temporary folder, Chromium opens a notebook there, runs the cell that makes
the live stepper, presses *Next*, *Next*, *Previous* and *Back to the start*, and waits
each time for the counter, the highlighted node of the drawing and the value written on
it to become those of that step, as nnlib computes them.  The notebook is a copy of
chapter 3.6 when the chapter has a cell calling ``live(`` from ``nnlib.stepper``, and
otherwise a one-cell notebook that does the same.  Nothing leaves the machine.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from nnlib.stepper import shown, stepper

pytestmark = [pytest.mark.browser, pytest.mark.lab]

REPO_ROOT = Path(__file__).resolve().parents[1]
CHAPTER = REPO_ROOT / "book" / "03_6_backprop_algorithm.ipynb"
CELL = "from nnlib.stepper import live\n\nview = live()  # needs a running kernel\nview"
SERVER_START_S = 90
UI_TIMEOUT_MS = 90_000


@dataclass
class Lab:
    url: str
    token: str
    notebook: str
    cell: int


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settings(folder: Path) -> Path:
    """User settings: no autosave, no news or update checks."""
    settings = folder / "settings"
    docmanager = settings / "@jupyterlab" / "docmanager-extension"
    docmanager.mkdir(parents=True)
    (docmanager / "plugin.jupyterlab-settings").write_text(json.dumps({"autosave": False}))
    notification = settings / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    return settings


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except (urllib.error.URLError, OSError):
        return 0


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    folder = tmp_path_factory.mktemp("stepper-lab")
    work = folder / "notebooks"
    work.mkdir()
    name, cell = _notebook(work)
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["JUPYTER_CONFIG_DIR"] = str(folder / "config")
    env["JUPYTER_RUNTIME_DIR"] = str(folder / "runtime")
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={work}",
        f"--LabApp.user_settings_dir={_settings(folder)}",
        f"--LabApp.workspaces_dir={folder / 'workspaces'}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=",
        "--LabApp.extension_manager=readonly",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--ServerApp.allow_root=True")
    log = (folder / "lab.log").open("w")
    server = subprocess.Popen(command, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while _get(f"{url}/api/status?token={token}") != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(
                    "jupyter lab did not start:\n" + (folder / "lab.log").read_text()[-3000:],
                    pytrace=False,
                )
            time.sleep(0.5)
        yield Lab(url=url, token=token, notebook=name, cell=cell)
    finally:
        try:
            request = urllib.request.Request(f"{url}/api/kernels?token={token}")
            with urllib.request.urlopen(request, timeout=5) as response:
                kernels = json.load(response)
            for kernel in kernels:
                urllib.request.urlopen(
                    urllib.request.Request(
                        f"{url}/api/kernels/{kernel['id']}?token={token}", method="DELETE"
                    ),
                    timeout=10,
                ).close()
        except (urllib.error.URLError, OSError, ValueError):
            pass
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


RUN_CELL_JS = """
async (index) => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  await panel.context.ready;
  await panel.sessionContext.ready;
  panel.content.activeCellIndex = index;
  await app.commands.execute('notebook:run-cell');
  return panel.content.widgets[index].model.sharedModel.getSource();
}
"""

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
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route(lambda url: not url.startswith(lab.url), lambda route: route.abort())
    page_errors: list[str] = []
    try:
        page = context.new_page()
        page.set_default_timeout(UI_TIMEOUT_MS)
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        page.goto(f"{lab.url}/lab/tree/{lab.notebook}?token={lab.token}")
        page.wait_for_function(
            "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
            " && window.jupyterapp.shell.currentWidget.sessionContext"
        )
        source = page.evaluate(RUN_CELL_JS, lab.cell)
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
    finally:
        context.close()
    print(f"\nJupyterLab stepper test: {time.monotonic() - started:.1f} s in the browser")
    assert not page_errors, page_errors
