"""Balancing methods and classifiers by name, for ``compare`` and ``train``.

One registry: a comparison runs the methods and classifiers named here, and
a detector is built from the same names, so ``train --method smote
--classifier dt`` fits what ``compare --methods smote --classifiers dt``
scored. Nothing here reads tables or runs a comparison.
"""

from .._lazy import lazy_names

#: Where each public name lives.
_MODULE_OF = {
    "CLASSIFIERS": "classifiers",
    "NEEDS": "classifiers",
    "LabelEncoded": "classifiers",
    "build_classifier": "classifiers",
    "classifier_label": "classifiers",
    "classifiers_help": "classifiers",
    "load_classifier": "classifiers",
    "weight_classes": "classifiers",
    "DEFAULT_METHODS": "methods",
    "METHODS": "methods",
    "Method": "methods",
    "MethodInfo": "methods",
    "parse_method": "methods",
    "parse_spec": "_spec",
}

__all__ = sorted(_MODULE_OF)


__getattr__, __dir__ = lazy_names(__name__, _MODULE_OF)
