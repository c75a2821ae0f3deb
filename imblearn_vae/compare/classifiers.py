"""The classifiers by name: :mod:`imblearn_vae.registry.classifiers`, named
here too for the code that imports them from the comparison."""

from ..registry.classifiers import (  # noqa: F401
    CLASSIFIERS,
    NEEDS,
    LabelEncoded,
    build_classifier,
    classifier_label,
    load_classifier,
    weight_classes,
)
