r"""The stepper as one self-contained block of HTML: no kernel, no network, no library.

Every step of the sweep is computed by nnlib when the block is made (in the
book, during the build) and packed into the page as JSON next to the drawing
(:mod:`nnlib.stepper.drawing`, one inline SVG).  A short script switches
between the steps: it shows and hides the values on the drawing, moves the
highlight, and swaps the text beside it; the equations are typeset with the
page's MathJax when the page has it (the book serves MathJax 3 itself), and
are shown as LaTeX text otherwise.  It works from ``file://`` and over HTTP.

Controls: *Back to the start*, *Previous*, *Next*, a counter "step 7 of 37";
the arrow keys (and Home, End) when the stepper has the keyboard focus.  Each
step's sentence and its equation with numbers go to an ``aria-live`` region,
so a screen reader reads what changed.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..network import Network
from .drawing import COLOURS, HOT, NOW, READ, Drawing, draw, replaced, slot, target
from .steps import Step, _check, steps

#: Headings of the kinds of step.
TITLES = {
    "forward-z": "Forward pass",
    "forward-h": "Forward pass",
    "loss": "Loss",
    "output-delta": "Backward pass: the output's \u03b4",
    "weight-gradient": "Backward pass: a weight's gradient",
    "hidden-delta": "Backward pass: a hidden \u03b4",
    "update": "Update",
    "new-loss": "After the update",
}

START_TITLE = "Start"

#: The script that makes the controls work; ``root`` is the stepper's element.
SCRIPT = """(function (root) {
  var data = JSON.parse(root.querySelector(".nns-data").textContent);
  var steps = data.steps, N = steps.length, n = 0, id = root.id, cache = {}, prepared;
  function q(s) { return root.querySelector(s); }
  var el = {counter: q(".nns-counter"), title: q(".nns-title"), sentence: q(".nns-sentence"),
    ref: q(".nns-ref"), eq: q(".nns-eq"), num: q(".nns-num"), reads: q(".nns-reads"),
    live: q(".nns-live"), start: q(".nns-start"), prev: q(".nns-prev"), next: q(".nns-next")};
  function byId(suffix) { return document.getElementById(id + "-" + suffix); }
  function typeset(boxes, clear) {
    /* MathJax 3, if the page has it, one job after another; true once typeset */
    var M = window.MathJax;
    if (!M || !(M.typesetPromise || M.startup)) { return Promise.resolve(false); }
    var ready = (M.startup && M.startup.promise) || Promise.resolve();
    var done = ready.then(function () {
      if (!M.typesetPromise) { return false; }
      if (clear && M.typesetClear) { M.typesetClear(boxes); }
      return M.typesetPromise(boxes).then(function () { return true; });
    }).catch(function () { return false; });
    if (M.startup) { M.startup.promise = done; }
    return done;
  }
  function fill(k, boxes) {
    /* the LaTeX of step k: equation, numbers, and what it reads */
    var s = steps[k - 1];
    boxes[0].textContent = "\\\\[" + s.equation + "\\\\]";
    boxes[1].textContent = "\\\\[" + s.numbers + "\\\\]";
    boxes[2].textContent = "";
    if (s.reads.length) {
      var p = document.createElement("p");
      p.textContent = s.backward ? "Reuses, already computed:" : "Reads:";
      var ul = document.createElement("ul");
      s.reads.forEach(function (r) {
        var li = document.createElement("li");
        li.textContent = "\\\\(" + r[0] + "\\\\) (" + r[1] + ")";
        ul.appendChild(li);
      });
      boxes[2].appendChild(p); boxes[2].appendChild(ul);
    }
  }
  function take(box) { return Array.prototype.slice.call(box.childNodes); }
  function put(box, nodes) { box.textContent = ""; nodes.forEach(function (c) { box.appendChild(c); }); }
  function show(m) {
    n = Math.max(0, Math.min(N, m));
    steps.forEach(function (s, k) {
      var e = byId(s.slot);
      if (e) { e.classList.toggle("nns-off", k >= n); }
      var old = s.replaces && byId(s.replaces);
      if (old) { old.classList.toggle("nns-off", k < n); }
    });
    root.querySelectorAll(".nns-hot, .nns-read, .nns-now").forEach(function (e) {
      e.classList.remove("nns-hot", "nns-read", "nns-now");
    });
    var s = n ? steps[n - 1] : data.start, boxes = [el.eq, el.num, el.reads];
    if (n) {
      s.readTargets.forEach(function (t) { var e = byId(t); if (e) { e.classList.add("nns-read"); } });
      var t = byId(s.target); if (t) { t.classList.remove("nns-read"); t.classList.add("nns-hot"); }
      var v = byId(s.slot); if (v) { v.classList.add("nns-now"); }
    }
    el.counter.textContent = "step " + n + " of " + N;
    el.start.setAttribute("aria-disabled", String(n === 0));
    el.prev.setAttribute("aria-disabled", String(n === 0));
    el.next.setAttribute("aria-disabled", String(n === N));
    el.title.textContent = s.title;
    el.sentence.textContent = s.sentence;
    el.ref.hidden = !n;
    if (n) {
      var a = el.ref.querySelector("a");
      a.href = s.href; a.textContent = "eq. (" + s.label + ")";
      el.ref.querySelector(".nns-section").textContent = s.section;
    }
    el.live.textContent = "Step " + n + " of " + N + ". " + s.sentence + (n ? " " + s.text : "");
    if (!n) {
      boxes.forEach(function (b) { b.textContent = ""; });
      root.nnsRendered = Promise.resolve(false);
    } else if (cache[n]) {
      boxes.forEach(function (b, i) { put(b, cache[n][i]); });
      root.nnsRendered = Promise.resolve(true);
    } else {
      var k = n;
      fill(k, boxes);
      root.nnsRendered = typeset(boxes, true).then(function (ok) {
        if (ok && n === k && !cache[k]) { cache[k] = boxes.map(take); }
        return ok;
      });
    }
    return root.nnsRendered;
  }
  function prepare(k) {
    /* typeset the steps ahead, one at a time, so that a step change only swaps nodes */
    while (k <= N && cache[k]) { k += 1; }
    if (k > N) { prepared(true); return; }
    var stage = document.createElement("div");
    stage.setAttribute("aria-hidden", "true");
    stage.style.cssText = "position:absolute;left:-10000px;top:0;width:" +
      (el.eq.clientWidth || 600) + "px";
    var boxes = [0, 1, 2].map(function () { return stage.appendChild(document.createElement("div")); });
    root.appendChild(stage);
    fill(k, boxes);
    typeset(boxes, false).then(function (ok) {
      root.removeChild(stage);
      if (!ok) { prepared(false); return; }
      if (!cache[k]) { cache[k] = boxes.map(take); }
      setTimeout(function () { prepare(k + 1); }, 0);
    });
  }
  function go(delta) { return function () { show(delta === null ? 0 : n + delta); }; }
  el.start.addEventListener("click", go(null));
  el.prev.addEventListener("click", go(-1));
  el.next.addEventListener("click", go(1));
  root.addEventListener("keydown", function (e) {
    var moves = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1};
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    if (e.key in moves) { show(n + moves[e.key]); }
    else if (e.key === "Home") { show(0); }
    else if (e.key === "End") { show(N); }
    else { return; }
    e.preventDefault();
  });
  root.nnsShow = show;
  root.nnsPrepared = new Promise(function (resolve) { prepared = resolve; });
  show(0);
  if (document.readyState === "complete") { prepare(1); }
  else { window.addEventListener("load", function () { prepare(1); }); }
})(document.getElementById("%s"));"""

_STYLE = """<style>
#{id} {{margin:1em 0;padding:0.6em;border:1px solid #c8c8c8;border-radius:6px;background:#fff;color:#1a1a1a}}
#{id}:focus-visible, #{id} button:focus-visible, #{id} a:focus-visible {{outline:3px solid #1a56c4;outline-offset:2px}}
#{id} .nns-bar {{display:flex;flex-wrap:wrap;align-items:center;gap:0.5em}}
#{id} button {{font:inherit;padding:0.25em 0.8em;border:1px solid #555;border-radius:4px;background:#f3f3f3;color:#1a1a1a;cursor:pointer}}
#{id} button[aria-disabled=true] {{color:#595959;background:#fafafa;cursor:default}}
#{id} .nns-counter {{font-weight:bold;margin-left:0.5em}}
#{id} .nns-help, #{id} .nns-legend {{font-size:0.85em;color:#444;margin:0.3em 0}}
#{id} .nns-fig {{max-width:52em}}
#{id} .nns-svg {{width:100%;height:auto;display:block}}
#{id} .nns-panel {{min-height:15em}}
#{id} .nns-panel p {{margin:0.3em 0}}
#{id} .nns-title {{font-weight:bold}}
#{id} a, #{id} a:visited {{color:#1a56c4}}
#{id} .nns-eq, #{id} .nns-num {{overflow-x:auto;max-width:100%}}
#{id} .nns-reads ul {{margin:0.2em 0;padding-left:1.4em}}
#{id} .nns-v {{font:9px sans-serif;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}}
#{id} .nns-fwd {{fill:{fwd}}} #{id} .nns-grad {{fill:{grad}}} #{id} .nns-upd {{fill:{upd}}}
#{id} .nns-off {{visibility:hidden}} #{id} tspan.nns-off {{display:none}}
#{id} .nns-now {{font-weight:bold;text-decoration:underline}}
#{id} .nns-hot path {{stroke:#e07000 !important;stroke-width:4px !important}}
#{id} .nns-read path {{stroke:#1a56c4 !important;stroke-width:2.5px !important;stroke-dasharray:5 3}}
#{id} .nns-fg {{color:{fwd};font-weight:bold}} #{id} .nns-gg {{color:{grad};font-weight:bold}} #{id} .nns-ug {{color:{upd};font-weight:bold}}
#{id} .nns-sr {{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}}
</style>"""


def _start_sentence(n_steps: int) -> str:
    return (
        "The input x and the weights W are given. Next computes the first value; "
        f"{n_steps} steps take the network forward, backward and through one update."
    )


@dataclass(frozen=True)
class Stepper:
    """A sweep of nnlib's backpropagation, ready to show one step at a time.

    Displayed in a notebook (or a page of the built book) it is a block of
    HTML with its own script (:attr:`SCRIPT`); :mod:`nnlib.stepper.live` shows the
    same steps with ipywidgets.  Make one with :func:`stepper`.

    Attributes
    ----------
    steps : tuple of Step
        The sweep (:func:`nnlib.stepper.steps`).
    drawing : Drawing
        The network with a slot for every value.
    page_suffix : str
        Appended to the chapter names of the equation links (``".html"`` in
        the book, ``".ipynb"`` in JupyterLab).
    """

    steps: tuple[Step, ...]
    drawing: Drawing
    page_suffix: str = ".html"
    _data: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def element_id(self) -> str:
        """The HTML id of the stepper (the drawing's ids start with it)."""
        return self.drawing.root

    def __len__(self) -> int:
        return len(self.steps)

    def href(self, step: Step) -> str:
        """The link to the equation a step uses, in the chapter that derives it."""
        return f"{step.chapter}{self.page_suffix}#equation-{step.label}"

    def reads(self, step: Step) -> list[tuple[str, str]]:
        """What a step reads, as (LaTeX, "step n") pairs; a run of updates is one entry."""
        out: list[tuple[str, str]] = []
        updates = [r for r in step.reads if self.steps[r - 1].kind == "update"]
        for r in step.reads:
            s = self.steps[r - 1]
            if s.kind == "update" and len(updates) > 3:
                if r == updates[0]:
                    out.append(
                        (
                            r"\text{every new weight } W^{(k)}_{ij}",
                            f"steps {updates[0]}\u2013{updates[-1]}",
                        )
                    )
                continue
            out.append((f"{s.symbol} = {s.shown}", f"step {r}"))
        return out

    def data(self) -> dict:
        """What the page's script reads: one record per step, and the start."""
        start = {"title": START_TITLE, "sentence": _start_sentence(len(self.steps))}
        records = [
            {
                "title": TITLES[s.kind],
                "kind": s.kind,
                "target": target(s),
                "slot": slot(s),
                "replaces": replaced(s) if s.kind == "update" else "",
                "readTargets": sorted({target(self.steps[r - 1]) for r in s.reads} - {target(s)}),
                "label": s.label,
                "href": self.href(s),
                "section": s.section,
                "sentence": s.sentence,
                "equation": s.equation,
                "numbers": s.numbers,
                "text": s.text,
                "value": s.value,
                "shown": s.shown,
                "backward": s.backward,
                "reads": [list(entry) for entry in self.reads(s)],
            }
            for s in self.steps
        ]
        return {"start": start, "steps": records}

    def panel(self, n: int = 0) -> dict[str, str]:
        """The texts beside the drawing after step ``n`` (HTML-escaped; math as LaTeX)."""
        n = self._position(n)
        if not n:
            return {
                "counter": f"step 0 of {len(self)}",
                "title": START_TITLE,
                "sentence": _start_sentence(len(self)),
                "ref": "",
                "equation": "",
                "numbers": "",
                "reads": "",
                "live": f"Step 0 of {len(self)}. {_start_sentence(len(self))}",
            }
        s = self.steps[n - 1]
        reads = ""
        if s.reads:
            items = "".join(
                f"<li>\\({html.escape(latex)}\\) ({where})</li>" for latex, where in self.reads(s)
            )
            head = "Reuses, already computed:" if s.backward else "Reads:"
            reads = f"<p>{head}</p><ul>{items}</ul>"
        return {
            "counter": f"step {n} of {len(self)}",
            "title": TITLES[s.kind],
            "sentence": html.escape(s.sentence),
            "ref": (
                f'<a href="{html.escape(self.href(s))}">eq. ({html.escape(s.label)})</a>, derived '
                f'in section <span class="nns-section">{html.escape(s.section)}</span>'
            ),
            "equation": f"\\[{html.escape(s.equation)}\\]",
            "numbers": f"\\[{html.escape(s.numbers)}\\]",
            "reads": reads,
            "live": html.escape(f"Step {n} of {len(self)}. {s.sentence} {s.text}"),
        }

    def _position(self, n: int) -> int:
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= len(self):
            raise ValueError(f"a step number must be an integer 0 .. {len(self)}, got {n!r}")
        return n

    def style(self) -> str:
        """The ``<style>`` block of the stepper (every rule scoped to its id)."""
        return _STYLE.format(id=self.element_id, **COLOURS).replace("\n", "")

    def legend(self) -> str:
        """What the colours and the highlight mean (the words say it too)."""
        return (
            '<p class="nns-legend">On the drawing: <span class="nns-fg">forward values</span> '
            "(x=, z=, h=, W=, Loss=), "
            '<span class="nns-gg">gradients</span> (\u03b4=, dW=), '
            '<span class="nns-ug">the update</span> (W\u2190, Loss\u2032=). '
            "The node or edge being computed is drawn thick and orange; the ones whose "
            "values it reads are dashed blue.</p>"
        )

    def html(self) -> str:
        """The self-contained HTML block: controls, drawing, text, data and script."""
        root = self.element_id
        p = self.panel(0)
        payload = json.dumps(self.data(), separators=(",", ":")).replace("<", "\\u003c")
        parts = [
            f'<div class="nnlib-stepper" id="{root}" tabindex="0" role="group" '
            f'aria-label="Backpropagation, one step at a time" aria-describedby="{root}-help">',
            self.style(),
            '<div class="nns-bar">',
            '<button type="button" class="nns-start" aria-disabled="true">Back to the start</button>',
            '<button type="button" class="nns-prev" aria-disabled="true">Previous</button>',
            '<button type="button" class="nns-next" aria-disabled="false">Next</button>',
            f'<span class="nns-counter">{p["counter"]}</span>',
            "</div>",
            f'<p class="nns-help" id="{root}-help">Step through one forward and backward pass '
            "and one update with the buttons, or with the arrow keys (Home: start, End: last "
            "step) when the stepper has the focus.</p>",
            '<div class="nns-main">',
            f'<div class="nns-fig">{self.drawing.svg(0)}</div>',
            '<div class="nns-panel">',
            f'<p class="nns-title">{p["title"]}</p>',
            f'<p class="nns-sentence">{p["sentence"]}</p>',
            '<p class="nns-ref" hidden><a href="#">eq.</a>, derived in section '
            '<span class="nns-section"></span></p>',
            '<div class="nns-eq mathjax_process tex2jax_process"></div>',
            '<div class="nns-num mathjax_process tex2jax_process"></div>',
            '<div class="nns-reads mathjax_process tex2jax_process"></div>',
            "</div></div>",
            self.legend(),
            f'<div class="nns-live nns-sr" aria-live="polite">{p["live"]}</div>',
            f'<script type="application/json" class="nns-data">{payload}</script>',
            f"<script>{SCRIPT % root}</script>",
            "</div>",
        ]
        # ASCII only (other characters as references): right whatever the page's encoding.
        return "".join(parts).encode("ascii", "xmlcharrefreplace").decode("ascii")

    def _repr_html_(self) -> str:
        return self.html()

    def page(
        self, title: str = "Backpropagation, one step at a time", mathjax: str | None = None
    ) -> str:
        """A whole HTML document holding the stepper, e.g. to save and open from ``file://``.

        Parameters
        ----------
        title : str
            The page's title and heading.
        mathjax : str, optional
            Where the page loads MathJax 3 from (e.g. ``"_static/mathjax/tex-chtml.js"``
            of a built book); without it the equations are shown as LaTeX text.
        """
        head = ""
        if mathjax is not None:
            head = (
                '<script>window.MathJax = {"options": {"processHtmlClass": '
                '"tex2jax_process|mathjax_process|math|output_area"}}</script>'
                f'<script defer src="{html.escape(mathjax)}"></script>'
            )
        return (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title>{head}</head>"
            f'<body><main style="max-width:52em;margin:0 auto;padding:0 1em">'
            f"<h1>{html.escape(title)}</h1>{self.html()}</main></body></html>"
        )

    def __repr__(self) -> str:
        return f"Stepper({len(self)} steps, page_suffix={self.page_suffix!r})"


def _identity(sequence: Sequence[Step]) -> str:
    """The stepper's HTML id, from what it shows: each step's place and its numbers.

    The numbers are those printed (``Step.numbers``, :data:`DIGITS` significant
    digits), not the full floats, so that the id does not change with the last
    digits of a sum, which depend on the processor's BLAS and SIMD kernels.
    """
    digest = hashlib.sha256()
    for s in sequence:
        digest.update(f"{s.kind}|{s.k}|{s.i}|{s.j}|{s.numbers}".encode())
    return "nnlib-stepper-" + digest.hexdigest()[:12]


def stepper(
    net: Network | None = None,
    x: object = None,
    y: object = None,
    lr: float = 0.5,
    *,
    page_suffix: str = ".html",
) -> Stepper:
    r"""The stepper of one sweep, ready to display (the worked example by default).

    Parameters
    ----------
    net, x, y : Network, array_like, float, optional
        The network and the training pair (all three, or none for
        :func:`nnlib.worked_example.worked_example`).  See :func:`nnlib.stepper.steps`
        for what networks it takes.
    lr : float, default 0.5
        The learning rate :math:`\eta` of the update.
    page_suffix : str, default ".html"
        How the links to the chapters end (``".ipynb"`` to link notebooks).

    Returns
    -------
    Stepper
        Its HTML (``_repr_html_``) is the kernel-free stepper.
    """
    if net is None and x is None and y is None:
        from ..worked_example import worked_example

        ex = worked_example()
        net, x, y = ex.net, ex.x, ex.y
    if net is None or x is None or y is None:
        raise TypeError("give all three of net, x and y, or none of them (the worked example)")
    if page_suffix not in (".html", ".ipynb", ""):
        raise ValueError(f"page_suffix must be '.html', '.ipynb' or '', got {page_suffix!r}")
    net, x_arr, label, rate = _check(net, x, y, lr)
    sequence = tuple(steps(net, x_arr, label, rate))
    root = _identity(sequence)
    drawing = draw(sequence, net.sizes, list(x_arr), dict(net.W), root)
    return Stepper(steps=sequence, drawing=drawing, page_suffix=page_suffix)


__all__ = ["HOT", "NOW", "READ", "SCRIPT", "Stepper", "stepper"]
