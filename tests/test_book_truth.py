r"""The book keeps its promises: checks that read its files and need no kernel.

Eight rules (see ``README.md`` and the book's introduction), each a function that
returns a list of problems, run on the real book and on small synthetic pages:

1. **Every labelled equation is proven or is a definition.**  A display equation
   with a label (MyST ``$$ ... $$ (label)`` or a ``{math}`` directive with
   ``:label:``) in ``book/`` is *proven* when a code cell of a book notebook, tagged
   ``nbval-check-output``, calls ``certify("<label>", ...)`` and its stored output
   holds the line ``eq. <label>: proven (...)``.  ``certify`` raises unless every
   claim is exactly True, the line cannot be printed by hand (the cell's source may
   not contain it), a literal list of constants is not a proof, and nbval re-runs
   the tagged cell and compares the line.  Otherwise the equation must be marked
   ``% definition: <label>`` in the same markdown cell (or ``.md`` page).  A
   ``certify`` label that no page displays, and a definition marker without its
   equation, are problems too.
2. **Every equation that nnlib cites exists.**  Each ``eq. <label>`` (or
   ``eqs. <a> and <b>``) in nnlib's sources is a label in ``book/``, unless it is in
   :data:`PENDING_LABELS`, the labels of chapters not written yet; a listed label
   that exists is a problem (the list only shrinks).
3. **Numbers in prose come from cells.**  A decimal with two or more digits after
   the point, in markdown prose (outside math, code and roles), is a problem: it
   must be pasted with ``{glue:text}``.  A glue key used in prose must be glued by a
   code cell of a book notebook tagged ``nbval-check-output`` (so nbval compares
   the glued value) whose stored output carries it.
4. **Solutions are computed.**  A gated solution (``solution-start`` ...
   ``solution-end``) holds at least one code cell.  A single-block ``{solution}``
   may not state a decimal or a percentage: a number a solution reports comes with
   the cell that computes it.
5. **Each equation is certified once, each claim under one label.**  A label is
   certified by one ``certify`` call in the whole book.  ``certify`` refuses claims
   that cannot fail (bare bools, two sides that are one expression) and stores the
   fingerprint of every claim (its pair of sides) in a hidden glue
   ``certify.<label>`` of its cell; the same fingerprint under two labels is one
   claim counted twice, and a certify cell whose stored output lacks the glue
   (not re-executed) is a problem too.
6. **What the paper says is quoted exactly, with its section.**  A quotation of
   the paper is an ``{epigraph}`` (or ``{pull-quote}``, ``{highlights}``) or a
   ``>`` blockquote whose last line is ``-- Chao, section <number>``, or a row of a
   table with a column headed like "the notes say" and a "section" column (the
   parts in double quotes, else the whole cell).  Its words, whitespace and
   quotation marks normalised, must occur in that section of the paper's text,
   ``../shared/source/neural-network-derivations.txt`` beside the clone (the test
   fails if the file is missing); its mathematics and ``...`` may match anything
   (the book writes formulas in its own notation), but at least two words must be
   the paper's.  A heuristic finds sentences that report the paper ("the paper
   writes", "the notes say", "Chao calls", "according to the paper", ...): one in
   a markdown cell with no quotation of the paper, and not followed by a cell that
   opens with one, is a problem.
7. **The reader's page.**  A code cell whose input is shown (no ``hide-input``,
   ``remove-input``, ``remove-cell`` or ``hide-cell`` tag) has at most 15 non-blank
   lines, no line over 79 characters and no ``glue(`` call.
8. **Nothing is used before it is taught.**  ``book/notation.md``'s Symbols and
   Terms tables have a "Taught in" column naming a page.  Reading the pages in
   ``_toc.yml`` order, a page's mathematics may not use a symbol (``\delta``,
   ``\eta``, ``J`` as a letter, ``Loss`` in ``\operatorname``) nor its prose a term
   (whole words, every form the table lists) that a later page teaches.  Not
   checked: the root page (the introduction previews the whole book), code cells,
   "Going deeper" dropdowns (an admonition or dropdown titled "Going deeper ...",
   skipped on a first reading), and quotations of the paper (its words, not the
   book's).  The page named as teaching something must use it, and the table must
   place the main line's symbols and terms (:data:`REQUIRED_SYMBOLS`,
   :data:`REQUIRED_TERMS`).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
BOOK = REPO_ROOT / "book"
NNLIB = REPO_ROOT / "nnlib"

#: Labels that nnlib's docstrings cite, of chapters not written yet.  A chapter that
#: lands defines them and removes them here; a listed label that exists fails.
PENDING_LABELS: frozenset[str] = frozenset()

#: ``.md`` pages that still quote measured numbers in their prose and are being
#: turned into notebooks (whose cells compute them).  Remove a page when it is gone.
PENDING_NOTEBOOKS: frozenset[str] = frozenset()

CHECK_TAG = "nbval-check-output"
LABEL = r"[a-z0-9]+(?:-[a-z0-9]+)*"
LABEL_RE = re.compile(rf"^{LABEL}$")


# -- reading pages ---------------------------------------------------------------------


@dataclass
class Cell:
    """One cell of a page; a ``.md`` page is a single markdown cell."""

    kind: str  # "markdown" or "code"
    source: str
    tags: tuple[str, ...] = ()
    output_text: str = ""  # streams and text/plain, joined
    glued: dict[str, str] = field(default_factory=dict)  # glued name -> its stored text
    errors: bool = False  # the stored outputs hold an error


@dataclass
class Page:
    """A page of the book: its name (relative to ``book/``) and its cells."""

    name: str
    cells: list[Cell] = field(default_factory=list)

    @property
    def is_notebook(self) -> bool:
        return self.name.endswith(".ipynb")

    def markdown(self) -> Iterator[tuple[int, Cell]]:
        for n, cell in enumerate(self.cells):
            if cell.kind == "markdown":
                yield n, cell

    def code(self) -> Iterator[tuple[int, Cell]]:
        for n, cell in enumerate(self.cells):
            if cell.kind == "code":
                yield n, cell

    def where(self, n: int) -> str:
        return f"{self.name} cell {n}" if self.is_notebook else self.name


def _text(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _cell_from_json(raw: dict) -> Cell:
    outputs = raw.get("outputs", []) if raw.get("cell_type") == "code" else []
    texts, glued, errors = [], {}, False
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            texts.append(_text(out.get("text", "")))
        elif kind == "error":
            errors = True
        elif kind in ("execute_result", "display_data"):
            data = out.get("data", {})
            if "text/plain" in data:
                texts.append(_text(data["text/plain"]))
            scrapbook = out.get("metadata", {}).get("scrapbook", {})
            if scrapbook.get("name"):
                prefix = scrapbook.get("mime_prefix", "")
                glued[scrapbook["name"]] = _text(data.get(prefix + "text/plain", ""))
    return Cell(
        kind=raw.get("cell_type", "raw"),
        source=_text(raw.get("source", "")),
        tags=tuple(raw.get("metadata", {}).get("tags", [])),
        output_text="\n".join(texts),
        glued=glued,
        errors=errors,
    )


def page_from_notebook(name: str, notebook: dict) -> Page:
    """A page from a notebook's JSON (as ``json.load`` gives it)."""
    return Page(name, [_cell_from_json(c) for c in notebook.get("cells", [])])


def page_from_markdown(name: str, text: str) -> Page:
    """A ``.md`` page: one markdown cell."""
    return Page(name, [Cell("markdown", text)])


def load_book(book: Path = BOOK) -> list[Page]:
    """Every ``.md`` and ``.ipynb`` page directly in ``book/``."""
    pages = []
    for path in sorted(book.iterdir()):
        if path.suffix == ".md":
            pages.append(page_from_markdown(path.name, path.read_text(encoding="utf-8")))
        elif path.suffix == ".ipynb":
            notebook = json.loads(path.read_text(encoding="utf-8"))
            pages.append(page_from_notebook(path.name, notebook))
    return pages


# -- taking markdown apart -------------------------------------------------------------

FENCE_RE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,}|:{3,})[ \t]*(?P<info>.*?)[ \t]*$")
DIRECTIVE_RE = re.compile(r"^\{(?P<name>[\w:.-]+)\}[ \t]*(?P<arg>.*)$")
OPTION_RE = re.compile(r"^[ \t]*:[\w-]+:")
#: Directives whose body is prose (checked for numbers); every other fenced block
#: (code, math, glue, toctree, ...) is not prose.
PROSE_DIRECTIVES = frozenset(
    {
        "admonition", "attention", "caution", "danger", "dropdown", "epigraph", "error",
        "exercise", "figure", "hint", "important", "margin", "note", "seealso",
        "sidebar", "solution", "tip", "topic", "warning",
    }
)  # fmt: skip


@dataclass
class Block:
    """A fenced block: directive name ("" for plain code), its argument, options, body."""

    name: str
    arg: str
    options: dict[str, str] = field(default_factory=dict)
    body: str = ""
    prose: bool = False  # a directive whose body is prose
    lines: list[str] = field(default_factory=list)
    char: str = "`"
    length: int = 3


