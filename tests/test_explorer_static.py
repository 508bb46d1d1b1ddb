"""Tests for nnlib.explorer.static: the explorer of section 3.6 precomputed for the HTML book."""

from __future__ import annotations

import base64
import json
import math
import re
from dataclasses import replace
from typing import Any

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from nnlib.explorer import (
    BASE,
    COLOURS,
    HIDDEN_LAYERS,
    LEARNING_RATES,
    LIMITS,
    STALLED,
    ExplorerFigure,
    Settings,
    StaticExplorer,
    frame,
    run,
    runs,
    static_explorer,
    status_colour,
    status_text,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: A small grid: quick to compute, with one diverging and one good setting.
SMALL = {"learning_rates": (1.0, 100.0), "hidden_layers": (0, 2)}
BASE_SMALL = replace(BASE, epochs=20)


@pytest.fixture(scope="module")
def small() -> StaticExplorer:
    return static_explorer(BASE_SMALL, **SMALL)


def _data(explorer: StaticExplorer) -> dict[str, Any]:
    match = re.search(
        r'<script type="application/json" class="nnx-data">(.*?)</script>', explorer.html()
    )
    assert match, "no data block"
    return json.loads(match.group(1))


# --- the grid ----------------------------------------------------------------------


def test_default_grid_lies_on_the_live_sliders():
    assert len(LEARNING_RATES) >= 9
    assert LEARNING_RATES[0] == pytest.approx(LIMITS["lr"][0])
    # Half a decade short of the slider's top: see test_no_setting_of_the_grid_is_chaotic.
    assert LEARNING_RATES[-1] == pytest.approx(10**1.5)
    assert LEARNING_RATES[-1] < LIMITS["lr"][1]
    assert list(LEARNING_RATES) == sorted(set(LEARNING_RATES))
    # Every rate is a position of the live log slider (steps of 0.1 in log10).
    for lr in LEARNING_RATES:
        assert math.log10(lr) * 10 == pytest.approx(round(math.log10(lr) * 10))
    assert HIDDEN_LAYERS == (0, 1, 2, 3, 4)
    assert BASE.lr in LEARNING_RATES and BASE.hidden_layers in HIDDEN_LAYERS
    # The rest of the grid's settings are the live explorer's defaults.
    assert replace(BASE, activation=Settings().activation) == Settings()


def test_default_grid_goes_from_too_small_to_too_large():
    """The smallest rate learns almost nothing at any depth; at the largest every network
    with a hidden layer ends above its starting J or diverges (BASE's two layers diverge)."""
    for L in HIDDEN_LAYERS:
        slow = run(BASE, lr=LEARNING_RATES[0], hidden_layers=L)
        assert not slow.diverged
        assert slow.final_cost > (1 - STALLED) * slow.history.initial_cost
        fast = run(BASE, lr=LEARNING_RATES[-1], hidden_layers=L)
        if L > 0:
            assert fast.diverged or fast.cost_rose, L
    assert run(BASE, lr=LEARNING_RATES[-1]).diverged
    good = run(BASE)
    assert not good.diverged and good.accuracy >= 0.95


#: How far :func:`_nudged_status` moves the initial weights, relative to each.
NUDGE = 1e-14


def _nudged_status(settings: Settings, monkeypatch: pytest.MonkeyPatch, seed: int) -> str:
    """The status line of ``settings`` when every initial weight is nudged by a relative
    1e-14 (a few roundings of one product), as another processor's arithmetic could."""
    make = runs.network

    def nudged(s: Settings):
        net = make(s)
        rng = np.random.default_rng(seed)
        for w in net.W.values():
            w *= 1 + NUDGE * rng.standard_normal(w.shape)
        return net

    with monkeypatch.context() as patch:
        patch.setattr(runs, "network", nudged)
        return status_text(run(settings))


def test_no_setting_of_the_grid_is_chaotic(monkeypatch):
    """The stored frames must be what any machine computes, so no setting of the grid may
    end elsewhere when its start moves by rounding error.  eta = 100 with L = 0, the one
    setting of the slider's top decade that would fail, is not on the grid."""
    for lr in LEARNING_RATES:
        for L in HIDDEN_LAYERS:
            settings = replace(BASE, lr=lr, hidden_layers=L)
            expected = status_text(run(settings))
            for seed in range(3):
                assert _nudged_status(settings, monkeypatch, seed) == expected, (lr, L, seed)
    chaotic = replace(BASE, lr=100.0, hidden_layers=0)
    expected = status_text(run(chaotic))
    assert any(_nudged_status(chaotic, monkeypatch, seed) != expected for seed in range(3))


# --- one frame: the live explorer's picture and status -------------------------------


@pytest.mark.parametrize("settings", [BASE_SMALL, replace(BASE_SMALL, lr=100.0)])
def test_a_frame_is_what_the_live_explorer_shows(settings):
    f = frame(settings)
    result = run(settings)
    assert f.status == status_text(result)
    assert f.colour == status_colour(result)
    assert f.diverged == result.diverged
    assert f.png == ExplorerFigure().show(result).png(colours=COLOURS, compress_level=9)
    assert f.png.startswith(PNG_SIGNATURE)
    assert f"L = {settings.hidden_layers} hidden layers" in f.alt


def test_frame_outcomes():
    assert frame(replace(BASE_SMALL, lr=100.0)).outcome == "diverged"
    assert frame(replace(BASE, lr=0.001, epochs=20)).outcome == "stalled"
    assert frame(BASE_SMALL).outcome == "learned"
    rose = frame(replace(BASE_SMALL, activation="tanh", dataset="spirals", lr=100.0))
    assert rose.outcome == "rose" and "too large" in rose.status


# --- the explorer: grid, HTML, data ----------------------------------------------------


def test_frames_follow_the_grid(small):
    assert len(small.frames) == 4
    for lr in SMALL["learning_rates"]:
        for L in SMALL["hidden_layers"]:
            f = small.frame(lr, L)
            assert (f.settings.lr, f.settings.hidden_layers) == (lr, L)
            assert f.settings == replace(BASE_SMALL, lr=lr, hidden_layers=L)
    assert [f.settings.lr for f in small.diverged] == [100.0]
    with pytest.raises(ValueError, match=r"lr 0\.5 is not on the grid; expected one of 1, 100"):
        small.frame(0.5, 0)
    with pytest.raises(ValueError, match=r"hidden_layers 3 is not on the grid"):
        small.frame(1.0, 3)


def test_html_holds_controls_picture_status_and_data(small):
    page = small.html()
    root = small.element_id
    assert page.startswith(f'<div class="nnlib-explorer" id="{root}">')
    assert page.isascii()
    assert page.count('<input type="range"') == 2
    assert 'name="lr" min="0" max="1" step="1" value="0"' in page
    assert 'name="layers" min="0" max="1" step="1" value="1"' in page
    assert page.count("<img ") == 1
    # The page starts at base's setting, picture and status.
    start = small.frame(BASE_SMALL.lr, BASE_SMALL.hidden_layers)
    assert f'src="data:image/png;base64,{base64.b64encode(start.png).decode()}"' in page
    assert start.status.replace("\u03b7", "&#951;") in page
    # The data: one entry per frame, in the order the script indexes them.
    data = _data(small)
    assert [axis["labels"] for axis in data["axes"]] == [["1", "100"], ["0", "2"]]
    assert len(data["frames"]) == len(small.frames)
    for entry, f in zip(data["frames"], small.frames, strict=True):
        png, alt, status, colour = entry
        assert base64.b64decode(png) == f.png
        assert (alt, status, colour) == (f.alt, f.status, f.colour)
    # The script finds its own explorer, by id, and nothing else.
    assert f'document.getElementById("{root}")' in page


def test_html_needs_nothing_from_outside(small):
    page = small.html()
    # (no ':' can occur in base64, so these find only real addresses)
    assert "http:" not in page and "https:" not in page and "file:" not in page
    assert not re.search(r"<(script|img|link)\b[^>]*\b(src|href)=\"(?!data:)", page)
    assert "</script" not in _data_block(page)


def _data_block(page: str) -> str:
    start = page.index('class="nnx-data">') + len('class="nnx-data">')
    return page[start : page.index("</script>", start)]


def test_same_arguments_give_the_same_bytes(small):
    again = static_explorer(BASE_SMALL, **SMALL)
    assert again.html() == small.html()
    assert again.element_id == small.element_id
    # The id is a hash of what is shown: another picture or another status line
    # in any frame (what other settings, e.g. another seed, give) is another id.
    first, *rest = small.frames
    for changed in (
        replace(first, png=first.png + b"\0"),
        replace(first, status=first.status + "."),
    ):
        other = replace(small, frames=(changed, *rest))
        assert other.element_id != small.element_id


def test_summary_names_the_failures_per_depth(small):
    text = small.summary()
    lines = text.splitlines()
    assert lines[0].startswith("4 settings precomputed: 2 learning rates x 2 hidden-layer counts")
    assert lines[-2] == "L = 0: - / 100 / -"
    assert lines[-1] == "L = 2: - / - / 100"
    assert repr(small).startswith("StaticExplorer(2 learning rates x 2 hidden-layer counts")
    assert small._repr_html_() == small.html()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"learning_rates": (1.0,)}, ValueError, r"learning_rates must hold at least two"),
        ({"learning_rates": (1.0, 0.1)}, ValueError, r"learning_rates must hold .* increasing"),
        ({"learning_rates": (1.0, -1.0)}, ValueError, r"each learning rate must be a finite"),
        ({"hidden_layers": (2, 2)}, ValueError, r"hidden_layers must hold at least two"),
        ({"hidden_layers": (0, 1.5)}, TypeError, r"each hidden-layer count must be an integer"),
        ({"learning_rates": (0.1, 10.0)}, ValueError, r"starting point lr=1.*must be on the grid"),
        ({"base": {"lr": 1.0}}, TypeError, r"base must be an nnlib\.explorer\.Settings"),
    ],
)
def test_bad_grids_raise_clear_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        static_explorer(**kwargs)


