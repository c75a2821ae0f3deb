"""A detector's scores on checked rows: the pipeline's, computed on arrays.

A detector's pipeline on a few rows costs about 10 ms, nearly all of it
overhead: pandas builds a frame column by column, and scikit-learn's
``ColumnTransformer`` validates and reassembles it. The site answers many
small requests and ``imblearn-vae predict`` many batches, so
:class:`Scorer` does the same work on the checked columns of
:mod:`~imblearn_vae.detector.rows`:

- the preprocessing a detector is built with (one-hot categories, min-max
  or standard scaled numbers, by column names or positions: any table's,
  NSL-KDD's too) is rebuilt from the fitted transformer as array
  arithmetic, and a tree or a forest is read through its fitted ``tree_``
  arrays, with the operations scikit-learn does, in its order;
- anything else (another transformer, a CNN) goes through the pipeline.

The arrays are checked against the pipeline on the model's example rows
when the scorer is built, and are not used if they differ.
"""

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import ExtraTreesClassifier, RandomForestClassifier
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier, ExtraTreeClassifier

from .model import Detector
from .rows import Columns, check_records, to_frame
from .schema import RowError


class Scorer:
    """Check rows and score them as the detector's pipeline does, on arrays.

    Parameters
    ----------
    detector : Detector
        The detector to score with.
    """

    def __init__(self, detector: Detector):
        self.detector = detector
        self.features = detector.features
        self.names = detector.feature_names
        #: The classes in the classifier's order (the columns of the scores).
        self.classes = [str(c) for c in detector.pipeline.classes_]
        classifier = detector.pipeline.steps[-1][1]
        #: What a score is, in a few words and in a sentence.
        self.score_name, self.meaning = describe_scores(classifier)
        #: The classifier, as people name it.
        self.classifier_name = describe_classifier(classifier)
        self._transform, self._classify = _compile(detector.pipeline, self.features)
        if self._transform is not None and not self._agrees_with_pipeline():
            self._transform = self._classify = None

    @property
    def fast(self) -> bool:
        """Whether scores come from the arrays rather than the pipeline."""
        return self._transform is not None

    def check(self, records: list) -> tuple[Columns | None, list[RowError]]:
        """The records' values in the features' types, or every problem
        (:func:`~imblearn_vae.detector.rows.check_records`).

        Parameters
        ----------
        records : list
            Rows as field name -> value (text or a JSON value).

        Returns
        -------
        columns : dict of str to numpy.ndarray or None
            None when any row has a problem.
        errors : list of RowError
        """
        return check_records(self.features, records, self.detector.ignored_columns)

    def probabilities(self, columns: Columns) -> np.ndarray:
        """Each class's score per row, columns in :attr:`classes` order.

        Parameters
        ----------
        columns : dict of str to numpy.ndarray
            Checked rows (:meth:`check`).

        Returns
        -------
        numpy.ndarray of shape (n_rows, n_classes)
        """
        if self._transform is None:
            return self.detector.pipeline.predict_proba(self.frame(columns))
        return self._classify(self._transform(columns))

    def predict(self, columns: Columns) -> tuple[list[str], np.ndarray]:
        """The predicted class of each row, and the scores.

        Parameters
        ----------
        columns : dict of str to numpy.ndarray
            Checked rows (:meth:`check`).

        Returns
        -------
        labels : list of str
        probabilities : numpy.ndarray of shape (n_rows, n_classes)
        """
        probabilities = self.probabilities(columns)
        labels = np.asarray(self.classes, dtype=object)[probabilities.argmax(axis=1)]
        return labels.tolist(), probabilities

    def frame(self, columns: Columns):
        """The rows as the pipeline reads them.

        Parameters
        ----------
        columns : dict of str to numpy.ndarray
            Checked rows (:meth:`check`).

        Returns
        -------
        pandas.DataFrame
        """
        return to_frame(self.features, columns)

    def values(self, columns: Columns) -> list[list]:
        """The rows as lists of plain values (text, int, float), feature order.

        Parameters
        ----------
        columns : dict of str to numpy.ndarray
            Checked rows (:meth:`check`).

        Returns
        -------
        list of list
        """
        lists = []
        for feature in self.features:
            values = columns[feature.name]
            if feature.kind == "categorical":
                values = np.asarray(feature.categories, dtype=object)[values]
            lists.append(values.tolist())
        return [list(row) for row in zip(*lists, strict=True)]

    def _agrees_with_pipeline(self) -> bool:
        rows = [r for examples in self.detector.examples.values() for r in examples]
        if not rows:
            return True
        columns, errors = self.check(rows)
        if errors:
            return False
        fast = self._classify(self._transform(columns))
        slow = self.detector.pipeline.predict_proba(self.frame(columns))
        return fast.shape == slow.shape and np.array_equal(fast, slow)


