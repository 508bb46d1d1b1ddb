r"""The explorer's knobs: :class:`Settings`, their ranges, and the data sets on offer.

Section 3.6 of the book lets a reader turn the knobs of backpropagation with
stochastic gradient descent -- the learning rate :math:`\eta` of eq.
``sgd-update``, the number of hidden layers :math:`L`, their width, the
activation :math:`g`, the data set, the number of epochs, the batch size (1 is
the paper's per-sample update) and the seed.  A :class:`Settings` is one
position of those knobs, checked when it is made.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import _checks
from ..activations import ACTIVATIONS

__all__ = [
    "ACTIVATION_NAMES",
    "BATCH_SIZES",
    "DATASETS",
    "DATA_SEED",
    "LIMITS",
    "MAX_UPDATES",
    "N_SAMPLES",
    "Settings",
    "as_settings",
    "max_epochs",
    "within_limits",
]

#: Samples in every data set of the explorer; small, so that a retrain is quick.
N_SAMPLES = 200

#: The data are always drawn with this seed: the explorer's own ``seed`` changes
#: the initial weights and the order of the samples, never the data.
DATA_SEED = 0

#: Data set key -> label shown in the dropdown.  The keys name the generators of
#: :mod:`nnlib.datasets`.
DATASETS: dict[str, str] = {"xor": "XOR", "two_moons": "two moons", "spirals": "spirals"}

#: The thresholding functions g the explorer offers: every activation of the
#: registry :data:`nnlib.activations.ACTIVATIONS`, in its order.
ACTIVATION_NAMES: tuple[str, ...] = tuple(ACTIVATIONS)

#: Batch size -> label shown in the dropdown.  ``N_SAMPLES`` is one full batch.
BATCH_SIZES: dict[int, str] = {
    1: "1 (the paper's SGD)",
    10: "10",
    50: "50",
    N_SAMPLES: f"{N_SAMPLES} (full batch)",
}

#: The ranges of the explorer's sliders: ``(min, max)``.  The epochs slider
#: also respects :data:`MAX_UPDATES` (see :func:`max_epochs`).
LIMITS: dict[str, tuple[float, float]] = {
    "lr": (1e-3, 1e2),
    "hidden_layers": (0, 4),
    "width": (1, 16),
    "epochs": (10, 200),
    "seed": (0, 9),
}

#: The most weight updates one retrain of the explorer may take, so that it
#: answers within a second or two: per-sample SGD makes ``N_SAMPLES`` updates
#: per epoch, a full batch only one.
MAX_UPDATES = 20_000


@dataclass(frozen=True)
class Settings:
    r"""One position of the explorer's controls (section 3.6).

    Every field is checked when the settings are made; a bad value raises a
    ``ValueError`` (or ``TypeError``) naming the field and what was expected.

    Attributes
    ----------
    lr : float, default 1.0
        The learning rate :math:`\eta > 0` of eq. ``sgd-update``.
    hidden_layers : int, default 2
        The number of hidden layers :math:`L \ge 0`; 0 is a single threshold
        unit on the inputs (a linear decision boundary).
    width : int, default 8
        Nodes in each hidden layer (>= 1); unused when ``hidden_layers`` is 0.
    activation : str, default "tanh"
        The hidden layers' g: one of :data:`ACTIVATION_NAMES`.  The output node is
        always a sigmoid, trained with the logistic loss.
    dataset : str, default "two_moons"
        One of the keys of :data:`DATASETS`: ``"xor"``, ``"two_moons"``, ``"spirals"``.
    epochs : int, default 100
        Passes over the :data:`N_SAMPLES` samples (>= 1).
    batch_size : int, default N_SAMPLES
        Samples per update (>= 1): 1 is the paper's per-sample stochastic
        gradient descent, :data:`N_SAMPLES` (or more) one full batch.
    seed : int, default 0
        Seeds the initial weights and the order in which samples are visited (>= 0).
    """

    lr: float = 1.0
    hidden_layers: int = 2
    width: int = 8
    activation: str = "tanh"
    dataset: str = "two_moons"
    epochs: int = 100
    batch_size: int = N_SAMPLES
    seed: int = 0

    def __post_init__(self) -> None:
        checked = {
            "lr": _checks.positive_number(self.lr, "lr"),
            "hidden_layers": _checks.non_negative_int(self.hidden_layers, "hidden_layers"),
            "width": _checks.positive_int(self.width, "width"),
            "activation": _checks.one_of(self.activation, "activation", ACTIVATION_NAMES),
            "dataset": _checks.one_of(self.dataset, "dataset", tuple(DATASETS)),
            "epochs": _checks.positive_int(self.epochs, "epochs"),
            "batch_size": _checks.positive_int(self.batch_size, "batch_size"),
            "seed": _checks.non_negative_int(self.seed, "seed"),
        }
        for name, value in checked.items():  # store plain Python numbers
            object.__setattr__(self, name, value)

    @property
    def sizes(self) -> list[int]:
        """The layer list ``[n_0, n_1, ..., n_{L+1}]``: 2 inputs, L hidden layers, 1 output."""
        return [2, *[self.width] * self.hidden_layers, 1]


def as_settings(value: object, name: str = "settings") -> Settings:
    """Check that ``value`` is a :class:`Settings` (the one check every entry point makes)."""
    return _checks.instance(value, Settings, name, "nnlib.explorer.Settings")


def max_epochs(batch_size: int) -> int:
    """The epochs slider's maximum for a batch size: at most :data:`MAX_UPDATES` updates.

    Parameters
    ----------
    batch_size : int
        Samples per update (>= 1).

    Returns
    -------
    int
        ``LIMITS["epochs"][1]``, or fewer (a multiple of 10) when each epoch
        makes many updates: 100 for the paper's per-sample SGD on
        :data:`N_SAMPLES` = 200 samples.

    Examples
    --------
    >>> max_epochs(1), max_epochs(N_SAMPLES)
    (100, 200)
    """
    batch_size = _checks.positive_int(batch_size, "batch_size")
    updates_per_epoch = -(-N_SAMPLES // batch_size)
    cap = MAX_UPDATES // updates_per_epoch // 10 * 10
    return int(min(LIMITS["epochs"][1], max(cap, LIMITS["epochs"][0])))


def within_limits(s: Settings) -> Settings:
    """Check that the explorer's controls can show ``s`` (:data:`LIMITS`, :data:`BATCH_SIZES`)."""
    for name, (lo, hi) in LIMITS.items():
        value = getattr(s, name)
        if not lo <= value <= hi:
            raise ValueError(
                f"{name} must be between {lo:g} and {hi:g} in the explorer, got {value:g}"
            )
    if s.batch_size not in BATCH_SIZES:
        raise ValueError(
            f"batch_size must be one of {sorted(BATCH_SIZES)} in the explorer, got {s.batch_size}"
        )
    if s.epochs > max_epochs(s.batch_size):
        raise ValueError(
            f"epochs must be at most {max_epochs(s.batch_size)} with batch_size {s.batch_size} "
            f"in the explorer (at most {MAX_UPDATES} updates per retrain), got {s.epochs}"
        )
    return s
