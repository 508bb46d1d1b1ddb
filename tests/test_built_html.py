"""Checks of the built HTML book that read its files (no browser needed).

* no page names a script, style sheet, font, image or frame on another host;
* pages with math load MathJax from the site's own copy;
* each redirect stub (the site's ``index.html``) sends the reader to a page of the book.

What the pages do in a browser is tested in ``test_pages.py``.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import book_pages, redirect_target

pytestmark = pytest.mark.built


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


def test_redirect_stubs_point_at_pages(built_book: Path) -> None:
    """``index.html`` is a redirect stub to the first page, which the page tests open."""
    stubs = {
        page: redirect_target(built_book / page)
        for page in book_pages(built_book, stubs=True)
        if redirect_target(built_book / page) is not None
    }
    assert "index.html" in stubs, "the site's index.html is not a redirect stub"
    pages = set(book_pages(built_book))
    for stub, target in stubs.items():
        landing = urljoin(f"https://book/{stub}", target).removeprefix("https://book/")
        assert landing in pages, f"{stub} redirects to {target}, which is not a page of the book"
