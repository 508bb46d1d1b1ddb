"""The kernel-free explorer of chapter 3.6 in the built book, driven in headless Chromium.

The built page holds the explorer precomputed by :mod:`nnlib.explorer.static`. These tests
open it over HTTP (the local server of ``conftest.py``) and from ``file://``, move the
learning-rate and hidden-layers controls with the keyboard, as a reader would, and check
that the picture and the status line become exactly what :mod:`nnlib` computes for those
settings -- recomputed here, independently of the page -- with no console error and no
request leaving the machine; that every setting of the grid shows a picture; and that
the controls are reached with Tab, named, and moved with the arrow keys. The explorer's
weight in the page is printed (``benchmarks/bench_explorer.py`` measures its speed in
Chromium).

``BOOK_EXPLORER_PAGE`` names another page (relative to the built book) to test instead.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from nnlib.explorer import BASE, HIDDEN_LAYERS, LEARNING_RATES, Frame, frame

pytestmark = pytest.mark.browser

EXPLORER_PAGE = os.environ.get("BOOK_EXPLORER_PAGE", "book/03_6_backprop_algorithm.html")
#: The budget the explorer may add to its page.
MAX_BYTES = 1_500_000
PAGE_TIMEOUT_MS = 30_000
#: (learning-rate position, hidden layers) visited in turn, starting from the default.
#: They cover too small, good and too large rates (position 9, the largest, diverges
#: with L = 2), and every L; (7, 3) is a network whose hidden units all died.
PATH = [(0, 2), (9, 2), (9, 0), (8, 4), (3, 1), (6, 3), (7, 3), (9, 4)]
#: From ``file://`` it is enough that each control works (the rest is as over HTTP).
FILE_PATH = PATH[:3]

#: The explorer's current picture, status line, readouts and alt text.
STATE_JS = """
() => {
  const root = document.querySelector('.nnlib-explorer');
  const img = root.querySelector('img');
  return {
    src: img.getAttribute('src'),
    alt: img.alt,
    status: root.querySelector('.nnx-status').textContent,
    readouts: Array.from(root.querySelectorAll('output')).map(o => o.textContent),
    values: Array.from(root.querySelectorAll('input[type=range]')).map(i => Number(i.value)),
    complete: img.complete && img.naturalWidth > 0,
  };
}
"""

#: Set both controls as input events would; return the picture once it has decoded.
CHOOSE_JS = """
async ([layers, lr]) => {
  const root = document.querySelector('.nnlib-explorer');
  const img = root.querySelector('img');
  for (const [name, value] of [['layers', layers], ['lr', lr]]) {
    const input = root.querySelector(`input[name=${name}]`);
    input.value = String(value);
    input.dispatchEvent(new Event('input', {bubbles: true}));
  }
  await img.decode();
  return img.getAttribute('src');
}
"""


#: The explorer's controls in tab order: the element focused, its accessible name as
#: the label gives it, its value and the text the page shows for it.
FOCUSED_JS = """
() => {
  const el = document.activeElement;
  const inExplorer = !!(el && el.closest('.nnlib-explorer'));
  const label = el && el.labels && el.labels.length ? el.labels[0].textContent.trim() : '';
  return {
    inExplorer, tag: el ? el.tagName.toLowerCase() : '', type: el ? el.type : '',
    name: el ? el.name : '', label,
    ariaLabel: el ? (el.getAttribute('aria-label') || '') : '',
    value: el ? el.value : '', valueText: el ? (el.getAttribute('aria-valuetext') || '') : '',
    src: document.querySelector('.nnlib-explorer img').getAttribute('src'),
  };
}
"""


@dataclass
class OpenExplorer:
    """The explorer's page, open in Chromium: the page, its log and its state when opened."""

    page: Any
    log: _Log
    initial: dict[str, Any]


def _expected(lr_index: int, layers: int, cache: dict[tuple[int, int], Frame]) -> Frame:
    """What nnlib computes for one setting of the grid (computed once per test session)."""
    key = (lr_index, layers)
    if key not in cache:
        cache[key] = frame(replace(BASE, lr=LEARNING_RATES[lr_index], hidden_layers=layers))
    return cache[key]


@pytest.fixture(scope="module")
def expected_frames() -> dict[tuple[int, int], Frame]:
    return {}