# the pipeline as arrays --------------------------------------------------------


def _compile(pipeline, features: list):
    """(transform, classify) functions for the usual pipeline, else (None, None)."""
    steps = [
        step
        for _, step in pipeline.steps
        if step not in (None, "passthrough") and not hasattr(step, "fit_resample")
    ]
    if len(steps) != 2 or not isinstance(steps[0], ColumnTransformer):
        return None, None
    transform = _compile_transformer(steps[0], features)
    classify = _compile_classifier(steps[1])
    if transform is None or classify is None:
        return None, None
    return transform, classify


def _compile_transformer(transformer: ColumnTransformer, features: list):
    """transform(columns) -> the transformer's output, or None if unsure how."""
    names = [f.name for f in features]
    parts, width = [], 0
    if getattr(transformer, "sparse_output_", False):
        return None
    for name, step, columns in transformer.transformers_:
        positions = _positions(columns, names)
        if positions is None:
            return None
        if step == "drop" or not positions:
            continue  # scikit-learn leaves these out of the output too
        if name == "remainder":
            return None  # passed-through columns: not the usual pipeline
        part = _compile_step(step, [features[p] for p in positions], width)
        if part is None:
            return None
        parts.append(part)
        width += part[0]
    if not parts:
        return None

    def transform(columns: Columns) -> np.ndarray:
        rows = len(next(iter(columns.values())))
        X = np.zeros((rows, width), dtype=np.float64)
        for _, fill in parts:
            fill(columns, X)
        return X

    return transform


def _positions(columns, names: list[str]) -> list[int] | None:
    """The column selection as positions, for lists of names or of positions."""
    if isinstance(columns, str):
        columns = [columns]
    if not isinstance(columns, list | tuple | np.ndarray):
        return None  # a slice, a callable, a selector: not worth following
    items = list(columns)
    if all(isinstance(c, str) for c in items):
        return [names.index(c) for c in items] if set(items) <= set(names) else None
    if all(isinstance(c, int | np.integer) and not isinstance(c, bool | np.bool_)
           for c in items):  # fmt: skip
        return [int(c) for c in items]
    return None


def _compile_step(step, features: list, offset: int):
    """(width, fill(columns, X)) for one fitted transformer, or None."""
    columns = [f.name for f in features]
    if isinstance(step, OneHotEncoder):
        return _compile_one_hot(step, features, offset)
    if isinstance(step, MinMaxScaler) and not step.clip:
        operations = [(np.multiply, step.scale_), (np.add, step.min_)]
    elif isinstance(step, StandardScaler):
        operations = [(np.subtract, step.mean_)] if step.with_mean else []
        operations += [(np.divide, step.scale_)] if step.with_std else []
    else:
        return None
    if any(f.kind == "categorical" for f in features):
        return None

    def fill(values: Columns, X: np.ndarray) -> None:
        # the scaler's own operations, in its order, on float64
        block = np.column_stack([values[c] for c in columns]).astype(np.float64)
        for operation, operand in operations:
            operation(block, operand, out=block)
        X[:, offset : offset + len(columns)] = block

    return len(columns), fill


