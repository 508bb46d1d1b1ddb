"""Tests for nnlib.explorer: the explorer of section 3.6 -- settings, runs, status, figure, live controls."""

from __future__ import annotations

import html
import io
import warnings
from dataclasses import replace

import matplotlib

matplotlib.use("Agg")

import ipywidgets
import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

from nnlib.activations import ACTIVATIONS
from nnlib.explorer import (
    ACTIVATION_NAMES,
    BATCH_SIZES,
    DATASETS,
    DIVERGED_COLOUR,
    LIMITS,
    MAX_UPDATES,
    N_SAMPLES,
    ROSE_COLOUR,
    Explorer,
    ExplorerFigure,
    Result,
    Settings,
    draw,
    explore,
    load_dataset,
    max_epochs,
    network,
    run,
    runs,
    status_colour,
    status_text,
)
from nnlib.explorer.figure import OUTPUT_DECIMALS, _plane
from nnlib.plotting import J_LABEL

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

#: Settings that learn XOR: one hidden tanh layer.
XOR = Settings(dataset="xor", activation="tanh", hidden_layers=1, width=4, lr=1.0, epochs=200)
#: Settings that diverge: ReLU layers, full batch, eta = 10.
DIVERGES = Settings(dataset="xor", activation="relu", hidden_layers=4, width=8, lr=10.0)


def png_of(explorer: Explorer) -> bytes:
    """The PNG bytes the explorer's Image widget shows."""
    assert explorer.image.format == "png"
    return bytes(explorer.image.value)


def J_curve(result: Result) -> list[float]:
    """The real cost J the explorer draws: before training, then after each epoch."""
    return [result.history.initial_cost, *result.history.cost]


@pytest.fixture
def count_runs(monkeypatch: pytest.MonkeyPatch) -> list[Settings]:
    """Record the settings of every retrain the explorer does."""
    calls: list[Settings] = []
    real_run = runs.run

    def counting_run(settings=None, **changes):
        result = real_run(settings, **changes)
        calls.append(result.settings)
        return result

    monkeypatch.setattr(runs, "run", counting_run)
    return calls


@pytest.fixture
def explorer() -> Explorer:
    """A quick explorer: few epochs, so each retrain is mostly drawing."""
    return Explorer(epochs=20)


@pytest.fixture(scope="module")
def untouched() -> Explorer:
    """The same quick explorer, shared by the tests that move none of its controls.

    Each of them that tries to move one checks that nothing moved.
    """
    return Explorer(epochs=20)


# --- run(): the pure computation ---------------------------------------------------


def test_run_is_deterministic():
    s = Settings(dataset="spirals", activation="relu", hidden_layers=2, batch_size=10, epochs=20)
    a, b = run(s), run(s)
    assert a.history.cost == b.history.cost
    assert a.accuracy == b.accuracy
    for k in a.net.layers:
        np.testing.assert_array_equal(a.net.W[k], b.net.W[k])
        np.testing.assert_array_equal(a.net.b[k], b.net.b[k])
    # ... and the seed is what changes the outcome.
    c = run(s, seed=1)
    assert c.history.cost != a.history.cost
    assert not np.array_equal(c.net.W[1], a.net.W[1])


def test_run_builds_the_network_the_settings_describe():
    r = run(Settings(hidden_layers=3, width=5, activation="sigmoid", epochs=10))
    assert r.net.sizes == (2, 5, 5, 5, 1)
    assert r.net.activation.name == "sigmoid"
    assert r.net.output_activation.name == "sigmoid"
    assert r.net.loss_fn.name == "logistic"
    assert r.net.bias
    assert len(r.history.cost) == 10
    assert r.history.lr == 1.0 and r.history.batch_size == N_SAMPLES
    # The explorer asks train for the exact J: final_cost is J of the whole
    # training set with the final weights, not a running mean.
    assert r.history.exact_cost
    assert r.final_cost == r.history.cost[-1]
    assert r.final_cost == pytest.approx(r.net.cost(r.X, r.y), rel=1e-12)


