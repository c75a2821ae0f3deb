"""One scoring function: a comparison's runs and a detector's model file
give the same figure under the same name (issue 25)."""

import numpy as np
import pytest
from sklearn.metrics import f1_score

from imblearn_vae.metrics import scores

LABELS = ["normal", "DoS", "Probe", "R2L", "U2R"]


def _predictions(n=400, seed=0):
    """Labels without a U2R row, and predictions that sometimes say U2R."""
    rng = np.random.default_rng(seed)
    y = rng.choice(LABELS[:4], n)
    predicted = np.where(rng.random(n) < 0.8, y, rng.choice(LABELS, n))
    assert "U2R" not in y and "U2R" in predicted
    return y, predicted


def test_macro_f1_is_the_mean_over_the_classes_present():
    y, predicted = _predictions()
    found = scores(y, predicted, LABELS)
    per_class = f1_score(y, predicted, labels=LABELS[:4], average=None)
    assert found["f1_macro"] == pytest.approx(per_class.mean())
    # over all five labels (the absent class counted as 0) the mean is lower
    assert found["f1_macro"] > f1_score(y, predicted, labels=LABELS, average="macro")
    assert found["recall_U2R"] == 0 and found["precision_U2R"] == 0


def test_the_detector_and_the_engine_give_the_same_macro_f1_without_a_class():
    """The detector's file scores once averaged over every label, so a class
    absent from the scored rows lowered its macro F1 below the engine's."""
    pytest.importorskip("pandas", reason="the detector needs pandas")
    from imblearn_vae.compare import engine
    from imblearn_vae.detector import kddtest_halves, kddtest_scores

    assert engine.scores is scores
    y, predicted = _predictions()
    kept = kddtest_scores(y, predicted, LABELS)
    assert kept["f1_macro"] == scores(y, predicted, LABELS)["f1_macro"]
    _, held_out = kddtest_halves(y)
    on_half = scores(y[held_out], predicted[held_out], LABELS)
    assert kept["held_out"]["f1_macro"] == on_half["f1_macro"]
    on_all = scores(y, predicted, LABELS)
    assert kept["recall"] == {c: on_all[f"recall_{c}"] for c in LABELS}
    assert np.asarray(kept["confusion"])[LABELS.index("U2R")].sum() == 0
