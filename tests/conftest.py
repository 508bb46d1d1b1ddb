"""Shared pytest fixtures.

Browser fixtures: the built HTML book (``_build/html``, or the folder named by the
environment variable ``BOOK_HTML_DIR``), a local HTTP server for it and one headless
Chromium for the whole session. Any test that takes a ``book_page`` argument is run once
for every HTML page of the built book (module-scoped, so that the tests of one page can
share one open page).

Work units for pytest-xdist (``make test`` runs ``--dist loadgroup``): every notebook,
every module of browser tests and every page of the book is one unit, run on one worker
in order; unit tests are handed out one by one. The long units go first, so that the
last ones handed out are short and both workers finish together.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
#: Set to the ``html`` folder of a book built elsewhere (``jupyter-book build . --path-output
#: DIR`` writes ``DIR/_build/html``) to test that build instead of ``_build/html``.
HTML_DIR_ENV = "BOOK_HTML_DIR"
BUILT_HTML = Path(os.environ.get(HTML_DIR_ENV) or REPO_ROOT / "_build" / "html").resolve()
MISSING_BUILD = "missing-build"

#: Names under which Debian, Ubuntu and others install Chromium.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Set to the path of a Chromium or Chrome binary to use it instead of searching PATH.
CHROMIUM_ENV = "BOOK_CHROMIUM"
#: Set to 1 (``.ci/run`` does) to turn "no Chromium" from a skip into a failure.
REQUIRE_BROWSER_ENV = "BOOK_REQUIRE_BROWSER"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker of the JupyterLab test (``make test-lab``)."""
    config.addinivalue_line("markers", "lab: drives the live explorer in a real JupyterLab")


def _shown(path: Path) -> str:
    """``path`` relative to the repository when it is inside it, else as it is."""
    try:
        return path.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


#: A page whose only content sends the browser elsewhere (the site's ``index.html``).
REDIRECT = re.compile(r'http-equiv="refresh"\s+content="\d+;\s*url=([^"]+)"', re.IGNORECASE)


def redirect_target(page: Path) -> str | None:
    """Where the redirect stub ``page`` sends the reader, or None for a page of its own."""
    match = REDIRECT.search(page.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def book_pages(html_dir: Path = BUILT_HTML, stubs: bool = False) -> list[str]:
    """Return every HTML page of the built book, as paths relative to ``html_dir``.

    Theme template fragments under ``_static/`` are not pages and are left out, and so
    are redirect stubs unless ``stubs`` is true (``tests/test_built_html.py`` checks
    that each points at a page).
    """
    return sorted(
        path.relative_to(html_dir).as_posix()
        for path in html_dir.rglob("*.html")
        if path.relative_to(html_dir).parts[0] != "_static"
        and (stubs or redirect_target(path) is None)
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``book_page`` with the pages of the built book.

    With no build, a single placeholder case is generated so that the test fails
    (through the ``built_book`` fixture) instead of vanishing as "no tests".
    """
    if "book_page" in metafunc.fixturenames:
        pages = book_pages() if (BUILT_HTML / "index.html").is_file() else [MISSING_BUILD]
        metafunc.parametrize("book_page", pages, scope="module")


def _work_unit(item: pytest.Item) -> str | None:
    """The xdist group of ``item``: its notebook, browser module or page; None for a unit test."""
    path = item.nodeid.split("::", 1)[0]
    page = getattr(item, "callspec", None) and item.callspec.params.get("book_page")
    if page:
        return f"{path}::{page}"
    if path.endswith(".ipynb") or item.get_closest_marker("browser"):
        return path
    return None


def _start_order(item: pytest.Item) -> int:
    """Lab tests, then other browser tests, then notebooks, then unit tests."""
    if item.get_closest_marker("lab"):
        return 0
    if item.get_closest_marker("browser"):
        return 1
    return 2 if item.nodeid.split("::", 1)[0].endswith(".ipynb") else 3


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give each notebook, browser module and page its xdist group; put long units first.

    Runs before pytest-xdist's own hook, which turns the groups into work units. The sort
    is stable, so the cells of a notebook keep their order.
    """
    for item in items:
        if (unit := _work_unit(item)) and item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(unit))
    items.sort(key=_start_order)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    """Stop with the reason when pytest-xdist could not keep each notebook on one worker.

    ``--dist loadgroup`` groups tests by appending ``@group`` to the node ids a worker
    reports; with pytest 9.2 the ids come back without it, the cells of one notebook are
    spread over the workers, and they fail with NameErrors that hide the cause.
    """
    if node.config.getoption("dist", None) != "loadgroup":
        return
    if lost := [i for i in ids if ".ipynb::" in i and "@" not in i]:
        pytest.exit(
            f"pytest-xdist could not keep the cells of a notebook together (e.g. {lost[0]}) "
            f"with pytest {pytest.__version__}; install the versions of requirements.txt "
            "(pytest<9.2)",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


@pytest.fixture(scope="session")
def built_book() -> Path:
    """The folder of the built HTML book; fails (never skips) when it is absent."""
    if not (BUILT_HTML / "index.html").is_file():
        pytest.fail(
            f"the built book is missing ({_shown(BUILT_HTML)}/index.html); "
            "run `make html` first (`make test` does this for you)",
            pytrace=False,
        )
    return BUILT_HTML


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static file handler that does not log every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        """Discard the access log."""


@pytest.fixture(scope="session")
def book_server(built_book: Path) -> Iterator[str]:
    """Serve the built book on 127.0.0.1 from a background thread; yield its origin."""
    handler = functools.partial(_QuietHandler, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="book-server", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def chromium_executable() -> str | None:
    """Return the path of a system Chromium, or None if there is none.

    ``$BOOK_CHROMIUM`` wins if it is set; otherwise PATH is searched for the usual names.
    """
    if chosen := os.environ.get(CHROMIUM_ENV):
        return shutil.which(chosen)
    for name in CHROMIUM_NAMES:
        if found := shutil.which(name):
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless system Chromium for the whole session, driven by Playwright.

    Skips, with the reason, when no Chromium is installed, unless the environment
    variable ``BOOK_REQUIRE_BROWSER`` is 1, in which case it fails.
    """
    executable = chromium_executable()
    if executable is None and (chosen := os.environ.get(CHROMIUM_ENV)):
        pytest.fail(
            f"${CHROMIUM_ENV} is set to {chosen!r}, which is not an executable", pytrace=False
        )
    if executable is None:
        reason = (
            f"no Chromium found (looked for ${CHROMIUM_ENV}, then on PATH for "
            + ", ".join(CHROMIUM_NAMES)
            + "); install it, e.g. `apt-get install chromium`, to run the browser tests"
        )
        if os.environ.get(REQUIRE_BROWSER_ENV) == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
