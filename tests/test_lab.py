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

import nbformat
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.lab]

REPO_ROOT = Path(__file__).resolve().parents[1]
#: ``BOOK_LAB_NOTEBOOK`` names another notebook to open instead of the chapter.
CHAPTER = Path(
    os.environ.get("BOOK_LAB_NOTEBOOK") or REPO_ROOT / "book" / "03_6_backprop_algorithm.ipynb"
)
#: The learning rate typed into the slider, and what the test waits for.
NEW_LR = 100.0
SERVER_START_S = 90
UI_TIMEOUT_MS = 90_000


@dataclass
class Lab:
    """A running JupyterLab server: its address, token and the notebook to open."""

    url: str
    token: str
    notebook: str
    cell: int
    source: str


def _explorer_cell(nb: Any) -> int | None:
    """Index of the code cell that calls ``explore(`` from ``nnlib.explorer``, or None."""
    for index, cell in enumerate(nb.cells):
        source = cell.source
        from_explorer = "nnlib.explorer" in source or "from nnlib import explorer" in source
        if cell.cell_type == "code" and from_explorer and "explore(" in source:
            return index
    return None


def _notebook(folder: Path) -> tuple[str, int, str]:
    """Copy the chapter into ``folder``; return its name, the explorer cell's index and a label."""
    nb = nbformat.read(CHAPTER, as_version=4)
    index = _explorer_cell(nb)
    if index is None:
        pytest.fail(f"{CHAPTER.name} has no cell that calls explore() from nnlib.explorer")
    nbformat.write(nb, folder / CHAPTER.name)
    return CHAPTER.name, index, f"{CHAPTER.name} (cell {index})"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settings(folder: Path) -> Path:
    """User settings: no autosave, no news or update checks (nothing leaves the machine)."""
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
    folder = tmp_path_factory.mktemp("lab")
    work = folder / "notebooks"
    work.mkdir()
    name, cell, source = _notebook(work)
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
        command.append("--ServerApp.allow_root=True")  # containers and CI often run as root
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
        yield Lab(url=url, token=token, notebook=name, cell=cell, source=source)
    finally:
        # Shut the kernels down through the API, then the server, by its own process id.
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


#: Run one cell of the open notebook through JupyterLab's own command, once the kernel is up.
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


def test_live_explorer_retrains_when_the_slider_moves(lab: Lab, browser: Any) -> None:
    from nnlib.explorer import run, status_text

    started = time.monotonic()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    # The notebook UI needs nothing from the internet; refuse it anything remote.
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
        assert "explore(" in source, f"cell {lab.cell} of {lab.source} is not the explorer's"

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
    finally:
        context.close()
    elapsed = time.monotonic() - started
    print(f"\nJupyterLab test on {lab.source}: {elapsed:.1f} s in the browser")
    assert after != before
    assert "\u03b7 = 100" in after
    assert not page_errors, page_errors
