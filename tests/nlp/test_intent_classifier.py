"""The intent classifier builds exactly the matrix Rasa's LogisticRegressionClassifier builds."""

from __future__ import annotations

from typing import List

import numpy as np
import pytest
import scipy.sparse
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from rasa_project.nlp.intent_classifier import SentenceFeatureIntentClassifier

RNG = np.random.default_rng(7)


def _sparse(columns: int, rows: int = 1, dtype: type = np.int64) -> scipy.sparse.coo_matrix:
    dense = RNG.integers(0, 3, size=(rows, columns)).astype(dtype)
    return scipy.sparse.coo_matrix(dense)


def _features(kind: str) -> List[Features]:
    word = Features(_sparse(5), FEATURE_TYPE_SENTENCE, TEXT, "word_counts")
    char = Features(_sparse(9, dtype=np.float32), FEATURE_TYPE_SENTENCE, TEXT, "char_counts")
    word_tokens = Features(_sparse(5, rows=3), FEATURE_TYPE_SEQUENCE, TEXT, "word_counts")
    dense = Features(RNG.random((1, 4)), FEATURE_TYPE_SENTENCE, TEXT, "embeddings")
    dense_tokens = Features(RNG.random((3, 4)), FEATURE_TYPE_SEQUENCE, TEXT, "embeddings")
    other_attribute = Features(_sparse(6), FEATURE_TYPE_SENTENCE, INTENT, "word_counts")
    return {
        "one sparse featurizer": [word],
        "two sparse featurizers with token features": [word, word_tokens, char],
        "sparse and dense": [dense, word, dense_tokens, char],
        "dense only": [dense, dense_tokens],
        "other attributes ignored": [other_attribute, word, char],
        "no features": [],
    }[kind]


KINDS = [
    "one sparse featurizer",
    "two sparse featurizers with token features",
    "sparse and dense",
    "dense only",
    "other attributes ignored",
    "no features",
]


def _message(kind: str) -> Message:
    return Message(data={TEXT: "my back hurts"}, features=_features(kind))


@pytest.mark.parametrize("kind", KINDS)
def test_same_matrix_as_rasa_for_one_message(kind: str) -> None:
    message = _message(kind)

    rasa = LogisticRegressionClassifier._create_X(None, [message])
    ours = SentenceFeatureIntentClassifier._create_X(None, [message])

    assert ours.shape == rasa.shape
    assert ours.dtype == rasa.dtype == np.float64
    assert np.array_equal(ours.toarray(), rasa.toarray())


def test_same_matrix_as_rasa_for_a_batch() -> None:
    messages = [_message("two sparse featurizers with token features") for _ in range(20)]

    rasa = LogisticRegressionClassifier._create_X(None, messages)
    ours = SentenceFeatureIntentClassifier._create_X(None, messages)

    assert ours.dtype == rasa.dtype
    assert np.array_equal(ours.toarray(), rasa.toarray())
