r"""The book keeps its promises: checks that read its files and need no kernel.

Four rules (see ``README.md`` and the book's introduction), each a function that
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