def _scan(text: str) -> tuple[list[Block], list[str]]:
    """Split markdown into its fenced blocks (outermost and nested) and its prose lines.

    A prose line is one outside every fenced block except prose directives, and is
    not a fence, a directive option, a MyST ``%`` comment or an HTML comment.  Inside
    a block that is not prose (code, math, glue, ...) only its closing fence counts.
    """
    blocks: list[Block] = []
    stack: list[Block] = []
    prose: list[str] = []
    in_options = False
    in_comment = False
    for line in text.splitlines():
        m = FENCE_RE.match(line)
        top = stack[-1] if stack else None
        closes = (
            m is not None
            and top is not None
            and not m["info"]
            and m["fence"][0] == top.char
            and len(m["fence"]) >= top.length
        )
        if closes:
            stack.pop()
            in_options = False
            continue
        if top is not None and not top.prose:
            top.lines.append(line)
            continue
        for block in stack:
            block.lines.append(line)
        if m:
            d = DIRECTIVE_RE.match(m["info"]) if m["info"] else None
            name, arg = (d["name"], d["arg"]) if d else ("", m["info"])
            block = Block(name, arg, prose=name in PROSE_DIRECTIVES)
            block.char, block.length = m["fence"][0], len(m["fence"])
            blocks.append(block)
            stack.append(block)
            in_options = True
            continue
        if in_options and OPTION_RE.match(line):
            continue
        in_options = False
        stripped = line.lstrip()
        if in_comment or stripped.startswith("<!--"):
            in_comment = "-->" not in line
            continue
        if stripped.startswith("%"):  # a MyST comment
            continue
        prose.append(line)
    for block in blocks:
        start = 0
        while start < len(block.lines) and OPTION_RE.match(block.lines[start]):
            key, _, value = block.lines[start].strip()[1:].partition(":")
            block.options[key] = value.strip()
            start += 1
        block.body = "\n".join(block.lines[start:])
    return blocks, prose


def fenced_blocks(text: str) -> list[Block]:
    """Every fenced block of ``text`` (outermost and nested), in order of opening."""
    return _scan(text)[0]


def prose_lines(text: str) -> str:
    """``text`` without fenced non-prose blocks, fence lines, options and comments."""
    return "\n".join(_scan(text)[1])


ROLE_RE = re.compile(r"\{[\w:.-]+\}`[^`]*`")
CODE_SPAN_RE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
DISPLAY_MATH_RE = re.compile(r"\$\$.*?\$\$", re.S)
INLINE_MATH_RE = re.compile(r"(?<![\\$])\$(?!\$)(?:\\.|[^$\\])+?\$")
LINK_TARGET_RE = re.compile(r"\]\([^)]*\)")


def plain_prose(text: str) -> str:
    """The words a reader reads as text: no blocks, math, code spans or roles."""
    text = prose_lines(text)
    text = DISPLAY_MATH_RE.sub(" ", text)
    text = ROLE_RE.sub(" ", text)
    text = CODE_SPAN_RE.sub(" ", text)
    text = INLINE_MATH_RE.sub(" ", text)
    return LINK_TARGET_RE.sub("]", text)


# -- rule 1: labelled equations ----------------------------------------------------------

DEFINITION_RE = re.compile(r"^[ \t]*%[ \t]*definition:[ \t]*(?P<label>\S+)[ \t]*$", re.M)
CERTIFY_RE = re.compile(r"\bcertify\(\s*(?P<q>[\"'])(?P<label>[^\"']+)(?P=q)")


def dollar_labels(text: str) -> list[str]:
    """Labels of ``$$ ... $$ (label)`` displays, pairing the ``$$`` in order."""
    labels, pos, opened = [], 0, False
    for m in re.finditer(r"\$\$", text):
        if m.start() < pos:
            continue
        if not opened:
            opened, pos = True, m.end()
            continue
        opened, pos = False, m.end()
        after = re.match(r"[ \t]*\((?P<label>[^)\s]+)\)", text[m.end() :])
        if after:
            labels.append(after["label"])
    return labels


def math_directive_labels(text: str) -> list[str]:
    """Labels of ``{math}`` directives (``:label:`` option)."""
    return [
        b.options["label"] for b in fenced_blocks(text) if b.name == "math" and "label" in b.options
    ]


def equation_labels(text: str) -> list[str]:
    """Every labelled display equation in a markdown text."""
    return dollar_labels(text) + math_directive_labels(text)


def book_labels(pages: Iterable[Page]) -> dict[str, list[str]]:
    """Label -> where it is displayed (a label shown twice appears twice)."""
    where: dict[str, list[str]] = {}
    for page in pages:
        for n, cell in page.markdown():
            for label in equation_labels(cell.source):
                where.setdefault(label, []).append(page.where(n))
    return where


def _constant_claims(source: str, label: str) -> bool:
    """True if a ``certify(label, ...)`` call in ``source`` passes only literal constants."""
    code = "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
    )
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return False
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "certify"):
            continue
        args = list(node.args)
        if not args or not (isinstance(args[0], ast.Constant) and args[0].value == label):
            continue
        claims = args[1] if len(args) > 1 else None
        for kw in node.keywords:
            if kw.arg == "claims":
                claims = kw.value
        if isinstance(claims, ast.Constant):
            return True
        if isinstance(claims, (ast.List, ast.Tuple, ast.Set)) and all(
            isinstance(e, ast.Constant) for e in claims.elts
        ):
            return True
    return False


def equation_problems(pages: list[Page]) -> list[str]:
    """Rule 1: each labelled equation is proven by a certify cell or marked a definition."""
    problems: list[str] = []
    shown = book_labels(pages)
    for label, places in shown.items():
        if not LABEL_RE.match(label):
            problems.append(f"{places[0]}: label {label!r} is not lowercase words joined by '-'")
        if len(places) > 1:
            problems.append(f"label {label!r} is displayed more than once: {', '.join(places)}")

    defined: dict[str, str] = {}
    for page in pages:
        for n, cell in page.markdown():
            here = set(equation_labels(cell.source))
            for m in DEFINITION_RE.finditer(cell.source):
                label = m["label"]
                if label not in here:
                    problems.append(
                        f"{page.where(n)}: '% definition: {label}' but no equation labelled "
                        f"({label}) in the same {'cell' if page.is_notebook else 'page'}"
                    )
                else:
                    defined[label] = page.where(n)

    proven: dict[str, str] = {}
    for page in pages:
        for n, cell in page.code():
            for m in CERTIFY_RE.finditer(cell.source):
                label, where = m["label"], page.where(n)
                line = f"eq. {label}: proven ("
                if label not in shown:
                    problems.append(f"{where}: certify({label!r}) but no page displays ({label})")
                    continue
                if CHECK_TAG not in cell.tags:
                    problems.append(f"{where}: certify({label!r}) in a cell not tagged {CHECK_TAG}")
                elif f"eq. {label}: proven" in cell.source:
                    problems.append(
                        f"{where}: the source prints the proof line of {label!r} itself"
                    )
                elif _constant_claims(cell.source, label):
                    problems.append(f"{where}: certify({label!r}) is given constants, not proofs")
                elif cell.errors or not any(
                    ln.startswith(line) for ln in cell.output_text.splitlines()
                ):
                    problems.append(
                        f"{where}: certify({label!r}) has no stored line '{line}...)' "
                        "(execute the notebook and keep its outputs)"
                    )
                else:
                    proven[label] = where
    for label, places in shown.items():
        if label in defined and label in proven:
            problems.append(
                f"{places[0]}: ({label}) is marked a definition and proven at {proven[label]}; "
                "a definition is not proven, choose one"
            )
        elif label not in defined and label not in proven:
            problems.append(
                f"{places[0]}: equation ({label}) is neither proven (a {CHECK_TAG} cell calling "
                f"certify({label!r}, ...)) nor marked '% definition: {label}'"
            )
    return problems


# -- rule 2: what nnlib cites ------------------------------------------------------------

#: A cited label: in double backticks, or bare with at least one hyphen (a one-word
#: label such as ``cost`` is cited in backticks: a bare word after "eq." is prose).
_ITEM = r"(?:``[a-z0-9-]+``|[a-z0-9]+(?:-[a-z0-9]+)+\b(?!\.\d)|\d[\d.]*)"
CITATION_RE = re.compile(rf"\b[Ee]qs?\.\s+(?P<items>{_ITEM}(?:(?:\s*,\s*|\s+and\s+){_ITEM})*)")


def cited_labels(source: str) -> set[str]:
    """Labels cited as ``eq. <label>``, ``eq. ``<label>``, ``eqs. <a>, <b> and <c>``."""
    found: set[str] = set()
    for m in CITATION_RE.finditer(source):
        for item in re.split(r"\s*,\s*|\s+and\s+", m["items"]):
            name = item.strip("`").rstrip(".")
            if LABEL_RE.match(name) and not name[0].isdigit():
                found.add(name)
    return found


def citation_problems(
    sources: dict[str, str], labels: Iterable[str], pending: Iterable[str] = PENDING_LABELS
) -> list[str]:
    """Rule 2: every cited label exists in the book or is pending (and no pending one exists)."""
    labels, pending = set(labels), set(pending)
    problems = [
        f"{name}: cites eq. {label}, which no page of book/ displays"
        + (" (add it to PENDING_LABELS only if its chapter is not written yet)")
        for name, text in sorted(sources.items())
        for label in sorted(cited_labels(text))
        if label not in labels and label not in pending
    ]
    problems += [
        f"PENDING_LABELS lists {label!r}, but the book now displays it: remove it from the list"
        for label in sorted(pending & labels)
    ]
    return problems


def nnlib_sources(root: Path = NNLIB) -> dict[str, str]:
    return {
        p.relative_to(root.parent).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*.py"))
    }


# -- rule 3: numbers in prose and glue ----------------------------------------------------

#: A decimal with two or more digits after the point; versions with two dots
#: (1.2.3) are not decimals, and neither is "Python 3.11".
DECIMAL_RE = re.compile(r"(?<![\w.])(?<!Python )\d+\.\d{2,}(?![\w.]*\d)")
GLUE_ROLE_RE = re.compile(r"\{glue(?::\w*)?\}`(?P<key>[^`:]+)(?::(?P<spec>[^`]*))?`")
#: What ``{glue:text}`key:.2f``` can format: a plain int or float literal (a NumPy
#: scalar prints as ``np.float64(0.13)``, which the build cannot format).
PLAIN_NUMBER_RE = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")
GLUE_DIRECTIVE_RE = re.compile(r"^[ \t]*(?:`{3,}|:{3,})\{glue(?::\w*)?\}[ \t]+(?P<key>\S+)", re.M)


def number_problems(pages: list[Page], pending: Iterable[str] = PENDING_NOTEBOOKS) -> list[str]:
    """Rule 3a: no typed decimal with 2+ digits after the point in prose."""
    problems, pending = [], set(pending)
    for page in pages:
        if page.name in pending:
            continue
        for n, cell in page.markdown():
            for m in DECIMAL_RE.finditer(plain_prose(cell.source)):
                problems.append(
                    f"{page.where(n)}: the number {m.group()} is typed in the prose; "
                    "compute it in a cell and paste it with {glue:text}"
                )
    names = {p.name for p in pages}
    problems += [
        f"PENDING_NOTEBOOKS lists {name!r}, which is no longer in book/: remove it from the list"
        for name in sorted(pending - names)
    ]
    return problems


def glue_problems(pages: list[Page]) -> list[str]:
    """Rule 3b: each glue key used in prose is glued by a checked cell with stored output.

    A key pasted with a format spec (``{glue:text}`key:.2f```) must hold a plain number:
    the glued text of a NumPy scalar (``np.float64(0.13)``) fails to format in the build.
    """
    checked: dict[str, str] = {}
    unchecked: dict[str, str] = {}
    for page in pages:
        for n, cell in page.code():
            if CHECK_TAG in cell.tags and not cell.errors:
                checked.update(cell.glued)
            else:
                unchecked.update(dict.fromkeys(cell.glued, page.where(n)))
    problems = []
    for page in pages:
        for n, cell in page.markdown():
            specs: dict[str, set[str]] = {}
            for m in GLUE_ROLE_RE.finditer(cell.source):
                specs.setdefault(m["key"], set()).add(m["spec"] or "")
            for m in GLUE_DIRECTIVE_RE.finditer(cell.source):
                specs.setdefault(m["key"], set()).add("")
            for key in sorted(specs):
                if key not in checked:
                    if key in unchecked:
                        why = f"glued at {unchecked[key]}, a cell not tagged {CHECK_TAG}"
                    else:
                        why = "no book notebook has a stored glue of it"
                    problems.append(f"{page.where(n)}: glue key {key!r} is used in prose but {why}")
                elif any(specs[key]) and not PLAIN_NUMBER_RE.match(checked[key].strip()):
                    problems.append(
                        f"{page.where(n)}: glue key {key!r} is formatted in prose but its glued "
                        f"value prints as {checked[key]!r}; glue a plain number (float(x))"
                    )
    return problems


# -- rule 4: solutions --------------------------------------------------------------------

STATED_NUMBER_RE = re.compile(r"(?<![\w.])\d*\.\d+(?![\w.]*\d)|\d\s*(?:%|\\%|percent\b)")


def _solution_text(body: str) -> str:
    """Prose and math of a solution, without its code blocks, code spans and roles."""
    text = prose_lines(body)
    text = ROLE_RE.sub(" ", text)
    return CODE_SPAN_RE.sub(" ", text)


def solution_problems(pages: list[Page]) -> list[str]:
    """Rule 4: solutions that state numbers show the cell; gated solutions hold code."""
    problems = []
    for page in pages:
        open_at: int | None = None
        code_cells = 0
        for n, cell in enumerate(page.cells):
            if cell.kind == "code":
                code_cells += 1
                continue
            if cell.kind != "markdown":
                continue
            for block in fenced_blocks(cell.source):
                if block.name == "solution":
                    for m in STATED_NUMBER_RE.finditer(_solution_text(block.body)):
                        problems.append(
                            f"{page.where(n)}: solution {block.arg!r} states {m.group().strip()!r} "
                            "without the cell that computes it (use solution-start/solution-end "
                            "around a code cell)"
                        )
                elif block.name == "solution-start":
                    if open_at is not None:
                        problems.append(f"{page.where(n)}: solution-start inside another solution")
                    open_at, code_cells = n, 0
                elif block.name == "solution-end":
                    if open_at is None:
                        problems.append(f"{page.where(n)}: solution-end without solution-start")
                    elif code_cells == 0:
                        problems.append(
                            f"{page.where(open_at)}: gated solution with no code cell inside"
                        )
                    open_at = None
        if open_at is not None:
            problems.append(f"{page.where(open_at)}: solution-start never ended")
    return problems


# -- rule 5: each equation is certified once ----------------------------------------------

#: The glue under which ``certify`` stores the fingerprints of its claims (see
#: ``nnlib.symbolic.proof.FINGERPRINT_GLUE``): one 8-hex name per distinct pair of sides.
FINGERPRINT_GLUE = "certify.{label}"


def _glued_words(text: str) -> list[str]:
    """The words of a glued string as stored (``'ab12cd34 0f0f0f0f'``, quotes included)."""
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        value = text
    return str(value).split()


def certify_once_problems(pages: list[Page]) -> list[str]:
    """Rule 5: a label is certified by one call in the whole book, a claim under one label.

    The second half reads the fingerprints that ``certify`` stores next to its line
    (a hidden glue ``certify.<label>``): the same fingerprint under two labels is
    one claim (the same pair of sides) counted for two equations.
    """
    problems: list[str] = []
    calls: dict[str, list[str]] = {}
    owners: dict[str, dict[str, str]] = {}  # fingerprint -> label -> where
    for page in pages:
        for n, cell in page.code():
            for m in CERTIFY_RE.finditer(cell.source):
                label, where = m["label"], page.where(n)
                calls.setdefault(label, []).append(where)
                if CHECK_TAG not in cell.tags or cell.errors:
                    continue  # rule 1 reports it
                key = FINGERPRINT_GLUE.format(label=label)
                if key not in cell.glued:
                    problems.append(
                        f"{where}: certify({label!r}) has no stored claim fingerprints (the "
                        f"hidden glue {key!r}): re-execute the notebook with the current nnlib"
                    )
                    continue
                for fingerprint in _glued_words(cell.glued[key]):
                    owners.setdefault(fingerprint, {}).setdefault(label, where)
    for label, places in sorted(calls.items()):
        if len(places) > 1:
            problems.append(
                f"eq. {label} is certified {len(places)} times ({', '.join(places)}): certify "
                "each equation once in the whole book and link to that proof elsewhere"
            )
    shared: dict[tuple[str, ...], int] = {}
    where_of: dict[str, str] = {}
    for by_label in owners.values():
        if len(by_label) > 1:
            labels = tuple(sorted(by_label))
            shared[labels] = shared.get(labels, 0) + 1
            where_of.update(by_label)
    for labels, count in sorted(shared.items()):
        named = " and ".join(f"{label} ({where_of[label]})" for label in labels)
        problems.append(
            f"{count} claim{'s' * (count != 1)} (the same pair of sides) "
            f"{'are' if count != 1 else 'is'} certified under {named}: prove each claim for "
            "one equation only"
        )
    return problems


# -- rule 6: what the paper says is quoted, with its section -------------------------------

#: The paper, beside the clone (CI checks out ``shared/`` next to it).
PAPER = REPO_ROOT.parent / "shared" / "source" / "neural-network-derivations.txt"
PAPER_SECTION_RE = re.compile(r"^(?P<number>\d+(?:\.\d+)*) (?P<title>[A-Z].*)$", re.M)
#: The last line of a quotation of the paper: ``-- Chao, section 3.4``.
ATTRIBUTION_RE = re.compile(r"^[ \t]*(?:--|\u2014|\u2013)[ \t]*(?P<who>.+?)[ \t]*$")
PAPER_AUTHOR_RE = re.compile(r"\bChao\b|chao2016|\bthe (?:paper|notes)\b", re.I)
PAPER_ATTRIBUTION_RE = re.compile(
    r"^(?:Chao|\{cite(?::\w+)?\}`chao2016`)(?:\s*\(2016\))?,\s*section\s+"
    r"(?P<section>\d+(?:\.\d+)*)$"
)
QUOTE_DIRECTIVES = frozenset({"epigraph", "pull-quote", "highlights"})
#: A gap in a quotation: its mathematics (the book may write it in its own notation)
#: and an ellipsis.
QUOTE_GAP_RE = re.compile(r"\$\$.*?\$\$|(?<!\\)\$(?:\\.|[^$\\])+?\$|\[\.\.\.\]|\.\.\.|\u2026", re.S)
GAP = r"\s*.{0,400}?\s*"
MIN_QUOTED_WORDS = 2
#: "the paper writes", "the notes say", "Chao calls", "according to the paper", ...
PAPER_SAYS_RE = re.compile(
    r"\b(?:according to (?:the paper|the notes|Chao)"
    r"|(?:the (?:paper|source notes|notes|source(?!\s+notes))|Chao)"
    r"(?:\s+(?:also|itself|only|never|then|first|just|even|already|explicitly|simply|instead"
    r"|again|later|here|once|too|does not|did not|doesn't|didn't)){0,2}"
    r"\s+(?:writes?|wrote|says?|said|states?|stated|calls?|called|puts?|uses?|used|makes?|made"
    r"|gives?|gave|defines?|defined|derives?|derived|prints?|printed|names?|named|denotes?"
    r"|claims?|claimed|asks?|asked|leaves?|left|notes?|noted|takes?|took|adds?|added|drops?"
    r"|dropped|omits?|omitted|skips?|shows?|showed|has|had|applies|applied|introduces?"
    r"|mentions?|mentioned|labels?|labelled|writing|saying|calling))\b",
    re.I,
)