def test_network_is_the_untrained_network_run_trains():
    s = Settings(hidden_layers=3, width=5, activation="sigmoid", seed=4)
    net = network(s)
    assert net.sizes == (2, 5, 5, 5, 1)
    trained = run(s, epochs=10).net
    assert trained.sizes == net.sizes
    fresh = network(s)
    for k in net.layers:
        np.testing.assert_array_equal(net.W[k], fresh.W[k])  # seeded: the same start
        assert not np.array_equal(net.W[k], trained.W[k])  # run() trains it
    with pytest.raises(TypeError, match=r"settings must be an nnlib\.explorer\.Settings"):
        network({"hidden_layers": 2})


@pytest.mark.parametrize("hidden_layers", [0, 1, 2, 3, 4])
def test_hidden_layers_is_the_networks_L(hidden_layers):
    r = run(hidden_layers=hidden_layers, epochs=10)
    assert r.net.L == hidden_layers
    assert sorted(r.net.W) == list(range(1, hidden_layers + 2))


@pytest.mark.parametrize("width", [4, 8])
def test_one_hidden_tanh_layer_learns_xor(width):
    r = run(XOR, width=width)
    assert not r.diverged
    assert r.accuracy == 1.0
    assert r.final_cost < 0.05


def test_no_hidden_layer_cannot_learn_xor():
    r = run(XOR, hidden_layers=0)
    assert r.net.L == 0
    assert r.accuracy <= 0.75


def test_defaults_learn_two_moons_quickly():
    s = Settings()
    assert (s.dataset, s.activation, s.hidden_layers, s.width) == ("two_moons", "tanh", 2, 8)
    assert (s.lr, s.epochs, s.batch_size, s.seed) == (1.0, 100, N_SAMPLES, 0)
    r = run()
    assert r.accuracy >= 0.95
    assert r.final_cost < r.history.initial_cost
    # A straight line (no hidden layer) does worse on the moons.
    assert run(hidden_layers=0).accuracy < r.accuracy


def test_paper_sgd_takes_one_update_per_sample():
    # batch_size=1 is the paper's per-sample update; it learns XOR in few epochs.
    r = run(XOR, batch_size=1, lr=0.1, epochs=10)
    assert r.history.batch_size == 1
    assert r.accuracy == 1.0


@pytest.mark.filterwarnings("error")
def test_huge_learning_rate_reports_divergence_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning (overflow, NaN) fails the test
        r = run(DIVERGES)
        text = status_text(r)
        fig = draw(r)
    assert r.diverged and r.history.diverged
    assert r.accuracy is None
    assert len(r.history.cost) < DIVERGES.epochs
    # The status names the epoch, the same one train() reports.
    assert r.diverged_at == len(r.history) + 1
    assert text.startswith(f"Diverged at epoch {r.diverged_at}:")
    assert f"in epoch {r.diverged_at}:" in r.history.message
    assert "too large" in text
    assert "nan" not in text.lower() and "inf" not in text.lower()
    assert status_colour(r) == DIVERGED_COLOUR
    panels = [t.get_text() for ax in fig.axes for t in ax.texts if t.get_visible()]
    assert any(f"diverged at epoch {r.diverged_at}" in t for t in panels)


@pytest.mark.filterwarnings("error")
def test_largest_learning_rate_on_relu_diverges_in_the_first_epoch():
    r = run(dataset="two_moons", activation="relu", lr=100.0, batch_size=1, epochs=10)
    assert r.diverged
    assert r.history.cost == []  # not one epoch completed
    assert status_text(r).startswith("Diverged at epoch 1:")
    fig = draw(r)  # draws a message, not an empty curve
    assert not fig.axes[0].lines
    assert any("diverged" in t.get_text() for ax in fig.axes for t in ax.texts)


def test_overshooting_learning_rate_is_flagged():
    # tanh keeps J finite at eta = 100, but J rises: the status line says why.
    r = run(dataset="spirals", lr=100.0)
    assert not r.diverged
    assert r.cost_rose and r.final_cost > r.history.initial_cost
    assert "too large" in status_text(r)
    assert status_colour(r) == ROSE_COLOUR
    good = run()
    assert not good.cost_rose
    assert "too large" not in status_text(good)
    assert status_colour(good) == "inherit"


