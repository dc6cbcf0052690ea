"""Rasa's logistic-regression intent classifier, reading only the features it uses.

``LogisticRegressionClassifier`` asks each message for its combined sparse and dense
features, which copies and stacks the token-level (sequence) matrices of every
featurizer too, only to use the sentence-level ones. Per message that was most of
the classifier's time. :class:`SentenceFeatureIntentClassifier` trains exactly as
Rasa's class does (it inherits training unchanged) and classifies from the
sentence-level matrices alone: rather than stacking the featurizers' matrices into
one row (``scipy.sparse.hstack`` costs about 0.4 ms) and
asking scikit-learn for probabilities (about 0.4 ms of input checks around a
product that takes 0.04 ms), it multiplies each featurizer's matrix by that
featurizer's block of the model's weights and applies the softmax scikit-learn
applies. The probabilities are scikit-learn's up to rounding.
"""

from __future__ import annotations

from typing import Any, List, Optional

import numpy as np
import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from sklearn.linear_model import LogisticRegression
from sklearn.utils.extmath import softmax


def sentence_feature_blocks(message: Message) -> List[Any]:
    """Return the matrices of the message's text sentence features, in Rasa's column order.

    Sparse ones first, then dense, each group in pipeline order: the order in which
    ``LogisticRegressionClassifier`` puts their columns side by side.
    """
    sentence: List[Features] = [
        feature for feature in message.features if feature.attribute == TEXT and feature.type == FEATURE_TYPE_SENTENCE
    ]
    return [f.features for f in sentence if f.is_sparse()] + [f.features for f in sentence if f.is_dense()]


def uses_softmax(clf: LogisticRegression) -> bool:
    """Whether scikit-learn turns ``clf``'s scores into probabilities with a softmax (multinomial)."""
    return clf.multi_class == "multinomial" or (
        clf.multi_class == "auto" and clf.classes_.size > 2 and clf.solver != "liblinear"
    )


def intent_probabilities(clf: LogisticRegression, weights: np.ndarray, blocks: List[Any]) -> Optional[np.ndarray]:
    """Return ``clf.predict_proba`` of the row ``blocks`` make side by side, without building it.

    ``weights`` is ``clf.coef_.T``. Returns ``None`` when the blocks' widths do not
    add up to the model's features (scikit-learn would refuse such a row) or a block
    has more than one row (not a single message's sentence features).
    """
    scores = clf.intercept_.astype(np.float64, copy=True)
    start = 0
    for block in blocks:
        stop = start + block.shape[1]
        if stop > weights.shape[0]:
            return None
        if block.shape[0] != 1:
            return None
        if scipy.sparse.issparse(block):
            # Only the weights of the row's non-zero columns count. Plain NumPy on
            # them: scipy's sparse products and conversions cost ten times more here.
            row = block.tocoo(copy=False)
            scores += np.asarray(row.data, dtype=np.float64) @ weights[start + row.col]
        else:
            scores += np.asarray(block, dtype=np.float64).ravel() @ weights[start:stop]
        start = stop
    if start != weights.shape[0]:
        return None
    return softmax(scores.reshape(1, -1), copy=False)[0]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SentenceFeatureIntentClassifier(LogisticRegressionClassifier):
    """``LogisticRegressionClassifier`` with the same model, built from sentence features directly."""

    #: ``clf.coef_`` and its transpose, laid out for one-row products; refreshed if ``clf`` is refitted.
    _weights_of: Optional[np.ndarray] = None
    _weights: Optional[np.ndarray] = None

    def process(self, messages: List[Message]) -> List[Message]:
        """Set each message's intent and intent ranking, as ``LogisticRegressionClassifier`` does."""
        if not hasattr(self.clf, "coef_") or not uses_softmax(self.clf):
            return super().process(messages)
        if self._weights is None or self._weights_of is not self.clf.coef_:
            self._weights_of, self._weights = self.clf.coef_, np.ascontiguousarray(self.clf.coef_.T)
        weights = self._weights
        for message in messages:
            probabilities = intent_probabilities(self.clf, weights, sentence_feature_blocks(message))
            if probabilities is None:
                # Let scikit-learn raise its own error about the row's width.
                super().process([message])
                continue
            ranking = sorted(
                (
                    {"name": name, "confidence": confidence}
                    for name, confidence in zip(self.clf.classes_, probabilities, strict=True)
                ),
                key=lambda entry: -entry["confidence"],
            )
            message.set("intent", ranking[0], add_to_output=True)
            if self.config[RANKING_LENGTH] > 0:
                ranking = ranking[: self.config[RANKING_LENGTH]]
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages
