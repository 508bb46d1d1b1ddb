"""The kernel-free stepper in headless Chromium, with the network blocked.

The stepper of the worked example (:func:`nnlib.stepper.stepper`) is written into a page
of its own (:meth:`~nnlib.stepper.Stepper.page`) that loads MathJax 3 from a local copy,
as the book's pages do, and opened over HTTP (a local server) and from ``file://``.  The
tests step through every step with the buttons and with the keyboard and check, at every
step, the counter and the highlighted node or edge, and at several steps the numbers
written on the drawing and read to a screen reader against nnlib's forward, backward and
step values computed here; they step back, go back to the start, check that MathJax
typesets the equations (and that without MathJax the LaTeX is shown as text), and run
axe-core.  Every request that is not to the local server or a file is aborted, and
none may be made.

When chapter 3.6 hosts the stepper (a code cell calling ``stepper(``), the walk with the
buttons is also made on the built chapter page (``BOOK_STEPPER_PAGE`` names another page).
"""

from __future__ import annotations

import functools
import http.server
import importlib.resources
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nnlib.stepper import Step, shown, stepper
from nnlib.worked_example import worked_example

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[1]
CHAPTER = REPO_ROOT / "book" / "03_6_backprop_algorithm.ipynb"
CHAPTER_PAGE = os.environ.get("BOOK_STEPPER_PAGE", "book/03_6_backprop_algorithm.html")
LR = 0.5
N_STEPS = 37
PAGE_TIMEOUT_MS = 30_000
#: Steps whose numbers are compared with nnlib's: forward, loss, output delta, the
#: recursion, a first-layer gradient, an update and the loss after the update.
CHECKPOINTS = (1, 2, 9, 10, 11, 12, 14, 15, 21, 22, 26, 30, 35, 37)
#: What each kind of step writes on the drawing before its value.
PREFIX = {
    "forward-z": "z=",
    "forward-h": "h=",
    "loss": "Loss=",
    "output-delta": "\u03b4=",
    "hidden-delta": "\u03b4=",
    "weight-gradient": "dW=",
    "update": "W\u2190",
    "new-loss": "Loss\u2032=",
}

STATE_JS = """
(root) => {
  const r = document.getElementById(root);
  const hot = r.querySelectorAll('.nns-hot');
  const now = r.querySelector('.nns-now');
  const off = Array.from(r.querySelectorAll('[id]'))
    .filter(e => e.classList.contains('nns-off')).map(e => e.id);
  return {
    counter: r.querySelector('.nns-counter').textContent,
    hot: Array.from(hot).map(e => e.id),
    now: now ? now.textContent : null,
    nowVisible: now ? getComputedStyle(now).visibility === 'visible' : null,
    live: r.querySelector('.nns-live').textContent,
    off: off,
    next: r.querySelector('.nns-next').getAttribute('aria-disabled'),
    prev: r.querySelector('.nns-prev').getAttribute('aria-disabled'),
    href: r.querySelector('.nns-ref a').getAttribute('href'),
    refHidden: r.querySelector('.nns-ref').hidden,
  };
}
"""


def _value(values: dict[tuple, float], kind: str, k: int, i: int, j: int | None) -> float:
    return values[kind, k, i, j]


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    """nnlib's numbers for the worked example, computed here, and the steps' names."""
    ex = worked_example()
    net, x, y = ex.net, ex.x, ex.y
    fw = net.forward(x)
    grads = net.backward(fw, y)
    after = net.copy()
    after.step(grads, LR)
    top = net.L + 1
    values: dict[tuple, float] = {
        ("loss", top, 1, None): net.cost(fw, y),
        ("output-delta", top, 1, None): float(grads.dz[top][0]),
        ("new-loss", top, 1, None): after.cost(after.forward(x), y),
    }
    for k in net.layers:
        for i in range(1, net.sizes[k] + 1):
            values["forward-z", k, i, None] = float(fw.z[k][i - 1])
            values["forward-h", k, i, None] = float(fw.h[k][i - 1])
            if k < top:
                values["hidden-delta", k, i, None] = float(grads.dz[k][i - 1])
            for j in range(1, net.sizes[k - 1] + 1):
                values["weight-gradient", k, i, j] = float(grads.dW[k][i - 1, j - 1])
                values["update", k, i, j] = float(after.W[k][i - 1, j - 1])
    made = stepper(net, x, y, LR)
    return {"values": values, "steps": made.steps, "root": made.element_id, "stepper": made}


