r"""The network of a sweep as one SVG, with an id on every node, edge and value.

The picture is :func:`nnlib.plotting.draw_network` (Figure 1 of the book),
saved as SVG; its node circles and edges keep their gids (``node k i``,
``edge k i j``) as element ids.  Over it go the values of the sweep as SVG
text, one element per value, each hidden until its step has run: under each
node :math:`z`, :math:`h` and :math:`\delta`, on each edge :math:`W` (with its
new value after the update) and :math:`\partial\text{Loss}/\partial W`, beside
the output the loss before and after the update.  Forward values are blue,
gradients brown and updates purple, and each says what it is in its text
(``h=``, ``δ=``, ``dW=``, ``W=``), so colour is never the only cue.

:meth:`Drawing.svg` writes the picture as it is after step ``n``; the page's
script (:mod:`nnlib.stepper.static`) and the live view change the same
classes, so both show the same thing.
"""

from __future__ import annotations

import html
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .printing import shown
from .steps import Step

#: Class of a value not computed yet (hidden), of the element being computed,
#: of the elements whose values it reads, and of the value just written.
OFF, HOT, READ, NOW = "nns-off", "nns-hot", "nns-read", "nns-now"

#: Colours of forward values, gradients and updates (contrast >= 4.5:1 on white).
COLOURS = {"fwd": "#1f4e96", "grad": "#9c3a00", "upd": "#6b2d8f"}

_PT = 72.0  # SVG user units are points


def slot(step: Step) -> str:
    """The id suffix of the value a step writes on the drawing."""
    if step.kind == "forward-z":
        return f"z-{step.k}-{step.i}"
    if step.kind == "forward-h":
        return f"h-{step.k}-{step.i}"
    if step.kind in ("output-delta", "hidden-delta"):
        return f"d-{step.k}-{step.i}"
    if step.kind == "weight-gradient":
        return f"g-{step.k}-{step.i}-{step.j}"
    if step.kind == "update":
        return f"u-{step.k}-{step.i}-{step.j}"
    return "loss" if step.kind == "loss" else "newloss"


def replaced(step: Step) -> str:
    """The id suffix of the weight an update step replaces on the drawing."""
    return f"w-{step.k}-{step.i}-{step.j}"


def target(step: Step) -> str:
    """The id suffix of the node or edge a step computes (``node-k-i`` or ``edge-k-i-j``)."""
    return step.target.replace(" ", "-")


def _value_text(step: Step) -> tuple[str, str]:
    """What a step writes on the drawing, and its colour class."""
    v = shown(step.value).replace("-", "\u2212")
    return {
        "forward-z": (f"z={v}", "fwd"),
        "forward-h": (f"h={v}", "fwd"),
        "loss": (f"Loss={v}", "fwd"),
        "output-delta": (f"\u03b4={v}", "grad"),
        "hidden-delta": (f"\u03b4={v}", "grad"),
        "weight-gradient": (f"dW={v}", "grad"),
        "update": (f"W\u2190{v}", "upd"),
        "new-loss": (f"Loss\u2032={v}", "upd"),
    }[step.kind]


@dataclass(frozen=True)
class Drawing:
    """The SVG of a network with a slot for every value of its sweep.

    Attributes
    ----------
    root : str
        The prefix of every element id (the stepper's id).
    base : str
        The SVG, values hidden, nothing highlighted.
    steps : tuple of Step
        The sweep whose values it holds.
    """

    root: str
    base: str
    steps: tuple[Step, ...]

    def svg(self, n: int = 0) -> str:
        """The SVG after step ``n`` (0: before the first step): values 1..n shown, step n lit."""
        out = self.base
        for s in self.steps[:n]:
            if s.kind == "update":
                out = out.replace(
                    f'id="{self.root}-{replaced(s)}" class="nns-w"',
                    f'id="{self.root}-{replaced(s)}" class="nns-w {OFF}"',
                )
            out = out.replace(
                f'id="{self.root}-{slot(s)}" class="{OFF} ', f'id="{self.root}-{slot(s)}" class="'
            )
        if n:
            step = self.steps[n - 1]
            marks = {target(step): HOT}
            for r in step.reads:
                marks.setdefault(target(self.steps[r - 1]), READ)
            for suffix, mark in marks.items():
                out = re.sub(
                    f'(id="{re.escape(self.root)}-{suffix}" class="nns-el)"',
                    rf'\1 {mark}"',
                    out,
                )
            out = out.replace(
                f'id="{self.root}-{slot(step)}" class="',
                f'id="{self.root}-{slot(step)}" class="{NOW} ',
            )
        return out


