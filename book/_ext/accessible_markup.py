"""Markup fixes that make the book's pages pass axe-core's WCAG 2.1 A/AA rules.

Two pieces of HTML that the book's tools write are rewritten in each page body just
before the page is rendered; the visible page does not change.

**The bibliography.** Docutils writes a list of citations (the ``{bibliography}`` of
``book/intro.md``) as::

    <div role="list" class="citation-list">
    <div class="citation" id="id3" role="doc-biblioentry"> ... </div>
    ...

``doc-biblioentry`` is deprecated (DPUB-ARIA 1.1) and is not a list item, so the ``list``
holds no items: axe-core reports the list as a critical fault (``aria-required-children``)
and every entry as a deprecated role. Each citation gets the role ``listitem`` instead
(only ``<div class="citation" ...>`` tags are touched).

**Folded code cells.** myst-nb writes the toggle of a ``hide-input`` cell as
``<summary aria-label="Toggle hidden content">`` around the text it shows ("Show code
cell source"), so the control's name does not contain its visible text (WCAG 2.5.3,
label in name). Without the ``aria-label`` the summary is named by that text.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx

__version__ = "1.0.0"

#: The opening tag of one citation as docutils writes it, with the deprecated role.
CITATION_TAG = re.compile(r'(<div class="citation"[^>]*?\srole=")doc-biblioentry(")')
#: The summary of a folded cell as myst-nb writes it, and as it is written instead.
FOLDED_SUMMARY = '<summary aria-label="Toggle hidden content">'
PLAIN_SUMMARY = "<summary>"


def citations_as_list_items(body: str) -> str:
    """Return ``body`` with each citation's ``doc-biblioentry`` role made ``listitem``."""
    return CITATION_TAG.sub(r"\1listitem\2", body)


def summaries_named_by_their_text(body: str) -> str:
    """Return ``body`` with the ``aria-label`` of folded cells' summaries removed."""
    return body.replace(FOLDED_SUMMARY, PLAIN_SUMMARY)


def fix_page_markup(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Rewrite citations and folded-cell summaries (``html-page-context`` handler)."""
    body = context.get("body")
    if isinstance(body, str):
        context["body"] = summaries_named_by_their_text(citations_as_list_items(body))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the handler."""
    app.connect("html-page-context", fix_page_markup)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
