"""The NSL-KDD detector (detector/nsl_kdd.py): KDDTest+ predicted once, its
scores on all of it and on its held-out half from that one prediction."""

import numpy as np
from imblearn.pipeline import Pipeline

from imblearn_vae.detector import kddtest_scores, train_detector
from imblearn_vae.detector.nsl_kdd import nsl_kdd_tables


def test_kddtest_is_predicted_once(nsl_kdd_home, monkeypatch):
    """train_on_tables scored the test rows and train_detector predicted all
    22,544 of them again for the scores with the held-out half (a CNN's
    minutes twice)."""
    tables = nsl_kdd_tables("KDDTrain+_20Percent", "category", nsl_kdd_home)
    test_rows = len(tables.test.y)
    real, sizes = Pipeline.predict, []

    def counted(self, X, **params):
        sizes.append(len(X))
        return real(self, X, **params)

    monkeypatch.setattr(Pipeline, "predict", counted)
    detector = train_detector(sampler="none", subset="KDDTrain+_20Percent",
                              data_home=nsl_kdd_home)  # fmt: skip
    assert sizes.count(test_rows) == 1
    monkeypatch.undo()
    predicted = np.asarray(detector.pipeline.predict(tables.test.X)).astype(str)
    expected = kddtest_scores(tables.test.y, predicted, detector.classes)
    assert detector.scores == {**expected, "test": tables.source["test"]}
    assert detector.scores["held_out"]["rows"] == test_rows // 2
    assert detector.settings["training file"] == "KDDTrain+_20Percent"