@dataclass
class Quote:
    """A quotation in the book: its text, its attribution, where it is and its line span."""

    text: str
    attribution: str
    start: int  # first line in the cell
    end: int  # line after the last one


def _split_attribution(lines: list[str]) -> tuple[str, str] | None:
    """(quoted text, attribution) when the last non-blank line is ``-- who``."""
    body = list(lines)
    while body and not body[-1].strip():
        body.pop()
    if not body:
        return None
    m = ATTRIBUTION_RE.match(body[-1])
    if m is None:
        return None
    return "\n".join(body[:-1]).strip(), m["who"].strip()


def quotes(text: str) -> list[Quote]:
    """The attributed quotations of a markdown text: ``{epigraph}`` (also ``{pull-quote}``,
    ``{highlights}``) blocks and ``>`` blockquotes whose last line is ``-- <who>``."""
    found: list[Quote] = []
    lines = text.splitlines()
    n = 0
    while n < len(lines):
        m = FENCE_RE.match(lines[n])
        d = DIRECTIVE_RE.match(m["info"]) if m and m["info"] else None
        if m and d and d["name"] in QUOTE_DIRECTIVES:
            fence, start, body = m["fence"], n, []
            n += 1
            while n < len(lines):
                close = FENCE_RE.match(lines[n])
                if (
                    close
                    and not close["info"]
                    and close["fence"][0] == fence[0]
                    and len(close["fence"]) >= len(fence)
                ):
                    break
                body.append(lines[n])
                n += 1
            body = [ln for ln in body if not OPTION_RE.match(ln)]
            split = _split_attribution(body)
            if split:
                found.append(Quote(split[0], split[1], start, n + 1))
            n += 1
            continue
        if lines[n].lstrip().startswith(">"):
            start, body = n, []
            while n < len(lines) and lines[n].lstrip().startswith(">"):
                body.append(re.sub(r"^\s*>\s?", "", lines[n]))
                n += 1
            split = _split_attribution(body)
            if split:
                found.append(Quote(split[0], split[1], start, n))
            continue
        n += 1
    return found


def paper_quotes(text: str) -> list[Quote]:
    """The quotations attributed to the paper (its author, ``chao2016``, "the paper")."""
    return [q for q in quotes(text) if PAPER_AUTHOR_RE.search(q.attribution)]


#: The header of a table column that quotes the paper, one quotation per row; the
#: row's "section" column names where (the errata's table of smaller slips).
QUOTE_COLUMN_RE = re.compile(
    r"^(?:the (?:paper|notes) (?:says?|writes?|prints?)|Chao (?:says|writes)|quoted?)$", re.I
)


def table_quotes(text: str) -> list[tuple[str, str]]:
    """(quoted text, section cell) of every row of a table with a quoting column.

    A table whose header has a column such as "the notes say" and a column
    "section" quotes the paper in each row: the parts of the cell in double quotes,
    or the whole cell when it has none.  A row without a section gives ``""``; the
    section cell may name several (``2, 3``).
    """
    found = []
    for header, cells in _table_rows(text):
        lowered = [h.lower() for h in header]
        column = next((i for i, h in enumerate(header) if QUOTE_COLUMN_RE.match(h)), None)
        if column is None or column >= len(cells):
            continue
        section = cells[lowered.index("section")] if "section" in lowered else ""
        inner = re.findall(r'"([^"]+)"|\u201c([^\u201d]+)\u201d', cells[column])
        for text in [a or b for a, b in inner] or [cells[column]]:
            found.append((text, section))
    return found


