"""Rasa's count-vectors featurizer, computing only the sentence-level features.

``CountVectorsFeaturizer`` gives every message two matrices per attribute: one row
per token (sequence features, read by DIET, TED and the response selector) and one
row for the whole text (sentence features). This pipeline's only reader of text
features is the logistic-regression intent classifier, which reads sentence
features alone, so the token rows cost a second vectorizer pass and a matrix
conversion per featurizer on every message for nothing.
:class:`SentenceCountVectorsFeaturizer` trains exactly as Rasa's featurizer (same
vocabulary, same options, same persisted files) and gives the same sentence
features; it leaves the sequence features out.

Use it only in a pipeline whose components read sentence features alone; a
component that needs token features (``DIETClassifier``, ``TEDPolicy`` end to end,
``ResponseSelector``) would find none.
"""

from __future__ import annotations

from typing import List, Optional, Text, Tuple

import scipy.sparse
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SentenceCountVectorsFeaturizer(CountVectorsFeaturizer):
    """``CountVectorsFeaturizer`` that sets sentence features and no sequence features."""

    def _create_features(
        self, attribute: Text, all_tokens: List[List[Text]]
    ) -> Tuple[List[Optional[scipy.sparse.spmatrix]], List[Optional[scipy.sparse.spmatrix]]]:
        """Return no sequence features and, per message, Rasa's sentence features of ``attribute``."""
        vectorizer = self.vectorizers.get(attribute)
        if not vectorizer:
            return [None], [None]

        sentence_features: List[Optional[scipy.sparse.spmatrix]] = []
        for tokens in all_tokens:
            if not tokens or attribute not in DENSE_FEATURIZABLE_ATTRIBUTES:
                sentence_features.append(None)
                continue
            # As Rasa: the message's processed tokens joined into one document.
            sentence = vectorizer.transform([" ".join(tokens)])
            sentence.sort_indices()
            sentence_features.append(sentence.tocoo())
        return [None] * len(sentence_features), sentence_features