def test_status_text_reports_final_J_and_accuracy():
    r = run(XOR)
    text = status_text(r)
    assert f"J = {r.final_cost:.4g} on the whole training set" in text
    assert "after 200 epochs" in text
    assert "100.0%" in text
    assert f"{N_SAMPLES} of {N_SAMPLES}" in text


def test_draw_makes_a_cost_panel_and_a_boundary_panel():
    r = run(XOR)
    fig = draw(r)
    assert isinstance(fig, Figure)
    cost_ax, boundary_ax = fig.axes[:2]
    # The curve is the real J of the training set, epoch 0 (before training) to the end,
    # not the running mean of minibatch costs, and its axis says so.
    (curve,) = cost_ax.lines
    np.testing.assert_array_equal(curve.get_xdata(), np.arange(len(r.history.cost) + 1))
    np.testing.assert_allclose(curve.get_ydata(), J_curve(r))
    assert cost_ax.get_ylabel() == J_LABEL
    assert boundary_ax.images  # the shading
    assert boundary_ax.collections  # the 0.5 contour and the samples
    assert "XOR" in boundary_ax.get_title()
    assert "L = 1" in boundary_ax.get_title()


def test_boundary_panel_shades_the_networks_output():
    r = run(XOR)
    figure = ExplorerFigure().show(r)
    shading = figure.figure.axes[1].images[0].get_array()
    points, _ = _plane("xor")
    expected = r.net.predict(points).reshape(shading.shape)
    np.testing.assert_array_equal(shading, np.round(expected, OUTPUT_DECIMALS))
    np.testing.assert_allclose(shading, expected, rtol=0, atol=0.5 * 10.0**-OUTPUT_DECIMALS)
    samples = [c for c in figure.figure.axes[1].collections if c.get_offsets().shape[0] > 2]
    assert sum(len(c.get_offsets()) for c in samples) == N_SAMPLES


def test_an_output_of_one_half_draws_the_same_picture_whatever_its_last_bit():
    """A network whose output is 0.5 everywhere (all hidden units dead, as training at a
    large eta can leave it) computes 0.5 or a neighbour of 0.5 depending on the processor's
    arithmetic; the picture is the same for each, and has no boundary."""
    r = run(XOR)
    points, _ = _plane("xor")
    pictures = []
    for bias, side in ((0.0, 0), (-1e-15, -1), (1e-15, 1)):
        net = r.net.copy()
        top = net.L + 1
        net.W[top][:] = 0.0
        net.b[top][:] = bias
        output = net.predict(points)
        assert np.all(np.sign(output - 0.5) == side) and np.ptp(output) == 0.0
        figure = ExplorerFigure().show(replace(r, net=net))
        assert figure._boundary is None
        pictures.append(figure.rgb())
    for picture in pictures[1:]:
        np.testing.assert_array_equal(picture, pictures[0])


def test_explorer_figure_redrawn_in_place_equals_a_fresh_one():
    # The figure keeps its background between results; what it shows must not
    # depend on what it showed before (the live and the precomputed explorer rely on it).
    figure = ExplorerFigure()
    sequence = [
        run(XOR),
        run(lr=0.1),
        run(DIVERGES),  # diverged: the boundary panel is replaced by a message
        run(lr=3.0, hidden_layers=3),
        run(dataset="spirals", hidden_layers=0),
        run(lr=3.0, hidden_layers=3),
    ]
    for result in sequence:
        reused = figure.show(result).rgb()
        fresh = ExplorerFigure().show(result).rgb()
        assert reused.shape == (320, 768, 3) and reused.dtype == np.uint8
        np.testing.assert_array_equal(reused, fresh, err_msg=repr(result.settings))
    # ... and different results give different pictures.
    assert not np.array_equal(figure.show(run(lr=0.1)).rgb(), figure.show(run(lr=3.0)).rgb())