def paper_sections(text: str) -> dict[str, str]:
    """Section number -> its text (from its heading to the next heading)."""
    heads = list(PAPER_SECTION_RE.finditer(text))
    return {
        h["number"]: text[h.start() : heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        for i, h in enumerate(heads)
    }


def _normalise(text: str) -> str:
    """Straight quotes, one space between words, none before punctuation."""
    text = text.translate({0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"'})
    text = re.sub(r"\s+", " ", text)
    return re.sub(r" (?=[.,;:!?)])|(?<=\() ", "", text).strip()


def quote_pattern(quote: str) -> tuple[re.Pattern[str], int]:
    """A regex for the quoted words (math and ellipses may match anything) and their number."""
    words, parts = 0, []
    for piece in QUOTE_GAP_RE.split(quote):
        piece = re.sub(r"[*`]", "", piece)  # emphasis and code marks are the book's
        piece = _normalise(piece).strip("\"' ")
        words += len(re.findall(r"[A-Za-z]+", piece))
        parts.append(re.escape(piece) if piece else "")
    return re.compile(GAP.join(parts), re.S), words


def paper_quote_problems(pages: list[Page], paper: str) -> list[str]:
    """Rule 6a: each quotation of the paper names an existing section and is found in it."""
    sections = {k: _normalise(v) for k, v in paper_sections(paper).items()}
    problems = []
    for page in pages:
        for n, cell in page.markdown():
            where = page.where(n)
            found: list[tuple[str, str | None]] = []
            for q in paper_quotes(cell.source):
                m = PAPER_ATTRIBUTION_RE.match(q.attribution)
                if m is None:
                    problems.append(
                        f"{where}: a quotation of the paper is attributed {q.attribution!r}; "
                        "end it with '-- Chao, section <number>' (e.g. -- Chao, section 3.4)"
                    )
                    continue
                found.append((q.text, m["section"]))
            for text, section_cell in table_quotes(cell.source):
                named = re.findall(r"\d+(?:\.\d+)*", section_cell)
                if not named:
                    problems.append(
                        f"{where}: the table row quoting {text[:40]!r} names no section of the "
                        f"paper in its 'section' column (got {section_cell!r})"
                    )
                    continue
                found.append((text, ", ".join(named)))
            for text, section in found:
                named = section.split(", ")
                if not all(s in sections for s in named):
                    problems.append(
                        f"{where}: the paper has no section {section} (it has "
                        f"{', '.join(sections)})"
                    )
                    continue
                pattern, words = quote_pattern(text)
                if words < MIN_QUOTED_WORDS:
                    problems.append(
                        f"{where}: the quotation {text[:40]!r} of section {section} has fewer "
                        f"than {MIN_QUOTED_WORDS} words of the paper outside its mathematics, so "
                        "it cannot be checked: quote more of the sentence around it"
                    )
                elif not any(pattern.search(sections[s]) for s in named):
                    elsewhere = [s for s, body in sections.items() if pattern.search(body)]
                    why = (
                        f"it is in section {', '.join(elsewhere)}"
                        if elsewhere
                        else "the paper does not have these words (math may differ, words may not)"
                    )
                    problems.append(
                        f"{where}: the quotation {_normalise(text)[:70]!r} is not in "
                        f"section {section}: {why}"
                    )
    return problems


def _sentence_at(text: str, pos: int) -> str:
    start = max(text.rfind(". ", 0, pos), text.rfind("\n\n", 0, pos)) + 1
    end = text.find(". ", pos)
    return _normalise(text[start : end + 1 if end >= 0 else len(text)])[:90]


def unquoted_paper_problems(pages: list[Page]) -> list[str]:
    """Rule 6b: a sentence saying what the paper says comes with a quotation of the paper.

    "The paper writes ...", "the notes say", "Chao calls", "according to the
    paper" in a markdown cell's prose is satisfied by a quotation attributed to the
    paper in the same cell or at the start of the next markdown cell.  A heuristic:
    it reads words, so rephrasing can dodge it; it is there to catch the habit.
    """
    problems = []
    for page in pages:
        cells = list(page.markdown())
        for pos, (n, cell) in enumerate(cells):
            if paper_quotes(cell.source) or table_quotes(cell.source):
                continue
            following = cells[pos + 1][1].source.lstrip() if pos + 1 < len(cells) else ""
            first = paper_quotes(following)
            if first and first[0].start == 0:
                continue
            lines = cell.source.splitlines()
            kept = "\n".join(ln for ln in lines if not ln.lstrip().startswith(">"))
            prose = plain_prose(kept)
            for m in PAPER_SAYS_RE.finditer(prose):
                problems.append(
                    f"{page.where(n)}: '{m.group()}' with no quotation of the paper beside it "
                    f"(in: {_sentence_at(prose, m.start())!r}); quote its words in an "
                    "{epigraph} ending '-- Chao, section N', or say it without reporting the paper"
                )
    return problems


# -- rule 7: the reader's page: limits of visible code ---------------------------------------

#: A code cell whose input carries one of these tags is folded or removed in the book.
HIDDEN_INPUT_TAGS = frozenset({"hide-input", "remove-input", "remove-cell", "hide-cell"})
MAX_VISIBLE_LINES = 15
MAX_LINE_LENGTH = 79


def limit_problems(pages: list[Page]) -> list[str]:
    """Rule 7: a visible code cell has <= 15 non-blank lines of <= 79 characters, no ``glue(``."""
    problems = []
    for page in pages:
        if not page.is_notebook:
            continue
        for n, cell in page.code():
            if HIDDEN_INPUT_TAGS & set(cell.tags):
                continue
            where = page.where(n)
            lines = cell.source.splitlines()
            filled = [ln for ln in lines if ln.strip()]
            if len(filled) > MAX_VISIBLE_LINES:
                problems.append(
                    f"{where}: a visible code cell of {len(filled)} non-blank lines (at most "
                    f"{MAX_VISIBLE_LINES}): split it, or fold its checking part (hide-input)"
                )
            for i, line in enumerate(lines, start=1):
                if len(line) > MAX_LINE_LENGTH:
                    problems.append(
                        f"{where}: line {i} of a visible code cell has {len(line)} characters "
                        f"(at most {MAX_LINE_LENGTH}): {line.strip()[:40]!r}..."
                    )
            if re.search(r"\bglue\(", cell.source):
                problems.append(
                    f"{where}: glue( in a visible code cell: publishing belongs in a "
                    "remove-cell/remove-input cell or a folded check"
                )
    return problems


# -- rule 8: nothing is used before the chapter that teaches it -----------------------------

NOTATION_PAGE = "notation.md"
TOC = REPO_ROOT / "_toc.yml"
TOC_ENTRY_RE = re.compile(r"^\s*(?:root|-\s*file)\s*:\s*(?P<path>\S+)\s*$", re.M)
#: The main line's symbols and terms that the notation page must place (issue: order).
REQUIRED_SYMBOLS = frozenset({"J", r"\eta", r"\delta", r"\lambda", "Loss"})
REQUIRED_TERMS = frozenset(
    {
        "epoch", "minibatch", "batch size", "L2", "regularisation", "SGD", "loss", "cost",
        "gradient descent", "learning rate", "logistic loss", "error signal",
    }
)  # fmt: skip
#: LaTeX that only shapes a formula: not a symbol of its own.
LAYOUT_COMMANDS = frozenset(
    {
        "frac", "dfrac", "tfrac", "partial", "bar", "hat", "tilde", "vec", "left", "right",
        "bigl", "bigr", "Bigl", "Bigr", "big", "Big", "lVert", "rVert", "lvert", "rvert",
        "sum", "prod", "cdot", "times", "quad", "qquad", "top", "mathbf", "boldsymbol",
        "mathcal", "ldots", "dots", "cdots", "le", "ge", "leq", "geq", "in", "to", "mid",
        "begin", "end", "aligned", "label", "tag", "odot", "otimes", "infty", "approx",
        "prime", "colon", "lim", "max", "min", "log", "exp", "tanh", "sqrt", "over",
    }
)  # fmt: skip
NAMED_SYMBOL_RE = re.compile(r"\\(?:operatorname|text|mathrm|textrm|mbox|mathit)\s*\{([^{}]*)\}")
COMMAND_RE = re.compile(r"\\([A-Za-z]+)")
MATH_BLOCKS = frozenset({"math"})


def toc_pages(toc: Path = TOC, book: Path = BOOK) -> list[str]:
    """The book's pages in reading order (``_toc.yml``; the root first), as names in ``book/``."""
    names = []
    for m in TOC_ENTRY_RE.finditer(toc.read_text(encoding="utf-8")):
        stem = Path(m["path"]).name
        for suffix in (".ipynb", ".md"):
            if (book / (stem + suffix)).exists():
                names.append(stem + suffix)
                break
    return names


def latex_symbols(math: str) -> set[str]:
    r"""The symbols a formula uses: ``\delta``-style commands, single letters, and the
    names in ``\operatorname{...}``/``\text{...}`` (``Loss``); layout commands left out."""
    found = {name.strip() for name in NAMED_SYMBOL_RE.findall(math) if name.strip()}
    rest = NAMED_SYMBOL_RE.sub(" ", math)
    rest = re.sub(r"\\(?:begin|end)\{[^{}]*\}", " ", rest)
    found |= {"\\" + c for c in COMMAND_RE.findall(rest) if c not in LAYOUT_COMMANDS}
    found |= set(re.findall(r"[A-Za-z]", COMMAND_RE.sub(" ", rest)))
    return found


def _first_symbol(math: str) -> str | None:
    """The symbol a notation-table entry names: its first non-layout token."""
    tokens = re.finditer(
        r"\\(?:operatorname|text|mathrm)\s*\{(?P<name>[^{}]*)\}|\\(?P<cmd>[A-Za-z]+)|(?P<letter>[A-Za-z])",
        math,
    )
    for t in tokens:
        if t["name"]:
            return t["name"].strip()
        if t["cmd"] and t["cmd"] not in LAYOUT_COMMANDS:
            return "\\" + t["cmd"]
        if t["letter"]:
            return t["letter"]
    return None


def _table_rows(text: str) -> Iterator[tuple[list[str], list[str]]]:
    """(header cells, row cells) of every pipe table row in ``text``."""
    header: list[str] | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        if header is None:
            header = cells
        elif all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
            continue
        else:
            yield header, cells


@dataclass
class TaughtIn:
    """What the notation page says each symbol and term is taught in."""

    symbols: dict[str, str] = field(default_factory=dict)  # symbol -> page name
    terms: dict[str, str] = field(default_factory=dict)  # word form -> page name
    rows: list[tuple[str, list[str], str]] = field(default_factory=list)  # kind, keys, page
    problems: list[str] = field(default_factory=list)


def taught_in_table(text: str, pages: Iterable[str]) -> TaughtIn:
    """Read the "Taught in" column of the notation page's Symbols and Terms tables.

    A Symbols row names its symbol by the first token of each ``$...$`` in its
    first cell; a Terms row lists word forms separated by commas.  The "Taught in"
    cell names a page of ``book/`` by its file name (e.g. ``{doc}`03_3_any_weight```).
    When two rows name one symbol, the earliest page counts.
    """
    order = {Path(p).stem: i for i, p in enumerate(pages)}
    names = {Path(p).stem: p for p in pages}
    out = TaughtIn()
    seen_tables: set[str] = set()
    for header, cells in _table_rows(text):
        kind = header[0].lower()
        if kind not in ("symbol", "term"):
            continue
        seen_tables.add(kind)
        column = next((i for i, h in enumerate(header) if h.lower() == "taught in"), None)
        if column is None:
            out.problems.append(f"{NOTATION_PAGE}: the {kind} table has no 'Taught in' column")
            seen_tables.add(kind + "-reported")
            continue
        if column >= len(cells):
            continue
        where = [w for w in re.findall(r"[A-Za-z0-9_]+", cells[column]) if w in order]
        if not where:
            out.problems.append(
                f"{NOTATION_PAGE}: the row {cells[0]!r} names no page of the book in 'Taught in' "
                f"(got {cells[column]!r})"
            )
            continue
        page = names[min(where, key=order.__getitem__)]
        if kind == "symbol":
            keys = [_first_symbol(m.group()[1:-1]) for m in INLINE_MATH_RE.finditer(cells[0])]
            table = out.symbols
        else:
            keys = [k.strip() for k in re.split(r",", cells[0])]
            table = out.terms
        keys = [k for k in keys if k]
        out.rows.append((kind, keys, page))
        for key in keys:
            if key not in table or order[Path(page).stem] < order[Path(table[key]).stem]:
                table[key] = page
    for kind in ("symbol", "term"):
        if kind not in seen_tables:
            out.problems.append(f"{NOTATION_PAGE}: no {kind} table (first column '{kind.title()}')")
    for missing in sorted(REQUIRED_SYMBOLS - set(out.symbols)):
        out.problems.append(f"{NOTATION_PAGE}: the symbol {missing} has no row with 'Taught in'")
    for missing in sorted(REQUIRED_TERMS - set(out.terms)):
        out.problems.append(f"{NOTATION_PAGE}: the term {missing!r} has no row with 'Taught in'")
    return out


def _going_deeper(block: Block) -> bool:
    title = block.arg.strip().lower()
    return block.name in ("admonition", "dropdown") and title.startswith("going deeper")


def main_line(text: str) -> str:
    """``text`` without what a first reading may skip or what is not the book's own words:
    "Going deeper" dropdowns (an admonition or dropdown titled "Going deeper ...") and
    quotations of the paper."""
    lines = text.splitlines()
    drop = [False] * len(lines)
    for q in paper_quotes(text):
        for i in range(q.start, min(q.end, len(lines))):
            drop[i] = True
    stack: list[tuple[str, int, bool, int]] = []  # fence char, length, going deeper, start
    for i, line in enumerate(lines):
        m = FENCE_RE.match(line)
        if m is None:
            continue
        if stack and not m["info"] and m["fence"][0] == stack[-1][0]:
            if len(m["fence"]) >= stack[-1][1]:
                _, _, deeper, start = stack.pop()
                if deeper:
                    for j in range(start, i + 1):
                        drop[j] = True
                continue
        d = DIRECTIVE_RE.match(m["info"]) if m["info"] else None
        block = Block(d["name"], d["arg"]) if d else Block("", m["info"])
        stack.append((m["fence"][0], len(m["fence"]), _going_deeper(block), i))
    return "\n".join(ln for ln, gone in zip(lines, drop, strict=True) if not gone)


def math_of(text: str) -> str:
    """The mathematics of a markdown text: ``$...$``, ``$$...$$`` and ``{math}`` blocks."""
    spans = [b.body for b in fenced_blocks(text) if b.name in MATH_BLOCKS]
    prose = CODE_SPAN_RE.sub(" ", ROLE_RE.sub(" ", prose_lines(text)))
    spans += [m.group() for m in DISPLAY_MATH_RE.finditer(prose)]
    spans += [m.group() for m in INLINE_MATH_RE.finditer(DISPLAY_MATH_RE.sub(" ", prose))]
    return "\n".join(spans)


def _term_re(term: str) -> re.Pattern[str]:
    """A whole-word, case-blind match of one word form (plurals are listed as forms)."""
    return re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.I)


def taught_in_problems(pages: list[Page], order: list[str], taught: TaughtIn) -> list[str]:
    """Rule 8: no page uses a symbol (in its math) or a term (in its prose) before the page
    the notation table says teaches it.

    Pages are read in ``order`` (``_toc.yml``); the root page (the introduction,
    a preview of the whole book) is not checked, nor are code cells, "Going
    deeper" dropdowns and quotations of the paper.
    """
    rank = {name: i for i, name in enumerate(order)}
    by_name = {p.name: p for p in pages}
    problems = list(taught.problems)
    terms = {term: _term_re(term) for term in taught.terms}
    for name in order[1:]:
        page = by_name.get(name)
        if page is None:
            continue
        first: dict[str, str] = {}
        for n, cell in page.markdown():
            text = main_line(cell.source)
            for symbol in latex_symbols(math_of(text)):
                home = taught.symbols.get(symbol)
                if home is not None and rank[home] > rank[name]:
                    first.setdefault(f"symbol ${symbol}$|{home}", page.where(n))
            prose = plain_prose(text)
            for term, pattern in terms.items():
                home = taught.terms[term]
                if rank[home] > rank[name] and pattern.search(prose):
                    first.setdefault(f"term '{term}'|{home}", page.where(n))
        for key, where in sorted(first.items(), key=lambda kv: kv[1]):
            what, home = key.split("|")
            problems.append(f"{where}: uses the {what} before {home}, which teaches it")
    for kind, keys, home in taught.rows:  # the page named as teaching it must use it
        page = by_name.get(home)
        homes = taught.symbols if kind == "symbol" else taught.terms
        if page is None or not any(homes.get(key) == home for key in keys):
            continue  # no key of the row is taught here (an earlier row teaches it)
        texts = [main_line(cell.source) for _, cell in page.markdown()]
        if kind == "symbol":
            used = set().union(*(latex_symbols(math_of(t)) for t in texts))
            if not used & set(keys):
                problems.append(
                    f"{NOTATION_PAGE}: the row of {', '.join(keys)} says {home} teaches it, but "
                    "its mathematics never uses it"
                )
        else:
            prose = "\n".join(plain_prose(t) for t in texts)
            if not any(_term_re(term).search(prose) for term in keys):
                problems.append(
                    f"{NOTATION_PAGE}: the row {', '.join(keys)!r} says {home} teaches it, but "
                    "its prose never uses it"
                )
    return problems


# -- the real book -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book() -> list[Page]:
    return load_book()


def _report(problems: list[str]) -> str:
    return "\n".join(["", *problems])


def test_every_labelled_equation_is_proven_or_a_definition(book: list[Page]) -> None:
    assert book_labels(book), "found no labelled equation in book/: is the parser broken?"
    problems = equation_problems(book)
    assert not problems, _report(problems)


def test_every_equation_nnlib_cites_exists(book: list[Page]) -> None:
    sources = nnlib_sources()
    assert any(cited_labels(text) for text in sources.values()), "nnlib cites no equation?"
    problems = citation_problems(sources, book_labels(book))
    assert not problems, _report(problems)


def test_numbers_in_prose_come_from_cells(book: list[Page]) -> None:
    problems = number_problems(book) + glue_problems(book)
    assert not problems, _report(problems)


def test_solutions_are_computed(book: list[Page]) -> None:
    problems = solution_problems(book)
    assert not problems, _report(problems)


def test_each_equation_and_claim_is_certified_once(book: list[Page]) -> None:
    problems = certify_once_problems(book)
    assert not problems, _report(problems)


def test_what_the_paper_says_is_quoted_exactly_with_its_section(book: list[Page]) -> None:
    assert PAPER.is_file(), (
        f"the paper's text is missing: expected {PAPER} (the shared/ folder beside the clone); "
        "the book's quotations are checked against it"
    )
    paper = PAPER.read_text(encoding="utf-8")
    assert len(paper_sections(paper)) >= 9, "the paper's sections were not found: parser broken?"
    problems = paper_quote_problems(book, paper) + unquoted_paper_problems(book)
    assert not problems, _report(problems)


def test_visible_code_keeps_the_page_limits(book: list[Page]) -> None:
    problems = limit_problems(book)
    assert not problems, _report(problems)


def test_nothing_is_used_before_the_chapter_that_teaches_it(book: list[Page]) -> None:
    order = toc_pages()
    assert order[0] == "intro.md" and len(order) == len(book), "book/ and _toc.yml disagree"
    notation = (BOOK / NOTATION_PAGE).read_text(encoding="utf-8")
    problems = taught_in_problems(book, order, taught_in_table(notation, order))
    assert not problems, _report(problems)


# -- the checker, on small synthetic pages: each rule bites -------------------------------


def md(source: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def code(
    source: str,
    *,
    tags: tuple[str, ...] = (CHECK_TAG,),
    out: str = "",
    glue: str = "",
    glued: str = "0.7",
) -> dict:
    outputs: list[dict] = []
    if out:
        outputs.append({"output_type": "stream", "name": "stdout", "text": out})
    if glue:
        outputs.append(
            {
                "output_type": "display_data",
                "data": {"application/papermill.record/text/plain": glued},
                "metadata": {
                    "scrapbook": {"name": glue, "mime_prefix": "application/papermill.record/"}
                },
            }
        )
    return {
        "cell_type": "code",
        "metadata": {"tags": list(tags)},
        "source": source,
        "outputs": outputs,
    }


def nb(*cells: dict, name: str = "t.ipynb") -> Page:
    return page_from_notebook(name, {"cells": list(cells)})


EQ = "Text.\n\n$$\nJ = \\frac1n \\sum_t \\text{Loss}_t\n$$ (cost-x)\n"
PROOF_SRC = 'certify("cost-x", [sym.proves(f, w)], refuted=[sym.proves(bad, w)])'
PROOF_OUT = "eq. cost-x: proven (1 claim, 1 wrong form refuted)\n"


def test_parser_finds_dollar_and_directive_labels() -> None:
    text = (
        "$$ a $$ and $$\nb\n$$ (one)\n\n$$\nc\n$$\n(not-a-label)\n"
        "```{math}\n:label: two\nx = 1\n```\n"
    )
    assert equation_labels(text) == ["one", "two"]


def test_a_proven_equation_passes() -> None:
    assert equation_problems([nb(md(EQ), code(PROOF_SRC, out=PROOF_OUT))]) == []


def test_a_definition_passes() -> None:
    assert equation_problems([nb(md(EQ + "% definition: cost-x\n"))]) == []
    md_page = page_from_markdown("p.md", EQ + "\n% definition: cost-x\n")
    assert equation_problems([md_page]) == []


def test_removing_the_proof_cell_fails() -> None:
    problems = equation_problems([nb(md(EQ))])
    assert len(problems) == 1 and "neither proven" in problems[0]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (code(PROOF_SRC, tags=(), out=PROOF_OUT), "not tagged"),
        (code(PROOF_SRC), "no stored line"),
        (code(PROOF_SRC, out="eq. cost-x: NOT proven\n"), "no stored line"),
        (code(f"print({PROOF_OUT.strip()!r})\n{PROOF_SRC}", out=PROOF_OUT), "prints the proof"),
        (code('certify("cost-x", [True, True])', out=PROOF_OUT), "constants"),
        (code('certify("cost-x", claims=(1,))', out=PROOF_OUT), "constants"),
    ],
)
def test_a_proof_that_proves_nothing_fails(cell: dict, message: str) -> None:
    problems = equation_problems([nb(md(EQ), cell)])
    assert any(message in p for p in problems), problems


def test_certify_of_an_undisplayed_label_fails() -> None:
    page = nb(md(EQ + "% definition: cost-x\n"), code('certify("other", [p])', out=""))
    assert any("no page displays (other)" in p for p in equation_problems([page]))


def test_a_definition_marker_without_its_equation_fails() -> None:
    page = nb(md(EQ), md("% definition: cost-x\n"), code(PROOF_SRC, out=PROOF_OUT))
    assert any("no equation labelled" in p for p in equation_problems([page]))
    page = nb(md("% definition: ghost\n"))
    assert any("no equation labelled (ghost)" in p for p in equation_problems([page]))


def test_a_label_shown_twice_fails() -> None:
    page = nb(md(EQ + "% definition: cost-x\n"), md(EQ + "% definition: cost-x\n"))
    assert any("more than once" in p for p in equation_problems([page]))


def test_citations_are_read_in_every_form() -> None:
    text = (
        "eq. ``dloss-dz`` and Eq. ``cost`` (section 3.1); eqs. ``forward-z`` and ``forward-h``;"
        " (eqs. forward-x, forward-y); eqs. 3.3, 3.5, sgd-update. eq. <label>: eq. {label}"
    )
    assert cited_labels(text) == {
        "dloss-dz", "cost", "forward-z", "forward-h", "forward-x", "forward-y", "sgd-update",
    }  # fmt: skip


def test_citing_a_missing_label_fails() -> None:
    sources = {"nnlib/a.py": '"""Eq. ``forward-z``; eq. ``dloss-dq``."""'}
    problems = citation_problems(sources, {"forward-z"}, pending=set())
    assert len(problems) == 1 and "dloss-dq" in problems[0]
    assert citation_problems(sources, {"forward-z"}, pending={"dloss-dq"}) == []


def test_a_pending_label_that_exists_fails() -> None:
    problems = citation_problems({}, {"dloss-dz"}, pending={"dloss-dz"})
    assert len(problems) == 1 and "remove it" in problems[0]


GLUED = "J falls to {glue:text}`ch9_cost:.2f` in the first epoch."


def test_a_glued_number_passes() -> None:
    page = nb(md(GLUED), code('glue("ch9_cost", round(J, 2), display=False)', glue="ch9_cost"))
    assert number_problems([page], pending=()) == [] and glue_problems([page]) == []


def test_hand_editing_a_glued_number_fails() -> None:
    page = nb(md("J falls to 0.34 in the first epoch."), code("glue(...)", glue="ch9_cost"))
    problems = number_problems([page], pending=())
    assert len(problems) == 1 and "0.34" in problems[0]


def test_a_glue_key_nobody_glues_fails() -> None:
    problems = glue_problems([nb(md(GLUED))])
    assert len(problems) == 1 and "no book notebook" in problems[0]


def test_a_glued_numpy_scalar_that_prose_formats_fails() -> None:
    page = nb(md(GLUED), code("glue(...)", glue="ch9_cost", glued="np.float64(0.13)"))
    problems = glue_problems([page])
    assert len(problems) == 1 and "plain number" in problems[0]
    page = nb(md("{glue:text}`ch9_cost`"), code("...", glue="ch9_cost", glued="np.float64(1)"))
    assert glue_problems([page]) == []  # no format spec: pasted as it prints


def test_a_glue_in_an_unchecked_cell_fails() -> None:
    page = nb(md(GLUED), code("glue(...)", tags=(), glue="ch9_cost"))
    problems = glue_problems([page])
    assert len(problems) == 1 and "not tagged" in problems[0]


def test_numbers_in_math_code_and_roles_are_not_prose() -> None:
    text = (
        "Inline $x = 0.125$ and\n$$\ny = 3.14159\n$$\n`lr=0.05`, {glue:text}`k:.3f`, "
        "[link](https://x.org/v1.25), version 1.2.34, Python 3.11.\n"
        "```python\nprint(2.718)\n```\n"
        "% a comment with 9.99\n<!-- 4.44 -->\n"
        ":::{exercise} Title\n:label: ex-9\n\nIn words 0.5 is fine.\n:::\n"
    )
    assert number_problems([page_from_markdown("p.md", text)], pending=()) == []
    text += "\n```{note}\nBut 0.25 in a note is prose.\n```\n"
    problems = number_problems([page_from_markdown("p.md", text)], pending=())
    assert len(problems) == 1 and "0.25" in problems[0]


def test_a_pending_notebook_that_is_gone_fails() -> None:
    problems = number_problems([], pending={"old.md"})
    assert len(problems) == 1 and "no longer" in problems[0]


SOLUTION = ":::{{solution}} ex-9\n:class: dropdown\n\n{}\n:::\n"


def test_typing_a_number_in_a_solution_fails() -> None:
    for stated in ("The gap shrinks to 0.05.", "It is right 75% of the time.", "About 3 %."):
        problems = solution_problems([nb(md(SOLUTION.format(stated)))])
        assert len(problems) == 1 and "without the cell" in problems[0], stated


def test_a_solution_with_code_only_numbers_passes() -> None:
    body = "No number here, $W_{11}$.\n\n```python\nx = [0.5, -1.0]\n```\n"
    assert solution_problems([nb(md(SOLUTION.format(body)))]) == []


def test_gated_solutions_need_a_code_cell() -> None:
    start = md("```{solution-start} ex-9\n:class: dropdown\n```\n")
    end = md("```{solution-end}\n```\n")
    assert solution_problems([nb(start, code("x = 1", tags=()), end)]) == []
    problems = solution_problems([nb(start, md("Just words: 0.75."), end)])
    assert len(problems) == 1 and "no code cell" in problems[0]
    assert any("never ended" in p for p in solution_problems([nb(start)]))


# -- rule 5: certified once -------------------------------------------------------------------

EQ2 = "More.\n\n$$\nK = 2 J\n$$ (cost-y)\n"


def fingerprinted(label: str, fingerprints: str, *, source: str = "") -> dict:
    """A certify cell as a notebook stores it: the line and the hidden fingerprint glue."""
    cell = code(
        source or f'certify("{label}", claims)',
        out=f"eq. {label}: proven (1 claim)\n",
        glue=FINGERPRINT_GLUE.format(label=label),
        glued=repr(fingerprints),
    )
    return cell


def test_labels_and_claims_certified_once_pass() -> None:
    page = nb(md(EQ + EQ2), fingerprinted("cost-x", "aaaa0001 aaaa0002"),
              fingerprinted("cost-y", "bbbb0001"))  # fmt: skip
    assert certify_once_problems([page]) == []


def test_a_label_certified_twice_fails() -> None:
    one = nb(md(EQ), fingerprinted("cost-x", "aaaa0001"))
    two = nb(fingerprinted("cost-x", "aaaa0002"), name="u.ipynb")
    problems = certify_once_problems([one, two])
    assert (
        len(problems) == 1 and "certified 2 times (t.ipynb cell 1, u.ipynb cell 0)" in problems[0]
    )
    same_cell = nb(
        md(EQ), fingerprinted("cost-x", "a1", source='certify("cost-x", a)\ncertify("cost-x", b)')
    )
    assert any("certified 2 times" in p for p in certify_once_problems([same_cell]))


def test_one_claim_under_two_labels_fails() -> None:
    page = nb(md(EQ + EQ2), fingerprinted("cost-x", "aaaa0001 cccc0001 cccc0002"),
              fingerprinted("cost-y", "cccc0002 bbbb0001 cccc0001"))  # fmt: skip
    problems = certify_once_problems([page])
    assert len(problems) == 1
    assert "2 claims (the same pair of sides) are certified under cost-x" in problems[0]
    assert "and cost-y (t.ipynb cell 2)" in problems[0]


def test_a_certify_cell_without_stored_fingerprints_fails() -> None:
    page = nb(md(EQ), code(PROOF_SRC, out=PROOF_OUT))
    problems = certify_once_problems([page])
    assert len(problems) == 1 and "no stored claim fingerprints" in problems[0]


def test_fingerprints_are_read_as_certify_stores_them(capsys: pytest.CaptureFixture[str]) -> None:
    """The glue this file reads is the one nnlib's certify writes (name and text)."""
    from nnlib.symbolic import SymbolicNetwork, proof

    assert proof.FINGERPRINT_GLUE == FINGERPRINT_GLUE
    net = SymbolicNetwork([2, 1])
    claim = net.proves(net.dloss_dz(), net.z_out)
    stored = []
    original = proof._record
    proof._record = lambda label, fps: stored.append((label, fps))
    try:
        proof.certify("dloss-dz", [claim])
    finally:
        proof._record = original
    capsys.readouterr()
    assert stored == [("dloss-dz", [claim.fingerprint])]
    assert _glued_words(repr(" ".join(stored[0][1]))) == [claim.fingerprint]


# -- rule 6: the paper quoted exactly -------------------------------------------------------

PAPER_TEXT = """Neural Network Derivations

1 Intuition

A neural network consists of nodes and edges. The edges weights can be modified by the learning algorithm.

3 Backpropagation and Updating Weights

In order for our algorithm learn the correct weights, $W_{ji}^{(k)}$, we need to first define a cost function that we'd like to minimize.

3.5 Partial Derivative With Respect To $z_j^{(k)}$

Using the same approach as above, we get the following for all nodes i in hidden layer k + 1 .
"""


def epigraph(text: str, attribution: str = "-- Chao, section 3") -> str:
    return f"Before.\n\n```{{epigraph}}\n{text}\n\n{attribution}\n```\n\nAfter.\n"


def test_exact_quotations_pass_math_and_quotes_may_differ() -> None:
    pages = [
        nb(md(epigraph("In order for our algorithm learn the correct weights, "
                       "$W^{(k)}_{ji}$, we need to first define a *cost function*"))),
        nb(md("The paper writes:\n\n> the correct weights, $\\theta$, we need\n>\n"
              "> -- Chao, section 3\n")),
        nb(md(epigraph("for all nodes $i$ in hidden layer $k+1$.", "— Chao, section 3.5"))),
        nb(md(epigraph("The edges weights can be modified ... algorithm.", "-- Chao, section 1"))),
        nb(md("| section | the notes say | read instead |\n|---|---|---|\n"
              '| 3 | learn "the correct weights" | $W^{(k)}_{ij}$ |\n')),
    ]  # fmt: skip
    assert paper_quote_problems(pages, PAPER_TEXT) == []
    assert unquoted_paper_problems(pages) == []


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (epigraph("we need to first define a loss function"), "does not have these words"),
        (epigraph("A neural network consists of nodes and edges."), "it is in section 1"),
        (epigraph("the correct weights, we need", "-- Chao, section 3.4"), "no section 3.4"),
        (epigraph("the correct weights, we need", "-- Chao"), "end it with '-- Chao, section"),
        (epigraph("$W_{ji}$ and $\\theta$"), "fewer than 2 words"),
        ("> nodes and edges\n>\n> -- the paper, section one\n", "end it with"),
        ('| section | the notes say |\n|---|---|\n| 3 | "learn the right weights" |\n', "not in"),
        ('| section | the notes say |\n|---|---|\n| - | "learn the weights" |\n', "no section"),
    ],
)
def test_a_wrong_quotation_of_the_paper_fails(cell: str, message: str) -> None:
    problems = paper_quote_problems([nb(md(cell))], PAPER_TEXT)
    assert len(problems) == 1 and message in problems[0], problems


