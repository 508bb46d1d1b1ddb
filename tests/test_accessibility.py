"""Accessibility of the built HTML book: axe-core on every page, in both colour themes.

Every page of ``_build/html`` is opened from the local HTTP server in headless system
Chromium, once in the theme's light mode and once in its dark mode, and checked with
axe-core (the copy bundled by ``axe-playwright-python``) against the WCAG 2.0 and 2.1
A and AA rules. A page fails on any *critical* or *serious* violation; the failure lists
each rule with the elements (CSS selectors) that break it. Moderate and minor findings
are printed, not asserted.

The kernel-free explorer of chapter 3.6 is also driven from the keyboard alone: every
control is reached with Tab, has a name, and moves with the arrow keys.
The fixtures (server, browser, page discovery) live in ``conftest.py``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

PAGE_TIMEOUT_MS = 30_000
MATHJAX_TIMEOUT_MS = 30_000
#: The rule sets checked: WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Rules run besides those tags. WCAG 2.5.3 "Label in Name" (level A: a control's name
#: contains the text it shows) is still marked experimental in the axe-core release that
#: axe-playwright-python bundles, and experimental rules only run when named.
EXTRA_RULES = ["label-content-name-mismatch"]
#: Impacts that fail the test.
FAILING_IMPACTS = ("critical", "serious")
#: The theme's colour modes; the page stores the reader's choice under ``mode``.
THEMES = ("light", "dark")
EXPLORER_PAGE = os.environ.get("BOOK_EXPLORER_PAGE", "book/03_6_backprop_algorithm.html")

#: Resolves once MathJax (if the page loads it) has typeset the page.
MATHJAX_DONE_JS = """
async () => {
  const usesMathJax = Array.from(document.scripts).some(s => /mathjax/i.test(s.src));
  if (!usesMathJax) return true;
  for (let i = 0; i < 100 && !(window.MathJax && MathJax.startup && MathJax.startup.promise);
       i++) {
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) return false;
  await MathJax.startup.promise;
  return true;
}
"""


def _open(browser: Any, book_server: str, book_page: str, theme: str) -> tuple[Any, Any]:
    """Open ``book_page`` in a fresh context with the theme's colour mode set to ``theme``."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        service_workers="block",
        color_scheme=theme,
    )
    origin = book_server + "/"
    context.route(lambda url: not url.startswith(origin), lambda route: route.abort())
    # What the theme's switcher stores; the page reads it before it first paints.
    context.add_init_script(
        f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');"
    )
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.goto(f"{book_server}/{book_page}", wait_until="load")
    page.wait_for_function(MATHJAX_DONE_JS, timeout=MATHJAX_TIMEOUT_MS)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    return context, page


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2.0/2.1 A and AA rules on ``page``; return its violations."""
    from axe_playwright_python.sync_playwright import Axe

    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "rules": {rule: {"enabled": True} for rule in EXTRA_RULES},
        "resultTypes": ["violations"],
    }
    return Axe().run(page, options=options).response["violations"]


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


@pytest.mark.parametrize("theme", THEMES)
def test_page_has_no_serious_accessibility_violations(
    book_page: str, theme: str, built_book: Path, book_server: str, browser: Any
) -> None:
    """axe-core finds nothing critical or serious on the page, in light and in dark mode."""
    context, page = _open(browser, book_server, book_page, theme)
    try:
        shown_theme = page.evaluate("() => document.documentElement.dataset.theme")
        assert shown_theme == theme, f"{book_page}: the page shows the {shown_theme!r} theme"
        violations = axe_violations(page)
    finally:
        context.close()
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    if minor := [v for v in violations if v["impact"] not in FAILING_IMPACTS]:
        print(f"{book_page} ({theme}): not failing the test:\n  {describe(minor)}")
    assert not failing, f"{book_page} ({theme}), axe-core:\n  {describe(failing)}"


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


def test_explorer_is_usable_from_the_keyboard(
    built_book: Path, book_server: str, browser: Any
) -> None:
    """Tab reaches each explorer control; each is named; arrow keys change it and the picture."""
    if not (built_book / EXPLORER_PAGE).is_file():
        pytest.fail(f"{EXPLORER_PAGE} is not in the built book", pytrace=False)
    context, page = _open(browser, book_server, EXPLORER_PAGE, "light")
    try:
        controls = page.locator(
            ".nnlib-explorer input, .nnlib-explorer select, .nnlib-explorer button"
        )
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
    finally:
        context.close()
    assert len(set(reached)) == count, f"Tab reached {reached}, the explorer has {count} controls"