def _element(step: Step) -> str:
    """The drawing's element a step computes, by the book's rule (not the library's)."""
    if step.kind in ("weight-gradient", "update"):
        return f"edge-{step.k}-{step.i}-{step.j}"
    return f"node-{step.k}-{step.i}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, expected: dict[str, Any]) -> Path:
    """A folder with the stepper's page (MathJax from a local copy) and one without MathJax."""
    folder = tmp_path_factory.mktemp("stepper-site")
    es5 = Path(os.fspath(importlib.resources.files("mathjax"))) / "static" / "mathjax" / "es5"
    assert (es5 / "tex-chtml.js").is_file(), "MathJax 3 (django-static-mathjax) is missing"
    (folder / "_static").mkdir()
    (folder / "_static" / "mathjax").symlink_to(es5, target_is_directory=True)
    (folder / "book").mkdir()
    made = expected["stepper"]
    (folder / "book" / "stepper.html").write_text(
        made.page(mathjax="../_static/mathjax/tex-chtml.js"), encoding="utf-8"
    )
    (folder / "book" / "plain.html").write_text(made.page(), encoding="utf-8")
    return folder


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log."""


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


class _Log:
    """Requests, console errors and page errors of one page."""

    def __init__(self, page: Any, local: tuple[str, ...]) -> None:
        self.local = local
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def remote(self) -> list[str]:
        return sorted({u for u in self.requests if not u.startswith(self.local)})


def _open(browser: Any, url: str, local: tuple[str, ...]) -> tuple[Any, Any, _Log]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.route(lambda u: not u.startswith(local), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    log = _Log(page, local)
    page.goto(url, wait_until="load")
    page.locator(".nnlib-stepper").scroll_into_view_if_needed()
    return context, page, log


def _rendered(page: Any, root: str) -> None:
    """Wait until the step's equations are typeset (at once when there is no MathJax)."""
    page.evaluate("(root) => document.getElementById(root).nnsRendered", root)


def _check(page: Any, n: int, expected: dict[str, Any], numbers: bool) -> list[str]:
    """What is wrong with the stepper's state after step ``n``."""
    root, sequence = expected["root"], expected["steps"]
    state = page.evaluate(STATE_JS, root)
    problems = []
    if state["counter"] != f"step {n} of {N_STEPS}":
        problems.append(f"after step {n}: counter {state['counter']!r}")
    if n == 0:
        if state["hot"] or state["now"] is not None:
            problems.append(f"at the start: {state['hot']} highlighted")
        if not state["refHidden"]:
            problems.append("at the start: an equation link is shown")
        return problems
    step = sequence[n - 1]
    if state["hot"] != [f"{root}-{_element(step)}"]:
        problems.append(f"step {n} ({step.kind}): highlighted {state['hot']}")
    if numbers:
        value = _value(expected["values"], step.kind, step.k, step.i, step.j)
        printed = shown(value).replace("-", "\u2212")
        if state["now"] != f"{PREFIX[step.kind]}{printed}" or not state["nowVisible"]:
            problems.append(
                f"step {n} ({step.kind}): the drawing shows {state['now']!r} "
                f"(visible: {state['nowVisible']}), nnlib's value is {value!r}"
            )
        if not state["live"].startswith(f"Step {n} of {N_STEPS}.") or not state["live"].endswith(
            f"= {printed}"
        ):
            problems.append(f"step {n}: the live region reads {state['live']!r}")
        if not state["href"].endswith(f".html#equation-{step.label}"):
            problems.append(f"step {n}: the equation links to {state['href']!r}")
    # values of later steps are hidden, earlier ones shown
    hidden = set(state["off"])
    for s in sequence:
        slot = f"{root}-{_slot(s)}"
        if (s.id <= n) == (slot in hidden):
            problems.append(
                f"after step {n}: the value of step {s.id} is {'hidden' if s.id <= n else 'shown'}"
            )
            break
    return problems


