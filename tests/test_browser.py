"""Browser tests of the built HTML book, in headless system Chromium via Playwright.

For every page of ``_build/html`` (built by ``make html``) the page is opened from a local
HTTP server and checked for:

* no console errors and no uncaught page errors, no failed or 4xx/5xx responses;
* MathJax loaded and typeset every piece of math, with no TeX error boxes and no raw
  ``$$``, ``\\(`` or ``\\[`` delimiters left in the visible text of the article;
* every ``<img>`` loaded;
* no request to any host but the local server (the book must work offline).

A full-page screenshot of each page goes to ``_build/screenshots/`` for people to look at.
The fixtures (server, browser, page discovery) live in ``conftest.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

pytestmark = pytest.mark.browser

PAGE_TIMEOUT_MS = 30_000
MATHJAX_START_TIMEOUT_MS = 5_000
MATHJAX_TYPESET_TIMEOUT_MS = 30_000
LOCAL_SCHEMES = ("data:", "blob:", "about:")
REDIRECT = re.compile(r'http-equiv="refresh"\s+content="\d+;\s*url=([^"]+)"', re.IGNORECASE)
#: Signs that TeX reached the reader unrendered.
RAW_TEX = {
    "$$": re.compile(r"\$\$"),
    "\\(": re.compile(r"\\\("),
    "\\[": re.compile(r"\\\["),
    "$\\command": re.compile(r"\$\\[A-Za-z]"),
    "\\begin{": re.compile(r"\\begin\{"),
}

#: The article text outside code, scripts and typeset math.
VISIBLE_ARTICLE_TEXT_JS = """
() => {
  const root = document.querySelector('article') || document.querySelector('main')
    || document.body;
  const skip = 'pre, code, script, style, textarea, mjx-container, .highlight';
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent && !parent.closest(skip)) parts.push(walker.currentNode.nodeValue);
  }
  return parts.join(' ');
}
"""

#: Counts of math elements, of typeset ones, and of MathJax error boxes.
MATH_STATE_JS = """
() => {
  const maths = Array.from(document.querySelectorAll('.math'));
  return {
    math: maths.length,
    untypeset: maths.filter(m => !m.querySelector('mjx-container'))
                    .map(m => m.textContent.trim().slice(0, 80)),
    containers: document.querySelectorAll('mjx-container').length,
    errors: Array.from(document.querySelectorAll('mjx-merror'))
                 .map(e => e.getAttribute('data-mjx-error') || e.textContent.slice(0, 80)),
    mathjaxScript: Array.from(document.scripts).some(s => /mathjax/i.test(s.src)),
  };
}
"""

#: Sources of images that did not load (lazy images are forced to load first).
BROKEN_IMAGES_JS = """
async () => {
  const images = Array.from(document.images);
  images.forEach(img => { img.loading = 'eager'; });
  const ok = await Promise.all(images.map(img => img.decode().then(() => true, () => false)));
  return images
    .filter((img, i) => !(ok[i] && img.complete
                          && (img.naturalWidth > 0 || /\\.svg(\\?|$)/.test(img.src))))
    .map(img => img.currentSrc || img.src || img.outerHTML.slice(0, 120));
}
"""


@dataclass
class PageLog:
    """Everything a page did that the assertions look at."""

    origin: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def is_local(self, url: str) -> bool:
        """Whether ``url`` points at the local book server (or needs no network)."""
        return url.startswith((self.origin + "/", *LOCAL_SCHEMES)) or url == self.origin

    def remote_requests(self) -> list[str]:
        """Requests that would have left the machine."""
        return [url for url in self.requests if not self.is_local(url)]


def _attach(page: Any, log: PageLog) -> None:
    """Record requests, responses, console errors and page errors of ``page`` in ``log``."""
    page.on("request", lambda request: log.requests.append(request.url))
    page.on(
        "requestfailed",
        lambda request: log.failed_requests.append(f"{request.url} ({request.failure})"),
    )
    page.on(
        "response",
        lambda response: (
            log.bad_responses.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    page.on(
        "console",
        lambda message: (
            log.console_errors.append(f"{message.text} [{message.location.get('url', '')}]")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: log.page_errors.append(str(error)))


def _wait_for_mathjax(page: Any) -> str | None:
    """Wait until MathJax has started and finished its first typeset; return an error or None.

    MathJax is a deferred script, so once the page's ``load`` event has fired it has either
    run (and ``MathJax.startup`` exists) or it never will: a short wait is enough to tell.
    """
    from playwright.sync_api import Error as PlaywrightError

    try:
        page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise",
            timeout=MATHJAX_START_TIMEOUT_MS,
        )
    except PlaywrightError:
        return f"MathJax did not start within {MATHJAX_START_TIMEOUT_MS} ms of the page load"
    page.evaluate(
        """() => {
          window.__bookTypeset = 'pending';
          MathJax.startup.promise.then(
            () => { window.__bookTypeset = 'done'; },
            (error) => { window.__bookTypeset = 'failed: ' + error; });
        }"""
    )
    try:
        page.wait_for_function(
            "() => window.__bookTypeset !== 'pending'", timeout=MATHJAX_TYPESET_TIMEOUT_MS
        )
    except PlaywrightError:
        return f"MathJax did not finish typesetting within {MATHJAX_TYPESET_TIMEOUT_MS} ms"
    status = page.evaluate("() => window.__bookTypeset")
    return None if status == "done" else f"MathJax typesetting {status}"


def _screenshot_name(book_page: str) -> str:
    """File name of the screenshot of ``book_page``, e.g. ``book__intro.png``."""
    return book_page.removesuffix(".html").replace("/", "__") + ".png"


def test_page_renders_offline(
    book_page: str,
    built_book: Path,
    book_server: str,
    browser: Any,
    screenshot_dir: Path,
) -> None:
    """The page loads cleanly, its math is typeset, its images load, nothing is remote."""
    log = PageLog(origin=book_server)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    # Remote requests are recorded by the listeners, then refused, so the test never
    # waits on a network that may not exist.
    context.route(lambda url: not log.is_local(url), lambda route: route.abort())
    problems: list[str] = []
    try:
        page = context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        _attach(page, log)
        url = f"{book_server}/{book_page}"
        page.goto(url, wait_until="load")

        redirect = REDIRECT.search((built_book / book_page).read_text(encoding="utf-8"))
        if redirect:
            page.wait_for_url(urljoin(url, redirect.group(1)))
            page.wait_for_load_state("load")

        state = page.evaluate(MATH_STATE_JS)
        if state["mathjaxScript"] or state["math"]:
            if not state["mathjaxScript"]:
                problems.append(f"{state['math']} math elements but no MathJax script")
            elif error := _wait_for_mathjax(page):
                problems.append(error)
            state = page.evaluate(MATH_STATE_JS)
        page.wait_for_load_state("networkidle")
        page.evaluate("() => document.fonts.ready.then(() => true)")

        if state["math"]:
            if state["containers"] == 0:
                problems.append(f"{state['math']} math elements but no mjx-container")
            if state["untypeset"]:
                problems.append(f"math left untypeset: {state['untypeset'][:5]}")
        if state["errors"]:
            problems.append(f"MathJax reported TeX errors: {state['errors'][:5]}")

        text = page.evaluate(VISIBLE_ARTICLE_TEXT_JS)
        for label, pattern in RAW_TEX.items():
            if match := pattern.search(text):
                start = max(match.start() - 40, 0)
                problems.append(
                    f"raw TeX {label!r} in the page text: ...{text[start : start + 100]}..."
                )

        if broken := page.evaluate(BROKEN_IMAGES_JS):
            problems.append(f"images that did not load: {broken}")

        page.screenshot(path=str(screenshot_dir / _screenshot_name(book_page)), full_page=True)
    finally:
        context.close()

    if remote := log.remote_requests():
        problems.append(f"requests to other hosts: {sorted(set(remote))}")
    if log.console_errors:
        problems.append(f"console errors: {log.console_errors}")
    if log.page_errors:
        problems.append(f"page errors: {log.page_errors}")
    if log.bad_responses:
        problems.append(f"error responses: {log.bad_responses}")
    local_failures = [f for f in log.failed_requests if log.is_local(f.split(" ", 1)[0])]
    if local_failures:
        problems.append(f"failed requests: {local_failures}")
    assert not problems, f"{book_page}:\n  " + "\n  ".join(problems)


def test_no_remote_assets_in_html(built_book: Path) -> None:
    """No built page names a script, style sheet, font, image or frame on another host.

    This reads the HTML files themselves, so it also covers assets that a page would only
    fetch later (for example after a click), which the browser test cannot see.
    """
    asset = re.compile(
        r"<(?:script|img|iframe|source|embed)\b[^>]*\bsrc=\"(https?:)?//[^\"]*\""
        r"|<link\b[^>]*\bhref=\"(https?:)?//[^\"]*\"[^>]*>",
        re.IGNORECASE,
    )
    offenders: dict[str, list[str]] = {}
    for page in built_book.rglob("*.html"):
        for match in asset.finditer(page.read_text(encoding="utf-8")):
            tag = match.group(0)
            if tag.lower().startswith("<link") and re.search(
                r"rel=\"(canonical|alternate|author|license)\"", tag, re.IGNORECASE
            ):
                continue  # plain links, nothing is loaded
            offenders.setdefault(page.relative_to(built_book).as_posix(), []).append(tag)
    assert not offenders, f"remote assets in the built HTML: {offenders}"


def test_mathjax_is_served_locally(built_book: Path) -> None:
    """Pages with math load MathJax from the site's own ``_static/mathjax`` folder."""
    pages_with_math = [
        page
        for page in built_book.rglob("*.html")
        if 'class="math' in page.read_text(encoding="utf-8")
        and page.relative_to(built_book).parts[0] != "_static"
    ]
    assert pages_with_math, "no page of the built book contains math"
    for page in pages_with_math:
        html = page.read_text(encoding="utf-8")
        sources = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]*mathjax[^\"]*)\"", html, re.I)
        assert sources, f"{page.name}: math but no MathJax script"
        for source in sources:
            assert "://" not in source, f"{page.name}: MathJax loaded from {source}"
            local = (page.parent / source.split("?", 1)[0]).resolve()
            assert local.is_file(), f"{page.name}: {source} does not exist in the build"
    assert (built_book / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()