@pytest.mark.parametrize(
    "sentence",
    [
        "The paper writes $W_{ji}$ for the weight.",
        "Here the notes never say why.",
        "Chao calls it the cost.",
        "According to the paper, the update adds the gradient.",
        "The source notes print a plus sign.",
    ],
)
def test_reporting_the_paper_without_quoting_it_fails(sentence: str) -> None:
    problems = unquoted_paper_problems([nb(md(f"Intro.\n\n{sentence}\n"))])
    assert len(problems) == 1 and "no quotation of the paper" in problems[0], problems
    quoted = nb(md(f"{sentence}\n\n" + epigraph("the correct weights, we need")))
    assert unquoted_paper_problems([quoted]) == []
    next_cell = nb(
        md(sentence), md(epigraph("the correct weights, we need").replace("Before.", ""))
    )
    assert unquoted_paper_problems([next_cell]) == []


def test_words_about_the_paper_that_report_nothing_pass() -> None:
    text = (
        "The book keeps the symbols of the source notes. The paper's network has one output. "
        "CS231n's notes recommend it. `the paper writes` in code, $the paper says$ in math.\n"
    )
    assert unquoted_paper_problems([nb(md(text))]) == []


def test_the_paper_file_sections_are_read() -> None:
    sections = paper_sections(PAPER_TEXT)
    assert list(sections) == ["1", "3", "3.5"]
    assert "consists of nodes" in sections["1"] and "correct weights" not in sections["1"]
    real = paper_sections(PAPER.read_text(encoding="utf-8")) if PAPER.is_file() else {}
    assert not real or list(real) == ["1", "2", "3", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6"]


# -- rule 7: limits of visible code ----------------------------------------------------------


def test_short_visible_cells_and_folded_long_ones_pass() -> None:
    long = "\n".join(f"x{i} = {i}" for i in range(30))
    page = nb(
        code("net = Network([2, 2, 1])\n\n\n" + "\n".join(["x = 1"] * 14), tags=()),
        code(long + "\nglue('k', 1)\n" + "y" * 100, tags=("hide-input", CHECK_TAG)),
        code(long, tags=("remove-cell",)),
        code("glue('k', 1)", tags=("remove-input",)),
        code("print(1)", tags=("hide-cell",)),
    )
    assert limit_problems([page]) == []


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("\n".join(["x = 1"] * 16), "16 non-blank lines"),
        ("x = 1\n" + "y = '" + "a" * 80 + "'\n", "line 2 of a visible code cell has 86"),
        ("from myst_nb import glue\nglue('ch1_x', 0.5, display=False)\n", "glue( in a visible"),
    ],
)
def test_a_visible_cell_over_the_limits_fails(source: str, message: str) -> None:
    problems = limit_problems([nb(code(source, tags=("nbval-check-output",)))])
    assert len(problems) == 1 and message in problems[0], problems
    assert limit_problems([nb(code(source, tags=("hide-input",)))]) == []