def _slot(step: Step) -> str:
    names = {"forward-z": "z", "forward-h": "h", "output-delta": "d", "hidden-delta": "d"}
    if step.kind in names:
        return f"{names[step.kind]}-{step.k}-{step.i}"
    if step.kind in ("weight-gradient", "update"):
        return f"{'g' if step.kind == 'weight-gradient' else 'u'}-{step.k}-{step.i}-{step.j}"
    return "loss" if step.kind == "loss" else "newloss"


def _walk_buttons(page: Any, expected: dict[str, Any]) -> list[str]:
    root = expected["root"]
    problems = _check(page, 0, expected, numbers=False)
    for n in range(1, N_STEPS + 1):
        page.click(f"#{root} .nns-next")
        if n in CHECKPOINTS:
            _rendered(page, root)
        problems += _check(page, n, expected, numbers=n in CHECKPOINTS)
    state = page.evaluate(STATE_JS, root)
    if state["next"] != "true":
        problems.append("at the last step Next is not marked disabled")
    page.click(f"#{root} .nns-next", force=True)  # nothing beyond the last step
    problems += _check(page, N_STEPS, expected, numbers=True)
    page.click(f"#{root} .nns-prev")
    problems += _check(page, N_STEPS - 1, expected, numbers=True)
    page.click(f"#{root} .nns-prev")
    problems += _check(page, N_STEPS - 2, expected, numbers=True)
    page.click(f"#{root} .nns-start")
    problems += _check(page, 0, expected, numbers=False)
    if page.evaluate(STATE_JS, root)["prev"] != "true":
        problems.append("at the start Previous is not marked disabled")
    return problems


def _walk_keys(page: Any, expected: dict[str, Any]) -> list[str]:
    root = expected["root"]
    page.focus(f"#{root}")
    problems = []
    for n in range(1, N_STEPS + 1):
        page.keyboard.press("ArrowRight" if n % 2 else "ArrowDown")
        problems += _check(page, n, expected, numbers=n in CHECKPOINTS)
    page.keyboard.press("ArrowLeft")
    problems += _check(page, N_STEPS - 1, expected, numbers=True)
    page.keyboard.press("ArrowUp")
    problems += _check(page, N_STEPS - 2, expected, numbers=True)
    page.keyboard.press("Home")
    problems += _check(page, 0, expected, numbers=False)
    page.keyboard.press("End")
    problems += _check(page, N_STEPS, expected, numbers=True)
    page.keyboard.press("Home")
    return problems


def test_buttons_walk_every_step_over_http(browser: Any, server: str, expected: dict) -> None:
    context, page, log = _open(browser, f"{server}/book/stepper.html", (server + "/",))
    try:
        problems = _walk_buttons(page, expected)
    finally:
        context.close()
    problems += log.errors
    if remote := log.remote():
        problems.append(f"requests to other hosts: {remote}")
    assert not problems, "\n  ".join(["buttons, over HTTP:", *problems])


def test_keyboard_walks_every_step(browser: Any, server: str, expected: dict) -> None:
    context, page, log = _open(browser, f"{server}/book/stepper.html", (server + "/",))
    try:
        problems = _walk_keys(page, expected)
        # the focus is visible: a button reached with Tab has an outline
        page.keyboard.press("Tab")
        outline = page.evaluate(
            "() => { const e = document.activeElement; const s = getComputedStyle(e);"
            " return [e.className, s.outlineStyle, s.outlineWidth]; }"
        )
    finally:
        context.close()
    assert outline[0] == "nns-start" and outline[1] != "none" and outline[2] != "0px", outline
    problems += log.errors
    assert not problems, "\n  ".join(["keyboard:", *problems])


