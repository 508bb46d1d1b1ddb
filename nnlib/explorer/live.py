r"""The live explorer of section 3.6: controls that retrain a network on every change.

:class:`Explorer` wires ipywidgets controls, one per field of
:class:`~nnlib.explorer.Settings`, to :func:`~nnlib.explorer.run`, and shows
the :func:`~nnlib.explorer.status_text` line and the
:class:`~nnlib.explorer.ExplorerFigure` picture of each new result;
:func:`explore` displays one.  It needs a running kernel (JupyterLab); the
book's HTML pages show :mod:`nnlib.explorer.static` instead.  ipywidgets is
imported only when an explorer is made.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields, replace
from typing import Any

from . import runs
from .figure import ExplorerFigure
from .runs import Result
from .settings import (
    ACTIVATION_NAMES,
    BATCH_SIZES,
    DATASETS,
    LIMITS,
    Settings,
    as_settings,
    max_epochs,
    within_limits,
)
from .status import status_html

__all__ = ["Explorer", "explore"]


class Explorer:
    r"""Live controls that retrain a network on every change (section 3.6).

    Each control is an ipywidgets widget stored as an attribute of the same
    name as the :class:`Settings` field it sets: ``lr`` (a log-scale slider for
    the learning rate :math:`\eta` of eq. ``sgd-update``), ``hidden_layers``,
    ``width``, ``activation``, ``dataset``, ``epochs``, ``batch_size`` and
    ``seed``.  Any change -- by the reader or by code such as
    ``explorer.lr.value = 0.1`` -- runs :func:`run` on the new settings, stores
    the :class:`Result` in :attr:`result`, writes :func:`status_text` to
    :attr:`status` and redraws the picture in :attr:`image` with
    :class:`ExplorerFigure`.  The ranges of the sliders are :data:`LIMITS`.

    Parameters
    ----------
    settings : Settings, optional
        Where the controls start; the defaults of :class:`Settings` if omitted.
    **changes
        Fields to change from ``settings``, e.g. ``Explorer(dataset="xor")``.

    Attributes
    ----------
    result : Result
        The latest run.
    status : ipywidgets.HTML
        The summary line of the latest run.
    image : ipywidgets.Image
        The figure of the latest run, as a PNG.
    widget : ipywidgets.VBox
        Controls, status and figure together; what displaying the explorer shows.
    """

    def __init__(self, settings: Settings | None = None, **changes: Any) -> None:
        import ipywidgets as widgets

        s = as_settings(settings) if settings is not None else Settings()
        s = within_limits(replace(s, **changes) if changes else s)
        lr_lo, lr_hi = LIMITS["lr"]

        style = {"description_width": "9.5em"}
        layout = widgets.Layout(width="26em")
        common: dict[str, Any] = {"style": style, "layout": layout, "continuous_update": False}
        self.lr = widgets.FloatLogSlider(
            value=s.lr,
            base=10,
            min=math.log10(lr_lo),
            max=math.log10(lr_hi),
            step=0.1,
            readout_format=".3g",
            description="learning rate \u03b7",
            **common,
        )
        self.hidden_layers = widgets.IntSlider(
            value=s.hidden_layers,
            min=LIMITS["hidden_layers"][0],
            max=LIMITS["hidden_layers"][1],
            description="hidden layers L",
            **common,
        )
        self.width = widgets.IntSlider(
            value=s.width,
            min=LIMITS["width"][0],
            max=LIMITS["width"][1],
            description="width of each",
            **common,
        )
        self.epochs = widgets.IntSlider(
            value=s.epochs,
            min=LIMITS["epochs"][0],
            max=max_epochs(s.batch_size),
            step=10,
            description="epochs",
            **common,
        )
        self.seed = widgets.IntSlider(
            value=s.seed,
            min=LIMITS["seed"][0],
            max=LIMITS["seed"][1],
            description="seed",
            **common,
        )
        self.activation = widgets.Dropdown(
            options=list(ACTIVATION_NAMES),
            value=s.activation,
            description="activation g",
            style=style,
            layout=layout,
        )
        self.dataset = widgets.Dropdown(
            options=[(label, key) for key, label in DATASETS.items()],
            value=s.dataset,
            description="data set",
            style=style,
            layout=layout,
        )
        self.batch_size = widgets.Dropdown(
            options=[(label, size) for size, label in BATCH_SIZES.items()],
            value=s.batch_size,
            description="batch size",
            style=style,
            layout=layout,
        )
        self.status = widgets.HTML()
        self.status.add_class("nnlib-explorer-status")
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.figure = ExplorerFigure()
        left = widgets.VBox([self.dataset, self.activation, self.hidden_layers, self.width])
        right = widgets.VBox([self.lr, self.epochs, self.batch_size, self.seed])
        self.widget = widgets.VBox([widgets.HBox([left, right]), self.status, self.image])

        self.result: Result = runs.run(s)
        self._holding = False
        self._show()
        for control in self.controls.values():
            control.observe(self._on_change, names="value")

    @property
    def controls(self) -> dict[str, Any]:
        """The control widgets, keyed by the :class:`Settings` field each one sets."""
        return {f.name: getattr(self, f.name) for f in fields(Settings)}

    @property
    def settings(self) -> Settings:
        """The settings the controls show now."""
        return Settings(**{name: control.value for name, control in self.controls.items()})

    def update(self) -> Result:
        """Retrain with the controls' current settings and redraw; return the new result."""
        self.result = runs.run(self.settings)
        self._show()
        return self.result

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Change several controls at once and retrain only once, at the end.

        Examples
        --------
        >>> with explorer.hold():                      # doctest: +SKIP
        ...     explorer.lr.value = 0.1
        ...     explorer.hidden_layers.value = 3
        """
        held, self._holding = self._holding, True
        try:
            yield
        finally:
            self._holding = held
        if not held:
            self.update()

    def set(self, **values: Any) -> Result:
        """Move several controls, e.g. ``explorer.set(lr=0.1, dataset="xor")``; retrain once.

        Unlike assigning to a slider's ``value`` (which ipywidgets clamps into
        the slider's range), a value outside a control's range raises a
        ``ValueError`` and leaves every control as it was.
        """
        controls = self.controls
        unknown = sorted(set(values) - set(controls))
        if unknown:
            raise ValueError(
                f"unknown control(s) {', '.join(unknown)}; expected some of " + ", ".join(controls)
            )
        target = within_limits(replace(self.settings, **values))
        # The batch size first: it sets the epochs slider's maximum.
        with self.hold():
            for name in sorted(values, key=lambda name: name != "batch_size"):
                controls[name].value = getattr(target, name)
        return self.result

    def _limit_epochs(self) -> None:
        """Keep the epochs slider within :func:`max_epochs` of the batch size (no retrain)."""
        held, self._holding = self._holding, True
        try:
            self.epochs.max = max_epochs(self.batch_size.value)
        finally:
            self._holding = held

    def _on_change(self, change: dict[str, Any]) -> None:
        if change["owner"] is self.batch_size:
            self._limit_epochs()
        if self._holding:
            return
        try:
            self.update()
        except Exception as exc:  # a callback's error would otherwise vanish into a log
            self.status.value = f"<b style='color:#b00'>Error:</b> {html.escape(str(exc))}"
            raise

    def _show(self) -> None:
        """Write the status line and redraw the figure for the current result."""
        self.width.disabled = self.hidden_layers.value == 0
        self.status.value = status_html(self.result)
        self.image.value = self.figure.show(self.result).png()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"Explorer({self.settings!r})"


def explore(settings: Settings | None = None, **changes: Any) -> Explorer:
    r"""Show the explorer of section 3.6 and return it.

    A convenience for ``display(Explorer(settings, **changes))``.  Keep the
    returned :class:`Explorer` in a name (``explorer = explore()``): as the
    bare last line of a cell its value would be displayed a second time.

    Parameters
    ----------
    settings : Settings, optional
        Where the controls start.
    **changes
        Fields to change, e.g. ``explore(dataset="xor", lr=0.5)``.

    Returns
    -------
    Explorer
    """
    from IPython.display import display

    explorer = Explorer(settings, **changes)
    display(explorer)
    return explorer
