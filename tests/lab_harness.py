"""A real JupyterLab for the tests that drive a live widget in headless Chromium.

:func:`running_lab` starts ``jupyter lab`` on a free local port with a random token, in a
folder of its own (its own configuration, runtime, settings and workspaces), serving a
notebook that the caller writes there; :func:`notebook_page` opens that notebook in a
browser context that refuses every request leaving the server, and :func:`run_cell` runs
one of its cells through JupyterLab's own command.  Used by ``tests/test_lab.py``;
nothing here leaves the machine.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

#: How long the server may take to answer its status API.
SERVER_START_S = 90
#: The default timeout of every page action and wait in JupyterLab.
UI_TIMEOUT_MS = 90_000


@dataclass
class Lab:
    """A running JupyterLab server: its address, token, the notebook to open and its cells
    under test (by name)."""

    url: str
    token: str
    notebook: str
    cells: dict[str, int]


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


@contextmanager
def running_lab(
    folder: Path, notebook: Callable[[Path], tuple[str, dict[str, int]]]
) -> Iterator[Lab]:
    """Run JupyterLab in ``folder`` until the ``with`` block ends.

    Parameters
    ----------
    folder : Path
        An empty folder for the server's notebooks, configuration, settings and log.
    notebook : callable
        Writes the notebook to test into the folder it is given (the server's root) and
        returns its file name and the index of each cell to run, by name.

    Yields
    ------
    Lab
        The server's address and token, and the notebook and cells to open.

    The test fails, with the end of the server's log, when the server has not answered
    within ``SERVER_START_S`` seconds.  On exit the kernels are shut down through the API,
    then the server, by its own process id.
    """
    work = folder / "notebooks"
    work.mkdir()
    name, cells = notebook(work)
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
        yield Lab(url=url, token=token, notebook=name, cells=cells)
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


@contextmanager
def notebook_page(browser: Any, lab: Lab) -> Iterator[tuple[Any, list[str]]]:
    """Open ``lab``'s notebook in a new browser context, closed when the block ends.

    Every request that is not to the server is aborted (the notebook UI needs nothing from
    the internet).  Yields the page, once JupyterLab shows the notebook with its session,
    and the list that collects the page's uncaught errors (still filled after the block).
    """
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
        yield page, page_errors
    finally:
        context.close()


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


def run_cell(page: Any, index: int) -> str:
    """Run cell ``index`` of the open notebook once its kernel is ready; return its source."""
    return page.evaluate(RUN_CELL_JS, index)
