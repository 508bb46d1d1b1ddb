"""Let the environment choose whether the build runs the notebooks or shows their stored outputs.

With ``BOOK_EXECUTE`` set, its value replaces ``execute_notebooks`` of ``_config.yml``
(myst-nb's ``nb_execution_mode``): ``off`` renders every notebook's stored outputs without
starting a kernel; ``cache``, ``force``, ``auto`` and ``inline`` are myst-nb's execution
modes. Unset, ``_config.yml`` decides (``cache``: a fresh clone runs every notebook).

``make test`` builds with ``BOOK_EXECUTE=off``: the same ``make test`` runs every notebook
under nbval, which fails when a checked output differs from the stored one, and
``tests/test_stored_outputs.py`` checks that each notebook is stored as one complete run
from top to bottom, so the pages show what the code computes without running it twice.
``make book``, for readers, executes as ``_config.yml`` says.
"""

from __future__ import annotations

import os
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError
from sphinx.util import logging

__version__ = "1.0.0"

logger = logging.getLogger(__name__)

#: The environment variable read, and the values myst-nb accepts for it.
ENV = "BOOK_EXECUTE"
MODES = ("off", "auto", "cache", "force", "inline")


def choose_mode(app: Sphinx, config: Config) -> None:
    """Set ``nb_execution_mode`` from ``$BOOK_EXECUTE`` when it is set."""
    mode = os.environ.get(ENV, "").strip()
    if not mode:
        return
    if mode not in MODES:
        raise ConfigError(f"${ENV} is {mode!r}; expected one of {', '.join(MODES)} or unset")
    if mode != config.nb_execution_mode:
        logger.info(
            "execution_mode: $%s=%s replaces execute_notebooks: %s",
            ENV,
            mode,
            config.nb_execution_mode,
        )
    config.nb_execution_mode = mode


def setup(app: Sphinx) -> dict[str, Any]:
    """Read ``$BOOK_EXECUTE`` once the configuration is known, before myst-nb reads it."""
    app.connect("config-inited", choose_mode)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
