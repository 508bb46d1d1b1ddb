"""The stepper's steps (nnlib.stepper): values, formulas, order, numbers shown, page and live view.

Every value is held against nnlib's forward/backward/step computed here again, every step
against its SymPy formula, and the order against the rule of a sweep; each check is also
shown to fail on a sweep broken on purpose.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from nnlib import Network
from nnlib.stepper import (
    CHAPTERS,
    KINDS,
    Step,
    check,
    live,
    shown,
    stepper,
    steps,
    sweep_order,
)
from nnlib.stepper.check import sympy_values
from nnlib.stepper.printing import tolerance
from nnlib.worked_example import worked_example

BOOK = Path(__file__).resolve().parents[1] / "book"
LR = 0.5


@pytest.fixture(scope="module")
def example():
    ex = worked_example()
    return ex.net, ex.x, ex.y


@pytest.fixture(scope="module")
def sweep(example):
    net, x, y = example
    return steps(net, x, y, LR)


@pytest.fixture(scope="module")
def symbolic(example, sweep):
    net, x, y = example
    return sympy_values(sweep, net, x, y, LR)


def _nnlib_values(net: Network, x, y, lr: float) -> dict[tuple, float]:
    """nnlib's numbers, keyed as the steps name them (computed here, not by the library)."""
    fw = net.forward(x)
    grads = net.backward(fw, y)
    after = net.copy()
    after.step(grads, lr)
    top = net.L + 1
    values = {
        ("loss", top, 1, None): net.cost(fw, y),
        ("output-delta", top, 1, None): grads.dz[top][0],
        ("new-loss", top, 1, None): after.cost(after.forward(x), y),
    }
    for k in net.layers:
        for i in range(net.sizes[k]):
            values["forward-z", k, i + 1, None] = fw.z[k][i]
            values["forward-h", k, i + 1, None] = fw.h[k][i]
            if k <= net.L:
                values["hidden-delta", k, i + 1, None] = grads.dz[k][i]
            for j in range(net.sizes[k - 1]):
                values["weight-gradient", k, i + 1, j + 1] = grads.dW[k][i, j]
                values["update", k, i + 1, j + 1] = after.W[k][i, j]
    return values


def _reorder(sequence: list[Step], order: list[int]) -> list[Step]:
    """The steps in another order (``order`` lists old ids), renumbered, reads remapped."""
    new_id = {old: n for n, old in enumerate(order, start=1)}
    return [
        replace(
            sequence[old - 1],
            id=new_id[old],
            reads=tuple(new_id[r] for r in sequence[old - 1].reads),
        )
        for old in order
    ]


# -- the sweep of the worked example --------------------------------------------------------


def test_the_worked_example_has_37_steps_in_the_algorithms_order(sweep):
    names = [(s.kind, s.k, s.i, s.j) for s in sweep]
    forward = [
        (kind, k, i, None)
        for k, n in ((1, 2), (2, 2), (3, 1))
        for i in range(1, n + 1)
        for kind in ("forward-z", "forward-h")
    ]
    backward = [
        ("output-delta", 3, 1, None),
        ("weight-gradient", 3, 1, 1),
        ("weight-gradient", 3, 1, 2),
        ("hidden-delta", 2, 1, None),
        ("hidden-delta", 2, 2, None),
        *[("weight-gradient", 2, i, j) for i in (1, 2) for j in (1, 2)],
        ("hidden-delta", 1, 1, None),
        ("hidden-delta", 1, 2, None),
        *[("weight-gradient", 1, i, j) for i in (1, 2) for j in (1, 2)],
    ]
    updates = [
        ("update", k, i, j)
        for k, rows in ((1, 2), (2, 2), (3, 1))
        for i in range(1, rows + 1)
        for j in (1, 2)
    ]
    assert names == [*forward, ("loss", 3, 1, None), *backward, *updates, ("new-loss", 3, 1, None)]
    assert [s.id for s in sweep] == list(range(1, 38))
    assert {s.kind for s in sweep} == set(KINDS)


def test_every_value_is_nnlibs(example, sweep):
    net, x, y = example
    values = _nnlib_values(net, x, y, LR)
    assert len(values) == len(sweep)
    for s in sweep:
        assert s.value == values[s.kind, s.k, s.i, s.j], s
    assert sweep[-1].value < sweep[10].value  # the update lowers the loss


def test_every_value_equals_its_sympy_formula_to_the_printed_digits(sweep, symbolic):
    for s, v in zip(sweep, symbolic, strict=True):
        assert abs(v - s.value) <= tolerance(s.value), (s.id, s.kind, s.shown, v)
        assert shown(v) == s.shown, (s.id, s.kind)


