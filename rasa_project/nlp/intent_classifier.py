"""Rasa's logistic-regression intent classifier, reading only the features it uses.

``LogisticRegressionClassifier`` asks each message for its combined sparse and dense
features, which copies and stacks the token-level (sequence) matrices of every
featurizer too, only to use the sentence-level ones. Per message that was most of
the classifier's time. :class:`SentenceFeatureIntentClassifier` stacks the same
sentence-level matrices in the same column order, so training and predictions are
identical; only the work it skips differs.
"""

from __future__ import annotations

from typing import List

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix, hstack, vstack


def sentence_feature_row(message: Message) -> csr_matrix:
    """Return the message's text sentence features as one row: sparse ones first, then dense.

    The columns are in the order Rasa's ``LogisticRegressionClassifier`` builds them
    (featurizers in pipeline order, sparse before dense) and in its dtype,
    ``float64``. A message without sentence features gives a row with no columns,
    as in Rasa.
    """
    sentence = [
        feature
        for feature in message.features
        if feature.attribute == TEXT and feature.type == FEATURE_TYPE_SENTENCE
    ]
    blocks = [f.features for f in sentence if f.is_sparse()] + [f.features for f in sentence if f.is_dense()]
    if not blocks:
        return csr_matrix((1, 0), dtype=np.float64)
    if len(blocks) == 1:
        return csr_matrix(blocks[0], dtype=np.float64)
    return hstack(blocks, format="csr", dtype=np.float64)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SentenceFeatureIntentClassifier(LogisticRegressionClassifier):
    """``LogisticRegressionClassifier`` with the same model, built from sentence features directly."""

    def _create_X(self, messages: List[Message]) -> csr_matrix:
        rows = [sentence_feature_row(message) for message in messages]
        return rows[0] if len(rows) == 1 else vstack(rows, format="csr")
