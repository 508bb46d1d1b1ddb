"""Opening pages of the built book in headless Chromium, for the browser tests.

One place for what every browser test of the built pages does: a fresh browser context
whose requests to any host but the local book server are recorded and refused, the
theme's colour mode set before the page first paints, a wait until MathJax has typeset
the page, switching the colour mode of a page already open, and axe-core (the copy
bundled by ``axe-playwright-python``) run with the book's rule set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PAGE_TIMEOUT_MS = 30_000
MATHJAX_START_TIMEOUT_MS = 5_000
MATHJAX_TYPESET_TIMEOUT_MS = 30_000
VIEWPORT = {"width": 1280, "height": 900}
LOCAL_SCHEMES = ("data:", "blob:", "about:")
#: The theme's colour modes; the page stores the reader's choice under ``mode``.
THEMES = ("light", "dark")
#: The rule sets checked: WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Rules run besides those tags. WCAG 2.5.3 "Label in Name" (level A: a control's name
#: contains the text it shows) is still marked experimental in the axe-core release that
#: axe-playwright-python bundles, and experimental rules only run when named.
EXTRA_RULES = ["label-content-name-mismatch"]
#: Impacts that fail a test.
FAILING_IMPACTS = ("critical", "serious")

#: The WCAG A/AA rules of axe-core's colour category: the only rules whose outcome can
#: change when the page's colour mode changes and nothing else does.
COLOUR_RULES_JS = """
(tags) => {
  const wcag = new Set(axe.getRules(tags).map(r => r.ruleId));
  return axe.getRules(['cat.color']).map(r => r.ruleId).filter(id => wcag.has(id));
}
"""

#: Switches the theme's colour mode the way its switcher does (the ``data-mode`` and
#: ``data-theme`` attributes of <html> and the stored choice), then waits until every CSS
#: transition it started has finished, so that axe reads the final colours.
SET_THEME_JS = """
async (theme) => {
  localStorage.setItem('mode', theme);
  localStorage.setItem('theme', theme);
  document.documentElement.dataset.mode = theme;
  document.documentElement.dataset.theme = theme;
  await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  await Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)));
  return document.documentElement.dataset.theme;
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
        return sorted({url for url in self.requests if not self.is_local(url)})

    def problems(self) -> list[str]:
        """One line per kind of thing that went wrong while the page was open."""
        problems = []
        if remote := self.remote_requests():
            problems.append(f"requests to other hosts: {remote}")
        if self.console_errors:
            problems.append(f"console errors: {self.console_errors}")
        if self.page_errors:
            problems.append(f"page errors: {self.page_errors}")
        if self.bad_responses:
            problems.append(f"error responses: {self.bad_responses}")
        local_failures = [f for f in self.failed_requests if self.is_local(f.split(" ", 1)[0])]
        if local_failures:
            problems.append(f"failed requests: {local_failures}")
        return problems

    def attach(self, page: Any) -> None:
        """Record the requests, responses, console errors and page errors of ``page``."""
        page.on("request", lambda request: self.requests.append(request.url))
        page.on(
            "requestfailed",
            lambda request: self.failed_requests.append(f"{request.url} ({request.failure})"),
        )
        page.on(
            "response",
            lambda response: (
                self.bad_responses.append(f"{response.status} {response.url}")
                if response.status >= 400
                else None
            ),
        )
        page.on(
            "console",
            lambda message: (
                self.console_errors.append(f"{message.text} [{message.location.get('url', '')}]")
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))


def open_page(
    browser: Any, origin: str, path: str, theme: str = "light"
) -> tuple[Any, Any, PageLog]:
    """Open ``origin/path`` in a fresh context, colour mode ``theme``; return context, page, log.

    Requests to any other host are recorded in the log, then refused, so that a test never
    waits on a network that may not exist. The caller closes the context.
    """
    log = PageLog(origin=origin)
    context = browser.new_context(viewport=VIEWPORT, service_workers="block", color_scheme=theme)
    context.route(lambda url: not log.is_local(url), lambda route: route.abort())
    # What the theme's switcher stores; the page reads it before it first paints.
    context.add_init_script(
        f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');"
    )
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    log.attach(page)
    page.goto(f"{origin}/{path}", wait_until="load")
    return context, page, log


def wait_for_mathjax(page: Any) -> str | None:
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


def set_theme(page: Any, theme: str) -> str:
    """Switch the open page's colour mode to ``theme``; return the mode the page shows."""
    page.emulate_media(color_scheme=theme)
    return page.evaluate(SET_THEME_JS, theme)


def _axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _load_axe(page: Any) -> None:
    """Load axe-core into ``page`` unless it is there (the script is about 500 kB)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe().axe_script)


def colour_rules(page: Any) -> list[str]:
    """The WCAG A/AA rules of axe-core's colour category (loads axe-core into ``page``)."""
    _load_axe(page)
    return page.evaluate(COLOUR_RULES_JS, WCAG_TAGS)


def wcag_rules(page: Any) -> list[str]:
    """The book's rule set by name: WCAG 2.0/2.1 A and AA, and :data:`EXTRA_RULES`."""
    _load_axe(page)
    names = page.evaluate("(tags) => axe.getRules(tags).map(r => r.ruleId)", WCAG_TAGS)
    return names + [rule for rule in EXTRA_RULES if rule not in names]


def axe_results(
    page: Any,
    rules: list[str] | None = None,
    context: dict[str, Any] | None = None,
    result_types: tuple[str, ...] = ("violations",),
) -> dict[str, Any]:
    """Run axe-core on ``page`` (or the part ``context`` selects) and return its results.

    ``rules`` None runs the book's WCAG 2.0/2.1 A and AA rule set, else only the rules named.
    """
    if rules is None:
        options: dict[str, Any] = {
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "rules": {rule: {"enabled": True} for rule in EXTRA_RULES},
        }
    else:
        options = {"runOnly": {"type": "rule", "values": rules}}
    options["resultTypes"] = list(result_types)
    _load_axe(page)
    return page.evaluate(
        "([context, options]) => axe.run(context || document, options)", [context, options]
    )


def axe_violations(
    page: Any, rules: list[str] | None = None, context: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The violations of :func:`axe_results`, each with its impact, rule id, help and nodes."""
    return axe_results(page, rules, context)["violations"]


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per rule: impact, rule id, what it asks, and the selectors of its nodes."""
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        shown = "; ".join(targets[:8]) + (
            f"; ... ({len(targets)} in all)" if len(targets) > 8 else ""
        )
        lines.append(f"{violation['impact']}: {violation['id']} ({violation['help']}) -- {shown}")
    return "\n  ".join(lines)


def failing(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The violations whose impact fails a test (critical or serious)."""
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]
