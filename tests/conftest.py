"""Shared pytest fixtures.

Browser fixtures: the built HTML book (``_build/html``, or the folder named by the
environment variable ``BOOK_HTML_DIR``), a local HTTP server for it and one headless
Chromium for the whole session. Any test that takes a ``book_page`` argument is run once
for every HTML page of the built book.
"""

from __future__ import annotations

import functools
import http.server
import os
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
SCREENSHOTS = BUILT_HTML.parent / "screenshots"
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


def book_pages(html_dir: Path = BUILT_HTML) -> list[str]:
    """Return every HTML page of the built book, as paths relative to ``html_dir``.

    Theme template fragments under ``_static/`` are not pages and are left out.
    """
    return sorted(
        path.relative_to(html_dir).as_posix()
        for path in html_dir.rglob("*.html")
        if path.relative_to(html_dir).parts[0] != "_static"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``book_page`` with the pages of the built book.

    With no build, a single placeholder case is generated so that the test fails
    (through the ``built_book`` fixture) instead of vanishing as "no tests".
    """
    if "book_page" in metafunc.fixturenames:
        pages = book_pages() if (BUILT_HTML / "index.html").is_file() else [MISSING_BUILD]
        metafunc.parametrize("book_page", pages)


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


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Folder for full-page screenshots of the book (for people; nothing asserts on them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