def test_the_sympy_check_bites_on_a_wrong_value(example, sweep, symbolic):
    net, x, y = example
    broken = list(sweep)
    broken[14] = replace(
        broken[14], value=broken[15].value
    )  # delta^(2)_1 given delta^(2)_2's value
    wrong = sympy_values(broken, net, x, y, LR)
    assert wrong == symbolic  # the formulas do not depend on the values claimed...
    assert abs(wrong[14] - broken[14].value) > tolerance(broken[14].value)  # ...so they disagree


def test_check_passes_on_the_sweep_and_says_what_it_checked(example, sweep):
    net, x, y = example
    report = check(sweep, net, x, y, LR)
    assert report.ok, str(report)
    assert str(report).startswith("37 steps: every number shown is nnlib's forward/backward/step")
    assert report.worst_sympy < 1e-12


def test_check_fails_on_a_wrong_value_a_wrong_print_and_a_wrong_order(example, sweep):
    net, x, y = example
    value = list(sweep)
    value[20] = replace(value[20], value=value[20].value * 1.01)
    report = check(value, net, x, y, LR)
    assert not report.ok and report.nnlib and report.sympy and not report.order
    printed = list(sweep)
    printed[3] = replace(printed[3], shown="0.9242")
    report = check(printed, net, x, y, LR, symbolic=False)
    assert not report.ok and report.nnlib == [
        "step 4 (forward-h): shows '0.9242', nnlib's value prints '0.9241'"
    ]
    order = _reorder(list(sweep), [*range(1, 15), 35, *range(15, 35), 36, 37])
    report = check(order, net, x, y, LR, symbolic=False)
    assert not report.ok and not report.nnlib and report.order
    assert "problems" in str(report)


# -- the order -------------------------------------------------------------------------------


def test_the_order_is_a_valid_sweep(sweep):
    assert sweep_order(sweep) == []
    for s in sweep:
        assert all(r < s.id for r in s.reads)
    # the backward steps reuse what was computed: each delta of layer k reads those of k+1
    deltas = {(s.k, s.i): s.id for s in sweep if s.kind in ("output-delta", "hidden-delta")}
    for s in sweep:
        if s.kind == "hidden-delta":
            assert {deltas[s.k + 1, i] for i in (1, 2) if (s.k + 1, i) in deltas} <= set(s.reads)


def test_a_step_reading_a_later_one_is_refused(sweep):
    broken = _reorder(list(sweep), [*range(1, 15), 16, 15, *range(17, 38)])  # swap two deltas: fine
    assert sweep_order(broken) == []
    early = _reorder(list(sweep), [*range(1, 12), 13, 12, *range(14, 38)])  # dW before the delta
    problems = sweep_order(early)
    assert problems and "reads step(s) [13]" in problems[0]


def test_a_weight_updated_before_its_last_reader_is_refused(sweep):
    # W^(3)_11 (step 35) moved right after its gradient (step 13): delta^(2)_1 then reads it new
    early = _reorder(list(sweep), [*range(1, 14), 35, *range(14, 35), 36, 37])
    problems = sweep_order(early)
    assert problems == ["step 16 (hidden-delta) reads W^(3)_11 after step 14 updated it"]


def test_ids_out_of_order_are_refused(sweep):
    shuffled = [sweep[1], sweep[0], *sweep[2:]]
    assert any("position 1 has id 2" in p for p in sweep_order(shuffled))


# -- what a reader sees ----------------------------------------------------------------------


def test_the_substituted_numbers_redo_the_step_by_hand(sweep):
    """The arithmetic printed in each step gives its value (up to the rounding of its operands)."""
    checked = 0
    for s in sweep:
        right = s.text.split("\u2190")[-1] if s.kind == "update" else s.text.split(" = ", 1)[1]
        expression, result = right.rsplit(" = ", 1)
        if s.kind == "output-delta":
            expression = expression.split(" = ", 1)[1]  # g(z) - y = a - b
        if s.kind in ("forward-h", "loss", "new-loss"):
            continue  # g(...) and log: not plain arithmetic
        python = expression.replace("\u00d7", "*").replace("\u2212", "-")
        assert re.fullmatch(r"[0-9.()*+\- ]+", python), s.text
        by_hand = eval(python)  # digits and operators only, checked above
        assert abs(by_hand - s.value) <= 2e-3 * max(1.0, abs(s.value)), (s.id, s.text)
        assert result.replace("\u2212", "-") == s.shown
        checked += 1
    assert checked == 10 // 2 + 1 + 10 + 4 + 10  # every z, the output delta, dW, hidden delta, W


