"""Serve MathJax 3 from the built book instead of a CDN.

Sphinx's ``sphinx.ext.mathjax`` points every page at MathJax on a public CDN, so the
default build shows raw TeX when the reader is offline. This extension

* sets ``mathjax_path`` to a path inside the built site (``mathjax/tex-chtml.js`` by
  default). Sphinx treats a relative ``mathjax_path`` as a file under ``_static/`` and
  writes the link relative to each page, so ``index.html`` loads
  ``_static/mathjax/tex-chtml.js`` and ``book/intro.html`` loads
  ``../_static/mathjax/tex-chtml.js``;
* copies the MathJax files that the browser needs at run time into the output folder
  when an HTML build finishes: the combined entry script, the CHTML web fonts, the TeX
  extensions that ``autoload`` and ``\\require`` fetch on demand, and the menu and
  accessibility components (with their speech-rule data) that the context menu loads.

The files come from the ``django-static-mathjax`` distribution (import name ``mathjax``),
which ships the MathJax 3 ``es5`` tree as plain package data; Django is not needed.
The package is located through :mod:`importlib.resources`, never by a fixed path.

Configuration values (all optional, set under ``sphinx.config`` in ``_config.yml``):

``offline_mathjax_dir``
    Folder under the output's ``_static/`` that receives the files (default ``"mathjax"``).

The files are copied by this extension, not listed in ``html_static_path``: that keeps
several megabytes of MathJax out of the source tree and out of Sphinx's asset handling.
``offline_mathjax_entry``
    The MathJax component that pages load (default ``"tex-chtml.js"``).
"""

from __future__ import annotations

import filecmp
import importlib.resources
import os
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util import logging

__version__ = "1.0.0"

logger = logging.getLogger(__name__)

#: Parts of MathJax's ``es5`` folder that a page may request after the entry script.
RUNTIME_PARTS: tuple[str, ...] = (
    "output/chtml/fonts/woff-v2",  # web fonts referenced by the CHTML style sheet
    "input/tex/extensions",  # TeX packages loaded on demand (autoload, \require)
    "ui",  # context menu, lazy typesetting
    "a11y",  # explorer and semantic enrichment, switched on from the menu
    "sre",  # speech-rule engine and its locale data, used by the explorer
)


def mathjax_es5_dir() -> Path:
    """Return the folder holding MathJax 3's ``es5`` build.

    :raises ExtensionError: if ``django-static-mathjax`` is not installed or does not
        contain the expected files.
    """
    try:
        package_root = importlib.resources.files("mathjax")
    except ModuleNotFoundError as error:
        msg = (
            "offline_mathjax: the 'mathjax' package is missing; install "
            "'django-static-mathjax' (it is listed in requirements.txt)"
        )
        raise ExtensionError(msg) from error
    es5 = Path(os.fspath(package_root)) / "static" / "mathjax" / "es5"
    if not (es5 / "startup.js").is_file():
        msg = f"offline_mathjax: no MathJax 3 'es5' build found in the 'mathjax' package ({es5})"
        raise ExtensionError(msg)
    return es5


def _entry_url(config: Config) -> str:
    """Return the entry script's path below ``_static/``, e.g. ``mathjax/tex-chtml.js``."""
    folder = str(config.offline_mathjax_dir).strip("/")
    return f"{folder}/{config.offline_mathjax_entry}"


def set_mathjax_path(app: Sphinx, config: Config) -> None:
    """Point ``mathjax_path`` at the local copy (``config-inited`` handler)."""
    es5 = mathjax_es5_dir()
    entry = es5 / config.offline_mathjax_entry
    if not entry.is_file():
        msg = f"offline_mathjax: MathJax has no component named {config.offline_mathjax_entry!r}"
        raise ExtensionError(msg)
    config.mathjax_path = _entry_url(config)


def _copy_if_changed(src: str, dst: str) -> str:
    """Copy ``src`` to ``dst`` unless an identical file is already there."""
    if os.path.exists(dst) and filecmp.cmp(src, dst, shallow=True):
        return dst
    return shutil.copy2(src, dst)


def copy_mathjax(app: Sphinx, exception: BaseException | None) -> None:
    """Copy the MathJax runtime files into the HTML output (``build-finished`` handler)."""
    if exception is not None or app.builder.format != "html":
        return
    es5 = mathjax_es5_dir()
    target = Path(app.outdir) / "_static" / str(app.config.offline_mathjax_dir).strip("/")
    target.mkdir(parents=True, exist_ok=True)

    entry = str(app.config.offline_mathjax_entry)
    (target / entry).parent.mkdir(parents=True, exist_ok=True)
    _copy_if_changed(str(es5 / entry), str(target / entry))
    for part in RUNTIME_PARTS:
        shutil.copytree(
            es5 / part,
            target / part,
            copy_function=_copy_if_changed,
            dirs_exist_ok=True,
        )
    licence = es5.parent / "LICENSE"
    if licence.is_file():
        _copy_if_changed(str(licence), str(target / "LICENSE"))
    logger.info("offline_mathjax: MathJax copied to %s", target)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the configuration values and event handlers with Sphinx."""
    app.setup_extension("sphinx.ext.mathjax")
    app.add_config_value("offline_mathjax_dir", "mathjax", "html", types=[str])
    app.add_config_value("offline_mathjax_entry", "tex-chtml.js", "html", types=[str])
    # Run after other config-inited handlers so nothing resets the path afterwards.
    app.connect("config-inited", set_mathjax_path, priority=900)
    app.connect("build-finished", copy_mathjax)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
