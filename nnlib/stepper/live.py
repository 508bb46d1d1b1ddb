r"""The stepper with a kernel: ipywidgets buttons over the same steps.

:class:`LiveStepper` shows a :class:`~nnlib.stepper.static.Stepper` in
JupyterLab (or any Jupyter front end with ipywidgets): the buttons *Back to
the start*, *Previous* and *Next*, the counter, the drawing
(:meth:`~nnlib.stepper.drawing.Drawing.svg` of the current step) and, beside
it, the equation and its numbers, typeset by the front end's MathJax
(``ipywidgets.HTMLMath``).  It reads the very :class:`~nnlib.stepper.Step`
records that the book's static page packs, so both show the same numbers.

ipywidgets is imported only when a live stepper is made.
"""

from __future__ import annotations

from typing import Any

from ..network import Network
from .static import Stepper, stepper


class LiveStepper:
    """ipywidgets controls that walk through a sweep one step at a time.

    Parameters
    ----------
    source : Stepper
        The steps and the drawing (:func:`nnlib.stepper.stepper`).

    Attributes
    ----------
    position : int
        The current step, 0 (the start) to ``len(source)``.
    start, previous, next : ipywidgets.Button
        The controls.
    counter : ipywidgets.HTML
        "step 7 of 37".
    figure : ipywidgets.HTML
        The drawing after the current step.
    panel : ipywidgets.HTMLMath
        The step's heading, sentence, equation (linked to its chapter),
        numbers and the earlier values it reuses.
    widget : ipywidgets.VBox
        All of it; what displaying the stepper shows.
    """

    def __init__(self, source: Stepper) -> None:
        import ipywidgets as widgets

        if not isinstance(source, Stepper):
            raise TypeError(
                f"source must be an nnlib.stepper.Stepper (from stepper()), got "
                f"{type(source).__name__}"
            )
        self.source = source
        self.position = 0
        self.start = widgets.Button(description="Back to the start", tooltip="Back to the start")
        self.previous = widgets.Button(description="Previous", tooltip="Previous step")
        self.next = widgets.Button(description="Next", tooltip="Next step")
        self.counter = widgets.HTML()
        self.counter.add_class("nnlib-stepper-counter")
        self.figure = widgets.HTML(layout=widgets.Layout(max_width="52em"))
        self.figure.add_class("nnlib-stepper-figure")
        self.panel = widgets.HTMLMath()
        self.panel.add_class("nnlib-stepper-panel")
        self.start.on_click(lambda _: self.show(0))
        self.previous.on_click(lambda _: self.show(self.position - 1))
        self.next.on_click(lambda _: self.show(self.position + 1))
        bar = widgets.HBox([self.start, self.previous, self.next, self.counter])
        self.widget = widgets.VBox([bar, self.figure, self.panel])
        self.widget.add_class("nnlib-stepper-live")
        self.show(0)

    def __len__(self) -> int:
        return len(self.source)

    def show(self, n: int) -> None:
        """Go to step ``n`` (clipped to 0 .. the number of steps) and redraw."""
        n = max(0, min(len(self.source), int(n)))
        self.position = n
        p = self.source.panel(n)
        root = self.source.element_id
        self.counter.value = f"<b>{p['counter']}</b>"
        self.start.disabled = self.previous.disabled = n == 0
        self.next.disabled = n == len(self.source)
        self.figure.value = (
            f'<div id="{root}">{self.source.style()}{self.source.drawing.svg(n)}'
            f"{self.source.legend()}</div>"
        )
        ref = f"<p>{p['ref']}</p>" if p["ref"] else ""
        self.panel.value = (
            f"<p><b>{p['title']}</b></p><p>{p['sentence']}</p>{ref}"
            f"{p['equation']}{p['numbers']}{p['reads']}"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"LiveStepper(step {self.position} of {len(self.source)})"


def live(
    net: Network | None = None, x: object = None, y: object = None, lr: float = 0.5
) -> LiveStepper:
    """The live stepper of one sweep (the worked example by default), linking notebooks.

    Takes the arguments of :func:`nnlib.stepper.stepper`; the equation links
    point at the chapters' ``.ipynb`` files, which JupyterLab opens.
    """
    return LiveStepper(stepper(net, x, y, lr, page_suffix=".ipynb"))