# -- rule 8: taught in order --------------------------------------------------------------------

NOTATION = """# Notation

| Symbol | Meaning | Taught in |
|---|---|---|
| $J$ | cost | {doc}`3 <c3>` |
| $\\delta^{(k)}_i$ | $\\dfrac{\\partial \\operatorname{Loss}}{\\partial z}$ | `c33` |
| $\\eta$ | learning rate | {doc}`c3` |
| $\\lambda$ | L2 | c3 |
| $\\operatorname{Loss}$ | one sample's loss | c3 |
| $\\dfrac{\\partial J}{\\partial b}$ | bias gradient | c33 |

| Term | Meaning | Taught in |
|---|---|---|
| epoch, epochs | a pass | c3 |
| minibatch | some samples | c3 |
| batch size | B | c3 |
| L2, regularisation | penalty | c3 |
| SGD | stochastic | c3 |
| loss | one sample | c3 |
| cost | J | c3 |
| gradient descent | downhill | c3 |
| learning rate | eta | c3 |
| logistic loss | log | c3 |
| error signal | delta | c33 |
"""
ORDER = ["intro.md", "c1.ipynb", "c3.ipynb", "c33.ipynb"]
C3_TEXT = (
    "The cost $J = \\frac1n \\sum \\operatorname{Loss}$ with the logistic loss; gradient descent "
    "with learning rate $\\eta$ and $\\lambda$ for L2 regularisation; SGD takes a minibatch of "
    "batch size $B$, one epoch after another, each loss once."
)
C33_TEXT = "$\\delta^{(k)}_i$, the error signal."