@pytest.fixture(scope="module")
def explorer_page(built_book: Path) -> Path:
    page = built_book / EXPLORER_PAGE
    if not page.is_file():
        pytest.fail(f"the built book has no page {EXPLORER_PAGE}", pytrace=False)
    found = page.read_text(encoding="utf-8").count('class="nnlib-explorer"')
    if found != 1:
        pytest.fail(
            f"{EXPLORER_PAGE} should hold exactly one kernel-free explorer, found {found}",
            pytrace=False,
        )
    return page


class _Log:
    """Requests, console errors and page errors of one page."""

    def __init__(self, page: Any, local: tuple[str, ...]) -> None:
        self.local = local
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on(
            "console",
            lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None,
        )
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on(
            "requestfailed",
            lambda r: self.errors.append(f"failed: {r.url}") if self.is_local(r.url) else None,
        )

    def is_local(self, url: str) -> bool:
        return url.startswith(self.local)

    def remote(self) -> list[str]:
        return sorted({url for url in self.requests if not self.is_local(url)})


def _open(browser: Any, url: str, local: tuple[str, ...]) -> tuple[Any, Any, _Log]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.route(lambda url: not url.startswith(local), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    log = _Log(page, local)
    page.goto(url, wait_until="load")
    page.locator(".nnlib-explorer").scroll_into_view_if_needed()
    return context, page, log


def _move(page: Any, name: str, position: int) -> None:
    """Move a range control to ``position`` with the keyboard: Home, then arrow presses."""
    control = page.locator(f".nnlib-explorer input[name={name}]")
    control.focus()
    page.keyboard.press("Home")
    for _ in range(position):
        page.keyboard.press("ArrowRight")


def _check_state(
    page: Any, lr_index: int, layers: int, expected: Frame, state: dict[str, Any] | None = None
) -> list[str]:
    """What differs between the explorer's ``state`` (by default, its state now) and nnlib's."""
    state = page.evaluate(STATE_JS) if state is None else state
    where = f"eta = {LEARNING_RATES[lr_index]:.3g}, L = {layers}"
    problems = []
    if state["values"] != [lr_index, HIDDEN_LAYERS.index(layers)]:
        problems.append(f"{where}: controls at {state['values']}")
    if state["readouts"] != [f"{LEARNING_RATES[lr_index]:.3g}", str(layers)]:
        problems.append(f"{where}: readouts show {state['readouts']}")
    if state["status"] != expected.status:
        problems.append(f"{where}: status {state['status']!r}, expected {expected.status!r}")
    if state["src"] != "data:image/png;base64," + base64.b64encode(expected.png).decode():
        problems.append(f"{where}: the picture is not nnlib's for these settings")
    if f"L = {layers} hidden layers" not in state["alt"]:
        problems.append(f"{where}: alt text {state['alt']!r}")
    return problems


def _walk(
    page: Any,
    cache: dict[tuple[int, int], Frame],
    initial: dict[str, Any],
    path: list[tuple[int, int]] = PATH,
) -> list[str]:
    """Check the state the page opened in (the defaults), then visit ``path`` with the keyboard.

    Returns what was wrong.
    """
    start = (LEARNING_RATES.index(BASE.lr), BASE.hidden_layers)
    problems = _check_state(page, *start, _expected(*start, cache), state=initial)
    seen = {initial["src"]}
    for lr_index, layers in path:
        current = page.evaluate(STATE_JS)["values"]
        if current[0] != lr_index:
            _move(page, "lr", lr_index)
        if current[1] != HIDDEN_LAYERS.index(layers):
            _move(page, "layers", HIDDEN_LAYERS.index(layers))
        page.wait_for_function("() => document.querySelector('.nnlib-explorer img').complete")
        problems += _check_state(page, lr_index, layers, _expected(lr_index, layers, cache))
        seen.add(page.evaluate(STATE_JS)["src"])
    if len(seen) != len({start, *path}):
        problems.append(f"{len({start, *path})} settings showed only {len(seen)} pictures")
    return problems


@pytest.fixture(scope="module")
def over_http(explorer_page: Path, book_server: str, browser: Any) -> Iterator[OpenExplorer]:
    """The explorer's page, opened once over HTTP for the tests that drive it there."""
    url = f"{book_server}/{EXPLORER_PAGE}"
    context, page, log = _open(browser, url, (book_server + "/", "data:", "blob:", "about:"))
    try:
        yield OpenExplorer(page, log, page.evaluate(STATE_JS))
    finally:
        context.close()


def test_explorer_over_http_shows_nnlibs_result_for_each_setting(
    over_http: OpenExplorer, explorer_page: Path, expected_frames: dict
) -> None:
    problems = _walk(over_http.page, expected_frames, over_http.initial)
    size = over_http.page.evaluate(
        "() => document.querySelector('.nnlib-explorer').outerHTML.length"
    )
    problems += over_http.log.errors
    if remote := over_http.log.remote():
        problems.append(f"requests to other hosts: {remote}")
    if size > MAX_BYTES:
        problems.append(f"the explorer adds {size} bytes to the page (budget {MAX_BYTES})")
    print(
        f"\nkernel-free explorer: {size} bytes of {EXPLORER_PAGE}'s "
        f"{explorer_page.stat().st_size} bytes"
    )
    assert not problems, "\n  ".join(["the explorer over HTTP:", *problems])


def test_every_setting_shows_a_picture(over_http: OpenExplorer) -> None:
    """Each of the grid's settings, chosen by its controls, shows a new picture that decodes."""
    page = over_http.page
    seen = set()
    for position, _ in enumerate(HIDDEN_LAYERS):
        for lr_index in range(len(LEARNING_RATES)):
            seen.add(page.evaluate(CHOOSE_JS, [position, lr_index]))
    assert not over_http.log.errors, over_http.log.errors
    assert len(seen) == len(HIDDEN_LAYERS) * len(LEARNING_RATES), (
        f"{len(HIDDEN_LAYERS) * len(LEARNING_RATES)} settings showed {len(seen)} pictures"
    )


def test_explorer_is_usable_from_the_keyboard(over_http: OpenExplorer) -> None:
    """Tab reaches each explorer control; each is named; arrow keys change it and the picture."""
    page = over_http.page
    controls = page.locator(".nnlib-explorer input, .nnlib-explorer select, .nnlib-explorer button")
    count = controls.count()
    assert count >= 2, f"the explorer has {count} controls; expected at least 2"
    # Start just before the explorer and tab into it, as a reader would.
    page.evaluate(
        """() => {
          const anchor = document.createElement('span');
          anchor.tabIndex = -1; anchor.id = '__before_explorer';
          const root = document.querySelector('.nnlib-explorer');
          root.parentNode.insertBefore(anchor, root);
          anchor.focus();
        }"""
    )
    reached = []
    for _ in range(count):
        page.keyboard.press("Tab")
        before = page.evaluate(FOCUSED_JS)
        assert before["inExplorer"], f"Tab left the explorer after {reached}"
        name = before["label"] or before["ariaLabel"]
        assert name, f"explorer control {before['name']!r} has no accessible name"
        page.keyboard.press("ArrowRight")
        after = page.evaluate(FOCUSED_JS)
        if after["value"] == before["value"]:  # at its top end: go the other way
            page.keyboard.press("ArrowLeft")
            after = page.evaluate(FOCUSED_JS)
        assert after["value"] != before["value"], f"arrow keys do not move {name!r}"
        assert after["src"] != before["src"], f"moving {name!r} did not change the picture"
        assert after["valueText"], f"{name!r} does not say its value (aria-valuetext)"
        reached.append(before["name"])
    assert len(set(reached)) == count, f"Tab reached {reached}, the explorer has {count} controls"


def test_explorer_from_file_url_works_offline(
    explorer_page: Path, browser: Any, expected_frames: dict
) -> None:
    context, page, log = _open(
        browser, explorer_page.as_uri(), ("file://", "data:", "blob:", "about:")
    )
    try:
        problems = _walk(page, expected_frames, page.evaluate(STATE_JS), FILE_PATH)
    finally:
        context.close()
    # Pages opened from file:// may not load web fonts (Chromium's CORS rule for
    # fonts); that is the theme's and MathJax's affair, not the explorer's.
    problems += [e for e in log.errors if not ("font" in e.lower() or ".woff" in e)]
    if remote := log.remote():
        problems.append(f"requests outside file://: {remote}")
    assert not problems, "\n  ".join(["the explorer from file://:", *problems])


def test_no_page_holds_widget_state(built_book: Path) -> None:
    """No built page embeds ipywidgets state, which would load a widget manager from a CDN."""
    offenders = [
        page.relative_to(built_book).as_posix()
        for page in built_book.rglob("*.html")
        if "application/vnd.jupyter.widget-state+json" in page.read_text(encoding="utf-8")
        or "application/vnd.jupyter.widget-view+json" in page.read_text(encoding="utf-8")
    ]
    assert not offenders, f"pages with ipywidgets state or views: {offenders}"
