"""The project's count-vectors featurizer computing only sentence-level features.

Rasa's ``CountVectorsFeaturizer`` gives every message two matrices per attribute: one
row per token (sequence features, read by DIET, TED and the response selector) and
one row for the whole text (sentence features). This pipeline's only reader of text
features is the logistic-regression intent classifier, which reads sentence features
alone, so the token rows cost a second vectorizer pass and a matrix conversion per
featurizer on every message for nothing.

Rasa builds both in the private hook ``CountVectorsFeaturizer._create_features``.
:func:`install` gives :class:`~rasa_project.nlu.sentence_featurizer.SentenceCountVectorsFeaturizer`
a version of that hook that returns Rasa's sentence features and no sequence
features; :func:`uninstall` takes it away again, and the component is then Rasa's
featurizer unchanged. Training (vocabulary, options, persisted files) is Rasa's
either way.
"""

from __future__ import annotations

from typing import List, Optional, Text, Tuple

import scipy.sparse
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES

from rasa_project.nlu.sentence_featurizer import SentenceCountVectorsFeaturizer


def sentence_features_only(
    featurizer: SentenceCountVectorsFeaturizer, attribute: Text, all_tokens: List[List[Text]]
) -> Tuple[List[Optional[scipy.sparse.spmatrix]], List[Optional[scipy.sparse.spmatrix]]]:
    """Return no sequence features and, per message, Rasa's sentence features of ``attribute``."""
    vectorizer = featurizer.vectorizers.get(attribute)
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


def install() -> None:
    """Make the project's featurizer compute sentence features only. Idempotent."""
    SentenceCountVectorsFeaturizer._create_features = sentence_features_only


def uninstall() -> None:
    """Let the project's featurizer compute what Rasa's does."""
    if "_create_features" in vars(SentenceCountVectorsFeaturizer):
        del SentenceCountVectorsFeaturizer._create_features


def installed() -> bool:
    """Whether :func:`install` is in effect."""
    return vars(SentenceCountVectorsFeaturizer).get("_create_features") is sentence_features_only