def taught_book(c1: str) -> list[Page]:
    return [
        page_from_markdown("intro.md", "This book teaches the cost $J$ and $\\delta$."),
        nb(md(c1), code("J = net.cost(X, Y)  # epoch, delta", tags=()), name="c1.ipynb"),
        nb(md(C3_TEXT), name="c3.ipynb"),
        nb(md(C33_TEXT), name="c33.ipynb"),
    ]


def test_the_taught_in_table_is_read() -> None:
    taught = taught_in_table(NOTATION, ORDER)
    assert taught.problems == []
    assert taught.symbols == {
        "J": "c3.ipynb", "\\delta": "c33.ipynb", "\\eta": "c3.ipynb", "\\lambda": "c3.ipynb",
        "Loss": "c3.ipynb",
    }  # fmt: skip
    assert taught.terms["epochs"] == "c3.ipynb" and taught.terms["error signal"] == "c33.ipynb"
    assert latex_symbols(r"\frac{\partial \operatorname{Loss}}{\partial z^{(k)}_i} + \eta J") == {
        "Loss", "z", "k", "i", "\\eta", "J",
    }  # fmt: skip


def test_a_book_in_order_passes() -> None:
    c1 = (
        "Hidden nodes learn features of $x$. Code names such as `lr` are not prose.\n\n"
        ":::{admonition} Going deeper: training\n:class: dropdown\n"
        "Here gradient descent on the cost $J$ with learning rate $\\eta$.\n:::\n\n"
        + epigraph(
            "The edges weights can be modified by the learning algorithm.", "-- Chao, section 1"
        )
    )
    book = taught_book(c1)
    assert taught_in_problems(book, ORDER, taught_in_table(NOTATION, ORDER)) == []


@pytest.mark.parametrize(
    ("c1", "message"),
    [
        ("The network is trained for 20 epochs.", "term 'epochs' before c3.ipynb"),
        ("Each step uses a Minibatch.", "term 'minibatch' before c3.ipynb"),
        ("We watch $J$ fall.", "symbol $J$ before c3.ipynb"),
        ("A step of size $\\eta = 0.5$.", "symbol $\\eta$ before c3.ipynb"),
        ("$$\n\\delta^{(1)} = 0\n$$", "symbol $\\delta$ before c33.ipynb"),
        ("The loss falls.", "term 'loss' before c3.ipynb"),
        ("With $\\operatorname{Loss}(a, y)$.", "symbol $Loss$ before c3.ipynb"),
        ("It adds an L2 penalty.", "term 'L2' before c3.ipynb"),
        ("```{note}\nThe error signal flows back.\n```", "term 'error signal' before c33.ipynb"),
        (":::{admonition} Training\n:class: dropdown\nSGD!\n:::", "term 'SGD' before c3"),
    ],
)
def test_a_planted_early_use_fails(c1: str, message: str) -> None:
    problems = taught_in_problems(taught_book(c1), ORDER, taught_in_table(NOTATION, ORDER))
    assert len(problems) == 1 and "c1.ipynb cell 0: uses the " + message in problems[0], problems


def test_a_notation_table_that_misses_the_main_line_fails() -> None:
    table = NOTATION.replace("| epoch, epochs | a pass | c3 |\n", "").replace(
        "| $\\eta$ | learning rate | {doc}`c3` |", "| $\\eta$ | learning rate | soon |"
    )
    problems = taught_in_table(table, ORDER).problems
    assert any("the term 'epoch' has no row" in p for p in problems)
    assert any("names no page of the book" in p and "soon" in p for p in problems)
    assert any("the symbol \\eta has no row" in p for p in problems)
    no_column = NOTATION.replace("| Taught in |", "| Where |")
    assert any("no 'Taught in' column" in p for p in taught_in_table(no_column, ORDER).problems)


def test_a_page_named_as_teacher_that_never_uses_it_fails() -> None:
    book = taught_book("Features.")
    book[3] = nb(md("$\\delta^{(k)}_i$ only."), name="c33.ipynb")
    problems = taught_in_problems(book, ORDER, taught_in_table(NOTATION, ORDER))
    assert problems == [
        "notation.md: the row 'error signal' says c33.ipynb teaches it, but its prose never uses it"
    ]


def test_the_reading_order_is_the_toc(tmp_path: Path) -> None:
    (tmp_path / "book").mkdir()
    for name in ("intro.md", "b.ipynb", "a.ipynb"):
        (tmp_path / "book" / name).write_text("", encoding="utf-8")
    toc = tmp_path / "_toc.yml"
    toc.write_text("format: jb-book\nroot: book/intro\nchapters:\n  - file: book/b\n"
                   "  - file: book/a\n", encoding="utf-8")  # fmt: skip
    assert toc_pages(toc, tmp_path / "book") == ["intro.md", "b.ipynb", "a.ipynb"]
