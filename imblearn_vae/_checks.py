"""Checks of what a sampler is given, with errors that say how to go on."""

from collections import Counter
from collections.abc import Mapping
from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import Interval

#: A class must have this many rows before the sampler generates more of it.
MIN_CLASS_SAMPLES = 2

#: Constraint of the hidden-width parameters; :func:`check_hidden_layer_sizes`
#: checks the values at fit time.
HIDDEN_LAYER_SIZES_CONSTRAINT = [
    "array-like",
    Interval(Integral, 1, None, closed="left"),
]


def check_class_sizes(sampling_strategy: dict, y, owner: str) -> None:
    """Refuse a class too small to generate rows of, and say how to go on.

    ``sampling_strategy`` is a fitted ``sampling_strategy_`` (rows to make
    per class); ``owner`` names the sampler in the message.
    """
    counts = Counter(y)
    for klass, n_samples in sampling_strategy.items():
        if n_samples > 0 and counts[klass] < MIN_CLASS_SAMPLES:
            others = {
                plain_label(k): int(counts[k] + n)
                for k, n in sampling_strategy.items()
                if n > 0 and k != klass
            }
            raise ValueError(
                f"{owner} needs at least {MIN_CLASS_SAMPLES} samples of each class "
                f"it generates rows for; class {plain_label(klass)!r} has "
                f"{counts[klass]}. To go on without new rows for it, pass a "
                "sampling_strategy dict that leaves it out (here "
                f"sampling_strategy={others!r}), or remove its rows."
            )


def plain_label(label):
    """A numpy scalar label as the Python value, for readable messages."""
    return label.item() if isinstance(label, np.generic) else label


def class_index(classes, klass) -> int:
    """The position of ``klass`` among the fitted ``classes`` (``sample``'s
    argument), or a ValueError that names the parameter and the classes."""
    # Compared by equality, not searchsorted: None, or a label of another
    # type than the classes, cannot be ordered among them (TypeError).
    for index, known in enumerate(classes):
        same = known == klass
        if isinstance(same, bool | np.bool_) and same:
            return index
    raise ValueError(
        f"klass={plain_label(klass)!r} was not seen in fit; klass must be "
        f"one of the classes {classes.tolist()}."
    )


def check_hidden_layer_sizes(
    value, name: str = "hidden_layer_sizes"
) -> tuple[int, ...]:
    """Return ``value`` as a tuple of positive ints, or raise a ValueError naming it."""
    sizes = (value,) if isinstance(value, Integral) else value
    if not isinstance(sizes, (tuple, list, np.ndarray)) or isinstance(sizes, Mapping):
        raise ValueError(f"{name} must be an int or a sequence of ints; got {value!r}.")
    sizes = tuple(sizes)
    if not all(
        isinstance(w, Integral) and not isinstance(w, bool) and w >= 1 for w in sizes
    ):
        raise ValueError(f"{name} must hold positive integers; got {value!r}.")
    return tuple(int(w) for w in sizes)