def draw(
    sequence: Sequence[Step], sizes: Sequence[int], x: Sequence[float], W: dict, root: str
) -> Drawing:
    """Draw the network of ``sizes`` with a hidden slot for each value of ``sequence``.

    ``x`` are the inputs (written under the input nodes) and ``W`` the weights
    before the update (written on the edges); ``root`` prefixes every id.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from .. import plotting

    sizes = tuple(int(n) for n in sizes)
    node_text = {
        (k, i): "z=\u22120.0000\nh=\u22120.0000\n\u03b4=\u22120.0000"
        for k in range(len(sizes))
        for i in range(1, sizes[k] + 1)
    }
    with plt.rc_context({"svg.hashsalt": root, "svg.fonttype": "path"}):
        ax = plotting.draw_network(sizes, node_text=node_text)
        fig = ax.figure
        anchors = {}
        for t in ax.texts:
            gid = t.get_gid()
            if gid and gid.startswith("node-text"):
                anchors[gid] = t.get_position()
                t.set_visible(False)
        centres = {
            p.get_gid(): p.center for p in ax.patches if (p.get_gid() or "").startswith("node ")
        }
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        scale = _PT / fig.dpi
        height = fig.get_size_inches()[1] * _PT

        def at(xy: tuple[float, float]) -> tuple[float, float]:
            px, py = ax.transData.transform(xy)
            return px * scale, height - py * scale

        unit = (at((0.0, 0.0)), at((1.0, 1.0)))
        plt.close(fig)
    inch = unit[1][0] - unit[0][0]  # points per data unit (one inch of the drawing)
    line = 0.16 * inch
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(
        r'<g id="(node|edge) ([0-9 ]+)">',
        lambda m: f'<g id="{root}-{m.group(1)}-{m.group(2).replace(" ", "-")}" class="nns-el">',
        svg,
    )
    width = re.search(r'width="([0-9.]+)pt"', svg)
    svg = re.sub(
        r'<svg [^>]*?(viewBox="[^"]*")[^>]*>',
        rf'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        rf'\1 class="nns-svg" role="img" aria-labelledby="{root}-svgtitle">'
        rf'<title id="{root}-svgtitle">The network {"-".join(map(str, sizes))}: under each '
        "node its z, h and \u03b4, on each edge its weight W and gradient dW, as far as "
        "the sweep has computed them</title>",
        svg,
        count=1,
    )
    if width is None:
        raise RuntimeError("matplotlib wrote an SVG without a width")

    texts: list[str] = []

    def text(
        xy: tuple[float, float], content: str, cls: str, anchor: str = "middle", ident: str = ""
    ) -> None:
        idattr = f'id="{root}-{ident}" ' if ident else ""
        texts.append(
            f'<text {idattr}class="{cls}" x="{xy[0]:.1f}" y="{xy[1]:.1f}" '
            f'text-anchor="{anchor}">{html.escape(content)}</text>'
        )

    by_slot = {slot(s): s for s in sequence}
    # under the nodes: x for the inputs; z, h and delta for the others
    for k in range(len(sizes)):
        for i in range(1, sizes[k] + 1):
            x0, y0 = at(anchors[f"node-text {k} {i}"])
            first = y0 + 0.8 * line
            if k == 0:
                text((x0, first), f"x={shown(x[i - 1])}".replace("-", "\u2212"), "nns-v nns-fwd")
                continue
            for row, name in enumerate(("z", "h", "d")):
                s = by_slot.get(f"{name}-{k}-{i}")
                if s is not None:
                    content, colour = _value_text(s)
                    text(
                        (x0, first + row * line),
                        content,
                        f"{OFF} nns-v nns-{colour}",
                        ident=slot(s),
                    )
    # on the edges, written along them: the weight (and its new value) above the
    # line, its gradient below; a label sits nearer the lower end of its edge, so
    # that the labels of two crossing edges stay on either side of the crossing
    for k in range(1, len(sizes)):
        for i in range(1, sizes[k] + 1):
            for j in range(1, sizes[k - 1] + 1):
                (xa, ya), (xb, yb) = at(centres[f"node {k - 1} {j}"]), at(centres[f"node {k} {i}"])
                t = 0.5 if abs(yb - ya) < 1e-6 else (0.7 if yb > ya else 0.3)  # SVG y grows down
                x0, y0 = xa + t * (xb - xa), ya + t * (yb - ya)
                turn = f'transform="rotate({math.degrees(math.atan2(yb - ya, xb - xa)):.1f} {x0:.1f} {y0:.1f})"'
                w = shown(W[k][i - 1, j - 1]).replace("-", "\u2212")
                u = by_slot.get(f"u-{k}-{i}-{j}")
                update = ""
                if u is not None:
                    content, _ = _value_text(u)
                    update = (
                        f'<tspan id="{root}-{slot(u)}" class="{OFF} nns-upd">'
                        f"{html.escape(content)}</tspan>"
                    )
                texts.append(
                    f'<text class="nns-v nns-fwd" x="{x0:.1f}" y="{y0 - 3:.1f}" {turn} '
                    f'text-anchor="middle"><tspan id="{root}-w-{k}-{i}-{j}" class="nns-w">'
                    f"W={w}</tspan>{update}</text>"
                )
                s = by_slot.get(f"g-{k}-{i}-{j}")
                if s is not None:
                    content, _ = _value_text(s)
                    texts.append(
                        f'<text id="{root}-{slot(s)}" class="{OFF} nns-v nns-grad" '
                        f'x="{x0:.1f}" y="{y0 + 9.5:.1f}" {turn} text-anchor="middle">'
                        f"{html.escape(content)}</text>"
                    )
    # beside the output: the loss, and the loss after the update
    top = len(sizes) - 1
    xo, yo = at(anchors[f"node-text {top} 1"])
    xr = xo + 0.3 * inch + 0.1 * inch
    for row, name in enumerate(("loss", "newloss")):
        s = by_slot.get(name)
        if s is not None:
            content, colour = _value_text(s)
            text(
                (xr, yo - 0.37 * inch + 0.55 * inch + row * line),
                content,
                f"{OFF} nns-v nns-{colour}",
                anchor="start",
                ident=slot(s),
            )
    svg = svg.replace("</svg>", '<g class="nns-values">' + "".join(texts) + "</g></svg>")
    svg = re.sub(r">\s+<", "><", svg)
    svg = re.sub(r"\s*\n\s*", " ", svg)
    return Drawing(root=root, base=svg, steps=tuple(sequence))
