r"""The explorer's one-line summary of a run: :func:`status_text` and its colour.

The line reports the exact cost J of the whole training set (which :func:`run`
records with ``exact_cost=True``), never the running mean of minibatch costs.
"""

from __future__ import annotations

import html

from .runs import Result

__all__ = ["DIVERGED_COLOUR", "ROSE_COLOUR", "status_colour", "status_html", "status_text"]

#: Colour of the status line: a run that diverged, a run whose J went up.
DIVERGED_COLOUR = "#b00"
# Both read at WCAG AA (>= 4.5:1) on white and on the light grey (#ced6dd) that the book's
# dark theme puts behind cell outputs (#a60, the amber before, gave 3.1:1 there).
ROSE_COLOUR = "#8a4500"


def status_text(result: Result) -> str:
    r"""One line summing up a run: the final cost J and the training accuracy.

    J is the cost of the whole training set with the final weights
    (``result.final_cost``).  A divergent run says **diverged at epoch N**
    instead of showing NaN.  A run whose J ended above its value before
    training gets a warning that the learning rate :math:`\eta` overshoots.

    Parameters
    ----------
    result : Result

    Returns
    -------
    str
        Plain text (no markup).
    """
    s, h = result.settings, result.history
    if result.diverged:
        return (
            f"Diverged at epoch {result.diverged_at}: the cost blew up, so the learning "
            f"rate \u03b7 = {s.lr:.3g} is too large here. No final J or accuracy to show."
        )
    cost = result.final_cost
    assert cost is not None and result.accuracy is not None  # a finished run has both
    right = round(result.accuracy * len(result.y))
    text = (
        f"J = {cost:.4g} on the whole training set after {len(h)} epochs; training accuracy "
        f"{100 * result.accuracy:.1f}% ({right} of {len(result.y)} samples)."
    )
    if result.cost_rose:
        text += (
            f" J rose from {h.initial_cost:.3g} before training: the learning rate "
            f"\u03b7 = {s.lr:.3g} is probably too large (each step overshoots)."
        )
    return text


def status_colour(result: Result) -> str:
    """The CSS colour of the status line: red after divergence, amber when J rose."""
    if result.diverged:
        return DIVERGED_COLOUR
    return ROSE_COLOUR if result.cost_rose else "inherit"


def status_html(result: Result) -> str:
    """The status line as HTML: :func:`status_text` in :func:`status_colour`."""
    return f"<span style='color:{status_colour(result)}'>{html.escape(status_text(result))}</span>"
