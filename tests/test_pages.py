"""Every page of the built book in headless system Chromium: it renders, offline, and is accessible.

Each page of ``_build/html`` is opened once, from the local HTTP server, and three tests
read that one open page:

* it renders offline: no console errors, no uncaught page errors, no failed or 4xx/5xx
  responses, no request to any host but the local server; MathJax loaded and typeset
  every piece of math, with no TeX error boxes and no raw ``$$``, ``\\(`` or ``\\[``
  delimiters left in the visible text of the article; every ``<img>`` loaded;
* axe-core finds nothing critical or serious in the theme's light mode, with every
  WCAG 2.0 and 2.1 A and AA rule;
* nor in its dark mode, switched on the open page. The dark mode changes only colours
  (its CSS keys on ``html[data-theme="dark"]``), so only the rules of axe-core's colour
  category can come out differently there, and those are the rules run: the colour
  contrast of text and of links within text.

The colours of the code in code cells come from one style sheet (the syntax highlighting
of each token class on the code background), the same on every page, and the code is
most of a chapter's text. So the colour rules skip the code of code cells on the pages,
and one more test checks a specimen instead: a code cell of the book with one token of
every class the style sheets colour, in light and in dark mode. Every other rule still
reads the code cells of every page.

Moderate and minor axe findings are printed, not asserted. Set ``BOOK_SCREENSHOTS`` to a
folder to also save a full-page screenshot of each page there, for people to look at
(CI keeps them with the built book). The fixtures (server, browser, page discovery) live
in ``conftest.py``, the browser helpers in ``book_browser.py``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from book_browser import (
    PageLog,
    axe_results,
    axe_violations,
    colour_rules,
    describe,
    failing,
    open_page,
    set_theme,
    wait_for_mathjax,
    wcag_rules,
)
from conftest import book_pages

pytestmark = pytest.mark.browser

#: Set to a folder to save a full-page screenshot of every page there.
SCREENSHOTS_ENV = "BOOK_SCREENSHOTS"
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
class OpenPage:
    """A page of the book, open in Chromium, and what was wrong with it as it rendered."""

    path: str
    page: Any
    log: PageLog
    #: What was wrong with the page as it rendered, and with what it asked of the network.
    render_problems: list[str]


def _render_problems(page: Any) -> list[str]:
    """Wait for MathJax, fonts and images; return what is wrong with the rendered page."""
    problems: list[str] = []
    state = page.evaluate(MATH_STATE_JS)
    if state["mathjaxScript"] or state["math"]:
        if not state["mathjaxScript"]:
            problems.append(f"{state['math']} math elements but no MathJax script")
        elif error := wait_for_mathjax(page):
            problems.append(error)
        state = page.evaluate(MATH_STATE_JS)
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
    return problems


@pytest.fixture(scope="module")
def open_book_page(
    book_page: str, built_book: Path, book_server: str, browser: Any
) -> Iterator[OpenPage]:
    """``book_page`` opened once in light mode and rendered, for every test of that page."""
    context, page, log = open_page(browser, book_server, book_page, "light")
    try:
        # The log is read now: axe-core, run later on the same page, makes requests of its
        # own (it fetches the style sheets to read them).
        problems = _render_problems(page) + log.problems()
        if folder := os.environ.get(SCREENSHOTS_ENV):
            Path(folder).mkdir(parents=True, exist_ok=True)
            name = book_page.removesuffix(".html").replace("/", "__") + ".png"
            page.screenshot(path=str(Path(folder) / name), full_page=True)
        yield OpenPage(book_page, page, log, problems)
    finally:
        context.close()


def test_page_renders_offline(open_book_page: OpenPage) -> None:
    """The page loads cleanly, its math is typeset, its images load, nothing is remote."""
    problems = open_book_page.render_problems
    assert not problems, f"{open_book_page.path}:\n  " + "\n  ".join(problems)


#: The code of the code cells, skipped by the colour rules on the pages (the specimen
#: test checks its colours once per colour mode).
CODE = ".cell_input .highlight"
#: The id of the specimen code cell.
SPECIMEN = "code-colour-specimen"

#: Adds, after the first visible code cell, a copy of it whose code is a line of plain
#: text and one token of every class that a style sheet colours inside ``.highlight``;
#: returns the class names (null when the page shows no code cell).
CODE_SPECIMEN_JS = """
(id) => {
  const classes = new Set();
  for (const sheet of document.styleSheets) {
    let rules;
    try { rules = sheet.cssRules; } catch (e) { continue; }
    for (const rule of rules) {
      if (!rule.style || !rule.style.color) continue;
      for (const m of (rule.selectorText || '').matchAll(/\\.highlight \\.([\\w-]+)(?![\\w-])/g)) {
        classes.add(m[1]);
      }
    }
  }
  const shown = Array.from(document.querySelectorAll('.cell_input'))
    .find(cell => cell.offsetParent !== null && cell.querySelector('.highlight pre'));
  if (!shown) return null;
  const specimen = shown.cloneNode(true);
  specimen.id = id;
  const pre = specimen.querySelector('.highlight pre');
  pre.textContent = 'plain text\\n';
  const names = Array.from(classes).sort();
  for (const name of names) {
    const span = document.createElement('span');
    span.className = name;
    span.textContent = `token ${name}`;
    pre.append(span, '\\n');
  }
  shown.after(specimen);
  return names;
}
"""


def _check_axe(where: str, violations: list[dict[str, Any]]) -> None:
    """Print the moderate and minor violations; fail on the critical and serious ones."""
    if minor := [v for v in violations if v not in failing(violations)]:
        print(f"{where}: not failing the test:\n  {describe(minor)}")
    assert not failing(violations), f"{where}, axe-core:\n  {describe(failing(violations))}"


def _colour_rules(page: Any) -> list[str]:
    rules = colour_rules(page)
    assert "color-contrast" in rules, f"axe-core's colour rules are {rules}"
    return rules


def test_page_is_accessible_in_light_mode(open_book_page: OpenPage) -> None:
    """axe-core's WCAG 2.0/2.1 A and AA rules find nothing critical or serious."""
    page = open_book_page.page
    shown = set_theme(page, "light")
    assert shown == "light", f"{open_book_page.path}: the page shows the {shown!r} theme"
    colour = _colour_rules(page)
    others = [rule for rule in wcag_rules(page) if rule not in colour]
    violations = axe_violations(page, others) + axe_violations(page, colour, {"exclude": [[CODE]]})
    _check_axe(f"{open_book_page.path} (light)", violations)