def _compile_one_hot(step: OneHotEncoder, features: list, offset: int):
    plain = step.drop is None and step.handle_unknown == "ignore"
    if not plain or getattr(step, "_infrequent_enabled", False):
        return None
    if any(f.kind != "categorical" for f in features):
        return None
    lookups, width = [], 0
    for feature, categories in zip(features, step.categories_, strict=True):
        position = {str(c): offset + width + i for i, c in enumerate(categories)}
        # a category the encoder never saw gives an all-zero block, as
        # handle_unknown="ignore" does
        lookup = [position.get(c, -1) for c in feature.categories]
        lookups.append((feature.name, np.array(lookup, dtype=np.intp)))
        width += len(categories)

    def fill(values: Columns, X: np.ndarray) -> None:
        rows = np.arange(len(X))
        for name, lookup in lookups:
            targets = lookup[values[name]]
            known = targets >= 0
            X[rows[known], targets[known]] = 1.0

    return width, fill


def _compile_classifier(model):
    """classify(X) for a fitted tree or forest (scikit-learn's arithmetic)."""
    if isinstance(model, DecisionTreeClassifier | ExtraTreeClassifier):
        trees = [model]
    elif isinstance(model, RandomForestClassifier | ExtraTreesClassifier):
        trees = list(model.estimators_)
    else:
        return None
    if getattr(model, "n_outputs_", 1) != 1:
        return None
    classes = int(np.atleast_1d(model.n_classes_)[0])
    # sklearn's DecisionTreeClassifier.predict_proba, once per leaf: the
    # leaf's class values divided by their sum (1 where the sum is 0). Kept
    # for the leaves only, found through a node -> leaf number array.
    tables = []
    for tree in trees:
        leaves = tree.tree_.children_left == -1
        value = tree.tree_.value[leaves, 0, :classes].astype(np.float64)
        normalizer = value.sum(axis=1)[:, np.newaxis]
        normalizer[normalizer == 0.0] = 1.0
        leaf_number = (np.cumsum(leaves) - 1).astype(np.int32)
        tables.append((tree.tree_, leaf_number, value / normalizer))

    def classify(X: np.ndarray) -> np.ndarray:
        X32 = np.ascontiguousarray(X, dtype=np.float32)
        if len(tables) == 1:
            tree, leaf_number, table = tables[0]
            return table[leaf_number[tree.apply(X32)]]
        total = np.zeros((len(X32), classes), dtype=np.float64)
        for tree, leaf_number, table in tables:  # the forest's order of summing
            total += table[leaf_number[tree.apply(X32)]]
        total /= len(tables)
        return total

    return classify


def describe_scores(model) -> tuple[str, str]:
    """What the classifier's ``predict_proba`` numbers are, said plainly."""
    if isinstance(model, RandomForestClassifier | ExtraTreesClassifier):
        trees = len(model.estimators_)
        if model.min_samples_leaf == 1 and model.max_depth is None:
            return "tree votes", (
                f"the share of the forest's {trees} trees that vote for the class "
                "(each tree, grown until its leaves hold one class, votes for one)"
            )
        return "leaf share", (
            f"the mean over the forest's {trees} trees of the class's share of "
            "the training rows in the tree's leaf"
        )
    if isinstance(model, DecisionTreeClassifier | ExtraTreeClassifier):
        return "leaf share", (
            "the class's share of the training rows in the decision tree's leaf: "
            "one class has 100% for nearly every row, so it does not say how sure "
            "the model is"
        )
    return "probability", (
        "the classifier's probability of the class (predict_proba), not checked "
        "against this site's traffic"
    )


def describe_classifier(model) -> str:
    """The classifier in words: "50 extremely randomised trees", ..."""
    trees = len(getattr(model, "estimators_", []))
    if isinstance(model, ExtraTreesClassifier):
        return f"{trees} extremely randomised trees (extra trees)"
    if isinstance(model, RandomForestClassifier):
        return f"a random forest of {trees} trees"
    if isinstance(model, DecisionTreeClassifier):
        return "a decision tree"
    return type(model).__name__