def test_numbers_and_equations_name_the_quantity_and_end_with_the_value(sweep):
    for s in sweep:
        assert s.numbers.startswith(s.symbol), s
        assert s.equation.startswith(s.symbol), s
        assert s.numbers.endswith(f"= {s.shown}"), s
        assert float(s.shown) == pytest.approx(s.value, abs=tolerance(s.value))
    assert sweep[14].numbers == r"\delta^{(2)}_{1} = (-0.5988) \times 2 \times 0.2452 = -0.2936"
    assert (
        sweep[14].equation
        == r"\delta^{(2)}_{1} = \delta^{(3)}_{1} W^{(3)}_{11}\, g'\bigl(z^{(2)}_{1}\bigr)"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.010372, "0.01037"),
        (-1.5, "-1.5"),
        (2.0, "2"),
        (123.456, "123.5"),
        (0.0, "0"),
        (-4e-5, "-0.00004"),
    ],
)
def test_shown_prints_four_significant_digits(value, text):
    assert shown(value) == text


def test_every_label_is_an_equation_of_the_chapter_it_links(sweep):
    for s in sweep:
        page = BOOK / f"{s.chapter}.ipynb"
        assert page.is_file(), s.chapter
        source = "".join("".join(c["source"]) for c in json.loads(page.read_text())["cells"])
        assert re.search(r"\$\$\s*\(" + re.escape(s.label) + r"\)", source), (s.label, s.chapter)
        assert CHAPTERS[s.label] == (s.chapter, s.section)


def test_backward_steps_say_what_they_reuse(sweep):
    backward = [s for s in sweep if s.backward]
    assert len(backward) == 1 + 10 + 4
    assert all(s.reads for s in backward)
    assert sweep[14].reads == (12, 5)  # delta^(3)_1 and z^(2)_1


def test_steps_do_not_change_the_network(example):
    net, x, y = example
    before = {k: w.copy() for k, w in net.W.items()}
    steps(net, x, y, 3.0)
    assert all(np.array_equal(net.W[k], before[k]) for k in net.layers)


@pytest.mark.parametrize(
    ("sizes", "activation", "loss", "y"),
    [
        ([2, 1], "sigmoid", "logistic", 0.0),
        ([3, 2, 1], "tanh", "squared", 0.5),
        ([2, 3, 2, 1], "relu", "hinge", -1.0),
    ],
)
def test_any_small_network_steps_and_checks(sizes, activation, loss, y):
    net = Network(sizes, activation=activation, loss=loss, seed=3)
    x = np.linspace(-0.8, 0.9, sizes[0])
    sweep = steps(net, x, y, 0.1)
    nodes = sum(sizes[1:])
    weights = sum(a * b for a, b in itertools.pairwise(sizes))
    assert len(sweep) == 2 * nodes + 1 + 1 + 2 * weights + sum(sizes[1:-1]) + 1
    report = check(sweep, net, x, y, 0.1)
    assert report.ok, str(report)


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "args", "error", "message"),
    [
        (lambda: "net", ([1.0, 2.0], 1.0, 0.5), TypeError, "nnlib.Network"),
        (lambda: Network([2, 2, 2]), ([1.0, 2.0], [1.0, 0.0], 0.5), ValueError, "one output node"),
        (lambda: Network([2, 2, 1], bias=True), ([1.0, 2.0], 1.0, 0.5), ValueError, "no biases"),
        (lambda: Network([2, 2, 1], l2=0.1), ([1.0, 2.0], 1.0, 0.5), ValueError, "L2"),
        (lambda: Network([2, 9, 1]), ([1.0, 2.0], 1.0, 0.5), ValueError, "at most 8 nodes"),
        (lambda: Network([2] * 6 + [1]), ([1.0, 2.0], 1.0, 0.5), ValueError, "6 layers"),
        (
            lambda: Network([2, 2, 1], output_activation="identity"),
            ([1.0, 2.0], 1.0, 0.5),
            ValueError,
            "one g for every layer",
        ),
        (lambda: Network([2, 2, 1]), ([1.0, 2.0, 3.0], 1.0, 0.5), ValueError, "n_0 = 2"),
        (
            lambda: Network([2, 2, 1]),
            ([[1.0, 2.0], [3.0, 4.0]], 1.0, 0.5),
            ValueError,
            "one sample",
        ),
        (lambda: Network([2, 2, 1], loss="logistic"), ([1.0, 2.0], 2.0, 0.5), ValueError, "labels"),
        (lambda: Network([2, 2, 1]), ([1.0, 2.0], "one", 0.5), TypeError, "one number"),
        (lambda: Network([2, 2, 1]), ([1.0, 2.0], 1.0, 0.0), ValueError, "lr"),
        (lambda: Network([2, 2, 1]), ([1.0, 2.0], 1.0, "fast"), TypeError, "lr"),
    ],
)
def test_bad_input_is_named(make, args, error, message):
    with pytest.raises(error, match=message):
        steps(make(), *args)


def test_stepper_takes_all_three_or_none():
    ex = worked_example()
    with pytest.raises(TypeError, match="all three"):
        stepper(ex.net, ex.x)
    with pytest.raises(ValueError, match="page_suffix"):
        stepper(page_suffix=".pdf")


