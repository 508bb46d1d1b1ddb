"""Drop duplicate ``<script>`` tags from HTML pages.

With Sphinx 7.4 an inline script registered through ``app.add_js_file(None, body=...)``
after the builder has started (as ``sphinx-thebe`` and ``sphinx-togglebutton`` do) is
written into every page twice: once under the file name ``None`` and once under ``''``,
which the builder does not recognise as the same script. Two copies of
``const THEBE_JS_URL = ...`` make the browser throw "Identifier has already been
declared" on every page. Sphinx 8.2 fixes this upstream (sphinx-doc/sphinx#13402); the
book is pinned to Jupyter Book 1 and therefore to Sphinx 7, so this extension removes
the second copy from each page's script list just before the page is rendered.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

__version__ = "1.0.0"


def _script_key(script: Any) -> tuple[Any, ...]:
    """Identity of a script entry, treating a missing file name (None or '') as one."""
    filename = getattr(script, "filename", script) or ""
    priority = getattr(script, "priority", 500)
    attributes = getattr(script, "attributes", {})
    return (filename, priority, tuple(sorted(attributes.items())))


def dedupe_page_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Keep the first of identical script entries (``html-page-context`` handler)."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    if len(unique) != len(scripts):
        context["script_files"] = unique


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the handler; it runs after every other page-context handler."""
    app.connect("html-page-context", dedupe_page_scripts, priority=900)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