def test_from_file_url_offline(browser: Any, site: Path, expected: dict) -> None:
    url = (site / "book" / "stepper.html").as_uri()
    context, page, log = _open(browser, url, ("file://", "data:", "about:"))
    try:
        problems = _walk_keys(page, expected)
    finally:
        context.close()
    # Chromium may refuse web fonts from file:// (its CORS rule); MathJax's affair.
    problems += [e for e in log.errors if not ("font" in e.lower() or ".woff" in e)]
    if remote := log.remote():
        problems.append(f"requests outside file://: {remote}")
    assert not problems, "\n  ".join(["from file://:", *problems])


def test_mathjax_typesets_each_step_and_without_it_the_latex_is_shown(
    browser: Any, server: str, expected: dict
) -> None:
    root, step = expected["root"], expected["steps"][14]
    results = {}
    for name in ("stepper", "plain"):
        context, page, log = _open(browser, f"{server}/book/{name}.html", (server + "/",))
        try:
            for _ in range(15):
                page.click(f"#{root} .nns-next")
            _rendered(page, root)
            results[name] = page.evaluate(
                "(root) => { const r = document.getElementById(root);"
                " return [r.querySelectorAll('.nns-eq mjx-container, .nns-num mjx-container').length,"
                " r.querySelectorAll('.nns-reads mjx-container').length,"
                " r.querySelector('.nns-num').textContent]; }",
                root,
            )
        finally:
            context.close()
        assert not log.errors, log.errors
    assert results["stepper"][0] == 2 and results["stepper"][1] == len(step.reads)
    assert results["plain"][:2] == [0, 0]
    assert results["plain"][2] == f"\\[{step.numbers}\\]"


def test_no_critical_or_serious_axe_violations(browser: Any, server: str, expected: dict) -> None:
    from axe_playwright_python.sync_playwright import Axe

    root = expected["root"]
    options = {
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "rules": {"label-content-name-mismatch": {"enabled": True}},
        "resultTypes": ["violations"],
    }
    context, page, _ = _open(browser, f"{server}/book/stepper.html", (server + "/",))
    found = []
    try:
        page.evaluate("(root) => document.getElementById(root).nnsPrepared", root)
        for n in (0, 15, N_STEPS):
            page.evaluate("([root, n]) => document.getElementById(root).nnsShow(n)", [root, n])
            _rendered(page, root)
            for v in Axe().run(page, options=options).response["violations"]:
                if v["impact"] in ("critical", "serious"):
                    targets = [" ".join(map(str, node["target"])) for node in v["nodes"]]
                    found.append(f"step {n}: {v['impact']} {v['id']}: {targets[:4]}")
    finally:
        context.close()
    assert not found, "\n  ".join(found)


def _chapter_hosts_stepper() -> bool:
    cells = json.loads(CHAPTER.read_text(encoding="utf-8"))["cells"]
    return any(
        c["cell_type"] == "code"
        and "stepper" in "".join(c["source"])
        and "stepper(" in "".join(c["source"])
        for c in cells
    )


def _walk_the_chapter(browser: Any, built_book: Path, book_server: str, expected: dict) -> None:
    page_file = built_book / CHAPTER_PAGE
    text = page_file.read_text(encoding="utf-8")
    assert text.count('class="nnlib-stepper"') == 1, f"{CHAPTER_PAGE} should hold one stepper"
    assert f'id="{expected["root"]}"' in text, "the page's stepper is not the worked example's"
    context, page, log = _open(browser, f"{book_server}/{CHAPTER_PAGE}", (book_server + "/",))
    try:
        # The keys are the same script's (walked on the stepper's own page above).
        problems = _walk_buttons(page, expected)
    finally:
        context.close()
    problems += log.errors
    if remote := log.remote():
        problems.append(f"requests to other hosts: {remote}")
    assert not problems, "\n  ".join([f"{CHAPTER_PAGE}:", *problems])


if _chapter_hosts_stepper():  # the chapter's page is tested once the chapter shows the stepper
    test_the_built_chapter_page_walks_too = _walk_the_chapter