# -- the static page and the live view -------------------------------------------------------


@pytest.fixture(scope="module")
def page():
    return stepper()


def test_the_page_packs_every_step_and_an_svg_with_every_id(page, sweep):
    text = page.html()
    root = page.element_id
    assert text.count('class="nnlib-stepper"') == 1 and f'id="{root}"' in text
    assert text.isascii() and len(text.encode()) < 300_000
    payload = re.search(
        r'<script type="application/json" class="nns-data">(.*?)</script>', text
    ).group(1)
    data = json.loads(payload)
    assert len(data["steps"]) == len(sweep) == len(page)
    for record, s in zip(data["steps"], sweep, strict=True):
        assert record["value"] == s.value and record["numbers"] == s.numbers
        assert f'id="{root}-{record["target"]}"' in text, record["target"]
        assert f'id="{root}-{record["slot"]}"' in text, record["slot"]
        assert record["href"] == f"{s.chapter}.html#equation-{s.label}"
    # nothing is fetched: no URL but the SVG namespaces
    urls = set(re.findall(r"https?://[^\"' )]+", text))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, urls
    assert 'aria-live="polite"' in text and "<button" in text


def test_the_page_is_the_same_every_time(page):
    assert stepper().html() == page.html()


def test_the_drawing_after_step_n_shows_values_1_to_n_and_lights_step_n(page, sweep):
    root = page.element_id
    svg = page.drawing.svg(15)
    for _s in sweep:
        slot_id = re.search(rf'id="{root}-([a-z]+-[0-9-]+|loss|newloss)" class="([^"]*)"', svg)
        assert slot_id  # the slots carry classes
    shown_now = {
        m.group(1): "nns-off" not in m.group(2)
        for m in re.finditer(
            rf'id="{root}-((?:[zhdgu]-[0-9-]+)|loss|newloss)" class="([^"]*)"', svg
        )
    }
    assert all(shown_now[p] for p in ("z-1-1", "h-3-1", "loss", "d-3-1", "g-3-1-2", "d-2-1"))
    assert not any(shown_now[p] for p in ("d-2-2", "g-2-1-1", "u-1-1-1", "newloss"))
    assert re.search(rf'id="{root}-node-2-1" class="nns-el nns-hot"', svg)
    assert re.search(rf'id="{root}-node-3-1" class="nns-el nns-read"', svg)
    assert re.search(rf'id="{root}-d-2-1" class="nns-now ', svg)
    start = page.drawing.svg(0)
    assert "nns-hot" not in start and "nns-now" not in start


def test_the_panel_of_a_step_links_its_chapter_and_lists_what_it_reuses(page, sweep):
    panel = page.panel(15)
    assert panel["counter"] == "step 15 of 37"
    assert 'href="03_5_any_hidden_node.html#equation-dloss-dz-hidden"' in panel["ref"]
    assert "Reuses, already computed" in panel["reads"] and "(step 12)" in panel["reads"]
    assert sweep[14].text in panel["live"] or "0.2936" in panel["live"]
    assert page.panel(37)["reads"].count("<li>") == 2  # the loss and the updated weights
    with pytest.raises(ValueError, match=r"0 \.\. 37"):
        page.panel(38)


def test_the_live_stepper_moves_with_its_buttons(sweep):
    view = live()
    root = view.source.element_id
    assert view.position == 0 and view.start.disabled and view.previous.disabled
    for _ in range(15):
        view.next.click()
    assert view.position == 15 and "step 15 of 37" in view.counter.value
    assert f'id="{root}-node-2-1" class="nns-el nns-hot"' in view.figure.value
    assert sweep[14].numbers.replace("\\", "") in view.panel.value.replace("\\", "")
    assert "03_5_any_hidden_node.ipynb#equation-dloss-dz-hidden" in view.panel.value
    view.previous.click()
    assert view.position == 14
    for _ in range(40):
        view.next.click()
    assert view.position == 37 and view.next.disabled
    view.start.click()
    assert view.position == 0 and "step 0 of 37" in view.counter.value


def test_the_id_follows_the_numbers_shown_not_their_last_digits(page):
    """The page's id is the same on every machine: round-off in the last digits of a
    value (which depends on the processor's BLAS kernels) does not change it, a
    different shown number does."""
    ex = worked_example()
    nudged = ex.net.copy()
    nudged.W[1] = np.nextafter(nudged.W[1], np.inf)  # every weight one ulp up
    same_shown = stepper(nudged, ex.x, ex.y)
    assert [s.value for s in same_shown.steps] != [s.value for s in page.steps]
    assert same_shown.element_id == page.element_id
    moved = ex.net.copy()
    moved.W[1] = moved.W[1] + 0.01
    assert stepper(moved, ex.x, ex.y).element_id != page.element_id
