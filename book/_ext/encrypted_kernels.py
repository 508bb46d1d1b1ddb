"""Execute the book's notebooks over an encrypted kernel connection.

ipykernel (7.4 and later) logs, once per kernel it starts, "Kernel is running over TCP
without encryption": the notebook client and the kernel talk over local TCP sockets in
plain text unless the kernel manager hands the kernel CurveZMQ keys. jupyter_client (8.9
and later) does that when ``KernelManager.transport_encryption`` is ``"auto"`` and the
kernelspec declares ``"supported_encryption": ["curve"]`` (ipykernel's does), but myst-nb
starts its kernels with nbclient's default configuration and has no setting for it, so a
build used to print the warning once per executed notebook.

This extension passes that one setting to the notebook client of every notebook the build
executes (myst-nb's ``cache`` and ``force``/``auto`` modes both run notebooks through
``jupyter_cache``'s ``single_nb_execution``, which forwards keyword arguments to
nbclient). The kernels then run encrypted and ipykernel has nothing to warn about.
Nothing is filtered: any other kernel message still reaches the build log.

When jupyter_client has no ``transport_encryption`` setting, or pyzmq was built without
CurveZMQ, the extension changes nothing (a debug line says why) and the build runs as
before, warning included.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

__version__ = "1.0.0"

logger = logging.getLogger(__name__)

#: myst-nb modules that execute notebooks, each through its own ``single_nb_execution``.
EXECUTOR_MODULES = ("myst_nb.core.execute.cache", "myst_nb.core.execute.direct")
#: The kernel-manager setting passed to nbclient.
KERNEL_MANAGER_CONFIG = {"KernelManager": {"transport_encryption": "auto"}}


def encryption_unavailable() -> str | None:
    """Return why kernels cannot be encrypted here, or None when they can."""
    import zmq
    from jupyter_client.manager import KernelManager

    if not KernelManager.class_traits().get("transport_encryption"):
        return "jupyter_client has no KernelManager.transport_encryption (needs 8.9 or later)"
    if not zmq.has("curve"):
        return "pyzmq's libzmq was built without CurveZMQ"
    return None


def with_kernel_config(execute: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``single_nb_execution`` so that nbclient gets :data:`KERNEL_MANAGER_CONFIG`."""
    if getattr(execute, "book_encrypted_kernels", False):
        return execute

    @functools.wraps(execute)
    def run(*args: Any, **kwargs: Any) -> Any:
        from traitlets.config import Config

        kwargs.setdefault("config", Config(KERNEL_MANAGER_CONFIG))
        return execute(*args, **kwargs)

    run.book_encrypted_kernels = True  # type: ignore[attr-defined]
    return run


def setup(app: Sphinx) -> dict[str, Any]:
    """Make myst-nb's notebook execution start kernels with transport encryption."""
    if reason := encryption_unavailable():
        logger.debug("encrypted_kernels: kernels run unencrypted: %s", reason)
    else:
        for name in EXECUTOR_MODULES:
            module = importlib.import_module(name)
            module.single_nb_execution = with_kernel_config(module.single_nb_execution)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