def test_explorer_figure_png_is_deterministic_and_can_use_a_palette():
    r = run(XOR)
    a, b = ExplorerFigure().show(r), ExplorerFigure().show(r)
    assert a.png() == b.png()
    assert a.png().startswith(PNG_SIGNATURE)
    small = a.png(colours=32, compress_level=9)
    assert small.startswith(PNG_SIGNATURE) and len(small) < len(a.png()) / 2
    with Image.open(io.BytesIO(small)) as image:
        assert image.mode == "P" and image.size == (768, 320)
        assert len(image.getcolors()) <= 32
    with pytest.raises(ValueError, match="colours must be an integer >= 1"):
        a.png(colours=0)
    with pytest.raises(TypeError, match=r"result must be an nnlib\.explorer\.Result"):
        ExplorerFigure().show(r.settings)


@pytest.mark.parametrize("settings", [XOR, DIVERGES])
def test_every_text_of_the_picture_is_at_least_9_css_px_on_the_page(settings):
    """The page shows the 768-px picture at most 688 CSS px wide (the book's column)."""
    from unittest import mock

    from matplotlib.backends.backend_agg import RendererAgg

    drawn: list[tuple[float, str]] = []
    draw_text = RendererAgg.draw_text

    def spy(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if s.strip():
            drawn.append((prop.get_size_in_points(), s))
        return draw_text(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    with mock.patch.object(RendererAgg, "draw_text", spy):
        figure = ExplorerFigure().show(run(settings))
    width = figure.rgb().shape[1]
    size, text = min(drawn)
    px = size * figure.figure.dpi / 72 * min(1.0, 688 / width)
    assert px >= 9.0, f"{text!r} is {px:.1f} CSS px tall on the page"


def test_load_dataset_is_standardised_and_read_only():
    for name in DATASETS:
        X, y = load_dataset(name)
        assert X.shape == (N_SAMPLES, 2) and y.shape == (N_SAMPLES,)
        np.testing.assert_allclose(X.mean(axis=0), 0.0, atol=1e-12)
        np.testing.assert_allclose(X.std(axis=0), 1.0)
        assert set(np.unique(y)) == {0.0, 1.0}
        with pytest.raises(ValueError):
            X[0, 0] = 1.0
    assert isinstance(run(dataset="xor", epochs=10), Result)


def test_max_epochs_keeps_a_retrain_within_the_update_budget():
    assert max_epochs(1) == 100
    assert max_epochs(N_SAMPLES) == LIMITS["epochs"][1]
    for b in BATCH_SIZES:
        per_epoch = -(-N_SAMPLES // b)
        assert max_epochs(b) * per_epoch <= MAX_UPDATES
        assert max_epochs(b) % 10 == 0


# --- bad settings ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"lr": 0.0}, r"lr must be a finite number > 0, got 0\.0"),
        ({"lr": -0.5}, r"lr must be a finite number > 0"),
        ({"lr": float("nan")}, r"lr must be a finite number > 0"),
        ({"dataset": "circles"}, r"unknown dataset 'circles'; expected one of 'xor', 'two_moons'"),
        ({"activation": "softmax"}, r"unknown activation 'softmax'; expected one of 'sigmoid'"),
        ({"hidden_layers": -1}, r"hidden_layers must be an integer >= 0, got -1"),
        ({"width": 0}, r"width must be an integer >= 1, got 0"),
        ({"epochs": 0}, r"epochs must be an integer >= 1"),
        ({"batch_size": 0}, r"batch_size must be an integer >= 1"),
        ({"seed": -3}, r"seed must be an integer >= 0"),
    ],
)
def test_bad_settings_raise_a_clear_value_error(changes, match):
    with pytest.raises(ValueError, match=match):
        Settings(**changes)
    with pytest.raises(ValueError, match=match):
        run(**changes)


@pytest.mark.parametrize(
    "changes",
    [{"lr": "fast"}, {"hidden_layers": 1.5}, {"width": True}, {"epochs": 10.0}],
)
def test_settings_of_the_wrong_type_raise_type_error(changes):
    with pytest.raises(TypeError, match=next(iter(changes))):
        Settings(**changes)


def test_run_rejects_unknown_names_and_non_settings():
    with pytest.raises(
        ValueError, match=r"unknown setting\(s\) learning_rate; expected some of lr"
    ):
        run(learning_rate=0.1)
    with pytest.raises(TypeError, match=r"settings must be an nnlib\.explorer\.Settings"):
        run({"lr": 0.1})


def test_settings_store_plain_numbers():
    s = Settings(lr=np.float32(0.5), hidden_layers=np.int64(2), seed=np.int8(3))
    assert type(s.lr) is float and type(s.hidden_layers) is int and type(s.seed) is int
    assert s == Settings(lr=0.5, hidden_layers=2, seed=3)


# --- the Explorer: controls wired to run() -----------------------------------------


def test_explorer_controls_exist_with_the_right_ranges(untouched):
    explorer = untouched
    lr = explorer.lr
    assert isinstance(lr, ipywidgets.FloatLogSlider)
    assert lr.base == 10 and lr.base**lr.min == pytest.approx(1e-3)
    assert lr.base**lr.max == pytest.approx(100.0)
    assert isinstance(explorer.hidden_layers, ipywidgets.IntSlider)
    assert (explorer.hidden_layers.min, explorer.hidden_layers.max) == (0, 4)
    assert isinstance(explorer.width, ipywidgets.IntSlider)
    assert (explorer.width.min, explorer.width.max) == (1, 16)
    assert isinstance(explorer.epochs, ipywidgets.IntSlider)
    assert (explorer.epochs.min, explorer.epochs.max) == (10, 200)
    assert isinstance(explorer.seed, ipywidgets.IntSlider)
    assert isinstance(explorer.activation, ipywidgets.Dropdown)
    # The activations offered are the registry's, every one of them, in its order.
    assert tuple(explorer.activation.options) == ACTIVATION_NAMES == tuple(ACTIVATIONS)
    assert {"sigmoid", "tanh", "relu"} <= set(ACTIVATION_NAMES)
    assert isinstance(explorer.dataset, ipywidgets.Dropdown)
    assert explorer.dataset.options == (
        ("XOR", "xor"),
        ("two moons", "two_moons"),
        ("spirals", "spirals"),
    )
    assert isinstance(explorer.batch_size, ipywidgets.Dropdown)
    values = [value for _, value in explorer.batch_size.options]
    assert values[0] == 1 and values[-1] == N_SAMPLES
    assert "SGD" in explorer.batch_size.options[0][0]
    assert "full batch" in explorer.batch_size.options[-1][0]
    # Sliders retrain when released, not on every pixel of a drag.
    assert not explorer.lr.continuous_update
    # The controls show the settings they were built from, and the result matches them.
    assert explorer.settings == Settings(epochs=20)
    assert explorer.result.settings == explorer.settings
    assert set(explorer.controls) == set(Settings.__dataclass_fields__)
    assert isinstance(explorer.status, ipywidgets.HTML)
    assert isinstance(explorer.image, ipywidgets.Image)


def test_explorer_shows_a_figure_and_a_status_line_at_once(untouched):
    explorer = untouched
    assert png_of(explorer).startswith(PNG_SIGNATURE)
    assert "J = " in explorer.status.value
    assert "accuracy" in explorer.status.value


def test_setting_the_learning_rate_retrains(explorer, count_runs):
    before, before_png, before_status = explorer.result, png_of(explorer), explorer.status.value
    explorer.lr.value = 0.1
    assert len(count_runs) == 1
    after = explorer.result
    assert after is not before
    assert after.settings.lr == pytest.approx(0.1)
    assert after.history.lr == pytest.approx(0.1)
    assert after.history.cost != before.history.cost
    # The picture and the status line are the new result's.
    assert png_of(explorer) != before_png
    assert png_of(explorer) == ExplorerFigure().show(after).png()
    assert explorer.status.value != before_status
    assert html.escape(status_text(after)) in explorer.status.value


def test_hidden_layers_slider_sets_the_networks_L(explorer):
    for L in (3, 0, 4, 1):
        explorer.hidden_layers.value = L
        assert explorer.result.net.L == L
        assert explorer.result.settings.hidden_layers == L
        assert f"L = {L}" in explorer.figure.figure.axes[1].get_title()  # the picture shown
        assert explorer.width.disabled == (L == 0)  # width means nothing without hidden layers


def test_every_control_retrains(explorer, count_runs):
    new_values = {
        "lr": 0.5,
        "hidden_layers": 1,
        "width": 3,
        "activation": "relu",
        "dataset": "spirals",
        "epochs": 30,
        "batch_size": 50,
        "seed": 4,
    }
    for name, value in new_values.items():
        getattr(explorer, name).value = value
        assert getattr(explorer.result.settings, name) == value, name
    assert len(count_runs) == len(new_values)
    assert explorer.result.settings == Settings(**new_values)


def test_image_widget_gets_each_new_figure(explorer):
    seen = {png_of(explorer)}
    for value in ("xor", "spirals"):
        explorer.dataset.value = value
        assert png_of(explorer) == ExplorerFigure().show(explorer.result).png()
        seen.add(png_of(explorer))
    assert len(seen) == 3


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_every_activation_of_the_registry_trains_and_draws(explorer, activation):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer.set(activation=activation, hidden_layers=2)
    r = explorer.result
    assert r.net.activation.name == activation
    assert not r.diverged and r.accuracy is not None
    assert f"g = {activation}" in explorer.figure.figure.axes[1].get_title()  # the picture shown


def test_huge_learning_rate_in_the_explorer_says_diverged():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning (overflow, NaN) fails the test
        ex = Explorer(DIVERGES, lr=1.0)
        assert not ex.result.diverged
        before = png_of(ex)
        ex.lr.value = 10.0
    assert ex.result.diverged
    assert f"Diverged at epoch {ex.result.diverged_at}:" in ex.status.value
    assert DIVERGED_COLOUR in ex.status.value
    assert "nan" not in ex.status.value.lower()
    assert png_of(ex).startswith(PNG_SIGNATURE) and png_of(ex) != before


def test_choosing_per_sample_sgd_caps_the_epochs_and_retrains_once(count_runs):
    # No hidden layer: the cap does not depend on the network, and each of the
    # 100 * N_SAMPLES per-sample updates of the retrain is then the cheapest.
    ex = Explorer(epochs=200, hidden_layers=0)
    count_runs.clear()
    ex.batch_size.value = 1
    assert ex.epochs.max == max_epochs(1) == 100
    assert ex.epochs.value == 100
    assert len(count_runs) == 1
    assert ex.result.settings.batch_size == 1 and ex.result.settings.epochs == 100
    ex.batch_size.value = N_SAMPLES
    assert ex.epochs.max == 200


def test_set_moves_several_controls_and_retrains_once(explorer, count_runs):
    result = explorer.set(lr=0.3, hidden_layers=3, dataset="xor")
    assert len(count_runs) == 1
    assert result is explorer.result
    assert (result.settings.lr, result.net.L, result.settings.dataset) == (0.3, 3, "xor")
    with explorer.hold():
        explorer.seed.value = 2
        explorer.width.value = 6
    assert len(count_runs) == 2
    assert explorer.result.net.sizes == (2, 6, 6, 6, 1)


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ({"lr": 1e3}, r"lr must be between 0\.001 and 100 in the explorer"),
        ({"hidden_layers": 5}, r"hidden_layers must be between 0 and 4"),
        ({"batch_size": 7}, r"batch_size must be one of \[1, 10, 50, 200\]"),
        ({"batch_size": 1, "epochs": 200}, r"epochs must be at most 100 with batch_size 1"),
        ({"activation": "softmax"}, r"unknown activation 'softmax'"),
        ({"speed": 1}, r"unknown control\(s\) speed"),
    ],
)
def test_explorer_rejects_settings_its_controls_cannot_show(untouched, values, match):
    explorer = untouched
    before = explorer.result
    with pytest.raises(ValueError, match=match):
        explorer.set(**values)
    assert explorer.result is before  # nothing moved, nothing retrained
    assert explorer.settings == Settings(epochs=20)
    if "speed" not in values:
        with pytest.raises(ValueError, match=match):
            Explorer(**values)


def test_explorer_displays_as_its_widget(untouched):
    explorer = untouched
    bundle = explorer._repr_mimebundle_()
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == explorer.widget.model_id
    assert explorer.status in explorer.widget.children
    assert explorer.image in explorer.widget.children


def test_explore_displays_the_explorer_and_returns_it(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
    ex = explore(dataset="xor", epochs=10)
    assert isinstance(ex, Explorer)
    assert shown == [ex]
    assert ex.result.settings.dataset == "xor"