def test_frame_rejects_non_settings():
    with pytest.raises(TypeError, match=r"settings must be an nnlib\.explorer\.Settings"):
        frame({"lr": 1.0})


# --- in a browser: the script switches exactly the right frame -------------------------


@pytest.mark.browser
def test_script_shows_the_frame_of_the_controls_position(small, browser, tmp_path):
    page_file = tmp_path / "explorer.html"
    page_file.write_text(
        f"<!doctype html><html><body>{small.html()}</body></html>", encoding="ascii"
    )
    context = browser.new_context()
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(page_file.as_uri())
        for lr_index, lr in enumerate(SMALL["learning_rates"]):
            for layers_index, L in enumerate(SMALL["hidden_layers"]):
                page.fill("input[name=lr]", str(lr_index))
                page.fill("input[name=layers]", str(layers_index))
                f = small.frame(lr, L)
                assert page.inner_text(".nnx-status") == f.status
                src = page.get_attribute(".nnlib-explorer img", "src")
                assert src == "data:image/png;base64," + base64.b64encode(f.png).decode()
                assert page.get_attribute(".nnlib-explorer img", "alt") == f.alt
                readouts = page.eval_on_selector_all("output", "os => os.map(o => o.textContent)")
                assert readouts == [f"{lr:.3g}", str(L)]
    finally:
        context.close()
    assert not errors