def test_page_is_accessible_in_dark_mode(open_book_page: OpenPage) -> None:
    """In dark mode, axe-core's colour rules find nothing critical or serious."""
    page = open_book_page.page
    shown = set_theme(page, "dark")
    assert shown == "dark", f"{open_book_page.path}: the page shows the {shown!r} theme"
    violations = axe_violations(page, _colour_rules(page), {"exclude": [[CODE]]})
    _check_axe(f"{open_book_page.path} (dark)", violations)


def test_every_code_colour_is_legible_in_both_modes(
    built_book: Path, book_server: str, browser: Any
) -> None:
    """A code cell holding every token class the style sheets colour passes the colour rules."""
    chapters = [
        p for p in book_pages(built_book) if 'class="cell_input' in (built_book / p).read_text()
    ]
    assert chapters, "no page of the book shows a code cell"
    context, page, _ = open_page(browser, book_server, chapters[0], "light")
    try:
        wait_for_mathjax(page)
        names = page.evaluate(CODE_SPECIMEN_JS, SPECIMEN)
        assert names and len(names) >= 20, f"{chapters[0]}: token classes {names}"
        rules = _colour_rules(page)
        for theme in ("light", "dark"):
            assert set_theme(page, theme) == theme
            found = axe_results(
                page, rules, {"include": [[f"#{SPECIMEN}"]]}, ("violations", "passes", "incomplete")
            )
            where = f"{chapters[0]}, code specimen ({theme})"
            _check_axe(where, found["violations"] + found["incomplete"])
            checked = sum(
                len(r["nodes"])
                for kind in ("violations", "passes", "incomplete")
                for r in found[kind]
                if r["id"] == "color-contrast"
            )
            # plain text and one token per class: all of them read by the contrast rule
            assert checked == len(names) + 1, f"{theme}: {checked} of {len(names) + 1} tokens read"
    finally:
        context.close()
